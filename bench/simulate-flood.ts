/**
 * Block production under a Simulate flood. A single-validator devnet (real CometBFT v0.38 and the
 * compiled app); block intervals are measured idle, then while 3 and then 10 concurrent clients
 * each send `abci_query /cosmos.tx.v1beta1.Service/Simulate` with a 3,000-message tx in a loop
 * over CometBFT's RPC on 127.0.0.1 (unauthenticated, as anyone can). Each flooder stops by itself
 * at the end of its phase or after BENCH_FLOOD_MAX_REQUESTS requests.
 *
 * Block interval = difference of consecutive block header times (CometBFT 0.38 BFT time: the
 * median of the precommit timestamps of the previous block's commit, i.e. when the single
 * validator committed it), for the blocks whose both ends fall inside the phase.
 *
 * Node configurations, each on a fresh devnet: "capped" (the devnet's defaults: query gas and size
 * caps, per-turn scheduling of the ABCI connections, queries and Simulate on a query worker thread,
 * CometBFT's rpc.max_body_bytes at 384 KiB), "capped-main-thread" (the same with queries served on
 * the main thread), "capped-rpc-body-1m" (the defaults with CometBFT's own default body limit, to
 * show how much CometBFT's JSON-RPC parsing of the 840 KB requests costs), "uncapped" (app caps
 * 0 = unlimited, the scheduler off, no query workers, CometBFT's default body limit: the behaviour
 * before any of it existed) and "uncapped-workers" (the same with the query worker on).
 * "capped-api-main-thread" is the defaults with the REST and gRPC servers on the main thread
 * (`[api] own-thread = false`); it differs from "capped" only when the flood goes through REST.
 * With BENCH_FLOOD_VIA=rest the flooders send `POST /cosmos/tx/v1beta1/simulate` (JSON, the tx in
 * base64) to the app's REST gateway instead (results in simulate-flood-rest.json).
 * Run: npm run bench -- simulate-flood   (env: BENCH_FLOOD_SECONDS per phase, default 30;
 * BENCH_FLOOD_CONFIGS=capped,capped-main-thread,capped-api-main-thread,capped-rpc-body-1m,uncapped,uncapped-workers;
 * BENCH_FLOOD_MESSAGES, default 3000; BENCH_FLOOD_VIA=rpc or rest, default rpc)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { StargateClient } from "@cosmjs/stargate";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { SimulateRequest } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { editToml, resolveCometbft } from "../src/localnet/cometbft";
import { updateAppConfig, type AppConfig } from "../src/localnet/appconfig";
import { cometConfigFile, compiledDcertd, findRepoRoot, launchDevnet, prepareDevnet, restUrl, stopDevnet, type DevnetProcesses } from "../src/localnet/devnet";
import { reservePorts, type PortReservation } from "../src/localnet/proc";
import { cpuSeconds, headerIntervals, latestHeight, nowMs } from "./lib/chain";
import { percentile } from "./lib/keys";
import { progress, report } from "./lib/report";

const SIMULATE = "/cosmos.tx.v1beta1.Service/Simulate";
const FLOODERS = [0, 3, 10] as const;

interface Config {
  readonly name: string;
  readonly appEnv: NodeJS.ProcessEnv;
  /** app.toml settings written before the node starts. */
  readonly appConfig?: AppConfig;
  /** CometBFT's rpc.max_body_bytes (its default is 1,000,000). */
  readonly rpcMaxBodyBytes?: number;
}

/** CometBFT's own default rpc.max_body_bytes. */
const COMETBFT_DEFAULT_BODY = 1_000_000;

/** The app's query caps and its per-turn scheduling of the ABCI connections, all off. */
const UNCAPPED: NodeJS.ProcessEnv = { DCERTD_QUERY_GAS_LIMIT: "0", DCERTD_MAX_QUERY_BYTES: "0", DCERTD_ABCI_TURN_BUDGET_MS: "0" };

const CONFIGS: readonly Config[] = [
  { name: "capped", appEnv: {} },
  // With the app capped, what is left is CometBFT parsing 840 KB JSON-RPC bodies (the devnet
  // refuses bodies over 384 KiB; this row lets them in).
  { name: "capped-rpc-body-1m", appEnv: {}, rpcMaxBodyBytes: COMETBFT_DEFAULT_BODY },
  // The devnet's defaults, but queries and Simulate served on the main thread (no query workers).
  { name: "capped-main-thread", appEnv: { DCERTD_QUERY_WORKERS: "0" } },
  // The devnet's defaults (query workers), but the REST and gRPC servers on the main thread.
  { name: "capped-api-main-thread", appEnv: {}, appConfig: { apiOwnThread: false } },
  { name: "uncapped", appEnv: { ...UNCAPPED, DCERTD_QUERY_WORKERS: "0" }, rpcMaxBodyBytes: COMETBFT_DEFAULT_BODY },
  // No caps and no scheduler, but the query workers on: what the workers alone do.
  { name: "uncapped-workers", appEnv: UNCAPPED, rpcMaxBodyBytes: COMETBFT_DEFAULT_BODY },
];

