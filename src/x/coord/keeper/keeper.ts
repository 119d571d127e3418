/**
 * The coordination keeper: typed records over the store layout of ../keys.ts, ids, params, the
 * membership rule, the case state machine (`transition`), the public timeline and the deadline
 * schedule. The rules of each message live beside it, one file per concern (parties.ts, cases.ts,
 * revisions.ts, notices.ts, inputs.ts, reveal.ts, abci.ts); the class delegates to them so the
 * msg server, queries, genesis and the circuit breaker see one object.
 *
 *   member = active dCERT member (x/dcert: seated, accepted, bonded, not suspended or barred,
 *            group not disbanded) ∧ a non-withdrawn party record with an encryption key
 */
import type { Timestamp } from "../../../generated/google/protobuf/timestamp";
import { addrBytes, addrString } from "../../auth/keeper";
import type { Context } from "../../../baseapp/context";
import { readU64be, u64be } from "../../../baseapp/encoding";
import { prefixEnd } from "../../../baseapp/store/prefix";
import type { KVStore } from "../../../baseapp/store/types";
import { Params } from "../../../generated/coord/v1/params";
import {
  Case,
  CaseStatus,
  type CheckEntry,
  Commitment,
  type CommitmentKind,
  Disclosure,
  DisclosureCheck,
  EmbargoState,
  Involvement,
  LevelMetrics,
  Mitigation,
  Notice,
  Party,
  PostCoordinationRecord,
  Revision,
  SealedInput,
  TimelineEntry,
} from "../../../generated/coord/v1/types";
import { emitCoord } from "../events";
import { ErrCaseNotFound, ErrDisabled, ErrGroupFrozen, ErrInvalidAuthority, ErrNoEncryptionKey, ErrNotMember } from "../errors";
import type { AuthForCoord, BankForCoord, DcertForCoord, UpgradeForCoord } from "../expected";
import { COORD_STORE, DEPOSITS_MODULE, type Due, KEY, keys } from "../keys";
import type { ModuleTable } from "../match";
import * as abci from "./abci";
import * as cases from "./cases";
import * as checking from "./check";
import * as gating from "./gate";
import * as inputs from "./inputs";
import * as notices from "./notices";
import { defaultCoordParams, validateCoordParams } from "./params";
import * as parties from "./parties";
import * as revealing from "./reveal";
import * as revisions from "./revisions";
import type { InvolvementStatus, RecordSummary } from "../../../generated/coord/v1/types";
import type { Envelope } from "../../../generated/coord/v1/types";

const PRESENT = new Uint8Array();

/**
 * The chain's modules and the proto packages of the message routes each serves (what a MODULE
 * dependency or component covers). Pinned against the router by test/unit/coord/keeper-parties.test.ts.
 */
export const COORD_MODULE_TABLE: ModuleTable = new Map<string, readonly string[]>([
  ["auth", ["cosmos.auth.v1beta1"]],
  ["bank", ["cosmos.bank.v1beta1"]],
  ["coord", ["coord.v1"]],
  ["dcert", ["dcert.v1"]],
  ["distribution", ["cosmos.distribution.v1beta1"]],
  ["gov", ["cosmos.gov.v1", "cosmos.gov.v1beta1"]],
  ["mint", ["cosmos.mint.v1beta1"]],
  ["slashing", ["cosmos.slashing.v1beta1"]],
  ["staking", ["cosmos.staking.v1beta1"]],
  ["upgrade", ["cosmos.upgrade.v1beta1", "dcert.upgrade.v1"]],
]);

export interface CoordKeeperDeps {
  readonly dcert: DcertForCoord;
  readonly bank: BankForCoord;
  readonly auth: AuthForCoord;
  /** The gov module account: the authority of MsgUpdateParams. */
  readonly authority: string;
  /** Upgrade readiness for reveal gates (optional; see also `wireUpgrade`). */
  readonly upgrade?: UpgradeForCoord;
}

/** Status/embargo pairs as "status/embargo" strings, for the transition table. */
const S = CaseStatus;
const E = EmbargoState;
function pair(s: CaseStatus, e: EmbargoState): string {
  return `${s}/${e}`;
}

/**
 * The status machine of docs/coordination.md §2.2, as (from, to) pairs. Anything else is a bug in
 * the keeper (never a user error): `transition` throws.
 */
