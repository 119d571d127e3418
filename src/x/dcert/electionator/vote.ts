/**
 * Pure checks and arithmetic for votes: validation, contributions, fixed-point decimals.
 */
import {
  ElectionError,
  MAX_POWER_EXCLUSIVE,
  MAX_VOTE_ENTRIES_LIMIT,
  ONE,
  type Acceptance,
  type ElectionParams,
  type VoteEntry,
} from "./types";

/**
 * Checks a vote. Returns `ElectionError.None` when valid, else the first failure in this order:
 * too many entries; then entry by entry: empty candidate, non-positive share, duplicate candidate;
 * then the sum of shares above ONE. An empty vote is valid (it withdraws the voter's support).
 * PERF: O(entries).
 */
export function validateVote(entries: readonly VoteEntry[], maxEntries: number): ElectionError {
  if (entries.length > maxEntries) return ElectionError.TooManyEntries;
  const seen = new Set<string>();
  let sum = 0n;
  for (const e of entries) {
    if (e.candidate.length === 0) return ElectionError.EmptyCandidate;
    if (e.share <= 0n) return ElectionError.ShareNotPositive;
    if (seen.has(e.candidate)) return ElectionError.DuplicateCandidate;
    seen.add(e.candidate);
    sum += e.share;
  }
  if (sum > ONE) return ElectionError.SharesExceedOne;
  return ElectionError.None;
}

/** Checks a voting power: 0 ≤ power < MAX_POWER_EXCLUSIVE. */
export function validatePower(power: bigint): ElectionError {
  return power >= 0n && power < MAX_POWER_EXCLUSIVE ? ElectionError.None : ElectionError.PowerOutOfRange;
}

/** What one vote entry adds to its candidate's tally: floor(power · share / ONE). */
export function contributionOf(power: bigint, share: bigint): bigint {
  return (power * share) / ONE;
}

/** Checks engine parameters (integers in range; stabilization period ≥ 0). */
export function validateParams(p: ElectionParams): ElectionError {
  if (!Number.isSafeInteger(p.maxMembers) || p.maxMembers < 0) return ElectionError.InvalidParams;
  if (!Number.isSafeInteger(p.maxVoteEntries) || p.maxVoteEntries < 1 || p.maxVoteEntries > MAX_VOTE_ENTRIES_LIMIT) {
    return ElectionError.InvalidParams;
  }
  if (p.stabilizationPeriod < 0n) return ElectionError.InvalidParams;
  return ElectionError.None;
}

/** Checks an acceptance order: height ≥ 0 and index a non-negative safe integer. */
export function validateAcceptance(a: Acceptance): ElectionError {
  if (a.height < 0n || !Number.isSafeInteger(a.index) || a.index < 0) return ElectionError.InvalidAcceptance;
  return ElectionError.None;
}

/** Orders acceptances: earlier height first, then lower index. */
export function compareAcceptance(a: Acceptance, b: Acceptance): number {
  if (a.height !== b.height) return a.height < b.height ? -1 : 1;
  return a.index - b.index;
}

/** Canonical: no leading zeros ("0" excepted), no sign, no spaces, at most 78 integer digits. */
const DECIMAL = /^(0|[1-9][0-9]{0,77})(?:\.([0-9]{1,18}))?$/;

/**
 * Parses a canonical non-negative decimal string with at most 18 fractional digits ("0.25", "1",
 * "0.250000000000000000") into 18-decimal fixed point. Returns null for anything else, including
 * non-canonical spellings ("00.5", "+0.5", " 0.5", ".5", "1.", "1e3").
 */
export function parseDecimal(s: string): bigint | null {
  const m = DECIMAL.exec(s);
  if (m === null) return null;
  const whole = m[1] ?? "0";
  const frac = (m[2] ?? "").padEnd(18, "0");
  return BigInt(whole) * ONE + BigInt(frac);
}

/** Formats 18-decimal fixed point as the Cosmos SDK does: always 18 fractional digits. */
export function formatDecimal(x: bigint): string {
  const neg = x < 0n;
  const abs = neg ? -x : x;
  const frac = (abs % ONE).toString().padStart(18, "0");
  return `${neg ? "-" : ""}${abs / ONE}.${frac}`;
}
