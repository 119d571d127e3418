/**
 * The table of `npm run bench -- peer`: one row per chain run, the medians per chain, and the
 * ratios dcert/simd (of the medians, and the median of the paired ratios: run n of one chain
 * against run n of the other, adjacent in time, so that slow drifts of the machine cancel out).
 * When the devnet ran both loads (`BENCH_MSG=vote,send`), the series are its votes and its sends
 * instead, and the ratios votes/sends.
 */
import type { LoadResult } from "./load";

export type PeerChain = "dcert" | "simd";
export type PeerMsg = "send" | "vote";

export interface PeerRun {
  readonly chain: PeerChain;
  readonly msg: PeerMsg;
  readonly run: number;
  /** The 1-minute load average when the run started. */
  readonly load1: number;
  readonly result: LoadResult;
}

type Row = Record<string, string | number>;

/** The figures compared across chains: name, getter, and whether lower is better. */
const MEASURES: readonly (readonly [string, (r: LoadResult) => number, boolean])[] = [
  ["tx/s", (r) => r.committedTps, false],
  ["p50 ms", (r) => r.latencyP50Ms, true],
  ["p99 ms", (r) => r.latencyP99Ms, true],
  ["block ms p50", (r) => r.blockIntervalP50Ms, true],
  ["block ms mean", (r) => r.blockIntervalMeanMs, true],
  ["CPU s/1k tx", (r) => r.cpuSecondsPer1kTx["total"] ?? NaN, true],
];

export function median(xs: readonly number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round = (x: number, digits: number): number | string => (Number.isFinite(x) ? Number(x.toFixed(digits)) : "-");

/** One table row per run; `series` names it in the chain column. */
export function runRow(p: PeerRun, series: string = p.chain): Row {
  const r = p.result;
  const cpu = r.cpuSecondsPer1kTx;
  return {
    run: String(p.run),
    chain: series,
    committed: `${r.committedOk}/${r.txs}`,
    "tx/s": round(r.committedTps, 0),
    "p50 ms": round(r.latencyP50Ms, 0),
    "p99 ms": round(r.latencyP99Ms, 0),
    "block ms p50": round(r.blockIntervalP50Ms, 0),
    "block ms mean": round(r.blockIntervalMeanMs, 0),
    "max tx/block": r.maxTxsPerBlock,
    "CPU s/1k tx": round(cpu["total"] ?? NaN, 3),
    "app": p.chain === "simd" ? "(in simd)" : round(cpu["app"] ?? NaN, 3),
    "CometBFT": p.chain === "simd" ? "(in simd)" : round(cpu["cometbft"] ?? NaN, 3),
    "client CPU s": round(r.clientCpuSeconds, 1),
    "load1": round(p.load1, 2),
    "other CPU %": round(100 * r.otherCpuShare, 1),
    "busy %": round(100 * r.machineBusyShare, 0),
  };
}

export interface PeerSummary {
  readonly rows: Row[];
  /** What the ratios divide: "dcert/simd", or "votes/sends" when the devnet ran both loads. */
  readonly label: string;
  /** Per measure: ratio of the medians and median of the paired ratios (as `label` says). */
  readonly ratios: Record<string, { readonly ofMedians: number; readonly medianOfPairs: number; readonly lowerIsBetter: boolean }>;
}

/** The series the runs are grouped into, numerator then denominator, and the ratio's label. */
function seriesPlan(runs: readonly PeerRun[]): { readonly seriesOf: (p: PeerRun) => string; readonly num: string; readonly den: string; readonly label: string } {
  const byMsg = new Set(runs.map((r) => r.msg)).size > 1;
  if (byMsg) return { seriesOf: (p) => `${p.chain} ${p.msg}`, num: "dcert vote", den: "dcert send", label: "votes/sends" };
  return { seriesOf: (p) => p.chain, num: "dcert", den: "simd", label: "dcert/simd" };
}

/** Run rows, a median row per series, and a ratio row (dcert / simd, or votes / sends) for the compared figures. */
export function summarize(runs: readonly PeerRun[]): PeerSummary {
  const { seriesOf, num, den, label } = seriesPlan(runs);
  const rows = runs.map((p) => runRow(p, seriesOf(p)));
  const of = (series: string): PeerRun[] => runs.filter((r) => seriesOf(r) === series);
  const medians = new Map<string, Map<string, number>>();
  for (const series of [num, den]) {
    const rs = of(series);
    if (rs.length === 0) continue;
    const m = new Map<string, number>();
    const row: Row = { run: "median", chain: series };
    for (const [name, get] of MEASURES) {
      const v = median(rs.map((r) => get(r.result)));
      m.set(name, v);
      row[name] = round(v, name === "CPU s/1k tx" ? 3 : 0);
    }
    if (rs[0]!.chain === "dcert") {
      row["app"] = round(median(rs.map((r) => r.result.cpuSecondsPer1kTx["app"] ?? NaN)), 3);
      row["CometBFT"] = round(median(rs.map((r) => r.result.cpuSecondsPer1kTx["cometbft"] ?? NaN)), 3);
    }
    medians.set(series, m);
    rows.push(row);
  }
  const ratios: Record<string, { ofMedians: number; medianOfPairs: number; lowerIsBetter: boolean }> = {};
  const d = medians.get(num);
  const s = medians.get(den);
  if (d !== undefined && s !== undefined) {
    const row: Row = { run: "ratio", chain: label };
    for (const [name, get, lowerIsBetter] of MEASURES) {
      const pairs: number[] = [];
      for (const p of of(num)) {
        const q = of(den).find((x) => x.run === p.run);
        if (q !== undefined) pairs.push(get(p.result) / get(q.result));
      }
      const ofMedians = (d.get(name) ?? NaN) / (s.get(name) ?? NaN);
      ratios[name] = { ofMedians, medianOfPairs: median(pairs), lowerIsBetter };
      row[name] = round(ofMedians, 2);
    }
    rows.push(row);
  }
  return { rows, label, ratios };
}

/** Lines under the table: what went wrong in a run, and the ratios in words. */
export function notes(runs: readonly PeerRun[], summary: PeerSummary): string[] {
  const lines: string[] = [];
  const { seriesOf } = seriesPlan(runs);
  for (const p of runs) {
    const r = p.result;
    if (r.rejectedAtBroadcast > 0 || r.failedInBlock > 0 || r.committedOk < r.txs) {
      lines.push(
        `note: ${seriesOf(p)} #${p.run}: ${r.rejectedAtBroadcast} rejected at broadcast, ${r.failedInBlock} failed in a block, ` +
          `${r.txs - r.committed} never committed ${r.firstFailure || r.firstRejection}`,
      );
    }
    if (r.otherTxs > 0) lines.push(`note: ${seriesOf(p)} #${p.run}: ${r.otherTxs} txs the load did not send were in the blocks (not counted)`);
    if (r.otherCpuShare > 0.05) lines.push(`note: ${seriesOf(p)} #${p.run}: other processes used ${(100 * r.otherCpuShare).toFixed(0)}% of the machine during the window`);
  }
  const better = summary.label === "votes/sends" ? "votes" : "dcert";
  for (const [name, q] of Object.entries(summary.ratios)) {
    lines.push(
      `${summary.label} ${name}: ${q.ofMedians.toFixed(2)} (medians), ${q.medianOfPairs.toFixed(2)} (median of paired runs); ${q.lowerIsBetter ? "lower" : "higher"} is better for ${better}`,
    );
  }
  return lines;
}
