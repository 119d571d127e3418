/**
 * Readiness arithmetic, pure: the votes of one height → voting power per build and the power ready
 * for a plan, and how a plan's readiness record moves (thresholds are strict, as Tendermint's +1/3
 * and +2/3: ready·3 > total and ready·3 > 2·total; the first height each is crossed is kept).
 */
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import type { BuildPower, BuildTally, PlanReadiness, ReadinessExtension } from "../../../generated/dcert/upgrade/v1/types";
import { decodeReadinessExtension } from "./extension";

/** One vote as the tally reads it (the runtime's CheckedVote). */
export interface TallyVote {
  readonly power: bigint;
  readonly blockIdFlag: number;
  /** A signature-checked, non-empty extension, or undefined. */
  readonly extension: Uint8Array | undefined;
}

export interface VoteTally {
  readonly total: bigint;
  /** Build tally (height set by the caller). */
  readonly builds: BuildTally;
  /** Power whose extension lists `planName` (0 without a plan). */
  readonly ready: bigint;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** Tallies the votes of `height`: power per build and, when `planName` is given, the power ready for it. */
export function tallyVotes(votes: readonly TallyVote[], height: bigint, planName: string | undefined): VoteTally {
  let total = 0n;
  let ready = 0n;
  const groups = new Map<string, { ext: ReadinessExtension; key: string; power: bigint; validators: number }>();
  for (const v of votes) {
    const power = v.power > 0n ? v.power : 0n;
    total += power;
    if (v.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT || v.extension === undefined || v.extension.length === 0) continue;
    const d = decodeReadinessExtension(v.extension);
    if ("error" in d) continue;
    const key = hex(v.extension);
    const g = groups.get(key) ?? { ext: d.ext, key, power: 0n, validators: 0 };
    g.power += power;
    g.validators += 1;
    groups.set(key, g);
    if (planName !== undefined && d.ext.upgradeHandlers.includes(planName)) ready += power;
  }
  const sorted = [...groups.values()].sort((a, b) => {
    if (a.power !== b.power) return a.power > b.power ? -1 : 1;
    const h = Buffer.compare(Buffer.from(a.ext.buildHash), Buffer.from(b.ext.buildHash));
    if (h !== 0) return h;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  const builds: BuildPower[] = sorted.map((g) => ({
    buildHash: g.ext.buildHash,
    appVersion: g.ext.appVersion,
    upgradeHandlers: g.ext.upgradeHandlers,
    power: g.power,
    validators: g.validators,
  }));
  const known = builds.reduce((s, b) => s + b.power, 0n);
  return { total, ready, builds: { height, totalPower: total, unknownPower: total - known, builds } };
}

/** ready > 1/3 of total, strictly. */
export function overOneThird(ready: bigint, total: bigint): boolean {
  return total > 0n && ready * 3n > total;
}

/** ready > 2/3 of total, strictly. */
export function overTwoThirds(ready: bigint, total: bigint): boolean {
  return total > 0n && ready * 3n > 2n * total;
}

export interface ReadinessStep {
  readonly record: PlanReadiness;
  /** Ready or total power differ from the previous record (or there was none). */
  readonly changed: boolean;
  /** Thresholds crossed for the first time at this height. */
  readonly crossed: readonly ("1/3" | "2/3")[];
}

/**
 * The plan's next readiness record from its previous one. A previous record of another plan height
 * (the name was scheduled again) is not continued: thresholds start over.
 */
export function stepReadiness(
  prev: PlanReadiness | undefined,
  plan: { readonly name: string; readonly height: bigint },
  height: bigint,
  ready: bigint,
  total: bigint,
): ReadinessStep {
  const same = prev !== undefined && prev.planName === plan.name && prev.planHeight === plan.height ? prev : undefined;
  const crossed: ("1/3" | "2/3")[] = [];
  let oneThird = same?.oneThirdHeight ?? 0n;
  let twoThirds = same?.twoThirdsHeight ?? 0n;
  if (oneThird === 0n && overOneThird(ready, total)) {
    oneThird = height;
    crossed.push("1/3");
  }
  if (twoThirds === 0n && overTwoThirds(ready, total)) {
    twoThirds = height;
    crossed.push("2/3");
  }
  const changed = same === undefined || same.readyPower !== ready || same.totalPower !== total;
  return {
    record: { planName: plan.name, planHeight: plan.height, height, readyPower: ready, totalPower: total, oneThirdHeight: oneThird, twoThirdsHeight: twoThirds },
    changed,
    crossed,
  };
}
