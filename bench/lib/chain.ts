/** What the devnet benchmarks read off a running chain and its processes. */
import { readFileSync } from "node:fs";

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function rpcGet<T>(rpc: string, path: string): Promise<T> {
  const res = await fetch(`${rpc}${path}`, { signal: AbortSignal.timeout(30_000) });
  const body = (await res.json()) as { result?: T; error?: unknown };
  if (body.result === undefined) throw new Error(`${path}: ${JSON.stringify(body.error)}`);
  return body.result;
}

export async function latestHeight(rpc: string): Promise<number> {
  return Number((await rpcGet<{ sync_info: { latest_block_height: string } }>(rpc, "/status")).sync_info.latest_block_height);
}

/** Header time in ms since the epoch (RFC 3339 with nanoseconds). */
export function headerTimeMs(t: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(t);
  if (m === null) throw new Error(`unexpected block time ${t}`);
  const frac = (m[2] ?? "").padEnd(9, "0");
  return Date.parse(`${m[1]}Z`) + Number(frac) / 1e6;
}

/** Header times of blocks from..to (inclusive), via /blockchain (20 per call). */
async function headerTimes(rpc: string, from: number, to: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let lo = from; lo <= to; lo += 20) {
    const hi = Math.min(to, lo + 19);
    const r = await rpcGet<{ block_metas: { header: { height: string; time: string } }[] }>(rpc, `/blockchain?minHeight=${lo}&maxHeight=${hi}`);
    for (const meta of r.block_metas) out.set(Number(meta.header.height), headerTimeMs(meta.header.time));
  }
  return out;
}

/**
 * Sorted intervals (ms) between consecutive blocks produced after height h0 (committed before a
 * phase began) up to h1: the blocks whose both ends fall inside the phase.
 */
export async function headerIntervals(rpc: string, h0: number, h1: number): Promise<number[]> {
  const times = await headerTimes(rpc, h0 + 1, h1);
  const intervals: number[] = [];
  for (let h = h0 + 2; h <= h1; h++) {
    const a = times.get(h - 1);
    const b = times.get(h);
    if (a !== undefined && b !== undefined) intervals.push(b - a);
  }
  return intervals.sort((a, b) => a - b);
}
