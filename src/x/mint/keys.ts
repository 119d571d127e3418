/** Store layout of the mint module, declared once (store "mint", prefix "mint/"); the SDK's sub-prefix bytes. */
import { declareStore } from "../../baseapp/context";

const LAYOUT = declareStore("mint", {
  /** → Minter (protobuf): the current inflation and annual provisions. */
  minter: 0x00,
  /** → Params (protobuf; absent = defaults). */
  params: 0x01,
});
export const MINT = LAYOUT.store;
export const KEY = LAYOUT.prefixes;

export const keys = {
  minter: () => Uint8Array.of(KEY.minter),
  params: () => Uint8Array.of(KEY.params),
} as const;
