import { Deposit } from "cosmjs-types/cosmos/gov/v1/gov";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { addrBytes } from "../auth/keeper";
import { declareStore } from "../../baseapp/context";
import { concat, lengthPrefixed, readU64be, u64be } from "../../baseapp/encoding";
import { timeKey } from "../staking/time";

/** The gov module's module account name (its store, "gov/", is declared below). */
export const GOV_MODULE = "gov";

/**
 * Store layout of the gov module, declared once. Prefix bytes follow the SDK's x/gov v1 layout
 * where it has the same collection; 0x50.. are ours.
 */
const LAYOUT = declareStore("gov", {
  proposal: 0x00, // 0x00 | id(u64be) → Proposal
  activeQueue: 0x01, // 0x01 | votingEndTime(12) | id(u64be) → id (proposals in the voting period)
  inactiveQueue: 0x02, // 0x02 | depositEndTime(12) | id(u64be) → id (proposals in the deposit period)
  nextProposalId: 0x03, // → u64be
  deposit: 0x10, // 0x10 | id(u64be) | len(addr) addr → u64be(deposit order) ‖ Deposit
  vote: 0x20, // 0x20 | id(u64be) | len(addr) addr → Vote
  params: 0x30, // → Params
  constitution: 0x40, // → utf8
  escrow: 0x50, // → total deposits held for live proposals, "<amount><denom>,…"
  depositSeq: 0x51, // → u64be: next deposit order number
});
export const GOV_STORE = LAYOUT.store;
export const KEY = LAYOUT.prefixes;

export function single(prefix: number): Uint8Array {
  return Uint8Array.of(prefix);
}

export function proposalKey(id: bigint): Uint8Array {
  return concat(single(KEY.proposal), u64be(id));
}

export function queueKey(prefix: number, time: Timestamp, id: bigint): Uint8Array {
  return concat(single(prefix), timeKey(time), u64be(id));
}

/** Exclusive end bound for queue entries with time ≤ `time` (all ids at that time included). */
export function queueEndInclusive(prefix: number, time: Timestamp): Uint8Array {
  return concat(single(prefix), timeKey(time), new Uint8Array(8).fill(0xff), Uint8Array.of(0x00));
}

/** The proposal id at the end of a queue key (prefix byte stripped or not). */
export function idFromQueueKey(key: Uint8Array): bigint {
  return readU64be(key, key.length - 8);
}

export function depositPrefix(id: bigint): Uint8Array {
  return concat(single(KEY.deposit), u64be(id));
}

export function depositKey(id: bigint, depositor: string): Uint8Array {
  return concat(depositPrefix(id), lengthPrefixed(addrBytes(depositor)));
}

export function votePrefix(id: bigint): Uint8Array {
  return concat(single(KEY.vote), u64be(id));
}

export function voteKey(id: bigint, voter: string): Uint8Array {
  return concat(votePrefix(id), lengthPrefixed(addrBytes(voter)));
}

/** A stored deposit value is u64be(deposit order) ‖ Deposit; this is the Deposit. */
export function decodeStoredDeposit(raw: Uint8Array): Deposit {
  return Deposit.decode(raw.subarray(8));
}
