/**
 * Store layout of the distribution module, declared once (store "distribution", prefix
 * "distribution/"). The sub-prefix bytes are the SDK's x/distribution ones. Addresses in keys are
 * raw bytes with a one-byte length prefix; periods and heights are uint64 big-endian, so a
 * validator's historical rewards iterate by period and its slash events by height, then period.
 */
import { declareStore } from "../../baseapp/context";
import { concat, lengthPrefixed, u64be } from "../../baseapp/encoding";

const LAYOUT = declareStore("distribution", {
  /** → FeePool (protobuf): the community pool as DecCoins. */
  feePool: 0x00,
  /** 0x02 | len | validator → ValidatorOutstandingRewards (protobuf). */
  outstanding: 0x02,
  /** 0x03 | len | delegator → withdraw address bytes (absent: the delegator itself). */
  withdrawAddr: 0x03,
  /** 0x04 | len | validator | len | delegator → DelegatorStartingInfo (protobuf). */
  startingInfo: 0x04,
  /** 0x05 | len | validator | period → ValidatorHistoricalRewards (protobuf). */
  historical: 0x05,
  /** 0x06 | len | validator → ValidatorCurrentRewards (protobuf). */
  current: 0x06,
  /** 0x07 | len | validator → ValidatorAccumulatedCommission (protobuf). */
  commission: 0x07,
  /** 0x08 | len | validator | height | period → ValidatorSlashEvent (protobuf). */
  slashEvent: 0x08,
  /** → Params (protobuf; absent = defaults). */
  params: 0x09,
});
export const DISTRIBUTION = LAYOUT.store;
export const KEY = LAYOUT.prefixes;

const lp = lengthPrefixed;
const b = (k: number) => Uint8Array.of(k);

export const keys = {
  feePool: () => b(KEY.feePool),
  outstanding: (val: Uint8Array) => concat(b(KEY.outstanding), lp(val)),
  outstandingPrefix: () => b(KEY.outstanding),
  withdrawAddr: (del: Uint8Array) => concat(b(KEY.withdrawAddr), lp(del)),
  withdrawAddrPrefix: () => b(KEY.withdrawAddr),
  startingInfo: (val: Uint8Array, del: Uint8Array) => concat(b(KEY.startingInfo), lp(val), lp(del)),
  startingInfosOf: (val: Uint8Array) => concat(b(KEY.startingInfo), lp(val)),
  startingInfoPrefix: () => b(KEY.startingInfo),
  historical: (val: Uint8Array, period: bigint) => concat(b(KEY.historical), lp(val), u64be(period)),
  historicalOf: (val: Uint8Array) => concat(b(KEY.historical), lp(val)),
  historicalPrefix: () => b(KEY.historical),
  current: (val: Uint8Array) => concat(b(KEY.current), lp(val)),
  currentPrefix: () => b(KEY.current),
  commission: (val: Uint8Array) => concat(b(KEY.commission), lp(val)),
  commissionPrefix: () => b(KEY.commission),
  slashEvent: (val: Uint8Array, height: bigint, period: bigint) => concat(b(KEY.slashEvent), lp(val), u64be(height), u64be(period)),
  /** First key of the validator's slash events at `height` (range bound). */
  slashEventsFrom: (val: Uint8Array, height: bigint) => concat(b(KEY.slashEvent), lp(val), u64be(height)),
  slashEventsOf: (val: Uint8Array) => concat(b(KEY.slashEvent), lp(val)),
  slashEventPrefix: () => b(KEY.slashEvent),
  params: () => b(KEY.params),
} as const;
