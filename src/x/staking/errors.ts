/**
 * Registered errors of the staking module. Codes follow the Cosmos SDK's x/staking
 * (types/errors.go), so clients that switch on (codespace, code) see what they expect.
 */
import { GrpcStatus, registerError } from "../../baseapp/errors";

export const STAKING_CODESPACE = "staking";
const r = (code: number, description: string, grpcCode?: number) => registerError(STAKING_CODESPACE, code, description, grpcCode);
const { INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, FAILED_PRECONDITION } = GrpcStatus;

export const ErrEmptyValidatorAddr = r(2, "empty validator address", INVALID_ARGUMENT);
export const ErrNoValidatorFound = r(3, "validator does not exist", NOT_FOUND);
export const ErrValidatorOwnerExists = r(4, "validator already exist for this operator address; must use new validator operator address", ALREADY_EXISTS);
export const ErrValidatorPubKeyExists = r(5, "validator already exist for this pubkey; must use new validator pubkey", ALREADY_EXISTS);
export const ErrValidatorPubKeyTypeNotSupported = r(6, "validator pubkey type is not supported", INVALID_ARGUMENT);
export const ErrValidatorJailed = r(7, "validator for this address is currently jailed", FAILED_PRECONDITION);
export const ErrCommissionNegative = r(9, "commission must be positive", INVALID_ARGUMENT);
export const ErrCommissionHuge = r(10, "commission cannot be more than 100%", INVALID_ARGUMENT);
export const ErrCommissionGTMaxRate = r(11, "commission cannot be more than the max rate", INVALID_ARGUMENT);
export const ErrCommissionUpdateTime = r(12, "commission cannot be changed more than once in 24h", FAILED_PRECONDITION);
export const ErrCommissionChangeRateNegative = r(13, "commission change rate must be positive", INVALID_ARGUMENT);
export const ErrCommissionChangeRateGTMaxRate = r(14, "commission change rate cannot be more than the max rate", INVALID_ARGUMENT);
export const ErrCommissionGTMaxChangeRate = r(15, "commission cannot be changed more than max change rate", INVALID_ARGUMENT);
export const ErrSelfDelegationBelowMinimum = r(16, "validator's self delegation must be greater than their minimum self delegation", INVALID_ARGUMENT);
export const ErrMinSelfDelegationDecreased = r(17, "minimum self delegation cannot be decrease", INVALID_ARGUMENT);
export const ErrEmptyDelegatorAddr = r(18, "empty delegator address", INVALID_ARGUMENT);
export const ErrNoDelegation = r(19, "no delegation for (address, validator) tuple", NOT_FOUND);
export const ErrNotEnoughDelegationShares = r(24, "not enough delegation shares", FAILED_PRECONDITION);
export const ErrNoUnbondingDelegation = r(26, "no unbonding delegation found", NOT_FOUND);
export const ErrMaxUnbondingDelegationEntries = r(27, "too many unbonding delegation entries for (delegator, validator) tuple", FAILED_PRECONDITION);
export const ErrNoRedelegation = r(28, "no redelegation found", NOT_FOUND);
export const ErrSelfRedelegation = r(29, "cannot redelegate to the same validator", INVALID_ARGUMENT);
export const ErrTinyRedelegationAmount = r(30, "too few tokens to redelegate (truncates to zero tokens)", INVALID_ARGUMENT);
export const ErrBadRedelegationDst = r(31, "redelegation destination validator not found", NOT_FOUND);
export const ErrTransitiveRedelegation = r(
  32,
  "redelegation to this validator already in progress; first redelegation to this validator must complete before next redelegation",
  FAILED_PRECONDITION,
);
export const ErrMaxRedelegationEntries = r(33, "too many redelegation entries for (delegator, src-validator, dst-validator) tuple", FAILED_PRECONDITION);
export const ErrDelegatorShareExRateInvalid = r(34, "cannot delegate to validators with invalid (zero) ex-rate", FAILED_PRECONDITION);
export const ErrNoHistoricalInfo = r(38, "no historical info found", NOT_FOUND);
export const ErrEmptyValidatorPubKey = r(39, "empty validator public key", INVALID_ARGUMENT);
export const ErrCommissionLTMinRate = r(40, "commission cannot be less than min rate", INVALID_ARGUMENT);
/** The SDK reports this with gov's ErrInvalidSigner; we keep it in our own codespace. */
export const ErrInvalidAuthority = r(45, "expected gov account as only signer for proposal message", PERMISSION_DENIED);
/** Parameters that fail validation (the SDK wraps ErrInvalidRequest; a dedicated code is easier to act on). */
export const ErrInvalidParams = r(46, "invalid staking params", INVALID_ARGUMENT);
/** Wrong coin denomination for a staking message. */
export const ErrBadDenom = r(47, "invalid coin denomination", INVALID_ARGUMENT);
/** Description fields too long or moniker missing. */
export const ErrInvalidDescription = r(48, "invalid validator description", INVALID_ARGUMENT);
/** MsgCancelUnbondingDelegation: no entry created at that height, amount above its balance, or already matured. */
export const ErrBadCancelUnbonding = r(49, "cannot cancel the unbonding delegation entry", FAILED_PRECONDITION);
