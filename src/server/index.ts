/**
 * The API servers of `dcertd start`: the REST gateway and the gRPC server, both over one service
 * backend — the app's query services (as ABCI queries: committed state, the node's query caps)
 * and the tx and node services (over CometBFT's RPC).
 */
import { appQueryHandlers, createBackend, type QueryApp, type ServiceBackend } from "./backend";
import { startGrpcServer } from "./grpc";
import { startRestServer } from "./rest";
import { cometServiceHandlers, type NodeIdentity } from "./services";

export interface ApiServersOptions {
  readonly app: QueryApp;
  /** CometBFT's RPC, which the tx and node services call ("http://127.0.0.1:26657"). */
  readonly rpcUrl: string;
  readonly node: NodeIdentity;
  /** The REST gateway; absent: not started. */
  readonly rest?: { readonly address: string; readonly cors: boolean };
  /** The gRPC server; absent: not started. */
  readonly grpc?: { readonly address: string };
  readonly log: (line: string) => void;
}

export interface ApiServers {
  /** "http://127.0.0.1:1317" when the REST gateway runs. */
  readonly restUrl?: string;
  /** "127.0.0.1:9090" when the gRPC server runs. */
  readonly grpcAddress?: string;
  readonly backend: ServiceBackend;
  close(): Promise<void>;
}

/** Starts the servers asked for; if one fails to start, those already started are closed. */
export async function startApiServers(opts: ApiServersOptions): Promise<ApiServers> {
  const backend = createBackend(appQueryHandlers(opts.app), cometServiceHandlers({ rpcUrl: opts.rpcUrl, node: opts.node }));
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    let restUrl: string | undefined;
    let grpcAddress: string | undefined;
    if (opts.rest !== undefined) {
      const rest = await startRestServer(backend, { address: opts.rest.address, cors: opts.rest.cors, log: opts.log });
      closers.push(() => rest.close());
      restUrl = rest.url;
    }
    if (opts.grpc !== undefined) {
      const grpc = await startGrpcServer(backend, { address: opts.grpc.address, log: opts.log });
      closers.push(() => grpc.close());
      grpcAddress = grpc.address;
    }
    return { ...(restUrl === undefined ? {} : { restUrl }), ...(grpcAddress === undefined ? {} : { grpcAddress }), backend, close };
  } catch (e) {
    await close();
    throw e;
  }
}

export type { NodeIdentity };
