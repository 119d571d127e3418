import {
  Deposit,
  Params,
  Proposal,
  ProposalStatus,
  proposalStatusToJSON,
  Vote,
  type TallyResult,
} from "cosmjs-types/cosmos/gov/v1/gov";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { type AuthKeeper, moduleAccountAddress } from "../auth/keeper";
import type { BankKeeper } from "../bank/keeper";
import { type Coin, DEC_ONE, formatCoins } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { concat, fromUtf8, readU64be, u64be, utf8 } from "../../baseapp/encoding";
import { ErrInvalidCoins, ErrLogic, errorResult } from "../../baseapp/errors";
import type { DecodedMsg, MsgRouter } from "../../baseapp/router";
import { decToJson } from "../staking/dec";
import { addDuration } from "../staking/time";
import { prefixEnd } from "../../baseapp/store/prefix";
import type { KVStore } from "../../baseapp/store/types";
import {
  ErrInactiveProposal,
  ErrInvalidProposalContent,
  ErrInvalidProposalMsg,
  ErrInvalidSigner,
  ErrMetadataTooLong,
  ErrMinDepositTooSmall,
  ErrNoProposalMsgs,
  ErrUnknownProposal,
  ErrUnroutableProposalMsg,
} from "./errors";
import type { StakingForGov } from "./expected";
import { GOV_EVENTS } from "./events";
import type { GovHooks } from "./hooks";
import { depositKey, depositPrefix, GOV_MODULE, GOV_STORE, KEY, proposalKey, queueKey, single, voteKey, votePrefix } from "./keys";
import { optionsEventValue, optionsToProto, parseWeightedOptions } from "./options";
import { defaultGovParams, type GovParams, govParamsFromProto, govParamsToProto } from "./params";
import {
  countVotes,
  decideTally,
  EMPTY_TALLY,
  tallyResultOf,
  type TallyCounts,
  type TallyDecision,
  type TallyVoter,
  type WeightedOption,
} from "./tally";
import * as abci from "./abci";

/** Length limits of the SDK's default gov config (keeper.DefaultConfig). */
export const MAX_METADATA_LEN = 255;
export const MAX_TITLE_LEN = 255;
export const MAX_SUMMARY_LEN = 10_200;

export interface GovKeeperDeps {
  readonly auth: AuthKeeper;
  readonly bank: BankKeeper;
  readonly router: MsgRouter;
  readonly staking: StakingForGov;
}

export interface SubmitProposalInput {
  readonly messages: readonly Any[];
  readonly initialDeposit: readonly Coin[];
  readonly proposer: string;
  readonly metadata: string;
  readonly title: string;
  readonly summary: string;
  readonly expedited: boolean;
}

export interface StoredDeposit {
  readonly proposalId: bigint;
  readonly depositor: string;
  readonly amount: Coin[];
  /** Global deposit order (the first deposit of a depositor on a proposal fixes its place). */
  readonly order: bigint;
}

export interface TallyOutcome {
  readonly counts: TallyCounts;
  readonly decision: TallyDecision;
  readonly result: TallyResult;
}

export function addCoins(a: readonly Coin[], b: readonly Coin[]): Coin[] {
  const m = new Map<string, bigint>();
  for (const c of a) m.set(c.denom, (m.get(c.denom) ?? 0n) + c.amount);
  for (const c of b) m.set(c.denom, (m.get(c.denom) ?? 0n) + c.amount);
  return sortedCoins(m);
}

function subCoins(a: readonly Coin[], b: readonly Coin[]): Coin[] {
  const m = new Map<string, bigint>();
  for (const c of a) m.set(c.denom, c.amount);
  for (const c of b) {
    const left = (m.get(c.denom) ?? 0n) - c.amount;
    if (left < 0n) throw ErrLogic.wrap(`gov escrow would go negative in ${c.denom}`);
    m.set(c.denom, left);
  }
  return sortedCoins(m);
}

function sortedCoins(m: ReadonlyMap<string, bigint>): Coin[] {
  return [...m.entries()]
    .filter(([, amount]) => amount > 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount }));
}

