/**
 * The service backend both API servers front: a gRPC method name and the protobuf request bytes
 * in, the protobuf response bytes out. The REST gateway (rest/) translates HTTP into such calls
 * with the route table; the gRPC server (grpc/) passes them through. Query services go to the
 * app's query router exactly as an ABCI Query does (committed state, the node's query caps); the
 * tx and node services (services/) go to CometBFT's RPC.
 */
import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";
import { grpcCodeOfError } from "../types/errors";

/** gRPC status codes (google.rpc.Code); registered errors name theirs with types/errors.ts's GrpcStatus, same numbers. */
export enum GrpcCode {
  OK = 0,
  CANCELLED = 1,
  UNKNOWN = 2,
  INVALID_ARGUMENT = 3,
  DEADLINE_EXCEEDED = 4,
  NOT_FOUND = 5,
  ALREADY_EXISTS = 6,
  PERMISSION_DENIED = 7,
  RESOURCE_EXHAUSTED = 8,
  FAILED_PRECONDITION = 9,
  ABORTED = 10,
  OUT_OF_RANGE = 11,
  UNIMPLEMENTED = 12,
  INTERNAL = 13,
  UNAVAILABLE = 14,
}

/** A failed call: the gRPC status the servers answer with (REST maps it to an HTTP status). */
export class ApiError extends Error {
  constructor(
    readonly code: GrpcCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface CallOptions {
  /** The `x-cosmos-block-height` header: 0n / undefined = the latest height. */
  readonly height?: bigint;
}

/** One served method: "/cosmos.bank.v1beta1.Query/Balance" → handler. */
export type MethodHandler = (request: Uint8Array, opts: CallOptions) => Promise<Uint8Array>;

export interface ServiceBackend {
  /** Whether `/<service>/<method>` is served. */
  has(method: string): boolean;
  /** Every served method, sorted. */
  methods(): string[];
  /** Calls a served method; rejects with ApiError (UNIMPLEMENTED for one not served). */
  call(method: string, request: Uint8Array, opts?: CallOptions): Promise<Uint8Array>;
}

/** What the backend needs of the app: the ABCI Query entry point and its router's paths. */
export interface QueryApp {
  query(req: RequestQuery): ResponseQuery | Promise<ResponseQuery>;
  /** Every registered query path ("/<service>/<method>"). */
  queryPaths(): string[];
}

/**
 * gRPC code of a failed ABCI query: the one its registered error carries (`registerError`'s
 * `grpcCode`, as the SDK's `RegisterWithGRPCCode`), UNKNOWN for an error without one or an
 * unregistered (codespace, code). Never read from the log, whose wording is free to change.
 */
export function grpcCodeOf(codespace: string, code: number): GrpcCode {
  return grpcCodeOfError(codespace, code) ?? GrpcCode.UNKNOWN;
}

/** The query services of the app, as method handlers. */
export function appQueryHandlers(app: QueryApp): Map<string, MethodHandler> {
  const out = new Map<string, MethodHandler>();
  for (const path of app.queryPaths()) {
    out.set(path, async (data, opts) => {
      const res = await app.query({ path, data, height: opts.height ?? 0n, prove: false });
      if (res.code !== 0) throw new ApiError(grpcCodeOf(res.codespace, res.code), res.log);
      return res.value;
    });
  }
  return out;
}

/** A backend over method handlers (later maps win: the services override nothing by accident). */
export function createBackend(...parts: ReadonlyMap<string, MethodHandler>[]): ServiceBackend {
  const all = new Map<string, MethodHandler>();
  for (const part of parts) {
    for (const [m, h] of part) {
      if (all.has(m)) throw new Error(`method ${m} served twice`);
      all.set(m, h);
    }
  }
  const sorted = [...all.keys()].sort();
  return {
    has: (m) => all.has(m),
    methods: () => [...sorted],
    async call(method, request, opts = {}) {
      const h = all.get(method);
      if (h === undefined) throw new ApiError(GrpcCode.UNIMPLEMENTED, `unknown method ${method}`);
      return h(request, opts);
    },
  };
}
