/**
 * Typed access to every dCERT record (the layout is in keys.ts). No rules here: the keeper decides
 * what to write; this file only turns records into bytes and back.
 */
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { addrBytes, addrString } from "../../auth/keeper";
import type { Context } from "../../../baseapp/context";
import { encodeReusing, fromUtf8, readU64be, u64be, utf8 } from "../../../baseapp/encoding";
import { DecodeMemo, deepFreeze, LastValueMemo } from "../../../baseapp/perf";
import { prefixEnd } from "../../../baseapp/store/prefix";
import type { KVStore } from "../../../baseapp/store/types";
import type { Acceptance, QueueEntry, VoteEntry, VoterRecord } from "../electionator";
import { Params } from "../../../generated/dcert/v1/params";
import {
  Acceptance as AcceptanceMsg,
  Barred,
  BrokenRoute,
  Candidate as CandidateMsg,
  DisbandProposal,
  ElectionMeta,
  GroupState,
  GroupStatus,
  Member as MemberMsg,
  PendingVote,
  QueueEntry as QueueEntryMsg,
  Suspension,
  SuspensionVote,
  UnbondingEntry,
  VoterRecord as VoterRecordMsg,
} from "../../../generated/dcert/v1/types";
import { ErrInvalidState } from "../errors";
import { DCERT_STORE, KEY, keys, splitLengthPrefixed } from "../keys";
import { type DcertParams, defaultDcertParams, paramsFromProto, paramsToProto } from "./params";

const PRESENT = new Uint8Array();

function amountOf(raw: Uint8Array | undefined): bigint {
  return raw === undefined ? 0n : BigInt(fromUtf8(raw));
}

function copy(b: Uint8Array): Uint8Array {
  return b.slice();
}

export function voterRecordToProto(r: VoterRecord): VoterRecordMsg {
  return {
    voter: r.voter,
    power: r.power.toString(),
    entries: r.entries.map((e) => ({ candidate: e.candidate, share: e.share.toString(), contribution: e.contribution.toString() })),
  };
}

export function voterRecordFromProto(m: VoterRecordMsg): VoterRecord {
  return {
    voter: m.voter,
    power: BigInt(m.power),
    entries: m.entries.map((e) => ({ candidate: e.candidate, share: BigInt(e.share), contribution: BigInt(e.contribution) })),
  };
}

function acceptanceFrom(m: AcceptanceMsg | undefined): Acceptance {
  return { height: m?.height ?? 0n, index: m?.index ?? 0 };
}

export interface ElectionMetaView {
  readonly lastSequence: bigint;
  readonly maxMembers: number;
  readonly stabilizationPeriod: bigint;
  readonly maxVoteEntries: number;
}

export interface BondView {
  readonly staker: string;
  readonly member: string;
  readonly amount: bigint;
}

/**
 * PERF: pending votes' entries by the identity of their stored bytes; the writer remembers what
 * it encoded: EndBlock reads every vote of the block back, and decoding 16 entries again cost
 * more than the rest of reading it.
 */
const decodedPending = new DecodeMemo<readonly VoteEntry[]>((raw) => PendingVote.decode(raw).entries.map((e) => ({ candidate: e.candidate, share: BigInt(e.share) })));

export class DcertRecords {
  /**
   * PERF: the params as last decoded, while their stored bytes stay the same: every MsgVote reads
   * them (max_vote_entries), and decoding and validating them each time cost about a thirtieth of
   * executing the vote. Frozen, since callers share the value.
   */
  private readonly paramsMemo = new LastValueMemo((raw: Uint8Array): DcertParams => {
    const p = paramsFromProto(Params.decode(raw));
    deepFreeze(p);
    return p;
  });

  kv(ctx: Context): KVStore {
    return ctx.kv(DCERT_STORE);
  }

  private *scan(ctx: Context, prefix: Uint8Array): IterableIterator<[Uint8Array, Uint8Array]> {
    yield* this.kv(ctx).iterate(prefix, prefixEnd(prefix));
  }

  /** Deletes every key under `prefix` (collected first). */
  private deletePrefix(ctx: Context, prefix: Uint8Array): void {
    const ks: Uint8Array[] = [];
    for (const [k] of this.scan(ctx, prefix)) ks.push(copy(k));
    for (const k of ks) this.kv(ctx).delete(k);
  }

