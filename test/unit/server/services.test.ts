/**
 * The tx and node services against a fake CometBFT RPC answering with JSON captured from a devnet:
 * the shapes of the responses (as the SDK v0.50 fills them), the parameters sent to CometBFT, and
 * the errors (status code and message) for bad requests, missing records and an unreachable node.
 */
import { fromBase64, fromHex, toHex } from "@cosmjs/encoding";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
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
} from "cosmjs-types/cosmos/base/tendermint/v1beta1/query";
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
import { ApiError, createBackend, GrpcCode, type MethodHandler } from "../../../src/server/backend";
import { cometServiceHandlers, COSMOS_SDK_COMPAT_VERSION, type NodeIdentity } from "../../../src/server/services";
import { FakeRpc, fixture, rpcError } from "./services-fake-rpc";

const NODE: NodeIdentity = { appName: "dcertd", version: "1.2.3", gitCommit: "abc123" };
const TX = "/cosmos.tx.v1beta1.Service";
const TM = "/cosmos.base.tendermint.v1beta1.Service";

let rpc: FakeRpc;
let handlers: Map<string, MethodHandler>;

beforeAll(async () => {
  rpc = await FakeRpc.start();
  handlers = cometServiceHandlers({ rpcUrl: rpc.url, node: NODE });
});

afterAll(async () => {
  await rpc.stop();
});

beforeEach(() => {
  rpc.reset();
  rpc.serveFixture();
});

function call(method: string, req: Uint8Array = new Uint8Array()): Promise<Uint8Array> {
  const h = handlers.get(method);
  if (h === undefined) throw new Error(`no handler ${method}`);
  return h(req, {});
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error("expected the call to fail");
}

const f = fixture();
const TX_HASH = f.txHash; // the bank send captured on the devnet (block 2, second tx)
const VE_HASH = (f.txSearch.txs[0] as { hash: string }).hash; // block 2's injected vote-extension data

describe("the method set", () => {
  it("serves the tx service's methods but Simulate, and the node service's seven", () => {
    expect([...handlers.keys()].sort()).toEqual(
      [
        `${TX}/BroadcastTx`,
        `${TX}/GetBlockWithTxs`,
        `${TX}/GetTx`,
        `${TX}/GetTxsEvent`,
        `${TM}/ABCIQuery`,
        `${TM}/GetBlockByHeight`,
        `${TM}/GetLatestBlock`,
        `${TM}/GetLatestValidatorSet`,
        `${TM}/GetNodeInfo`,
        `${TM}/GetSyncing`,
        `${TM}/GetValidatorSetByHeight`,
      ].sort(),
    );
    // Composes with the app's query handlers (which serve Simulate) without a clash.
    const app = new Map<string, MethodHandler>([[`${TX}/Simulate`, () => Promise.resolve(new Uint8Array())]]);
    expect(createBackend(app, handlers).methods()).toContain(`${TX}/Simulate`);
  });
});

