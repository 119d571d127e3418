/** Store layout of the distribution module, declared once (store "distribution", prefix "distribution/"). */
import { storeKey } from "../../baseapp/context";

export const DISTRIBUTION = storeKey("distribution");

export const KEY = {
  params: 0x09, // → Params (protobuf)
} as const;

export const keys = {
  params: () => Uint8Array.of(KEY.params),
} as const;