/** An unsigned-for-real (signature bytes present but not checked by Simulate) tx of `n` MsgSends from `address` to itself. */
function floodTx(address: string, pubkey: Uint8Array, sequence: bigint, n: number, denom: string): Uint8Array {
  const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.encode({ fromAddress: address, toAddress: address, amount: [{ denom, amount: "1" }] }).finish() };
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: Array.from({ length: n }, () => msg), memo: "" })).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key: pubkey }).finish() },
          modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
          sequence,
        },
      ],
      fee: { amount: [], gasLimit: 0n },
    }),
  ).finish();
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [new Uint8Array(64)] }).finish();
}

interface FloodStats {
  requests: number;
  failed: number;
  codes: Map<string, number>;
  latencies: number[];
}

/** Where the flooders send their Simulates: CometBFT's RPC (abci_query) or the app's REST gateway. */
export type Via = "rpc" | "rest";

/** The outcome of one answer: "<codespace>:<code>" for abci_query, "<HTTP status>:<gRPC code>" for REST. */
async function answerKey(via: Via, res: Response): Promise<string> {
  if (via === "rest") {
    const json = (await res.json()) as { code?: number };
    return `${res.status}:${json.code ?? 0}`;
  }
  const json = (await res.json()) as { result?: { response: { code?: number; codespace?: string } }; error?: { message?: string } };
  const r = json.result?.response;
  return r === undefined ? `rpc error: ${json.error?.message ?? res.status}` : `${r.codespace ?? ""}:${r.code ?? 0}`;
}

/** One flooder: Simulate after Simulate until `deadline` or `maxRequests`. */
async function flooder(via: Via, url: string, body: string, deadline: number, maxRequests: number, stats: FloodStats): Promise<void> {
  for (let i = 0; i < maxRequests && nowMs() < deadline; i++) {
    const t0 = nowMs();
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(Math.round(Math.max(1_000, deadline - t0 + 5_000))),
      });
      const key = await answerKey(via, res);
      stats.codes.set(key, (stats.codes.get(key) ?? 0) + 1);
    } catch (e) {
      stats.failed++;
      const key = `client error: ${e instanceof Error ? e.name : "?"}`;
      stats.codes.set(key, (stats.codes.get(key) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 100)); // do not spin on a broken connection
    }
    stats.requests++;
    stats.latencies.push(nowMs() - t0);
  }
}

/**
 * The node configuration named `name` (CONFIGS) on a fresh devnet: a row per phase (idle, then 3
 * and 10 flooders), each with its interval p99 against the idle phase's.
 */
export async function floodNamed(name: string, via: Via, seconds: number, nMessages: number, maxRequests: number): Promise<Record<string, string | number>[]> {
  const config = CONFIGS.find((c) => c.name === name);
  if (config === undefined) throw new Error(`no flood configuration named "${name}"; choose from: ${CONFIGS.map((c) => c.name).join(", ")}`);
  return runConfig(config, via, seconds, nMessages, maxRequests);
}

