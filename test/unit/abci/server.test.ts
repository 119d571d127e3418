import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

import {
  CheckTxType,
  Request,
  Response,
  ResponseApplySnapshotChunk,
  ResponseCheckTx,
  ResponseCommit,
  ResponseExtendVote,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseListSnapshots,
  ResponseLoadSnapshotChunk,
  ResponseOfferSnapshot,
  ResponsePrepareProposal,
  ResponseProcessProposal,
  ResponseQuery,
  ResponseVerifyVoteExtension,
} from "cosmjs-types/tendermint/abci/types";

import type { DeepPartial } from "cosmjs-types/helpers";

import { encodeFrames, FrameDecoder } from "../../../src/baseapp/abci/framing";
import { AbciConnection, AbciServer, isConsensusRequest, MAX_PIPELINED_QUERIES, parseListenAddress } from "../../../src/baseapp/abci/server";
import type { AbciApplication } from "../../../src/baseapp/abci/types";

type RequestInit = DeepPartial<Request>;

/** An app that answers everything with defaults; tests override single methods. */
function makeApp(overrides: Partial<AbciApplication> = {}): AbciApplication {
  return {
    info: () => ResponseInfo.fromPartial({ data: "fake", lastBlockHeight: 7n }),
    initChain: () => ResponseInitChain.fromPartial({}),
    query: () => ResponseQuery.fromPartial({}),
    checkTx: (req) => ResponseCheckTx.fromPartial({ code: req.tx[0] ?? 0, gasWanted: BigInt(req.tx.length) }),
    prepareProposal: (req) => ResponsePrepareProposal.fromPartial({ txs: req.txs }),
    processProposal: () => ResponseProcessProposal.fromPartial({ status: 1 }),
    finalizeBlock: (req) =>
      ResponseFinalizeBlock.fromPartial({ txResults: req.txs.map(() => ({})), appHash: new Uint8Array(32) }),
    commit: () => ResponseCommit.fromPartial({}),
    extendVote: () => ResponseExtendVote.fromPartial({}),
    verifyVoteExtension: () => ResponseVerifyVoteExtension.fromPartial({ status: 1 }),
    listSnapshots: () => ResponseListSnapshots.fromPartial({}),
    offerSnapshot: () => ResponseOfferSnapshot.fromPartial({}),
    loadSnapshotChunk: () => ResponseLoadSnapshotChunk.fromPartial({}),
    applySnapshotChunk: () => ResponseApplySnapshotChunk.fromPartial({}),
    ...overrides,
  };
}

const frames = (reqs: RequestInit[]): Buffer =>
  encodeFrames(reqs.map((r) => Request.encode(Request.fromPartial(r)).finish()));

const tx = (...bytes: number[]): { tx: Uint8Array } => ({ tx: new Uint8Array(bytes) });

/** The oneof case set in a response, e.g. "checkTx". */
function kind(resp: Response): string {
  const set = Object.entries(resp).filter(([, v]) => v !== undefined);
  expect(set).toHaveLength(1);
  return (set[0] as [string, unknown])[0];
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A test client: connects, sends bytes, collects decoded responses. */
class Client {
  readonly responses: Response[] = [];
  private readonly decoder = new FrameDecoder();
  private waiters: Array<() => void> = [];
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => {
      for (const f of this.decoder.push(chunk)) this.responses.push(Response.decode(f));
      for (const w of this.waiters) w();
    });
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
  }

  static connect(opts: net.NetConnectOpts): Promise<Client> {
    return new Promise((resolve, reject) => {
      const s = net.connect(opts);
      s.once("connect", () => resolve(new Client(s)));
      s.once("error", reject);
    });
  }

  send(reqs: RequestInit[]): void {
    this.socket.write(frames(reqs));
  }

  /** Waits until `n` responses have arrived (fails the test after 2 s). */
  async waitFor(n: number): Promise<Response[]> {
    const deadline = Date.now() + 2000;
    while (this.responses.length < n) {
      if (Date.now() > deadline) throw new Error(`timed out with ${this.responses.length}/${n} responses`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
      this.waiters = [];
    }
    return this.responses.slice(0, n);
  }
}

