/**
 * EncodeObject builders for every coordination message. Values are complete messages
 * (`fromPartial`), so they sign the same in SIGN_MODE_DIRECT and in amino JSON:
 *
 *   const open = buildOpenCase({ member: me, level: 3, commitments, deadline: new Date("2025-06-01T00:00:00Z") });
 *   await client.signAndBroadcast(me, [open], "auto");
 *
 * Sealing (envelopes) and commitments are computed elsewhere (src/types/coord/seal.ts and
 * commit.ts); these builders only place their results in messages. MsgUpdateParams is
 * governance-only: send it inside a gov v1 proposal (`buildSubmitProposal`).
 */
import type { Params } from "../../generated/coord/v1/params";
import {
  MsgAcknowledge,
  MsgApproveRevision,
  MsgCloseCase,
  MsgCommit,
  MsgEscalate,
  MsgJoinCase,
  MsgOpenCase,
  MsgProposeRevision,
  MsgRegisterParty,
  MsgReveal,
  MsgSendNotice,
  MsgSetRevealGate,
  MsgSubmitInput,
  MsgUpdateInvolvement,
  MsgUpdateParams,
  MsgUpdateParty,
  MsgWithdrawParty,
} from "../../generated/coord/v1/tx";
import type { Timestamp } from "../../generated/google/protobuf/timestamp";
import type {
  CommitmentKind,
  Component,
  Envelope,
  InvolvementStatus,
  NoticeKind,
  PartyKind,
  RecordSummary,
  RevisionKind,
} from "../../generated/coord/v1/types";
import { govAuthority } from "../addresses";
import {
  COORD_TYPE_URLS,
  type MsgAcknowledgeEncodeObject,
  type MsgApproveRevisionEncodeObject,
  type MsgCloseCaseEncodeObject,
  type MsgCommitEncodeObject,
  type MsgEscalateEncodeObject,
  type MsgJoinCaseEncodeObject,
  type MsgOpenCaseEncodeObject,
  type MsgProposeRevisionEncodeObject,
  type MsgRegisterPartyEncodeObject,
  type MsgRevealEncodeObject,
  type MsgSendNoticeEncodeObject,
  type MsgSetRevealGateEncodeObject,
  type MsgSubmitInputEncodeObject,
  type MsgUpdateInvolvementEncodeObject,
  type MsgUpdateParamsEncodeObject,
  type MsgUpdatePartyEncodeObject,
  type MsgWithdrawPartyEncodeObject,
} from "../../types/coord/messages";
import { planNameProblem } from "../../types/coord/gate";
import { toCoordId, type CoordId } from "./queries";

/** An embargo deadline: a block time (Date or protobuf Timestamp) or a block height. */
export type Deadline = Date | Timestamp | { readonly height: bigint | number };

function bytes(b: Uint8Array | undefined): Uint8Array {
  return Uint8Array.from(b ?? new Uint8Array());
}

function toTimestamp(t: Date | Timestamp): Timestamp {
  if (!(t instanceof Date)) return { seconds: t.seconds, nanos: t.nanos };
  const ms = t.getTime();
  if (!Number.isFinite(ms)) throw new Error("invalid deadline: the Date is not a valid time");
  const rem = ((ms % 1000) + 1000) % 1000;
  return { seconds: BigInt((ms - rem) / 1000), nanos: rem * 1_000_000 };
}

function height(h: bigint | number): bigint {
  if (typeof h === "number" && !Number.isSafeInteger(h)) throw new Error(`invalid height ${h}`);
  const n = BigInt(h);
  if (n <= 0n || n > 2n ** 63n - 1n) throw new Error(`invalid height ${n} (expected a positive int64)`);
  return n;
}

/** The deadline fields of MsgOpenCase / MsgProposeRevision for `d` (none when absent). */
function deadlineFields(d: Deadline | undefined): { time: Timestamp | undefined; height: bigint } {
  if (d === undefined) return { time: undefined, height: 0n };
  if ("height" in d) return { time: undefined, height: height(d.height) };
  return { time: toTimestamp(d), height: 0n };
}

function copyComponent(c: Component): Component {
  return { kind: c.kind, name: c.name, versions: c.versions };
}

// ---- parties

export interface PartyArgs {
  readonly owner: string;
  readonly kind: PartyKind;
  readonly name: string;
  readonly contact?: string;
  /** The party's X25519 public key (32 bytes). */
  readonly encryptionKey: Uint8Array;
  readonly dependencies?: readonly Component[];
}

export function buildRegisterParty(a: PartyArgs): MsgRegisterPartyEncodeObject {
  return {
    typeUrl: COORD_TYPE_URLS.registerParty,
    value: MsgRegisterParty.fromPartial({
      owner: a.owner,
      kind: a.kind,
      name: a.name,
      contact: a.contact ?? "",
      encryptionKey: bytes(a.encryptionKey),
      dependencies: (a.dependencies ?? []).map(copyComponent),
    }),
  };
}

