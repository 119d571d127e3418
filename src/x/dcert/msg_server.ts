/**
 * The dCERT msg server: one table entry per method of the `dcert.v1.Msg` service (type URL
 * `/dcert.v1.Msg<method>`, module "dcert"). `signers` returns the field each proto comment names;
 * `validateBasic` is stateless and runs first, when the message is decoded, and what it parses
 * (vote shares, coins, fraction, params) reaches the handler. Handlers with a role check it before
 * reading or writing any state: MsgVoteSuspend and MsgUpdateDescription (active member) at the top
 * of their keeper method; the five governance-only messages (gov authority) in the handler
 * (MsgSlashMember, MsgUpdateParams) or as the first statement of their keeper method
 * (MsgReinstateMember, MsgDisbandGroup, MsgReestablishGroup). Vote, admission, leave, bond and
 * unbond act for their signer and need no role.
 *
 * MsgCircuitBreak's entry is the circuit breaker's (circuit/service.ts), passed in.
 */
import { DEC_ONE, isCanonicalUint } from "../../baseapp/coins";
import type { Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { type MsgSpec, type MsgTable, msgSpec } from "../../baseapp/msgserver";
import { DCERT_TYPE_URLS } from "../../types/messages";
import type { GroupDescription } from "../../generated/dcert/v1/types";
import {
  type Msg,
  MsgAcceptAdmission,
  MsgAcceptAdmissionResponse,
  MsgBond,
  MsgBondResponse,
  type MsgCircuitBreak,
  type MsgCircuitBreakResponse,
  MsgDisbandGroup,
  MsgDisbandGroupResponse,
  MsgLeaveGroup,
  MsgLeaveGroupResponse,
  MsgReestablishGroup,
  MsgReestablishGroupResponse,
  MsgReinstateMember,
  MsgReinstateMemberResponse,
  MsgSlashMember,
  MsgSlashMemberResponse,
  MsgUnbond,
  MsgUnbondResponse,
  MsgUpdateDescription,
  MsgUpdateDescriptionResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  MsgVote,
  MsgVoteResponse,
  MsgVoteSuspend,
  MsgVoteSuspendResponse,
} from "../../generated/dcert/v1/tx";
import { ErrInvalidFraction } from "./errors";
import type { DcertKeeper } from "./keeper/keeper";
import { type DcertParams, paramsFromProto } from "./keeper/params";
import { updateParamsSpec } from "../auth/update_params";
import type { VoteEntry } from "./electionator";
import { parseVoteEntries, requireAddress, requireCoin, requireDescription, requireReason } from "./validate";

export const MSG_TYPE_URLS = DCERT_TYPE_URLS;

/** An 18-decimal fraction in (0, 1]. */
export function parseFraction(s: string, field: string): bigint {
  if (!isCanonicalUint(s) || s.length > 40) {
    throw ErrInvalidFraction.wrap(
      `${field} must be the canonical integer string of the fraction × 10^18 (500000000000000000 is one half; no leading zeros, sign or spaces), got ${JSON.stringify(s.slice(0, 60))}`,
    );
  }
  const f = BigInt(s);
  if (f <= 0n || f > DEC_ONE) throw ErrInvalidFraction.wrap(`${field} must be above 0 and at most 1 (1000000000000000000), got ${s}`);
  return f;
}

export const DCERT_MSG_PACKAGE = "dcert.v1";

// ---------------------------------------------------------------- stateless checks (validateBasic)

/** Returns the vote's entries as shares, so that the handler does not parse them again. */
function validateVote(m: MsgVote): VoteEntry[] {
  requireAddress(m.voter, "voter");
  return parseVoteEntries(m.entries);
}

function validateBond(m: MsgBond): Coin {
  requireAddress(m.staker, "staker");
  requireAddress(m.member, "member");
  return requireCoin(m.amount, "amount");
}

function validateUnbond(m: MsgUnbond): Coin {
  requireAddress(m.staker, "staker");
  requireAddress(m.member, "member");
  return requireCoin(m.amount, "amount");
}

function validateVoteSuspend(m: MsgVoteSuspend): void {
  requireAddress(m.member, "member");
  requireAddress(m.target, "target");
  requireReason(m.reason);
}

function validateUpdateDescription(m: MsgUpdateDescription): GroupDescription {
  requireAddress(m.member, "member");
  return requireDescription(m.description);
}

/** Returns the fraction. */
function validateSlashMember(m: MsgSlashMember): bigint {
  requireAddress(m.authority, "authority");
  requireAddress(m.member, "member");
  const fraction = parseFraction(m.fraction, "fraction");
  requireReason(m.reason);
  return fraction;
}

function validateReinstateMember(m: MsgReinstateMember): void {
  requireAddress(m.authority, "authority");
  requireAddress(m.member, "member");
}

function validateDisbandGroup(m: MsgDisbandGroup): void {
  requireAddress(m.authority, "authority");
  requireReason(m.reason);
}

function validateUpdateParams(m: MsgUpdateParams): DcertParams {
  requireAddress(m.authority, "authority");
  return paramsFromProto(m.params);
}

// ---------------------------------------------------------------- handlers

export class DcertMsgServer {
  constructor(
    private readonly keeper: DcertKeeper,
    private readonly circuitBreak: MsgSpec<MsgCircuitBreak, void, MsgCircuitBreakResponse>,
  ) {}

  // voters, candidates, stakers

  vote(ctx: Context, m: MsgVote, entries: VoteEntry[]): MsgVoteResponse {
    this.keeper.vote(ctx, m.voter, entries);
    return {};
  }

  acceptAdmission(ctx: Context, m: MsgAcceptAdmission): MsgAcceptAdmissionResponse {
    this.keeper.acceptAdmission(ctx, m.candidate);
    return {};
  }

  leaveGroup(ctx: Context, m: MsgLeaveGroup): MsgLeaveGroupResponse {
    this.keeper.leaveGroup(ctx, m.member);
    return {};
  }

  bond(ctx: Context, m: MsgBond, amount: Coin): MsgBondResponse {
    this.keeper.bond(ctx, m.staker, m.member, amount);
    return {};
  }

  unbond(ctx: Context, m: MsgUnbond, amount: Coin): MsgUnbondResponse {
    const e = this.keeper.unbond(ctx, m.staker, m.member, amount);
    return { completionTime: e.completionTime, unbondingId: e.id };
  }

  // active members

  voteSuspend(ctx: Context, m: MsgVoteSuspend): MsgVoteSuspendResponse {
    const t = this.keeper.voteSuspend(ctx, m.member, m.target, m.reason);
    return { suspended: t.suspended, yesVotes: t.yes, needed: t.needed };
  }

  updateDescription(ctx: Context, m: MsgUpdateDescription, description: GroupDescription): MsgUpdateDescriptionResponse {
    this.keeper.updateDescription(ctx, m.member, description);
    return {};
  }

  // governance

  slashMember(ctx: Context, m: MsgSlashMember, fraction: bigint): MsgSlashMemberResponse {
    this.keeper.requireAuthority(m.authority, "MsgSlashMember");
    const res = this.keeper.slashMember(ctx, m.authority, m.member, fraction, m.reason);
    return { bondedSlashed: res.bonded.toString(), unbondingSlashed: res.unbonding.toString() };
  }

  reinstateMember(ctx: Context, m: MsgReinstateMember): MsgReinstateMemberResponse {
    this.keeper.reinstateMember(ctx, m.authority, m.member);
    return {};
  }

  disbandGroup(ctx: Context, m: MsgDisbandGroup): MsgDisbandGroupResponse {
    this.keeper.disbandGroup(ctx, m.authority, m.reason);
    return {};
  }

  reestablishGroup(ctx: Context, m: MsgReestablishGroup): MsgReestablishGroupResponse {
    this.keeper.reestablishGroup(ctx, m.authority);
    return {};
  }

  table(): MsgTable<Msg> {
    return {
      Vote: msgSpec({
        codec: MsgVote,
        response: MsgVoteResponse,
        signers: (m) => [m.voter],
        validateBasic: validateVote,
        handle: (ctx, m, entries) => this.vote(ctx, m, entries),
      }),
      AcceptAdmission: msgSpec({
        codec: MsgAcceptAdmission,
        response: MsgAcceptAdmissionResponse,
        signers: (m) => [m.candidate],
        validateBasic: (m) => requireAddress(m.candidate, "candidate"),
        handle: (ctx, m) => this.acceptAdmission(ctx, m),
      }),
      LeaveGroup: msgSpec({
        codec: MsgLeaveGroup,
        response: MsgLeaveGroupResponse,
        signers: (m) => [m.member],
        validateBasic: (m) => requireAddress(m.member, "member"),
        handle: (ctx, m) => this.leaveGroup(ctx, m),
      }),
      Bond: msgSpec({
        codec: MsgBond,
        response: MsgBondResponse,
        signers: (m) => [m.staker],
        validateBasic: validateBond,
        handle: (ctx, m, amount) => this.bond(ctx, m, amount),
      }),
      Unbond: msgSpec({
        codec: MsgUnbond,
        response: MsgUnbondResponse,
        signers: (m) => [m.staker],
        validateBasic: validateUnbond,
        handle: (ctx, m, amount) => this.unbond(ctx, m, amount),
      }),
      VoteSuspend: msgSpec({
        codec: MsgVoteSuspend,
        response: MsgVoteSuspendResponse,
        signers: (m) => [m.member],
        validateBasic: validateVoteSuspend,
        handle: (ctx, m) => this.voteSuspend(ctx, m),
      }),
      UpdateDescription: msgSpec({
        codec: MsgUpdateDescription,
        response: MsgUpdateDescriptionResponse,
        signers: (m) => [m.member],
        validateBasic: validateUpdateDescription,
        handle: (ctx, m, description) => this.updateDescription(ctx, m, description),
      }),
      CircuitBreak: this.circuitBreak,
      SlashMember: msgSpec({
        codec: MsgSlashMember,
        response: MsgSlashMemberResponse,
        signers: (m) => [m.authority],
        validateBasic: validateSlashMember,
        handle: (ctx, m, fraction) => this.slashMember(ctx, m, fraction),
      }),
      ReinstateMember: msgSpec({
        codec: MsgReinstateMember,
        response: MsgReinstateMemberResponse,
        signers: (m) => [m.authority],
        validateBasic: validateReinstateMember,
        handle: (ctx, m) => this.reinstateMember(ctx, m),
      }),
      DisbandGroup: msgSpec({
        codec: MsgDisbandGroup,
        response: MsgDisbandGroupResponse,
        signers: (m) => [m.authority],
        validateBasic: validateDisbandGroup,
        handle: (ctx, m) => this.disbandGroup(ctx, m),
      }),
      ReestablishGroup: msgSpec({
        codec: MsgReestablishGroup,
        response: MsgReestablishGroupResponse,
        signers: (m) => [m.authority],
        validateBasic: (m) => requireAddress(m.authority, "authority"),
        handle: (ctx, m) => this.reestablishGroup(ctx, m),
      }),
      UpdateParams: updateParamsSpec({
        codec: MsgUpdateParams,
        response: MsgUpdateParamsResponse,
        what: "MsgUpdateParams",
        authorize: (authority) => this.keeper.requireAuthority(authority, "MsgUpdateParams"),
        validateBasic: validateUpdateParams,
        validate: (_m, params) => params,
        store: (ctx, params, m) => this.keeper.updateParams(ctx, m.authority, params),
      }),
    };
  }
}
