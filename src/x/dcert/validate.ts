/**
 * Stateless checks shared by validateBasic, genesis validation and queries. Each throws a
 * registered `dcert` error naming the field.
 */
import { addrBytes } from "../auth/keeper";
import { type Coin, isCanonicalUint, validateDenom } from "../../baseapp/coins";
import { ChainError } from "../../baseapp/errors";
import { ElectionError, MAX_VOTE_ENTRIES_LIMIT, validateVote, type VoteEntry } from "./electionator";
import type { Coin as ProtoCoin } from "../../generated/cosmos/base/v1beta1/coin";
import type { GroupDescription, VoteEntry as ProtoVoteEntry } from "../../generated/dcert/v1/types";
import {
  electionError,
  ErrInvalidAddress,
  ErrInvalidAmount,
  ErrInvalidDenom,
  ErrInvalidDescription,
  ErrInvalidReason,
  ErrInvalidVote,
} from "./errors";

export const MAX_REASON_LENGTH = 512;
export const DESCRIPTION_LIMITS: ReadonlyArray<readonly [keyof GroupDescription, string, number]> = [
  ["name", "name", 70],
  ["details", "details", 2000],
  ["website", "website", 140],
  ["securityContact", "security_contact", 140],
];

/** A bech32 account address ("dcert1…"). */
export function requireAddress(address: string, field: string): void {
  try {
    addrBytes(address);
  } catch (e) {
    throw ErrInvalidAddress.wrap(`${field}: ${e instanceof ChainError ? e.message : String(e)}`);
  }
}

/** A positive amount of a valid denom. */
export function requireCoin(c: ProtoCoin | undefined, field: string): Coin {
  if (c === undefined) throw ErrInvalidAmount.wrap(`${field} is missing`);
  try {
    validateDenom(c.denom);
  } catch {
    throw ErrInvalidDenom.wrap(`${field} has an invalid denom ${JSON.stringify(c.denom.slice(0, 100))}`);
  }
  if (!isCanonicalUint(c.amount) || c.amount === "0") throw ErrInvalidAmount.wrap(`${field} must be a positive integer amount, got ${JSON.stringify(c.amount.slice(0, 100))}`);
  return { denom: c.denom, amount: BigInt(c.amount) };
}

export function requireReason(reason: string, field = "reason"): void {
  if (reason.length > MAX_REASON_LENGTH) throw ErrInvalidReason.wrap(`${field} is ${reason.length} characters; at most ${MAX_REASON_LENGTH} are allowed`);
}

export function requireDescription(d: GroupDescription | undefined): GroupDescription {
  if (d === undefined) throw ErrInvalidDescription.wrap("description is missing");
  for (const [key, name, max] of DESCRIPTION_LIMITS) {
    if (d[key].length > max) throw ErrInvalidDescription.wrap(`${name} is ${d[key].length} characters; at most ${max} are allowed`);
  }
  return d;
}

/**
 * Parses and checks vote entries without state: candidate addresses, positive integer shares
 * (18-decimal fixed point), no duplicates, sum ≤ 1, at most MAX_VOTE_ENTRIES_LIMIT entries (the
 * param max_vote_entries is checked against state when the vote is handled).
 */
export function parseVoteEntries(entries: readonly ProtoVoteEntry[]): VoteEntry[] {
  const out: VoteEntry[] = [];
  entries.forEach((e, i) => {
    requireAddress(e.candidate, `entries[${i}].candidate`);
    if (!isCanonicalUint(e.share) || e.share.length > 40) {
      throw ErrInvalidVote.wrap(
        `entries[${i}].share must be the canonical integer string of the share × 10^18 (250000000000000000 is 25%; no leading zeros, sign or spaces), got ${JSON.stringify(e.share.slice(0, 60))}`,
      );
    }
    out.push({ candidate: e.candidate, share: BigInt(e.share) });
  });
  const code = validateVote(out, MAX_VOTE_ENTRIES_LIMIT);
  if (code !== ElectionError.None) throw electionError(code, "vote");
  return out;
}
