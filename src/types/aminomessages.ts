/**
 * Legacy amino JSON converters for the dCERT messages (SIGN_MODE_LEGACY_AMINO_JSON: Ledger and
 * amino-only wallets), in CosmJS's `AminoConverters` shape:
 *
 *   new AminoTypes({ ...createDefaultAminoConverters(), ...createDcertAminoConverters() })
 *
 * Amino names are "dcert/<Msg>". Values follow what Go's amino JSON produces for these messages:
 * snake_case field names, empty (proto3 default) fields omitted throughout, uint64 as decimal
 * strings, uint32 as numbers, coins as {denom, amount} (denom omitted when empty), nested
 * messages as objects whenever set. `fromAmino(toAmino(m))` re-encodes to exactly the bytes of m,
 * which the chain checks when it verifies an amino-signed transaction.
 */
import type { AminoConverters } from "@cosmjs/stargate";
import type { Coin } from "../generated/cosmos/base/v1beta1/coin";
import type { Params } from "../generated/dcert/v1/params";
import {
  MsgAcceptAdmission,
  MsgBond,
  MsgCircuitBreak,
  MsgDisbandGroup,
  MsgLeaveGroup,
  MsgReestablishGroup,
  MsgReinstateMember,
  MsgSlashMember,
  MsgUnbond,
  MsgUpdateDescription,
  MsgUpdateParams,
  MsgVote,
  MsgVoteSuspend,
} from "../generated/dcert/v1/tx";
import type { GroupDescription, VoteEntry } from "../generated/dcert/v1/types";
import { DCERT_TYPE_URLS } from "./messages";

type Json = Record<string, unknown>;

/** Sets `key` unless `value` is absent or the proto3 default ("", 0, false, empty list). */
function put(out: Json, key: string, value: unknown): void {
  if (value === undefined || value === null || value === "" || value === 0 || value === false) return;
  if (Array.isArray(value) && value.length === 0) return;
  out[key] = value;
}

function u64ToAmino(v: bigint | number | string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = BigInt(v).toString();
  return s === "0" ? undefined : s;
}

function coinToAmino(c: Partial<Coin> | undefined): Json | undefined {
  if (c === undefined || c === null) return undefined;
  const out: Json = {};
  put(out, "denom", c.denom);
  out.amount = c.amount ?? "";
  return out;
}

function str(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw new Error(`expected a string, got ${typeof v}`);
  return v;
}

function u32(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`expected a uint32 number, got ${String(v)}`);
  return v;
}

function u64(v: unknown): bigint {
  if (v === undefined || v === null) return 0n;
  if (typeof v !== "string" || !/^[0-9]+$/.test(v)) throw new Error(`expected a uint64 decimal string, got ${String(v)}`);
  return BigInt(v);
}

function bool(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") throw new Error(`expected a boolean, got ${String(v)}`);
  return v;
}

function obj(v: unknown): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("expected an object");
  return v as Json;
}

function list(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Error("expected an array");
  return v;
}

function coinFromAmino(v: unknown): Coin | undefined {
  if (v === undefined || v === null) return undefined;
  const o = obj(v);
  return { denom: str(o.denom), amount: str(o.amount) };
}

function entriesToAmino(entries: readonly Partial<VoteEntry>[] | undefined): Json[] {
  return (entries ?? []).map((e) => {
    const out: Json = {};
    put(out, "candidate", e.candidate);
    put(out, "share", e.share);
    return out;
  });
}

function descriptionToAmino(d: Partial<GroupDescription> | undefined): Json | undefined {
  if (d === undefined || d === null) return undefined;
  const out: Json = {};
  put(out, "name", d.name);
  put(out, "details", d.details);
  put(out, "website", d.website);
  put(out, "security_contact", d.securityContact);
  return out;
}

function descriptionFromAmino(v: unknown): GroupDescription | undefined {
  if (v === undefined || v === null) return undefined;
  const o = obj(v);
  return { name: str(o.name), details: str(o.details), website: str(o.website), securityContact: str(o.security_contact) };
}

