/**
 * Types, constants and codes shared by the election engine, its reference model and its callers.
 * Everything here is plain data: amounts and shares are bigint, no floats anywhere.
 */

/** 1.0 in 18-decimal fixed point (the scale of vote shares, like the Cosmos SDK's `LegacyDec`). */
export const ONE = 10n ** 18n;

/**
 * Largest voting power the engine accepts (exclusive): 2^96, about 7.9e28 base units. A
 * contribution is at most the voter's power (share ≤ ONE), so it always fits the engine's
 * compact 96-bit storage (64-bit low word + 32-bit high word). Tallies are unbounded bigints.
 */
export const MAX_POWER_EXCLUSIVE = 1n << 96n;

/** Upper bound for the `maxVoteEntries` parameter (keeps per-vote work and storage bounded). */
export const MAX_VOTE_ENTRIES_LIMIT = 1024;

/**
 * Error codes of the engine's input checks. `None` means valid. The dCERT module maps each code
 * to a registered chain error (codespace `dcert`); the numbers here are the engine's own and are
 * not chain error codes.
 */
export enum ElectionError {
  None = 0,
  /** The vote has more entries than `maxVoteEntries`. */
  TooManyEntries = 1,
  /** A candidate address is the empty string. */
  EmptyCandidate = 2,
  /** A share is zero or negative. */
  ShareNotPositive = 3,
  /** The same candidate appears twice in one vote. */
  DuplicateCandidate = 4,
  /** The shares add up to more than ONE. */
  SharesExceedOne = 5,
  /** Voting power is negative or ≥ MAX_POWER_EXCLUSIVE. */
  PowerOutOfRange = 6,
  /** The voter address is the empty string. */
  EmptyVoter = 7,
  /** A parameter is out of range (see `validateParams`). */
  InvalidParams = 8,
  /** An acceptance order is malformed (negative height, index not a safe non-negative integer). */
  InvalidAcceptance = 9,
  /** A stored contribution does not equal floor(power · share / ONE) (restore only). */
  ContributionMismatch = 10,
  /** A restored state is internally inconsistent (restore only). */
  InconsistentState = 11,
}

/** Thrown by engine methods when given invalid input; `code` says which check failed. */
export class ElectionInputError extends Error {
  constructor(
    readonly code: ElectionError,
    detail: string,
  ) {
    super(`${ElectionError[code]}: ${detail}`);
    this.name = "ElectionInputError";
  }
}

/** Why a member lost its seat. The first two are decided by the engine, the rest by the keeper. */
export enum KickReason {
  /** A challenger with strictly more support took the seat. */
  Outranked = 1,
  /** `maxMembers` was lowered below the current number of members. */
  SeatsReduced = 2,
  /** The member withdrew its acceptance (`MsgLeaveGroup`). */
  Left = 3,
  /** The member's bond fell below `min_member_bond`. */
  BondBelowMinimum = 4,
  /** The group suspended the member. */
  Suspended = 5,
  /** Governance disbanded the group. */
  Disbanded = 6,
  /** Governance barred the member (e.g. after slashing). */
  Barred = 7,
  /** Any other loss of eligibility. */
  Ineligible = 8,
}

/** Why a stabilization queue entry was removed without a swap. */
export enum DropReason {
  /** The challenger stopped being eligible before maturity. */
  ChallengerIneligible = 1,
  /** The member to be replaced lost its seat for another reason before maturity. */
  TargetNotMember = 2,
  /** At maturity the challenger's tally was not strictly greater than the target's. */
  NoLongerOutranks = 3,
  /** The challenger took a free seat before maturity (nobody needed to be replaced). */
  ChallengerAdmitted = 4,
}

export enum DecisionKind {
  Admitted = "admitted",
  Kicked = "kicked",
  Queued = "queued",
  QueueDropped = "queue_dropped",
  Swapped = "swapped",
}

/** An eligible address took a seat with a fresh sequence number. */
export interface AdmittedDecision {
  readonly kind: DecisionKind.Admitted;
  readonly address: string;
  readonly sequence: bigint;
  readonly tally: bigint;
}

