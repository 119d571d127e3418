/** Store layout of the distribution module, declared once (store "distribution", prefix "distribution/"). */
import { declareStore } from "../../baseapp/context";

const LAYOUT = declareStore("distribution", {
  params: 0x09, // → Params (protobuf)
});
export const DISTRIBUTION = LAYOUT.store;
export const KEY = LAYOUT.prefixes;

export const keys = {
  params: () => Uint8Array.of(KEY.params),
} as const;
