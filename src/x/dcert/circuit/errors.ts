/**
 * Registered errors of circuit breaking. They share the dCERT codespace (`dcert`), in the range
 * 50–99 that src/x/dcert/errors.ts reserves for this module.
 *
 * Stable codes clients may rely on:
 *   dcert:50  a message on a broken route was refused (CheckTx, FinalizeBlock, nested execution)
 *   dcert:56  a MsgCircuitBreak named an accountability message, which can never be broken
 */
import type { RegisteredError } from "../../../baseapp/errors";
import { GrpcStatus, registerError } from "../../../baseapp/errors";
import { DCERT_CODESPACE } from "../errors";

const reg = (code: number, description: string, grpcCode?: number): RegisteredError => registerError(DCERT_CODESPACE, code, description, grpcCode);
const { INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION } = GrpcStatus;

/** The refusal of a message whose route is broken: the code CheckTx answers (dcert:50). */
export const ErrRouteBroken = reg(50, "message route is circuit-broken", FAILED_PRECONDITION);
export const ErrCircuitBreakDisabled = reg(51, "circuit breaking is disabled", FAILED_PRECONDITION);
export const ErrMalformedRoute = reg(52, "malformed route", INVALID_ARGUMENT);
export const ErrUnknownRoute = reg(53, "unknown route", NOT_FOUND);
export const ErrAlreadyBroken = reg(54, "route already broken", FAILED_PRECONDITION);
export const ErrInvalidRoutes = reg(55, "invalid route list", INVALID_ARGUMENT);
/** MsgCircuitBreak naming an accountability message (slash, reinstate, disband, re-establish, dCERT params). */
export const ErrProtectedRoute = reg(56, "route cannot be circuit-broken", INVALID_ARGUMENT);
/** MsgCircuitBreak citing a case on a chain without the coordination module. */
export const ErrCaseCitationUnavailable = reg(57, "case citation unavailable", FAILED_PRECONDITION);

/** The code of `ErrRouteBroken`, for clients and docs. */
export const ROUTE_BROKEN_CODE = ErrRouteBroken.code;
