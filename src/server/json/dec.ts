/**
 * LegacyDec text: the wire holds the 18-decimal atomics ("100000000000000000"), the SDK's JSON the
 * decimal ("0.100000000000000000").
 */
import { ApiError, GrpcCode } from "../backend";

export const DEC_PRECISION = 18;

/** Atomics ("-1500000000000000000", "" for zero) → "-1.500000000000000000". */
export function atomicsToDecimal(atomics: string): string {
  if (atomics === "") return `0.${"0".repeat(DEC_PRECISION)}`;
  const m = /^(-?)(\d+)$/.exec(atomics);
  if (m === null) throw new ApiError(GrpcCode.INTERNAL, `malformed decimal atomics ${JSON.stringify(atomics)} in a stored value`);
  const sign = m[1] ?? "";
  const digits = (m[2] ?? "").replace(/^0+(?=\d)/, "").padStart(DEC_PRECISION + 1, "0");
  const neg = sign === "-" && /[1-9]/.test(digits);
  return `${neg ? "-" : ""}${digits.slice(0, -DEC_PRECISION)}.${digits.slice(-DEC_PRECISION)}`;
}

/** "0.1", "-2", "3." → atomics ("100000000000000000"); at most 18 fraction digits, as the SDK's parser. */
export function decimalToAtomics(text: string, field: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (m === null || ((m[2] ?? "") === "" && (m[3] ?? "") === "")) {
    throw new ApiError(GrpcCode.INVALID_ARGUMENT, `${field}: ${JSON.stringify(text)} is not a decimal number`);
  }
  const frac = m[3] ?? "";
  if (frac.length > DEC_PRECISION) {
    throw new ApiError(GrpcCode.INVALID_ARGUMENT, `${field}: ${JSON.stringify(text)} has more than ${DEC_PRECISION} decimal places`);
  }
  const value = BigInt((m[2] ?? "") + frac.padEnd(DEC_PRECISION, "0"));
  return (m[1] === "-" && value !== 0n ? "-" : "") + value.toString();
}
