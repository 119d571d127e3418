import { registerError } from "../../baseapp/errors";

/**
 * Registered errors of the gov module: codespace `gov` with the Cosmos SDK v0.50 codes
 * (x/gov/types/errors.go), so clients that switch on (codespace, code) keep working.
 */
export const GOV = "gov";
export const ErrUnknownProposal = registerError(GOV, 2, "unknown proposal");
export const ErrInactiveProposal = registerError(GOV, 3, "inactive proposal");
export const ErrInvalidProposalContent = registerError(GOV, 5, "invalid proposal content");
export const ErrInvalidVote = registerError(GOV, 7, "invalid vote option");
export const ErrInvalidGenesis = registerError(GOV, 8, "invalid genesis state");
export const ErrUnroutableProposalMsg = registerError(GOV, 10, "proposal message not recognized by router");
export const ErrNoProposalMsgs = registerError(GOV, 11, "no messages proposed");
export const ErrInvalidProposalMsg = registerError(GOV, 12, "invalid proposal message");
export const ErrInvalidSigner = registerError(GOV, 13, "expected gov account as only signer for proposal message");
export const ErrMetadataTooLong = registerError(GOV, 15, "metadata too long");
export const ErrMinDepositTooSmall = registerError(GOV, 16, "minimum deposit is too small");
