/**
 * Legacy amino JSON converters for the upgrade messages, in CosmJS's `AminoConverters` shape:
 *
 *   new AminoTypes({ ...createDefaultAminoConverters(), ...createUpgradeAminoConverters() })
 *
 * The governance messages keep the Cosmos SDK's amino names ("cosmos-sdk/MsgSoftwareUpgrade",
 * "cosmos-sdk/MsgCancelUpgrade"); ours are "dcert/MsgPreApproveUpgrade", "dcert/MsgWithdrawPreApproval"
 * and "dcert/MsgUpgradeUpdateParams". The chain registers the same converters in its amino registry
 * to rebuild the sign bytes of SIGN_MODE_LEGACY_AMINO_JSON transactions. Values follow Go's amino
 * JSON like the other converters (src/types/aminomessages.ts): snake_case, proto3 defaults omitted,
 * 64-bit integers as decimal strings; the plan itself and its (deprecated) `time` are always
 * present, as the SDK marks them `dont_omitempty`. `fromAmino` is strict (unknown fields and values
 * of the wrong JSON type are refused) and `fromAmino(toAmino(m))` encodes to the bytes of m.
 */
import type { AminoConverter, AminoConverters } from "@cosmjs/stargate";
import { MsgCancelUpgrade, MsgSoftwareUpgrade } from "cosmjs-types/cosmos/upgrade/v1beta1/tx";
import { Plan } from "cosmjs-types/cosmos/upgrade/v1beta1/upgrade";
import { MsgPreApproveUpgrade, MsgUpdateParams, MsgWithdrawPreApproval } from "../../generated/dcert/upgrade/v1/tx";
import { Params } from "../../generated/dcert/upgrade/v1/types";
import { timestampFromRfc3339, timestampToRfc3339 } from "../coord/aminomessages";
import { UPGRADE_TYPE_URLS } from "./messages";

type Json = Record<string, unknown>;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

/** The amino type of each upgrade message, keyed by type URL. */
export const UPGRADE_AMINO_TYPES = {
  [UPGRADE_TYPE_URLS.softwareUpgrade]: "cosmos-sdk/MsgSoftwareUpgrade",
  [UPGRADE_TYPE_URLS.cancelUpgrade]: "cosmos-sdk/MsgCancelUpgrade",
  [UPGRADE_TYPE_URLS.preApproveUpgrade]: "dcert/MsgPreApproveUpgrade",
  [UPGRADE_TYPE_URLS.withdrawPreApproval]: "dcert/MsgWithdrawPreApproval",
  [UPGRADE_TYPE_URLS.updateParams]: "dcert/MsgUpgradeUpdateParams",
} as const;

// ---- helpers -----------------------------------------------------------------------------------

