/**
 * Registered errors of the coordination module (codespace `coord`). Every refusal of a
 * coordination message or query carries one of these codes, with a detail that says what to do.
 * Codes are never reused; the table is docs/coordination.md §3.
 */
import { GrpcStatus, type RegisteredError, registerError } from "../../baseapp/errors";

export const COORD_CODESPACE = "coord";

const reg = (code: number, description: string, grpcCode?: number): RegisteredError => registerError(COORD_CODESPACE, code, description, grpcCode);
const { INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, FAILED_PRECONDITION } = GrpcStatus;

export const ErrNotMember = reg(2, "not an active dCERT member", PERMISSION_DENIED);
export const ErrNoEncryptionKey = reg(3, "member has no registered encryption key", FAILED_PRECONDITION);
export const ErrInvalidAddress = reg(4, "invalid address", INVALID_ARGUMENT);
export const ErrInvalidKey = reg(5, "invalid X25519 public key", INVALID_ARGUMENT);
export const ErrInvalidParty = reg(6, "invalid party fields", INVALID_ARGUMENT);
export const ErrInvalidDependency = reg(7, "invalid dependency or component", INVALID_ARGUMENT);
export const ErrTooManyDependencies = reg(8, "too many dependencies", INVALID_ARGUMENT);
export const ErrKeyInUse = reg(9, "encryption key already registered", ALREADY_EXISTS);
export const ErrPartyNotFound = reg(10, "party not found", NOT_FOUND);
export const ErrCaseNotFound = reg(11, "case not found", NOT_FOUND);
export const ErrInvalidCommitments = reg(12, "invalid commitments", INVALID_ARGUMENT);
export const ErrInvalidLevel = reg(13, "invalid escalation level", INVALID_ARGUMENT);
export const ErrInvalidDeadline = reg(14, "invalid embargo deadline", INVALID_ARGUMENT);
export const ErrWrongStatus = reg(15, "wrong case status", FAILED_PRECONDITION);
export const ErrGroupFrozen = reg(16, "the dCERT group is frozen or disbanded", FAILED_PRECONDITION);
export const ErrCiphertextTooLarge = reg(17, "ciphertext too large", INVALID_ARGUMENT);
export const ErrMalformedEnvelope = reg(18, "malformed envelope", INVALID_ARGUMENT);
export const ErrNotAParty = reg(19, "recipient is not a registered party", NOT_FOUND);
export const ErrStaleKeyEpoch = reg(20, "sealed to a stale key epoch", FAILED_PRECONDITION);
export const ErrNotSealedToGroup = reg(21, "input not sealed to exactly the group's keys", INVALID_ARGUMENT);
export const ErrNoticeNotFound = reg(22, "notice not found", NOT_FOUND);
export const ErrNotRecipient = reg(23, "not the recipient, or never notified", PERMISSION_DENIED);
export const ErrEnvelopeHashMismatch = reg(24, "envelope hash mismatch", INVALID_ARGUMENT);
export const ErrInvalidInvolvement = reg(25, "invalid involvement transition", FAILED_PRECONDITION);
export const ErrAlreadyAcknowledged = reg(26, "already acknowledged", FAILED_PRECONDITION);
export const ErrNotEscalation = reg(27, "not an escalation", FAILED_PRECONDITION);
export const ErrRevisionPending = reg(28, "a revision is already pending", FAILED_PRECONDITION);
export const ErrNoRevision = reg(29, "no pending revision", NOT_FOUND);
export const ErrAlreadyVoted = reg(30, "already approved or joined", FAILED_PRECONDITION);
export const ErrRevealTooEarly = reg(31, "reveal before the embargo deadline", FAILED_PRECONDITION);
export const ErrCommitmentMismatch = reg(32, "reveal does not match its commitment", INVALID_ARGUMENT);
export const ErrAlreadyRevealed = reg(33, "already revealed", FAILED_PRECONDITION);
export const ErrDisclosureIncomplete = reg(34, "disclosure check still running", FAILED_PRECONDITION);
export const ErrInvalidAdvisory = reg(35, "invalid advisory", INVALID_ARGUMENT);
export const ErrInvalidRecord = reg(36, "invalid post-coordination record", INVALID_ARGUMENT);
export const ErrCannotCite = reg(37, "case cannot be cited", FAILED_PRECONDITION);
/** Both a message over a per-message cap and a full per-member or per-case quota: no one gRPC code fits, so UNKNOWN. */
export const ErrLimitReached = reg(38, "limit reached");
export const ErrInvalidParams = reg(39, "invalid coordination params", INVALID_ARGUMENT);
export const ErrInvalidAuthority = reg(40, "invalid authority", PERMISSION_DENIED);
export const ErrInvalidRequest = reg(41, "invalid request", INVALID_ARGUMENT);
export const ErrNotDisclosed = reg(42, "case not disclosed yet", FAILED_PRECONDITION);
export const ErrLevelSealed = reg(43, "the case's level is sealed", FAILED_PRECONDITION);
export const ErrAlreadyRegistered = reg(44, "party already registered", ALREADY_EXISTS);
export const ErrInsufficientFunds = reg(45, "insufficient funds for the deposit", FAILED_PRECONDITION);
export const ErrMemberParty = reg(46, "a member cannot withdraw its party record", FAILED_PRECONDITION);
export const ErrDisabled = reg(47, "coordination is disabled by governance", FAILED_PRECONDITION);
export const ErrRevealGated = reg(48, "reveal waits for upgrade readiness", FAILED_PRECONDITION);
export const ErrInvalidRevealGate = reg(49, "invalid reveal gate", INVALID_ARGUMENT);
export const ErrNotCoordinator = reg(50, "not a coordinator of the case", PERMISSION_DENIED);
