/**
 * Commit–reveal, disclosure, the disclosure check, citations by circuit breaks and closing.
 *
 * A reveal opens items at or after T: each is recomputed as commitmentHash(chain id, kind, salt,
 * SHA-256(content)) — or the given content_hash for REPORT — and compared with the latest version
 * of its commitment. The MsgReveal that opens the last item of the disclosure set (REPORT,
 * COMPONENTS, ADVISORY, FIX if committed, LEVEL if sealed) discloses the case and STARTS the
 * disclosure check (O(1) in the reveal, whatever the size of the registry); EndBlock runs it in
 * bounded batches (check.ts). A case closes only once its check is done. A case gated on an
 * upgrade plan reveals nothing while its gate is closed (gate.ts, coord:48).
 */
import type { Context } from "../../../baseapp/context";
import { bytesEqual, toHex } from "../../../baseapp/encoding";
import {
  AffectedComponents,
  Advisory,
  type Case,
  CaseStatus,
  CommitmentKind,
  type Disclosure,
  EmbargoState,
  FixRef,
  Phase,
  type PostCoordinationRecord,
  type RecordSummary,
  SealedLevel,
} from "../../../generated/coord/v1/types";
import { commitmentHash, sha256 } from "../../../types/coord";
import { addDuration, timeToJson } from "../../staking/time";
import { emitCoord } from "../events";
import {
  ErrAlreadyRevealed,
  ErrCannotCite,
  ErrCommitmentMismatch,
  ErrDisclosureIncomplete,
  ErrInvalidAdvisory,
  ErrInvalidCommitments,
  ErrInvalidDependency,
  ErrInvalidLevel,
  ErrRevealTooEarly,
  ErrWrongStatus,
} from "../errors";
import { DUE } from "../keys";
import { canonicalDependencies, LIMITS } from "../validate";
import { caseDeadline, type CoordKeeper } from "./keeper";
import { deadlineToString, MAX_LEVEL, reached, rescheduleCase, secondsBetween } from "./cases";
import { checkCursor, checkRunning, startCheck } from "./check";
import { requireRevealGateOpen } from "./gate";
import { addMetrics, metricsLevel } from "./metrics";
import { levelTimeline } from "./params";

export interface RevealItemInput {
  readonly kind: CommitmentKind;
  readonly salt: Uint8Array;
  readonly content: Uint8Array;
  readonly contentHash: Uint8Array;
}

function emptyDisclosure(c: Case): Disclosure {
  return { caseId: c.id, advisory: undefined, components: [], fix: undefined, reportHash: Buffer.alloc(0), report: Buffer.alloc(0), level: c.level };
}

