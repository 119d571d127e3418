/**
 * The service backend both API servers front: a gRPC method name and the protobuf request bytes
 * in, the protobuf response bytes out. The REST gateway (rest/) translates HTTP into such calls
 * with the route table; the gRPC server (grpc/) passes them through. Query services go to the
 * app's query router exactly as an ABCI Query does (committed state, the node's query caps); the
 * tx and node services (services/) go to CometBFT's RPC.
 */
import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";

/** gRPC status codes (google.rpc.Code). */
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
 * gRPC code of a failed ABCI query, as the SDK's registered errors carry them: bad input is
 * INVALID_ARGUMENT, a missing record NOT_FOUND, out of gas RESOURCE_EXHAUSTED; anything else UNKNOWN.
 */
export function grpcCodeOf(codespace: string, code: number, log: string): GrpcCode {
  if (codespace === "sdk") {
    switch (code) {
      case 2: // tx parse error
      case 3: // invalid sequence
      case 7: // invalid address
      case 10: // invalid coins
      case 12: // memo too large
      case 18: // invalid request
      case 19: // tx already in mempool
      case 26: // invalid height
      case 29: // invalid type
        return GrpcCode.INVALID_ARGUMENT;
      case 4: // unauthorized
        return GrpcCode.PERMISSION_DENIED;
      case 6: // unknown request (unknown query path)
        return GrpcCode.UNIMPLEMENTED;
      case 11: // out of gas
        return GrpcCode.RESOURCE_EXHAUSTED;
      case 22: // key not found
      case 38: // not found
        return GrpcCode.NOT_FOUND;
      default:
        break;
    }
  }
  if (/\bnot found\b|\bdoes not exist\b|\bno such\b|\bunknown (member|case|party|proposal|validator|notice|plan)\b/i.test(log)) return GrpcCode.NOT_FOUND;
  if (/\binvalid\b|\bmalformed\b|\bmust\b/i.test(log)) return GrpcCode.INVALID_ARGUMENT;
  return GrpcCode.UNKNOWN;
}

/** The query services of the app, as method handlers. */
export function appQueryHandlers(app: QueryApp): Map<string, MethodHandler> {
  const out = new Map<string, MethodHandler>();
  for (const path of app.queryPaths()) {
    out.set(path, async (data, opts) => {
      const res = await app.query({ path, data, height: opts.height ?? 0n, prove: false });
      if (res.code !== 0) throw new ApiError(grpcCodeOf(res.codespace, res.code, res.log), res.log);
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
