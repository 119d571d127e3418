/**
 * Store layout of the coordination module, declared once (store key "coord", prefix "coord/").
 *
 * Conventions (as in x/dcert): addresses in keys are raw address bytes with a one-byte length
 * prefix (lp); ids and heights are 8-byte big-endian; times are the 12-byte keys of
 * staking/time.ts, so queues iterate in order; kinds, statuses and levels are one byte; strings
 * are UTF-8 with a one-byte length prefix (≤ 255 bytes).
 *
 * Records (values are protobuf unless noted) and the indexes kept beside them; InitGenesis
 * rebuilds every index from the records.
 */
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { declareStore } from "../../baseapp/context";
import { concat, lengthPrefixed, u64be, utf8 } from "../../baseapp/encoding";
import { timeKey } from "../staking/time";

/** Module name (events, message.module, genesis section). */
export const COORD_MODULE = "coord";
/** Module account holding the parties' deposits. */
export const DEPOSITS_MODULE = "coord_deposits";

const LAYOUT = declareStore("coord", {
  /** → Params */
  params: 0x01,
  /** → u64be: the next case id (ids start at 1) */
  nextCaseId: 0x02,
  /** → u64be: the next notice id */
  nextNoticeId: 0x03,
  /** → u64be: the next input id */
  nextInputId: 0x04,
  /** 0x05 | level(1) → LevelMetrics (levels 1–3) */
  metrics: 0x05,

  /** 0x10 | lp(addr) → Party (withdrawn parties stay as tombstones) */
  party: 0x10,
  /** 0x11 | key(32) → owner address bytes (keys of registered, non-withdrawn parties are unique) */
  keyOwner: 0x11,
  /** 0x12 | kind(1) | lp(utf8 selector) | lp(addr) → empty: current dependencies of registered parties */
  depIndex: 0x12,

  /** 0x20 | id → Case */
  case: 0x20,
  /** 0x21 | id | kind(1) | version(4) → Commitment (every version kept; the highest is current) */
  commitment: 0x21,
  /** 0x22 | status(1) | id → empty */
  caseByStatus: 0x22,
  /** 0x23 | time(12) | id | what(1) → empty: time deadlines, popped by EndBlock in key order */
  timeQueue: 0x23,
  /** 0x24 | height(8) | id | what(1) → empty: height deadlines, popped by EndBlock */
  heightQueue: 0x24,
  /** 0x25 | lp(member) | id → empty: cases a member coordinates */
  caseByCoordinator: 0x25,
  /** 0x26 | id → Revision (at most one pending per case; approvals inside) */
  revision: 0x26,
  /** 0x28 | id | seq(4) → TimelineEntry (seq = TimelineEntry.seq, from 1) */
  timeline: 0x28,
  /**
   * 0x29 | id | what(1) → the 0x23/0x24 queue key (within the store) currently scheduled for that
   * case and purpose. Rescheduling deletes the old queue entry through it, so every queue entry
   * EndBlock pops is live; a popped entry that differs from its 0x29 record is dropped as stale.
   * Not in genesis: InitGenesis rebuilds it with the keeper's `rescheduleCase`.
   */
  schedule: 0x29,

  /** 0x30 | notice id → Notice */
  notice: 0x30,
  /** 0x31 | lp(recipient) | notice id → empty */
  noticeByRecipient: 0x31,
  /** 0x32 | case id | notice id → empty */
  noticeByCase: 0x32,
  /** 0x33 | case id | lp(party) → Involvement */
  involvement: 0x33,

  /** 0x40 | input id → SealedInput */
  input: 0x40,
  /** 0x41 | case id (0 = general inbox) | input id → empty */
  inputByCase: 0x41,
  /** 0x42 | lp(sender) | input id → empty */
  inputBySender: 0x42,
  /** 0x43 | lp(recipient) | input id → empty: input sealed to a member */
  inputByRecipient: 0x43,

  /** 0x50 | case id → Disclosure */
  disclosure: 0x50,
  /**
   * 0x51 | case id → DisclosureCheck: the counts so far and `done`; its `entries` list is empty in
   * the store (the entries are 0x52 records; genesis and the Disclosure query put them inline).
   */
  check: 0x51,
  /** 0x52 | case id | lp(party) → CheckEntry: one per party the check evaluated and listed */
  checkEntry: 0x52,
  /** 0x54 | case id | seq(4) → Mitigation (seq from 1, in citation order) */
  mitigation: 0x54,
  /** 0x55 | case id → PostCoordinationRecord */
  record: 0x55,
  /**
   * 0x56 | case id → cursor of a running disclosure check (keeper/check.ts, not protobuf):
   * phase(1: 1 = the candidate selectors, 2 = the case's involvements) | selector index u32be |
   * examined u64be (index entries + involvements so far) | u16be length + the last store key
   * processed in the current range (empty: from its start) | count(1) | lp(addr) × count (the
   * first missed parties, at most 100, for EventDisclosureCheckDone). Not in genesis: InitGenesis
   * restarts every check that is not done from the beginning.
   */
  checkCursor: 0x56,
  /** 0x57 | case id → empty: disclosure checks still running, advanced by EndBlock in id order */
  checkRunning: 0x57,
});
export const COORD_STORE = LAYOUT.store;
export const KEY = LAYOUT.prefixes;

