/**
 * Genesis of x/bank: balances, supply, `default_send_enabled` and denom metadata; default,
 * validate, init, export.
 */
import type { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import type { Context } from "../../baseapp/context";
import { type Coin, coinsFromProto, coinsToProto } from "../../baseapp/coins";
import { arr, at, bool, obj, str } from "../../baseapp/json";
import { addrBytes } from "../auth/keeper";
import type { BankKeeper } from "./keeper";
import { denomMetadataFromGenesis, metadataToJson } from "./metadata";

export interface BankGenesis {
  defaultSendEnabled: boolean;
  balances: { address: string; coins: Coin[] }[];
  supply: Coin[];
  denomMetadata: Metadata[];
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
  const denomMetadata = denomMetadataFromGenesis(o["denom_metadata"]);
  return { defaultSendEnabled: bool(params["default_send_enabled"], "bank.params.default_send_enabled", true), balances, supply, denomMetadata };
}

function sumBalances(g: BankGenesis): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const b of g.balances) for (const c of b.coins) totals.set(c.denom, (totals.get(c.denom) ?? 0n) + c.amount);
  return totals;
}

export function defaultBankGenesis(): unknown {
  return { params: { send_enabled: [], default_send_enabled: true }, balances: [], supply: [], denom_metadata: [] };
}

export function validateBankGenesis(g: unknown): void {
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
}

export function initBankGenesis(ctx: Context, bank: BankKeeper, g: unknown): void {
  const gen = parseGenesis(g);
  bank.setSendEnabled(ctx, gen.defaultSendEnabled);
  for (const b of gen.balances) for (const c of b.coins) bank.initBalance(ctx, b.address, c);
  for (const m of gen.denomMetadata) bank.setDenomMetadata(ctx, m);
}

export function exportBankGenesis(ctx: Context, bank: BankKeeper): unknown {
  return {
    params: { send_enabled: [], default_send_enabled: bank.sendEnabled(ctx) },
    balances: bank.allBalances(ctx).map((b) => ({ address: b.address, coins: coinsToProto(b.coins) })),
    supply: coinsToProto(bank.totalSupply(ctx)),
    denom_metadata: bank.allDenomMetadata(ctx).map(metadataToJson),
  };
}