  /** Addresses of the length-prefixed keys `prefixByte | lp(addr)`, in key order. */
  private addressesUnder(ctx: Context, prefixByte: number): string[] {
    const out: string[] = [];
    for (const [k] of this.scan(ctx, keys.prefix(prefixByte))) out.push(addrString(copy(splitLengthPrefixed(k, 1)[0] ?? new Uint8Array())));
    return out;
  }

  // ------------------------------------------------------------------ params and group

  params(ctx: Context): DcertParams {
    const raw = this.kv(ctx).get(keys.single(KEY.params));
    return raw === undefined ? defaultDcertParams() : this.paramsMemo.get(raw);
  }

  setParams(ctx: Context, p: DcertParams): void {
    this.kv(ctx).set(keys.single(KEY.params), Params.encode(paramsToProto(p)).finish());
  }

  group(ctx: Context): GroupState {
    const raw = this.kv(ctx).get(keys.single(KEY.group));
    if (raw === undefined) return { status: GroupStatus.GROUP_STATUS_ACTIVE, description: undefined, statusHeight: 0n };
    return GroupState.decode(raw);
  }

  setGroup(ctx: Context, g: GroupState): void {
    this.kv(ctx).set(keys.single(KEY.group), GroupState.encode(g).finish());
  }

  /** The next acceptance order in this block (height, then a per-block counter). */
  nextAcceptance(ctx: Context): Acceptance {
    const store = this.kv(ctx);
    const raw = store.get(keys.single(KEY.acceptCounter));
    const prev = raw === undefined ? undefined : AcceptanceMsg.decode(raw);
    const height = ctx.block.height;
    const index = prev !== undefined && prev.height === height ? prev.index : 0;
    store.set(keys.single(KEY.acceptCounter), AcceptanceMsg.encode({ height, index: index + 1 }).finish());
    return { height, index };
  }

  peekNextUnbondingId(ctx: Context): bigint {
    const raw = this.kv(ctx).get(keys.single(KEY.nextUnbondingId));
    return raw === undefined ? 1n : readU64be(raw);
  }

  setNextUnbondingId(ctx: Context, id: bigint): void {
    this.kv(ctx).set(keys.single(KEY.nextUnbondingId), u64be(id));
  }

  takeUnbondingId(ctx: Context): bigint {
    const id = this.peekNextUnbondingId(ctx);
    this.setNextUnbondingId(ctx, id + 1n);
    return id;
  }

  setRecheckAll(ctx: Context): void {
    this.kv(ctx).set(keys.single(KEY.recheckAll), Uint8Array.of(1));
  }

  /** Reads and clears the recheck-all flag. */
  takeRecheckAll(ctx: Context): boolean {
    const store = this.kv(ctx);
    if (!store.has(keys.single(KEY.recheckAll))) return false;
    store.delete(keys.single(KEY.recheckAll));
    return true;
  }

  // ------------------------------------------------------------------ votes

  /**
   * Stores `voter`'s vote until EndBlock. Returns its entries in wire form (shares as decimal
   * strings), which the caller may reuse (the vote's event carries the same).
   */
  setPendingVote(ctx: Context, voter: string, entries: readonly VoteEntry[]): PendingVote["entries"] {
    const msg: PendingVote = { entries: entries.map((e) => ({ candidate: e.candidate, share: e.share.toString() })) };
    const raw = encodeReusing(PendingVote, msg);
    // Frozen here, entry by entry: cheaper than DecodeMemo's generic deep freeze, which then stops
    // at the frozen array.
    decodedPending.remember(raw, Object.freeze(entries.map((e) => Object.freeze({ candidate: e.candidate, share: e.share }))));
    this.kv(ctx).set(keys.pendingVote(addrBytes(voter)), raw);
    return msg.entries;
  }

  getPendingVote(ctx: Context, voter: string): readonly VoteEntry[] | undefined {
    const raw = this.kv(ctx).get(keys.pendingVote(addrBytes(voter)));
    if (raw === undefined) return undefined;
    return decodedPending.get(raw);
  }

  pendingVoters(ctx: Context): string[] {
    return this.addressesUnder(ctx, KEY.pendingVote);
  }

  deletePendingVote(ctx: Context, voter: string): void {
    this.kv(ctx).delete(keys.pendingVote(addrBytes(voter)));
  }

  markVoterDirty(ctx: Context, voter: string): void {
    this.kv(ctx).set(keys.dirtyVoter(addrBytes(voter)), PRESENT);
  }

