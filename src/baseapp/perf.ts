import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { utf8Read } from "cosmjs-types/utf8";
import { fixCosmjsInt64Writer } from "../types/int64writer";
import { TwoGenerationCache } from "./store/generations";

export { TwoGenerationCache };

/**
 * Patches cosmjs-types' protobuf writer and reader, once per thread, before anything encodes:
 *
 * - **A fix: 64-bit varints in [2^31, 2^32)** (`fixCosmjsInt64Writer`, src/types/int64writer.ts).
 *   cosmjs-types wrote them so that Go's decoders refuse them; a ResponseCheckTx or ExecTxResult
 *   whose gas_wanted is the gas limit a tx names, e.g. 3,000,000,000, stopped CometBFT
 *   ("ResponseCheckTx: illegal tag 0"): one unsigned tx stopped every node it reached (RPC or
 *   P2P), and where block.max_gas allowed such a limit a proposer could stop every node with it.
 * - cosmjs-types' `BinaryWriter.alloc` builds a new 8 KiB slab pool on every call, so each small
 *   `encode().finish()` allocates 8 KiB: about an eighth of block-execution time went there. A
 *   plain exact-size allocation gives byte-identical output.
 * - The string fast paths below.
 */
let installed = false;
export function installEncodingFastPath(): void {
  if (installed) return;
  installed = true;
  fixCosmjsInt64Writer();
  BinaryWriter.alloc = (size: number): Uint8Array => new Uint8Array(size);
  BinaryReader.prototype.string = readString;
  const plainString = BinaryWriter.prototype.string;
  BinaryWriter.prototype.string = function writeString(this: BinaryWriter, value: string): BinaryWriter {
    if (value.length <= NATIVE_STRING_MIN || !isWellFormed(value)) return plainString.call(this, value);
    const len = Buffer.byteLength(value, "utf8");
    return (this as unknown as PushingWriter).uint32(len)._push(writeUtf8, len, value);
  };
}

/**
 * `BinaryWriter#string` measures and writes a string with JavaScript loops over its characters:
 * about 3.5 µs for the 1.4 KB JSON of a 16-entry vote's `entries` attribute, which every MsgVote
 * puts in the FinalizeBlock response; Node's native UTF-8 encoder takes about 0.2 µs. Shorter
 * strings (addresses, denoms) stay on the loop, which costs no more than the native call. For a
 * well-formed string both write standard UTF-8, so the bytes are the same; a string with a lone
 * surrogate, which the two encode differently, keeps the loop.
 */
export const NATIVE_STRING_MIN = 64;
const textEncoder = new TextEncoder();

interface PushingWriter {
  uint32(value: number): PushingWriter;
  _push(fn: (val: string, buf: Uint8Array, pos: number) => void, len: number, val: string): BinaryWriter;
}

function writeUtf8(val: string, buf: Uint8Array, pos: number): void {
  textEncoder.encodeInto(val, buf.subarray(pos));
}

/** `String.prototype.isWellFormed` (ES2024; Node 20 has it): no lone surrogates. */
export function isWellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * A cosmjs-types reader over `buf` itself. The class's constructor copies its input (one
 * allocation and copy per decode, about 0.6 µs for a 1.3 KB tx, and a tx is decoded in three
 * parts); decoded `bytes` fields then share `buf`'s memory, so the caller must not change it.
 */
export function readerOver(buf: Uint8Array): BinaryReader {
  return new SharedBytesReader(buf);
}

class SharedBytesReader extends BinaryReader {
  constructor(buf: Uint8Array) {
    super();
    this.buf = buf;
    this.len = buf.length;
  }
}

/**
 * `BinaryReader#string`, with a fast path for ASCII. cosmjs-types decodes every string through
 * temporary arrays of char codes (about a tenth of what decoding a tx allocates); an all-ASCII
 * string (addresses, denoms, amounts, type URLs) is its bytes as char codes, which is what the
 * fast path returns. Anything else goes through cosmjs-types' own decoder, so every input
 * decodes exactly as before.
 */
function readString(this: BinaryReader): string {
  const bytes = this.bytes();
  const n = bytes.length;
  if (n === 0 || n > 4096) return utf8Read(bytes, 0, n);
  for (let i = 0; i < n; i++) if ((bytes[i] as number) >= 0x80) return utf8Read(bytes, 0, n);
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/** A bounded memo for pure conversions (bech32 ↔ bytes), kept in a `TwoGenerationCache`. */
export class BoundedMemo<K, V> {
  private readonly cache: TwoGenerationCache<K, V>;
  constructor(
    private readonly compute: (k: K) => V,
    capacity = 50_000,
  ) {
    this.cache = new TwoGenerationCache<K, V>(capacity);
  }

  get(k: K): V {
    let v = this.cache.get(k);
    if (v === undefined) {
      v = this.compute(k);
      this.cache.set(k, v);
    }
    return v;
  }
}

/** Freezes `v` and everything it reaches, except typed arrays (which cannot be frozen) and `skip`. */
export function deepFreeze(v: unknown, skip?: (o: object) => boolean): void {
  if (typeof v !== "object" || v === null || ArrayBuffer.isView(v) || Object.isFrozen(v)) return;
  if (skip?.(v) === true) return;
  Object.freeze(v);
  // PERF: arrays by index, objects through Object.values: a decoded send froze in ~2.0 µs so,
  // against ~3.0 µs with for-in and Object.hasOwn (string keys, and indices as strings).
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) deepFreeze(v[i], skip);
    return;
  }
  for (const x of Object.values(v)) deepFreeze(x, skip);
}

/**
 * Values decoded from stored bytes, memoised by the identity of the byte array. A store branch
 * hands back the array it was given (or read) for a key until the key is overwritten, and a write
 * brings a new array, so an entry can never be stale; entries go with their bytes (weak keys).
 * Every reader of those bytes shares the value, so it is deeply frozen, unless `freeze` is false
 * for a type whose fields are all readonly (the compiler then keeps callers from changing it) and
 * whose accesses are too hot to pay for it: a frozen object has other hidden classes, so each
 * access site that sees both kinds becomes polymorphic (decoded accounts: about 7 µs more per tx,
 * measured). A writer that holds the value it encoded can `remember` it, so the bytes are never
 * decoded in this process.
 */
export class DecodeMemo<V extends object> {
  private readonly byBytes = new WeakMap<Uint8Array, V>();
  constructor(
    private readonly decode: (raw: Uint8Array) => V,
    private readonly freeze = true,
  ) {}

  get(raw: Uint8Array): V {
    let v = this.byBytes.get(raw);
    if (v === undefined) {
      v = this.decode(raw);
      if (this.freeze) deepFreeze(v);
      this.byBytes.set(raw, v);
    }
    return v;
  }

  remember(raw: Uint8Array, value: V): void {
    if (this.freeze) deepFreeze(value);
    this.byBytes.set(raw, value);
  }
}

/** Decodes small values (params) once while their bytes stay the same. */
export class LastValueMemo<V> {
  private lastRaw: Uint8Array | undefined;
  private lastValue: V | undefined;
  constructor(private readonly decoder: (raw: Uint8Array) => V) {}

  get(raw: Uint8Array): V {
    if (this.lastRaw !== undefined && this.lastValue !== undefined && sameBytes(this.lastRaw, raw)) return this.lastValue;
    const v = this.decoder(raw);
    this.lastRaw = Uint8Array.from(raw);
    this.lastValue = v;
    return v;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
