/**
 * The plan records both halves of the module read: the scheduled plan and the applied plans.
 * (The plan keeper and the readiness keeper write through these; nothing else touches the keys.)
 */
import type { Context } from "../../../baseapp/context";
import { readU64be, u64be } from "../../../baseapp/encoding";
import { ScheduledPlan } from "../../../generated/dcert/upgrade/v1/types";
import { keys, UPGRADE_STORE } from "../keys";

export function getScheduledPlan(ctx: Context): ScheduledPlan | undefined {
  const v = ctx.kv(UPGRADE_STORE).get(keys.plan);
  return v === undefined ? undefined : ScheduledPlan.decode(v);
}

export function setScheduledPlan(ctx: Context, plan: ScheduledPlan): void {
  ctx.kv(UPGRADE_STORE).set(keys.plan, ScheduledPlan.encode(plan).finish());
}

export function deleteScheduledPlan(ctx: Context): void {
  ctx.kv(UPGRADE_STORE).delete(keys.plan);
}

/** The height a plan was applied at, or undefined. */
export function appliedHeight(ctx: Context, name: string): bigint | undefined {
  const v = ctx.kv(UPGRADE_STORE).get(keys.applied(name));
  if (v === undefined) return undefined;
  return readU64be(v);
}

export function setApplied(ctx: Context, name: string, height: bigint): void {
  ctx.kv(UPGRADE_STORE).set(keys.applied(name), u64be(height));
}
