import fc from "fast-check";
import { decFromJson, decFromProto, decToJson, decToProto, DEC_ONE } from "../../../src/x/staking/dec";
import { sharesForDeposit, tokensForShares } from "../../../src/x/staking/keeper";
import { paginateList as paginate } from "../../../src/baseapp/pagination";
import { addDuration, compareTime, durationFromJson, durationToJson, timeFromJson, timeKey, timeToJson } from "../../../src/x/staking/time";
import { compareBytes } from "../../../src/baseapp/store/bytes";

describe("18-decimal fixed point", () => {
  test("JSON and protobuf forms", () => {
    expect(decToJson(5n * DEC_ONE)).toBe("5.000000000000000000");
    expect(decToJson(DEC_ONE / 10n)).toBe("0.100000000000000000");
    expect(decToJson(-DEC_ONE / 2n)).toBe("-0.500000000000000000");
    expect(decFromJson("1.5")).toBe(15n * 10n ** 17n);
    expect(decFromJson("2")).toBe(2n * DEC_ONE);
    expect(decToProto(15n * 10n ** 17n)).toBe("1500000000000000000");
    expect(decFromProto("")).toBe(0n);
    expect(() => decFromJson("1.0000000000000000001")).toThrow(/invalid/);
    expect(() => decFromProto("1.5")).toThrow(/× 10\^18/);
  });

  test("round trips", () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), (v) => decFromJson(decToJson(v)) === v && decFromProto(decToProto(v)) === v));
  });
});

describe("share arithmetic", () => {
  test("first delegation is 1:1; later ones keep the exchange rate; withdrawals never pay more than deposited", () => {
    expect(sharesForDeposit(0n, 0n, 7n)).toBe(7n * DEC_ONE);
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (tokens, rateNum, amount) => {
        const shares = tokens * DEC_ONE * rateNum / 1000n + 1n;
        const issued = sharesForDeposit(tokens, shares, amount);
        const back = tokensForShares(tokens + amount, shares + issued, issued);
        return back <= amount;
      }),
    );
  });
});

describe("block time", () => {
  test("RFC 3339 and durations as protobuf JSON writes them", () => {
    expect(timeToJson({ seconds: 0n, nanos: 0 })).toBe("1970-01-01T00:00:00Z");
    expect(timeToJson({ seconds: 1_700_000_000n, nanos: 500_000_000 })).toBe("2023-11-14T22:13:20.500Z");
    expect(timeToJson({ seconds: 1n, nanos: 1 })).toBe("1970-01-01T00:00:01.000000001Z");
    expect(timeFromJson("2023-11-14T22:13:20.5Z")).toEqual({ seconds: 1_700_000_000n, nanos: 500_000_000 });
    expect(timeFromJson("2023-11-14T23:13:20+01:00")).toEqual({ seconds: 1_700_000_000n, nanos: 0 });
    expect(timeFromJson("0001-01-01T00:00:00Z").seconds).toBe(-62_135_596_800n);
    expect(() => timeFromJson("2023-02-30T00:00:00Z")).toThrow(/no such date/);
    expect(durationToJson({ seconds: 1_814_400n, nanos: 0 })).toBe("1814400s");
    expect(durationFromJson("1.5s")).toEqual({ seconds: 1n, nanos: 500_000_000 });
    expect(addDuration({ seconds: 10n, nanos: 900_000_000 }, { seconds: 1n, nanos: 200_000_000 })).toEqual({ seconds: 12n, nanos: 100_000_000 });
  });

  test("timeKey sorts like time; JSON round trips", () => {
    const ts = fc.record({ seconds: fc.bigInt({ min: -(10n ** 10n), max: 10n ** 11n }), nanos: fc.integer({ min: 0, max: 999_999_999 }) });
    fc.assert(
      fc.property(ts, ts, (a, b) => Math.sign(compareBytes(timeKey(a), timeKey(b))) === compareTime(a, b)),
    );
    const valid = fc.record({ seconds: fc.bigInt({ min: -62_135_596_800n, max: 253_402_300_799n }), nanos: fc.integer({ min: 0, max: 999_999_999 }) });
    fc.assert(fc.property(valid, (t) => compareTime(timeFromJson(timeToJson(t)), t) === 0));
  });
});

describe("pagination", () => {
  test("limit, next_key, offset, count_total", () => {
    const items = Array.from({ length: 7 }, (_, i) => i);
    const p1 = paginate(items, { key: new Uint8Array(), offset: 0n, limit: 3n, countTotal: true, reverse: false });
    expect(p1.page).toEqual([0, 1, 2]);
    expect(p1.pagination.total).toBe(7n);
    const p2 = paginate(items, { key: p1.pagination.nextKey, offset: 0n, limit: 3n, countTotal: false, reverse: false });
    expect(p2.page).toEqual([3, 4, 5]);
    const p3 = paginate(items, { key: p2.pagination.nextKey, offset: 0n, limit: 3n, countTotal: false, reverse: false });
    expect(p3.page).toEqual([6]);
    expect(p3.pagination.nextKey.length).toBe(0);
    expect(paginate(items, { key: new Uint8Array(), offset: 5n, limit: 0n, countTotal: false, reverse: false }).page).toEqual([5, 6]);
    expect(paginate(items, undefined).page).toEqual(items);
  });
});
