/**
 * The two answers that carry tx results, FinalizeBlock's and CheckTx's, encoded in one pass from
 * the back of one buffer.
 *
 * PERF: a FinalizeBlock answer holds every tx's events: about 1.4 KB a send, 2 MB for a block of
 * 1,500. cosmjs-types' writer records one operation object per field and a fork per nested
 * message (about 150,000 objects for such a block) and copies them into the output at the end;
 * under the peer load that took 21–82 ms a block (the spread is the garbage collector), after the
 * app's FinalizeBlock and before CometBFT could go on. CometBFT waits for it, so it was on every
 * loaded block's critical path. Written back to front, a nested message's length is known when its
 * prefix is written, so nothing is sized twice and nothing is allocated but the buffer.
 *
 * The bytes are exactly `Response.encode(resp).finish()`'s (test/property/baseapp/txresults):
 * the same fields in the same order, empty ones left out by the same rules, strings in the same
 * UTF-8 (cosmjs-types' own for anything not ASCII, lone surrogates included), int64s as the fixed
 * writer writes them (src/types/int64writer.ts). Validator and consensus-parameter updates, rare
 * and small, go through cosmjs-types' encoders.
 */
import { ValidatorUpdate, type Response, type Event, type ExecTxResult, type ResponseCheckTx, type ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { ConsensusParams } from "cosmjs-types/tendermint/types/params";
import { utf8Length, utf8Write } from "cosmjs-types/utf8";
import { isWellFormed, NATIVE_STRING_MIN } from "../perf";

/** Field tags (field number << 3 | wire type). */
const TAG_RESPONSE_CHECK_TX = (9 << 3) | 2;
const TAG_RESPONSE_FINALIZE_BLOCK = (21 << 3) | 2;
const TAG_FB_EVENTS = (1 << 3) | 2;
const TAG_FB_TX_RESULTS = (2 << 3) | 2;
const TAG_FB_VALIDATOR_UPDATES = (3 << 3) | 2;
const TAG_FB_CONSENSUS_PARAMS = (4 << 3) | 2;
const TAG_FB_APP_HASH = (5 << 3) | 2;
const TAG_TX_CODE = (1 << 3) | 0;
const TAG_TX_DATA = (2 << 3) | 2;
const TAG_TX_LOG = (3 << 3) | 2;
const TAG_TX_INFO = (4 << 3) | 2;
const TAG_TX_GAS_WANTED = (5 << 3) | 0;
const TAG_TX_GAS_USED = (6 << 3) | 0;
const TAG_TX_EVENTS = (7 << 3) | 2;
const TAG_TX_CODESPACE = (8 << 3) | 2;
const TAG_EVENT_TYPE = (1 << 3) | 2;
const TAG_EVENT_ATTRIBUTES = (2 << 3) | 2;
const TAG_ATTR_KEY = (1 << 3) | 2;
const TAG_ATTR_VALUE = (2 << 3) | 2;
const TAG_ATTR_INDEX = (3 << 3) | 0;

const TWO_POW_32 = 0x1_0000_0000n;

/** The kept buffer is dropped after an answer that grew it past this, so one huge block does not pin it. */
const KEEP_AT_MOST = 16 << 20;

/**
 * Writes protobuf from the end of its buffer towards the start. `written` (bytes so far) is the
 * position a caller keeps to measure a nested message, and stays valid when the buffer grows
 * (growth keeps the written bytes at the end).
 */
class BackWriter {
  buf: Uint8Array;
  /** `buf` as a Buffer (the same memory), for Node's native string writer. */
  private text: Buffer;
  pos: number;

  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
    this.text = Buffer.from(this.buf.buffer, 0, capacity);
    this.pos = capacity;
  }

  get written(): number {
    return this.buf.length - this.pos;
  }

  /** Room for `n` more bytes before `pos`. */
  room(n: number): void {
    if (this.pos < n) this.grow(n);
  }

  private grow(n: number): void {
    const used = this.written;
    let capacity = this.buf.length * 2;
    while (capacity - used < n) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buf.subarray(this.pos), capacity - used);
    this.buf = next;
    this.text = Buffer.from(next.buffer, 0, capacity);
    this.pos = capacity - used;
  }

  /** A varint of `v`, an unsigned 32-bit integer. */
  uint32(v: number): void {
    this.room(5);
    let n = 1;
    if (v >= 0x80) n = v < 0x4000 ? 2 : v < 0x20_0000 ? 3 : v < 0x1000_0000 ? 4 : 5;
    let p = (this.pos -= n);
    const buf = this.buf;
    while (v >= 0x80) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p] = v;
  }

  /** A varint of an int64 field's value modulo 2^64, as the fixed cosmjs-types writer writes it. */
  int64(v: bigint): void {
    if (v >= 0n && v < TWO_POW_32) {
      this.uint32(Number(v));
      return;
    }
    const u = BigInt.asUintN(64, v);
    let lo = Number(u & 0xffff_ffffn);
    let hi = Number(u >> 32n);
    // Bytes of the varint: 7 bits each of the 64-bit value, at least 5 here (the value is ≥ 2^32).
    let n = 5;
    for (let h = hi >>> 3; h !== 0; h >>>= 7) n++;
    this.room(n);
    let p = (this.pos -= n);
    const buf = this.buf;
    while (hi !== 0) {
      buf[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo >= 0x80) {
      buf[p++] = (lo & 0x7f) | 0x80;
      lo >>>= 7;
    }
    buf[p] = lo;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.pos -= b.length;
    this.buf.set(b, this.pos);
  }

  /** The UTF-8 of `s` (cosmjs-types' encoding of it), without a length; returns its length. */
  utf8(s: string): number {
    const n = s.length;
    // PERF: a long string goes through Node's native UTF-8 writer, as in cosmjs-types' writer
    // (NATIVE_STRING_MIN, src/baseapp/perf.ts): a 16-entry vote's `entries` attribute (about 1.4 KB
    // of JSON) took about 8 µs in the loop below. A string with a lone surrogate, which Node would
    // replace and cosmjs-types writes as its three bytes, keeps the loop.
    if (n > NATIVE_STRING_MIN && isWellFormed(s)) return this.utf8Native(s);
    this.room(n);
    const start = this.pos - n;
    const buf = this.buf;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return this.utf8Slow(s);
      buf[start + i] = c;
    }
    this.pos = start;
    return n;
  }

  private utf8Native(s: string): number {
    const len = Buffer.byteLength(s, "utf8");
    this.room(len);
    this.pos -= len;
    this.text.write(s, this.pos, len, "utf8");
    return len;
  }

  private utf8Slow(s: string): number {
    const len = utf8Length(s);
    this.room(len);
    this.pos -= len;
    utf8Write(s, this.buf, this.pos);
    return len;
  }

  /** A length-delimited field that ends at `end` (a `written` taken before its contents). */
  delimited(tag: number, end: number): void {
    this.uint32(this.written - end);
    this.uint32(tag);
  }

  /** A string field, left out when empty. */
  stringField(tag: number, s: string): void {
    if (s === "") return;
    this.uint32(this.utf8(s));
    this.uint32(tag);
  }
}

