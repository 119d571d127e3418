/**
 * Parties and the dependents registry: register (deposit locked in the `coord_deposits` module
 * account), update (a new key bumps key_epoch; changed dependencies move dependencies_height),
 * withdraw (tombstone, deposit back). Keys are unique among non-withdrawn parties (0x11); the
 * dependency index (0x12) holds the current dependencies of non-withdrawn parties under their
 * matcher selector.
 */
import { addrBytes } from "../../auth/keeper";
import type { Context } from "../../../baseapp/context";
import { bytesEqual } from "../../../baseapp/encoding";
import type { Component, Party, PartyKind } from "../../../generated/coord/v1/types";
import { emitCoord } from "../events";
import { ErrAlreadyRegistered, ErrInsufficientFunds, ErrKeyInUse, ErrMemberParty, ErrPartyNotFound, ErrTooManyDependencies } from "../errors";
import { DEPOSITS_MODULE, keys } from "../keys";
import { indexSelector } from "../match";
import type { CoordKeeper } from "./keeper";

export interface PartyFields {
  readonly owner: string;
  readonly kind: PartyKind;
  readonly name: string;
  readonly contact: string;
  readonly encryptionKey: Uint8Array;
  /** Canonical (validate.ts canonicalDependencies). */
  readonly dependencies: readonly Component[];
}

const PRESENT = new Uint8Array();

/** Adds (or removes) a party's dependencies to (from) the 0x12 index. */
export function indexDependencies(ctx: Context, k: CoordKeeper, p: Party, present: boolean): void {
  const kv = k.kv(ctx);
  const addr = addrBytes(p.address);
  for (const d of p.dependencies) {
    const s = indexSelector(d);
    const key = keys.depIndex(s.kind, s.name, addr);
    if (present) kv.set(key, PRESENT);
    else kv.delete(key);
  }
}

function requireDependencyCap(ctx: Context, k: CoordKeeper, deps: readonly Component[]): void {
  const max = k.params(ctx).maxDependencies;
  if (deps.length > max) throw ErrTooManyDependencies.wrap(`${deps.length} dependencies declared; params.max_dependencies is ${max}`);
}

function requireKeyFree(ctx: Context, k: CoordKeeper, key: Uint8Array, owner: string): void {
  const holder = k.keyOwner(ctx, key);
  if (holder !== undefined && holder !== owner) {
    throw ErrKeyInUse.wrap(`this encryption key is already registered by ${holder}; every party needs its own key (\`dcertd keys add-encryption\`)`);
  }
}