/** Every coin of `need` is covered by `have` (the SDK's Coins.IsAllGTE(need)). */
function allGte(have: readonly Coin[], need: readonly Coin[]): boolean {
  return need.every((c) => (have.find((x) => x.denom === c.denom)?.amount ?? 0n) >= c.amount);
}

function coinsFromStrings(list: readonly { denom: string; amount: string }[]): Coin[] {
  return list.map((c) => ({ denom: c.denom, amount: BigInt(c.amount) }));
}

function coinsToStrings(list: readonly Coin[]): { denom: string; amount: string }[] {
  return list.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
}

function statusName(s: ProposalStatus): string {
  return proposalStatusToJSON(s);
}

export function describe(e: unknown): string {
  return errorResult(e).log;
}

/**
 * x/gov v1: proposals carrying messages, deposits, votes, the stake-weighted tally and the
 * execution of passed proposals with the gov module account as authority.
 *
 * EndBlock cost is proportional to the proposals whose deposit or voting period ends in the block
 * (time-ordered queues), plus, per ending proposal, its votes × the voters' delegations and the
 * bonded validators.
 */
export class GovKeeper {
  /** The gov module account address: the `authority` of every governance-only message. */
  readonly authority: string;
  /** Registered hooks; read by the end block (abci.ts). */
  readonly hooks: GovHooks[] = [];

  constructor(readonly deps: GovKeeperDeps) {
    this.authority = deps.auth.declareModuleAccount(GOV_MODULE, ["burner"]);
    if (this.authority !== moduleAccountAddress(GOV_MODULE)) throw new Error("gov module account address mismatch");
  }

  /** Registers hooks (the dCERT module's disband wager and freeze); called in registration order. */
  addHooks(h: GovHooks): void {
    this.hooks.push(h);
  }

  private kv(ctx: Context): KVStore {
    return ctx.kv(GOV_STORE);
  }

  // ---------------------------------------------------------------- params and singletons

  params(ctx: Context): GovParams {
    const raw = this.kv(ctx).get(single(KEY.params));
    return raw === undefined ? defaultGovParams() : govParamsFromProto(Params.decode(raw));
  }

  setParams(ctx: Context, p: GovParams): void {
    this.kv(ctx).set(single(KEY.params), Params.encode(govParamsToProto(p)).finish());
  }

  constitution(ctx: Context): string {
    const raw = this.kv(ctx).get(single(KEY.constitution));
    return raw === undefined ? "" : fromUtf8(raw);
  }

  setConstitution(ctx: Context, text: string): void {
    this.kv(ctx).set(single(KEY.constitution), utf8(text));
  }

  /** The id the next proposal gets (starts at 1). */
  nextProposalId(ctx: Context): bigint {
    const raw = this.kv(ctx).get(single(KEY.nextProposalId));
    return raw === undefined ? 1n : readU64be(raw);
  }

  setNextProposalId(ctx: Context, id: bigint): void {
    this.kv(ctx).set(single(KEY.nextProposalId), u64be(id));
  }

  /** Total deposits held in the gov module account for proposals still in deposit or voting. */
  escrow(ctx: Context): Coin[] {
    const raw = this.kv(ctx).get(single(KEY.escrow));
    if (raw === undefined || raw.length === 0) return [];
    return fromUtf8(raw)
      .split(",")
      .map((s) => {
        const m = /^([0-9]+)(.+)$/.exec(s);
        if (m === null) throw ErrLogic.wrap(`corrupt gov escrow entry ${JSON.stringify(s)}`);
        return { denom: m[2] ?? "", amount: BigInt(m[1] ?? "0") };
      });
  }

  private setEscrow(ctx: Context, coins: readonly Coin[]): void {
    if (coins.length === 0) this.kv(ctx).delete(single(KEY.escrow));
    else this.kv(ctx).set(single(KEY.escrow), utf8(formatCoins(coins)));
  }

  private nextDepositOrder(ctx: Context): bigint {
    const raw = this.kv(ctx).get(single(KEY.depositSeq));
    const n = raw === undefined ? 0n : readU64be(raw);
    this.kv(ctx).set(single(KEY.depositSeq), u64be(n + 1n));
    return n;
  }

  // ---------------------------------------------------------------- proposals

