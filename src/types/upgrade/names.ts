/**
 * What the chain and its clients agree on for upgrade plans: the plan-name rule (a directory name
 * cosmovisor can use), the info and binary-hash rules. The chain (x/upgrade, the vote-extension
 * checks) and the client/CLI both call these, so a name a client accepts is one the chain accepts.
 */

/** Longest plan name, in characters (ASCII only, so also bytes). */
export const MAX_PLAN_NAME_LENGTH = 140;
/** Largest plan info, in UTF-8 bytes. */
export const MAX_PLAN_INFO_BYTES = 2048;

const PLAN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Why `name` is not a valid plan name, or undefined when it is. */
export function planNameError(name: string): string | undefined {
  if (name.length === 0) return "the plan name is empty";
  if (name.length > MAX_PLAN_NAME_LENGTH) return `the plan name is ${name.length} characters; at most ${MAX_PLAN_NAME_LENGTH}`;
  if (!PLAN_NAME.test(name)) {
    return `the plan name ${JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name)} must start with a letter or digit and contain only letters, digits, ".", "_" and "-" (it names a directory for cosmovisor)`;
  }
  return undefined;
}

export function isValidPlanName(name: string): boolean {
  return planNameError(name) === undefined;
}

/** Why `info` is not a valid plan info, or undefined. */
export function planInfoError(info: string): string | undefined {
  const n = new TextEncoder().encode(info).length;
  return n > MAX_PLAN_INFO_BYTES ? `the plan info is ${n} bytes; at most ${MAX_PLAN_INFO_BYTES}` : undefined;
}

/** Why `hex` is not a lowercase hex SHA-256 (64 characters), or undefined. */
export function binarySha256Error(hex: string): string | undefined {
  if (SHA256_HEX.test(hex)) return undefined;
  const shown = hex.length > 80 ? `${hex.slice(0, 80)}…` : hex;
  return `binary_sha256 must be 64 lowercase hex characters (a SHA-256, e.g. from sha256sum), got ${JSON.stringify(shown)} (${hex.length} characters)`;
}
