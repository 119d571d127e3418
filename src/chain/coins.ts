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
const UINT_RE = /^(0|[1-9][0-9]{0,77})$/;

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

/** Parses "0.025udcert,1stake" into decimal coins (18-decimal fixed point). Empty string: none. */
export function parseDecCoins(s: string): DecCoin[] {
  if (s.trim() === "") return [];
  const out: DecCoin[] = [];
  for (const part of s.split(",")) {
    const m = /^([0-9]+)(?:\.([0-9]{1,18}))?([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(part.trim());
    if (m === null) throw ErrInvalidCoins.wrap(`invalid decimal coin ${JSON.stringify(part)}; expected e.g. 0.025udcert`);
    const whole = BigInt(m[1] ?? "0");
    const frac = (m[2] ?? "").padEnd(18, "0");
    out.push({ denom: m[3] ?? "", amount: whole * DEC_ONE + BigInt(frac) });
  }
  return out.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
}

/** ceil(gas × price) for an 18-decimal price. */
export function requiredFee(gas: bigint, price: DecCoin): Coin {
  const product = gas * price.amount;
  return { denom: price.denom, amount: (product + DEC_ONE - 1n) / DEC_ONE };
}