export const TRANSITIONS: ReadonlyArray<readonly [CaseStatus, EmbargoState, CaseStatus, EmbargoState]> = [
  // opening
  [S.CASE_STATUS_UNSPECIFIED, E.EMBARGO_STATE_NONE, S.CASE_STATUS_OPEN, E.EMBARGO_STATE_ACTIVE],
  [S.CASE_STATUS_UNSPECIFIED, E.EMBARGO_STATE_NONE, S.CASE_STATUS_OPEN, E.EMBARGO_STATE_PROPOSED],
  // co-signing
  [S.CASE_STATUS_OPEN, E.EMBARGO_STATE_PROPOSED, S.CASE_STATUS_OPEN, E.EMBARGO_STATE_ACTIVE],
  [S.CASE_STATUS_OPEN, E.EMBARGO_STATE_PROPOSED, S.CASE_STATUS_WITHDRAWN, E.EMBARGO_STATE_EXITED],
  // revisions: proposed, applied (new terms), withdrawn, expired
  [S.CASE_STATUS_OPEN, E.EMBARGO_STATE_ACTIVE, S.CASE_STATUS_OPEN, E.EMBARGO_STATE_REVISED],
  [S.CASE_STATUS_OVERDUE, E.EMBARGO_STATE_ACTIVE, S.CASE_STATUS_OVERDUE, E.EMBARGO_STATE_REVISED],
  [S.CASE_STATUS_OPEN, E.EMBARGO_STATE_REVISED, S.CASE_STATUS_OPEN, E.EMBARGO_STATE_ACTIVE],
  [S.CASE_STATUS_OVERDUE, E.EMBARGO_STATE_REVISED, S.CASE_STATUS_OVERDUE, E.EMBARGO_STATE_ACTIVE],
  [S.CASE_STATUS_OVERDUE, E.EMBARGO_STATE_REVISED, S.CASE_STATUS_OPEN, E.EMBARGO_STATE_ACTIVE],
  [S.CASE_STATUS_OPEN, E.EMBARGO_STATE_REVISED, S.CASE_STATUS_WITHDRAWN, E.EMBARGO_STATE_EXITED],
  [S.CASE_STATUS_OVERDUE, E.EMBARGO_STATE_REVISED, S.CASE_STATUS_WITHDRAWN, E.EMBARGO_STATE_EXITED],
  // overdue (EndBlock)
  [S.CASE_STATUS_OPEN, E.EMBARGO_STATE_ACTIVE, S.CASE_STATUS_OVERDUE, E.EMBARGO_STATE_ACTIVE],
  [S.CASE_STATUS_OPEN, E.EMBARGO_STATE_REVISED, S.CASE_STATUS_OVERDUE, E.EMBARGO_STATE_REVISED],
  // disclosure
  [S.CASE_STATUS_OPEN, E.EMBARGO_STATE_ACTIVE, S.CASE_STATUS_DISCLOSED, E.EMBARGO_STATE_EXITED],
  [S.CASE_STATUS_OPEN, E.EMBARGO_STATE_REVISED, S.CASE_STATUS_DISCLOSED, E.EMBARGO_STATE_EXITED],
  [S.CASE_STATUS_OVERDUE, E.EMBARGO_STATE_ACTIVE, S.CASE_STATUS_DISCLOSED, E.EMBARGO_STATE_EXITED],
  [S.CASE_STATUS_OVERDUE, E.EMBARGO_STATE_REVISED, S.CASE_STATUS_DISCLOSED, E.EMBARGO_STATE_EXITED],
  // closing
  [S.CASE_STATUS_DISCLOSED, E.EMBARGO_STATE_EXITED, S.CASE_STATUS_CLOSED, E.EMBARGO_STATE_EXITED],
];

const ALLOWED = new Set(TRANSITIONS.map(([a, b, c, d]) => `${pair(a, b)}>${pair(c, d)}`));

/** The (status, embargo) pairs a stored case may be in. */
export const VALID_STATES: ReadonlySet<string> = new Set(TRANSITIONS.map(([, , c, d]) => pair(c, d)));

export function isValidCaseState(status: CaseStatus, embargo: EmbargoState): boolean {
  return VALID_STATES.has(pair(status, embargo));
}

export function isTransitionAllowed(from: [CaseStatus, EmbargoState], to: [CaseStatus, EmbargoState]): boolean {
  return ALLOWED.has(`${pair(from[0], from[1])}>${pair(to[0], to[1])}`);
}

