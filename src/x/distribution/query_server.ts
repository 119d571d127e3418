/** The gRPC query service of x/distribution (`cosmos.distribution.v1beta1.Query`), registered in this order. */
import {
  QueryCommunityPoolRequest,
  QueryCommunityPoolResponse,
  QueryParamsRequest,
  QueryParamsResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { type Coin, DEC_ONE } from "../../baseapp/coins";
import type { Registrar } from "../../baseapp/module";
import { decToProto } from "../staking/dec";
import type { DistributionKeeper } from "./keeper";

function coinsToDec(coins: readonly Coin[]) {
  return coins.map((c) => ({ denom: c.denom, amount: decToProto(c.amount * DEC_ONE) }));
}

export function registerDistributionQueries(r: Registrar, keeper: DistributionKeeper): void {
  const svc = "cosmos.distribution.v1beta1.Query";
  r.query({
    service: svc,
    method: "CommunityPool",
    request: QueryCommunityPoolRequest,
    response: QueryCommunityPoolResponse,
    handle: (ctx) => ({ pool: coinsToDec(keeper.communityPool(ctx)) }),
  });
  r.query({
    service: svc,
    method: "Params",
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle: (ctx) => ({ params: keeper.params(ctx) }),
  });
}
