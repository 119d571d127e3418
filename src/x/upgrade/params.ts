/**
 * Params of the upgrade module (proto Params) and the pre-approval quorum arithmetic. The quorum
 * is an 18-decimal fixed-point string in (0, 1]; the number of approvals needed is
 * ceil(quorum × active members), at least 1. No floats.
 */
import { DEC_ONE, parseCanonicalDec } from "../../baseapp/coins";
import type { Params } from "../../generated/dcert/upgrade/v1/types";
import { ErrInvalidParams } from "./errors";

/** Default params: pre-approval off, a 2/3 quorum (rounded up at the 18th decimal), 50 blocks of delay. */
export function defaultUpgradeParams(): Params {
  return { preapprovalEnabled: false, preapprovalQuorum: "0.666666666666666667", preapprovalMinDelayBlocks: 50n };
}

/** Most blocks the delay may be (about a year of 1-second blocks): bounds a typo, not a policy. */
export const MAX_MIN_DELAY_BLOCKS = 31_536_000n;

/** The quorum as 18-decimal fixed point; throws upgrade:17 unless it is a canonical decimal in (0, 1]. */
export function parseQuorum(q: string): bigint {
  const v = parseCanonicalDec(q);
  if (v === null) throw ErrInvalidParams.wrap(`preapproval_quorum ${JSON.stringify(q)} is not a decimal such as "0.666666666666666667" (at most 18 decimals)`);
  if (v <= 0n || v > DEC_ONE) throw ErrInvalidParams.wrap(`preapproval_quorum ${q} must be greater than 0 and at most 1`);
  return v;
}

/** Throws upgrade:17 naming the field for invalid params. */
export function validateUpgradeParams(p: Params): void {
  parseQuorum(p.preapprovalQuorum);
  if (p.preapprovalMinDelayBlocks > MAX_MIN_DELAY_BLOCKS) {
    throw ErrInvalidParams.wrap(`preapproval_min_delay_blocks ${p.preapprovalMinDelayBlocks} is more than ${MAX_MIN_DELAY_BLOCKS}`);
  }
}

/** Approvals the quorum needs among `active` members: ceil(quorum × active), at least 1. */
export function neededApprovals(quorum: bigint, active: number): number {
  const n = (quorum * BigInt(active) + DEC_ONE - 1n) / DEC_ONE;
  return n < 1n ? 1 : Number(n);
}
