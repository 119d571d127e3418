/**
 * The API servers on a thread of their own. `startApiServers` in the node's main thread parses
 * every HTTP request, converts JSON and protobuf, and waits on CometBFT's RPC there: work that
 * delays block execution, which runs on the same thread, even when the queries themselves are
 * answered by query workers. `startApiServersOnThread` runs the same servers in a worker thread
 * (apiworker.ts); the main thread only answers their app queries, as it answers ABCI queries
 * (`QueryService`: the query worker pool, at the committed height), one message in and one out.
 *
 * What a client sees does not change: the same routes, answers and errors. If the thread stops,
 * the servers are down until a new thread has started them again; it is started after
 * RESTART_DELAY_MS, doubled for each stop in a row (a thread that answered a query since its start
 * ends the row), up to a minute.
 */
import { Worker } from "node:worker_threads";

import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";

import { builtThreadScript, RESTART_DELAY_MS, restartDelayMs } from "../baseapp/threads";
import type { ApiServersOptions } from "./index";

/** What the API thread is started with (structured-cloneable): the servers' options but the app and log. */
export interface ApiThreadData extends Pick<ApiServersOptions, "rpcUrl" | "node" | "rest" | "grpc"> {
  /** The app's query paths (`QueryApp.queryPaths()`), read once on the main thread. */
  readonly paths: readonly string[];
}

/** Messages to the API thread. */
export type ApiThreadIn = { readonly answer: number; readonly res: ResponseQuery } | { readonly answer: number; readonly error: string } | { readonly close: true };

/** Messages from the API thread. */
export type ApiThreadOut =
  | { readonly started: true; readonly restUrl?: string; readonly grpcAddress?: string }
  | { readonly failed: string; readonly code?: string }
  | { readonly query: number; readonly req: RequestQuery }
  | { readonly log: string }
  | { readonly closed: true };

/** How long `close` waits for the thread to close its servers before it stops the thread. */
const CLOSE_WAIT_MS = 5_000;

/** The compiled API thread program next to this module, or undefined when running from TypeScript sources. */
export function builtApiWorkerScript(): string | undefined {
  return builtThreadScript(__dirname, "apiworker.js");
}

export interface ApiThreadOptions extends ApiServersOptions {
  /** The compiled thread program (builtApiWorkerScript()). */
  readonly script: string;
  /** First delay before a stopped thread is started again (default RESTART_DELAY_MS; tests shorten it). */
  readonly restartDelayMs?: number;
  /** Where a stopped thread is reported (default `log`): the node logs it as a warning. */
  readonly warn?: (line: string) => void;
}

/** The API servers running on their thread. */
export interface ApiThread {
  /** "http://127.0.0.1:1317" when the REST gateway runs. */
  readonly restUrl: string | undefined;
  /** "127.0.0.1:9090" when the gRPC server runs. */
  readonly grpcAddress: string | undefined;
  /** Threads started to replace one that stopped. */
  readonly restarts: number;
  /** Queries the main thread answered for the servers. */
  readonly queriesAnswered: number;
  close(): Promise<void>;
}

/** An Error with the errno code the thread reported (so callers can tell EADDRINUSE). */
function startError(message: string, code: string | undefined): Error {
  const e: NodeJS.ErrnoException = new Error(message);
  if (code !== undefined) e.code = code;
  return e;
}

class Host implements ApiThread {
  restUrl: string | undefined;
  grpcAddress: string | undefined;
  restarts = 0;
  queriesAnswered = 0;
  private readonly data: ApiThreadData;
  private worker: Worker | undefined;
  private closed = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private onClosed: (() => void) | undefined;

  constructor(private readonly opts: ApiThreadOptions) {
    this.data = {
      rpcUrl: opts.rpcUrl,
      node: opts.node,
      ...(opts.rest === undefined ? {} : { rest: opts.rest }),
      ...(opts.grpc === undefined ? {} : { grpc: opts.grpc }),
      paths: opts.app.queryPaths(),
    };
  }

  /** Starts a thread; resolves once its servers listen, rejects if they could not start. */
  spawn(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const worker = new Worker(this.opts.script, { workerData: this.data });
      this.worker = worker;
      let started = false;
      let stopped = false;
      const stop = (why: string): void => {
        if (stopped) return;
        stopped = true;
        if (this.worker === worker) this.worker = undefined;
        this.onClosed?.();
        if (!started) reject(startError(`the API thread stopped before its servers started: ${why}`, undefined));
        else if (!this.closed) this.restartLater(why);
      };
      worker.on("message", (m: ApiThreadOut) => {
        if ("query" in m) this.answer(worker, m.query, m.req);
        else if ("log" in m) this.opts.log(m.log);
        else if ("started" in m) {
          started = true;
          this.restUrl = m.restUrl;
          this.grpcAddress = m.grpcAddress;
          resolve();
        } else if ("failed" in m) {
          started = true;
          stopped = true;
          if (this.worker === worker) this.worker = undefined;
          void worker.terminate();
          reject(startError(m.failed, m.code));
        } else this.onClosed?.();
      });
      worker.on("error", (e) => stop(e.message));
      worker.on("exit", (code) => stop(`it exited with code ${code}`));
      // The servers never keep the process alive on their own (dcertd start waits for a signal).
      worker.unref();
    });
  }

  private answer(worker: Worker, id: number, req: RequestQuery): void {
    this.queriesAnswered++;
    const reply = (m: ApiThreadIn): void => {
      if (this.worker === worker) worker.postMessage(m);
    };
    Promise.resolve()
      .then(() => this.opts.app.query(req))
      .then(
        (res) => {
          // The servers work: a later stop starts the delays from the first again.
          this.failures = 0;
          reply({ answer: id, res });
        },
        (e: unknown) => reply({ answer: id, error: e instanceof Error ? e.message : String(e) }),
      );
  }

  private restartLater(why: string): void {
    this.failures++;
    const delay = restartDelayMs(this.opts.restartDelayMs ?? RESTART_DELAY_MS, this.failures);
    (this.opts.warn ?? this.opts.log)(`the API thread stopped (${why}); the REST and gRPC servers start again in ${delay} ms`);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closed) return;
      this.restarts++;
      this.spawn().catch((e: unknown) => {
        if (this.closed) return;
        this.restartLater(e instanceof Error ? e.message : String(e));
      });
    }, delay);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const worker = this.worker;
    if (worker === undefined) return;
    await new Promise<void>((resolve) => {
      const wait = setTimeout(resolve, CLOSE_WAIT_MS);
      this.onClosed = () => {
        clearTimeout(wait);
        resolve();
      };
      worker.postMessage({ close: true } satisfies ApiThreadIn);
    });
    this.onClosed = undefined;
    this.worker = undefined;
    await worker.terminate();
  }
}

/**
 * Starts the servers `opts` asks for on a thread of their own; rejects as `startApiServers` does
 * when they cannot start (with the errno code, e.g. EADDRINUSE, on the error).
 */
export async function startApiServersOnThread(opts: ApiThreadOptions): Promise<ApiThread> {
  const host = new Host(opts);
  await host.spawn();
  return host;
}
