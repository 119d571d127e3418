/**
 * Account public keys as carried in `SignerInfo.public_key` (a protobuf `Any`): single secp256k1
 * keys in their 33-byte compressed form here; multisig keys (LegacyAminoPubKey) in multisig.ts.
 */
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { ChainError, ErrInvalidPubKey, ErrNotSupported } from "../errors";
import { Secp256k1PubKeySchema, checkMessage } from "./wire";

export const SECP256K1_PUBKEY_TYPE_URL = "/cosmos.crypto.secp256k1.PubKey";

/** Key types a Cosmos wallet may send that this chain deliberately does not support for accounts. */
const UNSUPPORTED_KEY_TYPES: ReadonlyMap<string, string> = new Map(Object.entries({
  "/cosmos.crypto.multisig.LegacyAminoPubKey":
    "a multisig key signs with a multi mode info (ModeInfo.Multi), not a single one",
  "/cosmos.crypto.multisig.v1beta1.MultiSignature":
    "a MultiSignature is a signature, not a public key",
  "/cosmos.crypto.ed25519.PubKey":
    "ed25519 account keys are not supported (ed25519 is only for validator consensus keys); sign with a secp256k1 key",
  "/cosmos.crypto.secp256r1.PubKey": "secp256r1 account keys are not supported; sign with a secp256k1 key",
  "/ethermint.crypto.v1.ethsecp256k1.PubKey":
    "eth_secp256k1 (Ethereum-style) account keys are not supported; sign with a Cosmos secp256k1 key (coin type 118)",
  "/cosmos.evm.crypto.v1.ethsecp256k1.PubKey":
    "eth_secp256k1 (Ethereum-style) account keys are not supported; sign with a Cosmos secp256k1 key (coin type 118)",
}));

/** True for a 33-byte SEC1 compressed point encoding (prefix 0x02 or 0x03). Does not check the point is on the curve. */
export function isCompressedSecp256k1(key: Uint8Array): boolean {
  return key.length === 33 && (key[0] === 0x02 || key[0] === 0x03);
}

/**
 * Decodes a signer's public key `Any` to the 33-byte compressed secp256k1 key.
 * Throws ErrNotSupported for multisig / ed25519 / other known key types, ErrInvalidPubKey otherwise.
 */
export function decodePubKeyAny(any: Any): Uint8Array {
  if (any.typeUrl !== SECP256K1_PUBKEY_TYPE_URL) {
    const unsupported = UNSUPPORTED_KEY_TYPES.get(any.typeUrl);
    if (unsupported !== undefined) {
      throw ErrNotSupported.wrap(`public key type ${any.typeUrl}: ${unsupported}`);
    }
    throw ErrInvalidPubKey.wrap(
      `unknown public key type ${JSON.stringify(any.typeUrl.slice(0, 200))}; expected ${SECP256K1_PUBKEY_TYPE_URL}`,
    );
  }
  let key: Uint8Array;
  try {
    checkMessage(any.value, Secp256k1PubKeySchema);
    key = Secp256k1PubKey.decode(any.value).key;
  } catch (e) {
    const why = e instanceof ChainError ? e.message : e instanceof Error ? e.message : String(e);
    throw ErrInvalidPubKey.wrap(`malformed ${SECP256K1_PUBKEY_TYPE_URL}: ${why}`);
  }
  if (key.length !== 33) {
    throw ErrInvalidPubKey.wrap(`secp256k1 public key must be 33 bytes (compressed), got ${key.length}`);
  }
  if (!isCompressedSecp256k1(key)) {
    throw ErrInvalidPubKey.wrap(`secp256k1 public key must start with 0x02 or 0x03 (compressed), got 0x${key[0]?.toString(16).padStart(2, "0")}`);
  }
  return key;
}

/** Encodes a compressed secp256k1 key as the `Any` stored in accounts and sent in SignerInfo. */
export function encodeSecp256k1PubKeyAny(key33: Uint8Array): Any {
  if (!isCompressedSecp256k1(key33)) {
    throw ErrInvalidPubKey.wrap(`expected a 33-byte compressed secp256k1 public key, got ${key33.length} bytes`);
  }
  return {
    typeUrl: SECP256K1_PUBKEY_TYPE_URL,
    value: Secp256k1PubKey.encode(Secp256k1PubKey.fromPartial({ key: key33 })).finish(),
  };
}
