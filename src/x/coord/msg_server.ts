/**
 * The coordination msg server: one table entry per method of the `coord.v1.Msg` service (type URL
 * `/coord.v1.Msg<method>`, module "coord"). `signers` returns the field each proto comment names;
 * `validateBasic` is stateless (addresses, party fields and canonical dependencies, commitment
 * lists, hashes, caps) and what it parses reaches the handler. Roles (member, recipient, gov
 * authority) are checked by the keeper before any state is written.
 */
import type { Context } from "../../baseapp/context";
import { type MsgTable, msgSpec } from "../../baseapp/msgserver";
import { updateParamsSpec } from "../auth/update_params";
import type { Params } from "../../generated/coord/v1/params";
import {
  type Msg,
  MsgAcknowledge,
  MsgAcknowledgeResponse,
  MsgApproveRevision,
  MsgApproveRevisionResponse,
  MsgCloseCase,
  MsgCloseCaseResponse,
  MsgCommit,
  MsgCommitResponse,
  MsgEscalate,
  MsgEscalateResponse,
  MsgJoinCase,
  MsgJoinCaseResponse,
  MsgOpenCase,
  MsgOpenCaseResponse,
  MsgProposeRevision,
  MsgProposeRevisionResponse,
  MsgRegisterParty,
  MsgRegisterPartyResponse,
  MsgReveal,
  MsgRevealResponse,
  MsgSendNotice,
  MsgSendNoticeResponse,
  MsgSetRevealGate,
  MsgSetRevealGateResponse,
  MsgSubmitInput,
  MsgSubmitInputResponse,
  MsgUpdateInvolvement,
  MsgUpdateInvolvementResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  MsgUpdateParty,
  MsgUpdatePartyResponse,
  MsgWithdrawParty,
  MsgWithdrawPartyResponse,
} from "../../generated/coord/v1/tx";
import { CommitmentKind, type Component, RecordSummary } from "../../generated/coord/v1/types";
import { ErrCaseNotFound, ErrCommitmentMismatch, ErrInvalidCommitments, ErrInvalidInvolvement, ErrInvalidLevel, ErrInvalidParams, ErrLimitReached } from "./errors";
import type { CoordKeeper } from "./keeper/keeper";
import { deadlineFromFields } from "./keeper/cases";
import { validateCoordParams } from "./keeper/params";
import { LIMITS, requireAddress, requireCommitmentKind, requireHash32, validateOpenCommitments, validatePartyFields, validateRecordSummary } from "./validate";
import { ErrInvalidParty, ErrInvalidRevealGate } from "./errors";
import { planNameProblem } from "../../types/coord/gate";

export const COORD_MSG_PACKAGE = "coord.v1";

function requireReason(reason: string): void {
  if ([...reason].length > LIMITS.reason) throw ErrInvalidParty.wrap(`reason is ${[...reason].length} characters; at most ${LIMITS.reason}`);
}

/** A reveal gate's plan name (the x/upgrade rule), coord:49 otherwise. */
function requirePlanName(name: string, field: string): void {
  const why = planNameProblem(name);
  if (why !== undefined) throw ErrInvalidRevealGate.wrap(`${field}: ${why}`);
}

function requireCaseId(id: bigint): void {
  if (id === 0n) throw ErrCaseNotFound.wrap("case_id is required (case ids start at 1)");
}

export class CoordMsgServer {
  constructor(private readonly keeper: CoordKeeper) {}

