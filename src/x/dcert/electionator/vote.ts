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
import { HI_WORD, LO_WORD, U64, U64_WORDS } from "./entry-pool";

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

/** Powers below this take the exact double arithmetic of `Contributions` (2^53). */
export const EXACT_POWER_LIMIT = 1n << 53n;

/** 10^6, the limb base of that arithmetic. */
const LIMB = 1_000_000;

/**
 * floor(p · share / 10^18) for p = p2·10^12 + p1·10^6 + p0 < 2^53 (limbs below 10^6) and
 * 0 ≤ share ≤ 10^18, in doubles: every value below is an integer under 2^53, so every operation is
 * exact (products and sums stay under 2^53; each quotient is `limbQuotient`'s). Callers keep the
 * share in that range (`Contributions.of` does): above 10^18 the result could pass 2^53, and
 * outside [0, 2^64) the share would wrap. As a last guard, a share of 2^60 or more returns -1.
 *
 *   share = hi·2^32 + lo = (hi·4,294)·10^6 + (hi·967,296 + lo)        (2^32 = 4,294·10^6 + 967,296)
 *         = s2·10^12 + s1·10^6 + s0
 *   p · share / 10^18 = p2·s2·10^6 + p2·s1 + p1·s2 + (the lower products, carried) / 10^18
 *
 * The result is at most p, so each partial sum stays under 2^53; p2·s2·10^6 ≤ 9,007·10^12.
 */
export function contributionOfLimbs(p0: number, p1: number, p2: number, share: bigint): number {
  U64[0] = share;
  return contributionOfWords(p0, p1, p2, U64_WORDS[HI_WORD]!, U64_WORDS[LO_WORD]!);
}

/**
 * `contributionOfLimbs` of the share whose 64 bits are hi·2^32 + lo (two 32-bit words), for a
 * caller that already holds them: no bigint is read.
 */
export function contributionOfWords(p0: number, p1: number, p2: number, hi: number, lo: number): number {
  if (hi >= 0x10000000) return -1;
  const r = hi * 967_296 + lo;
  const r1 = limbQuotient(r);
  const s0 = r - r1 * LIMB;
  const q = hi * 4_294 + r1;
  const s2 = limbQuotient(q);
  const s1 = q - s2 * LIMB;
  const t0 = p0 * s0;
  const t1 = p1 * s0 + p0 * s1 + limbQuotient(t0);
  const t2 = p2 * s0 + p1 * s1 + p0 * s2 + limbQuotient(t1);
  return p2 * s2 * LIMB + p2 * s1 + p1 * s2 + limbQuotient(t2);
}

/**
 * floor(x / 10^6) for an integer 0 ≤ x < 2^53, exactly. The double quotient of x = q·10^6 + r
 * (0 ≤ r < 10^6) is q + r/10^6 rounded once; q < 2^34, so a double near q has a spacing of at
 * most 2^-19, and q + r/10^6 lies at least 10^-6 below q + 1, more than half that spacing: the
 * rounding never reaches q + 1, and it never goes below q, which is a double. PERF: `x % 10^6`
 * on such doubles is a call to fmod; a division and a floor are not (the engine makes five per
 * vote entry; a block of 1,000 16-entry votes saved about 0.6 ms).
 */
export function limbQuotient(x: number): number {
  return Math.floor(x / LIMB);
}

/**
 * Whether a vote's shares add up to more than ONE, summed without a bigint per share. PERF: a
 * share ≤ ONE (< 2^60) is added as its two 32-bit words in doubles (exact for up to 2^21 shares,
 * far above MAX_VOTE_ENTRIES_LIMIT); a share above ONE settles it; one bigint sum at the end.
 */
export class ShareSum {
  private hi = 0;
  private lo = 0;
  private over = false;

  reset(): void {
    this.hi = 0;
    this.lo = 0;
    this.over = false;
  }

  /**
   * Adds a positive share. Returns false for a share above ONE (the sum then exceeds ONE), else
   * true, leaving the share's high and low 32-bit words in `U64_WORDS[HI_WORD]` and
   * `U64_WORDS[LO_WORD]` for the caller until the next write to `U64`.
   */
  add(share: bigint): boolean {
    if (share > ONE) {
      this.over = true;
      return false;
    }
    U64[0] = share;
    this.hi += U64_WORDS[HI_WORD]!;
    this.lo += U64_WORDS[LO_WORD]!;
    return true;
  }

  exceedsOne(): boolean {
    return this.over || (BigInt(this.hi) << 32n) + BigInt(this.lo) > ONE;
  }
}

/**
 * `contributionOf` for one power and many shares (a vote's entries). PERF: a bigint multiply and
 * divide cost about 65 ns per entry; for a power below 2^53 (9·10^9 tokens of 6 decimals, so
 * nearly every voter) the same value comes from exact double arithmetic and one conversion.
 */
export class Contributions {
  private power = 0n;
  private exact = true;
  private p0 = 0;
  private p1 = 0;
  private p2 = 0;

  /** Sets the power (0 ≤ power) the next `of` calls use. */
  setPower(power: bigint): void {
    this.power = power;
    this.exact = power >= 0n && power < EXACT_POWER_LIMIT;
    if (!this.exact) return;
    const p = Number(power);
    this.p0 = p % LIMB;
    const q = (p - this.p0) / LIMB;
    this.p1 = q % LIMB;
    this.p2 = (q - this.p1) / LIMB;
  }

  /**
   * floor(power · share / ONE) as an exact double for a share 0 ≤ hi·2^32 + lo ≤ ONE given as its
   * 32-bit words; -1 when the power is 2^53 or more (then `of` takes the bigint path).
   */
  ofWords(hi: number, lo: number): number {
    return this.exact ? contributionOfWords(this.p0, this.p1, this.p2, hi, lo) : -1;
  }

  /** floor(power · share / ONE); a share outside [0, ONE] or a power ≥ 2^53 takes the bigint path. */
  of(share: bigint): bigint {
    if (this.exact && share >= 0n && share <= ONE) {
      const c = contributionOfLimbs(this.p0, this.p1, this.p2, share);
      if (c >= 0) return BigInt(c);
    }
    return contributionOf(this.power, share);
  }
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