  dirtyVoters(ctx: Context): string[] {
    return this.addressesUnder(ctx, KEY.dirtyVoter);
  }

  clearDirtyVoter(ctx: Context, voter: string): void {
    this.kv(ctx).delete(keys.dirtyVoter(addrBytes(voter)));
  }

  hasVote(ctx: Context, voter: string): boolean {
    return this.kv(ctx).has(keys.vote(addrBytes(voter)));
  }

  getVote(ctx: Context, voter: string): VoterRecord | undefined {
    const raw = this.kv(ctx).get(keys.vote(addrBytes(voter)));
    return raw === undefined ? undefined : voterRecordFromProto(VoterRecordMsg.decode(raw));
  }

  setVote(ctx: Context, r: VoterRecord): void {
    this.kv(ctx).set(keys.vote(addrBytes(r.voter)), encodeReusing(VoterRecordMsg, voterRecordToProto(r)));
  }

  deleteVote(ctx: Context, voter: string): void {
    this.kv(ctx).delete(keys.vote(addrBytes(voter)));
  }

  *allVotes(ctx: Context): IterableIterator<VoterRecord> {
    for (const [, v] of this.scan(ctx, keys.prefix(KEY.vote))) yield voterRecordFromProto(VoterRecordMsg.decode(v));
  }

  tally(ctx: Context, addr: string): bigint {
    return amountOf(this.kv(ctx).get(keys.tally(addrBytes(addr))));
  }

  setTally(ctx: Context, addr: string, t: bigint): void {
    if (t === 0n) this.kv(ctx).delete(keys.tally(addrBytes(addr)));
    else this.kv(ctx).set(keys.tally(addrBytes(addr)), utf8(t.toString()));
  }

  *allTallies(ctx: Context): IterableIterator<[string, bigint]> {
    for (const [k, v] of this.scan(ctx, keys.prefix(KEY.tally))) {
      yield [addrString(copy(splitLengthPrefixed(k, 1)[0] ?? new Uint8Array())), amountOf(v)];
    }
  }

  // ------------------------------------------------------------------ candidates and eligibility

  getCandidate(ctx: Context, addr: string): Acceptance | undefined {
    const raw = this.kv(ctx).get(keys.candidate(addrBytes(addr)));
    return raw === undefined ? undefined : acceptanceFrom(CandidateMsg.decode(raw).acceptance);
  }

  setCandidate(ctx: Context, addr: string, acceptance: Acceptance): void {
    this.kv(ctx).set(keys.candidate(addrBytes(addr)), CandidateMsg.encode({ address: addr, acceptance }).finish());
  }

  deleteCandidate(ctx: Context, addr: string): void {
    this.kv(ctx).delete(keys.candidate(addrBytes(addr)));
  }

  *allCandidates(ctx: Context): IterableIterator<{ address: string; acceptance: Acceptance }> {
    for (const [, v] of this.scan(ctx, keys.prefix(KEY.candidate))) {
      const c = CandidateMsg.decode(v);
      yield { address: c.address, acceptance: acceptanceFrom(c.acceptance) };
    }
  }

  /** `hint` is a KickReason to report if the address turns out ineligible (0: work it out). */
  markCandidateDirty(ctx: Context, addr: string, hint = 0): void {
    const key = keys.dirtyCandidate(addrBytes(addr));
    const prev = this.kv(ctx).get(key);
    // A specific hint is kept over a later generic mark in the same block.
    if (hint === 0 && prev !== undefined && (prev[0] ?? 0) !== 0) return;
    this.kv(ctx).set(key, Uint8Array.of(hint));
  }

  dirtyCandidates(ctx: Context): { address: string; hint: number }[] {
    const out: { address: string; hint: number }[] = [];
    for (const [k, v] of this.scan(ctx, keys.prefix(KEY.dirtyCandidate))) {
      out.push({ address: addrString(copy(splitLengthPrefixed(k, 1)[0] ?? new Uint8Array())), hint: v[0] ?? 0 });
    }
    return out;
  }

  clearDirtyCandidates(ctx: Context): void {
    this.deletePrefix(ctx, keys.prefix(KEY.dirtyCandidate));
  }

  getEligible(ctx: Context, addr: string): Acceptance | undefined {
    const raw = this.kv(ctx).get(keys.eligible(addrBytes(addr)));
    return raw === undefined ? undefined : acceptanceFrom(AcceptanceMsg.decode(raw));
  }

