import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import {
  BondStatus,
  Delegation,
  HistoricalInfo,
  Params,
  Redelegation,
  UnbondingDelegation,
  Validator,
} from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { Header } from "cosmjs-types/tendermint/types/types";
import { addrBytes, addrString } from "../auth/keeper";
import type { Context } from "../../baseapp/context";
import { readU64be, toHex, u64be } from "../../baseapp/encoding";
import { ErrLogic } from "../../baseapp/errors";
import { prefixEnd } from "../../baseapp/store/prefix";
import { decodeAddress, encodeAddress } from "../../baseapp/tx/address";
import { BoundedMemo, DecodeMemo } from "../../baseapp/perf";
import { BECH32_PREFIX_VALOPER } from "../../baseapp/tx/constants";
import { sha256 } from "../../baseapp/tx/hash";
import { ErrNoValidatorFound, ErrValidatorOwnerExists, ErrValidatorPubKeyExists } from "./errors";
import { STAKING, keys, splitLengthPrefixed } from "./keys";
import { defaultStakingParams } from "./params";
import { consensusPower, validatorTokens } from "./shares";

/** Module accounts holding the tokens of bonded validators and of everything else (unbonded validators, unbonding entries). */
export const BONDED_POOL = "bonded_tokens_pool";
export const NOT_BONDED_POOL = "not_bonded_tokens_pool";
export const ED25519_PUBKEY_TYPE_URL = "/cosmos.crypto.ed25519.PubKey";

/** Value of the index and queue entries, whose key is all they hold. */
export const PRESENT = Uint8Array.of(1);

// ---------------------------------------------------------------- addresses

export function valoperBytes(valoper: string): Uint8Array {
  return valoperMemo.get(valoper);
}

/** PERF: bech32 decoding of operator addresses, memoised like accounts' (auth's addrBytes); shared, never mutated. */
const valoperMemo = new BoundedMemo((valoper: string) => decodeAddress(valoper, BECH32_PREFIX_VALOPER), 10_000);

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

export function validatorPubkey(v: Validator): Uint8Array {
  const any = v.consensusPubkey;
  if (any?.typeUrl !== ED25519_PUBKEY_TYPE_URL) throw ErrLogic.wrap(`validator ${v.operatorAddress} has no ed25519 consensus key`);
  return Ed25519PubKey.decode(any.value).key;
}

/** The pool holding a validator's tokens. */
export function poolOf(v: Validator): string {
  return v.status === BondStatus.BOND_STATUS_BONDED ? BONDED_POOL : NOT_BONDED_POOL;
}

export function copy(b: Uint8Array): Uint8Array {
  return b.slice();
}

// ---------------------------------------------------------------- store records
//
// Reads and writes of x/staking's records: params, validators (with their consensus-key and power
// indexes), delegations, unbonding delegations, redelegations (with their queues) and the last
// validator powers. No bank transfers and no hooks: those are the keeper's (keeper.ts, abci.ts).

export function params(ctx: Context): Params {
  const raw = ctx.kv(STAKING).get(keys.params());
  return raw === undefined ? defaultStakingParams() : Params.decode(raw);
}

export function setParams(ctx: Context, p: Params): void {
  const before = ctx.kv(STAKING).get(keys.params());
  ctx.kv(STAKING).set(keys.params(), Params.encode(p).finish());
  // max_validators may have changed: recompute the set at the end of the block.
  if (before === undefined || Params.decode(before).maxValidators !== p.maxValidators) markPowerDirty(ctx);
}

export function bondDenom(ctx: Context): string {
  return params(ctx).bondDenom;
}

/** Unbonding time in whole seconds (dCERT bonds reuse it). */
export function unbondingTime(ctx: Context): bigint {
  return params(ctx).unbondingTime.seconds;
}

export function getValidator(ctx: Context, valoper: string): Validator | undefined {
  return validatorByBytes(ctx, valoperBytes(valoper));
}

export function validatorByBytes(ctx: Context, op: Uint8Array): Validator | undefined {
  const raw = ctx.kv(STAKING).get(keys.validator(op));
  if (raw === undefined) return undefined;
  return decodedValidators.get(raw);
}

