/**
 * The halt at an upgrade height. When the block at a scheduled plan's height is executed by a
 * binary that holds no handler for the plan, the upgrade module throws UpgradeNeededError before
 * anything of the block runs: nothing of it is committed. The node layer (src/app/node.ts) writes
 * `upgrade-info.json` (the file cosmovisor watches) into the node's data directory and stops.
 */

export interface PlanInfo {
  readonly name: string;
  readonly height: bigint;
  readonly info: string;
}

export class UpgradeNeededError extends Error {
  constructor(readonly plan: PlanInfo) {
    super(`UPGRADE NEEDED: "${plan.name}" at height ${plan.height}; install the binary for it`);
    this.name = "UpgradeNeededError";
  }
}

export function isUpgradeNeeded(e: unknown): e is UpgradeNeededError {
  return e instanceof UpgradeNeededError;
}

/** The file cosmovisor reads from `$DAEMON_HOME/data/`. */
export const UPGRADE_INFO_FILE = "upgrade-info.json";

/** The contents of upgrade-info.json in the format cosmovisor reads ({"name","height","info"}). */
export function upgradeInfoJson(plan: PlanInfo): string {
  return `${JSON.stringify({ name: plan.name, height: Number(plan.height), info: plan.info })}\n`;
}