  setEligible(ctx: Context, addr: string, a: Acceptance | undefined): void {
    const key = keys.eligible(addrBytes(addr));
    if (a === undefined) this.kv(ctx).delete(key);
    else this.kv(ctx).set(key, AcceptanceMsg.encode({ height: a.height, index: a.index }).finish());
  }

  *allEligible(ctx: Context): IterableIterator<{ address: string; acceptance: Acceptance }> {
    for (const [k, v] of this.scan(ctx, keys.prefix(KEY.eligible))) {
      yield { address: addrString(copy(splitLengthPrefixed(k, 1)[0] ?? new Uint8Array())), acceptance: acceptanceFrom(AcceptanceMsg.decode(v)) };
    }
  }

  setRank(ctx: Context, key: Uint8Array, present: boolean): void {
    if (present) this.kv(ctx).set(key, PRESENT);
    else this.kv(ctx).delete(key);
  }

  // ------------------------------------------------------------------ members, queue, meta

  memberSequence(ctx: Context, addr: string): bigint | undefined {
    const raw = this.kv(ctx).get(keys.member(addrBytes(addr)));
    return raw === undefined ? undefined : MemberMsg.decode(raw).sequence;
  }

  setMember(ctx: Context, addr: string, sequence: bigint | undefined): void {
    const key = keys.member(addrBytes(addr));
    if (sequence === undefined) this.kv(ctx).delete(key);
    else this.kv(ctx).set(key, MemberMsg.encode({ address: addr, sequence }).finish());
  }

  /** Members in address-byte order. PERF: O(members). */
  members(ctx: Context): { address: string; sequence: bigint }[] {
    const out: { address: string; sequence: bigint }[] = [];
    for (const [, v] of this.scan(ctx, keys.prefix(KEY.member))) {
      const m = MemberMsg.decode(v);
      out.push({ address: m.address, sequence: m.sequence });
    }
    return out;
  }

  setQueueEntry(ctx: Context, e: QueueEntry): void {
    this.kv(ctx).set(keys.queue(addrBytes(e.challenger)), QueueEntryMsg.encode(e).finish());
  }

  deleteQueueEntry(ctx: Context, challenger: string): void {
    this.kv(ctx).delete(keys.queue(addrBytes(challenger)));
  }

  /** Queue entries in the engine's order: maturity, then challenger address. PERF: O(q log q), q ≤ max_members. */
  queue(ctx: Context): QueueEntry[] {
    const out: QueueEntry[] = [];
    for (const [, v] of this.scan(ctx, keys.prefix(KEY.queue))) out.push(QueueEntryMsg.decode(v));
    return out.sort((a, b) =>
      a.maturesAt !== b.maturesAt ? (a.maturesAt < b.maturesAt ? -1 : 1) : a.challenger < b.challenger ? -1 : a.challenger > b.challenger ? 1 : 0,
    );
  }

  getQueueEntry(ctx: Context, challenger: string): QueueEntry | undefined {
    const raw = this.kv(ctx).get(keys.queue(addrBytes(challenger)));
    return raw === undefined ? undefined : QueueEntryMsg.decode(raw);
  }

  meta(ctx: Context): ElectionMetaView | undefined {
    const raw = this.kv(ctx).get(keys.single(KEY.meta));
    return raw === undefined ? undefined : ElectionMeta.decode(raw);
  }

  setMeta(ctx: Context, m: ElectionMetaView): void {
    this.kv(ctx).set(keys.single(KEY.meta), ElectionMeta.encode({ ...m }).finish());
  }

  // ------------------------------------------------------------------ bonds

  bond(ctx: Context, member: string, staker: string): bigint {
    return amountOf(this.kv(ctx).get(keys.bond(addrBytes(member), addrBytes(staker))));
  }

  /** Sets one (member, staker) bond and keeps the member's total and the staker index in step. */
  setBond(ctx: Context, member: string, staker: string, amount: bigint): void {
    const store = this.kv(ctx);
    const m = addrBytes(member);
    const s = addrBytes(staker);
    const before = this.bond(ctx, member, staker);
    if (amount === 0n) {
      store.delete(keys.bond(m, s));
      store.delete(keys.bondByStaker(s, m));
    } else {
      store.set(keys.bond(m, s), utf8(amount.toString()));
      store.set(keys.bondByStaker(s, m), PRESENT);
    }
    const total = this.bondTotal(ctx, member) - before + amount;
    if (total < 0n) throw ErrInvalidState.wrap(`bond total of ${member} would be negative`);
    if (total === 0n) store.delete(keys.bondTotal(m));
    else store.set(keys.bondTotal(m), utf8(total.toString()));
  }

