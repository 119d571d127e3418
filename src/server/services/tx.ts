/**
 * cosmos.tx.v1beta1.Service over CometBFT's RPC, with the SDK v0.50 semantics (x/auth/tx's
 * service): GetTx, GetTxsEvent, BroadcastTx, GetBlockWithTxs. Simulate is not here: the app serves
 * it through its query router.
 *
 * The blocks of this chain open with the vote-extension data the proposer injects (a "tx" starting
 * with 0x00, which can never be a Tx). CometBFT indexes it like any tx, so a search by `tx.height`
 * finds it; it is left out of `txs` and `tx_responses` (the SDK leaves out what it cannot decode in
 * GetBlockWithTxs), while `total` stays what CometBFT counts.
 */
import { fromHex, toBase64, toHex } from "@cosmjs/encoding";
import type { TxResponse } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import {
  BroadcastMode,
  BroadcastTxRequest,
  BroadcastTxResponse,
  GetBlockWithTxsRequest,
  GetBlockWithTxsResponse,
  GetTxRequest,
  GetTxResponse,
  GetTxsEventRequest,
  GetTxsEventResponse,
  OrderBy,
} from "cosmjs-types/cosmos/tx/v1beta1/service";
import { Tx } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { sha256 } from "../../baseapp/tx/hash";
import { isReservedTx } from "../../baseapp/voteext";
import { ApiError, GrpcCode, type MethodHandler } from "../backend";
import { arr, b64, blockFrom, blockIdFrom, eventsFrom, headerFrom, int32, int64, obj, rfc3339Seconds, str } from "./cometjson";
import { apiErrorOfRpc, RpcError, type CometRpc } from "./rpc";
import { decodeRequest, latestHeight, mapLimit } from "./util";

/** The SDK's query.DefaultLimit: page size when a request gives none. */
export const DEFAULT_LIMIT = 100n;
/** How many blocks (headers) a tx search reads at once for the txs' timestamps. */
const HEADER_FETCH_CONCURRENCY = 4;

const TX_TYPE_URL = "/cosmos.tx.v1beta1.Tx";

/** One indexed tx as /tx and /tx_search answer it. */
interface IndexedTx {
  readonly hash: string;
  readonly height: bigint;
  readonly tx: Uint8Array;
  readonly result: {
    readonly code: number;
    readonly codespace: string;
    readonly data: Uint8Array;
    readonly log: string;
    readonly info: string;
    readonly gasWanted: bigint;
    readonly gasUsed: bigint;
    readonly events: TxResponse["events"];
  };
}

function indexedTxFrom(v: unknown, path: string): IndexedTx {
  const o = obj(v, path);
  const r = obj(o["tx_result"], `${path}.tx_result`);
  return {
    hash: str(o["hash"], `${path}.hash`).toUpperCase(),
    height: int64(o["height"], `${path}.height`),
    tx: b64(o["tx"], `${path}.tx`),
    result: {
      code: int32(r["code"], `${path}.tx_result.code`),
      codespace: str(r["codespace"], `${path}.tx_result.codespace`),
      data: b64(r["data"], `${path}.tx_result.data`),
      log: str(r["log"], `${path}.tx_result.log`),
      info: str(r["info"], `${path}.tx_result.info`),
      gasWanted: int64(r["gas_wanted"], `${path}.tx_result.gas_wanted`),
      gasUsed: int64(r["gas_used"], `${path}.tx_result.gas_used`),
      events: eventsFrom(r["events"], `${path}.tx_result.events`),
    },
  };
}

/** The Tx in `raw`, or undefined for bytes that are not one (the injected vote-extension data, garbage). */
export function decodeBlockTx(raw: Uint8Array): Tx | undefined {
  if (raw.length === 0 || isReservedTx(raw)) return undefined;
  try {
    return Tx.decode(raw);
  } catch {
    return undefined;
  }
}