describe("parseListenAddress", () => {
  it("accepts CometBFT's proxy_app forms", () => {
    expect(parseListenAddress("tcp://127.0.0.1:26658")).toEqual({ kind: "tcp", host: "127.0.0.1", port: 26658 });
    expect(parseListenAddress("tcp://0.0.0.0:0")).toEqual({ kind: "tcp", host: "0.0.0.0", port: 0 });
    expect(parseListenAddress("localhost:1234")).toEqual({ kind: "tcp", host: "localhost", port: 1234 });
    expect(parseListenAddress("tcp://[::1]:9")).toEqual({ kind: "tcp", host: "::1", port: 9 });
    expect(parseListenAddress("unix:///tmp/app.sock")).toEqual({ kind: "unix", path: "/tmp/app.sock" });
  });

  it("rejects malformed addresses", () => {
    for (const bad of ["tcp://127.0.0.1", "tcp://host:99999", "unix://", "http://x", "tcp://a:b"]) {
      expect(() => parseListenAddress(bad)).toThrow();
    }
  });
});

describe("AbciConnection (no socket)", () => {
  /** The protocol tests run without the per-turn budget (a loaded machine must not make them yield). */
  const UNBOUNDED = { budgetMs: 0 };

  function recorder(): { writes: Uint8Array[]; closed: string[]; responses: () => Response[] } {
    const writes: Uint8Array[] = [];
    const closed: string[] = [];
    const responses = (): Response[] => {
      const d = new FrameDecoder();
      return writes.flatMap((w) => d.push(w)).map((f) => Response.decode(f));
    };
    return { writes, closed, responses };
  }

  it("answers a chunk of synchronous requests with one write, before handleChunk returns", () => {
    const r = recorder();
    const conn = new AbciConnection(makeApp(), { write: (d) => r.writes.push(d), close: (x) => r.closed.push(x) }, undefined, undefined, UNBOUNDED);
    conn.handleChunk(frames([{ echo: { message: "hi" } }, { checkTx: tx(0) }, { checkTx: tx(3, 4) }, { flush: {} }]));
    expect(r.writes).toHaveLength(1);
    const resps = r.responses();
    expect(resps.map(kind)).toEqual(["echo", "checkTx", "checkTx", "flush"]);
    expect(resps[0]?.echo?.message).toBe("hi");
    expect(resps[2]?.checkTx?.code).toBe(3);
    expect(resps[2]?.checkTx?.gasWanted).toBe(2n);
  });

  it("answers every request type with the matching response field", () => {
    const r = recorder();
    const conn = new AbciConnection(makeApp(), { write: (d) => r.writes.push(d), close: (x) => r.closed.push(x) }, undefined, undefined, UNBOUNDED);
    const reqs: RequestInit[] = [
      { info: {} },
      { initChain: {} },
      { query: {} },
      { checkTx: {} },
      { commit: {} },
      { listSnapshots: {} },
      { offerSnapshot: {} },
      { loadSnapshotChunk: {} },
      { applySnapshotChunk: {} },
      { prepareProposal: { txs: [new Uint8Array([1])] } },
      { processProposal: {} },
      { extendVote: {} },
      { verifyVoteExtension: {} },
      { finalizeBlock: { txs: [new Uint8Array([1]), new Uint8Array([2])] } },
    ];
    conn.handleChunk(frames(reqs));
    const resps = r.responses();
    expect(resps.map(kind)).toEqual(reqs.map((q) => Object.keys(q)[0]));
    expect(resps[13]?.finalizeBlock?.txResults).toHaveLength(2);
    expect(r.closed).toEqual([]);
  });

  it("keeps order across a slow promise and queues later calls until it settles", async () => {
    const r = recorder();
    const calls: string[] = [];
    const app = makeApp({
      checkTx: (req) => {
        const id = req.tx[0] ?? 0;
        calls.push(`start ${id}`);
        if (id !== 1) return ResponseCheckTx.fromPartial({ code: id });
        return delay(30).then(() => {
          calls.push("end 1");
          return ResponseCheckTx.fromPartial({ code: 1 });
        });
      },
    });
    const conn = new AbciConnection(app, { write: (d) => r.writes.push(d), close: (x) => r.closed.push(x) }, undefined, undefined, UNBOUNDED);
    conn.handleChunk(frames([{ checkTx: tx(0) }, { checkTx: tx(1) }, { checkTx: tx(2) }]));
    // The answer before the slow call goes out at once; the rest waits.
    expect(r.responses().map((x) => x.checkTx?.code)).toEqual([0]);
    conn.handleChunk(frames([{ checkTx: tx(3) }, { flush: {} }]));
    expect(conn.pendingRequests).toBe(4);
    await delay(60);
    expect(r.responses().map((x) => x.checkTx?.code ?? "flush")).toEqual([0, 1, 2, 3, "flush"]);
    expect(calls).toEqual(["start 0", "start 1", "end 1", "start 2", "start 3"]);
    expect(conn.pendingRequests).toBe(0);
  });
});