function decodeOr<T>(decode: () => T, fail: (why: string) => never): T {
  try {
    return decode();
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}

/** Opens one item into the disclosure record (the caller has checked status and T). */
function openItem(ctx: Context, k: CoordKeeper, c: Case, d: Disclosure, item: RevealItemInput, field: string): void {
  const com = k.latestCommitment(ctx, c.id, item.kind);
  if (com === undefined) throw ErrInvalidCommitments.wrap(`${field}: case ${c.id} has no ${CommitmentKind[item.kind] ?? item.kind} commitment to reveal`);
  if (com.revealed) throw ErrAlreadyRevealed.wrap(`${field}: the ${CommitmentKind[item.kind]} commitment of case ${c.id} was revealed at height ${com.revealedHeight}`);
  if (item.salt.length !== 32) throw ErrCommitmentMismatch.wrap(`${field}.salt must be the 32-byte salt of the commitment, got ${item.salt.length} bytes`);
  let contentHash: Uint8Array;
  if (item.kind === CommitmentKind.COMMITMENT_KIND_REPORT && item.content.length === 0) {
    if (item.contentHash.length !== 32) throw ErrCommitmentMismatch.wrap(`${field}: a REPORT is revealed by its content or by its 32-byte content_hash`);
    contentHash = item.contentHash;
  } else {
    contentHash = sha256(item.content);
    if (item.contentHash.length !== 0 && !bytesEqual(item.contentHash, contentHash)) throw ErrCommitmentMismatch.wrap(`${field}: content_hash is not the SHA-256 of content`);
  }
  const h = commitmentHash(ctx.block.chainId, item.kind, item.salt, contentHash);
  if (!bytesEqual(h, com.hash)) {
    throw ErrCommitmentMismatch.wrap(`${field}: the ${CommitmentKind[item.kind]} item does not open its commitment (version ${com.version}, ${toHex(com.hash)}); reveal exactly the committed content and salt`);
  }
  switch (item.kind) {
    case CommitmentKind.COMMITMENT_KIND_REPORT:
      d.reportHash = Buffer.from(contentHash);
      d.report = Buffer.from(item.content);
      break;
    case CommitmentKind.COMMITMENT_KIND_COMPONENTS: {
      const ac = decodeOr(() => AffectedComponents.decode(item.content), (why) => { throw ErrInvalidDependency.wrap(`${field}: content is not AffectedComponents (${why})`); });
      if (ac.components.length === 0 || ac.components.length > LIMITS.components) {
        throw ErrInvalidDependency.wrap(`${field}: 1 to ${LIMITS.components} affected components, got ${ac.components.length}`);
      }
      d.components = canonicalDependencies(ac.components, k.modules, `${field}.components`);
      break;
    }
    case CommitmentKind.COMMITMENT_KIND_ADVISORY: {
      const max = k.params(ctx).maxAdvisoryBytes;
      if (item.content.length > max) throw ErrInvalidAdvisory.wrap(`${field}: the advisory is ${item.content.length} bytes; params.max_advisory_bytes is ${max}`);
      const a = decodeOr(() => Advisory.decode(item.content), (why) => { throw ErrInvalidAdvisory.wrap(`${field}: content is not an Advisory (${why})`); });
      if (a.title.trim() === "" || a.summary.trim() === "") throw ErrInvalidAdvisory.wrap(`${field}: the advisory needs a title and a summary`);
      d.advisory = a;
      break;
    }
    case CommitmentKind.COMMITMENT_KIND_FIX:
      d.fix = decodeOr(() => FixRef.decode(item.content), (why) => { throw ErrInvalidCommitments.wrap(`${field}: content is not a FixRef (${why})`); });
      break;
    case CommitmentKind.COMMITMENT_KIND_LEVEL: {
      const l = decodeOr(() => SealedLevel.decode(item.content), (why) => { throw ErrInvalidLevel.wrap(`${field}: content is not a SealedLevel (${why})`); });
      if (l.level < 1 || l.level > MAX_LEVEL) throw ErrInvalidLevel.wrap(`${field}: a sealed level is 1, 2 or 3, got ${l.level}`);
      c.level = Math.min(MAX_LEVEL, l.level + c.sealedEscalations);
      break;
    }
    default:
      throw ErrInvalidCommitments.wrap(`${field}.kind must be REPORT, COMPONENTS, ADVISORY, FIX or LEVEL`);
  }
  k.setCommitment(ctx, { ...com, revealed: true, revealedHeight: ctx.block.height });
  emitCoord(ctx, "EventItemRevealed", { caseId: c.id, kind: item.kind, version: com.version, height: ctx.block.height });
  k.appendTimeline(ctx, c, "revealed", "", `${CommitmentKind[item.kind]} v${com.version}`);
}

/** Whether every committed kind of the case has its latest version revealed. */
export function disclosureComplete(ctx: Context, k: CoordKeeper, id: bigint): boolean {
  for (const kind of [CommitmentKind.COMMITMENT_KIND_REPORT, CommitmentKind.COMMITMENT_KIND_COMPONENTS, CommitmentKind.COMMITMENT_KIND_ADVISORY, CommitmentKind.COMMITMENT_KIND_FIX, CommitmentKind.COMMITMENT_KIND_LEVEL]) {
    const com = k.latestCommitment(ctx, id, kind);
    if (com !== undefined && !com.revealed) return false;
  }
  return true;
}

/** MsgReveal; returns whether the case is now disclosed. */
export function reveal(ctx: Context, k: CoordKeeper, member: string, caseId: bigint, items: readonly RevealItemInput[]): boolean {
  k.requireEnabled(ctx, "revealing");
  k.requireMember(ctx, member, "reveal a case's items");
  const c = k.requireCase(ctx, caseId);
  const live = c.status === CaseStatus.CASE_STATUS_OPEN || c.status === CaseStatus.CASE_STATUS_OVERDUE;
  if (!live || c.embargoState === EmbargoState.EMBARGO_STATE_PROPOSED) {
    throw ErrWrongStatus.wrap(`case ${caseId} is ${CaseStatus[c.status]}/${EmbargoState[c.embargoState]}; items are revealed while it is open or overdue with an active embargo`);
  }
  const T = caseDeadline(c);
  if (!reached(ctx, T)) throw ErrRevealTooEarly.wrap(`case ${caseId}'s embargo lasts until ${deadlineToString(T)}; nothing can be revealed before (a quorum can SHORTEN it)`);
  requireRevealGateOpen(ctx, k, c);
  const d = k.getDisclosure(ctx, caseId) ?? emptyDisclosure(c);
  items.forEach((item, i) => openItem(ctx, k, c, d, item, `items[${i}]`));
  d.level = c.level;
  k.setDisclosure(ctx, d);
  const done = disclosureComplete(ctx, k, caseId);
  if (done) disclose(ctx, k, c, d, member);
  k.setCase(ctx, c);
  return done;
}

/** The case becomes DISCLOSED: metrics, follow-up phase; the disclosure check starts. The caller saves `c`. */
function disclose(ctx: Context, k: CoordKeeper, c: Case, d: Disclosure, member: string): void {
  const p = k.params(ctx);
  if (c.embargoState === EmbargoState.EMBARGO_STATE_REVISED) k.deleteRevision(ctx, c.id);
  k.transition(ctx, c, CaseStatus.CASE_STATUS_DISCLOSED, EmbargoState.EMBARGO_STATE_EXITED, "disclosed", member);
  c.disclosureHeight = ctx.block.height;
  c.disclosureTime = ctx.block.time;
  c.phase = Phase.PHASE_FOLLOW_UP;
  k.unscheduleAll(ctx, c.id);
  k.scheduleAt(ctx, c.id, DUE.followUpEnd, { time: addDuration(ctx.block.time, { seconds: levelTimeline(p, c.level).followUpSeconds, nanos: 0 }) });
  emitCoord(ctx, "EventPhaseReached", { caseId: c.id, phase: Phase.PHASE_FOLLOW_UP, height: ctx.block.height });
  const slippage =
    c.originalDeadlineTime !== undefined
      ? secondsBetween(c.originalDeadlineTime, ctx.block.time)
      : (ctx.block.height - c.originalDeadlineHeight) * p.nominalBlockSeconds;
  const toReveal = c.openTime === undefined ? 0n : secondsBetween(c.openTime, ctx.block.time);
  emitCoord(ctx, "EventCaseDisclosed", { caseId: c.id, level: c.level, slippageSeconds: slippage, height: ctx.block.height });
  startCheck(ctx, k, c);
  addMetrics(ctx, k, metricsLevel(c), { disclosed: 1n, revealSecondsTotal: toReveal, slippageSecondsTotal: slippage });
  rescheduleCase(ctx, k, c);
}

/** MsgCloseCase: a disclosed case closes with its post-coordination record (hash + public summary). */
export function closeCase(ctx: Context, k: CoordKeeper, member: string, caseId: bigint, recordHash: Uint8Array, summary: RecordSummary): PostCoordinationRecord {
  k.requireEnabled(ctx, "closing a case");
  k.requireMember(ctx, member, "close a case");
  const c = k.requireCase(ctx, caseId);
  if (c.status !== CaseStatus.CASE_STATUS_DISCLOSED) throw ErrWrongStatus.wrap(`case ${caseId} is ${CaseStatus[c.status]}; only a disclosed case can be closed`);
  const cursor = checkCursor(ctx, k, caseId);
  if (cursor !== undefined || checkRunning(ctx, k, caseId)) {
    const batch = k.params(ctx).disclosureCheckBatch;
    throw ErrDisclosureIncomplete.wrap(
      `the disclosure check of case ${caseId} (disclosed at height ${c.disclosureHeight}) is still running: ${cursor?.examined ?? 0n} index entries and involvements examined so far, at most ${batch} per block over all running checks; wait at least one more block (until EventDisclosureCheckDone) and close again`,
    );
  }
  const r: PostCoordinationRecord = { caseId, recordHash: Buffer.from(recordHash), summary, closedBy: member, height: ctx.block.height, time: ctx.block.time };
  k.setRecord(ctx, r);
  k.transition(ctx, c, CaseStatus.CASE_STATUS_CLOSED, EmbargoState.EMBARGO_STATE_EXITED, "closed", member);
  c.closedHeight = ctx.block.height;
  emitCoord(ctx, "EventCaseClosed", { caseId, recordHash: toHex(recordHash), height: ctx.block.height });
  k.setCase(ctx, c);
  return r;
}

/**
 * A circuit break cites a case (x/dcert's MsgCircuitBreak with case_id, wired in src/app): the
 * case must exist and be open, overdue or disclosed (coord:37 otherwise). Records a Mitigation.
 */
export function citeCase(ctx: Context, k: CoordKeeper, caseId: bigint, member: string, routes: readonly string[], reason: string): void {
  const c = caseId === 0n ? undefined : k.getCase(ctx, caseId);
  if (c === undefined) throw ErrCannotCite.wrap(`no case ${caseId} to cite`);
  const citable = c.status === CaseStatus.CASE_STATUS_OPEN || c.status === CaseStatus.CASE_STATUS_OVERDUE || c.status === CaseStatus.CASE_STATUS_DISCLOSED;
  if (!citable) throw ErrCannotCite.wrap(`case ${caseId} is ${CaseStatus[c.status]}; only open, overdue or disclosed cases can be cited`);
  if (routes.length > LIMITS.mitigationRoutes) throw ErrCannotCite.wrap(`at most ${LIMITS.mitigationRoutes} routes per citation`);
  const seq = c.mitigationCount + 1;
  c.mitigationCount = seq;
  k.putMitigation(ctx, seq, { caseId, member, routes: [...routes], reason: reason.slice(0, LIMITS.reason), height: ctx.block.height, time: ctx.block.time });
  emitCoord(ctx, "EventCaseCited", { caseId, member, routes: [...routes], height: ctx.block.height });
  k.appendTimeline(ctx, c, "mitigation", member, `circuit break of ${routes.join(", ")} at ${timeToJson(ctx.block.time)}`);
  k.setCase(ctx, c);
}

