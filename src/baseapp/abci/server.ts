/**
 * ABCI 2.0 socket server for CometBFT v0.38.
 *
 * CometBFT opens four connections (consensus, mempool, query, snapshot) to `proxy_app` and pipelines
 * length-prefixed `tendermint.abci.Request`s on each. Per connection we answer strictly in request
 * order. App methods may return a value (handled synchronously, no microtask) or a promise; while a
 * promise is outstanding, later requests of that connection wait in a queue, so the app also sees
 * its calls one at a time and in order. Queries are the exception: they read committed state only
 * (the app may answer them on worker threads), so up to MAX_PIPELINED_QUERIES promised queries of a
 * connection are under way at once, and their answers still go out in request order. The
 * responses produced while handling one incoming data chunk go out in a single socket write.
 *
 * Scheduling: all four connections share the one JavaScript thread, so a long backlog of queries
 * or CheckTx could keep the consensus connection's bytes unread. The consensus connection (the one
 * that sends InitChain/PrepareProposal/ProcessProposal/FinalizeBlock/Commit/vote extensions) is
 * never held back; any other connection that has used more than a small wall-clock budget in one
 * turn of the event loop stops, keeps the rest of its frames queued, and continues in a later
 * turn (setImmediate), so pending consensus I/O is read in between. This only reorders work
 * across connections (never within one) and never changes state.
 *
 * Look ahead: before running queued requests that include new-tx CheckTx, a connection hands
 * their txs to the app's optional `prefetchCheckTxs` (which verifies their signatures on worker
 * threads) and, if it returns a promise, waits for it like for any app promise. Each request is
 * looked at once; answers and their order do not change.
 */
import * as fs from "node:fs";
import * as net from "node:net";

import { CheckTxType, Request, Response } from "cosmjs-types/tendermint/abci/types";

import { DEFAULT_MAX_FRAME_BYTES, encodeFrames, FrameDecoder } from "./framing";
import { encodeTxResultsResponse } from "./txresults";
import type { AbciApplication } from "./types";
import { errorFields, lineLog, toLog, type Log, type LogSink } from "../log";

/** What the ABCI server logs to: a leveled logger (module "abci") or a line function. */
export type Logger = LogSink;

export interface AbciServerOptions {
  /** Where protocol errors and app exceptions are reported. Defaults to stderr. */
  log?: Logger;
  /** Largest accepted request frame in bytes (default 64 MiB). */
  maxFrameBytes?: number;
  /**
   * Wall-clock budget in ms of a non-consensus connection per turn of the event loop (default
   * DEFAULT_TURN_BUDGET_MS; 0 = unbounded, the connection handles everything it has at once).
   */
  turnBudgetMs?: number;
}

/** How a connection bounds its work per turn of the event loop (injectable for tests). */
export interface TurnScheduling {
  /** Budget in ms per turn for a non-consensus connection; 0 = unbounded. */
  readonly budgetMs: number;
  /** A monotonic clock in ms. */
  readonly now: () => number;
  /** Runs `fn` in a later turn of the event loop, after pending I/O has been read. */
  readonly defer: (fn: () => void) => void;
}

/**
 * Default per-turn budget: small next to a block interval, large next to one CheckTx (~0.05 ms),
 * so a busy mempool connection yields about every hundred CheckTx and pays one setImmediate.
 */
export const DEFAULT_TURN_BUDGET_MS = 5;

/** Promised queries of one connection under way at once; the next one waits for one of them. */
export const MAX_PIPELINED_QUERIES = 32;

/** An answer in the connection's outgoing order: its bytes, or undefined while its query is under way. */
interface Slot {
  bytes: Uint8Array | undefined;
}

export const defaultTurnScheduling: TurnScheduling = {
  budgetMs: DEFAULT_TURN_BUDGET_MS,
  now: () => performance.now(),
  defer: (fn) => {
    setImmediate(fn);
  },
};

/** What a connection writes to and closes; a socket in the server, a recorder in tests. */
export interface ConnectionSink {
  /** One batch of encoded response frames, already length-prefixed. */
  write(data: Uint8Array): void;
  /** The peer violated the protocol; stop talking to it. */
  close(reason: string): void;
}

const defaultLog: Log = lineLog((msg) => {
  process.stderr.write(`${msg}\n`);
});

