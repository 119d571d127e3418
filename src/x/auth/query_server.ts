/** The gRPC query service of x/auth (`cosmos.auth.v1beta1.Query`), registered in this order. */
import {
  QueryAccountRequest,
  QueryAccountResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryModuleAccountByNameRequest,
  QueryModuleAccountByNameResponse,
  Bech32PrefixRequest,
  Bech32PrefixResponse,
} from "cosmjs-types/cosmos/auth/v1beta1/query";
import type { Registrar } from "../../baseapp/module";
import { BECH32_PREFIX } from "../../baseapp/tx/constants";
import { ErrKeyNotFound } from "./errors";
import { type AuthKeeper, addrBytes, moduleAccountAddress } from "./keeper";

export function registerAuthQueries(r: Registrar, auth: AuthKeeper): void {
  const svc = "cosmos.auth.v1beta1.Query";
  r.query({
    service: svc,
    method: "Account",
    request: QueryAccountRequest,
    response: QueryAccountResponse,
    handle(ctx, req) {
      addrBytes(req.address);
      const any = auth.getAccountAny(ctx, req.address);
      // CosmJS maps this exact phrase to `getAccount() === null`.
      if (any === undefined) throw ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = account ${req.address} not found`);
      return { account: any };
    },
  });
  r.query({
    service: svc,
    method: "Params",
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle: (ctx) => ({ params: auth.params(ctx) }),
  });
  r.query({
    service: svc,
    method: "ModuleAccountByName",
    request: QueryModuleAccountByNameRequest,
    response: QueryModuleAccountByNameResponse,
    handle(ctx, req) {
      if (!auth.moduleAccounts.has(req.name)) {
        throw ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = module account ${req.name} not found`);
      }
      const any = auth.getAccountAny(ctx, moduleAccountAddress(req.name));
      if (any === undefined) throw ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = module account ${req.name} not created yet`);
      return { account: any };
    },
  });
  r.query({
    service: svc,
    method: "Bech32Prefix",
    request: Bech32PrefixRequest,
    response: Bech32PrefixResponse,
    handle: () => ({ bech32Prefix: BECH32_PREFIX }),
  });
}
