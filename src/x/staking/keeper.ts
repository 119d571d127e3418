import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import {
  BondStatus,
  Delegation,
  type Description,
  Params,
  Redelegation,
  UnbondingDelegation,
  Validator,
} from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { addrBytes, addrString, moduleAccountAddress, type AuthKeeper } from "../auth/keeper";
import type { BankKeeper } from "../bank/keeper";
import type { Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { readU64be, toHex, u64be } from "../../baseapp/encoding";
import { ErrInvalidRequest, ErrLogic } from "../../baseapp/errors";
import { prefixEnd } from "../../baseapp/store/prefix";
import { decodeAddress, encodeAddress } from "../../baseapp/tx/address";
import { BECH32_PREFIX_VALOPER } from "../../baseapp/tx/constants";
import { sha256 } from "../../baseapp/tx/hash";
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
  ErrNoValidatorFound,
  ErrBadRedelegationDst,
  ErrNotEnoughDelegationShares,
  ErrSelfDelegationBelowMinimum,
  ErrSelfRedelegation,
  ErrTinyRedelegationAmount,
  ErrTransitiveRedelegation,
  ErrValidatorOwnerExists,
  ErrValidatorPubKeyExists,
  ErrBadDenom,
} from "./errors";
import { KEY, STAKING, keys, splitLengthPrefixed } from "./keys";
import { defaultStakingParams } from "./params";
import { addDuration, compareTime, timeToJson, ZERO_TIME } from "./time";

/** Module accounts holding the tokens of bonded validators and of everything else (unbonded validators, unbonding entries). */
export const BONDED_POOL = "bonded_tokens_pool";
export const NOT_BONDED_POOL = "not_bonded_tokens_pool";
/** Tokens per unit of consensus power (the SDK's DefaultPowerReduction). */
export const POWER_REDUCTION = 1_000_000n;
export const ED25519_PUBKEY_TYPE_URL = "/cosmos.crypto.ed25519.PubKey";
/** Description sentinel of MsgEditValidator: keep the current value. */
export const DO_NOT_MODIFY = "[do-not-modify]";
/** Commission can change at most once per this many seconds. */
const COMMISSION_UPDATE_INTERVAL_SECONDS = 86_400n;

const PRESENT = Uint8Array.of(1);

/**
 * Callbacks other modules register with `addHooks`. Every hook runs after the state change it
 * reports is complete (delegation, validator tokens and pools all updated), so a hook that reads
 * `stakeOf` sees the new value. Hooks do not run during genesis import.
 */
export interface StakingHooks {
  afterValidatorCreated?(ctx: Context, operator: string): void;
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

// ---------------------------------------------------------------- addresses

export function valoperBytes(valoper: string): Uint8Array {
  return decodeAddress(valoper, BECH32_PREFIX_VALOPER);
}

export function valoperString(bytes: Uint8Array): string {
  return encodeAddress(bytes, BECH32_PREFIX_VALOPER);
}

/** The account address that controls a validator (same bytes). */
export function operatorAccount(valoper: string): string {
  return addrString(valoperBytes(valoper));
}

/** The validator operator address of an account (same bytes). */
export function accountValoper(account: string): string {
  return valoperString(addrBytes(account));
}

/** CometBFT address of an ed25519 consensus key: the first 20 bytes of its SHA-256. */
export function consensusAddress(ed25519: Uint8Array): Uint8Array {
  return sha256(ed25519).slice(0, 20);
}

// ---------------------------------------------------------------- share arithmetic (pure)

export function validatorTokens(v: Validator): bigint {
  return BigInt(v.tokens === "" ? "0" : v.tokens);
}

export function validatorShares(v: Validator): bigint {
  return decFromProto(v.delegatorShares, "delegator_shares");
}

export function consensusPower(tokens: bigint): bigint {
  return tokens / POWER_REDUCTION;
}

/** Shares issued for `amount` tokens (truncated); exchange rate 1 for a validator without shares. */
export function sharesForDeposit(tokens: bigint, shares: bigint, amount: bigint): bigint {
  if (shares === 0n) return amount * DEC_ONE;
  if (tokens === 0n) throw ErrDelegatorShareExRateInvalid.wrap("the validator has shares but no tokens");
  return (shares * amount) / tokens;
}

/** Token value of `del` shares (truncated). */
export function tokensForShares(tokens: bigint, shares: bigint, del: bigint): bigint {
  if (shares === 0n) return 0n;
  return (del * tokens) / shares;
}

export function validatorPubkey(v: Validator): Uint8Array {
  const any = v.consensusPubkey;
  if (any?.typeUrl !== ED25519_PUBKEY_TYPE_URL) throw ErrLogic.wrap(`validator ${v.operatorAddress} has no ed25519 consensus key`);
  return Ed25519PubKey.decode(any.value).key;
}

function poolOf(v: Validator): string {
  return v.status === BondStatus.BOND_STATUS_BONDED ? BONDED_POOL : NOT_BONDED_POOL;
}

function copy(b: Uint8Array): Uint8Array {
  return b.slice();
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
    private readonly bank: BankKeeper,
  ) {
    auth.declareModuleAccount(BONDED_POOL, ["burner", "staking"]);
    auth.declareModuleAccount(NOT_BONDED_POOL, ["burner", "staking"]);
  }

