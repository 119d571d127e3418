/**
 * Restoring from tallies (the node's restart path): what the restore checks, that voters are loaded
 * only when used or taken in ahead, and that a stored record inconsistent with the tallies is
 * refused without any change to the engine.
 */
import { ElectionError, ElectionInputError, Electionator, ONE, type VoterRecord } from "../../../src/x/dcert/electionator";
import { accept, engine, expectConsistent, pct, vote } from "./helpers";

function fail(why: string): never {
  throw new Error(why);
}

function codeOf(f: () => unknown): ElectionError | "no error" {
  try {
    f();
    return "no error";
  } catch (err) {
    if (err instanceof ElectionInputError) return err.code;
    throw err;
  }
}

/** An engine with two voters, and what a store would hold for it. */
function running(): { e: Electionator; tallies: [string, bigint][]; records: Map<string, VoterRecord> } {
  const e = engine({ maxMembers: 1 });
  accept(e, "a", "b");
  e.castVote("v1", 1000n, vote(["a", pct(60)], ["b", pct(40)]));
  e.castVote("v2", 500n, vote(["b", ONE]));
  e.endBlock(1n);
  const records = new Map([...e.exportVoters()].map((r) => [r.voter, r]));
  return { e, tallies: [["a", e.tallyOf("a")], ["b", e.tallyOf("b")]], records };
}

