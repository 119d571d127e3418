/**
 * The API servers on a thread of their own (src/server/apithread.ts, apiworker.ts): the same
 * answers as the servers on the main thread, every app query answered by the main thread's query
 * service, start failures reported with their errno code, and a thread that stops started again.
 *
 * The thread runs the compiled program (dist/src/server/apiworker.js), which the README's test
 * command builds before Jest starts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import * as grpc from "@grpc/grpc-js";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";

import { DEFAULT_DENOM } from "../../src/baseapp/tx/constants";
import { startApiServers, type ApiServers } from "../../src/server";
import { startApiServersOnThread, type ApiThread } from "../../src/server/apithread";
import { testChain } from "../helpers/app";
import { directWallet } from "../helpers/txs";

const SCRIPT = join(__dirname, "..", "..", "dist", "src", "server", "apiworker.js");
const node = { appName: "dcertd", version: "0.0.0-test", gitCommit: "unknown" } as const;

const closers: (() => Promise<void>)[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function chain() {
  const address = (await (await directWallet()).getAccounts())[0]?.address ?? "";
  const c = testChain({ accounts: [{ address, amount: 10_000_000_000n }] });
  c.block();
  return { app: c.app, address };
}

/** The app's query service, counting what it answers. */
function counted(app: { query(req: RequestQuery): ResponseQuery; queryPaths(): string[] }) {
  const seen: string[] = [];
  return {
    seen,
    query: (req: RequestQuery) => {
      seen.push(req.path);
      return app.query(req);
    },
    queryPaths: () => app.queryPaths(),
  };
}

async function onThread(opts: Partial<Parameters<typeof startApiServersOnThread>[0]> & Pick<Parameters<typeof startApiServersOnThread>[0], "app">): Promise<ApiThread> {
  const t = await startApiServersOnThread({
    script: SCRIPT,
    rpcUrl: "http://127.0.0.1:1", // nothing listens: the node services answer UNAVAILABLE
    node,
    rest: { address: "tcp://127.0.0.1:0", cors: true },
    grpc: { address: "127.0.0.1:0" },
    log: () => undefined,
    ...opts,
  });
  closers.push(() => t.close());
  return t;
}

