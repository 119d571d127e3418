/** Store layout of the evidence module, declared once (store "evidence"). */
import { declareStore } from "../../baseapp/context";
import { concat } from "../../baseapp/encoding";

const LAYOUT = declareStore("evidence", {
  /** 0x01 | SHA-256 of the Equivocation's protobuf bytes (32) → Equivocation (protobuf). */
  evidence: 0x01,
});
export const EVIDENCE = LAYOUT.store;
export const KEY = LAYOUT.prefixes;

export const keys = {
  evidence: (hash: Uint8Array) => concat(Uint8Array.of(KEY.evidence), hash),
  evidencePrefix: () => Uint8Array.of(KEY.evidence),
} as const;
