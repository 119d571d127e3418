/**
 * The readiness vote extension: what a validator's app runs (app version, build hash, the upgrade
 * plans it holds handlers for). VerifyVoteExtension checks its shape only; FinalizeBlock decodes
 * it again (defensively) before counting it.
 */
import { ReadinessExtension } from "../../../generated/dcert/upgrade/v1/types";
import type { BuildIdentity } from "../build";
import { isValidPlanName } from "../../../types/upgrade/names";

/** The largest extension accepted (the runtime's MAX_VOTE_EXTENSION_BYTES). */
export const MAX_READINESS_EXTENSION_BYTES = 1024;
export const MAX_EXTENSION_HANDLERS = 32;
export const MAX_APP_VERSION_LENGTH = 64;
export const BUILD_HASH_BYTES = 32;

/** The plan name rule (a cosmovisor directory name), shared with the client: src/types/upgrade/names.ts. */
export { isValidPlanName };

const PRINTABLE = /^[\x20-\x7e]*$/;

/** Why `ext` is not a well-formed readiness extension, or undefined. */
export function readinessExtensionShapeError(ext: ReadinessExtension): string | undefined {
  if (ext.buildHash.length !== BUILD_HASH_BYTES) return `build_hash has ${ext.buildHash.length} bytes; it must be a ${BUILD_HASH_BYTES}-byte SHA-256`;
  if (ext.appVersion.length > MAX_APP_VERSION_LENGTH) return `app_version is longer than ${MAX_APP_VERSION_LENGTH} characters`;
  if (!PRINTABLE.test(ext.appVersion)) return "app_version must be printable ASCII";
  if (ext.upgradeHandlers.length > MAX_EXTENSION_HANDLERS) return `${ext.upgradeHandlers.length} upgrade handlers; at most ${MAX_EXTENSION_HANDLERS}`;
  for (let i = 0; i < ext.upgradeHandlers.length; i++) {
    const name = ext.upgradeHandlers[i] as string;
    if (!isValidPlanName(name)) return `upgrade handler ${JSON.stringify(name)} is not a valid plan name`;
    if (i > 0 && !((ext.upgradeHandlers[i - 1] as string) < name)) return "upgrade handlers must be sorted and unique";
  }
  return undefined;
}

/** Decodes a readiness extension, or explains why the bytes are not a canonical, well-formed one. Never throws. */
export function decodeReadinessExtension(bytes: Uint8Array): { ext: ReadinessExtension } | { error: string } {
  if (bytes.length > MAX_READINESS_EXTENSION_BYTES) return { error: `${bytes.length} bytes exceed ${MAX_READINESS_EXTENSION_BYTES}` };
  let ext: ReadinessExtension;
  try {
    ext = ReadinessExtension.decode(bytes);
  } catch (e) {
    return { error: `does not decode as ReadinessExtension: ${e instanceof Error ? e.message : String(e)}` };
  }
  const again = ReadinessExtension.encode(ext).finish();
  if (Buffer.compare(Buffer.from(again), Buffer.from(bytes)) !== 0) return { error: "not the canonical encoding of a ReadinessExtension (unknown fields, repeated or out-of-order fields, or invalid UTF-8)" };
  const shape = readinessExtensionShapeError(ext);
  return shape === undefined ? { ext } : { error: shape };
}

/** VerifyVoteExtension's rule: undefined for a well-formed readiness extension, else why not. */
export function checkReadinessExtension(bytes: Uint8Array): string | undefined {
  const r = decodeReadinessExtension(bytes);
  return "error" in r ? r.error : undefined;
}

/** The extension a node votes with: its build, and the valid handler names it carries (sorted, unique, at most 32). */
export function readinessExtensionFor(build: BuildIdentity, handlerNames: readonly string[]): Uint8Array {
  const handlers = [...new Set(handlerNames.filter(isValidPlanName))].sort().slice(0, MAX_EXTENSION_HANDLERS);
  const version = build.appVersion.replace(/[^\x20-\x7e]/g, "?").slice(0, MAX_APP_VERSION_LENGTH);
  return ReadinessExtension.encode({ appVersion: version, buildHash: Buffer.from(build.buildHash), upgradeHandlers: handlers }).finish();
}
