/**
 * A fix for cosmjs-types' protobuf writer (0.11.0, its newest release), shared by the node and the
 * client library: both encode with it, the client through CosmJS when it signs.
 *
 * cosmjs-types writes an int64/uint64 by formatting it as a decimal string, parsing that into two
 * signed 32-bit halves, and writing them with a loop that expects the low half unsigned. So a
 * value from 2^31 to 2^32 − 1 comes out as one zero byte followed by four unwritten ones: it reads
 * back as 0 followed by a field number 0, which Go's decoders refuse. Every other value is written
 * correctly. The replacement writes the standard varint of the value modulo 2^64 (what Go writes
 * for an int64 or a uint64), from a bigint's bits directly.
 */
import { BinaryWriter } from "cosmjs-types/binary";
import { int64FromString, int64Length, writeVarint64 } from "cosmjs-types/varint";

const TWO_POW_32 = 0x1_0000_0000n;

interface VarintPushingWriter {
  _push(fn: typeof writeVarint64, len: number, val: { lo: number; hi: number }): BinaryWriter;
}

/**
 * `BinaryWriter#int64`, correct for every value. A bigint goes straight to its 64-bit two's
 * complement halves, unsigned; a number or a decimal string is parsed as cosmjs-types does.
 */
function writeInt64(this: BinaryWriter, value: string | number | bigint): BinaryWriter {
  let lo: number;
  let hi: number;
  if (typeof value === "bigint") {
    if (value >= 0n && value < TWO_POW_32) {
      lo = Number(value);
      hi = 0;
    } else {
      const u = BigInt.asUintN(64, value);
      lo = Number(u & 0xffff_ffffn);
      hi = Number(u >> 32n);
    }
  } else {
    const bits = int64FromString(value.toString());
    lo = bits.lo >>> 0;
    hi = bits.hi >>> 0;
  }
  return (this as unknown as VarintPushingWriter)._push(writeVarint64, int64Length(lo, hi), { lo, hi });
}

/**
 * Installs the fixed `int64` on cosmjs-types' writer, for this thread's copy of the module.
 * `uint64` is an instance field bound to `int64` when a writer is constructed, so writers made
 * earlier keep the old one: install before anything encodes. Idempotent.
 */
export function fixCosmjsInt64Writer(): void {
  if (BinaryWriter.prototype.int64 === writeInt64) return;
  BinaryWriter.prototype.int64 = writeInt64;
}
