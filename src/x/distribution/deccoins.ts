/**
 * Decimal coins (the SDK's `sdk.DecCoins`) and the LegacyDec operations F1 needs, on bigint
 * 18-decimal fixed point. A list is sorted by denom, one entry per denom, no zero amounts (the
 * SDK's sanitized form). Rounding follows the SDK exactly: `Mul`/`Quo` round half to even
 * ("banker's rounding", chopPrecisionAndRound), the `…Truncate` forms truncate toward zero.
 */
import type { DecCoin as ProtoDecCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { type Coin, DEC_ONE, type DecCoin, validateDenom } from "../../baseapp/coins";
import { decFromJson, decFromProto, decToJson, decToProto } from "../staking/dec";

export type { DecCoin };
export type DecCoins = readonly DecCoin[];

const HALF = DEC_ONE / 2n;

/** Removes 18 decimal digits with banker's rounding (the SDK's chopPrecisionAndRound). */
export function chopRound(v: bigint): bigint {
  if (v < 0n) return -chopRound(-v);
  const quo = v / DEC_ONE;
  const rem = v % DEC_ONE;
  if (rem < HALF) return quo;
  if (rem > HALF) return quo + 1n;
  return quo % 2n === 0n ? quo : quo + 1n;
}

/** a × b, rounded half to even (LegacyDec.Mul). */
export function decMul(a: bigint, b: bigint): bigint {
  return chopRound(a * b);
}

/** a × b, truncated (LegacyDec.MulTruncate). */
export function decMulTruncate(a: bigint, b: bigint): bigint {
  return (a * b) / DEC_ONE;
}

/** a / b, rounded half to even (LegacyDec.Quo). */
export function decQuo(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error("decimal division by zero");
  return chopRound((a * DEC_ONE * DEC_ONE) / b);
}

/** a / b, truncated (LegacyDec.QuoTruncate). */
export function decQuoTruncate(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error("decimal division by zero");
  return (a * DEC_ONE) / b;
}

function byDenom(a: { denom: string }, b: { denom: string }): number {
  return a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0;
}

/** The sanitized form: merged by denom, sorted, zero amounts dropped. */
export function normalize(list: readonly DecCoin[]): DecCoin[] {
  const m = new Map<string, bigint>();
  for (const c of list) m.set(c.denom, (m.get(c.denom) ?? 0n) + c.amount);
  return [...m.entries()]
    .filter(([, amount]) => amount !== 0n)
    .map(([denom, amount]) => ({ denom, amount }))
    .sort(byDenom);
}

export function fromCoins(coins: readonly Coin[]): DecCoin[] {
  return normalize(coins.map((c) => ({ denom: c.denom, amount: c.amount * DEC_ONE })));
}

export function add(a: DecCoins, b: DecCoins): DecCoin[] {
  return normalize([...a, ...b]);
}

/** a − b; throws if any amount would be negative (the SDK panics there: a bug, not a user error). */
export function sub(a: DecCoins, b: DecCoins): DecCoin[] {
  const out = normalize([...a, ...b.map((c) => ({ denom: c.denom, amount: -c.amount }))]);
  const neg = out.find((c) => c.amount < 0n);
  if (neg !== undefined) throw new Error(`negative decimal coin amount ${decToJson(neg.amount)}${neg.denom} (${format(a)} − ${format(b)})`);
  return out;
}

/** a − b, or undefined if any amount would be negative (SafeSub). */
export function safeSub(a: DecCoins, b: DecCoins): DecCoin[] | undefined {
  const out = normalize([...a, ...b.map((c) => ({ denom: c.denom, amount: -c.amount }))]);
  return out.some((c) => c.amount < 0n) ? undefined : out;
}

export function isZero(a: DecCoins): boolean {
  return a.every((c) => c.amount === 0n);
}

export function amountOf(a: DecCoins, denom: string): bigint {
  return a.find((c) => c.denom === denom)?.amount ?? 0n;
}

export function equal(a: DecCoins, b: DecCoins): boolean {
  const x = normalize(a);
  const y = normalize(b);
  return x.length === y.length && x.every((c, i) => c.denom === y[i]?.denom && c.amount === y[i]?.amount);
}

/** Each amount × d, rounded half to even (DecCoins.MulDec). */
export function mulDec(a: DecCoins, d: bigint): DecCoin[] {
  return normalize(a.map((c) => ({ denom: c.denom, amount: decMul(c.amount, d) })));
}

/** Each amount × d, truncated (DecCoins.MulDecTruncate). */
export function mulDecTruncate(a: DecCoins, d: bigint): DecCoin[] {
  return normalize(a.map((c) => ({ denom: c.denom, amount: decMulTruncate(c.amount, d) })));
}

/** Each amount / d, truncated (DecCoins.QuoDecTruncate). */
export function quoDecTruncate(a: DecCoins, d: bigint): DecCoin[] {
  return normalize(a.map((c) => ({ denom: c.denom, amount: decQuoTruncate(c.amount, d) })));
}

/** Per denom, the smaller of the two amounts; denoms missing from either are dropped (DecCoins.Intersect). */
export function intersect(a: DecCoins, b: DecCoins): DecCoin[] {
  return normalize(a.map((c) => ({ denom: c.denom, amount: c.amount < amountOf(b, c.denom) ? c.amount : amountOf(b, c.denom) })));
}

/** The whole coins and the decimal change (DecCoins.TruncateDecimal); amounts must be non-negative. */
export function truncateDecimal(a: DecCoins): { coins: Coin[]; change: DecCoin[] } {
  const coins: Coin[] = [];
  const change: DecCoin[] = [];
  for (const c of normalize(a)) {
    const whole = c.amount / DEC_ONE;
    if (whole > 0n) coins.push({ denom: c.denom, amount: whole });
    const rest = c.amount - whole * DEC_ONE;
    if (rest !== 0n) change.push({ denom: c.denom, amount: rest });
  }
  return { coins, change };
}

/** The SDK's DecCoins.String(): "1.500000000000000000udcert,2.000000000000000000uatom" ("" when empty). */
export function format(a: DecCoins): string {
  return normalize(a)
    .map((c) => `${decToJson(c.amount)}${c.denom}`)
    .join(",");
}

/** Protobuf DecCoins (amount: the integer of value × 10^18). */
export function toProto(a: DecCoins): ProtoDecCoin[] {
  return normalize(a).map((c) => ({ denom: c.denom, amount: decToProto(c.amount) }));
}

export function fromProto(list: readonly ProtoDecCoin[], what = "decimal coins"): DecCoin[] {
  return normalize(
    list.map((c) => {
      validateDenom(c.denom);
      const amount = decFromProto(c.amount, `${what} amount`);
      if (amount < 0n) throw new Error(`${what}: negative amount for ${c.denom}`);
      return { denom: c.denom, amount };
    }),
  );
}

/** JSON DecCoins (genesis): `{denom, amount: "1.500000000000000000"}`. */
export function toJson(a: DecCoins): { denom: string; amount: string }[] {
  return normalize(a).map((c) => ({ denom: c.denom, amount: decToJson(c.amount) }));
}

export function parseJsonAmount(denom: string, amount: string, what: string): DecCoin {
  validateDenom(denom);
  const v = decFromJson(amount, what);
  if (v < 0n) throw new Error(`${what} must not be negative`);
  return { denom, amount: v };
}