async function runConfig(config: Config, via: Via, seconds: number, nMessages: number, maxRequests: number): Promise<Record<string, string | number>[]> {
  const repoRoot = findRepoRoot(__dirname);
  const home = mkdtempSync(join(tmpdir(), "dcert-bench-flood-"));
  const procs: DevnetProcesses = {};
  const rows: Record<string, string | number>[] = [];
  let reservation: PortReservation | undefined;
  try {
    reservation = await reservePorts(4);
    const [rpcPort, p2p, abci, api] = reservation.ports as [number, number, number, number];
    const cometbftBin = resolveCometbft(repoRoot);
    progress(`[${config.name}] starting a devnet`);
    const { paths, ports, info } = await prepareDevnet({ home, reset: false, ports: { rpc: rpcPort, p2p, abci, ...(via === "rest" ? { api } : {}) }, cometbftBin, log: progress });
    if (config.appConfig !== undefined) updateAppConfig(paths.appHome, config.appConfig);
    if (config.rpcMaxBodyBytes !== undefined) {
      editToml(cometConfigFile(paths.cometHome), { rpc: { max_body_bytes: config.rpcMaxBodyBytes } });
    }
    await launchDevnet({ paths, ports, cometbftBin, dcertdScript: compiledDcertd(repoRoot), procs, log: progress, appEnv: config.appEnv, reservation });
    const rpc = info.rpc;
    const alice = info.accounts[1]!;
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(alice.mnemonic, { prefix: info.bech32Prefix });
    const [acc] = await wallet.getAccounts();
    const reader = await StargateClient.connect(rpc);
    const account = await reader.getAccount(alice.address);
    reader.disconnect();
    const tx = floodTx(alice.address, acc!.pubkey, BigInt(account?.sequence ?? 0), nMessages, info.denom);
    const data = Buffer.from(SimulateRequest.encode({ txBytes: tx }).finish()).toString("hex");
    const body =
      via === "rest"
        ? JSON.stringify({ tx_bytes: Buffer.from(tx).toString("base64") })
        : JSON.stringify({ jsonrpc: "2.0", id: 1, method: "abci_query", params: { path: SIMULATE, data, height: "0", prove: false } });
    const url = via === "rest" ? `${restUrl(ports) ?? ""}/cosmos/tx/v1beta1/simulate` : rpc;
    progress(`[${config.name}] flood tx: ${nMessages} messages, ${tx.length} bytes (${body.length} bytes of ${via === "rest" ? "REST JSON" : "JSON-RPC"})`);
    let idleP99 = NaN;
    for (const n of FLOODERS) {
      const stats: FloodStats = { requests: 0, failed: 0, codes: new Map(), latencies: [] };
      const load0 = loadavg()[0] ?? NaN;
      const cpu0 = { app: cpuSeconds(procs.app?.pid), comet: cpuSeconds(procs.comet?.pid), client: process.cpuUsage() };
      const h0 = await latestHeight(rpc);
      const t0 = nowMs();
      const deadline = t0 + seconds * 1000;
      progress(`[${config.name}] ${n} flooders for ${seconds}s from height ${h0}`);
      const flooders = Array.from({ length: n }, () => flooder(via, url, body, deadline, maxRequests, stats));
      while (nowMs() < deadline) await new Promise((r) => setTimeout(r, 250));
      await Promise.all(flooders);
      const h1 = await latestHeight(rpc);
      const clientCpu = process.cpuUsage(cpu0.client);
      const cpu = {
        app: cpuSeconds(procs.app?.pid) - cpu0.app,
        comet: cpuSeconds(procs.comet?.pid) - cpu0.comet,
        client: (clientCpu.user + clientCpu.system) / 1e6,
      };
      const load1 = loadavg()[0] ?? NaN;
      const intervals = await headerIntervals(rpc, h0, h1);
      stats.latencies.sort((a, b) => a - b);
      const p99 = percentile(intervals, 99);
      if (n === 0) idleP99 = p99;
      const codes = [...stats.codes.entries()].map(([k, v]) => `${k}×${v}`).join(" ");
      rows.push({
        node: config.name,
        via,
        flooders: n,
        blocks: intervals.length + 1,
        "interval p50 ms": Math.round(percentile(intervals, 50)),
        "interval p99 ms": Math.round(p99),
        "interval max ms": Math.round(intervals[intervals.length - 1] ?? NaN),
        "p99 / idle p99": n === 0 ? 1 : Math.round((p99 / idleP99) * 100) / 100,
        simulates: stats.requests,
        "simulate p50 ms": stats.requests === 0 ? "-" : Math.round(percentile(stats.latencies, 50)),
        "answers (codespace:code×n)": codes === "" ? "-" : codes,
        "app CPU s": Math.round(cpu.app * 10) / 10,
        "CometBFT CPU s": Math.round(cpu.comet * 10) / 10,
        "flooders' CPU s": Math.round(cpu.client * 10) / 10,
        "load avg 1m": `${load0.toFixed(1)}→${load1.toFixed(1)}`,
      });
      progress(`  ${JSON.stringify(rows[rows.length - 1])}`);
    }
    return rows;
  } finally {
    await stopDevnet(procs);
    // The REST port is reserved but only bound with via "rest": its held socket kept the bench
    // process alive after its last run.
    await reservation?.release();
    if (process.env["BENCH_KEEP"] === "1") progress(`devnet home kept: ${home}`);
    else rmSync(home, { recursive: true, force: true });
  }
}

export async function main(): Promise<void> {
  const seconds = Number(process.env["BENCH_FLOOD_SECONDS"] ?? 30);
  const nMessages = Number(process.env["BENCH_FLOOD_MESSAGES"] ?? 3_000);
  const maxRequests = Number(process.env["BENCH_FLOOD_MAX_REQUESTS"] ?? 20_000);
  const wanted = (process.env["BENCH_FLOOD_CONFIGS"] ?? CONFIGS.map((c) => c.name).join(",")).split(",");
  const viaText = process.env["BENCH_FLOOD_VIA"] ?? "rpc";
  if (viaText !== "rpc" && viaText !== "rest") throw new Error(`BENCH_FLOOD_VIA must be rpc or rest, got "${viaText}"`);
  const via: Via = viaText;
  const rows: Record<string, string | number>[] = [];
  for (const c of CONFIGS) if (wanted.includes(c.name)) rows.push(...(await runConfig(c, via, seconds, nMessages, maxRequests)));
  report(via === "rest" ? "simulate-flood-rest" : "simulate-flood", rows, {
    secondsPerPhase: seconds,
    messagesPerSimulate: nMessages,
    via: via === "rest" ? "REST gateway, POST /cosmos/tx/v1beta1/simulate" : "CometBFT RPC, abci_query",
    interval: "consecutive block header times (BFT time)",
    node: "single-validator devnet, CometBFT v0.38, timeout_commit 500ms",
    cores: 2,
    goal: "interval p99 with 10 flooders <= 1.2x idle",
  });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
