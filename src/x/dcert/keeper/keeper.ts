/**
 * The dCERT keeper (ADR 008): the rules of the group on top of the records.
 *
 * Transactions and hooks only write inputs; the module's EndBlock (`endBlock`, in abci.ts) turns
 * them into election results through the in-memory engine (see election.ts for why it is safe). Everything
 * a transaction needs to decide at once — is the signer an active member, is the group frozen —
 * is read from the store, so it is exact even between the transactions of one block:
 *
 *   active member  = seated (member record) ∧ accepted ∧ bond ≥ min_member_bond ∧ not suspended
 *                    ∧ group active
 *
 * A member that stops being eligible loses its privileges at the transaction that made it so and
 * its seat at the end of the same block.
 */
import { type Coin, DEC_ONE, formatCoins } from "../../../baseapp/coins";
import type { Context } from "../../../baseapp/context";
import { addDuration, timeToJson } from "../../staking/time";
import { type Acceptance, ElectionError, KickReason, type VoteEntry, validateVote } from "../electionator";
import {
  EventAdmissionAccepted,
  EventBond,
  EventCircuitRestored,
  EventDescriptionUpdated,
  EventDisbandProposalConcluded,
  EventDisbandProposalSubmitted,
  EventGroupDisbanded,
  EventGroupReestablished,
  EventLeftGroup,
  EventMemberReinstated,
  EventMemberSlashed,
  EventMemberSuspended,
  EventParamsUpdated,
  EventSuspensionVote,
  EventUnbond,
  EventVote,
} from "../../../generated/dcert/v1/events";
import { type BrokenRoute, type GroupDescription, GroupStatus, type UnbondingEntry } from "../../../generated/dcert/v1/types";
import { ElectionIndex } from "./election";
import {
  ErrAlreadyAccepted,
  ErrAlreadyVoted,
  ErrBarred,
  ErrGroupDisbanded,
  ErrGroupFrozen,
  ErrGroupNotDisbanded,
  ErrInsufficientBond,
  ErrInsufficientFunds,
  ErrInsufficientWager,
  ErrInvalidAmount,
  ErrInvalidAuthority,
  ErrInvalidDenom,
  ErrInvalidFraction,
  ErrInvalidParams,
  ErrInvalidSuspension,
  ErrMaxUnbondingEntries,
  ErrNotCandidate,
  ErrNotEligible,
  ErrNotMember,
  ErrNotSuspended,
  ErrNothingToSlash,
  ErrSuspended,
  electionError,
} from "../errors";
import { emitTyped } from "../events";
import type { AuthForDcert, BankForDcert, DistributionForDcert, StakingForDcert } from "../expected";
import { BONDS_MODULE } from "../keys";
import { type DcertParams, paramsToProto, validateDcertParams } from "./params";
import { DcertRecords } from "./records";
import * as abci from "./abci";

/** Most unbonding entries one staker may have pending for one member (as staking's max_entries). */
export const MAX_UNBONDING_ENTRIES = 7;

export interface DcertKeeperDeps {
  readonly auth: AuthForDcert;
  readonly bank: BankForDcert;
  readonly staking: StakingForDcert;
  readonly distribution: DistributionForDcert;
  /** The gov module account: the authority of governance-only messages. */
  readonly authority: string;
}

export type Eligibility =
  | { readonly ok: true; readonly acceptance: Acceptance }
  | { readonly ok: false; readonly reason: KickReason; readonly why: string };

export interface SlashResult {
  readonly bonded: bigint;
  readonly unbonding: bigint;
}

export interface SuspensionTally {
  readonly suspended: boolean;
  readonly yes: number;
  readonly needed: number;
}

export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ceil(fraction × n) for an 18-decimal fraction. */
export function quorumOf(fraction: bigint, n: number): number {
  return Number((fraction * BigInt(n) + DEC_ONE - 1n) / DEC_ONE);
}