function paramsToAmino(p: Partial<Params> | undefined): Json | undefined {
  if (p === undefined || p === null) return undefined;
  const out: Json = {};
  put(out, "max_members", p.maxMembers);
  put(out, "min_member_bond", coinToAmino(p.minMemberBond));
  put(out, "stipend_per_block", coinToAmino(p.stipendPerBlock));
  put(out, "suspension_quorum", p.suspensionQuorum);
  put(out, "disband_wager", coinToAmino(p.disbandWager));
  put(out, "disband_slash_fraction", p.disbandSlashFraction);
  put(out, "stabilization_period", u64ToAmino(p.stabilizationPeriod));
  put(out, "max_vote_entries", p.maxVoteEntries);
  put(out, "circuit_break_enabled", p.circuitBreakEnabled);
  return out;
}

function paramsFromAmino(v: unknown): Params | undefined {
  if (v === undefined || v === null) return undefined;
  const o = obj(v);
  return {
    maxMembers: u32(o.max_members),
    minMemberBond: coinFromAmino(o.min_member_bond),
    stipendPerBlock: coinFromAmino(o.stipend_per_block),
    suspensionQuorum: str(o.suspension_quorum),
    disbandWager: coinFromAmino(o.disband_wager),
    disbandSlashFraction: str(o.disband_slash_fraction),
    stabilizationPeriod: u64(o.stabilization_period),
    maxVoteEntries: u32(o.max_vote_entries),
    circuitBreakEnabled: bool(o.circuit_break_enabled),
  };
}

