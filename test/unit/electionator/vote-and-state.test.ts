import {
  ElectionError,
  ElectionInputError,
  Electionator,
  KickReason,
  MAX_POWER_EXCLUSIVE,
  ONE,
  contributionOf,
  formatDecimal,
  parseDecimal,
  validateParams,
  validateVote,
  type VoterRecord,
} from "../../../src/x/dcert/electionator";
import { EntryPool, NO_OWNER } from "../../../src/x/dcert/electionator/entry-pool";
import { accept, engine, expectConsistent, pct, support, vote } from "./helpers";

describe("validateVote", () => {
  test("accepts shares summing to at most ONE, and the empty vote", () => {
    expect(validateVote(vote(["a", pct(50)], ["b", pct(25)], ["c", pct(25)]), 16)).toBe(ElectionError.None);
    expect(validateVote(vote(["a", 1n]), 1)).toBe(ElectionError.None);
    expect(validateVote([], 16)).toBe(ElectionError.None);
  });

  test("returns a code for each violation", () => {
    expect(validateVote(vote(["a", 1n], ["b", 1n]), 1)).toBe(ElectionError.TooManyEntries);
    expect(validateVote(vote(["", 1n]), 4)).toBe(ElectionError.EmptyCandidate);
    expect(validateVote(vote(["a", 0n]), 4)).toBe(ElectionError.ShareNotPositive);
    expect(validateVote(vote(["a", -1n]), 4)).toBe(ElectionError.ShareNotPositive);
    expect(validateVote(vote(["a", 1n], ["a", 1n]), 4)).toBe(ElectionError.DuplicateCandidate);
    expect(validateVote(vote(["a", pct(60)], ["b", pct(40) + 1n]), 4)).toBe(ElectionError.SharesExceedOne);
    expect(validateVote(vote(["a", ONE + 1n]), 4)).toBe(ElectionError.SharesExceedOne);
  });

  test("the engine rejects what validateVote rejects, and leaves its state alone", () => {
    const e = engine({ maxVoteEntries: 2 });
    e.castVote("d", 10n, vote(["a", ONE]));
    const attempt = (f: () => unknown): ElectionError => {
      try {
        f();
      } catch (err) {
        if (err instanceof ElectionInputError) return err.code;
        throw err;
      }
      return ElectionError.None;
    };
    expect(attempt(() => e.castVote("d", 10n, vote(["a", 1n], ["b", 1n], ["c", 1n])))).toBe(ElectionError.TooManyEntries);
    expect(attempt(() => e.castVote("d", -1n, vote(["a", 1n])))).toBe(ElectionError.PowerOutOfRange);
    expect(attempt(() => e.castVote("d", MAX_POWER_EXCLUSIVE, vote(["a", 1n])))).toBe(ElectionError.PowerOutOfRange);
    expect(attempt(() => e.castVote("", 1n, vote(["a", 1n])))).toBe(ElectionError.EmptyVoter);
    expect(attempt(() => e.markEligible("a", { height: -1n, index: 0 }))).toBe(ElectionError.InvalidAcceptance);
    expect(attempt(() => e.markEligible("a", { height: 1n, index: 0.5 }))).toBe(ElectionError.InvalidAcceptance);
    expect(attempt(() => e.setParams({ maxMembers: -1, stabilizationPeriod: 0n, maxVoteEntries: 2 }))).toBe(ElectionError.InvalidParams);
    expect(e.tallyOf("a")).toBe(10n);
    expectConsistent(e);
  });

  test("validateParams bounds", () => {
    expect(validateParams({ maxMembers: 0, stabilizationPeriod: 0n, maxVoteEntries: 1 })).toBe(ElectionError.None);
    expect(validateParams({ maxMembers: 21, stabilizationPeriod: -1n, maxVoteEntries: 16 })).toBe(ElectionError.InvalidParams);
    expect(validateParams({ maxMembers: 21, stabilizationPeriod: 0n, maxVoteEntries: 0 })).toBe(ElectionError.InvalidParams);
    expect(validateParams({ maxMembers: 1.5, stabilizationPeriod: 0n, maxVoteEntries: 16 })).toBe(ElectionError.InvalidParams);
  });
});

describe("fixed point", () => {
  test("contributionOf rounds each entry down", () => {
    expect(contributionOf(3n, ONE / 2n)).toBe(1n);
    expect(contributionOf(10n ** 30n, ONE)).toBe(10n ** 30n);
    expect(contributionOf(0n, ONE)).toBe(0n);
  });

  test("parseDecimal and formatDecimal", () => {
    expect(parseDecimal("0.25")).toBe(pct(25));
    expect(parseDecimal("1")).toBe(ONE);
    expect(parseDecimal("0.000000000000000001")).toBe(1n);
    expect(parseDecimal("0.250000000000000000")).toBe(pct(25));
    for (const bad of ["", "-0.1", "0.", ".5", "1e3", "0.0000000000000000001", " 1"]) expect(parseDecimal(bad)).toBeNull();
    expect(formatDecimal(pct(25))).toBe("0.250000000000000000");
    expect(formatDecimal(ONE * 3n + 1n)).toBe("3.000000000000000001");
    expect(parseDecimal(formatDecimal(123456789n))).toBe(123456789n);
  });
});