export class DcertKeeper {
  readonly records = new DcertRecords();
  readonly index = new ElectionIndex(this.records);
  /** The gov module account address. */
  readonly authority: string;

  constructor(readonly deps: DcertKeeperDeps) {
    this.authority = deps.authority;
    deps.auth.declareModuleAccount(BONDS_MODULE, ["burner"]);
  }

  // ================================================================== state the circuit module needs

  params(ctx: Context): DcertParams {
    return this.records.params(ctx);
  }

  /** Seated and still eligible right now (privileges are lost at once, the seat at end of block). */
  isActiveMember(ctx: Context, address: string): boolean {
    if (this.records.memberSequence(ctx, address) === undefined) return false;
    return this.eligibility(ctx, address).ok;
  }

  isSuspended(ctx: Context, address: string): boolean {
    return this.records.getSuspension(ctx, address) !== undefined;
  }

  /** Slashed by governance and not reinstated: no admission. */
  isBarred(ctx: Context, address: string): boolean {
    return this.records.getBarred(ctx, address) !== undefined;
  }

  /** A proposal containing MsgDisbandGroup is pending: the group's powers are frozen. */
  disbandPending(ctx: Context): boolean {
    return this.records.hasDisbandProposal(ctx);
  }

  isDisbanded(ctx: Context): boolean {
    return this.records.group(ctx).status === GroupStatus.GROUP_STATUS_DISBANDED;
  }

  /** Broken-route records (kept here so they travel in the dcert genesis section). */
  brokenRoute(ctx: Context, route: string): BrokenRoute | undefined {
    return this.records.getBrokenRoute(ctx, route);
  }

  setBrokenRoute(ctx: Context, r: BrokenRoute): void {
    this.records.setBrokenRoute(ctx, r);
  }

  brokenRoutes(ctx: Context): BrokenRoute[] {
    return [...this.records.allBrokenRoutes(ctx)];
  }

  /**
   * Deletes every broken route (ADR 008: routes come back at a hard-fork upgrade; the `v2` upgrade
   * handler calls this inside consensus) and emits `dcert.v1.EventCircuitRestored` with the routes
   * and the plan's name. Returns the restored routes in route order (none: no event).
   */
  restoreAllRoutes(ctx: Context, upgrade: string): string[] {
    const routes = this.brokenRoutes(ctx).map((r) => r.route);
    for (const r of routes) this.records.deleteBrokenRoute(ctx, r);
    if (routes.length > 0) emitTyped(ctx, "EventCircuitRestored", EventCircuitRestored, { routes, upgrade });
    return routes;
  }

  // ================================================================== eligibility and roles

  /**
   * Whether `address` may hold a seat now, and if not why. `hint` is the KickReason recorded by
   * the transaction that withdrew an acceptance (left, barred), used when no acceptance is left.
   */
  eligibility(ctx: Context, address: string, hint = 0): Eligibility {
    if (this.isDisbanded(ctx)) return { ok: false, reason: KickReason.Disbanded, why: "the group is disbanded" };
    const s = this.records.getSuspension(ctx, address);
    if (s !== undefined) return { ok: false, reason: KickReason.Suspended, why: `suspended by the group at height ${s.height}` };
    const barred = this.records.getBarred(ctx, address);
    if (barred !== undefined) return { ok: false, reason: KickReason.Barred, why: `slashed by governance at height ${barred.height} and not reinstated` };
    const acceptance = this.records.getCandidate(ctx, address);
    if (acceptance === undefined) {
      return { ok: false, reason: hint === KickReason.Barred ? KickReason.Barred : KickReason.Left, why: "no standing acceptance" };
    }
    const min = this.params(ctx).minMemberBond;
    const bond = this.records.bondTotal(ctx, address);
    if (bond < min.amount) {
      return { ok: false, reason: KickReason.BondBelowMinimum, why: `bond ${bond}${min.denom} is below min_member_bond ${min.amount}${min.denom}` };
    }
    return { ok: true, acceptance };
  }