  getProposal(ctx: Context, id: bigint): Proposal | undefined {
    const raw = this.kv(ctx).get(proposalKey(id));
    return raw === undefined ? undefined : Proposal.decode(raw);
  }

  /** Whether a proposal is stored (a point lookup, nothing decoded). */
  hasProposal(ctx: Context, id: bigint): boolean {
    return this.kv(ctx).has(proposalKey(id));
  }

  private mustGetProposal(ctx: Context, id: bigint): Proposal {
    const p = this.getProposal(ctx, id);
    if (p === undefined) throw ErrUnknownProposal.wrap(`proposal ${id} does not exist`);
    return p;
  }

  setProposal(ctx: Context, p: Proposal): void {
    this.kv(ctx).set(proposalKey(p.id), Proposal.encode(p).finish());
  }

  /** Every stored proposal in id order (queries, genesis export). */
  *allProposals(ctx: Context): IterableIterator<Proposal> {
    const start = single(KEY.proposal);
    for (const [, v] of this.kv(ctx).iterate(start, single(KEY.proposal + 1))) yield Proposal.decode(v);
  }

  /**
   * Decodes proposal messages with the app's router and checks each one's signers: exactly the
   * gov module account. Throws ErrUnroutableProposalMsg (unknown type), ErrInvalidProposalMsg
   * (undecodable or failing validation) or ErrInvalidSigner, naming the message.
   */
  decodeProposalMessages(messages: readonly Any[]): DecodedMsg[] {
    const out: DecodedMsg[] = [];
    messages.forEach((any, i) => {
      const where = `proposal message ${i} (${any.typeUrl})`;
      if (!this.deps.router.has(any.typeUrl)) {
        throw ErrUnroutableProposalMsg.wrap(`${where}: no handler is registered for this message type`);
      }
      let msg: DecodedMsg;
      try {
        msg = this.deps.router.decode(any);
      } catch (e) {
        throw ErrInvalidProposalMsg.wrap(`${where}: ${describe(e)}`);
      }
      let signers: string[];
      try {
        signers = this.deps.router.signers(msg);
      } catch (e) {
        throw ErrInvalidProposalMsg.wrap(`${where}: cannot determine its signer: ${describe(e)}`);
      }
      if (signers.length !== 1) {
        throw ErrInvalidSigner.wrap(
          `${where} has ${signers.length} signers [${signers.join(", ")}]; a proposal message must have exactly one signer, the gov module account ${this.authority}`,
        );
      }
      const signer = signers[0] as string;
      if (signer !== this.authority) {
        throw ErrInvalidSigner.wrap(
          `${where} is signed by ${signer}; proposal messages must name the gov module account ${this.authority} as their authority/signer`,
        );
      }
      out.push(msg);
    });
    return out;
  }

  /** The messages of a stored proposal that still decode (after an upgrade a type may be gone). */
  storedMessages(p: Proposal): { msgs: DecodedMsg[]; error: string | undefined } {
    const msgs: DecodedMsg[] = [];
    let error: string | undefined;
    p.messages.forEach((any, i) => {
      try {
        msgs.push(this.deps.router.decode(any));
      } catch (e) {
        error ??= `proposal message ${i} (${any.typeUrl}) cannot be decoded: ${describe(e)}`;
      }
    });
    return { msgs, error };
  }

  private minDepositFor(params: GovParams, expedited: boolean): readonly Coin[] {
    return expedited ? params.expeditedMinDeposit : params.minDeposit;
  }

  private validateDepositDenoms(params: GovParams, amount: readonly Coin[]): void {
    const accepted = new Set(params.minDeposit.map((c) => c.denom));
    for (const c of amount) {
      if (!accepted.has(c.denom)) {
        throw ErrInvalidCoins.wrap(`deposited ${formatCoins(amount)}, but gov accepts only the following denom(s): ${[...accepted].sort().join(", ")}`);
      }
    }
  }