function writeEvent(w: BackWriter, e: Event): void {
  const attrs = e.attributes;
  for (let i = attrs.length - 1; i >= 0; i--) {
    const a = attrs[i] as Event["attributes"][number];
    const attrEnd = w.written;
    if (a.index === true) {
      w.uint32(1);
      w.uint32(TAG_ATTR_INDEX);
    }
    w.stringField(TAG_ATTR_VALUE, a.value);
    w.stringField(TAG_ATTR_KEY, a.key);
    w.delimited(TAG_EVENT_ATTRIBUTES, attrEnd);
  }
  w.stringField(TAG_EVENT_TYPE, e.type);
}

function writeEvents(w: BackWriter, tag: number, events: readonly Event[]): void {
  for (let i = events.length - 1; i >= 0; i--) {
    const end = w.written;
    writeEvent(w, events[i] as Event);
    w.delimited(tag, end);
  }
}

/** The fields of an ExecTxResult, which a ResponseCheckTx shares number for number. */
function writeTxResultFields(w: BackWriter, r: ExecTxResult | ResponseCheckTx): void {
  w.stringField(TAG_TX_CODESPACE, r.codespace);
  writeEvents(w, TAG_TX_EVENTS, r.events);
  if (r.gasUsed !== 0n) {
    w.int64(r.gasUsed);
    w.uint32(TAG_TX_GAS_USED);
  }
  if (r.gasWanted !== 0n) {
    w.int64(r.gasWanted);
    w.uint32(TAG_TX_GAS_WANTED);
  }
  w.stringField(TAG_TX_INFO, r.info);
  w.stringField(TAG_TX_LOG, r.log);
  if (r.data.length !== 0) {
    w.bytes(r.data);
    w.uint32(r.data.length);
    w.uint32(TAG_TX_DATA);
  }
  if (r.code !== 0) {
    w.uint32(r.code >>> 0);
    w.uint32(TAG_TX_CODE);
  }
}