/** Where a case's deadline lives: a block time or a height. */
export type Deadline = { readonly time: Timestamp } | { readonly height: bigint };

export function caseDeadline(c: Case): Deadline {
  return c.deadlineTime !== undefined ? { time: c.deadlineTime } : { height: c.deadlineHeight };
}

export class CoordKeeper {
  readonly authority: string;
  readonly modules: ModuleTable = COORD_MODULE_TABLE;

  private upgrade: UpgradeForCoord | undefined;

  constructor(readonly deps: CoordKeeperDeps) {
    this.authority = deps.authority;
    this.upgrade = deps.upgrade;
    deps.auth.declareModuleAccount(DEPOSITS_MODULE);
  }

  /**
   * Wires the upgrade-readiness source of reveal gates after construction (the app may build the
   * upgrade module after this one, as x/dcert's `wireCoordination`). Replaces any earlier source.
   */
  wireUpgrade(u: UpgradeForCoord): void {
    this.upgrade = u;
  }

  upgradeSource(): UpgradeForCoord | undefined {
    return this.upgrade;
  }

  hasUpgradeSource(): boolean {
    return this.upgrade !== undefined;
  }

  /** Whether the reveal gate of `c` is open now (true when it has none). */
  revealGateOpen(ctx: Context, c: Case): boolean {
    return gating.revealGateOpen(ctx, this, c);
  }

  kv(ctx: Context): KVStore {
    return ctx.kv(COORD_STORE);
  }

  // ================================================================== params and ids

  params(ctx: Context): Params {
    const raw = this.kv(ctx).get(keys.single(KEY.params));
    return raw === undefined ? defaultCoordParams() : Params.decode(raw);
  }

  setParams(ctx: Context, p: Params): void {
    this.kv(ctx).set(keys.single(KEY.params), Params.encode(p).finish());
  }

  /** The next id of a counter (ids start at 1) without taking it. */
  peekId(ctx: Context, counter: number): bigint {
    const raw = this.kv(ctx).get(keys.single(counter));
    return raw === undefined ? 1n : readU64be(raw);
  }

  setNextId(ctx: Context, counter: number, next: bigint): void {
    this.kv(ctx).set(keys.single(counter), u64be(next));
  }

  /** Takes the next id of `counter` (KEY.nextCaseId, nextNoticeId or nextInputId). */
  takeId(ctx: Context, counter: number): bigint {
    const id = this.peekId(ctx, counter);
    this.setNextId(ctx, counter, id + 1n);
    return id;
  }

  // ================================================================== roles

  requireEnabled(ctx: Context, what: string): void {
    if (!this.params(ctx).enabled) {
      throw ErrDisabled.wrap(`governance has disabled coordination (params.enabled = false); ${what} is refused until it is enabled again`);
    }
  }

  requireAuthority(authority: string, what: string): void {
    if (authority !== this.authority) {
      throw ErrInvalidAuthority.wrap(`${what} is governance-only: its authority must be the gov module account ${this.authority}, got ${authority}; submit it inside a governance proposal`);
    }
  }

  /** Throws ErrGroupFrozen (16) while a disband proposal is pending or the group is disbanded. */
  requireNotFrozen(ctx: Context, what: string): void {
    if (this.deps.dcert.isDisbanded(ctx)) throw ErrGroupFrozen.wrap(`the dCERT group is disbanded; cannot ${what} until governance re-establishes it`);
    if (this.deps.dcert.disbandPending(ctx)) {
      throw ErrGroupFrozen.wrap(`a disband proposal is pending, so the group cannot ${what}; notices, reveals and acknowledgements go on meanwhile`);
    }
  }

  /** Throws ErrNotMember (2) or ErrNoEncryptionKey (3) unless `address` may act on cases. */
  requireMember(ctx: Context, address: string, what: string): Party {
    if (!this.deps.dcert.isActiveMember(ctx, address)) {
      throw ErrNotMember.wrap(`${address} is not an active dCERT member (seated, bonded, not suspended); only active members may ${what}`);
    }
    const p = this.getParty(ctx, address);
    if (p === undefined || p.withdrawnHeight !== 0n || p.encryptionKey.length === 0) {
      throw ErrNoEncryptionKey.wrap(`${address} is a member but has no registered party record with an encryption key; register one with MsgRegisterParty before you ${what}`);
    }
    return p;
  }

