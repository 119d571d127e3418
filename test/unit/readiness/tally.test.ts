/**
 * Readiness arithmetic: power per build, ready power, and the strict 1/3 and 2/3 thresholds with
 * the first height each is crossed (fast-check: ready ≤ total, thresholds monotone, crossings at
 * the exact boundaries).
 */
import fc from "fast-check";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { ReadinessExtension } from "../../../src/generated/dcert/upgrade/v1/types";
import { overOneThird, overTwoThirds, stepReadiness, tallyVotes } from "../../../src/x/upgrade/readiness";

const ext = (hashByte: number, handlers: string[], version = "0.1.0"): Uint8Array =>
  ReadinessExtension.encode({ appVersion: version, buildHash: Buffer.alloc(32, hashByte), upgradeHandlers: handlers }).finish();
const COMMIT = BlockIDFlag.BLOCK_ID_FLAG_COMMIT;

describe("thresholds are strict", () => {
  test("1 of 3 equal validators is not > 1/3; 2 of 3 is > 1/3 but not > 2/3; 3 of 3 is > 2/3", () => {
    expect(overOneThird(1n, 3n)).toBe(false);
    expect(overOneThird(2n, 3n)).toBe(true);
    expect(overTwoThirds(2n, 3n)).toBe(false);
    expect(overTwoThirds(3n, 3n)).toBe(true);
    expect(overOneThird(2n, 4n)).toBe(true); // 50%
    expect(overTwoThirds(2n, 4n)).toBe(false);
    expect(overTwoThirds(3n, 4n)).toBe(true);
    expect(overOneThird(100n, 300n)).toBe(false);
    expect(overOneThird(101n, 300n)).toBe(true);
    expect(overTwoThirds(200n, 300n)).toBe(false);
    expect(overTwoThirds(201n, 300n)).toBe(true);
    expect(overOneThird(0n, 0n)).toBe(false);
  });

  test("agree with exact rational comparison", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 1n << 60n }), fc.bigInt({ min: 0n, max: 1n << 60n }), (total, r) => {
        const ready = r % (total + 1n);
        expect(overOneThird(ready, total)).toBe(3n * ready > total);
        expect(overTwoThirds(ready, total)).toBe(3n * ready > 2n * total);
      }),
    );
  });
});

describe("tallyVotes", () => {
  test("power per build, ready power, unknown power; absent, nil, empty and malformed extensions count as unknown", () => {
    const t = tallyVotes(
      [
        { power: 10n, blockIdFlag: COMMIT, extension: ext(1, ["v2"]) },
        { power: 20n, blockIdFlag: COMMIT, extension: ext(2, []) },
        { power: 5n, blockIdFlag: COMMIT, extension: ext(1, ["v2"]) },
        { power: 7n, blockIdFlag: COMMIT, extension: undefined },
        { power: 3n, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_NIL, extension: ext(1, ["v2"]) },
        { power: 4n, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT, extension: undefined },
        { power: 6n, blockIdFlag: COMMIT, extension: Uint8Array.of(1, 2, 3) },
      ],
      41n,
      "v2",
    );
    expect(t.total).toBe(55n);
    expect(t.ready).toBe(15n);
    expect(t.builds.height).toBe(41n);
    expect(t.builds.totalPower).toBe(55n);
    expect(t.builds.unknownPower).toBe(55n - 35n);
    expect(t.builds.builds.map((b) => [b.buildHash[0], b.power, b.validators, b.upgradeHandlers])).toEqual([
      [2, 20n, 1, []],
      [1, 15n, 2, ["v2"]],
    ]);
  });

  test("ties in power are ordered by build hash", () => {
    const t = tallyVotes(
      [
        { power: 5n, blockIdFlag: COMMIT, extension: ext(9, []) },
        { power: 5n, blockIdFlag: COMMIT, extension: ext(3, []) },
      ],
      1n,
      undefined,
    );
    expect(t.builds.builds.map((b) => b.buildHash[0])).toEqual([3, 9]);
    expect(t.ready).toBe(0n);
  });

  const voteArb = fc.record({
    power: fc.bigInt({ min: 0n, max: 1n << 40n }),
    blockIdFlag: fc.constantFrom(BlockIDFlag.BLOCK_ID_FLAG_COMMIT, BlockIDFlag.BLOCK_ID_FLAG_NIL, BlockIDFlag.BLOCK_ID_FLAG_ABSENT),
    extension: fc.option(
      fc.tuple(fc.integer({ min: 0, max: 3 }), fc.subarray(["v2", "v3", "x"])).map(([h, names]) => ext(h, names)),
      { nil: undefined },
    ),
  });

  test("ready ≤ total, builds' power + unknown = total, order independent of vote order", () => {
    fc.assert(
      fc.property(fc.array(voteArb, { maxLength: 30 }), (votes) => {
        const t = tallyVotes(votes, 5n, "v2");
        expect(t.ready >= 0n && t.ready <= t.total).toBe(true);
        expect(t.builds.builds.reduce((s, b) => s + b.power, 0n) + t.builds.unknownPower).toBe(t.total);
        expect(t.builds.unknownPower >= 0n).toBe(true);
        const again = tallyVotes([...votes].reverse(), 5n, "v2");
        expect(again).toEqual(t);
      }),
    );
  });
});

