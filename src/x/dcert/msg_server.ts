/**
 * The dCERT Msg service: one MsgService per message (type URL `/dcert.v1.<Msg>`, module "dcert").
 * `signers` returns the field each proto comment names; `validateBasic` is stateless and runs
 * first, when the message is decoded. Handlers with a role check it before reading or writing any
 * state: MsgVoteSuspend and MsgUpdateDescription (active member) at the top of their keeper
 * method; the five governance-only messages (gov authority) in `handle` (MsgSlashMember,
 * MsgUpdateParams) or as the first statement of their keeper method (MsgReinstateMember,
 * MsgDisbandGroup, MsgReestablishGroup). Vote, admission, leave, bond and unbond act for their
 * signer and need no role.
 *
 * MsgCircuitBreak is defined in tx.proto but served by the circuit module, not here.
 */
import { DEC_ONE, isCanonicalUint } from "../../baseapp/coins";
import type { MsgResponse, ProtoCodec, Registrar } from "../../baseapp/module";
import { DCERT_TYPE_URLS } from "../../types/messages";
import {
  MsgAcceptAdmission,
  MsgAcceptAdmissionResponse,
  MsgBond,
  MsgBondResponse,
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
import { ErrInvalidFraction } from "./keeper/errors";
import type { DcertKeeper } from "./keeper/keeper";
import { DCERT_MODULE } from "./keeper/keys";
import { paramsFromProto } from "./keeper/params";
import { parseVoteEntries, requireAddress, requireCoin, requireDescription, requireReason } from "./validate";

export const MSG_TYPE_URLS = DCERT_TYPE_URLS;

function respond<R>(typeUrl: string, codec: ProtoCodec<R>, value: R): MsgResponse {
  return { typeUrl: `${typeUrl}Response`, value: codec.encode(value).finish() };
}

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

export function registerDcertMsgs(r: Registrar, keeper: DcertKeeper): void {
  const U = MSG_TYPE_URLS;

  // ---------------------------------------------------------------- voters, candidates, stakers

  r.msg<MsgVote>({
    typeUrl: U.vote,
    module: DCERT_MODULE,
    codec: MsgVote,
    signers: (m) => [m.voter],
    validateBasic(m) {
      requireAddress(m.voter, "voter");
      parseVoteEntries(m.entries);
    },
    handle(ctx, m) {
      keeper.vote(ctx, m.voter, parseVoteEntries(m.entries));
      return respond(U.vote, MsgVoteResponse, {});
    },
  });

  r.msg<MsgAcceptAdmission>({
    typeUrl: U.acceptAdmission,
    module: DCERT_MODULE,
    codec: MsgAcceptAdmission,
    signers: (m) => [m.candidate],
    validateBasic: (m) => requireAddress(m.candidate, "candidate"),
    handle(ctx, m) {
      keeper.acceptAdmission(ctx, m.candidate);
      return respond(U.acceptAdmission, MsgAcceptAdmissionResponse, {});
    },
  });

  r.msg<MsgLeaveGroup>({
    typeUrl: U.leaveGroup,
    module: DCERT_MODULE,
    codec: MsgLeaveGroup,
    signers: (m) => [m.member],
    validateBasic: (m) => requireAddress(m.member, "member"),
    handle(ctx, m) {
      keeper.leaveGroup(ctx, m.member);
      return respond(U.leaveGroup, MsgLeaveGroupResponse, {});
    },
  });

  r.msg<MsgBond>({
    typeUrl: U.bond,
    module: DCERT_MODULE,
    codec: MsgBond,
    signers: (m) => [m.staker],
    validateBasic(m) {
      requireAddress(m.staker, "staker");
      requireAddress(m.member, "member");
      requireCoin(m.amount, "amount");
    },
    handle(ctx, m) {
      keeper.bond(ctx, m.staker, m.member, requireCoin(m.amount, "amount"));
      return respond(U.bond, MsgBondResponse, {});
    },
  });

  r.msg<MsgUnbond>({
    typeUrl: U.unbond,
    module: DCERT_MODULE,
    codec: MsgUnbond,
    signers: (m) => [m.staker],
    validateBasic(m) {
      requireAddress(m.staker, "staker");
      requireAddress(m.member, "member");
      requireCoin(m.amount, "amount");
    },
    handle(ctx, m) {
      const e = keeper.unbond(ctx, m.staker, m.member, requireCoin(m.amount, "amount"));
      return respond(U.unbond, MsgUnbondResponse, { completionTime: e.completionTime, unbondingId: e.id });
    },
  });

  // ---------------------------------------------------------------- active members

  r.msg<MsgVoteSuspend>({
    typeUrl: U.voteSuspend,
    module: DCERT_MODULE,
    codec: MsgVoteSuspend,
    signers: (m) => [m.member],
    validateBasic(m) {
      requireAddress(m.member, "member");
      requireAddress(m.target, "target");
      requireReason(m.reason);
    },
    handle(ctx, m) {
      const t = keeper.voteSuspend(ctx, m.member, m.target, m.reason);
      return respond(U.voteSuspend, MsgVoteSuspendResponse, { suspended: t.suspended, yesVotes: t.yes, needed: t.needed });
    },
  });

  r.msg<MsgUpdateDescription>({
    typeUrl: U.updateDescription,
    module: DCERT_MODULE,
    codec: MsgUpdateDescription,
    signers: (m) => [m.member],
    validateBasic(m) {
      requireAddress(m.member, "member");
      requireDescription(m.description);
    },
    handle(ctx, m) {
      keeper.updateDescription(ctx, m.member, requireDescription(m.description));
      return respond(U.updateDescription, MsgUpdateDescriptionResponse, {});
    },
  });

  // ---------------------------------------------------------------- governance

  r.msg<MsgSlashMember>({
    typeUrl: U.slashMember,
    module: DCERT_MODULE,
    codec: MsgSlashMember,
    signers: (m) => [m.authority],
    validateBasic(m) {
      requireAddress(m.authority, "authority");
      requireAddress(m.member, "member");
      parseFraction(m.fraction, "fraction");
      requireReason(m.reason);
    },
    handle(ctx, m) {
      keeper.requireAuthority(m.authority, "MsgSlashMember");
      const res = keeper.slashMember(ctx, m.authority, m.member, parseFraction(m.fraction, "fraction"), m.reason);
      return respond(U.slashMember, MsgSlashMemberResponse, { bondedSlashed: res.bonded.toString(), unbondingSlashed: res.unbonding.toString() });
    },
  });

  r.msg<MsgReinstateMember>({
    typeUrl: U.reinstateMember,
    module: DCERT_MODULE,
    codec: MsgReinstateMember,
    signers: (m) => [m.authority],
    validateBasic(m) {
      requireAddress(m.authority, "authority");
      requireAddress(m.member, "member");
    },
    handle(ctx, m) {
      keeper.reinstateMember(ctx, m.authority, m.member);
      return respond(U.reinstateMember, MsgReinstateMemberResponse, {});
    },
  });

  r.msg<MsgDisbandGroup>({
    typeUrl: U.disbandGroup,
    module: DCERT_MODULE,
    codec: MsgDisbandGroup,
    signers: (m) => [m.authority],
    validateBasic(m) {
      requireAddress(m.authority, "authority");
      requireReason(m.reason);
    },
    handle(ctx, m) {
      keeper.disbandGroup(ctx, m.authority, m.reason);
      return respond(U.disbandGroup, MsgDisbandGroupResponse, {});
    },
  });

  r.msg<MsgReestablishGroup>({
    typeUrl: U.reestablishGroup,
    module: DCERT_MODULE,
    codec: MsgReestablishGroup,
    signers: (m) => [m.authority],
    validateBasic: (m) => requireAddress(m.authority, "authority"),
    handle(ctx, m) {
      keeper.reestablishGroup(ctx, m.authority);
      return respond(U.reestablishGroup, MsgReestablishGroupResponse, {});
    },
  });

  r.msg<MsgUpdateParams>({
    typeUrl: U.updateParams,
    module: DCERT_MODULE,
    codec: MsgUpdateParams,
    signers: (m) => [m.authority],
    validateBasic(m) {
      requireAddress(m.authority, "authority");
      paramsFromProto(m.params);
    },
    handle(ctx, m) {
      keeper.requireAuthority(m.authority, "MsgUpdateParams");
      keeper.updateParams(ctx, m.authority, paramsFromProto(m.params));
      return respond(U.updateParams, MsgUpdateParamsResponse, {});
    },
  });
}
