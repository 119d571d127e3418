/** Registered errors of the distribution module (codes as in the Cosmos SDK's x/distribution/types/errors.go). */
import { GrpcStatus, registerError } from "../../baseapp/errors";

export const DISTRIBUTION_CODESPACE = "distribution";
const { INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION } = GrpcStatus;

export const ErrEmptyDelegatorAddr = registerError(DISTRIBUTION_CODESPACE, 2, "delegator address is empty", INVALID_ARGUMENT);
export const ErrEmptyWithdrawAddr = registerError(DISTRIBUTION_CODESPACE, 3, "withdraw address is empty", INVALID_ARGUMENT);
export const ErrEmptyValidatorAddr = registerError(DISTRIBUTION_CODESPACE, 4, "validator address is empty", INVALID_ARGUMENT);
export const ErrEmptyDelegationDistInfo = registerError(DISTRIBUTION_CODESPACE, 5, "no delegation distribution info", NOT_FOUND);
export const ErrNoValidatorDistInfo = registerError(DISTRIBUTION_CODESPACE, 6, "no validator distribution info", NOT_FOUND);
export const ErrNoValidatorCommission = registerError(DISTRIBUTION_CODESPACE, 7, "no validator commission to withdraw", FAILED_PRECONDITION);
export const ErrSetWithdrawAddrDisabled = registerError(DISTRIBUTION_CODESPACE, 8, "set withdraw address disabled", FAILED_PRECONDITION);
export const ErrBadDistribution = registerError(DISTRIBUTION_CODESPACE, 9, "community pool does not have sufficient coins to distribute", FAILED_PRECONDITION);
export const ErrInvalidProposalAmount = registerError(DISTRIBUTION_CODESPACE, 10, "invalid community pool spend proposal amount", INVALID_ARGUMENT);
export const ErrEmptyProposalRecipient = registerError(DISTRIBUTION_CODESPACE, 11, "invalid community pool spend proposal recipient", INVALID_ARGUMENT);
export const ErrNoValidatorExists = registerError(DISTRIBUTION_CODESPACE, 12, "validator does not exist", NOT_FOUND);
export const ErrNoDelegationExists = registerError(DISTRIBUTION_CODESPACE, 13, "delegation does not exist", NOT_FOUND);
export const ErrInvalidSigner = registerError(DISTRIBUTION_CODESPACE, 15, "expected authority account as only signer for proposal message", PERMISSION_DENIED);
export const ErrInvalidParams = registerError(DISTRIBUTION_CODESPACE, 16, "invalid distribution params", INVALID_ARGUMENT);
