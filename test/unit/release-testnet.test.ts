/**
 * The testnet's binary switching (src/localnet/testnet.ts): releases as binaries, testnet.json's
 * per-node `binary`, waiting for a node's upgrade halt, and `upgradeNodes` (what `dcertd testnet
 * upgrade` runs) on stand-in processes: a fake app that only listens on its ABCI port and a fake
 * CometBFT that only sleeps, so the flow (halt seen → stop → record → restart on the release) is
 * checked without a chain. The real chain is the e2e's.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXIT_UPGRADE_NEEDED, writeUpgradeInfo } from "../../src/app/node";
import { upgradeHaltMessage } from "../../src/cli/devnet";
import { devnetPaths, releaseDcertd } from "../../src/localnet/devnet";
import { reservePorts, type LoggedChild, type PortReservation } from "../../src/localnet/proc";
import {
  nodeAppRunning,
  nodeLaunch,
  nodePidFile,
  readTestnetInfo,
  setNodeBinary,
  stopRecordedNode,
  upgradeNodes,
  waitForUpgradeHalt,
  writeTestnetInfo,
  type TestnetInfo,
  type TestnetNode,
} from "../../src/localnet/testnet";

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-release-testnet-"));
  dirs.push(d);
  return d;
}
let info: TestnetInfo | undefined;
let reservation: PortReservation | undefined;
afterAll(async () => {
  for (const n of info?.nodes ?? []) await stopRecordedNode(n, () => undefined);
  await reservation?.release();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A release directory whose dcertd.js is a stand-in app: it listens on its --abci port until SIGTERM. */
function fakeRelease(tag: string): string {
  const dir = path.join(tmp(), tag);
  const script = path.join(dir, "dist", "src", "cli", "dcertd.js");
  fs.mkdirSync(path.dirname(script), { recursive: true });
  fs.writeFileSync(
    script,
    [
      'const net = require("node:net");',
      'const a = process.argv[process.argv.indexOf("--abci") + 1];',
      `console.log("fake app ${tag}", process.argv.slice(2).join(" "));`,
      'net.createServer(() => undefined).listen(Number(/:(\\d+)$/.exec(a)[1]), "127.0.0.1");',
      'process.on("SIGTERM", () => process.exit(0));',
    ].join("\n"),
  );
  return dir;
}

/** A CometBFT stand-in: sleeps until killed (its command line names the node's home, like the real one). */
function fakeCometbft(): string {
  const f = path.join(tmp(), "cometbft");
  fs.writeFileSync(f, "#!/bin/sh\nwhile :; do sleep 1; done\n", { mode: 0o755 });
  return f;
}

function testnetDir(n: number, ports: readonly number[]): { dir: string; info: TestnetInfo } {
  const dir = tmp();
  const nodes: TestnetNode[] = Array.from({ length: n }, (_, i) => {
    const home = path.join(dir, `node${i}`);
    fs.mkdirSync(devnetPaths(home).appHome, { recursive: true });
    const rpcPort = ports[3 * i] as number;
    return {
      name: `node${i}`,
      moniker: `node${i}`,
      home,
      rpc: `http://127.0.0.1:${rpcPort}`,
      rpcPort,
      p2pPort: ports[3 * i + 1] as number,
      abciPort: ports[3 * i + 2] as number,
      nodeId: "",
      operator: `validator${i}`,
      validatorAddress: "",
      appLog: devnetPaths(home).appLog,
      cometLog: devnetPaths(home).cometLog,
    };
  });
  const t: TestnetInfo = { chainId: "t", rpc: nodes[0]?.rpc ?? "", denom: "udcert", bech32Prefix: "dcert", accounts: [], nodes };
  writeTestnetInfo(dir, t);
  return { dir, info: t };
}

test("a release is given as its directory or its dcertd.js; anything else is refused with what to do", () => {
  const rel = fakeRelease("r");
  const script = path.join(rel, "dist", "src", "cli", "dcertd.js");
  expect(releaseDcertd(rel)).toBe(script);
  expect(releaseDcertd(script)).toBe(script);
  const empty = tmp();
  expect(() => releaseDcertd(empty)).toThrow(`${empty} is not a release: ${path.join(empty, "dist", "src", "cli", "dcertd.js")} does not exist (make one with npm run release -- --out DIR)`);
  expect(() => releaseDcertd(path.join(empty, "nope"))).toThrow(/does not exist; make a release first: npm run release -- --out/);
  fs.writeFileSync(path.join(empty, "x.txt"), "");
  expect(() => releaseDcertd(path.join(empty, "x.txt"))).toThrow(/is not a release directory nor a dcertd\.js script/);
});

test("testnet.json records each node's binary; launches use it, else the default script", () => {
  const { dir } = testnetDir(2, [1, 2, 3, 4, 5, 6]);
  const settings = { cometbftBin: "cometbft", dcertdScript: "/repo/dist/src/cli/dcertd.js" };
  const rel = fakeRelease("v2");
  const updated = setNodeBinary(dir, 1, releaseDcertd(rel));
  expect(readTestnetInfo(dir)).toEqual(updated);
  expect(updated.nodes[1]?.binary).toBe(releaseDcertd(rel));
  expect(updated.nodes[0]?.binary).toBeUndefined();
  expect(nodeLaunch(updated, 0, {}, settings).dcertdScript).toBe(settings.dcertdScript);
  expect(nodeLaunch(updated, 1, {}, settings).dcertdScript).toBe(releaseDcertd(rel));
  // Back to the repository's build: the key disappears.
  const back = setNodeBinary(dir, 1, undefined);
  expect("binary" in (back.nodes[1] as object)).toBe(false);
  expect(() => setNodeBinary(dir, 5, undefined)).toThrow("the testnet has no node 5");
});

