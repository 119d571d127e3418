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
import type { Context } from "../../baseapp/context";
import { type Coin, coinsFromProto, coinsToProto, coinToProto, validateDenom } from "../../baseapp/coins";
import { arr, at, bool, obj, str } from "../../baseapp/json";
import type { AppModule, Registrar } from "../../baseapp/module";
import { registerMsgServer } from "../../baseapp/msgserver";
import { addrBytes } from "../auth/keeper";
import type { BankKeeper } from "./keeper";
import { BANK_MSG_PACKAGE, BankMsgServer } from "./msg_server";

export interface BankGenesis {
  defaultSendEnabled: boolean;
  balances: { address: string; coins: Coin[] }[];
  supply: Coin[];
}

function parseGenesis(g: unknown): BankGenesis {
  const o = obj(g ?? {}, "bank");
  const params = obj(o["params"] ?? {}, "bank.params");
  const balances = arr(o["balances"], "bank.balances").map((b, i) => {
    const bo = obj(b, `bank.balances[${i}]`);
    const address = str(bo["address"], `bank.balances[${i}].address`);
    at(`bank.balances[${i}].address`, () => addrBytes(address));
    const coins = at(`bank.balances[${i}].coins`, () =>
      coinsFromProto(
        arr(bo["coins"], `bank.balances[${i}].coins`).map((c, j) => {
          const co = obj(c, `bank.balances[${i}].coins[${j}]`);
          return { denom: str(co["denom"], "denom"), amount: str(co["amount"], "amount") };
        }),
      ),
    );
    return { address, coins };
  });
  const supply = at("bank.supply", () =>
    coinsFromProto(
      arr(o["supply"], "bank.supply").map((c, j) => {
        const co = obj(c, `bank.supply[${j}]`);
        return { denom: str(co["denom"], "denom"), amount: str(co["amount"], "amount") };
      }),
    ),
  );
  return { defaultSendEnabled: bool(params["default_send_enabled"], "bank.params.default_send_enabled", true), balances, supply };
}

function sumBalances(g: BankGenesis): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const b of g.balances) for (const c of b.coins) totals.set(c.denom, (totals.get(c.denom) ?? 0n) + c.amount);
  return totals;
}

/** x/bank: MsgSend, MsgMultiSend, balance and supply queries, genesis. */
export function bankModule(bank: BankKeeper): AppModule {
  return {
    name: "bank",
    register(r: Registrar): void {
      registerMsgServer(r, BANK_MSG_PACKAGE, "bank", new BankMsgServer(bank).table());

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
    },
    defaultGenesis: () => ({ params: { send_enabled: [], default_send_enabled: true }, balances: [], supply: [], denom_metadata: [] }),
    validateGenesis(g) {
      const gen = parseGenesis(g);
      const seen = new Set<string>();
      for (const b of gen.balances) {
        if (seen.has(b.address)) throw new Error(`genesis bank.balances: duplicate address ${b.address}`);
        seen.add(b.address);
      }
      if (gen.supply.length > 0) {
        const totals = sumBalances(gen);
        const matches = gen.supply.length === totals.size && gen.supply.every((c) => totals.get(c.denom) === c.amount);
        if (!matches) throw new Error("genesis bank.supply: does not equal the sum of balances (leave it empty to compute it)");
      }
    },
    initGenesis(ctx: Context, g) {
      const gen = parseGenesis(g);
      bank.setSendEnabled(ctx, gen.defaultSendEnabled);
      for (const b of gen.balances) for (const c of b.coins) bank.initBalance(ctx, b.address, c);
    },
    exportGenesis(ctx: Context) {
      return {
        params: { send_enabled: [], default_send_enabled: bank.sendEnabled(ctx) },
        balances: bank.allBalances(ctx).map((b) => ({ address: b.address, coins: coinsToProto(b.coins) })),
        supply: coinsToProto(bank.totalSupply(ctx)),
        denom_metadata: [],
      };
    },
  };
}