  /** Throws ErrNotMember (with the reason) unless `address` is an active member. */
  requireActiveMember(ctx: Context, address: string, what: string): void {
    if (this.records.memberSequence(ctx, address) === undefined) {
      throw ErrNotMember.wrap(`${address} does not hold a seat in the dCERT group; only active members may ${what}`);
    }
    const e = this.eligibility(ctx, address);
    if (!e.ok) throw ErrNotMember.wrap(`${address} holds a seat but has lost its privileges (${e.why}); only active members may ${what}`);
  }

  /** Governance-only messages check this first. */
  requireAuthority(authority: string, what: string): void {
    if (authority !== this.authority) {
      throw ErrInvalidAuthority.wrap(
        `${what} is governance-only: its authority must be the gov module account ${this.authority}, got ${authority}; submit it inside a governance proposal`,
      );
    }
  }

  private requireNotFrozen(ctx: Context, what: string): void {
    if (this.disbandPending(ctx)) {
      const ids = this.records.disbandProposals(ctx).map((p) => p.proposalId.toString());
      throw ErrGroupFrozen.wrap(`cannot ${what} while disband proposal(s) ${ids.join(", ")} are pending; wait until they conclude`);
    }
  }

  private bondCoin(ctx: Context, c: Coin, what: string): bigint {
    const denom = this.params(ctx).minMemberBond.denom;
    if (c.denom !== denom) throw ErrInvalidDenom.wrap(`${what} must be in the bond denom ${denom}, got ${c.denom}`);
    if (c.amount <= 0n) throw ErrInvalidAmount.wrap(`${what} must be positive, got ${c.amount}${c.denom}`);
    return c.amount;
  }

  // ================================================================== messages of voters, candidates and stakers

  /** MsgVote: records the vote; it is counted at the end of the block with the voter's stake. */
  vote(ctx: Context, voter: string, entries: readonly VoteEntry[]): void {
    const max = this.params(ctx).maxVoteEntries;
    const code = validateVote(entries, max);
    if (code !== ElectionError.None) throw electionError(code, `vote of ${voter} (${entries.length} entries, max_vote_entries ${max})`);
    const wire = this.records.setPendingVote(ctx, voter, entries);
    emitTyped(ctx, "EventVote", EventVote, { voter, entries: wire });
  }

  /** MsgAcceptAdmission: a standing acceptance, only if the candidate could be seated now. */
  acceptAdmission(ctx: Context, candidate: string): Acceptance {
    const existing = this.records.getCandidate(ctx, candidate);
    if (existing !== undefined) {
      throw ErrAlreadyAccepted.wrap(`${candidate} accepted admission at height ${existing.height}; nothing to do (MsgLeaveGroup withdraws it)`);
    }
    if (this.isDisbanded(ctx)) {
      throw ErrGroupDisbanded.wrap("admission is closed until governance re-establishes the group (MsgReestablishGroup)");
    }
    const s = this.records.getSuspension(ctx, candidate);
    if (s !== undefined) {
      throw ErrSuspended.wrap(`${candidate} was suspended at height ${s.height}; only governance can lift it (MsgReinstateMember or MsgSlashMember)`);
    }
    const barred = this.records.getBarred(ctx, candidate);
    if (barred !== undefined) {
      throw ErrBarred.wrap(
        `${candidate} was slashed by governance at height ${barred.height} and is barred from admission until governance reinstates it (MsgReinstateMember)`,
      );
    }
    const min = this.params(ctx).minMemberBond;
    const bond = this.records.bondTotal(ctx, candidate);
    if (bond < min.amount) {
      throw ErrNotEligible.wrap(
        `${candidate} has ${bond}${min.denom} bonded, below min_member_bond ${min.amount}${min.denom}; bond at least ${min.amount - bond}${min.denom} more with MsgBond first`,
      );
    }
    const acceptance = this.records.nextAcceptance(ctx);
    this.records.setCandidate(ctx, candidate, acceptance);
    this.records.markCandidateDirty(ctx, candidate);
    emitTyped(ctx, "EventAdmissionAccepted", EventAdmissionAccepted, { candidate, acceptance });
    return acceptance;
  }

