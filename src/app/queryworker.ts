/**
 * The program of a query worker thread (queryworkers.ts starts it from the compiled file next to
 * this one). It opens a read-only replica of the node's LMDB store, builds the same app on it
 * (createApp, the node's query limits and build) and answers one request at a time:
 *
 *   in:  { id, height, block?, req }  serve `req` (an ABCI RequestQuery) at committed `height`;
 *                                      `block` is that height's committed block, sent when it changes
 *   out: { ready, priority }          sent once, when the store is open and the app built (or, before
 *                                      the first block, its code loaded): requests come after it;
 *                                      `priority` is what became of the thread's nice value (the
 *                                      worker lowers it by `nice` steps first)
 *        { id, res }                  the ResponseQuery, as the main thread's app would give it
 *        { id, stale }                the replica holds another height (a block was committed in
 *                                      between): the pool asks again at its new height
 *        { id, error }                the worker could not serve it (the pool serves it itself)
 *
 * The app is built as soon as the store holds a committed block (its chain id and parameters are
 * read on construction): at start, or else on the first request. Nothing here writes to the store.
 */
import { parentPort, workerData } from "node:worker_threads";

import type { RequestQuery } from "cosmjs-types/tendermint/abci/types";

import type { BlockInfo } from "../baseapp/context";
import { LmdbReplicaStore } from "../baseapp/store/lmdb";
import { lowerThreadPriority } from "../baseapp/threads";
import type { DcertApp } from "./app";
import { createApp } from "./node";
import type { QueryWorkerData, QueryWorkerReady, QueryWorkerReply, QueryWorkerRequest } from "./queryworkers";

function serve(): void {
  const port = parentPort;
  if (port === null) throw new Error("queryworker.js runs as a worker thread of the node (queryworkers.ts)");
  const data = workerData as QueryWorkerData;
  // First, so that opening the store and building the app already run at the lower priority.
  const priority = lowerThreadPriority(data.nice ?? 0);
  const store = LmdbReplicaStore.open(data.dir);
  const build = (): DcertApp =>
    createApp({
      store,
      minGasPrices: data.minGasPrices,
      ...(data.queryGasLimit === undefined ? {} : { queryGasLimit: data.queryGasLimit }),
      ...(data.maxQueryBytes === undefined ? {} : { maxQueryBytes: data.maxQueryBytes }),
      ...(data.build === undefined ? {} : { build: data.build }),
      // Queries do not log; anything the modules say at construction was said by the main app.
      log: () => undefined,
    });
  let app: DcertApp | undefined = store.lastHeight > 0n ? build() : undefined;
  let block: BlockInfo | undefined;
  port.on("message", (m: QueryWorkerRequest) => {
    let reply: QueryWorkerReply;
    try {
      if (m.block !== undefined) block = m.block;
      const height = store.sync();
      if (height !== m.height || block?.height !== height) {
        reply = { id: m.id, stale: height };
      } else {
        app ??= build();
        app.followCommittedBlock(block);
        reply = { id: m.id, res: app.query(m.req as RequestQuery) };
      }
    } catch (e) {
      reply = { id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    port.postMessage(reply);
  });
  port.once("close", () => store.close());
  port.postMessage({ ready: true, priority } satisfies QueryWorkerReady);
}

serve();
