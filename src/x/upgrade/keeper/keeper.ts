/**
 * The upgrade keeper: params, the scheduled plan (at most one), applied plans, the module version
 * map, dCERT pre-approvals and the names governance cancelled as dCERT plans (layout in ../keys.ts).
 *
 * - Governance schedules (MsgSoftwareUpgrade: a new plan replaces the current one, whoever
 *   scheduled it) and cancels (MsgCancelUpgrade; cancelling a dCERT plan records its name so the
 *   dCERT can never pre-approve it again).
 * - Active dCERT members pre-approve a plan by name, height, info and binary hash; when the
 *   matching approvals of still-active, non-suspended members reach ceil(quorum × active members),
 *   the plan is scheduled with source DCERT, validated exactly as governance's. The dCERT never
 *   replaces a scheduled plan.
 * - PreBlock at the plan's height: the build's handler runs, then every module's migrations, the
 *   plan is recorded as applied and removed; a build without the handler throws
 *   UpgradeNeededError (nothing of the block is committed; the node halts).
 */
import type { Plan } from "cosmjs-types/cosmos/upgrade/v1beta1/upgrade";
import type { Context } from "../../../baseapp/context";
import { fromUtf8, readU64be, u64be } from "../../../baseapp/encoding";
import type { AppModule } from "../../../baseapp/module";
import { prefixEnd } from "../../../baseapp/store/prefix";
import { addrBytes } from "../../auth/keeper";
import { type AppliedPlan, type ModuleVersion, Params, PlanSource, PreApproval, ScheduledPlan } from "../../../generated/dcert/upgrade/v1/types";
import type { MsgPreApproveUpgrade, MsgPreApproveUpgradeResponse } from "../../../generated/dcert/upgrade/v1/tx";
import {
  ErrAlreadyApproved,
  ErrCancelledName,
  ErrCaseNotFound,
  ErrDuplicateName,
  ErrGroupFrozen,
  ErrNoPlan,
  ErrNoPreApproval,
  ErrNotMember,
  ErrPastHeight,
  ErrPlanConflict,
  ErrPreApprovalDisabled,
  ErrSuspended,
  ErrTooSoon,
  ErrUnauthorized,
} from "../errors";
import { emitUpgrade } from "../events";
import type { CoordForUpgrade, DcertForUpgrade, PlanHandler } from "../expected";
import { type PlanInfo, UpgradeNeededError } from "../halt";
import { keys, UPGRADE_STORE } from "../keys";
import { defaultUpgradeParams, neededApprovals, parseQuorum, validateUpgradeParams } from "../params";
import { appliedHeight, deleteScheduledPlan, getScheduledPlan, setApplied, setScheduledPlan } from "./store";

export interface UpgradeKeeperDeps {
  /** The gov module account: the authority of MsgSoftwareUpgrade, MsgCancelUpgrade and MsgUpdateParams. */
  readonly authority: string;
  readonly dcert: DcertForUpgrade;
  /** The coordination module (case_id of a pre-approval); without it a non-zero case_id is refused. */
  readonly coord?: CoordForUpgrade;
  /** The upgrade handlers this build carries (src/app/upgrades/, bound to the app's keepers). */
  readonly handlers: readonly PlanHandler[];
}

/** A module's code version (AppModule.consensusVersion, default 1). */
export function consensusVersionOf(m: AppModule): number {
  return m.consensusVersion ?? 1;
}

export class UpgradeKeeper {
  readonly authority: string;
  private readonly handlers: ReadonlyMap<string, PlanHandler>;
  private modulesOf: (() => readonly AppModule[]) | undefined;

  constructor(private readonly deps: UpgradeKeeperDeps) {
    this.authority = deps.authority;
    const m = new Map<string, PlanHandler>();
    for (const h of deps.handlers) {
      if (m.has(h.name)) throw new Error(`two upgrade handlers are named ${h.name}`);
      m.set(h.name, h);
    }
    this.handlers = m;
  }

  /** The app's modules in order (for the version map and migrations); set once when the app is built. */
  setModules(modules: () => readonly AppModule[]): void {
    if (this.modulesOf !== undefined) throw new Error("the upgrade keeper already knows the app's modules");
    this.modulesOf = modules;
  }

  modules(): readonly AppModule[] {
    if (this.modulesOf === undefined) throw new Error("the upgrade keeper was not given the app's modules (UpgradeKeeper.setModules)");
    return this.modulesOf();
  }

  /** Names of the handlers this build carries, sorted. */
  handlerNames(): string[] {
    return [...this.handlers.keys()].sort();
  }

  hasHandler(name: string): boolean {
    return this.handlers.has(name);
  }

