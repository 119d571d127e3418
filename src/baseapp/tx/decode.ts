/**
 * Transaction decoding: bytes from CometBFT → a checked, typed transaction. Every failure is a
 * registered ChainError (never a raw exception), since any byte string may arrive in CheckTx or
 * FinalizeBlock (docs/design.md §9).
 *
 * What is checked here is what needs no state: envelope structure (strict wire format), at least
 * one message, a fee, a signature per signer info, a known sign mode, a well-formed public key
 * when one is given, fee amounts that are integers, no extension options. Signature verification,
 * account numbers/sequences, signer ↔ message matching, fee sufficiency and the signature count
 * limit are the ante handler's.
 */
import { AuthInfo, TxBody, TxRaw, type ModeInfo_Multi, type SignerInfo } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import {
  ChainError,
  ErrInvalidCoins,
  ErrInvalidPubKey,
  ErrInvalidRequest,
  ErrNoSignatures,
  ErrNotSupported,
  ErrTxDecode,
  ErrUnauthorized,
  ErrUnknownExtensionOptions,
} from "../errors";
import { sha256 } from "./hash";
import { readerOver } from "../perf";
import { decodeMultiSignature, decodeMultisigPubKeyAny, isMultisigPubKeyAny, type BitArray, type MultisigPubKey } from "./multisig";
import { decodePubKeyAny } from "./pubkey";
import { isDecodableSignMode, SIGN_MODE_LEGACY_AMINO_JSON, SIGN_MODE_UNSPECIFIED, signModeName, type DecodableSignMode } from "./sigmodes";
import { AuthInfoSchema, TxBodySchema, TxRawSchema, checkMessage, type MessageSchema } from "./wire";

/** The SDK's MaxGasWanted: gas limits must fit in an int64. */
export const MAX_GAS_WANTED = (1n << 63n) - 1n;

/** Fee amounts are sdk.Int, at most 256 bits. */
const MAX_INT_BITS = 256;

export interface DecodedSigner {
  /** The 33-byte compressed secp256k1 key, if the tx carries one (it may be omitted once the account has one). */
  readonly publicKey: Uint8Array | undefined;
  /** A multisig signer's key, if the tx carries one (a multisig signer's `publicKey` is undefined). */
  readonly multisigKey?: MultisigPubKey;
  /** Set for a multisig signer (ModeInfo.Multi): who signed, and the signatures of its MultiSignature. */
  readonly multi?: { readonly bitarray: BitArray; readonly signatures: readonly Uint8Array[] };
  readonly sequence: bigint;
  /**
   * DIRECT or LEGACY_AMINO_JSON; or UNSPECIFIED, which CosmJS uses in the unsigned txs it sends to
   * Simulate. Signature verification must reject UNSPECIFIED (signBytesFor does).
   */
  readonly signMode: DecodableSignMode;
}

export interface DecodedCoin {
  readonly denom: string;
  readonly amount: bigint;
}

export interface DecodedFee {
  /** In the order the tx lists them; validity as a coin set (sorted, unique, valid denoms) is not checked here. */
  readonly amount: readonly DecodedCoin[];
  readonly gasLimit: bigint;
  /** Empty when not set. */
  readonly payer: string;
  /** Empty when not set. */
  readonly granter: string;
}

export interface DecodedTx {
  /** The bytes as received (not copied: callers must not mutate them). */
  readonly raw: Uint8Array;
  readonly bodyBytes: Uint8Array;
  readonly authInfoBytes: Uint8Array;
  readonly signatures: readonly Uint8Array[];
  readonly body: TxBody;
  readonly authInfo: AuthInfo;
  /** One per `authInfo.signerInfos` entry, same order; parallel to `signatures`. */
  readonly signers: readonly DecodedSigner[];
  readonly fee: DecodedFee;
}

/**
 * The CometBFT transaction hash of a decoded tx: SHA-256 of its bytes. PERF: computed on demand;
 * decoding every tx used to hash it (a few µs a tx, more for large ones) for nothing that read it.
 */
export function txHash(tx: DecodedTx): Uint8Array {
  return sha256(tx.raw);
}

