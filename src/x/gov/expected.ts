import type { Context } from "../../baseapp/context";

/**
 * What governance needs from the staking module (the Cosmos SDK's `expected_keepers.go`). The
 * staking keeper implements these names; tests pass a fake.
 *
 * Shares and delegator shares may use any fixed scale as long as both use the same one: voting
 * power is computed as `shares × tokens / delegatorShares`, which does not depend on the scale.
 */
export interface BondedValidatorInfo {
  /** Validator operator address (`dcertvaloper1…`); delegations name validators by it. */
  readonly operatorAddress: string;
  /** The operator's account address (`dcert1…`): a vote from this address is the validator's vote. */
  readonly accountAddress: string;
  /** Bonded tokens of the validator. */
  readonly tokens: bigint;
  /** Total delegator shares issued by the validator. */
  readonly delegatorShares: bigint;
}

export interface DelegationInfo {
  /** Operator address of the validator delegated to. */
  readonly validatorAddress: string;
  readonly shares: bigint;
}

export interface StakingForGov {
  /** Validators in the bonded set, in a deterministic order. */
  bondedValidators(ctx: Context): readonly BondedValidatorInfo[];
  /** Every delegation of `delegator` (to bonded or unbonded validators), in a deterministic order. */
  delegationsOf(ctx: Context, delegator: string): readonly DelegationInfo[];
  /** Sum of the tokens of bonded validators (the quorum's denominator). */
  totalBondedTokens(ctx: Context): bigint;
}