describe("stepReadiness", () => {
  const plan = { name: "v2", height: 100n };

  test("1/3 and 2/3 are recorded at their first crossing and kept", () => {
    const s1 = stepReadiness(undefined, plan, 10n, 1n, 3n);
    expect(s1).toMatchObject({ changed: true, crossed: [] });
    expect(s1.record.oneThirdHeight).toBe(0n);
    const s2 = stepReadiness(s1.record, plan, 11n, 2n, 4n);
    expect(s2.crossed).toEqual(["1/3"]);
    expect(s2.record.oneThirdHeight).toBe(11n);
    const s3 = stepReadiness(s2.record, plan, 12n, 2n, 4n);
    expect(s3).toMatchObject({ changed: false, crossed: [] });
    const s4 = stepReadiness(s3.record, plan, 13n, 3n, 4n);
    expect(s4.crossed).toEqual(["2/3"]);
    expect(s4.record).toMatchObject({ oneThirdHeight: 11n, twoThirdsHeight: 13n, height: 13n, readyPower: 3n, totalPower: 4n });
    const s5 = stepReadiness(s4.record, plan, 14n, 0n, 4n);
    expect(s5.record).toMatchObject({ oneThirdHeight: 11n, twoThirdsHeight: 13n, readyPower: 0n });
  });

  test("both thresholds can be crossed at once; a rescheduled plan (other height) starts over", () => {
    const s = stepReadiness(undefined, plan, 5n, 4n, 4n);
    expect(s.crossed).toEqual(["1/3", "2/3"]);
    const again = stepReadiness(s.record, { name: "v2", height: 200n }, 6n, 1n, 4n);
    expect(again.record).toMatchObject({ planHeight: 200n, oneThirdHeight: 0n, twoThirdsHeight: 0n });
    expect(again.changed).toBe(true);
  });

  test("thresholds are monotone and the first crossing heights are the first heights over the bound", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 100n }), fc.bigInt({ min: 1n, max: 100n })), { minLength: 1, maxLength: 25 }), (steps) => {
        let rec = undefined as ReturnType<typeof stepReadiness>["record"] | undefined;
        let first13 = 0n;
        let first23 = 0n;
        steps.forEach(([r, tot], i) => {
          const ready = r % (tot + 1n);
          const h = BigInt(i + 1);
          if (first13 === 0n && 3n * ready > tot) first13 = h;
          if (first23 === 0n && 3n * ready > 2n * tot) first23 = h;
          const prev = rec;
          rec = stepReadiness(prev, plan, h, ready, tot).record;
          if (prev !== undefined && prev.oneThirdHeight > 0n) expect(rec.oneThirdHeight).toBe(prev.oneThirdHeight);
          if (prev !== undefined && prev.twoThirdsHeight > 0n) expect(rec.twoThirdsHeight).toBe(prev.twoThirdsHeight);
          expect(rec.readyPower <= rec.totalPower).toBe(true);
        });
        expect(rec?.oneThirdHeight).toBe(first13);
        expect(rec?.twoThirdsHeight).toBe(first23);
        if (first23 > 0n) expect(first13 > 0n && first13 <= first23).toBe(true);
      }),
    );
  });
});
