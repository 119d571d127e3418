/**
 * Registered errors of the dCERT module (codespace `dcert`). Every rejection of a dCERT message or
 * query carries one of these codes, with a detail that says what to do.
 *
 * Codes 2–49 belong to this module; codes 50–99 are reserved for the circuit module (which shares
 * the codespace), so neither registers a number the other uses.
 */
import { ChainError, GrpcStatus, type RegisteredError, registerError } from "../../baseapp/errors";
import { ElectionError, ElectionInputError } from "./electionator";

export const DCERT_CODESPACE = "dcert";

const reg = (code: number, description: string, grpcCode?: number): RegisteredError => registerError(DCERT_CODESPACE, code, description, grpcCode);
const { INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION } = GrpcStatus;

export const ErrNotMember = reg(2, "not an active dCERT member", PERMISSION_DENIED);
export const ErrNotEligible = reg(3, "not eligible for admission", FAILED_PRECONDITION);
export const ErrInvalidVote = reg(4, "invalid vote", INVALID_ARGUMENT);
export const ErrInvalidAddress = reg(5, "invalid address", INVALID_ARGUMENT);
export const ErrInvalidAmount = reg(6, "invalid amount", INVALID_ARGUMENT);
export const ErrInvalidDenom = reg(7, "wrong denomination", INVALID_ARGUMENT);
export const ErrInsufficientBond = reg(8, "insufficient bond", FAILED_PRECONDITION);
export const ErrInsufficientFunds = reg(9, "insufficient funds", FAILED_PRECONDITION);
export const ErrMaxUnbondingEntries = reg(10, "too many unbonding entries", FAILED_PRECONDITION);
export const ErrAlreadyAccepted = reg(11, "admission already accepted", FAILED_PRECONDITION);
export const ErrNotCandidate = reg(12, "no standing acceptance", FAILED_PRECONDITION);
export const ErrSuspended = reg(13, "suspended", FAILED_PRECONDITION);
export const ErrNotSuspended = reg(14, "not suspended", FAILED_PRECONDITION);
export const ErrAlreadyVoted = reg(15, "suspension vote already cast", FAILED_PRECONDITION);
export const ErrInvalidSuspension = reg(16, "invalid suspension vote", INVALID_ARGUMENT);
export const ErrInvalidAuthority = reg(17, "invalid authority", PERMISSION_DENIED);
export const ErrInvalidParams = reg(18, "invalid dcert params", INVALID_ARGUMENT);
export const ErrGroupDisbanded = reg(19, "the dCERT group is disbanded", FAILED_PRECONDITION);
export const ErrGroupNotDisbanded = reg(20, "the dCERT group is not disbanded", FAILED_PRECONDITION);
export const ErrInsufficientWager = reg(21, "disband wager too small", INVALID_ARGUMENT);
export const ErrGroupFrozen = reg(22, "the dCERT group is frozen by a pending disband proposal", FAILED_PRECONDITION);
export const ErrInvalidFraction = reg(23, "invalid fraction", INVALID_ARGUMENT);
export const ErrNothingToSlash = reg(24, "nothing to slash", FAILED_PRECONDITION);
export const ErrInvalidDescription = reg(25, "invalid description", INVALID_ARGUMENT);
export const ErrNotFound = reg(26, "not found", NOT_FOUND);
export const ErrTooManyVoteEntries = reg(27, "too many vote entries", INVALID_ARGUMENT);
/** A broken invariant, not the caller's doing: no gRPC code (UNKNOWN). */
export const ErrInvalidState = reg(28, "inconsistent dcert state");
export const ErrInvalidRequest = reg(29, "invalid request", INVALID_ARGUMENT);
export const ErrInvalidReason = reg(30, "invalid reason", INVALID_ARGUMENT);
export const ErrBarred = reg(31, "barred from admission by a governance slash", PERMISSION_DENIED);

/** The registered error for an election-engine input code. */
export function electionErrorOf(code: ElectionError): RegisteredError {
  switch (code) {
    case ElectionError.TooManyEntries:
      return ErrTooManyVoteEntries;
    case ElectionError.EmptyCandidate:
    case ElectionError.ShareNotPositive:
    case ElectionError.DuplicateCandidate:
    case ElectionError.SharesExceedOne:
    case ElectionError.PowerOutOfRange:
      return ErrInvalidVote;
    case ElectionError.EmptyVoter:
      return ErrInvalidAddress;
    case ElectionError.InvalidParams:
      return ErrInvalidParams;
    default:
      return ErrInvalidState;
  }
}

const ADVICE: Partial<Record<ElectionError, string>> = {
  [ElectionError.TooManyEntries]: "split your support over fewer candidates (at most max_vote_entries)",
  [ElectionError.EmptyCandidate]: "every entry needs a candidate address",
  [ElectionError.ShareNotPositive]: "every share must be positive (18-decimal fixed point: 250000000000000000 is 25%)",
  [ElectionError.DuplicateCandidate]: "name each candidate once and put its whole share in that entry",
  [ElectionError.SharesExceedOne]: "the shares of one vote may add up to at most 1 (1000000000000000000)",
  [ElectionError.PowerOutOfRange]: "voting power out of range",
};

/** A chain error for an engine input code, with advice a person can act on. */
export function electionError(code: ElectionError, detail: string): ChainError {
  const advice = ADVICE[code];
  return electionErrorOf(code).wrap(advice === undefined ? detail : `${detail}: ${advice}`);
}

/** Converts an ElectionInputError (anything else passes through). */
export function fromElectionError(e: unknown): unknown {
  return e instanceof ElectionInputError ? electionError(e.code, e.message) : e;
}
