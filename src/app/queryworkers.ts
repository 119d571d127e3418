/**
 * Queries and Simulate off the consensus path: a pool of worker threads, each with a read-only
 * replica of the node's LMDB store (LmdbReplicaStore) and its own instance of the app
 * (queryworker.ts). One Node thread executes blocks, CheckTx and, before this, every ABCI query,
 * REST and gRPC call; a large Simulate held it for tens of ms. Now the main thread only posts the
 * request and forwards the answer.
 *
 * What a query sees does not change. The pool sends each request with the main app's committed
 * height and block (`App.committedBlock`); the worker answers at exactly that height, or says it is
 * stale when a block was committed in between, and the pool asks again at the new height (a
 * client never sees a height older than the one its previous answer had). The worker builds the
 * state at that height from LMDB as the writing store serves it: the applied state tree under the
 * write-ahead log of blocks not yet applied, all read in one snapshot.
 *
 * The main thread answers itself: before the first committed block; while no worker is ready (a
 * worker says so once its store is open and its app built) or none is left (a worker that fails
 * or exits is dropped, with a warning, and replaced after a delay that doubles while its
 * replacements keep failing); when a worker cannot serve a request; after MAX_ATTEMPTS stale
 * answers in a row. Every such answer is the one the workers would give.
 */
import { Worker } from "node:worker_threads";

import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";

import type { BlockInfo } from "../baseapp/context";
import type { Log } from "../baseapp/log";
import { builtThreadScript, isNiceSteps, RESTART_DELAY_MS, restartDelayMs, type WorkerPriority } from "../baseapp/threads";
import type { BuildIdentity } from "../x/upgrade/build";
import type { DcertApp } from "./app";

/** What answers queries: the app itself, or the pool in front of it (the shape the API servers take). */
export interface QueryService {
  query(req: RequestQuery): ResponseQuery | Promise<ResponseQuery>;
  /** Every registered query path ("/<service>/<method>"). */
  queryPaths(): string[];
}

/** What a query worker is started with (structured-cloneable). */
export interface QueryWorkerData {
  /** The node's LMDB store directory (`<home>/data`). */
  readonly dir: string;
  readonly minGasPrices: string;
  readonly queryGasLimit?: bigint;
  readonly maxQueryBytes?: number;
  readonly build?: BuildIdentity;
  /**
   * Nice steps (0 to 19) the worker lowers its own thread by (threads.ts, `lowerThreadPriority`).
   * In the pool's options unset means DEFAULT_QUERY_WORKER_NICE; in a worker's data, none.
   */
  readonly nice?: number;
}

export interface QueryWorkerRequest {
  readonly id: number;
  /** The committed height to answer at. */
  readonly height: bigint;
  /** That height's committed block, when this worker has not been sent it yet. */
  readonly block?: BlockInfo;
  readonly req: RequestQuery;
}

/** A worker's first message: it can serve from now on, at this priority. */
export interface QueryWorkerReady {
  readonly ready: true;
  /** What became of its nice value (queryworker.ts always says). */
  readonly priority?: WorkerPriority;
}

export type QueryWorkerReply =
  | { readonly id: number; readonly res: ResponseQuery }
  | { readonly id: number; readonly stale: bigint }
  | { readonly id: number; readonly error: string };

/** Query worker threads by default: one (block execution and CometBFT keep the other core busy). */
export const DEFAULT_QUERY_WORKERS = 1;

/**
 * How many nice steps below the process the query workers run by default. With the cores busy
 * (a flood of Simulate queries), block execution and CometBFT's consensus run first, then the
 * signature workers' checks (5 steps below), then queries, which no block waits for. Five
 * alternating pairs of runs with 10 Simulate flooders gave a block interval p99 of 562–598 ms at
 * 10 steps against 631–660 ms at 0 (docs/benchmarks.md, round 20).
 */
export const DEFAULT_QUERY_WORKER_NICE = 10;

/** Stale answers in a row after which the main thread answers a request itself. */
export const MAX_ATTEMPTS = 3;

/** The compiled worker program next to this module, or undefined when running from TypeScript sources. */
export function builtQueryWorkerScript(): string | undefined {
  return builtThreadScript(__dirname, "queryworker.js");
}