  bondTotal(ctx: Context, member: string): bigint {
    return amountOf(this.kv(ctx).get(keys.bondTotal(addrBytes(member))));
  }

  /** Bonds for a member, in staker-address byte order. */
  bondsOfMember(ctx: Context, member: string): BondView[] {
    const prefix = keys.bondsOf(addrBytes(member));
    const out: BondView[] = [];
    for (const [k, v] of this.scan(ctx, prefix)) {
      const [s] = splitLengthPrefixed(k, prefix.length);
      out.push({ member, staker: addrString(copy(s ?? new Uint8Array())), amount: amountOf(v) });
    }
    return out;
  }

  *allBonds(ctx: Context): IterableIterator<BondView> {
    for (const [k, v] of this.scan(ctx, keys.prefix(KEY.bond))) {
      const [m, s] = splitLengthPrefixed(k, 1);
      yield { member: addrString(copy(m ?? new Uint8Array())), staker: addrString(copy(s ?? new Uint8Array())), amount: amountOf(v) };
    }
  }

  hasAnyBondOrUnbonding(ctx: Context): boolean {
    for (const _ of this.scan(ctx, keys.prefix(KEY.bond))) return true;
    for (const _ of this.scan(ctx, keys.prefix(KEY.unbonding))) return true;
    return false;
  }

  // ------------------------------------------------------------------ unbonding entries

  getUnbonding(ctx: Context, id: bigint): UnbondingEntry | undefined {
    const raw = this.kv(ctx).get(keys.unbonding(id));
    return raw === undefined ? undefined : UnbondingEntry.decode(raw);
  }

  /** Stores an entry with its queue and member/staker indexes (the time and addresses never change). */
  putUnbonding(ctx: Context, e: UnbondingEntry, isNew: boolean): void {
    const store = this.kv(ctx);
    store.set(keys.unbonding(e.id), UnbondingEntry.encode(e).finish());
    if (!isNew) return;
    const m = addrBytes(e.member);
    const s = addrBytes(e.staker);
    store.set(keys.unbondingQueue(completionOf(e), e.id), PRESENT);
    store.set(keys.unbondingByMember(m, s, e.id), PRESENT);
    store.set(keys.unbondingByStaker(s, e.id), PRESENT);
  }

  deleteUnbonding(ctx: Context, e: UnbondingEntry): void {
    const store = this.kv(ctx);
    const m = addrBytes(e.member);
    const s = addrBytes(e.staker);
    store.delete(keys.unbonding(e.id));
    store.delete(keys.unbondingQueue(completionOf(e), e.id));
    store.delete(keys.unbondingByMember(m, s, e.id));
    store.delete(keys.unbondingByStaker(s, e.id));
  }

  private idsUnder(ctx: Context, prefix: Uint8Array): bigint[] {
    const out: bigint[] = [];
    for (const [k] of this.scan(ctx, prefix)) out.push(readU64be(k, k.length - 8));
    return out;
  }

  unbondingsOfMember(ctx: Context, member: string): UnbondingEntry[] {
    return this.entries(ctx, this.idsUnder(ctx, keys.unbondingsOfMember(addrBytes(member))));
  }

  unbondingCountOfPair(ctx: Context, member: string, staker: string): number {
    return this.idsUnder(ctx, keys.unbondingsOfPair(addrBytes(member), addrBytes(staker))).length;
  }

  private entries(ctx: Context, ids: readonly bigint[]): UnbondingEntry[] {
    const out: UnbondingEntry[] = [];
    for (const id of ids) {
      const e = this.getUnbonding(ctx, id);
      if (e === undefined) throw ErrInvalidState.wrap(`unbonding index points at missing entry ${id}`);
      out.push(e);
    }
    return out;
  }

  /** Entries whose completion time is ≤ `now`, in completion order. PERF: O(matured). */
  maturedUnbondings(ctx: Context, now: Timestamp): UnbondingEntry[] {
    const ids: bigint[] = [];
    for (const [k] of this.kv(ctx).iterate(keys.prefix(KEY.unbondingQueue), keys.unbondingQueueEnd(now))) ids.push(readU64be(k, k.length - 8));
    return this.entries(ctx, ids);
  }

