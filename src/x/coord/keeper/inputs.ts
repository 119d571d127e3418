/**
 * Sealed input (anyone → the group): for a case or the general inbox (case 0), sealed to exactly
 * the active members that have a key, each at its current epoch (Query/GroupKeys), so no member is
 * left out and nobody else is let in.
 */
import type { Context } from "../../../baseapp/context";
import { toHex } from "../../../baseapp/encoding";
import { CaseStatus, type Envelope, type SealedInput } from "../../../generated/coord/v1/types";
import { envelopeHash } from "../../../types/coord";
import { emitCoord } from "../events";
import { ErrNotSealedToGroup, ErrWrongStatus } from "../errors";
import { KEY } from "../keys";
import type { CoordKeeper } from "./keeper";
import { requireEnvelope } from "./notices";

/** MsgSubmitInput; returns the input id. */
export function submitInput(ctx: Context, k: CoordKeeper, sender: string, caseId: bigint, envelope: Envelope | undefined): bigint {
  const c = caseId === 0n ? undefined : k.requireCase(ctx, caseId);
  if (c !== undefined && (c.status === CaseStatus.CASE_STATUS_CLOSED || c.status === CaseStatus.CASE_STATUS_WITHDRAWN)) {
    throw ErrWrongStatus.wrap(`case ${caseId} is ${CaseStatus[c.status]}; send input to the general inbox (case 0) instead`);
  }
  const env = requireEnvelope(envelope, k.params(ctx).maxInputBytes, "envelope");
  const group = k.groupKeys(ctx).keys;
  if (group.length === 0) throw ErrNotSealedToGroup.wrap("no active member has an encryption key yet; input cannot reach anyone");
  const want = group.map((g) => `${g.address}#${g.keyEpoch}`);
  const got = env.recipients.map((r) => `${r.address}#${r.keyEpoch}`);
  if (want.length !== got.length || want.some((w, i) => w !== got[i])) {
    const missing = want.filter((w) => !got.includes(w));
    const extra = got.filter((g) => !want.includes(g));
    throw ErrNotSealedToGroup.wrap(
      `the envelope must be sealed to exactly the current members' keys (Query/GroupKeys: ${want.join(", ")}); missing ${missing.join(", ") || "none"}, not members or stale epochs ${extra.join(", ") || "none"}`,
    );
  }
  const id = k.takeId(ctx, KEY.nextInputId);
  const hash = Buffer.from(envelopeHash(env));
  const input: SealedInput = {
    id,
    caseId,
    sender,
    recipients: group.map((g) => g.address),
    envelope: env,
    envelopeHash: hash,
    height: ctx.block.height,
    time: ctx.block.time,
  };
  k.putInput(ctx, input);
  emitCoord(ctx, "EventInputSubmitted", { inputId: id, caseId, sender, recipients: input.recipients, envelopeHash: toHex(hash), height: ctx.block.height });
  if (c !== undefined) {
    c.inputCount += 1;
    k.appendTimeline(ctx, c, "input", sender, `input ${id}`);
    k.setCase(ctx, c);
  }
  return id;
}
