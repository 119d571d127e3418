/**
 * The dCERT Query service (`/dcert.v1.Query/<Method>`). Every answer is read from the store of the
 * last committed block; the election engine is never consulted (it may already be a block ahead
 * between FinalizeBlock and Commit). Rankings come from the rank index EndBlock maintains.
 *
 * BrokenRoutes and IsBroken are defined in query.proto but served by the circuit module.
 */
import { addrBytes, addrString } from "../auth/keeper";
import type { Context } from "../../baseapp/context";
import { readU64be } from "../../baseapp/encoding";
import { paginate as paginateRaw } from "../../baseapp/pagination";
import type { PageRequest, PageResponse } from "../../generated/cosmos/base/query/v1beta1/pagination";
import type { Registrar } from "../../baseapp/module";
import type { KVStore } from "../../baseapp/store/types";
import {
  QueryBondsRequest,
  QueryBondsResponse,
  QueryCandidatesRequest,
  QueryCandidatesResponse,
  QueryDisbandStatusRequest,
  QueryDisbandStatusResponse,
  QueryGroupRequest,
  QueryGroupResponse,
  QueryMemberRequest,
  QueryMemberResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QuerySuspensionsRequest,
  QuerySuspensionsResponse,
  QueryStabilizationQueueRequest,
  QueryStabilizationQueueResponse,
  QueryUnbondingsRequest,
  QueryUnbondingsResponse,
  QueryVoteRequest,
  QueryVoteResponse,
} from "../../generated/dcert/v1/query";
import type { Bond, CandidateInfo, MemberInfo, MemberStatus, UnbondingEntry } from "../../generated/dcert/v1/types";
import { ErrInvalidAddress, ErrNotFound } from "./errors";
import type { DcertKeeper } from "./keeper/keeper";
import { KEY, keys, splitLengthPrefixed } from "./keys";
import { paramsToProto } from "./keeper/params";
import { voterRecordToProto } from "./keeper/records";

const SERVICE = "dcert.v1.Query";

/** The SDK's pagination (baseapp/pagination.ts), with the response in our generated (Buffer) types. */
function paginate<T>(
  store: KVStore,
  prefix: Uint8Array,
  req: PageRequest | undefined,
  select: (key: Uint8Array, value: Uint8Array) => T | undefined,
): { items: T[]; pagination: PageResponse } {
  const { items, pagination } = paginateRaw(store, prefix, req, select);
  return { items, pagination: { nextKey: Buffer.from(pagination.nextKey), total: pagination.total } };
}

