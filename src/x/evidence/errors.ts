/** Registered errors of x/evidence, with the SDK's codes (x/evidence/types/errors.go). */
import { GrpcStatus, registerError } from "../../baseapp/errors";

export const EVIDENCE_CODESPACE = "evidence";
const r = (code: number, description: string, grpcCode?: number) => registerError(EVIDENCE_CODESPACE, code, description, grpcCode);
const { INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS } = GrpcStatus;

export const ErrNoEvidenceHandlerExists = r(2, "unregistered handler for evidence type", INVALID_ARGUMENT);
export const ErrInvalidEvidence = r(3, "invalid evidence", INVALID_ARGUMENT);
export const ErrNoEvidenceExists = r(4, "evidence does not exist", NOT_FOUND);
export const ErrEvidenceExists = r(5, "evidence already exists", ALREADY_EXISTS);
