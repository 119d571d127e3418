/**
 * The tx service (cosmos.tx.v1beta1.Service, all but Simulate) and the node service
 * (cosmos.base.tendermint.v1beta1.Service) as method handlers over CometBFT's RPC, for the REST
 * gateway and the gRPC server (createBackend in ../backend.ts). Requests are decoded and responses
 * encoded with cosmjs-types (the same protos as the SDK's).
 */
import { ApiError, GrpcCode, type MethodHandler } from "../backend";
import { ShapeError } from "./cometjson";
import { CometRpc, DEFAULT_RPC_TIMEOUT_MS } from "./rpc";
import { COSMOS_SDK_COMPAT_VERSION, tendermintServiceHandlers, type NodeIdentity } from "./tendermint";
import { txServiceHandlers } from "./tx";

export { COSMOS_SDK_COMPAT_VERSION, DEFAULT_RPC_TIMEOUT_MS, type NodeIdentity };

export interface CometServiceOptions {
  /** CometBFT's RPC: `tcp://127.0.0.1:26657` (rpc.laddr's form) or `http://127.0.0.1:26657`. */
  readonly rpcUrl: string;
  readonly node: NodeIdentity;
  /** Bound of each RPC call (default DEFAULT_RPC_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/** Every failure as an ApiError: an unexpected RPC answer or a bug is INTERNAL, naming the RPC URL. */
function guarded(method: string, rpc: CometRpc, h: MethodHandler): MethodHandler {
  return async (req, opts) => {
    try {
      return await h(req, opts);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (e instanceof ShapeError) {
        throw new ApiError(GrpcCode.INTERNAL, `${method}: CometBFT RPC at ${rpc.url} answered with an unexpected shape at ${e.message}`);
      }
      throw new ApiError(GrpcCode.INTERNAL, `${method}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

export function cometServiceHandlers(opts: CometServiceOptions): Map<string, MethodHandler> {
  const rpc = new CometRpc(opts.rpcUrl, opts.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS);
  const out = new Map<string, MethodHandler>();
  for (const [m, h] of [...txServiceHandlers(rpc), ...tendermintServiceHandlers(rpc, opts.node)]) out.set(m, guarded(m, rpc, h));
  return out;
}