// PERF: every dCERT vote counts its voter's bonded stake, which reads each delegation's validator;
// decoded validators are memoised by the identity of their stored bytes (frozen, shared).
const decodedValidators = new DecodeMemo<Validator>((raw) => Validator.decode(raw));

export function mustGetValidator(ctx: Context, valoper: string): Validator {
  const v = getValidator(ctx, valoper);
  if (v === undefined) throw ErrNoValidatorFound.wrap(`validator ${valoper} does not exist; check the operator address (dcertvaloper1…)`);
  return v;
}

/** All validators in operator-address byte order. */
export function allValidators(ctx: Context): Validator[] {
  const out: Validator[] = [];
  const p = keys.validatorPrefix();
  for (const [, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(Validator.decode(v));
  return out;
}

export function getValidatorByConsAddr(ctx: Context, consAddr: Uint8Array): Validator | undefined {
  const op = ctx.kv(STAKING).get(keys.validatorByConsAddr(consAddr));
  return op === undefined ? undefined : validatorByBytes(ctx, op);
}

export function markPowerDirty(ctx: Context): void {
  ctx.kv(STAKING).set(keys.powerDirty(), PRESENT);
}

/** Power a validator has in the power index: its consensus power, 0 while jailed (the SDK keeps jailed validators out of the index). */
export function indexedPower(v: Validator): bigint {
  return v.jailed ? 0n : consensusPower(validatorTokens(v));
}

/** Writes a validator, keeping the power index (and the dirty flag) in step with its tokens and jailing. */
export function writeValidator(ctx: Context, prev: Validator | undefined, next: Validator): void {
  const kv = ctx.kv(STAKING);
  const op = valoperBytes(next.operatorAddress);
  const before = prev === undefined ? 0n : indexedPower(prev);
  const after = indexedPower(next);
  if (before !== after) {
    if (before > 0n) kv.delete(keys.validatorByPower(before, op));
    if (after > 0n) kv.set(keys.validatorByPower(after, op), copy(op));
    markPowerDirty(ctx);
  }
  kv.set(keys.validator(op), Validator.encode(next).finish());
}

/** Genesis import: stores a validator with its consensus-key and power indexes. */
export function importValidator(ctx: Context, v: Validator): void {
  const kv = ctx.kv(STAKING);
  const cons = consensusAddress(validatorPubkey(v));
  if (kv.has(keys.validatorByConsAddr(cons))) {
    throw ErrValidatorPubKeyExists.wrap(`consensus key of ${v.operatorAddress} is already used by another validator`);
  }
  if (getValidator(ctx, v.operatorAddress) !== undefined) throw ErrValidatorOwnerExists.wrap(v.operatorAddress);
  kv.set(keys.validatorByConsAddr(cons), valoperBytes(v.operatorAddress));
  writeValidator(ctx, undefined, v);
  if (v.status === BondStatus.BOND_STATUS_UNBONDING) {
    kv.set(keys.validatorQueue(v.unbondingTime, valoperBytes(v.operatorAddress)), PRESENT);
  }
}

export function removeValidator(ctx: Context, v: Validator): void {
  const kv = ctx.kv(STAKING);
  const op = valoperBytes(v.operatorAddress);
  const power = indexedPower(v);
  if (power > 0n) kv.delete(keys.validatorByPower(power, op));
  kv.delete(keys.validatorByConsAddr(consensusAddress(validatorPubkey(v))));
  if (v.status === BondStatus.BOND_STATUS_UNBONDING) kv.delete(keys.validatorQueue(v.unbondingTime, op));
  kv.delete(keys.validator(op));
  ctx.events.emit("remove_validator", [["validator", v.operatorAddress]]);
}

export function getDelegation(ctx: Context, delegator: string, valoper: string): Delegation | undefined {
  const raw = ctx.kv(STAKING).get(keys.delegation(addrBytes(delegator), valoperBytes(valoper)));
  return raw === undefined ? undefined : Delegation.decode(raw);
}

export function setDelegation(ctx: Context, d: Delegation): void {
  const kv = ctx.kv(STAKING);
  const del = addrBytes(d.delegatorAddress);
  const op = valoperBytes(d.validatorAddress);
  kv.set(keys.delegation(del, op), Delegation.encode(d).finish());
  kv.set(keys.delegationByValidator(op, del), PRESENT);
}

export function removeDelegation(ctx: Context, delegator: string, valoper: string): void {
  const kv = ctx.kv(STAKING);
  const del = addrBytes(delegator);
  const op = valoperBytes(valoper);
  kv.delete(keys.delegation(del, op));
  kv.delete(keys.delegationByValidator(op, del));
}

/** Delegations of a delegator, in validator-address byte order. */
export function delegationsOfRaw(ctx: Context, delegator: string): Delegation[] {
  const p = keys.delegationsOf(addrBytes(delegator));
  const out: Delegation[] = [];
  for (const [, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(Delegation.decode(v));
  return out;
}

/** Delegations to a validator, in delegator-address byte order. */
export function validatorDelegations(ctx: Context, valoper: string): Delegation[] {
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
export function allDelegations(ctx: Context): Delegation[] {
  const p = keys.delegationPrefix();
  const out: Delegation[] = [];
  for (const [, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(Delegation.decode(v));
  return out;
}

/** Delegator addresses of a validator, in delegator-address byte order. PERF: O(its delegations). */
export function delegatorsOf(ctx: Context, valoper: string): string[] {
  const p = keys.delegationsByValidator(valoperBytes(valoper));
  const out: string[] = [];
  for (const [k] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(addrString(copy(splitLengthPrefixed(k, p.length)[0] ?? new Uint8Array())));
  return out;
}

/** Genesis import: the id the next unbonding or redelegation entry gets. */
export function setNextUnbondingId(ctx: Context, id: bigint): void {
  ctx.kv(STAKING).set(keys.nextUnbondingId(), u64be(id));
}

export function nextUnbondingId(ctx: Context): bigint {
  const kv = ctx.kv(STAKING);
  const raw = kv.get(keys.nextUnbondingId());
  const id = raw === undefined ? 1n : readU64be(raw);
  kv.set(keys.nextUnbondingId(), u64be(id + 1n));
  return id;
}

export function getUnbondingDelegation(ctx: Context, delegator: string, valoper: string): UnbondingDelegation | undefined {
  const raw = ctx.kv(STAKING).get(keys.unbonding(addrBytes(delegator), valoperBytes(valoper)));
  return raw === undefined ? undefined : UnbondingDelegation.decode(raw);
}

export function setUnbondingDelegation(ctx: Context, u: UnbondingDelegation): void {
  const del = addrBytes(u.delegatorAddress);
  const op = valoperBytes(u.validatorAddress);
  const key = keys.unbonding(del, op);
  if (u.entries.length === 0) {
    ctx.kv(STAKING).delete(key);
    ctx.kv(STAKING).delete(keys.unbondingByValidator(op, del));
  } else {
    ctx.kv(STAKING).set(key, UnbondingDelegation.encode(u).finish());
    ctx.kv(STAKING).set(keys.unbondingByValidator(op, del), PRESENT);
  }
}

/** Unbonding delegations from a validator, in delegator-address byte order. */
export function validatorUnbondingDelegations(ctx: Context, valoper: string): UnbondingDelegation[] {
  const op = valoperBytes(valoper);
  const p = keys.unbondingsByValidator(op);
  const dels: Uint8Array[] = [];
  for (const [k] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) dels.push(copy(splitLengthPrefixed(k, p.length)[0] ?? new Uint8Array()));
  const out: UnbondingDelegation[] = [];
  for (const del of dels) {
    const raw = ctx.kv(STAKING).get(keys.unbonding(del, op));
    if (raw !== undefined) out.push(UnbondingDelegation.decode(raw));
  }
  return out;
}

/** Genesis import: stores an unbonding delegation and queues its entries. */
export function importUnbondingDelegation(ctx: Context, u: UnbondingDelegation): void {
  setUnbondingDelegation(ctx, u);
  const del = addrBytes(u.delegatorAddress);
  const op = valoperBytes(u.validatorAddress);
  for (const e of u.entries) ctx.kv(STAKING).set(keys.unbondingQueue(e.completionTime, del, op), PRESENT);
}

export function unbondingDelegationsOf(ctx: Context, delegator: string): UnbondingDelegation[] {
  const p = keys.unbondingsOf(addrBytes(delegator));
  const out: UnbondingDelegation[] = [];
  for (const [, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(UnbondingDelegation.decode(v));
  return out;
}

export function allUnbondingDelegations(ctx: Context): UnbondingDelegation[] {
  const p = keys.unbondingPrefix();
  const out: UnbondingDelegation[] = [];
  for (const [, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(UnbondingDelegation.decode(v));
  return out;
}

export function getRedelegation(ctx: Context, delegator: string, src: string, dst: string): Redelegation | undefined {
  const raw = ctx.kv(STAKING).get(keys.redelegation(addrBytes(delegator), valoperBytes(src), valoperBytes(dst)));
  return raw === undefined ? undefined : Redelegation.decode(raw);
}

export function setRedelegation(ctx: Context, r: Redelegation): void {
  const del = addrBytes(r.delegatorAddress);
  const src = valoperBytes(r.validatorSrcAddress);
  const dst = valoperBytes(r.validatorDstAddress);
  const key = keys.redelegation(del, src, dst);
  if (r.entries.length === 0) {
    ctx.kv(STAKING).delete(key);
    ctx.kv(STAKING).delete(keys.redelegationBySrc(src, del, dst));
  } else {
    ctx.kv(STAKING).set(key, Redelegation.encode(r).finish());
    ctx.kv(STAKING).set(keys.redelegationBySrc(src, del, dst), PRESENT);
  }
}

/** Redelegations out of a validator, in (delegator, destination) byte order. */
export function redelegationsFromValidator(ctx: Context, src: string): Redelegation[] {
  const srcB = valoperBytes(src);
  const p = keys.redelegationsBySrc(srcB);
  const pairs: [Uint8Array, Uint8Array][] = [];
  for (const [k] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) {
    const [del, dst] = splitLengthPrefixed(k, p.length);
    if (del === undefined || dst === undefined) throw ErrLogic.wrap("malformed redelegation index key");
    pairs.push([copy(del), copy(dst)]);
  }
  const out: Redelegation[] = [];
  for (const [del, dst] of pairs) {
    const raw = ctx.kv(STAKING).get(keys.redelegation(del, srcB, dst));
    if (raw !== undefined) out.push(Redelegation.decode(raw));
  }
  return out;
}

export function importRedelegation(ctx: Context, r: Redelegation): void {
  setRedelegation(ctx, r);
  const del = addrBytes(r.delegatorAddress);
  const src = valoperBytes(r.validatorSrcAddress);
  const dst = valoperBytes(r.validatorDstAddress);
  for (const e of r.entries) ctx.kv(STAKING).set(keys.redelegationQueue(e.completionTime, del, src, dst), PRESENT);
}

export function redelegationsOf(ctx: Context, delegator: string): Redelegation[] {
  const p = keys.redelegationsOf(addrBytes(delegator));
  const out: Redelegation[] = [];
  for (const [, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(Redelegation.decode(v));
  return out;
}

export function allRedelegations(ctx: Context): Redelegation[] {
  const p = keys.redelegationPrefix();
  const out: Redelegation[] = [];
  for (const [, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) out.push(Redelegation.decode(v));
  return out;
}

export function hasReceivingRedelegation(ctx: Context, delegator: string, valoper: string): boolean {
  return redelegationsOf(ctx, delegator).some((r) => r.validatorDstAddress === valoper && r.entries.length > 0);
}

/**
 * Writes the unbonding-by-validator (0x35) and redelegation-by-source (0x36) index entry of every
 * stored unbonding delegation and redelegation; returns how many of each. Idempotent. The indexes
 * are kept by setUnbondingDelegation/setRedelegation (genesis import included); this fills them
 * for records written before they existed (the upgrade that ships them runs it; README "Migrations").
 */
export function rebuildValidatorIndexes(ctx: Context): { unbondings: number; redelegations: number } {
  const kv = ctx.kv(STAKING);
  const unbondings = allUnbondingDelegations(ctx);
  for (const u of unbondings) kv.set(keys.unbondingByValidator(valoperBytes(u.validatorAddress), addrBytes(u.delegatorAddress)), PRESENT);
  const redelegations = allRedelegations(ctx);
  for (const r of redelegations) {
    kv.set(keys.redelegationBySrc(valoperBytes(r.validatorSrcAddress), addrBytes(r.delegatorAddress), valoperBytes(r.validatorDstAddress)), PRESENT);
  }
  return { unbondings: unbondings.length, redelegations: redelegations.length };
}

/** Last powers sent to CometBFT, in operator-address byte order. */
export function lastPowers(ctx: Context): { op: Uint8Array; power: bigint }[] {
  const p = keys.lastValidatorPowerPrefix();
  const out: { op: Uint8Array; power: bigint }[] = [];
  for (const [k, v] of ctx.kv(STAKING).iterate(p, prefixEnd(p))) {
    out.push({ op: copy(splitLengthPrefixed(k, 1)[0] ?? new Uint8Array()), power: readU64be(v) });
  }
  return out;
}

export function lastTotalPower(ctx: Context): bigint {
  const raw = ctx.kv(STAKING).get(keys.lastTotalPower());
  return raw === undefined ? 0n : readU64be(raw);
}

/** Genesis import of an exported set: the last powers CometBFT already has. */
export function importLastPowers(ctx: Context, powers: readonly { operator: string; power: bigint }[], total: bigint): ValidatorUpdate[] {
  const kv = ctx.kv(STAKING);
  const updates: ValidatorUpdate[] = [];
  for (const p of powers) {
    const v = mustGetValidator(ctx, p.operator);
    kv.set(keys.lastValidatorPower(valoperBytes(p.operator)), u64be(p.power));
    updates.push({ pubKey: { ed25519: validatorPubkey(v) }, power: p.power });
  }
  kv.set(keys.lastTotalPower(), u64be(total));
  kv.delete(keys.powerDirty());
  return updates;
}

// ---------------------------------------------------------------- historical info (the SDK's TrackHistoricalInfo)

/**
 * The bonded set as the SDK's GetLastValidators (the validators of the last powers, at most
 * max_validators), sorted as CometBFT sorts a validator set: consensus power descending, then
 * consensus address ascending.
 */
export function lastValidatorsByPower(ctx: Context): Validator[] {
  const max = params(ctx).maxValidators;
  const out: { v: Validator; power: bigint; cons: string }[] = [];
  for (const { op } of lastPowers(ctx)) {
    if (out.length >= max) break;
    const v = validatorByBytes(ctx, op);
    if (v === undefined) throw ErrLogic.wrap(`bonded validator ${valoperString(op)} is missing`);
    if (v.status !== BondStatus.BOND_STATUS_BONDED) throw ErrLogic.wrap(`validator ${v.operatorAddress} has a last power but is not bonded`);
    out.push({ v, power: consensusPower(validatorTokens(v)), cons: toHex(consensusAddress(validatorPubkey(v))) });
  }
  out.sort((a, b) => (a.power !== b.power ? (a.power > b.power ? -1 : 1) : a.cons < b.cons ? -1 : a.cons > b.cons ? 1 : 0));
  return out.map((x) => x.v);
}

/**
 * BeginBlock: deletes every entry at a height ≤ height − historical_entries, then (unless
 * historical_entries is 0) stores this block's header (chain id, height, time, proposer: what the
 * app knows of it) and the bonded set at `0x50 ‖ height`.
 */
export function trackHistoricalInfo(ctx: Context): void {
  const kv = ctx.kv(STAKING);
  const entries = BigInt(params(ctx).historicalEntries);
  const height = ctx.block.height;
  const lastPruned = height - entries;
  if (lastPruned >= 0n) {
    const stale: Uint8Array[] = [];
    for (const [k] of kv.iterate(keys.historicalInfoPrefix(), keys.historicalInfo(lastPruned + 1n))) stale.push(copy(k));
    for (const k of stale) kv.delete(k);
  }
  if (entries === 0n) return;
  const header = Header.fromPartial({
    chainId: ctx.block.chainId,
    height,
    time: ctx.block.time,
    proposerAddress: ctx.block.proposer,
  });
  kv.set(keys.historicalInfo(height), HistoricalInfo.encode({ header, valset: lastValidatorsByPower(ctx) }).finish());
}

export function getHistoricalInfo(ctx: Context, height: bigint): HistoricalInfo | undefined {
  if (height < 0n) return undefined;
  const raw = ctx.kv(STAKING).get(keys.historicalInfo(height));
  return raw === undefined ? undefined : HistoricalInfo.decode(raw);
}
