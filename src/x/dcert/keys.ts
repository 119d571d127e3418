/**
 * Store layout of the dCERT module, declared once (store key "dcert", prefix "dcert/").
 *
 * Addresses in keys are raw address bytes with a one-byte length prefix; heights and ids are
 * 8-byte big-endian; times are the 12-byte keys of staking/time.ts, so queues iterate in order.
 *
 * Two kinds of records:
 * - inputs, written by transactions, hooks and governance as they happen (params, group,
 *   candidates, pending votes, dirty markers, bonds, unbondings, suspensions, disband proposals,
 *   stipends, broken routes);
 * - election records (votes, tallies, eligibility, rank index, members, queue, meta), written
 *   ONLY by the module's EndBlock from the election engine's results. The in-memory engine is
 *   rebuilt from exactly these, so it never needs anything a rolled-back branch wrote.
 */
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { declareStore } from "../../baseapp/context";
import { concat, lengthPrefixed, u64be, utf8 } from "../../baseapp/encoding";
import { timeKey } from "../staking/time";

/** Module name (events, message.module, genesis section). */
export const DCERT_MODULE = "dcert";
/** Module account holding bonded and unbonding tokens ("burner": slashes burn from it). */
export const BONDS_MODULE = "dcert_bonds";

const LAYOUT = declareStore("dcert", {
  // ---- inputs
  /** → Params */
  params: 0x01,
  /** → GroupState */
  group: 0x02,
  /** → Acceptance {height, index = next index in that block} */
  acceptCounter: 0x04,
  /** → u64be next unbonding id */
  nextUnbondingId: 0x05,
  /** → 1 byte: every candidate's eligibility must be re-evaluated at the end of the block */
  recheckAll: 0x06,
  /** 0x11 | lp(voter) → PendingVote (sent this block, counted at its end) */
  pendingVote: 0x11,
  /** 0x12 | lp(voter) → empty: the voter's stake changed this block */
  dirtyVoter: 0x12,
  /** 0x20 | lp(addr) → Candidate (standing acceptance) */
  candidate: 0x20,
  /** 0x21 | lp(addr) → 1 byte removal hint (a KickReason, 0 = compute): eligibility may have changed */
  dirtyCandidate: 0x21,
  /** 0x40 | lp(member) | lp(staker) → amount (decimal) */
  bond: 0x40,
  /** 0x41 | lp(staker) | lp(member) → empty (bonds by staker) */
  bondByStaker: 0x41,
  /** 0x42 | lp(member) → total bonded for the member (decimal) */
  bondTotal: 0x42,
  /** 0x43 | id → UnbondingEntry */
  unbonding: 0x43,
  /** 0x44 | time(12) | id → empty (unbonding queue by completion time) */
  unbondingQueue: 0x44,
  /** 0x45 | lp(member) | lp(staker) | id → empty */
  unbondingByMember: 0x45,
  /** 0x46 | lp(staker) | id → empty */
  unbondingByStaker: 0x46,
  /** 0x50 | lp(member) → Suspension */
  suspension: 0x50,
  /** 0x51 | lp(target) | lp(voter) → SuspensionVote */
  suspensionVote: 0x51,
  /** 0x52 | lp(addr) → Barred (slashed by governance, not reinstated: no admission) */
  barred: 0x52,
  /** 0x53 | lp(voter) | lp(target) → empty (suspension votes by voter) */
  suspensionVoteByVoter: 0x53,
  /** 0x60 | proposal id → DisbandProposal (pending disband proposals) */
  disbandProposal: 0x60,
  /** 0x62 | proposal id | lp(addr) → empty: the disband slash of that pending proposal reaches addr */
  disbandExposure: 0x62,
  /** 0x61 | lp(member) → stipend paid so far (decimal) */
  stipend: 0x61,
  /** 0x70 | route (utf8) → BrokenRoute (circuit breaking; written by the circuit module) */
  brokenRoute: 0x70,

  // ---- election records (EndBlock only)
  /** → ElectionMeta (last sequence, election params the engine uses) */
  meta: 0x03,
  /** 0x10 | lp(voter) → VoterRecord (counted vote) */
  vote: 0x10,
  /** 0x13 | lp(addr) → tally (decimal), only when > 0 */
  tally: 0x13,
  /** 0x22 | lp(addr) → Acceptance: eligible in the engine */
  eligible: 0x22,
  /** 0x23 | ~tally(32) | height(8) | index(4) | lp(addr) → empty: eligible non-members, best first */
  rank: 0x23,
  /** 0x30 | lp(addr) → Member */
  member: 0x30,
  /** 0x31 | lp(challenger) → QueueEntry (a challenger is in at most one entry; ≤ max_members entries) */
  queue: 0x31,
});
export const DCERT_STORE = LAYOUT.store;
export const KEY = LAYOUT.prefixes;

const lp = lengthPrefixed;
const b = (k: number): Uint8Array => Uint8Array.of(k);

