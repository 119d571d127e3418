/** Helpers the tx and node services share. */
import type { BinaryReader } from "cosmjs-types/binary";
import { ApiError, GrpcCode } from "../backend";
import { bool, int64, obj } from "./cometjson";
import type { CometRpc } from "./rpc";

/** Decodes a request with its cosmjs-types codec; malformed bytes are INVALID_ARGUMENT. */
export function decodeRequest<T>(codec: { decode(input: BinaryReader | Uint8Array): T }, bytes: Uint8Array, name: string): T {
  try {
    return codec.decode(bytes);
  } catch (e) {
    throw new ApiError(GrpcCode.INVALID_ARGUMENT, `malformed ${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** /status's sync_info: the latest block height and whether the node is catching up. */
export async function syncInfo(rpc: CometRpc): Promise<{ latestHeight: bigint; catchingUp: boolean; status: Record<string, unknown> }> {
  const status = obj(await rpc.call("status"), "result");
  const sync = obj(status["sync_info"], "result.sync_info");
  return {
    latestHeight: int64(sync["latest_block_height"], "result.sync_info.latest_block_height"),
    catchingUp: bool(sync["catching_up"], "result.sync_info.catching_up"),
    status,
  };
}

export async function latestHeight(rpc: CometRpc): Promise<bigint> {
  return (await syncInfo(rpc)).latestHeight;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