function parse<T>(bytes: Uint8Array, s: MessageSchema, what: string, decode: (b: Uint8Array) => T): T {
  checkMessage(bytes, s, what);
  try {
    return decode(bytes);
  } catch (e) {
    // The wire check above should make this unreachable; keep the contract regardless.
    throw ErrTxDecode.wrap(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function parseFeeAmount(amount: string, denom: string, index: number): bigint {
  if (!/^(0|[1-9][0-9]*)$/.test(amount)) {
    throw ErrInvalidCoins.wrap(
      `fee amount #${index} (${JSON.stringify(amount.slice(0, 80))}${denom}) must be a canonical non-negative integer (no leading zeros, sign or spaces)`,
    );
  }
  const v = BigInt(amount);
  if (v.toString(2).length > MAX_INT_BITS) {
    throw ErrInvalidCoins.wrap(`fee amount #${index} of ${denom} exceeds ${MAX_INT_BITS} bits`);
  }
  return v;
}

/**
 * A multisig signer: a LegacyAminoPubKey (or none, once the account stores it), a bit array, one
 * nested single mode info per signature, all SIGN_MODE_LEGACY_AMINO_JSON (or all UNSPECIFIED, for
 * simulation), and a MultiSignature as the tx signature.
 */
function decodeMultiSigner(si: SignerInfo, multi: ModeInfo_Multi, signature: Uint8Array, i: number): DecodedSigner {
  const where = `signer_infos[${i}]`;
  if (multi.bitarray === undefined) throw ErrTxDecode.wrap(`${where}.mode_info.multi.bitarray is missing`);
  let mode: DecodableSignMode | undefined;
  multi.modeInfos.forEach((m, j) => {
    if (m.multi !== undefined) throw ErrNotSupported.wrap(`${where}.mode_info.multi.mode_infos[${j}] is a nested multisig; nested multisig keys are not supported`);
    if (m.single === undefined) throw ErrTxDecode.wrap(`${where}.mode_info.multi.mode_infos[${j}] is empty`);
    const nested = m.single.mode;
    if (nested !== SIGN_MODE_LEGACY_AMINO_JSON && nested !== SIGN_MODE_UNSPECIFIED) {
      throw ErrNotSupported.wrap(`${where}: multisig signatures must use SIGN_MODE_LEGACY_AMINO_JSON (127), got ${signModeName(nested)}`);
    }
    if (mode !== undefined && mode !== nested) throw ErrTxDecode.wrap(`${where}: the nested mode infos of a multisig mix sign modes`);
    mode = nested;
  });
  const signatures = decodeMultiSignature(signature, `${where} MultiSignature`);
  if (signatures.length !== multi.modeInfos.length) {
    throw ErrTxDecode.wrap(`${where}: the MultiSignature holds ${signatures.length} signatures but mode_info.multi has ${multi.modeInfos.length} mode infos`);
  }
  let multisigKey: MultisigPubKey | undefined;
  if (si.publicKey !== undefined) {
    if (!isMultisigPubKeyAny(si.publicKey)) throw ErrInvalidPubKey.wrap(`${where} uses a multi mode info but its public key is ${si.publicKey.typeUrl.slice(0, 100)}, not a multisig key`);
    multisigKey = decodeMultisigPubKeyAny(si.publicKey);
  }
  return {
    publicKey: undefined,
    ...(multisigKey !== undefined ? { multisigKey } : {}),
    multi: { bitarray: { extraBitsStored: multi.bitarray.extraBitsStored, elems: multi.bitarray.elems }, signatures },
    sequence: si.sequence,
    signMode: mode ?? SIGN_MODE_UNSPECIFIED,
  };
}

function decodeUnchecked(bytes: Uint8Array): DecodedTx {
  if (bytes.length === 0) throw ErrTxDecode.wrap("empty transaction bytes");

  const raw = parse(bytes, TxRawSchema, "TxRaw", (b) => TxRaw.decode(readerOver(b)));
  if (raw.bodyBytes.length === 0) throw ErrTxDecode.wrap("TxRaw.body_bytes is empty");
  if (raw.authInfoBytes.length === 0) throw ErrTxDecode.wrap("TxRaw.auth_info_bytes is empty");
  const body = parse(raw.bodyBytes, TxBodySchema, "TxBody", (b) => TxBody.decode(readerOver(b)));
  const authInfo = parse(raw.authInfoBytes, AuthInfoSchema, "AuthInfo", (b) => AuthInfo.decode(readerOver(b)));

  // ---- body
  if (body.extensionOptions.length > 0 || body.nonCriticalExtensionOptions.length > 0) {
    const urls = [...body.extensionOptions, ...body.nonCriticalExtensionOptions].map((a) => a.typeUrl.slice(0, 100));
    throw ErrUnknownExtensionOptions.wrap(`this chain accepts no extension options, got ${urls.join(", ")}`);
  }
  if (body.messages.length === 0) throw ErrInvalidRequest.wrap("must contain at least one message");
  body.messages.forEach((m, i) => {
    if (m.typeUrl.length === 0) throw ErrTxDecode.wrap(`message #${i} has an empty type_url`);
  });
  if (body.unordered) {
    throw ErrNotSupported.wrap("unordered transactions are not supported; set unordered=false and use the account sequence");
  }
  if (body.timeoutTimestamp !== undefined) {
    throw ErrNotSupported.wrap("timeout_timestamp is not supported; use timeout_height instead");
  }

  // ---- auth info
  if (authInfo.tip !== undefined) throw ErrNotSupported.wrap("tips are not supported; remove auth_info.tip");
  const feeMsg = authInfo.fee;
  if (feeMsg === undefined) throw ErrTxDecode.wrap("auth_info.fee is missing; every transaction needs a fee (gas limit and amount)");
  if (feeMsg.gasLimit > MAX_GAS_WANTED) {
    throw ErrInvalidRequest.wrap(`invalid gas supplied; ${feeMsg.gasLimit} > ${MAX_GAS_WANTED}`);
  }
  const fee: DecodedFee = {
    amount: feeMsg.amount.map((c, i) => ({ denom: c.denom, amount: parseFeeAmount(c.amount, c.denom, i) })),
    gasLimit: feeMsg.gasLimit,
    payer: feeMsg.payer,
    granter: feeMsg.granter,
  };

  if (raw.signatures.length === 0) throw ErrNoSignatures.wrap("the transaction carries no signatures");
  if (authInfo.signerInfos.length !== raw.signatures.length) {
    throw ErrUnauthorized.wrap(
      `wrong number of signatures; auth_info has ${authInfo.signerInfos.length} signer infos but the tx carries ${raw.signatures.length} signatures`,
    );
  }
  const signers = authInfo.signerInfos.map((si, i): DecodedSigner => {
    const mi = si.modeInfo;
    if (mi === undefined || (mi.single === undefined && mi.multi === undefined)) {
      throw ErrTxDecode.wrap(`signer_infos[${i}].mode_info is missing`);
    }
    if (mi.single !== undefined && mi.multi !== undefined) {
      throw ErrTxDecode.wrap(`signer_infos[${i}].mode_info sets both single and multi`);
    }
    if (mi.multi !== undefined) return decodeMultiSigner(si, mi.multi, raw.signatures[i] as Uint8Array, i);
    if (mi.single === undefined) throw ErrTxDecode.wrap(`signer_infos[${i}].mode_info is missing`);
    const mode = mi.single.mode;
    if (!isDecodableSignMode(mode)) {
      throw ErrNotSupported.wrap(
        `signer_infos[${i}] uses ${signModeName(mode)}; use SIGN_MODE_DIRECT (1) or SIGN_MODE_LEGACY_AMINO_JSON (127)`,
      );
    }
    const publicKey = si.publicKey === undefined ? undefined : decodePubKeyAny(si.publicKey);
    return { publicKey, sequence: si.sequence, signMode: mode };
  });

  return {
    raw: bytes,
    bodyBytes: raw.bodyBytes,
    authInfoBytes: raw.authInfoBytes,
    signatures: raw.signatures,
    body,
    authInfo,
    signers,
    fee,
  };
}

/**
 * Decodes and structurally checks a transaction. Throws only ChainError: ErrTxDecode (2) for
 * malformed bytes, ErrInvalidRequest (18) for no messages or an oversized gas limit, ErrNoSignatures
 * (15), ErrUnauthorized (4) for a signer info / signature count mismatch, ErrUnknownExtensionOptions
 * (31), ErrNotSupported (37) for nested multisig, unsupported sign modes, tips, unordered or timestamp-timeout
 * txs, ErrInvalidPubKey (8) for a malformed key, ErrInvalidCoins (10) for a non-integer fee amount.
 */
export function decodeTx(bytes: Uint8Array): DecodedTx {
  try {
    return decodeUnchecked(bytes);
  } catch (e) {
    if (e instanceof ChainError) throw e;
    throw ErrTxDecode.wrap(`could not decode transaction: ${e instanceof Error ? e.message : String(e)}`);
  }
}
