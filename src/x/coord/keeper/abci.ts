/**
 * EndBlock of the coordination module (after x/dcert's, so membership changes of the block apply
 * first): pops the time queue (0x23) up to the block time and the height queue (0x24) up to the
 * height, in key order, and applies each due entry — a phase reached, an overdue check (status
 * OVERDUE, level + 1 up to 3, the next check one reveal window later), a revision or co-sign
 * expiry, the end of the follow-up (an overdue check of a case whose reveal gate is closed waits:
 * gate.ts). Only due entries are read: O(due), never O(cases). An entry
 * that is not the one the case's schedule record (0x29) names is stale and dropped. Then the running
 * disclosure checks advance by at most params.disclosure_check_batch units in total (check.ts).
 */
import type { Context } from "../../../baseapp/context";
import { bytesEqual, readU64be } from "../../../baseapp/encoding";
import { type Case, CaseStatus, EmbargoState, Phase } from "../../../generated/coord/v1/types";
import { emitCoord } from "../events";
import { DUE, type Due, KEY, keys } from "../keys";
import { caseDeadline, type CoordKeeper } from "./keeper";
import { advanceChecks } from "./check";
import { gateOverdueCheck } from "./gate";
import { canEscalateOnOverdue, deadlineToString, fromNow } from "./cases";
import { addMetrics, metricsLevel } from "./metrics";
import { levelTimeline } from "./params";
import { expireRevision } from "./revisions";

const PHASE_OF: Partial<Record<Due, Phase>> = {
  [DUE.contact]: Phase.PHASE_PRIVATE_CONTACT,
  [DUE.finalize]: Phase.PHASE_FINALIZE,
  [DUE.reveal]: Phase.PHASE_REVEAL,
  [DUE.followUpEnd]: Phase.PHASE_DONE,
};

export interface DueEntry {
  readonly key: Uint8Array;
  readonly caseId: bigint;
  readonly what: Due;
}

/** The due entries of both queues, time queue first, each in key order. */
export function dueEntries(ctx: Context, k: CoordKeeper): DueEntry[] {
  const kv = k.kv(ctx);
  const out: DueEntry[] = [];
  const tq = keys.prefix(KEY.timeQueue);
  for (const [key] of kv.iterate(tq, keys.timeQueueEnd(ctx.block.time))) {
    out.push({ key: key.slice(), caseId: readU64be(key, 1 + 12), what: key[1 + 12 + 8] as Due });
  }
  const hq = keys.prefix(KEY.heightQueue);
  for (const [key] of kv.iterate(hq, keys.heightQueueEnd(ctx.block.height))) {
    out.push({ key: key.slice(), caseId: readU64be(key, 1 + 8), what: key[1 + 8 + 8] as Due });
  }
  return out;
}

export function endBlock(ctx: Context, k: CoordKeeper): number {
  const due = dueEntries(ctx, k);
  const kv = k.kv(ctx);
  let fired = 0;
  for (const e of due) {
    kv.delete(e.key);
    const sched = k.scheduled(ctx, e.caseId, e.what);
    if (sched === undefined || !bytesEqual(sched, e.key)) continue; // stale
    kv.delete(keys.schedule(e.caseId, e.what));
    const c = k.getCase(ctx, e.caseId);
    if (c === undefined) continue;
    if (apply(ctx, k, c, e.what)) {
      k.setCase(ctx, c);
      fired++;
    }
  }
  advanceChecks(ctx, k);
  return fired;
}

function isLive(c: Case): boolean {
  return c.status === CaseStatus.CASE_STATUS_OPEN || c.status === CaseStatus.CASE_STATUS_OVERDUE;
}

/** Applies one due entry; returns whether the case changed. */
function apply(ctx: Context, k: CoordKeeper, c: Case, what: Due): boolean {
  switch (what) {
    case DUE.contact:
    case DUE.finalize:
    case DUE.reveal:
    case DUE.followUpEnd: {
      const phase = PHASE_OF[what] ?? Phase.PHASE_UNSPECIFIED;
      const ok = what === DUE.followUpEnd ? c.phase === Phase.PHASE_FOLLOW_UP : isLive(c) && phase > c.phase;
      if (!ok) return false;
      c.phase = phase;
      emitCoord(ctx, "EventPhaseReached", { caseId: c.id, phase, height: ctx.block.height });
      k.appendTimeline(ctx, c, "phase", "", Phase[phase]);
      return true;
    }
    case DUE.overdue:
      return overdue(ctx, k, c);
    case DUE.revisionExpiry:
      if (c.embargoState !== EmbargoState.EMBARGO_STATE_REVISED) return false;
      expireRevision(ctx, k, c);
      return true;
    case DUE.cosignExpiry:
      if (c.status !== CaseStatus.CASE_STATUS_OPEN || c.embargoState !== EmbargoState.EMBARGO_STATE_PROPOSED) return false;
      k.transition(ctx, c, CaseStatus.CASE_STATUS_WITHDRAWN, EmbargoState.EMBARGO_STATE_EXITED, "cosign_expired");
      k.unscheduleAll(ctx, c.id);
      addMetrics(ctx, k, metricsLevel(c), { withdrawn: 1n });
      return true;
    default:
      return false;
  }
}

/**
 * T + reveal window passed without a disclosure: an open case becomes OVERDUE (EventCaseOverdue)
 * and, like an overdue one, escalates one level (a sealed case counts sealed_escalations) and is
 * checked again one reveal window of its new level later, until level 3. A case whose reveal gate
 * is closed is neither: it waits, checked again each reveal window (gate.ts).
 */
function overdue(ctx: Context, k: CoordKeeper, c: Case): boolean {
  if (!isLive(c) || (c.embargoState !== EmbargoState.EMBARGO_STATE_ACTIVE && c.embargoState !== EmbargoState.EMBARGO_STATE_REVISED)) return false;
  const wasOpen = c.status === CaseStatus.CASE_STATUS_OPEN;
  const escalates = canEscalateOnOverdue(c);
  if (!wasOpen && !escalates) return false;
  if (gateOverdueCheck(ctx, k, c)) return true;
  if (wasOpen) {
    k.transition(ctx, c, CaseStatus.CASE_STATUS_OVERDUE, c.embargoState, "overdue");
    addMetrics(ctx, k, metricsLevel(c), { overdue: 1n });
  }
  if (escalates) {
    const from = c.level;
    if (c.level === 0) c.sealedEscalations += 1;
    else c.level += 1;
    emitCoord(ctx, "EventCaseEscalated", { caseId: c.id, from, to: c.level, cause: "overdue", deadline: deadlineToString(caseDeadline(c)), height: ctx.block.height });
    k.appendTimeline(ctx, c, "escalated", "", c.level === 0 ? `sealed level + ${c.sealedEscalations}` : `level ${from} -> ${c.level} (overdue)`);
  }
  emitCoord(ctx, "EventCaseOverdue", { caseId: c.id, level: c.level, height: ctx.block.height });
  if (canEscalateOnOverdue(c)) {
    const p = k.params(ctx);
    k.scheduleAt(ctx, c.id, DUE.overdue, fromNow(ctx, p, caseDeadline(c), levelTimeline(p, c.level === 0 ? 2 : c.level).revealWindowSeconds));
  }
  return true;
}
