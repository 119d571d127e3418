/**
 * Registered errors as the runtime uses them: the registry, `ChainError` and the SDK root errors
 * live in types/errors.ts (they are part of the wire contract) and are re-exported here, so
 * modules keep importing them from baseapp; `errorResult` turns any thrown value into a result.
 */
import { ChainError } from "../types/errors";

export * from "../types/errors";

/**
 * Result code/codespace/log for any thrown value: registered errors keep their code, anything else
 * is internal (1). A fatal error (marked with Symbol.for("dcert.fatal"): a damaged store, see
 * store/integrity.ts) is rethrown: it must halt the node, never become a tx failure or a query
 * answer. (A marker, not an import, so this file stays free of the store for the client library.)
 */
export function errorResult(err: unknown): { codespace: string; code: number; log: string } {
  if (err instanceof Error && (err as unknown as Record<symbol, unknown>)[Symbol.for("dcert.fatal")] === true) throw err;
  if (err instanceof ChainError) return { codespace: err.codespace, code: err.code, log: err.message };
  const msg = err instanceof Error ? err.message : String(err);
  return { codespace: "undefined", code: 1, log: `internal error: ${msg}` };
}
