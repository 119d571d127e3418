/**
 * Genesis of x/distribution in the SDK's JSON shape (every F1 record); default, validate, init,
 * export. Validation checks the records against each other (the SDK's reference-count invariant);
 * InitGenesis checks the module account holds truncate(community pool + Σ outstanding rewards).
 */
import type { Params } from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import type { Context } from "../../baseapp/context";
import { arr, at, bool, GenesisError, obj, optStr, str, uint } from "../../baseapp/json";
import { addrBytes } from "../auth/keeper";
import { decFromJson, decFromProto, decToJson, decToProto } from "../staking/dec";
import { valoperBytes } from "../staking/records";
import * as dc from "./deccoins";
import type { DecCoin } from "./deccoins";
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

interface Historical {
  validator: string;
  period: bigint;
  ratio: DecCoin[];
  referenceCount: number;
}
interface Starting {
  delegator: string;
  validator: string;
  previousPeriod: bigint;
  stake: bigint;
  height: bigint;
}
interface Slash {
  validator: string;
  height: bigint;
  period: bigint;
  fraction: bigint;
}

export interface DistributionGenesis {
  params: Params;
  communityPool: DecCoin[];
  withdrawInfos: { delegator: string; withdraw: string }[];
  outstanding: { validator: string; rewards: DecCoin[] }[];
  commissions: { validator: string; commission: DecCoin[] }[];
  historical: Historical[];
  current: { validator: string; rewards: DecCoin[]; period: bigint }[];
  starting: Starting[];
  slashes: Slash[];
}

function decCoins(v: unknown, path: string): DecCoin[] {
  const list = arr(v, path).map((c, i) => {
    const p = `${path}[${i}]`;
    const o = obj(c, p);
    return at(p, () => dc.parseJsonAmount(str(o["denom"], `${p}.denom`), str(o["amount"], `${p}.amount`), "amount"));
  });
  const denoms = new Set(list.map((c) => c.denom));
  if (denoms.size !== list.length) throw new GenesisError(path, "a denom appears twice");
  return dc.normalize(list);
}

function account(v: unknown, path: string): string {
  const a = str(v, path);
  at(path, () => addrBytes(a));
  return a;
}

function valoper(v: unknown, path: string): string {
  const a = str(v, path);
  at(path, () => valoperBytes(a));
  return a;
}

function refCount(v: unknown, path: string): number {
  const n = uint(v, path);
  if (n > 0xffff_ffffn) throw new GenesisError(path, "reference count must fit in 32 bits");
  return Number(n);
}

