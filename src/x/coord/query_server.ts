/**
 * The coordination Query service (`/coord.v1.Query/<Method>`). Every answer is read from the store
 * of the last committed block through the layout of keys.ts; the only thing asked of the keeper is
 * the dCERT's current membership (GroupKeys).
 *
 * Bounded work: store-backed lists use the runtime's pagination (baseapp/pagination.ts, at most
 * MAX_PAGE_LIMIT items a page); Notices and Inputs return at most MAX_ID_LIMIT items and look at
 * at most MAX_ID_SCAN index entries per call (`next_after_id` resumes); Match takes at most
 * MAX_MATCH_COMPONENTS components; and everything runs under the node's query gas and size caps.
 * A malformed request is coord:41 with what to change.
 */
import { addrBytes, addrString } from "../auth/keeper";
import type { Context } from "../../baseapp/context";
import { concat, readU64be, u64be } from "../../baseapp/encoding";
import { ErrInvalidRequest as ErrSdkInvalidRequest } from "../../baseapp/errors";
import type { Registrar } from "../../baseapp/module";
import { paginate as paginateRaw, paginateList as paginateListRaw } from "../../baseapp/pagination";
import { prefixEnd } from "../../baseapp/store/prefix";
import type { KVStore } from "../../baseapp/store/types";
import type { PageRequest, PageResponse } from "../../generated/cosmos/base/query/v1beta1/pagination";
import { Params } from "../../generated/coord/v1/params";
import {
  type MemberKey,
  QueryCaseRequest,
  QueryCaseResponse,
  QueryCasesRequest,
  QueryCasesResponse,
  QueryDisclosureRequest,
  QueryDisclosureResponse,
  QueryGroupKeysRequest,
  QueryGroupKeysResponse,
  QueryInputsRequest,
  QueryInputsResponse,
  QueryInvolvementsRequest,
  QueryInvolvementsResponse,
  QueryMatchRequest,
  QueryMatchResponse,
  QueryMetricsRequest,
  QueryMetricsResponse,
  QueryNoticeRequest,
  QueryNoticeResponse,
  QueryNoticesRequest,
  QueryNoticesResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryPartiesRequest,
  QueryPartiesResponse,
  QueryPartyRequest,
  QueryPartyResponse,
  QueryTimelineRequest,
  QueryTimelineResponse,
} from "../../generated/coord/v1/query";
import {
  Case,
  CaseStatus,
  CheckEntry,
  Commitment,
  type Component,
  Disclosure,
  DisclosureCheck,
  Involvement,
  LevelMetrics,
  Mitigation,
  Notice,
  Party,
  PartyKind,
  PostCoordinationRecord,
  Revision,
  SealedInput,
  TimelineEntry,
} from "../../generated/coord/v1/types";
import { ErrCaseNotFound, ErrInvalidDependency, ErrInvalidRequest, ErrNotDisclosed, ErrNoticeNotFound, ErrPartyNotFound } from "./errors";
import { COORD_MODULE_TABLE, type CoordKeeper } from "./keeper/keeper";
import { defaultCoordParams } from "./keeper/params";
import { COORD_STORE, KEY, keys, splitLengthPrefixed } from "./keys";
import { anyMatch, canonicalComponent, candidateSelectors, ComponentError } from "./match";

const SERVICE = "coord.v1.Query";

/** Largest page of a paginated list (larger limits are cut to it; next_key continues). */
export const MAX_PAGE_LIMIT = 1000n;
/** Largest `limit` of Notices and Inputs (0 means this). */
export const MAX_ID_LIMIT = 100;
/** Index entries one Notices/Inputs call looks at before it stops and hands back next_after_id. */
export const MAX_ID_SCAN = 1000;
/** Components one Match request may name. */
export const MAX_MATCH_COMPONENTS = 32;
/** Overdue case ids the Metrics query lists at most. */
export const MAX_OVERDUE_LISTED = 1000;
/**
 * The Disclosure query lists at most this many check entries (store key order); the counts of the
 * check are always exact. Larger checks are read in full from an exported genesis.
 */
export const MAX_CHECK_ENTRIES_LISTED = 10_000;

