/**
 * The charts' data, computed without the DOM (unit-tested): tally distribution by rank, the
 * membership samples and a delegator's split. uPlot takes columns of numbers; tallies are integers
 * that fit a double for any realistic supply, and only the picture uses them (tables use bigint).
 */

/** 10^18, the chain's fixed-point one. (No relative imports here: the unit tests load this module from CommonJS.) */
const FIXED_ONE = 10n ** 18n;

function parseInteger(s: string): bigint {
  const t = s.trim();
  if (t === "") return 0n;
  if (!/^-?[0-9]+$/.test(t)) throw new Error(`"${s}" is not an integer tally`);
  return BigInt(t);
}

export interface TallyColumns {
  /** Rank, 1 = best. */
  readonly rank: number[];
  /** A member's tally at its rank, null elsewhere. */
  readonly members: (number | null)[];
  /** A candidate's tally at its rank, null elsewhere. */
  readonly candidates: (number | null)[];
  /** The lowest seated tally (the line a candidate must pass), repeated per rank; null without a full group. */
  readonly seatLine: (number | null)[];
}

/** Members (best first) then candidates (best first), ranked together, with the seat line. */
export function tallyColumns(members: readonly { tally: string }[], candidates: readonly { tally: string }[], maxMembers: number): TallyColumns {
  const n = members.length + candidates.length;
  const lowest = members[members.length - 1];
  const line = lowest !== undefined && members.length >= maxMembers ? Number(parseInteger(lowest.tally)) : null;
  const rank: number[] = [];
  const mem: (number | null)[] = [];
  const cand: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    rank.push(i + 1);
    const m = members[i];
    const c = candidates[i - members.length];
    mem.push(m !== undefined ? Number(parseInteger(m.tally)) : null);
    cand.push(m === undefined && c !== undefined ? Number(parseInteger(c.tally)) : null);
  }
  return { rank, members: mem, candidates: cand, seatLine: rank.map(() => line) };
}

/** One sample of the group's size: at `height`, `members` seated of `seats`. */
export interface MembershipSample {
  readonly height: number;
  readonly members: number;
  readonly seats: number;
}

/**
 * Adds a sample (heights increase; a sample at a height already seen replaces it), keeping at most
 * `max` (the oldest dropped).
 */
export function addSample(samples: readonly MembershipSample[], s: MembershipSample, max = 500): MembershipSample[] {
  const last = samples[samples.length - 1];
  if (last !== undefined && s.height < last.height) return [...samples];
  const kept = last !== undefined && last.height === s.height ? samples.slice(0, -1) : [...samples];
  kept.push(s);
  return kept.length > max ? kept.slice(kept.length - max) : kept;
}

/** A vote entry as the chain writes it: the candidate and its share, 18-decimal fixed point. */
export interface SplitEntry {
  readonly candidate: string;
  readonly share: string;
}

export interface SplitSlice {
  readonly candidate: string;
  /** Basis points of the whole vote (10000 = 100%), rounded down. */
  readonly basisPoints: number;
}

/**
 * A split as slices in basis points, rounded down, plus what is not allocated. Throws when the
 * shares add up to more than 100% or one is not a non-negative fixed-point integer.
 */
export function splitSlices(entries: readonly SplitEntry[]): { slices: SplitSlice[]; unallocatedBasisPoints: number } {
  let total = 0n;
  const slices: SplitSlice[] = [];
  for (const e of entries) {
    if (!/^[0-9]+$/.test(e.share)) throw new Error(`share "${e.share}" for ${e.candidate} is not an 18-decimal fixed-point number`);
    const v = BigInt(e.share);
    total += v;
    slices.push({ candidate: e.candidate, basisPoints: Number((v * 10_000n) / FIXED_ONE) });
  }
  if (total > FIXED_ONE) throw new Error("the shares add up to more than 100%");
  return { slices, unallocatedBasisPoints: Number(((FIXED_ONE - total) * 10_000n) / FIXED_ONE) };
}