/** The TxResponse the SDK builds from an indexed tx (types.NewResponseResultTx). */
function txResponseOf(t: IndexedTx, blockTime: Timestamp): TxResponse {
  return {
    height: t.height,
    txhash: t.hash,
    codespace: t.result.codespace,
    code: t.result.code,
    data: toHex(t.result.data).toUpperCase(),
    rawLog: t.result.log,
    // v0.50 fills logs only from a JSON raw_log of the old ABCIMessageLogs; this chain writes none.
    logs: [],
    info: t.result.info,
    gasWanted: t.result.gasWanted,
    gasUsed: t.result.gasUsed,
    // TxRaw and Tx have the same fields, so the bytes of the tx are the Any's value as they are.
    tx: { typeUrl: TX_TYPE_URL, value: t.tx },
    timestamp: rfc3339Seconds(blockTime),
    events: t.result.events,
  };
}

async function blockTime(rpc: CometRpc, height: bigint): Promise<Timestamp> {
  let res: unknown;
  try {
    res = await rpc.call("header", { height: height.toString() });
  } catch (e) {
    if (e instanceof RpcError) throw apiErrorOfRpc(e, `reading the header of block ${height}`);
    throw e;
  }
  return headerFrom(obj(res, "result")["header"], "result.header").time;
}

const HASH_RE = /^[0-9a-fA-F]{64}$/;

function getTx(rpc: CometRpc): MethodHandler {
  return async (bytes) => {
    const req = decodeRequest(GetTxRequest, bytes, "GetTxRequest");
    if (req.hash.length === 0) throw new ApiError(GrpcCode.INVALID_ARGUMENT, "tx hash cannot be empty");
    if (!HASH_RE.test(req.hash)) {
      throw new ApiError(
        GrpcCode.INVALID_ARGUMENT,
        `tx hash ${JSON.stringify(req.hash.slice(0, 80))} is not a hash; expected 64 hex characters (the SHA-256 of the tx bytes)`,
      );
    }
    const hash = req.hash.toUpperCase();
    let res: unknown;
    try {
      res = await rpc.call("tx", { hash: toBase64(fromHex(hash)), prove: false });
    } catch (e) {
      if (e instanceof RpcError) {
        if (/not found/i.test(e.data || e.rpcMessage)) throw new ApiError(GrpcCode.NOT_FOUND, `tx not found: ${hash}`);
        throw apiErrorOfRpc(e, `looking up tx ${hash}`);
      }
      throw e;
    }
    const t = indexedTxFrom(res, "result");
    const tx = decodeBlockTx(t.tx);
    if (tx === undefined) {
      if (isReservedTx(t.tx)) {
        throw new ApiError(
          GrpcCode.NOT_FOUND,
          `tx not found: ${hash} (that hash is of the vote-extension data the proposer put into block ${t.height}, not of a transaction)`,
        );
      }
      throw new ApiError(GrpcCode.INTERNAL, `tx ${hash} in block ${t.height} does not decode as a cosmos.tx.v1beta1.Tx`);
    }
    const time = await blockTime(rpc, t.height);
    return GetTxResponse.encode({ tx, txResponse: txResponseOf(t, time) }).finish();
  };
}

function orderByParam(o: OrderBy): string | undefined {
  if (o === OrderBy.ORDER_BY_ASC) return "asc";
  if (o === OrderBy.ORDER_BY_DESC) return "desc";
  return undefined; // CometBFT's default: ascending
}

