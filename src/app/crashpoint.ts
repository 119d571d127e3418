/**
 * Crash points for crash-safety tests (docs/design.md §9). They are compiled into the normal binary
 * and do nothing unless their environment variable is set when `dcertd start` launches:
 *
 *   DCERT_CRASH_BEFORE_COMMIT_HEIGHT=H   when CometBFT sends Commit for block H — FinalizeBlock(H)
 *                                        has returned, nothing of block H is persisted — the app
 *                                        kills itself with SIGKILL.
 *   DCERT_CRASH_AFTER_COMMIT_HEIGHT=H    the app persists block H in Commit, then kills itself
 *                                        before CometBFT receives the Commit response.
 *   DCERT_KILL_COMETBFT_AFTER_FINALIZE_HEIGHT=H  (with DCERT_COMETBFT_PIDFILE=/abs/path)
 *                                        CometBFT's side of the same window: FinalizeBlock(H) has
 *                                        been answered, and when Commit(H) arrives the app kills
 *                                        ITS OWN node's CometBFT (the pid in the pid file, written
 *                                        by the process manager) with SIGKILL and drops that
 *                                        Commit unrun. The app keeps running with block H
 *                                        executed but not committed; CometBFT, restarted alone,
 *                                        sends FinalizeBlock(H) again (docs/consensus-safety.md).
 *
 * SIGKILL (not exit) so that no handler, finally block or buffered write runs: the process dies the
 * way it would under `kill -9` or a power cut. On restart, CometBFT's handshake replays block H
 * (before-commit) or only updates its own state (after-commit), and the app hash must match the
 * other nodes'.
 *
 * Why CometBFT is killed on Commit's arrival rather than by a timer after FinalizeBlock returns:
 * between the FinalizeBlock response and the Commit request CometBFT only saves the response
 * (a few milliseconds), so a timer would race it and, on a busy machine, often fire after Commit
 * ran, testing nothing. Killing it when Commit(H) arrives, and never running that Commit, leaves
 * both sides exactly as if CometBFT had died inside that window: CometBFT persists nothing of
 * block H's execution until the Commit response is back, and the app has committed nothing.
 * SIGKILL is delivered before kill(2) returns, so CometBFT never reads anything sent afterwards.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { App } from "../baseapp/app";

export const CRASH_BEFORE_COMMIT_ENV = "DCERT_CRASH_BEFORE_COMMIT_HEIGHT";
export const CRASH_AFTER_COMMIT_ENV = "DCERT_CRASH_AFTER_COMMIT_HEIGHT";
export const KILL_COMETBFT_ENV = "DCERT_KILL_COMETBFT_AFTER_FINALIZE_HEIGHT";
export const COMETBFT_PIDFILE_ENV = "DCERT_COMETBFT_PIDFILE";

export interface CrashPoints {
  readonly beforeCommit?: bigint;
  readonly afterCommit?: bigint;
  /** Kill this node's CometBFT (pid read from `pidFile` at that moment) when Commit(height) arrives. */
  readonly killCometbft?: { readonly height: bigint; readonly pidFile: string };
}

function heightFrom(env: NodeJS.ProcessEnv, name: string): bigint | undefined {
  const v = env[name];
  if (v === undefined || v === "") return undefined;
  if (!/^[1-9][0-9]*$/.test(v)) throw new Error(`${name} must be a block height (a positive integer), got ${JSON.stringify(v)}`);
  return BigInt(v);
}

/** The crash points set in `env` (none when the variables are unset). */
export function crashPointsFromEnv(env: NodeJS.ProcessEnv): CrashPoints {
  const beforeCommit = heightFrom(env, CRASH_BEFORE_COMMIT_ENV);
  const afterCommit = heightFrom(env, CRASH_AFTER_COMMIT_ENV);
  const killHeight = heightFrom(env, KILL_COMETBFT_ENV);
  let killCometbft: CrashPoints["killCometbft"];
  if (killHeight !== undefined) {
    const pidFile = env[COMETBFT_PIDFILE_ENV];
    if (pidFile === undefined || pidFile === "") {
      throw new Error(`${KILL_COMETBFT_ENV} needs ${COMETBFT_PIDFILE_ENV}: the absolute path of the file holding this node's CometBFT pid`);
    }
    if (!path.isAbsolute(pidFile)) throw new Error(`${COMETBFT_PIDFILE_ENV} must be an absolute path, got ${JSON.stringify(pidFile)}`);
    killCometbft = { height: killHeight, pidFile };
  }
  return {
    ...(beforeCommit === undefined ? {} : { beforeCommit }),
    ...(afterCommit === undefined ? {} : { afterCommit }),
    ...(killCometbft === undefined ? {} : { killCometbft }),
  };
}

