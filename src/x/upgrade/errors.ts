/**
 * Registered errors of the upgrade module (codespace `upgrade`). Codes are never reused; the table
 * is in docs/upgrades.md.
 */
import { type RegisteredError, registerError } from "../../baseapp/errors";

export const UPGRADE_CODESPACE = "upgrade";

const reg = (code: number, description: string): RegisteredError => registerError(UPGRADE_CODESPACE, code, description);

export const ErrUnauthorized = reg(2, "signer is not the governance authority");
export const ErrInvalidPlan = reg(3, "invalid upgrade plan");
export const ErrPastHeight = reg(4, "upgrade height is not in the future");
export const ErrDuplicateName = reg(5, "upgrade plan name already applied");
export const ErrNoPlan = reg(6, "no upgrade plan is scheduled");
export const ErrPreApprovalDisabled = reg(7, "dCERT pre-approval is disabled");
export const ErrNotMember = reg(8, "not an active dCERT member");
export const ErrSuspended = reg(9, "dCERT member is suspended");
export const ErrGroupFrozen = reg(10, "the dCERT group is frozen or disbanded");
export const ErrPlanConflict = reg(11, "another upgrade plan is scheduled");
export const ErrCancelledName = reg(12, "governance cancelled a dCERT plan of this name");
export const ErrTooSoon = reg(13, "upgrade height is closer than the pre-approval delay allows");
export const ErrInvalidHash = reg(14, "invalid binary hash");
export const ErrCaseNotFound = reg(15, "coordination case not found");
export const ErrNoPreApproval = reg(16, "no pre-approval to withdraw");
export const ErrInvalidParams = reg(17, "invalid upgrade params");
export const ErrAlreadyApproved = reg(18, "member already pre-approved this plan name");
export const ErrUnknownPlan = reg(19, "unknown upgrade plan");
