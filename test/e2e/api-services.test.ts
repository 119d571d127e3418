/**
 * The tx and node services (src/server/services) on a real devnet: a bank send, then every handler
 * called directly, its answers checked against CometBFT's RPC (read here through CosmJS) and the tx
 * that was sent. Needs `npm run build` first.
 */
import { sha256 } from "@cosmjs/crypto";
import { fromBech32, toBech32, toHex } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { SigningStargateClient, type StdFee } from "@cosmjs/stargate";
import { connectComet, type CometClient } from "@cosmjs/tendermint-rpc";
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
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
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
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { APP_VERSION } from "../../src/baseapp/app";
import { pollUntil } from "../../src/localnet/proc";
import { ApiError, GrpcCode, type MethodHandler } from "../../src/server/backend";
import { cometServiceHandlers, COSMOS_SDK_COMPAT_VERSION } from "../../src/server/services";
import { startDevnet, type Devnet } from "./harness";

jest.setTimeout(300_000);

const TX = "/cosmos.tx.v1beta1.Service";
const TM = "/cosmos.base.tendermint.v1beta1.Service";
const FEE: StdFee = { amount: [{ denom: "udcert", amount: "10000" }], gas: "200000" };
const NODE = { appName: "dcertd", version: "9.9.9-test", gitCommit: "0123abcd" } as const;

let devnet: Devnet | undefined;
let comet: CometClient | undefined;
let client: SigningStargateClient | undefined;
let handlers: Map<string, MethodHandler>;
let sender = "";
let recipient = "";
/** The bank send made in beforeAll. */
let sent: { hash: string; height: number };

