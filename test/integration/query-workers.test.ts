/**
 * Queries and Simulate on worker threads (src/app/queryworkers.ts, queryworker.ts): each worker
 * answers from a read-only replica of the node's LMDB store (LmdbReplicaStore) what the executing
 * app answers, at the same committed height, including blocks still in the write-ahead log.
 *
 * The workers run the compiled program (dist/src/app/queryworker.js), which the README's test
 * command builds before Jest starts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { getPriority, tmpdir } from "node:os";
import { join } from "node:path";

import { QueryAllBalancesRequest, QueryBalanceRequest } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { SimulateRequest } from "cosmjs-types/cosmos/tx/v1beta1/service";
import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";

import { DEFAULT_QUERY_WORKER_NICE, MAX_ATTEMPTS, QueryWorkerPool } from "../../src/app/queryworkers";
import { LmdbCommitStore, LmdbReplicaStore, type LmdbApplyMode } from "../../src/baseapp/store/lmdb";
import { DEFAULT_DENOM } from "../../src/baseapp/tx/constants";
import { accountOf, validatorAndAliceChain, type TestChain } from "../helpers/app";
import { onLinux, ownNice, threadNices } from "../helpers/threads";
import { msgSend, signDirect, testFee, TEST_CHAIN_ID } from "../helpers/txs";

const SCRIPT = join(__dirname, "..", "..", "dist", "src", "app", "queryworker.js");

const dirs: string[] = [];
const pools: QueryWorkerPool[] = [];
const stores: { close(): void }[] = [];

afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "dcert-qw-"));
  dirs.push(d);
  return d;
}

async function lmdbChain(apply: LmdbApplyMode) {
  const dir = tmp();
  const store = LmdbCommitStore.open(dir, { apply });
  stores.push(store);
  return { dir, store, ...(await validatorAndAliceChain({ store })) };
}

/** A pool whose workers have all said they are ready (or failed). */
async function pool(dir: string, app: ConstructorParameters<typeof QueryWorkerPool>[0]["app"], size = 2, script = SCRIPT): Promise<QueryWorkerPool> {
  const p = new QueryWorkerPool({ size, script, dir, app, minGasPrices: "" });
  pools.push(p);
  await p.started();
  return p;
}

const q = (path: string, data: Uint8Array): RequestQuery => ({ path, data, height: 0n, prove: false });

