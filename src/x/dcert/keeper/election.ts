/**
 * The in-memory election engine as a derived index of the store.
 *
 * The store is the source of truth. The engine (src/x/dcert/electionator) is rebuilt from the election
 * records (votes, eligibility, members, queue, meta — see keys.ts) and is only ever changed by
 * the module's EndBlock during FinalizeBlock, i.e. on the block state that is never rolled back.
 * Transactions, simulation and queries never touch it: they write inputs (pending votes, dirty
 * markers) that EndBlock applies, or read the records; CheckTx only warms it (below).
 *
 * Crash safety: the index remembers the height whose end it reflects. EndBlock of height H needs
 * the engine at the end of H-1 (= the committed state the block started from); anything else —
 * first use after start, InitChain, a FinalizeBlock that ran without its Commit, an EndBlock that
 * threw half-way — makes it rebuild from the records first. Rebuilding reads the records of the
 * current block state, which EndBlock alone writes, so they still describe the end of H-1.
 *
 * Rebuilding reads no vote (`Electionator.restoreFromTallies`): the tally records (0x13) already
 * sum every stored vote, so the engine starts from the tallies, eligibility, members, queue and
 * meta — O(candidates) — and takes a voter's vote record (0x10) in only when the EndBlock first
 * changes that voter. Which context it reads: `beginEndBlock` binds the loader to the ctx of the
 * EndBlock being run and `settle` unbinds it, so the engine never reads another block's state
 * (or a discarded one). That read is right in every later block too: a voter's record is written
 * only by EndBlock from the engine's result for that voter, i.e. once the voter is in memory, so
 * the record of a voter not in memory is still the one the tallies counted at the rebuild. Genesis
 * import, the only other writer, invalidates the index.
 *
 * One thing happens outside EndBlock: `warm`, from CheckTx of a vote, takes that voter in ahead of
 * the block that will count the vote, so that EndBlock finds it in memory instead of reading and
 * checking its record then (the blocks after a restart). It is the same load, earlier, and only
 * while the engine reflects exactly the committed state CheckTx reads (its height is the last
 * committed one), so the record it reads is the one EndBlock would read. Which voters are in
 * memory differs between nodes anyway (each restarts when it does); nothing decided depends on it.
 */
import type { Context } from "../../../baseapp/context";
import { Electionator, type ElectionHeader, type EngineStats } from "../electionator";
import { electionParamsOf } from "./params";
import type { DcertRecords } from "./records";

export class ElectionIndex {
  private engine: Electionator | undefined;
  /** Height whose end the engine reflects; -1 while unknown or being changed. */
  private height = -1n;
  /** How many times the engine was rebuilt (for tests and logs). */
  rebuilds = 0;

  constructor(private readonly records: DcertRecords) {}

  /**
   * The engine for the EndBlock of `ctx.block.height`, rebuilt if it does not reflect the end of
   * the previous height. Marks the index as being changed until `settle` is called.
   */
  beginEndBlock(ctx: Context): Electionator {
    const want = ctx.block.height - 1n;
    let engine = this.engine;
    if (engine === undefined || this.height !== want) {
      engine = this.rebuild(ctx);
      this.engine = engine;
      this.rebuilds++;
    }
    this.height = -1n;
    const records = this.records;
    engine.setLoader((voter) => records.getVote(ctx, voter));
    return engine;
  }

  /** The EndBlock of `height` finished: the engine reflects its end. Unbinds the block's ctx. */
  settle(height: bigint): void {
    this.engine?.setLoader(undefined);
    this.height = height;
  }

  /**
   * Takes `voters` in ahead of the block that will change them (CheckTx of their votes): only if
   * the engine exists and reflects the end of `ctx.block.height`, which must be the last committed
   * height with `ctx` reading the committed state (CheckTx's context). Otherwise, e.g. between a
   * FinalizeBlock and its Commit, or before the first EndBlock after a start, it does nothing.
   * Returns how many voters it took in.
   */
  warm(ctx: Context, voters: readonly string[]): number {
    const engine = this.engine;
    if (engine === undefined || this.height !== ctx.block.height || voters.length === 0) return 0;
    const records = this.records;
    return engine.takeInAhead(voters, (voter) => records.getVote(ctx, voter));
  }

  /** The engine's size (voters in memory, candidates, entries), undefined before the first rebuild. For tests and logs. */
  engineStats(): EngineStats | undefined {
    return this.engine?.stats();
  }

  /** Forget the engine (genesis import replaced the records). */
  invalidate(): void {
    this.engine?.setLoader(undefined);
    this.engine = undefined;
    this.height = -1n;
  }

  /**
   * Rebuilds an engine from the election records except the votes (loaded on demand, see the top
   * of this file). PERF: O(candidates · log candidates), whatever the number of voters.
   */
  rebuild(ctx: Context): Electionator {
    const r = this.records;
    const meta = r.meta(ctx);
    const params = meta === undefined ? electionParamsOf(r.params(ctx)) : meta;
    const header: ElectionHeader = {
      params: { maxMembers: params.maxMembers, stabilizationPeriod: params.stabilizationPeriod, maxVoteEntries: params.maxVoteEntries },
      lastSequence: meta?.lastSequence ?? 0n,
      eligible: [...r.allEligible(ctx)],
      members: r.members(ctx),
      queue: r.queue(ctx),
    };
    return Electionator.restoreFromTallies(header, r.allTallies(ctx));
  }
}