  *allUnbondings(ctx: Context): IterableIterator<UnbondingEntry> {
    for (const [, v] of this.scan(ctx, keys.prefix(KEY.unbonding))) yield UnbondingEntry.decode(v);
  }

  // ------------------------------------------------------------------ suspension

  getSuspension(ctx: Context, member: string): Suspension | undefined {
    const raw = this.kv(ctx).get(keys.suspension(addrBytes(member)));
    return raw === undefined ? undefined : Suspension.decode(raw);
  }

  setSuspension(ctx: Context, s: Suspension): void {
    this.kv(ctx).set(keys.suspension(addrBytes(s.member)), Suspension.encode(s).finish());
  }

  deleteSuspension(ctx: Context, member: string): void {
    this.kv(ctx).delete(keys.suspension(addrBytes(member)));
  }

  *allSuspensions(ctx: Context): IterableIterator<Suspension> {
    for (const [, v] of this.scan(ctx, keys.prefix(KEY.suspension))) yield Suspension.decode(v);
  }

  hasSuspensionVote(ctx: Context, target: string, voter: string): boolean {
    return this.kv(ctx).has(keys.suspensionVote(addrBytes(target), addrBytes(voter)));
  }

  setSuspensionVote(ctx: Context, v: SuspensionVote): void {
    const target = addrBytes(v.target);
    const voter = addrBytes(v.voter);
    this.kv(ctx).set(keys.suspensionVote(target, voter), SuspensionVote.encode(v).finish());
    this.kv(ctx).set(keys.suspensionVoteByVoter(voter, target), PRESENT);
  }

  suspensionVotesAgainst(ctx: Context, target: string): SuspensionVote[] {
    const out: SuspensionVote[] = [];
    for (const [, v] of this.scan(ctx, keys.suspensionVotesOf(addrBytes(target)))) out.push(SuspensionVote.decode(v));
    return out;
  }

  /** Deletes every vote against `target` (and its by-voter index entries). */
  clearSuspensionVotesAgainst(ctx: Context, target: string): void {
    const t = addrBytes(target);
    for (const v of this.suspensionVotesAgainst(ctx, target)) this.kv(ctx).delete(keys.suspensionVoteByVoter(addrBytes(v.voter), t));
    this.deletePrefix(ctx, keys.suspensionVotesOf(t));
  }

  /** Targets `voter` voted to suspend, in target-address byte order. */
  suspensionTargetsOf(ctx: Context, voter: string): string[] {
    const prefix = keys.suspensionVotesBy(addrBytes(voter));
    const out: string[] = [];
    for (const [k] of this.scan(ctx, prefix)) out.push(addrString(copy(splitLengthPrefixed(k, prefix.length)[0] ?? new Uint8Array())));
    return out;
  }

  /** Deletes every vote `voter` cast (it left or lost its seat). */
  clearSuspensionVotesBy(ctx: Context, voter: string): void {
    const v = addrBytes(voter);
    for (const target of this.suspensionTargetsOf(ctx, voter)) this.kv(ctx).delete(keys.suspensionVote(addrBytes(target), v));
    this.deletePrefix(ctx, keys.suspensionVotesBy(v));
  }

  /** Addresses with at least one suspension vote against them, in key order. */
  suspensionTargets(ctx: Context): string[] {
    const out: string[] = [];
    let last: string | undefined;
    for (const [k] of this.scan(ctx, keys.prefix(KEY.suspensionVote))) {
      const t = addrString(copy(splitLengthPrefixed(k, 1)[0] ?? new Uint8Array()));
      if (t !== last) out.push(t);
      last = t;
    }
    return out;
  }

  // ------------------------------------------------------------------ barred

  getBarred(ctx: Context, member: string): Barred | undefined {
    const raw = this.kv(ctx).get(keys.barred(addrBytes(member)));
    return raw === undefined ? undefined : Barred.decode(raw);
  }

  setBarred(ctx: Context, b: Barred): void {
    this.kv(ctx).set(keys.barred(addrBytes(b.member)), Barred.encode(b).finish());
  }

  deleteBarred(ctx: Context, member: string): void {
    this.kv(ctx).delete(keys.barred(addrBytes(member)));
  }

  *allBarred(ctx: Context): IterableIterator<Barred> {
    for (const [, v] of this.scan(ctx, keys.prefix(KEY.barred))) yield Barred.decode(v);
  }

