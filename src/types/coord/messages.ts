/**
 * Coordination (`coord.v1`) message types for CosmJS: type URLs, a registry list to spread into
 * `new Registry([...defaultRegistryTypes, ...dcertTypes, ...coordTypes])` and an EncodeObject type
 * (with a type guard) per message. Shared by the chain's router and amino registry and the client.
 */
import type { EncodeObject, GeneratedType } from "@cosmjs/proto-signing";
import {
  MsgRegisterParty,
  MsgUpdateParty,
  MsgWithdrawParty,
  MsgOpenCase,
  MsgJoinCase,
  MsgCommit,
  MsgEscalate,
  MsgProposeRevision,
  MsgApproveRevision,
  MsgSendNotice,
  MsgSubmitInput,
  MsgAcknowledge,
  MsgUpdateInvolvement,
  MsgReveal,
  MsgCloseCase,
  MsgUpdateParams,
  MsgSetRevealGate,
} from "../../generated/coord/v1/tx";

export const COORD_TYPE_URLS = {
  registerParty: "/coord.v1.MsgRegisterParty",
  updateParty: "/coord.v1.MsgUpdateParty",
  withdrawParty: "/coord.v1.MsgWithdrawParty",
  openCase: "/coord.v1.MsgOpenCase",
  joinCase: "/coord.v1.MsgJoinCase",
  commit: "/coord.v1.MsgCommit",
  escalate: "/coord.v1.MsgEscalate",
  proposeRevision: "/coord.v1.MsgProposeRevision",
  approveRevision: "/coord.v1.MsgApproveRevision",
  sendNotice: "/coord.v1.MsgSendNotice",
  submitInput: "/coord.v1.MsgSubmitInput",
  acknowledge: "/coord.v1.MsgAcknowledge",
  updateInvolvement: "/coord.v1.MsgUpdateInvolvement",
  reveal: "/coord.v1.MsgReveal",
  closeCase: "/coord.v1.MsgCloseCase",
  updateParams: "/coord.v1.MsgUpdateParams",
  setRevealGate: "/coord.v1.MsgSetRevealGate",
} as const;

export const coordTypes: ReadonlyArray<[string, GeneratedType]> = [
  [COORD_TYPE_URLS.registerParty, MsgRegisterParty],
  [COORD_TYPE_URLS.updateParty, MsgUpdateParty],
  [COORD_TYPE_URLS.withdrawParty, MsgWithdrawParty],
  [COORD_TYPE_URLS.openCase, MsgOpenCase],
  [COORD_TYPE_URLS.joinCase, MsgJoinCase],
  [COORD_TYPE_URLS.commit, MsgCommit],
  [COORD_TYPE_URLS.escalate, MsgEscalate],
  [COORD_TYPE_URLS.proposeRevision, MsgProposeRevision],
  [COORD_TYPE_URLS.approveRevision, MsgApproveRevision],
  [COORD_TYPE_URLS.sendNotice, MsgSendNotice],
  [COORD_TYPE_URLS.submitInput, MsgSubmitInput],
  [COORD_TYPE_URLS.acknowledge, MsgAcknowledge],
  [COORD_TYPE_URLS.updateInvolvement, MsgUpdateInvolvement],
  [COORD_TYPE_URLS.reveal, MsgReveal],
  [COORD_TYPE_URLS.closeCase, MsgCloseCase],
  [COORD_TYPE_URLS.updateParams, MsgUpdateParams],
  [COORD_TYPE_URLS.setRevealGate, MsgSetRevealGate],
];

