/**
 * Random histories of votes, power changes, eligibility changes, parameter changes and blocks,
 * applied to the engine and to the naive reference model side by side.
 */
import fc from "fast-check";
import {
  ElectionError,
  ElectionInputError,
  Electionator,
  KickReason,
  ONE,
  ReferenceElection,
  type Decision,
  type ElectionParams,
  type ElectionatorOptions,
  type VoteEntry,
  type VoterRecord,
  type VoteUpdate,
} from "../../../src/x/dcert/electionator";

const CANDIDATES = ["c0", "c1", "c2", "c3", "c4", "c5", "c6"];
const VOTERS = ["v0", "v1", "v2", "v3", "v4", "v5"];

type Op =
  | { t: "vote"; voter: string; power: bigint; entries: VoteEntry[] }
  | { t: "clear"; voter: string }
  | { t: "power"; voter: string; power: bigint }
  | { t: "eligible"; candidate: string; index: number }
  | { t: "ineligible"; candidate: string; reason: KickReason }
  | { t: "block" }
  | { t: "maxMembers"; n: number }
  | { t: "period"; p: bigint };

// Coarse powers and shares make ties frequent, which is where the rules are subtle.
const power = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(0n, 1n, 2n, 3n, 4n, 6n, 12n, 100n) },
  { weight: 1, arbitrary: fc.constantFrom(10n ** 20n, (1n << 95n) + 7n) },
  // Around 2^53: the last powers of the engine's exact double arithmetic and the first past it,
  // and tallies that differ by less than Number() can tell apart (its comparators' prefilter).
  { weight: 1, arbitrary: fc.constantFrom((1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n) },
);
const share = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(ONE / 2n, ONE / 3n, ONE / 4n, ONE / 5n) },
  { weight: 2, arbitrary: fc.constantFrom(ONE, 1n) }, { weight: 1, arbitrary: fc.constantFrom(0n, ONE + 1n) },
);
const entry = fc.record({ candidate: fc.constantFrom(...CANDIDATES), share });
const voter = fc.constantFrom(...VOTERS);
const candidate = fc.constantFrom(...CANDIDATES);

function opArb(withPeriodChanges: boolean): fc.Arbitrary<Op> {
  const ops: fc.WeightedArbitrary<Op>[] = [
    {
      weight: 6,
      arbitrary: fc.record({
        t: fc.constant("vote" as const),
        voter,
        power,
        entries: fc.array(entry, { maxLength: 5, size: "max" }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ t: fc.constant("clear" as const), voter }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant("power" as const), voter, power }) },
    { weight: 3, arbitrary: fc.record({ t: fc.constant("eligible" as const), candidate, index: fc.nat(3) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant("ineligible" as const),
        candidate,
        reason: fc.constantFrom(KickReason.Left, KickReason.BondBelowMinimum, KickReason.Suspended),
      }),
    },
    { weight: 5, arbitrary: fc.record({ t: fc.constant("block" as const) }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant("maxMembers" as const), n: fc.nat(4) }) },
  ];
  if (withPeriodChanges) ops.push({ weight: 1, arbitrary: fc.record({ t: fc.constant("period" as const), p: fc.bigInt(0n, 3n) }) });
  return fc.oneof(...ops);
}

/** Histories long enough to fill the group, churn it and mature queue entries. */
function history(withPeriodChanges: boolean, maxLength: number): fc.Arbitrary<Op[]> {
  return fc.array(opArb(withPeriodChanges), { minLength: 1, maxLength, size: "max" });
}

/** Runs `f`, returning its result or the engine's input error code. */
function outcome<T>(f: () => T): T | ElectionError {
  try {
    return f();
  } catch (err) {
    if (err instanceof ElectionInputError) return err.code;
    throw err;
  }
}

class Harness {
  height = 0n;
  /** Votes and power changes go through stageVote / stageVoterPower (as the keeper's EndBlock does). */
  staged = false;
  /** The tallies the last clearVote reported. */
  cleared: readonly { candidate: string; tally: bigint }[] = [];
  constructor(
    readonly engine: Electionator,
    readonly ref: ReferenceElection,
  ) {}

