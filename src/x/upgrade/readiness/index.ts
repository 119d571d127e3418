/**
 * Readiness by voting power (ABCI 2.0 vote extensions). Each validator votes with what it runs
 * (extension.ts); the block after carries those votes (the runtime's injected tx) and FinalizeBlock
 * hands them, signature-checked, to `ReadinessKeeper.tally` after PreBlock and before BeginBlock.
 * The keeper stores the latest build tally and, while a plan is scheduled, the plan's readiness:
 * ready and total power and the first heights at which ready power crossed 1/3 and 2/3 (heights
 * are those of the tallied precommits, i.e. the block height − 1). The record of a plan is kept
 * after the plan is applied or cancelled.
 */
import type { Context } from "../../../baseapp/context";
import type { Registrar } from "../../../baseapp/module";
import { prefixEnd } from "../../../baseapp/store/prefix";
import { emitTypedEvent } from "../../../baseapp/typedevents";
import type { CheckedCommit } from "../../../baseapp/voteext";
import { EventReadiness, EventReadinessThreshold } from "../../../generated/dcert/upgrade/v1/events";
import { QueryBuildsRequest, QueryBuildsResponse, QueryReadinessRequest, QueryReadinessResponse } from "../../../generated/dcert/upgrade/v1/query";
import { BuildTally, PlanReadiness } from "../../../generated/dcert/upgrade/v1/types";
import { ErrInvalidPlan, ErrNoPlan } from "../errors";
import { appliedHeight, getScheduledPlan } from "../keeper/store";
import { keys, UPGRADE_STORE } from "../keys";
import { BUILD_HASH_BYTES, isValidPlanName, MAX_APP_VERSION_LENGTH, readinessExtensionShapeError } from "./extension";
import { stepReadiness, tallyVotes } from "./tally";

export { checkReadinessExtension, decodeReadinessExtension, isValidPlanName, readinessExtensionFor } from "./extension";
export { overOneThird, overTwoThirds, stepReadiness, tallyVotes } from "./tally";

/** Proto package of the upgrade module's typed events. */
const EVENT_PACKAGE = "dcert.upgrade.v1";

export class ReadinessKeeper {
  /** The latest tally of a plan, or undefined. */
  planReadiness(ctx: Context, name: string): PlanReadiness | undefined {
    const v = ctx.kv(UPGRADE_STORE).get(keys.readiness(name));
    return v === undefined ? undefined : PlanReadiness.decode(v);
  }

  /** The latest build tally, or undefined. */
  builds(ctx: Context): BuildTally | undefined {
    const v = ctx.kv(UPGRADE_STORE).get(keys.builds);
    return v === undefined ? undefined : BuildTally.decode(v);
  }

  /** True once the plan's ready power crossed 2/3 of the total (at some tallied height) or the plan was applied. */
  twoThirdsReady(ctx: Context, name: string): boolean {
    if (appliedHeight(ctx, name) !== undefined) return true;
    return (this.planReadiness(ctx, name)?.twoThirdsHeight ?? 0n) > 0n;
  }

  /**
   * FinalizeBlock: tallies the votes of `commit.height` (only from the request and state). Stores
   * the build tally and, if a plan is scheduled, its readiness; emits EventReadiness when the
   * plan's ready or total power changed and EventReadinessThreshold at a first crossing.
   */
  tally(ctx: Context, commit: CheckedCommit): void {
    const plan = getScheduledPlan(ctx);
    const t = tallyVotes(commit.votes, commit.height, plan?.name);
    const store = ctx.kv(UPGRADE_STORE);
    store.set(keys.builds, BuildTally.encode(t.builds).finish());
    if (plan === undefined) return;
    const step = stepReadiness(this.planReadiness(ctx, plan.name), plan, commit.height, t.ready, t.total);
    store.set(keys.readiness(plan.name), PlanReadiness.encode(step.record).finish());
    if (step.changed) {
      emitTypedEvent(ctx, EVENT_PACKAGE, "EventReadiness", EventReadiness, {
        planName: plan.name,
        height: commit.height,
        readyPower: t.ready,
        totalPower: t.total,
      });
    }
    for (const threshold of step.crossed) {
      emitTypedEvent(ctx, EVENT_PACKAGE, "EventReadinessThreshold", EventReadinessThreshold, {
        planName: plan.name,
        threshold,
        height: commit.height,
        readyPower: t.ready,
        totalPower: t.total,
      });
    }
  }

  /** Every stored plan readiness record, in name (byte) order. */
  allReadiness(ctx: Context): PlanReadiness[] {
    const out: PlanReadiness[] = [];
    for (const [, v] of ctx.kv(UPGRADE_STORE).iterate(keys.readinessAll, prefixEnd(keys.readinessAll))) out.push(PlanReadiness.decode(v));
    return out;
  }
}

