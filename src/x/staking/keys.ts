/**
 * Store layout of the staking module (declared once). Addresses in keys are raw bytes with a
 * one-byte length prefix; times are 12-byte big-endian keys (see time.ts) so queues iterate in
 * completion order.
 */
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { declareStore } from "../../baseapp/context";
import { concat, lengthPrefixed, u64be } from "../../baseapp/encoding";
import { timeKey } from "./time";

const LAYOUT = declareStore("staking", {
  /** → uint64 BE: sum of the last validator powers sent to CometBFT. */
  lastTotalPower: 0x12,
  /** 0x11 | len | operator → uint64 BE power last sent to CometBFT (the bonded set). */
  lastValidatorPower: 0x11,
  /** 0x21 | len | operator → Validator (protobuf). */
  validator: 0x21,
  /** 0x22 | len | consensus address → operator bytes (consensus keys are unique). */
  validatorByConsAddr: 0x22,
  /** 0x23 | power uint64 BE | len | ~operator → operator bytes; only validators with power > 0. */
  validatorByPower: 0x23,
  /** 0x31 | len | delegator | len | operator → Delegation (protobuf). */
  delegation: 0x31,
  /** 0x32 | len | operator | len | delegator → empty (delegations of a validator). */
  delegationByValidator: 0x32,
  /** 0x33 | len | delegator | len | operator → UnbondingDelegation (protobuf). */
  unbonding: 0x33,
  /** 0x34 | len | delegator | len | src | len | dst → Redelegation (protobuf). */
  redelegation: 0x34,
  /** 0x35 | len | operator | len | delegator → empty (unbonding delegations of a validator). */
  unbondingByValidator: 0x35,
  /** 0x36 | len | src | len | delegator | len | dst → empty (redelegations out of a validator). */
  redelegationBySrc: 0x36,
  /** 0x41 | time | len | delegator | len | operator → empty (unbonding delegation queue). */
  unbondingQueue: 0x41,
  /** 0x42 | time | len | delegator | len | src | len | dst → empty (redelegation queue). */
  redelegationQueue: 0x42,
  /** 0x43 | time | len | operator → empty (unbonding validator queue). */
  validatorQueue: 0x43,
  /** 0x50 | height uint64 BE → HistoricalInfo (protobuf), the last `historical_entries` heights. */
  historicalInfo: 0x50,
  /** → Params (protobuf). */
  params: 0x51,
  /** → 1 byte, present when the power index changed since the last EndBlock. */
  powerDirty: 0x52,
  /** → uint64 BE: next unbonding id. */
  nextUnbondingId: 0x53,
});
export const STAKING = LAYOUT.store;
export const KEY = LAYOUT.prefixes;

const lp = lengthPrefixed;
const b = (k: number) => Uint8Array.of(k);

export const keys = {
  lastTotalPower: () => b(KEY.lastTotalPower),
  lastValidatorPower: (op: Uint8Array) => concat(b(KEY.lastValidatorPower), lp(op)),
  lastValidatorPowerPrefix: () => b(KEY.lastValidatorPower),
  validator: (op: Uint8Array) => concat(b(KEY.validator), lp(op)),
  validatorPrefix: () => b(KEY.validator),
  validatorByConsAddr: (cons: Uint8Array) => concat(b(KEY.validatorByConsAddr), lp(cons)),
  validatorByPower: (power: bigint, op: Uint8Array) => concat(b(KEY.validatorByPower), u64be(power), lp(op.map((x) => 255 - x))),
  validatorByPowerPrefix: () => b(KEY.validatorByPower),
  delegation: (del: Uint8Array, op: Uint8Array) => concat(b(KEY.delegation), lp(del), lp(op)),
  delegationsOf: (del: Uint8Array) => concat(b(KEY.delegation), lp(del)),
  delegationPrefix: () => b(KEY.delegation),
  delegationByValidator: (op: Uint8Array, del: Uint8Array) => concat(b(KEY.delegationByValidator), lp(op), lp(del)),
  delegationsByValidator: (op: Uint8Array) => concat(b(KEY.delegationByValidator), lp(op)),
  unbonding: (del: Uint8Array, op: Uint8Array) => concat(b(KEY.unbonding), lp(del), lp(op)),
  unbondingsOf: (del: Uint8Array) => concat(b(KEY.unbonding), lp(del)),
  unbondingPrefix: () => b(KEY.unbonding),
  redelegation: (del: Uint8Array, src: Uint8Array, dst: Uint8Array) => concat(b(KEY.redelegation), lp(del), lp(src), lp(dst)),
  redelegationsOf: (del: Uint8Array) => concat(b(KEY.redelegation), lp(del)),
  redelegationsFrom: (del: Uint8Array, src: Uint8Array) => concat(b(KEY.redelegation), lp(del), lp(src)),
  redelegationPrefix: () => b(KEY.redelegation),
  unbondingByValidator: (op: Uint8Array, del: Uint8Array) => concat(b(KEY.unbondingByValidator), lp(op), lp(del)),
  unbondingsByValidator: (op: Uint8Array) => concat(b(KEY.unbondingByValidator), lp(op)),
  redelegationBySrc: (src: Uint8Array, del: Uint8Array, dst: Uint8Array) => concat(b(KEY.redelegationBySrc), lp(src), lp(del), lp(dst)),
  redelegationsBySrc: (src: Uint8Array) => concat(b(KEY.redelegationBySrc), lp(src)),
  historicalInfo: (height: bigint) => concat(b(KEY.historicalInfo), u64be(height)),
  historicalInfoPrefix: () => b(KEY.historicalInfo),
  unbondingQueue: (t: Timestamp, del: Uint8Array, op: Uint8Array) => concat(b(KEY.unbondingQueue), timeKey(t), lp(del), lp(op)),
  redelegationQueue: (t: Timestamp, del: Uint8Array, src: Uint8Array, dst: Uint8Array) =>
    concat(b(KEY.redelegationQueue), timeKey(t), lp(del), lp(src), lp(dst)),
  validatorQueue: (t: Timestamp, op: Uint8Array) => concat(b(KEY.validatorQueue), timeKey(t), lp(op)),
  /** Exclusive upper bound of queue entries with time <= t. */
  queueEnd: (kind: number, t: Timestamp) => concat(b(kind), timeKey({ seconds: t.seconds, nanos: t.nanos + 1 })),
  params: () => b(KEY.params),
  powerDirty: () => b(KEY.powerDirty),
  nextUnbondingId: () => b(KEY.nextUnbondingId),
} as const;

export { splitLengthPrefixed } from "../../baseapp/encoding";