  requireAuthority(authority: string, what: string): void {
    if (authority !== this.authority) {
      throw ErrUnauthorized.wrap(`${what} is governance-only: its authority must be the gov module account ${this.authority}, got ${authority}; submit it inside a governance proposal`);
    }
  }

  // ================================================================== params

  params(ctx: Context): Params {
    const v = ctx.kv(UPGRADE_STORE).get(keys.params);
    return v === undefined ? defaultUpgradeParams() : Params.decode(v);
  }

  setParams(ctx: Context, p: Params): void {
    ctx.kv(UPGRADE_STORE).set(keys.params, Params.encode(p).finish());
  }

  updateParams(ctx: Context, authority: string, p: Params): void {
    this.requireAuthority(authority, "MsgUpdateParams");
    validateUpgradeParams(p);
    this.setParams(ctx, p);
    emitUpgrade(ctx, "EventParamsUpdated", { params: p });
  }

  // ================================================================== plans

  scheduledPlan(ctx: Context): ScheduledPlan | undefined {
    return getScheduledPlan(ctx);
  }

  appliedHeight(ctx: Context, name: string): bigint | undefined {
    return appliedHeight(ctx, name);
  }

  /** Applied plans in name order. */
  appliedPlans(ctx: Context): AppliedPlan[] {
    const out: AppliedPlan[] = [];
    for (const [k, v] of this.scan(ctx, keys.appliedAll)) out.push({ name: fromUtf8(k.subarray(keys.appliedAll.length)), height: readU64be(v) });
    return out;
  }

  isCancelledName(ctx: Context, name: string): boolean {
    return ctx.kv(UPGRADE_STORE).has(keys.cancelled(name));
  }

  setCancelledName(ctx: Context, name: string): void {
    ctx.kv(UPGRADE_STORE).set(keys.cancelled(name), new Uint8Array());
  }

  /** Names governance cancelled as dCERT plans, in name order. */
  cancelledNames(ctx: Context): string[] {
    return [...this.scan(ctx, keys.cancelledAll)].map(([k]) => fromUtf8(k.subarray(keys.cancelledAll.length)));
  }

  /** The stateful checks every plan passes, whoever schedules it: a future height and a name never applied. */
  private checkSchedulable(ctx: Context, name: string, height: bigint): void {
    if (height <= ctx.block.height) {
      throw ErrPastHeight.wrap(`the plan height ${height} is not after the current height ${ctx.block.height}; choose a later height`);
    }
    const applied = appliedHeight(ctx, name);
    if (applied !== undefined) throw ErrDuplicateName.wrap(`a plan named ${JSON.stringify(name)} was applied at height ${applied}; choose a new name`);
  }

  /** Stores `plan` as the scheduled plan (replacing any other, which is reported as cancelled). */
  private schedule(ctx: Context, plan: ScheduledPlan): void {
    const old = getScheduledPlan(ctx);
    if (old !== undefined) emitUpgrade(ctx, "EventUpgradeCancelled", { name: old.name, height: old.height, source: old.source });
    setScheduledPlan(ctx, plan);
    emitUpgrade(ctx, "EventUpgradeScheduled", {
      name: plan.name,
      height: plan.height,
      info: plan.info,
      source: plan.source,
      binarySha256: plan.binarySha256,
      caseId: plan.caseId,
    });
  }

  /** MsgSoftwareUpgrade (plan already validated statelessly). */
  scheduleByGovernance(ctx: Context, authority: string, plan: Plan): void {
    this.requireAuthority(authority, "MsgSoftwareUpgrade");
    this.checkSchedulable(ctx, plan.name, plan.height);
    this.schedule(
      ctx,
      ScheduledPlan.fromPartial({ name: plan.name, height: plan.height, info: plan.info, source: PlanSource.PLAN_SOURCE_GOVERNANCE, scheduledAt: ctx.block.height }),
    );
  }

  /** MsgCancelUpgrade. A dCERT plan's name goes to `cancelled`; its pre-approvals are deleted. */
  cancelByGovernance(ctx: Context, authority: string): void {
    this.requireAuthority(authority, "MsgCancelUpgrade");
    const plan = getScheduledPlan(ctx);
    if (plan === undefined) throw ErrNoPlan.wrap("there is no scheduled upgrade plan to cancel");
    deleteScheduledPlan(ctx);
    if (plan.source === PlanSource.PLAN_SOURCE_DCERT) {
      this.setCancelledName(ctx, plan.name);
      this.deletePreApprovalsOf(ctx, plan.name);
    }
    emitUpgrade(ctx, "EventUpgradeCancelled", { name: plan.name, height: plan.height, source: plan.source });
  }

  // ================================================================== pre-approvals

  preApproval(ctx: Context, name: string, member: string): PreApproval | undefined {
    const v = ctx.kv(UPGRADE_STORE).get(keys.preApproval(name, addrBytes(member)));
    return v === undefined ? undefined : PreApproval.decode(v);
  }

