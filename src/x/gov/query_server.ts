import { Proposal, ProposalStatus, Vote } from "cosmjs-types/cosmos/gov/v1/gov";
import {
  QueryConstitutionRequest,
  QueryConstitutionResponse,
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
} from "cosmjs-types/cosmos/gov/v1/query";
import { addrBytes } from "../auth/keeper";
import type { Context } from "../../baseapp/context";
import { ErrInvalidRequest, ErrNotFound } from "../../baseapp/errors";
import type { Registrar } from "../../baseapp/module";
import { ErrUnknownProposal } from "./errors";
import type { GovKeeper } from "./keeper";
import { decodeStoredDeposit, depositKey, depositPrefix, GOV_STORE, KEY, single, voteKey, votePrefix } from "./keys";
import { paginate } from "../../baseapp/pagination";
import { govParamsToProto } from "./params";
import { EMPTY_TALLY } from "./tally";

const SERVICE = "cosmos.gov.v1.Query";

export function requireId(id: bigint): void {
  if (id === 0n) throw ErrInvalidRequest.wrap("proposal id can not be 0");
}

export function proposalOf(keeper: GovKeeper, ctx: Context, id: bigint): Proposal {
  requireId(id);
  const p = keeper.getProposal(ctx, id);
  if (p === undefined) throw ErrUnknownProposal.wrap(`rpc error: code = NotFound desc = proposal ${id} doesn't exist`);
  return p;
}

/** One deposit (served by the v1 and the legacy v1beta1 Deposit queries alike). */
export function depositOf(ctx: Context, proposalId: bigint, depositor: string): ReturnType<typeof decodeStoredDeposit> {
  requireId(proposalId);
  addrBytes(depositor);
  const raw = ctx.kv(GOV_STORE).get(depositKey(proposalId, depositor));
  if (raw === undefined) {
    throw ErrNotFound.wrap(`rpc error: code = InvalidArgument desc = depositer: ${depositor} not found for proposal: ${proposalId}`);
  }
  return decodeStoredDeposit(raw);
}

/** A page of a proposal's deposits (v1 and v1beta1 Deposits). */
export function depositsPage(ctx: Context, proposalId: bigint, page: Parameters<typeof paginate>[2]) {
  requireId(proposalId);
  const { items, pagination } = paginate(ctx.kv(GOV_STORE), depositPrefix(proposalId), page, (_k, v) => decodeStoredDeposit(v));
  return { deposits: items, pagination };
}

/** gRPC-style queries of x/gov v1 (`/cosmos.gov.v1.Query/<Method>`). */
export function registerGovQueries(r: Registrar, keeper: GovKeeper): void {
  r.query({
    service: SERVICE,
    method: "Constitution",
    request: QueryConstitutionRequest,
    response: QueryConstitutionResponse,
    handle: (ctx) => ({ constitution: keeper.constitution(ctx) }),
  });
  r.query({
    service: SERVICE,
    method: "Proposal",
    request: QueryProposalRequest,
    response: QueryProposalResponse,
    handle: (ctx, req) => ({ proposal: proposalOf(keeper, ctx, req.proposalId) }),
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
        const p = Proposal.decode(v);
        if (filterStatus && p.status !== req.proposalStatus) return undefined;
        if (req.voter !== "" && keeper.getVote(ctx, p.id, req.voter) === undefined) return undefined;
        if (req.depositor !== "" && keeper.getDeposit(ctx, p.id, req.depositor) === undefined) return undefined;
        return p;
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
      return { vote: Vote.decode(raw) };
    },
  });
  r.query({
    service: SERVICE,
    method: "Votes",
    request: QueryVotesRequest,
    response: QueryVotesResponse,
    handle(ctx, req) {
      requireId(req.proposalId);
      const { items, pagination } = paginate(ctx.kv(GOV_STORE), votePrefix(req.proposalId), req.pagination, (_k, v) => Vote.decode(v));
      return { votes: items, pagination };
    },
  });
  r.query({
    service: SERVICE,
    method: "Params",
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle(ctx, req) {
      const gp = keeper.params(ctx);
      const params = govParamsToProto(gp);
      switch (req.paramsType) {
        case "":
          return { params };
        case "deposit":
          return { params, depositParams: { minDeposit: params.minDeposit, maxDepositPeriod: gp.maxDepositPeriod } };
        case "voting":
          return { params, votingParams: { votingPeriod: gp.votingPeriod } };
        case "tallying":
          return { params, tallyParams: { quorum: params.quorum, threshold: params.threshold, vetoThreshold: params.vetoThreshold } };
        default:
          throw ErrInvalidRequest.wrap(`unknown params type ${JSON.stringify(req.paramsType)}; use deposit, voting, tallying or leave it empty`);
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
      switch (p.status) {
        case ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD:
          return { tally: { ...EMPTY_TALLY } };
        case ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD:
          return { tally: keeper.tally(ctx, p).result };
        default:
          return { tally: p.finalTallyResult ?? { ...EMPTY_TALLY } };
      }
    },
  });
}
