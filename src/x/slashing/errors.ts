/** Registered errors of x/slashing, with the SDK's codes (x/slashing/types/errors.go). */
import { GrpcStatus, registerError } from "../../baseapp/errors";

export const SLASHING_CODESPACE = "slashing";
const r = (code: number, description: string, grpcCode?: number) => registerError(SLASHING_CODESPACE, code, description, grpcCode);
const { INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION } = GrpcStatus;

export const ErrNoValidatorForAddress = r(2, "address is not associated with any known validator", NOT_FOUND);
export const ErrBadValidatorAddr = r(3, "validator does not exist for that address", NOT_FOUND);
export const ErrValidatorJailed = r(4, "validator still jailed; cannot be unjailed", FAILED_PRECONDITION);
export const ErrValidatorNotJailed = r(5, "validator not jailed; cannot be unjailed", FAILED_PRECONDITION);
export const ErrMissingSelfDelegation = r(6, "validator has no self-delegation; cannot be unjailed", FAILED_PRECONDITION);
export const ErrSelfDelegationTooLowToUnjail = r(7, "validator's self delegation less than minimum; cannot be unjailed", FAILED_PRECONDITION);
export const ErrNoSigningInfoFound = r(8, "no validator signing info found", NOT_FOUND);
export const ErrValidatorTombstoned = r(9, "validator already tombstoned", FAILED_PRECONDITION);
/** Ours: parameters that fail validation (MsgUpdateParams, genesis). */
export const ErrInvalidParams = r(10, "invalid slashing params", INVALID_ARGUMENT);
/** Ours: MsgUpdateParams not from the gov module account. */
export const ErrInvalidAuthority = r(11, "expected gov account as only signer for proposal message", PERMISSION_DENIED);
