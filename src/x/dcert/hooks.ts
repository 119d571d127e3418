/**
 * Hooks the dCERT module registers with staking (vote weights follow stake changes) and with gov
 * (the disband proposal's wager and the freeze of the group's powers).
 */
import type { GovHooks } from "../gov/hooks";
import type { GovKeeper } from "../gov/keeper";
import type { DecodedMsg } from "../../baseapp/router";
import type { StakingHooks, StakingKeeper } from "../staking/keeper";
import { DCERT_TYPE_URLS } from "../../types/messages";
import type { DcertKeeper } from "./keeper/keeper";

/**
 * Voting power is bonded stake only (docs/design.md §5). Every change of a delegation, every
 * change of a validator's bonded status (bonded ↔ unbonding) and every slash re-weights the affected delegators'
 * votes at the end of the block. A status change costs O(delegations to that validator), in store
 * order.
 */
export function dcertStakingHooks(keeper: DcertKeeper, staking: Pick<StakingKeeper, "delegatorsOf">): StakingHooks {
  const validatorChanged = (ctx: Parameters<DcertKeeper["stakeChanged"]>[0], operator: string): void => {
    for (const delegator of staking.delegatorsOf(ctx, operator)) keeper.stakeChanged(ctx, delegator);
  };
  return {
    afterDelegationModified: (ctx, delegator) => keeper.stakeChanged(ctx, delegator),
    afterDelegationRemoved: (ctx, delegator) => keeper.stakeChanged(ctx, delegator),
    afterValidatorBonded: validatorChanged,
    afterValidatorBeginUnbonding: validatorChanged,
    // A slash lowers the token value of every delegation to the validator. Jailing needs no hook of
    // its own: a jailed validator counts for nothing in bondedStakeOf, and it leaves the bonded set
    // at the same EndBlock (afterValidatorBeginUnbonding); unjailing brings it back through
    // afterValidatorBonded.
    afterValidatorSlashed: validatorChanged,
  };
}

function hasDisband(msgs: readonly DecodedMsg[]): boolean {
  return msgs.some((m) => m.any.typeUrl === DCERT_TYPE_URLS.disbandGroup);
}

/**
 * - submission of a proposal containing MsgDisbandGroup: rejected unless its initial deposit holds
 *   the disband wager; once stored, the group is frozen (`disbandPending`) in that same tx;
 * - end of voting (any outcome) or drop: the freeze ends; unless it passed, the wager is burned
 *   out of the deposits (gov burns it, proposer's deposit first).
 */
export function dcertGovHooks(keeper: DcertKeeper, gov: GovKeeper): GovHooks {
  return {
    beforeProposalSubmission(ctx, msgs, initialDeposit) {
      if (hasDisband(msgs)) keeper.checkDisbandSubmission(ctx, initialDeposit);
    },
    afterProposalSubmission(ctx, proposalId, msgs) {
      if (hasDisband(msgs)) keeper.disbandProposalSubmitted(ctx, proposalId, gov.getProposal(ctx, proposalId)?.proposer ?? "");
    },
    afterProposalVotingPeriodEnded(ctx, proposalId, outcome) {
      const burn = keeper.disbandProposalConcluded(ctx, proposalId, outcome);
      return burn.length > 0 ? { burnFromDeposits: burn } : undefined;
    },
    afterProposalDropped(ctx, proposalId) {
      const burn = keeper.disbandProposalConcluded(ctx, proposalId, "dropped");
      return burn.length > 0 ? { burnFromDeposits: burn } : undefined;
    },
  };
}
