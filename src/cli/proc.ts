/**
 * Child-process and port helpers shared by `dcertd devnet` and the end-to-end test harness.
 * Every child started here is remembered until it exits, and a process `exit` hook kills any
 * that are still alive, so neither a crashed CLI nor a failed test leaves nodes running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running (or finished) child whose stdout and stderr go to a log file. */
export interface LoggedChild {
  readonly label: string;
  readonly pid: number;
  readonly logPath: string;
  /** Byte offset in the log where this run's output starts (the log is appended to). */
  readonly logStart: number;
  readonly process: ChildProcess;
  /** Resolves when the child has exited (never rejects). */
  readonly exited: Promise<ExitStatus>;
  /** The exit status once the child has exited, else `undefined`. */
  exitStatus(): ExitStatus | undefined;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of live) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  });
}

export interface SpawnLoggedOptions {
  readonly label: string;
  readonly logPath: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Start the child in its own process group, so a Ctrl-C in the terminal reaches only the parent,
   * which can then stop the children in order.
   */
  readonly detached?: boolean;
}

/** Starts `command args…` with stdout and stderr appended to `logPath`. */
export function spawnLogged(command: string, args: readonly string[], opts: SpawnLoggedOptions): Promise<LoggedChild> {
  installExitHook();
  const fd = fs.openSync(opts.logPath, "a");
  const logStart = fs.fstatSync(fd).size;
  fs.writeSync(fd, `\n=== ${new Date().toISOString()} ${opts.label}: ${command} ${args.join(" ")}\n`);
  let fdOpen = true;
  const closeFd = (): void => {
    if (fdOpen) {
      fdOpen = false;
      fs.closeSync(fd);
    }
  };
  return new Promise((resolve, reject) => {
    let proc: ChildProcess;
    try {
      proc = spawn(command, args, {
        stdio: ["ignore", fd, fd],
        detached: opts.detached ?? false,
        ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
        ...(opts.env !== undefined ? { env: opts.env } : {}),
      });
    } catch (e) {
      closeFd();
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    let status: ExitStatus | undefined;
    const exited = new Promise<ExitStatus>((res) => {
      proc.once("exit", (code, signal) => {
        live.delete(proc);
        status = { code, signal };
        res(status);
      });
    });
    proc.once("error", (err) => {
      live.delete(proc);
      closeFd();
      reject(new Error(`could not start ${opts.label} (${command}): ${err.message}`));
    });
    proc.once("spawn", () => {
      closeFd();
      live.add(proc);
      resolve({
        label: opts.label,
        pid: proc.pid as number,
        logPath: opts.logPath,
        logStart,
        process: proc,
        exited,
        exitStatus: () => status,
      });
    });
  });
}

/**
 * Lets a detached child outlive this process (`dcertd testnet start` leaves its nodes running):
 * the exit hook no longer kills it and it no longer keeps the event loop alive.
 */
export function releaseChild(child: LoggedChild): void {
  live.delete(child.process);
  child.process.unref();
}

/** Human form of an exit status: "exited with code 1" / "was killed by SIGKILL". */
export function describeExit(s: ExitStatus): string {
  return s.signal !== null ? `was killed by ${s.signal}` : `exited with code ${String(s.code)}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms));
}

/** Waits for `promise` at most `ms`; returns `undefined` on timeout. Leaves no timer behind. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((res) => {
    timer = setTimeout(() => res(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends `signal` and waits up to `timeoutMs` for the child to exit; if it has not, kills it with
 * SIGKILL. Returns the exit status. Safe to call on a child that has already exited.
 */
export async function stopChild(child: LoggedChild, signal: NodeJS.Signals = "SIGTERM", timeoutMs = 15_000): Promise<ExitStatus> {
  const done = child.exitStatus();
  if (done !== undefined) return done;
  try {
    child.process.kill(signal);
  } catch {
    // exited between the check and the kill
  }
  const first = await withTimeout(child.exited, timeoutMs);
  if (first !== undefined) return first;
  try {
    child.process.kill("SIGKILL");
  } catch {
    // already gone
  }
  return child.exited;
}

/** The last `n` lines of a text file, looking no earlier than byte `from` ("" when it does not exist). */
export function tailFile(path: string, n: number, from = 0): string {
  let text: string;
  try {
    const size = fs.statSync(path).size;
    const want = Math.max(0, Math.min(size - from, 64 * 1024));
    const fd = fs.openSync(path, "r");
    try {
      const buf = Buffer.alloc(want);
      fs.readSync(fd, buf, 0, want, size - want);
      text = buf.toString("utf8");
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return "";
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.slice(-n).join("\n");
}

/** Whether something is accepting TCP connections on host:port right now. */
export function canConnect(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const finish = (ok: boolean): void => {
      sock.removeAllListeners();
      sock.on("error", () => undefined);
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => finish(false));
    sock.once("connect", () => finish(true));
    sock.once("error", () => finish(false));
  });
}

/** Whether host:port can be bound right now (nothing else listens there). */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/** `n` distinct TCP ports on 127.0.0.1 that the OS reports free. */
export async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const server = net.createServer();
      servers.push(server);
      const port = await new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen({ host: "127.0.0.1", port: 0, exclusive: true }, () => {
          const addr = server.address();
          if (addr === null || typeof addr === "string") reject(new Error("no port assigned"));
          else resolve(addr.port);
        });
      });
      ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((res) => (s.listening ? s.close(() => res()) : res()))));
  }
}

export interface PollOptions<T> {
  /** What is awaited, for messages: "node3 to reach height 40". */
  readonly what: string;
  /** Returns the awaited value, or `undefined` for "not yet". */
  readonly check: () => Promise<T | undefined> | T | undefined;
  /** Gives up after this long (every wait is bounded). */
  readonly timeoutMs: number;
  /** Returns a reason to stop waiting at once (e.g. a process died), or `undefined`. */
  readonly abort?: () => string | undefined;
  /** The last state seen, added to the timeout message ("height 37"). */
  readonly lastSeen?: () => string | undefined;
  /** Appended to the timeout message (e.g. "see node3/app.log"). */
  readonly hint?: string;
  /**
   * Whether a throwing `check` counts as "not yet" (e.g. an RPC request failing while a node
   * restarts); the last error is then reported on timeout. Default: the error propagates.
   */
  readonly retryErrors?: boolean;
  readonly intervalMs?: number;
  /** Called about every `progressEveryMs` while waiting (for progress lines). */
  readonly onWait?: (elapsedMs: number) => void;
  readonly progressEveryMs?: number;
}

/**
 * The one polling loop of the CLI, the e2e harness and the e2e tests: calls `check` every
 * `intervalMs` until it returns a value other than `undefined`, which it returns. Throws when
 * `abort` gives a reason, or when `timeoutMs` passes: "timed out after 90 s waiting for <what>
 * (last seen: …; last error: …); <hint>", so a failed wait says what it was waiting for.
 */
export async function pollUntil<T>(opts: PollOptions<T>): Promise<T> {
  const start = Date.now();
  const interval = opts.intervalMs ?? 200;
  const every = opts.progressEveryMs ?? 5_000;
  let lastProgress = start;
  let lastError: string | undefined;
  while (true) {
    const aborted = opts.abort?.();
    if (aborted !== undefined) throw new Error(`stopped waiting for ${opts.what}: ${aborted}`);
    let value: T | undefined;
    try {
      value = await opts.check();
    } catch (e) {
      if (opts.retryErrors !== true) throw e;
      lastError = e instanceof Error ? e.message : String(e);
    }
    if (value !== undefined) return value;
    const now = Date.now();
    if (now - start > opts.timeoutMs) {
      const seen = opts.lastSeen?.();
      const details = [seen === undefined ? undefined : `last seen: ${seen}`, lastError === undefined ? undefined : `last error: ${lastError}`].filter(
        (d) => d !== undefined,
      );
      throw new Error(
        `timed out after ${Math.round((now - start) / 1000)} s waiting for ${opts.what}` +
          `${details.length > 0 ? ` (${details.join("; ")})` : ""}${opts.hint === undefined ? "" : `; ${opts.hint}`}`,
      );
    }
    if (opts.onWait !== undefined && now - lastProgress >= every) {
      lastProgress = now;
      opts.onWait(now - start);
    }
    await delay(interval);
  }
}
