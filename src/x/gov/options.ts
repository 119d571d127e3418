import { VoteOption, voteOptionToJSON, type WeightedVoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { DEC_ONE } from "../../baseapp/coins";
import { decFromJson, decToJson } from "../staking/dec";
import { ErrInvalidVote } from "./errors";
import type { WeightedOption } from "./tally";

const VALID = [
  VoteOption.VOTE_OPTION_YES,
  VoteOption.VOTE_OPTION_ABSTAIN,
  VoteOption.VOTE_OPTION_NO,
  VoteOption.VOTE_OPTION_NO_WITH_VETO,
] as const;

export function isValidVoteOption(o: number): o is VoteOption {
  return (VALID as readonly number[]).includes(o);
}

function optionName(o: number): string {
  return isValidVoteOption(o) ? voteOptionToJSON(o) : String(o);
}

function requireOption(o: number): VoteOption {
  if (!isValidVoteOption(o)) {
    throw ErrInvalidVote.wrap(
      `vote option ${optionName(o)} is not valid; use VOTE_OPTION_YES, VOTE_OPTION_ABSTAIN, VOTE_OPTION_NO or VOTE_OPTION_NO_WITH_VETO`,
    );
  }
  return o;
}

/**
 * Validates weighted vote options as the SDK's MsgVoteWeighted.ValidateBasic does: at least one
 * option, each a valid option at most once, each weight in (0, 1], weights summing to exactly 1.
 */
export function parseWeightedOptions(options: readonly WeightedVoteOption[]): WeightedOption[] {
  if (options.length === 0) throw ErrInvalidVote.wrap("a weighted vote needs at least one option");
  const out: WeightedOption[] = [];
  let total = 0n;
  for (const o of options) {
    const option = requireOption(o.option);
    let weight: bigint;
    try {
      weight = decFromJson(o.weight, "weight");
    } catch (e) {
      throw ErrInvalidVote.wrap(`${optionName(option)}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (weight <= 0n || weight > DEC_ONE) {
      throw ErrInvalidVote.wrap(`weight ${o.weight} of ${optionName(option)} must be greater than 0 and at most 1`);
    }
    if (out.some((x) => x.option === option)) throw ErrInvalidVote.wrap(`option ${optionName(option)} appears more than once`);
    out.push({ option, weight });
    total += weight;
  }
  if (total !== DEC_ONE) throw ErrInvalidVote.wrap(`the weights add up to ${decToJson(total)}; they must add up to exactly 1`);
  return out;
}

/** A plain vote: the whole weight on one option. */
export function singleOption(option: number): WeightedOption[] {
  return [{ option: requireOption(option), weight: DEC_ONE }];
}

export function optionsToProto(options: readonly WeightedOption[]): WeightedVoteOption[] {
  return options.map((o) => ({ option: o.option, weight: decToJson(o.weight) }));
}

/** The `option` attribute of `proposal_vote` events, as the SDK (v0.50) JSON-encodes it. */
export function optionsEventValue(options: readonly WeightedOption[]): string {
  return JSON.stringify(options.map((o) => ({ option: o.option, weight: decToJson(o.weight) })));
}