  /**
   * MsgLeaveGroup: withdraws the acceptance (a member loses its privileges now, its seat at the
   * end of the block). Allowed while suspended: leaving does not end the suspension and does not
   * make bonds unslashable (they still unbond at the normal pace and stay slashable meanwhile).
   */
  leaveGroup(ctx: Context, address: string): void {
    if (this.records.getCandidate(ctx, address) === undefined) {
      throw ErrNotCandidate.wrap(`${address} has no standing acceptance (it never accepted admission, already left, or was removed by governance)`);
    }
    this.records.deleteCandidate(ctx, address);
    this.records.markCandidateDirty(ctx, address, KickReason.Left);
    emitTyped(ctx, "EventLeftGroup", EventLeftGroup, { address });
  }

  /** MsgBond: anyone may bond for anyone (a third party gains nothing on chain). */
  bond(ctx: Context, staker: string, member: string, coin: Coin): bigint {
    const amount = this.bondCoin(ctx, coin, "the bond");
    const balance = this.deps.bank.getBalance(ctx, staker, coin.denom).amount;
    if (balance < amount) {
      throw ErrInsufficientFunds.wrap(`${staker} has ${balance}${coin.denom}, cannot bond ${amount}${coin.denom}`);
    }
    this.deps.bank.sendFromAccountToModule(ctx, staker, BONDS_MODULE, [{ denom: coin.denom, amount }]);
    this.records.setBond(ctx, member, staker, this.records.bond(ctx, member, staker) + amount);
    this.records.markCandidateDirty(ctx, member);
    const total = this.records.bondTotal(ctx, member);
    emitTyped(ctx, "EventBond", EventBond, { staker, member, amount: { denom: coin.denom, amount: amount.toString() }, memberBond: total.toString() });
    return total;
  }

  /**
   * MsgUnbond: the tokens leave the member's bond now (which may cost it its seat at the end of
   * the block) and are paid back after the staking module's unbonding_time; until then they stay
   * slashable. Suspended members unbond at the same pace as everyone (no faster, no slower).
   */
  unbond(ctx: Context, staker: string, member: string, coin: Coin): UnbondingEntry {
    const amount = this.bondCoin(ctx, coin, "the unbond amount");
    const have = this.records.bond(ctx, member, staker);
    if (have < amount) {
      throw ErrInsufficientBond.wrap(`${staker} has ${have}${coin.denom} bonded for ${member}; cannot unbond ${amount}${coin.denom}`);
    }
    const pending = this.records.unbondingCountOfPair(ctx, member, staker);
    if (pending >= MAX_UNBONDING_ENTRIES) {
      throw ErrMaxUnbondingEntries.wrap(
        `${staker} already has ${pending} unbonding entries for ${member} (max ${MAX_UNBONDING_ENTRIES}); wait for one to complete`,
      );
    }
    this.records.setBond(ctx, member, staker, have - amount);
    const completionTime = addDuration(ctx.block.time, { seconds: this.deps.staking.unbondingTime(ctx), nanos: 0 });
    const entry: UnbondingEntry = {
      id: this.records.takeUnbondingId(ctx),
      staker,
      member,
      creationHeight: ctx.block.height,
      completionTime,
      initialBalance: amount.toString(),
      balance: amount.toString(),
    };
    this.records.putUnbonding(ctx, entry, true);
    this.records.markCandidateDirty(ctx, member);
    emitTyped(ctx, "EventUnbond", EventUnbond, {
      staker,
      member,
      amount: { denom: coin.denom, amount: amount.toString() },
      unbondingId: entry.id,
      completionTime: timeToJson(completionTime),
      memberBond: this.records.bondTotal(ctx, member).toString(),
    });
    return entry;
  }

