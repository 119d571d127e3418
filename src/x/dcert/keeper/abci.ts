/**
 * The dCERT module's block hooks (ADR 008), as the SDK's abci.go: BeginBlock pays the stipend,
 * EndBlock pays out matured unbondings and settles the election — applies the block's pending
 * votes and stake changes to the engine, re-checks eligibility, runs the seat rules, persists what
 * changed, and counts pending suspensions again. Functions taking the keeper (keeper.ts), which
 * keeps the state operations.
 */
import { addrBytes } from "../../auth/keeper";
import type { Context } from "../../../baseapp/context";
import { bytesEqual } from "../../../baseapp/encoding";
import {
  type Acceptance,
  type Decision,
  DecisionKind,
  DropReason,
  ElectionError,
  ElectionInputError,
  type Electionator,
  KickReason,
  MAX_POWER_EXCLUSIVE,
  type VoterRecord,
} from "../electionator";
import {
  EventMemberAdmitted,
  EventMemberRemoved,
  EventReplacementDropped,
  EventReplacementQueued,
  EventStipendPaid,
  EventStipendSkipped,
  EventUnbondingCompleted,
  EventVoteRejected,
} from "../../../generated/dcert/v1/events";
import { emitTyped } from "../events";
import { BONDS_MODULE, keys, MAX_RANK_TALLY } from "../keys";
import { electionParamsOf } from "./params";
import { cmpStr, type DcertKeeper } from "./keeper";

const KICK_REASON: Record<KickReason, string> = {
  [KickReason.Outranked]: "outranked",
  [KickReason.SeatsReduced]: "seats_reduced",
  [KickReason.Left]: "left",
  [KickReason.BondBelowMinimum]: "bond_below_minimum",
  [KickReason.Suspended]: "suspended",
  [KickReason.Disbanded]: "disbanded",
  [KickReason.Barred]: "barred",
  [KickReason.Ineligible]: "ineligible",
};

const DROP_REASON: Record<DropReason, string> = {
  [DropReason.ChallengerIneligible]: "challenger_ineligible",
  [DropReason.TargetNotMember]: "target_not_member",
  [DropReason.NoLongerOutranks]: "no_longer_outranks",
  [DropReason.ChallengerAdmitted]: "challenger_admitted",
};

function sameAcceptance(a: Acceptance | undefined, b: Acceptance | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.height === b.height && a.index === b.index;
}

// ================================================================== begin block: stipend

/**
 * Pays stipend_per_block from the community pool to each member seated at the start of the block
 * (the seats the previous EndBlock settled). All or nothing: if the pool cannot pay everyone,
 * nobody is paid and EventStipendSkipped says so. PERF: O(members).
 */
export function payStipends(ctx: Context, dcert: DcertKeeper): void {
  const stipend = dcert.params(ctx).stipendPerBlock;
  if (stipend.amount === 0n) return;
  const members = dcert.records.members(ctx).map((m) => m.address);
  if (members.length === 0) return;
  const needed = stipend.amount * BigInt(members.length);
  const available = dcert.deps.distribution.communityPoolBalance(ctx, stipend.denom);
  const coin = (amount: bigint) => ({ denom: stipend.denom, amount: amount.toString() });
  if (available < needed) {
    emitTyped(ctx, "EventStipendSkipped", EventStipendSkipped, { members: members.length, needed: coin(needed), available: coin(available) });
    return;
  }
  for (const m of members) {
    dcert.deps.distribution.spendFromCommunityPool(ctx, m, [stipend]);
    dcert.records.setStipendPaid(ctx, m, dcert.records.stipendPaid(ctx, m) + stipend.amount);
  }
  emitTyped(ctx, "EventStipendPaid", EventStipendPaid, { members, amountEach: coin(stipend.amount) });
}

// ================================================================== end block

/** Pays out matured unbonding entries, then settles the election. */
export function endBlock(ctx: Context, dcert: DcertKeeper): void {
  completeUnbondings(ctx, dcert);
  runElection(ctx, dcert);
}

/** PERF: O(matured entries). */
function completeUnbondings(ctx: Context, dcert: DcertKeeper): void {
  const denom = dcert.params(ctx).minMemberBond.denom;
  for (const e of dcert.records.maturedUnbondings(ctx, ctx.block.time)) {
    dcert.records.deleteUnbonding(ctx, e);
    const amount = BigInt(e.balance);
    if (amount > 0n) dcert.deps.bank.sendFromModuleToAccount(ctx, BONDS_MODULE, e.staker, [{ denom, amount }]);
    emitTyped(ctx, "EventUnbondingCompleted", EventUnbondingCompleted, {
      staker: e.staker,
      member: e.member,
      amount: { denom, amount: amount.toString() },
      unbondingId: e.id,
    });
  }
}

function powerOf(ctx: Context, dcert: DcertKeeper, voter: string): bigint {
  const stake = dcert.deps.staking.bondedStakeOf(ctx, voter);
  return stake >= MAX_POWER_EXCLUSIVE ? MAX_POWER_EXCLUSIVE - 1n : stake;
}