  static create(params: ElectionParams, options: ElectionatorOptions = {}): Harness {
    return new Harness(new Electionator(params, options), new ReferenceElection(params));
  }

  /** Applies one op to both; returns the engine's decisions (for blocks and ineligibility). */
  apply(op: Op): Decision[] {
    const { engine: e, ref: r } = this;
    switch (op.t) {
      case "vote": {
        const a = outcome(() => (this.staged ? e.stageVote(op.voter, op.power, op.entries) : e.castVote(op.voter, op.power, op.entries)));
        const b = outcome(() => r.castVote(op.voter, op.power, op.entries));
        expect(typeof a === "number" ? a : ElectionError.None).toBe(typeof b === "number" ? b : ElectionError.None);
        return [];
      }
      case "clear":
        this.cleared = e.clearVote(op.voter).tallies;
        r.clearVote(op.voter);
        return [];
      case "power":
        if (this.staged) e.stageVoterPower(op.voter, op.power);
        else e.setVoterPower(op.voter, op.power);
        r.setVoterPower(op.voter, op.power);
        return [];
      case "eligible": {
        const acceptance = { height: this.height, index: op.index };
        e.markEligible(op.candidate, acceptance);
        r.markEligible(op.candidate, acceptance);
        return [];
      }
      case "ineligible": {
        const d = e.markIneligible(op.candidate, op.reason);
        const expected = r.markIneligible(op.candidate, op.reason);
        if (!sameJson(d, expected)) expect(d).toEqual(expected);
        return d;
      }
      case "maxMembers": {
        const p = { ...e.getParams(), maxMembers: op.n };
        e.setParams(p);
        r.params = p;
        return [];
      }
      case "period": {
        const p = { ...e.getParams(), stabilizationPeriod: op.p };
        e.setParams(p);
        r.params = p;
        return [];
      }
      case "block": {
        this.height++;
        const d = e.endBlock(this.height);
        const expected = r.endBlock(this.height);
        if (!sameJson(d, expected)) expect(d).toEqual(expected);
        return d;
      }
    }
  }

  /** Engine and reference agree on everything observable, and the engine is self-consistent. */
  compare(): void {
    const { engine: e, ref: r } = this;
    const problems = e.checkInvariants();
    if (problems.length > 0) expect(problems).toEqual([]);
    const tallies = r.tallies();
    // Every tally also equals the sum of the stored contributions, recomputed from exported records.
    const sums = new Map<string, bigint>();
    let staleContributions = 0;
    for (const v of e.exportVoters()) {
      for (const x of v.entries) {
        if (x.contribution !== (v.power * x.share) / ONE) staleContributions++;
        sums.set(x.candidate, (sums.get(x.candidate) ?? 0n) + x.contribution);
      }
    }
    const actual = {
      members: [...e.memberList()].map((m) => `${m.address}#${m.sequence}`).sort(),
      lastSequence: e.lastSequence,
      queue: e.queueEntries(),
      tallies: CANDIDATES.map((c) => e.tallyOf(c)),
      sums: CANDIDATES.map((c) => sums.get(c) ?? 0n),
      eligible: CANDIDATES.filter((c) => e.isEligible(c)),
      staleContributions,
    };
    const expected = {
      members: [...r.members].map(([a, s]) => `${a}#${s}`).sort(),
      lastSequence: r.lastSequence,
      queue: r.sortedQueue(),
      tallies: CANDIDATES.map((c) => tallies.get(c) ?? 0n),
      sums: CANDIDATES.map((c) => tallies.get(c) ?? 0n),
      eligible: CANDIDATES.filter((c) => r.eligible.has(c)),
      staleContributions: 0,
    };
    if (!sameJson(actual, expected)) expect(actual).toEqual(expected);
  }