  /** Tokens bonded for `member` that are still unbonding. PERF: O(its entries). */
  unbondingOf(ctx: Context, member: string): bigint {
    let total = 0n;
    for (const e of this.records.unbondingsOfMember(ctx, member)) total += BigInt(e.balance);
    return total;
  }

  // ================================================================== messages of active members

  /**
   * MsgVoteSuspend: when the yes votes reach ceil(suspension_quorum × active members other than
   * the target), the target is suspended: privileges gone at once, seat at the end of the block,
   * no re-admission until governance slashes or reinstates it.
   */
  voteSuspend(ctx: Context, member: string, target: string, reason: string): SuspensionTally {
    this.requireActiveMember(ctx, member, "vote to suspend a member");
    this.requireNotFrozen(ctx, "vote to suspend a member");
    if (member === target) throw ErrInvalidSuspension.wrap("a member cannot vote to suspend itself");
    if (!this.isActiveMember(ctx, target)) throw ErrInvalidSuspension.wrap(`target ${target} is not an active member; only active members can be suspended`);
    if (this.records.hasSuspensionVote(ctx, target, member)) {
      throw ErrAlreadyVoted.wrap(`${member} already voted to suspend ${target}; each member votes once per target`);
    }
    this.records.setSuspensionVote(ctx, { target, voter: member, reason, height: ctx.block.height });
    const { yes, needed } = this.countSuspensionVotes(ctx, target);
    const suspended = yes >= needed;
    emitTyped(ctx, "EventSuspensionVote", EventSuspensionVote, { voter: member, target, reason, yesVotes: yes, needed });
    if (suspended) this.suspend(ctx, target, reason, yes, needed);
    return { suspended, yes, needed };
  }

  /**
   * Yes votes against `target` cast by active members other than it, and the quorum
   * max(1, ceil(suspension_quorum × those members)). PERF: O(members + votes against target).
   */
  countSuspensionVotes(ctx: Context, target: string): { yes: number; needed: number } {
    const voters = new Set<string>();
    for (const m of this.records.members(ctx)) if (m.address !== target && this.isActiveMember(ctx, m.address)) voters.add(m.address);
    let yes = 0;
    for (const v of this.records.suspensionVotesAgainst(ctx, target)) if (voters.has(v.voter)) yes++;
    return { yes, needed: Math.max(1, quorumOf(this.params(ctx).suspensionQuorum, voters.size)) };
  }

  private suspend(ctx: Context, target: string, reason: string, yes: number, needed: number): void {
    this.records.setSuspension(ctx, { member: target, height: ctx.block.height, reason });
    this.records.clearSuspensionVotesAgainst(ctx, target);
    this.records.markCandidateDirty(ctx, target, KickReason.Suspended);
    emitTyped(ctx, "EventMemberSuspended", EventMemberSuspended, { member: target, yesVotes: yes, needed });
  }

  /**
   * Re-evaluates every pending suspension (membership changed: the quorum and the votes that count
   * may have moved). Suspends, in target-address order, each active target whose counted votes
   * now reach the quorum; returns them. The reason recorded is that of the earliest counted vote.
   * PERF: O(targets · (members + votes)); runs only in blocks where membership may have changed.
   */
  reevaluateSuspensions(ctx: Context): string[] {
    const out: string[] = [];
    if (this.disbandPending(ctx)) return out; // the group's powers are frozen
    for (const target of this.records.suspensionTargets(ctx)) {
      if (!this.isActiveMember(ctx, target)) continue;
      const { yes, needed } = this.countSuspensionVotes(ctx, target);
      if (yes < needed) continue;
      const votes = this.records.suspensionVotesAgainst(ctx, target).filter((v) => this.isActiveMember(ctx, v.voter));
      votes.sort((a, b) => (a.height !== b.height ? (a.height < b.height ? -1 : 1) : cmpStr(a.voter, b.voter)));
      this.suspend(ctx, target, votes[0]?.reason ?? "", yes, needed);
      out.push(target);
    }
    return out;
  }

