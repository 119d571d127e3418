/**
 * The two inputs of the gRPC server that come from outside: the listen address (a flag) and the
 * `x-cosmos-block-height` metadata (a client). Both are parsed strictly; a rejection says what
 * was expected.
 */
import { ApiError, GrpcCode } from "../backend";

/** The metadata key (and the SDK's header) naming the height a query reads. */
export const BLOCK_HEIGHT_METADATA = "x-cosmos-block-height";

const MAX_INT64 = (1n << 63n) - 1n;

export interface ListenAddress {
  /** The host as written ("127.0.0.1", "localhost", "[::1]", "0.0.0.0"). */
  readonly host: string;
  /** 0 asks the system for a free port. */
  readonly port: number;
}

/**
 * Parses a listen address "host:port" (an IPv6 host in brackets: "[::1]:9090"). The port is a
 * decimal 0–65535; 0 lets the system pick one.
 */
export function parseListenAddress(address: string): ListenAddress {
  const bad = (why: string): Error =>
    new Error(`invalid gRPC address ${JSON.stringify(address)}: ${why} (expected host:port, e.g. 127.0.0.1:9090 or [::1]:9090)`);
  if (address.includes("://")) throw bad("no scheme is taken");
  const colon = address.lastIndexOf(":");
  if (colon < 0) throw bad("no port");
  const host = address.slice(0, colon);
  const portText = address.slice(colon + 1);
  if (!/^[0-9]{1,5}$/.test(portText)) throw bad(`port ${JSON.stringify(portText)} is not a number 0–65535`);
  const port = Number(portText);
  if (port > 65535) throw bad(`port ${port} is above 65535`);
  if (host.length === 0) throw bad("no host");
  if (host.startsWith("[")) {
    if (!/^\[[0-9A-Fa-f:.]+\]$/.test(host)) throw bad(`IPv6 host ${host} is malformed`);
  } else if (!/^[A-Za-z0-9.-]+$/.test(host)) {
    throw bad(`host ${JSON.stringify(host)} is not a name or an IPv4 address (an IPv6 address goes in brackets)`);
  }
  return { host, port };
}

/**
 * The height a call asks for: undefined without the metadata (the latest height), else its one
 * value as a decimal int64 ≥ 0 ("0" also means the latest). Anything else is INVALID_ARGUMENT.
 */
export function parseHeightMetadata(values: readonly (string | Buffer)[]): bigint | undefined {
  if (values.length === 0) return undefined;
  if (values.length > 1) {
    throw new ApiError(GrpcCode.INVALID_ARGUMENT, `${BLOCK_HEIGHT_METADATA} given ${values.length} times; give it once`);
  }
  const raw = values[0];
  const text = typeof raw === "string" ? raw : raw?.toString("utf8");
  if (text === undefined || !/^[0-9]{1,19}$/.test(text)) {
    throw new ApiError(
      GrpcCode.INVALID_ARGUMENT,
      `invalid ${BLOCK_HEIGHT_METADATA} ${JSON.stringify(text ?? "")}: expected a block height, a decimal integer ≥ 0`,
    );
  }
  const height = BigInt(text);
  if (height > MAX_INT64) {
    throw new ApiError(GrpcCode.INVALID_ARGUMENT, `invalid ${BLOCK_HEIGHT_METADATA} ${text}: above the largest height ${MAX_INT64}`);
  }
  return height;
}