export function parseDistributionGenesis(g: unknown): DistributionGenesis {
  const o = obj(g ?? {}, "distribution");
  const feePool = obj(o["fee_pool"] ?? {}, "distribution.fee_pool");
  const list = <T>(field: string, read: (e: ReturnType<typeof obj>, path: string) => T): T[] =>
    arr(o[field], `distribution.${field}`).map((e, i) => {
      const path = `distribution.${field}[${i}]`;
      return read(obj(e, path), path);
    });
  optStr(o["previous_proposer"], "distribution.previous_proposer", "");
  const gen: DistributionGenesis = {
    params: paramsFromJson(o["params"]),
    communityPool: decCoins(feePool["community_pool"], "distribution.fee_pool.community_pool"),
    withdrawInfos: list("delegator_withdraw_infos", (e, p) => ({
      delegator: account(e["delegator_address"], `${p}.delegator_address`),
      withdraw: account(e["withdraw_address"], `${p}.withdraw_address`),
    })),
    outstanding: list("outstanding_rewards", (e, p) => ({
      validator: valoper(e["validator_address"], `${p}.validator_address`),
      rewards: decCoins(e["outstanding_rewards"], `${p}.outstanding_rewards`),
    })),
    commissions: list("validator_accumulated_commissions", (e, p) => ({
      validator: valoper(e["validator_address"], `${p}.validator_address`),
      commission: decCoins(obj(e["accumulated"] ?? {}, `${p}.accumulated`)["commission"], `${p}.accumulated.commission`),
    })),
    historical: list("validator_historical_rewards", (e, p) => {
      const r = obj(e["rewards"] ?? {}, `${p}.rewards`);
      return {
        validator: valoper(e["validator_address"], `${p}.validator_address`),
        period: uint(e["period"], `${p}.period`),
        ratio: decCoins(r["cumulative_reward_ratio"], `${p}.rewards.cumulative_reward_ratio`),
        referenceCount: refCount(r["reference_count"], `${p}.rewards.reference_count`),
      };
    }),
    current: list("validator_current_rewards", (e, p) => {
      const r = obj(e["rewards"] ?? {}, `${p}.rewards`);
      return {
        validator: valoper(e["validator_address"], `${p}.validator_address`),
        rewards: decCoins(r["rewards"], `${p}.rewards.rewards`),
        period: uint(r["period"], `${p}.rewards.period`),
      };
    }),
    starting: list("delegator_starting_infos", (e, p) => {
      const s = obj(e["starting_info"] ?? {}, `${p}.starting_info`);
      const stake = at(`${p}.starting_info.stake`, () => decFromJson(str(s["stake"], `${p}.starting_info.stake`), "stake"));
      if (stake < 0n) throw new GenesisError(`${p}.starting_info.stake`, "must not be negative");
      return {
        delegator: account(e["delegator_address"], `${p}.delegator_address`),
        validator: valoper(e["validator_address"], `${p}.validator_address`),
        previousPeriod: uint(s["previous_period"], `${p}.starting_info.previous_period`),
        stake,
        height: uint(s["height"], `${p}.starting_info.height`),
      };
    }),
    slashes: list("validator_slash_events", (e, p) => {
      const ev = obj(e["validator_slash_event"] ?? {}, `${p}.validator_slash_event`);
      const fraction = at(`${p}.validator_slash_event.fraction`, () => decFromJson(str(ev["fraction"], `${p}.validator_slash_event.fraction`), "fraction"));
      if (fraction < 0n || fraction > 10n ** 18n) throw new GenesisError(`${p}.validator_slash_event.fraction`, "must be between 0 and 1");
      const period = uint(e["period"], `${p}.period`);
      if (uint(ev["validator_period"], `${p}.validator_slash_event.validator_period`) !== period) {
        throw new GenesisError(`${p}.validator_slash_event.validator_period`, "must equal the record's period");
      }
      return { validator: valoper(e["validator_address"], `${p}.validator_address`), height: uint(e["height"], `${p}.height`), period, fraction };
    }),
  };
  checkConsistency(gen);
  return gen;
}

/**
 * The records must describe one F1 state: one current-rewards record per validator with records
 * (period ≥ 1), its other records only for such validators, and every historical period referenced
 * exactly `reference_count` times (by the period before the current one, by delegations' starting
 * periods and by slash events), as the SDK's reference-count invariant requires.
 */
