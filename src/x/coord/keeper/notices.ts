/**
 * Sealed notices (member → one party), acknowledgements and involvement updates.
 *
 * The chain sees only an envelope's structure: it checks the size cap (coord:17), the structure
 * (coord:18) and that the single recipient slot names the addressed party at its current key
 * epoch (coord:20). Involvement follows CSAF's statuses: the first notice makes a party CONTACTED;
 * its signed acknowledgement, naming the notice's envelope hash, makes it ACKNOWLEDGED; it then
 * reports IN_PROGRESS, FIXED or DISPUTED itself.
 */
import type { Context } from "../../../baseapp/context";
import { bytesEqual, toHex } from "../../../baseapp/encoding";
import { CaseStatus, type Envelope, type Involvement, InvolvementStatus, type Notice, NoticeKind } from "../../../generated/coord/v1/types";
import { envelopeHash, envelopeStructureError } from "../../../types/coord";
import { emitCoord } from "../events";
import {
  ErrAlreadyAcknowledged,
  ErrCiphertextTooLarge,
  ErrEnvelopeHashMismatch,
  ErrInvalidInvolvement,
  ErrLimitReached,
  ErrMalformedEnvelope,
  ErrNoticeNotFound,
  ErrNotAParty,
  ErrNotRecipient,
  ErrPartyNotFound,
  ErrStaleKeyEpoch,
  ErrWrongStatus,
} from "../errors";
import { KEY } from "../keys";
import type { CoordKeeper } from "./keeper";
import { secondsBetween } from "./cases";
import { addMetrics, metricsLevel } from "./metrics";

export interface NoticeInput {
  readonly recipient: string;
  readonly kind: NoticeKind;
  readonly envelope: Envelope | undefined;
}

/** Checks an envelope's structure against a size cap: coord:17 (size) or coord:18 (malformed). */
export function requireEnvelope(env: Envelope | undefined, maxBytes: number, field: string): Envelope {
  if (env === undefined) throw ErrMalformedEnvelope.wrap(`${field} is missing`);
  const e = envelopeStructureError(env, maxBytes);
  if (e !== undefined) {
    if (e.code === "size") throw ErrCiphertextTooLarge.wrap(`${field}: ${e.message}`);
    throw ErrMalformedEnvelope.wrap(`${field}: ${e.message}`);
  }
  return env;
}

const NOTICE_KINDS: readonly NoticeKind[] = [NoticeKind.NOTICE_KIND_DISCLOSURE, NoticeKind.NOTICE_KIND_UPDATE, NoticeKind.NOTICE_KIND_RELAY];

