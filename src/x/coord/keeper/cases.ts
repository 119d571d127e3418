/**
 * Cases: opening, co-signing (join), commitments and their amendments, escalation, and the
 * deadline schedule (phases, overdue, expiries) that EndBlock enforces (abci.ts).
 *
 * Deadlines. T is a block time or a height. Phase boundaries are T − lead; for a height deadline
 * the leads and windows are converted to blocks with params.nominal_block_seconds, rounded up. A
 * sealed-level case (level 0) uses level 2's timeline.
 */
import type { Timestamp } from "../../../generated/google/protobuf/timestamp";
import type { Context } from "../../../baseapp/context";
import { bytesEqual } from "../../../baseapp/encoding";
import type { Params } from "../../../generated/coord/v1/params";
import { type Case, CaseStatus, CommitmentKind, EmbargoState, Phase, SealedLevel } from "../../../generated/coord/v1/types";
import { commitmentHash, encodeCommittedItem, sha256 } from "../../../types/coord";
import { addDuration, compareTime, timeToJson, timeToNanos } from "../../staking/time";
import { emitCoord } from "../events";
import {
  ErrAlreadyRevealed,
  ErrAlreadyVoted,
  ErrCommitmentMismatch,
  ErrInvalidCommitments,
  ErrInvalidDeadline,
  ErrInvalidLevel,
  ErrLevelSealed,
  ErrLimitReached,
  ErrNotEscalation,
  ErrWrongStatus,
} from "../errors";
import { DUE, KEY } from "../keys";
import { requireCommitmentKind, requireHash32 } from "../validate";
import { type CoordKeeper, type Deadline, caseDeadline } from "./keeper";
import { addMetrics, metricsLevel } from "./metrics";
import { levelTimeline } from "./params";
import { requireGateAvailable } from "./gate";

/** Highest escalation level. */
export const MAX_LEVEL = 3;
/** A sealed case is level 2's timeline; at most this many overdue escalations are counted on it. */
export const MAX_SEALED_ESCALATIONS = 2;

export function deadlineToString(d: Deadline): string {
  return "time" in d ? timeToJson(d.time) : `height ${d.height}`;
}

/** ceil(seconds / nominal block seconds): a duration in blocks. */
export function blocksFor(p: Params, seconds: bigint): bigint {
  const n = p.nominalBlockSeconds > 0n ? p.nominalBlockSeconds : 1n;
  return (seconds + n - 1n) / n;
}

/** `d` moved by `seconds` (negative: earlier); heights use nominal_block_seconds, never below 1. */
export function shiftDeadline(p: Params, d: Deadline, seconds: bigint): Deadline {
  if ("time" in d) return { time: addDuration(d.time, { seconds, nanos: 0 }) };
  const blocks = seconds >= 0n ? blocksFor(p, seconds) : -blocksFor(p, -seconds);
  const h = d.height + blocks;
  return { height: h < 1n ? 1n : h };
}

/** Whether deadline `d` has been reached at this block. */
export function reached(ctx: Context, d: Deadline): boolean {
  return "time" in d ? compareTime(ctx.block.time, d.time) >= 0 : ctx.block.height >= d.height;
}

/** Seconds from a to b (b − a), whole seconds (floor). */
export function secondsBetween(a: Timestamp, b: Timestamp): bigint {
  const d = timeToNanos(b) - timeToNanos(a);
  const s = d / 1_000_000_000n;
  return d < 0n && s * 1_000_000_000n !== d ? s - 1n : s;
}

/** The deadline as it would be `seconds` from now, in the same unit as `like`. */
export function fromNow(ctx: Context, p: Params, like: Deadline, seconds: bigint): Deadline {
  return "time" in like ? { time: addDuration(ctx.block.time, { seconds, nanos: 0 }) } : { height: ctx.block.height + blocksFor(p, seconds) };
}

