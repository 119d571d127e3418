import { Proposal as ProposalV1, ProposalStatus, Vote as VoteV1, type TallyResult as TallyV1 } from "cosmjs-types/cosmos/gov/v1/gov";
import {
  type Proposal,
  TextProposal,
  type TallyResult,
  type Vote,
  VoteOption,
} from "cosmjs-types/cosmos/gov/v1beta1/gov";
import {
  QueryDepositRequest,
  QueryDepositResponse,
  QueryDepositsRequest,
  QueryDepositsResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryProposalRequest,
  QueryProposalResponse,
  QueryProposalsRequest,
  QueryProposalsResponse,
  QueryTallyResultRequest,
  QueryTallyResultResponse,
  QueryVoteRequest,
  QueryVoteResponse,
  QueryVotesRequest,
  QueryVotesResponse,
} from "cosmjs-types/cosmos/gov/v1beta1/query";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { addrBytes } from "../auth/keeper";
import { utf8 } from "../../baseapp/encoding";
import { ErrInvalidRequest, ErrNotFound } from "../../baseapp/errors";
import type { Registrar } from "../../baseapp/module";
import { decFromJson, decToProto } from "../staking/dec";
import type { GovKeeper } from "./keeper";
import { GOV_STORE, KEY, single, voteKey, votePrefix } from "./keys";
import { paginate } from "../../baseapp/pagination";
import { depositOf, depositsPage, proposalOf, requireId } from "./query_server";
import { EMPTY_TALLY } from "./tally";

/**
 * The legacy `cosmos.gov.v1beta1.Query` service over the v1 state, as the SDK (v0.50) keeps it
 * for older clients. Stock CosmJS (`setupGovExtension`) still queries these paths.
 *
 * A v1beta1 proposal has one `content`: for a proposal with exactly one message it is that message
 * (the SDK's compatibility behaviour); for a text proposal or one with several messages we give a
 * TextProposal with the title and summary instead of failing the query.
 */
const SERVICE = "cosmos.gov.v1beta1.Query";
/** Go's zero time.Time as a protobuf Timestamp (what the SDK writes for an unset time). */
const GO_ZERO_TIME: Timestamp = { seconds: -62_135_596_800n, nanos: 0 };

function legacyTally(t: TallyV1 | undefined): TallyResult {
  const r = t ?? EMPTY_TALLY;
  return { yes: r.yesCount, abstain: r.abstainCount, no: r.noCount, noWithVeto: r.noWithVetoCount };
}

function legacyContent(p: ProposalV1): Any {
  const only = p.messages.length === 1 ? p.messages[0] : undefined;
  if (only !== undefined) return { typeUrl: only.typeUrl, value: only.value };
  return { typeUrl: "/cosmos.gov.v1beta1.TextProposal", value: TextProposal.encode({ title: p.title, description: p.summary }).finish() };
}

export function legacyProposal(p: ProposalV1): Proposal {
  return {
    proposalId: p.id,
    content: legacyContent(p),
    status: p.status,
    finalTallyResult: legacyTally(p.finalTallyResult),
    submitTime: p.submitTime ?? GO_ZERO_TIME,
    depositEndTime: p.depositEndTime ?? GO_ZERO_TIME,
    totalDeposit: p.totalDeposit,
    votingStartTime: p.votingStartTime ?? GO_ZERO_TIME,
    votingEndTime: p.votingEndTime ?? GO_ZERO_TIME,
  };
}

/** v1beta1 weights are gogoproto Dec scalars: the integer value × 10^18 as text. */
function legacyVote(v: VoteV1): Vote {
  const options = v.options.map((o) => ({ option: o.option as number as VoteOption, weight: decToProto(decFromJson(o.weight, "weight")) }));
  const single = options.length === 1 ? options[0] : undefined;
  return { proposalId: v.proposalId, voter: v.voter, option: single?.option ?? VoteOption.VOTE_OPTION_UNSPECIFIED, options };
}

