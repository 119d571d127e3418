/**
 * `dcertd status` against a faked CometBFT RPC and clock: the report's shape in -o json and text,
 * the stalled-consensus decision, the RFC 3339 parser, an unreachable node and usage mistakes.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { runCli, type CommandNode } from "../../../src/cli/args";
import { httpRpcGet, makeStatusCommand, parseRfc3339Ms, statusReport, type RpcGet } from "../../../src/cli/status";

const BLOCK_TIME = "2026-12-05T01:00:00.123456789Z";
const BLOCK_MS = Date.parse("2026-12-05T01:00:00.123Z");

function statusResult(over: { height?: string; time?: string; catchingUp?: boolean; power?: string } = {}): unknown {
  return {
    node_info: { id: "a1b2c3", moniker: "node0", network: "dcert-devnet", version: "0.38.26", listen_addr: "tcp://0.0.0.0:26656" },
    sync_info: {
      latest_block_hash: "ABCD",
      latest_app_hash: "EF01",
      latest_block_height: over.height ?? "42",
      latest_block_time: over.time ?? BLOCK_TIME,
      catching_up: over.catchingUp ?? false,
    },
    validator_info: { address: "0123456789ABCDEF0123456789ABCDEF01234567", pub_key: { type: "tendermint/PubKeyEd25519", value: "AAAA" }, voting_power: over.power ?? "100" },
  };
}

const ABCI_INFO = { response: { data: "dcertd", version: "0.1.0", app_version: "1", last_block_height: "42", last_block_app_hash: "7wE=" } };

function fakeRpc(status: unknown = statusResult()): RpcGet & { calls: string[] } {
  const calls: string[] = [];
  const f = (node: string, route: string): Promise<unknown> => {
    calls.push(`${node}/${route}`);
    return Promise.resolve(route === "status" ? status : ABCI_INFO);
  };
  return Object.assign(f, { calls });
}

async function run(commands: readonly CommandNode[], ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const a = jest.spyOn(console, "log").mockImplementation((s: string) => void out.push(String(s)));
  const b = jest.spyOn(console, "error").mockImplementation((s: string) => void err.push(String(s)));
  try {
    return { code: await runCli("dcertd", commands, argv), out: out.join("\n"), err: err.join("\n") };
  } finally {
    a.mockRestore();
    b.mockRestore();
  }
}

describe("statusReport", () => {
  test("the JSON shape: CometBFT's snake_case sections, the app's info and the consensus verdict", () => {
    expect(statusReport(statusResult(), ABCI_INFO, BLOCK_MS + 5_500, 30)).toEqual({
      node_info: { id: "a1b2c3", moniker: "node0", network: "dcert-devnet", version: "0.38.26" },
      sync_info: { latest_block_hash: "ABCD", latest_app_hash: "EF01", latest_block_height: "42", latest_block_time: BLOCK_TIME, catching_up: false },
      validator_info: { address: "0123456789ABCDEF0123456789ABCDEF01234567", voting_power: "100" },
      application_info: { data: "dcertd", version: "0.1.0", app_version: "1", last_block_height: "42" },
      consensus: { stalled: false, seconds_since_block: 5, stall_after: 30 },
    });
  });

  test("stalled exactly when the block is older than the threshold, has a height, and the node is not catching up", () => {
    fc.assert(
      fc.property(fc.integer({ min: -5_000, max: 10_000_000 }), fc.integer({ min: 1, max: 3_600 }), fc.boolean(), fc.boolean(), (ageMs, threshold, catchingUp, genesis) => {
        const r = statusReport(statusResult({ catchingUp, height: genesis ? "0" : "7" }), ABCI_INFO, BLOCK_MS + ageMs, threshold);
        const seconds = Math.max(0, Math.floor(ageMs / 1000));
        expect(r.consensus.seconds_since_block).toBe(genesis ? null : seconds);
        expect(r.consensus.stalled).toBe(!genesis && !catchingUp && seconds > threshold);
      }),
    );
  });

  test("a missing or odd answer gives empty fields, not a crash", () => {
    const r = statusReport({}, {}, BLOCK_MS, 30);
    expect(r.sync_info.latest_block_height).toBe("0");
    expect(r.validator_info.voting_power).toBe("0");
    expect(r.consensus).toEqual({ stalled: false, seconds_since_block: null, stall_after: 30 });
  });
});

describe("parseRfc3339Ms", () => {
  test("agrees with Date for millisecond times, whatever the fraction digits", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 6 }), (ms, subMs, trim) => {
        const iso = new Date(ms).toISOString(); // …sss Z
        const nanos = `${iso.slice(20, 23)}${subMs.toString().padStart(6, "0")}`.slice(0, 9 - trim);
        const withNanos = `${iso.slice(0, 19)}${nanos === "" ? "" : `.${nanos}`}Z`;
        const expected = nanos === "" ? Math.floor(ms / 1000) * 1000 : Date.parse(`${iso.slice(0, 19)}.${nanos.slice(0, 3).padEnd(3, "0")}Z`);
        expect(parseRfc3339Ms(withNanos)).toBe(expected);
      }),
    );
  });

  test("refuses what is not RFC 3339", () => {
    for (const t of ["", "yesterday", "2026-12-05", "2026-12-05T01:00:00", "2026-13-45T99:00:00Z"]) expect(parseRfc3339Ms(t)).toBeUndefined();
    expect(parseRfc3339Ms("2026-12-05T02:00:00+01:00")).toBe(Date.parse("2026-12-05T01:00:00Z"));
  });
});

describe("dcertd status", () => {
  const now = (): number => BLOCK_MS + 3_000;

  test("-o json prints the report; it asks the --node for /status and /abci_info", async () => {
    const rpc = fakeRpc();
    const r = await run([makeStatusCommand({ rpc, now })], "status", "--node", "tcp://10.0.0.1:26657", "-o", "json");
    expect(r.code).toBe(0);
    expect(rpc.calls).toEqual(["http://10.0.0.1:26657/status", "http://10.0.0.1:26657/abci_info"]);
    const j = JSON.parse(r.out) as { sync_info: { latest_block_height: string }; consensus: { stalled: boolean }; node_info: { network: string } };
    expect(j.sync_info.latest_block_height).toBe("42");
    expect(j.node_info.network).toBe("dcert-devnet");
    expect(j.consensus.stalled).toBe(false);
  });

  test("text: aligned rows, with the consensus line", async () => {
    const r = await run([makeStatusCommand({ rpc: fakeRpc(), now })], "status");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^moniker\s+node0$/m);
    expect(r.out).toMatch(/^network\s+dcert-devnet$/m);
    expect(r.out).toMatch(/^latest_block_height\s+42$/m);
    expect(r.out).toMatch(/^catching_up\s+no$/m);
    expect(r.out).toMatch(/^voting_power\s+100$/m);
    expect(r.out).toMatch(/^app\s+dcertd 0\.1\.0 \(app version 1\)$/m);
    expect(r.out).toMatch(/^consensus\s+ok \(latest block 3 s ago\)$/m);
  });

  test("an old block: consensus stalled for N s (text and json); --stall-after moves the threshold", async () => {
    const late = (): number => BLOCK_MS + 95_000;
    const text = await run([makeStatusCommand({ rpc: fakeRpc(), now: late })], "status");
    expect(text.out).toMatch(/^consensus\s+consensus stalled for 95 s \(no block since 2026-12-05T01:00:00\.123456789Z; threshold 30 s\)$/m);
    const json = await run([makeStatusCommand({ rpc: fakeRpc(), now: late })], "status", "-o", "json", "--stall-after", "120");
    expect((JSON.parse(json.out) as { consensus: unknown }).consensus).toEqual({ stalled: false, seconds_since_block: 95, stall_after: 120 });
  });

  test("a node that is not a validator shows voting power 0", async () => {
    const r = await run([makeStatusCommand({ rpc: fakeRpc(statusResult({ power: "0" })), now })], "status");
    expect(r.out).toMatch(/^voting_power\s+0 \(not a validator of the current set\)$/m);
  });

  test("usage mistakes exit 2", async () => {
    const cmd = [makeStatusCommand({ rpc: fakeRpc(), now })];
    for (const [argv, msg] of [
      [["status", "--stall-after", "0"], /^error: --stall-after must be a whole number of seconds ≥ 1, got "0"; run "dcertd status --help"/],
      [["status", "--stall-after", "1.5"], /^error: --stall-after must be/],
      [["status", "-o", "xml"], /^error: --output must be text or json/],
      [["status", "extra"], /^error: unexpected argument "extra"/],
      [["status", "--node", "ftp://x"], /^error: --node must be a URL/],
    ] as const) {
      const r = await run(cmd, ...argv);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
    }
  });
});

describe("the real RPC", () => {
  test("an unreachable node is clientenv's error, exit 1", async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const r = await run([makeStatusCommand({ rpc: httpRpcGet, now: () => BLOCK_MS })], "status", "--node", `http://127.0.0.1:${port}`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^error: cannot reach the node at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\); start a node`));
  });

  test("JSON-RPC results are unwrapped; errors and non-JSON answers are explained", async () => {
    const server = http.createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.url === "/status") res.end(JSON.stringify({ jsonrpc: "2.0", id: -1, result: statusResult() }));
      else if (req.url === "/abci_info") res.end(JSON.stringify({ jsonrpc: "2.0", id: -1, error: { code: -32603, message: "Internal error", data: "app not ready" } }));
      else res.end("<html>not an RPC</html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const node = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await httpRpcGet(node, "status")).toEqual(statusResult());
      await expect(httpRpcGet(node, "abci_info")).rejects.toThrow(`the node at ${node} refused /abci_info: Internal error app not ready`);
      await expect(httpRpcGet(node, "other")).rejects.toThrow(/answered \/other with HTTP 200 and no JSON; check that --node/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
