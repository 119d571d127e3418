/**
 * The x/gov v1 msg server: submit, deposit, vote, weighted vote and MsgUpdateParams (authority: the
 * gov module account). MsgExecLegacyContent and MsgCancelProposal are not served.
 */
import {
  type Msg,
  MsgDeposit,
  MsgDepositResponse,
  MsgSubmitProposal,
  MsgSubmitProposalResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  MsgVote,
  MsgVoteResponse,
  MsgVoteWeighted,
  MsgVoteWeightedResponse,
} from "cosmjs-types/cosmos/gov/v1/tx";
import { type Coin, coinsFromProto } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { ErrInvalidCoins, ErrInvalidRequest } from "../../baseapp/errors";
import { type MsgTable, msgSpec } from "../../baseapp/msgserver";
import { addrBytes } from "../auth/keeper";
import { updateParamsSpec } from "../auth/update_params";
import { ErrInvalidProposalContent, ErrInvalidSigner } from "./errors";
import { type GovKeeper, MAX_METADATA_LEN, MAX_SUMMARY_LEN, MAX_TITLE_LEN } from "./keeper";
import { parseWeightedOptions, singleOption } from "./options";
import { type GovParams, govParamsFromProto, validateGovParams } from "./params";
import type { WeightedOption } from "./tally";

export const GOV_MSG_PACKAGE = "cosmos.gov.v1";
export const MSG_SUBMIT_PROPOSAL = "/cosmos.gov.v1.MsgSubmitProposal";
export const MSG_DEPOSIT = "/cosmos.gov.v1.MsgDeposit";
export const MSG_VOTE = "/cosmos.gov.v1.MsgVote";
export const MSG_VOTE_WEIGHTED = "/cosmos.gov.v1.MsgVoteWeighted";
export const MSG_UPDATE_PARAMS = "/cosmos.gov.v1.MsgUpdateParams";

function requireProposalId(id: bigint): void {
  if (id === 0n) throw ErrInvalidRequest.wrap("proposal id must be given (ids start at 1)");
}

/** Stateless checks of MsgSubmitProposal; returns the initial deposit. */
function validateSubmitProposal(m: MsgSubmitProposal): Coin[] {
  addrBytes(m.proposer);
  const initialDeposit = coinsFromProto(m.initialDeposit);
  if (m.title === "") throw ErrInvalidProposalContent.wrap("proposal title cannot be empty");
  if (m.summary === "") throw ErrInvalidProposalContent.wrap("proposal summary cannot be empty");
  if (m.title.length > MAX_TITLE_LEN || m.summary.length > MAX_SUMMARY_LEN || m.metadata.length > MAX_METADATA_LEN) {
    throw ErrInvalidProposalContent.wrap(
      `title, summary or metadata too long (limits ${MAX_TITLE_LEN}, ${MAX_SUMMARY_LEN} and ${MAX_METADATA_LEN} characters)`,
    );
  }
  return initialDeposit;
}

/** Stateless checks of MsgDeposit; returns the amount. */
function validateDeposit(m: MsgDeposit): Coin[] {
  requireProposalId(m.proposalId);
  addrBytes(m.depositor);
  const amount = coinsFromProto(m.amount);
  if (amount.length === 0) throw ErrInvalidCoins.wrap("deposit amount must not be empty");
  return amount;
}

/** Stateless checks of MsgVote; returns the vote as weighted options. */
function validateVote(m: MsgVote): WeightedOption[] {
  requireProposalId(m.proposalId);
  addrBytes(m.voter);
  return singleOption(m.option);
}

/** Stateless checks of MsgVoteWeighted; returns the parsed options. */
function validateVoteWeighted(m: MsgVoteWeighted): WeightedOption[] {
  requireProposalId(m.proposalId);
  addrBytes(m.voter);
  return parseWeightedOptions(m.options);
}

/** Stateless checks of MsgUpdateParams; returns the validated params. */
function validateUpdateParams(m: MsgUpdateParams): GovParams {
  addrBytes(m.authority);
  try {
    const params = govParamsFromProto(m.params);
    validateGovParams(params);
    return params;
  } catch (e) {
    throw ErrInvalidRequest.wrap(`invalid gov params: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export class GovMsgServer {
  constructor(private readonly keeper: GovKeeper) {}

  submitProposal(ctx: Context, m: MsgSubmitProposal, initialDeposit: Coin[]): MsgSubmitProposalResponse {
    const proposalId = this.keeper.submitProposal(ctx, {
      messages: m.messages,
      initialDeposit,
      proposer: m.proposer,
      metadata: m.metadata,
      title: m.title,
      summary: m.summary,
      expedited: m.expedited,
    });
    return { proposalId };
  }

  deposit(ctx: Context, m: MsgDeposit, amount: Coin[]): MsgDepositResponse {
    this.keeper.addDeposit(ctx, m.proposalId, m.depositor, amount);
    return {};
  }

  vote(ctx: Context, m: MsgVote, options: WeightedOption[]): MsgVoteResponse {
    this.keeper.addVote(ctx, m.proposalId, m.voter, options, m.metadata);
    return {};
  }

  voteWeighted(ctx: Context, m: MsgVoteWeighted, options: WeightedOption[]): MsgVoteWeightedResponse {
    this.keeper.addVote(ctx, m.proposalId, m.voter, options, m.metadata);
    return {};
  }

  private authorize(authority: string): void {
    if (authority !== this.keeper.authority) {
      throw ErrInvalidSigner.wrap(`invalid authority; expected ${this.keeper.authority} (the gov module account), got ${authority}`);
    }
  }

  table(): MsgTable<Msg, "ExecLegacyContent" | "CancelProposal"> {
    return {
      SubmitProposal: msgSpec({
        codec: MsgSubmitProposal,
        response: MsgSubmitProposalResponse,
        signers: (m) => [m.proposer],
        validateBasic: validateSubmitProposal,
        handle: (ctx, m, initialDeposit) => this.submitProposal(ctx, m, initialDeposit),
      }),
      Deposit: msgSpec({
        codec: MsgDeposit,
        response: MsgDepositResponse,
        signers: (m) => [m.depositor],
        validateBasic: validateDeposit,
        handle: (ctx, m, amount) => this.deposit(ctx, m, amount),
      }),
      Vote: msgSpec({
        codec: MsgVote,
        response: MsgVoteResponse,
        signers: (m) => [m.voter],
        validateBasic: validateVote,
        handle: (ctx, m, options) => this.vote(ctx, m, options),
      }),
      VoteWeighted: msgSpec({
        codec: MsgVoteWeighted,
        response: MsgVoteWeightedResponse,
        signers: (m) => [m.voter],
        validateBasic: validateVoteWeighted,
        handle: (ctx, m, options) => this.voteWeighted(ctx, m, options),
      }),
      UpdateParams: updateParamsSpec({
        codec: MsgUpdateParams,
        response: MsgUpdateParamsResponse,
        what: "gov MsgUpdateParams",
        authorize: (authority) => this.authorize(authority),
        validateBasic: validateUpdateParams,
        validate: (_m, params) => params,
        store: (ctx, params) => this.keeper.setParams(ctx, params),
      }),
    };
  }
}
