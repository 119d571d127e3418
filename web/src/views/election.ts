/**
 * Election arithmetic for the views (no DOM): shares of all votes, the candidates' gap to the
 * lowest seat, bonds per member, the average block time. Tallies and amounts are integer strings.
 */

/** A decimal integer string → bigint (kept here, not imported, so the module has no relative imports: the unit tests load it from CommonJS). */
function parseInteger(s: string): bigint {
  const t = s.trim();
  if (t === "") return 0n;
  if (!/^-?[0-9]+$/.test(t)) throw new Error(`"${s}" is not an integer amount`);
  return BigInt(t);
}

export interface Tallied {
  readonly address: string;
  readonly tally: string;
}

/** The sum of the tallies (members and candidates: every vote counted for an eligible address). */
export function totalTally(...lists: readonly (readonly Tallied[])[]): bigint {
  let t = 0n;
  for (const list of lists) for (const x of list) t += parseInteger(x.tally);
  return t;
}

/** Where a candidate stands against the lowest seat. */
export type SeatGap =
  | { readonly kind: "free-seat" }
  | { readonly kind: "behind"; readonly votes: bigint }
  | { readonly kind: "ahead"; readonly votes: bigint }
  | { readonly kind: "tied" };

/**
 * The gap between a candidate's tally and the lowest seated member's (members best first). A free
 * seat means no gap. A tie does not unseat the member (members outrank by sequence), so a tied
 * candidate still needs one more vote.
 */
export function seatGap(candidateTally: string, members: readonly Tallied[], maxMembers: number): SeatGap {
  const lowest = members[members.length - 1];
  if (lowest === undefined || members.length < maxMembers) return { kind: "free-seat" };
  const d = parseInteger(lowest.tally) - parseInteger(candidateTally);
  if (d > 0n) return { kind: "behind", votes: d };
  if (d < 0n) return { kind: "ahead", votes: -d };
  return { kind: "tied" };
}

export function describeGap(g: SeatGap): string {
  switch (g.kind) {
    case "free-seat":
      return "a seat is free";
    case "behind":
      return `${g.votes} behind the lowest seat`;
    case "ahead":
      return `${g.votes} ahead of the lowest seat`;
    case "tied":
      return "tied with the lowest seat (needs 1 more)";
  }
}

export interface BondLike {
  readonly staker: string;
  readonly member: string;
  readonly amount: string;
}

/** Bonds grouped by member: who bonded how much, largest first (then by staker), and the total. */
export function bondsByMember(bonds: readonly BondLike[]): Map<string, { total: bigint; stakers: { staker: string; amount: bigint }[] }> {
  const m = new Map<string, { total: bigint; stakers: { staker: string; amount: bigint }[] }>();
  for (const b of bonds) {
    const amount = parseInteger(b.amount);
    const cur = m.get(b.member) ?? { total: 0n, stakers: [] };
    cur.total += amount;
    cur.stakers.push({ staker: b.staker, amount });
    m.set(b.member, cur);
  }
  for (const v of m.values()) v.stakers.sort((a, b) => (a.amount === b.amount ? (a.staker < b.staker ? -1 : 1) : a.amount > b.amount ? -1 : 1));
  return m;
}

/**
 * Average seconds per block between two block headers' times (RFC 3339) `blocks` apart; undefined
 * when it cannot be told (fewer than one block, unparseable or non-increasing times).
 */
export function averageBlockSeconds(earlier: string, later: string, blocks: number): number | undefined {
  const a = Date.parse(earlier);
  const b = Date.parse(later);
  if (!(blocks >= 1) || Number.isNaN(a) || Number.isNaN(b) || b <= a) return undefined;
  return (b - a) / 1000 / blocks;
}