  /** MsgUpdateDescription. */
  updateDescription(ctx: Context, member: string, description: GroupDescription): void {
    this.requireActiveMember(ctx, member, "change the group's description");
    this.requireNotFrozen(ctx, "change the group's description");
    this.records.setGroup(ctx, { ...this.records.group(ctx), description });
    emitTyped(ctx, "EventDescriptionUpdated", EventDescriptionUpdated, { member, description });
  }

  // ================================================================== governance

  /**
   * Burns `fraction` of every bond for `member` and of every still-unbonding entry (each record
   * rounded down). Entries already paid out are gone and cannot be reached.
   */
  slash(ctx: Context, member: string, fraction: bigint): SlashResult {
    let bonded = 0n;
    for (const b of this.records.bondsOfMember(ctx, member)) {
      const cut = (b.amount * fraction) / DEC_ONE;
      if (cut === 0n) continue;
      this.records.setBond(ctx, member, b.staker, b.amount - cut);
      bonded += cut;
    }
    let unbonding = 0n;
    for (const e of this.records.unbondingsOfMember(ctx, member)) {
      const balance = BigInt(e.balance);
      const cut = (balance * fraction) / DEC_ONE;
      if (cut === 0n) continue;
      this.records.putUnbonding(ctx, { ...e, balance: (balance - cut).toString() }, false);
      unbonding += cut;
    }
    const total = bonded + unbonding;
    if (total > 0n) this.deps.bank.burnCoins(ctx, BONDS_MODULE, [{ denom: this.params(ctx).minMemberBond.denom, amount: total }]);
    this.records.markCandidateDirty(ctx, member);
    return { bonded, unbonding };
  }

  /**
   * MsgSlashMember: slash, end any suspension, withdraw the acceptance and bar the address from
   * admission until governance reinstates it (MsgReinstateMember).
   */
  slashMember(ctx: Context, authority: string, member: string, fraction: bigint, reason: string): SlashResult {
    this.requireAuthority(authority, "MsgSlashMember");
    if (fraction <= 0n || fraction > DEC_ONE) {
      throw ErrInvalidFraction.wrap(`fraction must be above 0 and at most 1 (1000000000000000000), got ${fraction}`);
    }
    const suspended = this.records.getSuspension(ctx, member) !== undefined;
    const accepted = this.records.getCandidate(ctx, member) !== undefined;
    const seated = this.records.memberSequence(ctx, member) !== undefined;
    const result = this.slash(ctx, member, fraction);
    if (result.bonded + result.unbonding === 0n && !suspended && !accepted && !seated) {
      throw ErrNothingToSlash.wrap(`${member} has no bond, no unbonding tokens, no suspension and no acceptance`);
    }
    this.records.deleteSuspension(ctx, member);
    this.records.clearSuspensionVotesAgainst(ctx, member);
    this.records.deleteCandidate(ctx, member);
    this.records.setBarred(ctx, { member, height: ctx.block.height, reason });
    this.records.markCandidateDirty(ctx, member, KickReason.Barred);
    emitTyped(ctx, "EventMemberSlashed", EventMemberSlashed, {
      member,
      fraction: fraction.toString(),
      bondedSlashed: result.bonded.toString(),
      unbondingSlashed: result.unbonding.toString(),
      reason,
    });
    return result;
  }

