/**
 * EncodeObject builders for every dCERT action and for the gov v1 messages that carry the
 * governance-only dCERT messages. Values are complete messages (`fromPartial`), so they sign the
 * same in SIGN_MODE_DIRECT and in amino JSON.
 *
 *   const vote = buildVote(me, [{ candidate: a, share: decimalToFixed18("0.5") }]);
 *   const slash = buildSlashMember({ member: bad, fraction: decimalToFixed18("0.1"), reason: "…" });
 *   const proposal = buildSubmitProposal({ proposer: me, messages: [slash], initialDeposit, title, summary }, registry);
 */
import type { EncodeObject, Registry } from "@cosmjs/proto-signing";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import * as govV1 from "cosmjs-types/cosmos/gov/v1/tx";
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
import type { GroupDescription } from "../generated/dcert/v1/types";
import { govAuthority } from "./addresses";
import { toProposalId, type ProposalId } from "./govqueries";
import {
  DCERT_TYPE_URLS,
  type MsgAcceptAdmissionEncodeObject,
  type MsgBondEncodeObject,
  type MsgCircuitBreakEncodeObject,
  type MsgDisbandGroupEncodeObject,
  type MsgLeaveGroupEncodeObject,
  type MsgReestablishGroupEncodeObject,
  type MsgReinstateMemberEncodeObject,
  type MsgSlashMemberEncodeObject,
  type MsgUnbondEncodeObject,
  type MsgUpdateDescriptionEncodeObject,
  type MsgUpdateParamsEncodeObject,
  type MsgVoteEncodeObject,
  type MsgVoteSuspendEncodeObject,
} from "../types/messages";

/** One entry of a dCERT vote: `share` is 18-decimal fixed point ("500000000000000000" is one half; see decimalToFixed18). */
export interface VoteShare {
  readonly candidate: string;
  readonly share: string;
}

export function buildVote(voter: string, entries: readonly VoteShare[]): MsgVoteEncodeObject {
  return { typeUrl: DCERT_TYPE_URLS.vote, value: MsgVote.fromPartial({ voter, entries: entries.map((e) => ({ candidate: e.candidate, share: e.share })) }) };
}

export function buildAcceptAdmission(candidate: string): MsgAcceptAdmissionEncodeObject {
  return { typeUrl: DCERT_TYPE_URLS.acceptAdmission, value: MsgAcceptAdmission.fromPartial({ candidate }) };
}

export function buildLeaveGroup(member: string): MsgLeaveGroupEncodeObject {
  return { typeUrl: DCERT_TYPE_URLS.leaveGroup, value: MsgLeaveGroup.fromPartial({ member }) };
}

export function buildBond(staker: string, member: string, amount: Coin): MsgBondEncodeObject {
  return { typeUrl: DCERT_TYPE_URLS.bond, value: MsgBond.fromPartial({ staker, member, amount: { denom: amount.denom, amount: amount.amount } }) };
}

export function buildUnbond(staker: string, member: string, amount: Coin): MsgUnbondEncodeObject {
  return { typeUrl: DCERT_TYPE_URLS.unbond, value: MsgUnbond.fromPartial({ staker, member, amount: { denom: amount.denom, amount: amount.amount } }) };
}

export function buildVoteSuspend(member: string, target: string, reason: string): MsgVoteSuspendEncodeObject {
  return { typeUrl: DCERT_TYPE_URLS.voteSuspend, value: MsgVoteSuspend.fromPartial({ member, target, reason }) };
}

export function buildUpdateDescription(member: string, description: Partial<GroupDescription>): MsgUpdateDescriptionEncodeObject {
  return { typeUrl: DCERT_TYPE_URLS.updateDescription, value: MsgUpdateDescription.fromPartial({ member, description }) };
}

/** `caseId` cites the coordination case the break mitigates (0 = none). */
export function buildCircuitBreak(member: string, routes: readonly string[], reason: string, caseId = 0n): MsgCircuitBreakEncodeObject {
  return { typeUrl: DCERT_TYPE_URLS.circuitBreak, value: MsgCircuitBreak.fromPartial({ member, routes: [...routes], reason, caseId }) };
}

// ---- governance-only messages (executed by a passed proposal; authority = the gov module account)

/** `authority` defaults to the gov module account of the `dcert` prefix. */
export interface GovMsgOptions {
  readonly authority?: string;
}

export function buildSlashMember(
  args: { readonly member: string; readonly fraction: string; readonly reason?: string } & GovMsgOptions,
): MsgSlashMemberEncodeObject {
  return {
    typeUrl: DCERT_TYPE_URLS.slashMember,
    value: MsgSlashMember.fromPartial({ authority: args.authority ?? govAuthority(), member: args.member, fraction: args.fraction, reason: args.reason ?? "" }),
  };
}