  private validateInitialDeposit(params: GovParams, initial: readonly Coin[], expedited: boolean): void {
    if (params.minInitialDepositRatio === 0n) return;
    const needed = this.minDepositFor(params, expedited)
      .map((c) => ({ denom: c.denom, amount: roundHalfEven(c.amount * params.minInitialDepositRatio) }))
      .filter((c) => c.amount > 0n);
    if (!allGte(initial, needed)) {
      throw ErrMinDepositTooSmall.wrap(
        `initial deposit ${formatCoins(initial) || "(none)"} is below ${formatCoins(needed)} (min_initial_deposit_ratio ${decToJson(params.minInitialDepositRatio)} of the minimum deposit)`,
      );
    }
  }

  private validateText(input: SubmitProposalInput): void {
    if (input.title === "") throw ErrInvalidProposalContent.wrap("proposal title cannot be empty");
    if (input.summary === "") throw ErrInvalidProposalContent.wrap("proposal summary cannot be empty");
    if (input.title.length > MAX_TITLE_LEN) {
      throw ErrInvalidProposalContent.wrap(`proposal title is ${input.title.length} characters; the maximum is ${MAX_TITLE_LEN}`);
    }
    if (input.summary.length > MAX_SUMMARY_LEN) {
      throw ErrInvalidProposalContent.wrap(`proposal summary is ${input.summary.length} characters; the maximum is ${MAX_SUMMARY_LEN}`);
    }
    assertMetadata(input.metadata);
    if (input.messages.length === 0 && input.metadata === "") {
      throw ErrNoProposalMsgs.wrap("a proposal needs messages or, for a text proposal, metadata");
    }
    if (input.metadata !== "") {
      let meta: unknown;
      try {
        meta = JSON.parse(input.metadata);
      } catch {
        meta = undefined; // metadata in another format (e.g. an IPFS link) is allowed
      }
      if (typeof meta === "object" && meta !== null && !Array.isArray(meta)) {
        const m = meta as Record<string, unknown>;
        if (typeof m["title"] === "string" && m["title"] !== input.title) {
          throw ErrInvalidProposalContent.wrap(`metadata title ${JSON.stringify(m["title"])} must equal the proposal title ${JSON.stringify(input.title)}`);
        }
        if (typeof m["summary"] === "string" && m["summary"] !== input.summary) {
          throw ErrInvalidProposalContent.wrap("metadata summary must equal the proposal summary");
        }
      }
    }
  }

  /**
   * Submits a proposal (MsgSubmitProposal): validates it, runs `beforeProposalSubmission` hooks,
   * stores it in the deposit period and adds the initial deposit (which may start voting).
   * Returns the new proposal id.
   */
  submitProposal(ctx: Context, input: SubmitProposalInput): bigint {
    const params = this.params(ctx);
    this.validateText(input);
    const msgs = this.decodeProposalMessages(input.messages);
    this.validateInitialDeposit(params, input.initialDeposit, input.expedited);
    this.validateDepositDenoms(params, input.initialDeposit);
    for (const h of this.hooks) h.beforeProposalSubmission?.(ctx, msgs, input.initialDeposit, input.proposer);

    const id = this.nextProposalId(ctx);
    this.setNextProposalId(ctx, id + 1n);
    const submitTime: Timestamp = { ...ctx.block.time };
    const depositEndTime = addDuration(submitTime, params.maxDepositPeriod);
    const proposal: Proposal = {
      id,
      messages: input.messages.map((m) => ({ typeUrl: m.typeUrl, value: m.value })),
      status: ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD,
      finalTallyResult: { ...EMPTY_TALLY },
      submitTime,
      depositEndTime,
      totalDeposit: [],
      metadata: input.metadata,
      title: input.title,
      summary: input.summary,
      proposer: input.proposer,
      expedited: input.expedited,
      failedReason: "",
    };
    this.setProposal(ctx, proposal);
    this.kv(ctx).set(queueKey(KEY.inactiveQueue, depositEndTime, id), u64be(id));
    for (const h of this.hooks) h.afterProposalSubmission?.(ctx, id, msgs);
    ctx.events.emit(GOV_EVENTS.submitProposal, [
      ["proposal_id", id.toString()],
      ["proposal_proposer", input.proposer],
      ["proposal_messages", input.messages.map((m) => m.typeUrl).join(",")],
    ]);
    const started = this.addDeposit(ctx, id, input.proposer, input.initialDeposit);
    if (started) ctx.events.emit(GOV_EVENTS.submitProposal, [["voting_period_start", id.toString()]]);
    return id;
  }

