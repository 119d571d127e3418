import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { DEC_ONE } from "../../baseapp/coins";
import type { BondedValidatorInfo, DelegationInfo } from "./expected";

/**
 * The stake-weighted tally of x/gov v1 as pure functions (the keeper feeds them from the store and
 * the staking keeper). All powers are 18-decimal fixed-point bigints (token amount × 10^18); every
 * product is truncated on its own, so the result does not depend on the order of voters or
 * validators.
 */

/** One option of a (possibly split) vote; weights are 18-decimal fractions summing to 1. */
export interface WeightedOption {
  readonly option: VoteOption;
  readonly weight: bigint;
}

export interface TallyVoter {
  readonly voter: string;
  readonly options: readonly WeightedOption[];
}

/** Voting power per option and in total, as 18-decimal fixed-point token amounts. */
export interface TallyCounts {
  readonly yes: bigint;
  readonly abstain: bigint;
  readonly no: bigint;
  readonly noWithVeto: bigint;
  /** Power of everyone who voted (the sum of the options, up to per-option truncation). */
  readonly total: bigint;
}

/** Power of `shares` of a validator: shares × tokens / delegatorShares, as an 18-decimal value. */
export function sharesToPower(shares: bigint, tokens: bigint, delegatorShares: bigint): bigint {
  if (delegatorShares <= 0n || shares <= 0n) return 0n;
  return (shares * tokens * DEC_ONE) / delegatorShares;
}

interface Acc {
  yes: bigint;
  abstain: bigint;
  no: bigint;
  noWithVeto: bigint;
  total: bigint;
}

function addSplit(acc: Acc, power: bigint, options: readonly WeightedOption[]): void {
  for (const o of options) {
    const part = (power * o.weight) / DEC_ONE;
    switch (o.option) {
      case VoteOption.VOTE_OPTION_YES:
        acc.yes += part;
        break;
      case VoteOption.VOTE_OPTION_ABSTAIN:
        acc.abstain += part;
        break;
      case VoteOption.VOTE_OPTION_NO:
        acc.no += part;
        break;
      case VoteOption.VOTE_OPTION_NO_WITH_VETO:
        acc.noWithVeto += part;
        break;
      default:
        break; // stored votes are validated; an unknown option carries no power
    }
  }
  acc.total += power;
}

/**
 * Counts votes as the SDK's `Keeper.Tally` does:
 * - each voter's delegations to bonded validators give power shares × tokens / delegatorShares,
 *   split by the vote's weights, and those shares are deducted from the validator;
 * - a validator whose operator account voted adds the power of the shares left after deductions
 *   (its delegators who did not vote inherit its vote).
 */
export function countVotes(
  validators: readonly BondedValidatorInfo[],
  votes: Iterable<TallyVoter>,
  delegationsOf: (voter: string) => readonly DelegationInfo[],
): TallyCounts {
  interface Val {
    readonly info: BondedValidatorInfo;
    deductions: bigint;
    vote: readonly WeightedOption[] | undefined;
  }
  const byOperator = new Map<string, Val>();
  const byAccount = new Map<string, Val>();
  const ordered: Val[] = [];
  for (const info of validators) {
    const v: Val = { info, deductions: 0n, vote: undefined };
    byOperator.set(info.operatorAddress, v);
    byAccount.set(info.accountAddress, v);
    ordered.push(v);
  }
  const acc: Acc = { yes: 0n, abstain: 0n, no: 0n, noWithVeto: 0n, total: 0n };
  for (const vote of votes) {
    const asValidator = byAccount.get(vote.voter);
    if (asValidator !== undefined) asValidator.vote = vote.options;
    for (const d of delegationsOf(vote.voter)) {
      const val = byOperator.get(d.validatorAddress);
      if (val === undefined) continue; // not bonded: no voting power
      val.deductions += d.shares;
      addSplit(acc, sharesToPower(d.shares, val.info.tokens, val.info.delegatorShares), vote.options);
    }
  }
  for (const val of ordered) {
    if (val.vote === undefined) continue;
    const remaining = val.info.delegatorShares - val.deductions;
    if (remaining <= 0n) continue;
    addSplit(acc, sharesToPower(remaining, val.info.tokens, val.info.delegatorShares), val.vote);
  }
  return acc;
}

export interface TallyRules {
  readonly quorum: bigint;
  readonly threshold: bigint;
  readonly vetoThreshold: bigint;
}

export type TallyDecision =
  | "passed"
  | "no_bonded_tokens"
  | "quorum_not_reached"
  | "all_abstain"
  | "vetoed"
  | "threshold_not_reached";

/**
 * The SDK's decision rules, with exact comparisons (cross-multiplied, no rounded quotients):
 * no bonded tokens → fail; voting power / bonded < quorum → fail; everyone abstained → fail;
 * veto / all votes > veto threshold → vetoed; yes / (all − abstain) > threshold → passed.
 */
export function decideTally(counts: TallyCounts, totalBonded: bigint, rules: TallyRules): TallyDecision {
  if (totalBonded <= 0n) return "no_bonded_tokens";
  if (counts.total < rules.quorum * totalBonded) return "quorum_not_reached";
  const nonAbstain = counts.total - counts.abstain;
  if (nonAbstain <= 0n) return "all_abstain";
  if (counts.noWithVeto * DEC_ONE > rules.vetoThreshold * counts.total) return "vetoed";
  if (counts.yes * DEC_ONE > rules.threshold * nonAbstain) return "passed";
  return "threshold_not_reached";
}

/** The `TallyResult` message: whole tokens per option (truncated), as the SDK reports them. */
export function tallyResultOf(counts: TallyCounts): {
  yesCount: string;
  abstainCount: string;
  noCount: string;
  noWithVetoCount: string;
} {
  return {
    yesCount: (counts.yes / DEC_ONE).toString(),
    abstainCount: (counts.abstain / DEC_ONE).toString(),
    noCount: (counts.no / DEC_ONE).toString(),
    noWithVetoCount: (counts.noWithVeto / DEC_ONE).toString(),
  };
}

export const EMPTY_TALLY = { yesCount: "0", abstainCount: "0", noCount: "0", noWithVetoCount: "0" } as const;
