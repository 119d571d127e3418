/**
 * dCERT parameters (ADR 008's seven plus the election engine's vote-size limit) as typed values:
 * amounts and fractions are bigint (fractions 18-decimal fixed point), never floats.
 */
import { type Coin, DEC_ONE, validateDenom } from "../../../baseapp/coins";
import { DEFAULT_DENOM } from "../../../baseapp/tx/constants";
import { MAX_VOTE_ENTRIES_LIMIT } from "../electionator";
import type { Coin as ProtoCoin } from "../../../generated/cosmos/base/v1beta1/coin";
import type { Params } from "../../../generated/dcert/v1/params";
import { ErrInvalidParams } from "../errors";

export interface DcertParams {
  readonly maxMembers: number;
  /** Its denom is the bond denom: bonds are only accepted in it. */
  readonly minMemberBond: Coin;
  readonly stipendPerBlock: Coin;
  readonly suspensionQuorum: bigint;
  readonly disbandWager: Coin;
  readonly disbandSlashFraction: bigint;
  readonly stabilizationPeriod: bigint;
  readonly maxVoteEntries: number;
  readonly circuitBreakEnabled: boolean;
}

/** Most seats the group may have (stipend and suspension counting are O(members) per block/vote). */
export const MAX_MEMBERS_LIMIT = 1000;
/** Longest stabilization period (blocks); keeps maturity heights far from uint64 overflow. */
export const MAX_STABILIZATION_PERIOD = 1n << 32n;

/**
 * Production defaults: 7 seats, a 1,000 DCERT bond, 1,000 udcert per member per block, a simple
 * majority of the other members to suspend, a 100,000 DCERT disband wager, full slash on disband,
 * a 100-block stabilization period, 16 entries per vote, circuit breaking off (per the ADR).
 */
export function defaultDcertParams(denom: string = DEFAULT_DENOM): DcertParams {
  return {
    maxMembers: 7,
    minMemberBond: { denom, amount: 1_000_000_000n },
    stipendPerBlock: { denom, amount: 1_000n },
    suspensionQuorum: DEC_ONE / 2n,
    disbandWager: { denom, amount: 100_000_000_000n },
    disbandSlashFraction: DEC_ONE,
    stabilizationPeriod: 100n,
    maxVoteEntries: 16,
    circuitBreakEnabled: false,
  };
}

/**
 * Devnet/testnet values: a bond devnet accounts can afford (1 DCERT), a wager above gov's 10 DCERT
 * minimum deposit but affordable (50 DCERT), a 3-block stabilization period, and circuit breaking
 * ON so the circuit-breaker end-to-end test can run without a parameter-change proposal first.
 */
export function devnetDcertParams(denom: string = DEFAULT_DENOM): DcertParams {
  return {
    ...defaultDcertParams(denom),
    minMemberBond: { denom, amount: 1_000_000n },
    disbandWager: { denom, amount: 50_000_000n },
    stabilizationPeriod: 3n,
    circuitBreakEnabled: true,
  };
}

function fail(detail: string): never {
  throw ErrInvalidParams.wrap(detail);
}

function checkFraction(name: string, v: bigint, allowZero: boolean): void {
  if (v < 0n || (!allowZero && v === 0n) || v > DEC_ONE) {
    fail(`${name} must be ${allowZero ? "between 0 and 1" : "above 0 and at most 1"} (18-decimal fixed point, 1000000000000000000 = 1), got ${v}`);
  }
}

function checkCoin(name: string, c: Coin, positive: boolean): void {
  try {
    validateDenom(c.denom);
  } catch {
    fail(`${name} has an invalid denom ${JSON.stringify(c.denom)}`);
  }
  if (c.amount < 0n || (positive && c.amount === 0n)) fail(`${name} must be ${positive ? "positive" : "non-negative"}, got ${c.amount}${c.denom}`);
}