function die(log: (line: string) => void, what: string): never {
  log(`crash point: ${what}; killing the app with SIGKILL`);
  process.kill(process.pid, "SIGKILL");
  // SIGKILL to ourselves is delivered at once; this only satisfies the type checker.
  throw new Error("unreachable: SIGKILL did not stop the process");
}

/**
 * The pid in `pidFile`, checked to be a CometBFT process other than this one (where /proc exists,
 * its command line must mention "cometbft"), so a stale file never kills an unrelated process.
 */
export function cometbftPidFrom(pidFile: string, procRoot = "/proc"): number {
  let text: string;
  try {
    text = fs.readFileSync(pidFile, "utf8").trim();
  } catch (e) {
    throw new Error(`cannot read ${pidFile}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!/^[1-9][0-9]*$/.test(text)) throw new Error(`${pidFile} does not hold a pid (got ${JSON.stringify(text.slice(0, 40))})`);
  const pid = Number(text);
  if (pid === process.pid || pid === process.ppid) throw new Error(`${pidFile} names this process or its parent (pid ${pid}), not CometBFT`);
  if (fs.existsSync(procRoot)) {
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`${procRoot}/${pid}/cmdline`, "utf8");
    } catch {
      throw new Error(`pid ${pid} from ${pidFile} is not running`);
    }
    if (!cmdline.includes("cometbft")) throw new Error(`pid ${pid} from ${pidFile} is not a CometBFT process (${cmdline.replace(/\0/g, " ").trim().slice(0, 80)})`);
  }
  return pid;
}

/** SIGKILLs the CometBFT process named by `pidFile`; returns its pid. */
function killCometbftFromPidFile(pidFile: string): number {
  const pid = cometbftPidFrom(pidFile);
  process.kill(pid, "SIGKILL");
  return pid;
}

/**
 * Wraps `app.commit` with the given crash points; with none, `app` is left untouched. `kill` (this
 * process) and `killCometbft` (the pid file's process; returns the pid) are injectable for tests.
 */
export function installCrashPoints(
  app: App,
  points: CrashPoints,
  log: (line: string) => void,
  kill: (what: string) => never = (what) => die(log, what),
  killCometbft: (pidFile: string) => number = killCometbftFromPidFile,
): void {
  const { beforeCommit, afterCommit, killCometbft: cometPoint } = points;
  if (beforeCommit === undefined && afterCommit === undefined && cometPoint === undefined) return;
  log(
    `crash points armed:${beforeCommit === undefined ? "" : ` before Commit of block ${beforeCommit}`}` +
      `${afterCommit === undefined ? "" : ` after Commit of block ${afterCommit}`}` +
      `${cometPoint === undefined ? "" : ` kill CometBFT (pid file ${cometPoint.pidFile}) after FinalizeBlock of block ${cometPoint.height}`}`,
  );
  let cometKilled = false;
  const commit = app.commit.bind(app);
  app.commit = () => {
    // FinalizeBlock has run: the block being committed is the one after the last committed height.
    const height = app.lastHeight + 1n;
    // Once only: the Commit(H) that follows CometBFT's replay of block H must run normally.
    if (cometPoint !== undefined && !cometKilled && height === cometPoint.height) {
      cometKilled = true;
      let pid: number | undefined;
      try {
        pid = killCometbft(cometPoint.pidFile);
      } catch (e) {
        log(`crash point: could not kill CometBFT at Commit(${height}): ${e instanceof Error ? e.message : String(e)}; committing normally`);
      }
      if (pid !== undefined) {
        log(
          `crash point: FinalizeBlock(${height}) answered, killed CometBFT (pid ${pid}) with SIGKILL before Commit(${height}); ` +
            `the app keeps running with block ${height} executed and not committed`,
        );
        // Nobody reads this response: CometBFT is dead. Block H stays uncommitted in the app.
        return { retainHeight: 0n };
      }
    }
    if (height === beforeCommit) kill(`FinalizeBlock(${height}) returned, Commit(${height}) not run`);
    const res = commit();
    if (height === afterCommit) kill(`Commit(${height}) persisted, response not sent`);
    return res;
  };
}