describe("AbciConnection: promised queries are pipelined", () => {
  const UNBOUNDED = { budgetMs: 0 };
  const decodeAll = (writes: readonly Uint8Array[]): Response[] => {
    const d = new FrameDecoder();
    return writes.flatMap((w) => d.push(w)).map((f) => Response.decode(f));
  };
  /** A query app whose answers the test releases one by one; the query's `height` names it. */
  function heldQueries() {
    const started: bigint[] = [];
    const release = new Map<bigint, () => void>();
    const app = makeApp({
      query: (req) => {
        started.push(req.height);
        return new Promise<ResponseQuery>((resolve) => release.set(req.height, () => resolve(ResponseQuery.fromPartial({ height: req.height, log: `q${req.height}` }))));
      },
    });
    return { app, started, release: (h: bigint) => release.get(h)?.() };
  }

  it("starts each promised query without waiting for the ones before; answers go out in request order", async () => {
    const { app, started, release } = heldQueries();
    const writes: Uint8Array[] = [];
    const conn = new AbciConnection(app, { write: (d) => writes.push(d), close: () => undefined }, undefined, undefined, UNBOUNDED);
    conn.handleChunk(frames([{ echo: { message: "a" } }, { query: { height: 1n } }, { query: { height: 2n } }, { echo: { message: "b" } }, { query: { height: 3n } }, { flush: {} }]));
    // All three are under way; only the answer before the first of them has gone out.
    expect(started).toEqual([1n, 2n, 3n]);
    expect(decodeAll(writes).map(kind)).toEqual(["echo"]);
    expect(conn.pendingRequests).toBe(3);
    release(3n);
    release(2n);
    await delay(5);
    // 2 and 3 are ready, but 1 is not: nothing may overtake it.
    expect(decodeAll(writes).map(kind)).toEqual(["echo"]);
    release(1n);
    await delay(5);
    const resps = decodeAll(writes);
    expect(resps.map(kind)).toEqual(["echo", "query", "query", "echo", "query", "flush"]);
    expect(resps.filter((r) => r.query).map((r) => r.query?.log)).toEqual(["q1", "q2", "q3"]);
    expect(conn.pendingRequests).toBe(0);
  });

  it(`holds at most ${MAX_PIPELINED_QUERIES} queries under way, and a rejected one is answered with an exception in its place`, async () => {
    const { app, started, release } = heldQueries();
    const failing = makeApp({ ...app, query: (req) => (req.height === 2n ? Promise.reject(new Error("worker gone")) : app.query(req)) });
    const writes: Uint8Array[] = [];
    const conn = new AbciConnection(failing, { write: (d) => writes.push(d), close: () => undefined }, () => undefined, undefined, UNBOUNDED);
    const n = MAX_PIPELINED_QUERIES + 5;
    conn.handleChunk(frames(Array.from({ length: n }, (_, i) => ({ query: { height: BigInt(i + 1) } }))));
    // The first MAX_PIPELINED_QUERIES are under way (query 2 as a promise that rejects), the rest wait.
    expect(started).toHaveLength(MAX_PIPELINED_QUERIES - 1);
    expect(conn.pendingRequests).toBe(n);
    await delay(5);
    // Query 2 has settled (its answer waits behind query 1): one more started in its place.
    expect(started).toHaveLength(MAX_PIPELINED_QUERIES);
    expect(writes).toHaveLength(0);
    release(1n);
    await delay(5);
    // Two answers went out (1 and the exception for 2), and one more query started.
    expect(decodeAll(writes).map((r) => r.query?.log ?? r.exception?.error)).toEqual(["q1", "query: worker gone"]);
    expect(started).toHaveLength(MAX_PIPELINED_QUERIES + 1);
    for (let h = 3; h <= n; h++) {
      release(BigInt(h));
      await delay(1);
    }
    await delay(5);
    const resps = decodeAll(writes);
    expect(resps).toHaveLength(n);
    expect(resps.slice(2).map((r) => r.query?.height)).toEqual(Array.from({ length: n - 2 }, (_, i) => BigInt(i + 3)));
    expect(conn.pendingRequests).toBe(0);
  });
});

