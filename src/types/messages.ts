/**
 * dCERT message types for CosmJS: a registry list to spread into `new Registry([...defaultRegistryTypes,
 * ...dcertTypes])` and an EncodeObject type (with a type guard) per message.
 */
import type { EncodeObject, GeneratedType } from "@cosmjs/proto-signing";
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

export const DCERT_TYPE_URLS = {
  vote: "/dcert.v1.MsgVote",
  acceptAdmission: "/dcert.v1.MsgAcceptAdmission",
  leaveGroup: "/dcert.v1.MsgLeaveGroup",
  bond: "/dcert.v1.MsgBond",
  unbond: "/dcert.v1.MsgUnbond",
  voteSuspend: "/dcert.v1.MsgVoteSuspend",
  updateDescription: "/dcert.v1.MsgUpdateDescription",
  circuitBreak: "/dcert.v1.MsgCircuitBreak",
  slashMember: "/dcert.v1.MsgSlashMember",
  reinstateMember: "/dcert.v1.MsgReinstateMember",
  disbandGroup: "/dcert.v1.MsgDisbandGroup",
  reestablishGroup: "/dcert.v1.MsgReestablishGroup",
  updateParams: "/dcert.v1.MsgUpdateParams",
} as const;

export const dcertTypes: ReadonlyArray<[string, GeneratedType]> = [
  [DCERT_TYPE_URLS.vote, MsgVote],
  [DCERT_TYPE_URLS.acceptAdmission, MsgAcceptAdmission],
  [DCERT_TYPE_URLS.leaveGroup, MsgLeaveGroup],
  [DCERT_TYPE_URLS.bond, MsgBond],
  [DCERT_TYPE_URLS.unbond, MsgUnbond],
  [DCERT_TYPE_URLS.voteSuspend, MsgVoteSuspend],
  [DCERT_TYPE_URLS.updateDescription, MsgUpdateDescription],
  [DCERT_TYPE_URLS.circuitBreak, MsgCircuitBreak],
  [DCERT_TYPE_URLS.slashMember, MsgSlashMember],
  [DCERT_TYPE_URLS.reinstateMember, MsgReinstateMember],
  [DCERT_TYPE_URLS.disbandGroup, MsgDisbandGroup],
  [DCERT_TYPE_URLS.reestablishGroup, MsgReestablishGroup],
  [DCERT_TYPE_URLS.updateParams, MsgUpdateParams],
];

export interface MsgVoteEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.v1.MsgVote";
  readonly value: Partial<MsgVote>;
}
export interface MsgAcceptAdmissionEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.v1.MsgAcceptAdmission";
  readonly value: Partial<MsgAcceptAdmission>;
}
export interface MsgLeaveGroupEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.v1.MsgLeaveGroup";
  readonly value: Partial<MsgLeaveGroup>;
}
export interface MsgBondEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.v1.MsgBond";
  readonly value: Partial<MsgBond>;
}
export interface MsgUnbondEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.v1.MsgUnbond";
  readonly value: Partial<MsgUnbond>;
}
export interface MsgVoteSuspendEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.v1.MsgVoteSuspend";
  readonly value: Partial<MsgVoteSuspend>;
}
export interface MsgUpdateDescriptionEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.v1.MsgUpdateDescription";
  readonly value: Partial<MsgUpdateDescription>;
}
export interface MsgCircuitBreakEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.v1.MsgCircuitBreak";
  readonly value: Partial<MsgCircuitBreak>;
}
export interface MsgSlashMemberEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.v1.MsgSlashMember";
  readonly value: Partial<MsgSlashMember>;
}
export interface MsgReinstateMemberEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.v1.MsgReinstateMember";
  readonly value: Partial<MsgReinstateMember>;
}
export interface MsgDisbandGroupEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.v1.MsgDisbandGroup";
  readonly value: Partial<MsgDisbandGroup>;
}
export interface MsgReestablishGroupEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.v1.MsgReestablishGroup";
  readonly value: Partial<MsgReestablishGroup>;
}
export interface MsgUpdateParamsEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.v1.MsgUpdateParams";
  readonly value: Partial<MsgUpdateParams>;
}

export type DcertEncodeObject =
  | MsgVoteEncodeObject
  | MsgAcceptAdmissionEncodeObject
  | MsgLeaveGroupEncodeObject
  | MsgBondEncodeObject
  | MsgUnbondEncodeObject
  | MsgVoteSuspendEncodeObject
  | MsgUpdateDescriptionEncodeObject
  | MsgCircuitBreakEncodeObject
  | MsgSlashMemberEncodeObject
  | MsgReinstateMemberEncodeObject
  | MsgDisbandGroupEncodeObject
  | MsgReestablishGroupEncodeObject
  | MsgUpdateParamsEncodeObject;

export function isMsgVoteEncodeObject(o: EncodeObject): o is MsgVoteEncodeObject {
  return o.typeUrl === DCERT_TYPE_URLS.vote;
}
export function isMsgAcceptAdmissionEncodeObject(o: EncodeObject): o is MsgAcceptAdmissionEncodeObject {
  return o.typeUrl === DCERT_TYPE_URLS.acceptAdmission;
}
export function isMsgLeaveGroupEncodeObject(o: EncodeObject): o is MsgLeaveGroupEncodeObject {
  return o.typeUrl === DCERT_TYPE_URLS.leaveGroup;
}
export function isMsgBondEncodeObject(o: EncodeObject): o is MsgBondEncodeObject {
  return o.typeUrl === DCERT_TYPE_URLS.bond;
}
export function isMsgUnbondEncodeObject(o: EncodeObject): o is MsgUnbondEncodeObject {
  return o.typeUrl === DCERT_TYPE_URLS.unbond;
}
export function isMsgVoteSuspendEncodeObject(o: EncodeObject): o is MsgVoteSuspendEncodeObject {
  return o.typeUrl === DCERT_TYPE_URLS.voteSuspend;
}
export function isMsgUpdateDescriptionEncodeObject(o: EncodeObject): o is MsgUpdateDescriptionEncodeObject {
  return o.typeUrl === DCERT_TYPE_URLS.updateDescription;
}
export function isMsgCircuitBreakEncodeObject(o: EncodeObject): o is MsgCircuitBreakEncodeObject {
  return o.typeUrl === DCERT_TYPE_URLS.circuitBreak;
}
export function isMsgSlashMemberEncodeObject(o: EncodeObject): o is MsgSlashMemberEncodeObject {
  return o.typeUrl === DCERT_TYPE_URLS.slashMember;
}
export function isMsgReinstateMemberEncodeObject(o: EncodeObject): o is MsgReinstateMemberEncodeObject {
  return o.typeUrl === DCERT_TYPE_URLS.reinstateMember;
}
export function isMsgDisbandGroupEncodeObject(o: EncodeObject): o is MsgDisbandGroupEncodeObject {
  return o.typeUrl === DCERT_TYPE_URLS.disbandGroup;
}
export function isMsgReestablishGroupEncodeObject(o: EncodeObject): o is MsgReestablishGroupEncodeObject {
  return o.typeUrl === DCERT_TYPE_URLS.reestablishGroup;
}
export function isMsgUpdateParamsEncodeObject(o: EncodeObject): o is MsgUpdateParamsEncodeObject {
  return o.typeUrl === DCERT_TYPE_URLS.updateParams;
}
