/**
 * Genesis of x/distribution (community pool only), in the SDK's JSON shape; default, validate,
 * init, export.
 */
import type { Params } from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import { type Coin, DEC_ONE, validateDenom } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { arr, at, bool, GenesisError, obj, optStr, str } from "../../baseapp/json";
import { decFromJson, decFromProto, decToJson, decToProto } from "../staking/dec";
import { DISTRIBUTION_MODULE, type DistributionKeeper, defaultDistributionParams, validateDistributionParams } from "./keeper";

function paramsFromJson(v: unknown): Params {
  const d = defaultDistributionParams();
  const o = obj(v ?? {}, "distribution.params");
  const dec = (field: string, dflt: string) =>
    o[field] === undefined || o[field] === null
      ? dflt
      : decToProto(at(`distribution.params.${field}`, () => decFromJson(str(o[field], `distribution.params.${field}`), field)));
  const p: Params = {
    communityTax: dec("community_tax", d.communityTax),
    baseProposerReward: dec("base_proposer_reward", d.baseProposerReward),
    bonusProposerReward: dec("bonus_proposer_reward", d.bonusProposerReward),
    withdrawAddrEnabled: bool(o["withdraw_addr_enabled"], "distribution.params.withdraw_addr_enabled", d.withdrawAddrEnabled),
  };
  at("distribution.params", () => validateDistributionParams(p));
  return p;
}

function paramsToJson(p: Params): unknown {
  return {
    community_tax: decToJson(decFromProto(p.communityTax)),
    base_proposer_reward: decToJson(decFromProto(p.baseProposerReward)),
    bonus_proposer_reward: decToJson(decFromProto(p.bonusProposerReward)),
    withdraw_addr_enabled: p.withdrawAddrEnabled,
  };
}

interface DistributionGenesis {
  params: Params;
  communityPool: Coin[];
}

/** The community pool in genesis is DecCoins; ours holds whole coins, so fractions are rejected. */
function parseGenesis(g: unknown): DistributionGenesis {
  const o = obj(g ?? {}, "distribution");
  const feePool = obj(o["fee_pool"] ?? {}, "distribution.fee_pool");
  const communityPool = arr(feePool["community_pool"], "distribution.fee_pool.community_pool").map((c, i) => {
    const path = `distribution.fee_pool.community_pool[${i}]`;
    const co = obj(c, path);
    const denom = str(co["denom"], `${path}.denom`);
    at(`${path}.denom`, () => validateDenom(denom));
    const amount = at(`${path}.amount`, () => decFromJson(str(co["amount"], `${path}.amount`), "amount"));
    if (amount % DEC_ONE !== 0n || amount <= 0n) {
      throw new GenesisError(`${path}.amount`, "must be a positive whole number of tokens (the pool holds integer coins)");
    }
    return { denom, amount: amount / DEC_ONE };
  });
  communityPool.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
  for (const [name, value] of Object.entries(o)) {
    if (name === "params" || name === "fee_pool" || name === "previous_proposer") continue;
    if (Array.isArray(value) && value.length > 0) {
      throw new GenesisError(`distribution.${name}`, "rewards are not supported; only the community pool is (leave this empty)");
    }
  }
  optStr(o["previous_proposer"], "distribution.previous_proposer", "");
  return { params: paramsFromJson(o["params"]), communityPool };
}

function emptyGenesis(params: unknown, pool: unknown[]): unknown {
  return {
    params,
    fee_pool: { community_pool: pool },
    delegator_withdraw_infos: [],
    previous_proposer: "",
    outstanding_rewards: [],
    validator_accumulated_commissions: [],
    validator_historical_rewards: [],
    validator_current_rewards: [],
    delegator_starting_infos: [],
    validator_slash_events: [],
  };
}

/** Default genesis section of the distribution module (also used by the devnet genesis builder). */
export function defaultDistributionGenesis(): unknown {
  return emptyGenesis(paramsToJson(defaultDistributionParams()), []);
}

export function validateDistributionGenesis(g: unknown): void {
  parseGenesis(g);
}

export function initDistributionGenesis(ctx: Context, keeper: DistributionKeeper, g: unknown): void {
  const gen = parseGenesis(g);
  keeper.setParams(ctx, gen.params);
  const held = keeper.communityPool(ctx);
  const same = held.length === gen.communityPool.length && held.every((c, i) => c.denom === gen.communityPool[i]?.denom && c.amount === gen.communityPool[i]?.amount);
  if (!same) {
    const fmt = (l: readonly Coin[]) => (l.length === 0 ? "nothing" : l.map((c) => `${c.amount}${c.denom}`).join(","));
    throw new GenesisError(
      "distribution.fee_pool.community_pool",
      `is ${fmt(gen.communityPool)} but the module account ${DISTRIBUTION_MODULE} (${keeper.poolAddress()}) holds ${fmt(held)} in bank.balances; make them equal`,
    );
  }
}

export function exportDistributionGenesis(ctx: Context, keeper: DistributionKeeper): unknown {
  return emptyGenesis(
    paramsToJson(keeper.params(ctx)),
    keeper.communityPool(ctx).map((c) => ({ denom: c.denom, amount: decToJson(c.amount * DEC_ONE) })),
  );
}