function isPromiseLike<T>(v: T | PromiseLike<T>): v is PromiseLike<T> {
  return (
    v instanceof Promise ||
    (typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function")
  );
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

type MaybePromise<T> = T | PromiseLike<T>;

function wrap<T>(result: MaybePromise<T>, toResponse: (value: T) => Response): MaybePromise<Response> {
  return isPromiseLike(result) ? result.then(toResponse) : toResponse(result);
}

/** Requests only CometBFT's consensus connection sends. */
export function isConsensusRequest(req: Request): boolean {
  return (
    req.finalizeBlock !== undefined ||
    req.commit !== undefined ||
    req.prepareProposal !== undefined ||
    req.processProposal !== undefined ||
    req.initChain !== undefined ||
    req.extendVote !== undefined ||
    req.verifyVoteExtension !== undefined
  );
}

/** The name of the request's oneof case, for log messages. */
function requestKind(req: Request): string {
  for (const [k, v] of Object.entries(req)) if (v !== undefined) return k;
  return "unknown";
}

/**
 * Routes one request to the app (or answers Echo/Flush itself). Returns undefined when the request
 * has no oneof case set, which CometBFT never sends: the caller treats it as a protocol error.
 * May throw whatever the app throws.
 */
export function dispatchRequest(app: AbciApplication, req: Request): MaybePromise<Response> | undefined {
  // Ordered by frequency: CheckTx and Flush dominate a busy mempool connection.
  if (req.checkTx !== undefined) return wrap(app.checkTx(req.checkTx), (checkTx) => ({ checkTx }));
  if (req.flush !== undefined) return { flush: {} };
  if (req.finalizeBlock !== undefined) {
    return wrap(app.finalizeBlock(req.finalizeBlock), (finalizeBlock) => ({ finalizeBlock }));
  }
  if (req.commit !== undefined) return wrap(app.commit(req.commit), (commit) => ({ commit }));
  if (req.prepareProposal !== undefined) {
    return wrap(app.prepareProposal(req.prepareProposal), (prepareProposal) => ({ prepareProposal }));
  }
  if (req.processProposal !== undefined) {
    return wrap(app.processProposal(req.processProposal), (processProposal) => ({ processProposal }));
  }
  if (req.query !== undefined) return wrap(app.query(req.query), (query) => ({ query }));
  if (req.extendVote !== undefined) {
    return wrap(app.extendVote(req.extendVote), (extendVote) => ({ extendVote }));
  }
  if (req.verifyVoteExtension !== undefined) {
    return wrap(app.verifyVoteExtension(req.verifyVoteExtension), (verifyVoteExtension) => ({
      verifyVoteExtension,
    }));
  }
  if (req.echo !== undefined) return { echo: { message: req.echo.message } };
  if (req.info !== undefined) return wrap(app.info(req.info), (info) => ({ info }));
  if (req.initChain !== undefined) return wrap(app.initChain(req.initChain), (initChain) => ({ initChain }));
  if (req.listSnapshots !== undefined) {
    return wrap(app.listSnapshots(req.listSnapshots), (listSnapshots) => ({ listSnapshots }));
  }
  if (req.offerSnapshot !== undefined) {
    return wrap(app.offerSnapshot(req.offerSnapshot), (offerSnapshot) => ({ offerSnapshot }));
  }
  if (req.loadSnapshotChunk !== undefined) {
    return wrap(app.loadSnapshotChunk(req.loadSnapshotChunk), (loadSnapshotChunk) => ({ loadSnapshotChunk }));
  }
  if (req.applySnapshotChunk !== undefined) {
    return wrap(app.applySnapshotChunk(req.applySnapshotChunk), (applySnapshotChunk) => ({
      applySnapshotChunk,
    }));
  }
  return undefined;
}

/**
 * The protocol state of one ABCI connection, independent of sockets: feed it incoming bytes with
 * `handleChunk`, and it writes response batches to the sink (synchronously for synchronous app
 * results, later for promised ones or after yielding its turn), always in request order.
 */
export class AbciConnection {
  private readonly decoder: FrameDecoder;
  /**
   * Request frames not handled yet (decoded when their turn comes, so a bad frame is reported
   * after the answers to the frames before it); `queueHead` indexes the next one.
   */
  private queue: Uint8Array[] = [];
  /** Requests decoded ahead by the look ahead, by queue index (the rest are decoded in turn). */
  private decoded: (Request | undefined)[] = [];
  private queueHead = 0;
  /** Queue entries before this index were offered to `prefetchCheckTxs`. */
  private lookedAt = 0;
  /** The outstanding promise is the look ahead's, not a request's. */
  private prefetching = false;
  /** An app promise is outstanding: nothing after it may be answered yet. */
  private busy = false;
  /** This connection yielded its turn; a deferred call continues with the queue. */
  private yielded = false;
  /** This connection has sent a consensus request: it is never held back. */
  private consensus = false;
  private closed = false;
  /** Encoded responses not yet written, in request order; a slot is a query still under way. */
  private batch: (Uint8Array | Slot)[] = [];
  /** Promised queries under way (their slots are in `batch`). */
  private queriesUnderWay = 0;
  /** `busy` because MAX_PIPELINED_QUERIES queries are under way (not because of one promise). */
  private waitingForRoom = false;
  private readonly scheduling: TurnScheduling;
  private readonly log: Log;

  constructor(
    private readonly app: AbciApplication,
    private readonly sink: ConnectionSink,
    log: Logger = defaultLog,
    maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES,
    scheduling: Partial<TurnScheduling> = {},
  ) {
    this.log = typeof log === "function" ? lineLog(log) : log;
    this.decoder = new FrameDecoder(maxFrameBytes);
    this.scheduling = { ...defaultTurnScheduling, ...scheduling };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Requests received but not yet answered because an earlier app call is still pending or the
   * connection yielded its turn.
   */
  get pendingRequests(): number {
    return this.queue.length - this.queueHead + (this.busy && !this.prefetching && !this.waitingForRoom ? 1 : 0) + this.queriesUnderWay;
  }

  /** Processes one chunk of incoming bytes. */
  handleChunk(chunk: Uint8Array): void {
    if (this.closed) return;
    let frames: Uint8Array[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      // Requests queued from earlier chunks are still answered (unless an app promise is pending).
      if (!this.busy) this.pump(false);
      if (!this.closed) this.protocolError(`bad frame: ${errorMessage(err)}`);
      return;
    }
    for (const frame of frames) this.queue.push(frame);
    if (!this.busy && !this.yielded) this.resume();
  }

  /** Continues with the queue: the look ahead at requests not yet looked at, then `pump`. */
  private resume(): void {
    if (!this.lookAhead()) this.pump();
  }

  /**
   * Offers the txs of the queued new-tx CheckTx requests not looked at yet to the app's
   * `prefetchCheckTxs`. True if the app returned a promise: the connection then waits for it
   * (`busy`) and resumes when it settles.
   */
  private lookAhead(): boolean {
    const prefetch = this.app.prefetchCheckTxs;
    if (prefetch === undefined || this.consensus || this.closed) return false;
    const txs: Uint8Array[] = [];
    for (let i = Math.max(this.lookedAt, this.queueHead); i < this.queue.length; i++) {
      let req = this.decoded[i];
      if (req === undefined) {
        try {
          req = Request.decode(this.queue[i] as Uint8Array);
        } catch {
          continue; // reported in order when its turn comes
        }
        this.decoded[i] = req;
      }
      const c = req.checkTx;
      if (c !== undefined && c.type !== CheckTxType.RECHECK) txs.push(c.tx);
    }
    this.lookedAt = this.queue.length;
    if (txs.length === 0) return false;
    let p: Promise<void> | undefined;
    try {
      p = prefetch.call(this.app, txs);
    } catch (err) {
      this.log.warn(`ABCI: prefetchCheckTxs failed (CheckTx goes on without it): ${errorMessage(err)}`, errorFields(err));
      return false;
    }
    if (p === undefined) return false;
    this.busy = true;
    this.prefetching = true;
    this.flushBatch();
    const done = (): void => {
      if (this.closed) return;
      this.busy = false;
      this.prefetching = false;
      this.resume();
    };
    p.then(done, (err: unknown) => {
      this.log.warn(`ABCI: prefetchCheckTxs failed (CheckTx goes on without it): ${errorMessage(err)}`, errorFields(err));
      done();
    });
    return true;
  }

  /** Stops processing (the socket went away); pending app results are dropped. */
  markClosed(): void {
    this.closed = true;
    this.batch = [];
    this.queue = [];
    this.decoded = [];
    this.queueHead = 0;
    this.lookedAt = 0;
    this.queriesUnderWay = 0;
  }

  /**
   * Handles queued frames in order until the queue is empty, an app promise is outstanding, or
   * (on a non-consensus connection) the turn's budget is used up: then the answers so far go out
   * and the rest continues in a later turn of the event loop. `bounded` false ignores the budget.
   */
  private pump(bounded = true): void {
    const { now } = this.scheduling;
    const budgetMs = bounded ? this.scheduling.budgetMs : 0;
    const start = budgetMs > 0 && !this.consensus ? now() : 0;
    while (!this.busy && !this.closed && this.queueHead < this.queue.length) {
      const frame = this.queue[this.queueHead] as Uint8Array;
      let req = this.decoded[this.queueHead];
      this.decoded[this.queueHead] = undefined;
      this.queueHead++;
      if (req === undefined) {
        try {
          req = Request.decode(frame);
        } catch (err) {
          this.protocolError(`undecodable request (${frame.length} bytes): ${errorMessage(err)}`);
          return;
        }
      }
      if (!this.consensus && isConsensusRequest(req)) this.consensus = true;
      this.handleRequest(req);
      if (budgetMs > 0 && !this.consensus && !this.busy && this.queueHead < this.queue.length && now() - start >= budgetMs) {
        this.yieldTurn();
        return;
      }
    }
    if (this.closed) return;
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.decoded = [];
      this.queueHead = 0;
      this.lookedAt = 0;
    }
    if (!this.busy) this.flushBatch();
  }

  /** Sends what is answered and continues with the queue in a later turn. */
  private yieldTurn(): void {
    this.flushBatch();
    this.yielded = true;
    this.scheduling.defer(() => {
      this.yielded = false;
      if (!this.closed && !this.busy) this.resume();
    });
  }

  /** Answers one request, or starts waiting for its promise (setting `busy`). */
  private handleRequest(req: Request): void {
    let result: MaybePromise<Response> | undefined;
    try {
      result = dispatchRequest(this.app, req);
    } catch (err) {
      this.appError(req, err);
      return;
    }
    if (result === undefined) {
      this.protocolError("request with no known message type");
      return;
    }
    if (!isPromiseLike(result)) {
      this.pushResponse(req, result);
      return;
    }
    if (req.query !== undefined) {
      this.pipelineQuery(req, result);
      return;
    }
    this.busy = true;
    // Everything before this request is answered already; send it now rather than after the wait.
    this.flushBatch();
    result.then(
      (resp) => {
        if (this.closed) return;
        this.busy = false;
        this.pushResponse(req, resp);
        this.resume();
      },
      (err: unknown) => {
        if (this.closed) return;
        this.busy = false;
        this.appError(req, err);
        this.resume();
      },
    );
  }

  /**
   * A promised query: its answer keeps its place in the outgoing order, and the next requests are
   * handled meanwhile (up to MAX_PIPELINED_QUERIES queries under way).
   */
  private pipelineQuery(req: Request, result: PromiseLike<Response>): void {
    const slot: Slot = { bytes: undefined };
    this.batch.push(slot);
    this.queriesUnderWay++;
    if (this.queriesUnderWay >= MAX_PIPELINED_QUERIES) {
      this.busy = true;
      this.waitingForRoom = true;
    }
    const settle = (bytes: Uint8Array): void => {
      if (this.closed) return;
      slot.bytes = bytes;
      this.queriesUnderWay--;
      this.flushBatch();
      if (this.waitingForRoom) {
        this.waitingForRoom = false;
        this.busy = false;
        this.resume();
      }
    };
    result.then(
      (resp) => settle(this.encodeResponse(req, resp)),
      (err: unknown) => settle(this.encodeAppError(req, err)),
    );
  }

  private encodeResponse(req: Request, resp: Response): Uint8Array {
    try {
      return encodeTxResultsResponse(resp) ?? Response.encode(resp).finish();
    } catch (err) {
      // The app returned something that is not a valid response object: an app bug.
      return this.encodeAppError(req, err);
    }
  }

  private encodeAppError(req: Request, err: unknown): Uint8Array {
    const kind = requestKind(req);
    this.log.error(`ABCI: app error in ${kind}: ${errorText(err)}`, { request: kind, ...errorFields(err) });
    return Response.encode({ exception: { error: `${kind}: ${errorMessage(err)}` } }).finish();
  }

  private pushResponse(req: Request, resp: Response): void {
    this.batch.push(this.encodeResponse(req, resp));
  }

  private appError(req: Request, err: unknown): void {
    this.batch.push(this.encodeAppError(req, err));
  }

  private protocolError(reason: string): void {
    this.log.error(`ABCI: protocol error, closing connection: ${reason}`, { reason });
    // Answers to the well-formed requests before the bad one still go out.
    if (!this.busy) this.flushBatch();
    this.markClosed();
    this.sink.close(reason);
  }

  /** Writes the answers ready in order: everything before the first query still under way. */
  private flushBatch(): void {
    const ready: Uint8Array[] = [];
    let i = 0;
    for (; i < this.batch.length; i++) {
      const item = this.batch[i] as Uint8Array | Slot;
      const bytes = item instanceof Uint8Array ? item : item.bytes;
      if (bytes === undefined) break;
      ready.push(bytes);
    }
    if (ready.length === 0) return;
    this.batch = i === this.batch.length ? [] : this.batch.slice(i);
    this.sink.write(encodeFrames(ready));
  }
}

export type ListenAddress = { kind: "tcp"; host: string; port: number } | { kind: "unix"; path: string };

/**
 * Parses CometBFT's `proxy_app` forms: `tcp://host:port`, `unix:///abs/path` (or `unix://rel`), and
 * a bare `host:port`. IPv6 hosts go in brackets: `tcp://[::1]:26658`.
 */
export function parseListenAddress(address: string): ListenAddress {
  if (address.startsWith("unix://")) {
    const path = address.slice("unix://".length);
    if (path === "") throw new Error(`invalid unix address: ${address}`);
    return { kind: "unix", path };
  }
  const rest = address.startsWith("tcp://") ? address.slice("tcp://".length) : address;
  const m = /^(\[[^\]]+\]|[^:/]*):(\d+)$/.exec(rest);
  if (m === null || m[1] === undefined || m[2] === undefined) {
    throw new Error(`invalid listen address (want tcp://host:port or unix:///path): ${address}`);
  }
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port in ${address}`);
  let host = m[1];
  if (host.startsWith("[")) host = host.slice(1, -1);
  if (host === "") host = "0.0.0.0";
  return { kind: "tcp", host, port };
}

/** Resolves true if something accepts connections on the unix socket at `path`. */
function unixSocketAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ path });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** Serves an AbciApplication to CometBFT over a TCP or unix socket. */
export class AbciServer {
  private readonly log: Log;
  private readonly maxFrameBytes: number;
  private readonly turnBudgetMs: number;
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private boundAddress: string | undefined;

  constructor(
    private readonly app: AbciApplication,
    opts: AbciServerOptions = {},
  ) {
    this.log = toLog(opts.log ?? defaultLog, "abci");
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.turnBudgetMs = opts.turnBudgetMs ?? DEFAULT_TURN_BUDGET_MS;
  }

  /** Number of open client connections (CometBFT keeps four). */
  get connections(): number {
    return this.sockets.size;
  }

  /** The address actually listened on, e.g. `tcp://127.0.0.1:40123` after listening on port 0. */
  get address(): string | undefined {
    return this.boundAddress;
  }

  async listen(address: string): Promise<void> {
    if (this.server !== null) throw new Error("AbciServer is already listening");
    const addr = parseListenAddress(address);
    if (addr.kind === "unix") await this.removeStaleSocket(addr.path);

    const server = net.createServer((socket) => this.onConnection(socket));
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once("error", onError);
      const onListening = (): void => {
        server.off("error", onError);
        resolve();
      };
      if (addr.kind === "unix") server.listen(addr.path, onListening);
      else server.listen(addr.port, addr.host, onListening);
    });
    server.on("error", (err) => this.log.error(`ABCI: server error: ${errorText(err)}`, errorFields(err)));
    this.server = server;

    const bound = server.address();
    if (addr.kind === "unix") this.boundAddress = `unix://${addr.path}`;
    else if (bound !== null && typeof bound === "object") {
      const host = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
      this.boundAddress = `tcp://${host}:${bound.port}`;
    }
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    this.boundAddress = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A socket file left behind by a crashed process blocks listen(); remove it if nobody serves it. */
  private async removeStaleSocket(path: string): Promise<void> {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(path);
    } catch {
      return;
    }
    if (!stat.isSocket()) return; // let listen() report EADDRINUSE rather than delete a real file
    if (await unixSocketAlive(path)) throw new Error(`unix socket ${path} is in use by another process`);
    fs.unlinkSync(path);
  }

  private onConnection(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true); // a no-op on unix sockets
    const conn = new AbciConnection(
      this.app,
      {
        write: (data) => {
          socket.write(data);
        },
        close: () => {
          // Flush what was written, then drop the connection.
          socket.end(() => socket.destroy());
        },
      },
      this.log,
      this.maxFrameBytes,
      { budgetMs: this.turnBudgetMs },
    );
    socket.on("data", (chunk: Buffer) => conn.handleChunk(chunk));
    socket.on("error", (err: NodeJS.ErrnoException) => {
      // A peer going away (CometBFT stopping) is normal; anything else is worth a line.
      if (err.code !== "ECONNRESET" && err.code !== "EPIPE") this.log.warn(`ABCI: connection error: ${errorText(err)}`, errorFields(err));
    });
    socket.on("close", () => {
      conn.markClosed();
      this.sockets.delete(socket);
    });
  }
}
