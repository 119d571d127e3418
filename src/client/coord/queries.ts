/**
 * The coordination query extension for CosmJS's `QueryClient`, following CosmJS's module pattern:
 *
 *   const q = QueryClient.withExtensions(cometClient, setupCoordExtension);
 *   const { case: c, commitments } = await q.coord.case(1n);
 *
 * Each method sends one ABCI query to `/coord.v1.Query/<Method>` and returns the decoded response.
 * Paged queries take an optional `paginationKey` (the `pagination.nextKey` of the previous page);
 * Notices and Inputs page by id instead (`afterId`, answered with `nextAfterId`), and
 * `collectNotices` / `collectInputs` follow those cursors to the end.
 */
import { createProtobufRpcClient, type QueryClient } from "@cosmjs/stargate";
import type { PageRequest } from "../../generated/cosmos/base/query/v1beta1/pagination";
import {
  QueryClientImpl,
  type QueryCaseResponse,
  type QueryCasesResponse,
  type QueryDisclosureResponse,
  type QueryGroupKeysResponse,
  type QueryInputsResponse,
  type QueryInvolvementsResponse,
  type QueryMatchResponse,
  type QueryMetricsResponse,
  type QueryNoticeResponse,
  type QueryNoticesResponse,
  type QueryParamsResponse,
  type QueryPartiesResponse,
  type QueryPartyResponse,
  type QueryTimelineResponse,
} from "../../generated/coord/v1/query";
import type { CaseStatus, Component, Notice, PartyKind, SealedInput } from "../../generated/coord/v1/types";

/** A case, notice or input id: a bigint, a safe non-negative integer or a decimal string. */
export type CoordId = bigint | number | string;

const U64_MAX = 0xffffffffffffffffn;

export function toCoordId(id: CoordId, what = "id"): bigint {
  let n: bigint | undefined;
  if (typeof id === "bigint") n = id;
  else if (typeof id === "number" && Number.isSafeInteger(id)) n = BigInt(id);
  else if (typeof id === "string" && /^[0-9]{1,20}$/.test(id)) n = BigInt(id);
  if (n === undefined || n < 0n || n > U64_MAX) throw new Error(`invalid ${what} ${String(id)} (expected a non-negative integer below 2^64)`);
  return n;
}

/** Filters of the Parties query: one kind (all kinds when absent), withdrawn parties too if asked. */
export interface PartyFilter {
  readonly kind?: PartyKind;
  readonly includeWithdrawn?: boolean;
}

/** Filters of the Notices query: at least one of recipient and caseId; ids after `afterId`. */
export interface NoticeFilter {
  readonly recipient?: string;
  readonly caseId?: CoordId;
  readonly afterId?: CoordId;
  /** Leave out the envelopes (metadata only). */
  readonly omitEnvelope?: boolean;
  /** At most this many (0 or absent: the chain's default page size). */
  readonly limit?: number;
}

/** Filters of the Inputs query: one case (0 or absent with no sender: the general inbox) or one sender. */
export interface InputFilter {
  readonly caseId?: CoordId;
  readonly sender?: string;
  /** Inputs sealed to this member (not with `sender`). */
  readonly recipient?: string;
  readonly afterId?: CoordId;
  readonly omitEnvelope?: boolean;
  readonly limit?: number;
}

export interface CoordExtension {
  readonly coord: {
    readonly params: () => Promise<QueryParamsResponse>;
    /** One party record (withdrawn ones too); rejects with "not found" when never registered. */
    readonly party: (address: string) => Promise<QueryPartyResponse>;
    readonly parties: (filter?: PartyFilter, paginationKey?: Uint8Array) => Promise<QueryPartiesResponse>;
    /** Registered parties whose dependencies match any of `components` (the module's matcher). */
    readonly match: (components: readonly Component[], paginationKey?: Uint8Array) => Promise<QueryMatchResponse>;
    /** The current members' encryption keys (what sealed input is sealed to) and members without one. */
    readonly groupKeys: () => Promise<QueryGroupKeysResponse>;
    /** A case with its commitments and pending revision. */
    readonly case: (caseId: CoordId) => Promise<QueryCaseResponse>;
    /** Cases, newest first; of one status when given (0 or absent: all). */
    readonly cases: (status?: CaseStatus, paginationKey?: Uint8Array) => Promise<QueryCasesResponse>;
    readonly timeline: (caseId: CoordId, paginationKey?: Uint8Array) => Promise<QueryTimelineResponse>;
    readonly notice: (noticeId: CoordId) => Promise<QueryNoticeResponse>;
    readonly notices: (filter: NoticeFilter) => Promise<QueryNoticesResponse>;
    readonly inputs: (filter?: InputFilter) => Promise<QueryInputsResponse>;
    readonly involvements: (caseId: CoordId, paginationKey?: Uint8Array) => Promise<QueryInvolvementsResponse>;
    /** What a disclosed case published, with its disclosure check, mitigations and record. */
    readonly disclosure: (caseId: CoordId) => Promise<QueryDisclosureResponse>;
    /** Running totals of one level (0 or absent: all levels) and the overdue cases. */
    readonly metrics: (level?: number) => Promise<QueryMetricsResponse>;
  };
}