describe("Electionator.restoreFromTallies", () => {
  test("restores members and ranking without reading a vote, then loads a voter when it changes", () => {
    const { e, tallies, records } = running();
    const asked: string[] = [];
    const lazy = Electionator.restoreFromTallies(e.exportHeader(), tallies, (v) => {
      asked.push(v);
      return records.get(v);
    });
    expect(lazy.allVotersResident).toBe(false);
    expect(lazy.voterCount).toBe(0);
    expect(lazy.exportHeader()).toEqual(e.exportHeader());
    expect(lazy.challengerList(5)).toEqual(e.challengerList(5));
    expect(asked).toEqual([]);
    // v2 moves its whole support from b to a: a (600 + 500) now outranks b (400).
    const upd = lazy.castVote("v2", 500n, vote(["a", ONE]));
    expect(asked).toEqual(["v2"]);
    expect(upd.tallies).toEqual(e.castVote("v2", 500n, vote(["a", ONE])).tallies);
    expect(lazy.voterCount).toBe(1);
    expect(lazy.endBlock(2n)).toEqual(e.endBlock(2n));
    expect(lazy.setVoterPower("nobody", 5n)).toBeNull();
    expect(lazy.voteOf("v1")).toEqual(e.voteOf("v1"));
    expectConsistent(lazy);
  });

  test("refuses an inconsistent header or tally list", () => {
    const { e } = running();
    const h = e.exportHeader();
    expect(codeOf(() => Electionator.restoreFromTallies(h, [["a", -1n]]))).toBe(ElectionError.InconsistentState);
    expect(codeOf(() => Electionator.restoreFromTallies(h, [["a", 5n], ["a", 5n]]))).toBe(ElectionError.InconsistentState);
    expect(codeOf(() => Electionator.restoreFromTallies(h, [["", 5n]]))).toBe(ElectionError.InconsistentState);
    expect(codeOf(() => Electionator.restoreFromTallies({ ...h, members: [{ address: "zz", sequence: 1n }] }, []))).toBe(ElectionError.InconsistentState);
    // A tally of 0 is the same as no record.
    expect(Electionator.restoreFromTallies(h, [["a", 0n]]).tallyOf("a")).toBe(0n);
  });

  test("a stored record that the tallies do not cover, or that is invalid, is refused and changes nothing", () => {
    const { e, tallies, records } = running();
    const v1 = records.get("v1")!;
    const bad: [string, VoterRecord, ElectionError][] = [
      ["stale contribution", { ...v1, entries: v1.entries.map((x) => ({ ...x, contribution: x.contribution + 1n })) }, ElectionError.ContributionMismatch],
      ["more than the tally", { ...v1, power: 10n ** 6n, entries: vote(["a", pct(60)]).map((x) => ({ ...x, contribution: 6n * 10n ** 5n })) }, ElectionError.ContributionMismatch],
      ["an address without tally", { ...v1, entries: [{ candidate: "zz", share: ONE, contribution: 1000n }] }, ElectionError.ContributionMismatch],
      ["duplicate candidate", { ...v1, entries: [v1.entries[0]!, v1.entries[0]!] }, ElectionError.InconsistentState],
      ["another voter's record", records.get("v2")!, ElectionError.InconsistentState],
      ["power out of range", { ...v1, power: -1n }, ElectionError.InconsistentState],
    ];
    for (const [what, record, code] of bad) {
      const lazy = Electionator.restoreFromTallies(e.exportHeader(), tallies, (v) => (v === "v1" ? record : records.get(v)));
      expect([what, codeOf(() => lazy.castVote("v1", 1000n, vote(["b", ONE])))]).toEqual([what, code]);
      expect([what, lazy.voterCount, lazy.tallyOf("a"), lazy.tallyOf("b")]).toEqual([what, 0, e.tallyOf("a"), e.tallyOf("b")]);
      expect([what, lazy.checkInvariants()]).toEqual([what, []]);
    }
  });

  test("without a loader bound it throws instead of guessing; engines holding every voter never ask", () => {
    const { e, tallies, records } = running();
    const lazy = Electionator.restoreFromTallies(e.exportHeader(), tallies, (v) => records.get(v));
    lazy.setLoader(undefined);
    expect(() => lazy.clearVote("v1")).toThrow(/not in memory and no loader is bound/);
    lazy.setLoader((v) => records.get(v));
    expect(lazy.clearVote("v1").tallies).toEqual([
      { candidate: "a", tally: 0n },
      { candidate: "b", tally: 500n },
    ]);
    // A fully restored engine holds every voter: a loader, even a throwing one, is never called.
    const full = Electionator.restore(e.exportHeader(), records.values());
    full.setLoader(() => {
      throw new Error("asked");
    });
    expect(full.allVotersResident).toBe(true);
    expect(full.clearVote("unknown").record).toBeNull();
    expect(full.voteOf("v2")).toEqual(records.get("v2"));
  });

  test("takeInAhead loads voters before their change and nothing else: the change then reads nothing", () => {
    const { e, tallies, records } = running();
    const asked: string[] = [];
    const loader = (v: string): VoterRecord | undefined => {
      asked.push(v);
      return records.get(v);
    };
    const lazy = Electionator.restoreFromTallies(e.exportHeader(), tallies, loader);
    const before = { header: lazy.exportHeader(), a: lazy.tallyOf("a"), b: lazy.tallyOf("b"), challengers: lazy.challengerList(5) };
    expect(lazy.takeInAhead(["v2", "nobody", "v1"], loader)).toBe(2);
    expect(asked).toEqual(["v2", "nobody", "v1"]);
    expect({ header: lazy.exportHeader(), a: lazy.tallyOf("a"), b: lazy.tallyOf("b"), challengers: lazy.challengerList(5) }).toEqual(before);
    expect(lazy.voterCount).toBe(2);
    // Voters in memory are not read again; the vote that follows finds v2 in memory.
    expect(lazy.takeInAhead(["v1", "v2"], loader)).toBe(0);
    expect(lazy.castVote("v2", 500n, vote(["a", ONE])).tallies).toEqual(e.castVote("v2", 500n, vote(["a", ONE])).tallies);
    expect(asked).toEqual(["v2", "nobody", "v1"]);
    expect(lazy.endBlock(2n)).toEqual(e.endBlock(2n));
    expectConsistent(lazy);
    // An engine holding every voter never reads ahead.
    const full = Electionator.restore(e.exportHeader(), records.values());
    expect(full.takeInAhead(["v1", "zz"], () => fail("asked"))).toBe(0);
  });

  test("takeInAhead waits while staged votes are not committed, and stops at a bad record without a change", () => {
    const { e, tallies, records } = running();
    const lazy = Electionator.restoreFromTallies(e.exportHeader(), tallies, (v) => records.get(v));
    lazy.stageVote("v9", 10n, vote(["a", ONE]));
    expect(lazy.takeInAhead(["v1"], (v) => records.get(v))).toBe(0);
    lazy.commitStaged();
    expect(lazy.takeInAhead(["v1"], (v) => records.get(v))).toBe(1);
    const v2 = records.get("v2")!;
    const stale: VoterRecord = { ...v2, entries: v2.entries.map((x) => ({ ...x, contribution: x.contribution + 1n })) };
    const fresh = Electionator.restoreFromTallies(e.exportHeader(), tallies, (v) => records.get(v));
    // v2's record is stale: v2 is not taken in and the voters after it are not read.
    expect(fresh.takeInAhead(["v2", "v1"], (v) => (v === "v2" ? stale : records.get(v)))).toBe(0);
    expect(fresh.takeInAhead(["v1", "v2"], (v) => (v === "v2" ? records.get("v1") : records.get(v)))).toBe(1);
    expect([fresh.voterCount, fresh.tallyOf("a"), fresh.tallyOf("b"), fresh.checkInvariants()]).toEqual([1, e.tallyOf("a"), e.tallyOf("b"), []]);
    // The change that needs v2 meets the bad record then.
    fresh.setLoader((v) => (v === "v2" ? stale : records.get(v)));
    expect(codeOf(() => fresh.clearVote("v2"))).toBe(ElectionError.ContributionMismatch);
  });
});
