/**
 * The reveal gate of a coordination case names an x/upgrade plan. Plan names follow the upgrade
 * module's rule (a directory name for cosmovisor): 1–140 characters, `[A-Za-z0-9][A-Za-z0-9._-]*`.
 * Shared by the chain (validateBasic, genesis) and the client/CLI (flag checks).
 */

import { isValidPlanName as validPlanName, MAX_PLAN_NAME_LENGTH } from "../upgrade/names";

/** Longest plan name, in characters (ASCII only, so also bytes): the upgrade module's. */
export const PLAN_NAME_MAX = MAX_PLAN_NAME_LENGTH;

/** Why `name` is not a valid plan name, or undefined when it is. */
export function planNameProblem(name: string): string | undefined {
  if (name.length === 0) return "a plan name must not be empty";
  if (name.length > PLAN_NAME_MAX) return `a plan name has at most ${PLAN_NAME_MAX} characters, got ${name.length}`;
  if (!validPlanName(name)) return `plan name ${JSON.stringify(name)} must start with a letter or digit and contain only letters, digits, '.', '_' and '-'`;
  return undefined;
}

/** The upgrade module's plan-name rule (src/types/upgrade/names.ts). */
export const isValidPlanName = validPlanName;