test("waitForUpgradeHalt: waits while the app runs or the file names another plan; returns the plan once the app has exited", async () => {
  const { info: t } = testnetDir(1, [1, 2, 3]);
  const node = t.nodes[0] as TestnetNode;
  const data = path.join(devnetPaths(node.home).appHome, "data");
  fs.mkdirSync(data, { recursive: true });
  let running = true;
  const lines: string[] = [];
  const p = waitForUpgradeHalt(node, "v2", { appRunning: () => running, timeoutMs: 20_000, log: (l) => lines.push(l), progressEveryMs: 100 });
  let done = false;
  void p.then(() => (done = true));
  writeUpgradeInfo(data, { name: "v1", height: 9n, info: "" });
  await new Promise((r) => setTimeout(r, 600));
  writeUpgradeInfo(data, { name: "v2", height: 40n, info: "i" });
  await new Promise((r) => setTimeout(r, 600));
  expect(done).toBe(false); // the app still runs: not halted yet
  running = false;
  await expect(p).resolves.toEqual({ name: "v2", height: 40n, info: "i" });
  expect(lines.some((l) => l.startsWith('node0: waiting for the halt for "v2"'))).toBe(true);

  // An app that stopped without halting for the plan is a crash, not a halt: reported, not awaited.
  writeUpgradeInfo(data, { name: "v1", height: 9n, info: "" });
  await expect(waitForUpgradeHalt(node, "v2", { appRunning: () => false, timeoutMs: 20_000 })).rejects.toThrow(
    `node0's app is not running and did not halt for "v2" (its upgrade-info.json names "v1" at 9); see ${node.appLog}`,
  );
  // Every wait is bounded.
  await expect(waitForUpgradeHalt(node, "v2", { appRunning: () => true, timeoutMs: 300 })).rejects.toThrow(/timed out after \d+ s waiting for node0 to halt for the upgrade "v2".*is a plan "v2" scheduled\?/);
});

test("upgradeNodes: a halted node restarts on the release (binary recorded); --now switches a running node at once", async () => {
  reservation = await reservePorts(6);
  const made = testnetDir(2, reservation.ports);
  info = made.info;
  const { dir } = made;
  const old = fakeRelease("old");
  const v2 = fakeRelease("v2");
  const settings = { cometbftBin: fakeCometbft(), dcertdScript: releaseDcertd(old), detached: false, reservation, log: (l: string) => lines.push(l) };
  const lines: string[] = [];

  // node0 "halted" (upgrade-info.json written, app gone); node1 runs the old build and switches now.
  const data0 = path.join(devnetPaths(made.info.nodes[0]?.home ?? "").appHome, "data");
  fs.mkdirSync(data0, { recursive: true });
  writeUpgradeInfo(data0, { name: "v2", height: 40n, info: "" });
  const halted = await upgradeNodes({ dir, nodes: [0], name: "v2", binary: v2, haltTimeoutMs: 10_000, settings });
  expect(halted.map((r) => [r.name, r.haltedAt, r.height])).toEqual([["node0", 40, undefined]]);
  expect(lines).toContain(`node0: halted at 40 for v2; restarting on ${v2}`);
  expect(lines.some((l) => l.startsWith("restarted node0 on") && l.includes("more than 2/3 of the voting power"))).toBe(true);
  info = readTestnetInfo(dir);
  const n0 = info.nodes[0] as TestnetNode;
  expect(n0.binary).toBe(releaseDcertd(v2));
  expect(nodeAppRunning(n0)).toBe(true);
  expect(fs.readFileSync(n0.appLog, "utf8")).toContain("fake app v2 start --home");
  expect(fs.existsSync(nodePidFile(n0, "cometbft"))).toBe(true);

  await expect(upgradeNodes({ dir, nodes: [1], name: "v2", binary: path.join(dir, "missing"), haltTimeoutMs: 1_000, settings })).rejects.toThrow(/does not exist; make a release first/);
  const now = await upgradeNodes({ dir, nodes: [1], name: "v2", binary: v2, now: true, haltTimeoutMs: 1_000, settings, waitForBlocks: false });
  expect(now.map((r) => [r.name, r.haltedAt])).toEqual([["node1", undefined]]);
  expect(lines.some((l) => l.startsWith("node1: switching to") && l.includes("now"))).toBe(true);
  info = readTestnetInfo(dir);
  expect(info.nodes.map((n) => n.binary)).toEqual([releaseDcertd(v2), releaseDcertd(v2)]);
  expect(nodeAppRunning(info.nodes[1] as TestnetNode)).toBe(true);
}, 60_000);

test("the devnet names the plan and the release to restart on when its app halted for an upgrade", () => {
  const appHome = tmp();
  fs.mkdirSync(path.join(appHome, "data"));
  writeUpgradeInfo(path.join(appHome, "data"), { name: "v2", height: 12n, info: "" });
  const child = (code: number | null) => ({ exitStatus: () => ({ code, signal: null }) }) as unknown as LoggedChild;
  expect(upgradeHaltMessage(child(EXIT_UPGRADE_NEEDED), appHome)).toEqual({
    message: `the app halted for the upgrade "v2" at height 12: this binary has no handler for it (nothing of that block is committed; ${path.join(appHome, "data", "upgrade-info.json")} names the plan)`,
    hint: 'restart the devnet on a release that carries the "v2" handler: npm run release -- --out DIR, then dcertd devnet --binary DIR (see docs/upgrade-operators.md)',
  });
  expect(upgradeHaltMessage(child(1), appHome)).toBeUndefined();
  expect(upgradeHaltMessage(child(EXIT_UPGRADE_NEEDED), tmp())?.message).toMatch(/^the app halted for an upgrade plan/);
});