function h(method: string): MethodHandler {
  const handler = handlers.get(method);
  if (handler === undefined) throw new Error(`no handler ${method}`);
  return handler;
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

function valcons(address: Uint8Array): string {
  return toBech32("dcertvalcons", address);
}

beforeAll(async () => {
  devnet = await startDevnet();
  const [, alice, bob] = devnet.accounts;
  if (alice === undefined || bob === undefined) throw new Error("the devnet has no alice and bob");
  sender = alice.address;
  recipient = bob.address;
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(alice.mnemonic, { prefix: "dcert" });
  client = await SigningStargateClient.connectWithSigner(devnet.rpc, wallet, { broadcastPollIntervalMs: 300, broadcastTimeoutMs: 60_000 });
  const res = await client.sendTokens(sender, recipient, [{ denom: "udcert", amount: "12345" }], FEE, "services e2e");
  expect(res.code).toBe(0);
  sent = { hash: res.transactionHash, height: res.height };
  comet = await connectComet(devnet.rpc);
  handlers = cometServiceHandlers({ rpcUrl: devnet.rpc, node: NODE });
});

afterAll(async () => {
  comet?.disconnect();
  client?.disconnect();
  await devnet?.stop();
});

function cometClient(): CometClient {
  if (comet === undefined) throw new Error("not connected");
  return comet;
}

describe("cosmos.tx.v1beta1.Service on a devnet", () => {
  it("GetTx answers the sent tx: hash, height, code, block time, events and the MsgSend inside", async () => {
    const res = GetTxResponse.decode(await h(`${TX}/GetTx`)(GetTxRequest.encode({ hash: sent.hash.toLowerCase() }).finish(), {}));
    const r = res.txResponse!;
    expect(r.txhash).toBe(sent.hash);
    expect(r.height).toBe(BigInt(sent.height));
    expect(r.code).toBe(0);
    const fromComet = await cometClient().tx({ hash: Buffer.from(sent.hash, "hex") });
    expect(r.gasUsed).toBe(fromComet.result.gasUsed);
    expect(r.gasWanted).toBe(200_000n);
    expect(r.data).toBe(toHex(fromComet.result.data ?? new Uint8Array()).toUpperCase());
    expect(toHex(r.tx!.value)).toBe(toHex(fromComet.tx));
    const block = await cometClient().block(sent.height);
    expect(r.timestamp).toBe(`${block.block.header.time.toISOString().slice(0, 19)}Z`);
    // The fee's transfer, then the send's.
    const transfers = r.events.filter((e) => e.type === "transfer").map((e) => e.attributes);
    expect(transfers).toContainEqual(expect.arrayContaining([{ key: "amount", value: "12345udcert", index: true }, { key: "sender", value: sender, index: true }]));
    const msg = res.tx!.body!.messages[0]!;
    expect(msg.typeUrl).toBe("/cosmos.bank.v1beta1.MsgSend");
    expect(MsgSend.decode(msg.value)).toEqual({ fromAddress: sender, toAddress: recipient, amount: [{ denom: "udcert", amount: "12345" }] });
    expect(res.tx!.body!.memo).toBe("services e2e");
  });

  it("GetTx of an unknown hash is NOT_FOUND", async () => {
    const hash = "00".repeat(32);
    const e = await failure(h(`${TX}/GetTx`)(GetTxRequest.encode({ hash }).finish(), {}));
    expect([e.code, e.message]).toEqual([GrpcCode.NOT_FOUND, `tx not found: ${hash}`]);
  });

  it("GetTxsEvent finds the tx by sender (query) and by height (deprecated events), with CometBFT's total", async () => {
    const bySender = GetTxsEventResponse.decode(
      await h(`${TX}/GetTxsEvent`)(GetTxsEventRequest.encode(GetTxsEventRequest.fromPartial({ query: `message.sender='${sender}'`, orderBy: OrderBy.ORDER_BY_DESC })).finish(), {}),
    );
    const search = await cometClient().txSearch({ query: `message.sender='${sender}'` });
    expect(bySender.total).toBe(BigInt(search.totalCount));
    expect(bySender.txResponses.map((r) => r.txhash)).toContain(sent.hash);
    expect(bySender.txs).toHaveLength(bySender.txResponses.length);

    const byHeight = GetTxsEventResponse.decode(
      await h(`${TX}/GetTxsEvent`)(GetTxsEventRequest.encode(GetTxsEventRequest.fromPartial({ events: [`tx.height=${sent.height}`] })).finish(), {}),
    );
    expect(byHeight.txResponses.map((r) => r.txhash)).toContain(sent.hash);
    // CometBFT also indexes the block's vote-extension data; it is counted but not a tx.
    expect(byHeight.total).toBe(BigInt((await cometClient().txSearch({ query: `tx.height=${sent.height}` })).totalCount));
    for (const r of byHeight.txResponses) expect(r.height).toBe(BigInt(sent.height));
  });

  it("GetBlockWithTxs answers the block with the tx decoded", async () => {
    const res = GetBlockWithTxsResponse.decode(await h(`${TX}/GetBlockWithTxs`)(GetBlockWithTxsRequest.encode({ height: BigInt(sent.height) }).finish(), {}));
    const block = await cometClient().block(sent.height);
    expect(toHex(res.blockId!.hash)).toBe(toHex(block.blockId.hash));
    expect(res.block!.header.height).toBe(BigInt(sent.height));
    expect(toHex(res.block!.header.appHash)).toBe(toHex(block.block.header.appHash));
    expect(res.block!.data.txs.map(toHex)).toEqual(block.block.txs.map(toHex));
    expect(res.pagination!.total).toBe(BigInt(block.block.txs.length));
    expect(res.txs.map((t) => t.body!.memo)).toContain("services e2e");
  });

  it("BroadcastTx SYNC puts a signed tx in the mempool and GetTx finds it committed; a repeat is code 19", async () => {
    const c = client!;
    const raw = await c.sign(sender, [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: sender, toAddress: recipient, amount: [{ denom: "udcert", amount: "7" }] } }], FEE, "broadcast");
    const txBytes = TxRaw.encode(raw).finish();
    const res = BroadcastTxResponse.decode(await h(`${TX}/BroadcastTx`)(BroadcastTxRequest.encode({ txBytes, mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish(), {}));
    const hash = toHex(sha256(txBytes)).toUpperCase();
    expect(res.txResponse).toMatchObject({ code: 0, txhash: hash, height: 0n });
    const committed = await pollUntil({
      what: `tx ${hash} to be committed`,
      check: async () => {
        try {
          return GetTxResponse.decode(await h(`${TX}/GetTx`)(GetTxRequest.encode({ hash }).finish(), {}));
        } catch (e) {
          if (e instanceof ApiError && e.code === GrpcCode.NOT_FOUND) return undefined;
          throw e;
        }
      },
      timeoutMs: 120_000,
    });
    expect(committed.txResponse!.code).toBe(0);
    expect(committed.tx!.body!.memo).toBe("broadcast");
    const again = BroadcastTxResponse.decode(await h(`${TX}/BroadcastTx`)(BroadcastTxRequest.encode({ txBytes, mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish(), {}));
    expect(again.txResponse).toMatchObject({ code: 19, codespace: "sdk", txhash: hash });
  });

  it("BroadcastTx ASYNC answers at once with the hash; CheckTx failures come back in SYNC's code", async () => {
    const garbage = Uint8Array.of(0x0a, 0x00);
    const sync = BroadcastTxResponse.decode(await h(`${TX}/BroadcastTx`)(BroadcastTxRequest.encode({ txBytes: garbage, mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish(), {}));
    expect(sync.txResponse!.code).toBe(2); // tx parse error
    expect(sync.txResponse!.codespace).toBe("sdk");
    expect(sync.txResponse!.rawLog).toContain("tx parse error");
    const async = BroadcastTxResponse.decode(await h(`${TX}/BroadcastTx`)(BroadcastTxRequest.encode({ txBytes: Uint8Array.of(0x0a, 0x01, 0x00), mode: BroadcastMode.BROADCAST_MODE_ASYNC }).finish(), {}));
    expect(async.txResponse!.code).toBe(0);
    expect(async.txResponse!.txhash).toMatch(/^[0-9A-F]{64}$/);
    const block = await failure(h(`${TX}/BroadcastTx`)(BroadcastTxRequest.encode({ txBytes: garbage, mode: BroadcastMode.BROADCAST_MODE_BLOCK }).finish(), {}));
    expect(block.code).toBe(GrpcCode.INVALID_ARGUMENT);
  });
});

describe("cosmos.base.tendermint.v1beta1.Service on a devnet", () => {
  it("GetNodeInfo: CometBFT's node info and the app's version", async () => {
    const res = GetNodeInfoResponse.decode(await h(`${TM}/GetNodeInfo`)(new Uint8Array(), {}));
    const status = await cometClient().status();
    expect(res.defaultNodeInfo!.network).toBe(devnet!.chainId);
    expect(res.defaultNodeInfo!.defaultNodeId).toBe(toHex(status.nodeInfo.id));
    expect(res.defaultNodeInfo!.version).toBe(status.nodeInfo.version);
    expect(res.applicationVersion).toMatchObject({ name: "dcert", appName: "dcertd", version: "9.9.9-test", gitCommit: "0123abcd", cosmosSdkVersion: COSMOS_SDK_COMPAT_VERSION });
    expect(res.applicationVersion!.goVersion).toBe(`node ${process.version}`);
  });

  it("GetSyncing: a single-node devnet is not catching up", async () => {
    expect(GetSyncingResponse.decode(await h(`${TM}/GetSyncing`)(new Uint8Array(), {})).syncing).toBe(false);
  });

  it("GetLatestBlock and GetBlockByHeight agree with CometBFT, with a valcons proposer in sdk_block", async () => {
    const latest = GetLatestBlockResponse.decode(await h(`${TM}/GetLatestBlock`)(new Uint8Array(), {}));
    expect(latest.block!.header.height).toBeGreaterThanOrEqual(BigInt(sent.height));
    const res = GetBlockByHeightResponse.decode(await h(`${TM}/GetBlockByHeight`)(GetBlockByHeightRequest.encode({ height: BigInt(sent.height) }).finish(), {}));
    const block = await cometClient().block(sent.height);
    expect(toHex(res.blockId!.hash)).toBe(toHex(block.blockId.hash));
    expect(res.block!.header.chainId).toBe(devnet!.chainId);
    expect(toHex(res.block!.header.proposerAddress)).toBe(toHex(block.block.header.proposerAddress));
    expect(res.sdkBlock!.header.proposerAddress).toBe(valcons(block.block.header.proposerAddress));
    expect(fromBech32(res.sdkBlock!.header.proposerAddress, 1023).prefix).toBe("dcertvalcons");
    expect(res.block!.lastCommit!.height).toBe(BigInt(sent.height - 1));
    expect(res.block!.lastCommit!.signatures.map((s) => toHex(s.signature))).toEqual(block.block.lastCommit!.signatures.map((s) => toHex(s.signature ?? new Uint8Array())));
    const tooHigh = await failure(h(`${TM}/GetBlockByHeight`)(GetBlockByHeightRequest.encode({ height: 1_000_000n }).finish(), {}));
    expect(tooHigh.code).toBe(GrpcCode.INVALID_ARGUMENT);
  });

  it("validator sets: the devnet's validator with its consensus key, as CometBFT reports it", async () => {
    const latest = GetLatestValidatorSetResponse.decode(await h(`${TM}/GetLatestValidatorSet`)(GetLatestValidatorSetRequest.encode({}).finish(), {}));
    const vals = await cometClient().validators({ height: sent.height });
    expect(latest.validators).toHaveLength(vals.total);
    const byHeight = GetValidatorSetByHeightResponse.decode(
      await h(`${TM}/GetValidatorSetByHeight`)(GetValidatorSetByHeightRequest.encode({ height: BigInt(sent.height) }).finish(), {}),
    );
    expect(byHeight.blockHeight).toBe(BigInt(sent.height));
    expect(byHeight.pagination!.total).toBe(BigInt(vals.total));
    const v = byHeight.validators[0]!;
    const c = vals.validators[0]!;
    expect(v.address).toBe(valcons(c.address));
    expect(v.votingPower).toBe(c.votingPower);
    expect(v.proposerPriority).toBe(BigInt(c.proposerPriority ?? 0));
    expect(v.pubKey!.typeUrl).toBe("/cosmos.crypto.ed25519.PubKey");
    expect(toHex(Ed25519PubKey.decode(v.pubKey!.value).key)).toBe(toHex(c.pubkey!.data));
  });

  it("ABCIQuery passes /app/version through to the app", async () => {
    const res = ABCIQueryResponse.decode(
      await h(`${TM}/ABCIQuery`)(ABCIQueryRequest.encode({ path: "/app/version", data: new Uint8Array(), height: 0n, prove: false }).finish(), {}),
    );
    expect(res.code).toBe(0);
    expect(new TextDecoder().decode(res.value)).toBe(APP_VERSION);
    expect(res.height).toBeGreaterThanOrEqual(BigInt(sent.height));
  });
});

describe("once CometBFT is gone", () => {
  it("every method is UNAVAILABLE naming the RPC URL", async () => {
    await devnet!.stop();
    const e = await failure(h(`${TM}/GetSyncing`)(new Uint8Array(), {}));
    expect(e.code).toBe(GrpcCode.UNAVAILABLE);
    expect(e.message).toContain(`CometBFT RPC at ${devnet!.rpc}`);
  });
});
