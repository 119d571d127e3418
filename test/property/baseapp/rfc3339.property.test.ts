/**
 * The one RFC 3339 parser (src/baseapp/time.ts) behind module genesis JSON (`timeFromJson`,
 * "protojson" rules) and CometBFT times (the ceremony's `parseRfc3339`, "ecmascript" rules): each
 * gives the timestamps and messages of the parser it replaced (kept here as models), and both
 * agree with the instant's ISO form wherever their rules agree.
 */
import fc from "fast-check";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { parseRfc3339 } from "../../../src/baseapp/time";
import { DevnetError } from "../../../src/localnet/cometbft";
import { parseRfc3339 as ceremonyTime } from "../../../src/localnet/ceremony";
import { timeFromJson, timeToJson } from "../../../src/x/staking/time";

/** x/staking/time.ts's timeFromJson before the unification. */
function protojsonModel(s: string): Timestamp {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (m === null) throw new Error(`invalid time ${JSON.stringify(s)}: expected RFC 3339, e.g. "2024-01-01T00:00:00Z"`);
  const [year, month, day, hour, min, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => Number(x ?? "0")) as [number, number, number, number, number, number];
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, 0);
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) throw new Error(`invalid time ${JSON.stringify(s)}: no such date`);
  let seconds = BigInt(d.getTime() / 1000);
  if (m[8] === undefined) {
    const offset = (Number(m[10] ?? "0") * 60 + Number(m[11] ?? "0")) * 60;
    seconds += BigInt(m[9] === "-" ? offset : -offset);
  }
  return { seconds, nanos: Number((m[7] ?? "").padEnd(9, "0")) };
}

/** src/localnet/ceremony.ts's parseRfc3339 before the unification. */
function ecmascriptModel(s: string): Timestamp {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (m === null) throw new DevnetError(`genesis_time ${JSON.stringify(s)} is not an RFC 3339 time`);
  const ms = Date.parse(`${m[1] as string}${m[3] as string}`);
  if (Number.isNaN(ms)) throw new DevnetError(`genesis_time ${JSON.stringify(s)} is not a valid time`);
  return { seconds: BigInt(ms / 1000), nanos: Number((m[2] ?? "").padEnd(9, "0")) };
}

function outcome<T>(f: () => T): T | [string, string] {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error) return [e.constructor.name, e.message];
    throw e;
  }
}

const d2 = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, "0"));
const year = fc.oneof(fc.constantFrom(0, 1, 99, 100, 1600, 1900, 1970, 2000, 2023, 2024, 2100, 9999), fc.integer({ min: 0, max: 9999 })).map((n) => String(n).padStart(4, "0"));
const zone = fc.oneof(fc.constantFrom("Z", "z", "+00:00", "-00:00"), fc.tuple(fc.constantFrom("+", "-"), fc.oneof(d2(25), d2(99)), fc.oneof(d2(60), d2(99))).map(([s, h, m]) => `${s}${h}:${m}`));
const fraction = fc.oneof(fc.constant(""), fc.string({ unit: fc.constantFrom(..."0123456789".split("")), minLength: 1, maxLength: 10 }).map((f) => `.${f}`));
const nearly = fc
  .tuple(year, fc.oneof(d2(13), d2(99)), fc.oneof(d2(32), d2(99)), fc.constantFrom("T", "t", " "), fc.oneof(d2(25), d2(99)), fc.oneof(d2(61), d2(99)), fc.oneof(d2(61), d2(99)), fraction, zone)
  .map(([y, mo, d, t, h, mi, s, f, z]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}${f}${z}`);
const edgy = fc.constantFrom("2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2024-04-31T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-31T24:00:00.5+01:00", "2024-01-01T10:60:00Z", "2024-01-01T23:59:60Z", "1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "0000-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "");
const text = fc.oneof(nearly, edgy, fc.string({ maxLength: 30 }));

test("timeFromJson (module genesis) is unchanged", () => {
  fc.assert(
    fc.property(text, (s) => {
      expect(outcome(() => timeFromJson(s))).toEqual(outcome(() => protojsonModel(s)));
    }),
    { numRuns: 10000 },
  );
});

test("the ceremony's parseRfc3339 (CometBFT times) is unchanged", () => {
  fc.assert(
    fc.property(text, (s) => {
      expect(outcome(() => ceremonyTime(s))).toEqual(outcome(() => ecmascriptModel(s)));
    }),
    { numRuns: 10000 },
  );
});

test("an instant's protobuf JSON form parses back to it under both rules", () => {
  const instant = fc.record({ seconds: fc.bigInt({ min: -62135596800n, max: 253402300799n }), nanos: fc.integer({ min: 0, max: 999_999_999 }) });
  fc.assert(
    fc.property(instant, (t) => {
      const json = timeToJson(t);
      expect(parseRfc3339(json, "protojson")).toEqual({ ok: true, time: t });
      expect(parseRfc3339(json, "ecmascript")).toEqual({ ok: true, time: t });
    }),
  );
});
