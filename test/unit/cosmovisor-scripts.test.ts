/**
 * scripts/cosmovisor/: setup.sh lays out a cosmovisor DAEMON_HOME from release directories, and
 * dcertd-wrapper.sh (bin/dcertd there) answers cosmovisor's calls and supervises the app. These run
 * the scripts on fake releases whose dcertd.js records what it was asked; test/e2e/cosmovisor.test.ts
 * runs the real ones under the real cosmovisor.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { isValidPlanName } from "../../src/types/upgrade/names";
import { findRepoRoot } from "../../src/localnet/devnet";
import { pollUntil } from "../../src/localnet/proc";

const ROOT = findRepoRoot(__dirname);
const SETUP = path.join(ROOT, "scripts", "cosmovisor", "setup.sh");
const WRAPPER = path.join(ROOT, "scripts", "cosmovisor", "dcertd-wrapper.sh");
const NODE_MODULES = fs.realpathSync(path.join(ROOT, "node_modules"));

const dirs: string[] = [];
function tmp(): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "dcert-cosmovisor-")));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/**
 * A fake release: dcertd.js appends its argv (JSON) to $FAKE_LOG; `start` listens on the --abci
 * port, writes "started" and then: exits with $FAKE_EXIT after $FAKE_RUN_MS, or on SIGTERM writes
 * "sigterm" and exits 0.
 */
function fakeRelease(tag: string): string {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, "dist", "src", "cli"), { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), `{"name":"dcert-chain","version":"${tag}"}\n`);
  fs.writeFileSync(path.join(dir, "release.json"), `{"app_version":"${tag}","upgrades":[]}\n`);
  fs.writeFileSync(
    path.join(dir, "dist", "src", "cli", "dcertd.js"),
    `const fs = require("node:fs");
const log = (x) => fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify(x) + "\\n");
const args = process.argv.slice(2);
log({ release: ${JSON.stringify(tag)}, args });
if (args[0] === "start") {
  const abci = args[args.indexOf("--abci") + 1] || "tcp://127.0.0.1:26658";
  const server = require("node:net").createServer((s) => s.on("error", () => {})).listen(Number(abci.split(":").pop()), "127.0.0.1", () => log("started"));
  process.on("SIGTERM", () => { log("sigterm"); server.close(); process.exit(0); });
  if (process.env.FAKE_EXIT !== undefined) setTimeout(() => process.exit(Number(process.env.FAKE_EXIT)), Number(process.env.FAKE_RUN_MS || 0));
} else {
  console.log("fake dcertd " + args.join(" "));
}
`,
  );
  return dir;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
}

function setup(args: string[]): SpawnSyncReturns<string> {
  return run("bash", [SETUP, "--node-modules", NODE_MODULES, ...args]);
}

function logLines(file: string): unknown[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as unknown);
}

