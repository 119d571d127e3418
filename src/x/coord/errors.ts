/**
 * Registered errors of the coordination module (codespace `coord`). Every refusal of a
 * coordination message or query carries one of these codes, with a detail that says what to do.
 * Codes are never reused; the table is docs/coordination.md §3.
 */
import { type RegisteredError, registerError } from "../../baseapp/errors";

export const COORD_CODESPACE = "coord";

const reg = (code: number, description: string): RegisteredError => registerError(COORD_CODESPACE, code, description);

export const ErrNotMember = reg(2, "not an active dCERT member");
export const ErrNoEncryptionKey = reg(3, "member has no registered encryption key");
export const ErrInvalidAddress = reg(4, "invalid address");
export const ErrInvalidKey = reg(5, "invalid X25519 public key");
export const ErrInvalidParty = reg(6, "invalid party fields");
export const ErrInvalidDependency = reg(7, "invalid dependency or component");
export const ErrTooManyDependencies = reg(8, "too many dependencies");
export const ErrKeyInUse = reg(9, "encryption key already registered");
export const ErrPartyNotFound = reg(10, "party not found");
export const ErrCaseNotFound = reg(11, "case not found");
export const ErrInvalidCommitments = reg(12, "invalid commitments");
export const ErrInvalidLevel = reg(13, "invalid escalation level");
export const ErrInvalidDeadline = reg(14, "invalid embargo deadline");
export const ErrWrongStatus = reg(15, "wrong case status");
export const ErrGroupFrozen = reg(16, "the dCERT group is frozen or disbanded");
export const ErrCiphertextTooLarge = reg(17, "ciphertext too large");
export const ErrMalformedEnvelope = reg(18, "malformed envelope");
export const ErrNotAParty = reg(19, "recipient is not a registered party");
export const ErrStaleKeyEpoch = reg(20, "sealed to a stale key epoch");
export const ErrNotSealedToGroup = reg(21, "input not sealed to exactly the group's keys");
export const ErrNoticeNotFound = reg(22, "notice not found");
export const ErrNotRecipient = reg(23, "not the recipient, or never notified");
export const ErrEnvelopeHashMismatch = reg(24, "envelope hash mismatch");
export const ErrInvalidInvolvement = reg(25, "invalid involvement transition");
export const ErrAlreadyAcknowledged = reg(26, "already acknowledged");
export const ErrNotEscalation = reg(27, "not an escalation");
export const ErrRevisionPending = reg(28, "a revision is already pending");
export const ErrNoRevision = reg(29, "no pending revision");
export const ErrAlreadyVoted = reg(30, "already approved or joined");
export const ErrRevealTooEarly = reg(31, "reveal before the embargo deadline");
export const ErrCommitmentMismatch = reg(32, "reveal does not match its commitment");
export const ErrAlreadyRevealed = reg(33, "already revealed");
export const ErrDisclosureIncomplete = reg(34, "disclosure check still running");
export const ErrInvalidAdvisory = reg(35, "invalid advisory");
export const ErrInvalidRecord = reg(36, "invalid post-coordination record");
export const ErrCannotCite = reg(37, "case cannot be cited");
export const ErrLimitReached = reg(38, "limit reached");
export const ErrInvalidParams = reg(39, "invalid coordination params");
export const ErrInvalidAuthority = reg(40, "invalid authority");
export const ErrInvalidRequest = reg(41, "invalid request");
export const ErrNotDisclosed = reg(42, "case not disclosed yet");
export const ErrLevelSealed = reg(43, "the case's level is sealed");
export const ErrAlreadyRegistered = reg(44, "party already registered");
export const ErrInsufficientFunds = reg(45, "insufficient funds for the deposit");
export const ErrMemberParty = reg(46, "a member cannot withdraw its party record");
export const ErrDisabled = reg(47, "coordination is disabled by governance");
export const ErrRevealGated = reg(48, "reveal waits for upgrade readiness");
export const ErrInvalidRevealGate = reg(49, "invalid reveal gate");
export const ErrNotCoordinator = reg(50, "not a coordinator of the case");
