/**
 * A small client of CometBFT's JSON-RPC over HTTP (POST, named params), with every call bounded by
 * a timeout. Failures become ApiErrors a person can act on: a node that cannot be reached or does
 * not answer in time is UNAVAILABLE with a message naming the RPC URL; an error CometBFT answers
 * with is an RpcError for the caller to map (it knows what the request meant).
 *
 * Plain fetch rather than @cosmjs/tendermint-rpc: the services re-encode CometBFT's JSON as the
 * protobuf types of tendermint.types, and need fields CosmJS's decoders drop (the `index` flag of
 * event attributes, the evidence of a block).
 */
import { ApiError, GrpcCode } from "../backend";

/** How long one RPC call may take before it fails with UNAVAILABLE. */
export const DEFAULT_RPC_TIMEOUT_MS = 10_000;

/** A JSON-RPC error CometBFT answered with (the request reached it). */
export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly rpcCode: number,
    readonly rpcMessage: string,
    readonly data: string,
  ) {
    super(`${method}: ${data !== "" ? data : rpcMessage}`);
    this.name = "RpcError";
  }
}

/** `tcp://host:port` (CometBFT's rpc.laddr form) or `http(s)://host:port[/path]` → the HTTP URL. */
export function normalizeRpcUrl(rpcUrl: string): string {
  let url = rpcUrl.trim();
  if (url.startsWith("tcp://")) url = `http://${url.slice("tcp://".length)}`;
  else if (!/^https?:\/\//.test(url)) url = `http://${url}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`CometBFT RPC URL ${JSON.stringify(rpcUrl)} is not a URL; expected e.g. tcp://127.0.0.1:26657 or http://127.0.0.1:26657`);
  }
  return parsed.toString().replace(/\/$/, "");
}

export class CometRpc {
  readonly url: string;
  private nextId = 1;

  constructor(
    rpcUrl: string,
    readonly timeoutMs: number = DEFAULT_RPC_TIMEOUT_MS,
  ) {
    this.url = normalizeRpcUrl(rpcUrl);
  }

  /** Calls `method` with named `params` (int64s as decimal strings, bytes as base64); returns `result`. */
  async call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    const body = JSON.stringify({ jsonrpc: "2.0", id, method, params });
    let status = 0;
    let text = "";
    const deadline = AbortSignal.timeout(this.timeoutMs);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(this.url, { method: "POST", headers: { "content-type": "application/json" }, body, signal: deadline });
        status = res.status;
        text = await res.text();
        break;
      } catch (e) {
        // A pooled keep-alive connection the node closed meanwhile (CometBFT restarted, or closed
        // it idle) fails before any answer: a read is asked once more on a fresh connection. A
        // broadcast is not (a repeat would come back as "already in the mempool").
        if (attempt === 0 && closedBeforeAnswer(e) && !method.startsWith("broadcast_")) continue;
        throw this.unreachable(method, e);
      }
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError(
        GrpcCode.UNAVAILABLE,
        `CometBFT RPC at ${this.url} answered ${method} with HTTP ${status} and no JSON-RPC body (${JSON.stringify(text.slice(0, 120))}); is that URL CometBFT's RPC (rpc.laddr)?`,
      );
    }
    if (typeof parsed !== "object" || parsed === null) {
      throw new ApiError(GrpcCode.UNAVAILABLE, `CometBFT RPC at ${this.url} answered ${method} with a body that is not a JSON-RPC response`);
    }
    const obj = parsed as { error?: unknown; result?: unknown };
    if (obj.error !== undefined && obj.error !== null) {
      const err = obj.error as { code?: unknown; message?: unknown; data?: unknown };
      throw new RpcError(
        method,
        typeof err.code === "number" ? err.code : 0,
        typeof err.message === "string" ? err.message : "",
        typeof err.data === "string" ? err.data : "",
      );
    }
    if (!("result" in obj)) {
      throw new ApiError(GrpcCode.UNAVAILABLE, `CometBFT RPC at ${this.url} answered ${method} with neither a result nor an error`);
    }
    return obj.result;
  }

  private unreachable(method: string, e: unknown): ApiError {
    const err = e as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
    if (err.name === "TimeoutError" || err.name === "AbortError") {
      return new ApiError(
        GrpcCode.UNAVAILABLE,
        `CometBFT RPC at ${this.url} did not answer ${method} within ${this.timeoutMs} ms; is the node's CometBFT overloaded or stuck?`,
      );
    }
    const cause = err.cause;
    const why =
      cause !== undefined && typeof cause.code === "string"
        ? cause.code
        : cause !== undefined && typeof cause.message === "string"
          ? cause.message
          : typeof err.message === "string"
            ? err.message
            : String(e);
    return new ApiError(
      GrpcCode.UNAVAILABLE,
      `CometBFT RPC at ${this.url} is unreachable (${why}) calling ${method}; is the node's CometBFT running, and is that its rpc.laddr?`,
    );
  }
}

/** The connection was closed or reset before any response (undici's "other side closed", ECONNRESET). */
function closedBeforeAnswer(e: unknown): boolean {
  const code = (e as { cause?: { code?: unknown } }).cause?.code;
  return code === "UND_ERR_SOCKET" || code === "ECONNRESET";
}

/**
 * The ApiError for an error CometBFT answered with: a missing height or record is NOT_FOUND, a
 * request it refused (a bad height, page or query) INVALID_ARGUMENT, anything else UNKNOWN.
 */
export function apiErrorOfRpc(e: RpcError, what: string): ApiError {
  const detail = e.data !== "" ? e.data : e.rpcMessage;
  const message = `${what}: ${detail}`;
  if (/\bnot available\b|\bnot found\b|\bcould not find\b/i.test(detail)) return new ApiError(GrpcCode.NOT_FOUND, message);
  if (/\bmust be\b|\bshould be\b|\binvalid\b|\bfailed to parse\b|\bparse error\b|\bunexpected\b|\bcannot\b|\bcan't\b|\bexpected\b/i.test(detail)) {
    return new ApiError(GrpcCode.INVALID_ARGUMENT, message);
  }
  return new ApiError(GrpcCode.UNKNOWN, message);
}
