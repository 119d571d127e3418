/** The gRPC query service of x/bank (`cosmos.bank.v1beta1.Query`), registered in this order. */
import {
  QueryDenomMetadataByQueryStringRequest,
  QueryDenomMetadataByQueryStringResponse,
  QueryDenomMetadataRequest,
  QueryDenomMetadataResponse,
  QueryDenomsMetadataRequest,
  QueryDenomsMetadataResponse,
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
  QuerySpendableBalancesRequest,
  QuerySpendableBalancesResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import { coinsToProto, coinToProto, validateDenom } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import type { Registrar } from "../../baseapp/module";
import { paginate } from "../../baseapp/pagination";
import { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { ErrNotFound } from "../../baseapp/errors";
import { addrBytes } from "../auth/keeper";
import type { BankKeeper } from "./keeper";
import { BANK, keys } from "./keys";

/** The metadata of one denom, or a NOT_FOUND error as the SDK words it. */
function denomMetadata(ctx: Context, bank: BankKeeper, denom: string): Metadata {
  validateDenom(denom);
  const m = bank.getDenomMetadata(ctx, denom);
  if (m === undefined) throw ErrNotFound.wrap(`client metadata for denom ${denom}`);
  return m;
}

/**
 * The page of a list answered whole (an account holds few denoms): no next key, and the total when
 * asked for, as the SDK's paginated queries answer (its REST JSON then shows `"pagination":
 * {"next_key": null, "total": "0"}` rather than null).
 */
function wholePage(n: number, countTotal: boolean): { nextKey: Uint8Array; total: bigint } {
  return { nextKey: new Uint8Array(), total: countTotal ? BigInt(n) : 0n };
}

export function registerBankQueries(r: Registrar, bank: BankKeeper): void {
  const svc = "cosmos.bank.v1beta1.Query";
  r.query({
    service: svc,
    method: "Balance",
    request: QueryBalanceRequest,
    response: QueryBalanceResponse,
    handle(ctx, req) {
      addrBytes(req.address);
      validateDenom(req.denom);
      return { balance: coinToProto(bank.getBalance(ctx, req.address, req.denom)) };
    },
  });
  r.query({
    service: svc,
    method: "AllBalances",
    request: QueryAllBalancesRequest,
    response: QueryAllBalancesResponse,
    handle(ctx, req) {
      addrBytes(req.address);
      const balances = coinsToProto(bank.getAllBalances(ctx, req.address));
      return { balances, pagination: wholePage(balances.length, req.pagination?.countTotal === true) };
    },
  });
  r.query({
    service: svc,
    method: "SpendableBalances",
    request: QuerySpendableBalancesRequest,
    response: QuerySpendableBalancesResponse,
    handle(ctx, req) {
      addrBytes(req.address);
      const balances = coinsToProto(bank.getAllBalances(ctx, req.address));
      return { balances, pagination: wholePage(balances.length, req.pagination?.countTotal === true) };
    },
  });
  r.query({
    service: svc,
    method: "TotalSupply",
    request: QueryTotalSupplyRequest,
    response: QueryTotalSupplyResponse,
    handle(ctx) {
      return { supply: coinsToProto(bank.totalSupply(ctx)) };
    },
  });
  r.query({
    service: svc,
    method: "SupplyOf",
    request: QuerySupplyOfRequest,
    response: QuerySupplyOfResponse,
    handle(ctx, req) {
      validateDenom(req.denom);
      return { amount: coinToProto(bank.getSupply(ctx, req.denom)) };
    },
  });
  r.query({
    service: svc,
    method: "Params",
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle(ctx) {
      return { params: { sendEnabled: [], defaultSendEnabled: bank.sendEnabled(ctx) } };
    },
  });
  r.query({
    service: svc,
    method: "DenomMetadata",
    request: QueryDenomMetadataRequest,
    response: QueryDenomMetadataResponse,
    handle(ctx, req) {
      return { metadata: denomMetadata(ctx, bank, req.denom) };
    },
  });
  r.query({
    service: svc,
    method: "DenomMetadataByQueryString",
    request: QueryDenomMetadataByQueryStringRequest,
    response: QueryDenomMetadataByQueryStringResponse,
    handle(ctx, req) {
      return { metadata: denomMetadata(ctx, bank, req.denom) };
    },
  });
  r.query({
    service: svc,
    method: "DenomsMetadata",
    request: QueryDenomsMetadataRequest,
    response: QueryDenomsMetadataResponse,
    handle(ctx, req) {
      const kv = ctx.kv(BANK);
      const { items, pagination } = paginate(kv, keys.denomMetadataPrefix(), req.pagination, (_k, v) => Metadata.decode(v));
      return { metadatas: items, pagination };
    },
  });
}