/** Registers /dcert.upgrade.v1.Query/Readiness and /Builds. */
export function registerReadinessQueries(r: Registrar, k: ReadinessKeeper): void {
  r.query({
    service: "dcert.upgrade.v1.Query",
    method: "Readiness",
    request: QueryReadinessRequest,
    response: QueryReadinessResponse,
    handle: (ctx, req) => {
      let name = req.planName;
      if (name === "") {
        const plan = getScheduledPlan(ctx);
        if (plan === undefined) throw ErrNoPlan.wrap("name a plan to see its last readiness record");
        name = plan.name;
      } else if (!isValidPlanName(name)) {
        throw ErrInvalidPlan.wrap(`plan name ${JSON.stringify(name)} is not valid: 1–140 characters, [A-Za-z0-9][A-Za-z0-9._-]*`);
      }
      const readiness = k.planReadiness(ctx, name);
      return { readiness, appliedHeight: appliedHeight(ctx, name) ?? 0n };
    },
  });
  r.query({
    service: "dcert.upgrade.v1.Query",
    method: "Builds",
    request: QueryBuildsRequest,
    response: QueryBuildsResponse,
    handle: (ctx) => {
      return { tally: k.builds(ctx) };
    },
  });
}

/** The readiness part of the upgrade genesis. */
export interface ReadinessGenesis {
  readonly readiness: readonly PlanReadiness[];
  readonly builds: BuildTally | undefined;
}

/** Throws a descriptive error for an invalid readiness part of the genesis. */
export function validateReadinessGenesis(g: ReadinessGenesis): void {
  const seen = new Set<string>();
  for (const r of g.readiness) {
    const at = `upgrade genesis: readiness of ${JSON.stringify(r.planName)}`;
    if (!isValidPlanName(r.planName)) throw new Error(`${at}: not a valid plan name (1–140 characters, [A-Za-z0-9][A-Za-z0-9._-]*)`);
    if (seen.has(r.planName)) throw new Error(`${at}: listed twice`);
    seen.add(r.planName);
    if (r.planHeight <= 0n) throw new Error(`${at}: plan_height must be positive`);
    if (r.height < 0n) throw new Error(`${at}: height must not be negative`);
    if (r.totalPower < 0n || r.readyPower < 0n || r.readyPower > r.totalPower) throw new Error(`${at}: need 0 ≤ ready_power ≤ total_power`);
    if (r.oneThirdHeight < 0n || r.oneThirdHeight > r.height) throw new Error(`${at}: one_third_height must be 0 or a height ≤ height`);
    if (r.twoThirdsHeight < 0n || r.twoThirdsHeight > r.height) throw new Error(`${at}: two_thirds_height must be 0 or a height ≤ height`);
    if (r.twoThirdsHeight > 0n && (r.oneThirdHeight === 0n || r.oneThirdHeight > r.twoThirdsHeight)) {
      throw new Error(`${at}: 2/3 cannot be crossed before 1/3 (one_third_height must be set and ≤ two_thirds_height)`);
    }
  }
  const b = g.builds;
  if (b === undefined) return;
  if (b.height < 0n || b.totalPower < 0n || b.unknownPower < 0n) throw new Error("upgrade genesis: builds: height, total_power and unknown_power must not be negative");
  let sum = b.unknownPower;
  for (const p of b.builds) {
    const shape = readinessExtensionShapeError({ appVersion: p.appVersion, buildHash: p.buildHash, upgradeHandlers: p.upgradeHandlers });
    if (shape !== undefined) throw new Error(`upgrade genesis: builds: ${shape} (build_hash ${BUILD_HASH_BYTES} bytes, app_version ≤ ${MAX_APP_VERSION_LENGTH})`);
    if (p.power < 0n) throw new Error("upgrade genesis: builds: power must not be negative");
    sum += p.power;
  }
  if (sum !== b.totalPower) throw new Error(`upgrade genesis: builds: the builds' power plus unknown_power (${sum}) must equal total_power (${b.totalPower})`);
}

export function initReadinessGenesis(ctx: Context, g: ReadinessGenesis): void {
  const store = ctx.kv(UPGRADE_STORE);
  for (const r of g.readiness) store.set(keys.readiness(r.planName), PlanReadiness.encode(r).finish());
  if (g.builds !== undefined) store.set(keys.builds, BuildTally.encode(g.builds).finish());
}

export function exportReadinessGenesis(ctx: Context): ReadinessGenesis {
  const k = new ReadinessKeeper();
  return { readiness: k.allReadiness(ctx), builds: k.builds(ctx) };
}
