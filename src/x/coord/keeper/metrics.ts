/**
 * Running totals per escalation level (0x05 | level → LevelMetrics). A sealed-level case is
 * counted under level 2 (its timeline) until its level is revealed, then under the revealed level
 * from the disclosure on; level 0 of the Metrics query is the sum (query_server.ts).
 */
import type { Context } from "../../../baseapp/context";
import type { Case } from "../../../generated/coord/v1/types";
import type { CoordKeeper } from "./keeper";

export type MetricsDelta = Partial<{
  opened: bigint;
  disclosed: bigint;
  withdrawn: bigint;
  overdue: bigint;
  acknowledgements: bigint;
  ackSecondsTotal: bigint;
  revealSecondsTotal: bigint;
  slippageSecondsTotal: bigint;
  missedParties: bigint;
}>;

/** The level a case's metrics are counted under. */
export function metricsLevel(c: Case): number {
  return c.level === 0 ? 2 : c.level;
}

export function addMetrics(ctx: Context, k: CoordKeeper, level: number, d: MetricsDelta): void {
  const m = k.metrics(ctx, level);
  k.setMetrics(ctx, {
    ...m,
    level,
    opened: m.opened + (d.opened ?? 0n),
    disclosed: m.disclosed + (d.disclosed ?? 0n),
    withdrawn: m.withdrawn + (d.withdrawn ?? 0n),
    overdue: m.overdue + (d.overdue ?? 0n),
    acknowledgements: m.acknowledgements + (d.acknowledgements ?? 0n),
    ackSecondsTotal: m.ackSecondsTotal + (d.ackSecondsTotal ?? 0n),
    revealSecondsTotal: m.revealSecondsTotal + (d.revealSecondsTotal ?? 0n),
    slippageSecondsTotal: m.slippageSecondsTotal + (d.slippageSecondsTotal ?? 0n),
    missedParties: m.missedParties + (d.missedParties ?? 0n),
  });
}
