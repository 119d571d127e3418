/**
 * CPU profiles for `npm run bench -- peer` (BENCH_PROFILE): where the app's and CometBFT's CPU goes
 * under the same load the bench measures.
 *  - `app`: V8's sampling profiler on the devnet's app process (`--cpu-prof`),
 *    written when the app stops, so it covers the app's whole life (start-up and the untimed
 *    funding included; the load's window is most of its busy time). The bench prints the top
 *    self-time functions of each.
 *  - `cometbft`: Go's CPU profiler over CometBFT's pprof server (`rpc.pprof_laddr` on a reserved
 *    port), on the devnet's CometBFT and on simd (CometBFT and the SDK app in one process), taken
 *    as consecutive slices while the load's window is open; the last slice ends up to one slice
 *    after the window closes. `go tool pprof -top <slices>` reads them together.
 */
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export type ProfileTarget = "app" | "cometbft";

/** BENCH_PROFILE: "app", "cometbft" or both, separated by commas or spaces; unset or empty = none. */
export function parseProfileTargets(text: string | undefined): readonly ProfileTarget[] {
  const items = (text ?? "").split(/[\s,]+/).filter((x) => x !== "");
  for (const item of items) if (item !== "app" && item !== "cometbft") throw new Error(`BENCH_PROFILE: "${item}" is not "app" or "cometbft"`);
  return [...new Set(items)] as ProfileTarget[];
}

/** The fields of V8's `.cpuprofile` JSON the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number } }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTimeRow {
  readonly function: string;
  /** The script's last two path segments and the 1-based line. */
  readonly where: string;
  readonly selfMs: number;
  /** Share of the busy (not idle) time. */
  readonly percent: number;
}

export interface SelfTimeSummary {
  readonly busyMs: number;
  readonly idleMs: number;
  readonly top: readonly SelfTimeRow[];
}

/**
 * The `n` functions with the most self time (samples whose innermost frame they are), merged by
 * function and location, and the busy and idle totals. Sample i lasts timeDeltas[i + 1], as V8
 * records the gap before each sample.
 */
export function topSelfTime(p: CpuProfile, n: number): SelfTimeSummary {
  const frames = new Map(p.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, { fn: string; where: string; us: number }>();
  let idle = 0;
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const us = p.timeDeltas[i + 1] ?? 0;
    const f = frames.get(p.samples[i] ?? -1);
    if (f === undefined) continue;
    total += us;
    if (f.functionName === "(idle)") {
      idle += us;
      continue;
    }
    const where = `${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
    const key = `${f.functionName}\u0000${where}`;
    const e = self.get(key);
    if (e === undefined) self.set(key, { fn: f.functionName === "" ? "(anonymous)" : f.functionName, where, us });
    else e.us += us;
  }
  const busy = total - idle;
  const top = [...self.values()]
    .sort((a, b) => b.us - a.us || (a.fn < b.fn ? -1 : a.fn > b.fn ? 1 : 0))
    .slice(0, n)
    .map((e) => ({ function: e.fn, where: e.where, selfMs: e.us / 1000, percent: busy > 0 ? (100 * e.us) / busy : 0 }));
  return { busyMs: busy / 1000, idleMs: idle / 1000, top };
}

/** A running series of Go CPU profile slices; `stop` ends it after the slice under way. */
export interface GoProfiler {
  stop(): Promise<string[]>;
}

/**
 * Takes consecutive `sliceSeconds` CPU profiles from the pprof server at `base` (e.g.
 * http://127.0.0.1:6060) into `dir` as `<tag>-<k>.pb.gz` until stopped; returns the files written.
 * A slice that fails is reported and the series goes on (a profile is an aid, not a result).
 */
export function startGoProfiler(base: string, dir: string, tag: string, log: (line: string) => void, sliceSeconds = 2): GoProfiler {
  const files: string[] = [];
  let stopped = false;
  const loop = (async () => {
    for (let k = 1; !stopped; k++) {
      const file = join(dir, `${tag}-${k}.pb.gz`);
      try {
        const res = await fetch(`${base}/debug/pprof/profile?seconds=${sliceSeconds}`);
        if (!res.ok || res.body === null) throw new Error(`HTTP ${res.status}`);
        await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>), createWriteStream(file));
        files.push(file);
      } catch (e) {
        log(`${tag}: profile slice ${k} failed (${e instanceof Error ? e.message : String(e)}); is CometBFT's pprof server on at ${base}?`);
        await new Promise((r) => setTimeout(r, sliceSeconds * 1000));
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return files;
    },
  };
}