/** A page request starting at `key` (the whole first page when absent), as CosmJS's `createPagination` builds it. */
export function coordPagination(key?: Uint8Array): PageRequest | undefined {
  if (key === undefined) return undefined;
  return { key: Uint8Array.from(key), offset: 0n, limit: 0n, countTotal: false, reverse: false };
}

function u32(v: number | undefined, what: string): number {
  if (v === undefined) return 0;
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`invalid ${what} ${String(v)} (expected a uint32)`);
  return v;
}

export function setupCoordExtension(base: QueryClient): CoordExtension {
  const q = new QueryClientImpl(createProtobufRpcClient(base));
  return {
    coord: {
      params: () => q.Params({}),
      party: (address) => q.Party({ address }),
      parties: (filter = {}, key) => q.Parties({ kind: filter.kind ?? 0, includeWithdrawn: filter.includeWithdrawn ?? false, pagination: coordPagination(key) }),
      match: (components, key) =>
        q.Match({ components: components.map((c) => ({ kind: c.kind, name: c.name, versions: c.versions })), pagination: coordPagination(key) }),
      groupKeys: () => q.GroupKeys({}),
      case: async (caseId) => q.Case({ caseId: toCoordId(caseId, "case id") }),
      cases: (status, key) => q.Cases({ status: status ?? 0, pagination: coordPagination(key) }),
      timeline: async (caseId, key) => q.Timeline({ caseId: toCoordId(caseId, "case id"), pagination: coordPagination(key) }),
      notice: async (noticeId) => q.Notice({ noticeId: toCoordId(noticeId, "notice id") }),
      notices: async (filter) =>
        q.Notices({
          recipient: filter.recipient ?? "",
          caseId: toCoordId(filter.caseId ?? 0n, "case id"),
          afterId: toCoordId(filter.afterId ?? 0n, "after id"),
          omitEnvelope: filter.omitEnvelope ?? false,
          limit: u32(filter.limit, "limit"),
        }),
      inputs: async (filter = {}) =>
        q.Inputs({
          caseId: toCoordId(filter.caseId ?? 0n, "case id"),
          sender: filter.sender ?? "",
          recipient: filter.recipient ?? "",
          afterId: toCoordId(filter.afterId ?? 0n, "after id"),
          omitEnvelope: filter.omitEnvelope ?? false,
          limit: u32(filter.limit, "limit"),
        }),
      involvements: async (caseId, key) => q.Involvements({ caseId: toCoordId(caseId, "case id"), pagination: coordPagination(key) }),
      disclosure: async (caseId) => q.Disclosure({ caseId: toCoordId(caseId, "case id") }),
      metrics: async (level) => q.Metrics({ level: u32(level, "level") }),
    },
  };
}

/**
 * Follows an id cursor (`afterId` → `nextAfterId`, 0 at the end) and returns every item, in id
 * order, with the cursor to resume from next time (the last id seen, or `afterId` if none).
 */
async function collectAfter<T extends { id: bigint }>(
  fetch: (afterId: bigint) => Promise<{ items: T[]; next: bigint }>,
  afterId: bigint,
  maxPages: number,
): Promise<{ items: T[]; cursor: bigint }> {
  const items: T[] = [];
  let cursor = afterId;
  for (let page = 0; page < maxPages; page++) {
    const asked = cursor;
    const r = await fetch(asked);
    items.push(...r.items);
    const last = r.items.at(-1);
    if (last !== undefined) cursor = last.id;
    if (r.next === 0n) return { items, cursor };
    if (r.next <= asked) throw new Error(`the chain's cursor did not advance (next_after_id ${r.next} after ${asked})`);
    cursor = r.next;
  }
  throw new Error(`query returned more than ${maxPages} pages`);
}

/** Every notice matching `filter` after `filter.afterId`, and the cursor to resume from. */
export function collectNotices(ext: CoordExtension, filter: NoticeFilter, maxPages = 10_000): Promise<{ items: Notice[]; cursor: bigint }> {
  return collectAfter(
    async (afterId) => {
      const r = await ext.coord.notices({ ...filter, afterId });
      return { items: r.notices, next: r.nextAfterId };
    },
    toCoordId(filter.afterId ?? 0n, "after id"),
    maxPages,
  );
}

/** Every sealed input matching `filter` after `filter.afterId`, and the cursor to resume from. */
export function collectInputs(ext: CoordExtension, filter: InputFilter = {}, maxPages = 10_000): Promise<{ items: SealedInput[]; cursor: bigint }> {
  return collectAfter(
    async (afterId) => {
      const r = await ext.coord.inputs({ ...filter, afterId });
      return { items: r.inputs, next: r.nextAfterId };
    },
    toCoordId(filter.afterId ?? 0n, "after id"),
    maxPages,
  );
}