  /** MsgReinstateMember: ends a suspension and lifts a bar; a standing acceptance counts again. */
  reinstateMember(ctx: Context, authority: string, member: string): void {
    this.requireAuthority(authority, "MsgReinstateMember");
    if (this.records.getSuspension(ctx, member) === undefined && this.records.getBarred(ctx, member) === undefined) {
      throw ErrNotSuspended.wrap(`${member} is neither suspended nor barred; nothing to reinstate`);
    }
    this.records.deleteSuspension(ctx, member);
    this.records.deleteBarred(ctx, member);
    this.records.markCandidateDirty(ctx, member);
    emitTyped(ctx, "EventMemberReinstated", EventMemberReinstated, { member });
  }

  /**
   * MsgDisbandGroup (executed by a passed proposal): slashes by disband_slash_fraction the bonds
   * (and still-unbonding tokens) of every address the disband reaches — the seated members and
   * everyone exposed by a pending disband proposal (a member when it was submitted, or admitted
   * while it was pending, even if it left, was suspended or unbonded since) — then withdraws every
   * acceptance and marks the group disbanded; all seats go at the end of the block.
   *
   * The message does not know which proposal carries it, so the exposure of every pending disband
   * proposal counts (the executing one is among them; the others concern the same group and would
   * fail once it is disbanded).
   */
  disbandGroup(ctx: Context, authority: string, reason: string): void {
    this.requireAuthority(authority, "MsgDisbandGroup");
    if (this.isDisbanded(ctx)) throw ErrGroupDisbanded.wrap("the group is already disbanded");
    const params = this.params(ctx);
    const members = this.records.members(ctx).map((m) => m.address);
    const reached = new Set<string>(members);
    for (const e of this.records.allDisbandExposures(ctx)) reached.add(e.address);
    const slashedAddresses = [...reached].sort(cmpStr);
    let slashed = 0n;
    if (params.disbandSlashFraction > 0n) {
      for (const a of slashedAddresses) {
        const r = this.slash(ctx, a, params.disbandSlashFraction);
        slashed += r.bonded + r.unbonding;
      }
    }
    const candidates = [...this.records.allCandidates(ctx)].map((c) => c.address);
    for (const c of candidates) this.records.deleteCandidate(ctx, c);
    this.records.setGroup(ctx, { ...this.records.group(ctx), status: GroupStatus.GROUP_STATUS_DISBANDED, statusHeight: ctx.block.height });
    this.records.setRecheckAll(ctx);
    emitTyped(ctx, "EventGroupDisbanded", EventGroupDisbanded, {
      reason,
      members,
      slashed: { denom: params.minMemberBond.denom, amount: slashed.toString() },
      slashedAddresses: params.disbandSlashFraction > 0n ? slashedAddresses : [],
    });
  }

  /** MsgReestablishGroup: admission reopens (candidates must accept again). */
  reestablishGroup(ctx: Context, authority: string): void {
    this.requireAuthority(authority, "MsgReestablishGroup");
    if (!this.isDisbanded(ctx)) throw ErrGroupNotDisbanded.wrap("the group is active; there is nothing to re-establish");
    this.records.setGroup(ctx, { ...this.records.group(ctx), status: GroupStatus.GROUP_STATUS_ACTIVE, statusHeight: ctx.block.height });
    this.records.setRecheckAll(ctx);
    emitTyped(ctx, "EventGroupReestablished", EventGroupReestablished, { height: ctx.block.height });
  }

  /** MsgUpdateParams; the bond denom may only change while nothing is bonded or unbonding. */
  updateParams(ctx: Context, authority: string, next: DcertParams): void {
    this.requireAuthority(authority, "MsgUpdateParams");
    validateDcertParams(next);
    const prev = this.params(ctx);
    if (next.minMemberBond.denom !== prev.minMemberBond.denom && this.records.hasAnyBondOrUnbonding(ctx)) {
      throw ErrInvalidParams.wrap(
        `min_member_bond's denom is the bond denom (${prev.minMemberBond.denom}); it cannot change to ${next.minMemberBond.denom} while tokens are bonded or unbonding`,
      );
    }
    this.records.setParams(ctx, next);
    this.records.setRecheckAll(ctx);
    emitTyped(ctx, "EventParamsUpdated", EventParamsUpdated, { params: paramsToProto(next) });
  }

