/**
 * The "upgrade" section of the genesis app_state (proto GenesisState in snake_case JSON, 64-bit
 * integers as strings): params, the scheduled plan, applied plans, the module version map,
 * pending pre-approvals, cancelled dCERT names and the readiness records (./readiness). Export →
 * import round-trips. An empty `module_versions` means "the versions of this binary's modules";
 * modules missing from a given map get their code version at InitGenesis.
 */
import type { Context } from "../../baseapp/context";
import { snakeKeys } from "../../baseapp/typedevents";
import { addrBytes } from "../auth/keeper";
import { GenesisState } from "../../generated/dcert/upgrade/v1/genesis";
import { AppliedPlan, ModuleVersion, type Params, PlanSource, PreApproval, ScheduledPlan } from "../../generated/dcert/upgrade/v1/types";
import type { UpgradeKeeper } from "./keeper/keeper";
import { setApplied, setScheduledPlan } from "./keeper/store";
import { keys, UPGRADE_STORE } from "./keys";
import { defaultUpgradeParams, validateUpgradeParams } from "./params";
import { exportReadinessGenesis, initReadinessGenesis, validateReadinessGenesis } from "./readiness";
import { binarySha256Error, planInfoError, planNameError } from "./validate";

const SECTIONS = ["params", "plan", "applied", "module_versions", "pre_approvals", "cancelled_names", "readiness", "builds"];

export function upgradeParamsToJson(p: Params): Record<string, unknown> {
  return {
    preapproval_enabled: p.preapprovalEnabled,
    preapproval_quorum: p.preapprovalQuorum,
    preapproval_min_delay_blocks: p.preapprovalMinDelayBlocks.toString(),
  };
}

export function defaultUpgradeGenesis(): GenesisState {
  return GenesisState.fromPartial({ params: defaultUpgradeParams() });
}

/** The genesis section as JSON (snake_case, explicit params). */
export function upgradeGenesisToJson(g: GenesisState): Record<string, unknown> {
  const json = snakeKeys(GenesisState.toJSON(g)) as Record<string, unknown>;
  return {
    params: upgradeParamsToJson(g.params ?? defaultUpgradeParams()),
    plan: json["plan"] ?? null,
    applied: json["applied"] ?? [],
    module_versions: json["module_versions"] ?? [],
    pre_approvals: json["pre_approvals"] ?? [],
    cancelled_names: json["cancelled_names"] ?? [],
    readiness: json["readiness"] ?? [],
    builds: json["builds"] ?? null,
  };
}

export function defaultUpgradeGenesisJson(): Record<string, unknown> {
  return upgradeGenesisToJson(defaultUpgradeGenesis());
}