function requests(alice: string, simulated: Uint8Array): RequestQuery[] {
  return [
    q("/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address: alice, denom: DEFAULT_DENOM }).finish()),
    q("/cosmos.bank.v1beta1.Query/AllBalances", QueryAllBalancesRequest.encode({ address: alice, resolveDenom: false }).finish()),
    q("/cosmos.tx.v1beta1.Service/Simulate", SimulateRequest.encode({ txBytes: simulated }).finish()),
    q("/cosmos.staking.v1beta1.Query/Validators", new Uint8Array()),
    q("/dcert.v1.Query/Params", new Uint8Array()),
    // Refusals: a bad address, an unknown path, a wrong height.
    q("/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address: "dcert1nope", denom: DEFAULT_DENOM }).finish()),
    q("/no.such.Service/Method", new Uint8Array()),
    { ...q("/app/version", new Uint8Array()), height: 99_999n },
  ];
}

async function sendFromAlice(s: { chain: TestChain; wallet: Parameters<typeof signDirect>[0]; alice: string; validator: string }, amount: number): Promise<Uint8Array> {
  const { accountNumber, sequence } = accountOf(s.chain, s.alice);
  return signDirect(s.wallet, { msgs: [msgSend(s.alice, s.validator, amount)], fee: testFee(5000, 200_000n), chainId: TEST_CHAIN_ID, accountNumber, sequence: Number(sequence) });
}

/** The pool's answers to `reqs` next to the app's own. */
async function both(p: QueryWorkerPool, app: { query(r: RequestQuery): ResponseQuery }, reqs: readonly RequestQuery[]) {
  const fromWorkers = await Promise.all(reqs.map((r) => p.query(r)));
  return { fromWorkers, fromApp: reqs.map((r) => app.query(r)) };
}

describe("query workers", () => {
  test.each(["background", "onReopen"] as const)("answer as the app does, block after block (store apply mode %s)", async (apply) => {
    const s = await lmdbChain(apply);
    const p = await pool(s.dir, s.chain.app);
    for (let b = 0; b < 4; b++) {
      const reqs = requests(s.alice, await sendFromAlice(s, 7));
      const { fromWorkers, fromApp } = await both(p, s.chain.app, reqs);
      expect(fromWorkers).toEqual(fromApp);
      // Each kind of answer is there: values, a simulation, refusals with their codes.
      expect(fromApp.map((r) => r.code === 0)).toEqual([true, true, true, true, true, false, false, false]);
      expect(fromApp[0]!.height).toBe(s.chain.height);
      // The next block moves alice's balance and sequence: the next round must see it.
      expect(s.chain.deliver(await sendFromAlice(s, 1000 + b)).code).toBe(0);
    }
    // onReopen never applies: every block after genesis was served from the log's layers.
    if (apply === "onReopen") expect(s.store.backlog).toBeGreaterThanOrEqual(4);
    expect(p.servedByWorkers).toBe(4 * 8);
    expect(p.servedOnMain).toBe(0);
  });

  test("a worker that holds another height is asked again at the app's new height", async () => {
    const s = await lmdbChain("background");
    s.chain.block();
    // The first read of the height is one behind the store (as when a block is committed while a
    // request is on its way): the worker must refuse it as stale, not answer at the wrong height.
    let lag = 1;
    const app = {
      query: (r: RequestQuery) => s.chain.app.query(r),
      get lastHeight() {
        const h = s.chain.app.lastHeight - BigInt(lag);
        lag = 0;
        return h;
      },
      get committedBlock() {
        return { ...s.chain.app.committedBlock, height: s.chain.app.lastHeight - BigInt(lag) };
      },
    };
    const p = await pool(s.dir, app, 1);
    const req = requests(s.alice, await sendFromAlice(s, 1))[0]!;
    const res = await p.query(req);
    expect(res).toEqual(s.chain.app.query(req));
    expect([p.staleAnswers, p.servedByWorkers, p.servedOnMain]).toEqual([1, 1, 0]);
  });

  test(`after ${MAX_ATTEMPTS} stale answers in a row the main thread answers`, async () => {
    const s = await lmdbChain("background");
    const app = {
      query: (r: RequestQuery) => s.chain.app.query(r),
      get lastHeight() {
        return s.chain.app.lastHeight + 1n;
      },
      get committedBlock() {
        return { ...s.chain.app.committedBlock, height: s.chain.app.lastHeight + 1n };
      },
    };
    const p = await pool(s.dir, app, 1);
    const req = requests(s.alice, await sendFromAlice(s, 1))[0]!;
    expect(await p.query(req)).toEqual(s.chain.app.query(req));
    expect([p.staleAnswers, p.servedByWorkers, p.servedOnMain]).toEqual([MAX_ATTEMPTS, 0, 1]);
  });

  test("a worker that exits is dropped and its requests are answered on the main thread", async () => {
    const s = await lmdbChain("background");
    const dead = join(tmp(), "exits.js");
    writeFileSync(dead, "process.exit(3);\n");
    const p = await pool(s.dir, s.chain.app, 1, dead);
    const reqs = requests(s.alice, await sendFromAlice(s, 1));
    const { fromWorkers, fromApp } = await both(p, s.chain.app, reqs);
    expect(fromWorkers).toEqual(fromApp);
    expect(p.servedByWorkers).toBe(0);
    expect(p.servedOnMain).toBe(reqs.length);
    // Once it is gone, nothing is sent to it.
    await new Promise((r) => setTimeout(r, 50));
    expect(p.size).toBe(0);
  });

  test("a worker that stops after it is ready is replaced; what it had is answered on the main thread", async () => {
    const s = await lmdbChain("background");
    // Says it is ready, then dies on its first request (as a worker that runs out of memory would).
    const fragile = join(tmp(), "fragile.js");
    writeFileSync(fragile, `const { parentPort } = require("node:worker_threads");\nparentPort.postMessage({ ready: true });\nparentPort.on("message", () => process.exit(5));\n`);
    const p = new QueryWorkerPool({ size: 1, script: fragile, dir: s.dir, app: s.chain.app, minGasPrices: "", restartDelayMs: 10 });
    pools.push(p);
    expect(await p.started()).toBe(1);
    const req = requests(s.alice, await sendFromAlice(s, 1))[0]!;
    expect(await p.query(req)).toEqual(s.chain.app.query(req));
    expect([p.servedByWorkers, p.servedOnMain]).toEqual([0, 1]);
    // Replaced after the delay: a new worker starts and says it is ready.
    for (let waited = 0; p.restarts === 0; waited += 10) {
      if (waited > 60_000) throw new Error("the stopped worker was never replaced");
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await p.started()).toBe(1);
    expect(p.readyWorkers).toBe(1);
  });

  test("until a worker says it is ready, the main thread answers", async () => {
    const s = await lmdbChain("background");
    const p = new QueryWorkerPool({ size: 1, script: SCRIPT, dir: s.dir, app: s.chain.app, minGasPrices: "" });
    pools.push(p);
    const req = requests(s.alice, await sendFromAlice(s, 1))[0]!;
    // Asked in the same turn as the pool was made: no worker can have answered its start yet.
    expect(await p.query(req)).toEqual(s.chain.app.query(req));
    expect([p.servedOnMain, p.servedByWorkers]).toEqual([1, 0]);
    expect(await p.started()).toBe(1);
    expect(await p.query(req)).toEqual(s.chain.app.query(req));
    expect([p.servedOnMain, p.servedByWorkers]).toEqual([1, 1]);
  });

  test("before the first committed block the main thread answers", async () => {
    const dir = tmp();
    const store = LmdbCommitStore.open(dir);
    stores.push(store);
    const app = { query: () => ({ code: 0, log: "", info: "", index: 0n, key: new Uint8Array(), value: new Uint8Array([1]), height: 0n, codespace: "" }), lastHeight: 0n, committedBlock: { chainId: "", height: 0n, time: { seconds: 0n, nanos: 0 }, proposer: new Uint8Array() } };
    const p = await pool(dir, app, 1);
    expect((await p.query(q("/app/version", new Uint8Array()))).value).toEqual(new Uint8Array([1]));
    expect(p.servedOnMain).toBe(1);
  });
});

describe("LmdbReplicaStore", () => {
  test("holds the writer's committed state, log layers included, and follows its commits", async () => {
    const s = await lmdbChain("onReopen");
    const replica = LmdbReplicaStore.open(s.dir);
    stores.push(replica);
    const keysOf = (it: Iterable<[Uint8Array, Uint8Array]>) => [...it].map(([k, v]) => Buffer.from(k).toString("hex") + "=" + Buffer.from(v).toString("hex"));
    for (let b = 0; b < 3; b++) {
      expect(replica.sync()).toBe(s.store.lastHeight);
      expect(Buffer.from(replica.lastAppHash)).toEqual(Buffer.from(s.store.lastAppHash));
      expect(keysOf(replica.branch().iterate())).toEqual(keysOf(s.store.branch().iterate()));
      expect(s.chain.deliver(await sendFromAlice(s, 5)).code).toBe(0);
      // Until it syncs, the replica stays at the height it read.
      expect(replica.lastHeight).toBe(s.store.lastHeight - 1n);
    }
    expect(() => replica.prepare(replica.branch(), replica.lastHeight + 1n)).not.toThrow();
    expect(() => replica.commit(replica.prepare(replica.branch(), replica.lastHeight + 1n))).toThrow(/read-only/);
  });
});

describe("query worker priority", () => {

  onLinux("each worker lowers its own thread by the nice steps given, only its own, and still answers", async () => {
    const s = await lmdbChain("background");
    const base = ownNice(); // the process's nice value (0 unless the tests run under nice)
    const want = Math.min(19, base + 6);
    const before = threadNices().filter((n) => n === want).length;
    const p = new QueryWorkerPool({ size: 2, nice: 6, script: SCRIPT, dir: s.dir, app: s.chain.app, minGasPrices: "" });
    pools.push(p);
    expect(await p.started()).toBe(2);
    expect(p.priorities).toEqual([{ nice: want }, { nice: want }]);
    expect(threadNices().filter((n) => n === want).length - before).toBe(2);
    expect(ownNice()).toBe(base);
    const req = requests(s.alice, await sendFromAlice(s, 1))[0]!;
    expect(await p.query(req)).toEqual(s.chain.app.query(req));
    expect(p.servedByWorkers).toBe(1);
  });

  onLinux("by default the workers run DEFAULT_QUERY_WORKER_NICE steps below; 0 leaves them at the process's", async () => {
    const s = await lmdbChain("background");
    const plain = new QueryWorkerPool({ size: 1, nice: 0, script: SCRIPT, dir: s.dir, app: s.chain.app, minGasPrices: "" });
    const lowered = new QueryWorkerPool({ size: 1, script: SCRIPT, dir: s.dir, app: s.chain.app, minGasPrices: "" });
    pools.push(plain, lowered);
    await Promise.all([plain.started(), lowered.started()]);
    expect(plain.priorities).toEqual([{ nice: getPriority() }]);
    expect(lowered.priorities).toEqual([{ nice: Math.min(19, ownNice() + DEFAULT_QUERY_WORKER_NICE) }]);
  });

  test("nice steps out of range are refused before any worker starts", async () => {
    const s = await lmdbChain("background");
    for (const nice of [20, -1, 1.5]) {
      expect(() => new QueryWorkerPool({ size: 1, nice, script: SCRIPT, dir: s.dir, app: s.chain.app, minGasPrices: "" })).toThrow(new RegExp(`nice ${nice} is not a whole number from 0 to 19`));
    }
  });

  test("a worker that could not lower its priority is said to, and still serves", async () => {
    const s = await lmdbChain("background");
    const stubborn = join(tmp(), "stubborn.js");
    writeFileSync(
      stubborn,
      `const { parentPort } = require("node:worker_threads");\nparentPort.postMessage({ ready: true, priority: { niceError: "not permitted here" } });\nparentPort.on("message", (m) => parentPort.postMessage({ id: m.id, error: "this stub serves nothing" }));\n`,
    );
    const warnings: string[] = [];
    const log = { warn: (msg: string) => warnings.push(msg) } as unknown as NonNullable<ConstructorParameters<typeof QueryWorkerPool>[0]["log"]>;
    const p = new QueryWorkerPool({ size: 1, nice: 4, script: stubborn, dir: s.dir, app: s.chain.app, minGasPrices: "", log });
    pools.push(p);
    expect(await p.started()).toBe(1);
    expect(p.priorities).toEqual([{ niceError: "not permitted here" }]);
    expect(warnings.some((w) => w.includes("could not lower its priority by 4 nice steps (not permitted here)"))).toBe(true);
    // Still a ready worker: requests go to it (this stub hands them back, and the main thread answers).
    const req = requests(s.alice, await sendFromAlice(s, 1))[0]!;
    expect(await p.query(req)).toEqual(s.chain.app.query(req));
    expect(p.readyWorkers).toBe(1);
  });
});