  *allSuspensionVotes(ctx: Context): IterableIterator<SuspensionVote> {
    for (const [, v] of this.scan(ctx, keys.prefix(KEY.suspensionVote))) yield SuspensionVote.decode(v);
  }

  // ------------------------------------------------------------------ disband, stipend, broken routes

  getDisbandProposal(ctx: Context, id: bigint): DisbandProposal | undefined {
    const raw = this.kv(ctx).get(keys.disbandProposal(id));
    return raw === undefined ? undefined : DisbandProposal.decode(raw);
  }

  setDisbandProposal(ctx: Context, p: DisbandProposal): void {
    this.kv(ctx).set(keys.disbandProposal(p.proposalId), DisbandProposal.encode(p).finish());
  }

  deleteDisbandProposal(ctx: Context, id: bigint): void {
    this.kv(ctx).delete(keys.disbandProposal(id));
  }

  hasDisbandProposal(ctx: Context): boolean {
    for (const _ of this.scan(ctx, keys.prefix(KEY.disbandProposal))) return true;
    return false;
  }

  disbandProposals(ctx: Context): DisbandProposal[] {
    const out: DisbandProposal[] = [];
    for (const [, v] of this.scan(ctx, keys.prefix(KEY.disbandProposal))) out.push(DisbandProposal.decode(v));
    return out;
  }

  addDisbandExposure(ctx: Context, proposalId: bigint, address: string): void {
    this.kv(ctx).set(keys.disbandExposure(proposalId, addrBytes(address)), PRESENT);
  }

  /** Addresses exposed to one proposal's disband slash, in address-byte order. */
  disbandExposure(ctx: Context, proposalId: bigint): string[] {
    const prefix = keys.disbandExposuresOf(proposalId);
    const out: string[] = [];
    for (const [k] of this.scan(ctx, prefix)) out.push(addrString(copy(splitLengthPrefixed(k, prefix.length)[0] ?? new Uint8Array())));
    return out;
  }

  clearDisbandExposure(ctx: Context, proposalId: bigint): void {
    this.deletePrefix(ctx, keys.disbandExposuresOf(proposalId));
  }

  /** Every (proposal, address) exposure, in key order (proposal id, then address bytes). */
  *allDisbandExposures(ctx: Context): IterableIterator<{ proposalId: bigint; address: string }> {
    for (const [k] of this.scan(ctx, keys.prefix(KEY.disbandExposure))) {
      yield { proposalId: readU64be(k, 1), address: addrString(copy(splitLengthPrefixed(k, 9)[0] ?? new Uint8Array())) };
    }
  }

  stipendPaid(ctx: Context, member: string): bigint {
    return amountOf(this.kv(ctx).get(keys.stipend(addrBytes(member))));
  }

  setStipendPaid(ctx: Context, member: string, amount: bigint): void {
    if (amount === 0n) this.kv(ctx).delete(keys.stipend(addrBytes(member)));
    else this.kv(ctx).set(keys.stipend(addrBytes(member)), utf8(amount.toString()));
  }

  *allStipends(ctx: Context): IterableIterator<{ member: string; amount: bigint }> {
    for (const [k, v] of this.scan(ctx, keys.prefix(KEY.stipend))) {
      yield { member: addrString(copy(splitLengthPrefixed(k, 1)[0] ?? new Uint8Array())), amount: amountOf(v) };
    }
  }

  getBrokenRoute(ctx: Context, route: string): BrokenRoute | undefined {
    const raw = this.kv(ctx).get(keys.brokenRoute(route));
    return raw === undefined ? undefined : BrokenRoute.decode(raw);
  }

  setBrokenRoute(ctx: Context, r: BrokenRoute): void {
    this.kv(ctx).set(keys.brokenRoute(r.route), BrokenRoute.encode(r).finish());
  }

  deleteBrokenRoute(ctx: Context, route: string): void {
    this.kv(ctx).delete(keys.brokenRoute(route));
  }

  /** Broken routes in route order. */
  *allBrokenRoutes(ctx: Context): IterableIterator<BrokenRoute> {
    for (const [, v] of this.scan(ctx, keys.prefix(KEY.brokenRoute))) yield BrokenRoute.decode(v);
  }
}

/** Completion time of an unbonding entry (always set by the keeper). */
export function completionOf(e: UnbondingEntry): Timestamp {
  if (e.completionTime === undefined) throw ErrInvalidState.wrap(`unbonding entry ${e.id} has no completion time`);
  return e.completionTime;
}