  table(): MsgTable<Msg> {
    const k = this.keeper;
    return {
      RegisterParty: msgSpec({
        codec: MsgRegisterParty,
        response: MsgRegisterPartyResponse,
        signers: (m) => [m.owner],
        validateBasic: (m): Component[] => validatePartyFields(m, k.modules),
        handle: (ctx: Context, m, deps) => {
          k.registerParty(ctx, { ...m, dependencies: deps });
          return {};
        },
      }),
      UpdateParty: msgSpec({
        codec: MsgUpdateParty,
        response: MsgUpdatePartyResponse,
        signers: (m) => [m.owner],
        validateBasic: (m): Component[] => validatePartyFields(m, k.modules),
        handle: (ctx, m, deps) => {
          k.updateParty(ctx, { ...m, dependencies: deps });
          return {};
        },
      }),
      WithdrawParty: msgSpec({
        codec: MsgWithdrawParty,
        response: MsgWithdrawPartyResponse,
        signers: (m) => [m.owner],
        validateBasic: (m) => requireAddress(m.owner, "owner"),
        handle: (ctx, m) => {
          k.withdrawParty(ctx, m.owner);
          return {};
        },
      }),
      OpenCase: msgSpec({
        codec: MsgOpenCase,
        response: MsgOpenCaseResponse,
        signers: (m) => [m.member],
        validateBasic: (m) => {
          requireAddress(m.member, "member");
          if (m.level > 3) throw ErrInvalidLevel.wrap(`level must be 1 (standard), 2 (enhanced), 3 (emergency) or 0 (sealed), got ${m.level}`);
          validateOpenCommitments(m.commitments, m.level);
          if (m.readinessPlan !== "") requirePlanName(m.readinessPlan, "readiness_plan");
          return deadlineFromFields(m.deadlineTime, m.deadlineHeight);
        },
        handle: (ctx, m, deadline) => ({
          caseId: k.openCase(ctx, { member: m.member, level: m.level, commitments: m.commitments, deadline, readinessPlan: m.readinessPlan }).id,
        }),
      }),
      JoinCase: msgSpec({
        codec: MsgJoinCase,
        response: MsgJoinCaseResponse,
        signers: (m) => [m.member],
        validateBasic: (m) => requireAddress(m.member, "member"),
        handle: (ctx, m) => {
          k.joinCase(ctx, m.member, m.caseId);
          return {};
        },
      }),
      Commit: msgSpec({
        codec: MsgCommit,
        response: MsgCommitResponse,
        signers: (m) => [m.member],
        validateBasic: (m) => {
          requireAddress(m.member, "member");
          requireCommitmentKind(m.kind, "kind");
          requireHash32(m.hash, "hash");
        },
        handle: (ctx, m) => {
          k.commit(ctx, m.member, m.caseId, m.kind, m.hash);
          return {};
        },
      }),
      Escalate: msgSpec({
        codec: MsgEscalate,
        response: MsgEscalateResponse,
        signers: (m) => [m.member],
        validateBasic: (m) => {
          requireAddress(m.member, "member");
          requireReason(m.reason);
          if (m.levelSalt.length !== 0 && m.levelSalt.length !== 32) throw ErrCommitmentMismatch.wrap(`level_salt must be the 32-byte salt of the LEVEL commitment, got ${m.levelSalt.length} bytes`);
        },
        handle: (ctx, m) => {
          k.escalate(ctx, { member: m.member, caseId: m.caseId, newLevel: m.newLevel, levelSalt: m.levelSalt, sealedLevel: m.sealedLevel, reason: m.reason });
          return {};
        },
      }),
      ProposeRevision: msgSpec({
        codec: MsgProposeRevision,
        response: MsgProposeRevisionResponse,
        signers: (m) => [m.member],
        validateBasic: (m) => {
          requireAddress(m.member, "member");
          requireReason(m.reason);
          return deadlineFromFields(m.newDeadlineTime, m.newDeadlineHeight);
        },
        handle: (ctx, m, deadline) => ({
          applied: k.proposeRevision(ctx, { member: m.member, caseId: m.caseId, kind: m.kind, deadline, newLevel: m.newLevel, reason: m.reason }),
        }),
      }),
      ApproveRevision: msgSpec({
        codec: MsgApproveRevision,
        response: MsgApproveRevisionResponse,
        signers: (m) => [m.member],
        validateBasic: (m) => requireAddress(m.member, "member"),
        handle: (ctx, m) => ({ applied: k.approveRevision(ctx, m.member, m.caseId) }),
      }),
      SendNotice: msgSpec({
        codec: MsgSendNotice,
        response: MsgSendNoticeResponse,
        signers: (m) => [m.member],
        validateBasic: (m) => {
          requireAddress(m.member, "member");
          requireCaseId(m.caseId);
          if (m.notices.length === 0 || m.notices.length > 256) throw ErrLimitReached.wrap(`a MsgSendNotice carries 1 to params.max_notices_per_msg notices, got ${m.notices.length}`);
          m.notices.forEach((n, i) => requireAddress(n.recipient, `notices[${i}].recipient`));
        },
        handle: (ctx, m) => ({ noticeIds: k.sendNotices(ctx, m.member, m.caseId, m.notices) }),
      }),
      SubmitInput: msgSpec({
        codec: MsgSubmitInput,
        response: MsgSubmitInputResponse,
        signers: (m) => [m.sender],
        validateBasic: (m) => requireAddress(m.sender, "sender"),
        handle: (ctx, m) => ({ inputId: k.submitInput(ctx, m.sender, m.caseId, m.envelope) }),
      }),
      Acknowledge: msgSpec({
        codec: MsgAcknowledge,
        response: MsgAcknowledgeResponse,
        signers: (m) => [m.party],
        validateBasic: (m) => requireAddress(m.party, "party"),
        handle: (ctx, m) => {
          k.acknowledge(ctx, m.party, m.noticeId, m.envelopeHash);
          return {};
        },
      }),
      UpdateInvolvement: msgSpec({
        codec: MsgUpdateInvolvement,
        response: MsgUpdateInvolvementResponse,
        signers: (m) => [m.party],
        validateBasic: (m) => {
          requireAddress(m.party, "party");
          if (m.noteHash.length !== 0 && m.noteHash.length !== 32) throw ErrInvalidInvolvement.wrap(`note_hash must be empty or a 32-byte hash, got ${m.noteHash.length} bytes`);
        },
        handle: (ctx, m) => {
          k.updateInvolvement(ctx, m.party, m.caseId, m.status, m.noteHash);
          return {};
        },
      }),
      Reveal: msgSpec({
        codec: MsgReveal,
        response: MsgRevealResponse,
        signers: (m) => [m.member],
        validateBasic: (m) => {
          requireAddress(m.member, "member");
          if (m.items.length === 0 || m.items.length > LIMITS.revealItems) throw ErrInvalidCommitments.wrap(`a MsgReveal opens 1 to ${LIMITS.revealItems} items, got ${m.items.length}`);
          const seen = new Set<CommitmentKind>();
          m.items.forEach((it, i) => {
            requireCommitmentKind(it.kind, `items[${i}].kind`);
            if (seen.has(it.kind)) throw ErrInvalidCommitments.wrap(`items[${i}] repeats kind ${CommitmentKind[it.kind]}`);
            seen.add(it.kind);
          });
        },
        handle: (ctx, m) => ({ disclosed: k.reveal(ctx, m.member, m.caseId, m.items) }),
      }),
      CloseCase: msgSpec({
        codec: MsgCloseCase,
        response: MsgCloseCaseResponse,
        signers: (m) => [m.member],
        validateBasic: (m): RecordSummary => {
          requireAddress(m.member, "member");
          return validateRecordSummary(m.summary, m.recordHash);
        },
        handle: (ctx, m, summary) => {
          k.closeCase(ctx, m.member, m.caseId, m.recordHash, summary);
          return {};
        },
      }),
      SetRevealGate: msgSpec({
        codec: MsgSetRevealGate,
        response: MsgSetRevealGateResponse,
        signers: (m) => [m.member],
        validateBasic: (m) => {
          requireAddress(m.member, "member");
          requireCaseId(m.caseId);
          requireReason(m.reason);
          if (m.readinessPlan !== "") requirePlanName(m.readinessPlan, "readiness_plan");
        },
        handle: (ctx, m) => {
          k.setRevealGate(ctx, { member: m.member, caseId: m.caseId, plan: m.readinessPlan, reason: m.reason });
          return {};
        },
      }),
      UpdateParams: updateParamsSpec({
        codec: MsgUpdateParams,
        response: MsgUpdateParamsResponse,
        what: "MsgUpdateParams",
        authorize: (authority) => k.requireAuthority(authority, "MsgUpdateParams"),
        validateBasic: (m): Params => {
          requireAddress(m.authority, "authority");
          if (m.params === undefined) throw ErrInvalidParams.wrap("params are missing");
          validateCoordParams(m.params);
          return m.params;
        },
        validate: (_m, p) => p,
        store: (ctx, p, m) => k.updateParams(ctx, m.authority, p),
      }),
    };
  }
}