/** Replaces every field of the party record (send the full new record). */
export function buildUpdateParty(a: PartyArgs): MsgUpdatePartyEncodeObject {
  return {
    typeUrl: COORD_TYPE_URLS.updateParty,
    value: MsgUpdateParty.fromPartial({
      owner: a.owner,
      kind: a.kind,
      name: a.name,
      contact: a.contact ?? "",
      encryptionKey: bytes(a.encryptionKey),
      dependencies: (a.dependencies ?? []).map(copyComponent),
    }),
  };
}

export function buildWithdrawParty(owner: string): MsgWithdrawPartyEncodeObject {
  return { typeUrl: COORD_TYPE_URLS.withdrawParty, value: MsgWithdrawParty.fromPartial({ owner }) };
}

// ---- cases

export interface CommitmentArg {
  readonly kind: CommitmentKind;
  /** The 32-byte commitment (src/types/coord/commit.ts). */
  readonly hash: Uint8Array;
}

export function buildOpenCase(a: {
  readonly member: string;
  /** 1–3, or 0 for a sealed level (then a LEVEL commitment and a deadline are required). */
  readonly level: number;
  readonly commitments: readonly CommitmentArg[];
  /** Absent: the level's default embargo period. */
  readonly deadline?: Deadline;
  /** Gate the reveal on this x/upgrade plan: nothing is revealed until 2/3 of voting power is ready for it. */
  readonly readinessPlan?: string;
}): MsgOpenCaseEncodeObject {
  const d = deadlineFields(a.deadline);
  const readinessPlan = a.readinessPlan ?? "";
  if (readinessPlan !== "") requirePlanName(readinessPlan);
  return {
    typeUrl: COORD_TYPE_URLS.openCase,
    value: MsgOpenCase.fromPartial({
      member: a.member,
      level: a.level,
      commitments: a.commitments.map((c) => ({ kind: c.kind, hash: bytes(c.hash) })),
      ...(d.time === undefined ? {} : { deadlineTime: d.time }),
      deadlineHeight: d.height,
      readinessPlan,
    }),
  };
}

function requirePlanName(name: string): void {
  const why = planNameProblem(name);
  if (why !== undefined) throw new Error(`invalid readiness plan: ${why}`);
}

/**
 * Sets, replaces or (`readinessPlan` empty or absent) clears the reveal gate of a case; the signer
 * must coordinate the case.
 */
export function buildSetRevealGate(a: {
  readonly member: string;
  readonly caseId: CoordId;
  readonly readinessPlan?: string;
  readonly reason?: string;
}): MsgSetRevealGateEncodeObject {
  const readinessPlan = a.readinessPlan ?? "";
  if (readinessPlan !== "") requirePlanName(readinessPlan);
  return {
    typeUrl: COORD_TYPE_URLS.setRevealGate,
    value: MsgSetRevealGate.fromPartial({ member: a.member, caseId: toCoordId(a.caseId, "case id"), readinessPlan, reason: a.reason ?? "" }),
  };
}

export function buildJoinCase(member: string, caseId: CoordId): MsgJoinCaseEncodeObject {
  return { typeUrl: COORD_TYPE_URLS.joinCase, value: MsgJoinCase.fromPartial({ member, caseId: toCoordId(caseId, "case id") }) };
}

export function buildCommit(a: { readonly member: string; readonly caseId: CoordId } & CommitmentArg): MsgCommitEncodeObject {
  return {
    typeUrl: COORD_TYPE_URLS.commit,
    value: MsgCommit.fromPartial({ member: a.member, caseId: toCoordId(a.caseId, "case id"), kind: a.kind, hash: bytes(a.hash) }),
  };
}

export function buildEscalate(a: {
  readonly member: string;
  readonly caseId: CoordId;
  readonly newLevel: number;
  readonly reason?: string;
  /** Sealed-level case: the LEVEL commitment's salt and the level as committed. */
  readonly levelSalt?: Uint8Array;
  readonly sealedLevel?: number;
}): MsgEscalateEncodeObject {
  return {
    typeUrl: COORD_TYPE_URLS.escalate,
    value: MsgEscalate.fromPartial({
      member: a.member,
      caseId: toCoordId(a.caseId, "case id"),
      newLevel: a.newLevel,
      levelSalt: bytes(a.levelSalt),
      sealedLevel: a.sealedLevel ?? 0,
      reason: a.reason ?? "",
    }),
  };
}

export function buildProposeRevision(a: {
  readonly member: string;
  readonly caseId: CoordId;
  readonly kind: RevisionKind;
  /** EXTEND / SHORTEN: the new deadline. */
  readonly newDeadline?: Deadline;
  /** DEESCALATE: the new level. */
  readonly newLevel?: number;
  readonly reason?: string;
}): MsgProposeRevisionEncodeObject {
  const d = deadlineFields(a.newDeadline);
  return {
    typeUrl: COORD_TYPE_URLS.proposeRevision,
    value: MsgProposeRevision.fromPartial({
      member: a.member,
      caseId: toCoordId(a.caseId, "case id"),
      kind: a.kind,
      ...(d.time === undefined ? {} : { newDeadlineTime: d.time }),
      newDeadlineHeight: d.height,
      newLevel: a.newLevel ?? 0,
      reason: a.reason ?? "",
    }),
  };
}

