/**
 * `dcertd testnet status` and stalled consensus: the per-node rule (status.ts's stall rule) and the
 * network summary as a property, and the whole command against faked CometBFT RPCs and a fake clock
 * (two nodes answering, two down): the table's column, the per-node and summary lines, --json and
 * -o json, --dir and the deprecated --output <dir>.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { runCli } from "../../../src/cli/args";
import { consensusVerdict } from "../../../src/cli/status";
import { statusClock, testnetCommand } from "../../../src/cli/testnet";
import { consensusLines, testnetConsensus } from "../../../src/cli/testnet-consensus";
import type { NodeStatus, TestnetInfo, TestnetNode } from "../../../src/localnet/testnet";

const BLOCK_TIME = "2026-12-05T01:00:00.500000000Z";
const BLOCK_MS = Date.parse("2026-12-05T01:00:00.500Z");

function nodeStatus(name: string, over: Partial<NodeStatus> = {}): NodeStatus {
  return { name, rpc: `http://127.0.0.1:1/${name}`, appRunning: true, cometRunning: true, height: 10, appHash: "AB", peers: 3, catchingUp: false, latestBlockTime: BLOCK_TIME, ...over };
}

/** A node whose RPC does not answer: no height, app hash, peers or block time. */
function downStatus(name: string): NodeStatus {
  return { name, rpc: `http://127.0.0.1:1/${name}`, appRunning: false, cometRunning: false };
}

describe("testnetConsensus", () => {
  const arbNode = fc.record({
    up: fc.boolean(),
    ageMs: fc.integer({ min: -2_000, max: 600_000 }),
    catchingUp: fc.boolean(),
    genesis: fc.boolean(),
  });

  test("each reachable node follows dcertd status's rule; the network is stalled exactly when every reachable node is", () => {
    fc.assert(
      fc.property(fc.array(arbNode, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 300 }), (nodes, threshold) => {
        const now = BLOCK_MS + 700_000;
        const statuses = nodes.map((n, i) => {
          const t = new Date(now - n.ageMs).toISOString();
          return n.up
            ? nodeStatus(`node${i}`, { height: n.genesis ? 0 : 5, catchingUp: n.catchingUp, latestBlockTime: t })
            : downStatus(`node${i}`);
        });
        const c = testnetConsensus(statuses, now, threshold);
        const reachable = statuses.filter((s) => s.height !== undefined);
        expect(c.reachable).toBe(reachable.length);
        expect(c.validators).toBe(nodes.length);
        c.nodes.forEach((v, i) => {
          const s = statuses[i]!;
          if (s.height === undefined) expect(v).toEqual({ name: s.name, reachable: false, stalled: false, seconds_since_block: null });
          else expect(v).toEqual({ name: s.name, reachable: true, ...consensusVerdict(String(s.height), s.latestBlockTime!, s.catchingUp!, now, threshold) });
        });
        const up = c.nodes.filter((v) => v.reachable);
        expect(c.stalled).toBe(up.length > 0 && up.every((v) => v.stalled));
        const ages = up.flatMap((v) => (v.seconds_since_block === null ? [] : [v.seconds_since_block]));
        expect(c.seconds_since_block).toBe(ages.length === 0 ? null : Math.min(...ages));
        const lines = consensusLines(c);
        expect(lines.filter((l) => / consensus stalled for \d+ s/.test(l))).toHaveLength(up.filter((v) => v.stalled).length);
        expect(lines.some((l) => l.startsWith("consensus stalled: no block for"))).toBe(c.stalled);
      }),
    );
  });

  test("two of four down and the other two 95 s without a block: both lines and the summary", () => {
    const statuses = [
      nodeStatus("node0"),
      nodeStatus("node1", { latestBlockTime: "2026-12-05T01:00:02.000Z" }),
      downStatus("node2"),
      downStatus("node3"),
    ];
    const c = testnetConsensus(statuses, BLOCK_MS + 95_000, 30);
    expect(consensusLines(c).slice(0, 3)).toEqual([
      "node0: consensus stalled for 95 s (no new block for longer than 30 s)",
      "node1: consensus stalled for 93 s (no new block for longer than 30 s)",
      "consensus stalled: no block for 93 s; 2 of 4 validators reachable",
    ]);
  });

  test("one node catching up keeps the network from being called stalled; no node reachable is not 'stalled'", () => {
    const c = testnetConsensus([nodeStatus("node0"), nodeStatus("node1", { catchingUp: true })], BLOCK_MS + 95_000, 30);
    expect(c.stalled).toBe(false);
    expect(consensusLines(c)).toEqual(["node0: consensus stalled for 95 s (no new block for longer than 30 s)"]);
    const none = testnetConsensus([downStatus("node0")], BLOCK_MS + 95_000, 30);
    expect(none).toMatchObject({ stalled: false, reachable: 0, seconds_since_block: null });
    expect(consensusLines(none)).toEqual([]);
  });
});

