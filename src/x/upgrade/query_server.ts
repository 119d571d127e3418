/**
 * The upgrade queries: the standard `/cosmos.upgrade.v1beta1.Query/{CurrentPlan, AppliedPlan,
 * ModuleVersions, Authority}` (a plan answers with its name, height and info; time is the zero
 * Timestamp) and `/dcert.upgrade.v1.Query/{Params, ScheduledPlan, PreApprovals}`. Readiness and
 * Builds are registered by the readiness code (./readiness). Every answer is read from the last
 * committed state; lists are bounded by the module's own limits (one plan, a few hundred members).
 */
import {
  QueryAppliedPlanRequest,
  QueryAppliedPlanResponse,
  QueryAuthorityRequest,
  QueryAuthorityResponse,
  QueryCurrentPlanRequest,
  QueryCurrentPlanResponse,
  QueryModuleVersionsRequest,
  QueryModuleVersionsResponse,
} from "cosmjs-types/cosmos/upgrade/v1beta1/query";
import { Plan } from "cosmjs-types/cosmos/upgrade/v1beta1/upgrade";
import { ErrInvalidRequest, ErrNotFound } from "../../baseapp/errors";
import type { Registrar } from "../../baseapp/module";
import {
  QueryParamsRequest,
  QueryParamsResponse,
  QueryPreApprovalsRequest,
  QueryPreApprovalsResponse,
  QueryScheduledPlanRequest,
  QueryScheduledPlanResponse,
} from "../../generated/dcert/upgrade/v1/query";
import type { UpgradeKeeper } from "./keeper/keeper";
import { planNameError } from "./validate";

const COSMOS = "cosmos.upgrade.v1beta1.Query";
const SERVICE = "dcert.upgrade.v1.Query";

function requireName(name: string, field: string): void {
  const why = planNameError(name);
  if (why !== undefined) throw ErrInvalidRequest.wrap(`${field}: ${why}`);
}

export function registerUpgradeQueries(reg: Registrar, k: UpgradeKeeper): void {
  reg.query({
    service: COSMOS,
    method: "CurrentPlan",
    request: QueryCurrentPlanRequest,
    response: QueryCurrentPlanResponse,
    handle(ctx) {
      const p = k.scheduledPlan(ctx);
      return p === undefined ? {} : { plan: Plan.fromPartial({ name: p.name, height: p.height, info: p.info }) };
    },
  });

  reg.query({
    service: COSMOS,
    method: "AppliedPlan",
    request: QueryAppliedPlanRequest,
    response: QueryAppliedPlanResponse,
    handle(ctx, req) {
      requireName(req.name, "name");
      return { height: k.appliedHeight(ctx, req.name) ?? 0n };
    },
  });

  reg.query({
    service: COSMOS,
    method: "ModuleVersions",
    request: QueryModuleVersionsRequest,
    response: QueryModuleVersionsResponse,
    handle(ctx, req) {
      if (req.moduleName === "") return { moduleVersions: k.moduleVersions(ctx) };
      const v = k.moduleVersion(ctx, req.moduleName);
      if (v === undefined) throw ErrNotFound.wrap(`no module named ${JSON.stringify(req.moduleName.slice(0, 64))} in the version map`);
      return { moduleVersions: [{ name: req.moduleName, version: v }] };
    },
  });

  reg.query({
    service: COSMOS,
    method: "Authority",
    request: QueryAuthorityRequest,
    response: QueryAuthorityResponse,
    handle: () => ({ address: k.authority }),
  });

  reg.query({
    service: SERVICE,
    method: "Params",
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle: (ctx) => ({ params: k.params(ctx) }),
  });

  reg.query({
    service: SERVICE,
    method: "ScheduledPlan",
    request: QueryScheduledPlanRequest,
    response: QueryScheduledPlanResponse,
    handle(ctx) {
      const plan = k.scheduledPlan(ctx);
      return { plan };
    },
  });

  reg.query({
    service: SERVICE,
    method: "PreApprovals",
    request: QueryPreApprovalsRequest,
    response: QueryPreApprovalsResponse,
    handle(ctx, req) {
      if (req.name !== "") requireName(req.name, "name");
      const { active, needed } = k.quorum(ctx);
      return { approvals: k.preApprovals(ctx, req.name), needed, activeMembers: active, cancelledNames: k.cancelledNames(ctx) };
    },
  });
}