/** What a queue entry (0x23 / 0x24) is due for. */
export const DUE = {
  /** Private contact with the affected parties is due (phase PRIVATE_CONTACT). */
  contact: 1,
  /** Advisory and fix are finalised (phase FINALIZE). */
  finalize: 2,
  /** The embargo deadline T (phase REVEAL). */
  reveal: 3,
  /** T + reveal window passed: overdue (and escalate). */
  overdue: 4,
  /** The pending revision expires. */
  revisionExpiry: 5,
  /** A proposed case not co-signed in time is withdrawn. */
  cosignExpiry: 6,
  /** Follow-up period after the disclosure ends (phase DONE). */
  followUpEnd: 7,
} as const;
export type Due = (typeof DUE)[keyof typeof DUE];

const lp = lengthPrefixed;
const b = (k: number): Uint8Array => Uint8Array.of(k);

export function u32be(v: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v);
  return out;
}

export const keys = {
  single: (k: number) => b(k),
  prefix: (k: number) => b(k),
  metrics: (level: number) => concat(b(KEY.metrics), b(level)),
  party: (addr: Uint8Array) => concat(b(KEY.party), lp(addr)),
  keyOwner: (key: Uint8Array) => concat(b(KEY.keyOwner), key),
  depIndex: (kind: number, selector: string, addr: Uint8Array) => concat(b(KEY.depIndex), b(kind), lp(utf8(selector)), lp(addr)),
  /** Every party indexed under exactly this selector. */
  depIndexSelector: (kind: number, selector: string) => concat(b(KEY.depIndex), b(kind), lp(utf8(selector))),
  /** Every selector of `kind` (to range-scan by name prefix: compare the decoded selector). */
  depIndexKind: (kind: number) => concat(b(KEY.depIndex), b(kind)),
  case: (id: bigint) => concat(b(KEY.case), u64be(id)),
  commitment: (id: bigint, kind: number, version: number) => concat(b(KEY.commitment), u64be(id), b(kind), u32be(version)),
  commitmentsOfKind: (id: bigint, kind: number) => concat(b(KEY.commitment), u64be(id), b(kind)),
  commitmentsOf: (id: bigint) => concat(b(KEY.commitment), u64be(id)),
  caseByStatus: (status: number, id: bigint) => concat(b(KEY.caseByStatus), b(status), u64be(id)),
  casesByStatus: (status: number) => concat(b(KEY.caseByStatus), b(status)),
  timeQueue: (t: Timestamp, id: bigint, what: Due) => concat(b(KEY.timeQueue), timeKey(t), u64be(id), b(what)),
  /** Exclusive end of the time-queue entries due at or before t. */
  timeQueueEnd: (t: Timestamp) => concat(b(KEY.timeQueue), timeKey({ seconds: t.seconds, nanos: t.nanos + 1 })),
  heightQueue: (height: bigint, id: bigint, what: Due) => concat(b(KEY.heightQueue), u64be(height), u64be(id), b(what)),
  /** Exclusive end of the height-queue entries due at or before height. */
  heightQueueEnd: (height: bigint) => concat(b(KEY.heightQueue), u64be(height + 1n)),
  caseByCoordinator: (member: Uint8Array, id: bigint) => concat(b(KEY.caseByCoordinator), lp(member), u64be(id)),
  casesByCoordinator: (member: Uint8Array) => concat(b(KEY.caseByCoordinator), lp(member)),
  revision: (id: bigint) => concat(b(KEY.revision), u64be(id)),
  timeline: (id: bigint, seq: number) => concat(b(KEY.timeline), u64be(id), u32be(seq)),
  timelineOf: (id: bigint) => concat(b(KEY.timeline), u64be(id)),
  schedule: (id: bigint, what: Due) => concat(b(KEY.schedule), u64be(id), b(what)),
  scheduleOf: (id: bigint) => concat(b(KEY.schedule), u64be(id)),
  notice: (id: bigint) => concat(b(KEY.notice), u64be(id)),
  noticeByRecipient: (party: Uint8Array, id: bigint) => concat(b(KEY.noticeByRecipient), lp(party), u64be(id)),
  noticesOfRecipient: (party: Uint8Array) => concat(b(KEY.noticeByRecipient), lp(party)),
  noticeByCase: (caseId: bigint, id: bigint) => concat(b(KEY.noticeByCase), u64be(caseId), u64be(id)),
  noticesOfCase: (caseId: bigint) => concat(b(KEY.noticeByCase), u64be(caseId)),
  involvement: (caseId: bigint, party: Uint8Array) => concat(b(KEY.involvement), u64be(caseId), lp(party)),
  involvementsOf: (caseId: bigint) => concat(b(KEY.involvement), u64be(caseId)),
  input: (id: bigint) => concat(b(KEY.input), u64be(id)),
  inputByCase: (caseId: bigint, id: bigint) => concat(b(KEY.inputByCase), u64be(caseId), u64be(id)),
  inputsOfCase: (caseId: bigint) => concat(b(KEY.inputByCase), u64be(caseId)),
  inputBySender: (sender: Uint8Array, id: bigint) => concat(b(KEY.inputBySender), lp(sender), u64be(id)),
  inputsOfSender: (sender: Uint8Array) => concat(b(KEY.inputBySender), lp(sender)),
  inputByRecipient: (recipient: Uint8Array, id: bigint) => concat(b(KEY.inputByRecipient), lp(recipient), u64be(id)),
  inputsOfRecipient: (recipient: Uint8Array) => concat(b(KEY.inputByRecipient), lp(recipient)),
  disclosure: (id: bigint) => concat(b(KEY.disclosure), u64be(id)),
  check: (id: bigint) => concat(b(KEY.check), u64be(id)),
  checkEntry: (id: bigint, party: Uint8Array) => concat(b(KEY.checkEntry), u64be(id), lp(party)),
  checkEntriesOf: (id: bigint) => concat(b(KEY.checkEntry), u64be(id)),
  checkCursor: (id: bigint) => concat(b(KEY.checkCursor), u64be(id)),
  checkRunning: (id: bigint) => concat(b(KEY.checkRunning), u64be(id)),
  mitigation: (id: bigint, seq: number) => concat(b(KEY.mitigation), u64be(id), u32be(seq)),
  mitigationsOf: (id: bigint) => concat(b(KEY.mitigation), u64be(id)),
  record: (id: bigint) => concat(b(KEY.record), u64be(id)),
} as const;

export { splitLengthPrefixed } from "../../baseapp/encoding";