function checkConsistency(g: DistributionGenesis): void {
  const current = new Map<string, bigint>();
  for (const [i, c] of g.current.entries()) {
    const path = `distribution.validator_current_rewards[${i}]`;
    if (current.has(c.validator)) throw new GenesisError(path, `${c.validator} appears twice`);
    if (c.period < 1n) throw new GenesisError(`${path}.rewards.period`, "must be at least 1");
    current.set(c.validator, c.period);
  }
  const known = (field: string, i: number, v: string) => {
    if (!current.has(v)) throw new GenesisError(`distribution.${field}[${i}].validator_address`, `${v} has no validator_current_rewards record; add one or remove this entry`);
  };
  const unique = (field: string, keyOf: (i: number) => string, n: number) => {
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const k = keyOf(i);
      if (seen.has(k)) throw new GenesisError(`distribution.${field}[${i}]`, "duplicate entry");
      seen.add(k);
    }
  };
  g.outstanding.forEach((e, i) => known("outstanding_rewards", i, e.validator));
  g.commissions.forEach((e, i) => known("validator_accumulated_commissions", i, e.validator));
  g.historical.forEach((e, i) => known("validator_historical_rewards", i, e.validator));
  g.starting.forEach((e, i) => known("delegator_starting_infos", i, e.validator));
  g.slashes.forEach((e, i) => known("validator_slash_events", i, e.validator));
  unique("delegator_withdraw_infos", (i) => g.withdrawInfos[i]?.delegator ?? "", g.withdrawInfos.length);
  unique("outstanding_rewards", (i) => g.outstanding[i]?.validator ?? "", g.outstanding.length);
  unique("validator_accumulated_commissions", (i) => g.commissions[i]?.validator ?? "", g.commissions.length);
  unique("validator_historical_rewards", (i) => `${g.historical[i]?.validator} ${g.historical[i]?.period}`, g.historical.length);
  unique("delegator_starting_infos", (i) => `${g.starting[i]?.validator} ${g.starting[i]?.delegator}`, g.starting.length);
  unique("validator_slash_events", (i) => `${g.slashes[i]?.validator} ${g.slashes[i]?.height} ${g.slashes[i]?.period}`, g.slashes.length);
  const refs = new Map<string, number>();
  const ref = (v: string, period: bigint) => refs.set(`${v} ${period}`, (refs.get(`${v} ${period}`) ?? 0) + 1);
  for (const [v, period] of current) ref(v, period - 1n);
  for (const s of g.starting) ref(s.validator, s.previousPeriod);
  for (const s of g.slashes) ref(s.validator, s.period);
  const stored = new Map(g.historical.map((h) => [`${h.validator} ${h.period}`, h.referenceCount]));
  for (const [k, n] of refs) {
    if (stored.get(k) !== n) {
      throw new GenesisError("distribution.validator_historical_rewards", `period ${k} is referenced ${n} times but its record says ${stored.get(k) ?? "nothing (missing)"}`);
    }
  }
  for (const [k, n] of stored) {
    if (!refs.has(k)) throw new GenesisError("distribution.validator_historical_rewards", `period ${k} (reference_count ${n}) is referenced by nothing; remove it`);
  }
}

function decCoinsJson(list: readonly DecCoin[]): unknown[] {
  return dc.toJson(list);
}

function genesisJson(params: Params, g: Omit<DistributionGenesis, "params">): unknown {
  return {
    params: paramsToJson(params),
    fee_pool: { community_pool: decCoinsJson(g.communityPool) },
    delegator_withdraw_infos: g.withdrawInfos.map((w) => ({ delegator_address: w.delegator, withdraw_address: w.withdraw })),
    previous_proposer: "",
    outstanding_rewards: g.outstanding.map((o) => ({ validator_address: o.validator, outstanding_rewards: decCoinsJson(o.rewards) })),
    validator_accumulated_commissions: g.commissions.map((c) => ({ validator_address: c.validator, accumulated: { commission: decCoinsJson(c.commission) } })),
    validator_historical_rewards: g.historical.map((h) => ({
      validator_address: h.validator,
      period: h.period.toString(),
      rewards: { cumulative_reward_ratio: decCoinsJson(h.ratio), reference_count: h.referenceCount },
    })),
    validator_current_rewards: g.current.map((c) => ({ validator_address: c.validator, rewards: { rewards: decCoinsJson(c.rewards), period: c.period.toString() } })),
    delegator_starting_infos: g.starting.map((s) => ({
      delegator_address: s.delegator,
      validator_address: s.validator,
      starting_info: { previous_period: s.previousPeriod.toString(), stake: decToJson(s.stake), height: s.height.toString() },
    })),
    validator_slash_events: g.slashes.map((s) => ({
      validator_address: s.validator,
      height: s.height.toString(),
      period: s.period.toString(),
      validator_slash_event: { validator_period: s.period.toString(), fraction: decToJson(s.fraction) },
    })),
  };
}

