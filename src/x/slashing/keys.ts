/** Store layout of the slashing module, declared once (store "slashing"). */
import { declareStore } from "../../baseapp/context";
import { concat, lengthPrefixed, u64be } from "../../baseapp/encoding";

const LAYOUT = declareStore("slashing", {
  /** → Params (protobuf). */
  params: 0x01,
  /** 0x02 | len | consensus address → ValidatorSigningInfo (protobuf). */
  signingInfo: 0x02,
  /** 0x03 | len | consensus address | index uint64 BE → 0x01: the block at that window index was missed (absent = signed). */
  missedBlock: 0x03,
});
export const SLASHING = LAYOUT.store;
export const KEY = LAYOUT.prefixes;

const b = (k: number) => Uint8Array.of(k);
export const keys = {
  params: () => b(KEY.params),
  signingInfo: (cons: Uint8Array) => concat(b(KEY.signingInfo), lengthPrefixed(cons)),
  signingInfoPrefix: () => b(KEY.signingInfo),
  missedBlock: (cons: Uint8Array, index: bigint) => concat(b(KEY.missedBlock), lengthPrefixed(cons), u64be(index)),
  missedBlocksOf: (cons: Uint8Array) => concat(b(KEY.missedBlock), lengthPrefixed(cons)),
} as const;
