/**
 * Readiness by voting power (vote extensions). STUB: the agreed surface, filled in by the
 * readiness work; the module (module.ts, genesis.ts) imports only these names.
 */
import type { Context } from "../../../baseapp/context";
import type { Registrar } from "../../../baseapp/module";
import type { BuildTally, PlanReadiness } from "../../../generated/dcert/upgrade/v1/types";

export class ReadinessKeeper {
  /** The latest tally of a plan, or undefined. */
  planReadiness(_ctx: Context, _name: string): PlanReadiness | undefined {
    return undefined;
  }

  /** The latest build tally, or undefined. */
  builds(_ctx: Context): BuildTally | undefined {
    return undefined;
  }

  /** True once the plan's ready power crossed 2/3 of the total (at some tallied height) or the plan was applied. */
  twoThirdsReady(_ctx: Context, _name: string): boolean {
    return false;
  }
}

/** Registers /dcert.upgrade.v1.Query/Readiness and /Builds. */
export function registerReadinessQueries(_r: Registrar, _k: ReadinessKeeper): void {
  // filled in by the readiness work
}

/** The readiness part of the upgrade genesis. */
export interface ReadinessGenesis {
  readonly readiness: readonly PlanReadiness[];
  readonly builds: BuildTally | undefined;
}

/** Throws a descriptive error for an invalid readiness part of the genesis. */
export function validateReadinessGenesis(_g: ReadinessGenesis): void {
  // filled in by the readiness work
}

export function initReadinessGenesis(_ctx: Context, _g: ReadinessGenesis): void {
  // filled in by the readiness work
}

export function exportReadinessGenesis(_ctx: Context): ReadinessGenesis {
  return { readiness: [], builds: undefined };
}
