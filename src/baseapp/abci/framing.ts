/**
 * Framing for the CometBFT ABCI socket protocol (v0.38): every message is an unsigned protobuf
 * varint (LEB128) length prefix followed by that many bytes of protobuf. This module only deals
 * with bytes; it knows nothing about the messages themselves.
 */

/** Largest frame we accept by default (64 MiB); CometBFT's own limit for a message is similar. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** A uint64 varint is at most 10 bytes long. */
const MAX_VARINT_BYTES = 10;

/** The byte stream cannot be a valid sequence of frames; the connection has to be dropped. */
export class FramingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FramingError";
  }
}

/** Number of bytes `encodeVarint(value)` produces. */
export function varintLength(value: number): number {
  let n = 1;
  let v = value;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Writes `value` as a varint into `out` at `offset`; returns the offset after it. */
function writeVarint(value: number, out: Uint8Array, offset: number): number {
  let v = value;
  let pos = offset;
  // Integer division instead of bit shifts: shifts would truncate values above 2^31.
  while (v >= 0x80) {
    out[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[pos++] = v;
  return pos;
}

function checkVarintValue(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`varint value must be a non-negative safe integer, got ${value}`);
  }
}

/** Unsigned LEB128 encoding of a non-negative safe integer (0 .. 2^53-1). */
export function encodeVarint(value: number): Uint8Array {
  checkVarintValue(value);
  const out = new Uint8Array(varintLength(value));
  writeVarint(value, out, 0);
  return out;
}

export interface DecodedVarint {
  value: number;
  /** How many bytes of the input the varint occupied. */
  bytesRead: number;
}

/**
 * Decodes an unsigned varint from `buf` starting at `offset`. Returns `null` when the input ends
 * before the varint does ("need more bytes"). Throws FramingError when the varint is longer than
 * 10 bytes or its value exceeds 2^53-1 (no frame length can be that large anyway).
 */
export function decodeVarint(buf: Uint8Array, offset = 0): DecodedVarint | null {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const pos = offset + i;
    if (pos >= buf.length) return null;
    const byte = buf[pos] as number;
    value += (byte & 0x7f) * scale;
    if (value > Number.MAX_SAFE_INTEGER) throw new FramingError("varint value exceeds 2^53-1");
    if (byte < 0x80) return { value, bytesRead: i + 1 };
    scale *= 128;
  }
  throw new FramingError(`varint longer than ${MAX_VARINT_BYTES} bytes`);
}

/** One frame: the varint length of `payload` followed by `payload`. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  return encodeFrames([payload]);
}

/** Several frames back to back in one buffer (one socket write for a whole batch of responses). */
export function encodeFrames(payloads: readonly Uint8Array[]): Buffer {
  let total = 0;
  for (const p of payloads) total += varintLength(p.length) + p.length;
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  for (const p of payloads) {
    pos = writeVarint(p.length, out, pos);
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/**
 * Reassembles frames from a byte stream delivered in arbitrary chunks. `push` returns every frame
 * completed by the chunk, in order. A frame that lies entirely inside one chunk is returned as a
 * view of that chunk (no copy); a frame spanning chunks is copied once into a buffer of its final
 * size, so a large frame arriving in many small chunks costs linear, not quadratic, time.
 * After a FramingError the decoder is unusable (the stream has lost synchronisation).
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  /** Bytes of a length prefix split across chunks. */
  private readonly header = new Uint8Array(MAX_VARINT_BYTES);
  private headerLen = 0;
  /** Body of a frame split across chunks, and how much of it has arrived. */
  private partial: Uint8Array | null = null;
  private partialFilled = 0;
  private failed: FramingError | null = null;

  constructor(maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** True when no partial frame is buffered (the stream ended on a frame boundary). */
  get idle(): boolean {
    return this.headerLen === 0 && this.partial === null;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failed !== null) throw this.failed;
    try {
      return this.pushInner(chunk);
    } catch (err) {
      if (err instanceof FramingError) this.failed = err;
      throw err;
    }
  }

  private pushInner(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    let off = 0;
    const end = chunk.length;
    while (off < end) {
      if (this.partial !== null) {
        const want = this.partial.length - this.partialFilled;
        const take = Math.min(want, end - off);
        this.partial.set(chunk.subarray(off, off + take), this.partialFilled);
        this.partialFilled += take;
        off += take;
        if (this.partialFilled === this.partial.length) {
          frames.push(this.partial);
          this.partial = null;
          this.partialFilled = 0;
        }
        continue;
      }

      let length: number;
      if (this.headerLen === 0) {
        // Fast path: the whole prefix is in this chunk.
        const v = decodeVarint(chunk, off);
        if (v === null) {
          // Prefix continues in the next chunk (decodeVarint has checked it is at most 10 bytes).
          this.header.set(chunk.subarray(off, end), 0);
          this.headerLen = end - off;
          return frames;
        }
        length = v.value;
        off += v.bytesRead;
      } else {
        // Finish a prefix split across chunks, one byte at a time (at most 10 bytes in total).
        let done = false;
        while (off < end && !done) {
          if (this.headerLen >= MAX_VARINT_BYTES) {
            throw new FramingError(`varint longer than ${MAX_VARINT_BYTES} bytes`);
          }
          const byte = chunk[off++] as number;
          this.header[this.headerLen++] = byte;
          done = byte < 0x80;
        }
        if (!done) {
          if (this.headerLen >= MAX_VARINT_BYTES) {
            throw new FramingError(`varint longer than ${MAX_VARINT_BYTES} bytes`);
          }
          return frames;
        }
        const v = decodeVarint(this.header.subarray(0, this.headerLen));
        if (v === null) throw new FramingError("internal: incomplete varint after terminator");
        length = v.value;
        this.headerLen = 0;
      }

      if (length > this.maxFrameBytes) {
        throw new FramingError(`frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes}`);
      }
      if (end - off >= length) {
        frames.push(chunk.subarray(off, off + length));
        off += length;
      } else {
        this.partial = new Uint8Array(length);
        this.partialFilled = 0;
      }
    }
    return frames;
  }
}
