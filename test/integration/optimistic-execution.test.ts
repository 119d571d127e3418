/**
 * Optimistic execution on the real app (src/app/optimistic.ts): a chain that executes every
 * accepted proposal ahead, from ProcessProposal, must match a chain that executes at FinalizeBlock
 * only — results, app hashes, state and the dCERT election (the in-memory index EndBlock updates) —
 * including when the block finalized is not the one executed ahead (another proposal of the
 * height: the speculative state, the election's included, must not leak into the real block).
 */
import { ResponseProcessProposal_ProposalStatus, type RequestFinalizeBlock, type RequestProcessProposal, type ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import type { App } from "../../src/baseapp/app";
import { withOptimisticExecution, type OptimisticOutcome } from "../../src/app/optimistic";
import { accountValoper } from "../../src/x/staking/records";
import { dcertEnv, type DcertEnv, m, ONE } from "./dcert-harness";
import { BALANCES, electionScript, hex, PARAMS, summary } from "./election-script";

function proposalOf(req: RequestFinalizeBlock): RequestProcessProposal {
  return {
    txs: req.txs,
    proposedLastCommit: req.decidedLastCommit,
    misbehavior: req.misbehavior,
    hash: req.hash,
    height: req.height,
    time: req.time,
    nextValidatorsHash: req.nextValidatorsHash,
    proposerAddress: req.proposerAddress,
  };
}

/**
 * Routes every FinalizeBlock of `app` the way CometBFT drives a node: ProcessProposal of the
 * proposal (by default the block itself; `executeAheadInstead` makes the next one another block of
 * the height), the deferred run, then FinalizeBlock through the wrapper.
 */
function optimistic(app: App): { outcomes: (OptimisticOutcome | undefined)[]; executeAheadInstead: (req: RequestFinalizeBlock) => void } {
  const inner = { processProposal: app.processProposal.bind(app), finalizeBlock: app.finalizeBlock.bind(app) };
  let queued: (() => void)[] = [];
  const oe = withOptimisticExecution(inner, {
    defer: (fn) => {
      queued.push(fn);
      return () => {
        queued = queued.filter((f) => f !== fn);
      };
    },
  });
  const outcomes: (OptimisticOutcome | undefined)[] = [];
  let instead: RequestFinalizeBlock | undefined;
  app.finalizeBlock = (req: RequestFinalizeBlock): ResponseFinalizeBlock => {
    const ahead = instead ?? req;
    instead = undefined;
    const status = oe.processProposal(proposalOf(ahead));
    expect(status).toEqual({ status: ResponseProcessProposal_ProposalStatus.ACCEPT });
    const run = queued;
    queued = [];
    for (const f of run) f();
    const res = oe.finalizeBlock(req) as ResponseFinalizeBlock;
    outcomes.push(oe.takeOptimisticOutcome());
    return res;
  };
  return {
    outcomes,
    executeAheadInstead: (req) => {
      instead = req;
    },
  };
}

describe("optimistic execution", () => {
  test("executing accepted proposals ahead gives the same results, app hashes, state and election, also when another block is finalized", async () => {
    const a = await dcertEnv({ balances: BALANCES, params: PARAMS });
    const b = await dcertEnv({ balances: BALANCES, params: PARAMS });
    const oe = optimistic(b.app);
    expect(hex(b.app.lastAppHash)).toBe(hex(a.app.lastAppHash));

    // The shared script, and in block 1 the voter (account 4) delegates, so that it has power of
    // its own: it votes only in the proposal executed ahead below.
    const script = async (env: DcertEnv, step: number): Promise<Uint8Array[]> => {
      const txs = await electionScript(env, step);
      const [op, , , , voter] = [0, 1, 2, 3, 4].map((i) => env.acct(i));
      if (op === undefined || voter === undefined) throw new Error("accounts");
      return step === 0 ? [...txs, await env.sign(voter, [m.delegate(voter.address, accountValoper(op.address), 5_000_000_000n)])] : txs;
    };

    for (let step = 0; step < 5; step++) {
      if (step === 2) {
        // Executed ahead: another proposal of the height, with another vote of the same signer
        // and sequence, and a vote of a voter the block finalized does not carry, both for c2 (so
        // the election it leaves behind differs); the block finalized is the script's.
        const [op, , c2, , voter] = [0, 1, 2, 3, 4].map((i) => b.acct(i));
        if (op === undefined || c2 === undefined || voter === undefined) throw new Error("accounts");
        const other = [await b.sign(op, [m.vote(op.address, [[c2.address, ONE]])]), await b.sign(voter, [m.vote(voter.address, [[c2.address, ONE]])])];
        b.forgetSignedInBlock();
        oe.executeAheadInstead(b.chain.nextBlockRequest(other));
      }
      const txs = await script(b, step);
      const ra = a.block(await script(a, step));
      const rb = b.block(txs);
      expect(summary(rb)).toEqual(summary(ra));
      expect(hex(b.app.lastAppHash)).toBe(hex(a.app.lastAppHash));
      expect(rb.txResults.every((r) => r.code === 0)).toBe(true);
      expect(b.members()).toEqual(a.members());
    }
    expect(oe.outcomes.map((o) => o?.used)).toEqual([true, true, false, true, true]);
    expect([...a.members().keys()].sort()).toEqual([a.addr(1), a.addr(3)].sort());
    expect(b.app.exportGenesis()).toEqual(a.app.exportGenesis());
  });
});
