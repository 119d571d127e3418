/**
 * Quorum revisions of the embargo terms: EXTEND (T later; an OVERDUE case opens again), SHORTEN
 * (T earlier), DEESCALATE (lower level), WITHDRAW (abandon the case). One pending per case; the
 * proposal is its proposer's approval; it applies when approvals of *current* active members reach
 * max(1, ceil(revision_quorum × active members)) — re-counted at each approval, so members who
 * lost their seat no longer count — and expires after revision_ttl (EndBlock).
 */
import type { Context } from "../../../baseapp/context";
import { DEC_ONE } from "../../../baseapp/coins";
import { type Case, CaseStatus, EmbargoState, type Revision, RevisionKind } from "../../../generated/coord/v1/types";
import { addDuration } from "../../staking/time";
import { emitCoord } from "../events";
import { ErrAlreadyVoted, ErrInvalidDeadline, ErrInvalidLevel, ErrLevelSealed, ErrNoRevision, ErrRevisionPending, ErrWrongStatus } from "../errors";
import { DUE } from "../keys";
import { caseDeadline, type CoordKeeper, type Deadline } from "./keeper";
import { compareDeadline, deadlineToString, onDeadlineChanged, requireDeadlineBounds, setDeadline } from "./cases";
import { addMetrics, metricsLevel } from "./metrics";
import { revisionQuorumOf } from "./params";

export interface ProposeInput {
  readonly member: string;
  readonly caseId: bigint;
  readonly kind: RevisionKind;
  readonly deadline: Deadline | undefined;
  readonly newLevel: number;
  readonly reason: string;
}

export interface Tally {
  readonly approvals: number;
  readonly needed: number;
}

/** max(1, ceil(quorum × n)) for an 18-decimal quorum. */
export function quorumNeeded(quorum: bigint, n: number): number {
  return Math.max(1, Number((quorum * BigInt(n) + DEC_ONE - 1n) / DEC_ONE));
}

/** Approvals by members active now, and the quorum over the active members now. PERF: O(members + approvals). */
export function tally(ctx: Context, k: CoordKeeper, r: Revision): Tally {
  const active = k.deps.dcert.activeMembers(ctx);
  const set = new Set(active);
  const approvals = r.approvals.filter((a) => set.has(a)).length;
  return { approvals, needed: quorumNeeded(revisionQuorumOf(k.params(ctx)), active.length) };
}

function requireRevisable(c: Case): void {
  const live = c.status === CaseStatus.CASE_STATUS_OPEN || c.status === CaseStatus.CASE_STATUS_OVERDUE;
  if (!live) throw ErrWrongStatus.wrap(`case ${c.id} is ${CaseStatus[c.status]}; only open or overdue cases can be revised`);
}

/** MsgProposeRevision; returns whether it applied at once (a quorum of one). */
export function proposeRevision(ctx: Context, k: CoordKeeper, m: ProposeInput): boolean {
  k.requireEnabled(ctx, "proposing a revision");
  k.requireNotFrozen(ctx, "revise a case");
  k.requireMember(ctx, m.member, "propose a revision");
  const c = k.requireCase(ctx, m.caseId);
  requireRevisable(c);
  if (c.embargoState === EmbargoState.EMBARGO_STATE_REVISED) {
    const r = k.getRevision(ctx, c.id);
    throw ErrRevisionPending.wrap(`case ${c.id} already has a pending ${RevisionKind[r?.kind ?? 0]} revision; approve it or let it expire first`);
  }
  if (c.embargoState !== EmbargoState.EMBARGO_STATE_ACTIVE) {
    throw ErrWrongStatus.wrap(`case ${c.id}'s embargo is ${EmbargoState[c.embargoState]}; it must be co-signed (ACTIVE) before it can be revised`);
  }
  const p = k.params(ctx);
  const T = caseDeadline(c);
  let newDeadline: Deadline | undefined;
  let newLevel = 0;
  switch (m.kind) {
    case RevisionKind.REVISION_KIND_EXTEND:
    case RevisionKind.REVISION_KIND_SHORTEN: {
      const d = m.deadline;
      if (d === undefined) throw ErrInvalidDeadline.wrap(`a ${RevisionKind[m.kind]} revision needs the new deadline`);
      if ("time" in d !== "time" in T) throw ErrInvalidDeadline.wrap(`case ${c.id}'s deadline is a ${"time" in T ? "block time" : "height"}; give the new one the same way`);
      const cmp = compareDeadline(d, T);
      if (m.kind === RevisionKind.REVISION_KIND_EXTEND && cmp <= 0) throw ErrInvalidDeadline.wrap(`an extension must move T (${deadlineToString(T)}) later, got ${deadlineToString(d)}`);
      if (m.kind === RevisionKind.REVISION_KIND_SHORTEN && c.status === CaseStatus.CASE_STATUS_OVERDUE) {
        throw ErrWrongStatus.wrap(`case ${c.id} is already overdue; its deadline can only be extended`);
      }
      if (m.kind === RevisionKind.REVISION_KIND_SHORTEN && cmp >= 0) throw ErrInvalidDeadline.wrap(`shortening must move T (${deadlineToString(T)}) earlier, got ${deadlineToString(d)}`);
      requireDeadlineBounds(ctx, p, d, "the new deadline");
      newDeadline = d;
      break;
    }
    case RevisionKind.REVISION_KIND_DEESCALATE:
      if (c.level === 0) throw ErrLevelSealed.wrap(`case ${c.id}'s level is sealed; reveal it (MsgEscalate or MsgReveal) before lowering it`);
      if (m.newLevel < 1 || m.newLevel >= c.level) throw ErrInvalidLevel.wrap(`de-escalation must lower the level below ${c.level} (to at least 1), got ${m.newLevel}`);
      newLevel = m.newLevel;
      break;
    case RevisionKind.REVISION_KIND_WITHDRAW:
      break;
    default:
      throw ErrInvalidLevel.wrap(`kind must be EXTEND, SHORTEN, DEESCALATE or WITHDRAW (1–4), got ${m.kind}`);
  }
  const r: Revision = {
    caseId: c.id,
    kind: m.kind,
    proposer: m.member,
    newDeadlineTime: newDeadline !== undefined && "time" in newDeadline ? newDeadline.time : undefined,
    newDeadlineHeight: newDeadline !== undefined && "height" in newDeadline ? newDeadline.height : 0n,
    newLevel,
    reason: m.reason,
    approvals: [m.member],
    proposedHeight: ctx.block.height,
    expires: addDuration(ctx.block.time, { seconds: p.revisionTtlSeconds, nanos: 0 }),
  };
  k.setRevision(ctx, r);
  k.transition(ctx, c, c.status, EmbargoState.EMBARGO_STATE_REVISED, "revision_proposed", m.member);
  k.scheduleAt(ctx, c.id, DUE.revisionExpiry, { time: r.expires ?? ctx.block.time });
  emitCoord(ctx, "EventRevisionProposed", { caseId: c.id, kind: m.kind, proposer: m.member, height: ctx.block.height });
  const t = tally(ctx, k, r);
  emitCoord(ctx, "EventRevisionApproved", { caseId: c.id, member: m.member, approvals: t.approvals, needed: t.needed, height: ctx.block.height });
  const applied = t.approvals >= t.needed;
  if (applied) applyRevision(ctx, k, c, r);
  k.setCase(ctx, c);
  return applied;
}