/** A member lost its seat. `by` is the challenger that took it, when there is one. */
export interface KickedDecision {
  readonly kind: DecisionKind.Kicked;
  readonly address: string;
  readonly sequence: bigint;
  readonly tally: bigint;
  readonly by: string | null;
  readonly reason: KickReason;
}

/** A replacement was put in the stabilization queue. */
export interface QueuedDecision {
  readonly kind: DecisionKind.Queued;
  readonly challenger: string;
  readonly replaces: string;
  readonly maturesAt: bigint;
}

/** A stabilization queue entry ended without a swap. */
export interface QueueDroppedDecision {
  readonly kind: DecisionKind.QueueDropped;
  readonly challenger: string;
  readonly replaces: string;
  readonly maturesAt: bigint;
  readonly reason: DropReason;
}

/** A matured queue entry took effect: `replaced` lost its seat, `challenger` took it. */
export interface SwappedDecision {
  readonly kind: DecisionKind.Swapped;
  readonly challenger: string;
  /** The challenger's new sequence number. */
  readonly sequence: bigint;
  readonly challengerTally: bigint;
  readonly replaced: string;
  readonly replacedSequence: bigint;
  readonly replacedTally: bigint;
}

export type Decision =
  | AdmittedDecision
  | KickedDecision
  | QueuedDecision
  | QueueDroppedDecision
  | SwappedDecision;

/** One entry of a vote: a share (18-decimal fixed point, 0 < share ≤ ONE) of the voter's power. */
export interface VoteEntry {
  readonly candidate: string;
  readonly share: bigint;
}

/** A stored vote entry with the exact amount it added to the candidate's tally. */
export interface StoredVoteEntry extends VoteEntry {
  /** floor(power · share / ONE) at the time it was (re)computed; removal subtracts exactly this. */
  readonly contribution: bigint;
}

/** A voter's stored vote: the persisted record and the unit of restore. */
export interface VoterRecord {
  readonly voter: string;
  readonly power: bigint;
  readonly entries: readonly StoredVoteEntry[];
}

/**
 * When a candidate accepted admission: block height, then its position inside the block (the
 * transaction index, or any finer ordinal the keeper derives from transaction and message index).
 * Earlier acceptance wins ties between challengers.
 */
export interface Acceptance {
  readonly height: bigint;
  readonly index: number;
}

export interface ElectionParams {
  /** Seats in the group (≥ 0). */
  readonly maxMembers: number;
  /** Blocks a replacement waits in the queue; 0 swaps at once. */
  readonly stabilizationPeriod: bigint;
  /** Most entries a vote may have (1..MAX_VOTE_ENTRIES_LIMIT). */
  readonly maxVoteEntries: number;
}

export interface TallyChange {
  readonly candidate: string;
  readonly tally: bigint;
}

/** What a vote or power change did: the voter's new record (null when it has no vote) and tallies moved. */
export interface VoteUpdate {
  readonly voter: string;
  readonly record: VoterRecord | null;
  /** Candidates whose tally changed, with their new tally, in the order first touched. */
  readonly tallies: readonly TallyChange[];
}

export interface MemberInfo {
  readonly address: string;
  readonly sequence: bigint;
  readonly tally: bigint;
}

export interface CandidateInfo {
  readonly address: string;
  readonly tally: bigint;
  readonly acceptance: Acceptance;
}

export interface QueueEntry {
  readonly challenger: string;
  readonly replaces: string;
  readonly maturesAt: bigint;
}

/**
 * Everything except the votes, in canonical order (addresses ascending; queue by maturity then
 * challenger). With the voter records it rebuilds an identical engine.
 */
export interface ElectionHeader {
  readonly params: ElectionParams;
  /** The last sequence number handed out (0 before any admission). */
  readonly lastSequence: bigint;
  /** Every eligible address (members included) with its acceptance order. */
  readonly eligible: readonly { readonly address: string; readonly acceptance: Acceptance }[];
  readonly members: readonly { readonly address: string; readonly sequence: bigint }[];
  readonly queue: readonly QueueEntry[];
}

/** A whole engine state as plain records (small states; large ones stream voters instead). */
export interface ElectionState {
  readonly header: ElectionHeader;
  readonly voters: readonly VoterRecord[];
}
