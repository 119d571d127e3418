/**
 * cosmos.base.tendermint.v1beta1.Service over CometBFT's RPC, with the SDK v0.50 semantics
 * (client/grpc/cmtservice): node info, syncing, blocks, validator sets and ABCI queries.
 */
import { toHex } from "@cosmjs/encoding";
import {
  ABCIQueryRequest,
  ABCIQueryResponse,
  GetBlockByHeightRequest,
  GetBlockByHeightResponse,
  GetLatestBlockResponse,
  GetLatestValidatorSetRequest,
  GetLatestValidatorSetResponse,
  GetNodeInfoResponse,
  GetSyncingResponse,
  GetValidatorSetByHeightRequest,
  GetValidatorSetByHeightResponse,
  type Validator,
} from "cosmjs-types/cosmos/base/tendermint/v1beta1/query";
import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { ApiError, GrpcCode, type MethodHandler } from "../backend";
import {
  arr,
  b64,
  blockFrom,
  blockIdFrom,
  int32,
  int64,
  nodeInfoFrom,
  obj,
  pubKeyAny,
  sdkBlockOf,
  str,
  validatorFrom,
  valconsAddress,
} from "./cometjson";
import { apiErrorOfRpc, RpcError, type CometRpc } from "./rpc";
import { DEFAULT_LIMIT } from "./tx";
import { decodeRequest, latestHeight, syncInfo } from "./util";

/** The SDK line explorers read from node_info to pick their API profile. */
export const COSMOS_SDK_COMPAT_VERSION = "v0.50.15";

/** Who this node is: node_info's application_version. */
export interface NodeIdentity {
  readonly appName: "dcertd";
  readonly version: string;
  readonly gitCommit: string;
}

async function call(rpc: CometRpc, method: string, params: Record<string, unknown>, what: string): Promise<unknown> {
  try {
    return await rpc.call(method, params);
  } catch (e) {
    if (e instanceof RpcError) throw apiErrorOfRpc(e, what);
    throw e;
  }
}

async function block(rpc: CometRpc, height: bigint | undefined): Promise<GetLatestBlockResponse> {
  const params: Record<string, unknown> = height === undefined ? {} : { height: height.toString() };
  const r = obj(await call(rpc, "block", params, height === undefined ? "reading the latest block" : `reading block ${height}`), "result");
  const blockId = blockIdFrom(r["block_id"], "result.block_id");
  const b = blockFrom(r["block"], "result.block");
  return { blockId, block: b, sdkBlock: sdkBlockOf(b) };
}

function checkHeight(height: bigint, latest: bigint): void {
  if (height < 1n) throw new ApiError(GrpcCode.INVALID_ARGUMENT, `height must be greater than 0, but got ${height}`);
  if (height > latest) {
    throw new ApiError(GrpcCode.INVALID_ARGUMENT, `requested block height ${height} is bigger than the chain length ${latest}`);
  }
}

/** query.ParsePagination: page = offset / limit + 1, limit 0 → the default. */
function pageOf(p: PageRequest | undefined): { page: bigint; limit: bigint } {
  const limit = p !== undefined && p.limit > 0n ? p.limit : DEFAULT_LIMIT;
  const offset = p?.offset ?? 0n;
  return { page: offset / limit + 1n, limit };
}

async function validators(
  rpc: CometRpc,
  height: bigint | undefined,
  p: PageRequest | undefined,
): Promise<{ blockHeight: bigint; validators: Validator[]; pagination: PageResponse }> {
  const { page, limit } = pageOf(p);
  const params: Record<string, unknown> = { page: page.toString(), per_page: limit.toString() };
  if (height !== undefined) params["height"] = height.toString();
  const r = obj(
    await call(rpc, "validators", params, height === undefined ? "reading the latest validator set" : `reading the validator set at height ${height}`),
    "result",
  );
  const vals = arr(r["validators"], "result.validators").map((v, i) => validatorFrom(v, `result.validators[${i}]`));
  return {
    blockHeight: int64(r["block_height"], "result.block_height"),
    validators: vals.map((v) => ({
      address: valconsAddress(v.address),
      pubKey: pubKeyAny(v.pubKey),
      votingPower: v.votingPower,
      proposerPriority: v.proposerPriority,
    })),
    pagination: { nextKey: new Uint8Array(), total: int64(r["total"], "result.total") },
  };
}

/** The first segment of an ABCI query path the SDK's ABCIQuery serves (baseapp's query path kinds). */
const ABCI_QUERY_KINDS = new Set(["app", "store", "p2p", "custom"]);

