import {
  MsgSend,
  MsgSendResponse,
  MsgMultiSend,
  MsgMultiSendResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { requireGovAuthority } from "../auth/authority";
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
import { ErrInvalidCoins, ErrUnauthorized, ErrInvalidRequest } from "../../baseapp/errors";
import { arr, at, bool, obj, str } from "../../baseapp/json";
import type { AppModule, Registrar } from "../../baseapp/module";
import { addrBytes } from "../auth/keeper";
import type { BankKeeper } from "./keeper";

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

function validateSendCoins(amount: readonly { denom: string; amount: string }[]): Coin[] {
  const coins = coinsFromProto(amount);
  if (coins.length === 0) throw ErrInvalidCoins.wrap("amount must not be empty");
  return coins;
}

/** x/bank: MsgSend, MsgMultiSend, balance and supply queries, genesis. */
export function bankModule(bank: BankKeeper): AppModule {
  return {
    name: "bank",
    register(r: Registrar): void {
      r.msg<MsgSend>({
        typeUrl: "/cosmos.bank.v1beta1.MsgSend",
        module: "bank",
        codec: MsgSend,
        signers: (m) => [m.fromAddress],
        validateBasic(m) {
          addrBytes(m.fromAddress);
          addrBytes(m.toAddress);
          validateSendCoins(m.amount);
        },
        handle(ctx, m) {
          if (!bank.sendEnabled(ctx)) throw ErrInvalidRequest.wrap("sends are disabled by the bank params");
          if (bank.isBlocked(m.toAddress)) throw ErrUnauthorized.wrap(`${m.toAddress} is not allowed to receive funds`);
          bank.sendCoins(ctx, m.fromAddress, m.toAddress, validateSendCoins(m.amount));
          ctx.events.emit("message", [["sender", m.fromAddress]]);
          return { typeUrl: "/cosmos.bank.v1beta1.MsgSendResponse", value: MsgSendResponse.encode({}).finish() };
        },
      });
      r.msg<MsgMultiSend>({
        typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
        module: "bank",
        codec: MsgMultiSend,
        signers: (m) => m.inputs.map((i) => i.address),
        validateBasic(m) {
          if (m.inputs.length !== 1) throw ErrInvalidRequest.wrap("multi-send takes exactly one input");
          if (m.outputs.length === 0) throw ErrInvalidRequest.wrap("multi-send needs at least one output");
          const total = new Map<string, bigint>();
          for (const o of m.outputs) {
            addrBytes(o.address);
            for (const c of validateSendCoins(o.coins)) total.set(c.denom, (total.get(c.denom) ?? 0n) + c.amount);
          }
          const input = m.inputs[0];
          if (input === undefined) throw ErrInvalidRequest.wrap("missing input");
          addrBytes(input.address);
          const inCoins = validateSendCoins(input.coins);
          const same = inCoins.length === total.size && inCoins.every((c) => total.get(c.denom) === c.amount);
          if (!same) throw ErrInvalidCoins.wrap("sum of outputs does not equal the input");
        },
        handle(ctx, m) {
          if (!bank.sendEnabled(ctx)) throw ErrInvalidRequest.wrap("sends are disabled by the bank params");
          const input = m.inputs[0];
          if (input === undefined) throw ErrInvalidRequest.wrap("missing input");
          for (const o of m.outputs) {
            if (bank.isBlocked(o.address)) throw ErrUnauthorized.wrap(`${o.address} is not allowed to receive funds`);
            bank.sendCoins(ctx, input.address, o.address, coinsFromProto(o.coins));
          }
          ctx.events.emit("message", [["sender", input.address]]);
          return { typeUrl: "/cosmos.bank.v1beta1.MsgMultiSendResponse", value: MsgMultiSendResponse.encode({}).finish() };
        },
      });
      r.msg<MsgUpdateParams>({
        typeUrl: "/cosmos.bank.v1beta1.MsgUpdateParams",
        module: "bank",
        codec: MsgUpdateParams,
        signers: (m) => [m.authority],
        handle(ctx, m) {
          requireGovAuthority(m.authority, "bank MsgUpdateParams");
          bank.setSendEnabled(ctx, m.params.defaultSendEnabled);
          return { typeUrl: "/cosmos.bank.v1beta1.MsgUpdateParamsResponse", value: MsgUpdateParamsResponse.encode({}).finish() };
        },
      });

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

