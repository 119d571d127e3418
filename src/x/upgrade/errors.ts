/**
 * Registered errors of the upgrade module (codespace `upgrade`). Codes are never reused; the table
 * is in docs/upgrades.md.
 */
import { GrpcStatus, type RegisteredError, registerError } from "../../baseapp/errors";

export const UPGRADE_CODESPACE = "upgrade";

const reg = (code: number, description: string, grpcCode?: number): RegisteredError => registerError(UPGRADE_CODESPACE, code, description, grpcCode);
const { INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION } = GrpcStatus;

export const ErrUnauthorized = reg(2, "signer is not the governance authority", PERMISSION_DENIED);
export const ErrInvalidPlan = reg(3, "invalid upgrade plan", INVALID_ARGUMENT);
export const ErrPastHeight = reg(4, "upgrade height is not in the future", INVALID_ARGUMENT);
export const ErrDuplicateName = reg(5, "upgrade plan name already applied", FAILED_PRECONDITION);
export const ErrNoPlan = reg(6, "no upgrade plan is scheduled", NOT_FOUND);
export const ErrPreApprovalDisabled = reg(7, "dCERT pre-approval is disabled", FAILED_PRECONDITION);
export const ErrNotMember = reg(8, "not an active dCERT member", PERMISSION_DENIED);
export const ErrSuspended = reg(9, "dCERT member is suspended", FAILED_PRECONDITION);
export const ErrGroupFrozen = reg(10, "the dCERT group is frozen or disbanded", FAILED_PRECONDITION);
export const ErrPlanConflict = reg(11, "another upgrade plan is scheduled", FAILED_PRECONDITION);
export const ErrCancelledName = reg(12, "governance cancelled a dCERT plan of this name", FAILED_PRECONDITION);
export const ErrTooSoon = reg(13, "upgrade height is closer than the pre-approval delay allows", INVALID_ARGUMENT);
export const ErrInvalidHash = reg(14, "invalid binary hash", INVALID_ARGUMENT);
export const ErrCaseNotFound = reg(15, "coordination case not found", NOT_FOUND);
export const ErrNoPreApproval = reg(16, "no pre-approval to withdraw", NOT_FOUND);
export const ErrInvalidParams = reg(17, "invalid upgrade params", INVALID_ARGUMENT);
export const ErrAlreadyApproved = reg(18, "member already pre-approved this plan name", FAILED_PRECONDITION);
export const ErrUnknownPlan = reg(19, "unknown upgrade plan", NOT_FOUND);
