import type { Coin as ProtoCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { ErrInvalidCoins } from "./errors";

/** An amount of one denomination. Amounts are arbitrary-precision integers; never floats. */
export interface Coin {
  readonly denom: string;
  readonly amount: bigint;
}

/** A decimal coin (gas prices): `amount` is an 18-decimal fixed-point value. */
export interface DecCoin {
  readonly denom: string;
  readonly amount: bigint;
}

export const DEC_ONE = 10n ** 18n;
const DENOM_RE = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;

/**
 * Canonical numbers on the wire (protobuf strings, amino and genesis JSON, config). One spelling
 * per integer: ASCII digits only, no sign, no leading zero ("0" itself excepted), no whitespace,
 * no exponent, no separators; at most 78 digits (below 2^256, the SDK's Int bound). Decimals in
 * text form put a canonical integer part before an optional "." and 1–18 fractional digits
 * (trailing fractional zeros are allowed: the SDK prints all 18, CosmJS trims them).
 */
export const CANONICAL_UINT_RE = /^(0|[1-9][0-9]{0,77})$/;
const CANONICAL_DEC_RE = /^(0|[1-9][0-9]{0,77})(?:\.([0-9]{1,18}))?$/;
const UINT_RE = CANONICAL_UINT_RE;

/** Whether `s` is the canonical spelling of a non-negative integer. */
export function isCanonicalUint(s: string): boolean {
  return CANONICAL_UINT_RE.test(s);
}

/**
 * Parses a canonical non-negative decimal in text form ("0.25", "1", "1.500000000000000000") into
 * 18-decimal fixed point; null for anything else ("00.5", ".5", "1.", "+1", " 1", "1e3", "0x1").
 */
export function parseCanonicalDec(s: string): bigint | null {
  const m = CANONICAL_DEC_RE.exec(s);
  if (m === null) return null;
  return BigInt(m[1] ?? "0") * DEC_ONE + BigInt((m[2] ?? "").padEnd(18, "0"));
}

export function validateDenom(denom: string): void {
  if (!DENOM_RE.test(denom)) throw ErrInvalidCoins.wrap(`invalid denom ${JSON.stringify(denom)}`);
}

/** Parses a non-negative integer amount string as sent in protobuf coins. */
export function parseAmount(s: string, what = "amount"): bigint {
  if (!UINT_RE.test(s)) throw ErrInvalidCoins.wrap(`invalid ${what} ${JSON.stringify(s)}: expected a non-negative integer`);
  return BigInt(s);
}

export function coinFromProto(c: ProtoCoin): Coin {
  validateDenom(c.denom);
  return { denom: c.denom, amount: parseAmount(c.amount) };
}

export function coinToProto(c: Coin): ProtoCoin {
  return { denom: c.denom, amount: c.amount.toString() };
}

/**
 * Validates a list of coins the way the SDK's `Coins.Validate` does: sorted by denom, no
 * duplicates, every amount positive. `allowZero` accepts zero amounts (e.g. an empty fee entry).
 */
export function coinsFromProto(list: readonly ProtoCoin[], allowZero = false): Coin[] {
  const out: Coin[] = [];
  for (const p of list) {
    const c = coinFromProto(p);
    if (!allowZero && c.amount === 0n) throw ErrInvalidCoins.wrap(`coin ${c.denom} has a zero amount`);
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.denom >= c.denom) {
      throw ErrInvalidCoins.wrap(`coins must be sorted by denom and unique, got ${prev.denom} before ${c.denom}`);
    }
    out.push(c);
  }
  return out;
}

export function coinsToProto(list: readonly Coin[]): ProtoCoin[] {
  return list.map(coinToProto);
}

export function formatCoins(list: readonly Coin[]): string {
  return list.map((c) => `${c.amount}${c.denom}`).join(",");
}

/** Why `parseCoinsText` refused its text (the caller phrases the message). */
export type CoinsTextError =
  | { readonly reason: "empty" }
  | { readonly reason: "malformed"; readonly entry: string }
  | { readonly reason: "denom"; readonly entry: string; readonly denom: string }
  | { readonly reason: "zero"; readonly entry: string }
  | { readonly reason: "duplicate"; readonly entry: string; readonly denom: string };

/**
 * Parses coins as people type them ("1000udcert", "5uatom, 1000udcert"): comma-separated entries,
 * each trimmed, an integer amount (leading zeros allowed) followed by a valid denom, each denom
 * once; the coins keep the order given. `skipEmpty` drops empty entries (otherwise they are
 * malformed); `allowZero` accepts zero amounts. The first problem, entry by entry (malformed,
 * denom, zero, duplicate), is returned rather than thrown.
 */
export function parseCoinsText(
  text: string,
  opts: { readonly skipEmpty: boolean; readonly allowZero: boolean },
): { readonly ok: true; readonly coins: Coin[] } | { readonly ok: false; readonly error: CoinsTextError } {
  let entries = text.split(",").map((e) => e.trim());
  if (opts.skipEmpty) entries = entries.filter((e) => e !== "");
  if (entries.length === 0) return { ok: false, error: { reason: "empty" } };
  const coins: Coin[] = [];
  for (const entry of entries) {
    const m = /^([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]*)$/.exec(entry);
    if (m === null) return { ok: false, error: { reason: "malformed", entry } };
    const denom = m[2] as string;
    if (!DENOM_RE.test(denom)) return { ok: false, error: { reason: "denom", entry, denom } };
    const amount = BigInt(m[1] as string);
    if (!opts.allowZero && amount === 0n) return { ok: false, error: { reason: "zero", entry } };
    if (coins.some((c) => c.denom === denom)) return { ok: false, error: { reason: "duplicate", entry, denom } };
    coins.push({ denom, amount });
  }
  return { ok: true, coins };
}

/**
 * Parses "0.025udcert,1stake" into decimal coins (18-decimal fixed point). Empty string: none.
 * Every entry is a canonical amount followed by its denom, with no spaces.
 */
export function parseDecCoins(s: string): DecCoin[] {
  if (s.trim() === "") return [];
  const out: DecCoin[] = [];
  for (const part of s.split(",")) {
    const m = /^([0-9.]+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(part);
    const amount = m === null ? null : parseCanonicalDec(m[1] ?? "");
    if (m === null || amount === null) {
      throw ErrInvalidCoins.wrap(`invalid decimal coin ${JSON.stringify(part)}; expected e.g. 0.025udcert (no leading zeros, at most 18 decimals)`);
    }
    out.push({ denom: m[2] ?? "", amount });
  }
  return out.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
}

/** ceil(gas × price) for an 18-decimal price. */
export function requiredFee(gas: bigint, price: DecCoin): Coin {
  const product = gas * price.amount;
  return { denom: price.denom, amount: (product + DEC_ONE - 1n) / DEC_ONE };
}
