/** Registered errors of x/evidence, with the SDK's codes (x/evidence/types/errors.go). */
import { registerError } from "../../baseapp/errors";

export const EVIDENCE_CODESPACE = "evidence";
const r = (code: number, description: string) => registerError(EVIDENCE_CODESPACE, code, description);

export const ErrNoEvidenceHandlerExists = r(2, "unregistered handler for evidence type");
export const ErrInvalidEvidence = r(3, "invalid evidence");
export const ErrNoEvidenceExists = r(4, "evidence does not exist");
export const ErrEvidenceExists = r(5, "evidence already exists");
