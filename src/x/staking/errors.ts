/**
 * Registered errors of the staking module. Codes follow the Cosmos SDK's x/staking
 * (types/errors.go), so clients that switch on (codespace, code) see what they expect.
 */
import { registerError } from "../../baseapp/errors";

export const STAKING_CODESPACE = "staking";
const r = (code: number, description: string) => registerError(STAKING_CODESPACE, code, description);

export const ErrEmptyValidatorAddr = r(2, "empty validator address");
export const ErrNoValidatorFound = r(3, "validator does not exist");
export const ErrValidatorOwnerExists = r(4, "validator already exist for this operator address; must use new validator operator address");
export const ErrValidatorPubKeyExists = r(5, "validator already exist for this pubkey; must use new validator pubkey");
export const ErrValidatorPubKeyTypeNotSupported = r(6, "validator pubkey type is not supported");
export const ErrValidatorJailed = r(7, "validator for this address is currently jailed");
export const ErrCommissionNegative = r(9, "commission must be positive");
export const ErrCommissionHuge = r(10, "commission cannot be more than 100%");
export const ErrCommissionGTMaxRate = r(11, "commission cannot be more than the max rate");
export const ErrCommissionUpdateTime = r(12, "commission cannot be changed more than once in 24h");
export const ErrCommissionChangeRateNegative = r(13, "commission change rate must be positive");
export const ErrCommissionChangeRateGTMaxRate = r(14, "commission change rate cannot be more than the max rate");
export const ErrCommissionGTMaxChangeRate = r(15, "commission cannot be changed more than max change rate");
export const ErrSelfDelegationBelowMinimum = r(16, "validator's self delegation must be greater than their minimum self delegation");
export const ErrMinSelfDelegationDecreased = r(17, "minimum self delegation cannot be decrease");
export const ErrEmptyDelegatorAddr = r(18, "empty delegator address");
export const ErrNoDelegation = r(19, "no delegation for (address, validator) tuple");
export const ErrNotEnoughDelegationShares = r(24, "not enough delegation shares");
export const ErrNoUnbondingDelegation = r(26, "no unbonding delegation found");
export const ErrMaxUnbondingDelegationEntries = r(27, "too many unbonding delegation entries for (delegator, validator) tuple");
export const ErrNoRedelegation = r(28, "no redelegation found");
export const ErrSelfRedelegation = r(29, "cannot redelegate to the same validator");
export const ErrTinyRedelegationAmount = r(30, "too few tokens to redelegate (truncates to zero tokens)");
export const ErrBadRedelegationDst = r(31, "redelegation destination validator not found");
export const ErrTransitiveRedelegation = r(
  32,
  "redelegation to this validator already in progress; first redelegation to this validator must complete before next redelegation",
);
export const ErrMaxRedelegationEntries = r(33, "too many redelegation entries for (delegator, src-validator, dst-validator) tuple");
export const ErrDelegatorShareExRateInvalid = r(34, "cannot delegate to validators with invalid (zero) ex-rate");
export const ErrNoHistoricalInfo = r(38, "no historical info found");
export const ErrEmptyValidatorPubKey = r(39, "empty validator public key");
export const ErrCommissionLTMinRate = r(40, "commission cannot be less than min rate");
/** The SDK reports this with gov's ErrInvalidSigner; we keep it in our own codespace. */
export const ErrInvalidAuthority = r(45, "expected gov account as only signer for proposal message");
/** Parameters that fail validation (the SDK wraps ErrInvalidRequest; a dedicated code is easier to act on). */
export const ErrInvalidParams = r(46, "invalid staking params");
/** Wrong coin denomination for a staking message. */
export const ErrBadDenom = r(47, "invalid coin denomination");
/** Description fields too long or moniker missing. */
export const ErrInvalidDescription = r(48, "invalid validator description");
/** MsgCancelUnbondingDelegation: no entry created at that height, amount above its balance, or already matured. */
export const ErrBadCancelUnbonding = r(49, "cannot cancel the unbonding delegation entry");