const MAX_U64 = (1n << 64n) - 1n;

function invalid(detail: string): Error {
  return ErrInvalidRequest.wrap(detail);
}

/** The runtime's errors for a bad page request, as this module's coord:41. */
function asCoordError<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (ErrSdkInvalidRequest.is(e)) throw invalid(e instanceof Error ? e.message.replace(/: invalid request$/, "") : String(e));
    throw e;
  }
}

function capped(req: PageRequest | undefined): PageRequest | undefined {
  if (req === undefined || req.limit <= MAX_PAGE_LIMIT) return req;
  return { ...req, limit: MAX_PAGE_LIMIT };
}

/** The SDK's pagination over a store prefix, with the limit capped and our error code. */
function paginate<T>(
  kv: KVStore,
  prefix: Uint8Array,
  req: PageRequest | undefined,
  select: (key: Uint8Array, value: Uint8Array) => T | undefined,
): { items: T[]; pagination: PageResponse } {
  const { items, pagination } = asCoordError(() => paginateRaw(kv, prefix, capped(req), select));
  return { items, pagination: { nextKey: Buffer.from(pagination.nextKey), total: pagination.total } };
}

function paginateList<T>(list: readonly T[], req: PageRequest | undefined): { items: T[]; pagination: PageResponse } {
  const { page, pagination } = asCoordError(() => paginateListRaw(list, req));
  return { items: page, pagination: { nextKey: Buffer.from(pagination.nextKey), total: pagination.total } };
}

