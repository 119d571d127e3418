/**
 * Stateless checks of upgrade plans and messages (validateBasic). Each throws a registered
 * `upgrade` error (or the SDK's invalid-address error) naming the field and what is accepted. The
 * plan-name, info and hash rules are shared with clients (src/types/upgrade/names.ts).
 */
import type { Plan } from "cosmjs-types/cosmos/upgrade/v1beta1/upgrade";
import { ChainError, ErrInvalidAddress } from "../../baseapp/errors";
import { addrBytes } from "../auth/keeper";
import { binarySha256Error, planInfoError, planNameError } from "../../types/upgrade/names";
import { ErrInvalidHash, ErrInvalidPlan } from "./errors";

export { binarySha256Error, isValidPlanName, MAX_PLAN_INFO_BYTES, MAX_PLAN_NAME_LENGTH, planInfoError, planNameError } from "../../types/upgrade/names";

/** Go's zero time.Time as a protobuf Timestamp (what an SDK client sends for "no time"). */
const GO_ZERO_TIME_SECONDS = -62135596800n;

export function requireAddress(address: string, field: string): void {
  try {
    addrBytes(address);
  } catch (e) {
    throw ErrInvalidAddress.wrap(`${field}: ${e instanceof ChainError ? e.message : e instanceof Error ? e.message : String(e)}`);
  }
}

/** upgrade:3 unless `name` is a valid plan name. */
export function requirePlanName(name: string): void {
  const why = planNameError(name);
  if (why !== undefined) throw ErrInvalidPlan.wrap(why);
}

/** upgrade:3 unless `info` fits. */
export function requirePlanInfo(info: string): void {
  const why = planInfoError(info);
  if (why !== undefined) throw ErrInvalidPlan.wrap(why);
}

/** upgrade:14 unless `hex` is a lowercase hex SHA-256. */
export function requireBinarySha256(hex: string): void {
  const why = binarySha256Error(hex);
  if (why !== undefined) throw ErrInvalidHash.wrap(why);
}

/**
 * The stateless checks of a governance plan (x/upgrade's Plan.ValidateBasic): valid name and info,
 * a positive height, no time (deprecated; unset, the protobuf zero or Go's zero time are "no time")
 * and no upgraded client state.
 */
export function validatePlan(plan: Plan | undefined): Plan {
  if (plan === undefined) throw ErrInvalidPlan.wrap("the plan is missing");
  requirePlanName(plan.name);
  requirePlanInfo(plan.info);
  if (plan.height <= 0n) throw ErrInvalidPlan.wrap(`the plan height must be positive, got ${plan.height}`);
  const t = plan.time;
  if (t !== undefined && t.nanos !== 0) throw ErrInvalidPlan.wrap("time-based upgrades are not supported: leave plan.time unset and give a height");
  if (t !== undefined && t.seconds !== 0n && t.seconds !== GO_ZERO_TIME_SECONDS) {
    throw ErrInvalidPlan.wrap("time-based upgrades are not supported: leave plan.time unset and give a height");
  }
  if (plan.upgradedClientState !== undefined) throw ErrInvalidPlan.wrap("upgraded_client_state is not supported (IBC client upgrades are not part of this chain)");
  return plan;
}