/** Compares two deadlines of the same unit. */
export function compareDeadline(a: Deadline, b: Deadline): number {
  if ("time" in a && "time" in b) return compareTime(a.time, b.time);
  if ("height" in a && "height" in b) return a.height < b.height ? -1 : a.height > b.height ? 1 : 0;
  throw new Error("comparing a time deadline with a height deadline");
}

/** Checks that a new deadline lies in [now + min_embargo, now + max_embargo] (coord:14). */
export function requireDeadlineBounds(ctx: Context, p: Params, d: Deadline, what: string): void {
  const lo = fromNow(ctx, p, d, p.minEmbargoSeconds);
  const hiSeconds = p.maxEmbargoSeconds;
  const hi = "time" in d ? fromNow(ctx, p, d, hiSeconds) : { height: ctx.block.height + hiSeconds / (p.nominalBlockSeconds > 0n ? p.nominalBlockSeconds : 1n) };
  if (compareDeadline(d, lo) < 0 || compareDeadline(d, hi) > 0) {
    throw ErrInvalidDeadline.wrap(
      `${what} ${deadlineToString(d)} must lie between ${deadlineToString(lo)} and ${deadlineToString(hi)} (params.min_embargo_seconds ${p.minEmbargoSeconds} and max_embargo_seconds ${p.maxEmbargoSeconds} from now)`,
    );
  }
}

export function setDeadline(c: Case, d: Deadline): void {
  if ("time" in d) {
    c.deadlineTime = d.time;
    c.deadlineHeight = 0n;
  } else {
    c.deadlineTime = undefined;
    c.deadlineHeight = d.height;
  }
}

/** A message's deadline fields: none (undefined), a time, or a height; both is coord:14. */
export function deadlineFromFields(time: Timestamp | undefined, height: bigint): Deadline | undefined {
  const hasTime = time !== undefined && (time.seconds !== 0n || time.nanos !== 0);
  if (hasTime && height !== 0n) throw ErrInvalidDeadline.wrap("give the deadline as a block time or as a height, not both");
  if (height < 0n) throw ErrInvalidDeadline.wrap(`deadline_height must be positive, got ${height}`);
  if (hasTime) return { time };
  if (height !== 0n) return { height };
  return undefined;
}

// ================================================================== phases and the schedule

const PHASE_DUE: ReadonlyArray<readonly [Phase, typeof DUE.contact | typeof DUE.finalize | typeof DUE.reveal]> = [
  [Phase.PHASE_PRIVATE_CONTACT, DUE.contact],
  [Phase.PHASE_FINALIZE, DUE.finalize],
  [Phase.PHASE_REVEAL, DUE.reveal],
];

/** When `phase` (contact, finalize, reveal) begins for case `c`. */
export function phaseStart(p: Params, c: Case, phase: Phase): Deadline {
  const t = levelTimeline(p, c.level);
  const T = caseDeadline(c);
  if (phase === Phase.PHASE_PRIVATE_CONTACT) return shiftDeadline(p, T, -t.contactLeadSeconds);
  if (phase === Phase.PHASE_FINALIZE) return shiftDeadline(p, T, -t.finalizeLeadSeconds);
  return T;
}

/** The phase a live case is in at this block, from T alone. */
export function phaseNow(ctx: Context, p: Params, c: Case): Phase {
  let out = Phase.PHASE_PREPARATION;
  for (const [phase] of PHASE_DUE) if (reached(ctx, phaseStart(p, c, phase))) out = phase;
  return out;
}

function isLive(c: Case): boolean {
  return c.status === CaseStatus.CASE_STATUS_OPEN || c.status === CaseStatus.CASE_STATUS_OVERDUE;
}

/** Whether an overdue check can still raise the level. */
export function canEscalateOnOverdue(c: Case): boolean {
  return c.level === 0 ? c.sealedEscalations < MAX_SEALED_ESCALATIONS : c.level < MAX_LEVEL;
}

/**
 * Sets the phase of a live case after its T changed: a phase already passed is reached at this
 * block's EndBlock (its queue entry is due); a phase now in the future (T moved later) is left,
 * with EventPhaseReached for the earlier phase. Then (re)schedules every deadline of the case.
 */