describe("entry pool", () => {
  test("contributions up to 96 bits round-trip; sizes of one class share an arena; growth keeps blocks", () => {
    const p = new EntryPool(16, 4);
    const a = p.alloc(3, 0);
    const values = [0n, (1n << 64n) - 1n, 1n << 64n, MAX_POWER_EXCLUSIVE - 1n];
    const b = p.alloc(values.length, 1);
    const four = p.blocksFor(4);
    expect(p.blocksFor(3)).toBe(four); // 3 and 4 share the 4-slot class
    values.forEach((v, i) => four.setContribution(b + i, v));
    expect(values.map((_, i) => four.contribution(b + i))).toEqual(values);
    expect(() => four.setContribution(a, MAX_POWER_EXCLUSIVE)).toThrow();
    for (let i = 2; i < 100; i++) p.alloc(4, i); // forces growth
    expect(values.map((_, i) => p.blocksFor(4).contribution(b + i))).toEqual(values);
    expect(p.slotsInUse).toBe(100 * 4);
  });

  test("a freed block takes the last block of its size, whose owner is returned", () => {
    const p = new EntryPool();
    const offs = [10, 11, 12].map((owner) => p.alloc(2, owner));
    expect(offs).toEqual([0, 2, 4]);
    const arena = p.blocksFor(2);
    arena.setCandidate(4, 7); // owner 12's entries
    arena.setCandidate(5, 8);
    arena.setShare(5, 99n);
    arena.setContribution(5, (1n << 64n) + 5n);
    expect(p.release(0, 2)).toBe(12); // owner 12 now starts at 0
    expect([arena.candidate(0), arena.candidate(1)]).toEqual([7, 8]);
    expect([arena.share(1), arena.contribution(1)]).toEqual([99n, (1n << 64n) + 5n]);
    expect(p.ownerOf(0, 2)).toBe(12);
    expect(p.ownerOf(4, 2)).toBe(NO_OWNER);
    expect(p.release(2, 2)).toBe(NO_OWNER); // the last block: nothing moves
    expect(p.slotsInUse).toBe(2);
    expect(() => p.release(2, 2)).toThrow();
  });

  test("arenas shrink when mostly free and are dropped when empty", () => {
    const p = new EntryPool();
    const offs = Array.from({ length: 1000 }, (_, i) => p.alloc(16, i));
    const full = p.bytes;
    expect(full).toBeGreaterThanOrEqual(1000 * 16 * 24);
    for (let i = 999; i >= 10; i--) p.release(offs[i]!, 16);
    expect(p.slotsInUse).toBe(160);
    expect(p.bytes).toBeLessThanOrEqual(4 * 160 * 28);
    for (let i = 9; i >= 0; i--) p.release(offs[i]!, 16);
    expect(p.bytes).toBe(0);
  });
});

describe("export and restore", () => {
  function populated(): Electionator {
    const e = engine({ maxMembers: 2, stabilizationPeriod: 4n });
    accept(e, "a", "b", "c", "d");
    support(e, "a", 10n);
    support(e, "b", 20n);
    e.endBlock(1n);
    e.castVote("split", (1n << 80n) + 3n, vote(["c", pct(30)], ["d", pct(20)], ["unaccepted", pct(50)]));
    e.endBlock(2n); // c and d are queued against a and b
    return e;
  }

  test("a restored engine equals the original and behaves the same", () => {
    const e = populated();
    expect(e.queueEntries()).toHaveLength(2);
    const state = e.exportState();
    // Restore must not depend on record order.
    const r = Electionator.restore(state.header, [...state.voters].reverse());
    expectConsistent(r);
    expect(r.exportState()).toEqual(state);
    expect(r.tallyOf("unaccepted")).toBe(e.tallyOf("unaccepted"));
    for (const x of [e, r]) {
      x.markIneligible("b", KickReason.Left);
      support(x, "a", 1n);
    }
    expect(r.endBlock(6n)).toEqual(e.endBlock(6n));
    expect(r.exportState()).toEqual(e.exportState());
  });

  test("restore rejects a stored contribution that does not match the formula", () => {
    const { header, voters } = populated().exportState();
    const tampered: VoterRecord[] = voters.map((v) =>
      v.voter === "split" ? { ...v, entries: v.entries.map((x, i) => (i === 0 ? { ...x, contribution: x.contribution + 1n } : x)) } : v,
    );
    expect(() => Electionator.restore(header, tampered)).toThrow(ElectionInputError);
    expect(() => Electionator.restore(header, [...voters, voters[0]!])).toThrow(/listed twice/);
  });

  test("restore rejects inconsistent membership and queue records", () => {
    const { header, voters } = populated().exportState();
    expect(() => Electionator.restore({ ...header, members: [...header.members, { address: "zzz", sequence: 99n }] }, voters)).toThrow(
      /not eligible/,
    );
    expect(() => Electionator.restore({ ...header, lastSequence: 1n }, voters)).toThrow(/sequence/);
    const q = header.queue[0]!;
    expect(() => Electionator.restore({ ...header, queue: [...header.queue, { ...q, maturesAt: 99n }] }, voters)).toThrow(/queue/);
  });
});