  /** Pre-approvals of one name (store order: by member address bytes), or of every name (""). */
  preApprovals(ctx: Context, name = ""): PreApproval[] {
    const prefix = name === "" ? keys.preApprovalAll : keys.preApprovalsOf(name);
    return [...this.scan(ctx, prefix)].map(([, v]) => PreApproval.decode(v));
  }

  private deletePreApprovalsOf(ctx: Context, name: string): void {
    const kv = ctx.kv(UPGRADE_STORE);
    const ks = [...this.scan(ctx, keys.preApprovalsOf(name))].map(([k]) => k);
    for (const k of ks) kv.delete(k);
  }

  /** The active members now and the approvals the quorum needs among them. */
  quorum(ctx: Context): { active: number; needed: number } {
    const active = this.deps.dcert.activeMemberCount(ctx);
    return { active, needed: neededApprovals(parseQuorum(this.params(ctx).preapprovalQuorum), active) };
  }

  /** Approvals of `name` for exactly (height, info, binary hash) whose member is still active and not suspended. */
  matchingApprovals(ctx: Context, a: { name: string; height: bigint; info: string; binarySha256: string }): number {
    let n = 0;
    for (const p of this.preApprovals(ctx, a.name)) {
      if (p.height !== a.height || p.info !== a.info || p.binarySha256 !== a.binarySha256) continue;
      if (!this.deps.dcert.isActiveMember(ctx, p.member) || this.deps.dcert.isSuspended(ctx, p.member)) continue;
      n++;
    }
    return n;
  }

  /** MsgPreApproveUpgrade (stateless checks done): the refusals in docs/upgrades.md, in that order. */
  preApprove(ctx: Context, m: MsgPreApproveUpgrade): MsgPreApproveUpgradeResponse {
    const params = this.params(ctx);
    const d = this.deps.dcert;
    if (!params.preapprovalEnabled) throw ErrPreApprovalDisabled.wrap("governance has not enabled dCERT pre-approval (upgrade param preapproval_enabled)");
    if (d.isDisbanded(ctx)) throw ErrGroupFrozen.wrap("the dCERT group is disbanded: it cannot pre-approve upgrades");
    if (d.disbandPending(ctx)) throw ErrGroupFrozen.wrap("a disband proposal is pending: the group's powers are frozen until it is decided");
    if (d.isSuspended(ctx, m.member)) throw ErrSuspended.wrap(`${m.member} is suspended: a suspended member cannot pre-approve upgrades`);
    if (!d.isActiveMember(ctx, m.member)) throw ErrNotMember.wrap(`${m.member} is not an active dCERT member; only active members pre-approve upgrades`);
    const current = getScheduledPlan(ctx);
    if (current !== undefined) {
      throw ErrPlanConflict.wrap(`plan ${JSON.stringify(current.name)} is scheduled at height ${current.height}; the dCERT never replaces a scheduled plan (governance may cancel it)`);
    }
    if (this.isCancelledName(ctx, m.name)) throw ErrCancelledName.wrap(`governance cancelled a dCERT plan named ${JSON.stringify(m.name)}; the dCERT may not approve that name again`);
    const applied = appliedHeight(ctx, m.name);
    if (applied !== undefined) throw ErrDuplicateName.wrap(`a plan named ${JSON.stringify(m.name)} was applied at height ${applied}; choose a new name`);
    const earliest = ctx.block.height + params.preapprovalMinDelayBlocks;
    if (m.height <= earliest) {
      throw ErrTooSoon.wrap(`the plan height ${m.height} must be after ${earliest} (current height ${ctx.block.height} + preapproval_min_delay_blocks ${params.preapprovalMinDelayBlocks}), so that governance can cancel it`);
    }
    if (m.caseId !== 0n && this.deps.coord?.caseExists(ctx, m.caseId) !== true) throw ErrCaseNotFound.wrap(`coordination case ${m.caseId} does not exist`);
    if (this.preApproval(ctx, m.name, m.member) !== undefined) {
      throw ErrAlreadyApproved.wrap(`${m.member} already pre-approved ${JSON.stringify(m.name)}; withdraw it first (MsgWithdrawPreApproval) to approve different terms`);
    }
    const approval = PreApproval.fromPartial({ member: m.member, name: m.name, height: m.height, info: m.info, binarySha256: m.binarySha256, caseId: m.caseId, approvedAt: ctx.block.height });
    ctx.kv(UPGRADE_STORE).set(keys.preApproval(m.name, addrBytes(m.member)), PreApproval.encode(approval).finish());
    const approvals = this.matchingApprovals(ctx, m);
    const { needed } = this.quorum(ctx);
    emitUpgrade(ctx, "EventPreApproved", { member: m.member, name: m.name, height: m.height, binarySha256: m.binarySha256, caseId: m.caseId, approvals, needed });
    if (approvals < needed) return { approvals, needed, scheduled: false };
    this.checkSchedulable(ctx, m.name, m.height);
    this.schedule(
      ctx,
      ScheduledPlan.fromPartial({
        name: m.name,
        height: m.height,
        info: m.info,
        source: PlanSource.PLAN_SOURCE_DCERT,
        binarySha256: m.binarySha256,
        caseId: m.caseId,
        scheduledAt: ctx.block.height,
      }),
    );
    return { approvals, needed, scheduled: true };
  }

