/**
 * Store layout of the upgrade module, declared once (store key "upgrade", prefix "upgrade/").
 * Plan names are UTF-8 with a one-byte length prefix (≤ 140 bytes, see validate.ts); member
 * addresses are raw bytes with a one-byte length prefix.
 */
import { declareStore } from "../../baseapp/context";
import { concat, lengthPrefixed, utf8 } from "../../baseapp/encoding";

/** Module name (events, message.module, genesis section). */
export const UPGRADE_MODULE = "upgrade";

const LAYOUT = declareStore("upgrade", {
  /** → Params */
  params: 0x01,
  /** → ScheduledPlan (at most one) */
  plan: 0x02,
  /** 0x03 | name → u64be height: applied plans */
  applied: 0x03,
  /** 0x04 | module name → u64be consensus version (the version map) */
  moduleVersion: 0x04,
  /** 0x05 | lp(name) | lp(member) → PreApproval */
  preApproval: 0x05,
  /** 0x06 | name → empty: names governance cancelled as dCERT plans (the dCERT may not re-approve them) */
  cancelled: 0x06,
  /** 0x07 | name → PlanReadiness (the latest tally of that plan; kept after it is applied or cancelled) */
  readiness: 0x07,
  /** → BuildTally (the latest) */
  builds: 0x08,
});

export const UPGRADE_STORE = LAYOUT.store;
export const KEY = LAYOUT.prefixes;

const lp = lengthPrefixed;
const b = (k: number): Uint8Array => Uint8Array.of(k);

export const keys = {
  params: b(KEY.params),
  plan: b(KEY.plan),
  applied: (name: string) => concat(b(KEY.applied), utf8(name)),
  appliedAll: b(KEY.applied),
  moduleVersion: (module: string) => concat(b(KEY.moduleVersion), utf8(module)),
  moduleVersionAll: b(KEY.moduleVersion),
  preApproval: (name: string, member: Uint8Array) => concat(b(KEY.preApproval), lp(utf8(name)), lp(member)),
  preApprovalsOf: (name: string) => concat(b(KEY.preApproval), lp(utf8(name))),
  preApprovalAll: b(KEY.preApproval),
  cancelled: (name: string) => concat(b(KEY.cancelled), utf8(name)),
  cancelledAll: b(KEY.cancelled),
  readiness: (name: string) => concat(b(KEY.readiness), utf8(name)),
  readinessAll: b(KEY.readiness),
  builds: b(KEY.builds),
} as const;
