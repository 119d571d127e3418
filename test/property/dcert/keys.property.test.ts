/** The rank key's 256-bit encoding: byte for byte what eight-bit shifts give, for any bigint. */
import fc from "fast-check";
import { u256be } from "../../../src/x/dcert/keys";

function byShifts(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let x = v;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

test("u256be equals the shift encoding (0, 2^256 − 1, negatives, values past 256 bits)", () => {
  for (const v of [0n, 1n, 255n, 256n, 2n ** 255n, 2n ** 256n - 1n, 2n ** 256n, -1n, -(2n ** 300n) + 7n]) expect(u256be(v)).toEqual(byShifts(v));
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }), (v) => {
      expect(u256be(v)).toEqual(byShifts(v));
    }),
    { numRuns: 2000 },
  );
});
