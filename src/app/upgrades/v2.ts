/**
 * Plan `v2`, "restore circuits": deletes every broken route. ADR 008 says broken routes come back
 * only at a hard-fork upgrade; this handler is that upgrade done in place (same chain-id, history
 * and tx index), instead of export → edit genesis → new chain (docs/hard-fork.md keeps that route
 * as the fallback). Emits dcert.v1.EventCircuitRestored with the routes it restored.
 */
import type { UpgradeHandler } from "./types";

export const V2_RESTORE_CIRCUITS: UpgradeHandler = {
  name: "v2",
  summary: "restore circuits: delete every broken route (ADR 008)",
  apply(ctx, plan, keepers) {
    keepers.dcert.restoreAllRoutes(ctx, plan.name);
  },
};