export function onDeadlineChanged(ctx: Context, k: CoordKeeper, c: Case, actor: string): void {
  const p = k.params(ctx);
  const now = phaseNow(ctx, p, c);
  if (now < c.phase && isLive(c)) {
    c.phase = now;
    emitCoord(ctx, "EventPhaseReached", { caseId: c.id, phase: now, height: ctx.block.height });
    k.appendTimeline(ctx, c, "phase", actor, Phase[now]);
  }
  rescheduleCase(ctx, k, c);
}

/**
 * Schedules every deadline case `c` has now, from its fields alone (also what InitGenesis calls to
 * rebuild the queues): the phases not reached yet and the first overdue check of an open case
 * (one the reveal gate postponed is kept, or comes one reveal window from now);
 * for an overdue case that can still escalate, the next check (kept if one is scheduled, else one
 * reveal window from now); the pending revision's expiry; the co-sign expiry of a proposed case;
 * the end of the follow-up of a disclosed case. Everything else of the case is unscheduled.
 */
export function rescheduleCase(ctx: Context, k: CoordKeeper, c: Case): void {
  const p = k.params(ctx);
  if (!isLive(c)) {
    for (const what of [DUE.contact, DUE.finalize, DUE.reveal, DUE.overdue, DUE.revisionExpiry, DUE.cosignExpiry]) k.unschedule(ctx, c.id, what);
    if (c.phase !== Phase.PHASE_FOLLOW_UP || c.disclosureTime === undefined) k.unschedule(ctx, c.id, DUE.followUpEnd);
    else if (k.scheduled(ctx, c.id, DUE.followUpEnd) === undefined) {
      k.scheduleAt(ctx, c.id, DUE.followUpEnd, { time: addDuration(c.disclosureTime, { seconds: levelTimeline(p, c.level).followUpSeconds, nanos: 0 }) });
    }
    return;
  }
  for (const [phase, due] of PHASE_DUE) {
    if (c.phase < phase) k.scheduleAt(ctx, c.id, due, phaseStart(p, c, phase));
    else k.unschedule(ctx, c.id, due);
  }
  const window = levelTimeline(p, c.level).revealWindowSeconds;
  if (c.status === CaseStatus.CASE_STATUS_OPEN) {
    const at = shiftDeadline(p, caseDeadline(c), window);
    if (c.gateDeferrals === 0 || !reached(ctx, at)) k.scheduleAt(ctx, c.id, DUE.overdue, at);
    // A check postponed by the reveal gate (gate.ts) stays where it is, or comes one window from now.
    else if (k.scheduled(ctx, c.id, DUE.overdue) === undefined) k.scheduleAt(ctx, c.id, DUE.overdue, fromNow(ctx, p, caseDeadline(c), window));
  } else if (!canEscalateOnOverdue(c)) {
    k.unschedule(ctx, c.id, DUE.overdue);
  } else if (k.scheduled(ctx, c.id, DUE.overdue) === undefined) {
    k.scheduleAt(ctx, c.id, DUE.overdue, fromNow(ctx, p, caseDeadline(c), window));
  }
  const r = k.getRevision(ctx, c.id);
  if (r?.expires !== undefined) k.scheduleAt(ctx, c.id, DUE.revisionExpiry, { time: r.expires });
  else k.unschedule(ctx, c.id, DUE.revisionExpiry);
  if (c.embargoState === EmbargoState.EMBARGO_STATE_PROPOSED && c.openTime !== undefined) {
    k.scheduleAt(ctx, c.id, DUE.cosignExpiry, { time: addDuration(c.openTime, { seconds: p.revisionTtlSeconds, nanos: 0 }) });
  } else {
    k.unschedule(ctx, c.id, DUE.cosignExpiry);
  }
  k.unschedule(ctx, c.id, DUE.followUpEnd);
}


// ================================================================== messages