/** Amino JSON converters for every dCERT message, keyed by type URL. */
export function createDcertAminoConverters(): AminoConverters {
  return {
    [DCERT_TYPE_URLS.vote]: {
      aminoType: "dcert/MsgVote",
      toAmino: (m: Partial<MsgVote>): Json => {
        const out: Json = {};
        put(out, "voter", m.voter);
        put(out, "entries", entriesToAmino(m.entries));
        return out;
      },
      fromAmino: (v: Json): MsgVote =>
        MsgVote.fromPartial({
          voter: str(v.voter),
          entries: list(v.entries).map((e) => {
            const o = obj(e);
            return { candidate: str(o.candidate), share: str(o.share) };
          }),
        }),
    },
    [DCERT_TYPE_URLS.acceptAdmission]: {
      aminoType: "dcert/MsgAcceptAdmission",
      toAmino: (m: Partial<MsgAcceptAdmission>): Json => {
        const out: Json = {};
        put(out, "candidate", m.candidate);
        return out;
      },
      fromAmino: (v: Json): MsgAcceptAdmission => MsgAcceptAdmission.fromPartial({ candidate: str(v.candidate) }),
    },
    [DCERT_TYPE_URLS.leaveGroup]: {
      aminoType: "dcert/MsgLeaveGroup",
      toAmino: (m: Partial<MsgLeaveGroup>): Json => {
        const out: Json = {};
        put(out, "member", m.member);
        return out;
      },
      fromAmino: (v: Json): MsgLeaveGroup => MsgLeaveGroup.fromPartial({ member: str(v.member) }),
    },
    [DCERT_TYPE_URLS.bond]: {
      aminoType: "dcert/MsgBond",
      toAmino: (m: Partial<MsgBond>): Json => {
        const out: Json = {};
        put(out, "staker", m.staker);
        put(out, "member", m.member);
        put(out, "amount", coinToAmino(m.amount));
        return out;
      },
      fromAmino: (v: Json): MsgBond => {
        const amount = coinFromAmino(v.amount);
        return MsgBond.fromPartial({ staker: str(v.staker), member: str(v.member), ...(amount === undefined ? {} : { amount }) });
      },
    },
    [DCERT_TYPE_URLS.unbond]: {
      aminoType: "dcert/MsgUnbond",
      toAmino: (m: Partial<MsgUnbond>): Json => {
        const out: Json = {};
        put(out, "staker", m.staker);
        put(out, "member", m.member);
        put(out, "amount", coinToAmino(m.amount));
        return out;
      },
      fromAmino: (v: Json): MsgUnbond => {
        const amount = coinFromAmino(v.amount);
        return MsgUnbond.fromPartial({ staker: str(v.staker), member: str(v.member), ...(amount === undefined ? {} : { amount }) });
      },
    },
    [DCERT_TYPE_URLS.voteSuspend]: {
      aminoType: "dcert/MsgVoteSuspend",
      toAmino: (m: Partial<MsgVoteSuspend>): Json => {
        const out: Json = {};
        put(out, "member", m.member);
        put(out, "target", m.target);
        put(out, "reason", m.reason);
        return out;
      },
      fromAmino: (v: Json): MsgVoteSuspend => MsgVoteSuspend.fromPartial({ member: str(v.member), target: str(v.target), reason: str(v.reason) }),
    },
    [DCERT_TYPE_URLS.updateDescription]: {
      aminoType: "dcert/MsgUpdateDescription",
      toAmino: (m: Partial<MsgUpdateDescription>): Json => {
        const out: Json = {};
        put(out, "member", m.member);
        put(out, "description", descriptionToAmino(m.description));
        return out;
      },
      fromAmino: (v: Json): MsgUpdateDescription => {
        const description = descriptionFromAmino(v.description);
        return MsgUpdateDescription.fromPartial({ member: str(v.member), ...(description === undefined ? {} : { description }) });
      },
    },
    [DCERT_TYPE_URLS.circuitBreak]: {
      aminoType: "dcert/MsgCircuitBreak",
      toAmino: (m: Partial<MsgCircuitBreak>): Json => {
        const out: Json = {};
        put(out, "member", m.member);
        put(out, "routes", m.routes === undefined ? undefined : [...m.routes]);
        put(out, "reason", m.reason);
        put(out, "case_id", u64ToAmino(m.caseId));
        return out;
      },
      fromAmino: (v: Json): MsgCircuitBreak =>
        MsgCircuitBreak.fromPartial({ member: str(v.member), routes: list(v.routes).map(str), reason: str(v.reason), caseId: u64(v.case_id) }),
    },
    [DCERT_TYPE_URLS.slashMember]: {
      aminoType: "dcert/MsgSlashMember",
      toAmino: (m: Partial<MsgSlashMember>): Json => {
        const out: Json = {};
        put(out, "authority", m.authority);
        put(out, "member", m.member);
        put(out, "fraction", m.fraction);
        put(out, "reason", m.reason);
        return out;
      },
      fromAmino: (v: Json): MsgSlashMember =>
        MsgSlashMember.fromPartial({ authority: str(v.authority), member: str(v.member), fraction: str(v.fraction), reason: str(v.reason) }),
    },
    [DCERT_TYPE_URLS.reinstateMember]: {
      aminoType: "dcert/MsgReinstateMember",
      toAmino: (m: Partial<MsgReinstateMember>): Json => {
        const out: Json = {};
        put(out, "authority", m.authority);
        put(out, "member", m.member);
        return out;
      },
      fromAmino: (v: Json): MsgReinstateMember => MsgReinstateMember.fromPartial({ authority: str(v.authority), member: str(v.member) }),
    },
    [DCERT_TYPE_URLS.disbandGroup]: {
      aminoType: "dcert/MsgDisbandGroup",
      toAmino: (m: Partial<MsgDisbandGroup>): Json => {
        const out: Json = {};
        put(out, "authority", m.authority);
        put(out, "reason", m.reason);
        return out;
      },
      fromAmino: (v: Json): MsgDisbandGroup => MsgDisbandGroup.fromPartial({ authority: str(v.authority), reason: str(v.reason) }),
    },
    [DCERT_TYPE_URLS.reestablishGroup]: {
      aminoType: "dcert/MsgReestablishGroup",
      toAmino: (m: Partial<MsgReestablishGroup>): Json => {
        const out: Json = {};
        put(out, "authority", m.authority);
        return out;
      },
      fromAmino: (v: Json): MsgReestablishGroup => MsgReestablishGroup.fromPartial({ authority: str(v.authority) }),
    },
    [DCERT_TYPE_URLS.updateParams]: {
      aminoType: "dcert/MsgUpdateParams",
      toAmino: (m: Partial<MsgUpdateParams>): Json => {
        const out: Json = {};
        put(out, "authority", m.authority);
        put(out, "params", paramsToAmino(m.params));
        return out;
      },
      fromAmino: (v: Json): MsgUpdateParams => {
        const params = paramsFromAmino(v.params);
        return MsgUpdateParams.fromPartial({ authority: str(v.authority), ...(params === undefined ? {} : { params }) });
      },
    },
  };
}
