import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import {
  BondStatus,
  Delegation,
  type Description,
  type HistoricalInfo,
  Params,
  Redelegation,
  UnbondingDelegation,
  Validator,
} from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { addrBytes, addrString, moduleAccountAddress, type AuthKeeper } from "../auth/keeper";
import type { BankForStaking } from "./expected";
import type { Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { ErrInvalidRequest, ErrLogic } from "../../baseapp/errors";
import { DEC_ONE, decFromProto, decToProto } from "./dec";
import {
  ErrCommissionGTMaxChangeRate,
  ErrCommissionGTMaxRate,
  ErrCommissionLTMinRate,
  ErrCommissionNegative,
  ErrCommissionUpdateTime,
  ErrDelegatorShareExRateInvalid,
  ErrInvalidDescription,
  ErrMaxRedelegationEntries,
  ErrMaxUnbondingDelegationEntries,
  ErrMinSelfDelegationDecreased,
  ErrNoDelegation,
  ErrBadRedelegationDst,
  ErrNotEnoughDelegationShares,
  ErrSelfDelegationBelowMinimum,
  ErrSelfRedelegation,
  ErrTinyRedelegationAmount,
  ErrTransitiveRedelegation,
  ErrValidatorOwnerExists,
  ErrValidatorPubKeyExists,
  ErrBadDenom,
  ErrBadCancelUnbonding,
  ErrNoUnbondingDelegation,
  ErrNoValidatorFound,
  ErrValidatorJailed,
} from "./errors";
import { STAKING, keys } from "./keys";
import { addDuration, compareTime, timeToJson, ZERO_TIME } from "./time";
import * as abci from "./abci";
import * as records from "./records";
import {
  BONDED_POOL,
  consensusAddress,
  ED25519_PUBKEY_TYPE_URL,
  NOT_BONDED_POOL,
  operatorAccount,
  poolOf,
  PRESENT,
  valoperBytes,
  valoperString,
} from "./records";
import { POWER_REDUCTION, sharesForDeposit, tokensForShares, validatorShares, validatorTokens } from "./shares";

export {
  accountValoper,
  BONDED_POOL,
  consensusAddress,
  ED25519_PUBKEY_TYPE_URL,
  NOT_BONDED_POOL,
  operatorAccount,
  validatorPubkey,
  valoperBytes,
  valoperString,
} from "./records";
export { consensusPower, POWER_REDUCTION, sharesForDeposit, tokensForShares, validatorShares, validatorTokens } from "./shares";

/** Description sentinel of MsgEditValidator: keep the current value. */
export const DO_NOT_MODIFY = "[do-not-modify]";
/** Commission can change at most once per this many seconds. */
const COMMISSION_UPDATE_INTERVAL_SECONDS = 86_400n;

/**
 * Callbacks other modules register with `addHooks`, with the SDK's meaning. Every `after*` hook
 * runs after the state change it reports is complete (delegation, validator tokens and pools all
 * updated), so a hook that reads `stakeOf` sees the new value; every `before*` hook runs before
 * anything of the change is written, so it sees the old state. Hooks do not run during genesis
 * import. Order for one delegation change: beforeDelegationCreated (no delegation yet) or
 * beforeDelegationSharesModified (one exists), then beforeDelegationRemoved if its last shares go,
 * then afterDelegationModified or afterDelegationRemoved.
 */
export interface StakingHooks {
  afterValidatorCreated?(ctx: Context, operator: string): void;
  /** A delegation from `delegator` to `validator` is about to be created (none exists yet). */
  beforeDelegationCreated?(ctx: Context, delegator: string, validator: string): void;
  /** The shares of an existing delegation are about to change (delegate more, undelegate, redelegate, slash of a redelegation). */
  beforeDelegationSharesModified?(ctx: Context, delegator: string, validator: string): void;
  /** The delegation's last shares are about to be removed (after beforeDelegationSharesModified). */
  beforeDelegationRemoved?(ctx: Context, delegator: string, validator: string): void;
  /** The validator's commission is about to change (MsgEditValidator), or it is about to be slashed. */
  beforeValidatorModified?(ctx: Context, operator: string): void;
  /** The validator (unbonded, no shares left) was deleted. */
  afterValidatorRemoved?(ctx: Context, consAddr: Uint8Array, operator: string): void;
  /**
   * The validator is about to lose `fraction` (18-decimal fixed point, rounded up, at most 1) of
   * its current tokens to a slash.
   */
  beforeValidatorSlashed?(ctx: Context, operator: string, fraction: bigint): void;
  /** The validator's tokens fell by a slash (its delegators' stake shrank). */
  afterValidatorSlashed?(ctx: Context, operator: string): void;
  afterDelegationModified?(ctx: Context, delegator: string, validator: string): void;
  afterDelegationRemoved?(ctx: Context, delegator: string, validator: string): void;
  afterUnbondingInitiated?(ctx: Context, delegator: string, validator: string, amount: bigint, completionTime: Timestamp): void;
  afterUnbondingCompleted?(ctx: Context, delegator: string, validator: string, amount: bigint): void;
  /** The validator entered the bonded set (its delegators' bonded stake grew). */
  afterValidatorBonded?(ctx: Context, operator: string): void;
  /** The validator left the bonded set and started unbonding (its delegators' bonded stake shrank). */
  afterValidatorBeginUnbonding?(ctx: Context, operator: string): void;
}

export interface DelegationView {
  readonly validatorAddress: string;
  /** 18-decimal fixed point. */
  readonly shares: bigint;
  /** Token value of the shares (truncated), in the bond denom. */
  readonly tokens: bigint;
}

export interface BondedValidatorView {
  readonly operatorAddress: string;
  /** The operator's account address (same bytes, account prefix). */
  readonly accountAddress: string;
  readonly tokens: bigint;
  /** 18-decimal fixed point. */
  readonly delegatorShares: bigint;
}

export interface CommissionInput {
  readonly rate: bigint;
  readonly maxRate: bigint;
  readonly maxChangeRate: bigint;
}

export interface CreateValidatorInput {
  readonly operator: string;
  readonly consensusPubkey: Uint8Array;
  readonly description: Description;
  readonly commission: CommissionInput;
  readonly minSelfDelegation: bigint;
  readonly value: Coin;
}

export function validateDescription(d: Description): void {
  if (d.moniker.length === 0) throw ErrInvalidDescription.wrap("moniker must not be empty");
  const limits: [keyof Description, number][] = [
    ["moniker", 70],
    ["identity", 3000],
    ["website", 140],
    ["securityContact", 140],
    ["details", 280],
  ];
  for (const [field, max] of limits) {
    if (d[field].length > max) throw ErrInvalidDescription.wrap(`${field} is ${d[field].length} characters long; at most ${max} are allowed`);
  }
}

/**
 * x/staking: validators, delegations, unbonding and redelegation queues, validator-set updates.
 * Amounts are bigint; shares are 18-decimal fixed point. Every queue is keyed by completion time,
 * so EndBlock work is proportional to what matures or changes, not to the number of delegations.
 */
export class StakingKeeper {
  private readonly hooks: StakingHooks[] = [];

  constructor(
    private readonly auth: AuthKeeper,
    private readonly bank: BankForStaking,
  ) {
    auth.declareModuleAccount(BONDED_POOL, ["burner", "staking"]);
    auth.declareModuleAccount(NOT_BONDED_POOL, ["burner", "staking"]);
  }

  addHooks(h: StakingHooks): void {
    this.hooks.push(h);
  }

  params(ctx: Context): Params {
    return records.params(ctx);
  }

  setParams(ctx: Context, p: Params): void {
    records.setParams(ctx, p);
  }

  bondDenom(ctx: Context): string {
    return records.bondDenom(ctx);
  }

  /** Unbonding time in whole seconds (dCERT bonds reuse it). */
  unbondingTime(ctx: Context): bigint {
    return records.unbondingTime(ctx);
  }

  getValidator(ctx: Context, valoper: string): Validator | undefined {
    return records.getValidator(ctx, valoper);
  }

  mustGetValidator(ctx: Context, valoper: string): Validator {
    return records.mustGetValidator(ctx, valoper);
  }

  /** All validators in operator-address byte order. */
  allValidators(ctx: Context): Validator[] {
    return records.allValidators(ctx);
  }

  getValidatorByConsAddr(ctx: Context, consAddr: Uint8Array): Validator | undefined {
    return records.getValidatorByConsAddr(ctx, consAddr);
  }

  /** Genesis import: stores a validator with its consensus-key and power indexes. */
  importValidator(ctx: Context, v: Validator): void {
    records.importValidator(ctx, v);
  }

  createValidator(ctx: Context, input: CreateValidatorInput): void {
    const params = records.params(ctx);
    if (input.value.denom !== params.bondDenom) {
      throw ErrBadDenom.wrap(`got ${input.value.denom}, expected ${params.bondDenom}`);
    }
    if (records.getValidator(ctx, input.operator) !== undefined) {
      throw ErrValidatorOwnerExists.wrap(`validator ${input.operator} already exists`);
    }
    const cons = consensusAddress(input.consensusPubkey);
    if (records.getValidatorByConsAddr(ctx, cons) !== undefined) {
      throw ErrValidatorPubKeyExists.wrap("this consensus key is already used by another validator; generate a new one");
    }
    const minRate = decFromProto(params.minCommissionRate);
    if (input.commission.rate < minRate) {
      throw ErrCommissionLTMinRate.wrap(`commission rate ${decToProto(input.commission.rate)} is below the minimum ${params.minCommissionRate} (×10^-18)`);
    }
    if (input.value.amount < input.minSelfDelegation) {
      throw ErrSelfDelegationBelowMinimum.wrap(`self delegation ${input.value.amount} is below min_self_delegation ${input.minSelfDelegation}`);
    }
    validateDescription(input.description);
    const v: Validator = {
      operatorAddress: input.operator,
      consensusPubkey: { typeUrl: ED25519_PUBKEY_TYPE_URL, value: Ed25519PubKey.encode({ key: input.consensusPubkey }).finish() },
      jailed: false,
      status: BondStatus.BOND_STATUS_UNBONDED,
      tokens: "0",
      delegatorShares: "0",
      description: input.description,
      unbondingHeight: 0n,
      unbondingTime: ZERO_TIME,
      commission: {
        commissionRates: {
          rate: decToProto(input.commission.rate),
          maxRate: decToProto(input.commission.maxRate),
          maxChangeRate: decToProto(input.commission.maxChangeRate),
        },
        updateTime: ctx.block.time,
      },
      minSelfDelegation: input.minSelfDelegation.toString(),
      unbondingOnHoldRefCount: 0n,
      unbondingIds: [],
    };
    ctx.kv(STAKING).set(keys.validatorByConsAddr(cons), valoperBytes(input.operator));
    records.writeValidator(ctx, undefined, v);
    for (const h of this.hooks) h.afterValidatorCreated?.(ctx, input.operator);
    ctx.events.emit("create_validator", [
      ["validator", input.operator],
      ["amount", `${input.value.amount}${input.value.denom}`],
    ]);
    this.delegate(ctx, operatorAccount(input.operator), input.operator, input.value.amount);
  }

  editValidator(
    ctx: Context,
    valoper: string,
    changes: { description: Description; commissionRate: bigint | undefined; minSelfDelegation: bigint | undefined },
  ): Validator {
    const v = records.mustGetValidator(ctx, valoper);
    const keep = (next: string, cur: string) => (next === DO_NOT_MODIFY ? cur : next);
    const d = changes.description;
    const description: Description = {
      moniker: keep(d.moniker, v.description.moniker),
      identity: keep(d.identity, v.description.identity),
      website: keep(d.website, v.description.website),
      securityContact: keep(d.securityContact, v.description.securityContact),
      details: keep(d.details, v.description.details),
    };
    validateDescription(description);
    let commission = v.commission;
    if (changes.commissionRate !== undefined) {
      const rate = changes.commissionRate;
      const rates = v.commission.commissionRates;
      const maxRate = decFromProto(rates.maxRate);
      const current = decFromProto(rates.rate);
      const elapsed = ctx.block.time.seconds - v.commission.updateTime.seconds;
      if (elapsed < COMMISSION_UPDATE_INTERVAL_SECONDS) {
        throw ErrCommissionUpdateTime.wrap(`last change was ${elapsed}s ago; wait until 24h have passed`);
      }
      if (rate < 0n) throw ErrCommissionNegative.wrap();
      if (rate > maxRate) throw ErrCommissionGTMaxRate.wrap(`rate ${rate} > max rate ${maxRate} (×10^-18)`);
      const change = rate > current ? rate - current : current - rate;
      if (change > decFromProto(rates.maxChangeRate)) {
        throw ErrCommissionGTMaxChangeRate.wrap(`change ${change} exceeds max change rate ${rates.maxChangeRate} (×10^-18)`);
      }
      const minRate = decFromProto(records.params(ctx).minCommissionRate);
      if (rate < minRate) throw ErrCommissionLTMinRate.wrap(`rate ${rate} < minimum ${minRate} (×10^-18)`);
      commission = { commissionRates: { ...rates, rate: decToProto(rate) }, updateTime: ctx.block.time };
    }
    let minSelfDelegation = v.minSelfDelegation;
    if (changes.minSelfDelegation !== undefined) {
      const cur = BigInt(v.minSelfDelegation);
      if (changes.minSelfDelegation <= cur) {
        throw ErrMinSelfDelegationDecreased.wrap(`new minimum ${changes.minSelfDelegation} must be greater than the current ${cur}`);
      }
      if (changes.minSelfDelegation > validatorTokens(v)) {
        throw ErrSelfDelegationBelowMinimum.wrap(`new minimum ${changes.minSelfDelegation} exceeds the validator's tokens ${v.tokens}`);
      }
      minSelfDelegation = changes.minSelfDelegation.toString();
    }
    const next: Validator = { ...v, description, commission, minSelfDelegation };
    if (commission !== v.commission) for (const h of this.hooks) h.beforeValidatorModified?.(ctx, valoper);
    records.writeValidator(ctx, v, next);
    ctx.events.emit("edit_validator", [
      ["commission_rate", commission.commissionRates.rate],
      ["min_self_delegation", minSelfDelegation],
    ]);
    return next;
  }

  getDelegation(ctx: Context, delegator: string, valoper: string): Delegation | undefined {
    return records.getDelegation(ctx, delegator, valoper);
  }

  setDelegation(ctx: Context, d: Delegation): void {
    records.setDelegation(ctx, d);
  }

  /** Delegations of a delegator, in validator-address byte order. */
  delegationsOfRaw(ctx: Context, delegator: string): Delegation[] {
    return records.delegationsOfRaw(ctx, delegator);
  }

  /** Delegations to a validator, in delegator-address byte order. */
  validatorDelegations(ctx: Context, valoper: string): Delegation[] {
    return records.validatorDelegations(ctx, valoper);
  }

  /** Every delegation, ordered by delegator then validator bytes (genesis export). */
  allDelegations(ctx: Context): Delegation[] {
    return records.allDelegations(ctx);
  }

  /** Token value of a delegation (truncated). */
  delegationTokens(ctx: Context, d: Delegation): bigint {
    const v = records.getValidator(ctx, d.validatorAddress);
    if (v === undefined) throw ErrLogic.wrap(`delegation to missing validator ${d.validatorAddress}`);
    return tokensForShares(validatorTokens(v), validatorShares(v), decFromProto(d.shares));
  }

  delegationsOf(ctx: Context, delegator: string): DelegationView[] {
    return records.delegationsOfRaw(ctx, delegator).map((d) => ({
      validatorAddress: d.validatorAddress,
      shares: decFromProto(d.shares),
      tokens: this.delegationTokens(ctx, d),
    }));
  }

  /** Token value of all of a delegator's delegations, whatever the validators' status. */
  stakeOf(ctx: Context, delegator: string): bigint {
    let total = 0n;
    for (const d of this.delegationsOf(ctx, delegator)) total += d.tokens;
    return total;
  }

  /**
   * Token value of the delegator's delegations to bonded, non-jailed validators: its dCERT vote
   * weight (docs/design.md §5). Kept current for the dCERT by the delegation hooks and by
   * afterValidatorBonded / afterValidatorBeginUnbonding. PERF: O(the delegator's delegations).
   */
  bondedStakeOf(ctx: Context, delegator: string): bigint {
    let total = 0n;
    for (const d of records.delegationsOfRaw(ctx, delegator)) {
      const v = records.getValidator(ctx, d.validatorAddress);
      if (v === undefined) throw ErrLogic.wrap(`delegation to missing validator ${d.validatorAddress}`);
      if (v.status !== BondStatus.BOND_STATUS_BONDED || v.jailed) continue;
      total += tokensForShares(validatorTokens(v), validatorShares(v), decFromProto(d.shares));
    }
    return total;
  }

  /** Delegator addresses of a validator, in delegator-address byte order. PERF: O(its delegations). */
  delegatorsOf(ctx: Context, valoper: string): string[] {
    return records.delegatorsOf(ctx, valoper);
  }

  /**
   * Adds `amount` tokens from `from` (an account, or a pool when redelegating) to a validator and
   * credits the shares to the delegator. Returns the shares issued. Runs the before-hooks
   * (beforeDelegationCreated or beforeDelegationSharesModified) first; the caller runs the after-hooks.
   */
  private addDelegation(ctx: Context, delegator: string, v: Validator, amount: bigint, from: { account: string } | { pool: string }): bigint {
    const exists = records.getDelegation(ctx, delegator, v.operatorAddress) !== undefined;
    for (const h of this.hooks) {
      if (exists) h.beforeDelegationSharesModified?.(ctx, delegator, v.operatorAddress);
      else h.beforeDelegationCreated?.(ctx, delegator, v.operatorAddress);
    }
    const tokens = validatorTokens(v);
    const shares = validatorShares(v);
    const issued = sharesForDeposit(tokens, shares, amount);
    const coins: Coin[] = [{ denom: records.bondDenom(ctx), amount }];
    const target = poolOf(v);
    if ("account" in from) this.bank.sendFromAccountToModule(ctx, from.account, target, coins);
    else if (from.pool !== target) this.bank.sendFromModuleToModule(ctx, from.pool, target, coins);
    records.writeValidator(ctx, v, { ...v, tokens: (tokens + amount).toString(), delegatorShares: decToProto(shares + issued) });
    const existing = records.getDelegation(ctx, delegator, v.operatorAddress);
    const before = existing === undefined ? 0n : decFromProto(existing.shares);
    records.setDelegation(ctx, { delegatorAddress: delegator, validatorAddress: v.operatorAddress, shares: decToProto(before + issued) });
    return issued;
  }

  /**
   * Removes `shares` from a delegation and the matching tokens from the validator (tokens stay in
   * the validator's pool; the caller moves them). Runs the before-hooks
   * (beforeDelegationSharesModified, then beforeDelegationRemoved if no shares remain) first, and
   * afterValidatorRemoved if the validator goes; the caller runs the delegation after-hooks.
   */
  private removeShares(ctx: Context, delegator: string, v: Validator, shares: bigint): { amount: bigint; removed: boolean } {
    const d = records.getDelegation(ctx, delegator, v.operatorAddress);
    if (d === undefined) throw ErrNoDelegation.wrap(`${delegator} has no delegation to ${v.operatorAddress}`);
    const held = decFromProto(d.shares);
    if (held < shares) throw ErrNotEnoughDelegationShares.wrap(`delegation holds ${held} shares (×10^-18), ${shares} requested`);
    const remaining = held - shares;
    for (const h of this.hooks) h.beforeDelegationSharesModified?.(ctx, delegator, v.operatorAddress);
    if (remaining === 0n) for (const h of this.hooks) h.beforeDelegationRemoved?.(ctx, delegator, v.operatorAddress);
    if (remaining === 0n) records.removeDelegation(ctx, delegator, v.operatorAddress);
    else records.setDelegation(ctx, { ...d, shares: decToProto(remaining) });

    const tokens = validatorTokens(v);
    const total = validatorShares(v);
    // The SDK's Unbond: an operator whose self-delegation falls below min_self_delegation is jailed.
    const selfBelowMin =
      delegator === operatorAccount(v.operatorAddress) && !v.jailed && tokensForShares(tokens, total, remaining) < BigInt(v.minSelfDelegation);
    const left = total - shares;
    const amount = left === 0n ? tokens : tokensForShares(tokens, total, shares);
    const next: Validator = { ...v, jailed: v.jailed || selfBelowMin, tokens: (tokens - amount).toString(), delegatorShares: decToProto(left) };
    if (left === 0n && next.status === BondStatus.BOND_STATUS_UNBONDED) {
      records.writeValidator(ctx, v, next);
      abci.removeValidator(ctx, this.hooks, next);
    } else {
      records.writeValidator(ctx, v, next);
    }
    return { amount, removed: remaining === 0n };
  }

  /** Shares to remove for `amount` tokens, as the SDK's ValidateUnbondAmount (capped at the delegation). */
  private sharesForWithdrawal(ctx: Context, delegator: string, v: Validator, amount: bigint): bigint {
    const d = records.getDelegation(ctx, delegator, v.operatorAddress);
    if (d === undefined) throw ErrNoDelegation.wrap(`${delegator} has no delegation to ${v.operatorAddress}`);
    const held = decFromProto(d.shares);
    const tokens = validatorTokens(v);
    const shares = validatorShares(v);
    if (tokens === 0n) throw ErrDelegatorShareExRateInvalid.wrap(`validator ${v.operatorAddress} has no tokens`);
    const floor = (shares * amount) / tokens;
    const ceil = (shares * amount + tokens - 1n) / tokens;
    if (floor > held) {
      const worth = tokensForShares(tokens, shares, held);
      throw ErrNotEnoughDelegationShares.wrap(`the delegation of ${delegator} to ${v.operatorAddress} is worth ${worth}, less than ${amount}`);
    }
    return ceil > held ? held : ceil;
  }

  private fire(ctx: Context, delegator: string, valoper: string, removed: boolean): void {
    for (const h of this.hooks) {
      if (removed) h.afterDelegationRemoved?.(ctx, delegator, valoper);
      else h.afterDelegationModified?.(ctx, delegator, valoper);
    }
  }

  /** MsgDelegate: moves `amount` of the bond denom from the delegator into the validator's pool. */
  delegate(ctx: Context, delegator: string, valoper: string, amount: bigint): bigint {
    if (amount <= 0n) throw ErrInvalidRequest.wrap(`delegation amount must be positive, got ${amount}`);
    const v = records.mustGetValidator(ctx, valoper);
    const issued = this.addDelegation(ctx, delegator, v, amount, { account: delegator });
    this.fire(ctx, delegator, valoper, false);
    ctx.events.emit("delegate", [
      ["validator", valoper],
      ["delegator", delegator],
      ["amount", `${amount}${records.bondDenom(ctx)}`],
      ["new_shares", decToProto(issued)],
    ]);
    return issued;
  }

  /** Genesis import: the id the next unbonding or redelegation entry gets. */
  setNextUnbondingId(ctx: Context, id: bigint): void {
    records.setNextUnbondingId(ctx, id);
  }

  getUnbondingDelegation(ctx: Context, delegator: string, valoper: string): UnbondingDelegation | undefined {
    return records.getUnbondingDelegation(ctx, delegator, valoper);
  }

  /** Genesis import: stores an unbonding delegation and queues its entries. */
  importUnbondingDelegation(ctx: Context, u: UnbondingDelegation): void {
    records.importUnbondingDelegation(ctx, u);
  }

  unbondingDelegationsOf(ctx: Context, delegator: string): UnbondingDelegation[] {
    return records.unbondingDelegationsOf(ctx, delegator);
  }

  allUnbondingDelegations(ctx: Context): UnbondingDelegation[] {
    return records.allUnbondingDelegations(ctx);
  }

  /**
   * MsgUndelegate: removes the shares worth `amount`, moves the tokens to the not-bonded pool and
   * queues an entry that pays them back at block time + unbonding_time.
   */
  undelegate(ctx: Context, delegator: string, valoper: string, amount: bigint): { completionTime: Timestamp; amount: bigint } {
    if (amount <= 0n) throw ErrInvalidRequest.wrap(`undelegation amount must be positive, got ${amount}`);
    const params = records.params(ctx);
    const v = records.mustGetValidator(ctx, valoper);
    const existing = records.getUnbondingDelegation(ctx, delegator, valoper);
    if (existing !== undefined && existing.entries.length >= params.maxEntries) {
      throw ErrMaxUnbondingDelegationEntries.wrap(`${existing.entries.length} entries are pending (max_entries ${params.maxEntries}); wait for one to complete`);
    }
    const shares = this.sharesForWithdrawal(ctx, delegator, v, amount);
    const { amount: returned, removed } = this.removeShares(ctx, delegator, v, shares);
    const denom = params.bondDenom;
    if (v.status === BondStatus.BOND_STATUS_BONDED && returned > 0n) {
      this.bank.sendFromModuleToModule(ctx, BONDED_POOL, NOT_BONDED_POOL, [{ denom, amount: returned }]);
    }
    const completionTime = addDuration(ctx.block.time, params.unbondingTime);
    const u: UnbondingDelegation = existing ?? { delegatorAddress: delegator, validatorAddress: valoper, entries: [] };
    const same = u.entries.findIndex((e) => e.creationHeight === ctx.block.height && compareTime(e.completionTime, completionTime) === 0);
    const entries = [...u.entries];
    const prev = entries[same];
    if (prev !== undefined) {
      entries[same] = {
        ...prev,
        initialBalance: (BigInt(prev.initialBalance) + returned).toString(),
        balance: (BigInt(prev.balance) + returned).toString(),
      };
    } else {
      entries.push({
        creationHeight: ctx.block.height,
        completionTime,
        initialBalance: returned.toString(),
        balance: returned.toString(),
        unbondingId: records.nextUnbondingId(ctx),
        unbondingOnHoldRefCount: 0n,
      });
    }
    records.setUnbondingDelegation(ctx, { ...u, entries });
    ctx.kv(STAKING).set(keys.unbondingQueue(completionTime, addrBytes(delegator), valoperBytes(valoper)), PRESENT);
    this.fire(ctx, delegator, valoper, removed);
    for (const h of this.hooks) h.afterUnbondingInitiated?.(ctx, delegator, valoper, returned, completionTime);
    ctx.events.emit("unbond", [
      ["validator", valoper],
      ["delegator", delegator],
      ["amount", `${returned}${denom}`],
      ["completion_time", timeToJson(completionTime)],
    ]);
    return { completionTime, amount: returned };
  }

  getRedelegation(ctx: Context, delegator: string, src: string, dst: string): Redelegation | undefined {
    return records.getRedelegation(ctx, delegator, src, dst);
  }

  importRedelegation(ctx: Context, r: Redelegation): void {
    records.importRedelegation(ctx, r);
  }

  redelegationsOf(ctx: Context, delegator: string): Redelegation[] {
    return records.redelegationsOf(ctx, delegator);
  }

  allRedelegations(ctx: Context): Redelegation[] {
    return records.allRedelegations(ctx);
  }

  /**
   * MsgBeginRedelegate: moves shares worth `amount` from `src` to `dst` at once. The entry is kept
   * until the source's unbonding period ends (for queries and the transitive-redelegation rule).
   */
  beginRedelegate(ctx: Context, delegator: string, src: string, dst: string, amount: bigint): Timestamp {
    if (amount <= 0n) throw ErrInvalidRequest.wrap(`redelegation amount must be positive, got ${amount}`);
    if (src === dst) throw ErrSelfRedelegation.wrap(`source and destination are both ${src}`);
    const params = records.params(ctx);
    const srcV = records.mustGetValidator(ctx, src);
    if (records.getValidator(ctx, dst) === undefined) throw ErrBadRedelegationDst.wrap(`validator ${dst} does not exist`);
    if (records.hasReceivingRedelegation(ctx, delegator, src)) {
      throw ErrTransitiveRedelegation.wrap(`${delegator} has a redelegation into ${src} that has not completed`);
    }
    const existing = records.getRedelegation(ctx, delegator, src, dst);
    if (existing !== undefined && existing.entries.length >= params.maxEntries) {
      throw ErrMaxRedelegationEntries.wrap(`${existing.entries.length} entries are pending (max_entries ${params.maxEntries}); wait for one to complete`);
    }
    const shares = this.sharesForWithdrawal(ctx, delegator, srcV, amount);
    const { amount: moved, removed } = this.removeShares(ctx, delegator, srcV, shares);
    if (moved === 0n) throw ErrTinyRedelegationAmount.wrap();
    const dstV = records.mustGetValidator(ctx, dst);
    const sharesDst = this.addDelegation(ctx, delegator, dstV, moved, { pool: poolOf(srcV) });

    let completionTime: Timestamp;
    let completeNow = false;
    if (srcV.status === BondStatus.BOND_STATUS_BONDED) completionTime = addDuration(ctx.block.time, params.unbondingTime);
    else if (srcV.status === BondStatus.BOND_STATUS_UNBONDING) completionTime = srcV.unbondingTime;
    else {
      completionTime = ctx.block.time;
      completeNow = true;
    }
    if (!completeNow) {
      const r: Redelegation = existing ?? { delegatorAddress: delegator, validatorSrcAddress: src, validatorDstAddress: dst, entries: [] };
      r.entries = [
        ...r.entries,
        {
          creationHeight: ctx.block.height,
          completionTime,
          initialBalance: moved.toString(),
          sharesDst: decToProto(sharesDst),
          unbondingId: records.nextUnbondingId(ctx),
          unbondingOnHoldRefCount: 0n,
        },
      ];
      records.setRedelegation(ctx, r);
      ctx.kv(STAKING).set(keys.redelegationQueue(completionTime, addrBytes(delegator), valoperBytes(src), valoperBytes(dst)), PRESENT);
    }
    this.fire(ctx, delegator, src, removed);
    this.fire(ctx, delegator, dst, false);
    ctx.events.emit("redelegate", [
      ["source_validator", src],
      ["destination_validator", dst],
      ["delegator", delegator],
      ["amount", `${moved}${params.bondDenom}`],
      ["completion_time", timeToJson(completionTime)],
    ]);
    return completionTime;
  }

  // ------------------------------------------------------------------ slashing (the SDK's Keeper.Slash/Jail/Unjail)

  /**
   * Slashes the validator with consensus address `consAddr` for an infraction at
   * `infractionHeight`, when it had `power`: `power × POWER_REDUCTION × fraction` (truncated) in
   * all. Unbonding delegations and redelegations out of the validator created at or after the
   * infraction height (and not matured) are slashed first, each entry by at most `fraction` of its
   * initial balance (a redelegation by unbonding and burning its destination shares, after any
   * unbonding from the destination that started at or after the infraction height); the validator's
   * tokens cover the rest, never more than it has. Everything is burned from the pool holding it.
   * At the current height only the validator is slashed. Returns the tokens burned from the
   * validator. A validator that no longer exists is not slashed (0); an unbonded one or a future
   * height is a logic error. Runs beforeValidatorModified, beforeValidatorSlashed (effective
   * fraction of its tokens, rounded up) and afterValidatorSlashed.
   */
  slash(ctx: Context, consAddr: Uint8Array, infractionHeight: bigint, power: bigint, fraction: bigint): bigint {
    if (fraction < 0n || fraction > DEC_ONE) throw ErrLogic.wrap(`slash fraction ${fraction} (×10^-18) is outside [0, 1]`);
    if (infractionHeight > ctx.block.height) {
      throw ErrLogic.wrap(`impossible attempt to slash future infraction at height ${infractionHeight} but we are at height ${ctx.block.height}`);
    }
    const slashAmount = (power * POWER_REDUCTION * fraction) / DEC_ONE;
    const found = records.getValidatorByConsAddr(ctx, consAddr);
    if (found === undefined) return 0n;
    if (found.status === BondStatus.BOND_STATUS_UNBONDED) throw ErrLogic.wrap(`should not be slashing unbonded validator ${found.operatorAddress}`);
    const valoper = found.operatorAddress;
    for (const h of this.hooks) h.beforeValidatorModified?.(ctx, valoper);
    let remaining = slashAmount;
    if (infractionHeight < ctx.block.height) {
      // Each eligible entry is charged fraction × its initial balance against the slash amount (the
      // SDK lets the entries' total exceed it; we stop at it, so a slash never burns more than
      // `power × POWER_REDUCTION × fraction`).
      for (const u of records.validatorUnbondingDelegations(ctx, valoper)) remaining -= this.slashUnbondingDelegation(ctx, u, infractionHeight, fraction, remaining);
      for (const r of records.redelegationsFromValidator(ctx, valoper)) remaining -= this.slashRedelegation(ctx, r, infractionHeight, fraction, remaining);
    }
    const v = records.mustGetValidator(ctx, valoper);
    const tokens = validatorTokens(v);
    let burn = remaining < tokens ? remaining : tokens;
    if (burn <= 0n) return 0n;
    let effective = (burn * DEC_ONE + tokens - 1n) / tokens;
    if (effective > DEC_ONE) effective = DEC_ONE;
    for (const h of this.hooks) h.beforeValidatorSlashed?.(ctx, valoper, effective);
    const after = records.mustGetValidator(ctx, valoper);
    const now = validatorTokens(after);
    if (burn > now) burn = now;
    records.writeValidator(ctx, after, { ...after, tokens: (now - burn).toString() });
    this.bank.burnCoins(ctx, poolOf(after), [{ denom: records.bondDenom(ctx), amount: burn }]);
    for (const h of this.hooks) h.afterValidatorSlashed?.(ctx, valoper);
    return burn;
  }

  /**
   * The SDK's SlashUnbondingDelegation, within `budget`: each eligible entry is charged
   * min(fraction × initial balance, what is left of the budget) and burns that much of its balance
   * (less if its balance is smaller). Returns the total charged.
   */
  private slashUnbondingDelegation(ctx: Context, u: UnbondingDelegation, infractionHeight: bigint, fraction: bigint, budget: bigint): bigint {
    let total = 0n;
    let burned = 0n;
    const entries = u.entries.map((e) => {
      if (e.creationHeight < infractionHeight) return e;
      if (compareTime(e.completionTime, ctx.block.time) <= 0) return e;
      const full = (BigInt(e.initialBalance) * fraction) / DEC_ONE;
      const nominal = full < budget - total ? full : budget - total;
      total += nominal;
      const balance = BigInt(e.balance);
      const take = nominal < balance ? nominal : balance;
      if (take === 0n) return e;
      burned += take;
      return { ...e, balance: (balance - take).toString() };
    });
    if (burned > 0n) {
      records.setUnbondingDelegation(ctx, { ...u, entries });
      this.bank.burnCoins(ctx, NOT_BONDED_POOL, [{ denom: records.bondDenom(ctx), amount: burned }]);
    }
    return total;
  }

  /**
   * The SDK's SlashRedelegation: for each eligible entry, fraction × its initial balance is taken
   * from unbonding entries (delegator → destination) started at or after the infraction height,
   * then from the destination delegation (shares worth the rest at the destination's rate, capped
   * at fraction × the entry's destination shares and at the delegation). Each entry is charged
   * min(fraction × initial balance, what is left of `budget`). Returns the total charged.
   */
  private slashRedelegation(ctx: Context, r: Redelegation, infractionHeight: bigint, fraction: bigint, budget: bigint): bigint {
    let total = 0n;
    let bondedBurn = 0n;
    let notBondedBurn = 0n;
    const delegator = r.delegatorAddress;
    const dst = r.validatorDstAddress;
    for (const entry of r.entries) {
      if (entry.creationHeight < infractionHeight) continue;
      if (compareTime(entry.completionTime, ctx.block.time) <= 0) continue;
      const full = (BigInt(entry.initialBalance) * fraction) / DEC_ONE;
      let slashAmount = full < budget - total ? full : budget - total;
      if (slashAmount <= 0n) continue;
      total += slashAmount;
      const u = records.getUnbondingDelegation(ctx, delegator, dst);
      if (u !== undefined) {
        let changed = false;
        const entries = u.entries.map((e) => {
          const balance = BigInt(e.balance);
          const take = slashAmount < balance ? slashAmount : balance;
          if (take === 0n || e.creationHeight < infractionHeight || compareTime(e.completionTime, ctx.block.time) <= 0) return e;
          slashAmount -= take;
          notBondedBurn += take;
          changed = true;
          return { ...e, balance: (balance - take).toString() };
        });
        if (changed) records.setUnbondingDelegation(ctx, { ...u, entries });
      }
      if (slashAmount === 0n) continue;
      const d = records.getDelegation(ctx, delegator, dst);
      const dstV = records.getValidator(ctx, dst);
      if (d === undefined || dstV === undefined) continue;
      const dstTokens = validatorTokens(dstV);
      const dstShares = validatorShares(dstV);
      if (dstTokens === 0n) continue;
      let shares = (dstShares * slashAmount) / dstTokens;
      const cap = (decFromProto(entry.sharesDst) * fraction) / DEC_ONE;
      if (shares > cap) shares = cap;
      const held = decFromProto(d.shares);
      if (shares > held) shares = held;
      if (shares === 0n) continue;
      const { amount, removed } = this.removeShares(ctx, delegator, dstV, shares);
      this.fire(ctx, delegator, dst, removed);
      if (dstV.status === BondStatus.BOND_STATUS_BONDED) bondedBurn += amount;
      else notBondedBurn += amount;
    }
    const denom = records.bondDenom(ctx);
    if (bondedBurn > 0n) this.bank.burnCoins(ctx, BONDED_POOL, [{ denom, amount: bondedBurn }]);
    if (notBondedBurn > 0n) this.bank.burnCoins(ctx, NOT_BONDED_POOL, [{ denom, amount: notBondedBurn }]);
    return total;
  }

  /**
   * Jails the validator with this consensus address: it leaves the power index, so the next
   * EndBlock takes it out of the bonded set (power 0 to CometBFT, afterValidatorBeginUnbonding).
   */
  jail(ctx: Context, consAddr: Uint8Array): void {
    const v = records.getValidatorByConsAddr(ctx, consAddr);
    if (v === undefined) throw ErrNoValidatorFound.wrap("no validator has this consensus address");
    if (v.jailed) throw ErrLogic.wrap(`cannot jail already jailed validator ${v.operatorAddress}`);
    records.writeValidator(ctx, v, { ...v, jailed: true });
  }

  /** Unjails the validator with this consensus address: it is back in the power index (and the set at EndBlock if its power ranks). */
  unjail(ctx: Context, consAddr: Uint8Array): void {
    const v = records.getValidatorByConsAddr(ctx, consAddr);
    if (v === undefined) throw ErrNoValidatorFound.wrap("no validator has this consensus address");
    if (!v.jailed) throw ErrLogic.wrap(`cannot unjail already unjailed validator ${v.operatorAddress}`);
    records.writeValidator(ctx, v, { ...v, jailed: false });
  }

  /** BeginBlock: records this block's header and bonded set, pruning entries older than `historical_entries` heights. */
  beginBlock(ctx: Context): void {
    records.trackHistoricalInfo(ctx);
  }

  /** The header and bonded set stored for `height` (undefined when pruned, never stored or historical_entries is 0). */
  getHistoricalInfo(ctx: Context, height: bigint): HistoricalInfo | undefined {
    return records.getHistoricalInfo(ctx, height);
  }

  /** The validators a delegator delegates to, in validator-address byte order. */
  delegatorValidators(ctx: Context, delegator: string): Validator[] {
    return records.delegationsOfRaw(ctx, delegator).map((d) => records.mustGetValidator(ctx, d.validatorAddress));
  }

  /** The validator of one delegation (the SDK's GetDelegatorValidator): ErrNoDelegation without a delegation. */
  delegatorValidator(ctx: Context, delegator: string, valoper: string): Validator {
    if (records.getDelegation(ctx, delegator, valoper) === undefined) {
      throw ErrNoDelegation.wrap(`${delegator} has no delegation to ${valoper}`);
    }
    return records.mustGetValidator(ctx, valoper);
  }

  /** Unbonding delegations from a validator, in delegator-address byte order. */
  validatorUnbondingDelegations(ctx: Context, valoper: string): UnbondingDelegation[] {
    return records.validatorUnbondingDelegations(ctx, valoper);
  }

  /** Redelegations out of a validator, in (delegator, destination) byte order. */
  redelegationsFromValidator(ctx: Context, src: string): Redelegation[] {
    return records.redelegationsFromValidator(ctx, src);
  }

  /**
   * MsgCancelUnbondingDelegation: delegates `amount` of the entry created at `creationHeight` back
   * to the validator (tokens move from the not-bonded pool to the validator's pool); the entry
   * shrinks or goes. Refused for a jailed validator, a missing entry, more than its balance, or an
   * entry that already matured.
   */
  cancelUnbondingDelegation(ctx: Context, delegator: string, valoper: string, amount: bigint, creationHeight: bigint): void {
    if (amount <= 0n) throw ErrInvalidRequest.wrap(`amount must be positive, got ${amount}`);
    const v = records.mustGetValidator(ctx, valoper);
    if (v.jailed) throw ErrValidatorJailed.wrap(`${valoper} is jailed; it must unjail before unbondings to it can be cancelled`);
    const u = records.getUnbondingDelegation(ctx, delegator, valoper);
    if (u === undefined) throw ErrNoUnbondingDelegation.wrap(`${delegator} has no unbonding delegation from ${valoper}`);
    const i = u.entries.findIndex((e) => e.creationHeight === creationHeight);
    const entry = u.entries[i];
    if (entry === undefined) throw ErrBadCancelUnbonding.wrap(`no unbonding entry was created at height ${creationHeight}; query the unbonding delegation for the heights`);
    const balance = BigInt(entry.balance);
    if (balance < amount) throw ErrBadCancelUnbonding.wrap(`amount ${amount} is greater than the entry's balance ${balance}`);
    if (compareTime(entry.completionTime, ctx.block.time) < 0) throw ErrBadCancelUnbonding.wrap("the unbonding delegation entry has already completed");
    this.addDelegation(ctx, delegator, v, amount, { pool: NOT_BONDED_POOL });
    this.fire(ctx, delegator, valoper, false);
    const entries = [...u.entries];
    if (balance === amount) entries.splice(i, 1);
    else entries[i] = { ...entry, balance: (balance - amount).toString(), initialBalance: (BigInt(entry.initialBalance) - amount).toString() };
    records.setUnbondingDelegation(ctx, { ...u, entries });
    ctx.events.emit("cancel_unbonding_delegation", [
      ["amount", `${amount}${records.bondDenom(ctx)}`],
      ["validator", valoper],
      ["delegator", delegator],
      ["creation_height", creationHeight.toString()],
    ]);
  }

  poolBalance(ctx: Context, pool: string): bigint {
    return this.bank.getBalance(ctx, moduleAccountAddress(pool), records.bondDenom(ctx)).amount;
  }

  /** Tokens held by bonded validators (the bonded pool's balance). */
  totalBondedTokens(ctx: Context): bigint {
    return this.poolBalance(ctx, BONDED_POOL);
  }

  /** The bonded set (the validators whose power CometBFT has), in operator-address byte order. */
  bondedValidators(ctx: Context): BondedValidatorView[] {
    const out: BondedValidatorView[] = [];
    for (const { op } of records.lastPowers(ctx)) {
      const v = records.validatorByBytes(ctx, op);
      if (v === undefined) throw ErrLogic.wrap(`bonded validator ${valoperString(op)} is missing`);
      out.push({
        operatorAddress: v.operatorAddress,
        accountAddress: addrString(op),
        tokens: validatorTokens(v),
        delegatorShares: validatorShares(v),
      });
    }
    return out;
  }

  /** Last powers sent to CometBFT, in operator-address byte order. */
  lastPowers(ctx: Context): { op: Uint8Array; power: bigint }[] {
    return records.lastPowers(ctx);
  }

  lastTotalPower(ctx: Context): bigint {
    return records.lastTotalPower(ctx);
  }

  /** Genesis import of an exported set: the last powers CometBFT already has. */
  importLastPowers(ctx: Context, powers: readonly { operator: string; power: bigint }[], total: bigint): ValidatorUpdate[] {
    return records.importLastPowers(ctx, powers, total);
  }

  /** Completes matured unbondings and redelegations, matures unbonding validators, then returns the set changes. */
  endBlock(ctx: Context): ValidatorUpdate[] {
    return abci.endBlock(ctx, this.bank, this.hooks);
  }

  /**
   * Recomputes the bonded set (top max_validators by power; ties by lower operator address) if the
   * power index changed since the last call, and returns the changes for CometBFT: new power for
   * validators that entered or changed, 0 for those that left. With `genesis`, also unbonds any
   * validator marked bonded that did not make the set.
   */
  applyValidatorSetUpdates(ctx: Context, genesis = false): ValidatorUpdate[] {
    return abci.applyValidatorSetUpdates(ctx, this.bank, this.hooks, genesis);
  }
}
