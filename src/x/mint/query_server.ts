/** The gRPC query service of x/mint (`cosmos.mint.v1beta1.Query`). */
import {
  QueryAnnualProvisionsRequest,
  QueryAnnualProvisionsResponse,
  QueryInflationRequest,
  QueryInflationResponse,
  QueryParamsRequest,
  QueryParamsResponse,
} from "cosmjs-types/cosmos/mint/v1beta1/query";
import type { Registrar } from "../../baseapp/module";
import type { MintKeeper } from "./keeper";

/** A LegacyDec as the SDK marshals it in `bytes` fields: the ASCII digits of value × 10^18. */
function decBytes(protoDec: string): Uint8Array {
  return new TextEncoder().encode(protoDec === "" ? "0" : protoDec);
}

export function registerMintQueries(r: Registrar, keeper: MintKeeper): void {
  const svc = "cosmos.mint.v1beta1.Query";
  r.query({ service: svc, method: "Params", request: QueryParamsRequest, response: QueryParamsResponse, handle: (ctx) => ({ params: keeper.params(ctx) }) });
  r.query({
    service: svc,
    method: "Inflation",
    request: QueryInflationRequest,
    response: QueryInflationResponse,
    handle: (ctx) => ({ inflation: decBytes(keeper.minter(ctx).inflation) }),
  });
  r.query({
    service: svc,
    method: "AnnualProvisions",
    request: QueryAnnualProvisionsRequest,
    response: QueryAnnualProvisionsResponse,
    handle: (ctx) => ({ annualProvisions: decBytes(keeper.minter(ctx).annualProvisions) }),
  });
}