describe("GetTx", () => {
  it("answers the TxResponse the SDK builds, and the decoded tx", async () => {
    const res = GetTxResponse.decode(await call(`${TX}/GetTx`, GetTxRequest.encode({ hash: TX_HASH.toLowerCase() }).finish()));
    const r = res.txResponse!;
    expect(r.txhash).toBe(TX_HASH);
    expect(r.height).toBe(2n);
    expect(r.code).toBe(0);
    expect(r.codespace).toBe("");
    expect(r.data).toBe(toHex(fromBase64((f.tx["tx_result"] as { data: string }).data)).toUpperCase());
    expect(r.data).toMatch(/^[0-9A-F]+$/);
    expect(r.rawLog).toBe("");
    expect(r.logs).toEqual([]);
    expect(r.gasWanted).toBe(200_000n);
    expect(r.gasUsed).toBe(48_777n);
    // time.RFC3339 of the block time: whole seconds.
    expect(r.timestamp).toBe("2026-12-05T05:57:25Z");
    expect(r.tx?.typeUrl).toBe("/cosmos.tx.v1beta1.Tx");
    expect(toHex(r.tx!.value)).toBe(toHex(fromBase64(f.tx.tx)));
    const transfer = r.events.find((e) => e.type === "transfer");
    expect(transfer?.attributes).toContainEqual({ key: "amount", value: "10000udcert", index: true });
    expect(r.events.length).toBeGreaterThan(5);
    // The decoded tx: the MsgSend inside, and the fee.
    const msg = res.tx!.body!.messages[0]!;
    expect(msg.typeUrl).toBe("/cosmos.bank.v1beta1.MsgSend");
    expect(MsgSend.decode(msg.value).amount).toEqual([{ denom: "udcert", amount: "5" }]);
    expect(res.tx!.body!.memo).toBe("hi");
    expect(res.tx!.authInfo!.fee!.gasLimit).toBe(200_000n);
    // CometBFT was asked for the hash (base64 bytes) and for block 2's header (the timestamp).
    expect(rpc.callsOf("tx")[0]?.params).toEqual({ hash: Buffer.from(TX_HASH, "hex").toString("base64"), prove: false });
    expect(rpc.callsOf("header")[0]?.params).toEqual({ height: "2" });
  });

  it("is NOT_FOUND \"tx not found: <HASH>\" for an unknown hash", async () => {
    const hash = "ab".repeat(32);
    rpc.routes.set("tx", () => rpcError(`tx (${hash.toUpperCase()}) not found`));
    const e = await failure(call(`${TX}/GetTx`, GetTxRequest.encode({ hash }).finish()));
    expect(e.code).toBe(GrpcCode.NOT_FOUND);
    expect(e.message).toBe(`tx not found: ${hash.toUpperCase()}`);
  });

  it("is NOT_FOUND for the hash of a block's injected vote-extension data, saying what it is", async () => {
    rpc.routes.set("tx", () => ({ result: f.txSearch.txs[0] }));
    const e = await failure(call(`${TX}/GetTx`, GetTxRequest.encode({ hash: VE_HASH }).finish()));
    expect(e.code).toBe(GrpcCode.NOT_FOUND);
    expect(e.message).toContain(`tx not found: ${VE_HASH}`);
    expect(e.message).toContain("vote-extension data");
    expect(e.message).toContain("block 2");
  });

  it("refuses an empty or malformed hash without asking CometBFT", async () => {
    const empty = await failure(call(`${TX}/GetTx`, GetTxRequest.encode({ hash: "" }).finish()));
    expect([empty.code, empty.message]).toEqual([GrpcCode.INVALID_ARGUMENT, "tx hash cannot be empty"]);
    for (const hash of ["xyz", "ab".repeat(31), "zz".repeat(32)]) {
      const e = await failure(call(`${TX}/GetTx`, GetTxRequest.encode({ hash }).finish()));
      expect(e.code).toBe(GrpcCode.INVALID_ARGUMENT);
      expect(e.message).toContain("64 hex characters");
    }
    expect(rpc.callsOf("tx")).toHaveLength(0);
  });

  it("refuses bytes that are not a GetTxRequest", async () => {
    const e = await failure(call(`${TX}/GetTx`, Uint8Array.of(0x0a, 0x05, 0x41)));
    expect(e.code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(e.message).toContain("malformed GetTxRequest");
  });
});

describe("GetTxsEvent", () => {
  it("searches with the query, page 1 and limit 100 by default, and leaves out the vote-extension data", async () => {
    const res = GetTxsEventResponse.decode(await call(`${TX}/GetTxsEvent`, GetTxsEventRequest.encode(GetTxsEventRequest.fromPartial({ query: "tx.height=2" })).finish()));
    expect(rpc.callsOf("tx_search")[0]?.params).toEqual({ query: "tx.height=2", prove: false, page: "1", per_page: "100" });
    expect(res.total).toBe(2n); // what CometBFT counts
    expect(res.txResponses.map((r) => r.txhash)).toEqual([TX_HASH]);
    expect(res.txs).toHaveLength(1);
    expect(res.txs[0]!.body!.messages[0]!.typeUrl).toBe("/cosmos.bank.v1beta1.MsgSend");
    expect(res.txResponses[0]!.timestamp).toBe("2026-12-05T05:57:25Z");
    // One header read per distinct height.
    expect(rpc.callsOf("header").map((c) => c.params)).toEqual([{ height: "2" }]);
  });

  it("passes page, limit and order, and joins the deprecated events with AND", async () => {
    await call(
      `${TX}/GetTxsEvent`,
      GetTxsEventRequest.encode(
        GetTxsEventRequest.fromPartial({ events: ["message.sender='dcert1x'", "transfer.amount='5udcert'"], page: 3n, limit: 7n, orderBy: OrderBy.ORDER_BY_DESC }),
      ).finish(),
    );
    expect(rpc.callsOf("tx_search")[0]?.params).toEqual({
      query: "message.sender='dcert1x' AND transfer.amount='5udcert'",
      prove: false,
      page: "3",
      per_page: "7",
      order_by: "desc",
    });
  });

  it("honours the pre-v0.47 pagination when page and limit are not given", async () => {
    await call(
      `${TX}/GetTxsEvent`,
      GetTxsEventRequest.encode(GetTxsEventRequest.fromPartial({ query: "tx.height=2", pagination: { offset: 20n, limit: 10n, reverse: true } })).finish(),
    );
    expect(rpc.callsOf("tx_search")[0]?.params).toEqual({ query: "tx.height=2", prove: false, page: "3", per_page: "10", order_by: "desc" });
  });

  it("refuses an empty query, and passes CometBFT's refusal on as INVALID_ARGUMENT", async () => {
    const empty = await failure(call(`${TX}/GetTxsEvent`, GetTxsEventRequest.encode(GetTxsEventRequest.fromPartial({})).finish()));
    expect(empty.code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(empty.message).toContain("query cannot be empty");
    rpc.routes.set("tx_search", () => rpcError("page should be within [1, 1] range, given 5"));
    const page = await failure(call(`${TX}/GetTxsEvent`, GetTxsEventRequest.encode(GetTxsEventRequest.fromPartial({ query: "tx.height=2", page: 5n })).finish()));
    expect(page.code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(page.message).toBe('failed to search for txs with query "tx.height=2": page should be within [1, 1] range, given 5');
  });
});

describe("BroadcastTx", () => {
  const txBytes = fromBase64(f.tx.tx);

  it("sends SYNC and ASYNC to the matching RPC and answers CheckTx's result", async () => {
    rpc.routes.set("broadcast_tx_sync", () => ({ result: { code: 5, data: "", log: "insufficient funds", codespace: "sdk", hash: TX_HASH } }));
    const sync = BroadcastTxResponse.decode(
      await call(`${TX}/BroadcastTx`, BroadcastTxRequest.encode({ txBytes, mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish()),
    ).txResponse!;
    expect(rpc.callsOf("broadcast_tx_sync")[0]?.params).toEqual({ tx: f.tx.tx });
    expect(sync).toMatchObject({ code: 5, codespace: "sdk", rawLog: "insufficient funds", txhash: TX_HASH, height: 0n, logs: [], data: "" });
    rpc.routes.set("broadcast_tx_async", () => ({ result: { code: 0, data: "", log: "", codespace: "", hash: TX_HASH } }));
    const async = BroadcastTxResponse.decode(
      await call(`${TX}/BroadcastTx`, BroadcastTxRequest.encode({ txBytes, mode: BroadcastMode.BROADCAST_MODE_ASYNC }).finish()),
    ).txResponse!;
    expect(rpc.callsOf("broadcast_tx_async")).toHaveLength(1);
    expect(async).toMatchObject({ code: 0, txhash: TX_HASH });
  });

  it("answers CometBFT's mempool refusals as the SDK does (codes 19, 20, 21 with the tx's hash)", async () => {
    rpc.routes.set("broadcast_tx_sync", () => rpcError("tx already exists in cache"));
    const res = BroadcastTxResponse.decode(
      await call(`${TX}/BroadcastTx`, BroadcastTxRequest.encode({ txBytes, mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish()),
    ).txResponse!;
    expect(res).toMatchObject({ code: 19, codespace: "sdk", txhash: TX_HASH });
    for (const [data, code] of [
      ["mempool is full: number of txs 5000 (max: 5000)", 20],
      ["tx too large. Max size is 262144, but got 300000", 21],
      ["error reading request body: http: request body too large", 21],
    ] as const) {
      rpc.routes.set("broadcast_tx_sync", () => rpcError(data));
      const r = BroadcastTxResponse.decode(
        await call(`${TX}/BroadcastTx`, BroadcastTxRequest.encode({ txBytes, mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish()),
      ).txResponse!;
      expect(r).toMatchObject({ code, codespace: "sdk", txhash: TX_HASH });
    }
    rpc.routes.set("broadcast_tx_sync", () => rpcError("something else"));
    const other = await failure(call(`${TX}/BroadcastTx`, BroadcastTxRequest.encode({ txBytes, mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish()));
    expect([other.code, other.message]).toEqual([GrpcCode.UNKNOWN, "broadcast_tx_sync failed: something else"]);
  });

  it("refuses BLOCK (deprecated), an unspecified mode and empty bytes", async () => {
    const block = await failure(call(`${TX}/BroadcastTx`, BroadcastTxRequest.encode({ txBytes, mode: BroadcastMode.BROADCAST_MODE_BLOCK }).finish()));
    expect(block.code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(block.message).toContain("deprecated");
    const unspecified = await failure(call(`${TX}/BroadcastTx`, BroadcastTxRequest.encode({ txBytes, mode: BroadcastMode.BROADCAST_MODE_UNSPECIFIED }).finish()));
    expect(unspecified.code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(unspecified.message).toContain("BROADCAST_MODE_SYNC");
    const empty = await failure(call(`${TX}/BroadcastTx`, BroadcastTxRequest.encode({ txBytes: new Uint8Array(), mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish()));
    expect([empty.code, empty.message]).toEqual([GrpcCode.INVALID_ARGUMENT, "invalid empty tx"]);
    expect(rpc.calls.filter((c) => c.method.startsWith("broadcast"))).toHaveLength(0);
  });
});

describe("GetBlockWithTxs", () => {
  it("answers the block and its decodable txs, total counting every tx of the block", async () => {
    const res = GetBlockWithTxsResponse.decode(await call(`${TX}/GetBlockWithTxs`, GetBlockWithTxsRequest.encode({ height: 2n }).finish()));
    expect(res.block!.header.height).toBe(2n);
    expect(toHex(res.blockId!.hash).toUpperCase()).toBe((f.block["block_id"] as { hash: string }).hash);
    expect(res.block!.data.txs).toHaveLength(2);
    expect(res.txs).toHaveLength(1);
    expect(res.txs[0]!.body!.memo).toBe("hi");
    expect(res.pagination!.total).toBe(2n);
    expect(rpc.callsOf("block")[0]?.params).toEqual({ height: "2" });
  });

  it("pages with offset and limit, forwards and in reverse", async () => {
    const page = async (offset: bigint, limit: bigint, reverse: boolean) =>
      GetBlockWithTxsResponse.decode(
        await call(`${TX}/GetBlockWithTxs`, GetBlockWithTxsRequest.encode({ height: 2n, pagination: { key: new Uint8Array(), offset, limit, countTotal: false, reverse } }).finish()),
      ).txs.map((t) => t.body!.memo);
    expect(await page(0n, 1n, false)).toEqual([]); // the first is the vote-extension data
    expect(await page(1n, 1n, false)).toEqual(["hi"]);
    expect(await page(0n, 1n, true)).toEqual(["hi"]);
    const e = await failure(page(2n, 1n, false));
    expect(e.code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(e.message).toContain("out of range");
  });

  it("refuses heights below 1 and above the latest", async () => {
    for (const height of [0n, 3n]) {
      const e = await failure(call(`${TX}/GetBlockWithTxs`, GetBlockWithTxsRequest.encode({ height }).finish()));
      expect(e.code).toBe(GrpcCode.INVALID_ARGUMENT);
      expect(e.message).toContain("current height 2");
    }
  });
});

describe("cosmos.base.tendermint.v1beta1.Service", () => {
  it("GetNodeInfo: CometBFT's node info and the app's version with the SDK compatibility line", async () => {
    const res = GetNodeInfoResponse.decode(await call(`${TM}/GetNodeInfo`));
    expect(res.defaultNodeInfo).toMatchObject({
      protocolVersion: { p2p: 8n, block: 11n, app: 1n },
      network: "dcert-devnet-1",
      version: "0.38.26",
      moniker: "dcert-devnet",
      other: { txIndex: "on" },
    });
    expect(toHex(res.defaultNodeInfo!.channels)).toBe("40202122233038606100");
    expect(res.applicationVersion).toEqual({
      name: "dcert",
      appName: "dcertd",
      version: "1.2.3",
      gitCommit: "abc123",
      buildTags: "",
      goVersion: `node ${process.version}`,
      buildDeps: [],
      cosmosSdkVersion: COSMOS_SDK_COMPAT_VERSION,
    });
    expect(COSMOS_SDK_COMPAT_VERSION).toBe("v0.50.15");
  });

  it("GetSyncing reads catching_up", async () => {
    expect(GetSyncingResponse.decode(await call(`${TM}/GetSyncing`)).syncing).toBe(false);
    const s = fixture();
    s.status.sync_info["catching_up"] = true;
    rpc.serveFixture(s);
    expect(GetSyncingResponse.decode(await call(`${TM}/GetSyncing`)).syncing).toBe(true);
  });

  it("GetLatestBlock: the block as tendermint.types.Block and as sdk_block with a valcons proposer", async () => {
    const res = GetLatestBlockResponse.decode(await call(`${TM}/GetLatestBlock`));
    expect(rpc.callsOf("block")[0]?.params).toEqual({});
    const h = res.block!.header;
    expect(h.chainId).toBe("dcert-devnet-1");
    expect(h.time).toEqual({ seconds: BigInt(Date.UTC(2026, 11, 5, 5, 57, 25) / 1000), nanos: 49_937_906 });
    expect(toHex(h.proposerAddress).toUpperCase()).toBe("D088B9C2FEBDF1F93779232B23CE8B51CE97C6D2");
    expect(res.block!.lastCommit!.height).toBe(1n);
    expect(res.block!.lastCommit!.signatures[0]!.blockIdFlag).toBe(2);
    expect(res.block!.lastCommit!.signatures[0]!.signature).toHaveLength(64);
    expect(res.sdkBlock!.header.proposerAddress).toMatch(/^dcertvalcons1[0-9a-z]{38}$/);
    expect(res.sdkBlock!.header.appHash).toEqual(h.appHash);
    expect(res.sdkBlock!.data.txs).toEqual(res.block!.data.txs);
  });

  it("GetBlockByHeight: the block at a height, and INVALID_ARGUMENT outside 1…latest", async () => {
    const res = GetBlockByHeightResponse.decode(await call(`${TM}/GetBlockByHeight`, GetBlockByHeightRequest.encode({ height: 2n }).finish()));
    expect(res.block!.header.height).toBe(2n);
    expect(rpc.callsOf("block")[0]?.params).toEqual({ height: "2" });
    const above = await failure(call(`${TM}/GetBlockByHeight`, GetBlockByHeightRequest.encode({ height: 9n }).finish()));
    expect([above.code, above.message]).toEqual([GrpcCode.INVALID_ARGUMENT, "requested block height 9 is bigger than the chain length 2"]);
    const zero = await failure(call(`${TM}/GetBlockByHeight`, GetBlockByHeightRequest.encode({ height: 0n }).finish()));
    expect(zero.code).toBe(GrpcCode.INVALID_ARGUMENT);
  });

  it("GetBlockByHeight: a pruned height is NOT_FOUND with CometBFT's reason", async () => {
    rpc.routes.set("block", () => rpcError("height 1 is not available, lowest height is 2"));
    const e = await failure(call(`${TM}/GetBlockByHeight`, GetBlockByHeightRequest.encode({ height: 1n }).finish()));
    expect(e.code).toBe(GrpcCode.NOT_FOUND);
    expect(e.message).toBe("reading block 1: height 1 is not available, lowest height is 2");
  });

  it("reads the first block (empty last commit and last block id)", async () => {
    rpc.routes.set("block", () => ({ result: f.block1 }));
    const res = GetBlockByHeightResponse.decode(await call(`${TM}/GetBlockByHeight`, GetBlockByHeightRequest.encode({ height: 1n }).finish()));
    expect(res.block!.header.lastBlockId.hash).toHaveLength(0);
    expect(res.block!.lastCommit).toMatchObject({ height: 0n, signatures: [] });
  });

  it("validator sets: valcons addresses, ed25519 Any keys, power and priority, pagination as the SDK's", async () => {
    const res = GetLatestValidatorSetResponse.decode(await call(`${TM}/GetLatestValidatorSet`, GetLatestValidatorSetRequest.encode({}).finish()));
    expect(rpc.callsOf("validators")[0]?.params).toEqual({ page: "1", per_page: "100" });
    expect(res.blockHeight).toBe(2n);
    expect(res.pagination?.total).toBe(1n);
    const v = res.validators[0]!;
    expect(v.address).toBe(GetLatestBlockResponse.decode(await call(`${TM}/GetLatestBlock`)).sdkBlock!.header.proposerAddress);
    expect(v.pubKey?.typeUrl).toBe("/cosmos.crypto.ed25519.PubKey");
    expect(Ed25519PubKey.decode(v.pubKey!.value).key).toEqual(fromBase64("8pz5xhKoCpml6TD6GF9eh9DVRj7ekTk68287l0V9W0s="));
    expect(v.votingPower).toBe(100_000n);
    expect(v.proposerPriority).toBe(0n);

    rpc.reset();
    rpc.serveFixture();
    const byHeight = GetValidatorSetByHeightResponse.decode(
      await call(
        `${TM}/GetValidatorSetByHeight`,
        GetValidatorSetByHeightRequest.encode({ height: 2n, pagination: { key: new Uint8Array(), offset: 100n, limit: 50n, countTotal: false, reverse: false } }).finish(),
      ),
    );
    expect(rpc.callsOf("validators")[0]?.params).toEqual({ height: "2", page: "3", per_page: "50" });
    expect(byHeight.validators).toHaveLength(1);
    const above = await failure(call(`${TM}/GetValidatorSetByHeight`, GetValidatorSetByHeightRequest.encode({ height: 3n }).finish()));
    expect(above.code).toBe(GrpcCode.INVALID_ARGUMENT);
  });

  it("ABCIQuery passes /app, /store, /p2p, /custom paths to abci_query and refuses gRPC paths as the SDK does", async () => {
    const res = ABCIQueryResponse.decode(
      await call(`${TM}/ABCIQuery`, ABCIQueryRequest.encode({ path: "/app/version", data: Uint8Array.of(1, 2), height: 0n, prove: false }).finish()),
    );
    expect(rpc.callsOf("abci_query")[0]?.params).toEqual({ path: "/app/version", data: "0102", height: "0", prove: false });
    expect(new TextDecoder().decode(res.value)).toBe("0.1.0");
    expect(res.height).toBe(2n);
    expect(res.code).toBe(0);
    const grpcPath = await failure(call(`${TM}/ABCIQuery`, ABCIQueryRequest.encode({ path: "/cosmos.bank.v1beta1.Query/Balance", data: new Uint8Array(), height: 0n, prove: false }).finish()));
    expect(grpcPath.code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(grpcPath.message).toContain("unsupported ABCI query path: /cosmos.bank.v1beta1.Query/Balance");
    const empty = await failure(call(`${TM}/ABCIQuery`, ABCIQueryRequest.encode({ path: "", data: new Uint8Array(), height: 0n, prove: false }).finish()));
    expect([empty.code, empty.message]).toEqual([GrpcCode.INVALID_ARGUMENT, "empty query path"]);
  });

  it("ABCIQuery answers a failed query with its code and log (as the SDK: not an error)", async () => {
    rpc.routes.set("abci_query", () => ({
      result: { response: { code: 26, log: "historical queries are not supported", codespace: "sdk", index: "0", key: null, value: null, proofOps: null, height: "2" } },
    }));
    const res = ABCIQueryResponse.decode(await call(`${TM}/ABCIQuery`, ABCIQueryRequest.encode({ path: "/app/version", data: new Uint8Array(), height: 1n, prove: false }).finish()));
    expect(res).toMatchObject({ code: 26, codespace: "sdk", log: "historical queries are not supported" });
    expect(res.value).toHaveLength(0);
  });
});

describe("when CometBFT fails", () => {
  it("an unreachable RPC is UNAVAILABLE naming its URL (tcp:// addresses accepted)", async () => {
    const dead = cometServiceHandlers({ rpcUrl: rpc.deadUrl.replace("http://", "tcp://"), node: NODE });
    for (const m of [`${TM}/GetNodeInfo`, `${TX}/GetTx`]) {
      const req = m.endsWith("GetTx") ? GetTxRequest.encode({ hash: TX_HASH }).finish() : new Uint8Array();
      const e = await failure(dead.get(m)!(req, {}));
      expect(e.code).toBe(GrpcCode.UNAVAILABLE);
      expect(e.message).toContain(`CometBFT RPC at ${rpc.deadUrl} is unreachable`);
    }
  });

  it("an RPC that does not answer in time is UNAVAILABLE, within the bound", async () => {
    const slow = cometServiceHandlers({ rpcUrl: rpc.url, node: NODE, timeoutMs: 300 });
    rpc.routes.set("status", () => "hang");
    const started = process.hrtime.bigint();
    const e = await failure(slow.get(`${TM}/GetSyncing`)!(new Uint8Array(), {}));
    expect(e.code).toBe(GrpcCode.UNAVAILABLE);
    expect(e.message).toContain(`CometBFT RPC at ${rpc.url} did not answer status within 300 ms`);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(20_000);
  });

  it("a connection closed before any answer is retried once for reads, never for a broadcast", async () => {
    let n = 0;
    rpc.routes.set("status", () => (n++ === 0 ? "drop" : { result: f.status }));
    expect(GetSyncingResponse.decode(await call(`${TM}/GetSyncing`)).syncing).toBe(false);
    expect(rpc.callsOf("status")).toHaveLength(2);
    rpc.routes.set("status", () => "drop");
    const twice = await failure(call(`${TM}/GetSyncing`));
    expect(twice.code).toBe(GrpcCode.UNAVAILABLE);
    rpc.routes.set("broadcast_tx_sync", () => "drop");
    const e = await failure(call(`${TX}/BroadcastTx`, BroadcastTxRequest.encode({ txBytes: fromBase64(f.tx.tx), mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish()));
    expect(e.code).toBe(GrpcCode.UNAVAILABLE);
    expect(e.message).toContain(`CometBFT RPC at ${rpc.url} is unreachable`);
    expect(rpc.callsOf("broadcast_tx_sync")).toHaveLength(1);
  });

  it("something that is not CometBFT's RPC is UNAVAILABLE saying so", async () => {
    rpc.routes.set("status", () => ({ raw: "<html>hello</html>", status: 404 }));
    const e = await failure(call(`${TM}/GetSyncing`));
    expect(e.code).toBe(GrpcCode.UNAVAILABLE);
    expect(e.message).toContain("HTTP 404");
  });

  it("an answer of an unexpected shape is INTERNAL naming the JSON path", async () => {
    const s = fixture();
    (s.block.block["header"] as Record<string, unknown>)["height"] = "two";
    rpc.serveFixture(s);
    const e = await failure(call(`${TM}/GetLatestBlock`));
    expect(e.code).toBe(GrpcCode.INTERNAL);
    expect(e.message).toContain("result.block.header.height");
    expect(e.message).toContain(rpc.url);
  });
});

describe("the fixture", () => {
  it("the fixture's tx hash is the SHA-256 of its bytes", async () => {
    const { sha256 } = await import("@cosmjs/crypto");
    expect(toHex(sha256(fromBase64(f.tx.tx))).toUpperCase()).toBe(TX_HASH);
    expect(fromHex(TX_HASH)).toHaveLength(32);
  });
});
