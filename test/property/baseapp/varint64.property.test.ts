/**
 * 64-bit varints through cosmjs-types' writer after installEncodingFastPath: every int64/uint64
 * value is written as Go writes it (the standard varint of the value modulo 2^64) and cosmjs-types'
 * reader gives it back. Before the patch, values in [2^31, 2^32) came out as a zero byte and four
 * unwritten ones, which CometBFT refused ("illegal tag 0") and stopped on.
 */
import fc from "fast-check";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { Response } from "cosmjs-types/tendermint/abci/types";
import { installEncodingFastPath } from "../../../src/baseapp/perf";
import { readResponseStrictly } from "../../helpers/strict-proto";

const U64 = (1n << 64n) - 1n;

/** The standard varint of `v` modulo 2^64, written with bigints: the oracle. */
function varint(v: bigint): number[] {
  let u = BigInt.asUintN(64, v);
  const out: number[] = [];
  while (u >= 0x80n) {
    out.push(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  out.push(Number(u));
  return out;
}

const EDGES = [0n, 1n, 127n, 128n, (1n << 31n) - 1n, 1n << 31n, 3_000_000_000n, (1n << 32n) - 1n, 1n << 32n, (1n << 53n) + 1n, 1n << 63n, U64, -1n, -(1n << 31n), -(1n << 63n)];

// Runs before the patch is installed (this file's module registry is its own): why it exists. If a
// cosmjs-types release fixes its writer, this fails and the patch can go.
test("cosmjs-types alone writes 2^31 as a zero byte and four unwritten ones", () => {
  expect(Array.from(new BinaryWriter().uint64(1n << 31n).finish())).toEqual([0, 0, 0, 0, 0]);
  const checkTx = { code: 41, data: new Uint8Array(), log: "", info: "", gasWanted: 3_000_000_000n, gasUsed: 0n, events: [], codespace: "sdk" };
  expect(() => readResponseStrictly(Response.encode({ checkTx }).finish())).toThrow(/field no 0/);
});

describe("after installEncodingFastPath", () => {
  beforeAll(() => installEncodingFastPath());

  test("int64 and uint64 write the varint of the value modulo 2^64, for the edges and any 64-bit value", () => {
    const check = (v: bigint): void => {
      expect(Array.from(new BinaryWriter().int64(v).finish())).toEqual(varint(v));
      expect(Array.from(new BinaryWriter().uint64(v).finish())).toEqual(varint(v));
    };
    for (const v of EDGES) check(v);
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: -(1n << 63n), max: U64 }), fc.bigInt({ min: 1n << 31n, max: (1n << 32n) - 1n }), fc.bigInt({ min: 0n, max: 1n << 35n })), check),
      { numRuns: 5000 },
    );
  });

  test("cosmjs-types' reader reads back what was written, as uint64 and as int64", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...EDGES), fc.bigInt({ min: -(1n << 63n), max: U64 })), (v) => {
        const bytes = new BinaryWriter().uint32(8).int64(v).finish();
        const r = new BinaryReader(bytes);
        r.uint32();
        expect(r.uint64()).toBe(BigInt.asUintN(64, v));
        const s = new BinaryReader(bytes);
        s.uint32();
        expect(s.int64()).toBe(BigInt.asIntN(64, v));
      }),
      { numRuns: 3000 },
    );
  });

  test("numbers and decimal strings are written as the bigint of the same value", () => {
    for (const v of [0, 5, 2 ** 31, 3_000_000_000, 2 ** 32 - 1, 2 ** 40, -1]) {
      expect(Array.from(new BinaryWriter().int64(v).finish())).toEqual(varint(BigInt(v)));
      expect(Array.from(new BinaryWriter().int64(String(v)).finish())).toEqual(varint(BigInt(v)));
    }
  });

  test("an ABCI answer with gas_wanted 3,000,000,000 is read by a strict decoder, field by field", () => {
    const checkTx = { code: 41, data: new Uint8Array(), log: "", info: "", gasWanted: 3_000_000_000n, gasUsed: 2_147_483_648n, events: [], codespace: "sdk" };
    const bytes = Response.encode({ checkTx }).finish();
    expect(() => readResponseStrictly(bytes)).not.toThrow();
    const back = Response.decode(bytes).checkTx;
    expect(back?.gasWanted).toBe(3_000_000_000n);
    expect(back?.gasUsed).toBe(2_147_483_648n);
  });
});
