/**
 * The upgrade handlers compiled into this codebase, and which of them a build carries. A release
 * made without a handler (`scripts/make-release.mjs --without-upgrade NAME`) lists the others in
 * `BuildIdentity.upgradeHandlers`; a plain build (undefined) carries every one. The upgrade module
 * runs the handler of the scheduled plan at its height; the vote extension reports
 * `upgradeHandlerNames(build)` (readiness).
 */
import type { BuildIdentity } from "../../x/upgrade/build";
import type { PlanHandler } from "../../x/upgrade/expected";
import type { Keepers } from "../wiring";
import type { UpgradeHandler } from "./types";
import { V2_RESTORE_CIRCUITS } from "./v2";

export type { UpgradeHandler } from "./types";
export { V2_RESTORE_CIRCUITS } from "./v2";

/** Every handler compiled in, in name order. */
export const UPGRADE_HANDLERS: readonly UpgradeHandler[] = [V2_RESTORE_CIRCUITS];

/** The handlers `build` carries (all when build.upgradeHandlers is undefined), in name order. */
export function handlersFor(build: BuildIdentity | undefined): UpgradeHandler[] {
  const names = build?.upgradeHandlers;
  if (names === undefined) return [...UPGRADE_HANDLERS];
  const wanted = new Set(names);
  return UPGRADE_HANDLERS.filter((h) => wanted.has(h.name));
}

/** Names of the handlers `build` carries, sorted and unique (what the vote extension reports). */
export function upgradeHandlerNames(build: BuildIdentity | undefined): string[] {
  return [...new Set(handlersFor(build).map((h) => h.name))].sort();
}

/** The handlers of `build` bound to the app's keepers, as the upgrade module runs them. */
export function bindHandlers(build: BuildIdentity | undefined, keepers: () => Keepers): PlanHandler[] {
  return handlersFor(build).map((h) => ({ name: h.name, apply: (ctx, plan) => h.apply(ctx, plan, keepers()) }));
}
