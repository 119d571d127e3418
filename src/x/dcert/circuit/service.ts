/**
 * The circuit breaker's Msg and Query services, under the dCERT names the protos give them:
 * `/dcert.v1.MsgCircuitBreak` (module "dcert") and `/dcert.v1.Query/{BrokenRoutes,IsBroken}`.
 */
import { paginate } from "../../../baseapp/pagination";
import type { MsgResponse, Registrar } from "../../../baseapp/module";
import { DCERT_TYPE_URLS } from "../../../types/messages";
import {
  QueryBrokenRoutesRequest,
  QueryBrokenRoutesResponse,
  QueryIsBrokenRequest,
  QueryIsBrokenResponse,
} from "../../../generated/dcert/v1/query";
import { MsgCircuitBreak, MsgCircuitBreakResponse } from "../../../generated/dcert/v1/tx";
import { BrokenRoute } from "../../../generated/dcert/v1/types";
import { DCERT_MODULE, DCERT_STORE, KEY, keys } from "../keeper/keys";
import { type CircuitBreaker, validateCircuitBreak } from "./breaker";

const SERVICE = "dcert.v1.Query";
export const CIRCUIT_BREAK_TYPE_URL = DCERT_TYPE_URLS.circuitBreak;

export function registerCircuitServices(r: Registrar, breaker: CircuitBreaker): void {
  r.msg<MsgCircuitBreak>({
    typeUrl: CIRCUIT_BREAK_TYPE_URL,
    module: DCERT_MODULE,
    codec: MsgCircuitBreak,
    signers: (m) => [m.member],
    validateBasic(m) {
      validateCircuitBreak(m);
    },
    handle(ctx, m): MsgResponse {
      breaker.breakRoutes(ctx, m);
      return { typeUrl: `${CIRCUIT_BREAK_TYPE_URL}Response`, value: MsgCircuitBreakResponse.encode({}).finish() };
    },
  });

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