  // ---------------------------------------------------------------- deposits

  private readDeposit(raw: Uint8Array): StoredDeposit {
    const d = Deposit.decode(raw.subarray(8));
    return { proposalId: d.proposalId, depositor: d.depositor, amount: coinsFromStrings(d.amount), order: readU64be(raw) };
  }

  private writeDeposit(ctx: Context, d: StoredDeposit): void {
    const body = Deposit.encode({ proposalId: d.proposalId, depositor: d.depositor, amount: coinsToStrings(d.amount) }).finish();
    this.kv(ctx).set(depositKey(d.proposalId, d.depositor), concat(u64be(d.order), body));
  }

  getDeposit(ctx: Context, id: bigint, depositor: string): StoredDeposit | undefined {
    const raw = this.kv(ctx).get(depositKey(id, depositor));
    return raw === undefined ? undefined : this.readDeposit(raw);
  }

  /** Deposits on a proposal in deposit order (first deposit first). */
  deposits(ctx: Context, id: bigint): StoredDeposit[] {
    const prefix = depositPrefix(id);
    const out: StoredDeposit[] = [];
    for (const [, v] of this.kv(ctx).iterate(prefix, prefixEnd(prefix))) out.push(this.readDeposit(v));
    return out.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  }

  /** Every deposit of every proposal, in deposit order (genesis export). */
  allDeposits(ctx: Context): StoredDeposit[] {
    const out: StoredDeposit[] = [];
    for (const [, v] of this.kv(ctx).iterate(single(KEY.deposit), single(KEY.deposit + 1))) out.push(this.readDeposit(v));
    return out.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  }

  /**
   * Adds a deposit (MsgDeposit, or the initial deposit of a submission). Moves the coins to the gov
   * module account; a proposal in its deposit period whose total reaches the minimum deposit
   * enters the voting period (returns true then).
   */
  addDeposit(ctx: Context, id: bigint, depositor: string, amount: readonly Coin[]): boolean {
    const proposal = this.mustGetProposal(ctx, id);
    const inDeposit = proposal.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD;
    if (!inDeposit && proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
      throw ErrInactiveProposal.wrap(`proposal ${id} is ${statusName(proposal.status)}; deposits are accepted only in the deposit and voting periods`);
    }
    const params = this.params(ctx);
    this.validateDepositDenoms(params, amount);
    const minDeposit = this.minDepositFor(params, proposal.expedited);
    // As in the SDK this applies to the initial deposit of a submission too.
    if (params.minDepositRatio > 0n) {
      const thresholds = minDeposit.map((c) => ({ denom: c.denom, amount: (c.amount * params.minDepositRatio) / DEC_ONE }));
      const met = thresholds.some((t) => {
        const paid = amount.find((c) => c.denom === t.denom);
        return paid !== undefined && paid.amount >= t.amount;
      });
      if (!met) {
        throw ErrMinDepositTooSmall.wrap(
          `deposit ${formatCoins(amount) || "(none)"} is below the smallest accepted deposit; need at least one of ${formatCoins(thresholds)} (min_deposit_ratio ${decToJson(params.minDepositRatio)})`,
        );
      }
    }
    if (amount.length > 0) {
      this.deps.bank.sendFromAccountToModule(ctx, depositor, GOV_MODULE, amount);
      this.setEscrow(ctx, addCoins(this.escrow(ctx), amount));
    }
    const totalDeposit = addCoins(coinsFromStrings(proposal.totalDeposit), amount);
    let updated: Proposal = { ...proposal, totalDeposit: coinsToStrings(totalDeposit) };
    let activated = false;
    if (inDeposit && allGte(totalDeposit, minDeposit)) {
      updated = this.activateVotingPeriod(ctx, updated, params);
      activated = true;
    }
    this.setProposal(ctx, updated);
    if (amount.length > 0) {
      const existing = this.getDeposit(ctx, id, depositor);
      this.writeDeposit(ctx, {
        proposalId: id,
        depositor,
        amount: addCoins(existing?.amount ?? [], amount),
        order: existing?.order ?? this.nextDepositOrder(ctx),
      });
    }
    for (const h of this.hooks) h.afterProposalDeposit?.(ctx, id, depositor, amount);
    ctx.events.emit(GOV_EVENTS.proposalDeposit, [
      ["amount", formatCoins(amount)],
      ["proposal_id", id.toString()],
      ["depositor", depositor],
    ]);
    return activated;
  }

