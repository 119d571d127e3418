/**
 * Multisig accounts as the SDK has them: a `LegacyAminoPubKey` (threshold k of n secp256k1 keys),
 * signed with a `ModeInfo.Multi` (a `CompactBitArray` saying which keys signed, one nested mode
 * info per signature) and a `MultiSignature` (the signatures, in key order) as the tx signature.
 *
 * The account address is the SDK's: the first 20 bytes of SHA-256 over the key's amino binary
 * encoding. Nested multisig keys are not supported; every nested signature must be
 * SIGN_MODE_LEGACY_AMINO_JSON, the mode the SDK's `tx multisign` produces (a DIRECT signature
 * could not cover the final auth info, which only exists once the signatures are collected).
 */
import { pubkeyToRawAddress, type MultisigThresholdPubkey } from "@cosmjs/amino";
import { toBase64 } from "@cosmjs/encoding";
import { LegacyAminoPubKey } from "cosmjs-types/cosmos/crypto/multisig/keys";
import { MultiSignature } from "cosmjs-types/cosmos/crypto/multisig/v1beta1/multisig";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { ChainError, ErrInvalidPubKey, ErrNotSupported, ErrTxDecode, ErrUnauthorized } from "../errors";
import { decodePubKeyAny, encodeSecp256k1PubKeyAny, SECP256K1_PUBKEY_TYPE_URL } from "./pubkey";
import { AnySchema, checkMessage, schema } from "./wire";

export const LEGACY_AMINO_PUBKEY_TYPE_URL = "/cosmos.crypto.multisig.LegacyAminoPubKey";

/** The most keys one multisig key may hold (the SDK's keyring limit; the tx signature limit applies too). */
export const MAX_MULTISIG_KEYS = 20;

/** A k-of-n multisig key: `pubKeys` are 33-byte compressed secp256k1 keys, in the key's order. */
export interface MultisigPubKey {
  readonly threshold: number;
  readonly pubKeys: readonly Uint8Array[];
}

/** cosmos.crypto.multisig.v1beta1.CompactBitArray */
export interface BitArray {
  readonly extraBitsStored: number;
  readonly elems: Uint8Array;
}

const LegacyAminoPubKeySchema = schema("LegacyAminoPubKey", {
  1: { name: "threshold", kind: "varint" },
  2: { name: "public_keys", kind: AnySchema, repeated: true },
});

export const MultiSignatureSchema = schema("MultiSignature", {
  1: { name: "signatures", kind: "bytes", repeated: true },
});

/**
 * Decodes a `LegacyAminoPubKey` Any. Throws ErrInvalidPubKey for a malformed key or a threshold
 * outside 1..n, ErrNotSupported for a nested multisig or a non-secp256k1 member key.
 */
export function decodeMultisigPubKeyAny(any: Any): MultisigPubKey {
  if (any.typeUrl !== LEGACY_AMINO_PUBKEY_TYPE_URL) throw ErrInvalidPubKey.wrap(`expected ${LEGACY_AMINO_PUBKEY_TYPE_URL}, got ${JSON.stringify(any.typeUrl.slice(0, 200))}`);
  let key: LegacyAminoPubKey;
  try {
    checkMessage(any.value, LegacyAminoPubKeySchema);
    key = LegacyAminoPubKey.decode(any.value);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw ErrInvalidPubKey.wrap(`malformed ${LEGACY_AMINO_PUBKEY_TYPE_URL}: ${why}`);
  }
  const n = key.publicKeys.length;
  if (n === 0) throw ErrInvalidPubKey.wrap("a multisig key must hold at least one public key");
  if (n > MAX_MULTISIG_KEYS) throw ErrInvalidPubKey.wrap(`a multisig key holds at most ${MAX_MULTISIG_KEYS} public keys, got ${n}`);
  if (key.threshold < 1 || key.threshold > n) throw ErrInvalidPubKey.wrap(`multisig threshold must be between 1 and the number of keys (${n}), got ${key.threshold}`);
  const pubKeys = key.publicKeys.map((pk, i) => {
    if (pk.typeUrl === LEGACY_AMINO_PUBKEY_TYPE_URL) throw ErrNotSupported.wrap(`multisig public key #${i} is itself a multisig key; nested multisig keys are not supported`);
    try {
      return decodePubKeyAny(pk);
    } catch (e) {
      if (e instanceof ChainError) throw new ChainError(e.codespace, e.code, `multisig public key #${i}: ${e.message}`);
      throw e;
    }
  });
  return { threshold: key.threshold, pubKeys };
}