  /** Active members that have a non-withdrawn party record with a key: whom input is sealed to. */
  groupKeys(ctx: Context): { keys: { address: string; encryptionKey: Uint8Array; keyEpoch: number }[]; missing: string[] } {
    const out: { address: string; encryptionKey: Uint8Array; keyEpoch: number }[] = [];
    const missing: string[] = [];
    for (const m of this.deps.dcert.activeMembers(ctx)) {
      const p = this.getParty(ctx, m);
      if (p === undefined || p.withdrawnHeight !== 0n || p.encryptionKey.length === 0) missing.push(m);
      else out.push({ address: m, encryptionKey: p.encryptionKey, keyEpoch: p.keyEpoch });
    }
    return { keys: out, missing };
  }

  // ================================================================== parties

  getParty(ctx: Context, address: string): Party | undefined {
    const raw = this.kv(ctx).get(keys.party(addrBytes(address)));
    return raw === undefined ? undefined : Party.decode(raw);
  }

  setParty(ctx: Context, p: Party): void {
    this.kv(ctx).set(keys.party(addrBytes(p.address)), Party.encode(p).finish());
  }

  *allParties(ctx: Context): Generator<Party> {
    const start = keys.prefix(KEY.party);
    for (const [, v] of this.kv(ctx).iterate(start, prefixEnd(start))) yield Party.decode(v);
  }

  keyOwner(ctx: Context, key: Uint8Array): string | undefined {
    const raw = this.kv(ctx).get(keys.keyOwner(key));
    return raw === undefined ? undefined : addrString(raw);
  }

  setKeyOwner(ctx: Context, key: Uint8Array, owner: string): void {
    this.kv(ctx).set(keys.keyOwner(key), addrBytes(owner));
  }

  deleteKeyOwner(ctx: Context, key: Uint8Array): void {
    this.kv(ctx).delete(keys.keyOwner(key));
  }

  // ================================================================== cases

  getCase(ctx: Context, id: bigint): Case | undefined {
    const raw = this.kv(ctx).get(keys.case(id));
    return raw === undefined ? undefined : Case.decode(raw);
  }

  requireCase(ctx: Context, id: bigint): Case {
    const c = id === 0n ? undefined : this.getCase(ctx, id);
    if (c === undefined) throw ErrCaseNotFound.wrap(`no case ${id} (case ids start at 1; Query/Cases lists them)`);
    return c;
  }

  setCase(ctx: Context, c: Case): void {
    this.kv(ctx).set(keys.case(c.id), Case.encode(c).finish());
  }

  setCaseStatusIndex(ctx: Context, status: CaseStatus, id: bigint, present: boolean): void {
    if (present) this.kv(ctx).set(keys.caseByStatus(status, id), PRESENT);
    else this.kv(ctx).delete(keys.caseByStatus(status, id));
  }

  /** Case ids with `status`, ascending. */
  caseIdsWithStatus(ctx: Context, status: CaseStatus): bigint[] {
    const start = keys.casesByStatus(status);
    const out: bigint[] = [];
    for (const [k] of this.kv(ctx).iterate(start, prefixEnd(start))) out.push(readU64be(k, start.length));
    return out;
  }

  isCoordinator(c: Case, member: string): boolean {
    return c.coordinators.includes(member);
  }

  setCoordinatorIndex(ctx: Context, member: string, id: bigint): void {
    this.kv(ctx).set(keys.caseByCoordinator(addrBytes(member), id), PRESENT);
  }

  // ================================================================== commitments

  /** The latest version of the commitment of `kind` (undefined if never committed). */
  latestCommitment(ctx: Context, id: bigint, kind: CommitmentKind): Commitment | undefined {
    const start = keys.commitmentsOfKind(id, kind);
    for (const [, v] of this.kv(ctx).iterate(start, prefixEnd(start), true)) return Commitment.decode(v);
    return undefined;
  }

  setCommitment(ctx: Context, c: Commitment): void {
    this.kv(ctx).set(keys.commitment(c.caseId, c.kind, c.version), Commitment.encode(c).finish());
  }

  /** Every version of every commitment of a case, in key order (kind, version). */
  commitmentsOf(ctx: Context, id: bigint): Commitment[] {
    const start = keys.commitmentsOf(id);
    return [...this.kv(ctx).iterate(start, prefixEnd(start))].map(([, v]) => Commitment.decode(v));
  }