export interface OpenCaseInput {
  readonly member: string;
  readonly level: number;
  readonly commitments: readonly { kind: CommitmentKind; hash: Uint8Array }[];
  readonly deadline: Deadline | undefined;
  /** The reveal gate's upgrade plan ("" = none); its name is checked by validateBasic. */
  readonly readinessPlan?: string;
}

/** Cases that are OPEN or OVERDUE. PERF: O(those cases) ≤ max_open_cases. */
export function openCaseCount(ctx: Context, k: CoordKeeper): number {
  return k.caseIdsWithStatus(ctx, CaseStatus.CASE_STATUS_OPEN).length + k.caseIdsWithStatus(ctx, CaseStatus.CASE_STATUS_OVERDUE).length;
}

/** MsgOpenCase (commitments already checked by validateBasic). */
export function openCase(ctx: Context, k: CoordKeeper, m: OpenCaseInput): Case {
  k.requireEnabled(ctx, "opening a case");
  k.requireNotFrozen(ctx, "open a case");
  k.requireMember(ctx, m.member, "open a case");
  const p = k.params(ctx);
  const readinessPlan = m.readinessPlan ?? "";
  if (readinessPlan !== "") requireGateAvailable(k, "a case");
  if (m.level > MAX_LEVEL) throw ErrInvalidLevel.wrap(`level must be 1 (standard), 2 (enhanced), 3 (emergency) or 0 (sealed), got ${m.level}`);
  const open = openCaseCount(ctx, k);
  if (open >= p.maxOpenCases) throw ErrLimitReached.wrap(`${open} cases are open or overdue; params.max_open_cases is ${p.maxOpenCases}; disclose or withdraw one first`);
  let deadline: Deadline;
  if (m.deadline === undefined) {
    if (m.level === 0) throw ErrInvalidDeadline.wrap("a sealed-level case needs an explicit deadline (a per-level default would reveal the level)");
    deadline = { time: addDuration(ctx.block.time, { seconds: levelTimeline(p, m.level).embargoSeconds, nanos: 0 }) };
  } else {
    requireDeadlineBounds(ctx, p, m.deadline, "the embargo deadline");
    deadline = m.deadline;
  }
  const id = k.takeId(ctx, KEY.nextCaseId);
  const c: Case = {
    id,
    opener: m.member,
    coordinators: [m.member],
    level: m.level,
    sealedEscalations: 0,
    status: CaseStatus.CASE_STATUS_UNSPECIFIED,
    embargoState: EmbargoState.EMBARGO_STATE_NONE,
    deadlineTime: undefined,
    deadlineHeight: 0n,
    originalDeadlineTime: "time" in deadline ? deadline.time : undefined,
    originalDeadlineHeight: "height" in deadline ? deadline.height : 0n,
    phase: Phase.PHASE_PREPARATION,
    openHeight: ctx.block.height,
    openTime: ctx.block.time,
    disclosureHeight: 0n,
    disclosureTime: undefined,
    closedHeight: 0n,
    cosignersNeeded: p.openCosigners,
    noticeCount: 0,
    inputCount: 0,
    timelineCount: 0,
    mitigationCount: 0,
    readinessPlan,
    gateDeferrals: 0,
    gateOpenHeight: 0n,
  };
  setDeadline(c, deadline);
  k.setCoordinatorIndex(ctx, m.member, id);
  for (const ci of m.commitments) {
    k.setCommitment(ctx, { caseId: id, kind: ci.kind, version: 1, hash: Buffer.from(ci.hash), height: ctx.block.height, revealed: false, revealedHeight: 0n });
  }
  emitCoord(ctx, "EventCaseOpened", { caseId: id, opener: m.member, level: m.level, deadline: deadlineToString(deadline), height: ctx.block.height, readinessPlan });
  for (const ci of m.commitments) {
    emitCoord(ctx, "EventCommitment", { caseId: id, kind: ci.kind, version: 1, hash: Buffer.from(ci.hash).toString("hex"), height: ctx.block.height });
  }
  const embargo = p.openCosigners > 0 ? EmbargoState.EMBARGO_STATE_PROPOSED : EmbargoState.EMBARGO_STATE_ACTIVE;
  k.transition(ctx, c, CaseStatus.CASE_STATUS_OPEN, embargo, "opened", m.member);
  if (readinessPlan !== "") k.appendTimeline(ctx, c, "reveal_gate_set", m.member, `upgrade plan ${readinessPlan}`);
  rescheduleCase(ctx, k, c);
  k.setCase(ctx, c);
  addMetrics(ctx, k, metricsLevel(c), { opened: 1n });
  return c;
}

