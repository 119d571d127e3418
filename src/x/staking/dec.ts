/**
 * 18-decimal fixed-point values (the SDK's `LegacyDec`) on bigint. A value v is stored as the
 * integer v × 10^18. In protobuf the SDK writes that integer as a string without a decimal point
 * ("1500000000000000000" for 1.5); in JSON (genesis, amino) it writes the decimal form with all 18
 * fractional digits ("1.500000000000000000").
 */
import { DEC_ONE } from "../../baseapp/coins";

export { DEC_ONE };

const DEC_DIGITS = 18;
/**
 * Canonical forms only (issue 10, 6a): no leading zeros, no "+", no "-0", no whitespace, no
 * exponent. The integer part is bounded (a LegacyDec holds at most 315 bits, about 95 digits).
 */
const PROTO_RE = /^(0|-?[1-9][0-9]{0,95})$/;
const JSON_RE = /^(-?)(0|[1-9][0-9]{0,77})(?:\.([0-9]{1,18}))?$/;

/** Parses the protobuf form (scaled integer). An empty string is zero, as gogoproto decodes it. */
export function decFromProto(s: string, what = "decimal"): bigint {
  if (s === "") return 0n;
  if (!PROTO_RE.test(s)) {
    throw new Error(`invalid ${what} ${JSON.stringify(s.slice(0, 100))}: expected the canonical integer string of the value × 10^18 (no leading zeros, sign or spaces)`);
  }
  return BigInt(s);
}

export function decToProto(v: bigint): string {
  return v.toString();
}

/** Parses the JSON form ("1.5", "1.500000000000000000" or "2"). */
export function decFromJson(s: string, what = "decimal"): bigint {
  const m = JSON_RE.exec(s);
  if (m === null) {
    throw new Error(`invalid ${what} ${JSON.stringify(s.slice(0, 100))}: expected a canonical decimal such as "0.100000000000000000" (no leading zeros, "+" or spaces)`);
  }
  const whole = BigInt(m[2] ?? "0");
  const frac = BigInt((m[3] ?? "").padEnd(DEC_DIGITS, "0"));
  const v = whole * DEC_ONE + frac;
  if (m[1] === "-" && v === 0n) throw new Error(`invalid ${what} ${JSON.stringify(s)}: negative zero; write 0`);
  return m[1] === "-" ? -v : v;
}

/** The JSON form with all 18 fractional digits, as the SDK prints a LegacyDec. */
export function decToJson(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const whole = a / DEC_ONE;
  const frac = (a % DEC_ONE).toString().padStart(DEC_DIGITS, "0");
  return `${neg ? "-" : ""}${whole}.${frac}`;
}

/** An integer amount as a fixed-point value. */
export function decFromInt(n: bigint): bigint {
  return n * DEC_ONE;
}
