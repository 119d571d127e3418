/**
 * The in-memory election engine as a derived index of the store.
 *
 * The store is the source of truth. The engine (src/x/dcert/electionator) is rebuilt from the election
 * records (votes, eligibility, members, queue, meta — see keys.ts) and is only ever changed by
 * the module's EndBlock during FinalizeBlock, i.e. on the block state that is never rolled back.
 * Transactions, CheckTx, simulation and queries never touch it: they write inputs (pending votes,
 * dirty markers) that EndBlock applies, or read the records.
 *
 * Crash safety: the index remembers the height whose end it reflects. EndBlock of height H needs
 * the engine at the end of H-1 (= the committed state the block started from); anything else —
 * first use after start, InitChain, a FinalizeBlock that ran without its Commit, an EndBlock that
 * threw half-way — makes it rebuild from the records first. Rebuilding reads the records of the
 * current block state, which EndBlock alone writes, so they still describe the end of H-1.
 */
import type { Context } from "../../../baseapp/context";
import { Electionator, type ElectionHeader } from "../electionator";
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
    return engine;
  }

  /** The EndBlock of `height` finished: the engine reflects its end. */
  settle(height: bigint): void {
    this.height = height;
  }

  /** Forget the engine (genesis import replaced the records). */
  invalidate(): void {
    this.engine = undefined;
    this.height = -1n;
  }

  /** Rebuilds an engine from the election records. PERF: O(vote entries + candidates · log candidates). */
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
    return Electionator.restore(header, r.allVotes(ctx));
  }
}
