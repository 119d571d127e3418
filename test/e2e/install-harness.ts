/**
 * Helpers of the install tests (production-install.test.ts, package-install.test.ts): running a
 * command to completion with its output kept, and a long-running `dcertd` whose output is watched.
 * Everything is asynchronous so Jest's timers and the devnet's processes keep running meanwhile.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { pollUntil } from "../../src/localnet/proc";

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `cmd args` in `cwd` to completion (killed after `timeoutMs`) and returns its exit code and
 * output; throws with the output when it fails, unless `allowFailure`.
 */
export async function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; allowFailure?: boolean },
): Promise<RunResult> {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  const timeoutMs = opts.timeoutMs ?? 600_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  const what = `${cmd} ${args.join(" ")} (in ${opts.cwd})`;
  if (timedOut) throw new Error(`${what} did not finish within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  if (code !== 0 && opts.allowFailure !== true) throw new Error(`${what} exited with ${code}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  return { code, stdout, stderr };
}

/** A long-running process whose combined output is kept and can be waited on. */
export interface Watched {
  output(): string;
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** SIGINT and wait; SIGKILL if it has not exited within 30 s. Returns the exit code. */
  interrupt(): Promise<number | null>;
}

export function watch(cmd: string, args: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Watched {
  const child: ChildProcess = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr?.on("data", (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const done = (): boolean => child.exitCode !== null || child.signalCode !== null;
  return {
    output: () => out,
    async waitForOutput(text, timeoutMs = 240_000) {
      await pollUntil({
        what: `${cmd} to print "${text}"`,
        check: () => (out.includes(text) ? true : undefined),
        abort: () => (done() ? `it exited; output:\n${out}` : undefined),
        timeoutMs,
        lastSeen: () => `output:\n${out}`,
      });
    },
    async interrupt() {
      if (done()) return child.exitCode;
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
