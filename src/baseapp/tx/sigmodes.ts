/** The signing modes the chain accepts (values of cosmos.tx.signing.v1beta1.SignMode). */
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";

export { SignMode };

/** SIGN_MODE_DIRECT: the signature covers the protobuf SignDoc (body bytes, auth info bytes, chain id, account number). */
export const SIGN_MODE_DIRECT = SignMode.SIGN_MODE_DIRECT; // 1

/** SIGN_MODE_LEGACY_AMINO_JSON: the signature covers the sorted-key amino JSON StdSignDoc (Ledger, amino-only wallets). */
export const SIGN_MODE_LEGACY_AMINO_JSON = SignMode.SIGN_MODE_LEGACY_AMINO_JSON; // 127

/**
 * SIGN_MODE_UNSPECIFIED: what CosmJS puts in the unsigned tx it sends to `Simulate` (with an empty
 * signature). Decoding accepts it so simulation works; no signature can verify in this mode.
 */
export const SIGN_MODE_UNSPECIFIED = SignMode.SIGN_MODE_UNSPECIFIED; // 0

export type SupportedSignMode = typeof SIGN_MODE_DIRECT | typeof SIGN_MODE_LEGACY_AMINO_JSON;

/** Modes a decoded signer may declare: the two signing modes, plus UNSPECIFIED for simulation. */
export type DecodableSignMode = SupportedSignMode | typeof SIGN_MODE_UNSPECIFIED;

export function isSupportedSignMode(mode: number): mode is SupportedSignMode {
  return mode === SIGN_MODE_DIRECT || mode === SIGN_MODE_LEGACY_AMINO_JSON;
}

export function isDecodableSignMode(mode: number): mode is DecodableSignMode {
  return isSupportedSignMode(mode) || mode === SIGN_MODE_UNSPECIFIED;
}

/** A readable name for error messages, e.g. "SIGN_MODE_TEXTUAL (2)". */
export function signModeName(mode: number): string {
  const name = (SignMode as unknown as Record<number, string | undefined>)[mode];
  return name === undefined ? `unknown sign mode (${mode})` : `${name} (${mode})`;
}