describe("AbciConnection look ahead (prefetchCheckTxs)", () => {
  const UNBOUNDED = { budgetMs: 0 };
  const sinkOf = (writes: Uint8Array[]) => ({ write: (d: Uint8Array) => writes.push(d), close: () => undefined });
  const answered = (writes: Uint8Array[]): Response[] => {
    const d = new FrameDecoder();
    return writes.flatMap((w) => d.push(w)).map((f) => Response.decode(f));
  };

  it("offers each batch's new txs once (not rechecks), waits for the promise, then answers in order", async () => {
    const writes: Uint8Array[] = [];
    const offered: number[][] = [];
    const calls: string[] = [];
    let release: () => void = () => undefined;
    const app = makeApp({
      checkTx: (req) => {
        calls.push(`check ${req.tx[0] ?? -1}`);
        return ResponseCheckTx.fromPartial({ code: req.tx[0] ?? 0 });
      },
      prefetchCheckTxs: (txs) => {
        offered.push(txs.map((t) => t[0] ?? -1));
        calls.push("prefetch");
        return new Promise<void>((r) => (release = r));
      },
    });
    const conn = new AbciConnection(app, sinkOf(writes), undefined, undefined, UNBOUNDED);
    conn.handleChunk(frames([{ checkTx: tx(1) }, { checkTx: { tx: new Uint8Array([2]), type: CheckTxType.RECHECK } }, { checkTx: tx(3) }, { flush: {} }]));
    expect(offered).toEqual([[1, 3]]);
    expect(answered(writes)).toEqual([]); // nothing runs before the look ahead settles
    expect(conn.pendingRequests).toBe(4);
    // More frames while waiting: queued; looked at after the first batch's promise settles.
    conn.handleChunk(frames([{ checkTx: tx(4) }]));
    expect(offered).toHaveLength(1);
    release();
    await delay(0);
    expect(offered).toEqual([[1, 3], [4]]);
    release();
    await delay(0);
    expect(answered(writes).map((x) => x.checkTx?.code ?? "flush")).toEqual([1, 2, 3, "flush", 4]);
    expect(calls).toEqual(["prefetch", "prefetch", "check 1", "check 2", "check 3", "check 4"]);
    expect(conn.pendingRequests).toBe(0);
  });

  it("goes on without it when it throws, rejects or has nothing to do, and skips it on a consensus connection", async () => {
    for (const prefetch of [
      () => {
        throw new Error("boom");
      },
      () => Promise.reject(new Error("worker died")),
      () => undefined,
    ]) {
      const writes: Uint8Array[] = [];
      const conn = new AbciConnection(makeApp({ prefetchCheckTxs: prefetch }), sinkOf(writes), () => undefined, undefined, UNBOUNDED);
      conn.handleChunk(frames([{ checkTx: tx(5) }, { checkTx: tx(6) }]));
      await delay(0);
      expect(answered(writes).map((x) => x.checkTx?.code)).toEqual([5, 6]);
    }
    const offered: number[] = [];
    const writes: Uint8Array[] = [];
    const conn = new AbciConnection(
      makeApp({
        prefetchCheckTxs: (txs) => {
          offered.push(txs.length);
          return undefined;
        },
      }),
      sinkOf(writes),
      undefined,
      undefined,
      UNBOUNDED,
    );
    conn.handleChunk(frames([{ commit: {} }]));
    conn.handleChunk(frames([{ checkTx: tx(7) }]));
    expect(offered).toEqual([]);
    expect(answered(writes).map(kind)).toEqual(["commit", "checkTx"]);
  });

  it("an undecodable frame after good ones is still reported in order", async () => {
    const writes: Uint8Array[] = [];
    const closed: string[] = [];
    const offered: number[][] = [];
    const conn = new AbciConnection(
      makeApp({
        prefetchCheckTxs: (txs) => {
          offered.push(txs.map((t) => t[0] ?? -1));
          return Promise.resolve();
        },
      }),
      { write: (d) => writes.push(d), close: (x) => closed.push(x) },
      () => undefined,
      undefined,
      UNBOUNDED,
    );
    const good = frames([{ checkTx: tx(8) }]);
    const bad = encodeFrames([Uint8Array.of(0xff, 0xff, 0xff)]);
    conn.handleChunk(Buffer.concat([good, bad]));
    await delay(0);
    expect(offered).toEqual([[8]]);
    expect(answered(writes).map((x) => x.checkTx?.code)).toEqual([8]);
    expect(closed).toHaveLength(1);
  });
});