  // ================================================================== revisions

  getRevision(ctx: Context, id: bigint): Revision | undefined {
    const raw = this.kv(ctx).get(keys.revision(id));
    return raw === undefined ? undefined : Revision.decode(raw);
  }

  setRevision(ctx: Context, r: Revision): void {
    this.kv(ctx).set(keys.revision(r.caseId), Revision.encode(r).finish());
  }

  deleteRevision(ctx: Context, id: bigint): void {
    this.kv(ctx).delete(keys.revision(id));
  }

  // ================================================================== timeline

  /** Appends a public timeline entry (seq from 1) and bumps `c.timelineCount`; the caller saves `c`. */
  appendTimeline(ctx: Context, c: Case, what: string, actor: string, detail = ""): TimelineEntry {
    const seq = c.timelineCount + 1;
    c.timelineCount = seq;
    const e: TimelineEntry = {
      caseId: c.id,
      seq,
      what,
      status: c.status,
      embargoState: c.embargoState,
      actor,
      detail,
      height: ctx.block.height,
      time: ctx.block.time,
    };
    this.kv(ctx).set(keys.timeline(c.id, seq), TimelineEntry.encode(e).finish());
    return e;
  }

  timeline(ctx: Context, id: bigint): TimelineEntry[] {
    const start = keys.timelineOf(id);
    return [...this.kv(ctx).iterate(start, prefixEnd(start))].map(([, v]) => TimelineEntry.decode(v));
  }

  // ================================================================== the status machine

  /**
   * Moves case `c` to (`to`, `embargoTo`): refuses (throws a plain Error — a keeper bug, not a user
   * error) any pair outside the table of docs/coordination.md §2.2, keeps the status index, emits
   * EventCaseStatusChanged and appends a timeline entry named `cause`. The caller saves `c`.
   */
  transition(ctx: Context, c: Case, to: CaseStatus, embargoTo: EmbargoState, cause: string, actor = ""): void {
    const from = c.status;
    const embargoFrom = c.embargoState;
    if (!isTransitionAllowed([from, embargoFrom], [to, embargoTo])) {
      throw new Error(`case ${c.id}: transition ${CaseStatus[from]}/${EmbargoState[embargoFrom]} → ${CaseStatus[to]}/${EmbargoState[embargoTo]} (${cause}) is not in the status table`);
    }
    if (from !== to) {
      if (from !== CaseStatus.CASE_STATUS_UNSPECIFIED) this.setCaseStatusIndex(ctx, from, c.id, false);
      this.setCaseStatusIndex(ctx, to, c.id, true);
    }
    c.status = to;
    c.embargoState = embargoTo;
    emitCoord(ctx, "EventCaseStatusChanged", { caseId: c.id, from, to, embargoFrom, embargoTo, cause, height: ctx.block.height });
    this.appendTimeline(ctx, c, cause, actor, `${CaseStatus[from]}/${EmbargoState[embargoFrom]} -> ${CaseStatus[to]}/${EmbargoState[embargoTo]}`);
  }

  // ================================================================== notices and involvements

  getNotice(ctx: Context, id: bigint): Notice | undefined {
    const raw = this.kv(ctx).get(keys.notice(id));
    return raw === undefined ? undefined : Notice.decode(raw);
  }

  /** Writes a notice and its recipient and case indexes. */
  putNotice(ctx: Context, n: Notice): void {
    const kv = this.kv(ctx);
    kv.set(keys.notice(n.id), Notice.encode(n).finish());
    kv.set(keys.noticeByRecipient(addrBytes(n.recipient), n.id), PRESENT);
    kv.set(keys.noticeByCase(n.caseId, n.id), PRESENT);
  }

  getInvolvement(ctx: Context, caseId: bigint, party: string): Involvement | undefined {
    const raw = this.kv(ctx).get(keys.involvement(caseId, addrBytes(party)));
    return raw === undefined ? undefined : Involvement.decode(raw);
  }

  setInvolvement(ctx: Context, i: Involvement): void {
    this.kv(ctx).set(keys.involvement(i.caseId, addrBytes(i.party)), Involvement.encode(i).finish());
  }

  involvementsOf(ctx: Context, caseId: bigint): Involvement[] {
    const start = keys.involvementsOf(caseId);
    return [...this.kv(ctx).iterate(start, prefixEnd(start))].map(([, v]) => Involvement.decode(v));
  }

