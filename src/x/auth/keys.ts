/** Store layout of the auth module, declared once (store "auth", prefix "auth/"). */
import { storeKey } from "../../baseapp/context";
import { concat } from "../../baseapp/encoding";

export const AUTH = storeKey("auth");

export const KEY = {
  account: 0x01, // 0x01 | address → Any(BaseAccount | ModuleAccount)
  nextAccountNumber: 0x02, // → uint64 big-endian
  params: 0x03, // → Params
} as const;

const b = (k: number): Uint8Array => Uint8Array.of(k);

export const keys = {
  account: (addr: Uint8Array) => concat(b(KEY.account), addr),
  /** Start of the account range (its end is `accountEnd`). */
  accountPrefix: () => b(KEY.account),
  accountEnd: () => b(KEY.account + 1),
  nextAccountNumber: () => b(KEY.nextAccountNumber),
  params: () => b(KEY.params),
} as const;
