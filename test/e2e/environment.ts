/**
 * The e2e project's test environment (jest.config.js): Node's, plus a lock that makes e2e suites
 * take turns. It is taken in `setup()`, before the suite is loaded, and released in `teardown()`,
 * after its last afterAll hook has stopped its nodes, so two suites never run at once, even when
 * Jest is started without --runInBand (scripts/test.sh and `npm run test:e2e` already run them in
 * band) or from another checkout of this project. Each suite starts real CometBFT nodes and apps;
 * two at once on a small machine starve each other's nodes of CPU.
 *
 * The lock is a directory created atomically (mkdir) in the temp dir, holding the owner's pid; a
 * lock whose owner died is taken over. The wait is bounded and says who holds the lock.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import NodeEnvironment from "jest-environment-node";
import { pollUntil } from "../../src/localnet/proc";

const LOCK = path.join(os.tmpdir(), "dcert-e2e.lock");
const OWNER = path.join(LOCK, "pid");
/** Long enough for the slowest suite (the testnet one) to finish first, on a busy machine. */
const WAIT_MS = 45 * 60_000;

function owner(): number | undefined {
  try {
    const pid = Number(fs.readFileSync(OWNER, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function tryLock(): boolean {
  try {
    fs.mkdirSync(LOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    const pid = owner();
    // No pid yet: the owner is between mkdir and write; give it a moment (the next poll).
    if (pid === undefined || alive(pid)) return false;
    fs.rmSync(LOCK, { recursive: true, force: true });
    return false;
  }
  fs.writeFileSync(OWNER, `${process.pid}\n`);
  return true;
}

export default class SerialE2eEnvironment extends NodeEnvironment {
  private held = false;

  override async setup(): Promise<void> {
    await super.setup();
    let waited = false;
    await pollUntil({
      what: `the e2e lock ${LOCK} (another e2e suite is running)`,
      check: () => {
        if (tryLock()) return true;
        waited = true;
        return undefined;
      },
      timeoutMs: WAIT_MS,
      intervalMs: 500,
      lastSeen: () => `held by pid ${String(owner())}`,
    });
    this.held = true;
    if (waited) process.stderr.write(`[e2e] waited for another e2e suite to finish (lock ${LOCK})\n`);
  }

  override async teardown(): Promise<void> {
    if (this.held && owner() === process.pid) fs.rmSync(LOCK, { recursive: true, force: true });
    this.held = false;
    await super.teardown();
  }
}