/** Tallies are indexed as 256-bit big-endian values; anything larger is a broken invariant. */
export const MAX_RANK_TALLY = (1n << 256n) - 1n;

/**
 * The low 256 bits of `v` (two's complement for a negative `v`), big-endian. PERF: through one hex
 * conversion, about 3× faster than eight-bit BigInt shifts; the rank key is built for every
 * candidate whose tally moved in a block.
 */
export function u256be(v: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(BigInt.asUintN(256, v).toString(16).padStart(64, "0"), "hex"));
}

function u32be(v: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v);
  return out;
}

export const keys = {
  single: (k: number) => b(k),
  prefix: (k: number) => b(k),
  pendingVote: (voter: Uint8Array) => concat(b(KEY.pendingVote), lp(voter)),
  dirtyVoter: (voter: Uint8Array) => concat(b(KEY.dirtyVoter), lp(voter)),
  vote: (voter: Uint8Array) => concat(b(KEY.vote), lp(voter)),
  tally: (addr: Uint8Array) => concat(b(KEY.tally), lp(addr)),
  candidate: (addr: Uint8Array) => concat(b(KEY.candidate), lp(addr)),
  dirtyCandidate: (addr: Uint8Array) => concat(b(KEY.dirtyCandidate), lp(addr)),
  eligible: (addr: Uint8Array) => concat(b(KEY.eligible), lp(addr)),
  /** Ascending key order = best first: tally descending, then acceptance height, index, address bytes. */
  rank: (tally: bigint, height: bigint, index: number, addr: Uint8Array) =>
    concat(b(KEY.rank), u256be(MAX_RANK_TALLY - tally), u64be(height), u32be(index), lp(addr)),
  member: (addr: Uint8Array) => concat(b(KEY.member), lp(addr)),
  queue: (challenger: Uint8Array) => concat(b(KEY.queue), lp(challenger)),
  bond: (member: Uint8Array, staker: Uint8Array) => concat(b(KEY.bond), lp(member), lp(staker)),
  bondsOf: (member: Uint8Array) => concat(b(KEY.bond), lp(member)),
  bondByStaker: (staker: Uint8Array, member: Uint8Array) => concat(b(KEY.bondByStaker), lp(staker), lp(member)),
  bondsByStaker: (staker: Uint8Array) => concat(b(KEY.bondByStaker), lp(staker)),
  bondTotal: (member: Uint8Array) => concat(b(KEY.bondTotal), lp(member)),
  unbonding: (id: bigint) => concat(b(KEY.unbonding), u64be(id)),
  unbondingQueue: (t: Timestamp, id: bigint) => concat(b(KEY.unbondingQueue), timeKey(t), u64be(id)),
  /** Exclusive end of the unbonding queue entries with completion time ≤ t. */
  unbondingQueueEnd: (t: Timestamp) => concat(b(KEY.unbondingQueue), timeKey({ seconds: t.seconds, nanos: t.nanos + 1 })),
  unbondingByMember: (member: Uint8Array, staker: Uint8Array, id: bigint) => concat(b(KEY.unbondingByMember), lp(member), lp(staker), u64be(id)),
  unbondingsOfMember: (member: Uint8Array) => concat(b(KEY.unbondingByMember), lp(member)),
  unbondingsOfPair: (member: Uint8Array, staker: Uint8Array) => concat(b(KEY.unbondingByMember), lp(member), lp(staker)),
  unbondingByStaker: (staker: Uint8Array, id: bigint) => concat(b(KEY.unbondingByStaker), lp(staker), u64be(id)),
  unbondingsOfStaker: (staker: Uint8Array) => concat(b(KEY.unbondingByStaker), lp(staker)),
  suspension: (member: Uint8Array) => concat(b(KEY.suspension), lp(member)),
  suspensionVote: (target: Uint8Array, voter: Uint8Array) => concat(b(KEY.suspensionVote), lp(target), lp(voter)),
  suspensionVotesOf: (target: Uint8Array) => concat(b(KEY.suspensionVote), lp(target)),
  suspensionVoteByVoter: (voter: Uint8Array, target: Uint8Array) => concat(b(KEY.suspensionVoteByVoter), lp(voter), lp(target)),
  suspensionVotesBy: (voter: Uint8Array) => concat(b(KEY.suspensionVoteByVoter), lp(voter)),
  barred: (addr: Uint8Array) => concat(b(KEY.barred), lp(addr)),
  disbandProposal: (id: bigint) => concat(b(KEY.disbandProposal), u64be(id)),
  disbandExposure: (id: bigint, addr: Uint8Array) => concat(b(KEY.disbandExposure), u64be(id), lp(addr)),
  disbandExposuresOf: (id: bigint) => concat(b(KEY.disbandExposure), u64be(id)),
  stipend: (member: Uint8Array) => concat(b(KEY.stipend), lp(member)),
  brokenRoute: (route: string) => concat(b(KEY.brokenRoute), utf8(route)),
} as const;

export { splitLengthPrefixed } from "../../baseapp/encoding";