export function registerGovLegacyQueries(r: Registrar, keeper: GovKeeper): void {
  r.query({
    service: SERVICE,
    method: "Proposal",
    request: QueryProposalRequest,
    response: QueryProposalResponse,
    handle: (ctx, req) => ({ proposal: legacyProposal(proposalOf(keeper, ctx, req.proposalId)) }),
  });
  r.query({
    service: SERVICE,
    method: "Proposals",
    request: QueryProposalsRequest,
    response: QueryProposalsResponse,
    handle(ctx, req) {
      if (req.voter !== "") addrBytes(req.voter);
      if (req.depositor !== "") addrBytes(req.depositor);
      const filterStatus = req.proposalStatus !== ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED;
      const { items, pagination } = paginate(ctx.kv(GOV_STORE), single(KEY.proposal), req.pagination, (_k, v) => {
        const p = ProposalV1.decode(v);
        if (filterStatus && (p.status as number) !== (req.proposalStatus as number)) return undefined;
        if (req.voter !== "" && keeper.getVote(ctx, p.id, req.voter) === undefined) return undefined;
        if (req.depositor !== "" && keeper.getDeposit(ctx, p.id, req.depositor) === undefined) return undefined;
        return legacyProposal(p);
      });
      return { proposals: items, pagination };
    },
  });
  r.query({
    service: SERVICE,
    method: "Vote",
    request: QueryVoteRequest,
    response: QueryVoteResponse,
    handle(ctx, req) {
      requireId(req.proposalId);
      addrBytes(req.voter);
      const raw = ctx.kv(GOV_STORE).get(voteKey(req.proposalId, req.voter));
      if (raw === undefined) {
        throw ErrNotFound.wrap(`rpc error: code = InvalidArgument desc = voter: ${req.voter} not found for proposal: ${req.proposalId}`);
      }
      return { vote: legacyVote(VoteV1.decode(raw)) };
    },
  });
  r.query({
    service: SERVICE,
    method: "Votes",
    request: QueryVotesRequest,
    response: QueryVotesResponse,
    handle(ctx, req) {
      requireId(req.proposalId);
      const { items, pagination } = paginate(ctx.kv(GOV_STORE), votePrefix(req.proposalId), req.pagination, (_k, v) => legacyVote(VoteV1.decode(v)));
      return { votes: items, pagination };
    },
  });
  r.query({
    service: SERVICE,
    method: "Params",
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle(ctx, req) {
      const p = keeper.params(ctx);
      const out: QueryParamsResponse = {
        votingParams: { votingPeriod: { seconds: 0n, nanos: 0 } },
        depositParams: { minDeposit: [], maxDepositPeriod: { seconds: 0n, nanos: 0 } },
        tallyParams: { quorum: new Uint8Array(), threshold: new Uint8Array(), vetoThreshold: new Uint8Array() },
      };
      switch (req.paramsType) {
        case "voting":
          return { ...out, votingParams: { votingPeriod: p.votingPeriod } };
        case "deposit":
          return {
            ...out,
            depositParams: { minDeposit: p.minDeposit.map((c) => ({ denom: c.denom, amount: c.amount.toString() })), maxDepositPeriod: p.maxDepositPeriod },
          };
        case "tallying":
          return {
            ...out,
            tallyParams: {
              quorum: utf8(decToProto(p.quorum)),
              threshold: utf8(decToProto(p.threshold)),
              vetoThreshold: utf8(decToProto(p.vetoThreshold)),
            },
          };
        default:
          throw ErrInvalidRequest.wrap(`${JSON.stringify(req.paramsType)} is not a valid parameter type; use deposit, voting or tallying`);
      }
    },
  });
  r.query({
    service: SERVICE,
    method: "Deposit",
    request: QueryDepositRequest,
    response: QueryDepositResponse,
    handle: (ctx, req) => ({ deposit: depositOf(ctx, req.proposalId, req.depositor) }),
  });
  r.query({
    service: SERVICE,
    method: "Deposits",
    request: QueryDepositsRequest,
    response: QueryDepositsResponse,
    handle: (ctx, req) => depositsPage(ctx, req.proposalId, req.pagination),
  });
  r.query({
    service: SERVICE,
    method: "TallyResult",
    request: QueryTallyResultRequest,
    response: QueryTallyResultResponse,
    handle(ctx, req) {
      const p = proposalOf(keeper, ctx, req.proposalId);
      if (p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD) return { tally: legacyTally(undefined) };
      if (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) return { tally: legacyTally(keeper.tally(ctx, p).result) };
      return { tally: legacyTally(p.finalTallyResult) };
    },
  });
}
