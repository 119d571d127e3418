/**
 * What the coordination keeper needs from other modules (the SDK's expected_keepers.go). The app
 * (src/app/wiring.ts) adapts the chain's keepers to these; unit tests may pass fakes.
 */
import type { Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";

/** Membership of the dCERT group (x/dcert). */
export interface DcertForCoord {
  /**
   * Seated and still eligible now: accepted, bonded at least min_member_bond, not suspended, not
   * barred, group not disbanded (x/dcert's `isActiveMember`; privileges go at once, the seat at
   * the end of the block).
   */
  isActiveMember(ctx: Context, address: string): boolean;
  /** The active members, sorted by address. */
  activeMembers(ctx: Context): string[];
  /** A disband proposal is pending: the group's powers are frozen. */
  disbandPending(ctx: Context): boolean;
  isDisbanded(ctx: Context): boolean;
}

export interface BankForCoord {
  getBalance(ctx: Context, address: string, denom: string): Coin;
  sendFromAccountToModule(ctx: Context, from: string, module: string, coins: readonly Coin[]): void;
  sendFromModuleToAccount(ctx: Context, module: string, to: string, coins: readonly Coin[]): void;
}

export interface AuthForCoord {
  declareModuleAccount(name: string, permissions?: readonly string[]): string;
}

/**
 * Upgrade readiness (x/upgrade's ReadinessKeeper), for cases whose reveal is gated on a plan.
 * Optional: without it, setting a gate is refused (coord:49) and a gated case cannot be revealed
 * until its gate is cleared.
 */
export interface UpgradeForCoord {
  /** True once the plan's ready voting power crossed 2/3 of the total, or the plan was applied. */
  twoThirdsReady(ctx: Context, planName: string): boolean;
}