export function buildApproveRevision(member: string, caseId: CoordId): MsgApproveRevisionEncodeObject {
  return { typeUrl: COORD_TYPE_URLS.approveRevision, value: MsgApproveRevision.fromPartial({ member, caseId: toCoordId(caseId, "case id") }) };
}

// ---- sealed notices and input

export interface NoticeArg {
  readonly recipient: string;
  readonly kind: NoticeKind;
  /** Sealed to the recipient's current key (src/types/coord/seal.ts). */
  readonly envelope: Envelope;
}

export function buildSendNotice(a: { readonly member: string; readonly caseId: CoordId; readonly notices: readonly NoticeArg[] }): MsgSendNoticeEncodeObject {
  return {
    typeUrl: COORD_TYPE_URLS.sendNotice,
    value: MsgSendNotice.fromPartial({
      member: a.member,
      caseId: toCoordId(a.caseId, "case id"),
      notices: a.notices.map((n) => ({ recipient: n.recipient, kind: n.kind, envelope: n.envelope })),
    }),
  };
}

/** Sealed input to the group; `caseId` 0 or absent = the general inbox. Sealed to exactly Query/GroupKeys. */
export function buildSubmitInput(a: { readonly sender: string; readonly caseId?: CoordId; readonly envelope: Envelope }): MsgSubmitInputEncodeObject {
  return {
    typeUrl: COORD_TYPE_URLS.submitInput,
    value: MsgSubmitInput.fromPartial({ sender: a.sender, caseId: toCoordId(a.caseId ?? 0n, "case id"), envelope: a.envelope }),
  };
}

/** Acknowledges notice `noticeId`; `envelopeHash` is the notice's `envelopeHash` (Query/Notice). */
export function buildAcknowledge(a: { readonly party: string; readonly noticeId: CoordId; readonly envelopeHash: Uint8Array }): MsgAcknowledgeEncodeObject {
  return {
    typeUrl: COORD_TYPE_URLS.acknowledge,
    value: MsgAcknowledge.fromPartial({ party: a.party, noticeId: toCoordId(a.noticeId, "notice id"), envelopeHash: bytes(a.envelopeHash) }),
  };
}

/** Reports progress (IN_PROGRESS, FIXED or DISPUTED); `noteHash` commits to a private note. */
export function buildUpdateInvolvement(a: {
  readonly party: string;
  readonly caseId: CoordId;
  readonly status: InvolvementStatus;
  readonly noteHash?: Uint8Array;
}): MsgUpdateInvolvementEncodeObject {
  return {
    typeUrl: COORD_TYPE_URLS.updateInvolvement,
    value: MsgUpdateInvolvement.fromPartial({ party: a.party, caseId: toCoordId(a.caseId, "case id"), status: a.status, noteHash: bytes(a.noteHash) }),
  };
}

// ---- reveal and close

export interface RevealArg {
  readonly kind: CommitmentKind;
  readonly salt: Uint8Array;
  /** The committed content (protobuf bytes of AffectedComponents, Advisory, FixRef, SealedLevel, or the report). */
  readonly content?: Uint8Array;
  /** REPORT only: reveal by SHA-256 of the report instead of the report itself. */
  readonly contentHash?: Uint8Array;
}

export function buildReveal(a: { readonly member: string; readonly caseId: CoordId; readonly items: readonly RevealArg[] }): MsgRevealEncodeObject {
  return {
    typeUrl: COORD_TYPE_URLS.reveal,
    value: MsgReveal.fromPartial({
      member: a.member,
      caseId: toCoordId(a.caseId, "case id"),
      items: a.items.map((i) => ({ kind: i.kind, salt: bytes(i.salt), content: bytes(i.content), contentHash: bytes(i.contentHash) })),
    }),
  };
}

export function buildCloseCase(a: {
  readonly member: string;
  readonly caseId: CoordId;
  /** SHA-256 of the full (private) post-coordination record. */
  readonly recordHash: Uint8Array;
  readonly summary: Partial<RecordSummary>;
}): MsgCloseCaseEncodeObject {
  return {
    typeUrl: COORD_TYPE_URLS.closeCase,
    value: MsgCloseCase.fromPartial({
      member: a.member,
      caseId: toCoordId(a.caseId, "case id"),
      recordHash: bytes(a.recordHash),
      summary: {
        activities: a.summary.activities ?? "",
        responses: a.summary.responses ?? "",
        lessonsLearned: a.summary.lessonsLearned ?? "",
        fixDeploymentVerified: a.summary.fixDeploymentVerified ?? false,
        followUps: [...(a.summary.followUps ?? [])],
      },
    }),
  };
}

// ---- governance

/** MsgUpdateParams of the coordination module; `authority` defaults to the gov module account of the `dcert` prefix. */
export function buildUpdateParams(a: { readonly params: Params; readonly authority?: string }): MsgUpdateParamsEncodeObject {
  return { typeUrl: COORD_TYPE_URLS.updateParams, value: MsgUpdateParams.fromPartial({ authority: a.authority ?? govAuthority(), params: a.params }) };
}