/** Whether `pid` has exited (a zombie nobody reaped yet counts as exited). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return / Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\)/, ""));
  } catch {
    return true;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe("setup.sh", () => {
  test("lays out genesis and upgrades/<lower-cased name> with the wrapper as bin/dcertd", () => {
    const home = tmp();
    const a = fakeRelease("a");
    const b = fakeRelease("b");
    const r = setup(["--home", home, "--genesis", a, "--upgrade", `V2-Fix=${b}`]);
    expect(r.stderr).toContain("cosmovisor/upgrades/v2-fix");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(home);
    for (const [dir, rel] of [
      ["genesis", a],
      ["upgrades/v2-fix", b],
    ] as const) {
      const d = path.join(home, "cosmovisor", dir);
      expect(fs.readFileSync(path.join(d, "dist/src/cli/dcertd.js"), "utf8")).toBe(fs.readFileSync(path.join(rel, "dist/src/cli/dcertd.js"), "utf8"));
      expect(fs.readFileSync(path.join(d, "release.json"), "utf8")).toBe(fs.readFileSync(path.join(rel, "release.json"), "utf8"));
      expect(fs.readlinkSync(path.join(d, "node_modules"))).toBe(NODE_MODULES);
      const bin = path.join(d, "bin", "dcertd");
      expect(fs.readFileSync(bin, "utf8")).toBe(fs.readFileSync(WRAPPER, "utf8"));
      expect(fs.statSync(bin).mode & 0o111).toBe(0o111);
    }
    // cosmovisor's watcher needs the directory of upgrade-info.json to exist before the app ran.
    expect(fs.statSync(path.join(home, "data")).isDirectory()).toBe(true);
    expect(fs.existsSync(path.join(home, "cosmovisor", "upgrades", "V2-Fix"))).toBe(false);
  });

  test("--keep-case keeps the name; an existing directory is refused unless --force", () => {
    const home = tmp();
    const a = fakeRelease("a");
    expect(setup(["--home", home, "--keep-case", "--upgrade", `V2=${a}`]).status).toBe(0);
    expect(fs.existsSync(path.join(home, "cosmovisor", "upgrades", "V2", "bin", "dcertd"))).toBe(true);
    const again = setup(["--home", home, "--keep-case", "--upgrade", `V2=${fakeRelease("b")}`]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already exists (give --force to replace it)");
    expect(fs.readFileSync(path.join(home, "cosmovisor", "upgrades", "V2", "release.json"), "utf8")).toContain('"a"');
    expect(setup(["--home", home, "--keep-case", "--force", "--upgrade", `V2=${fakeRelease("c")}`]).status).toBe(0);
    expect(fs.readFileSync(path.join(home, "cosmovisor", "upgrades", "V2", "release.json"), "utf8")).toContain('"c"');
  });

  test("refuses a directory that is not a release, and a missing --home", () => {
    const notRelease = tmp();
    const r = setup(["--home", tmp(), "--genesis", notRelease]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("dist/src/cli/dcertd.js is missing");
    const noHome = setup(["--genesis", fakeRelease("a")]);
    expect(noHome.status).toBe(1);
    expect(noHome.stderr).toContain("--home APP_HOME is required");
  });

  test("accepts exactly the plan names the chain accepts (property)", () => {
    const release = fakeRelease("p");
    const name = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/),
      fc.string({ maxLength: 12 }).filter((s) => !s.includes("=") && !s.includes("\u0000")),
      fc.constantFrom("a".repeat(140), "a".repeat(141), ".hidden", "_x", "a/b", "é", "a b", "v2\n"),
    );
    fc.assert(
      fc.property(name, (n) => {
        const home = tmp();
        const r = setup(["--home", home, "--upgrade", `${n}=${release}`]);
        expect(r.status === 0).toBe(isValidPlanName(n));
        if (r.status !== 0) expect(r.stderr).toContain("is not a plan name");
        fs.rmSync(home, { recursive: true, force: true });
      }),
      { numRuns: 40 },
    );
  });
});

describe("dcertd-wrapper.sh (bin/dcertd)", () => {
  function installed(): { home: string; bin: string; log: string } {
    const home = tmp();
    expect(setup(["--home", home, "--genesis", fakeRelease("g")]).status).toBe(0);
    return { home, bin: path.join(home, "cosmovisor", "genesis", "bin", "dcertd"), log: path.join(tmp(), "calls.log") };
  }

  test("status answers nothing (exit 1) and pre-upgrade succeeds without running the app", () => {
    const { bin, log } = installed();
    const status = run(bin, ["status"], { FAKE_LOG: log });
    expect(status.status).toBe(1);
    expect(status.stdout).toBe("");
    const pre = run(bin, ["pre-upgrade"], { FAKE_LOG: log });
    expect(pre.status).toBe(0);
    expect(pre.stdout).toContain("no pre-upgrade step");
    expect(logLines(log)).toEqual([]);
  });

  test("other commands go to the release's dcertd unchanged", () => {
    const { bin, log } = installed();
    const r = run(bin, ["version", "--long", "-o", "json"], { FAKE_LOG: log });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("fake dcertd version --long -o json");
    expect(logLines(log)).toEqual([{ release: "g", args: ["version", "--long", "-o", "json"] }]);
  });

  test("start adds --home $DAEMON_HOME and passes the app's exit code on; lingers only after 75", async () => {
    const { home, bin, log } = installed();
    const port = await freePort();
    const env = { FAKE_LOG: log, DAEMON_HOME: home, FAKE_RUN_MS: "100", DCERTD_HALT_LINGER_S: "1.5" };
    const t0 = Date.now();
    const halted = run(bin, ["start", "--abci", `tcp://127.0.0.1:${port}`], { ...env, FAKE_EXIT: "75" });
    const haltedMs = Date.now() - t0;
    expect(halted.status).toBe(75);
    expect(halted.stderr).toContain("halted for an upgrade (exit code 75)");
    expect(haltedMs).toBeGreaterThanOrEqual(1500);
    expect(logLines(log)[0]).toEqual({ release: "g", args: ["start", "--home", home, "--abci", `tcp://127.0.0.1:${port}`] });
    const failed = run(bin, ["start", "--home", "/elsewhere", "--abci", `tcp://127.0.0.1:${port}`], { ...env, FAKE_EXIT: "3" });
    expect(failed.status).toBe(3);
    expect(failed.stderr).not.toContain("halted for an upgrade");
    expect(logLines(log)).toContainEqual({ release: "g", args: ["start", "--home", "/elsewhere", "--abci", `tcp://127.0.0.1:${port}`] });
  });

  test("the linger after a halt covers three of cosmovisor's poll intervals, at least 2 s", async () => {
    const { home, bin, log } = installed();
    const port = await freePort();
    const halt = (env: NodeJS.ProcessEnv): string => {
      const r = run(bin, ["start", "--abci", `tcp://127.0.0.1:${port}`], { FAKE_LOG: log, DAEMON_HOME: home, FAKE_EXIT: "75", DCERTD_HALT_LINGER_S: "", ...env });
      expect(r.status).toBe(75);
      return r.stderr;
    };
    expect(halt({ DAEMON_POLL_INTERVAL: "300ms" })).toContain("waiting 2s so cosmovisor sees upgrade-info.json");
    expect(halt({ DAEMON_POLL_INTERVAL: "1s" })).toContain("waiting 3s");
  });

  test("SIGTERM to the wrapper stops the app cleanly; CometBFT starts once the app listens", async () => {
    const { home, bin, log } = installed();
    const port = await freePort();
    const comet = tmp();
    fs.mkdirSync(path.join(comet, "config"));
    fs.writeFileSync(path.join(comet, "config", "config.toml"), "# fake\n");
    const fakeComet = path.join(comet, "cometbft");
    // Records its args and whether the app's port was open when it started; exits on SIGTERM.
    fs.writeFileSync(
      fakeComet,
      `#!/usr/bin/env bash\nif (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null; then open=yes; else open=no; fi\necho "{\\"comet\\": \\"$*\\", \\"appListening\\": \\"$open\\"}" >> "$FAKE_LOG"\ntrap 'exit 0' TERM\nwhile true; do sleep 0.1; done\n`,
      { mode: 0o755 },
    );
    const child = spawn(bin, ["start", "--abci", `tcp://127.0.0.1:${port}`], {
      env: { ...process.env, FAKE_LOG: log, DAEMON_HOME: home, DCERTD_COMETBFT_HOME: comet, DCERTD_COMETBFT_BIN: fakeComet },
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await pollUntil({ what: "the fake CometBFT to start", check: () => (logLines(log).some((l) => typeof l === "object" && l !== null && "comet" in l) ? true : undefined), timeoutMs: 20_000, intervalMs: 100 });
    expect(logLines(log)).toContainEqual({ comet: `node --home ${comet}`, appListening: "yes" });
    const cometPid = Number(fs.readFileSync(path.join(comet, "cometbft.pid"), "utf8").trim());
    expect(cometPid).toBeGreaterThan(0);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(logLines(log)).toContain("sigterm");
    // The fake CometBFT does not watch the app (the real one exits when its ABCI connection
    // drops): the next start must find it through the pid file and stop it before starting its own.
    const again = spawn(bin, ["start", "--abci", `tcp://127.0.0.1:${port}`], {
      env: { ...process.env, FAKE_LOG: log, DAEMON_HOME: home, DCERTD_COMETBFT_HOME: comet, DCERTD_COMETBFT_BIN: fakeComet, DCERTD_COMETBFT_STOP_WAIT_S: "1" },
      stdio: "ignore",
    });
    const exitedAgain = new Promise<number | null>((resolve) => again.on("exit", (code) => resolve(code)));
    await pollUntil({
      what: "the second fake CometBFT",
      check: () => {
        const file = path.join(comet, "cometbft.pid");
        const pid = fs.existsSync(file) ? Number(fs.readFileSync(file, "utf8").trim() || "0") : 0;
        return pid !== 0 && pid !== cometPid ? true : undefined;
      },
      timeoutMs: 20_000,
      intervalMs: 100,
    });
    expect(gone(cometPid)).toBe(true);
    again.kill("SIGTERM");
    expect(await exitedAgain).toBe(0);
    const second = Number(fs.readFileSync(path.join(comet, "cometbft.pid"), "utf8").trim());
    if (!gone(second)) process.kill(second, "SIGTERM");
    await pollUntil({ what: "the second fake CometBFT to exit", check: () => (gone(second) ? true : undefined), timeoutMs: 10_000, intervalMs: 100 });
  });
});