function persistVote(ctx: Context, dcert: DcertKeeper, voter: string, record: VoterRecord | null): void {
  if (record === null) dcert.records.deleteVote(ctx, voter);
  else dcert.records.setVote(ctx, record);
}

/**
 * Applies this block's inputs to the engine in a fixed order — counted votes, stake changes,
 * parameters, eligibility (dirty candidates, or everyone after a params/group change) — runs
 * the seat rules and persists what changed. PERF: O(changed votes · entries · log candidates +
 * changed candidates · log candidates + decisions); nothing scans all voters.
 */
function runElection(ctx: Context, dcert: DcertKeeper): void {
  const height = ctx.block.height;
  const r = dcert.records;
  const engine = dcert.index.beginEndBlock(ctx);
  const touched = new Set<string>();

  // PERF: reads first (votes and bonded stake), then the writes. Each stake lookup iterates the
  // block's branch, which re-sorts its key list after every write in between (a copy of all the
  // block's written keys); interleaved, 1,000 votes cost about a third of EndBlock there. The
  // stake read does not depend on the dCERT writes, so the order changes no result.
  const pending = [...r.pendingVoters(ctx)].map((voter) => ({ voter, entries: r.getPendingVote(ctx, voter) ?? [], power: powerOf(ctx, dcert, voter) }));
  for (const { voter, entries, power } of pending) {
    r.deletePendingVote(ctx, voter);
    r.clearDirtyVoter(ctx, voter);
    let record: VoterRecord | null;
    try {
      // Staged: the block's tally changes are applied once per candidate, below.
      record = engine.stageVote(voter, power, entries);
    } catch (e) {
      // A stored vote the engine loaded turned out inconsistent: corrupt state, not a bad vote.
      if (!(e instanceof ElectionInputError) || e.code === ElectionError.InconsistentState || e.code === ElectionError.ContributionMismatch) throw e;
      emitTyped(ctx, "EventVoteRejected", EventVoteRejected, { voter, reason: e.message });
      continue;
    }
    persistVote(ctx, dcert, voter, record);
  }
  const moved = [...r.dirtyVoters(ctx)].map((voter) => ({ voter, power: powerOf(ctx, dcert, voter) }));
  for (const { voter, power } of moved) {
    r.clearDirtyVoter(ctx, voter);
    const record = engine.stageVoterPower(voter, power);
    if (record !== undefined) persistVote(ctx, dcert, voter, record);
  }
  for (const t of engine.commitStaged()) touched.add(t.candidate);

  const params = dcert.params(ctx);
  const ep = electionParamsOf(params);
  const cur = engine.getParams();
  if (cur.maxMembers !== ep.maxMembers || cur.stabilizationPeriod !== ep.stabilizationPeriod || cur.maxVoteEntries !== ep.maxVoteEntries) {
    engine.setParams(ep);
  }

  const decisions: Decision[] = [];
  const hints = new Map<string, number>();
  for (const d of r.dirtyCandidates(ctx)) hints.set(d.address, d.hint);
  r.clearDirtyCandidates(ctx);
  const names = new Set(hints.keys());
  if (r.takeRecheckAll(ctx)) {
    for (const c of r.allCandidates(ctx)) names.add(c.address);
    for (const e of r.allEligible(ctx)) names.add(e.address);
  }
  for (const address of [...names].sort(cmpStr)) {
    const hint = hints.get(address) ?? 0;
    // A withdrawal this block (left, suspended, slashed) ends the seat even if the address is
    // eligible again by the end of the block: re-entry takes a new sequence number.
    if (hint !== 0 && engine.isEligible(address)) {
      decisions.push(...engine.markIneligible(address, hint as KickReason));
      touched.add(address);
    }
    const e = dcert.eligibility(ctx, address, hint);
    if (e.ok) {
      if (!sameAcceptance(engine.acceptanceOf(address), e.acceptance)) {
        engine.markEligible(address, e.acceptance);
        touched.add(address);
      }
    } else if (engine.isEligible(address)) {
      decisions.push(...engine.markIneligible(address, e.reason));
      touched.add(address);
    }
  }

  decisions.push(...engine.endBlock(height));
  for (const d of decisions) applyDecision(ctx, dcert, d, touched);
  for (const address of [...touched].sort(cmpStr)) syncAddress(ctx, dcert, engine, address);

  // Membership may have changed (privileges lost by transactions of this block, seats settled
  // just now): pending suspensions are counted again against the new set of active members. A
  // target suspended here loses its seat in this block; its seat may go to a challenger, and the
  // loop repeats until no further suspension follows (each round suspends a member, so it ends).
  let changed = names.size > 0 || decisions.length > 0;
  while (changed) {
    changed = false;
    const suspended = dcert.reevaluateSuspensions(ctx);
    if (suspended.length === 0) break;
    const more: Decision[] = [];
    const again = new Set<string>();
    for (const t of suspended) {
      if (engine.isEligible(t)) more.push(...engine.markIneligible(t, KickReason.Suspended));
      again.add(t);
    }
    r.clearDirtyCandidates(ctx); // handled here, not at the next block
    more.push(...engine.endBlock(height));
    for (const d of more) applyDecision(ctx, dcert, d, again);
    for (const address of [...again].sort(cmpStr)) syncAddress(ctx, dcert, engine, address);
    changed = true;
  }
  const meta = { lastSequence: engine.lastSequence, ...ep };
  const stored = r.meta(ctx);
  if (
    stored === undefined ||
    stored.lastSequence !== meta.lastSequence ||
    stored.maxMembers !== meta.maxMembers ||
    stored.stabilizationPeriod !== meta.stabilizationPeriod ||
    stored.maxVoteEntries !== meta.maxVoteEntries
  ) {
    r.setMeta(ctx, meta);
  }
  dcert.index.settle(height);
}