describe("AbciConnection scheduling: consensus is never starved", () => {
  /** A fake clock the app advances, and a queue of deferred continuations the test runs by hand. */
  function harness(budgetMs: number, msPerQuery = 1): {
    calls: string[];
    deferred: (() => void)[];
    query: AbciConnection;
    consensus: AbciConnection;
    mempool: AbciConnection;
    out: Record<"query" | "consensus" | "mempool", Response[]>;
    runDeferred(): number;
  } {
    let clock = 0;
    const calls: string[] = [];
    const deferred: (() => void)[] = [];
    const app = makeApp({
      query: (req) => {
        calls.push(`query ${req.path}`);
        clock += msPerQuery;
        return ResponseQuery.fromPartial({ log: req.path });
      },
      checkTx: (req) => {
        calls.push(`checkTx ${req.tx[0] ?? 0}`);
        clock += 0.0625; // 1/16 ms: exact in binary
        return ResponseCheckTx.fromPartial({ code: req.tx[0] ?? 0 });
      },
      finalizeBlock: (req) => {
        calls.push("finalizeBlock");
        clock += 50; // a slow block never makes the consensus connection yield
        return ResponseFinalizeBlock.fromPartial({ txResults: req.txs.map(() => ({})), appHash: new Uint8Array(32) });
      },
      commit: () => {
        calls.push("commit");
        return ResponseCommit.fromPartial({});
      },
    });
    const scheduling = { budgetMs, now: () => clock, defer: (fn: () => void) => void deferred.push(fn) };
    const out = { query: [] as Response[], consensus: [] as Response[], mempool: [] as Response[] };
    const conn = (name: keyof typeof out): AbciConnection => {
      const d = new FrameDecoder();
      const sink = { write: (w: Uint8Array) => void out[name].push(...d.push(w).map((f) => Response.decode(f))), close: () => undefined };
      return new AbciConnection(app, sink, () => undefined, undefined, scheduling);
    };
    return {
      calls,
      deferred,
      query: conn("query"),
      consensus: conn("consensus"),
      mempool: conn("mempool"),
      out,
      runDeferred(): number {
        let n = 0;
        while (deferred.length > 0) {
          (deferred.shift() as () => void)();
          n++;
        }
        return n;
      },
    };
  }

  const queries = (n: number): RequestInit[] => Array.from({ length: n }, (_, i) => ({ query: { path: `/q${i}` } }));

  it("a consensus request arriving during a long query backlog is answered before the backlog is drained", () => {
    const h = harness(5);
    h.query.handleChunk(frames([...queries(100), { flush: {} }]));
    // The query connection used its 5 ms budget, sent what it answered, and queued the rest.
    expect(h.calls).toHaveLength(5);
    expect(h.out.query.map((r) => r.query?.log)).toEqual(["/q0", "/q1", "/q2", "/q3", "/q4"]);
    expect(h.query.pendingRequests).toBe(96);
    expect(h.deferred).toHaveLength(1);
    // CometBFT's consensus connection sends FinalizeBlock + Commit: answered at once, in full.
    h.consensus.handleChunk(frames([{ finalizeBlock: { txs: [new Uint8Array([1])] } }, { flush: {} }, { commit: {} }, { flush: {} }]));
    expect(h.out.consensus.map(kind)).toEqual(["finalizeBlock", "flush", "commit", "flush"]);
    expect(h.calls.slice(5)).toEqual(["finalizeBlock", "commit"]);
    // Later turns finish the backlog, in order, five queries per turn.
    expect(h.runDeferred()).toBe(20);
    expect(h.out.query.map(kind)).toEqual([...Array<string>(100).fill("query"), "flush"]);
    expect(h.out.query.slice(0, 100).map((r) => r.query?.log)).toEqual(queries(100).map((q) => q.query?.path));
    expect(h.query.pendingRequests).toBe(0);
  });

  it("frames arriving while a connection has yielded wait behind its backlog (order is kept)", () => {
    const h = harness(3);
    h.query.handleChunk(frames(queries(10)));
    expect(h.calls).toHaveLength(3);
    h.query.handleChunk(frames([{ echo: { message: "late" } }, { flush: {} }]));
    expect(h.calls).toHaveLength(3); // nothing ran out of turn
    h.runDeferred();
    expect(h.out.query.map(kind)).toEqual([...Array<string>(10).fill("query"), "echo", "flush"]);
  });

  it("bounds a mempool connection's CheckTx batch per turn without losing or reordering any", () => {
    const h = harness(5);
    const n = 1_000;
    h.mempool.handleChunk(frames([...Array.from({ length: n }, (_, i) => ({ checkTx: tx(i % 7) })), { flush: {} }]));
    // 1/16 ms per CheckTx: 80 per 5 ms turn.
    expect(h.calls).toHaveLength(80);
    h.consensus.handleChunk(frames([{ commit: {} }]));
    expect(h.calls[80]).toBe("commit");
    h.runDeferred();
    const codes = h.out.mempool.filter((r) => r.checkTx !== undefined).map((r) => r.checkTx?.code);
    expect(codes).toEqual(Array.from({ length: n }, (_, i) => i % 7));
    expect(kind(h.out.mempool[h.out.mempool.length - 1] as Response)).toBe("flush");
  });

  it("never holds back the consensus connection, however long its requests take", () => {
    const h = harness(5);
    const blocks: RequestInit[] = [];
    for (let i = 0; i < 10; i++) blocks.push({ finalizeBlock: {} }, { flush: {} }, { commit: {} }, { flush: {} });
    h.consensus.handleChunk(frames(blocks));
    expect(h.deferred).toHaveLength(0);
    expect(h.out.consensus).toHaveLength(40);
  });

  it("a budget of 0 handles everything at once (the scheduler off)", () => {
    const h = harness(0);
    h.query.handleChunk(frames(queries(100)));
    expect(h.calls).toHaveLength(100);
    expect(h.deferred).toHaveLength(0);
    expect(h.out.query).toHaveLength(100);
  });

  it("classifies exactly the consensus connection's requests as consensus requests", () => {
    const consensus = ["initChain", "prepareProposal", "processProposal", "finalizeBlock", "commit", "extendVote", "verifyVoteExtension"];
    const all = [...consensus, "echo", "flush", "info", "query", "checkTx", "listSnapshots", "offerSnapshot", "loadSnapshotChunk", "applySnapshotChunk"];
    for (const k of all) expect([k, isConsensusRequest(Request.fromPartial({ [k]: {} } as RequestInit))]).toEqual([k, consensus.includes(k)]);
  });
});

