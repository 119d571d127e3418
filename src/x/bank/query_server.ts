/** The gRPC query service of x/bank (`cosmos.bank.v1beta1.Query`), registered in this order. */
import {
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
import type { Registrar } from "../../baseapp/module";
import { addrBytes } from "../auth/keeper";
import type { BankKeeper } from "./keeper";

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
      return { balances: coinsToProto(bank.getAllBalances(ctx, req.address)) };
    },
  });
  r.query({
    service: svc,
    method: "SpendableBalances",
    request: QuerySpendableBalancesRequest,
    response: QuerySpendableBalancesResponse,
    handle(ctx, req) {
      addrBytes(req.address);
      return { balances: coinsToProto(bank.getAllBalances(ctx, req.address)) };
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
}
