/** Figures of one chain run of the peer bench, for tests of its tables (no chain runs). */
import type { LoadResult } from "../../bench/peer/load";
import type { PeerRun } from "../../bench/peer/summary";

/** A run's result with the given tx/s, p50 latency and CPU per 1,000 txs; `more` overrides the rest. */
export function loadResult(tps: number, p50: number, cpu: Record<string, number>, more: Partial<LoadResult> = {}): LoadResult {
  return {
    warmupTxs: 0, txs: 100, meanTxBytes: 315, rejectedAtBroadcast: 0, firstRejection: "", committed: 100, committedOk: 100, failedInBlock: 0, firstFailure: "", otherTxs: 0,
    seconds: 1, committedTps: tps, latencyP50Ms: p50, latencyP99Ms: 2 * p50, loadBlocks: 3, loadHeights: [10, 12], blockIntervalP50Ms: 500, blockIntervalMeanMs: 520, blockIntervalMaxMs: 600,
    maxTxsPerBlock: 50, gasUsedPerTx: 60_000, eventsPerTx: 8, cpuSeconds: {}, cpuSecondsPer1kTx: cpu, clientCpuSeconds: 0.1, otherCpuShare: 0, machineBusyShare: 0.874,
    ...more,
  };
}

/** A run of `chain` with load `msg`, number `run`. */
export function peerRun(chain: PeerRun["chain"], msg: PeerRun["msg"], run: number, result: LoadResult): PeerRun {
  return { chain, msg, run, load1: 0.5, result };
}
