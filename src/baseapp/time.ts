/**
 * The one RFC 3339 parser: a date-time with 0–9 fractional digits and a "Z" or ±hh:mm zone, to a
 * protobuf Timestamp, exactly (integer arithmetic; no clock, no floating point).
 *
 * Two sets of range rules, each what one kind of input has always been held to:
 *
 * - "protojson" (timestamps in module genesis JSON): "T" and "Z" in either case; the date must be
 *   a real one; the time of day may spell minutes or seconds past 59 as long as it stays within
 *   the day ("10:60:00" is 11:00:00); the zone offset is any two digits each.
 * - "ecmascript" (CometBFT's genesis_time and block times, as ECMAScript's Date.parse reads them):
 *   "T" and "Z" upper case; day 01–31 of any month (the 31st of April is the 1st of May); hours
 *   00–23 and "24:00:00" (the next midnight), minutes and seconds 00–59; offsets up to 23:59.
 */
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";

export type Rfc3339Rules = "protojson" | "ecmascript";

/** Why `parseRfc3339` refused: not the grammar at all, or a field out of range. */
export type Rfc3339Refusal = "syntax" | "range";

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})([Tt])(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Days from 1970-01-01 to year-month-01 of the proleptic Gregorian calendar. */
function daysToMonth(year: number, month: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  return daysToMonth(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1) - daysToMonth(year, month);
}

function inRange(rules: Rfc3339Rules, f: readonly number[], upper: boolean): boolean {
  const [year, month, day, hour, min, sec, offH, offM] = f as [number, number, number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1) return false;
  if (rules === "protojson") return day <= daysInMonth(year, month) && hour * 3600 + min * 60 + sec < 86400;
  if (!upper || day > 31 || offH > 23 || offM > 59) return false;
  return (hour <= 23 && min <= 59 && sec <= 59) || (hour === 24 && min === 0 && sec === 0);
}

/** Parses RFC 3339 under `rules` (see above); the refusal says which way the text failed. */
export function parseRfc3339(s: string, rules: Rfc3339Rules): { ok: true; time: Timestamp } | { ok: false; refusal: Rfc3339Refusal } {
  const m = RFC3339_RE.exec(s);
  if (m === null) return { ok: false, refusal: "syntax" };
  const upper = m[4] === "T" && (m[9] === undefined || m[9] === "Z");
  if (rules === "ecmascript" && !upper) return { ok: false, refusal: "syntax" };
  const f = [m[1], m[2], m[3], m[5], m[6], m[7], m[11], m[12]].map((x) => Number(x ?? "0"));
  if (!inRange(rules, f, upper)) return { ok: false, refusal: "range" };
  const [year, month, day, hour, min, sec, offH, offM] = f as [number, number, number, number, number, number, number, number];
  const local = BigInt(daysToMonth(year, month) + day - 1) * 86400n + BigInt(hour * 3600 + min * 60 + sec);
  const offset = BigInt((offH * 60 + offM) * 60);
  const seconds = m[10] === "-" ? local + offset : local - offset;
  return { ok: true, time: { seconds, nanos: Number((m[8] ?? "").padEnd(9, "0")) } };
}