function sameDependencies(a: readonly Component[], b: readonly Component[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((d, i) => {
    const e = b[i];
    return e !== undefined && d.kind === e.kind && d.name === e.name && d.versions === e.versions;
  });
}

/** MsgRegisterParty. A withdrawn party may register again (new record, key_epoch continues). */
export function registerParty(ctx: Context, k: CoordKeeper, f: PartyFields): Party {
  k.requireEnabled(ctx, "registering a party");
  const old = k.getParty(ctx, f.owner);
  if (old !== undefined && old.withdrawnHeight === 0n) {
    throw ErrAlreadyRegistered.wrap(`${f.owner} is already registered (since height ${old.registeredHeight}); use MsgUpdateParty to change it`);
  }
  requireDependencyCap(ctx, k, f.dependencies);
  requireKeyFree(ctx, k, f.encryptionKey, f.owner);
  const deposit = k.params(ctx).partyDeposit ?? { denom: "", amount: "0" };
  const amount = BigInt(deposit.amount);
  if (amount > 0n) {
    const have = k.deps.bank.getBalance(ctx, f.owner, deposit.denom).amount;
    if (have < amount) {
      throw ErrInsufficientFunds.wrap(`registering a party locks a deposit of ${amount}${deposit.denom} (returned at withdrawal); ${f.owner} has ${have}${deposit.denom}`);
    }
    k.deps.bank.sendFromAccountToModule(ctx, f.owner, DEPOSITS_MODULE, [{ denom: deposit.denom, amount }]);
  }
  const p: Party = {
    address: f.owner,
    kind: f.kind,
    name: f.name,
    contact: f.contact,
    encryptionKey: Buffer.from(f.encryptionKey),
    keyEpoch: (old?.keyEpoch ?? 0) + 1,
    deposit: { denom: deposit.denom, amount: amount.toString() },
    dependencies: [...f.dependencies],
    registeredHeight: ctx.block.height,
    dependenciesHeight: ctx.block.height,
    withdrawnHeight: 0n,
  };
  k.setParty(ctx, p);
  k.setKeyOwner(ctx, p.encryptionKey, p.address);
  indexDependencies(ctx, k, p, true);
  emitCoord(ctx, "EventPartyRegistered", { party: p.address, kind: p.kind, name: p.name, keyEpoch: p.keyEpoch });
  return p;
}

/** MsgUpdateParty: replaces every field; a new key bumps key_epoch (old notices keep their epoch). */
export function updateParty(ctx: Context, k: CoordKeeper, f: PartyFields): Party {
  k.requireEnabled(ctx, "updating a party");
  const old = k.getParty(ctx, f.owner);
  if (old === undefined || old.withdrawnHeight !== 0n) {
    throw ErrPartyNotFound.wrap(`${f.owner} has no registered party record${old === undefined ? "" : ` (withdrawn at height ${old.withdrawnHeight})`}; register with MsgRegisterParty`);
  }
  requireDependencyCap(ctx, k, f.dependencies);
  const keyChanged = !bytesEqual(old.encryptionKey, f.encryptionKey);
  if (keyChanged) {
    requireKeyFree(ctx, k, f.encryptionKey, f.owner);
    k.deleteKeyOwner(ctx, old.encryptionKey);
    k.setKeyOwner(ctx, f.encryptionKey, f.owner);
  }
  const depsChanged = !sameDependencies(old.dependencies, f.dependencies);
  if (depsChanged) indexDependencies(ctx, k, old, false);
  const p: Party = {
    ...old,
    kind: f.kind,
    name: f.name,
    contact: f.contact,
    encryptionKey: Buffer.from(f.encryptionKey),
    keyEpoch: keyChanged ? old.keyEpoch + 1 : old.keyEpoch,
    dependencies: [...f.dependencies],
    dependenciesHeight: depsChanged ? ctx.block.height : old.dependenciesHeight,
  };
  k.setParty(ctx, p);
  if (depsChanged) indexDependencies(ctx, k, p, true);
  emitCoord(ctx, "EventPartyUpdated", { party: p.address, keyEpoch: p.keyEpoch, dependenciesChanged: depsChanged });
  return p;
}

/**
 * MsgWithdrawParty: the record stays as a tombstone (no notices accepted, out of the index, key
 * free again), the deposit goes back. Active members keep theirs (they need the key to act).
 * Allowed while coordination is disabled, so a deposit is never trapped.
 */
export function withdrawParty(ctx: Context, k: CoordKeeper, owner: string): Party {
  const old = k.getParty(ctx, owner);
  if (old === undefined || old.withdrawnHeight !== 0n) throw ErrPartyNotFound.wrap(`${owner} has no registered party record to withdraw`);
  if (k.deps.dcert.isActiveMember(ctx, owner)) {
    throw ErrMemberParty.wrap(`${owner} is an active dCERT member and needs its party record (its encryption key) to coordinate; leave the group first`);
  }
  const amount = BigInt(old.deposit?.amount ?? "0");
  if (amount > 0n && old.deposit !== undefined) k.deps.bank.sendFromModuleToAccount(ctx, DEPOSITS_MODULE, owner, [{ denom: old.deposit.denom, amount }]);
  indexDependencies(ctx, k, old, false);
  k.deleteKeyOwner(ctx, old.encryptionKey);
  // The tombstone keeps the deposit it had (for the record); only non-withdrawn deposits are held.
  const p: Party = { ...old, withdrawnHeight: ctx.block.height };
  k.setParty(ctx, p);
  emitCoord(ctx, "EventPartyWithdrawn", { party: owner });
  return p;
}