  private activateVotingPeriod(ctx: Context, p: Proposal, params: GovParams): Proposal {
    const start: Timestamp = { ...ctx.block.time };
    const end = addDuration(start, p.expedited ? params.expeditedVotingPeriod : params.votingPeriod);
    const store = this.kv(ctx);
    if (p.depositEndTime !== undefined) store.delete(queueKey(KEY.inactiveQueue, p.depositEndTime, p.id));
    store.set(queueKey(KEY.activeQueue, end, p.id), u64be(p.id));
    return { ...p, status: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, votingStartTime: start, votingEndTime: end };
  }

  /**
   * Refunds a proposal's deposits and deletes them, burning `burn` out of them first (taken in
   * deposit order; capped at what was deposited).
   */
  refundAndDeleteDeposits(ctx: Context, id: bigint, burn: readonly Coin[] = []): void {
    const deposits = this.deposits(ctx, id);
    const toBurn = new Map<string, bigint>();
    for (const c of burn) if (c.amount > 0n) toBurn.set(c.denom, (toBurn.get(c.denom) ?? 0n) + c.amount);
    const burned = new Map<string, bigint>();
    let total: Coin[] = [];
    for (const d of deposits) {
      const refund: Coin[] = [];
      for (const c of d.amount) {
        const want = toBurn.get(c.denom) ?? 0n;
        const take = want < c.amount ? want : c.amount;
        if (take > 0n) {
          toBurn.set(c.denom, want - take);
          burned.set(c.denom, (burned.get(c.denom) ?? 0n) + take);
        }
        if (c.amount - take > 0n) refund.push({ denom: c.denom, amount: c.amount - take });
      }
      if (refund.length > 0) this.deps.bank.sendFromModuleToAccount(ctx, GOV_MODULE, d.depositor, refund);
      this.kv(ctx).delete(depositKey(id, d.depositor));
      total = addCoins(total, d.amount);
    }
    const burnCoins = sortedCoins(burned);
    if (burnCoins.length > 0) this.deps.bank.burnCoins(ctx, GOV_MODULE, burnCoins);
    this.setEscrow(ctx, subCoins(this.escrow(ctx), total));
  }

  /** Burns all of a proposal's deposits and deletes them. */
  burnAndDeleteDeposits(ctx: Context, id: bigint): void {
    let total: Coin[] = [];
    for (const d of this.deposits(ctx, id)) {
      this.kv(ctx).delete(depositKey(id, d.depositor));
      total = addCoins(total, d.amount);
    }
    if (total.length > 0) this.deps.bank.burnCoins(ctx, GOV_MODULE, total);
    this.setEscrow(ctx, subCoins(this.escrow(ctx), total));
  }

  // ---------------------------------------------------------------- votes