/** MsgSendNotice: 1 to max_notices_per_msg notices, all or none. Returns their ids. */
export function sendNotices(ctx: Context, k: CoordKeeper, member: string, caseId: bigint, list: readonly NoticeInput[]): bigint[] {
  k.requireEnabled(ctx, "sending notices");
  k.requireMember(ctx, member, "send notices");
  const c = k.requireCase(ctx, caseId);
  const p = k.params(ctx);
  const live = c.status === CaseStatus.CASE_STATUS_OPEN || c.status === CaseStatus.CASE_STATUS_OVERDUE;
  const disclosed = c.status === CaseStatus.CASE_STATUS_DISCLOSED;
  if (!live && !disclosed) throw ErrWrongStatus.wrap(`case ${caseId} is ${CaseStatus[c.status]}; notices go out while it is open or overdue (UPDATE notices also once disclosed)`);
  if (list.length === 0 || list.length > p.maxNoticesPerMsg) {
    throw ErrLimitReached.wrap(`a MsgSendNotice carries 1 to params.max_notices_per_msg (${p.maxNoticesPerMsg}) notices, got ${list.length}`);
  }
  if (c.noticeCount + list.length > p.maxNoticesPerCase) {
    throw ErrLimitReached.wrap(`case ${caseId} has ${c.noticeCount} notices; ${list.length} more would pass params.max_notices_per_case (${p.maxNoticesPerCase})`);
  }
  const ids: bigint[] = [];
  list.forEach((n, i) => {
    const f = `notices[${i}]`;
    if (!NOTICE_KINDS.includes(n.kind)) throw ErrMalformedEnvelope.wrap(`${f}.kind must be DISCLOSURE, UPDATE or RELAY (1–3), got ${n.kind}`);
    if (disclosed && n.kind !== NoticeKind.NOTICE_KIND_UPDATE) throw ErrWrongStatus.wrap(`case ${caseId} is disclosed; only UPDATE notices can still be sent (${f})`);
    const party = k.getParty(ctx, n.recipient);
    if (party === undefined || party.withdrawnHeight !== 0n) {
      throw ErrNotAParty.wrap(`${f}.recipient ${n.recipient} is not a registered party${party === undefined ? "" : " (withdrawn)"}; notices reach registered parties only`);
    }
    const env = requireEnvelope(n.envelope, p.maxNoticeBytes, `${f}.envelope`);
    const slot = env.recipients[0];
    if (env.recipients.length !== 1 || slot === undefined || slot.address !== n.recipient) {
      throw ErrMalformedEnvelope.wrap(`${f}.envelope must have exactly one recipient slot, for ${n.recipient}`);
    }
    if (slot.keyEpoch !== party.keyEpoch) {
      throw ErrStaleKeyEpoch.wrap(`${f} is sealed to key epoch ${slot.keyEpoch} of ${n.recipient}, whose current epoch is ${party.keyEpoch}; seal it again to the current key (Query/Party)`);
    }
    const id = k.takeId(ctx, KEY.nextNoticeId);
    const hash = Buffer.from(envelopeHash(env));
    const notice: Notice = {
      id,
      caseId,
      sender: member,
      recipient: n.recipient,
      recipientKeyEpoch: slot.keyEpoch,
      kind: n.kind,
      envelope: env,
      envelopeHash: hash,
      height: ctx.block.height,
      time: ctx.block.time,
    };
    k.putNotice(ctx, notice);
    const inv = k.getInvolvement(ctx, caseId, n.recipient);
    if (inv === undefined || inv.status === InvolvementStatus.INVOLVEMENT_STATUS_NOT_CONTACTED) {
      k.setInvolvement(ctx, {
        caseId,
        party: n.recipient,
        status: InvolvementStatus.INVOLVEMENT_STATUS_CONTACTED,
        firstNoticeId: id,
        firstNoticeHeight: ctx.block.height,
        firstNoticeTime: ctx.block.time,
        ackNoticeId: 0n,
        ackHeight: 0n,
        ackTime: undefined,
        secondsToAck: 0n,
        updatedTime: ctx.block.time,
        noteHash: Buffer.alloc(0),
      });
    }
    emitCoord(ctx, "EventNoticeSent", {
      noticeId: id,
      caseId,
      sender: member,
      recipient: n.recipient,
      kind: n.kind,
      keyEpoch: slot.keyEpoch,
      envelopeHash: toHex(hash),
      height: ctx.block.height,
    });
    k.appendTimeline(ctx, c, "notice", member, `notice ${id} (${NoticeKind[n.kind]}) to ${n.recipient}`);
    ids.push(id);
  });
  c.noticeCount += list.length;
  k.setCase(ctx, c);
  return ids;
}

/** MsgAcknowledge: the notice's recipient names it by id and envelope hash; once per case. */
export function acknowledge(ctx: Context, k: CoordKeeper, party: string, noticeId: bigint, hash: Uint8Array): Involvement {
  const n = k.getNotice(ctx, noticeId);
  if (n === undefined) throw ErrNoticeNotFound.wrap(`no notice ${noticeId}`);
  if (n.recipient !== party) throw ErrNotRecipient.wrap(`notice ${noticeId} is addressed to ${n.recipient}, not ${party}; only its recipient can acknowledge it`);
  if (!bytesEqual(hash, n.envelopeHash)) {
    throw ErrEnvelopeHashMismatch.wrap(`envelope_hash ${toHex(hash).slice(0, 64)} is not the hash of notice ${noticeId} (${toHex(n.envelopeHash)}); acknowledge the envelope you received`);
  }
  const inv = k.getInvolvement(ctx, n.caseId, party);
  if (inv === undefined) throw ErrNotRecipient.wrap(`${party} was never notified in case ${n.caseId}`);
  if (inv.status !== InvolvementStatus.INVOLVEMENT_STATUS_CONTACTED) {
    throw ErrAlreadyAcknowledged.wrap(`${party} already acknowledged case ${n.caseId} (notice ${inv.ackNoticeId}, status ${InvolvementStatus[inv.status]}); one acknowledgement per case`);
  }
  const seconds = inv.firstNoticeTime === undefined ? 0n : secondsBetween(inv.firstNoticeTime, ctx.block.time);
  const out: Involvement = {
    ...inv,
    status: InvolvementStatus.INVOLVEMENT_STATUS_ACKNOWLEDGED,
    ackNoticeId: noticeId,
    ackHeight: ctx.block.height,
    ackTime: ctx.block.time,
    secondsToAck: seconds,
    updatedTime: ctx.block.time,
  };
  k.setInvolvement(ctx, out);
  const c = k.requireCase(ctx, n.caseId);
  emitCoord(ctx, "EventAcknowledged", { noticeId, caseId: n.caseId, party, secondsToAck: seconds, height: ctx.block.height });
  k.appendTimeline(ctx, c, "acknowledged", party, `notice ${noticeId}`);
  k.setCase(ctx, c);
  addMetrics(ctx, k, metricsLevel(c), { acknowledgements: 1n, ackSecondsTotal: seconds < 0n ? 0n : seconds });
  return out;
}