function writeFinalizeBlock(w: BackWriter, res: ResponseFinalizeBlock): void {
  if (res.appHash.length !== 0) {
    w.bytes(res.appHash);
    w.uint32(res.appHash.length);
    w.uint32(TAG_FB_APP_HASH);
  }
  if (res.consensusParamUpdates !== undefined) {
    const b = ConsensusParams.encode(res.consensusParamUpdates).finish();
    w.bytes(b);
    w.uint32(b.length);
    w.uint32(TAG_FB_CONSENSUS_PARAMS);
  }
  for (let i = res.validatorUpdates.length - 1; i >= 0; i--) {
    const b = ValidatorUpdate.encode(res.validatorUpdates[i] as ValidatorUpdate).finish();
    w.bytes(b);
    w.uint32(b.length);
    w.uint32(TAG_FB_VALIDATOR_UPDATES);
  }
  const results = res.txResults;
  for (let i = results.length - 1; i >= 0; i--) {
    const end = w.written;
    writeTxResultFields(w, results[i] as ExecTxResult);
    w.delimited(TAG_FB_TX_RESULTS, end);
  }
  writeEvents(w, TAG_FB_EVENTS, res.events);
}

let kept = new BackWriter(64 * 1024);

/** True when `resp` has exactly one own property (so no other oneof case can be set). */
function singleField(resp: Response): boolean {
  let n = 0;
  for (const k in resp) {
    if (Object.prototype.hasOwnProperty.call(resp, k) && ++n > 1) return false;
  }
  return n === 1;
}

/**
 * `Response.encode(resp).finish()` for an answer holding only a FinalizeBlock or only a CheckTx
 * response; undefined for any other answer (the caller encodes it the usual way). May throw what
 * the usual encoder would throw on a malformed message (a missing list, a wrong type).
 */
export function encodeTxResultsResponse(resp: Response): Uint8Array | undefined {
  const finalize = resp.finalizeBlock;
  const check = finalize === undefined ? resp.checkTx : undefined;
  if ((finalize === undefined && check === undefined) || !singleField(resp)) return undefined;
  const w = kept;
  w.pos = w.buf.length;
  try {
    if (finalize !== undefined) writeFinalizeBlock(w, finalize);
    else writeTxResultFields(w, check as ResponseCheckTx);
    w.delimited(finalize !== undefined ? TAG_RESPONSE_FINALIZE_BLOCK : TAG_RESPONSE_CHECK_TX, 0);
    return w.buf.slice(w.pos);
  } finally {
    if (w.buf.length > KEEP_AT_MOST) kept = new BackWriter(64 * 1024);
  }
}