/** MsgJoinCase: become a coordinator; the k-th co-signer of a proposed case activates its embargo. */
export function joinCase(ctx: Context, k: CoordKeeper, member: string, id: bigint): Case {
  k.requireEnabled(ctx, "joining a case");
  k.requireMember(ctx, member, "join a case");
  const c = k.requireCase(ctx, id);
  if (c.status !== CaseStatus.CASE_STATUS_OPEN && c.status !== CaseStatus.CASE_STATUS_OVERDUE) {
    throw ErrWrongStatus.wrap(`case ${id} is ${CaseStatus[c.status]}; only open or overdue cases can be joined`);
  }
  if (k.isCoordinator(c, member)) throw ErrAlreadyVoted.wrap(`${member} already coordinates case ${id}`);
  c.coordinators.push(member);
  k.setCoordinatorIndex(ctx, member, id);
  emitCoord(ctx, "EventCaseJoined", { caseId: id, member, height: ctx.block.height });
  k.appendTimeline(ctx, c, "joined", member);
  if (c.embargoState === EmbargoState.EMBARGO_STATE_PROPOSED) {
    c.cosignersNeeded = Math.max(0, c.cosignersNeeded - 1);
    if (c.cosignersNeeded === 0) {
      k.transition(ctx, c, CaseStatus.CASE_STATUS_OPEN, EmbargoState.EMBARGO_STATE_ACTIVE, "cosigned", member);
      k.unschedule(ctx, id, DUE.cosignExpiry);
    }
  }
  k.setCase(ctx, c);
  return c;
}

/** MsgCommit: adds a commitment of a kind not yet committed, or amends an unrevealed one (version + 1). */
export function commit(ctx: Context, k: CoordKeeper, member: string, id: bigint, kind: CommitmentKind, hash: Uint8Array): number {
  k.requireEnabled(ctx, "committing");
  k.requireMember(ctx, member, "commit to a case's items");
  requireCommitmentKind(kind, "kind");
  requireHash32(hash, "hash");
  const c = k.requireCase(ctx, id);
  if (!isLive(c)) throw ErrWrongStatus.wrap(`case ${id} is ${CaseStatus[c.status]}; commitments change only while it is open or overdue`);
  const latest = k.latestCommitment(ctx, id, kind);
  if (kind === CommitmentKind.COMMITMENT_KIND_LEVEL && latest === undefined) {
    throw ErrInvalidCommitments.wrap(`case ${id} was not opened with a sealed level; a LEVEL commitment cannot be added later`);
  }
  if (latest?.revealed === true) throw ErrAlreadyRevealed.wrap(`the ${CommitmentKind[kind]} commitment of case ${id} was revealed at height ${latest.revealedHeight}; it cannot be amended`);
  const version = (latest?.version ?? 0) + 1;
  k.setCommitment(ctx, { caseId: id, kind, version, hash: Buffer.from(hash), height: ctx.block.height, revealed: false, revealedHeight: 0n });
  emitCoord(ctx, "EventCommitment", { caseId: id, kind, version, hash: Buffer.from(hash).toString("hex"), height: ctx.block.height });
  k.appendTimeline(ctx, c, "commitment", member, `${CommitmentKind[kind]} v${version}`);
  k.setCase(ctx, c);
  return version;
}