  addHooks(h: StakingHooks): void {
    this.hooks.push(h);
  }

  // ---------------------------------------------------------------- params

  params(ctx: Context): Params {
    const raw = ctx.kv(STAKING).get(keys.params());
    return raw === undefined ? defaultStakingParams() : Params.decode(raw);
  }

  setParams(ctx: Context, p: Params): void {
    const before = ctx.kv(STAKING).get(keys.params());
    ctx.kv(STAKING).set(keys.params(), Params.encode(p).finish());
    // max_validators may have changed: recompute the set at the end of the block.
    if (before === undefined || Params.decode(before).maxValidators !== p.maxValidators) this.markPowerDirty(ctx);
  }

  bondDenom(ctx: Context): string {
    return this.params(ctx).bondDenom;
  }

  /** Unbonding time in whole seconds (dCERT bonds reuse it). */
  unbondingTime(ctx: Context): bigint {
    return this.params(ctx).unbondingTime.seconds;
  }

  // ---------------------------------------------------------------- validators

  getValidator(ctx: Context, valoper: string): Validator | undefined {
    return this.validatorByBytes(ctx, valoperBytes(valoper));
  }

  private validatorByBytes(ctx: Context, op: Uint8Array): Validator | undefined {
    const raw = ctx.kv(STAKING).get(keys.validator(op));
    return raw === undefined ? undefined : Validator.decode(raw);
  }

  mustGetValidator(ctx: Context, valoper: string): Validator {
    const v = this.getValidator(ctx, valoper);
    if (v === undefined) throw ErrNoValidatorFound.wrap(`validator ${valoper} does not exist; check the operator address (dcertvaloper1…)`);
    return v;
  }