  // ================================================================== input

  getInput(ctx: Context, id: bigint): SealedInput | undefined {
    const raw = this.kv(ctx).get(keys.input(id));
    return raw === undefined ? undefined : SealedInput.decode(raw);
  }

  /** Writes sealed input and its case, sender and recipient indexes. */
  putInput(ctx: Context, i: SealedInput): void {
    const kv = this.kv(ctx);
    kv.set(keys.input(i.id), SealedInput.encode(i).finish());
    kv.set(keys.inputByCase(i.caseId, i.id), PRESENT);
    kv.set(keys.inputBySender(addrBytes(i.sender), i.id), PRESENT);
    for (const r of i.recipients) kv.set(keys.inputByRecipient(addrBytes(r), i.id), PRESENT);
  }

  // ================================================================== disclosure, check, mitigations, record

  getDisclosure(ctx: Context, id: bigint): Disclosure | undefined {
    const raw = this.kv(ctx).get(keys.disclosure(id));
    return raw === undefined ? undefined : Disclosure.decode(raw);
  }

  setDisclosure(ctx: Context, d: Disclosure): void {
    this.kv(ctx).set(keys.disclosure(d.caseId), Disclosure.encode(d).finish());
  }

  getCheck(ctx: Context, id: bigint): DisclosureCheck | undefined {
    const raw = this.kv(ctx).get(keys.check(id));
    return raw === undefined ? undefined : DisclosureCheck.decode(raw);
  }

  /** Writes the check record (counts and `done`; entries are kept apart, see `checkEntries`). */
  setCheck(ctx: Context, c: DisclosureCheck): void {
    this.kv(ctx).set(keys.check(c.caseId), DisclosureCheck.encode({ ...c, entries: [] }).finish());
  }

  /** The entries of a case's disclosure check (0x52), in store key order; at most `limit`. */
  checkEntries(ctx: Context, id: bigint, limit?: number): CheckEntry[] {
    return checking.checkEntries(ctx, this, id, limit);
  }

  /** Whether the disclosure check of a case is still running (EndBlock advances it). */
  checkRunning(ctx: Context, id: bigint): boolean {
    return checking.checkRunning(ctx, this, id);
  }

  putMitigation(ctx: Context, seq: number, m: Mitigation): void {
    this.kv(ctx).set(keys.mitigation(m.caseId, seq), Mitigation.encode(m).finish());
  }

  mitigationsOf(ctx: Context, id: bigint): Mitigation[] {
    const start = keys.mitigationsOf(id);
    return [...this.kv(ctx).iterate(start, prefixEnd(start))].map(([, v]) => Mitigation.decode(v));
  }

  getRecord(ctx: Context, id: bigint): PostCoordinationRecord | undefined {
    const raw = this.kv(ctx).get(keys.record(id));
    return raw === undefined ? undefined : PostCoordinationRecord.decode(raw);
  }

  setRecord(ctx: Context, r: PostCoordinationRecord): void {
    this.kv(ctx).set(keys.record(r.caseId), PostCoordinationRecord.encode(r).finish());
  }

  // ================================================================== metrics

  metrics(ctx: Context, level: number): LevelMetrics {
    const raw = this.kv(ctx).get(keys.metrics(level));
    return raw === undefined ? LevelMetrics.fromPartial({ level }) : LevelMetrics.decode(raw);
  }

  setMetrics(ctx: Context, m: LevelMetrics): void {
    this.kv(ctx).set(keys.metrics(m.level), LevelMetrics.encode(m).finish());
  }

  // ================================================================== the deadline schedule

  /** The queue key scheduled for (case, what), if any. */
  scheduled(ctx: Context, id: bigint, what: Due): Uint8Array | undefined {
    return this.kv(ctx).get(keys.schedule(id, what));
  }

  /** Schedules (case, what) at a block time, replacing whatever was scheduled for it. */
  scheduleAt(ctx: Context, id: bigint, what: Due, at: Deadline): void {
    this.unschedule(ctx, id, what);
    const q = "time" in at ? keys.timeQueue(at.time, id, what) : keys.heightQueue(at.height, id, what);
    const kv = this.kv(ctx);
    kv.set(q, PRESENT);
    kv.set(keys.schedule(id, what), q);
  }

