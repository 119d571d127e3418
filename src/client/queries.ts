/**
 * The dCERT query extension for CosmJS's `QueryClient`, following CosmJS's module pattern:
 *
 *   const q = QueryClient.withExtensions(cometClient, setupDcertExtension);
 *   const { members } = await q.dcert.group();
 *
 * Each method sends one ABCI query to `/dcert.v1.Query/<Method>` and returns the decoded response.
 * Paged queries take an optional `paginationKey` (the `pagination.nextKey` of the previous page).
 */
import { createProtobufRpcClient, type QueryClient } from "@cosmjs/stargate";
import type { PageRequest } from "../generated/cosmos/base/query/v1beta1/pagination";
import {
  QueryClientImpl,
  type QueryBondsResponse,
  type QueryBrokenRoutesResponse,
  type QueryCandidatesResponse,
  type QueryDisbandStatusResponse,
  type QueryGroupResponse,
  type QueryIsBrokenResponse,
  type QueryMemberResponse,
  type QueryParamsResponse,
  type QueryStabilizationQueueResponse,
  type QuerySuspensionsResponse,
  type QueryUnbondingsResponse,
  type QueryVoteResponse,
} from "../generated/dcert/v1/query";

/** Optional filters of the Bonds and Unbondings queries (an empty filter lists everything). */
export interface BondFilter {
  readonly member?: string;
  readonly staker?: string;
}

export interface DcertExtension {
  readonly dcert: {
    readonly params: () => Promise<QueryParamsResponse>;
    /** Status, description and members (best first). */
    readonly group: () => Promise<QueryGroupResponse>;
    /** One address's standing (works for any address, member or not). */
    readonly member: (address: string) => Promise<QueryMemberResponse>;
    /** Eligible non-members, best first. */
    readonly candidates: (paginationKey?: Uint8Array) => Promise<QueryCandidatesResponse>;
    /** The counted vote of `voter`; rejects with a "not found" error when it has none. */
    readonly vote: (voter: string) => Promise<QueryVoteResponse>;
    readonly stabilizationQueue: () => Promise<QueryStabilizationQueueResponse>;
    readonly bonds: (filter?: BondFilter, paginationKey?: Uint8Array) => Promise<QueryBondsResponse>;
    readonly unbondings: (filter?: BondFilter, paginationKey?: Uint8Array) => Promise<QueryUnbondingsResponse>;
    readonly suspensions: () => Promise<QuerySuspensionsResponse>;
    readonly disbandStatus: () => Promise<QueryDisbandStatusResponse>;
    readonly brokenRoutes: (paginationKey?: Uint8Array) => Promise<QueryBrokenRoutesResponse>;
    readonly isBroken: (typeUrl: string) => Promise<QueryIsBrokenResponse>;
  };
}

/** A page request starting at `key` (the whole first page when absent), as CosmJS's `createPagination` builds it. */
export function dcertPagination(key?: Uint8Array): PageRequest | undefined {
  if (key === undefined) return undefined;
  return { key: Uint8Array.from(key), offset: 0n, limit: 0n, countTotal: false, reverse: false };
}

export function setupDcertExtension(base: QueryClient): DcertExtension {
  const rpc = createProtobufRpcClient(base);
  const q = new QueryClientImpl(rpc);
  return {
    dcert: {
      params: () => q.Params({}),
      group: () => q.Group({}),
      member: (address) => q.Member({ address }),
      candidates: (key) => q.Candidates({ pagination: dcertPagination(key) }),
      vote: (voter) => q.Vote({ voter }),
      stabilizationQueue: () => q.StabilizationQueue({}),
      bonds: (filter = {}, key) => q.Bonds({ member: filter.member ?? "", staker: filter.staker ?? "", pagination: dcertPagination(key) }),
      unbondings: (filter = {}, key) =>
        q.Unbondings({ member: filter.member ?? "", staker: filter.staker ?? "", pagination: dcertPagination(key) }),
      suspensions: () => q.Suspensions({}),
      disbandStatus: () => q.DisbandStatus({}),
      brokenRoutes: (key) => q.BrokenRoutes({ pagination: dcertPagination(key) }),
      isBroken: (typeUrl) => q.IsBroken({ typeUrl }),
    },
  };
}