  /** All validators in operator-address byte order. */
  allValidators(ctx: Context): Validator[] {
    const out: Validator[] = [];
    const p = keys.validatorPrefix();
    for (const [, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(Validator.decode(v));
    return out;
  }

  getValidatorByConsAddr(ctx: Context, consAddr: Uint8Array): Validator | undefined {
    const op = ctx.kv(STAKING).get(keys.validatorByConsAddr(consAddr));
    return op === undefined ? undefined : this.validatorByBytes(ctx, op);
  }

  private markPowerDirty(ctx: Context): void {
    ctx.kv(STAKING).set(keys.powerDirty(), PRESENT);
  }

  /** Writes a validator, keeping the power index (and the dirty flag) in step with its tokens. */
  private writeValidator(ctx: Context, prev: Validator | undefined, next: Validator): void {
    const kv = ctx.kv(STAKING);
    const op = valoperBytes(next.operatorAddress);
    const before = prev === undefined ? 0n : consensusPower(validatorTokens(prev));
    const after = consensusPower(validatorTokens(next));
    if (before !== after) {
      if (before > 0n) kv.delete(keys.validatorByPower(before, op));
      if (after > 0n) kv.set(keys.validatorByPower(after, op), copy(op));
      this.markPowerDirty(ctx);
    }
    kv.set(keys.validator(op), Validator.encode(next).finish());
  }

  /** Genesis import: stores a validator with its consensus-key and power indexes. */
  importValidator(ctx: Context, v: Validator): void {
    const kv = ctx.kv(STAKING);
    const cons = consensusAddress(validatorPubkey(v));
    if (kv.has(keys.validatorByConsAddr(cons))) {
      throw ErrValidatorPubKeyExists.wrap(`consensus key of ${v.operatorAddress} is already used by another validator`);
    }
    if (this.getValidator(ctx, v.operatorAddress) !== undefined) throw ErrValidatorOwnerExists.wrap(v.operatorAddress);
    kv.set(keys.validatorByConsAddr(cons), valoperBytes(v.operatorAddress));
    this.writeValidator(ctx, undefined, v);
    if (v.status === BondStatus.BOND_STATUS_UNBONDING) {
      kv.set(keys.validatorQueue(v.unbondingTime, valoperBytes(v.operatorAddress)), PRESENT);
    }
  }

  private removeValidator(ctx: Context, v: Validator): void {
    const kv = ctx.kv(STAKING);
    const op = valoperBytes(v.operatorAddress);
    const power = consensusPower(validatorTokens(v));
    if (power > 0n) kv.delete(keys.validatorByPower(power, op));
    kv.delete(keys.validatorByConsAddr(consensusAddress(validatorPubkey(v))));
    if (v.status === BondStatus.BOND_STATUS_UNBONDING) kv.delete(keys.validatorQueue(v.unbondingTime, op));
    kv.delete(keys.validator(op));
    ctx.events.emit("remove_validator", [["validator", v.operatorAddress]]);
  }

  createValidator(ctx: Context, input: CreateValidatorInput): void {
    const params = this.params(ctx);
    if (input.value.denom !== params.bondDenom) {
      throw ErrBadDenom.wrap(`got ${input.value.denom}, expected ${params.bondDenom}`);
    }
    if (this.getValidator(ctx, input.operator) !== undefined) {
      throw ErrValidatorOwnerExists.wrap(`validator ${input.operator} already exists`);
    }
    const cons = consensusAddress(input.consensusPubkey);
    if (this.getValidatorByConsAddr(ctx, cons) !== undefined) {
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
    this.writeValidator(ctx, undefined, v);
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
    const v = this.mustGetValidator(ctx, valoper);
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
      const minRate = decFromProto(this.params(ctx).minCommissionRate);
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
    this.writeValidator(ctx, v, next);
    ctx.events.emit("edit_validator", [
      ["commission_rate", commission.commissionRates.rate],
      ["min_self_delegation", minSelfDelegation],
    ]);
    return next;
  }

  // ---------------------------------------------------------------- delegations

  getDelegation(ctx: Context, delegator: string, valoper: string): Delegation | undefined {
    const raw = ctx.kv(STAKING).get(keys.delegation(addrBytes(delegator), valoperBytes(valoper)));
    return raw === undefined ? undefined : Delegation.decode(raw);
  }

  setDelegation(ctx: Context, d: Delegation): void {
    const kv = ctx.kv(STAKING);
    const del = addrBytes(d.delegatorAddress);
    const op = valoperBytes(d.validatorAddress);
    kv.set(keys.delegation(del, op), Delegation.encode(d).finish());
    kv.set(keys.delegationByValidator(op, del), PRESENT);
  }

  private removeDelegation(ctx: Context, delegator: string, valoper: string): void {
    const kv = ctx.kv(STAKING);
    const del = addrBytes(delegator);
    const op = valoperBytes(valoper);
    kv.delete(keys.delegation(del, op));
    kv.delete(keys.delegationByValidator(op, del));
  }

  /** Delegations of a delegator, in validator-address byte order. */
  delegationsOfRaw(ctx: Context, delegator: string): Delegation[] {
    const p = keys.delegationsOf(addrBytes(delegator));
    const out: Delegation[] = [];
    for (const [, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(Delegation.decode(v));
    return out;
  }

  /** Delegations to a validator, in delegator-address byte order. */
  validatorDelegations(ctx: Context, valoper: string): Delegation[] {
    const op = valoperBytes(valoper);
    const p = keys.delegationsByValidator(op);
    const dels: Uint8Array[] = [];
    for (const [k] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) dels.push(copy(splitLengthPrefixed(k, p.length)[0] ?? new Uint8Array()));
    const out: Delegation[] = [];
    for (const del of dels) {
      const raw = ctx.kv(STAKING).get(keys.delegation(del, op));
      if (raw !== undefined) out.push(Delegation.decode(raw));
    }
    return out;
  }

  /** Every delegation, ordered by delegator then validator bytes (genesis export). */
  allDelegations(ctx: Context): Delegation[] {
    const p = keys.delegationPrefix();
    const out: Delegation[] = [];
    for (const [, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(Delegation.decode(v));
    return out;
  }

  /** Token value of a delegation (truncated). */
  delegationTokens(ctx: Context, d: Delegation): bigint {
    const v = this.getValidator(ctx, d.validatorAddress);
    if (v === undefined) throw ErrLogic.wrap(`delegation to missing validator ${d.validatorAddress}`);
    return tokensForShares(validatorTokens(v), validatorShares(v), decFromProto(d.shares));
  }

  delegationsOf(ctx: Context, delegator: string): DelegationView[] {
    return this.delegationsOfRaw(ctx, delegator).map((d) => ({
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
    for (const d of this.delegationsOfRaw(ctx, delegator)) {
      const v = this.getValidator(ctx, d.validatorAddress);
      if (v === undefined) throw ErrLogic.wrap(`delegation to missing validator ${d.validatorAddress}`);
      if (v.status !== BondStatus.BOND_STATUS_BONDED || v.jailed) continue;
      total += tokensForShares(validatorTokens(v), validatorShares(v), decFromProto(d.shares));
    }
    return total;
  }

  /** Delegator addresses of a validator, in delegator-address byte order. PERF: O(its delegations). */
  delegatorsOf(ctx: Context, valoper: string): string[] {
    const p = keys.delegationsByValidator(valoperBytes(valoper));
    const out: string[] = [];
    for (const [k] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(addrString(copy(splitLengthPrefixed(k, p.length)[0] ?? new Uint8Array())));
    return out;
  }

  /**
   * Adds `amount` tokens from `from` (an account, or a pool when redelegating) to a validator and
   * credits the shares to the delegator. Returns the shares issued. Runs no hooks.
   */
  private addDelegation(ctx: Context, delegator: string, v: Validator, amount: bigint, from: { account: string } | { pool: string }): bigint {
    const tokens = validatorTokens(v);
    const shares = validatorShares(v);
    const issued = sharesForDeposit(tokens, shares, amount);
    const coins: Coin[] = [{ denom: this.bondDenom(ctx), amount }];
    const target = poolOf(v);
    if ("account" in from) this.bank.sendFromAccountToModule(ctx, from.account, target, coins);
    else if (from.pool !== target) this.bank.sendFromModuleToModule(ctx, from.pool, target, coins);
    this.writeValidator(ctx, v, { ...v, tokens: (tokens + amount).toString(), delegatorShares: decToProto(shares + issued) });
    const existing = this.getDelegation(ctx, delegator, v.operatorAddress);
    const before = existing === undefined ? 0n : decFromProto(existing.shares);
    this.setDelegation(ctx, { delegatorAddress: delegator, validatorAddress: v.operatorAddress, shares: decToProto(before + issued) });
    return issued;
  }

  /**
   * Removes `shares` from a delegation and the matching tokens from the validator (tokens stay in
   * the validator's pool; the caller moves them). Runs no hooks.
   */
  private removeShares(ctx: Context, delegator: string, v: Validator, shares: bigint): { amount: bigint; removed: boolean } {
    const d = this.getDelegation(ctx, delegator, v.operatorAddress);
    if (d === undefined) throw ErrNoDelegation.wrap(`${delegator} has no delegation to ${v.operatorAddress}`);
    const held = decFromProto(d.shares);
    if (held < shares) throw ErrNotEnoughDelegationShares.wrap(`delegation holds ${held} shares (×10^-18), ${shares} requested`);
    const remaining = held - shares;
    if (remaining === 0n) this.removeDelegation(ctx, delegator, v.operatorAddress);
    else this.setDelegation(ctx, { ...d, shares: decToProto(remaining) });

    const tokens = validatorTokens(v);
    const total = validatorShares(v);
    const left = total - shares;
    const amount = left === 0n ? tokens : tokensForShares(tokens, total, shares);
    const next: Validator = { ...v, tokens: (tokens - amount).toString(), delegatorShares: decToProto(left) };
    if (left === 0n && next.status === BondStatus.BOND_STATUS_UNBONDED) {
      this.writeValidator(ctx, v, next);
      this.removeValidator(ctx, next);
    } else {
      this.writeValidator(ctx, v, next);
    }
    return { amount, removed: remaining === 0n };
  }

  /** Shares to remove for `amount` tokens, as the SDK's ValidateUnbondAmount (capped at the delegation). */
  private sharesForWithdrawal(ctx: Context, delegator: string, v: Validator, amount: bigint): bigint {
    const d = this.getDelegation(ctx, delegator, v.operatorAddress);
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
    const v = this.mustGetValidator(ctx, valoper);
    const issued = this.addDelegation(ctx, delegator, v, amount, { account: delegator });
    this.fire(ctx, delegator, valoper, false);
    ctx.events.emit("delegate", [
      ["validator", valoper],
      ["delegator", delegator],
      ["amount", `${amount}${this.bondDenom(ctx)}`],
      ["new_shares", decToProto(issued)],
    ]);
    return issued;
  }

  /** Genesis import: the id the next unbonding or redelegation entry gets. */
  setNextUnbondingId(ctx: Context, id: bigint): void {
    ctx.kv(STAKING).set(keys.nextUnbondingId(), u64be(id));
  }

  private nextUnbondingId(ctx: Context): bigint {
    const kv = ctx.kv(STAKING);
    const raw = kv.get(keys.nextUnbondingId());
    const id = raw === undefined ? 1n : readU64be(raw);
    kv.set(keys.nextUnbondingId(), u64be(id + 1n));
    return id;
  }

  getUnbondingDelegation(ctx: Context, delegator: string, valoper: string): UnbondingDelegation | undefined {
    const raw = ctx.kv(STAKING).get(keys.unbonding(addrBytes(delegator), valoperBytes(valoper)));
    return raw === undefined ? undefined : UnbondingDelegation.decode(raw);
  }

  private setUnbondingDelegation(ctx: Context, u: UnbondingDelegation): void {
    const key = keys.unbonding(addrBytes(u.delegatorAddress), valoperBytes(u.validatorAddress));
    if (u.entries.length === 0) ctx.kv(STAKING).delete(key);
    else ctx.kv(STAKING).set(key, UnbondingDelegation.encode(u).finish());
  }

  /** Genesis import: stores an unbonding delegation and queues its entries. */
  importUnbondingDelegation(ctx: Context, u: UnbondingDelegation): void {
    this.setUnbondingDelegation(ctx, u);
    const del = addrBytes(u.delegatorAddress);
    const op = valoperBytes(u.validatorAddress);
    for (const e of u.entries) ctx.kv(STAKING).set(keys.unbondingQueue(e.completionTime, del, op), PRESENT);
  }

  unbondingDelegationsOf(ctx: Context, delegator: string): UnbondingDelegation[] {
    const p = keys.unbondingsOf(addrBytes(delegator));
    const out: UnbondingDelegation[] = [];
    for (const [, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(UnbondingDelegation.decode(v));
    return out;
  }

  allUnbondingDelegations(ctx: Context): UnbondingDelegation[] {
    const p = keys.unbondingPrefix();
    const out: UnbondingDelegation[] = [];
    for (const [, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(UnbondingDelegation.decode(v));
    return out;
  }

  /**
   * MsgUndelegate: removes the shares worth `amount`, moves the tokens to the not-bonded pool and
   * queues an entry that pays them back at block time + unbonding_time.
   */
  undelegate(ctx: Context, delegator: string, valoper: string, amount: bigint): { completionTime: Timestamp; amount: bigint } {
    if (amount <= 0n) throw ErrInvalidRequest.wrap(`undelegation amount must be positive, got ${amount}`);
    const params = this.params(ctx);
    const v = this.mustGetValidator(ctx, valoper);
    const existing = this.getUnbondingDelegation(ctx, delegator, valoper);
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
        unbondingId: this.nextUnbondingId(ctx),
        unbondingOnHoldRefCount: 0n,
      });
    }
    this.setUnbondingDelegation(ctx, { ...u, entries });
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

  // ---------------------------------------------------------------- redelegations

  getRedelegation(ctx: Context, delegator: string, src: string, dst: string): Redelegation | undefined {
    const raw = ctx.kv(STAKING).get(keys.redelegation(addrBytes(delegator), valoperBytes(src), valoperBytes(dst)));
    return raw === undefined ? undefined : Redelegation.decode(raw);
  }

  private setRedelegation(ctx: Context, r: Redelegation): void {
    const key = keys.redelegation(addrBytes(r.delegatorAddress), valoperBytes(r.validatorSrcAddress), valoperBytes(r.validatorDstAddress));
    if (r.entries.length === 0) ctx.kv(STAKING).delete(key);
    else ctx.kv(STAKING).set(key, Redelegation.encode(r).finish());
  }

  importRedelegation(ctx: Context, r: Redelegation): void {
    this.setRedelegation(ctx, r);
    const del = addrBytes(r.delegatorAddress);
    const src = valoperBytes(r.validatorSrcAddress);
    const dst = valoperBytes(r.validatorDstAddress);
    for (const e of r.entries) ctx.kv(STAKING).set(keys.redelegationQueue(e.completionTime, del, src, dst), PRESENT);
  }

  redelegationsOf(ctx: Context, delegator: string): Redelegation[] {
    const p = keys.redelegationsOf(addrBytes(delegator));
    const out: Redelegation[] = [];
    for (const [, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(Redelegation.decode(v));
    return out;
  }

  allRedelegations(ctx: Context): Redelegation[] {
    const p = keys.redelegationPrefix();
    const out: Redelegation[] = [];
    for (const [, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(Redelegation.decode(v));
    return out;
  }

  private hasReceivingRedelegation(ctx: Context, delegator: string, valoper: string): boolean {
    return this.redelegationsOf(ctx, delegator).some((r) => r.validatorDstAddress === valoper && r.entries.length > 0);
  }

  /**
   * MsgBeginRedelegate: moves shares worth `amount` from `src` to `dst` at once. The entry is kept
   * until the source's unbonding period ends (for queries and the transitive-redelegation rule).
   */
  beginRedelegate(ctx: Context, delegator: string, src: string, dst: string, amount: bigint): Timestamp {
    if (amount <= 0n) throw ErrInvalidRequest.wrap(`redelegation amount must be positive, got ${amount}`);
    if (src === dst) throw ErrSelfRedelegation.wrap(`source and destination are both ${src}`);
    const params = this.params(ctx);
    const srcV = this.mustGetValidator(ctx, src);
    if (this.getValidator(ctx, dst) === undefined) throw ErrBadRedelegationDst.wrap(`validator ${dst} does not exist`);
    if (this.hasReceivingRedelegation(ctx, delegator, src)) {
      throw ErrTransitiveRedelegation.wrap(`${delegator} has a redelegation into ${src} that has not completed`);
    }
    const existing = this.getRedelegation(ctx, delegator, src, dst);
    if (existing !== undefined && existing.entries.length >= params.maxEntries) {
      throw ErrMaxRedelegationEntries.wrap(`${existing.entries.length} entries are pending (max_entries ${params.maxEntries}); wait for one to complete`);
    }
    const shares = this.sharesForWithdrawal(ctx, delegator, srcV, amount);
    const { amount: moved, removed } = this.removeShares(ctx, delegator, srcV, shares);
    if (moved === 0n) throw ErrTinyRedelegationAmount.wrap();
    const dstV = this.mustGetValidator(ctx, dst);
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
          unbondingId: this.nextUnbondingId(ctx),
          unbondingOnHoldRefCount: 0n,
        },
      ];
      this.setRedelegation(ctx, r);
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

  // ---------------------------------------------------------------- pools and views for other modules

  poolBalance(ctx: Context, pool: string): bigint {
    return this.bank.getBalance(ctx, moduleAccountAddress(pool), this.bondDenom(ctx)).amount;
  }

  /** Tokens held by bonded validators (the bonded pool's balance). */
  totalBondedTokens(ctx: Context): bigint {
    return this.poolBalance(ctx, BONDED_POOL);
  }

  /** The bonded set (the validators whose power CometBFT has), in operator-address byte order. */
  bondedValidators(ctx: Context): BondedValidatorView[] {
    const out: BondedValidatorView[] = [];
    for (const { op } of this.lastPowers(ctx)) {
      const v = this.validatorByBytes(ctx, op);
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
    const p = keys.lastValidatorPowerPrefix();
    const out: { op: Uint8Array; power: bigint }[] = [];
    for (const [k, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) {
      out.push({ op: copy(splitLengthPrefixed(k, 1)[0] ?? new Uint8Array()), power: readU64be(v) });
    }
    return out;
  }

  lastTotalPower(ctx: Context): bigint {
    const raw = ctx.kv(STAKING).get(keys.lastTotalPower());
    return raw === undefined ? 0n : readU64be(raw);
  }

  /** Genesis import of an exported set: the last powers CometBFT already has. */
  importLastPowers(ctx: Context, powers: readonly { operator: string; power: bigint }[], total: bigint): ValidatorUpdate[] {
    const kv = ctx.kv(STAKING);
    const updates: ValidatorUpdate[] = [];
    for (const p of powers) {
      const v = this.mustGetValidator(ctx, p.operator);
      kv.set(keys.lastValidatorPower(valoperBytes(p.operator)), u64be(p.power));
      updates.push({ pubKey: { ed25519: validatorPubkey(v) }, power: p.power });
    }
    kv.set(keys.lastTotalPower(), u64be(total));
    kv.delete(keys.powerDirty());
    return updates;
  }

  // ---------------------------------------------------------------- end block

  /** Completes matured unbondings and redelegations, matures unbonding validators, then returns the set changes. */
  endBlock(ctx: Context): ValidatorUpdate[] {
    this.completeUnbondings(ctx);
    this.completeRedelegations(ctx);
    this.completeUnbondingValidators(ctx);
    return this.applyValidatorSetUpdates(ctx);
  }

  private matured(ctx: Context, kind: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const [k] of ctx.kv(STAKING).iterate(Uint8Array.of(kind), keys.queueEnd(kind, ctx.block.time))) out.push(copy(k));
    return out;
  }

  private completeUnbondings(ctx: Context): void {
    const kv = ctx.kv(STAKING);
    const now = ctx.block.time;
    const denom = this.bondDenom(ctx);
    for (const key of this.matured(ctx, KEY.unbondingQueue)) {
      kv.delete(key);
      const [del, op] = splitLengthPrefixed(key, 13);
      if (del === undefined || op === undefined) throw ErrLogic.wrap("malformed unbonding queue key");
      const delegator = addrString(del);
      const valoper = valoperString(op);
      const u = this.getUnbondingDelegation(ctx, delegator, valoper);
      if (u === undefined) continue;
      const keep = u.entries.filter((e) => compareTime(e.completionTime, now) > 0);
      const done = u.entries.filter((e) => compareTime(e.completionTime, now) <= 0);
      this.setUnbondingDelegation(ctx, { ...u, entries: keep });
      for (const e of done) {
        const amount = BigInt(e.balance);
        if (amount > 0n) this.bank.sendFromModuleToAccount(ctx, NOT_BONDED_POOL, delegator, [{ denom, amount }]);
        for (const h of this.hooks) h.afterUnbondingCompleted?.(ctx, delegator, valoper, amount);
        ctx.events.emit("complete_unbonding", [
          ["amount", `${amount}${denom}`],
          ["validator", valoper],
          ["delegator", delegator],
        ]);
      }
    }
  }

  private completeRedelegations(ctx: Context): void {
    const kv = ctx.kv(STAKING);
    const now = ctx.block.time;
    for (const key of this.matured(ctx, KEY.redelegationQueue)) {
      kv.delete(key);
      const [del, src, dst] = splitLengthPrefixed(key, 13);
      if (del === undefined || src === undefined || dst === undefined) throw ErrLogic.wrap("malformed redelegation queue key");
      const r = this.getRedelegation(ctx, addrString(del), valoperString(src), valoperString(dst));
      if (r === undefined) continue;
      const keep = r.entries.filter((e) => compareTime(e.completionTime, now) > 0);
      if (keep.length === r.entries.length) continue;
      this.setRedelegation(ctx, { ...r, entries: keep });
      ctx.events.emit("complete_redelegation", [
        ["delegator", r.delegatorAddress],
        ["source_validator", r.validatorSrcAddress],
        ["destination_validator", r.validatorDstAddress],
      ]);
    }
  }

  private completeUnbondingValidators(ctx: Context): void {
    const kv = ctx.kv(STAKING);
    for (const key of this.matured(ctx, KEY.validatorQueue)) {
      kv.delete(key);
      const [op] = splitLengthPrefixed(key, 13);
      if (op === undefined) throw ErrLogic.wrap("malformed validator queue key");
      const v = this.validatorByBytes(ctx, op);
      if (v === undefined || v.status !== BondStatus.BOND_STATUS_UNBONDING) continue;
      const next: Validator = { ...v, status: BondStatus.BOND_STATUS_UNBONDED };
      this.writeValidator(ctx, v, next);
      if (validatorShares(next) === 0n) this.removeValidator(ctx, next);
    }
  }

  private bondValidator(ctx: Context, v: Validator): Validator {
    const tokens = validatorTokens(v);
    if (tokens > 0n) this.bank.sendFromModuleToModule(ctx, NOT_BONDED_POOL, BONDED_POOL, [{ denom: this.bondDenom(ctx), amount: tokens }]);
    if (v.status === BondStatus.BOND_STATUS_UNBONDING) ctx.kv(STAKING).delete(keys.validatorQueue(v.unbondingTime, valoperBytes(v.operatorAddress)));
    const next: Validator = { ...v, status: BondStatus.BOND_STATUS_BONDED };
    this.writeValidator(ctx, v, next);
    for (const h of this.hooks) h.afterValidatorBonded?.(ctx, v.operatorAddress);
    return next;
  }

  private beginUnbondingValidator(ctx: Context, v: Validator): void {
    const tokens = validatorTokens(v);
    if (tokens > 0n) this.bank.sendFromModuleToModule(ctx, BONDED_POOL, NOT_BONDED_POOL, [{ denom: this.bondDenom(ctx), amount: tokens }]);
    const unbondingTime = addDuration(ctx.block.time, this.params(ctx).unbondingTime);
    const next: Validator = { ...v, status: BondStatus.BOND_STATUS_UNBONDING, unbondingTime, unbondingHeight: ctx.block.height };
    this.writeValidator(ctx, v, next);
    ctx.kv(STAKING).set(keys.validatorQueue(unbondingTime, valoperBytes(v.operatorAddress)), PRESENT);
    for (const h of this.hooks) h.afterValidatorBeginUnbonding?.(ctx, v.operatorAddress);
  }

  /**
   * Recomputes the bonded set (top max_validators by power; ties by lower operator address) if the
   * power index changed since the last call, and returns the changes for CometBFT: new power for
   * validators that entered or changed, 0 for those that left. With `genesis`, also unbonds any
   * validator marked bonded that did not make the set.
   */
  applyValidatorSetUpdates(ctx: Context, genesis = false): ValidatorUpdate[] {
    const kv = ctx.kv(STAKING);
    if (!genesis && !kv.has(keys.powerDirty())) return [];
    kv.delete(keys.powerDirty());
    const max = this.params(ctx).maxValidators;
    const last = new Map<string, { op: Uint8Array; power: bigint }>();
    for (const entry of this.lastPowers(ctx)) last.set(toHex(entry.op), entry);

    const top: Uint8Array[] = [];
    const p = keys.validatorByPowerPrefix();
    for (const [, op] of kv.iterate(p, prefixEnd(p), true)) {
      if (top.length >= max) break;
      top.push(copy(op));
    }
    const updates: ValidatorUpdate[] = [];
    const inSet = new Set<string>();
    let total = 0n;
    for (const op of top) {
      let v = this.validatorByBytes(ctx, op);
      if (v === undefined) throw ErrLogic.wrap(`power index points at missing validator ${valoperString(op)}`);
      const power = consensusPower(validatorTokens(v));
      if (v.status !== BondStatus.BOND_STATUS_BONDED) v = this.bondValidator(ctx, v);
      const hex = toHex(op);
      inSet.add(hex);
      if (last.get(hex)?.power !== power) {
        updates.push({ pubKey: { ed25519: validatorPubkey(v) }, power });
        kv.set(keys.lastValidatorPower(op), u64be(power));
      }
      last.delete(hex);
      total += power;
    }
    for (const { op } of last.values()) {
      const v = this.validatorByBytes(ctx, op);
      if (v === undefined) throw ErrLogic.wrap(`bonded validator ${valoperString(op)} is missing`);
      if (v.status === BondStatus.BOND_STATUS_BONDED) this.beginUnbondingValidator(ctx, v);
      kv.delete(keys.lastValidatorPower(op));
      updates.push({ pubKey: { ed25519: validatorPubkey(v) }, power: 0n });
    }
    if (genesis) {
      for (const v of this.allValidators(ctx)) {
        if (v.status === BondStatus.BOND_STATUS_BONDED && !inSet.has(toHex(valoperBytes(v.operatorAddress)))) this.beginUnbondingValidator(ctx, v);
      }
    }
    kv.set(keys.lastTotalPower(), u64be(total));
    return updates;
  }
}
