/**
 * Bech32 addresses. Accounts are identified by 20-byte (key-derived) or 32-byte (derived module
 * accounts) byte strings; the bech32 form is only a presentation with a chain prefix.
 */
import { ripemd160 } from "@cosmjs/crypto";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { ErrInvalidAddress, ErrInvalidPubKey } from "../errors";
import { sha256 } from "./hash";

/** Address lengths the chain accepts: 20 (account keys, module accounts) or 32 bytes. */
export const ADDRESS_LENGTHS: readonly number[] = [20, 32];

/** Bech32 has no hard length limit for our use; the SDK allows up to 1023 characters. */
const BECH32_MAX_LENGTH = 1023;

/** Encodes address bytes as bech32 with the given prefix. Throws ErrInvalidAddress for a bad length. */
export function encodeAddress(bytes: Uint8Array, prefix: string): string {
  if (!ADDRESS_LENGTHS.includes(bytes.length)) {
    throw ErrInvalidAddress.wrap(`address must be 20 or 32 bytes, got ${bytes.length}`);
  }
  return toBech32(prefix, bytes, BECH32_MAX_LENGTH);
}

/**
 * Decodes a bech32 address and checks its prefix and length. Upper-case input is accepted (as in
 * the SDK); mixed case is not. Throws ErrInvalidAddress saying what was expected.
 */
export function decodeAddress(str: string, prefix: string): Uint8Array {
  if (str.length === 0) throw ErrInvalidAddress.wrap(`empty address; expected a bech32 address starting with ${prefix}1`);
  let decoded: { prefix: string; data: Uint8Array };
  try {
    decoded = fromBech32(str, BECH32_MAX_LENGTH);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw ErrInvalidAddress.wrap(
      `${JSON.stringify(truncate(str))} is not a valid bech32 address (${why}); expected a bech32 address starting with ${prefix}1`,
    );
  }
  if (decoded.prefix !== prefix) {
    throw ErrInvalidAddress.wrap(
      `address ${JSON.stringify(truncate(str))} has prefix ${JSON.stringify(decoded.prefix)}; expected prefix ${JSON.stringify(prefix)}`,
    );
  }
  if (!ADDRESS_LENGTHS.includes(decoded.data.length)) {
    throw ErrInvalidAddress.wrap(
      `address ${JSON.stringify(truncate(str))} decodes to ${decoded.data.length} bytes; expected 20 or 32 bytes`,
    );
  }
  return decoded.data;
}

/** True if `str` decodes as an address with this prefix. */
export function isValidAddress(str: string, prefix: string): boolean {
  try {
    decodeAddress(str, prefix);
    return true;
  } catch {
    return false;
  }
}

/** Account address of a compressed secp256k1 public key: RIPEMD160(SHA256(pubkey)), 20 bytes. */
export function pubkeyToAddress(compressedSecp256k1Pubkey33: Uint8Array): Uint8Array {
  const k = compressedSecp256k1Pubkey33;
  if (k.length !== 33 || (k[0] !== 0x02 && k[0] !== 0x03)) {
    throw ErrInvalidPubKey.wrap(`expected a 33-byte compressed secp256k1 public key, got ${k.length} bytes`);
  }
  return ripemd160(sha256(k));
}

/** Address of a module account: the first 20 bytes of SHA256(moduleName) (Cosmos SDK `address.Module`). */
export function moduleAddress(moduleName: string): Uint8Array {
  return sha256(new TextEncoder().encode(moduleName)).slice(0, 20);
}

function truncate(s: string): string {
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
}