const EMPTY: Omit<DistributionGenesis, "params"> = {
  communityPool: [],
  withdrawInfos: [],
  outstanding: [],
  commissions: [],
  historical: [],
  current: [],
  starting: [],
  slashes: [],
};

/** Default genesis section of the distribution module (also used by the devnet genesis builder). */
export function defaultDistributionGenesis(): unknown {
  return genesisJson(defaultDistributionParams(), EMPTY);
}

export function validateDistributionGenesis(g: unknown): void {
  parseDistributionGenesis(g);
}

export function initDistributionGenesis(ctx: Context, keeper: DistributionKeeper, g: unknown): void {
  const gen = parseDistributionGenesis(g);
  keeper.setParams(ctx, gen.params);
  for (const w of gen.withdrawInfos) keeper.storeWithdrawAddress(ctx, w.delegator, w.withdraw);
  keeper.setCommunityPool(ctx, gen.communityPool);
  for (const o of gen.outstanding) keeper.setOutstandingRewards(ctx, o.validator, o.rewards);
  for (const c of gen.commissions) keeper.setAccumulatedCommission(ctx, c.validator, c.commission);
  for (const h of gen.historical) keeper.setHistoricalRewards(ctx, h.validator, h.period, h.ratio, h.referenceCount);
  for (const c of gen.current) keeper.setCurrentRewards(ctx, c.validator, c.rewards, c.period);
  for (const s of gen.starting) keeper.setStartingInfo(ctx, s.delegator, s.validator, s);
  for (const s of gen.slashes) keeper.setSlashEvent(ctx, s.validator, s.height, s.period, s.fraction);
  const { coins: expected } = dc.truncateDecimal(keeper.moduleHoldings(ctx));
  const held = keeper.heldBalances(ctx);
  const same = held.length === expected.length && held.every((c, i) => c.denom === expected[i]?.denom && c.amount === expected[i]?.amount);
  if (!same) {
    const fmt = (l: readonly { denom: string; amount: bigint }[]) => (l.length === 0 ? "nothing" : l.map((c) => `${c.amount}${c.denom}`).join(","));
    throw new GenesisError(
      "distribution.fee_pool.community_pool",
      `the community pool plus the outstanding rewards come to ${fmt(expected)} (whole coins) but the module account ${DISTRIBUTION_MODULE} (${keeper.poolAddress()}) holds ${fmt(held)} in bank.balances; make them equal`,
    );
  }
}

export function exportDistributionGenesis(ctx: Context, keeper: DistributionKeeper): unknown {
  const validators = keeper.validatorsWithRecords(ctx);
  const g: Omit<DistributionGenesis, "params"> = {
    communityPool: keeper.communityPool(ctx),
    withdrawInfos: keeper.withdrawAddresses(ctx),
    outstanding: validators.map((v) => ({ validator: v, rewards: keeper.outstandingRewards(ctx, v) })),
    commissions: validators.map((v) => ({ validator: v, commission: keeper.accumulatedCommission(ctx, v) })),
    historical: validators.flatMap((v) => keeper.historicalRewardsOf(ctx, v).map((h) => ({ validator: v, ...h }))),
    current: validators.map((v) => {
      const c = keeper.currentRewards(ctx, v);
      return { validator: v, rewards: c?.rewards ?? [], period: c?.period ?? 1n };
    }),
    starting: validators.flatMap((v) => keeper.startingInfosOf(ctx, v).map((s) => ({ validator: v, ...s }))),
    slashes: validators.flatMap((v) => keeper.slashEvents(ctx, v, 0n, 0xffff_ffff_ffff_ffffn).map((s) => ({ validator: v, ...s }))),
  };
  return genesisJson(keeper.params(ctx), g);
}
