/**
 * Registered errors of the mint module. The SDK's x/mint returns unregistered errors for invalid
 * params; here every refusal has a code, so invalid params get their own (codespace `mint`).
 */
import { GrpcStatus, registerError } from "../../baseapp/errors";

export const MINT_CODESPACE = "mint";

export const ErrInvalidMintParams = registerError(MINT_CODESPACE, 2, "invalid mint params", GrpcStatus.INVALID_ARGUMENT);
