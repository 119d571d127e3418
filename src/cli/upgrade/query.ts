/**
 * `dcertd q upgrade …`: plan (the scheduled plan with its source), applied NAME, module-versions
 * [MODULE], params, pre-approvals [NAME]; and the readiness commands of ./readiness.ts (readiness,
 * builds). Output is protobuf JSON with snake_case keys (64-bit integers as strings).
 */
import { QueryModuleVersionsResponse } from "cosmjs-types/cosmos/upgrade/v1beta1/query";
import { QueryParamsResponse, QueryPreApprovalsResponse, QueryScheduledPlanResponse } from "../../generated/dcert/upgrade/v1/query";
import type { Leaf } from "../cmdtree";
import { planNameArg, upgradeQueryLeaf } from "./common";
import { readinessQueryCommands } from "./readiness";

/** The leaves of `q upgrade` (plans, versions, params, pre-approvals), without the readiness ones. */
export function upgradePlanQueryLeaves(): Leaf[] {
  return [
    upgradeQueryLeaf(["plan"], "the scheduled upgrade plan: name, height, info, source (governance or dCERT), binary hash, case", [], [], async (c) => {
      const r = await c.upgrade.scheduledPlan();
      return QueryScheduledPlanResponse.toJSON(r);
    }),
    upgradeQueryLeaf(["applied"], "the height at which a plan was applied (0: never)", ["<name>"], [], async (c, _args, [name]) => {
      const r = await c.upgrade.appliedPlan(planNameArg(name));
      return { name, height: r.height.toString() };
    }),
    upgradeQueryLeaf(["module-versions"], "the module consensus versions recorded in state, or one module's", ["[module]"], [], async (c, _args, [module]) =>
      QueryModuleVersionsResponse.toJSON(await c.upgrade.moduleVersions(module ?? "")),
    ),
    upgradeQueryLeaf(["params"], "the upgrade parameters (dCERT pre-approval on/off, quorum, minimum delay)", [], [], async (c) => QueryParamsResponse.toJSON(await c.upgrade.params())),
    upgradeQueryLeaf(
      ["pre-approvals"],
      "pending dCERT pre-approvals (of one plan name), approvals needed, cancelled names",
      ["[name]"],
      [],
      async (c, _args, [name]) => QueryPreApprovalsResponse.toJSON(await c.upgrade.preApprovals(name === undefined ? "" : planNameArg(name, "[name]"))),
    ),
  ];
}

/**
 * Every `q upgrade` leaf: the plan leaves above, then the readiness leaves (readiness, builds)
 * that src/cli/upgrade/readiness.ts exports as `readinessQueryCommands`.
 */
export function upgradeQueryLeaves(): Leaf[] {
  return [...upgradePlanQueryLeaves(), ...readinessQueryCommands];
}