describe("AbciServer over real sockets", () => {
  let server: AbciServer;
  let logs: string[];
  let tmp: string;

  beforeEach(() => {
    logs = [];
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "abci-test-"));
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("serves pipelined requests in order on a unix socket", async () => {
    server = new AbciServer(makeApp(), { log: (m) => logs.push(m) });
    const sock = path.join(tmp, "app.sock");
    await server.listen(`unix://${sock}`);
    expect(server.address).toBe(`unix://${sock}`);
    const c = await Client.connect({ path: sock });
    c.send([{ echo: { message: "ping" } }, { info: { version: "0.38.26" } }, { checkTx: tx(5) }, { flush: {} }]);
    const resps = await c.waitFor(4);
    expect(resps.map(kind)).toEqual(["echo", "info", "checkTx", "flush"]);
    expect(resps[0]?.echo?.message).toBe("ping");
    expect(resps[1]?.info?.lastBlockHeight).toBe(7n);
    expect(resps[2]?.checkTx?.code).toBe(5);
    expect(server.connections).toBe(1);
    c.socket.destroy();
    await c.closed;
    expect(logs).toEqual([]);
  });

  it("keeps order on TCP when a delayed promise precedes synchronous answers", async () => {
    const app = makeApp({
      info: () => delay(40).then(() => ResponseInfo.fromPartial({ lastBlockHeight: 99n })),
      checkTx: (req) =>
        req.tx[0] === 2
          ? delay(10).then(() => ResponseCheckTx.fromPartial({ code: 2 }))
          : ResponseCheckTx.fromPartial({ code: req.tx[0] ?? 0 }),
    });
    server = new AbciServer(app, { log: (m) => logs.push(m) });
    await server.listen("tcp://127.0.0.1:0");
    const port = Number(/:(\d+)$/.exec(server.address ?? "")?.[1]);
    const c = await Client.connect({ host: "127.0.0.1", port });
    c.send([{ checkTx: tx(1) }, { info: {} }, { checkTx: tx(2) }, { checkTx: tx(3) }, { echo: { message: "e" } }]);
    c.send([{ checkTx: tx(4) }, { flush: {} }]);
    const resps = await c.waitFor(7);
    expect(resps.map(kind)).toEqual(["checkTx", "info", "checkTx", "checkTx", "echo", "checkTx", "flush"]);
    expect(resps[1]?.info?.lastBlockHeight).toBe(99n);
    expect(resps.filter((x) => x.checkTx).map((x) => x.checkTx?.code)).toEqual([1, 2, 3, 4]);
    c.socket.destroy();
  });

  it("answers a throwing or rejecting app method with an exception and keeps serving", async () => {
    const app = makeApp({
      query: () => {
        throw new Error("boom");
      },
      commit: () => Promise.reject(new Error("async boom")),
    });
    server = new AbciServer(app, { log: (m) => logs.push(m) });
    await server.listen("tcp://127.0.0.1:0");
    const port = Number(/:(\d+)$/.exec(server.address ?? "")?.[1]);
    const c = await Client.connect({ host: "127.0.0.1", port });
    c.send([{ query: { path: "/x" } }, { checkTx: tx(0) }, { commit: {} }, { flush: {} }]);
    const resps = await c.waitFor(4);
    expect(resps.map(kind)).toEqual(["exception", "checkTx", "exception", "flush"]);
    expect(resps[0]?.exception?.error).toMatch(/boom/);
    expect(resps[2]?.exception?.error).toMatch(/async boom/);
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/app error in query/);
    c.socket.destroy();
  });

  it("closes a connection that sends garbage and keeps serving others", async () => {
    server = new AbciServer(makeApp(), { log: (m) => logs.push(m) });
    const sock = path.join(tmp, "app.sock");
    await server.listen(`unix://${sock}`);

    // A length prefix that never ends.
    const bad1 = await Client.connect({ path: sock });
    bad1.socket.write(Buffer.alloc(16, 0xff));
    await bad1.closed;

    // A well-formed frame whose body is not a protobuf Request (truncated length-delimited field),
    // after a good request that is still answered.
    const bad2 = await Client.connect({ path: sock });
    bad2.socket.write(
      Buffer.concat([frames([{ echo: { message: "before" } }]), encodeFrames([new Uint8Array([0x0a, 0x7f, 0x01])])]),
    );
    await bad2.closed;
    expect(bad2.responses.map(kind)).toEqual(["echo"]);

    // A frame that decodes but carries no request type.
    const bad3 = await Client.connect({ path: sock });
    bad3.socket.write(encodeFrames([new Uint8Array(0)]));
    await bad3.closed;

    expect(logs).toHaveLength(3);
    for (const l of logs) expect(l).toMatch(/protocol error/);

    const good = await Client.connect({ path: sock });
    good.send([{ echo: { message: "still here" } }, { flush: {} }]);
    expect((await good.waitFor(2)).map(kind)).toEqual(["echo", "flush"]);
    good.socket.destroy();
    await good.closed;
    await delay(10);
    expect(server.connections).toBe(0);
  });

  it("answers the consensus connection while another connection works through a long query backlog", async () => {
    // Each query burns ~2 ms of the one thread, as an expensive query or Simulate would.
    const burn = (ms: number): void => {
      const end = performance.now() + ms;
      while (performance.now() < end) {
        /* busy */
      }
    };
    const app = makeApp({
      query: (req) => {
        burn(2);
        return ResponseQuery.fromPartial({ log: req.path });
      },
    });
    server = new AbciServer(app, { log: (m) => logs.push(m), turnBudgetMs: 5 });
    const sock = path.join(tmp, "app.sock");
    await server.listen(`unix://${sock}`);
    const q = await Client.connect({ path: sock });
    const cons = await Client.connect({ path: sock });
    const n = 200; // ~400 ms of queries
    q.send(Array.from({ length: n }, (_, i) => ({ query: { path: `/q${i}` } })));
    await q.waitFor(1); // the backlog is being worked through
    cons.send([{ finalizeBlock: {} }, { flush: {} }]);
    await cons.waitFor(2);
    const answeredBefore = q.responses.length;
    expect(answeredBefore).toBeLessThan(n);
    await q.waitFor(n);
    expect(q.responses.map((r) => r.query?.log)).toEqual(Array.from({ length: n }, (_, i) => `/q${i}`));
    q.socket.destroy();
    cons.socket.destroy();
  });

  it("replaces a stale unix socket file but refuses one in use", async () => {
    server = new AbciServer(makeApp(), { log: (m) => logs.push(m) });
    const sock = path.join(tmp, "app.sock");
    await server.listen(`unix://${sock}`);
    const other = new AbciServer(makeApp());
    await expect(other.listen(`unix://${sock}`)).rejects.toThrow(/in use/);
    await server.close();
    // Leave a socket file behind as a crashed process would, then listen again.
    const orphan = net.createServer();
    await new Promise<void>((r) => orphan.listen(sock, r));
    fs.renameSync(sock, `${sock}.keep`);
    await new Promise<void>((r) => orphan.close(() => r()));
    fs.renameSync(`${sock}.keep`, sock);
    expect(fs.lstatSync(sock).isSocket()).toBe(true);
    await server.listen(`unix://${sock}`);
    const c = await Client.connect({ path: sock });
    c.send([{ flush: {} }]);
    expect((await c.waitFor(1)).map(kind)).toEqual(["flush"]);
    c.socket.destroy();
  });
});
