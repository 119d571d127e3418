/** Small, allocation-light byte helpers used by keepers for store keys and values. */
import { BinaryWriter } from "@bufbuild/protobuf/wire";

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

/**
 * UTF-8 bytes of `s`. PERF: store keys and amounts are short ASCII strings, for which a plain
 * loop is several times cheaper than a TextEncoder call; anything else goes to TextEncoder, so
 * the bytes are always TextEncoder's (lone surrogates become U+FFFD).
 */
export function utf8(s: string): Uint8Array {
  const n = s.length;
  if (n > 64) return enc.encode(s);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return enc.encode(s);
    out[i] = c;
  }
  return out;
}

export function fromUtf8(b: Uint8Array): string {
  return dec.decode(b);
}

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function u64be(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, v));
  return out;
}

export function readU64be(b: Uint8Array, offset = 0): bigint {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(offset);
}

/** Length-prefixed bytes (1-byte length), as the SDK does for addresses in composite keys. */
/**
 * The key `prefix` byte, then `b` (length-prefixed when `lengthPrefix`), then `tail`, built in one
 * allocation. PERF: the store keys every tx reads and writes (accounts, balances) were built from
 * three to five intermediate arrays each.
 */
export function prefixedKey(prefix: number, b: Uint8Array, lengthPrefix = false, tail?: Uint8Array): Uint8Array {
  if (lengthPrefix && b.length > 255) throw new Error("length-prefixed value longer than 255 bytes");
  const head = lengthPrefix ? 2 : 1;
  const out = new Uint8Array(head + b.length + (tail === undefined ? 0 : tail.length));
  out[0] = prefix;
  if (lengthPrefix) out[1] = b.length;
  out.set(b, head);
  if (tail !== undefined) out.set(tail, head + b.length);
  return out;
}

export function lengthPrefixed(b: Uint8Array): Uint8Array {
  if (b.length > 255) throw new Error("length-prefixed value longer than 255 bytes");
  const out = new Uint8Array(b.length + 1);
  out[0] = b.length;
  out.set(b, 1);
  return out;
}

/** Splits the concatenated length-prefixed parts that follow `skip` bytes of a key. */
export function splitLengthPrefixed(key: Uint8Array, skip: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = skip;
  while (i < key.length) {
    const len = key[i] ?? 0;
    out.push(key.subarray(i + 1, i + 1 + len));
    i += 1 + len;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  // PERF: past a few dozen bytes (whole txs) the native comparison wins over the loop.
  if (a.length > 64) return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

export function toBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");
}

export function fromBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "base64"));
}

/** A generated message type of this repository's protos (ts-proto over @bufbuild's wire writer). */
export interface ProtoEncoder<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
}

/** The writer `encodeReusing` lends out; undefined while lent. */
let spareWriter: BinaryWriter | undefined = new BinaryWriter();
/** A writer that grew past this (a rare large message) is not kept. */
const SPARE_WRITER_MAX_BYTES = 64 * 1024;

/**
 * `codec.encode(message).finish()`, byte for byte, through one writer kept between calls. PERF: a
 * new writer starts empty and doubles its buffer as it writes, so a 1.5 KB dCERT vote record took
 * five allocations and copies; the kept writer is already grown. `finish` copies the bytes out and
 * resets it. A nested call (none today) gets a fresh writer; a throwing encode drops the writer.
 */
export function encodeReusing<T>(codec: ProtoEncoder<T>, message: T): Uint8Array {
  const w = spareWriter;
  if (w === undefined) return codec.encode(message).finish();
  spareWriter = undefined;
  let out: Uint8Array;
  try {
    out = codec.encode(message, w).finish();
  } catch (e) {
    spareWriter = new BinaryWriter();
    throw e;
  }
  spareWriter = out.length > SPARE_WRITER_MAX_BYTES ? new BinaryWriter() : w;
  return out;
}
