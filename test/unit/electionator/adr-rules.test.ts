/**
 * One test per rule of ADR 008's "Continuous Voting Electionator" and docs/design.md §5, named in
 * the ADR's words where it has them.
 */
import { DecisionKind, DropReason, KickReason, ONE } from "../../../src/x/dcert/electionator";
import { accept, engine, expectConsistent, memberSet, pct, support, vote } from "./helpers";

describe("continuous voting electionator (ADR 008)", () => {
  test("split representation 50/25/25 is honoured", () => {
    const e = engine();
    const u = e.castVote("delegator", 1001n, vote(["john", pct(50)], ["sally", pct(25)], ["carol", pct(25)]));
    // floor(1001 · 0.5) = 500, floor(1001 · 0.25) = 250: each share is rounded down on its own.
    expect(e.tallyOf("john")).toBe(500n);
    expect(e.tallyOf("sally")).toBe(250n);
    expect(e.tallyOf("carol")).toBe(250n);
    expect(u.record?.entries.map((x) => x.contribution)).toEqual([500n, 250n, 250n]);
    expect(u.tallies).toEqual([
      { candidate: "john", tally: 500n },
      { candidate: "sally", tally: 250n },
      { candidate: "carol", tally: 250n },
    ]);
    // A second delegator adds to the same tallies; replacing the first vote removes exactly its part.
    e.castVote("other", 400n, vote(["sally", ONE]));
    e.castVote("delegator", 1001n, vote(["carol", ONE]));
    expect(e.tallyOf("john")).toBe(0n);
    expect(e.tallyOf("sally")).toBe(400n);
    expect(e.tallyOf("carol")).toBe(1001n);
    expectConsistent(e);
  });

  test("all delegation addresses may submit votes at any point, and a new vote replaces the previous one", () => {
    const e = engine({ maxMembers: 1 });
    accept(e, "a", "b");
    e.castVote("d", 10n, vote(["a", ONE]));
    expect(e.endBlock(1n)).toEqual([{ kind: DecisionKind.Admitted, address: "a", sequence: 1n, tally: 10n }]);
    e.castVote("d", 10n, vote(["b", ONE]));
    expect(e.tallyOf("a")).toBe(0n);
    expect(e.endBlock(2n).map((d) => d.kind)).toEqual([DecisionKind.Kicked, DecisionKind.Admitted]);
    expect(memberSet(e)).toEqual(["b"]);
  });

  test("a new sequence number on every admission and on re-entry", () => {
    const e = engine({ maxMembers: 2 });
    accept(e, "a", "b");
    support(e, "a", 20n);
    support(e, "b", 10n);
    expect(e.endBlock(1n)).toEqual([
      { kind: DecisionKind.Admitted, address: "a", sequence: 1n, tally: 20n },
      { kind: DecisionKind.Admitted, address: "b", sequence: 2n, tally: 10n },
    ]);
    expect(e.markIneligible("a", KickReason.Left)).toEqual([
      { kind: DecisionKind.Kicked, address: "a", sequence: 1n, tally: 20n, by: null, reason: KickReason.Left },
    ]);
    expect(e.sequenceOf("a")).toBeUndefined();
    e.markEligible("a", { height: 5n, index: 0 });
    expect(e.endBlock(5n)).toEqual([{ kind: DecisionKind.Admitted, address: "a", sequence: 3n, tally: 20n }]);
    expect(e.sequenceOf("a")).toBe(3n);
    expect(e.sequenceOf("b")).toBe(2n);
    expect(e.lastSequence).toBe(3n);
  });

  test("top-N by preferred representation", () => {
    const e = engine({ maxMembers: 3 });
    accept(e, "a", "b", "c", "d", "e");
    support(e, "a", 50n);
    support(e, "b", 10n);
    support(e, "c", 40n);
    support(e, "d", 30n);
    // "e" has no support at all.
    const d = e.endBlock(1n);
    expect(d.map((x) => (x.kind === DecisionKind.Admitted ? x.address : "?"))).toEqual(["a", "c", "d"]);
    expect(memberSet(e)).toEqual(["a", "c", "d"]);
    expect(e.topMember()?.address).toBe("a");
    expect(e.lowestMember()?.address).toBe("d");
    expect(e.bestChallenger()?.address).toBe("b");
    expect(e.challengerList(10).map((c) => c.address)).toEqual(["b", "e"]);
    // Nothing changes while nothing changes.
    expect(e.endBlock(2n)).toEqual([]);
  });

  test("with room in the group only a challenger with support (> 0) is admitted", () => {
    const e = engine({ maxMembers: 3 });
    accept(e, "a", "b");
    support(e, "a", 5n);
    e.castVote("zero-power", 0n, vote(["b", ONE]));
    expect(e.endBlock(1n).length).toBe(1);
    expect(memberSet(e)).toEqual(["a"]);
  });

  test("a full group kicks its lowest member", () => {
    const e = engine({ maxMembers: 2 });
    accept(e, "a", "b", "c");
    support(e, "a", 30n);
    support(e, "b", 20n);
    support(e, "c", 10n);
    e.endBlock(1n);
    expect(memberSet(e)).toEqual(["a", "b"]);
    support(e, "c", 25n);
    expect(e.endBlock(2n)).toEqual([
      { kind: DecisionKind.Kicked, address: "b", sequence: 2n, tally: 20n, by: "c", reason: KickReason.Outranked },
      { kind: DecisionKind.Admitted, address: "c", sequence: 3n, tally: 25n },
    ]);
    expect(memberSet(e)).toEqual(["a", "c"]);
    // The kicked member stays eligible and can come back with enough support.
    support(e, "b", 26n);
    expect(e.endBlock(3n).map((d) => d.kind)).toEqual([DecisionKind.Kicked, DecisionKind.Admitted]);
    expect(e.sequenceOf("b")).toBe(4n);
    expectConsistent(e);
  });

  test("a challenger tied with a member does not get in", () => {
    const e = engine({ maxMembers: 2 });
    accept(e, "a", "b", "c");
    support(e, "a", 30n);
    support(e, "b", 20n);
    e.endBlock(1n);
    support(e, "c", 20n);
    expect(e.endBlock(2n)).toEqual([]);
    expect(memberSet(e)).toEqual(["a", "b"]);
    support(e, "c", 21n);
    expect(e.endBlock(3n).map((d) => d.kind)).toEqual([DecisionKind.Kicked, DecisionKind.Admitted]);
    expect(memberSet(e)).toEqual(["a", "c"]);
  });

  test("of two tied lowest members the smaller sequence number stays", () => {
    const e = engine({ maxMembers: 3 });
    accept(e, "x", "a", "b", "c");
    support(e, "x", 100n);
    support(e, "a", 10n);
    e.endBlock(1n); // x: 1, a: 2
    support(e, "b", 10n);
    e.endBlock(2n); // b: 3, tied with a
    expect(e.sequenceOf("a")).toBe(2n);
    expect(e.sequenceOf("b")).toBe(3n);
    expect(e.lowestMember()?.address).toBe("b");
    support(e, "c", 11n);
    expect(e.endBlock(3n)).toEqual([
      { kind: DecisionKind.Kicked, address: "b", sequence: 3n, tally: 10n, by: "c", reason: KickReason.Outranked },
      { kind: DecisionKind.Admitted, address: "c", sequence: 4n, tally: 11n },
    ]);
    expect(memberSet(e)).toEqual(["a", "c", "x"]);
  });

  test("among challengers tied on support the earliest acceptance goes first", () => {
    const e = engine({ maxMembers: 1 });
    e.markEligible("late", { height: 7n, index: 0 });
    e.markEligible("same-block-second", { height: 3n, index: 5 });
    e.markEligible("same-block-first", { height: 3n, index: 2 });
    for (const c of ["late", "same-block-second", "same-block-first"]) support(e, c, 10n);
    expect(e.endBlock(8n)).toEqual([{ kind: DecisionKind.Admitted, address: "same-block-first", sequence: 1n, tally: 10n }]);
    expect(e.challengerList(5).map((c) => c.address)).toEqual(["same-block-second", "late"]);
  });

  test("a member needs an accepting transaction", () => {
    const e = engine({ maxMembers: 2 });
    accept(e, "accepted");
    support(e, "popular", 1000n);
    support(e, "accepted", 1n);
    // "popular" has the most support but never accepted: it is not eligible and gets no seat.
    expect(e.endBlock(1n)).toEqual([{ kind: DecisionKind.Admitted, address: "accepted", sequence: 1n, tally: 1n }]);
    expect(e.isMember("popular")).toBe(false);
    expect(e.tallyOf("popular")).toBe(1000n); // support counted before acceptance
    e.markEligible("popular", { height: 2n, index: 0 });
    expect(e.endBlock(2n)).toEqual([{ kind: DecisionKind.Admitted, address: "popular", sequence: 2n, tally: 1000n }]);
  });

  test("a member that becomes ineligible is removed at once and the seat refilled at the end of the block", () => {
    const e = engine({ maxMembers: 2 });
    accept(e, "a", "b", "c");
    support(e, "a", 30n);
    support(e, "b", 20n);
    support(e, "c", 10n);
    e.endBlock(1n);
    expect(e.markIneligible("a", KickReason.BondBelowMinimum)).toEqual([
      { kind: DecisionKind.Kicked, address: "a", sequence: 1n, tally: 30n, by: null, reason: KickReason.BondBelowMinimum },
    ]);
    expect(e.isMember("a")).toBe(false);
    expect(e.isEligible("a")).toBe(false);
    expect(e.markIneligible("a", KickReason.BondBelowMinimum)).toEqual([]); // idempotent
    expect(e.endBlock(2n)).toEqual([{ kind: DecisionKind.Admitted, address: "c", sequence: 3n, tally: 10n }]);
    expectConsistent(e);
  });

  test("power change updates contributions exactly", () => {
    const e = engine();
    const third = ONE / 3n;
    e.castVote("d", 1000n, vote(["a", third], ["b", third], ["c", third]));
    e.castVote("other", 5n, vote(["a", ONE]));
    expect(e.tallyOf("a")).toBe(333n + 5n);
    const u = e.setVoterPower("d", 7n);
    expect(u?.record?.entries.map((x) => x.contribution)).toEqual([2n, 2n, 2n]);
    expect(u?.tallies).toEqual([
      { candidate: "a", tally: 7n },
      { candidate: "b", tally: 2n },
      { candidate: "c", tally: 2n },
    ]);
    // Large powers use the high word of the compact storage; still exact.
    const big = (1n << 95n) + 12345n;
    e.setVoterPower("d", big);
    expect(e.tallyOf("b")).toBe((big * third) / ONE);
    expect(e.voteOf("d")?.entries[0]?.contribution).toBe((big * third) / ONE);
    // Many changes leave no drift: back to zero power, the others' support is exactly what remains.
    for (let p = 0n; p < 200n; p += 7n) e.setVoterPower("d", p * 1_000_000_007n);
    e.setVoterPower("d", 0n);
    expect(e.tallyOf("a")).toBe(5n);
    expect(e.tallyOf("b")).toBe(0n);
    expect(e.setVoterPower("nobody", 10n)).toBeNull();
    expectConsistent(e);
    e.clearVote("d");
    e.clearVote("other");
    expect(e.tallyOf("a")).toBe(0n);
    expect(e.stats().candidateIds).toBe(0); // unreferenced addresses are forgotten
    expectConsistent(e);
  });

  test("lowering max members kicks the lowest members", () => {
    const e = engine({ maxMembers: 3 });
    accept(e, "a", "b", "c");
    support(e, "a", 3n);
    support(e, "b", 2n);
    support(e, "c", 1n);
    e.endBlock(1n);
    e.setParams({ ...e.getParams(), maxMembers: 1 });
    expect(e.endBlock(2n)).toEqual([
      { kind: DecisionKind.Kicked, address: "c", sequence: 3n, tally: 1n, by: null, reason: KickReason.SeatsReduced },
      { kind: DecisionKind.Kicked, address: "b", sequence: 2n, tally: 2n, by: null, reason: KickReason.SeatsReduced },
    ]);
    expect(memberSet(e)).toEqual(["a"]);
  });
});