function address(a: string, field: string): Uint8Array {
  if (a === "") throw invalid(`${field} is required (a bech32 account address)`);
  try {
    return addrBytes(a);
  } catch (e) {
    throw invalid(`${field}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function caseId(id: bigint, field = "case_id"): bigint {
  if (id === 0n) throw invalid(`${field} is required (case ids start at 1)`);
  return id;
}

/** Reads of the coord store by key (the layout of keys.ts). */
class Reader {
  constructor(readonly kv: KVStore) {}

  get<T>(key: Uint8Array, codec: { decode(b: Uint8Array): T }): T | undefined {
    const v = this.kv.get(key);
    return v === undefined ? undefined : codec.decode(v);
  }

  *scan(prefix: Uint8Array): IterableIterator<[Uint8Array, Uint8Array]> {
    yield* this.kv.iterate(prefix, prefixEnd(prefix));
  }

  all<T>(prefix: Uint8Array, codec: { decode(b: Uint8Array): T }): T[] {
    const out: T[] = [];
    for (const [, v] of this.scan(prefix)) out.push(codec.decode(v));
    return out;
  }

  params(): Params {
    return this.get(keys.single(KEY.params), Params) ?? defaultCoordParams();
  }

  party(addr: Uint8Array): Party | undefined {
    return this.get(keys.party(addr), Party);
  }

  case(id: bigint): Case {
    const c = this.get(keys.case(id), Case);
    if (c === undefined) throw ErrCaseNotFound.wrap(`no case ${id}`);
    return c;
  }

  metrics(level: number): LevelMetrics {
    return this.get(keys.metrics(level), LevelMetrics) ?? LevelMetrics.fromPartial({ level });
  }
}

/** Ids (the last 8 bytes of each key under `prefix`) after `afterId`, bounded by limit and scan. */
function scanIds<T>(r: Reader, prefix: Uint8Array, afterId: bigint, limit: number, accept: (id: bigint) => T | undefined): { items: T[]; next: bigint } {
  const items: T[] = [];
  if (afterId >= MAX_U64) return { items, next: 0n };
  let scanned = 0;
  let last = afterId;
  for (const [k] of r.kv.iterate(concat(prefix, u64be(afterId + 1n)), prefixEnd(prefix))) {
    if (items.length >= limit || scanned >= MAX_ID_SCAN) return { items, next: last };
    scanned++;
    last = readU64be(k, k.length - 8);
    const item = accept(last);
    if (item !== undefined) items.push(item);
  }
  return { items, next: 0n };
}

function idLimit(limit: number): number {
  if (limit > MAX_ID_LIMIT) throw invalid(`limit ${limit} is above ${MAX_ID_LIMIT}; page with next_after_id`);
  return limit === 0 ? MAX_ID_LIMIT : limit;
}

function sumMetrics(list: readonly LevelMetrics[]): LevelMetrics {
  const out = LevelMetrics.fromPartial({ level: 0 });
  for (const m of list) {
    out.opened += m.opened;
    out.disclosed += m.disclosed;
    out.withdrawn += m.withdrawn;
    out.overdue += m.overdue;
    out.acknowledgements += m.acknowledgements;
    out.ackSecondsTotal += m.ackSecondsTotal;
    out.revealSecondsTotal += m.revealSecondsTotal;
    out.slippageSecondsTotal += m.slippageSecondsTotal;
    out.missedParties += m.missedParties;
  }
  return out;
}

/** Registered parties whose current dependencies match any of `components` (canonical), by address. */
export function matchingParties(ctx: Context, components: readonly Component[]): Party[] {
  const r = new Reader(ctx.kv(COORD_STORE));
  const candidates = new Set<string>();
  const addrOf = (k: Uint8Array, skip: number): string => addrString(splitLengthPrefixed(k, skip)[1] ?? new Uint8Array());
  for (const comp of components) {
    const sel = candidateSelectors(comp, COORD_MODULE_TABLE);
    for (const e of sel.exact) {
      for (const [k] of r.scan(keys.depIndexSelector(e.kind, e.name))) candidates.add(addrOf(k, 2));
    }
    for (const pre of sel.prefixes) {
      for (const [k] of r.scan(keys.depIndexKind(pre.kind))) {
        const [selector] = splitLengthPrefixed(k, 2);
        if (selector !== undefined && Buffer.from(selector).toString("utf8").startsWith(pre.prefix)) candidates.add(addrOf(k, 2));
      }
    }
  }
  const out: Party[] = [];
  for (const a of [...candidates].sort()) {
    const p = r.party(addrBytes(a));
    if (p === undefined || p.withdrawnHeight !== 0n) continue;
    if (anyMatch(p.dependencies, components, COORD_MODULE_TABLE)) out.push(p);
  }
  return out;
}

export function registerCoordQueries(reg: Registrar, keeper: CoordKeeper): void {
  const reader = (ctx: Context): Reader => new Reader(ctx.kv(COORD_STORE));
  /** The check record with its entries (0x52, store key order) inline, at most MAX_CHECK_ENTRIES_LISTED. */
  const withEntries = (r: Reader, id: bigint): DisclosureCheck | undefined => {
    const check = r.get(keys.check(id), DisclosureCheck);
    if (check === undefined) return undefined;
    const entries: CheckEntry[] = [];
    for (const [, v] of r.scan(keys.checkEntriesOf(id))) {
      if (entries.length >= MAX_CHECK_ENTRIES_LISTED) break;
      entries.push(CheckEntry.decode(v));
    }
    return { ...check, entries };
  };

  reg.query({
    service: SERVICE,
    method: "Params",
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle: (ctx) => ({ params: reader(ctx).params() }),
  });

  reg.query({
    service: SERVICE,
    method: "Party",
    request: QueryPartyRequest,
    response: QueryPartyResponse,
    handle(ctx, req) {
      const p = reader(ctx).party(address(req.address, "address"));
      if (p === undefined) throw ErrPartyNotFound.wrap(`${req.address} has not registered a party (dcertd tx coord register-party)`);
      return { party: p };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Parties",
    request: QueryPartiesRequest,
    response: QueryPartiesResponse,
    handle(ctx, req) {
      if (!Number.isInteger(req.kind) || req.kind < 0 || req.kind > PartyKind.PARTY_KIND_RESEARCHER) {
        throw invalid(`unknown party kind ${req.kind}; use 0 (all) to ${PartyKind.PARTY_KIND_RESEARCHER}`);
      }
      const { items, pagination } = paginate(reader(ctx).kv, keys.prefix(KEY.party), req.pagination, (_k, v) => {
        const p = Party.decode(v);
        if (req.kind !== PartyKind.PARTY_KIND_UNSPECIFIED && p.kind !== req.kind) return undefined;
        if (p.withdrawnHeight !== 0n && !req.includeWithdrawn) return undefined;
        return p;
      });
      return { parties: items, pagination };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Match",
    request: QueryMatchRequest,
    response: QueryMatchResponse,
    handle(ctx, req) {
      if (req.components.length === 0) throw invalid("components: name at least one component");
      if (req.components.length > MAX_MATCH_COMPONENTS) throw invalid(`components: at most ${MAX_MATCH_COMPONENTS} per request, got ${req.components.length}`);
      const comps = req.components.map((c, i) => {
        try {
          return canonicalComponent(c, COORD_MODULE_TABLE);
        } catch (e) {
          if (e instanceof ComponentError) throw ErrInvalidDependency.wrap(`components[${i}]: ${e.message}`);
          throw e;
        }
      });
      const { items, pagination } = paginateList(matchingParties(ctx, comps), req.pagination);
      return { parties: items, pagination };
    },
  });

  reg.query({
    service: SERVICE,
    method: "GroupKeys",
    request: QueryGroupKeysRequest,
    response: QueryGroupKeysResponse,
    handle(ctx) {
      const g = keeper.groupKeys(ctx);
      const out: MemberKey[] = g.keys.map((k) => ({ address: k.address, encryptionKey: Buffer.from(k.encryptionKey), keyEpoch: k.keyEpoch }));
      return { keys: out, missing: g.missing };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Case",
    request: QueryCaseRequest,
    response: QueryCaseResponse,
    handle(ctx, req) {
      const r = reader(ctx);
      const c = r.case(caseId(req.caseId));
      return {
        case: c,
        commitments: r.all(keys.commitmentsOf(c.id), Commitment),
        revision: r.get(keys.revision(c.id), Revision),
        revealGateOpen: keeper.revealGateOpen(ctx, c),
      };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Cases",
    request: QueryCasesRequest,
    response: QueryCasesResponse,
    handle(ctx, req) {
      if (!Number.isInteger(req.status) || req.status < 0 || req.status > CaseStatus.CASE_STATUS_WITHDRAWN) {
        throw invalid(`unknown case status ${req.status}; use 0 (all) to ${CaseStatus.CASE_STATUS_WITHDRAWN}`);
      }
      const r = reader(ctx);
      // Newest first by default; pagination.reverse asks for oldest first.
      const page: PageRequest | undefined =
        req.pagination === undefined
          ? { key: Buffer.alloc(0), offset: 0n, limit: 0n, countTotal: false, reverse: true }
          : { ...req.pagination, reverse: !req.pagination.reverse };
      if (req.status === CaseStatus.CASE_STATUS_UNSPECIFIED) {
        const { items, pagination } = paginate(r.kv, keys.prefix(KEY.case), page, (_k, v) => Case.decode(v));
        return { cases: items, pagination };
      }
      const { items, pagination } = paginate(r.kv, keys.casesByStatus(req.status), page, (k) => r.case(readU64be(k, 0)));
      return { cases: items, pagination };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Timeline",
    request: QueryTimelineRequest,
    response: QueryTimelineResponse,
    handle(ctx, req) {
      const r = reader(ctx);
      const c = r.case(caseId(req.caseId));
      const { items, pagination } = paginate(r.kv, keys.timelineOf(c.id), req.pagination, (_k, v) => TimelineEntry.decode(v));
      return { entries: items, pagination };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Notice",
    request: QueryNoticeRequest,
    response: QueryNoticeResponse,
    handle(ctx, req) {
      if (req.noticeId === 0n) throw invalid("notice_id is required (notice ids start at 1)");
      const n = reader(ctx).get(keys.notice(req.noticeId), Notice);
      if (n === undefined) throw ErrNoticeNotFound.wrap(`no notice ${req.noticeId}`);
      return { notice: n };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Notices",
    request: QueryNoticesRequest,
    response: QueryNoticesResponse,
    handle(ctx, req) {
      const r = reader(ctx);
      const limit = idLimit(req.limit);
      if (req.recipient === "" && req.caseId === 0n) throw invalid("name a recipient, a case_id or both");
      const load = (id: bigint): Notice | undefined => {
        const n = r.get(keys.notice(id), Notice);
        if (n === undefined || (req.caseId !== 0n && n.caseId !== req.caseId)) return undefined;
        return req.omitEnvelope ? { ...n, envelope: undefined } : n;
      };
      let prefix: Uint8Array;
      if (req.recipient !== "") {
        prefix = keys.noticesOfRecipient(address(req.recipient, "recipient"));
      } else {
        r.case(req.caseId);
        prefix = keys.noticesOfCase(req.caseId);
      }
      const { items, next } = scanIds(r, prefix, req.afterId, limit, load);
      return { notices: items, nextAfterId: next };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Inputs",
    request: QueryInputsRequest,
    response: QueryInputsResponse,
    handle(ctx, req) {
      const r = reader(ctx);
      const limit = idLimit(req.limit);
      const load = (id: bigint): SealedInput | undefined => {
        const x = r.get(keys.input(id), SealedInput);
        const byParty = req.sender !== "" || req.recipient !== "";
        if (x === undefined || (byParty && req.caseId !== 0n && x.caseId !== req.caseId)) return undefined;
        return req.omitEnvelope ? { ...x, envelope: undefined } : x;
      };
      let prefix: Uint8Array;
      if (req.sender !== "" && req.recipient !== "") throw invalid("give a sender or a recipient, not both");
      if (req.sender !== "") {
        prefix = keys.inputsOfSender(address(req.sender, "sender"));
      } else if (req.recipient !== "") {
        prefix = keys.inputsOfRecipient(address(req.recipient, "recipient"));
      } else {
        if (req.caseId !== 0n) r.case(req.caseId);
        prefix = keys.inputsOfCase(req.caseId);
      }
      const { items, next } = scanIds(r, prefix, req.afterId, limit, load);
      return { inputs: items, nextAfterId: next };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Involvements",
    request: QueryInvolvementsRequest,
    response: QueryInvolvementsResponse,
    handle(ctx, req) {
      const r = reader(ctx);
      const c = r.case(caseId(req.caseId));
      const { items, pagination } = paginate(r.kv, keys.involvementsOf(c.id), req.pagination, (_k, v) => Involvement.decode(v));
      return { involvements: items, pagination };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Disclosure",
    request: QueryDisclosureRequest,
    response: QueryDisclosureResponse,
    handle(ctx, req) {
      const r = reader(ctx);
      const c = r.case(caseId(req.caseId));
      const disclosure = r.get(keys.disclosure(c.id), Disclosure);
      // Items revealed one message at a time are kept as they open; they are public, but the
      // disclosure is what the case published once the set is complete.
      if ((c.status !== CaseStatus.CASE_STATUS_DISCLOSED && c.status !== CaseStatus.CASE_STATUS_CLOSED) || disclosure === undefined) {
        throw ErrNotDisclosed.wrap(`case ${c.id} is ${CaseStatus[c.status] ?? c.status}; what it publishes is public once a member reveals it at or after the embargo deadline`);
      }
      return {
        disclosure,
        check: withEntries(r, c.id),
        mitigations: r.all(keys.mitigationsOf(c.id), Mitigation),
        record: r.get(keys.record(c.id), PostCoordinationRecord),
      };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Metrics",
    request: QueryMetricsRequest,
    response: QueryMetricsResponse,
    handle(ctx, req) {
      if (req.level > 3) throw invalid(`level ${req.level}: use 1, 2 or 3, or 0 for the sum of all levels`);
      const r = reader(ctx);
      const metrics = req.level === 0 ? sumMetrics([1, 2, 3].map((l) => r.metrics(l))) : r.metrics(req.level);
      const overdue: bigint[] = [];
      for (const [k] of r.scan(keys.casesByStatus(CaseStatus.CASE_STATUS_OVERDUE))) {
        if (overdue.length >= MAX_OVERDUE_LISTED) break;
        const id = readU64be(k, k.length - 8);
        if (req.level === 0 || r.case(id).level === req.level) overdue.push(id);
      }
      return { metrics, overdueCaseIds: overdue };
    },
  });
}
