/** Registered errors of the distribution module (codes as in the Cosmos SDK's x/distribution). */
import { registerError } from "../../baseapp/errors";

export const DISTRIBUTION_CODESPACE = "distribution";

export const ErrInvalidProposalAmount = registerError(DISTRIBUTION_CODESPACE, 10, "invalid community pool spend proposal amount");
export const ErrEmptyProposalRecipient = registerError(DISTRIBUTION_CODESPACE, 11, "invalid community pool spend proposal recipient");
export const ErrInvalidSigner = registerError(DISTRIBUTION_CODESPACE, 15, "expected authority account as only signer for proposal message");
export const ErrInvalidParams = registerError(DISTRIBUTION_CODESPACE, 16, "invalid distribution params");
