/**
 * Node-local limits on ABCI queries and Simulate. They are not consensus rules: each node chooses
 * its own (`dcertd start --query-gas-limit / --max-query-bytes`), like the Cosmos SDK's
 * `query-gas-limit`. They exist so that an unauthenticated query cannot keep the app's only thread
 * busy for long (the consensus connection shares it): every query and every Simulate runs under a
 * gas cap, and a request larger than a cap is refused before it is decoded.
 */
import { utf8 } from "./encoding";
import { ErrOutOfGas, GrpcStatus, registerError } from "./errors";
import type { GasMeter } from "./gas";

/**
 * Default gas cap of one query or Simulate. Measured (test/integration/query-limits.test.ts): a
 * gov proposal simulates at ~0.1M gas, a 16-entry dCERT vote with a delegation at ~0.13M, 50
 * MsgSends at ~0.66M, a MsgMultiSend to 500 new accounts (the throughput bench's funding tx) at
 * ~9.6M; 20M gas takes on the order of 100 ms of app time.
 */
export const DEFAULT_QUERY_GAS_LIMIT = 20_000_000n;
/**
 * Default size cap of one query request (path + data). A gov proposal with a 5,000-character
 * summary is ~5 KB, 50 MsgSends ~7 KB, a MsgMultiSend to 500 accounts ~31 KB; 3,000 MsgSends are
 * ~420 KB.
 */
export const DEFAULT_MAX_QUERY_BYTES = 128 * 1024;

export const QUERY_CODESPACE = "query";
export const ErrQueryTooLarge = registerError(QUERY_CODESPACE, 2, "query request too large", GrpcStatus.RESOURCE_EXHAUSTED);

/** The node-local limits an App applies; 0 means unlimited. */
export interface QueryLimits {
  readonly queryGasLimit: bigint;
  readonly maxQueryBytes: number;
}

/**
 * A gas meter for queries and Simulate: like BasicGasMeter, but running out names the node
 * setting to raise. A limit of 0 never runs out.
 */
export class QueryGasMeter implements GasMeter {
  private used = 0n;
  constructor(readonly limit: bigint) {}
  consumed(): bigint {
    return this.used;
  }
  consume(amount: bigint, descriptor: string): void {
    this.used += amount;
    if (this.limit > 0n && this.used > this.limit) {
      throw ErrOutOfGas.wrap(
        `query gas limit exceeded in location: ${descriptor}; gasUsed: ${this.used}, limit: ${this.limit}. ` +
          "Every query and Simulate on this node runs under its query-gas-limit (dcertd start --query-gas-limit <gas>, 0 = unlimited)",
      );
    }
  }
}

/** Refuses a query request larger than `maxBytes` (0 = unlimited), before anything decodes it. */
export function checkQuerySize(path: string, data: Uint8Array, maxBytes: number): void {
  const size = utf8(path).length + data.length;
  if (maxBytes > 0 && size > maxBytes) {
    throw ErrQueryTooLarge.wrap(
      `query ${path} is ${size} bytes, more than this node's max-query-bytes of ${maxBytes} ` +
        "(dcertd start --max-query-bytes <bytes>, 0 = unlimited)",
    );
  }
}