function obj(v: unknown, where: string, allowed: readonly string[]): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${where}: expected a JSON object`);
  for (const k of Object.keys(v)) if (!allowed.includes(k)) throw new Error(`${where}: unknown field ${JSON.stringify(k)}`);
  return v as Json;
}

function str(o: Json, key: string, where: string): string {
  const v = o[key];
  if (v === undefined) return "";
  if (typeof v !== "string") throw new Error(`${where}.${key}: expected a string`);
  return v;
}

function bool(o: Json, key: string, where: string): boolean {
  const v = o[key];
  if (v === undefined) return false;
  if (typeof v !== "boolean") throw new Error(`${where}.${key}: expected a boolean`);
  return v;
}

function int(o: Json, key: string, where: string, signed: boolean): bigint {
  const v = o[key];
  if (v === undefined) return 0n;
  if (typeof v !== "string" || !/^-?(0|[1-9][0-9]*)$/.test(v)) throw new Error(`${where}.${key}: expected a decimal integer string`);
  const n = BigInt(v);
  if (signed ? n < I64_MIN || n > I64_MAX : n < 0n || n > U64_MAX) throw new Error(`${where}.${key}: ${v} is out of ${signed ? "int64" : "uint64"} range`);
  return n;
}

/** Puts `v` under `key` unless it is a proto3 default. */
function put(o: Json, key: string, v: string | boolean | bigint): void {
  if (v === "" || v === false || v === 0n) return;
  o[key] = typeof v === "bigint" ? v.toString() : v;
}

function planToAmino(p: Plan): Json {
  if (p.upgradedClientState !== undefined) throw new Error("plan.upgraded_client_state is deprecated and has no amino form");
  const out: Json = {};
  put(out, "name", p.name);
  out["time"] = timestampToRfc3339(p.time ?? { seconds: 0n, nanos: 0 });
  put(out, "height", p.height);
  put(out, "info", p.info);
  return out;
}

function planFromAmino(v: unknown): Plan {
  const o = obj(v, "plan", ["name", "time", "height", "info"]);
  const t = o["time"];
  if (t !== undefined && typeof t !== "string") throw new Error("plan.time: expected an RFC 3339 string");
  return Plan.fromPartial({
    name: str(o, "name", "plan"),
    time: timestampFromRfc3339(t ?? "1970-01-01T00:00:00Z"),
    height: int(o, "height", "plan", true),
    info: str(o, "info", "plan"),
  });
}

function paramsToAmino(p: Params): Json {
  const out: Json = {};
  put(out, "preapproval_enabled", p.preapprovalEnabled);
  put(out, "preapproval_quorum", p.preapprovalQuorum);
  put(out, "preapproval_min_delay_blocks", p.preapprovalMinDelayBlocks);
  return out;
}

function paramsFromAmino(v: unknown): Params {
  const o = obj(v, "params", ["preapproval_enabled", "preapproval_quorum", "preapproval_min_delay_blocks"]);
  return Params.fromPartial({
    preapprovalEnabled: bool(o, "preapproval_enabled", "params"),
    preapprovalQuorum: str(o, "preapproval_quorum", "params"),
    preapprovalMinDelayBlocks: int(o, "preapproval_min_delay_blocks", "params", false),
  });
}

// ---- converters --------------------------------------------------------------------------------

const softwareUpgrade: AminoConverter = {
  aminoType: UPGRADE_AMINO_TYPES[UPGRADE_TYPE_URLS.softwareUpgrade],
  toAmino: (m: MsgSoftwareUpgrade): Json => {
    const out: Json = {};
    put(out, "authority", m.authority);
    out["plan"] = planToAmino(m.plan ?? Plan.fromPartial({}));
    return out;
  },
  fromAmino: (v: unknown): MsgSoftwareUpgrade => {
    const o = obj(v, "MsgSoftwareUpgrade", ["authority", "plan"]);
    return MsgSoftwareUpgrade.fromPartial({ authority: str(o, "authority", "MsgSoftwareUpgrade"), plan: planFromAmino(o["plan"] ?? {}) });
  },
};

const cancelUpgrade: AminoConverter = {
  aminoType: UPGRADE_AMINO_TYPES[UPGRADE_TYPE_URLS.cancelUpgrade],
  toAmino: (m: MsgCancelUpgrade): Json => {
    const out: Json = {};
    put(out, "authority", m.authority);
    return out;
  },
  fromAmino: (v: unknown): MsgCancelUpgrade => MsgCancelUpgrade.fromPartial({ authority: str(obj(v, "MsgCancelUpgrade", ["authority"]), "authority", "MsgCancelUpgrade") }),
};

const PRE_APPROVE_FIELDS = ["member", "name", "height", "info", "binary_sha256", "case_id"] as const;

const preApprove: AminoConverter = {
  aminoType: UPGRADE_AMINO_TYPES[UPGRADE_TYPE_URLS.preApproveUpgrade],
  toAmino: (m: MsgPreApproveUpgrade): Json => {
    const out: Json = {};
    put(out, "member", m.member);
    put(out, "name", m.name);
    put(out, "height", m.height);
    put(out, "info", m.info);
    put(out, "binary_sha256", m.binarySha256);
    put(out, "case_id", m.caseId);
    return out;
  },
  fromAmino: (v: unknown): MsgPreApproveUpgrade => {
    const w = "MsgPreApproveUpgrade";
    const o = obj(v, w, PRE_APPROVE_FIELDS);
    return MsgPreApproveUpgrade.fromPartial({
      member: str(o, "member", w),
      name: str(o, "name", w),
      height: int(o, "height", w, true),
      info: str(o, "info", w),
      binarySha256: str(o, "binary_sha256", w),
      caseId: int(o, "case_id", w, false),
    });
  },
};

const withdraw: AminoConverter = {
  aminoType: UPGRADE_AMINO_TYPES[UPGRADE_TYPE_URLS.withdrawPreApproval],
  toAmino: (m: MsgWithdrawPreApproval): Json => {
    const out: Json = {};
    put(out, "member", m.member);
    put(out, "name", m.name);
    return out;
  },
  fromAmino: (v: unknown): MsgWithdrawPreApproval => {
    const w = "MsgWithdrawPreApproval";
    const o = obj(v, w, ["member", "name"]);
    return MsgWithdrawPreApproval.fromPartial({ member: str(o, "member", w), name: str(o, "name", w) });
  },
};

const updateParams: AminoConverter = {
  aminoType: UPGRADE_AMINO_TYPES[UPGRADE_TYPE_URLS.updateParams],
  toAmino: (m: MsgUpdateParams): Json => {
    const out: Json = {};
    put(out, "authority", m.authority);
    if (m.params !== undefined) out["params"] = paramsToAmino(m.params);
    return out;
  },
  fromAmino: (v: unknown): MsgUpdateParams => {
    const w = "MsgUpgradeUpdateParams";
    const o = obj(v, w, ["authority", "params"]);
    return MsgUpdateParams.fromPartial({
      authority: str(o, "authority", w),
      ...(o["params"] === undefined ? {} : { params: paramsFromAmino(o["params"]) }),
    });
  },
};

/** Amino JSON converters for the five upgrade messages, keyed by type URL. */
export function createUpgradeAminoConverters(): AminoConverters {
  return {
    [UPGRADE_TYPE_URLS.softwareUpgrade]: softwareUpgrade,
    [UPGRADE_TYPE_URLS.cancelUpgrade]: cancelUpgrade,
    [UPGRADE_TYPE_URLS.preApproveUpgrade]: preApprove,
    [UPGRADE_TYPE_URLS.withdrawPreApproval]: withdraw,
    [UPGRADE_TYPE_URLS.updateParams]: updateParams,
  };
}
