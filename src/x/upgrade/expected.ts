/**
 * What the upgrade keeper needs from other modules (the SDK's expected_keepers.go). The app
 * (src/app/wiring.ts) adapts the chain's keepers to these; unit tests may pass fakes.
 */
import type { Context } from "../../baseapp/context";
import type { PlanInfo } from "./halt";

/** Membership of the dCERT group (x/dcert), for pre-approvals. */
export interface DcertForUpgrade {
  /** Seated and eligible now (x/dcert's isActiveMember: not suspended, not barred, group not disbanded). */
  isActiveMember(ctx: Context, address: string): boolean;
  /** Has a suspension record (a suspended member is refused with its own error). */
  isSuspended(ctx: Context, address: string): boolean;
  /** A disband proposal is pending: the group's powers are frozen. */
  disbandPending(ctx: Context): boolean;
  isDisbanded(ctx: Context): boolean;
  /** Number of active members now. */
  activeMemberCount(ctx: Context): number;
}

/** The coordination module, for a pre-approval citing a case (x/coord). */
export interface CoordForUpgrade {
  caseExists(ctx: Context, caseId: bigint): boolean;
}

/**
 * One upgrade handler as the module runs it: the app binds the handlers of src/app/upgrades/ to its
 * keepers. `apply` runs inside consensus at the plan's height, before the module migrations.
 */
export interface PlanHandler {
  readonly name: string;
  apply(ctx: Context, plan: PlanInfo): void;
}
