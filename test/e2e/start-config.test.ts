/**
 * `dcertd start --home H` with every setting from `<home>/config/app.toml` and no other flag: a
 * devnet home is prepared by the devnet library, its app.toml rewritten with settings that differ
 * from every default (reserved ports for ABCI, REST and gRPC, CORS on, a minimum gas price of
 * 1udcert, a query gas cap of 300,000 and a 40,000-byte query size cap, JSON logs with the ABCI
 * server at warn), the app started with
 * `--home` only, then CometBFT. Each setting is observed from outside: the ports answer, REST sends
 * CORS headers, CheckTx refuses a fee under 1udcert per gas, and the two query caps refuse what
 * exceeds them with the errors that name them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { QueryParamsRequest, QueryParamsResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { SimulateRequest } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { resolveCometbft } from "../../src/localnet/cometbft";
import { compiledDcertd, findRepoRoot, prepareDevnet, startCometbft, stopDevnet, waitForNewBlock, type DevnetProcesses } from "../../src/localnet/devnet";
import { readAppConfig, appConfigPath, writeAppConfig } from "../../src/localnet/appconfig";
import { canConnect, pollUntil, reservePorts, spawnLogged, type PortReservation } from "../../src/localnet/proc";

jest.setTimeout(300_000);

const SIMULATE = "/cosmos.tx.v1beta1.Service/Simulate";

describe("dcertd start from app.toml alone", () => {
  const repoRoot = findRepoRoot(__dirname);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-e2e-config-"));
  const procs: DevnetProcesses = {};
  let reservation: PortReservation;
  let ports: { rpc: number; p2p: number; abci: number; api: number; grpc: number };
  let rpc: string;
  let rest: string;
  let alice: { address: string; mnemonic: string };
  let denom: string;
  let appHome: string;
  let appLog: string;

  beforeAll(async () => {
    reservation = await reservePorts(5);
    const [rpcPort, p2p, abci, api, grpcPort] = reservation.ports as [number, number, number, number, number];
    ports = { rpc: rpcPort, p2p, abci, api, grpc: grpcPort };
    const cometbftBin = resolveCometbft(repoRoot, process.env);
    const prepared = await prepareDevnet({ home, reset: false, ports, cometbftBin });
    rpc = prepared.info.rpc;
    rest = `http://127.0.0.1:${api}`;
    alice = prepared.info.accounts[1]!;
    denom = prepared.info.denom;
    appHome = prepared.paths.appHome;
    appLog = prepared.paths.appLog;
    writeAppConfig(prepared.paths.appHome, {
      minimumGasPrices: `1${denom}`,
      abciAddress: `tcp://127.0.0.1:${abci}`,
      apiEnable: true,
      apiAddress: `tcp://127.0.0.1:${api}`,
      apiEnabledUnsafeCors: true,
      grpcEnable: true,
      grpcAddress: `127.0.0.1:${grpcPort}`,
      rpcLaddr: `tcp://127.0.0.1:${rpcPort}`,
      queryGasLimit: 300_000n,
      queryMaxBytes: 40_000n,
      logLevel: "info,abci:warn",
      logFormat: "json",
    });
    await reservation.unhold([abci, api, grpcPort]);
    procs.app = await spawnLogged(process.execPath, [compiledDcertd(repoRoot), "start", "--home", prepared.paths.appHome], {
      label: "the dCERT app",
      logPath: prepared.paths.appLog,
    });
    await pollUntil({
      what: "the app to listen on its ABCI, REST and gRPC ports from app.toml",
      check: async () => {
        for (const p of [abci, api, grpcPort]) if (!(await canConnect("127.0.0.1", p))) return undefined;
        return true;
      },
      abort: () => (procs.app?.exitStatus() !== undefined ? `the app exited: see ${prepared.paths.appLog}` : undefined),
      timeoutMs: 90_000,
    });
    const launch = { paths: prepared.paths, ports, cometbftBin, dcertdScript: compiledDcertd(repoRoot), procs, reservation };
    await startCometbft(launch);
    await waitForNewBlock(launch);
  });

  afterAll(async () => {
    await stopDevnet(procs);
    await reservation?.release();
    fs.rmSync(home, { recursive: true, force: true });
  });

  test("the file holds the settings the node runs with (read back strictly)", () => {
    const cfg = readAppConfig(appConfigPath(appHome));
    expect(cfg?.minimumGasPrices).toBe(`1${denom}`);
    expect(cfg?.queryGasLimit).toBe(300_000n);
  });

  test("the logs are JSON lines at the file's levels, one per committed block", () => {
    const lines = fs
      .readFileSync(appLog, "utf8")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { level: string; module: string; msg: string; height?: number; app_hash?: string });
    const blocks = lines.filter((l) => l.module === "block" && typeof l.height === "number");
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks[0]!.app_hash).toMatch(/^[0-9A-F]{64}$/i);
    // abci:warn: nothing of the ABCI server below warn.
    expect(lines.filter((l) => l.module === "abci" && (l.level === "info" || l.level === "debug"))).toEqual([]);
    // The defaults this file leaves alone: a query worker at its default priority, and the API
    // servers on their own thread, whose lines reach the node's log.
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        "queries and Simulate: served on 1 worker thread, 10 nice steps below the process",
        "REST and gRPC servers: run on a thread of their own",
        expect.stringMatching(/^rest: serving \d+ routes on http:\/\/127\.0\.0\.1:\d+ \(CORS: any origin\)$/),
        expect.stringMatching(/^gRPC server listening on 127\.0\.0\.1:\d+/),
      ]),
    );
  });

  test("REST answers on the configured address with CORS headers", async () => {
    const res = await fetch(`${rest}/cosmos/base/tendermint/v1beta1/node_info`, { headers: { origin: "http://elsewhere.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const body = (await res.json()) as { default_node_info: { network: string } };
    expect(body.default_node_info.network).toMatch(/^dcert-/);
  });

  test("gRPC answers on the configured address", async () => {
    const client = new grpc.Client(`127.0.0.1:${ports.grpc}`, grpc.credentials.createInsecure());
    try {
      const bytes = await new Promise<Buffer>((resolve, reject) =>
        client.makeUnaryRequest(
          "/cosmos.bank.v1beta1.Query/Params",
          (b: Uint8Array) => Buffer.from(b),
          (b: Buffer) => b,
          QueryParamsRequest.encode({}).finish(),
          (err, value) => (err || value === undefined ? reject(err ?? new Error("no answer")) : resolve(value)),
        ),
      );
      expect(QueryParamsResponse.decode(bytes).params?.defaultSendEnabled).toBe(true);
    } finally {
      client.close();
    }
  });

  test("CheckTx refuses a fee under the file's minimum gas price and takes one at it", async () => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(alice.mnemonic, { prefix: "dcert" });
    const client = await SigningStargateClient.connectWithSigner(rpc, wallet, { broadcastPollIntervalMs: 300 });
    try {
      const amount = [{ denom, amount: "1" }];
      // 0.5udcert per gas: above the devnet's usual 0.025, below this node's 1.
      await expect(client.sendTokens(alice.address, alice.address, amount, { amount: [{ denom, amount: "100000" }], gas: "200000" })).rejects.toThrow(
        /insufficient fee/,
      );
      const ok = await client.sendTokens(alice.address, alice.address, amount, { amount: [{ denom, amount: "200000" }], gas: "200000" });
      expect(ok.code).toBe(0);
    } finally {
      client.disconnect();
    }
  });

  test("the query caps from the file refuse what exceeds them", async () => {
    const abciQuery = async (p: string, data: Uint8Array): Promise<{ code?: number; codespace?: string; log?: string }> => {
      const res = await fetch(rpc, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "abci_query", params: { path: p, data: Buffer.from(data).toString("hex"), height: "0", prove: false } }),
      });
      return ((await res.json()) as { result: { response: { code?: number; codespace?: string; log?: string } } }).result.response;
    };
    // max-bytes 40,000: a 50,000-byte request is refused, naming the setting.
    const big = await abciQuery("/cosmos.bank.v1beta1.Query/Params", new Uint8Array(50_000));
    expect(big.code ?? 0).not.toBe(0);
    expect(big.log).toMatch(/max-query-bytes of 40000/);
    // gas-limit 300,000: the Simulate of a tx with one send passes, one with 150 sends runs out of gas.
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(alice.mnemonic, { prefix: "dcert" });
    const [account] = await wallet.getAccounts();
    const sequence = await (async () => {
      const res = await fetch(`${rest}/cosmos/auth/v1beta1/accounts/${alice.address}`);
      return BigInt(((await res.json()) as { account: { sequence: string } }).account.sequence);
    })();
    const tx = (n: number): Uint8Array => {
      const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.encode({ fromAddress: alice.address, toAddress: alice.address, amount: [{ denom, amount: "1" }] }).finish() };
      const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: Array.from({ length: n }, () => msg) })).finish();
      const authInfoBytes = AuthInfo.encode(
        AuthInfo.fromPartial({
          signerInfos: [{ publicKey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key: account!.pubkey }).finish() }, modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } }, sequence }],
          fee: { amount: [], gasLimit: 0n },
        }),
      ).finish();
      return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [new Uint8Array(64)] }).finish();
    };
    const small = await abciQuery(SIMULATE, SimulateRequest.encode({ txBytes: tx(1) }).finish());
    expect(`${small.codespace ?? ""}:${small.code ?? 0}`).toBe(":0");
    const heavy = await abciQuery(SIMULATE, SimulateRequest.encode({ txBytes: tx(150) }).finish());
    expect(`${heavy.codespace}:${heavy.code}`).toBe("sdk:11");
  });
});
