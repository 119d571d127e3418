import {
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
import { addrBytes } from "../auth/keeper";
import { coinsFromProto } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { ErrInvalidCoins, ErrInvalidRequest } from "../../baseapp/errors";
import type { AppModule, Registrar } from "../../baseapp/module";
import { ErrInvalidProposalContent, ErrInvalidSigner } from "./errors";
import type { StakingForGov } from "./expected";
import { defaultGovGenesisJson, exportGovGenesis, initGovGenesis, parseGovGenesis, validateGovGenesis } from "./genesis";
import { GovKeeper, type GovKeeperDeps, MAX_METADATA_LEN, MAX_SUMMARY_LEN, MAX_TITLE_LEN } from "./keeper";
import { GOV_MODULE } from "./keys";
import { parseWeightedOptions, singleOption } from "./options";
import { govParamsFromProto, validateGovParams } from "./params";
import { registerGovQueries } from "./query";
import { registerGovLegacyQueries } from "./query_v1beta1";

export const MSG_SUBMIT_PROPOSAL = "/cosmos.gov.v1.MsgSubmitProposal";
export const MSG_DEPOSIT = "/cosmos.gov.v1.MsgDeposit";
export const MSG_VOTE = "/cosmos.gov.v1.MsgVote";
export const MSG_VOTE_WEIGHTED = "/cosmos.gov.v1.MsgVoteWeighted";
export const MSG_UPDATE_PARAMS = "/cosmos.gov.v1.MsgUpdateParams";

function requireProposalId(id: bigint): void {
  if (id === 0n) throw ErrInvalidRequest.wrap("proposal id must be given (ids start at 1)");
}

/** Registers the gov v1 Msg service (submit, deposit, vote, weighted vote, update params). */
export function registerGovMsgs(r: Registrar, keeper: GovKeeper): void {
  r.msg<MsgSubmitProposal>({
    typeUrl: MSG_SUBMIT_PROPOSAL,
    module: GOV_MODULE,
    codec: MsgSubmitProposal,
    signers: (m) => [m.proposer],
    validateBasic(m) {
      addrBytes(m.proposer);
      coinsFromProto(m.initialDeposit);
      if (m.title === "") throw ErrInvalidProposalContent.wrap("proposal title cannot be empty");
      if (m.summary === "") throw ErrInvalidProposalContent.wrap("proposal summary cannot be empty");
      if (m.title.length > MAX_TITLE_LEN || m.summary.length > MAX_SUMMARY_LEN || m.metadata.length > MAX_METADATA_LEN) {
        throw ErrInvalidProposalContent.wrap(
          `title, summary or metadata too long (limits ${MAX_TITLE_LEN}, ${MAX_SUMMARY_LEN} and ${MAX_METADATA_LEN} characters)`,
        );
      }
    },
    handle(ctx, m) {
      const proposalId = keeper.submitProposal(ctx, {
        messages: m.messages,
        initialDeposit: coinsFromProto(m.initialDeposit),
        proposer: m.proposer,
        metadata: m.metadata,
        title: m.title,
        summary: m.summary,
        expedited: m.expedited,
      });
      return { typeUrl: "/cosmos.gov.v1.MsgSubmitProposalResponse", value: MsgSubmitProposalResponse.encode({ proposalId }).finish() };
    },
  });
  r.msg<MsgDeposit>({
    typeUrl: MSG_DEPOSIT,
    module: GOV_MODULE,
    codec: MsgDeposit,
    signers: (m) => [m.depositor],
    validateBasic(m) {
      requireProposalId(m.proposalId);
      addrBytes(m.depositor);
      if (coinsFromProto(m.amount).length === 0) throw ErrInvalidCoins.wrap("deposit amount must not be empty");
    },
    handle(ctx, m) {
      keeper.addDeposit(ctx, m.proposalId, m.depositor, coinsFromProto(m.amount));
      return { typeUrl: "/cosmos.gov.v1.MsgDepositResponse", value: MsgDepositResponse.encode({}).finish() };
    },
  });
  r.msg<MsgVote>({
    typeUrl: MSG_VOTE,
    module: GOV_MODULE,
    codec: MsgVote,
    signers: (m) => [m.voter],
    validateBasic(m) {
      requireProposalId(m.proposalId);
      addrBytes(m.voter);
      singleOption(m.option);
    },
    handle(ctx, m) {
      keeper.addVote(ctx, m.proposalId, m.voter, singleOption(m.option), m.metadata);
      return { typeUrl: "/cosmos.gov.v1.MsgVoteResponse", value: MsgVoteResponse.encode({}).finish() };
    },
  });
  r.msg<MsgVoteWeighted>({
    typeUrl: MSG_VOTE_WEIGHTED,
    module: GOV_MODULE,
    codec: MsgVoteWeighted,
    signers: (m) => [m.voter],
    validateBasic(m) {
      requireProposalId(m.proposalId);
      addrBytes(m.voter);
      parseWeightedOptions(m.options);
    },
    handle(ctx, m) {
      keeper.addVote(ctx, m.proposalId, m.voter, parseWeightedOptions(m.options), m.metadata);
      return { typeUrl: "/cosmos.gov.v1.MsgVoteWeightedResponse", value: MsgVoteWeightedResponse.encode({}).finish() };
    },
  });
  r.msg<MsgUpdateParams>({
    typeUrl: MSG_UPDATE_PARAMS,
    module: GOV_MODULE,
    codec: MsgUpdateParams,
    signers: (m) => [m.authority],
    validateBasic(m) {
      addrBytes(m.authority);
      try {
        validateGovParams(govParamsFromProto(m.params));
      } catch (e) {
        throw ErrInvalidRequest.wrap(`invalid gov params: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    handle(ctx, m) {
      if (m.authority !== keeper.authority) {
        throw ErrInvalidSigner.wrap(`invalid authority; expected ${keeper.authority} (the gov module account), got ${m.authority}`);
      }
      keeper.setParams(ctx, govParamsFromProto(m.params));
      return { typeUrl: "/cosmos.gov.v1.MsgUpdateParamsResponse", value: MsgUpdateParamsResponse.encode({}).finish() };
    },
  });
}

export interface GovModule extends AppModule {
  readonly keeper: GovKeeper;
}

/**
 * x/gov v1. Declares the `gov` module account (burner), registers the Msg and Query services,
 * and processes ending deposit and voting periods in EndBlock. Other modules reach the keeper
 * (hooks, authority) through the returned object's `keeper`.
 */
/** What gov is built from: the auth and bank keepers and the router that runs passed proposals' messages. */
export type GovModuleHost = Pick<GovKeeperDeps, "auth" | "bank" | "router">;

export function govModule(app: GovModuleHost, staking: StakingForGov): GovModule {
  const keeper = new GovKeeper({ auth: app.auth, bank: app.bank, router: app.router, staking });
  return {
    name: GOV_MODULE,
    keeper,
    register(r: Registrar): void {
      registerGovMsgs(r, keeper);
      registerGovQueries(r, keeper);
      registerGovLegacyQueries(r, keeper);
    },
    defaultGenesis: () => defaultGovGenesisJson(),
    validateGenesis(g) {
      validateGovGenesis(parseGovGenesis(g));
    },
    initGenesis(ctx: Context, g) {
      const gen = parseGovGenesis(g);
      validateGovGenesis(gen);
      initGovGenesis(ctx, keeper, gen, (denom) => app.bank.getBalance(ctx, keeper.authority, denom).amount);
    },
    exportGenesis: (ctx: Context) => exportGovGenesis(ctx, keeper),
    endBlock(ctx: Context): void {
      keeper.endBlock(ctx);
    },
  };
}
