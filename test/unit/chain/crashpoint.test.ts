/**
 * The CometBFT-side crash point (DCERT_KILL_COMETBFT_AFTER_FINALIZE_HEIGHT): parsing, inertness
 * and what it does to Commit. The e2e proof on a real testnet is in test/e2e/testnet.test.ts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import type { App } from "../../../src/baseapp/app";
import {
  COMETBFT_PIDFILE_ENV,
  CRASH_AFTER_COMMIT_ENV,
  CRASH_BEFORE_COMMIT_ENV,
  KILL_COMETBFT_ENV,
  cometbftPidFrom,
  crashPointsFromEnv,
  installCrashPoints,
} from "../../../src/app/crashpoint";

/** Just what the crash points touch: lastHeight and commit. */
function fakeApp(start = 0n): { app: App; commits: bigint[] } {
  const commits: bigint[] = [];
  const fake = {
    lastHeight: start,
    commit(): { retainHeight: bigint } {
      fake.lastHeight += 1n;
      commits.push(fake.lastHeight);
      return { retainHeight: 0n };
    },
  };
  return { app: fake as unknown as App, commits };
}

const noKill = (what: string): never => {
  throw new Error(`unexpected self-kill: ${what}`);
};

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-crashpoint-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("crashPointsFromEnv: the CometBFT kill point", () => {
  test("unset or empty variables arm nothing; a lone pid file is inert", () => {
    expect(crashPointsFromEnv({})).toEqual({});
    expect(crashPointsFromEnv({ [KILL_COMETBFT_ENV]: "" })).toEqual({});
    expect(crashPointsFromEnv({ [COMETBFT_PIDFILE_ENV]: "/tmp/x.pid" })).toEqual({});
  });

  test("a height with an absolute pid file arms it, alongside the app-side points", () => {
    expect(crashPointsFromEnv({ [KILL_COMETBFT_ENV]: "42", [COMETBFT_PIDFILE_ENV]: "/n/cometbft.pid", [CRASH_BEFORE_COMMIT_ENV]: "9" })).toEqual({
      beforeCommit: 9n,
      killCometbft: { height: 42n, pidFile: "/n/cometbft.pid" },
    });
  });

  test("without a pid file, or with a relative one, it is refused naming the variables", () => {
    expect(() => crashPointsFromEnv({ [KILL_COMETBFT_ENV]: "5" })).toThrow(`${KILL_COMETBFT_ENV} needs ${COMETBFT_PIDFILE_ENV}`);
    expect(() => crashPointsFromEnv({ [KILL_COMETBFT_ENV]: "5", [COMETBFT_PIDFILE_ENV]: "node0/cometbft.pid" })).toThrow(`${COMETBFT_PIDFILE_ENV} must be an absolute path`);
  });

  test("property: the height is accepted exactly when it is a canonical positive integer", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.bigInt({ min: -5n, max: 10n ** 30n }).map(String), fc.nat().map((n) => `0${n}`)), (v) => {
        const env = { [KILL_COMETBFT_ENV]: v, [COMETBFT_PIDFILE_ENV]: "/p" };
        const canonical = /^[1-9][0-9]*$/.test(v);
        if (v === "") expect(crashPointsFromEnv(env)).toEqual({});
        else if (canonical) expect(crashPointsFromEnv(env).killCometbft).toEqual({ height: BigInt(v), pidFile: "/p" });
        else expect(() => crashPointsFromEnv(env)).toThrow(KILL_COMETBFT_ENV);
      }),
    );
  });

  test("the app-side variables keep their behaviour", () => {
    expect(crashPointsFromEnv({ [CRASH_AFTER_COMMIT_ENV]: "3" })).toEqual({ afterCommit: 3n });
  });
});

describe("installCrashPoints: the CometBFT kill point", () => {
  test("with no point set, commit is left untouched (inert)", () => {
    const { app } = fakeApp();
    const commit = app.commit;
    installCrashPoints(app, crashPointsFromEnv({}), () => undefined, noKill, () => {
      throw new Error("must not kill");
    });
    expect(app.commit).toBe(commit);
  });

  test("Commit(H) kills CometBFT once and is dropped; every other Commit runs, including the replayed Commit(H)", () => {
    const { app, commits } = fakeApp(2n);
    const lines: string[] = [];
    const killed: string[] = [];
    installCrashPoints(app, { killCometbft: { height: 4n, pidFile: "/n/cometbft.pid" } }, (l) => lines.push(l), noKill, (f) => {
      killed.push(f);
      return 4321;
    });
    expect(lines[0]).toContain("kill CometBFT (pid file /n/cometbft.pid) after FinalizeBlock of block 4");
    app.commit(); // 3
    expect(killed).toEqual([]);
    expect(app.commit()).toEqual({ retainHeight: 0n }); // 4: dropped
    expect(killed).toEqual(["/n/cometbft.pid"]);
    expect(app.lastHeight).toBe(3n);
    expect(lines.join("\n")).toContain("killed CometBFT (pid 4321) with SIGKILL before Commit(4)");
    // CometBFT restarted and replayed block 4: this Commit(4) runs.
    app.commit();
    app.commit();
    expect(commits).toEqual([3n, 4n, 5n]);
    expect(killed).toHaveLength(1);
  });

  test("when CometBFT cannot be killed, Commit(H) runs normally and the reason is logged", () => {
    const { app, commits } = fakeApp(0n);
    const lines: string[] = [];
    installCrashPoints(app, { killCometbft: { height: 1n, pidFile: "/nope" } }, (l) => lines.push(l), noKill, () => {
      throw new Error("cannot read /nope");
    });
    app.commit();
    expect(commits).toEqual([1n]);
    expect(lines.join("\n")).toContain("could not kill CometBFT at Commit(1): cannot read /nope; committing normally");
  });
});

describe("cometbftPidFrom: the pid file is checked before anything is killed", () => {
  const write = (name: string, text: string): string => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  test("missing file, garbage, own pid and a non-CometBFT process are refused", () => {
    expect(() => cometbftPidFrom(path.join(dir, "missing.pid"))).toThrow("cannot read");
    expect(() => cometbftPidFrom(write("junk.pid", "12ab\n"))).toThrow("does not hold a pid");
    expect(() => cometbftPidFrom(write("self.pid", `${process.pid}\n`))).toThrow("names this process");
    const proc = path.join(dir, "proc");
    fs.mkdirSync(path.join(proc, "777"), { recursive: true });
    fs.writeFileSync(path.join(proc, "777", "cmdline"), "sleep\u0000100\u0000");
    expect(() => cometbftPidFrom(write("other.pid", "777\n"), proc)).toThrow("is not a CometBFT process (sleep 100)");
    expect(() => cometbftPidFrom(write("gone.pid", "778\n"), proc)).toThrow("pid 778 from");
  });

  test("a running CometBFT's pid is returned", () => {
    const proc = path.join(dir, "proc2");
    fs.mkdirSync(path.join(proc, "999"), { recursive: true });
    fs.writeFileSync(path.join(proc, "999", "cmdline"), "/root/go/bin/cometbft\u0000node\u0000--home\u0000/t/node3/cometbft\u0000");
    expect(cometbftPidFrom(write("ok.pid", "999\n"), proc)).toBe(999);
  });
});
