/**
 * Crash points for crash-safety tests (DESIGN §9). They are compiled into the normal binary and do
 * nothing unless their environment variable is set when `dcertd start` launches:
 *
 *   DCERT_CRASH_BEFORE_COMMIT_HEIGHT=H   when CometBFT sends Commit for block H — FinalizeBlock(H)
 *                                        has returned, nothing of block H is persisted — the app
 *                                        kills itself with SIGKILL.
 *   DCERT_CRASH_AFTER_COMMIT_HEIGHT=H    the app persists block H in Commit, then kills itself
 *                                        before CometBFT receives the Commit response.
 *
 * SIGKILL (not exit) so that no handler, finally block or buffered write runs: the process dies the
 * way it would under `kill -9` or a power cut. On restart, CometBFT's handshake replays block H
 * (before-commit) or only updates its own state (after-commit), and the app hash must match the
 * other nodes'.
 */
import type { App } from "./app";

export const CRASH_BEFORE_COMMIT_ENV = "DCERT_CRASH_BEFORE_COMMIT_HEIGHT";
export const CRASH_AFTER_COMMIT_ENV = "DCERT_CRASH_AFTER_COMMIT_HEIGHT";

export interface CrashPoints {
  readonly beforeCommit?: bigint;
  readonly afterCommit?: bigint;
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
  return { ...(beforeCommit === undefined ? {} : { beforeCommit }), ...(afterCommit === undefined ? {} : { afterCommit }) };
}

function die(log: (line: string) => void, what: string): never {
  log(`crash point: ${what}; killing the app with SIGKILL`);
  process.kill(process.pid, "SIGKILL");
  // SIGKILL to ourselves is delivered at once; this only satisfies the type checker.
  throw new Error("unreachable: SIGKILL did not stop the process");
}

/**
 * Wraps `app.commit` with the given crash points; with none, `app` is left untouched. `kill` is
 * injectable for tests (default: SIGKILL this process).
 */
export function installCrashPoints(
  app: App,
  points: CrashPoints,
  log: (line: string) => void,
  kill: (what: string) => never = (what) => die(log, what),
): void {
  const { beforeCommit, afterCommit } = points;
  if (beforeCommit === undefined && afterCommit === undefined) return;
  log(
    `crash points armed:${beforeCommit === undefined ? "" : ` before Commit of block ${beforeCommit}`}` +
      `${afterCommit === undefined ? "" : ` after Commit of block ${afterCommit}`}`,
  );
  const commit = app.commit.bind(app);
  app.commit = () => {
    // FinalizeBlock has run: the block being committed is the one after the last committed height.
    const height = app.lastHeight + 1n;
    if (height === beforeCommit) kill(`FinalizeBlock(${height}) returned, Commit(${height}) not run`);
    const res = commit();
    if (height === afterCommit) kill(`Commit(${height}) persisted, response not sent`);
    return res;
  };
}
