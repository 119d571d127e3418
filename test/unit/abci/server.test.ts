import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

import {
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

import { encodeFrames, FrameDecoder } from "../../../src/chain/abci/framing";
import { AbciConnection, AbciServer, parseListenAddress } from "../../../src/chain/abci/server";
import type { AbciApplication } from "../../../src/chain/abci/types";

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
    const conn = new AbciConnection(makeApp(), { write: (d) => r.writes.push(d), close: (x) => r.closed.push(x) });
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
    const conn = new AbciConnection(makeApp(), { write: (d) => r.writes.push(d), close: (x) => r.closed.push(x) });
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
    const conn = new AbciConnection(app, { write: (d) => r.writes.push(d), close: (x) => r.closed.push(x) });
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
