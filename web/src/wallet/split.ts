/**
 * The arithmetic of a split vote, without floating point: a share is an 18-decimal fixed-point
 * integer (as the chain stores it, 10^18 = 100%), the shares of one vote add up to at most 10^18,
 * and a tally moves by the voter's power times the change of its share (the chain's contribution
 * is floor(power × share / 10^18)). Pure: the vote editor and its tests use it.
 */

/** 10^18: a share of 100%. */
export const ONE = 10n ** 18n;
/** Fractional digits of a percentage that still fit a fixed-point share (18 − 2). */
export const PERCENT_DIGITS = 16;

/** The sum of `shares`. */
export function total(shares: readonly bigint[]): bigint {
  return shares.reduce((a, b) => a + b, 0n);
}

/** What is still free to give (never negative). */
export function remaining(shares: readonly bigint[]): bigint {
  const left = ONE - total(shares);
  return left > 0n ? left : 0n;
}

/**
 * `n` shares adding up to exactly 100%, as even as integers allow: each gets floor(10^18 / n)
 * and the first (10^18 mod n) get one more.
 */
export function evenSplit(n: number): bigint[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`cannot split between ${n} entries`);
  if (n === 0) return [];
  const big = BigInt(n);
  const base = ONE / big;
  const extra = Number(ONE % big);
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1n : 0n));
}

/**
 * Sets entry `index` to `value`, capped so that the total never exceeds 100% (the other entries
 * keep their shares); negative values become 0.
 */
export function setShare(shares: readonly bigint[], index: number, value: bigint): bigint[] {
  if (index < 0 || index >= shares.length) throw new RangeError(`no entry ${index}`);
  const others = total(shares) - (shares[index] ?? 0n);
  const room = ONE - others > 0n ? ONE - others : 0n;
  const v = value < 0n ? 0n : value > room ? room : value;
  return shares.map((s, i) => (i === index ? v : s));
}

/**
 * Shares the rest evenly between the entries: the free part (100% − total) is divided between
 * every entry (integer division; the first ones get the remainder's units), so a total below 100%
 * becomes exactly 100%.
 */
export function redistribute(shares: readonly bigint[]): bigint[] {
  if (shares.length === 0) return [];
  const extra = evenSplit(shares.length).map((e) => (e * remaining(shares)) / ONE);
  const out = shares.map((s, i) => s + (extra[i] ?? 0n));
  // the integer divisions may leave a few units: give them to the first entries, one each
  let left = remaining(out);
  for (let i = 0; left > 0n; i = (i + 1) % out.length, left--) out[i] = (out[i] ?? 0n) + 1n;
  return out;
}

/**
 * A percentage as typed ("25", "33.5", "12.") → the fixed-point share ("25" → 2.5 × 10^17).
 * Undefined for anything that is not a non-negative decimal with at most 16 fractional digits, or
 * above 100.
 */
export function percentToShare(text: string): bigint | undefined {
  const m = /^([0-9]*)(?:\.([0-9]*))?$/.exec(text.trim());
  if (m === null) return undefined;
  const whole = m[1] ?? "";
  const frac = m[2] ?? "";
  if (whole === "" && frac === "") return undefined;
  if (frac.length > PERCENT_DIGITS) return undefined;
  const v = BigInt(whole === "" ? "0" : whole) * 10n ** 16n + BigInt(frac.padEnd(PERCENT_DIGITS, "0") || "0");
  return v > ONE ? undefined : v;
}

/** A share as a percentage with up to `digits` fractional digits, rounded down ("25", "33.3333"). */
export function shareToPercent(share: bigint, digits = PERCENT_DIGITS): string {
  if (share < 0n) throw new RangeError("negative share");
  const d = Math.max(0, Math.min(PERCENT_DIGITS, Math.trunc(digits)));
  const scaled = share / 10n ** BigInt(PERCENT_DIGITS - d);
  const unit = 10n ** BigInt(d);
  const whole = scaled / unit;
  const frac = d === 0 ? "" : (scaled % unit).toString().padStart(d, "0").replace(/0+$/, "");
  return frac === "" ? whole.toString() : `${whole}.${frac}`;
}

/** What one entry of a vote adds to a tally: floor(power × share / 10^18). */
export function contribution(power: bigint, share: bigint): bigint {
  return (power * share) / ONE;
}

/** The entries of a vote (candidate → share), as maps keyed by candidate address. */
export type Split = ReadonlyMap<string, bigint>;

/**
 * The tallies after a voter replaces its vote `before` by `after`: every candidate's tally moves
 * by the voter's power times the new minus the old share (each rounded down as the chain does).
 * Candidates that appear only in the vote start from 0. Never negative. An estimate: the chain
 * counts the power the voter has when the block ends.
 */
export function previewTallies(tallies: ReadonlyMap<string, bigint>, power: bigint, before: Split, after: Split): Map<string, bigint> {
  const out = new Map(tallies);
  for (const [candidate, share] of before) {
    const t = (out.get(candidate) ?? 0n) - contribution(power, share);
    out.set(candidate, t > 0n ? t : 0n);
  }
  for (const [candidate, share] of after) out.set(candidate, (out.get(candidate) ?? 0n) + contribution(power, share));
  return out;
}

/** The vote entries to sign: non-zero shares only, as decimal strings, in the rows' order. */
export function voteEntries(rows: readonly { readonly candidate: string; readonly share: bigint }[]): { candidate: string; share: string }[] {
  return rows.filter((r) => r.share > 0n).map((r) => ({ candidate: r.candidate, share: r.share.toString() }));
}
