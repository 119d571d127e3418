/**
 * A query extension for x/gov v1 (`/cosmos.gov.v1.Query/<Method>`). CosmJS's own
 * `setupGovExtension` speaks gov v1beta1, which this chain does not serve; proposals here carry
 * messages (gov v1), e.g. the governance-only dCERT messages.
 *
 *   const q = QueryClient.withExtensions(cometClient, setupGovV1Extension);
 *   const { proposal } = await q.govV1.proposal(1n);
 */
import { createPagination, createProtobufRpcClient, type QueryClient } from "@cosmjs/stargate";
import type { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import {
  QueryClientImpl,
  type QueryDepositResponse,
  type QueryDepositsResponse,
  type QueryParamsResponse,
  type QueryProposalResponse,
  type QueryProposalsResponse,
  type QueryTallyResultResponse,
  type QueryVoteResponse,
  type QueryVotesResponse,
} from "cosmjs-types/cosmos/gov/v1/query";

/** A proposal id as a bigint, a number or a decimal string. */
export type ProposalId = bigint | number | string;

export function toProposalId(id: ProposalId): bigint {
  if (typeof id === "bigint") return id;
  if (typeof id === "number" && Number.isSafeInteger(id) && id >= 0) return BigInt(id);
  if (typeof id === "string" && /^[0-9]+$/.test(id)) return BigInt(id);
  throw new Error(`invalid proposal id ${String(id)} (expected a non-negative integer)`);
}

export interface ProposalFilter {
  /** Only proposals in this status (PROPOSAL_STATUS_UNSPECIFIED: any). */
  readonly status?: ProposalStatus;
  readonly voter?: string;
  readonly depositor?: string;
}

export interface GovV1Extension {
  readonly govV1: {
    /** `paramsType` empty for all params, or the legacy "voting", "deposit", "tallying". */
    readonly params: (paramsType?: string) => Promise<QueryParamsResponse>;
    readonly proposal: (id: ProposalId) => Promise<QueryProposalResponse>;
    readonly proposals: (filter?: ProposalFilter, paginationKey?: Uint8Array) => Promise<QueryProposalsResponse>;
    readonly vote: (id: ProposalId, voter: string) => Promise<QueryVoteResponse>;
    readonly votes: (id: ProposalId, paginationKey?: Uint8Array) => Promise<QueryVotesResponse>;
    readonly deposit: (id: ProposalId, depositor: string) => Promise<QueryDepositResponse>;
    readonly deposits: (id: ProposalId, paginationKey?: Uint8Array) => Promise<QueryDepositsResponse>;
    readonly tally: (id: ProposalId) => Promise<QueryTallyResultResponse>;
  };
}

export function setupGovV1Extension(base: QueryClient): GovV1Extension {
  const q = new QueryClientImpl(createProtobufRpcClient(base));
  return {
    govV1: {
      params: (paramsType = "") => q.Params({ paramsType }),
      proposal: async (id) => q.Proposal({ proposalId: toProposalId(id) }),
      proposals: (filter = {}, key) =>
        q.Proposals({
          proposalStatus: filter.status ?? 0,
          voter: filter.voter ?? "",
          depositor: filter.depositor ?? "",
          pagination: createPagination(key),
        }),
      vote: async (id, voter) => q.Vote({ proposalId: toProposalId(id), voter }),
      votes: async (id, key) => q.Votes({ proposalId: toProposalId(id), pagination: createPagination(key) }),
      deposit: async (id, depositor) => q.Deposit({ proposalId: toProposalId(id), depositor }),
      deposits: async (id, key) => q.Deposits({ proposalId: toProposalId(id), pagination: createPagination(key) }),
      tally: async (id) => q.TallyResult({ proposalId: toProposalId(id) }),
    },
  };
}
