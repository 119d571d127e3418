/**
 * The reveal gate: a case may wait, before any of its items is revealed, until 2/3 of voting power
 * runs a build ready for a named x/upgrade plan (the seed's "disclosure waits for a patched
 * majority"). The gate is `Case.readiness_plan`, set at MsgOpenCase or by a coordinator with
 * MsgSetRevealGate; whether it is open is asked of the upgrade module (UpgradeForCoord).
 *
 * At the deadline. The gate never moves T and never publishes anything: the coordination module
 * has no automatic disclosure, items are only ever revealed by a member's MsgReveal. What the gate
 * changes is the overdue check (T + reveal window): while the gate is closed the case is not marked
 * overdue nor escalated (the wait is the network's, not the group's), EventRevealGateWaiting is
 * emitted and the check comes back one reveal window later. The first check that finds the gate
 * open (or cleared) after such a wait gives the coordinators one more reveal window
 * (EventRevealGateOpened); from then on the usual overdue rules apply.
 */
import type { Context } from "../../../baseapp/context";
import { type Case, CaseStatus } from "../../../generated/coord/v1/types";
import { emitCoord } from "../events";
import { ErrInvalidRevealGate, ErrNotCoordinator, ErrRevealGated, ErrWrongStatus } from "../errors";
import { DUE } from "../keys";
import { caseDeadline, type CoordKeeper } from "./keeper";
import { fromNow } from "./cases";
import { levelTimeline } from "./params";

export interface SetRevealGateInput {
  readonly member: string;
  readonly caseId: bigint;
  /** The plan to gate on; empty clears the gate. Checked by validateBasic (planNameProblem). */
  readonly plan: string;
  readonly reason: string;
}

function isLive(c: Case): boolean {
  return c.status === CaseStatus.CASE_STATUS_OPEN || c.status === CaseStatus.CASE_STATUS_OVERDUE;
}

/** Refuses (coord:49) to set a gate when no upgrade-readiness source is wired. */
export function requireGateAvailable(k: CoordKeeper, caseDesc: string): void {
  if (!k.hasUpgradeSource()) {
    throw ErrInvalidRevealGate.wrap(
      `${caseDesc} cannot be gated on an upgrade plan: this chain's coordination module has no upgrade-readiness source (x/upgrade vote-extension readiness is not wired); open it without --readiness-plan`,
    );
  }
}

/** Whether case `c` may be revealed as far as its gate is concerned (true without a gate). */
export function revealGateOpen(ctx: Context, k: CoordKeeper, c: Case): boolean {
  if (c.readinessPlan === "") return true;
  const u = k.upgradeSource();
  return u !== undefined && u.twoThirdsReady(ctx, c.readinessPlan);
}

/** Throws ErrRevealGated (coord:48) while the gate of `c` is closed, saying what to wait for. */
export function requireRevealGateOpen(ctx: Context, k: CoordKeeper, c: Case): void {
  if (revealGateOpen(ctx, k, c)) return;
  const plan = c.readinessPlan;
  if (!k.hasUpgradeSource()) {
    throw ErrRevealGated.wrap(
      `case ${c.id}'s reveal is gated on upgrade plan "${plan}", but this chain's coordination module has no upgrade-readiness source to open it; a coordinator can clear the gate (dcertd tx coord set-reveal-gate ${c.id} --clear)`,
    );
  }
  throw ErrRevealGated.wrap(
    `case ${c.id}'s reveal waits until 2/3 of voting power runs a build ready for upgrade plan "${plan}" (see 'dcertd q upgrade readiness ${plan}'); reveal again once readiness crossed 2/3 or the plan was applied, or have a coordinator clear the gate (dcertd tx coord set-reveal-gate ${c.id} --clear)`,
  );
}

/** MsgSetRevealGate: a coordinator sets, replaces or clears the gate of a live case. */
export function setRevealGate(ctx: Context, k: CoordKeeper, m: SetRevealGateInput): Case {
  const setting = m.plan !== "";
  k.requireEnabled(ctx, "changing a reveal gate");
  // Setting a gate delays the disclosure: a frozen group may not; clearing lets parties be told.
  if (setting) k.requireNotFrozen(ctx, "gate a case's reveal on an upgrade plan");
  k.requireMember(ctx, m.member, "change a case's reveal gate");
  const c = k.requireCase(ctx, m.caseId);
  if (!isLive(c)) throw ErrWrongStatus.wrap(`case ${c.id} is ${CaseStatus[c.status]}; the reveal gate changes only while a case is open or overdue`);
  if (!k.isCoordinator(c, m.member)) {
    throw ErrNotCoordinator.wrap(`${m.member} does not coordinate case ${c.id} (coordinators: ${c.coordinators.join(", ")}); join it with MsgJoinCase first`);
  }
  if (setting) requireGateAvailable(k, `case ${c.id}`);
  if (m.plan === c.readinessPlan) {
    throw ErrInvalidRevealGate.wrap(setting ? `case ${c.id} is already gated on upgrade plan "${m.plan}"` : `case ${c.id} has no reveal gate to clear`);
  }
  const previous = c.readinessPlan;
  c.readinessPlan = m.plan;
  emitCoord(ctx, "EventRevealGateSet", { caseId: c.id, readinessPlan: m.plan, previousPlan: previous, member: m.member, height: ctx.block.height });
  const what = setting ? `upgrade plan ${m.plan}${previous === "" ? "" : ` (was ${previous})`}` : `cleared (was upgrade plan ${previous})`;
  k.appendTimeline(ctx, c, setting ? "reveal_gate_set" : "reveal_gate_cleared", m.member, m.reason === "" ? what : `${what}; ${m.reason}`);
  k.setCase(ctx, c);
  return c;
}

/**
 * The gate's part of an overdue check (abci.ts), called for a live case whose check would mark it
 * overdue or escalate it. Returns true when the gate handled the check (the case waits or gets
 * one more window; the next check is scheduled), false when the usual overdue rules apply.
 */
export function gateOverdueCheck(ctx: Context, k: CoordKeeper, c: Case): boolean {
  const p = k.params(ctx);
  const window = levelTimeline(p, c.level).revealWindowSeconds;
  const next = (): void => k.scheduleAt(ctx, c.id, DUE.overdue, fromNow(ctx, p, caseDeadline(c), window));
  if (!revealGateOpen(ctx, k, c)) {
    const startsWaiting = c.gateDeferrals === 0 || c.gateOpenHeight !== 0n;
    c.gateDeferrals += 1;
    c.gateOpenHeight = 0n;
    emitCoord(ctx, "EventRevealGateWaiting", { caseId: c.id, readinessPlan: c.readinessPlan, deferrals: c.gateDeferrals, height: ctx.block.height });
    if (startsWaiting) k.appendTimeline(ctx, c, "reveal_gate_waiting", "", `not overdue: waiting for 2/3 of voting power ready for upgrade plan ${c.readinessPlan}`);
    next();
    return true;
  }
  if (c.gateDeferrals > 0 && c.gateOpenHeight === 0n) {
    c.gateOpenHeight = ctx.block.height;
    emitCoord(ctx, "EventRevealGateOpened", { caseId: c.id, readinessPlan: c.readinessPlan, height: ctx.block.height });
    k.appendTimeline(ctx, c, "reveal_gate_open", "", c.readinessPlan === "" ? "gate cleared: one more reveal window" : `upgrade plan ${c.readinessPlan} ready: one more reveal window`);
    next();
    return true;
  }
  return false;
}