  // ================================================================== disband proposals (gov hooks)

  /**
   * Before a proposal is stored: one containing MsgDisbandGroup must put the disband wager in its
   * initial deposit, and makes no sense for a disbanded group.
   */
  checkDisbandSubmission(ctx: Context, initialDeposit: readonly Coin[]): void {
    if (this.isDisbanded(ctx)) throw ErrGroupDisbanded.wrap("the group is already disbanded; a disband proposal would have no effect");
    const wager = this.params(ctx).disbandWager;
    const paid = initialDeposit.find((c) => c.denom === wager.denom)?.amount ?? 0n;
    if (paid < wager.amount) {
      throw ErrInsufficientWager.wrap(
        `a proposal containing MsgDisbandGroup must include the disband wager of ${wager.amount}${wager.denom} in its initial deposit (got ${formatCoins(initialDeposit) || "nothing"}); the wager is burned unless the proposal passes`,
      );
    }
  }

  /**
   * A disband proposal was stored: the group is frozen from now until it concludes, and every
   * seated member is exposed to its slash (members admitted while it is pending are added at
   * their admission, see syncAddress). PERF: O(members).
   */
  disbandProposalSubmitted(ctx: Context, proposalId: bigint, proposer: string): void {
    const wager = this.params(ctx).disbandWager;
    const w = { denom: wager.denom, amount: wager.amount.toString() };
    this.records.setDisbandProposal(ctx, { proposalId, proposer, wager: w, submitHeight: ctx.block.height });
    for (const m of this.records.members(ctx)) this.records.addDisbandExposure(ctx, proposalId, m.address);
    emitTyped(ctx, "EventDisbandProposalSubmitted", EventDisbandProposalSubmitted, { proposalId, proposer, wager: w });
  }

  /**
   * A proposal ended (voting period over, or dropped for lack of deposit). For a disband proposal
   * the freeze ends; unless it passed, the wager recorded at submission is returned for burning.
   */
  disbandProposalConcluded(ctx: Context, proposalId: bigint, outcome: string): Coin[] {
    const p = this.records.getDisbandProposal(ctx, proposalId);
    if (p === undefined) return [];
    this.records.deleteDisbandProposal(ctx, proposalId);
    this.records.clearDisbandExposure(ctx, proposalId);
    // The freeze may end: suspensions held back meanwhile are counted at the end of the block.
    this.records.setRecheckAll(ctx);
    const wager: Coin = { denom: p.wager?.denom ?? "", amount: BigInt(p.wager?.amount ?? "0") };
    const burn = outcome !== "passed" && wager.amount > 0n ? [wager] : [];
    emitTyped(ctx, "EventDisbandProposalConcluded", EventDisbandProposalConcluded, {
      proposalId,
      outcome,
      wagerBurned: { denom: wager.denom, amount: (burn.length > 0 ? wager.amount : 0n).toString() },
    });
    return burn;
  }

  // ================================================================== staking hook

  /**
   * A delegator's bonded stake changed (a delegation changed, or a validator it delegates to was
   * bonded or started unbonding): its vote (if any) is re-weighted at the end of the block.
   */
  stakeChanged(ctx: Context, delegator: string): void {
    if (this.records.hasVote(ctx, delegator)) this.records.markVoterDirty(ctx, delegator);
  }

  // ================================================================== begin and end block (abci.ts)

  /** Pays the stipend to the members seated at the start of the block (abci.ts). */
  payStipends(ctx: Context): void {
    abci.payStipends(ctx, this);
  }

  /** Pays out matured unbonding entries, then settles the election (abci.ts). */
  endBlock(ctx: Context): void {
    abci.endBlock(ctx, this);
  }
}
