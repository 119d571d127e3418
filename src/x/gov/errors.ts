import { GrpcStatus, registerError } from "../../baseapp/errors";

/**
 * Registered errors of the gov module: codespace `gov` with the Cosmos SDK v0.50 codes
 * (x/gov/types/errors.go), so clients that switch on (codespace, code) keep working.
 */
export const GOV = "gov";
const { INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION } = GrpcStatus;
export const ErrUnknownProposal = registerError(GOV, 2, "unknown proposal", NOT_FOUND);
export const ErrInactiveProposal = registerError(GOV, 3, "inactive proposal", FAILED_PRECONDITION);
export const ErrInvalidProposalContent = registerError(GOV, 5, "invalid proposal content", INVALID_ARGUMENT);
export const ErrInvalidVote = registerError(GOV, 7, "invalid vote option", INVALID_ARGUMENT);
export const ErrInvalidGenesis = registerError(GOV, 8, "invalid genesis state", INVALID_ARGUMENT);
export const ErrUnroutableProposalMsg = registerError(GOV, 10, "proposal message not recognized by router", INVALID_ARGUMENT);
export const ErrNoProposalMsgs = registerError(GOV, 11, "no messages proposed", INVALID_ARGUMENT);
export const ErrInvalidProposalMsg = registerError(GOV, 12, "invalid proposal message", INVALID_ARGUMENT);
export const ErrInvalidSigner = registerError(GOV, 13, "expected gov account as only signer for proposal message", PERMISSION_DENIED);
export const ErrMetadataTooLong = registerError(GOV, 15, "metadata too long", INVALID_ARGUMENT);
export const ErrMinDepositTooSmall = registerError(GOV, 16, "minimum deposit is too small", INVALID_ARGUMENT);
