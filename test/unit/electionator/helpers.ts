import { Electionator, ONE, type ElectionParams, type VoteEntry } from "../../../src/x/dcert/electionator";

/** `pct` percent of ONE. */
export function pct(n: number): bigint {
  return (ONE * BigInt(n)) / 100n;
}

export function vote(...pairs: [string, bigint][]): VoteEntry[] {
  return pairs.map(([candidate, share]) => ({ candidate, share }));
}

export function engine(over: Partial<ElectionParams> = {}): Electionator {
  return new Electionator({ maxMembers: 3, stabilizationPeriod: 0n, maxVoteEntries: 16, ...over });
}

/** Gives `candidate` exactly `amount` of support from a voter of its own ("<candidate>-fan"). */
export function support(e: Electionator, candidate: string, amount: bigint): void {
  e.castVote(`${candidate}-fan`, amount, vote([candidate, ONE]));
}

let acceptIndex = 0;
/** Marks candidates eligible in the given order (earlier = accepted earlier, all at height 1). */
export function accept(e: Electionator, ...candidates: string[]): void {
  for (const c of candidates) e.markEligible(c, { height: 1n, index: acceptIndex++ });
}

export function memberSet(e: Electionator): string[] {
  return e
    .memberList()
    .map((m) => m.address)
    .sort();
}

export function expectConsistent(e: Electionator): void {
  expect(e.checkInvariants()).toEqual([]);
}