/** Opens the LEVEL commitment of a sealed case with (salt, level); coord:32 if it does not match. */
export function openSealedLevel(ctx: Context, k: CoordKeeper, c: Case, salt: Uint8Array, level: number): number {
  const com = k.latestCommitment(ctx, c.id, CommitmentKind.COMMITMENT_KIND_LEVEL);
  if (com === undefined) throw ErrInvalidCommitments.wrap(`case ${c.id} has no LEVEL commitment`);
  if (com.revealed) throw ErrAlreadyRevealed.wrap(`the level of case ${c.id} is already revealed`);
  if (level < 1 || level > MAX_LEVEL) throw ErrInvalidLevel.wrap(`a sealed level is 1, 2 or 3, got ${level}`);
  const h = commitmentHash(ctx.block.chainId, CommitmentKind.COMMITMENT_KIND_LEVEL, salt, sha256(encodeCommittedItem(CommitmentKind.COMMITMENT_KIND_LEVEL, SealedLevel.fromPartial({ level }))));
  if (salt.length !== 32 || !bytesEqual(h, com.hash)) {
    throw ErrCommitmentMismatch.wrap(`level ${level} with this salt does not open the LEVEL commitment (version ${com.version}) of case ${c.id}`);
  }
  k.setCommitment(ctx, { ...com, revealed: true, revealedHeight: ctx.block.height });
  emitCoord(ctx, "EventItemRevealed", { caseId: c.id, kind: CommitmentKind.COMMITMENT_KIND_LEVEL, version: com.version, height: ctx.block.height });
  const revealed = Math.min(MAX_LEVEL, level + c.sealedEscalations);
  c.level = revealed;
  return revealed;
}

export interface EscalateInput {
  readonly member: string;
  readonly caseId: bigint;
  readonly newLevel: number;
  readonly levelSalt: Uint8Array;
  readonly sealedLevel: number;
  readonly reason: string;
}

/** MsgEscalate: raises the level, T = min(T, now + the new level's embargo period). */
export function escalate(ctx: Context, k: CoordKeeper, m: EscalateInput): Case {
  k.requireEnabled(ctx, "escalating");
  k.requireNotFrozen(ctx, "escalate a case");
  k.requireMember(ctx, m.member, "escalate a case");
  const c = k.requireCase(ctx, m.caseId);
  if (!isLive(c)) throw ErrWrongStatus.wrap(`case ${c.id} is ${CaseStatus[c.status]}; only open or overdue cases escalate`);
  if (m.newLevel < 1 || m.newLevel > MAX_LEVEL) throw ErrInvalidLevel.wrap(`new_level must be 2 or 3 (above the current level), got ${m.newLevel}`);
  const from = c.level;
  if (c.level === 0) {
    if (m.levelSalt.length === 0) {
      throw ErrLevelSealed.wrap(`case ${c.id} has a sealed level: open the LEVEL commitment in the same message (level_salt and sealed_level) to escalate it`);
    }
    openSealedLevel(ctx, k, c, m.levelSalt, m.sealedLevel);
  }
  if (m.newLevel <= c.level) {
    throw ErrNotEscalation.wrap(`case ${c.id} is at level ${c.level}; new_level ${m.newLevel} is not higher (lowering the level needs a DEESCALATE revision approved by a quorum)`);
  }
  c.level = m.newLevel;
  const p = k.params(ctx);
  const T = caseDeadline(c);
  const cap = fromNow(ctx, p, T, levelTimeline(p, c.level).embargoSeconds);
  if (compareDeadline(cap, T) < 0) setDeadline(c, cap);
  const deadline = deadlineToString(caseDeadline(c));
  emitCoord(ctx, "EventCaseEscalated", { caseId: c.id, from, to: c.level, cause: "member", deadline, height: ctx.block.height });
  k.appendTimeline(ctx, c, "escalated", m.member, `level ${from === 0 ? "sealed" : from} -> ${c.level}; deadline ${deadline}${m.reason === "" ? "" : `; ${m.reason}`}`);
  onDeadlineChanged(ctx, k, c, m.member);
  k.setCase(ctx, c);
  return c;
}