  /** Casts or replaces a vote (MsgVote / MsgVoteWeighted) on a proposal in its voting period. */
  addVote(ctx: Context, id: bigint, voter: string, options: readonly WeightedOption[], metadata: string): void {
    const proposal = this.mustGetProposal(ctx, id);
    if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
      throw ErrInactiveProposal.wrap(`proposal ${id} is ${statusName(proposal.status)}; votes are accepted only in the voting period`);
    }
    assertMetadata(metadata);
    // Options from messages were validated in validateBasic; direct callers get the same checks.
    parseWeightedOptions(optionsToProto(options));
    const vote: Vote = { proposalId: id, voter, options: optionsToProto(options), metadata };
    this.kv(ctx).set(voteKey(id, voter), Vote.encode(vote).finish());
    for (const h of this.hooks) h.afterProposalVote?.(ctx, id, voter);
    ctx.events.emit(GOV_EVENTS.proposalVote, [
      ["voter", voter],
      ["option", optionsEventValue(options)],
      ["proposal_id", id.toString()],
    ]);
  }

  getVote(ctx: Context, id: bigint, voter: string): Vote | undefined {
    const raw = this.kv(ctx).get(voteKey(id, voter));
    return raw === undefined ? undefined : Vote.decode(raw);
  }

  /** Votes on a proposal in voter-address order. */
  *votes(ctx: Context, id: bigint): IterableIterator<Vote> {
    const prefix = votePrefix(id);
    for (const [, v] of this.kv(ctx).iterate(prefix, prefixEnd(prefix))) yield Vote.decode(v);
  }

  /** Every stored vote (genesis export). */
  *allVotes(ctx: Context): IterableIterator<Vote> {
    for (const [, v] of this.kv(ctx).iterate(single(KEY.vote), single(KEY.vote + 1))) yield Vote.decode(v);
  }

  deleteVotes(ctx: Context, id: bigint): void {
    const prefix = votePrefix(id);
    const store = this.kv(ctx);
    const keys: Uint8Array[] = [];
    for (const [k] of store.iterate(prefix, prefixEnd(prefix))) keys.push(k.slice());
    for (const k of keys) store.delete(k);
  }

  // ---------------------------------------------------------------- tally

  /** Tallies the current votes of a proposal (does not change state). */
  tally(ctx: Context, p: Proposal): TallyOutcome {
    const params = this.params(ctx);
    const staking = this.deps.staking;
    const validators = staking.bondedValidators(ctx);
    const voters = function* (votes: IterableIterator<Vote>): IterableIterator<TallyVoter> {
      for (const v of votes) yield { voter: v.voter, options: parseWeightedOptions(v.options) };
    };
    const counts = countVotes(validators, voters(this.votes(ctx, p.id)), (voter) => staking.delegationsOf(ctx, voter));
    const decision = decideTally(counts, staking.totalBondedTokens(ctx), {
      quorum: params.quorum,
      threshold: p.expedited ? params.expeditedThreshold : params.threshold,
      vetoThreshold: params.vetoThreshold,
    });
    return { counts, decision, result: tallyResultOf(counts) };
  }

  // ---------------------------------------------------------------- end block (abci.ts)

  /** Processes proposals whose deposit period or voting period ended at or before the block time. */
  endBlock(ctx: Context): void {
    abci.endBlock(ctx, this);
  }

  // ---------------------------------------------------------------- genesis helpers

  /** Genesis: stores a proposal and puts it on the queue its status implies. */
  importProposal(ctx: Context, p: Proposal): void {
    this.setProposal(ctx, p);
    if (p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && p.depositEndTime !== undefined) {
      this.kv(ctx).set(queueKey(KEY.inactiveQueue, p.depositEndTime, p.id), u64be(p.id));
    } else if (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD && p.votingEndTime !== undefined) {
      this.kv(ctx).set(queueKey(KEY.activeQueue, p.votingEndTime, p.id), u64be(p.id));
    }
  }

  /** Genesis: stores a deposit (in the order given) and adds it to the escrow. */
  importDeposit(ctx: Context, proposalId: bigint, depositor: string, amount: readonly Coin[]): void {
    const existing = this.getDeposit(ctx, proposalId, depositor);
    this.writeDeposit(ctx, {
      proposalId,
      depositor,
      amount: addCoins(existing?.amount ?? [], amount),
      order: existing?.order ?? this.nextDepositOrder(ctx),
    });
    this.setEscrow(ctx, addCoins(this.escrow(ctx), amount));
  }

  /** Genesis: stores a vote as given. */
  importVote(ctx: Context, v: Vote): void {
    this.kv(ctx).set(voteKey(v.proposalId, v.voter), Vote.encode(v).finish());
  }
}

/** An 18-decimal value rounded to an integer, half to even (the SDK's LegacyDec.RoundInt). */
function roundHalfEven(x: bigint): bigint {
  const q = x / DEC_ONE;
  const r = x % DEC_ONE;
  const half = DEC_ONE / 2n;
  if (r > half || (r === half && q % 2n === 1n)) return q + 1n;
  return q;
}

function assertMetadata(metadata: string): void {
  if (metadata.length > MAX_METADATA_LEN) {
    throw ErrMetadataTooLong.wrap(`metadata is ${metadata.length} characters; the maximum is ${MAX_METADATA_LEN}`);
  }
}