export interface MsgRegisterPartyEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgRegisterParty";
  readonly value: Partial<MsgRegisterParty>;
}
export function isMsgRegisterPartyEncodeObject(o: EncodeObject): o is MsgRegisterPartyEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.registerParty;
}
export interface MsgUpdatePartyEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgUpdateParty";
  readonly value: Partial<MsgUpdateParty>;
}
export function isMsgUpdatePartyEncodeObject(o: EncodeObject): o is MsgUpdatePartyEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.updateParty;
}
export interface MsgWithdrawPartyEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgWithdrawParty";
  readonly value: Partial<MsgWithdrawParty>;
}
export function isMsgWithdrawPartyEncodeObject(o: EncodeObject): o is MsgWithdrawPartyEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.withdrawParty;
}
export interface MsgOpenCaseEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgOpenCase";
  readonly value: Partial<MsgOpenCase>;
}
export function isMsgOpenCaseEncodeObject(o: EncodeObject): o is MsgOpenCaseEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.openCase;
}
export interface MsgJoinCaseEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgJoinCase";
  readonly value: Partial<MsgJoinCase>;
}
export function isMsgJoinCaseEncodeObject(o: EncodeObject): o is MsgJoinCaseEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.joinCase;
}
export interface MsgCommitEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgCommit";
  readonly value: Partial<MsgCommit>;
}
export function isMsgCommitEncodeObject(o: EncodeObject): o is MsgCommitEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.commit;
}
export interface MsgEscalateEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgEscalate";
  readonly value: Partial<MsgEscalate>;
}
export function isMsgEscalateEncodeObject(o: EncodeObject): o is MsgEscalateEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.escalate;
}
export interface MsgProposeRevisionEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgProposeRevision";
  readonly value: Partial<MsgProposeRevision>;
}
export function isMsgProposeRevisionEncodeObject(o: EncodeObject): o is MsgProposeRevisionEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.proposeRevision;
}
export interface MsgApproveRevisionEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgApproveRevision";
  readonly value: Partial<MsgApproveRevision>;
}
export function isMsgApproveRevisionEncodeObject(o: EncodeObject): o is MsgApproveRevisionEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.approveRevision;
}
export interface MsgSendNoticeEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgSendNotice";
  readonly value: Partial<MsgSendNotice>;
}
export function isMsgSendNoticeEncodeObject(o: EncodeObject): o is MsgSendNoticeEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.sendNotice;
}
export interface MsgSubmitInputEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgSubmitInput";
  readonly value: Partial<MsgSubmitInput>;
}
export function isMsgSubmitInputEncodeObject(o: EncodeObject): o is MsgSubmitInputEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.submitInput;
}
export interface MsgAcknowledgeEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgAcknowledge";
  readonly value: Partial<MsgAcknowledge>;
}
export function isMsgAcknowledgeEncodeObject(o: EncodeObject): o is MsgAcknowledgeEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.acknowledge;
}
export interface MsgUpdateInvolvementEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgUpdateInvolvement";
  readonly value: Partial<MsgUpdateInvolvement>;
}
export function isMsgUpdateInvolvementEncodeObject(o: EncodeObject): o is MsgUpdateInvolvementEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.updateInvolvement;
}
export interface MsgRevealEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgReveal";
  readonly value: Partial<MsgReveal>;
}
export function isMsgRevealEncodeObject(o: EncodeObject): o is MsgRevealEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.reveal;
}
export interface MsgCloseCaseEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgCloseCase";
  readonly value: Partial<MsgCloseCase>;
}
export function isMsgCloseCaseEncodeObject(o: EncodeObject): o is MsgCloseCaseEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.closeCase;
}
export interface MsgUpdateParamsEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgUpdateParams";
  readonly value: Partial<MsgUpdateParams>;
}
export function isMsgUpdateParamsEncodeObject(o: EncodeObject): o is MsgUpdateParamsEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.updateParams;
}
export interface MsgSetRevealGateEncodeObject extends EncodeObject {
  readonly typeUrl: "/coord.v1.MsgSetRevealGate";
  readonly value: Partial<MsgSetRevealGate>;
}
export function isMsgSetRevealGateEncodeObject(o: EncodeObject): o is MsgSetRevealGateEncodeObject {
  return o.typeUrl === COORD_TYPE_URLS.setRevealGate;
}
