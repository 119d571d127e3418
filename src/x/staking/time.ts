/**
 * Block-time arithmetic on protobuf Timestamps/Durations. Everything here is a pure function of
 * its inputs (block time, params); nothing reads the local clock.
 */
import type { Duration } from "cosmjs-types/google/protobuf/duration";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { parseRfc3339 } from "../../baseapp/time";

const NANOS = 1_000_000_000n;

export const ZERO_TIME: Timestamp = { seconds: 0n, nanos: 0 };

export function timeToNanos(t: Timestamp): bigint {
  return t.seconds * NANOS + BigInt(t.nanos);
}

export function nanosToTime(n: bigint): Timestamp {
  let seconds = n / NANOS;
  let nanos = n % NANOS;
  if (nanos < 0n) {
    nanos += NANOS;
    seconds -= 1n;
  }
  return { seconds, nanos: Number(nanos) };
}

export function compareTime(a: Timestamp, b: Timestamp): number {
  const d = timeToNanos(a) - timeToNanos(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function addDuration(t: Timestamp, d: Duration): Timestamp {
  return nanosToTime(timeToNanos(t) + d.seconds * NANOS + BigInt(d.nanos));
}

/**
 * 12-byte big-endian key of a timestamp (seconds, nanos) that sorts like the time itself.
 * Seconds are offset by 2^63 so that (rare) pre-1970 times still sort correctly.
 */
export function timeKey(t: Timestamp): Uint8Array {
  const out = new Uint8Array(12);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt.asUintN(64, t.seconds + (1n << 63n)));
  dv.setUint32(8, t.nanos);
  return out;
}

function fraction(nanos: number): string {
  if (nanos === 0) return "";
  const s = nanos.toString().padStart(9, "0");
  if (s.endsWith("000000")) return `.${s.slice(0, 3)}`;
  if (s.endsWith("000")) return `.${s.slice(0, 6)}`;
  return `.${s}`;
}

/** RFC 3339 in UTC, as protobuf JSON writes a Timestamp (0, 3, 6 or 9 fractional digits). */
export function timeToJson(t: Timestamp): string {
  const iso = new Date(Number(t.seconds) * 1000).toISOString(); // formatting a given instant, not the clock
  return `${iso.slice(0, 19)}${fraction(t.nanos)}Z`;
}

/** RFC 3339 as protobuf JSON reads a Timestamp (baseapp/time.ts, "protojson" rules). */
export function timeFromJson(s: string): Timestamp {
  const r = parseRfc3339(s, "protojson");
  if (r.ok) return r.time;
  if (r.refusal === "syntax") throw new Error(`invalid time ${JSON.stringify(s)}: expected RFC 3339, e.g. "2024-01-01T00:00:00Z"`);
  throw new Error(`invalid time ${JSON.stringify(s)}: no such date`);
}

/** Protobuf JSON form of a Duration: "1814400s", "1.5s". */
export function durationToJson(d: Duration): string {
  return `${d.seconds}${fraction(d.nanos)}s`;
}

export function durationFromJson(s: string): Duration {
  const m = /^(0|[1-9][0-9]{0,18})(?:\.([0-9]{1,9}))?s$/.exec(s);
  if (m === null) throw new Error(`invalid duration ${JSON.stringify(s.slice(0, 100))}: expected canonical seconds such as "1814400s" (no leading zeros)`);
  return { seconds: BigInt(m[1] ?? "0"), nanos: Number((m[2] ?? "").padEnd(9, "0")) };
}
