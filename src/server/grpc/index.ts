/**
 * The gRPC server (the SDK's port 9090): every method of the service backend at its own path
 * "/<service>/<method>", passed through as protobuf bytes (no decoding here; the backend answers
 * exactly what an ABCI query or the node services answer), plus server reflection.
 *
 * - Metadata `x-cosmos-block-height` → CallOptions.height (malformed: INVALID_ARGUMENT).
 * - A backend ApiError → its gRPC status and message; any other failure → INTERNAL with its
 *   message (and a log line: it is a bug or an outage, not a bad request).
 * - A path not served → UNIMPLEMENTED (grpc-js answers it).
 */
import * as grpc from "@grpc/grpc-js";
import { ApiError, type ServiceBackend } from "../backend";
import { BLOCK_HEIGHT_METADATA, parseHeightMetadata, parseListenAddress } from "./parse";
import { reflectionFor } from "./reflection";

export { BLOCK_HEIGHT_METADATA, parseHeightMetadata, parseListenAddress } from "./parse";

export interface GrpcServerOptions {
  /** "host:port", e.g. "127.0.0.1:9090"; port 0 binds a free port (returned). */
  readonly address: string;
  readonly log: (line: string) => void;
}

export interface GrpcServer {
  /** "host:port" with the bound port. */
  readonly address: string;
  readonly port: number;
  /** Stops accepting calls, lets running ones finish (bounded), then closes every connection. */
  close(): Promise<void>;
}

/** How long close() waits for running calls before cutting the connections. */
export const GRPC_SHUTDOWN_GRACE_MS = 5_000;

/** The largest request a client may send (the SDK's default: 10 MiB); queries are capped further by the app. */
export const GRPC_MAX_RECEIVE_BYTES = 10 * 1024 * 1024;

const identity = (b: Buffer): Buffer => b;

/** "/cosmos.bank.v1beta1.Query/Balance" → ["cosmos.bank.v1beta1.Query", "Balance"]. */
function splitMethod(path: string): [string, string] {
  const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
  if (m === null || m[1] === undefined || m[2] === undefined) throw new Error(`backend method ${JSON.stringify(path)} is not /<service>/<method>`);
  return [m[1], m[2]];
}

/** The served methods grouped by service, in the backend's (sorted) order. */
export function servicesOf(methods: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const path of methods) {
    const [service, method] = splitMethod(path);
    const list = out.get(service) ?? [];
    list.push(method);
    out.set(service, list);
  }
  return out;
}

function statusOf(e: unknown, path: string, log: (line: string) => void): Partial<grpc.StatusObject> {
  if (e instanceof ApiError) return { code: e.code as number as grpc.status, details: e.message };
  const message = e instanceof Error ? e.message : String(e);
  log(`gRPC ${path}: internal error: ${message}`);
  return { code: grpc.status.INTERNAL, details: message };
}

function unaryHandler(backend: ServiceBackend, path: string, log: (line: string) => void): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    let height: bigint | undefined;
    try {
      height = parseHeightMetadata(call.metadata.get(BLOCK_HEIGHT_METADATA));
    } catch (e) {
      callback(statusOf(e, path, log));
      return;
    }
    backend.call(path, call.request, height === undefined ? {} : { height }).then(
      (reply) => callback(null, Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength)),
      (e: unknown) => callback(statusOf(e, path, log)),
    );
  };
}

function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => {
      if (err === null) {
        resolve(port);
        return;
      }
      const e: NodeJS.ErrnoException = new Error(`gRPC server cannot listen on ${address}: ${err.message}`);
      // grpc-js reports the socket's error in its message only; callers tell a taken port by its code.
      if (err.message.includes("EADDRINUSE")) e.code = "EADDRINUSE";
      reject(e);
    });
  });
}

/** Starts the gRPC server over `backend`; resolves once it listens. */
export async function startGrpcServer(backend: ServiceBackend, opts: GrpcServerOptions): Promise<GrpcServer> {
  const { host } = parseListenAddress(opts.address);
  const services = servicesOf(backend.methods());
  const server = new grpc.Server({ "grpc.max_receive_message_length": GRPC_MAX_RECEIVE_BYTES });
  for (const [service, methods] of services) {
    const definition: grpc.ServiceDefinition<grpc.UntypedServiceImplementation> = {};
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const method of methods) {
      const path = `/${service}/${method}`;
      (definition as Record<string, grpc.MethodDefinition<Buffer, Buffer>>)[method] = {
        path,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      };
      implementation[method] = unaryHandler(backend, path, opts.log);
    }
    server.addService(definition, implementation);
  }
  const reflection = reflectionFor([...services.keys()]);
  reflection.service.addToServer(server);
  for (const s of reflection.undescribed) opts.log(`gRPC reflection: ${s} is served but has no descriptor; not listed`);

  const port = await bind(server, opts.address).catch((e: unknown) => {
    server.forceShutdown();
    throw e;
  });
  const address = `${host}:${port}`;
  opts.log(`gRPC server listening on ${address} (${services.size} services, reflection v1 and v1alpha)`);

  let closing: Promise<void> | undefined;
  return {
    address,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          opts.log(`gRPC server: calls still running after ${GRPC_SHUTDOWN_GRACE_MS} ms; closing their connections`);
          server.forceShutdown();
          resolve();
        }, GRPC_SHUTDOWN_GRACE_MS);
        timer.unref();
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return closing;
    },
  };
}
