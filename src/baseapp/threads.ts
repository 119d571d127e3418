/**
 * What the node's helper threads share: where their compiled programs are, and how long to wait
 * before starting one again after it stopped (query workers, src/app/queryworkers.ts; the API
 * servers' thread, src/server/apithread.ts).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

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