/** Events and queue records for one engine decision. */
function applyDecision(ctx: Context, dcert: DcertKeeper, d: Decision, touched: Set<string>): void {
  const r = dcert.records;
  switch (d.kind) {
    case DecisionKind.Admitted:
      touched.add(d.address);
      emitTyped(ctx, "EventMemberAdmitted", EventMemberAdmitted, { member: d.address, sequence: d.sequence, tally: d.tally.toString() });
      return;
    case DecisionKind.Kicked:
      touched.add(d.address);
      emitTyped(ctx, "EventMemberRemoved", EventMemberRemoved, {
        member: d.address,
        sequence: d.sequence,
        tally: d.tally.toString(),
        reason: KICK_REASON[d.reason],
        replacedBy: d.by ?? "",
      });
      return;
    case DecisionKind.Queued:
      touched.add(d.challenger);
      touched.add(d.replaces);
      r.setQueueEntry(ctx, { challenger: d.challenger, replaces: d.replaces, maturesAt: d.maturesAt });
      emitTyped(ctx, "EventReplacementQueued", EventReplacementQueued, { challenger: d.challenger, replaces: d.replaces, maturesAt: d.maturesAt });
      return;
    case DecisionKind.QueueDropped:
      touched.add(d.challenger);
      touched.add(d.replaces);
      r.deleteQueueEntry(ctx, d.challenger);
      emitTyped(ctx, "EventReplacementDropped", EventReplacementDropped, {
        challenger: d.challenger,
        replaces: d.replaces,
        maturesAt: d.maturesAt,
        reason: DROP_REASON[d.reason],
      });
      return;
    case DecisionKind.Swapped:
      touched.add(d.challenger);
      touched.add(d.replaced);
      r.deleteQueueEntry(ctx, d.challenger);
      emitTyped(ctx, "EventMemberRemoved", EventMemberRemoved, {
        member: d.replaced,
        sequence: d.replacedSequence,
        tally: d.replacedTally.toString(),
        reason: KICK_REASON[KickReason.Outranked],
        replacedBy: d.challenger,
      });
      emitTyped(ctx, "EventMemberAdmitted", EventMemberAdmitted, { member: d.challenger, sequence: d.sequence, tally: d.challengerTally.toString() });
      return;
  }
}

/** Writes the engine's view of one address: tally, eligibility, rank index entry, seat. */
function syncAddress(ctx: Context, dcert: DcertKeeper, engine: Electionator, address: string): void {
  const r = dcert.records;
  const bytes = addrBytes(address);
  const oldTally = r.tally(ctx, address);
  const oldElig = r.getEligible(ctx, address);
  const oldSeq = r.memberSequence(ctx, address);
  const newTally = engine.tallyOf(address);
  const newElig = engine.acceptanceOf(address);
  const newSeq = engine.sequenceOf(address);
  const rankKey = (t: bigint, a: Acceptance) => keys.rank(t > MAX_RANK_TALLY ? MAX_RANK_TALLY : t, a.height, a.index, bytes);
  const oldRank = oldElig !== undefined && oldSeq === undefined ? rankKey(oldTally, oldElig) : undefined;
  const newRank = newElig !== undefined && newSeq === undefined ? rankKey(newTally, newElig) : undefined;
  const same = oldRank !== undefined && newRank !== undefined && bytesEqual(oldRank, newRank);
  if (oldRank !== undefined && !same) r.setRank(ctx, oldRank, false);
  if (newRank !== undefined && !same) r.setRank(ctx, newRank, true);
  if (oldTally !== newTally) r.setTally(ctx, address, newTally);
  if (!sameAcceptance(oldElig, newElig)) r.setEligible(ctx, address, newElig);
  if (oldSeq !== newSeq) {
    r.setMember(ctx, address, newSeq);
    if (oldSeq !== undefined) {
      // The seat is lost: votes against it lapse, and so do the votes it cast against others.
      r.clearSuspensionVotesAgainst(ctx, address);
      r.clearSuspensionVotesBy(ctx, address);
    }
    // Admitted while a disband proposal is pending: that proposal's slash reaches it.
    if (newSeq !== undefined) for (const p of r.disbandProposals(ctx)) r.addDisbandExposure(ctx, p.proposalId, address);
  }
}
