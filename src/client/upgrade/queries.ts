/**
 * The upgrade query extension for CosmJS's `QueryClient`:
 *
 *   const q = QueryClient.withExtensions(cometClient, setupUpgradeExtension);
 *   const { plan } = await q.upgrade.currentPlan();
 *
 * The standard `/cosmos.upgrade.v1beta1.Query` (current plan, applied plan, module versions,
 * authority) and `/dcert.upgrade.v1.Query` (params, the scheduled plan with its source,
 * pre-approvals, readiness per plan, builds).
 */
import { createProtobufRpcClient, type QueryClient } from "@cosmjs/stargate";
import {
  QueryClientImpl as CosmosUpgradeQuery,
  type QueryAppliedPlanResponse,
  type QueryAuthorityResponse,
  type QueryCurrentPlanResponse,
  type QueryModuleVersionsResponse,
} from "cosmjs-types/cosmos/upgrade/v1beta1/query";
import {
  QueryClientImpl,
  type QueryBuildsResponse,
  type QueryParamsResponse,
  type QueryPreApprovalsResponse,
  type QueryReadinessResponse,
  type QueryScheduledPlanResponse,
} from "../../generated/dcert/upgrade/v1/query";

export interface UpgradeExtension {
  readonly upgrade: {
    /** The scheduled plan (name, height, info), if any. */
    readonly currentPlan: () => Promise<QueryCurrentPlanResponse>;
    /** The height a plan was applied at (0 = never). */
    readonly appliedPlan: (name: string) => Promise<QueryAppliedPlanResponse>;
    /** The module version map, or one module's version. */
    readonly moduleVersions: (moduleName?: string) => Promise<QueryModuleVersionsResponse>;
    readonly authority: () => Promise<QueryAuthorityResponse>;
    readonly params: () => Promise<QueryParamsResponse>;
    /** The scheduled plan with its source (governance or dCERT), hash and case. */
    readonly scheduledPlan: () => Promise<QueryScheduledPlanResponse>;
    /** Pending pre-approvals of one name ("" or absent: all), the approvals needed and cancelled names. */
    readonly preApprovals: (name?: string) => Promise<QueryPreApprovalsResponse>;
    /** Readiness of a plan by voting power ("" or absent: the scheduled plan). */
    readonly readiness: (planName?: string) => Promise<QueryReadinessResponse>;
    /** The latest build tally by voting power. */
    readonly builds: () => Promise<QueryBuildsResponse>;
  };
}

export function setupUpgradeExtension(base: QueryClient): UpgradeExtension {
  const rpc = createProtobufRpcClient(base);
  const cosmos = new CosmosUpgradeQuery(rpc);
  const dcert = new QueryClientImpl(rpc);
  return {
    upgrade: {
      currentPlan: () => cosmos.CurrentPlan({}),
      appliedPlan: (name) => cosmos.AppliedPlan({ name }),
      moduleVersions: (moduleName = "") => cosmos.ModuleVersions({ moduleName }),
      authority: () => cosmos.Authority({}),
      params: () => dcert.Params({}),
      scheduledPlan: () => dcert.ScheduledPlan({}),
      preApprovals: (name = "") => dcert.PreApprovals({ name }),
      readiness: (planName = "") => dcert.Readiness({ planName }),
      builds: () => dcert.Builds({}),
    },
  };
}
