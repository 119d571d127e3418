/**
 * The engine's entry storage follows the live votes: re-votes, withdrawals and size changes leave
 * it holding what an engine restored from the same state would hold (issue 10, item 6: 5,000
 * voters re-voting kept ~380 MB of freed vote blocks that a restart released). Structure sizes
 * only: no timing, no process heap.
 */
import { Electionator, MAX_VOTE_ENTRIES_LIMIT, ONE, type Decision, type EngineStats, type VoteEntry } from "../../../src/x/dcert/electionator";
import { expectConsistent } from "./helpers";

const SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
/** Bytes per entry slot in the typed arrays (candidate u32, share u64, contribution u64 + u32). */
const SLOT_BYTES = 24;

function ballot(n: number, salt: number): VoteEntry[] {
  return Array.from({ length: n }, (_, i) => ({ candidate: `cand${(i * 7 + salt) % 1500}`, share: ONE / BigInt(n + 1) }));
}

function liveEntries(e: Electionator): number {
  let n = 0;
  for (const r of e.exportVoters()) n += r.entries.length;
  return n;
}

function restoredStats(e: Electionator): EngineStats {
  const s = e.exportState();
  return Electionator.restore(s.header, s.voters).stats();
}

/** Slots ≤ 2× live entries (power-of-two blocks), bytes ≤ 4× slots plus a small constant. */
function expectProportional(e: Electionator): void {
  const live = liveEntries(e);
  const s = e.stats();
  expect(s.entrySlots).toBeLessThanOrEqual(2 * live);
  expect(s.entryBytes).toBeLessThanOrEqual(4 * (SLOT_BYTES + 4) * s.entrySlots + 2 * SIZES.length * 1024 * (SLOT_BYTES + 4));
  expect(s.entrySlots).toBe(restoredStats(e).entrySlots);
}

describe("entry storage after re-votes", () => {
  const params = { maxMembers: 5, stabilizationPeriod: 0n, maxVoteEntries: MAX_VOTE_ENTRIES_LIMIT };

  test("voters whose votes pass through every size hold no more slots than a restored engine", () => {
    const e = new Electionator(params);
    const voters = Array.from({ length: 40 }, (_, i) => `voter${i}`);
    for (const v of voters) e.castVote(v, 1_000_000n, ballot(16, 0));
    // Every voter moves in step through 1, 2, 4 … 1,024 entries, then back to 16.
    for (const [round, n] of [...SIZES, 16].entries()) {
      voters.forEach((v, i) => e.castVote(v, 1_000_000n + BigInt(i), ballot(n, round + i)));
      e.endBlock(BigInt(round + 1));
    }
    expect(liveEntries(e)).toBe(40 * 16);
    expectProportional(e);
    expect(e.stats().entrySlots).toBe(40 * 16);
    expectConsistent(e);
  });

  test("withdrawn and shrunk votes give their storage back", () => {
    const e = new Electionator(params);
    for (let i = 0; i < 30; i++) e.castVote(`big${i}`, 10n ** 12n, ballot(1000, i));
    for (let i = 0; i < 30; i++) e.castVote(`small${i}`, 10n ** 12n, ballot(3, i));
    const peakBytes = e.stats().entryBytes;
    for (let i = 0; i < 30; i++) e.clearVote(`big${i}`);
    for (let i = 0; i < 30; i += 2) e.castVote(`small${i}`, 10n ** 12n, ballot(1, i));
    expectProportional(e);
    expect(e.stats().entryBytes * 20).toBeLessThan(peakBytes);
    expectConsistent(e);
  });

  test("mixed sizes in any order: slots always equal those of a restored engine", () => {
    const e = new Electionator(params);
    let x = 12345;
    const next = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    for (let step = 0; step < 600; step++) {
      const voter = `v${next(25)}`;
      const op = next(10);
      if (op === 0) e.clearVote(voter);
      else if (op === 1) e.setVoterPower(voter, BigInt(next(1000)));
      else e.castVote(voter, BigInt(1 + next(1000)), ballot(next(70), step));
      if (step % 50 === 49) {
        expectProportional(e);
        expectConsistent(e);
      }
    }
  });
});