export function tendermintServiceHandlers(rpc: CometRpc, node: NodeIdentity): Map<string, MethodHandler> {
  const S = "/cosmos.base.tendermint.v1beta1.Service";
  return new Map<string, MethodHandler>([
    [
      `${S}/GetNodeInfo`,
      async () => {
        const { status } = await syncInfo(rpc);
        return GetNodeInfoResponse.encode({
          defaultNodeInfo: nodeInfoFrom(status["node_info"], "result.node_info"),
          applicationVersion: {
            name: "dcert",
            appName: node.appName,
            version: node.version,
            gitCommit: node.gitCommit,
            buildTags: "",
            goVersion: `node ${process.version}`,
            buildDeps: [],
            cosmosSdkVersion: COSMOS_SDK_COMPAT_VERSION,
          },
        }).finish();
      },
    ],
    [`${S}/GetSyncing`, async () => GetSyncingResponse.encode({ syncing: (await syncInfo(rpc)).catchingUp }).finish()],
    [`${S}/GetLatestBlock`, async () => GetLatestBlockResponse.encode(await block(rpc, undefined)).finish()],
    [
      `${S}/GetBlockByHeight`,
      async (bytes) => {
        const req = decodeRequest(GetBlockByHeightRequest, bytes, "GetBlockByHeightRequest");
        checkHeight(req.height, await latestHeight(rpc));
        return GetBlockByHeightResponse.encode(await block(rpc, req.height)).finish();
      },
    ],
    [
      `${S}/GetLatestValidatorSet`,
      async (bytes) => {
        const req = decodeRequest(GetLatestValidatorSetRequest, bytes, "GetLatestValidatorSetRequest");
        return GetLatestValidatorSetResponse.encode(await validators(rpc, undefined, req.pagination)).finish();
      },
    ],
    [
      `${S}/GetValidatorSetByHeight`,
      async (bytes) => {
        const req = decodeRequest(GetValidatorSetByHeightRequest, bytes, "GetValidatorSetByHeightRequest");
        checkHeight(req.height, await latestHeight(rpc));
        return GetValidatorSetByHeightResponse.encode(await validators(rpc, req.height, req.pagination)).finish();
      },
    ],
    [
      `${S}/ABCIQuery`,
      async (bytes) => {
        const req = decodeRequest(ABCIQueryRequest, bytes, "ABCIQueryRequest");
        if (req.path.length === 0) throw new ApiError(GrpcCode.INVALID_ARGUMENT, "empty query path");
        const kind = req.path.replace(/^\//, "").split("/")[0] ?? "";
        if (!ABCI_QUERY_KINDS.has(kind)) {
          // As the SDK: gRPC query paths go to the gRPC and REST services, not through here.
          throw new ApiError(
            GrpcCode.INVALID_ARGUMENT,
            `unsupported ABCI query path: ${req.path}; ABCIQuery serves /app, /store, /p2p and /custom paths (call gRPC methods such as /cosmos.bank.v1beta1.Query/Balance directly)`,
          );
        }
        if (req.height < 0n) throw new ApiError(GrpcCode.INVALID_ARGUMENT, `height must not be negative, got ${req.height}`);
        const r = obj(
          await call(
            rpc,
            "abci_query",
            { path: req.path, data: toHex(req.data), height: req.height.toString(), prove: req.prove },
            `ABCI query ${req.path}`,
          ),
          "result",
        );
        const q = obj(r["response"], "result.response");
        const proof = q["proof_ops"] ?? q["proofOps"];
        const res: ABCIQueryResponse = {
          code: int32(q["code"], "result.response.code"),
          log: str(q["log"], "result.response.log"),
          info: str(q["info"], "result.response.info"),
          index: int64(q["index"], "result.response.index"),
          key: b64(q["key"], "result.response.key"),
          value: b64(q["value"], "result.response.value"),
          height: int64(q["height"], "result.response.height"),
          codespace: str(q["codespace"], "result.response.codespace"),
        };
        if (proof !== null && proof !== undefined) {
          res.proofOps = {
            ops: arr(obj(proof, "result.response.proof_ops")["ops"], "result.response.proof_ops.ops").map((op, i) => {
              const o = obj(op, `result.response.proof_ops.ops[${i}]`);
              return {
                type: str(o["type"], `result.response.proof_ops.ops[${i}].type`),
                key: b64(o["key"], `result.response.proof_ops.ops[${i}].key`),
                data: b64(o["data"], `result.response.proof_ops.ops[${i}].data`),
              };
            }),
          };
        }
        return ABCIQueryResponse.encode(res).finish();
      },
    ],
  ]);
}