export function buildReinstateMember(args: { readonly member: string } & GovMsgOptions): MsgReinstateMemberEncodeObject {
  return { typeUrl: DCERT_TYPE_URLS.reinstateMember, value: MsgReinstateMember.fromPartial({ authority: args.authority ?? govAuthority(), member: args.member }) };
}

export function buildDisbandGroup(args: { readonly reason?: string } & GovMsgOptions = {}): MsgDisbandGroupEncodeObject {
  return { typeUrl: DCERT_TYPE_URLS.disbandGroup, value: MsgDisbandGroup.fromPartial({ authority: args.authority ?? govAuthority(), reason: args.reason ?? "" }) };
}

export function buildReestablishGroup(args: GovMsgOptions = {}): MsgReestablishGroupEncodeObject {
  return { typeUrl: DCERT_TYPE_URLS.reestablishGroup, value: MsgReestablishGroup.fromPartial({ authority: args.authority ?? govAuthority() }) };
}

export function buildUpdateParams(args: { readonly params: Params } & GovMsgOptions): MsgUpdateParamsEncodeObject {
  return { typeUrl: DCERT_TYPE_URLS.updateParams, value: MsgUpdateParams.fromPartial({ authority: args.authority ?? govAuthority(), params: args.params }) };
}

// ---- gov v1

export const GOV_V1_TYPE_URLS = {
  submitProposal: "/cosmos.gov.v1.MsgSubmitProposal",
  vote: "/cosmos.gov.v1.MsgVote",
  voteWeighted: "/cosmos.gov.v1.MsgVoteWeighted",
  deposit: "/cosmos.gov.v1.MsgDeposit",
} as const;

export interface GovV1SubmitProposalEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.gov.v1.MsgSubmitProposal";
  readonly value: govV1.MsgSubmitProposal;
}
export interface GovV1VoteEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.gov.v1.MsgVote";
  readonly value: govV1.MsgVote;
}
export interface GovV1VoteWeightedEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.gov.v1.MsgVoteWeighted";
  readonly value: govV1.MsgVoteWeighted;
}
export interface GovV1DepositEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.gov.v1.MsgDeposit";
  readonly value: govV1.MsgDeposit;
}

export interface ProposalContent {
  readonly title: string;
  readonly summary: string;
  readonly metadata?: string;
  readonly expedited?: boolean;
}

/** A gov v1 proposal carrying `messages` (encoded with `registry`, which must know their types). */
export function buildSubmitProposal(
  args: { readonly proposer: string; readonly messages: readonly EncodeObject[]; readonly initialDeposit: readonly Coin[] } & ProposalContent,
  registry: Registry,
): GovV1SubmitProposalEncodeObject {
  return {
    typeUrl: GOV_V1_TYPE_URLS.submitProposal,
    value: govV1.MsgSubmitProposal.fromPartial({
      messages: args.messages.map((m) => registry.encodeAsAny(m)),
      initialDeposit: args.initialDeposit.map((c) => ({ denom: c.denom, amount: c.amount })),
      proposer: args.proposer,
      metadata: args.metadata ?? "",
      title: args.title,
      summary: args.summary,
      expedited: args.expedited ?? false,
    }),
  };
}

export function buildGovVote(voter: string, proposalId: ProposalId, option: VoteOption, metadata = ""): GovV1VoteEncodeObject {
  return { typeUrl: GOV_V1_TYPE_URLS.vote, value: govV1.MsgVote.fromPartial({ proposalId: toProposalId(proposalId), voter, option, metadata }) };
}

/** `weight` is a decimal string with 18 decimals of precision as the SDK writes it ("0.600000000000000000") or a plain decimal ("0.6"). */
export function buildGovVoteWeighted(
  voter: string,
  proposalId: ProposalId,
  options: ReadonlyArray<{ readonly option: VoteOption; readonly weight: string }>,
  metadata = "",
): GovV1VoteWeightedEncodeObject {
  return {
    typeUrl: GOV_V1_TYPE_URLS.voteWeighted,
    value: govV1.MsgVoteWeighted.fromPartial({ proposalId: toProposalId(proposalId), voter, options: options.map((o) => ({ option: o.option, weight: o.weight })), metadata }),
  };
}

export function buildGovDeposit(depositor: string, proposalId: ProposalId, amount: readonly Coin[]): GovV1DepositEncodeObject {
  return {
    typeUrl: GOV_V1_TYPE_URLS.deposit,
    value: govV1.MsgDeposit.fromPartial({ proposalId: toProposalId(proposalId), depositor, amount: amount.map((c) => ({ denom: c.denom, amount: c.amount })) }),
  };
}

export { VoteOption };
