/**
 * The circuit breaker's message and queries, under the dCERT names the protos give them:
 * `/dcert.v1.MsgCircuitBreak` (an entry of the dCERT msg server table, module "dcert") and
 * `/dcert.v1.Query/{BrokenRoutes,IsBroken}`.
 */
import { paginate } from "../../../baseapp/pagination";
import type { Context } from "../../../baseapp/context";
import type { Registrar } from "../../../baseapp/module";
import { type MsgSpec, msgSpec } from "../../../baseapp/msgserver";
import { DCERT_TYPE_URLS } from "../../../types/messages";
import {
  QueryBrokenRoutesRequest,
  QueryBrokenRoutesResponse,
  QueryIsBrokenRequest,
  QueryIsBrokenResponse,
} from "../../../generated/dcert/v1/query";
import { MsgCircuitBreak, MsgCircuitBreakResponse } from "../../../generated/dcert/v1/tx";
import { BrokenRoute } from "../../../generated/dcert/v1/types";
import { DCERT_STORE, KEY, keys } from "../keys";
import { type CircuitBreaker, validateCircuitBreak } from "./breaker";

const SERVICE = "dcert.v1.Query";
export const CIRCUIT_BREAK_TYPE_URL = DCERT_TYPE_URLS.circuitBreak;

/** MsgCircuitBreak's entry in the dCERT msg server table (msg_server.ts). */
export function circuitBreakSpec(breaker: CircuitBreaker): MsgSpec<MsgCircuitBreak, void, MsgCircuitBreakResponse> {
  return msgSpec({
    codec: MsgCircuitBreak,
    response: MsgCircuitBreakResponse,
    signers: (m) => [m.member],
    validateBasic(m) {
      validateCircuitBreak(m);
    },
    handle: (ctx, m) => circuitBreak(breaker, ctx, m),
  });
}

function circuitBreak(breaker: CircuitBreaker, ctx: Context, m: MsgCircuitBreak): MsgCircuitBreakResponse {
  breaker.breakRoutes(ctx, m);
  return {};
}

/** Registers the circuit breaker's queries (its message is in the dCERT msg server table). */
export function registerCircuitQueries(r: Registrar, breaker: CircuitBreaker): void {
  r.query<QueryBrokenRoutesRequest, QueryBrokenRoutesResponse>({
    service: SERVICE,
    method: "BrokenRoutes",
    request: QueryBrokenRoutesRequest,
    response: QueryBrokenRoutesResponse,
    handle(ctx, req) {
      const { items, pagination } = paginate(ctx.kv(DCERT_STORE), keys.prefix(KEY.brokenRoute), req.pagination, (_k, v) => BrokenRoute.decode(v));
      return { routes: items, pagination: { nextKey: Buffer.from(pagination.nextKey), total: pagination.total } };
    },
  });

  r.query<QueryIsBrokenRequest, QueryIsBrokenResponse>({
    service: SERVICE,
    method: "IsBroken",
    request: QueryIsBrokenRequest,
    response: QueryIsBrokenResponse,
    handle: (ctx, req) => breaker.isBroken(ctx, req.typeUrl),
  });
}
