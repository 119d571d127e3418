/** The engine's per-voter records: offsets, lengths and 96-bit powers round-trip through the words. */
import fc from "fast-check";
import { VoterSlots } from "../../../src/x/dcert/electionator/voter-slots";

describe("VoterSlots", () => {
  test("powers in [0, 2^96) come back exactly and compare equal only to themselves", () => {
    const s = new VoterSlots();
    const v = s.push();
    const edges = [0n, 1n, (1n << 32n) - 1n, 1n << 32n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, (1n << 64n) - 1n, 1n << 64n, (1n << 96n) - 1n];
    for (const p of edges) {
      s.setPower(v, p);
      expect(s.power(v)).toBe(p);
      expect(s.powerEquals(v, p)).toBe(true);
      expect(s.powerEquals(v, p + 1n)).toBe(false);
      expect(s.powerEquals(v, p + (1n << 64n))).toBe(false);
      expect(s.powerEquals(v, -1n)).toBe(false);
    }
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 96n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 96n) - 1n }), (p, q) => {
        s.setPower(v, p);
        expect(s.power(v)).toBe(p);
        expect(s.powerEquals(v, q)).toBe(p === q);
      }),
    );
  });

  test("slots grow, copy, pop and shrink without mixing their fields", () => {
    const s = new VoterSlots();
    for (let i = 0; i < 1_000; i++) {
      const v = s.push();
      expect(v).toBe(i);
      s.setOff(v, i * 16);
      s.setLen(v, (i % 16) + 1);
      s.setPower(v, BigInt(i) << 70n);
    }
    s.copy(999, 3);
    expect([s.off(3), s.len(3), s.power(3)]).toEqual([999 * 16, (999 % 16) + 1, 999n << 70n]);
    for (let i = 0; i < 990; i++) s.pop();
    expect(s.count).toBe(10);
    expect([s.off(9), s.len(9), s.power(9)]).toEqual([9 * 16, 10, 9n << 70n]);
    const v = s.push();
    expect([v, s.off(v), s.len(v), s.power(v)]).toEqual([10, 0, 0, 0n]);
  });
});
