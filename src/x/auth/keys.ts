/** Store layout of the auth module, declared once (store "auth", prefix "auth/"). */
import { declareStore } from "../../baseapp/context";
import { prefixedKey } from "../../baseapp/encoding";

const LAYOUT = declareStore("auth", {
  account: 0x01, // 0x01 | address → Any(BaseAccount | ModuleAccount)
  nextAccountNumber: 0x02, // → uint64 big-endian
  params: 0x03, // → Params
});
export const AUTH = LAYOUT.store;
export const KEY = LAYOUT.prefixes;

const b = (k: number): Uint8Array => Uint8Array.of(k);

export const keys = {
  account: (addr: Uint8Array) => prefixedKey(KEY.account, addr),
  /** Start of the account range (its end is `accountEnd`). */
  accountPrefix: () => b(KEY.account),
  accountEnd: () => b(KEY.account + 1),
  nextAccountNumber: () => b(KEY.nextAccountNumber),
  params: () => b(KEY.params),
} as const;
