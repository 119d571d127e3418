import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import type { Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { u64be } from "../../baseapp/encoding";
import { ErrLogic } from "../../baseapp/errors";
import { EventManager } from "../../baseapp/events";
import type { DecodedMsg } from "../../baseapp/router";
import { addDuration } from "../staking/time";
import { CacheKV } from "../../baseapp/store/cachekv";
import type { DepositDisposition, GovHooks, ProposalOutcome } from "./hooks";
import { GOV_STORE, idFromQueueKey, KEY, proposalKey, queueEndInclusive, queueKey, single } from "./keys";
import type { TallyDecision } from "./tally";
import { GOV_EVENTS, PROPOSAL_RESULT } from "./events";
import { addCoins, describe, type GovKeeper } from "./keeper";

// ---------------------------------------------------------------- end block
//
// x/gov's EndBlock: proposals whose deposit period ended are dropped, proposals whose voting period
// ended are tallied (tally.ts), then executed (passed) or rejected, their deposits refunded or burnt.

function dueIds(ctx: Context, queue: number): bigint[] {
  const ids: bigint[] = [];
  const start = single(queue);
  for (const [k] of ctx.kv(GOV_STORE).iterate(start, queueEndInclusive(queue, ctx.block.time))) ids.push(idFromQueueKey(k));
  return ids;
}

/** Processes proposals whose deposit period or voting period ended at or before the block time. */
export function endBlock(ctx: Context, gov: GovKeeper): void {
  for (const id of dueIds(ctx, KEY.inactiveQueue)) dropProposal(ctx, gov, id);
  for (const id of dueIds(ctx, KEY.activeQueue)) endVoting(ctx, gov, id);
}

function dropProposal(ctx: Context, gov: GovKeeper, id: bigint): void {
  const p = gov.getProposal(ctx, id);
  if (p === undefined || p.depositEndTime === undefined) throw ErrLogic.wrap(`inactive queue names missing proposal ${id}`);
  const { msgs } = gov.storedMessages(p);
  const burn = runEndHooks(ctx, gov, id, "afterProposalDropped", (h, hctx) => h.afterProposalDropped?.(hctx, id, msgs));
  ctx.kv(GOV_STORE).delete(queueKey(KEY.inactiveQueue, p.depositEndTime, id));
  ctx.kv(GOV_STORE).delete(proposalKey(id));
  if (gov.params(ctx).burnProposalDepositPrevote) gov.burnAndDeleteDeposits(ctx, id);
  else gov.refundAndDeleteDeposits(ctx, id, burn);
  ctx.events.emit(GOV_EVENTS.inactiveProposal, [
    ["proposal_id", id.toString()],
    ["proposal_result", PROPOSAL_RESULT.dropped],
  ]);
}

function endVoting(ctx: Context, gov: GovKeeper, id: bigint): void {
  const p = gov.getProposal(ctx, id);
  if (p === undefined || p.votingEndTime === undefined || p.votingStartTime === undefined) {
    throw ErrLogic.wrap(`active queue names missing proposal ${id}`);
  }
  const params = gov.params(ctx);
  const store = ctx.kv(GOV_STORE);
  store.delete(queueKey(KEY.activeQueue, p.votingEndTime, id));
  const t = gov.tally(ctx, p);
  const passes = t.decision === "passed";

  if (!passes && p.expedited) {
    // A failed expedited proposal becomes a regular one: voting continues until the regular
    // period ends, with the votes cast so far, and is tallied again with the regular threshold.
    const end = addDuration(p.votingStartTime, params.votingPeriod);
    store.set(queueKey(KEY.activeQueue, end, id), u64be(id));
    gov.setProposal(ctx, { ...p, expedited: false, votingEndTime: end, finalTallyResult: t.result });
    ctx.events.emit(GOV_EVENTS.activeProposal, [
      ["proposal_id", id.toString()],
      ["proposal_result", PROPOSAL_RESULT.expeditedRejected],
      ["proposal_log", `expedited proposal did not pass (${t.decision}); converted to a regular proposal`],
    ]);
    return;
  }

  gov.deleteVotes(ctx, id);
  const { msgs, error: decodeError } = gov.storedMessages(p);
  let outcome: ProposalOutcome;
  let failedReason = "";
  let burnAll = false;
  if (passes) {
    const exec = decodeError === undefined ? execute(ctx, gov, msgs) : decodeError;
    if (exec === undefined) {
      outcome = "passed";
    } else {
      outcome = "failed";
      failedReason = exec;
    }
  } else if (t.decision === "vetoed") {
    outcome = "vetoed";
    burnAll = params.burnVoteVeto;
    failedReason = "vetoed: NoWithVeto votes exceeded the veto threshold";
  } else {
    outcome = "rejected";
    burnAll = t.decision === "quorum_not_reached" && params.burnVoteQuorum;
    failedReason = rejectionReason(t.decision);
  }
  const status =
    outcome === "passed"
      ? ProposalStatus.PROPOSAL_STATUS_PASSED
      : outcome === "failed"
        ? ProposalStatus.PROPOSAL_STATUS_FAILED
        : ProposalStatus.PROPOSAL_STATUS_REJECTED;
  gov.setProposal(ctx, { ...p, status, failedReason, finalTallyResult: t.result });

  const burn = runEndHooks(ctx, gov, id, "afterProposalVotingPeriodEnded", (h, hctx) =>
    h.afterProposalVotingPeriodEnded?.(hctx, id, outcome, msgs),
  );
  if (burnAll) gov.burnAndDeleteDeposits(ctx, id);
  else gov.refundAndDeleteDeposits(ctx, id, burn);

  const result =
    outcome === "passed" ? PROPOSAL_RESULT.passed : outcome === "failed" ? PROPOSAL_RESULT.failed : PROPOSAL_RESULT.rejected;
  ctx.events.emit(GOV_EVENTS.activeProposal, [
    ["proposal_id", id.toString()],
    ["proposal_result", result],
    ["proposal_log", outcome === "passed" ? "passed" : `${outcome}: ${failedReason}`],
  ]);
}

/**
 * Executes a passed proposal's messages atomically in a cache branch of `ctx`, each through the
 * router (route guards apply). Returns undefined on success (the branch and its events are
 * written) or the failure reason (nothing is written).
 */
function execute(ctx: Context, gov: GovKeeper, msgs: readonly DecodedMsg[]): string | undefined {
  const branch = new CacheKV(ctx.store);
  const events = new EventManager();
  const exec = ctx.with({ store: branch, events });
  for (let i = 0; i < msgs.length; i++) {
    const msg = msgs[i] as DecodedMsg;
    try {
      gov.deps.router.execute(exec, msg);
    } catch (e) {
      return `message ${i} (${msg.any.typeUrl}) failed: ${describe(e)}`;
    }
  }
  // Deposits of live proposals (this one included) are escrowed in the gov account: a proposal
  // may spend the account's other funds, never the deposits.
  for (const c of gov.escrow(exec)) {
    const bal = gov.deps.bank.getBalance(exec, gov.authority, c.denom).amount;
    if (bal < c.amount) {
      return `the messages would spend escrowed proposal deposits: the gov module account would hold ${bal}${c.denom} but deposits of live proposals total ${c.amount}${c.denom}`;
    }
  }
  branch.write();
  ctx.events.emitAll(events.events());
  return undefined;
}

/** Runs one kind of end-of-proposal hook for every hook object, isolated; collects burn requests. */
function runEndHooks(
  ctx: Context,
  gov: GovKeeper,
  id: bigint,
  name: string,
  call: (h: GovHooks, hctx: Context) => DepositDisposition | void,
): Coin[] {
  let burn: Coin[] = [];
  for (const h of gov.hooks) {
    const branch = new CacheKV(ctx.store);
    const events = new EventManager();
    const hctx = ctx.with({ store: branch, events });
    let r: DepositDisposition | void;
    try {
      r = call(h, hctx);
    } catch (e) {
      ctx.events.emit(GOV_EVENTS.hookError, [
        ["proposal_id", id.toString()],
        ["hook", name],
        ["error", describe(e)],
      ]);
      continue;
    }
    branch.write();
    ctx.events.emitAll(events.events());
    if (r !== undefined && r.burnFromDeposits !== undefined) burn = addCoins(burn, r.burnFromDeposits.filter((c) => c.amount > 0n));
  }
  return burn;
}

function rejectionReason(decision: TallyDecision): string {
  switch (decision) {
    case "no_bonded_tokens":
      return "no tokens are bonded, so nobody can vote";
    case "quorum_not_reached":
      return "quorum not reached: the voting power that voted is below the quorum of bonded tokens";
    case "all_abstain":
      return "every vote was abstain";
    case "threshold_not_reached":
      return "the yes votes did not exceed the threshold of non-abstaining votes";
    default:
      return decision;
  }
}