/** Stateless validation; throws ErrInvalidParams naming the field. */
export function validateDcertParams(p: DcertParams): void {
  if (!Number.isSafeInteger(p.maxMembers) || p.maxMembers < 1 || p.maxMembers > MAX_MEMBERS_LIMIT) {
    fail(`max_members must be between 1 and ${MAX_MEMBERS_LIMIT}, got ${p.maxMembers}`);
  }
  checkCoin("min_member_bond", p.minMemberBond, true);
  checkCoin("stipend_per_block", p.stipendPerBlock, false);
  checkFraction("suspension_quorum", p.suspensionQuorum, false);
  checkCoin("disband_wager", p.disbandWager, false);
  checkFraction("disband_slash_fraction", p.disbandSlashFraction, true);
  if (p.stabilizationPeriod < 0n || p.stabilizationPeriod > MAX_STABILIZATION_PERIOD) {
    fail(`stabilization_period must be between 0 and ${MAX_STABILIZATION_PERIOD} blocks, got ${p.stabilizationPeriod}`);
  }
  if (!Number.isSafeInteger(p.maxVoteEntries) || p.maxVoteEntries < 1 || p.maxVoteEntries > MAX_VOTE_ENTRIES_LIMIT) {
    fail(`max_vote_entries must be between 1 and ${MAX_VOTE_ENTRIES_LIMIT}, got ${p.maxVoteEntries}`);
  }
}

const UINT = /^(0|[1-9][0-9]{0,77})$/;

/** A non-negative integer string (amounts, tallies, 18-decimal scaled fractions). */
export function parseUint(s: string, what: string, err = ErrInvalidParams): bigint {
  if (!UINT.test(s)) throw err.wrap(`${what} must be a non-negative integer string, got ${JSON.stringify(s.slice(0, 100))}`);
  return BigInt(s);
}

function coinFrom(c: ProtoCoin | undefined, name: string): Coin {
  if (c === undefined) fail(`${name} is missing`);
  return { denom: c.denom, amount: parseUint(c.amount, `${name}.amount`) };
}

/** Decodes and validates protobuf Params. */
export function paramsFromProto(p: Params | undefined): DcertParams {
  if (p === undefined) fail("params are missing");
  const out: DcertParams = {
    maxMembers: p.maxMembers,
    minMemberBond: coinFrom(p.minMemberBond, "min_member_bond"),
    stipendPerBlock: coinFrom(p.stipendPerBlock, "stipend_per_block"),
    suspensionQuorum: parseUint(p.suspensionQuorum, "suspension_quorum"),
    disbandWager: coinFrom(p.disbandWager, "disband_wager"),
    disbandSlashFraction: parseUint(p.disbandSlashFraction, "disband_slash_fraction"),
    stabilizationPeriod: p.stabilizationPeriod,
    maxVoteEntries: p.maxVoteEntries,
    circuitBreakEnabled: p.circuitBreakEnabled,
  };
  validateDcertParams(out);
  return out;
}

const coinTo = (c: Coin): ProtoCoin => ({ denom: c.denom, amount: c.amount.toString() });

export function paramsToProto(p: DcertParams): Params {
  return {
    maxMembers: p.maxMembers,
    minMemberBond: coinTo(p.minMemberBond),
    stipendPerBlock: coinTo(p.stipendPerBlock),
    suspensionQuorum: p.suspensionQuorum.toString(),
    disbandWager: coinTo(p.disbandWager),
    disbandSlashFraction: p.disbandSlashFraction.toString(),
    stabilizationPeriod: p.stabilizationPeriod,
    maxVoteEntries: p.maxVoteEntries,
    circuitBreakEnabled: p.circuitBreakEnabled,
  };
}

/** Genesis JSON of params: every field present, snake_case, integers and fractions as strings. */
export function paramsToJson(p: DcertParams): Record<string, unknown> {
  const coin = (c: Coin) => ({ denom: c.denom, amount: c.amount.toString() });
  return {
    max_members: p.maxMembers,
    min_member_bond: coin(p.minMemberBond),
    stipend_per_block: coin(p.stipendPerBlock),
    suspension_quorum: p.suspensionQuorum.toString(),
    disband_wager: coin(p.disbandWager),
    disband_slash_fraction: p.disbandSlashFraction.toString(),
    stabilization_period: p.stabilizationPeriod.toString(),
    max_vote_entries: p.maxVoteEntries,
    circuit_break_enabled: p.circuitBreakEnabled,
  };
}

/** The engine's view of the params. */
export function electionParamsOf(p: DcertParams): { maxMembers: number; stabilizationPeriod: bigint; maxVoteEntries: number } {
  return { maxMembers: p.maxMembers, stabilizationPeriod: p.stabilizationPeriod, maxVoteEntries: p.maxVoteEntries };
}
