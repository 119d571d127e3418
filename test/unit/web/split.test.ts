import fc from "fast-check";
import {
  ONE,
  contribution,
  evenSplit,
  percentToShare,
  previewTallies,
  redistribute,
  remaining,
  setShare,
  shareToPercent,
  total,
  voteEntries,
} from "../../../web/src/wallet/split";

const share = fc.bigInt({ min: 0n, max: ONE });
const shares = fc.array(share, { maxLength: 12 }).map((xs) => {
  // any list whose total is at most 100% (scale down when needed)
  const t = total(xs);
  return t <= ONE ? xs : xs.map((x) => (x * ONE) / t);
});

describe("vote split arithmetic", () => {
  it("an even split adds up to exactly 100% and differs by at most one unit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), (n) => {
        const s = evenSplit(n);
        expect(s).toHaveLength(n);
        expect(total(s)).toBe(ONE);
        const min = s.reduce((a, b) => (a < b ? a : b));
        const max = s.reduce((a, b) => (a > b ? a : b));
        expect(max - min <= 1n).toBe(true);
        expect(min > 0n).toBe(true);
      }),
    );
    expect(evenSplit(0)).toEqual([]);
    expect(evenSplit(4).map((s) => shareToPercent(s))).toEqual(["25", "25", "25", "25"]);
  });

  it("50/25/25 is exact", () => {
    let s = [0n, 0n, 0n];
    s = setShare(s, 0, percentToShare("50")!);
    s = setShare(s, 1, percentToShare("25")!);
    s = setShare(s, 2, percentToShare("25")!);
    expect(s.map((x) => x.toString())).toEqual(["500000000000000000", "250000000000000000", "250000000000000000"]);
    expect(total(s)).toBe(ONE);
    // nothing left for more
    expect(setShare(s, 2, ONE)[2]).toBe(percentToShare("25"));
  });

  it("setting a share never takes the total above 100% and changes only that entry", () => {
    fc.assert(
      fc.property(shares.filter((s) => s.length > 0), fc.nat(), fc.bigInt({ min: -ONE, max: 2n * ONE }), (s, i, v) => {
        const idx = i % s.length;
        const out = setShare(s, idx, v);
        expect(total(out) <= ONE).toBe(true);
        expect(out[idx]! >= 0n).toBe(true);
        out.forEach((x, j) => j !== idx && expect(x).toBe(s[j]));
        // the entry gets what was asked when it fits
        if (v >= 0n && v <= ONE - (total(s) - s[idx]!)) expect(out[idx]).toBe(v);
      }),
    );
  });

  it("redistributing fills the rest to exactly 100% without lowering any share", () => {
    fc.assert(
      fc.property(shares.filter((s) => s.length > 0), (s) => {
        const out = redistribute(s);
        expect(total(out)).toBe(ONE);
        expect(remaining(out)).toBe(0n);
        out.forEach((x, j) => expect(x >= s[j]!).toBe(true));
      }),
    );
  });

  it("percentages parse exactly and round-trip", () => {
    fc.assert(
      fc.property(share, (s) => {
        expect(percentToShare(shareToPercent(s))).toBe(s);
      }),
    );
    expect(percentToShare("33.5")).toBe(335n * 10n ** 15n);
    expect(percentToShare(".5")).toBe(5n * 10n ** 15n);
    expect(shareToPercent(ONE / 3n, 2)).toBe("33.33");
    for (const bad of ["", ".", "-1", "1e2", "100.0000000000000001", "101", "abc", "1.00000000000000000"]) expect(percentToShare(bad)).toBeUndefined();
  });

  it("anything typed either parses to a share within 100% or is refused", () => {
    fc.assert(
      fc.property(fc.string(), (t) => {
        const v = percentToShare(t);
        if (v !== undefined) expect(v >= 0n && v <= ONE).toBe(true);
      }),
    );
  });

  it("the preview moves each tally by power × (new − old share) and keeps tallies non-negative", () => {
    const addr: fc.Arbitrary<string> = fc.constantFrom("a", "b", "c", "d");
    const split = fc.array(fc.tuple(addr, share), { maxLength: 4 }).map((es) => new Map(es));
    fc.assert(
      fc.property(fc.array(fc.tuple(addr, fc.bigInt({ min: 0n, max: 10n ** 24n }))).map((es) => new Map(es)), fc.bigInt({ min: 0n, max: 10n ** 24n }), split, split, (tallies, power, before, after) => {
        const out = previewTallies(tallies, power, before, after);
        for (const [c, t] of out) {
          expect(t >= 0n).toBe(true);
          const expected = (tallies.get(c) ?? 0n) - contribution(power, before.get(c) ?? 0n);
          expect(t).toBe((expected > 0n ? expected : 0n) + contribution(power, after.get(c) ?? 0n));
        }
      }),
    );
    const t = previewTallies(new Map([["a", 1000n], ["b", 300n]]), 1000n, new Map([["a", ONE / 2n]]), new Map([["a", ONE / 4n], ["b", ONE / 4n], ["c", ONE / 2n]]));
    expect([...t]).toEqual([["a", 750n], ["b", 550n], ["c", 500n]]);
  });

  it("only non-zero shares are signed", () => {
    expect(voteEntries([{ candidate: "a", share: 0n }, { candidate: "b", share: ONE }])).toEqual([{ candidate: "b", share: ONE.toString() }]);
  });
});