export interface QueryWorkerPoolOptions extends QueryWorkerData {
  /** Worker threads (≥ 1). */
  readonly size: number;
  /** The compiled worker program (builtQueryWorkerScript()). */
  readonly script: string;
  /** The executing app: its committed height and block, and the fallback. */
  readonly app: Pick<DcertApp, "committedBlock" | "lastHeight" | "query">;
  readonly log?: Log;
  /** First delay before a stopped worker is replaced (default RESTART_DELAY_MS; tests shorten it). */
  readonly restartDelayMs?: number;
}

interface Slot {
  readonly worker: Worker;
  /** The block height this worker was last sent a block for. */
  sentHeight: bigint;
  /** Requests it has not answered. */
  readonly waiting: Map<number, Waiting>;
  /** It has said it is ready (store open, app code loaded); until then the main thread answers. */
  ready: boolean;
  /** What became of its priority (with its ready message). */
  priority?: WorkerPriority;
  alive: boolean;
  /** Workers of this slot that stopped since one of them last answered a request. */
  failures: number;
}

interface Waiting {
  readonly req: RequestQuery;
  readonly attempt: number;
  readonly resolve: (res: ResponseQuery | PromiseLike<ResponseQuery>) => void;
}

export class QueryWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly data: QueryWorkerData;
  /** Nice steps each worker lowers its own thread by (the option, else DEFAULT_QUERY_WORKER_NICE). */
  readonly nice: number;
  /** Pending replacements of stopped workers. */
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private nextId = 1;
  private closed = false;
  /** Callers of `started()` waiting for every worker to be ready or gone. */
  private startWaiters: (() => void)[] = [];
  /** Answers that came from a worker (tests, benchmarks). */
  servedByWorkers = 0;
  /** Requests the main thread answered (no worker, failures, too many stale answers). */
  servedOnMain = 0;
  /** Stale answers (a block was committed while a request was under way). */
  staleAnswers = 0;
  /** Workers started to replace ones that stopped. */
  restarts = 0;

  constructor(private readonly opts: QueryWorkerPoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new Error(`query workers: ${opts.size} is not a positive whole number`);
    const nice = opts.nice ?? DEFAULT_QUERY_WORKER_NICE;
    if (!isNiceSteps(nice)) throw new Error(`query workers: nice ${nice} is not a whole number from 0 to 19`);
    this.nice = nice;
    this.data = {
      nice,
      dir: opts.dir,
      minGasPrices: opts.minGasPrices,
      ...(opts.queryGasLimit === undefined ? {} : { queryGasLimit: opts.queryGasLimit }),
      ...(opts.maxQueryBytes === undefined ? {} : { maxQueryBytes: opts.maxQueryBytes }),
      ...(opts.build === undefined ? {} : { build: opts.build }),
    };
    for (let i = 0; i < opts.size; i++) this.slots.push(this.spawn(0));
  }

  /** Starts a worker; `failures` carries over the count of its stopped predecessors. */
  private spawn(failures: number): Slot {
    const slot: Slot = { worker: new Worker(this.opts.script, { workerData: this.data }), sentHeight: -1n, waiting: new Map(), ready: false, alive: true, failures };
    slot.worker.on("message", (m: QueryWorkerReply | QueryWorkerReady) => {
      if ("ready" in m) {
        slot.ready = true;
        const priority = m.priority;
        if (priority !== undefined) {
          slot.priority = priority;
          if ("niceError" in priority) {
            this.opts.log?.warn(`a query worker could not lower its priority by ${this.nice} nice steps (${priority.niceError}); it runs at the main thread's`, { query_workers_nice: this.nice });
          }
        }
        this.checkStarted();
      } else this.onReply(slot, m);
    });
    slot.worker.on("error", (e) => this.drop(slot, e.message));
    slot.worker.on("exit", (code) => this.drop(slot, `it exited with code ${code}`));
    // The pool never keeps a process alive on its own.
    slot.worker.unref();
    return slot;
  }

  /** Worker threads started and not failed (ready or still starting). */
  get size(): number {
    return this.slots.filter((s) => s.alive).length;
  }

  /** Resolves, with the number of ready workers, once every worker is ready or gone. */
  started(): Promise<number> {
    return new Promise((resolve) => {
      this.startWaiters.push(() => resolve(this.readyWorkers));
      this.checkStarted();
    });
  }

  private checkStarted(): void {
    if (this.slots.some((s) => s.alive && !s.ready) || this.startWaiters.length === 0) return;
    const waiters = this.startWaiters;
    this.startWaiters = [];
    for (const w of waiters) w();
  }

  /** What became of each ready worker's priority (a worker that could not lower it is also logged). */
  get priorities(): WorkerPriority[] {
    const out: WorkerPriority[] = [];
    for (const s of this.slots) if (s.alive && s.ready && s.priority !== undefined) out.push(s.priority);
    return out;
  }

  /** Worker threads ready to serve. */
  get readyWorkers(): number {
    return this.slots.filter((s) => s.alive && s.ready).length;
  }

  /** Answers `req` as the app's `query` would at its committed height: on a worker when one is up. */
  query(req: RequestQuery): ResponseQuery | Promise<ResponseQuery> {
    return this.dispatch(req, 0);
  }

  private dispatch(req: RequestQuery, attempt: number): ResponseQuery | Promise<ResponseQuery> {
    const slot = this.pick();
    const height = this.opts.app.lastHeight;
    if (this.closed || slot === undefined || height === 0n || attempt >= MAX_ATTEMPTS) return this.onMain(req);
    const block = this.opts.app.committedBlock;
    const id = this.nextId++;
    const msg: QueryWorkerRequest = slot.sentHeight === height ? { id, height, req } : { id, height, block, req };
    slot.sentHeight = height;
    return new Promise<ResponseQuery>((resolve) => {
      slot.waiting.set(id, { req, attempt, resolve });
      slot.worker.postMessage(msg);
    });
  }

  /** The ready worker with the fewest requests outstanding (the first of them on a tie). */
  private pick(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) if (s.alive && s.ready && (best === undefined || s.waiting.size < best.waiting.size)) best = s;
    return best;
  }

  private onMain(req: RequestQuery): ResponseQuery {
    this.servedOnMain++;
    return this.opts.app.query(req);
  }

  private onReply(slot: Slot, m: QueryWorkerReply): void {
    const w = slot.waiting.get(m.id);
    if (w === undefined) return;
    slot.waiting.delete(m.id);
    if ("res" in m) {
      this.servedByWorkers++;
      slot.failures = 0;
      w.resolve(m.res);
    } else if ("stale" in m) {
      this.staleAnswers++;
      // The worker had a different block than the one sent: send the block with the next request.
      slot.sentHeight = -1n;
      w.resolve(this.dispatch(w.req, w.attempt + 1));
    } else {
      this.opts.log?.warn(`a query worker could not serve ${w.req.path}; the main thread answers it: ${m.error.split("\n")[0] ?? ""}`, { path: w.req.path });
      w.resolve(this.onMain(w.req));
    }
  }

  /**
   * A worker failed or exited: what it had not answered is answered here, it gets no more, and a
   * new worker takes its place after RESTART_DELAY_MS (doubled for each failure in a row).
   */
  private drop(slot: Slot, why: string): void {
    if (!slot.alive) return;
    slot.alive = false;
    const waiting = [...slot.waiting.values()];
    slot.waiting.clear();
    for (const w of waiting) w.resolve(this.onMain(w.req));
    this.checkStarted();
    if (this.closed) return;
    const failures = slot.failures + 1;
    const delay = restartDelayMs(this.opts.restartDelayMs ?? RESTART_DELAY_MS, failures);
    this.opts.log?.warn(`a query worker stopped (${why}); ${this.size} left (the main thread answers when none is); a new one starts in ${delay} ms`, { query_workers: this.size, restart_ms: delay });
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      if (this.closed) return;
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.restarts++;
      this.slots[i] = this.spawn(failures);
    }, delay);
    timer.unref();
    this.restartTimers.add(timer);
  }

  /** Stops the workers (and any pending replacement); requests under way are answered on the main thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.restartTimers) clearTimeout(t);
    this.restartTimers.clear();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    for (const s of this.slots) this.drop(s, "the pool closed");
  }
}
