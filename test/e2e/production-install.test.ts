/**
 * A production install runs the node and the CLI: package.json, package-lock.json and the compiled
 * dist/src (plus scripts/install-cometbft.sh, which `dcertd` runs when COMETBFT_BIN is unset) are
 * copied into a fresh directory, `npm ci --omit=dev` installs only the run-time dependencies, and
 * from there every run-time import of dist/ resolves, `dcertd devnet` starts on reserved ports and
 * `dcertd q bank balances` answers. A run-time module that only arrives through a dev dependency
 * (as @bufbuild/protobuf once did through ts-proto) fails here.
 *
 * Needs `npm run build` first (the app and CLI run from dist/) and the npm cache or registry.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveCometbft } from "../../src/localnet/cometbft";
import { compiledDcertd, DEVNET_ACCOUNT_BALANCE, fetchHeight, findRepoRoot } from "../../src/localnet/devnet";
import { reservePorts, type PortReservation } from "../../src/localnet/proc";
import { run, watch, type Watched } from "./install-harness";

jest.setTimeout(900_000);

const ROOT = findRepoRoot(__dirname);

/** Lists every bare module a compiled file requires that does not resolve from where it is; run in the install. */
const SCAN = `
const fs = require("node:fs"), path = require("node:path");
const missing = [];
let checked = 0;
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith(".js")) {
      for (const m of fs.readFileSync(p, "utf8").matchAll(/require\\("([^"]+)"\\)/g)) {
        if (m[1].startsWith(".") || m[1].startsWith("node:")) continue;
        checked++;
        try { require.resolve(m[1], { paths: [path.dirname(p)] }); } catch { missing.push(m[1] + " (" + path.relative(process.cwd(), p) + ")"); }
      }
    }
  }
})(path.join(process.cwd(), "dist", "src"));
console.log(JSON.stringify({ checked, missing }));
`;

describe("npm ci --omit=dev runs the node and the CLI", () => {
  let dir = "";
  let home = "";
  let dcertd = "";
  let devnet: Watched | undefined;
  let reservation: PortReservation | undefined;

  beforeAll(async () => {
    if (!fs.existsSync(compiledDcertd(ROOT))) throw new Error(`${compiledDcertd(ROOT)} is missing: run "npm run build" first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-prod-install-"));
    home = path.join(dir, "devnet-home");
    for (const f of ["package.json", "package-lock.json"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    fs.cpSync(path.join(ROOT, "dist", "src"), path.join(dir, "dist", "src"), { recursive: true });
    fs.mkdirSync(path.join(dir, "scripts"));
    fs.copyFileSync(path.join(ROOT, "scripts", "install-cometbft.sh"), path.join(dir, "scripts", "install-cometbft.sh"));
    await run("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: dir, timeoutMs: 600_000 });
    dcertd = compiledDcertd(dir);
  });

  afterAll(async () => {
    await devnet?.interrupt();
    await reservation?.release();
    if (dir !== "" && process.env["KEEP_DEVNET"] !== "1") fs.rmSync(dir, { recursive: true, force: true });
  });

  test("only run-time dependencies are installed, and every module dist/ requires resolves", async () => {
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages)
      .filter(([p, e]) => p.startsWith("node_modules/") && e.dev === true)
      .map(([p]) => p);
    expect(devOnly).toEqual(expect.arrayContaining(["node_modules/ts-proto", "node_modules/typescript", "node_modules/jest"]));
    expect(devOnly.filter((p) => fs.existsSync(path.join(dir, p)))).toEqual([]);

    const { stdout } = await run(process.execPath, ["-e", SCAN], { cwd: dir });
    const scan = JSON.parse(stdout) as { checked: number; missing: string[] };
    expect(scan.missing).toEqual([]);
    expect(scan.checked).toBeGreaterThan(100);
    // The module whose absence broke production installs before it was declared.
    await run(process.execPath, ["-e", 'require("@bufbuild/protobuf/wire")'], { cwd: path.join(dir, "dist", "src") });
  });

  test("dcertd devnet starts from the install and dcertd q bank balances answers", async () => {
    const help = (await run(process.execPath, [dcertd, "devnet", "--help"], { cwd: dir })).stdout;
    // The REST and gRPC servers (when this build has them) get reserved ports too, never defaults.
    const extra = ["--api-port", "--grpc-port", "--web-port"].filter((flag) => help.includes(flag));
    reservation = await reservePorts(3 + extra.length);
    await reservation.unhold();
    const [rpc, p2p, abci, ...rest] = reservation.ports as [number, number, number, ...number[]];
    const args = ["devnet", "--home", home, "--rpc-port", String(rpc), "--p2p-port", String(p2p), "--abci-port", String(abci)];
    extra.forEach((flag, i) => args.push(flag, String(rest[i])));
    const env = { ...process.env, COMETBFT_BIN: resolveCometbft(ROOT, process.env) };
    devnet = watch(process.execPath, [dcertd, ...args], { cwd: dir, env });
    await devnet.waitForOutput("dCERT devnet is running");

    const info = JSON.parse(fs.readFileSync(path.join(home, "devnet.json"), "utf8")) as { rpc: string; denom: string; accounts: { name: string; address: string }[] };
    expect(info.rpc).toBe(`http://127.0.0.1:${rpc}`);
    expect(await fetchHeight(info.rpc)).toBeGreaterThanOrEqual(1);
    const alice = info.accounts.find((a) => a.name === "alice");
    expect(alice).toBeDefined();

    const q = await run(process.execPath, [dcertd, "q", "bank", "balances", alice!.address, "--node", info.rpc, "--output", "json"], { cwd: dir, env });
    expect(JSON.parse(q.stdout)).toEqual({ balances: [{ denom: info.denom, amount: DEVNET_ACCOUNT_BALANCE.toString() }], pagination: expect.objectContaining({ next_key: null }) });

    expect(await devnet.interrupt()).toBe(0);
    devnet = undefined;
    expect(await fetchHeight(info.rpc)).toBeUndefined();
  });
});
