/**
 * What x/distribution needs from other modules' keepers (the Cosmos SDK's `expected_keepers.go`).
 * The auth, bank and staking keepers implement these; distribution calls nothing else of them.
 */
import type { Delegation, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";

export interface AccountKeeper {
  /** Declares a module account (created at InitChain); returns its address. */
  declareModuleAccount(name: string, permissions?: readonly string[]): string;
}

export interface BankKeeper {
  getBalance(ctx: Context, address: string, denom: string): Coin;
  getAllBalances(ctx: Context, address: string): Coin[];
  /** Whether `address` may not receive funds through messages (module accounts). */
  isBlocked(address: string): boolean;
  sendFromAccountToModule(ctx: Context, from: string, module: string, coins: readonly Coin[]): void;
  sendFromModuleToAccount(ctx: Context, module: string, to: string, coins: readonly Coin[]): void;
  sendFromModuleToModule(ctx: Context, from: string, to: string, coins: readonly Coin[]): void;
}

/**
 * The staking hooks distribution implements, with the SDK's meaning: each `before…` runs before
 * the state change (validator tokens and shares as they were), each `after…` after it.
 */
export interface DistributionStakingHooks {
  afterValidatorCreated(ctx: Context, valoper: string): void;
  afterValidatorRemoved(ctx: Context, consAddr: Uint8Array, valoper: string): void;
  beforeDelegationCreated(ctx: Context, delegator: string, valoper: string): void;
  beforeDelegationSharesModified(ctx: Context, delegator: string, valoper: string): void;
  afterDelegationModified(ctx: Context, delegator: string, valoper: string): void;
  /** `fraction`: 18-decimal fixed point share of the validator's tokens about to be burned. */
  beforeValidatorSlashed(ctx: Context, valoper: string, fraction: bigint): void;
}

/** The staking keeper as distribution reads it. */
export interface StakingForDistribution {
  getValidator(ctx: Context, valoper: string): Validator | undefined;
  getValidatorByConsAddr(ctx: Context, consAddr: Uint8Array): Validator | undefined;
  getDelegation(ctx: Context, delegator: string, valoper: string): Delegation | undefined;
  /** Delegations to a validator, in delegator-address byte order. */
  validatorDelegations(ctx: Context, valoper: string): Delegation[];
  /** Delegations of a delegator, in validator-address byte order. */
  delegationsOfRaw(ctx: Context, delegator: string): Delegation[];
  addHooks(h: object): void;
}
