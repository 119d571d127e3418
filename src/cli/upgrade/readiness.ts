/**
 * `dcertd q upgrade readiness [PLAN]` and `dcertd q upgrade builds` (the readiness work, i14-ve).
 * STUB: this file belongs to the readiness work, which overwrites it. src/cli/upgrade/query.ts
 * appends these leaves to the `q upgrade` group; each leaf's path starts with "upgrade"
 * (e.g. `["upgrade", "readiness"]`). The shared query-leaf helper is `upgradeQueryLeaf` in
 * ./common.ts.
 */
import type { Leaf } from "../cmdtree";

export const readinessQueryCommands: Leaf[] = [];
