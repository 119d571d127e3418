/**
 * Child-process, port and polling helpers shared by `dcertd devnet`/`testnet`, the end-to-end
 * harnesses and the benches. Every child started here is remembered until it exits, and a process
 * `exit` hook kills any that are still alive (and drops this process's port locks), so neither a
 * crashed CLI nor a failed test leaves nodes running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";

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
    for (const port of lockedPorts) unlockPort(port);
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
  return canConnectTo({ host, port }, timeoutMs);
}

/** Whether something is accepting connections on the unix socket at `path` right now. */
export function canConnectUnix(path: string, timeoutMs = 1_000): Promise<boolean> {
  return canConnectTo({ path }, timeoutMs);
}

function canConnectTo(to: net.NetConnectOpts, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(to);
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

// ---------------------------------------------------------------------------------------------
// Port reservations
//
// CometBFT must be given concrete ports in config.toml (RPC and P2P laddr, proxy_app for the app's
// ABCI listener), and peers and clients must know them before the node starts; a testnet node also
// restarts on the same ports. Picking a port by binding port 0 and closing the socket at once (what
// `freePorts` did) loses races on a busy machine: the port comes from the kernel's ephemeral range
// (ip_local_port_range, 32768–60999 on Linux), the very range every outgoing connection's local
// port comes from, so between the choice and the node's bind (seconds: `cometbft init`, the gentx
// ceremony) or between a node's stop and its restart, any connection on the machine or another
// suite binding port 0 could take it. So a reservation:
//  1. takes ports BELOW the ephemeral range (RESERVED_PORT_RANGE), which the kernel never hands
//     out by itself, and skips the devnet's default ports;
//  2. records each port in a lock file, <tmpdir>/dcert-ports/<port>, created exclusively and
//     holding our pid: our other processes (parallel suites, benches, other checkouts) skip it
//     while that pid lives; the lock lasts until `release()` or this process exits, restarts
//     included;
//  3. binds each port on 127.0.0.1 (exclusively) and holds that socket until just before the
//     process that listens there starts (LaunchOptions.reservation: startApp frees the ABCI port,
//     startCometbft the RPC and P2P ports), proving it free and keeping any binder out;
//  4. if a start still fails (something outside these rules took a port in the last moment), the
//     callers that created the ports start once more on new ones (test/e2e harnesses).
// The app's ABCI listener could bind port 0 itself (AbciServer.address reports the port), but
// CometBFT's proxy_app must name that port before CometBFT starts, and again after every restart,
// so it is reserved like the other two.

/** Ports reservations take from (inclusive): below Linux's ephemeral range, above most services. */
export const RESERVED_PORT_RANGE: readonly [number, number] = [20_000, 32_000];
/** The devnet's default ports (26656–26658) and their neighbours are never reserved. */
const SKIPPED_PORTS: readonly [number, number] = [26_600, 26_699];

function portLockDir(): string {
  return `${os.tmpdir()}/dcert-ports`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock file of `port`; false when a live process holds it. A dead holder's lock is taken over. */
function lockPort(port: number): boolean {
  const file = `${portLockDir()}/${port}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let holder = NaN;
      try {
        holder = Number(fs.readFileSync(file, "utf8").trim());
      } catch {
        // removed meanwhile: try again
      }
      if (Number.isInteger(holder) && holder > 0 && pidAlive(holder)) return false;
      fs.rmSync(file, { force: true });
    }
  }
  return false;
}

function unlockPort(port: number): void {
  const file = `${portLockDir()}/${port}`;
  try {
    if (Number(fs.readFileSync(file, "utf8").trim()) === process.pid) fs.rmSync(file, { force: true });
  } catch {
    // already gone
  }
}

/** Ports locked by this process, unlocked by the exit hook if never released. */
const lockedPorts = new Set<number>();

function bindExclusive(host: string, port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(undefined));
    server.listen({ host, port, exclusive: true }, () => resolve(server));
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((res) => (server.listening ? server.close(() => res()) : res()));
}

/** Ports reserved for nodes this process starts (see the scheme above). */
export class PortReservation {
  private released = false;

  constructor(
    readonly ports: readonly number[],
    private readonly held: Map<number, net.Server>,
  ) {}

  /**
   * Closes the held sockets of `ports` (default: all), right before the process that binds them
   * starts; their locks stay. Ports not held (or not ours) are ignored.
   */
  async unhold(ports: readonly number[] = this.ports): Promise<void> {
    await Promise.all(
      ports.map(async (p) => {
        const server = this.held.get(p);
        if (server === undefined) return;
        this.held.delete(p);
        await closeServer(server);
      }),
    );
  }

  /** Whether `port`'s socket is still held (not yet handed over to a node). */
  holds(port: number): boolean {
    return this.held.has(port);
  }

  /** Closes any held socket and removes the locks: the ports are free for anyone again. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.unhold();
    for (const p of this.ports) {
      unlockPort(p);
      lockedPorts.delete(p);
    }
  }
}

/**
 * Reserves `n` distinct ports on 127.0.0.1 (see the scheme above): locked against our other
 * processes and bound until `unhold`. The scan starts at an offset derived from the pid, so
 * concurrent processes rarely contend for the same ports.
 */
export async function reservePorts(n: number, range: readonly [number, number] = RESERVED_PORT_RANGE): Promise<PortReservation> {
  installExitHook();
  const [lo, hi] = range;
  const size = hi - lo + 1;
  if (!Number.isInteger(n) || n < 1 || n > size) throw new Error(`cannot reserve ${n} ports in ${lo}–${hi}`);
  fs.mkdirSync(portLockDir(), { recursive: true });
  const held = new Map<number, net.Server>();
  const ports: number[] = [];
  const first = (process.pid * 7919) % size;
  for (let k = 0; k < size && ports.length < n; k++) {
    const port = lo + ((first + k) % size);
    if (port >= SKIPPED_PORTS[0] && port <= SKIPPED_PORTS[1]) continue;
    if (lockedPorts.has(port) || !lockPort(port)) continue;
    const server = await bindExclusive("127.0.0.1", port);
    if (server === undefined) {
      unlockPort(port);
      continue;
    }
    lockedPorts.add(port);
    held.set(port, server);
    ports.push(port);
  }
  const reservation = new PortReservation(ports, held);
  if (ports.length < n) {
    await reservation.release();
    throw new Error(`could not reserve ${n} free ports in ${lo}–${hi} (found ${ports.length}); see ${portLockDir()}`);
  }
  return reservation;
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