/** MsgApproveRevision; returns whether the revision applied. */
export function approveRevision(ctx: Context, k: CoordKeeper, member: string, caseId: bigint): boolean {
  k.requireEnabled(ctx, "approving a revision");
  k.requireNotFrozen(ctx, "revise a case");
  k.requireMember(ctx, member, "approve a revision");
  const c = k.requireCase(ctx, caseId);
  const r = k.getRevision(ctx, caseId);
  if (r === undefined) throw ErrNoRevision.wrap(`case ${caseId} has no pending revision (it may have applied or expired)`);
  if (r.approvals.includes(member)) throw ErrAlreadyVoted.wrap(`${member} already approved the pending revision of case ${caseId}`);
  r.approvals.push(member);
  r.approvals.sort();
  k.setRevision(ctx, r);
  const t = tally(ctx, k, r);
  emitCoord(ctx, "EventRevisionApproved", { caseId, member, approvals: t.approvals, needed: t.needed, height: ctx.block.height });
  k.appendTimeline(ctx, c, "revision_approved", member, `${t.approvals}/${t.needed}`);
  const applied = t.approvals >= t.needed;
  if (applied) applyRevision(ctx, k, c, r);
  k.setCase(ctx, c);
  return applied;
}

/** Applies revision `r` to case `c` (the caller saves `c`). */
export function applyRevision(ctx: Context, k: CoordKeeper, c: Case, r: Revision): void {
  k.deleteRevision(ctx, c.id);
  k.unschedule(ctx, c.id, DUE.revisionExpiry);
  const actor = r.proposer;
  switch (r.kind) {
    case RevisionKind.REVISION_KIND_WITHDRAW:
      k.transition(ctx, c, CaseStatus.CASE_STATUS_WITHDRAWN, EmbargoState.EMBARGO_STATE_EXITED, "withdrawn", actor);
      k.unscheduleAll(ctx, c.id);
      addMetrics(ctx, k, metricsLevel(c), { withdrawn: 1n });
      break;
    case RevisionKind.REVISION_KIND_EXTEND:
      setDeadline(c, r.newDeadlineTime !== undefined ? { time: r.newDeadlineTime } : { height: r.newDeadlineHeight });
      k.transition(ctx, c, CaseStatus.CASE_STATUS_OPEN, EmbargoState.EMBARGO_STATE_ACTIVE, "revision_applied", actor);
      onDeadlineChanged(ctx, k, c, actor);
      break;
    case RevisionKind.REVISION_KIND_SHORTEN:
      setDeadline(c, r.newDeadlineTime !== undefined ? { time: r.newDeadlineTime } : { height: r.newDeadlineHeight });
      k.transition(ctx, c, c.status, EmbargoState.EMBARGO_STATE_ACTIVE, "revision_applied", actor);
      onDeadlineChanged(ctx, k, c, actor);
      break;
    case RevisionKind.REVISION_KIND_DEESCALATE:
      c.level = r.newLevel;
      k.transition(ctx, c, c.status, EmbargoState.EMBARGO_STATE_ACTIVE, "revision_applied", actor);
      onDeadlineChanged(ctx, k, c, actor);
      break;
    default:
      throw new Error(`case ${c.id}: revision of unknown kind ${r.kind}`);
  }
  emitCoord(ctx, "EventRevisionApplied", { caseId: c.id, kind: r.kind, deadline: deadlineToString(caseDeadline(c)), level: c.level, height: ctx.block.height });
}

/** EndBlock: the pending revision of case `c` expired unapplied (the caller saves `c`). */
export function expireRevision(ctx: Context, k: CoordKeeper, c: Case): void {
  if (c.embargoState !== EmbargoState.EMBARGO_STATE_REVISED) return;
  k.deleteRevision(ctx, c.id);
  k.transition(ctx, c, c.status, EmbargoState.EMBARGO_STATE_ACTIVE, "revision_expired");
  emitCoord(ctx, "EventRevisionExpired", { caseId: c.id, height: ctx.block.height });
}