describe("stabilization period", () => {
  function fullGroup(period: bigint): ReturnType<typeof engine> {
    const e = engine({ maxMembers: 2, stabilizationPeriod: period });
    accept(e, "a", "b", "c", "d");
    support(e, "a", 10n);
    support(e, "b", 20n);
    e.endBlock(1n); // b (more support) takes seq 1, a seq 2
    return e;
  }

  test("a replacement becomes a queue entry instead of a swap", () => {
    const e = fullGroup(3n);
    support(e, "c", 30n);
    expect(e.endBlock(10n)).toEqual([{ kind: DecisionKind.Queued, challenger: "c", replaces: "a", maturesAt: 13n }]);
    expect(memberSet(e)).toEqual(["a", "b"]);
    expect(e.queueEntries()).toEqual([{ challenger: "c", replaces: "a", maturesAt: 13n }]);
    expect(e.queueEntryOf("a")).toEqual(e.queueEntryOf("c"));
    // A challenger may be in at most one entry: no new entry for c next block.
    expect(e.endBlock(11n)).toEqual([]);
    expectConsistent(e);
  });

  test("a queued replacement blocks other entries against the same member", () => {
    const e = fullGroup(5n);
    support(e, "c", 30n);
    e.endBlock(10n); // c replaces a (10)
    support(e, "d", 15n); // outranks a (10) but not b (20)
    expect(e.endBlock(11n)).toEqual([]);
    expect(e.queueEntries()).toHaveLength(1);
    // Once d outranks the next untargeted member it gets its own entry, against b.
    support(e, "d", 25n);
    expect(e.endBlock(12n)).toEqual([{ kind: DecisionKind.Queued, challenger: "d", replaces: "b", maturesAt: 17n }]);
    expectConsistent(e);
  });

  test("a matured entry swaps", () => {
    const e = fullGroup(3n);
    support(e, "c", 30n);
    e.endBlock(10n);
    expect(e.endBlock(11n)).toEqual([]);
    expect(e.endBlock(12n)).toEqual([]);
    expect(e.endBlock(13n)).toEqual([
      {
        kind: DecisionKind.Swapped,
        challenger: "c",
        sequence: 3n,
        challengerTally: 30n,
        replaced: "a",
        replacedSequence: 2n,
        replacedTally: 10n,
      },
    ]);
    expect(memberSet(e)).toEqual(["b", "c"]);
    expect(e.queueEntries()).toEqual([]);
    expectConsistent(e);
  });

  test("a matured entry is dropped if the challenger no longer outranks", () => {
    const e = fullGroup(3n);
    support(e, "c", 30n);
    e.endBlock(10n);
    support(e, "c", 10n); // now tied with a: the incumbent keeps its seat
    expect(e.endBlock(13n)).toEqual([
      { kind: DecisionKind.QueueDropped, challenger: "c", replaces: "a", maturesAt: 13n, reason: DropReason.NoLongerOutranks },
    ]);
    expect(memberSet(e)).toEqual(["a", "b"]);
    expectConsistent(e);
  });

  test("a flip-flop before maturity does not matter, only the state at maturity", () => {
    const e = fullGroup(3n);
    support(e, "c", 30n);
    e.endBlock(10n);
    support(e, "c", 1n);
    e.endBlock(11n);
    support(e, "c", 30n);
    expect(e.endBlock(13n).map((d) => d.kind)).toEqual([DecisionKind.Swapped]);
  });

  test("an entry is dropped at once when its challenger becomes ineligible", () => {
    const e = fullGroup(3n);
    support(e, "c", 30n);
    e.endBlock(10n);
    expect(e.markIneligible("c", KickReason.Left)).toEqual([
      { kind: DecisionKind.QueueDropped, challenger: "c", replaces: "a", maturesAt: 13n, reason: DropReason.ChallengerIneligible },
    ]);
    expect(e.queueEntries()).toEqual([]);
    expectConsistent(e);
  });

  test("an entry is dropped when its target leaves, and the free seat is filled at once", () => {
    const e = fullGroup(3n);
    support(e, "c", 30n);
    e.endBlock(10n);
    expect(e.markIneligible("a", KickReason.Suspended)).toEqual([
      { kind: DecisionKind.Kicked, address: "a", sequence: 2n, tally: 10n, by: null, reason: KickReason.Suspended },
      { kind: DecisionKind.QueueDropped, challenger: "c", replaces: "a", maturesAt: 13n, reason: DropReason.TargetNotMember },
    ]);
    expect(e.endBlock(11n)).toEqual([{ kind: DecisionKind.Admitted, address: "c", sequence: 3n, tally: 30n }]);
    expectConsistent(e);
  });

  test("with a free seat admission is immediate even with a queue", () => {
    const e = fullGroup(5n);
    support(e, "c", 30n);
    e.endBlock(10n); // c queued against a
    e.setParams({ ...e.getParams(), maxMembers: 3 });
    expect(e.endBlock(11n)).toEqual([
      { kind: DecisionKind.QueueDropped, challenger: "c", replaces: "a", maturesAt: 15n, reason: DropReason.ChallengerAdmitted },
      { kind: DecisionKind.Admitted, address: "c", sequence: 3n, tally: 30n },
    ]);
    expect(memberSet(e)).toEqual(["a", "b", "c"]);
    expectConsistent(e);
  });

  test("entries for several challengers target distinct members, lowest first", () => {
    const e = engine({ maxMembers: 3, stabilizationPeriod: 2n });
    accept(e, "m1", "m2", "m3", "x", "y", "z");
    support(e, "m1", 10n);
    support(e, "m2", 20n);
    support(e, "m3", 30n);
    e.endBlock(1n);
    support(e, "x", 50n);
    support(e, "y", 25n);
    support(e, "z", 15n);
    // x → m1 (10); y (25) → m2 (20); z (15) does not outrank m3 (30).
    expect(e.endBlock(2n)).toEqual([
      { kind: DecisionKind.Queued, challenger: "x", replaces: "m1", maturesAt: 4n },
      { kind: DecisionKind.Queued, challenger: "y", replaces: "m2", maturesAt: 4n },
    ]);
    expect(e.endBlock(4n).map((d) => (d.kind === DecisionKind.Swapped ? `${d.challenger}>${d.replaced}` : d.kind))).toEqual([
      "x>m1",
      "y>m2",
    ]);
    expect(memberSet(e)).toEqual(["m3", "x", "y"]);
    expectConsistent(e);
  });
});
