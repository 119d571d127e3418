/**
 * What the dCERT keeper needs from other modules (the SDK's expected_keepers.go). The chain's
 * keepers implement these names; unit tests may pass fakes.
 */
import type { Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";

export interface StakingForDcert {
  /** Token value of the delegator's delegations to bonded (non-jailed) validators: its voting power. */
  bondedStakeOf(ctx: Context, delegator: string): bigint;
  /** The global unbonding time in whole seconds (dCERT bonds reuse it, per the ADR). */
  unbondingTime(ctx: Context): bigint;
}

export interface BankForDcert {
  getBalance(ctx: Context, address: string, denom: string): Coin;
  sendFromAccountToModule(ctx: Context, from: string, module: string, coins: readonly Coin[]): void;
  sendFromModuleToAccount(ctx: Context, module: string, to: string, coins: readonly Coin[]): void;
  burnCoins(ctx: Context, module: string, coins: readonly Coin[]): void;
}

export interface DistributionForDcert {
  /** Whole tokens of `denom` the community pool can pay. */
  communityPoolBalance(ctx: Context, denom: string): bigint;
  /** Pays out of the community pool (throws if the pool is short). */
  spendFromCommunityPool(ctx: Context, recipient: string, coins: readonly Coin[]): void;
}

export interface AuthForDcert {
  declareModuleAccount(name: string, permissions?: readonly string[]): string;
}

/**
 * The coordination module, as the circuit breaker sees it: a MsgCircuitBreak that cites a case
 * (case_id ≠ 0) is recorded as that case's mitigation, in the same transaction. `citeCase` throws a
 * registered coordination error when the case cannot be cited (unknown, closed or withdrawn).
 */
export interface CoordForCircuit {
  citeCase(ctx: Context, caseId: bigint, member: string, routes: readonly string[], reason: string): void;
}