async function onMain(app: Parameters<typeof startApiServers>[0]["app"]): Promise<ApiServers> {
  const s = await startApiServers({ app, rpcUrl: "http://127.0.0.1:1", node, rest: { address: "tcp://127.0.0.1:0", cors: true }, log: () => undefined });
  closers.push(() => s.close());
  return s;
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

test("REST answers as on the main thread; each app query is answered by the main thread's service", async () => {
  const { app, address } = await chain();
  const service = counted(app);
  const logs: string[] = [];
  const thread = await onThread({ app: service, log: (l) => logs.push(l) });
  const main = await onMain(app);
  const routes = [
    `/cosmos/bank/v1beta1/balances/${address}`,
    `/cosmos/bank/v1beta1/balances/${address}/by_denom?denom=${DEFAULT_DENOM}`,
    "/dcert/v1/params",
    "/cosmos/bank/v1beta1/balances/not-an-address", // a query error
    "/cosmos/base/tendermint/v1beta1/syncing", // a node service, CometBFT unreachable
    "/no/such/route",
  ];
  for (const route of routes) {
    const [a, b] = await Promise.all([get(`${thread.restUrl ?? ""}${route}`), get(`${main.restUrl ?? ""}${route}`)]);
    expect({ route, ...a }).toEqual({ route, ...b });
  }
  expect(service.seen).toEqual(["/cosmos.bank.v1beta1.Query/AllBalances", "/cosmos.bank.v1beta1.Query/Balance", "/dcert.v1.Query/Params", "/cosmos.bank.v1beta1.Query/AllBalances"]);
  expect(thread.queriesAnswered).toBe(4);
  // The thread's servers log through the node's log.
  expect(logs.some((l) => l.startsWith("rest: serving"))).toBe(true);
  expect(logs.some((l) => l.startsWith("gRPC server listening"))).toBe(true);
});

test("gRPC on the thread answers app queries; a failing query service fails the call", async () => {
  const { app, address } = await chain();
  let failing = false;
  const service = {
    query: (req: RequestQuery): Promise<ResponseQuery> => (failing ? Promise.reject(new Error("the node is closing")) : Promise.resolve(app.query(req))),
    queryPaths: () => app.queryPaths(),
  };
  const thread = await onThread({ app: service });
  const client = new grpc.Client(thread.grpcAddress ?? "", grpc.credentials.createInsecure());
  closers.push(() => Promise.resolve(client.close()));
  const call = (): Promise<Uint8Array> =>
    new Promise((resolve, reject) => {
      client.makeUnaryRequest(
        "/cosmos.bank.v1beta1.Query/Balance",
        (m: Uint8Array) => Buffer.from(m),
        (b: Buffer) => new Uint8Array(b),
        QueryBalanceRequest.encode({ address, denom: DEFAULT_DENOM }).finish(),
        (err, res) => (err !== null ? reject(err) : resolve(res ?? new Uint8Array())),
      );
    });
  const direct = QueryBalanceResponse.decode(app.query({ path: "/cosmos.bank.v1beta1.Query/Balance", data: QueryBalanceRequest.encode({ address, denom: DEFAULT_DENOM }).finish(), height: 0n, prove: false }).value);
  expect(direct.balance?.amount).toMatch(/^[1-9][0-9]*$/);
  expect(QueryBalanceResponse.decode(await call())).toEqual(direct);
  failing = true;
  await expect(call()).rejects.toMatchObject({ details: expect.stringContaining("the node is closing") as unknown });
  // The thread keeps serving.
  failing = false;
  expect(QueryBalanceResponse.decode(await call())).toEqual(direct);
});

test("a port in use: the start fails with EADDRINUSE and nothing is left listening", async () => {
  const { app } = await chain();
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  closers.push(() => new Promise<void>((r) => blocker.close(() => r())));
  const taken = (blocker.address() as net.AddressInfo).port;
  const restPort = await freePort();
  await expect(onThread({ app, rest: { address: `tcp://127.0.0.1:${restPort}`, cors: false }, grpc: { address: `127.0.0.1:${taken}` } })).rejects.toMatchObject({
    code: "EADDRINUSE",
  });
  // The REST gateway had started first and was closed again: its port is free.
  const again = net.createServer();
  await new Promise<void>((resolve, reject) => {
    again.once("error", reject);
    again.listen(restPort, "127.0.0.1", resolve);
  });
  await new Promise<void>((r) => again.close(() => r()));
  await expect(onThread({ app, rest: { address: `tcp://127.0.0.1:${taken}`, cors: false } })).rejects.toMatchObject({ code: "EADDRINUSE" });
});

function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const p = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(p));
    });
  });
}

test("a thread that stops is started again, and closing stops the restarts", async () => {
  const { app } = await chain();
  const dir = mkdtempSync(join(tmpdir(), "dcert-api-thread-"));
  dirs.push(dir);
  // Starts, then dies a moment later (as a thread that runs out of memory would).
  const fragile = join(dir, "fragile.js");
  writeFileSync(fragile, `const { parentPort } = require("node:worker_threads");\nparentPort.postMessage({ started: true, restUrl: "http://fragile" });\nsetTimeout(() => process.exit(7), 20);\n`);
  const logs: string[] = [];
  const thread = await onThread({ app, script: fragile, restartDelayMs: 10, log: () => undefined, warn: (l) => logs.push(l) });
  expect(thread.restUrl).toBe("http://fragile");
  for (let waited = 0; thread.restarts < 2; waited += 10) {
    if (waited > 60_000) throw new Error("the stopped thread was never started again");
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(logs[0]).toMatch(/^the API thread stopped \(it exited with code 7\); the REST and gRPC servers start again in 10 ms$/);
  // Each failure in a row doubles the delay.
  expect(logs[1]).toMatch(/start again in 20 ms$/);
  await thread.close();
  const restarts = thread.restarts;
  await new Promise((r) => setTimeout(r, 200));
  expect(thread.restarts).toBe(restarts);
});
