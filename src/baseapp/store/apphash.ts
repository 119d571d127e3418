import { createHash } from "node:crypto";

import { EMPTY, keyString } from "./bytes";
import type { Write } from "./cachekv";

/**
 * The app hash: a hash chain over each block's write set.
 *
 *   appHash(0) = ""                      (nothing committed: the empty byte string)
 *   appHash(h) = SHA-256( "dcert-apphash-v1" || uint64be(h) || appHash(prev) || writeSetHash(h) )
 *   writeSetHash(h) = SHA-256( enc(w1) || enc(w2) || … || enc(wn) )
 *   enc(w) = uvarint(len(key)) || key || op || uvarint(len(value)) || value
 *            op = 0x01 for a set, 0x00 for a delete (a delete has an empty value)
 *
 * where w1 … wn are the block's writes (the final write per key) in strictly ascending unsigned
 * byte order of key, and `prev` is the previously committed height. The genesis (InitChain) writes
 * are committed at the chain's initial height with appHash(prev) = "".
 *
 * Why this construction:
 * - It commits to all state: state at height h is a function of the genesis and the write sets of
 *   every block up to h, and appHash(h) commits to all of them through the chain.
 * - It costs O(writes in the block), never O(total state): no tree over the whole state is kept.
 * - Encodings are unambiguous: each write is length-prefixed, the domain tag and height have fixed
 *   sizes, appHash(prev) is either empty (first commit) or 32 bytes and writeSetHash is always 32
 *   bytes, so distinct (height, prev, write set) triples never produce the same preimage.
 * - Canonical: the writes are hashed in key order, so the order in which a block made them, and
 *   the store engine, do not matter; two stores fed the same writes produce the same hash.
 *
 * Trade-off: unlike an IAVL/Merkle root this gives no inclusion proofs; it only lets nodes agree
 * on state (CometBFT compares it across validators and after crash replay).
 */
export const APP_HASH_DOMAIN = "dcert-apphash-v1";
const DOMAIN_BYTES = Buffer.from(APP_HASH_DOMAIN, "ascii");

export const OP_DELETE = 0;
export const OP_SET = 1;

/** A uvarint of a JS array length (< 2^53) takes at most 8 bytes. */
const MAX_UVARINT_BYTES = 8;

function putUvarint(buf: Buffer, off: number, n: number): number {
  while (n >= 0x80) {
    buf[off++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[off++] = n;
  return off;
}

function readUvarint(buf: Uint8Array, off: number): [number, number] {
  let n = 0;
  let mul = 1;
  for (let i = 0; i < 8; i++) {
    if (off >= buf.length) throw new RangeError("write set: truncated uvarint");
    const b = buf[off++] as number;
    n += (b & 0x7f) * mul;
    if (b < 0x80) return [n, off];
    mul *= 0x80;
  }
  throw new RangeError("write set: uvarint too long");
}

/**
 * Encodes a write set given as ascending key strings and a map from key string to value (null =
 * delete); keys missing from the map are skipped. The caller guarantees the order (CacheKV's
 * sorted keys). Returns one buffer, hashed with a single update and stored as is (the LMDB
 * store's write-ahead log record).
 *
 * PERF: one pass over the writes into a buffer sized by a guess and doubled when short: reading
 * 12,000 scattered keys and values is memory-bound, so a separate sizing pass costs nearly as
 * much as the copy itself.
 */
export function encodeSortedWrites(keys: readonly string[], map: ReadonlyMap<string, Uint8Array | null>): Buffer {
  let buf = Buffer.allocUnsafe(Math.max(256, keys.length * 128));
  let off = 0;
  for (const k of keys) {
    const v = map.get(k);
    if (v === undefined) continue;
    const klen = k.length;
    const vlen = v === null ? 0 : v.length;
    const need = off + 2 * MAX_UVARINT_BYTES + klen + 1 + vlen;
    if (need > buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, buf.length * 2));
      buf.copy(bigger, 0, 0, off);
      buf = bigger;
    }
    off = putUvarint(buf, off, klen);
    off += buf.write(k, off, klen, "latin1");
    if (v === null) {
      buf[off++] = OP_DELETE;
      buf[off++] = 0;
    } else {
      buf[off++] = OP_SET;
      off = putUvarint(buf, off, vlen);
      buf.set(v, off);
      off += vlen;
    }
  }
  return buf.subarray(0, off);
}

/**
 * Encodes writes given as byte keys. Throws unless keys are strictly ascending (unique) in
 * unsigned byte order: the encoding is canonical only in that order.
 */
export function encodeWriteSet(writes: readonly Write[]): Buffer {
  const keys: string[] = [];
  const map = new Map<string, Uint8Array | null>();
  let prev: string | undefined;
  for (const w of writes) {
    const k = keyString(w.key);
    if (prev !== undefined && !(prev < k)) throw new RangeError("write set keys must be strictly ascending");
    prev = k;
    keys.push(k);
    map.set(k, w.value === undefined ? null : w.value);
  }
  return encodeSortedWrites(keys, map);
}

/** Decodes an encoded write set (values are views into `buf`). Throws on malformed input. */
export function decodeWriteSet(buf: Uint8Array): Write[] {
  const out: Write[] = [];
  let off = 0;
  while (off < buf.length) {
    let klen: number;
    let vlen: number;
    [klen, off] = readUvarint(buf, off);
    if (off + klen + 1 > buf.length) throw new RangeError("write set: truncated key");
    const key = buf.subarray(off, off + klen);
    off += klen;
    const op = buf[off++];
    [vlen, off] = readUvarint(buf, off);
    if (off + vlen > buf.length) throw new RangeError("write set: truncated value");
    if (op === OP_SET) out.push({ key, value: buf.subarray(off, off + vlen) });
    else if (op === OP_DELETE && vlen === 0) out.push({ key, value: undefined });
    else throw new RangeError(`write set: bad op ${String(op)} (value length ${vlen})`);
    off += vlen;
  }
  return out;
}

/** SHA-256 of an encoded write set. */
export function writeSetHash(encoded: Uint8Array): Buffer {
  return createHash("sha256").update(encoded).digest();
}

/** appHash(h) from the height, the previous app hash and the block's write-set hash. */
export function chainAppHash(height: bigint, prevAppHash: Uint8Array, wsHash: Uint8Array): Buffer {
  if (height < 1n || height >= 1n << 64n) throw new RangeError(`app hash: height ${height} out of range`);
  if (prevAppHash.length !== 0 && prevAppHash.length !== 32) {
    throw new RangeError(`app hash: previous app hash must be empty or 32 bytes, got ${prevAppHash.length}`);
  }
  if (wsHash.length !== 32) throw new RangeError("app hash: write-set hash must be 32 bytes");
  const h = Buffer.allocUnsafe(8);
  h.writeBigUInt64BE(height);
  return createHash("sha256").update(DOMAIN_BYTES).update(h).update(prevAppHash).update(wsHash).digest();
}

/** appHash(h) for a list of writes in strictly ascending key order (convenience for tools/tests). */
export function computeAppHash(height: bigint, prevAppHash: Uint8Array, writes: readonly Write[]): Buffer {
  return chainAppHash(height, prevAppHash, writeSetHash(encodeWriteSet(writes)));
}

/** The app hash before anything is committed. */
export const INITIAL_APP_HASH: Uint8Array = EMPTY;
