/**
 * X25519 encryption keys of coordination parties (docs/coordination.md §4.1).
 *
 * `x25519PublicKeyError` runs in block execution (registering or rotating a party's key, coord:5):
 * pure, synchronous and deterministic. Key generation is for clients only (it draws randomness).
 */

type Ed25519Module = typeof import("@noble/curves/ed25519.js", { with: { "resolution-mode": "import" } });
// @noble/* ship as ESM only; the CommonJS build loads them through Node's require(esm), Jest
// transforms them (jest.config.js). A typed require keeps the types without an ESM import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { x25519 } = require("@noble/curves/ed25519.js") as Ed25519Module;

export const X25519_KEY_BYTES = 32;

/** 2^255 - 19, the field prime of Curve25519. */
const P = (1n << 255n) - 19n;

/**
 * u-coordinates (little-endian) of the points of small order (1, 2, 4, 8) on Curve25519 and its
 * twist that have a canonical encoding (u < p, high bit clear): 0, 1, the two points of order 8,
 * and p - 1. A key equal to one of them forces a predictable shared secret. Non-canonical
 * encodings of these (p, p + 1, high bit set) are refused by the canonical-encoding rule.
 */
const SMALL_ORDER_HEX: readonly string[] = [
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0100000000000000000000000000000000000000000000000000000000000000",
  "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
  "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
];

function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

function littleEndian(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] ?? 0);
  return n;
}

/**
 * Why a public key is unacceptable (length, non-canonical u ≥ 2^255-19 or high bit set, one of the
 * small-order points), or undefined if fine. Pure, sync, deterministic (chain uses it).
 */
export function x25519PublicKeyError(key: Uint8Array): string | undefined {
  if (!(key instanceof Uint8Array)) return "encryption public key must be bytes";
  if (key.length !== X25519_KEY_BYTES) {
    return `encryption public key must be ${X25519_KEY_BYTES} bytes (X25519), got ${key.length}`;
  }
  if (((key[31] ?? 0) & 0x80) !== 0) {
    return "encryption public key is not a canonical X25519 key: the highest bit of the last byte is set";
  }
  if (littleEndian(key) >= P) {
    return "encryption public key is not a canonical X25519 key: u-coordinate ≥ 2^255 - 19";
  }
  const hex = toHex(key);
  if (SMALL_ORDER_HEX.includes(hex)) {
    return "encryption public key is a small-order X25519 point (it would give a predictable shared secret): generate a real key";
  }
  return undefined;
}

export interface EncryptionKeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** A fresh random X25519 key pair (client only: draws randomness). */
export function generateEncryptionKeyPair(): EncryptionKeyPair {
  const { secretKey, publicKey } = x25519.keygen();
  return { secretKey: Uint8Array.from(secretKey), publicKey: Uint8Array.from(publicKey) };
}

/** The X25519 public key of a 32-byte secret key. */
export function encryptionPublicKey(secretKey: Uint8Array): Uint8Array {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== X25519_KEY_BYTES) {
    throw new RangeError(`encryption secret key must be ${X25519_KEY_BYTES} bytes (X25519)`);
  }
  return Uint8Array.from(x25519.getPublicKey(secretKey));
}
