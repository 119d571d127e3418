/**
 * Bench-only key material and tx signing with native libsecp256k1, so pre-signing tens of
 * thousands of txs takes seconds. Keys come from a seeded hash chain: the bench is repeatable.
 */
import { createHash } from "node:crypto";
import secp256k1 from "secp256k1";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { encodeAddress, pubkeyToAddress } from "../../src/baseapp/tx/address";
import { BECH32_PREFIX, DEFAULT_DENOM } from "../../src/baseapp/tx/constants";
import { directSignBytes } from "../../src/baseapp/tx/signdoc";

export interface BenchKey {
  readonly priv: Uint8Array;
  readonly pub: Uint8Array;
  readonly address: string;
}

export function benchKeys(n: number, seed = "dcert-bench"): BenchKey[] {
  const out: BenchKey[] = [];
  let h = createHash("sha256").update(seed).digest();
  while (out.length < n) {
    h = createHash("sha256").update(h).digest();
    if (!secp256k1.privateKeyVerify(h)) continue;
    const priv = new Uint8Array(h);
    const pub = secp256k1.publicKeyCreate(priv, true);
    out.push({ priv, pub, address: encodeAddress(pubkeyToAddress(pub), BECH32_PREFIX) });
  }
  return out;
}

export interface SendSpec {
  readonly from: BenchKey;
  readonly to: string;
  readonly amount: bigint;
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  readonly fee: bigint;
  readonly gas: bigint;
  /** The amount's and the fee's denom; default this chain's. */
  readonly denom?: string;
}

/** A SIGN_MODE_DIRECT-signed MsgSend, byte-identical to what CosmJS would produce for the same inputs. */
export function signedSend(s: SendSpec): Uint8Array {
  const msg = MsgSend.encode({ fromAddress: s.from.address, toAddress: s.to, amount: [{ denom: s.denom ?? DEFAULT_DENOM, amount: s.amount.toString() }] }).finish();
  return signedTx({ ...s, msgs: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: msg }] });
}

export interface TxSpec {
  readonly from: BenchKey;
  /** Messages as Any: type URL and protobuf bytes. */
  readonly msgs: readonly { readonly typeUrl: string; readonly value: Uint8Array }[];
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  /** Fee in the chain denom; 0 for none. */
  readonly fee: bigint;
  readonly gas: bigint;
  /** The fee's denom; default this chain's. */
  readonly denom?: string;
}

/** A SIGN_MODE_DIRECT-signed tx of any messages (one signer), as CosmJS would sign it. */
export function signedTx(s: TxSpec): Uint8Array {
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: s.msgs.map((m) => ({ typeUrl: m.typeUrl, value: m.value })), memo: "" })).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key: s.from.pub }).finish() },
          modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
          sequence: s.sequence,
        },
      ],
      fee: { amount: s.fee === 0n ? [] : [{ denom: s.denom ?? DEFAULT_DENOM, amount: s.fee.toString() }], gasLimit: s.gas },
    }),
  ).finish();
  const digest = createHash("sha256").update(directSignBytes(bodyBytes, authInfoBytes, s.chainId, s.accountNumber)).digest();
  const { signature } = secp256k1.ecdsaSign(digest, s.from.priv);
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signature] }).finish();
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}
