/**
 * The nice values of this process's threads, from /proc (Linux only): for the tests of the worker
 * pools that lower their own threads' priority (signature workers, query workers).
 */
import { readdirSync, readFileSync } from "node:fs";

/** Field 19 (nice) of a /proc stat line; the command name (field 2) may hold spaces, so count after its ")". */
function niceOf(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
}

/** The nice value of every thread of this process. */
export function threadNices(): number[] {
  return readdirSync("/proc/self/task").map((tid) => niceOf(readFileSync(`/proc/self/task/${tid}/stat`, "utf8")));
}

/** The calling thread's nice value (the process's, unless the tests run under nice). */
export function ownNice(): number {
  return niceOf(readFileSync("/proc/thread-self/stat", "utf8"));
}

/** `test` where per-thread nice values and /proc exist (Linux); skipped elsewhere, for that reason. */
export const onLinux = process.platform === "linux" ? test : test.skip;