  /** With period 0, right after a block nobody eligible deserves a seat that someone else holds. */
  checkSettled(): void {
    const e = this.engine;
    const max = e.getParams().maxMembers;
    expect(e.memberCount).toBeLessThanOrEqual(max);
    const best = e.bestChallenger();
    if (best === undefined) return;
    if (e.memberCount < max) expect(best.tally).toBe(0n);
    else {
      const low = e.lowestMember();
      if (low !== undefined) expect(best.tally <= low.tally).toBe(true);
    }
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  const f = (_k: string, v: unknown): unknown => (typeof v === "bigint" ? `${v}n` : v);
  return JSON.stringify(a, f) === JSON.stringify(b, f);
}

const params = (period: bigint): ElectionParams => ({ maxMembers: 3, stabilizationPeriod: period, maxVoteEntries: 4 });

describe("electionator against the reference model", () => {
  test("period 0: members after every block equal the incremental reference selection", () => {
    fc.assert(
      fc.property(history(false, 120), (ops) => {
        const h = Harness.create(params(0n));
        for (const op of ops) {
          h.apply(op);
          h.compare();
          if (op.t === "block") {
            h.checkSettled();
            expect(h.engine.queueEntries()).toEqual([]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  test("period > 0: queue constraints hold and decisions equal the reference", () => {
    fc.assert(
      fc.property(fc.bigInt(1n, 3n), history(true, 120), (period, ops) => {
        const h = Harness.create(params(period));
        for (const op of ops) {
          h.apply(op);
          h.compare();
          const q = h.engine.queueEntries();
          const challengers = new Set(q.map((x) => x.challenger));
          const targets = new Set(q.map((x) => x.replaces));
          expect(challengers.size).toBe(q.length); // a challenger is in at most one entry
          expect(targets.size).toBe(q.length); // no two entries target the same member
          for (const x of q) {
            expect(h.engine.isMember(x.replaces)).toBe(true);
            expect(h.engine.isMember(x.challenger)).toBe(false);
            expect(h.engine.isEligible(x.challenger)).toBe(true);
            expect(x.maturesAt > h.height).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  test("renumbering candidate ids as often as possible changes no decision", () => {
    let renumbered = 0;
    fc.assert(
      fc.property(fc.bigInt(0n, 3n), history(true, 120), (period, ops) => {
        const h = Harness.create(params(period), { idCompactionFloor: 0 });
        for (const op of ops) {
          const slots = h.engine.stats().candidateSlots;
          h.apply(op);
          if (h.engine.stats().candidateSlots < slots) renumbered++;
          h.compare();
        }
      }),
      { numRuns: 200 },
    );
    expect(renumbered).toBeGreaterThan(0);
  });

  test("re-positioning moved candidates one by one or by rebuilding their trees changes no decision", () => {
    fc.assert(
      fc.property(fc.bigInt(0n, 3n), fc.boolean(), history(true, 120), (period, rebuildTrees, ops) => {
        const h = Harness.create(params(period), { rebuildTrees });
        for (const op of ops) {
          h.apply(op);
          h.compare();
        }
      }),
      { numRuns: 200 },
    );
  });

  test("votes staged for a block and applied together decide identically and report every moved tally", () => {
    let stagedTogether = 0;
    fc.assert(
      fc.property(fc.bigInt(0n, 3n), fc.boolean(), fc.boolean(), history(true, 160), (period, compactOften, foldOften, ops) => {
        const h = Harness.create(params(period), { ...(compactOften ? { idCompactionFloor: 0 } : {}), ...(foldOften ? { foldWordsAfter: 0 } : {}) });
        h.staged = true;
        const talliesNow = (): Map<string, bigint> => new Map(CANDIDATES.map((c) => [c, h.engine.tallyOf(c)]));
        let before = talliesNow();
        let reported = new Set<string>();
        let run = 0;
        for (const op of ops) {
          if (op.t === "block") {
            // As the keeper: the block's staged changes are taken before its EndBlock. A candidate
            // whose tally moved is listed there once, with its tally now, or was reported by a
            // clearVote of the block.
            const changes = h.engine.commitStaged();
            const listed = new Map(changes.map((c) => [c.candidate, c.tally]));
            expect(listed.size).toBe(changes.length);
            for (const c of CANDIDATES) {
              const now = h.engine.tallyOf(c);
              if (listed.has(c)) expect([c, listed.get(c)]).toEqual([c, now]);
              else if (now !== before.get(c)) expect([c, reported.has(c)]).toEqual([c, true]);
            }
            reported = new Set();
            if (run > 1) stagedTogether++;
            run = 0;
          } else if (op.t === "vote" || op.t === "power") run++;
          else run = 0; // any other call applies what is staged
          h.apply(op);
          if (op.t === "clear") for (const t of h.cleared) reported.add(t.candidate);
          if (op.t === "block") {
            h.compare();
            before = talliesNow();
          }
        }
        h.engine.commitStaged();
        h.compare();
      }),
      { numRuns: 300 },
    );
    expect(stagedTogether).toBeGreaterThan(100);
  });

  test("an engine restored from its exported records continues identically", () => {
    fc.assert(
      fc.property(
        fc.bigInt(0n, 2n),
        history(true, 60),
        history(true, 60),
        (period, before, after) => {
          const h = Harness.create(params(period));
          for (const op of before) h.apply(op);
          const state = h.engine.exportState();
          const restored = Electionator.restore(state.header, [...state.voters].reverse());
          expect(restored.exportState()).toEqual(state);
          let height = h.height;
          for (const op of after) {
            // The original runs with its reference check; the restored engine must return the same.
            const d = h.apply(op);
            switch (op.t) {
              case "vote":
                outcome(() => restored.castVote(op.voter, op.power, op.entries));
                break;
              case "clear":
                restored.clearVote(op.voter);
                break;
              case "power":
                restored.setVoterPower(op.voter, op.power);
                break;
              case "eligible":
                restored.markEligible(op.candidate, { height, index: op.index });
                break;
              case "ineligible":
                expect(restored.markIneligible(op.candidate, op.reason)).toEqual(d);
                break;
              case "maxMembers":
                restored.setParams({ ...restored.getParams(), maxMembers: op.n });
                break;
              case "period":
                restored.setParams({ ...restored.getParams(), stabilizationPeriod: op.p });
                break;
              case "block":
                height++;
                expect(restored.endBlock(height)).toEqual(d);
                break;
            }
          }
          expect(restored.exportState()).toEqual(h.engine.exportState());
          expect(restored.checkInvariants()).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  test("an engine restarted from tallies at random points, loading voters on demand or ahead, decides identically", () => {
    let loaded = 0;
    let restarts = 0;
    let warmed = 0;
    // "warm": voters taken in ahead of the ops that change them (the node does it at CheckTx).
    type LazyOp = Op | { t: "restart" } | { t: "warm"; voters: string[] };
    const lazyHistory = (maxLength: number): fc.Arbitrary<LazyOp[]> =>
      fc.array(
        fc.oneof(
          { weight: 12, arbitrary: opArb(true) },
          { weight: 1, arbitrary: fc.constant({ t: "restart" as const }) },
          { weight: 2, arbitrary: fc.subarray([...VOTERS], { minLength: 1 }).map((voters) => ({ t: "warm" as const, voters })) },
        ),
        {
        minLength: 1,
        maxLength,
        size: "max",
      });
    fc.assert(
      fc.property(fc.bigInt(0n, 2n), fc.boolean(), fc.boolean(), lazyHistory(150), (period, compactOften, staged, ops) => {
        // `h` never restarts (and is checked against the reference). `lazy` is restarted from what
        // a keeper would have persisted from its own results: voter records and tallies.
        const h = Harness.create(params(period));
        const store = new Map<string, VoterRecord>();
        const tallies = new Map<string, bigint>();
        const loader = (voter: string): VoterRecord | undefined => {
          const r = store.get(voter);
          if (r !== undefined) loaded++;
          return r;
        };
        const options: ElectionatorOptions = compactOften ? { idCompactionFloor: 0 } : {};
        let lazy = new Electionator(params(period), options);
        const persist = (u: VoteUpdate | null | ElectionError): void => {
          if (u === null || typeof u === "number") return;
          if (u.record === null) store.delete(u.voter);
          else store.set(u.voter, u.record);
          for (const t of u.tallies) {
            if (t.tally === 0n) tallies.delete(t.candidate);
            else tallies.set(t.candidate, t.tally);
          }
        };
        // Staged (as the keeper): records are persisted as each vote is staged, tallies when the
        // staged changes are taken (before each block, and before a restart: a node stops between
        // blocks).
        const persistTallies = (changes: readonly { candidate: string; tally: bigint }[]): void => {
          for (const t of changes) {
            if (t.tally === 0n) tallies.delete(t.candidate);
            else tallies.set(t.candidate, t.tally);
          }
        };
        const persistRecord = (voter: string, r: VoterRecord | null | undefined | ElectionError): void => {
          if (r === undefined || typeof r === "number") return;
          if (r === null) store.delete(voter);
          else store.set(voter, r);
        };
        for (const op of ops) {
          if (staged && (op.t === "restart" || op.t === "block")) persistTallies(lazy.commitStaged());
          if (op.t === "warm") {
            const before = lazy.voterCount;
            const n = lazy.takeInAhead(op.voters, loader);
            expect(lazy.voterCount).toBe(before + n);
            warmed += n;
            continue;
          }
          if (op.t === "restart") {
            lazy = Electionator.restoreFromTallies(lazy.exportHeader(), [...tallies].reverse(), loader, options);
            expect(lazy.voterCount).toBe(0);
            restarts++;
            continue;
          }
          const d = h.apply(op);
          switch (op.t) {
            case "vote":
              if (staged) persistRecord(op.voter, outcome(() => lazy.stageVote(op.voter, op.power, op.entries)));
              else persist(outcome(() => lazy.castVote(op.voter, op.power, op.entries)));
              break;
            case "clear":
              persist(lazy.clearVote(op.voter));
              break;
            case "power":
              if (staged) persistRecord(op.voter, lazy.stageVoterPower(op.voter, op.power));
              else persist(lazy.setVoterPower(op.voter, op.power));
              break;
            case "eligible":
              lazy.markEligible(op.candidate, { height: h.height, index: op.index });
              break;
            case "ineligible":
              expect(lazy.markIneligible(op.candidate, op.reason)).toEqual(d);
              break;
            case "maxMembers":
              lazy.setParams({ ...lazy.getParams(), maxMembers: op.n });
              break;
            case "period":
              lazy.setParams({ ...lazy.getParams(), stabilizationPeriod: op.p });
              break;
            case "block":
              expect(lazy.endBlock(h.height)).toEqual(d);
              break;
          }
          // Staged: compared at blocks only (every comparing call applies what is staged).
          if (staged && op.t !== "block") continue;
          const problems = lazy.checkInvariants();
          if (problems.length > 0) expect(problems).toEqual([]);
          const e = h.engine;
          const actual = {
            header: lazy.exportHeader(),
            tallies: CANDIDATES.map((c) => lazy.tallyOf(c)),
            stored: CANDIDATES.map((c) => tallies.get(c) ?? 0n),
            best: lazy.bestChallenger(),
            lowest: lazy.lowestMember(),
            challengers: lazy.challengerList(CANDIDATES.length),
            members: lazy.memberList(),
          };
          const expected = {
            header: e.exportHeader(),
            tallies: CANDIDATES.map((c) => e.tallyOf(c)),
            stored: CANDIDATES.map((c) => e.tallyOf(c)),
            best: e.bestChallenger(),
            lowest: e.lowestMember(),
            challengers: e.challengerList(CANDIDATES.length),
            members: e.memberList(),
          };
          if (!sameJson(actual, expected)) expect(actual).toEqual(expected);
        }
        if (staged) persistTallies(lazy.commitStaged());
        // The persisted votes are the uninterrupted engine's, and asking the lazy engine for each
        // voter (loading it if needed) gives the same records.
        expect([...store.values()].sort((a, b) => (a.voter < b.voter ? -1 : 1))).toEqual([...h.engine.exportVoters()]);
        for (const v of VOTERS) expect(lazy.voteOf(v)).toEqual(h.engine.voteOf(v));
        expect(lazy.checkInvariants()).toEqual([]);
      }),
      { numRuns: 300 },
    );
    expect(restarts).toBeGreaterThan(100);
    expect(loaded).toBeGreaterThan(100);
    expect(warmed).toBeGreaterThan(100);
  });
});