/** Parses the section; throws a descriptive error for anything but an object of the known fields. */
export function parseUpgradeGenesis(raw: unknown): GenesisState {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error("upgrade genesis: expected a JSON object");
  for (const k of Object.keys(raw)) {
    if (!SECTIONS.includes(k)) throw new Error(`upgrade genesis: unknown field ${JSON.stringify(k)} (known: ${SECTIONS.join(", ")})`);
  }
  const o = raw as Record<string, unknown>;
  try {
    return GenesisState.fromJSON({ ...o, plan: o["plan"] ?? undefined, builds: o["builds"] ?? undefined, params: o["params"] ?? upgradeParamsToJson(defaultUpgradeParams()) });
  } catch (e) {
    throw new Error(`upgrade genesis: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`upgrade genesis: ${what}`);
}

function nameOk(name: string, where: string): void {
  const why = planNameError(name);
  if (why !== undefined) throw new Error(`upgrade genesis: ${where}: ${why}`);
}

/** Pure checks of the whole section (plan, applied, versions, approvals, names, readiness). */
export function validateUpgradeGenesis(g: GenesisState): void {
  try {
    validateUpgradeParams(g.params ?? defaultUpgradeParams());
  } catch (e) {
    throw new Error(`upgrade genesis: params: ${e instanceof Error ? e.message : String(e)}`);
  }
  const applied = new Set<string>();
  for (const a of g.applied) {
    nameOk(a.name, "applied");
    check(!applied.has(a.name), `applied plan ${a.name} is listed twice`);
    check(a.height > 0n, `applied plan ${a.name} has height ${a.height}; heights are positive`);
    applied.add(a.name);
  }
  const p = g.plan;
  if (p !== undefined) {
    nameOk(p.name, "plan");
    check(planInfoError(p.info) === undefined, `plan: ${planInfoError(p.info) ?? ""}`);
    check(p.height > 0n, `plan ${p.name} has height ${p.height}; heights are positive`);
    check(!applied.has(p.name), `plan ${p.name} is scheduled but also applied`);
    check(p.source === PlanSource.PLAN_SOURCE_GOVERNANCE || p.source === PlanSource.PLAN_SOURCE_DCERT, `plan ${p.name} has no source (governance or dCERT)`);
    if (p.source === PlanSource.PLAN_SOURCE_DCERT) check(binarySha256Error(p.binarySha256) === undefined, `plan ${p.name}: ${binarySha256Error(p.binarySha256) ?? ""}`);
    else check(p.binarySha256 === "" && p.caseId === 0n, `governance plan ${p.name} carries a binary hash or case (dCERT plans only)`);
  }
  const modules = new Set<string>();
  for (const v of g.moduleVersions) {
    check(v.name.length > 0, "module_versions: a module name is empty");
    check(!modules.has(v.name), `module_versions: ${v.name} is listed twice`);
    check(v.version >= 1n, `module_versions: ${v.name} has version ${v.version}; versions start at 1`);
    modules.add(v.name);
  }
  const approvals = new Set<string>();
  for (const a of g.preApprovals) {
    nameOk(a.name, "pre_approvals");
    try {
      addrBytes(a.member);
    } catch {
      throw new Error(`upgrade genesis: pre_approvals: member ${JSON.stringify(a.member)} is not an address`);
    }
    const k = `${a.name}\u0000${a.member}`;
    check(!approvals.has(k), `pre_approvals: ${a.member} approves ${a.name} twice`);
    approvals.add(k);
    check(binarySha256Error(a.binarySha256) === undefined, `pre_approvals: ${binarySha256Error(a.binarySha256) ?? ""}`);
    check(a.height > 0n, `pre_approvals: ${a.member}'s approval of ${a.name} has height ${a.height}`);
  }
  const cancelled = new Set<string>();
  for (const n of g.cancelledNames) {
    nameOk(n, "cancelled_names");
    check(!cancelled.has(n), `cancelled_names: ${n} is listed twice`);
    cancelled.add(n);
  }
  validateReadinessGenesis({ readiness: g.readiness, builds: g.builds });
}

export function initUpgradeGenesis(ctx: Context, k: UpgradeKeeper, g: GenesisState): void {
  k.setParams(ctx, g.params ?? defaultUpgradeParams());
  if (g.plan !== undefined) {
    if (g.plan.height < ctx.block.height) {
      throw new Error(`upgrade genesis: plan ${g.plan.name} at height ${g.plan.height} is before the initial height ${ctx.block.height}`);
    }
    setScheduledPlan(ctx, g.plan);
  }
  for (const a of g.applied) setApplied(ctx, a.name, a.height);
  for (const v of g.moduleVersions) k.setModuleVersion(ctx, v.name, v.version);
  k.recordCodeVersions(ctx);
  const kv = ctx.kv(UPGRADE_STORE);
  for (const a of g.preApprovals) kv.set(keys.preApproval(a.name, addrBytes(a.member)), PreApproval.encode(a).finish());
  for (const n of g.cancelledNames) k.setCancelledName(ctx, n);
  initReadinessGenesis(ctx, { readiness: g.readiness, builds: g.builds });
}

export function exportUpgradeGenesis(ctx: Context, k: UpgradeKeeper): GenesisState {
  const r = exportReadinessGenesis(ctx);
  return GenesisState.fromPartial({
    params: k.params(ctx),
    ...(k.scheduledPlan(ctx) === undefined ? {} : { plan: ScheduledPlan.fromPartial(k.scheduledPlan(ctx) ?? {}) }),
    applied: k.appliedPlans(ctx).map((a) => AppliedPlan.fromPartial(a)),
    moduleVersions: k.moduleVersions(ctx).map((v) => ModuleVersion.fromPartial(v)),
    preApprovals: k.preApprovals(ctx),
    cancelledNames: k.cancelledNames(ctx),
    readiness: [...r.readiness],
    ...(r.builds === undefined ? {} : { builds: r.builds }),
  });
}
