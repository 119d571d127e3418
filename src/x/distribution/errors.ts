/** Registered errors of the distribution module (codes as in the Cosmos SDK's x/distribution/types/errors.go). */
import { registerError } from "../../baseapp/errors";

export const DISTRIBUTION_CODESPACE = "distribution";

export const ErrEmptyDelegatorAddr = registerError(DISTRIBUTION_CODESPACE, 2, "delegator address is empty");
export const ErrEmptyWithdrawAddr = registerError(DISTRIBUTION_CODESPACE, 3, "withdraw address is empty");
export const ErrEmptyValidatorAddr = registerError(DISTRIBUTION_CODESPACE, 4, "validator address is empty");
export const ErrEmptyDelegationDistInfo = registerError(DISTRIBUTION_CODESPACE, 5, "no delegation distribution info");
export const ErrNoValidatorDistInfo = registerError(DISTRIBUTION_CODESPACE, 6, "no validator distribution info");
export const ErrNoValidatorCommission = registerError(DISTRIBUTION_CODESPACE, 7, "no validator commission to withdraw");
export const ErrSetWithdrawAddrDisabled = registerError(DISTRIBUTION_CODESPACE, 8, "set withdraw address disabled");
export const ErrBadDistribution = registerError(DISTRIBUTION_CODESPACE, 9, "community pool does not have sufficient coins to distribute");
export const ErrInvalidProposalAmount = registerError(DISTRIBUTION_CODESPACE, 10, "invalid community pool spend proposal amount");
export const ErrEmptyProposalRecipient = registerError(DISTRIBUTION_CODESPACE, 11, "invalid community pool spend proposal recipient");
export const ErrNoValidatorExists = registerError(DISTRIBUTION_CODESPACE, 12, "validator does not exist");
export const ErrNoDelegationExists = registerError(DISTRIBUTION_CODESPACE, 13, "delegation does not exist");
export const ErrInvalidSigner = registerError(DISTRIBUTION_CODESPACE, 15, "expected authority account as only signer for proposal message");
export const ErrInvalidParams = registerError(DISTRIBUTION_CODESPACE, 16, "invalid distribution params");
