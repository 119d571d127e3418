import {
  DelegatorStartingInfo,
  FeePool,
  Params,
  ValidatorAccumulatedCommission,
  ValidatorCurrentRewards,
  ValidatorHistoricalRewards,
  ValidatorOutstandingRewards,
  ValidatorSlashEvent,
} from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import type { Delegation, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { addrBytes, addrString, moduleAccountAddress } from "../auth/keeper";
import type { Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { readU64be } from "../../baseapp/encoding";
import { ErrLogic, ErrUnauthorized } from "../../baseapp/errors";
import { prefixEnd } from "../../baseapp/store/prefix";
import { FEE_COLLECTOR } from "../auth/ante";
import { DEC_ONE, decFromProto, decToProto } from "../staking/dec";
import { operatorAccount, valoperBytes, valoperString } from "../staking/records";
import * as dc from "./deccoins";
import type { DecCoin, DecCoins } from "./deccoins";
import {
  ErrBadDistribution,
  ErrEmptyDelegationDistInfo,
  ErrInvalidParams,
  ErrNoDelegationExists,
  ErrNoValidatorCommission,
  ErrNoValidatorDistInfo,
  ErrNoValidatorExists,
  ErrSetWithdrawAddrDisabled,
} from "./errors";
import { emitCommission, emitCommunityPoolSpend, emitRewards, emitSetWithdrawAddress, emitWithdrawCommission, emitWithdrawRewards } from "./events";
import type { AccountKeeper, BankKeeper, DistributionStakingHooks, StakingForDistribution } from "./expected";
import { DISTRIBUTION, keys } from "./keys";

/** The module account that holds the community pool and every validator's outstanding rewards. */
export const DISTRIBUTION_MODULE = "distribution";

/** The SDK's tolerance when a stake recomputed through slash events exceeds the current stake (3 × 10^-18). */
const STAKE_MARGIN = 3n;

export function defaultDistributionParams(): Params {
  return {
    communityTax: (DEC_ONE / 50n).toString(), // 0.02
    baseProposerReward: "0",
    bonusProposerReward: "0",
    withdrawAddrEnabled: true,
  };
}

export function validateDistributionParams(p: Params): void {
  const check = (v: string, name: string) => {
    let d: bigint;
    try {
      d = decFromProto(v, name);
    } catch (e) {
      throw ErrInvalidParams.wrap(e instanceof Error ? e.message : String(e));
    }
    if (d < 0n || d > DEC_ONE) throw ErrInvalidParams.wrap(`${name} must be between 0 and 1`);
  };
  check(p.communityTax, "community_tax");
  check(p.baseProposerReward, "base_proposer_reward");
  check(p.bonusProposerReward, "bonus_proposer_reward");
}

/** Rewards of one delegation as the query and withdrawal compute them. */
export interface DelegationReward {
  readonly validatorAddress: string;
  readonly reward: DecCoin[];
}

/** A validator slash event with the height it was recorded at. */
export interface SlashEventRecord {
  readonly height: bigint;
  readonly period: bigint;
  readonly fraction: bigint;
}

function tokensOf(v: Validator): bigint {
  return BigInt(v.tokens === "" ? "0" : v.tokens);
}

/** TokensFromSharesTruncated as a decimal: shares × tokens / delegator_shares, truncated. */
function stakeTruncated(v: Validator, shares: bigint): bigint {
  const total = decFromProto(v.delegatorShares);
  if (total === 0n) return 0n;
  return (shares * tokensOf(v) * DEC_ONE) / total;
}

/** TokensFromShares as a decimal, rounded half to even. */
function stakeRounded(v: Validator, shares: bigint): bigint {
  const total = decFromProto(v.delegatorShares);
  if (total === 0n) return 0n;
  return dc.decQuo(shares * tokensOf(v), total);
}

/**
 * x/distribution with the SDK's F1 fee distribution. At BeginBlock the fee collector's balance
 * (the previous block's fees plus what x/mint minted) moves to the distribution module account and
 * is allocated by the previous block's signed votes: community_tax to the community pool, the rest
 * to validators by power, each split into commission and delegator rewards. Delegator rewards are
 * accumulated per validator period (cumulative reward ratio per token), so a withdrawal is O(1)
 * per delegation plus the validator's slash events since the delegation started. The module
 * account holds exactly truncate(community pool + Σ outstanding rewards).
 */
export class DistributionKeeper {
  constructor(
    auth: AccountKeeper,
    private readonly bank: BankKeeper,
    private readonly staking: StakingForDistribution,
  ) {
    auth.declareModuleAccount(DISTRIBUTION_MODULE);
  }

  // ------------------------------------------------------------------ params, pool, withdraw address

  params(ctx: Context): Params {
    const raw = ctx.kv(DISTRIBUTION).get(keys.params());
    return raw === undefined ? defaultDistributionParams() : Params.decode(raw);
  }

  setParams(ctx: Context, p: Params): void {
    ctx.kv(DISTRIBUTION).set(keys.params(), Params.encode(p).finish());
  }

  poolAddress(): string {
    return moduleAccountAddress(DISTRIBUTION_MODULE);
  }

  /** What the module account holds (the community pool and the outstanding rewards, whole coins). */
  heldBalances(ctx: Context): Coin[] {
    return this.bank.getAllBalances(ctx, this.poolAddress());
  }

  /** The community pool (DecCoins: allocation leaves fractions in it). */
  communityPool(ctx: Context): DecCoin[] {
    const raw = ctx.kv(DISTRIBUTION).get(keys.feePool());
    return raw === undefined ? [] : dc.fromProto(FeePool.decode(raw).communityPool, "community pool");
  }

  setCommunityPool(ctx: Context, pool: DecCoins): void {
    ctx.kv(DISTRIBUTION).set(keys.feePool(), FeePool.encode({ communityPool: dc.toProto(pool) }).finish());
  }

  private addToCommunityPool(ctx: Context, coins: DecCoins): void {
    if (dc.isZero(coins)) return;
    this.setCommunityPool(ctx, dc.add(this.communityPool(ctx), coins));
  }

  /** Whole tokens of `denom` the community pool can pay (its amount, truncated). */
  communityPoolBalance(ctx: Context, denom: string): bigint {
    return dc.amountOf(this.communityPool(ctx), denom) / DEC_ONE;
  }

  fundCommunityPool(ctx: Context, depositor: string, coins: readonly Coin[]): void {
    this.bank.sendFromAccountToModule(ctx, depositor, DISTRIBUTION_MODULE, coins);
    this.addToCommunityPool(ctx, dc.fromCoins(coins));
  }

  /** Pays `coins` out of the community pool (DistributeFromFeePool); distribution 9 if the pool is short. */
  spendFromCommunityPool(ctx: Context, recipient: string, coins: readonly Coin[]): void {
    const pool = this.communityPool(ctx);
    const left = dc.safeSub(pool, dc.fromCoins(coins));
    if (left === undefined) {
      const short = coins.find((c) => dc.amountOf(pool, c.denom) < c.amount * DEC_ONE);
      const have = short === undefined ? 0n : this.communityPoolBalance(ctx, short.denom);
      throw ErrBadDistribution.wrap(`the community pool has ${have}${short?.denom ?? ""}, cannot pay ${short?.amount ?? 0n}${short?.denom ?? ""}`);
    }
    this.setCommunityPool(ctx, left);
    this.bank.sendFromModuleToAccount(ctx, DISTRIBUTION_MODULE, recipient, coins);
    emitCommunityPoolSpend(ctx, recipient, coins);
  }

  /** Where a delegator's rewards (and, for an operator, the commission) are paid. */
  withdrawAddress(ctx: Context, delegator: string): string {
    const raw = ctx.kv(DISTRIBUTION).get(keys.withdrawAddr(addrBytes(delegator)));
    return raw === undefined ? delegator : addrString(raw);
  }

  /** MsgSetWithdrawAddress: refused for a blocked (module) address and when the params disable it. */
  setWithdrawAddress(ctx: Context, delegator: string, withdraw: string): void {
    if (this.bank.isBlocked(withdraw)) throw ErrUnauthorized.wrap(`${withdraw} is not allowed to receive external funds`);
    if (!this.params(ctx).withdrawAddrEnabled) throw ErrSetWithdrawAddrDisabled.wrap("withdraw_addr_enabled is false; governance can enable it");
    emitSetWithdrawAddress(ctx, withdraw);
    this.storeWithdrawAddress(ctx, delegator, withdraw);
  }

  /** Stores a withdraw address (no checks; genesis). Setting the delegator itself removes the record. */
  storeWithdrawAddress(ctx: Context, delegator: string, withdraw: string): void {
    const key = keys.withdrawAddr(addrBytes(delegator));
    if (withdraw === delegator) ctx.kv(DISTRIBUTION).delete(key);
    else ctx.kv(DISTRIBUTION).set(key, addrBytes(withdraw));
  }

  // ------------------------------------------------------------------ per-validator records

  private getRecord<T>(ctx: Context, key: Uint8Array, codec: { decode(b: Uint8Array): T }): T | undefined {
    const raw = ctx.kv(DISTRIBUTION).get(key);
    return raw === undefined ? undefined : codec.decode(raw);
  }

  outstandingRewards(ctx: Context, valoper: string): DecCoin[] {
    const r = this.getRecord(ctx, keys.outstanding(valoperBytes(valoper)), ValidatorOutstandingRewards);
    return r === undefined ? [] : dc.fromProto(r.rewards);
  }

  setOutstandingRewards(ctx: Context, valoper: string, rewards: DecCoins): void {
    ctx.kv(DISTRIBUTION).set(keys.outstanding(valoperBytes(valoper)), ValidatorOutstandingRewards.encode({ rewards: dc.toProto(rewards) }).finish());
  }

  accumulatedCommission(ctx: Context, valoper: string): DecCoin[] {
    const r = this.getRecord(ctx, keys.commission(valoperBytes(valoper)), ValidatorAccumulatedCommission);
    return r === undefined ? [] : dc.fromProto(r.commission);
  }

  setAccumulatedCommission(ctx: Context, valoper: string, commission: DecCoins): void {
    ctx.kv(DISTRIBUTION).set(keys.commission(valoperBytes(valoper)), ValidatorAccumulatedCommission.encode({ commission: dc.toProto(commission) }).finish());
  }

  currentRewards(ctx: Context, valoper: string): { rewards: DecCoin[]; period: bigint } | undefined {
    const r = this.getRecord(ctx, keys.current(valoperBytes(valoper)), ValidatorCurrentRewards);
    return r === undefined ? undefined : { rewards: dc.fromProto(r.rewards), period: r.period };
  }

  setCurrentRewards(ctx: Context, valoper: string, rewards: DecCoins, period: bigint): void {
    ctx.kv(DISTRIBUTION).set(keys.current(valoperBytes(valoper)), ValidatorCurrentRewards.encode({ rewards: dc.toProto(rewards), period }).finish());
  }

  historicalRewards(ctx: Context, valoper: string, period: bigint): { ratio: DecCoin[]; referenceCount: number } | undefined {
    const r = this.getRecord(ctx, keys.historical(valoperBytes(valoper), period), ValidatorHistoricalRewards);
    return r === undefined ? undefined : { ratio: dc.fromProto(r.cumulativeRewardRatio), referenceCount: r.referenceCount };
  }

  setHistoricalRewards(ctx: Context, valoper: string, period: bigint, ratio: DecCoins, referenceCount: number): void {
    ctx.kv(DISTRIBUTION).set(
      keys.historical(valoperBytes(valoper), period),
      ValidatorHistoricalRewards.encode({ cumulativeRewardRatio: dc.toProto(ratio), referenceCount }).finish(),
    );
  }

  private mustHistorical(ctx: Context, valoper: string, period: bigint): { ratio: DecCoin[]; referenceCount: number } {
    const h = this.historicalRewards(ctx, valoper, period);
    if (h === undefined) throw ErrLogic.wrap(`historical rewards of ${valoper} for period ${period} are missing`);
    return h;
  }

  startingInfo(ctx: Context, delegator: string, valoper: string): { previousPeriod: bigint; stake: bigint; height: bigint } | undefined {
    const r = this.getRecord(ctx, keys.startingInfo(valoperBytes(valoper), addrBytes(delegator)), DelegatorStartingInfo);
    return r === undefined ? undefined : { previousPeriod: r.previousPeriod, stake: decFromProto(r.stake), height: r.height };
  }

  setStartingInfo(ctx: Context, delegator: string, valoper: string, info: { previousPeriod: bigint; stake: bigint; height: bigint }): void {
    ctx.kv(DISTRIBUTION).set(
      keys.startingInfo(valoperBytes(valoper), addrBytes(delegator)),
      DelegatorStartingInfo.encode({ previousPeriod: info.previousPeriod, stake: decToProto(info.stake), height: info.height }).finish(),
    );
  }

  setSlashEvent(ctx: Context, valoper: string, height: bigint, period: bigint, fraction: bigint): void {
    ctx.kv(DISTRIBUTION).set(
      keys.slashEvent(valoperBytes(valoper), height, period),
      ValidatorSlashEvent.encode({ validatorPeriod: period, fraction: decToProto(fraction) }).finish(),
    );
  }

  /** The validator's slash events with start ≤ height ≤ end, by height then period. */
  slashEvents(ctx: Context, valoper: string, start: bigint, end: bigint): SlashEventRecord[] {
    const op = valoperBytes(valoper);
    const out: SlashEventRecord[] = [];
    if (end < start) return out;
    const hiBound = end === 0xffff_ffff_ffff_ffffn ? prefixEnd(keys.slashEventsOf(op)) : keys.slashEventsFrom(op, end + 1n);
    const skip = keys.slashEventsOf(op).length;
    for (const [k, v] of ctx.kv(DISTRIBUTION).iterate(keys.slashEventsFrom(op, start), hiBound)) {
      const e = ValidatorSlashEvent.decode(v);
      out.push({ height: readU64be(k, skip), period: e.validatorPeriod, fraction: decFromProto(e.fraction) });
    }
    return out;
  }

  private deletePrefix(ctx: Context, prefix: Uint8Array): void {
    const kv = ctx.kv(DISTRIBUTION);
    const doomed = [...kv.iterate(prefix, prefixEnd(prefix))].map(([k]) => k.slice());
    for (const k of doomed) kv.delete(k);
  }

  // ------------------------------------------------------------------ F1 core

  /**
   * Initializes a validator's records (period 0 historical with one reference, current period 1,
   * empty commission and outstanding). Validators imported by staking's genesis get theirs on first
   * use (`ensureValidator`), together with starting infos for their delegations: nothing can have
   * been allocated to them before, so that is exact.
   */
  initializeValidator(ctx: Context, valoper: string): void {
    this.setHistoricalRewards(ctx, valoper, 0n, [], 1);
    this.setCurrentRewards(ctx, valoper, [], 1n);
    this.setAccumulatedCommission(ctx, valoper, []);
    this.setOutstandingRewards(ctx, valoper, []);
  }

  /** Creates the records of a validator that has none yet (and starting infos for its delegations). */
  ensureValidator(ctx: Context, valoper: string): void {
    if (ctx.kv(DISTRIBUTION).has(keys.current(valoperBytes(valoper)))) return;
    this.initializeValidator(ctx, valoper);
    for (const d of this.staking.validatorDelegations(ctx, valoper)) this.initializeDelegation(ctx, d.delegatorAddress, valoper);
  }

  private mustValidator(ctx: Context, valoper: string): Validator {
    const v = this.staking.getValidator(ctx, valoper);
    if (v === undefined) throw ErrNoValidatorExists.wrap(`validator ${valoper} does not exist`);
    return v;
  }

  private incrementReferenceCount(ctx: Context, valoper: string, period: bigint): void {
    const h = this.mustHistorical(ctx, valoper, period);
    if (h.referenceCount > 2) throw ErrLogic.wrap(`reference count of ${valoper} period ${period} would exceed 2`);
    this.setHistoricalRewards(ctx, valoper, period, h.ratio, h.referenceCount + 1);
  }

  private decrementReferenceCount(ctx: Context, valoper: string, period: bigint): void {
    const h = this.mustHistorical(ctx, valoper, period);
    if (h.referenceCount === 0) throw ErrLogic.wrap(`reference count of ${valoper} period ${period} is already 0`);
    if (h.referenceCount === 1) ctx.kv(DISTRIBUTION).delete(keys.historical(valoperBytes(valoper), period));
    else this.setHistoricalRewards(ctx, valoper, period, h.ratio, h.referenceCount - 1);
  }

  /**
   * Ends the validator's current period: its reward per token (truncated) is added to the
   * cumulative ratio stored for that period; a validator without tokens gives its current rewards
   * to the community pool. Returns the period just ended.
   */
  incrementValidatorPeriod(ctx: Context, v: Validator): bigint {
    const valoper = v.operatorAddress;
    const cur = this.currentRewards(ctx, valoper);
    if (cur === undefined) throw noDistInfo(valoper);
    let current: DecCoin[];
    const tokens = tokensOf(v);
    if (tokens === 0n) {
      this.addToCommunityPool(ctx, cur.rewards);
      this.setOutstandingRewards(ctx, valoper, dc.sub(this.outstandingRewards(ctx, valoper), cur.rewards));
      current = [];
    } else {
      current = dc.quoDecTruncate(cur.rewards, tokens * DEC_ONE);
    }
    const prev = this.mustHistorical(ctx, valoper, cur.period - 1n);
    this.decrementReferenceCount(ctx, valoper, cur.period - 1n);
    this.setHistoricalRewards(ctx, valoper, cur.period, dc.add(prev.ratio, current), 1);
    this.setCurrentRewards(ctx, valoper, [], cur.period + 1n);
    return cur.period;
  }

  /** Starts a delegation's accounting at the period its creation or change just ended. */
  initializeDelegation(ctx: Context, delegator: string, valoper: string): void {
    const cur = this.currentRewards(ctx, valoper);
    if (cur === undefined) throw noDistInfo(valoper);
    const previousPeriod = cur.period - 1n;
    this.incrementReferenceCount(ctx, valoper, previousPeriod);
    const v = this.mustValidator(ctx, valoper);
    const d = this.staking.getDelegation(ctx, delegator, valoper);
    if (d === undefined) throw ErrNoDelegationExists.wrap(`${delegator} has no delegation to ${valoper}`);
    this.setStartingInfo(ctx, delegator, valoper, { previousPeriod, stake: stakeTruncated(v, decFromProto(d.shares)), height: ctx.block.height });
  }

  /** stake × (ratio(ending) − ratio(starting)), truncated. */
  private rewardsBetween(ctx: Context, valoper: string, startingPeriod: bigint, endingRatio: DecCoins, stake: bigint): DecCoin[] {
    if (stake < 0n) throw ErrLogic.wrap("negative stake");
    const starting = this.mustHistorical(ctx, valoper, startingPeriod).ratio;
    const diff = dc.safeSub(endingRatio, starting);
    if (diff === undefined) throw ErrLogic.wrap(`negative rewards between periods of ${valoper}`);
    return dc.mulDecTruncate(diff, stake);
  }

  /**
   * The SDK's CalculateDelegationRewards with the ending period's cumulative ratio given (stored
   * after a withdrawal's period increment, or computed for a query without writing): slash events
   * since the delegation started reduce its stake period by period (truncated), then the last
   * stretch up to the ending ratio is added.
   */
  private calculateRewards(ctx: Context, v: Validator, d: Delegation, endingRatio: DecCoins): DecCoin[] {
    const valoper = v.operatorAddress;
    const info = this.startingInfo(ctx, d.delegatorAddress, valoper);
    if (info === undefined) throw ErrEmptyDelegationDistInfo.wrap(`no starting info for ${d.delegatorAddress} at ${valoper}`);
    if (info.height === ctx.block.height) return [];
    let startingPeriod = info.previousPeriod;
    let stake = info.stake;
    let rewards: DecCoin[] = [];
    if (ctx.block.height > info.height) {
      for (const e of this.slashEvents(ctx, valoper, info.height, ctx.block.height)) {
        if (e.period > startingPeriod) {
          rewards = dc.add(rewards, this.rewardsBetween(ctx, valoper, startingPeriod, this.mustHistorical(ctx, valoper, e.period).ratio, stake));
          stake = dc.decMulTruncate(stake, DEC_ONE - e.fraction);
          startingPeriod = e.period;
        }
      }
    }
    const currentStake = stakeRounded(v, decFromProto(d.shares));
    if (stake > currentStake) {
      if (stake <= currentStake + STAKE_MARGIN) stake = currentStake;
      else throw ErrLogic.wrap(`calculated stake ${stake} of ${d.delegatorAddress} at ${valoper} exceeds the current stake ${currentStake} (×10^-18)`);
    }
    return dc.add(rewards, this.rewardsBetween(ctx, valoper, startingPeriod, endingRatio, stake));
  }

  /** The cumulative ratio the current period would end with, without writing (queries). */
  private pendingEndingRatio(ctx: Context, v: Validator): DecCoin[] {
    const cur = this.currentRewards(ctx, v.operatorAddress);
    if (cur === undefined) throw noDistInfo(v.operatorAddress);
    const prev = this.mustHistorical(ctx, v.operatorAddress, cur.period - 1n).ratio;
    const tokens = tokensOf(v);
    return tokens === 0n ? prev : dc.add(prev, dc.quoDecTruncate(cur.rewards, tokens * DEC_ONE));
  }

  /** What a delegation could withdraw now (DelegationRewards query); nothing is written. */
  delegationRewards(ctx: Context, delegator: string, valoper: string): DecCoin[] {
    const v = this.mustValidator(ctx, valoper);
    const d = this.staking.getDelegation(ctx, delegator, valoper);
    if (d === undefined) throw ErrNoDelegationExists.wrap(`${delegator} has no delegation to ${valoper}`);
    if (this.currentRewards(ctx, valoper) === undefined) return []; // genesis validator, nothing allocated yet
    if (this.startingInfo(ctx, delegator, valoper) === undefined) return [];
    return this.calculateRewards(ctx, v, d, this.pendingEndingRatio(ctx, v));
  }

  /** DelegationTotalRewards: every delegation of the delegator, in validator-address byte order. */
  delegationTotalRewards(ctx: Context, delegator: string): { rewards: DelegationReward[]; total: DecCoin[] } {
    const rewards: DelegationReward[] = [];
    let total: DecCoin[] = [];
    for (const d of this.staking.delegationsOfRaw(ctx, delegator)) {
      const reward = this.delegationRewards(ctx, delegator, d.validatorAddress);
      rewards.push({ validatorAddress: d.validatorAddress, reward });
      total = dc.add(total, reward);
    }
    return { rewards, total };
  }

  /**
   * Ends the validator's period and pays the delegation's rewards (whole coins) to its withdraw
   * address; the decimal change goes to the community pool. Deletes the starting info (the caller
   * re-initializes it if the delegation remains). O(1) plus the slash events since it started.
   */
  private withdrawDelegationRewards(ctx: Context, v: Validator, d: Delegation): Coin[] {
    const valoper = v.operatorAddress;
    const delegator = d.delegatorAddress;
    const info = this.startingInfo(ctx, delegator, valoper);
    if (info === undefined) throw ErrEmptyDelegationDistInfo.wrap(`no starting info for ${delegator} at ${valoper}`);
    const endingPeriod = this.incrementValidatorPeriod(ctx, v);
    const raw = this.calculateRewards(ctx, v, d, this.mustHistorical(ctx, valoper, endingPeriod).ratio);
    const outstanding = this.outstandingRewards(ctx, valoper);
    // Rounding across periods may leave the last digits above what is outstanding: never pay more.
    const rewards = dc.intersect(raw, outstanding);
    const { coins, change } = dc.truncateDecimal(rewards);
    if (coins.length > 0) this.bank.sendFromModuleToAccount(ctx, DISTRIBUTION_MODULE, this.withdrawAddress(ctx, delegator), coins);
    this.setOutstandingRewards(ctx, valoper, dc.sub(outstanding, rewards));
    this.addToCommunityPool(ctx, change);
    this.decrementReferenceCount(ctx, valoper, info.previousPeriod);
    ctx.kv(DISTRIBUTION).delete(keys.startingInfo(valoperBytes(valoper), addrBytes(delegator)));
    emitWithdrawRewards(ctx, coins, valoper, delegator);
    return coins;
  }

  /** MsgWithdrawDelegatorReward: pays the rewards and restarts the delegation's accounting. */
  withdrawDelegatorReward(ctx: Context, delegator: string, valoper: string): Coin[] {
    const v = this.staking.getValidator(ctx, valoper);
    if (v === undefined) throw ErrNoValidatorDistInfo.wrap(`validator ${valoper} does not exist`);
    const d = this.staking.getDelegation(ctx, delegator, valoper);
    if (d === undefined) throw ErrEmptyDelegationDistInfo.wrap(`${delegator} has no delegation to ${valoper}`);
    this.ensureValidator(ctx, valoper);
    const coins = this.withdrawDelegationRewards(ctx, v, d);
    this.initializeDelegation(ctx, delegator, valoper);
    return coins;
  }

  /** MsgWithdrawValidatorCommission: pays the whole part of the commission; the decimals stay. */
  withdrawValidatorCommission(ctx: Context, valoper: string): Coin[] {
    const accumulated = this.accumulatedCommission(ctx, valoper);
    if (dc.isZero(accumulated)) throw ErrNoValidatorCommission.wrap(`${valoper} has no commission to withdraw`);
    const { coins, change } = dc.truncateDecimal(accumulated);
    this.setAccumulatedCommission(ctx, valoper, change);
    this.setOutstandingRewards(ctx, valoper, dc.sub(this.outstandingRewards(ctx, valoper), dc.fromCoins(coins)));
    if (coins.length > 0) {
      this.bank.sendFromModuleToAccount(ctx, DISTRIBUTION_MODULE, this.withdrawAddress(ctx, operatorAccount(valoper)), coins);
    }
    emitWithdrawCommission(ctx, coins);
    return coins;
  }

  // ------------------------------------------------------------------ allocation

  /** Splits `tokens` into commission and delegator rewards; all of it becomes outstanding. */
  allocateTokensToValidator(ctx: Context, v: Validator, tokens: DecCoins): void {
    const valoper = v.operatorAddress;
    this.ensureValidator(ctx, valoper);
    const commission = dc.mulDec(tokens, decFromProto(v.commission.commissionRates.rate));
    const shared = dc.sub(tokens, commission);
    emitCommission(ctx, valoper, commission);
    this.setAccumulatedCommission(ctx, valoper, dc.add(this.accumulatedCommission(ctx, valoper), commission));
    const cur = this.currentRewards(ctx, valoper);
    if (cur === undefined) throw noDistInfo(valoper);
    this.setCurrentRewards(ctx, valoper, dc.add(cur.rewards, shared), cur.period);
    emitRewards(ctx, valoper, tokens);
    this.setOutstandingRewards(ctx, valoper, dc.add(this.outstandingRewards(ctx, valoper), tokens));
  }

  /**
   * BeginBlock (height > 1): moves the fee collector's balance here and allocates it by the
   * previous block's votes that signed (block_id_flag COMMIT or NIL): (1 − community_tax) × fees ×
   * power / signed power to each, truncated; what is left (the tax and the truncation dust) goes to
   * the community pool. With no signed power (or no last commit) everything goes to the pool.
   * PERF: O(validators in the last commit).
   */
  beginBlock(ctx: Context): void {
    const feesInt = this.bank.getAllBalances(ctx, moduleAccountAddress(FEE_COLLECTOR));
    if (feesInt.length > 0) this.bank.sendFromModuleToModule(ctx, FEE_COLLECTOR, DISTRIBUTION_MODULE, feesInt);
    const fees = dc.fromCoins(feesInt);
    if (dc.isZero(fees)) return;
    const votes = (ctx.block.height > 1n ? (ctx.block.lastCommit?.votes ?? []) : []).filter(
      (vote) => vote.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT || vote.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_NIL,
    );
    let totalPower = 0n;
    for (const vote of votes) totalPower += vote.validator?.power ?? 0n;
    if (totalPower <= 0n) {
      this.addToCommunityPool(ctx, fees);
      return;
    }
    const voteMultiplier = DEC_ONE - decFromProto(this.params(ctx).communityTax);
    const feeMultiplier = dc.mulDecTruncate(fees, voteMultiplier);
    let remaining: DecCoin[] = fees;
    for (const vote of votes) {
      const power = vote.validator?.power ?? 0n;
      if (power <= 0n || vote.validator === undefined) continue;
      const v = this.staking.getValidatorByConsAddr(ctx, vote.validator.address);
      if (v === undefined) continue; // unknown to staking: its share stays with the community pool
      const fraction = dc.decQuoTruncate(power * DEC_ONE, totalPower * DEC_ONE);
      const reward = dc.mulDecTruncate(feeMultiplier, fraction);
      this.allocateTokensToValidator(ctx, v, reward);
      remaining = dc.sub(remaining, reward);
    }
    this.addToCommunityPool(ctx, remaining);
  }

  // ------------------------------------------------------------------ staking hooks

  /** The staking hooks of x/distribution (register with `staking.addHooks`). */
  hooks(): DistributionStakingHooks {
    return {
      afterValidatorCreated: (ctx, valoper) => this.initializeValidator(ctx, valoper),
      afterValidatorRemoved: (ctx, _cons, valoper) => this.afterValidatorRemoved(ctx, valoper),
      beforeDelegationCreated: (ctx, _delegator, valoper) => {
        this.ensureValidator(ctx, valoper);
        this.incrementValidatorPeriod(ctx, this.mustValidator(ctx, valoper));
      },
      beforeDelegationSharesModified: (ctx, delegator, valoper) => {
        this.ensureValidator(ctx, valoper);
        const v = this.mustValidator(ctx, valoper);
        const d = this.staking.getDelegation(ctx, delegator, valoper);
        if (d === undefined) throw ErrNoDelegationExists.wrap(`${delegator} has no delegation to ${valoper}`);
        this.withdrawDelegationRewards(ctx, v, d);
      },
      afterDelegationModified: (ctx, delegator, valoper) => this.initializeDelegation(ctx, delegator, valoper),
      beforeValidatorSlashed: (ctx, valoper, fraction) => this.updateValidatorSlashFraction(ctx, valoper, fraction),
    };
  }

  /** Records a slash: ends the period (referenced by the event) and stores the fraction. */
  updateValidatorSlashFraction(ctx: Context, valoper: string, fraction: bigint): void {
    if (fraction < 0n || fraction > DEC_ONE) throw ErrLogic.wrap(`slash fraction ${fraction} (×10^-18) is outside [0, 1]`);
    this.ensureValidator(ctx, valoper);
    const v = this.mustValidator(ctx, valoper);
    const period = this.incrementValidatorPeriod(ctx, v);
    this.incrementReferenceCount(ctx, valoper, period);
    this.setSlashEvent(ctx, valoper, ctx.block.height, period, fraction);
  }

  /** The validator is gone (no delegations left): pay its commission, send the dust to the pool, drop its records. */
  afterValidatorRemoved(ctx: Context, valoper: string): void {
    if (this.currentRewards(ctx, valoper) === undefined) return;
    let outstanding = this.outstandingRewards(ctx, valoper);
    const commission = this.accumulatedCommission(ctx, valoper);
    if (!dc.isZero(commission)) {
      outstanding = dc.sub(outstanding, commission);
      const { coins, change } = dc.truncateDecimal(commission);
      this.addToCommunityPool(ctx, change);
      if (coins.length > 0) {
        this.bank.sendFromModuleToAccount(ctx, DISTRIBUTION_MODULE, this.withdrawAddress(ctx, operatorAccount(valoper)), coins);
      }
    }
    this.addToCommunityPool(ctx, outstanding);
    const op = valoperBytes(valoper);
    const kv = ctx.kv(DISTRIBUTION);
    kv.delete(keys.outstanding(op));
    kv.delete(keys.commission(op));
    kv.delete(keys.current(op));
    this.deletePrefix(ctx, keys.slashEventsOf(op));
    this.deletePrefix(ctx, keys.historicalOf(op));
  }

  // ------------------------------------------------------------------ iteration (genesis, queries)

  /** Validators that have distribution records, in operator-address byte order. */
  validatorsWithRecords(ctx: Context): string[] {
    const out: string[] = [];
    const prefix = keys.currentPrefix();
    for (const [k] of ctx.kv(DISTRIBUTION).iterate(prefix, prefixEnd(prefix))) out.push(valoperString(k.subarray(2, 2 + (k[1] ?? 0))));
    return out;
  }

  /** Every historical rewards record of a validator, by period. */
  historicalRewardsOf(ctx: Context, valoper: string): { period: bigint; ratio: DecCoin[]; referenceCount: number }[] {
    const prefix = keys.historicalOf(valoperBytes(valoper));
    const out: { period: bigint; ratio: DecCoin[]; referenceCount: number }[] = [];
    for (const [k, v] of ctx.kv(DISTRIBUTION).iterate(prefix, prefixEnd(prefix))) {
      const h = ValidatorHistoricalRewards.decode(v);
      out.push({ period: readU64be(k, prefix.length), ratio: dc.fromProto(h.cumulativeRewardRatio), referenceCount: h.referenceCount });
    }
    return out;
  }

  /** Every starting info of a validator's delegations, in delegator-address byte order. */
  startingInfosOf(ctx: Context, valoper: string): { delegator: string; previousPeriod: bigint; stake: bigint; height: bigint }[] {
    const prefix = keys.startingInfosOf(valoperBytes(valoper));
    const out: { delegator: string; previousPeriod: bigint; stake: bigint; height: bigint }[] = [];
    for (const [k, v] of ctx.kv(DISTRIBUTION).iterate(prefix, prefixEnd(prefix))) {
      const s = DelegatorStartingInfo.decode(v);
      out.push({ delegator: addrString(k.subarray(prefix.length + 1)), previousPeriod: s.previousPeriod, stake: decFromProto(s.stake), height: s.height });
    }
    return out;
  }

  /** Every withdraw address record, in delegator-address byte order. */
  withdrawAddresses(ctx: Context): { delegator: string; withdraw: string }[] {
    const prefix = keys.withdrawAddrPrefix();
    const out: { delegator: string; withdraw: string }[] = [];
    for (const [k, v] of ctx.kv(DISTRIBUTION).iterate(prefix, prefixEnd(prefix))) out.push({ delegator: addrString(k.subarray(2)), withdraw: addrString(v) });
    return out;
  }

  /** Validators the delegator has delegations to (DelegatorValidators query). */
  delegatorValidators(ctx: Context, delegator: string): string[] {
    return this.staking.delegationsOfRaw(ctx, delegator).map((d) => d.validatorAddress);
  }

  /** Community pool + Σ outstanding rewards: what the module account must hold (truncated). */
  moduleHoldings(ctx: Context): DecCoin[] {
    let total = this.communityPool(ctx);
    for (const valoper of this.validatorsWithRecords(ctx)) total = dc.add(total, this.outstandingRewards(ctx, valoper));
    return total;
  }
}

function noDistInfo(valoper: string): Error {
  return ErrNoValidatorDistInfo.wrap(`validator ${valoper} has no distribution records`);
}