const S = InvolvementStatus;
/** Allowed party-reported involvement changes (from → to). */
const INVOLVEMENT_MOVES: ReadonlyArray<readonly [InvolvementStatus, InvolvementStatus]> = [
  [S.INVOLVEMENT_STATUS_ACKNOWLEDGED, S.INVOLVEMENT_STATUS_IN_PROGRESS],
  [S.INVOLVEMENT_STATUS_ACKNOWLEDGED, S.INVOLVEMENT_STATUS_FIXED],
  [S.INVOLVEMENT_STATUS_IN_PROGRESS, S.INVOLVEMENT_STATUS_FIXED],
  [S.INVOLVEMENT_STATUS_CONTACTED, S.INVOLVEMENT_STATUS_DISPUTED],
  [S.INVOLVEMENT_STATUS_ACKNOWLEDGED, S.INVOLVEMENT_STATUS_DISPUTED],
  [S.INVOLVEMENT_STATUS_IN_PROGRESS, S.INVOLVEMENT_STATUS_DISPUTED],
  [S.INVOLVEMENT_STATUS_FIXED, S.INVOLVEMENT_STATUS_DISPUTED],
];

/** MsgUpdateInvolvement: IN_PROGRESS, FIXED or DISPUTED, by a party notified in the case. */
export function updateInvolvement(ctx: Context, k: CoordKeeper, party: string, caseId: bigint, status: InvolvementStatus, noteHash: Uint8Array): Involvement {
  if (k.getParty(ctx, party) === undefined) throw ErrPartyNotFound.wrap(`${party} is not a registered party`);
  const c = k.requireCase(ctx, caseId);
  const inv = k.getInvolvement(ctx, caseId, party);
  if (inv === undefined) throw ErrNotRecipient.wrap(`${party} was never notified in case ${caseId}; only notified parties report their involvement`);
  if (noteHash.length !== 0 && noteHash.length !== 32) throw ErrInvalidInvolvement.wrap(`note_hash must be empty or a 32-byte SHA-256 hash, got ${noteHash.length} bytes`);
  if (!INVOLVEMENT_MOVES.some(([a, b]) => a === inv.status && b === status)) {
    const hint = inv.status === S.INVOLVEMENT_STATUS_CONTACTED && (status === S.INVOLVEMENT_STATUS_IN_PROGRESS || status === S.INVOLVEMENT_STATUS_FIXED)
      ? "; acknowledge the notice first (MsgAcknowledge)"
      : "; allowed: ACKNOWLEDGED → IN_PROGRESS → FIXED, and any notified status → DISPUTED";
    throw ErrInvalidInvolvement.wrap(`cannot move ${party} in case ${caseId} from ${InvolvementStatus[inv.status] ?? inv.status} to ${InvolvementStatus[status] ?? status}${hint}`);
  }
  const out: Involvement = { ...inv, status, updatedTime: ctx.block.time, noteHash: Buffer.from(noteHash) };
  k.setInvolvement(ctx, out);
  emitCoord(ctx, "EventInvolvementUpdated", { caseId, party, status, height: ctx.block.height });
  k.appendTimeline(ctx, c, "involvement", party, InvolvementStatus[status]);
  k.setCase(ctx, c);
  return out;
}