describe("dcertd testnet status against faked RPCs", () => {
  let server: http.Server;
  let closedPort: number;
  let dir: string;
  const realNow = statusClock.now;

  function rpcBody(url: string): unknown {
    if (url.startsWith("/status")) return { result: { sync_info: { latest_block_height: "10", latest_app_hash: "AB".repeat(32), latest_block_time: BLOCK_TIME, catching_up: false } } };
    if (url.startsWith("/net_info")) return { result: { n_peers: "1" } };
    if (url.startsWith("/block")) return { result: { block: { header: { app_hash: "CD".repeat(32) } } } };
    return { error: { message: "no route" } };
  }

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(rpcBody(req.url ?? "")));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const port = (server.address() as AddressInfo).port;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-testnet-status-"));
    const node = (i: number, rpc: string): TestnetNode => ({
      name: `node${i}`,
      moniker: `node${i}`,
      home: path.join(dir, `node${i}`),
      rpc,
      rpcPort: 1,
      p2pPort: 2,
      abciPort: 3,
      nodeId: "id",
      operator: `validator${i}`,
      validatorAddress: "",
      appLog: "",
      cometLog: "",
    });
    const up = `http://127.0.0.1:${port}`;
    const down = `http://127.0.0.1:${closedPort}`;
    const info: TestnetInfo = { chainId: "dcert-testnet-1", rpc: up, denom: "udcert", bech32Prefix: "dcert", accounts: [], nodes: [node(0, up), node(1, up), node(2, down), node(3, down)] };
    fs.writeFileSync(path.join(dir, "testnet.json"), JSON.stringify(info));
  });

  afterAll(async () => {
    statusClock.now = realNow;
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** `dcertd testnet status --dir DIR <argv>` (or `testnet <argv>` exactly, with `raw`). */
  async function run(nowMs: number, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    return runRaw(nowMs, ["testnet", "status", "--dir", dir, ...argv]);
  }

  async function runRaw(nowMs: number, argv: string[]): Promise<{ code: number; out: string; err: string }> {
    statusClock.now = () => nowMs;
    const out: string[] = [];
    const err: string[] = [];
    const a = jest.spyOn(console, "log").mockImplementation((s: string) => void out.push(String(s)));
    const b = jest.spyOn(console, "error").mockImplementation((s: string) => void err.push(String(s)));
    const c = jest.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
    try {
      return { code: await runCli("dcertd", [testnetCommand], argv), out: out.join("\n"), err: err.join("\n") };
    } finally {
      a.mockRestore();
      b.mockRestore();
      c.mockRestore();
    }
  }

  test("a fresh block: a 'last block' column, no stall line", async () => {
    const r = await run(BLOCK_MS + 4_000);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/catching up\s+last block\s+rpc/);
    expect(r.out).toMatch(/^node0 .* no\s+4 s ago\s+http/m);
    expect(r.out).not.toMatch(/stalled/);
  });

  test("no block for 95 s with two of four nodes down: per-node lines and the summary", async () => {
    const r = await run(BLOCK_MS + 95_000);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^node1 .*STALLED 95 s\s+http/m);
    expect(r.out).toMatch(/^node0: consensus stalled for 95 s \(no new block for longer than 30 s\)$/m);
    expect(r.out).toMatch(/^node1: consensus stalled for 95 s/m);
    expect(r.out).toMatch(/^consensus stalled: no block for 95 s; 2 of 4 validators reachable$/m);
  });

  test("--json: stalled and seconds_since_block per node and a consensus summary; --stall-after moves the threshold", async () => {
    const j = JSON.parse((await run(BLOCK_MS + 95_000, "--json")).out) as { nodes: (NodeStatus & { stalled: boolean; seconds_since_block: number | null })[]; consensus: unknown };
    expect(j.nodes.map((n) => [n.name, n.stalled, n.seconds_since_block])).toEqual([
      ["node0", true, 95],
      ["node1", true, 95],
      ["node2", false, null],
      ["node3", false, null],
    ]);
    expect(j.nodes[0]!.latestBlockTime).toBe(BLOCK_TIME);
    expect(j.consensus).toEqual({ stalled: true, seconds_since_block: 95, reachable: 2, validators: 4, stall_after: 30 });
    const relaxed = JSON.parse((await run(BLOCK_MS + 95_000, "--json", "--stall-after", "120")).out) as { consensus: { stalled: boolean; stall_after: number } };
    expect(relaxed.consensus).toMatchObject({ stalled: false, stall_after: 120 });
  });

  test("-o json is --json (one meaning of -o: the output format)", async () => {
    const viaO = await run(BLOCK_MS + 95_000, "-o", "json");
    const viaJson = await run(BLOCK_MS + 95_000, "--json");
    expect(viaO.code).toBe(0);
    expect(JSON.parse(viaO.out)).toEqual(JSON.parse(viaJson.out));
    expect(viaO.err).toBe("");
    expect((await run(BLOCK_MS + 4_000, "--output", "text")).out).toMatch(/catching up\s+last block\s+rpc/);
  });

  test.each([["--output"], ["-o"]])("the deprecated %s <dir> still names the directory, with a warning on stderr", async (flag) => {
    const r = await runRaw(BLOCK_MS + 4_000, ["testnet", "status", flag, dir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^testnet dcert-testnet-1$/m);
    expect(r.err).toMatch(/warning: --output <dir> for the testnet directory is deprecated .*use --dir/);
    expect((await run(BLOCK_MS + 4_000)).err).toBe("");
  });

  test("--dir and the deprecated --output <dir> together, or -o json on a command printing no JSON, are usage errors", async () => {
    const both = await runRaw(BLOCK_MS, ["testnet", "status", "--dir", dir, "--output", dir]);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/give the testnet directory once/);
    const stop = await runRaw(BLOCK_MS, ["testnet", "stop", "--dir", dir, "-o", "json"]);
    expect(stop.code).toBe(2);
    expect(stop.err).toMatch(/prints no JSON/);
  });

  test("the help names --dir and -o as the output format", async () => {
    const r = await runRaw(BLOCK_MS, ["testnet", "status", "--help"]);
    const text = r.out + r.err;
    expect(text).toMatch(/--dir <dir>\s+the testnet directory/);
    expect(text).toMatch(/-o, --output <format>\s+text or json/);
  });

  test("a bad --stall-after is a usage error (exit 2)", async () => {
    const r = await run(BLOCK_MS, "--stall-after", "soon");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--stall-after must be a whole number of seconds/);
  });
});
