/** Store layout of the bank module, declared once (store "bank", prefix "bank/"). */
import { declareStore } from "../../baseapp/context";
import { concat, prefixedKey, utf8 } from "../../baseapp/encoding";
import { BoundedMemo } from "../../baseapp/perf";

const LAYOUT = declareStore("bank", {
  supply: 0x00, // 0x00 | denom → amount (decimal string)
  denomMetadata: 0x01, // 0x01 | base denom → cosmos.bank.v1beta1.Metadata (protobuf)
  balance: 0x02, // 0x02 | len(addr) | addr | denom → amount (decimal string)
  sendEnabled: 0x03, // → 1 byte: default send enabled
});
export const BANK = LAYOUT.store;
export const KEY = LAYOUT.prefixes;

const b = (k: number): Uint8Array => Uint8Array.of(k);

// PERF: a chain has a handful of denoms; their bytes are shared (keys are only read, never changed).
const denomBytes = new BoundedMemo(utf8, 1_000);

export const keys = {
  balance: (addr: Uint8Array, denom: string) => prefixedKey(KEY.balance, addr, true, denomBytes.get(denom)),
  /** Every balance of one address (denom after it). */
  balancesOf: (addr: Uint8Array) => prefixedKey(KEY.balance, addr, true),
  balancePrefix: () => b(KEY.balance),
  balanceEnd: () => b(KEY.balance + 1),
  supply: (denom: string) => concat(b(KEY.supply), utf8(denom)),
  supplyPrefix: () => b(KEY.supply),
  supplyEnd: () => b(KEY.supply + 1),
  sendEnabled: () => b(KEY.sendEnabled),
  denomMetadata: (denom: string) => concat(b(KEY.denomMetadata), utf8(denom)),
  denomMetadataPrefix: () => b(KEY.denomMetadata),
} as const;
