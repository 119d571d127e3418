/**
 * An upgrade handler of this codebase: what the new binary runs, inside consensus, at the height of
 * the plan of the same name (before the module migrations, before BeginBlock and the block's txs).
 * Handlers live in the app layer, so they may use any keeper.
 */
import type { Context } from "../../baseapp/context";
import type { PlanInfo } from "../../x/upgrade/halt";
import type { Keepers } from "../wiring";

export interface UpgradeHandler {
  /** The plan name (a valid plan name: it is also cosmovisor's directory name). */
  readonly name: string;
  /** One line for docs and logs. */
  readonly summary: string;
  apply(ctx: Context, plan: PlanInfo, keepers: Keepers): void;
}
