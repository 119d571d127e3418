/**
 * 18-decimal fixed-point values (vote shares, slash fractions, quorums) as the chain stores them:
 * integers written as decimal strings, where "1000000000000000000" is one. These helpers convert
 * between that form and human decimals ("0.25") without ever going through floating point.
 */

/** 10^18: the fixed-point one. */
export const DEC_ONE = 10n ** 18n;
const DEC_DIGITS = 18;

/**
 * "0.25" → "250000000000000000". Accepts a non-negative decimal with at most 18 fractional digits
 * ("1", "0.5", ".5", "1.000"); throws on anything else (signs, exponents, too many digits).
 */
export function decimalToFixed18(decimal: string): string {
  const m = /^([0-9]*)(?:\.([0-9]*))?$/.exec(decimal.trim());
  const whole = m?.[1] ?? "";
  const frac = m?.[2] ?? "";
  if (m === null || (whole === "" && frac === "")) {
    throw new Error(`"${decimal}" is not a decimal number (expected something like 0.25)`);
  }
  if (frac.length > DEC_DIGITS) throw new Error(`"${decimal}" has more than ${DEC_DIGITS} decimal places`);
  const value = BigInt(whole === "" ? "0" : whole) * DEC_ONE + BigInt((frac === "" ? "0" : frac).padEnd(DEC_DIGITS, "0"));
  return value.toString();
}

/** "250000000000000000" → "0.25" (trailing zeros dropped; "0" for zero). */
export function fixed18ToDecimal(fixed: string | bigint): string {
  const v = typeof fixed === "bigint" ? fixed : BigInt(fixed);
  if (v < 0n) throw new Error(`negative fixed-point value ${v}`);
  const whole = v / DEC_ONE;
  const frac = (v % DEC_ONE).toString().padStart(DEC_DIGITS, "0").replace(/0+$/, "");
  return frac === "" ? whole.toString() : `${whole}.${frac}`;
}