export function encodeMultisigPubKeyAny(key: MultisigPubKey): Any {
  return {
    typeUrl: LEGACY_AMINO_PUBKEY_TYPE_URL,
    value: LegacyAminoPubKey.encode({ threshold: key.threshold, publicKeys: key.pubKeys.map(encodeSecp256k1PubKeyAny) }).finish(),
  };
}

/** The key in CosmJS's amino form (what `createMultisigThresholdPubkey` returns). */
export function multisigToAmino(key: MultisigPubKey): MultisigThresholdPubkey {
  return {
    type: "tendermint/PubKeyMultisigThreshold",
    value: { threshold: String(key.threshold), pubkeys: key.pubKeys.map((k) => ({ type: "tendermint/PubKeySecp256k1", value: toBase64(k) })) },
  };
}

/** The account address bytes of a multisig key: SHA-256 of its amino encoding, first 20 bytes (as the SDK). */
export function multisigAddress(key: MultisigPubKey): Uint8Array {
  return pubkeyToRawAddress(multisigToAmino(key));
}

/** The number of bits a CompactBitArray holds; throws ErrTxDecode for an inconsistent one. */
export function bitArraySize(ba: BitArray): number {
  if (ba.extraBitsStored > 7) throw ErrTxDecode.wrap(`compact bit array: extra_bits_stored must be below 8, got ${ba.extraBitsStored}`);
  if (ba.elems.length === 0) {
    if (ba.extraBitsStored !== 0) throw ErrTxDecode.wrap("compact bit array: extra bits stored without any element byte");
    return 0;
  }
  return ba.extraBitsStored === 0 ? ba.elems.length * 8 : (ba.elems.length - 1) * 8 + ba.extraBitsStored;
}

/** Bit `i` of a CompactBitArray (most significant bit of each byte first, as the SDK). */
export function bitArrayGet(ba: BitArray, i: number): boolean {
  const byte = ba.elems[i >> 3] ?? 0;
  return (byte & (1 << (7 - (i & 7)))) !== 0;
}

/** A CompactBitArray of `size` bits with `set` indices set. */
export function makeBitArray(size: number, set: readonly number[]): BitArray {
  const elems = new Uint8Array(Math.ceil(size / 8));
  for (const i of set) elems[i >> 3] = (elems[i >> 3] ?? 0) | (1 << (7 - (i & 7)));
  return { extraBitsStored: size % 8, elems };
}

/** The signatures of a `MultiSignature` (the tx signature of a multisig signer); throws ErrTxDecode. */
export function decodeMultiSignature(bytes: Uint8Array, what: string): Uint8Array[] {
  checkMessage(bytes, MultiSignatureSchema, what);
  try {
    return MultiSignature.decode(bytes).signatures;
  } catch (e) {
    throw ErrTxDecode.wrap(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Verifies a multisig signature as the SDK's `LegacyAminoPubKey.VerifyMultisignature`: the bit
 * array has one bit per key, at least `threshold` bits are set, there is exactly one signature per
 * set bit, and each verifies against its key over `signBytes`. `verify` checks one secp256k1
 * signature. Throws ErrUnauthorized saying which rule failed.
 */
export function verifyMultisig(
  key: MultisigPubKey,
  bitarray: BitArray,
  signatures: readonly Uint8Array[],
  signBytes: Uint8Array,
  verify: (signature: Uint8Array, signBytes: Uint8Array, pubKey: Uint8Array) => boolean,
): void {
  const n = key.pubKeys.length;
  const size = bitArraySize(bitarray);
  if (size !== n) throw ErrUnauthorized.wrap(`multisig bit array has ${size} bits but the key holds ${n} public keys`);
  const signed: number[] = [];
  for (let i = 0; i < n; i++) if (bitArrayGet(bitarray, i)) signed.push(i);
  if (signed.length < key.threshold) throw ErrUnauthorized.wrap(`multisig needs ${key.threshold} signatures, the bit array marks ${signed.length}`);
  if (signatures.length !== signed.length) throw ErrUnauthorized.wrap(`multisig bit array marks ${signed.length} signers but the multisignature holds ${signatures.length} signatures`);
  signed.forEach((keyIndex, j) => {
    const pk = key.pubKeys[keyIndex] as Uint8Array;
    if (!verify(signatures[j] as Uint8Array, signBytes, pk)) {
      throw ErrUnauthorized.wrap(`multisig signature #${j} (key #${keyIndex}) does not verify`);
    }
  });
}

/** True for the type URL of a multisig key. */
export function isMultisigPubKeyAny(any: Any | undefined): boolean {
  return any?.typeUrl === LEGACY_AMINO_PUBKEY_TYPE_URL;
}

export { SECP256K1_PUBKEY_TYPE_URL };
