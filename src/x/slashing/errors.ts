/** Registered errors of x/slashing, with the SDK's codes (x/slashing/types/errors.go). */
import { registerError } from "../../baseapp/errors";

export const SLASHING_CODESPACE = "slashing";
const r = (code: number, description: string) => registerError(SLASHING_CODESPACE, code, description);

export const ErrNoValidatorForAddress = r(2, "address is not associated with any known validator");
export const ErrBadValidatorAddr = r(3, "validator does not exist for that address");
export const ErrValidatorJailed = r(4, "validator still jailed; cannot be unjailed");
export const ErrValidatorNotJailed = r(5, "validator not jailed; cannot be unjailed");
export const ErrMissingSelfDelegation = r(6, "validator has no self-delegation; cannot be unjailed");
export const ErrSelfDelegationTooLowToUnjail = r(7, "validator's self delegation less than minimum; cannot be unjailed");
export const ErrNoSigningInfoFound = r(8, "no validator signing info found");
export const ErrValidatorTombstoned = r(9, "validator already tombstoned");
/** Ours: parameters that fail validation (MsgUpdateParams, genesis). */
export const ErrInvalidParams = r(10, "invalid slashing params");
/** Ours: MsgUpdateParams not from the gov module account. */
export const ErrInvalidAuthority = r(11, "expected gov account as only signer for proposal message");