function getTxsEvent(rpc: CometRpc): MethodHandler {
  return async (bytes) => {
    const req = decodeRequest(GetTxsEventRequest, bytes, "GetTxsEventRequest");
    // v0.50 reads `query`; the deprecated `events` (each "type.attr=value") are the same conditions joined with AND.
    const query = req.query.trim() !== "" ? req.query : req.events.filter((e) => e.trim() !== "").join(" AND ");
    if (query.trim() === "") {
      throw new ApiError(
        GrpcCode.INVALID_ARGUMENT,
        "query cannot be empty; give a CometBFT query such as query=\"message.sender='dcert1…'\" or query=\"tx.height=5\"",
      );
    }
    let page = req.page;
    let limit = req.limit;
    let orderBy = req.orderBy;
    // The pre-v0.47 request paged with `pagination`; honour it when page and limit are not given.
    const pg = req.pagination;
    if (pg !== undefined) {
      if (limit === 0n && pg.limit > 0n) limit = pg.limit;
      if (page === 0n && pg.offset > 0n) page = pg.offset / (limit > 0n ? limit : DEFAULT_LIMIT) + 1n;
      if (orderBy === OrderBy.ORDER_BY_UNSPECIFIED && pg.reverse) orderBy = OrderBy.ORDER_BY_DESC;
    }
    if (page <= 0n) page = 1n;
    if (limit <= 0n) limit = DEFAULT_LIMIT;
    const params: Record<string, unknown> = { query, prove: false, page: page.toString(), per_page: limit.toString() };
    const order = orderByParam(orderBy);
    if (order !== undefined) params["order_by"] = order;
    let res: unknown;
    try {
      res = await rpc.call("tx_search", params);
    } catch (e) {
      if (e instanceof RpcError) {
        const why = e.data || e.rpcMessage;
        throw new ApiError(GrpcCode.INVALID_ARGUMENT, `failed to search for txs with query ${JSON.stringify(query)}: ${why}`);
      }
      throw e;
    }
    const r = obj(res, "result");
    const found = arr(r["txs"], "result.txs").map((t, i) => indexedTxFrom(t, `result.txs[${i}]`));
    const total = int64(r["total_count"], "result.total_count");
    const kept: { t: IndexedTx; tx: Tx }[] = [];
    for (const t of found) {
      const tx = decodeBlockTx(t.tx);
      if (tx !== undefined) kept.push({ t, tx });
    }
    const heights = [...new Set(kept.map((k) => k.t.height))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const times = new Map<bigint, Timestamp>();
    await mapLimit(heights, HEADER_FETCH_CONCURRENCY, async (h) => {
      times.set(h, await blockTime(rpc, h));
    });
    return GetTxsEventResponse.encode({
      txs: kept.map((k) => k.tx),
      txResponses: kept.map((k) => txResponseOf(k.t, times.get(k.t.height) as Timestamp)),
      total,
    }).finish();
  };
}

/** CometBFT mempool errors the SDK answers as a TxResponse with its own codes (client.CheckCometError). */
function mempoolRefusal(detail: string): { code: number; codespace: string } | undefined {
  const d = detail.toLowerCase();
  if (d.includes("tx already exists in cache")) return { code: 19, codespace: "sdk" }; // ErrTxInMempoolCache
  if (d.includes("mempool is full")) return { code: 20, codespace: "sdk" }; // ErrMempoolIsFull
  // ErrTxTooLarge: the mempool's limit, or the RPC's max_body_bytes before it.
  if (d.includes("tx too large") || d.includes("request body too large")) return { code: 21, codespace: "sdk" };
  return undefined;
}

function broadcastTx(rpc: CometRpc): MethodHandler {
  return async (bytes) => {
    const req = decodeRequest(BroadcastTxRequest, bytes, "BroadcastTxRequest");
    if (req.txBytes.length === 0) throw new ApiError(GrpcCode.INVALID_ARGUMENT, "invalid empty tx");
    let method: string;
    if (req.mode === BroadcastMode.BROADCAST_MODE_SYNC) method = "broadcast_tx_sync";
    else if (req.mode === BroadcastMode.BROADCAST_MODE_ASYNC) method = "broadcast_tx_async";
    else if (req.mode === BroadcastMode.BROADCAST_MODE_BLOCK) {
      throw new ApiError(
        GrpcCode.INVALID_ARGUMENT,
        "broadcast mode BROADCAST_MODE_BLOCK is deprecated and not supported (as in Cosmos SDK v0.50); use BROADCAST_MODE_SYNC and then GetTx with the returned txhash",
      );
    } else {
      throw new ApiError(
        GrpcCode.INVALID_ARGUMENT,
        `unsupported broadcast mode ${String(req.mode)}; supported modes: BROADCAST_MODE_SYNC, BROADCAST_MODE_ASYNC`,
      );
    }
    const txhash = toHex(sha256(req.txBytes)).toUpperCase();
    let res: unknown;
    try {
      res = await rpc.call(method, { tx: toBase64(req.txBytes) });
    } catch (e) {
      if (e instanceof RpcError) {
        const refusal = mempoolRefusal(`${e.rpcMessage} ${e.data}`);
        if (refusal !== undefined) {
          return BroadcastTxResponse.encode({ txResponse: emptyTxResponse({ ...refusal, txhash }) }).finish();
        }
        throw new ApiError(GrpcCode.UNKNOWN, `${method} failed: ${e.data || e.rpcMessage}`);
      }
      throw e;
    }
    const r = obj(res, "result");
    const txResponse = emptyTxResponse({
      code: int32(r["code"], "result.code"),
      codespace: str(r["codespace"], "result.codespace"),
      txhash: str(r["hash"], "result.hash").toUpperCase() || txhash,
    });
    txResponse.data = toHex(b64(r["data"], "result.data")).toUpperCase();
    txResponse.rawLog = str(r["log"], "result.log");
    return BroadcastTxResponse.encode({ txResponse }).finish();
  };
}

function emptyTxResponse(f: { code: number; codespace: string; txhash: string }): TxResponse {
  return {
    height: 0n,
    txhash: f.txhash,
    codespace: f.codespace,
    code: f.code,
    data: "",
    rawLog: "",
    logs: [],
    info: "",
    gasWanted: 0n,
    gasUsed: 0n,
    timestamp: "",
    events: [],
  };
}

function getBlockWithTxs(rpc: CometRpc): MethodHandler {
  return async (bytes) => {
    const req = decodeRequest(GetBlockWithTxsRequest, bytes, "GetBlockWithTxsRequest");
    const current = await latestHeight(rpc);
    if (req.height < 1n || req.height > current) {
      throw new ApiError(
        GrpcCode.INVALID_ARGUMENT,
        `requested height ${req.height} but height must not be less than 1 or greater than the current height ${current}`,
      );
    }
    let res: unknown;
    try {
      res = await rpc.call("block", { height: req.height.toString() });
    } catch (e) {
      if (e instanceof RpcError) throw apiErrorOfRpc(e, `reading block ${req.height}`);
      throw e;
    }
    const r = obj(res, "result");
    const blockId = blockIdFrom(r["block_id"], "result.block_id");
    const block = blockFrom(r["block"], "result.block");
    const all = block.data.txs;
    const n = BigInt(all.length);
    const offset = req.pagination?.offset ?? 0n;
    const limit = req.pagination !== undefined && req.pagination.limit > 0n ? req.pagination.limit : DEFAULT_LIMIT;
    if (offset >= n && n !== 0n) {
      throw new ApiError(GrpcCode.INVALID_ARGUMENT, `out of range: cannot paginate ${n} txs with offset ${offset} and limit ${limit}`);
    }
    // Reverse pages from the end of the block: offset 0 is its last tx.
    const order = req.pagination?.reverse === true ? [...all].reverse() : all;
    const txs: Tx[] = [];
    for (const raw of order.slice(Number(offset), Number(offset + limit))) {
      const tx = decodeBlockTx(raw);
      if (tx !== undefined) txs.push(tx);
    }
    return GetBlockWithTxsResponse.encode({ txs, blockId, block, pagination: { nextKey: new Uint8Array(), total: n } }).finish();
  };
}

/** The tx service's methods (all but Simulate, which the app serves). */
export function txServiceHandlers(rpc: CometRpc): Map<string, MethodHandler> {
  return new Map<string, MethodHandler>([
    ["/cosmos.tx.v1beta1.Service/GetTx", getTx(rpc)],
    ["/cosmos.tx.v1beta1.Service/GetTxsEvent", getTxsEvent(rpc)],
    ["/cosmos.tx.v1beta1.Service/BroadcastTx", broadcastTx(rpc)],
    ["/cosmos.tx.v1beta1.Service/GetBlockWithTxs", getBlockWithTxs(rpc)],
  ]);
}