function address(a: string, field: string): Uint8Array {
  try {
    return addrBytes(a);
  } catch (e) {
    throw ErrInvalidAddress.wrap(`${field}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function optionalAddress(a: string, field: string): Uint8Array | undefined {
  return a === "" ? undefined : address(a, field);
}

/** Members best first: tally descending, then sequence ascending. */
export function groupMembers(ctx: Context, keeper: DcertKeeper): MemberInfo[] {
  const r = keeper.records;
  const rows = r.members(ctx).map((m) => ({ ...m, tally: r.tally(ctx, m.address), bond: r.bondTotal(ctx, m.address) }));
  rows.sort((a, b) => (a.tally !== b.tally ? (a.tally > b.tally ? -1 : 1) : a.sequence < b.sequence ? -1 : a.sequence > b.sequence ? 1 : 0));
  return rows.map((m) => ({ address: m.address, sequence: m.sequence, tally: m.tally.toString(), bond: m.bond.toString() }));
}

export function memberStatus(ctx: Context, keeper: DcertKeeper, addr: string): MemberStatus {
  const r = keeper.records;
  const sequence = r.memberSequence(ctx, addr);
  const acceptance = r.getCandidate(ctx, addr);
  return {
    address: addr,
    isMember: sequence !== undefined,
    sequence: sequence ?? 0n,
    tally: r.tally(ctx, addr).toString(),
    bond: r.bondTotal(ctx, addr).toString(),
    unbonding: keeper.unbondingOf(ctx, addr).toString(),
    accepted: acceptance !== undefined,
    acceptance,
    eligible: keeper.eligibility(ctx, addr).ok,
    suspended: keeper.isSuspended(ctx, addr),
    barred: keeper.isBarred(ctx, addr),
    stipendPaid: r.stipendPaid(ctx, addr).toString(),
    queueEntry: r.getQueueEntry(ctx, addr) ?? r.queue(ctx).find((e) => e.replaces === addr),
  };
}

export function registerDcertQueries(reg: Registrar, keeper: DcertKeeper): void {
  const r = keeper.records;

  reg.query({
    service: SERVICE,
    method: "Params",
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle: (ctx) => ({ params: paramsToProto(keeper.params(ctx)) }),
  });

  reg.query({
    service: SERVICE,
    method: "Group",
    request: QueryGroupRequest,
    response: QueryGroupResponse,
    handle(ctx) {
      const g = r.group(ctx);
      return {
        status: g.status,
        description: g.description,
        members: groupMembers(ctx, keeper),
        maxMembers: keeper.params(ctx).maxMembers,
        lastSequence: r.meta(ctx)?.lastSequence ?? 0n,
        disbandPending: keeper.disbandPending(ctx),
      };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Member",
    request: QueryMemberRequest,
    response: QueryMemberResponse,
    handle(ctx, req) {
      address(req.address, "address");
      return { status: memberStatus(ctx, keeper, req.address) };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Candidates",
    request: QueryCandidatesRequest,
    response: QueryCandidatesResponse,
    handle(ctx, req) {
      const { items, pagination } = paginate(r.kv(ctx), keys.prefix(KEY.rank), req.pagination, (k): CandidateInfo => {
        const addr = addrString(splitLengthPrefixed(k, 44)[0] ?? new Uint8Array()); // after ~tally(32) | height(8) | index(4)
        const acceptance = r.getEligible(ctx, addr);
        return {
          address: addr,
          tally: r.tally(ctx, addr).toString(),
          acceptance,
          bond: r.bondTotal(ctx, addr).toString(),
          queued: r.getQueueEntry(ctx, addr) !== undefined,
        };
      });
      return { candidates: items, pagination };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Vote",
    request: QueryVoteRequest,
    response: QueryVoteResponse,
    handle(ctx, req) {
      address(req.voter, "voter");
      const v = r.getVote(ctx, req.voter);
      if (v === undefined) throw ErrNotFound.wrap(`${req.voter} has no counted vote (a vote sent in the current block counts from its end)`);
      return { vote: voterRecordToProto(v) };
    },
  });

  reg.query({
    service: SERVICE,
    method: "StabilizationQueue",
    request: QueryStabilizationQueueRequest,
    response: QueryStabilizationQueueResponse,
    handle: (ctx) => ({ entries: r.queue(ctx) }),
  });

  reg.query({
    service: SERVICE,
    method: "Bonds",
    request: QueryBondsRequest,
    response: QueryBondsResponse,
    handle(ctx, req) {
      const member = optionalAddress(req.member, "member");
      const staker = optionalAddress(req.staker, "staker");
      const kv = r.kv(ctx);
      let page: { items: Bond[]; pagination: PageResponse };
      if (member !== undefined) {
        page = paginate(kv, keys.bondsOf(member), req.pagination, (k): Bond | undefined => {
          const s = splitLengthPrefixed(k, 0)[0] ?? new Uint8Array();
          if (staker !== undefined && addrString(s) !== req.staker) return undefined;
          return { member: req.member, staker: addrString(s), amount: r.bond(ctx, req.member, addrString(s)).toString() };
        });
      } else if (staker !== undefined) {
        page = paginate(kv, keys.bondsByStaker(staker), req.pagination, (k): Bond => {
          const m = addrString(splitLengthPrefixed(k, 0)[0] ?? new Uint8Array());
          return { member: m, staker: req.staker, amount: r.bond(ctx, m, req.staker).toString() };
        });
      } else {
        page = paginate(kv, keys.prefix(KEY.bond), req.pagination, (k, v): Bond => {
          const [m, s] = splitLengthPrefixed(k, 0);
          return { member: addrString(m ?? new Uint8Array()), staker: addrString(s ?? new Uint8Array()), amount: new TextDecoder().decode(v) };
        });
      }
      return { bonds: page.items, pagination: page.pagination };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Unbondings",
    request: QueryUnbondingsRequest,
    response: QueryUnbondingsResponse,
    handle(ctx, req) {
      const member = optionalAddress(req.member, "member");
      const staker = optionalAddress(req.staker, "staker");
      const kv = r.kv(ctx);
      const byId = (k: Uint8Array): UnbondingEntry | undefined => r.getUnbonding(ctx, readU64be(k, k.length - 8));
      let page: { items: UnbondingEntry[]; pagination: PageResponse };
      if (member !== undefined) {
        const prefix = staker === undefined ? keys.unbondingsOfMember(member) : keys.unbondingsOfPair(member, staker);
        page = paginate(kv, prefix, req.pagination, byId);
      } else if (staker !== undefined) {
        page = paginate(kv, keys.unbondingsOfStaker(staker), req.pagination, byId);
      } else {
        page = paginate(kv, keys.prefix(KEY.unbonding), req.pagination, byId);
      }
      return { unbondings: page.items, pagination: page.pagination };
    },
  });

  reg.query({
    service: SERVICE,
    method: "Suspensions",
    request: QuerySuspensionsRequest,
    response: QuerySuspensionsResponse,
    handle: (ctx) => ({ suspensions: [...r.allSuspensions(ctx)], votes: [...r.allSuspensionVotes(ctx)] }),
  });

  reg.query({
    service: SERVICE,
    method: "DisbandStatus",
    request: QueryDisbandStatusRequest,
    response: QueryDisbandStatusResponse,
    handle(ctx) {
      const g = r.group(ctx);
      const proposals = r.disbandProposals(ctx);
      return { status: g.status, frozen: proposals.length > 0, proposals, statusHeight: g.statusHeight };
    },
  });
}
