import { BondStatus, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { addrString } from "../auth/keeper";
import type { BankForStaking } from "./expected";
import type { Context } from "../../baseapp/context";
import { toHex, u64be } from "../../baseapp/encoding";
import { ErrLogic } from "../../baseapp/errors";
import { prefixEnd } from "../../baseapp/store/prefix";
import { KEY, STAKING, keys, splitLengthPrefixed } from "./keys";
import { addDuration, compareTime } from "./time";
import type { StakingHooks } from "./keeper";
import {
  allValidators,
  BONDED_POOL,
  bondDenom,
  copy,
  getRedelegation,
  getUnbondingDelegation,
  lastPowers,
  params,
  consensusAddress,
  setRedelegation,
  setUnbondingDelegation,
  validatorByBytes,
  validatorPubkey,
  valoperBytes,
  valoperString,
  NOT_BONDED_POOL,
  PRESENT,
  writeValidator,
} from "./records";
import * as records from "./records";
import { consensusPower, validatorShares, validatorTokens } from "./shares";

// ---------------------------------------------------------------- end block
//
// x/staking's EndBlock: matured unbonding and redelegation entries, matured unbonding validators,
// then the validator-set update sent to CometBFT. The keeper passes its bank keeper and hooks.

/** Completes matured unbondings and redelegations, matures unbonding validators, then returns the set changes. */
export function endBlock(ctx: Context, bank: BankForStaking, hooks: readonly StakingHooks[]): ValidatorUpdate[] {
  completeUnbondings(ctx, bank, hooks);
  completeRedelegations(ctx);
  completeUnbondingValidators(ctx, hooks);
  return applyValidatorSetUpdates(ctx, bank, hooks);
}

function matured(ctx: Context, kind: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const [k] of ctx.kv(STAKING).iterate(Uint8Array.of(kind), keys.queueEnd(kind, ctx.block.time))) out.push(copy(k));
  return out;
}

function completeUnbondings(ctx: Context, bank: BankForStaking, hooks: readonly StakingHooks[]): void {
  const kv = ctx.kv(STAKING);
  const now = ctx.block.time;
  const denom = bondDenom(ctx);
  for (const key of matured(ctx, KEY.unbondingQueue)) {
    kv.delete(key);
    const [del, op] = splitLengthPrefixed(key, 13);
    if (del === undefined || op === undefined) throw ErrLogic.wrap("malformed unbonding queue key");
    const delegator = addrString(del);
    const valoper = valoperString(op);
    const u = getUnbondingDelegation(ctx, delegator, valoper);
    if (u === undefined) continue;
    const keep = u.entries.filter((e) => compareTime(e.completionTime, now) > 0);
    const done = u.entries.filter((e) => compareTime(e.completionTime, now) <= 0);
    setUnbondingDelegation(ctx, { ...u, entries: keep });
    for (const e of done) {
      const amount = BigInt(e.balance);
      if (amount > 0n) bank.sendFromModuleToAccount(ctx, NOT_BONDED_POOL, delegator, [{ denom, amount }]);
      for (const h of hooks) h.afterUnbondingCompleted?.(ctx, delegator, valoper, amount);
      ctx.events.emit("complete_unbonding", [
        ["amount", `${amount}${denom}`],
        ["validator", valoper],
        ["delegator", delegator],
      ]);
    }
  }
}

function completeRedelegations(ctx: Context): void {
  const kv = ctx.kv(STAKING);
  const now = ctx.block.time;
  for (const key of matured(ctx, KEY.redelegationQueue)) {
    kv.delete(key);
    const [del, src, dst] = splitLengthPrefixed(key, 13);
    if (del === undefined || src === undefined || dst === undefined) throw ErrLogic.wrap("malformed redelegation queue key");
    const r = getRedelegation(ctx, addrString(del), valoperString(src), valoperString(dst));
    if (r === undefined) continue;
    const keep = r.entries.filter((e) => compareTime(e.completionTime, now) > 0);
    if (keep.length === r.entries.length) continue;
    setRedelegation(ctx, { ...r, entries: keep });
    ctx.events.emit("complete_redelegation", [
      ["delegator", r.delegatorAddress],
      ["source_validator", r.validatorSrcAddress],
      ["destination_validator", r.validatorDstAddress],
    ]);
  }
}