describe("candidate ids after re-votes", () => {
  const params = { maxMembers: 3, stabilizationPeriod: 0n, maxVoteEntries: MAX_VOTE_ENTRIES_LIMIT };
  const fresh = (voter: number, n: number): VoteEntry[] =>
    Array.from({ length: n }, (_, k) => ({ candidate: `fresh${voter}-${k}`, share: ONE / BigInt(n + 1) }));

  test("addresses nobody names any more give their per-candidate slots back", () => {
    const e = new Electionator(params);
    for (const c of ["a", "b", "c", "d"]) e.markEligible(c, { height: 1n, index: c.charCodeAt(0) });
    const popular = ballot(4, 0).map((x, i) => ({ ...x, candidate: ["a", "b", "c", "d"][i]! }));
    for (let v = 0; v < 20; v++) e.castVote(`voter${v}`, 10n ** 9n + BigInt(v), popular);
    e.endBlock(1n);
    const before = e.memberList();
    // Each voter names 1,000 addresses nobody else names, then goes back to the popular four.
    for (let v = 0; v < 20; v++) e.castVote(`voter${v}`, 10n ** 9n + BigInt(v), fresh(v, 1000));
    expect(e.stats().candidateIds).toBe(20 * 1000 + 4);
    for (let v = 0; v < 20; v++) e.castVote(`voter${v}`, 10n ** 9n + BigInt(v), popular);
    const s = e.stats();
    expect(s.candidateIds).toBe(4);
    // Live ids plus at most max(live ids, entries / 8, 1,024) free ones.
    expect(s.candidateSlots).toBeLessThanOrEqual(4 + Math.max(4, s.entries / 8, 1024));
    expectConsistent(e);
    expect(e.endBlock(2n)).toEqual([]);
    expect(e.memberList()).toEqual(before);
    const state = e.exportState();
    expect(Electionator.restore(state.header, state.voters).exportState()).toEqual(state);
  });

  test("renumbering keeps members, queue and tallies", () => {
    const run = (e: Electionator): Decision[] => {
      e.castVote("spam", 7n, fresh(0, 16)); // the first 16 ids go to addresses nobody else names
      ["m1", "m2", "q1", "q2", "x"].forEach((c, i) => e.markEligible(c, { height: 1n, index: i }));
      e.castVote("f1", 100n, [{ candidate: "m1", share: ONE }]);
      e.castVote("f2", 90n, [{ candidate: "m2", share: ONE }]);
      const out = e.endBlock(1n);
      e.castVote("f3", 200n, [{ candidate: "q1", share: ONE }]);
      e.castVote("f4", 150n, [{ candidate: "q2", share: ONE }]);
      out.push(...e.endBlock(2n)); // q1 and q2 queued against m2 and m1
      e.castVote("spam", 7n, [{ candidate: "x", share: ONE }]); // frees the first 16 ids
      expectConsistent(e);
      out.push(...e.endBlock(7n));
      return out;
    };
    const renumbered = new Electionator({ maxMembers: 2, stabilizationPeriod: 5n, maxVoteEntries: 16 }, { idCompactionFloor: 0 });
    const plain = new Electionator({ maxMembers: 2, stabilizationPeriod: 5n, maxVoteEntries: 16 });
    const decisions = run(renumbered);
    expect(decisions.map((d) => d.kind)).toEqual(["admitted", "admitted", "queued", "queued", "swapped", "swapped"]);
    expect(run(plain)).toEqual(decisions);
    expect(renumbered.stats().candidateSlots).toBe(5); // every live id moved down by 16
    expect(plain.stats().candidateSlots).toBe(21);
    expect(renumbered.exportState()).toEqual(plain.exportState());
    expect(renumbered.memberList()).toEqual(plain.memberList());
    expect(renumbered.challengerList(10)).toEqual(plain.challengerList(10));
    expectConsistent(renumbered);
  });
});
