/**
 * What the node's helper threads share: where their compiled programs are, how long to wait
 * before starting one again after it stopped (query workers, src/app/queryworkers.ts; the API
 * servers' thread, src/server/apithread.ts), and how a worker lowers its own priority.
 */
import { existsSync, readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import { join } from "node:path";

/** What became of a worker thread's priority: the nice value it runs at, or why it could not be set. */
export type WorkerPriority = { readonly nice: number } | { readonly niceError: string };

/** Whether `nice` is a valid number of nice steps for a worker (a whole number from 0 to 19). */
export function isNiceSteps(nice: number): boolean {
  return Number.isInteger(nice) && nice >= 0 && nice <= 19;
}

/**
 * Lowers the calling thread's scheduling priority by `steps` nice steps from its nice value now
 * (so a node started under nice keeps its order), at most to nice 19. On Linux the nice value is
 * per thread; the thread's id comes from /proc/thread-self. Lowering needs no privilege. 0 steps
 * leaves it. Never throws: where it cannot be set the thread keeps its priority and the result
 * says why. (The signature workers run from a source string and repeat these steps there,
 * src/baseapp/sigpool.ts.)
 */
export function lowerThreadPriority(steps: number): WorkerPriority {
  try {
    if (steps <= 0) return { nice: getPriority() };
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid) || tid <= 0) throw new Error("no thread id in /proc/thread-self");
    const nice = Math.min(19, getPriority(tid) + steps);
    setPriority(tid, nice);
    return { nice };
  } catch (e) {
    return { niceError: e instanceof Error ? e.message : String(e) };
  }
}

/** A thread that stopped is started again after this long, doubled for each stop in a row, up to a minute. */
export const RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 60_000;

/** The delay before the next start after `stopsInARow` (≥ 1) stops, from a first delay of `firstMs`. */
export function restartDelayMs(firstMs: number, stopsInARow: number): number {
  return Math.min(MAX_RESTART_DELAY_MS, firstMs * 2 ** Math.min(Math.max(stopsInARow, 1) - 1, 16));
}

/**
 * The compiled thread program `file` in `dir` (the calling module's `__dirname`), or undefined when
 * the node runs from TypeScript sources (then it has no such program and does the work itself).
 */
export function builtThreadScript(dir: string, file: string): string | undefined {
  const path = join(dir, file);
  return existsSync(path) ? path : undefined;
}