function completeUnbondingValidators(ctx: Context, hooks: readonly StakingHooks[]): void {
  const kv = ctx.kv(STAKING);
  for (const key of matured(ctx, KEY.validatorQueue)) {
    kv.delete(key);
    const [op] = splitLengthPrefixed(key, 13);
    if (op === undefined) throw ErrLogic.wrap("malformed validator queue key");
    const v = validatorByBytes(ctx, op);
    if (v === undefined || v.status !== BondStatus.BOND_STATUS_UNBONDING) continue;
    const next: Validator = { ...v, status: BondStatus.BOND_STATUS_UNBONDED };
    writeValidator(ctx, v, next);
    if (validatorShares(next) === 0n) removeValidator(ctx, hooks, next);
  }
}

/** Deletes a validator (unbonded, no shares left) and its indexes, then runs afterValidatorRemoved. */
export function removeValidator(ctx: Context, hooks: readonly StakingHooks[], v: Validator): void {
  const cons = consensusAddress(validatorPubkey(v));
  records.removeValidator(ctx, v);
  for (const h of hooks) h.afterValidatorRemoved?.(ctx, cons, v.operatorAddress);
}

function bondValidator(ctx: Context, bank: BankForStaking, hooks: readonly StakingHooks[], v: Validator): Validator {
  const tokens = validatorTokens(v);
  if (tokens > 0n) bank.sendFromModuleToModule(ctx, NOT_BONDED_POOL, BONDED_POOL, [{ denom: bondDenom(ctx), amount: tokens }]);
  if (v.status === BondStatus.BOND_STATUS_UNBONDING) ctx.kv(STAKING).delete(keys.validatorQueue(v.unbondingTime, valoperBytes(v.operatorAddress)));
  const next: Validator = { ...v, status: BondStatus.BOND_STATUS_BONDED };
  writeValidator(ctx, v, next);
  for (const h of hooks) h.afterValidatorBonded?.(ctx, v.operatorAddress);
  return next;
}

function beginUnbondingValidator(ctx: Context, bank: BankForStaking, hooks: readonly StakingHooks[], v: Validator): void {
  const tokens = validatorTokens(v);
  if (tokens > 0n) bank.sendFromModuleToModule(ctx, BONDED_POOL, NOT_BONDED_POOL, [{ denom: bondDenom(ctx), amount: tokens }]);
  const unbondingTime = addDuration(ctx.block.time, params(ctx).unbondingTime);
  const next: Validator = { ...v, status: BondStatus.BOND_STATUS_UNBONDING, unbondingTime, unbondingHeight: ctx.block.height };
  writeValidator(ctx, v, next);
  ctx.kv(STAKING).set(keys.validatorQueue(unbondingTime, valoperBytes(v.operatorAddress)), PRESENT);
  for (const h of hooks) h.afterValidatorBeginUnbonding?.(ctx, v.operatorAddress);
}

/**
 * Recomputes the bonded set (top max_validators by power; ties by lower operator address) if the
 * power index changed since the last call, and returns the changes for CometBFT: new power for
 * validators that entered or changed, 0 for those that left. With `genesis`, also unbonds any
 * validator marked bonded that did not make the set.
 */
export function applyValidatorSetUpdates(ctx: Context, bank: BankForStaking, hooks: readonly StakingHooks[], genesis = false): ValidatorUpdate[] {
  const kv = ctx.kv(STAKING);
  if (!genesis && !kv.has(keys.powerDirty())) return [];
  kv.delete(keys.powerDirty());
  const max = params(ctx).maxValidators;
  const last = new Map<string, { op: Uint8Array; power: bigint }>();
  for (const entry of lastPowers(ctx)) last.set(toHex(entry.op), entry);

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
    let v = validatorByBytes(ctx, op);
    if (v === undefined) throw ErrLogic.wrap(`power index points at missing validator ${valoperString(op)}`);
    const power = consensusPower(validatorTokens(v));
    if (v.status !== BondStatus.BOND_STATUS_BONDED) v = bondValidator(ctx, bank, hooks, v);
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
    const v = validatorByBytes(ctx, op);
    if (v === undefined) throw ErrLogic.wrap(`bonded validator ${valoperString(op)} is missing`);
    if (v.status === BondStatus.BOND_STATUS_BONDED) beginUnbondingValidator(ctx, bank, hooks, v);
    kv.delete(keys.lastValidatorPower(op));
    updates.push({ pubKey: { ed25519: validatorPubkey(v) }, power: 0n });
  }
  if (genesis) {
    for (const v of allValidators(ctx)) {
      if (v.status === BondStatus.BOND_STATUS_BONDED && !inSet.has(toHex(valoperBytes(v.operatorAddress)))) beginUnbondingValidator(ctx, bank, hooks, v);
    }
  }
  kv.set(keys.lastTotalPower(), u64be(total));
  return updates;
}
