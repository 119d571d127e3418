/**
 * `dcertd testnet` as a user runs it (the compiled CLI, nodes in the background): init, start with
 * progress, status (text and JSON), stopping and restarting one node while the others go on,
 * replay, and stop leaving no process behind. Needs `npm run build` and CometBFT.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveCometbft } from "../../src/localnet/cometbft";
import { compiledDcertd, findRepoRoot } from "../../src/localnet/devnet";
import type { NodeStatus, TestnetInfo } from "../../src/localnet/testnet";
import { height, waitForHeight } from "./testnet-harness";

jest.setTimeout(300_000);

const repoRoot = findRepoRoot(__dirname);
const dcertd = compiledDcertd(repoRoot);
const cometbftBin = resolveCometbft(repoRoot, process.env);
let dir: string;

function run(...args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, [dcertd, "testnet", ...args, "--dir", dir], {
    encoding: "utf8",
    env: { ...process.env, COMETBFT_BIN: cometbftBin },
    timeout: 110_000,
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function ok(...args: string[]): string {
  const r = run(...args);
  if (r.code !== 0) throw new Error(`dcertd testnet ${args.join(" ")} exited ${r.code}:\n${r.out}`);
  return r.out;
}

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

type StatusJson = {
  nodes: (NodeStatus & { stalled: boolean; seconds_since_block: number | null })[];
  common: { height: number; appHashes: Record<string, string> } | null;
  consensus: { stalled: boolean; reachable: number; validators: number };
};

function status(): StatusJson {
  return JSON.parse(ok("status", "--json")) as StatusJson;
}

beforeAll(() => {
  dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dcert-testnet-cli-")), "net");
});

afterAll(() => {
  if (dir !== undefined && fs.existsSync(path.join(dir, "testnet.json"))) run("stop");
  if (process.env["KEEP_TESTNET"] !== "1") fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

describe("dcertd testnet", () => {
  let info: TestnetInfo;
  const pids: number[] = [];

  it("init creates four homes, the gentxs and testnet.json; init again refuses the non-empty directory", () => {
    const out = ok("init", "--validators", "4");
    expect(out).toContain("node0: dcertd init");
    expect(out).toContain("genesis collect-gentxs + validate");
    info = JSON.parse(fs.readFileSync(path.join(dir, "testnet.json"), "utf8")) as TestnetInfo;
    expect(info.nodes.map((n) => n.name)).toEqual(["node0", "node1", "node2", "node3"]);
    expect(fs.readdirSync(path.join(dir, "gentxs")).sort()).toEqual(["gentx-node0.json", "gentx-node1.json", "gentx-node2.json", "gentx-node3.json"]);
    expect(fs.statSync(path.join(dir, "testnet.json")).mode & 0o077).toBe(0);
    const again = run("init", "--validators", "4");
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/is not empty/);
    expect(run("init", "--validators", "0").code).toBe(1);
  });

  it("start runs every node in the background, printing progress, and returns once each committed a block", () => {
    const out = ok("start");
    for (const n of info.nodes) expect(out).toMatch(new RegExp(`${n.name}: committed block \\d+`));
    expect(out).toContain("The nodes run in the background");
    const st = status();
    for (const n of st.nodes) {
      expect(n.appRunning && n.cometRunning).toBe(true);
      pids.push(n.appPid!, n.cometPid!);
    }
    expect(pids.every(alive)).toBe(true);
    const again = ok("start");
    expect(again).toMatch(/node0 is already running/);
  });

  it("status shows each node's height, app hash and peers, and the same header app hash on all", async () => {
    await waitForHeight(info.nodes[0]!.rpc, 3);
    const st = status();
    for (const n of st.nodes) {
      expect(n.height).toBeGreaterThanOrEqual(1);
      expect(n.appHash).toMatch(/^[0-9A-F]{64}$/);
      expect(n.peers).toBe(3);
      expect(n.stalled).toBe(false);
      expect(n.seconds_since_block).not.toBeNull();
    }
    expect(st.consensus).toMatchObject({ stalled: false, reachable: 4, validators: 4 });
    expect(st.common).not.toBeNull();
    expect(new Set(Object.values(st.common!.appHashes)).size).toBe(1);
    expect(Object.keys(st.common!.appHashes)).toHaveLength(4);
    const text = ok("status");
    expect(text).toMatch(/node\s+app\s+cometbft\s+height\s+app hash\s+peers/);
    expect(text).toMatch(/equal on 4 node\(s\)/);
    expect(text).toMatch(/last block/);
    expect(text).not.toMatch(/stalled/i);
  });

  it("stop --node 3 stops one node; the other three go on; start brings only it back and it catches up", async () => {
    const st0 = status();
    const n3 = st0.nodes[3]!;
    ok("stop", "--node", "3");
    expect(alive(n3.appPid)).toBe(false);
    expect(alive(n3.cometPid)).toBe(false);
    const h = (await height(info.nodes[0]!.rpc)) ?? 0;
    await waitForHeight(info.nodes[0]!.rpc, h + 3);
    const st1 = status();
    expect(st1.nodes[3]!.appRunning).toBe(false);
    expect(st1.nodes[3]!.height).toBeUndefined();
    const out = ok("start");
    expect(out).toMatch(/node0 is already running/);
    expect(out).toMatch(/node3: committed block/);
    await waitForHeight(info.nodes[3]!.rpc, h + 3);
    const st2 = status();
    expect(st2.nodes[0]!.appPid).toBe(st0.nodes[0]!.appPid);
    expect(st2.nodes[3]!.appPid).not.toBe(n3.appPid);
    pids.push(st2.nodes[3]!.appPid!, st2.nodes[3]!.cometPid!);
  });

  it("replay re-executes the chain in process with identical app hashes", () => {
    const out = ok("replay", "--node", "2");
    expect(out).toMatch(/app hashes identical at every height 0…\d+/);
  });

  it("stop ends every node process and removes the pid files", () => {
    ok("stop");
    expect(pids.filter(alive)).toEqual([]);
    for (const n of info.nodes) {
      expect(fs.existsSync(path.join(n.home, "app.pid"))).toBe(false);
      expect(fs.existsSync(path.join(n.home, "cometbft.pid"))).toBe(false);
    }
    const st = status();
    expect(st.nodes.every((n) => !n.appRunning && !n.cometRunning && n.height === undefined)).toBe(true);
  });
});