  unschedule(ctx: Context, id: bigint, what: Due): void {
    const kv = this.kv(ctx);
    const old = kv.get(keys.schedule(id, what));
    if (old === undefined) return;
    kv.delete(old);
    kv.delete(keys.schedule(id, what));
  }

  /** Drops every scheduled deadline of a case. PERF: O(its ≤ 7 schedule records). */
  unscheduleAll(ctx: Context, id: bigint): void {
    const kv = this.kv(ctx);
    const start = keys.scheduleOf(id);
    const found = [...kv.iterate(start, prefixEnd(start))];
    for (const [k, q] of found) {
      kv.delete(q);
      kv.delete(k);
    }
  }

  // ================================================================== messages (one file per concern)

  registerParty(ctx: Context, f: parties.PartyFields): Party {
    return parties.registerParty(ctx, this, f);
  }

  updateParty(ctx: Context, f: parties.PartyFields): Party {
    return parties.updateParty(ctx, this, f);
  }

  withdrawParty(ctx: Context, owner: string): Party {
    return parties.withdrawParty(ctx, this, owner);
  }

  openCase(ctx: Context, m: cases.OpenCaseInput): Case {
    return cases.openCase(ctx, this, m);
  }

  joinCase(ctx: Context, member: string, id: bigint): Case {
    return cases.joinCase(ctx, this, member, id);
  }

  commit(ctx: Context, member: string, id: bigint, kind: CommitmentKind, hash: Uint8Array): number {
    return cases.commit(ctx, this, member, id, kind, hash);
  }

  escalate(ctx: Context, m: cases.EscalateInput): Case {
    return cases.escalate(ctx, this, m);
  }

  proposeRevision(ctx: Context, m: revisions.ProposeInput): boolean {
    return revisions.proposeRevision(ctx, this, m);
  }

  approveRevision(ctx: Context, member: string, id: bigint): boolean {
    return revisions.approveRevision(ctx, this, member, id);
  }

  sendNotices(ctx: Context, member: string, id: bigint, list: readonly notices.NoticeInput[]): bigint[] {
    return notices.sendNotices(ctx, this, member, id, list);
  }

  submitInput(ctx: Context, sender: string, id: bigint, envelope: Envelope | undefined): bigint {
    return inputs.submitInput(ctx, this, sender, id, envelope);
  }

  acknowledge(ctx: Context, party: string, noticeId: bigint, hash: Uint8Array): Involvement {
    return notices.acknowledge(ctx, this, party, noticeId, hash);
  }

  updateInvolvement(ctx: Context, party: string, id: bigint, status: InvolvementStatus, noteHash: Uint8Array): Involvement {
    return notices.updateInvolvement(ctx, this, party, id, status, noteHash);
  }

  setRevealGate(ctx: Context, m: gating.SetRevealGateInput): Case {
    return gating.setRevealGate(ctx, this, m);
  }

  reveal(ctx: Context, member: string, id: bigint, items: readonly revealing.RevealItemInput[]): boolean {
    return revealing.reveal(ctx, this, member, id, items);
  }

  closeCase(ctx: Context, member: string, id: bigint, recordHash: Uint8Array, summary: RecordSummary): PostCoordinationRecord {
    return revealing.closeCase(ctx, this, member, id, recordHash, summary);
  }

  /**
   * A circuit break cites a case (x/dcert's MsgCircuitBreak.case_id, wired by the app): refuses an
   * unknown, closed or withdrawn case with ErrCannotCite (coord:37); records a Mitigation.
   */
  citeCase(ctx: Context, caseId: bigint, member: string, routes: readonly string[], reason: string): void {
    revealing.citeCase(ctx, this, caseId, member, routes, reason);
  }

  /** MsgUpdateParams (gov authority only). */
  updateParams(ctx: Context, authority: string, p: Params): void {
    this.requireAuthority(authority, "MsgUpdateParams");
    validateCoordParams(p);
    this.setParams(ctx, p);
    emitCoord(ctx, "EventParamsUpdated", { params: p });
  }

  /** Rebuilds the deadline schedule of a case from its fields (InitGenesis). */
  rescheduleCase(ctx: Context, c: Case): void {
    cases.rescheduleCase(ctx, this, c);
  }

  /** EndBlock: applies the due deadlines (returns how many fired), then advances the disclosure checks. */
  endBlock(ctx: Context): number {
    return abci.endBlock(ctx, this);
  }
}
