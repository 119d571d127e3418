/**
 * The program of the API thread (apithread.ts starts it from the compiled file next to this one).
 * It runs the REST gateway and the gRPC server (`startApiServers`) with everything they do per
 * request: HTTP and HTTP/2 parsing, JSON and protobuf conversion, the CometBFT RPC calls of the
 * tx and node services. Only the app's queries leave it: each goes to the node's main thread,
 * which answers it as an ABCI query is answered (on a query worker, at the committed height).
 *
 *   in:  { answer, res }          the ResponseQuery for query `answer`
 *        { answer, error }        the main thread could not answer it (the call fails with it)
 *        { close: true }          close the servers, then say { closed: true }
 *   out: { started, restUrl?, grpcAddress? }   the servers listen
 *        { failed, code? }        they could not start (the message; the errno code, e.g. EADDRINUSE)
 *        { query, req }           a RequestQuery for the main thread to answer
 *        { log }                  a line for the node's log
 *        { closed: true }
 */
import { parentPort, workerData } from "node:worker_threads";

import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";

import { installEncodingFastPath } from "../baseapp/perf";
import type { ApiThreadData, ApiThreadIn, ApiThreadOut } from "./apithread";
import { startApiServers, type ApiServers } from "./index";

async function serve(): Promise<void> {
  // The gateways encode requests (pagination's uint64s among them) with cosmjs-types' writer.
  installEncodingFastPath();
  const port = parentPort;
  if (port === null) throw new Error("apiworker.js runs as a worker thread of the node (apithread.ts)");
  const data = workerData as ApiThreadData;
  const post = (m: ApiThreadOut): void => port.postMessage(m);
  const waiting = new Map<number, { resolve: (res: ResponseQuery) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let servers: ApiServers | undefined;
  port.on("message", (m: ApiThreadIn) => {
    if ("close" in m) {
      void (async () => {
        await servers?.close();
        post({ closed: true });
      })();
      return;
    }
    const w = waiting.get(m.answer);
    if (w === undefined) return;
    waiting.delete(m.answer);
    if ("res" in m) w.resolve(m.res);
    else w.reject(new Error(m.error));
  });
  const app = {
    query: (req: RequestQuery): Promise<ResponseQuery> =>
      new Promise<ResponseQuery>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        post({ query: id, req });
      }),
    queryPaths: (): string[] => [...data.paths],
  };
  try {
    servers = await startApiServers({
      app,
      rpcUrl: data.rpcUrl,
      node: data.node,
      ...(data.rest === undefined ? {} : { rest: data.rest }),
      ...(data.grpc === undefined ? {} : { grpc: data.grpc }),
      log: (line) => post({ log: line }),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    post({ failed: e instanceof Error ? e.message : String(e), ...(typeof code === "string" ? { code } : {}) });
    return;
  }
  post({
    started: true,
    ...(servers.restUrl === undefined ? {} : { restUrl: servers.restUrl }),
    ...(servers.grpcAddress === undefined ? {} : { grpcAddress: servers.grpcAddress }),
  });
}

void serve();