  /** MsgWithdrawPreApproval. */
  withdrawPreApproval(ctx: Context, member: string, name: string): void {
    const key = keys.preApproval(name, addrBytes(member));
    const kv = ctx.kv(UPGRADE_STORE);
    if (!kv.has(key)) throw ErrNoPreApproval.wrap(`${member} has no pending pre-approval of ${JSON.stringify(name)}`);
    kv.delete(key);
    emitUpgrade(ctx, "EventPreApprovalWithdrawn", { member, name });
  }

  // ================================================================== module versions

  moduleVersion(ctx: Context, module: string): bigint | undefined {
    const v = ctx.kv(UPGRADE_STORE).get(keys.moduleVersion(module));
    return v === undefined ? undefined : readU64be(v);
  }

  setModuleVersion(ctx: Context, module: string, version: bigint): void {
    ctx.kv(UPGRADE_STORE).set(keys.moduleVersion(module), u64be(version));
  }

  /** The stored version map, in module-name order. */
  moduleVersions(ctx: Context): ModuleVersion[] {
    const out: ModuleVersion[] = [];
    for (const [k, v] of this.scan(ctx, keys.moduleVersionAll)) out.push({ name: fromUtf8(k.subarray(keys.moduleVersionAll.length)), version: readU64be(v) });
    return out;
  }

  /** Records the code version of every module of the app that has none stored (InitGenesis). */
  recordCodeVersions(ctx: Context): void {
    for (const m of this.modules()) {
      if (this.moduleVersion(ctx, m.name) === undefined) this.setModuleVersion(ctx, m.name, BigInt(consensusVersionOf(m)));
    }
  }

  /**
   * Brings every module to its code version, in module order: a stored version below it runs the
   * module's migrations from → from+1 up to the code version; a module with no stored version is new
   * in this build and gets its default genesis. A stored version above the code version, or a
   * missing migration step, is a build that cannot run this state: it throws (every node alike).
   */
  runMigrations(ctx: Context): void {
    for (const m of this.modules()) {
      const code = BigInt(consensusVersionOf(m));
      const stored = this.moduleVersion(ctx, m.name);
      if (stored === undefined) {
        m.initGenesis(ctx, m.defaultGenesis());
      } else if (stored > code) {
        throw new Error(`module ${m.name} is at consensus version ${stored} in state but this build has version ${code}: it is older than the chain`);
      } else {
        for (let v = stored; v < code; v++) {
          const step = m.migrations?.[Number(v)];
          if (step === undefined) throw new Error(`module ${m.name} has no migration from consensus version ${v} to ${v + 1n}`);
          step(ctx);
        }
      }
      this.setModuleVersion(ctx, m.name, code);
    }
  }

  // ================================================================== PreBlock

  /**
   * PreBlock: applies the plan due at this height, or throws UpgradeNeededError when this build has
   * no handler for it. A plan whose height has passed (a genesis that carried one) is due at once.
   */
  preBlock(ctx: Context): void {
    const plan = getScheduledPlan(ctx);
    if (plan === undefined || plan.height > ctx.block.height) return;
    const info: PlanInfo = { name: plan.name, height: plan.height, info: plan.info };
    const handler = this.handlers.get(plan.name);
    if (handler === undefined) throw new UpgradeNeededError(info);
    const fromVersions = this.moduleVersions(ctx);
    handler.apply(ctx, info);
    this.runMigrations(ctx);
    setApplied(ctx, plan.name, ctx.block.height);
    deleteScheduledPlan(ctx);
    this.deletePreApprovalsOf(ctx, plan.name);
    emitUpgrade(ctx, "EventUpgradeApplied", { name: plan.name, height: ctx.block.height, fromVersions, toVersions: this.moduleVersions(ctx) });
  }

  // ================================================================== helpers

  private *scan(ctx: Context, prefix: Uint8Array): IterableIterator<[Uint8Array, Uint8Array]> {
    yield* ctx.kv(UPGRADE_STORE).iterate(prefix, prefixEnd(prefix));
  }
}
