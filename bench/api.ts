/**
 * REST and gRPC queries per second on a running devnet, and the block interval while they are
 * served. A single-validator devnet (real CometBFT v0.38 and the compiled app, REST and gRPC in the
 * app's process as `dcertd start` runs them: on a thread of their own, or with BENCH_API_OWN_THREAD=false
 * on the main thread, app.toml `[api] own-thread = false`); phases of BENCH_API_SECONDS each: idle, then
 * BENCH_API_CLIENTS concurrent REST clients, then as many gRPC clients. Each client sends its next
 * query as soon as the last is answered, cycling through a mix an explorer or wallet sends (account
 * balances, the validator list, a delegation list, supply, node info, the latest block, dCERT
 * params and group). Block interval = difference of consecutive block header times (BFT time).
 * Queries must not delay blocks: the interval p99 under load is reported against idle.
 * Run: npm run bench -- api   (env: BENCH_API_SECONDS, default 20; BENCH_API_CLIENTS, default 8;
 * BENCH_API_OWN_THREAD, default true)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { QueryAllBalancesRequest, QueryTotalSupplyRequest } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { QueryDelegatorDelegationsRequest, QueryValidatorsRequest } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { GetLatestBlockRequest, GetNodeInfoRequest } from "cosmjs-types/cosmos/base/tendermint/v1beta1/query";
import { QueryGroupRequest, QueryParamsRequest } from "../src/generated/dcert/v1/query";
import { resolveCometbft } from "../src/localnet/cometbft";
import { updateAppConfig } from "../src/localnet/appconfig";
import { compiledDcertd, findRepoRoot, launchDevnet, prepareDevnet, stopDevnet, type DevnetProcesses } from "../src/localnet/devnet";
import { reservePorts } from "../src/localnet/proc";
import { cpuSeconds, headerIntervals, latestHeight, nowMs } from "./lib/chain";
import { percentile } from "./lib/keys";
import { progress, report } from "./lib/report";

interface Stats {
  requests: number;
  failed: number;
  latencies: number[];
}

type Query = () => Promise<void>;

function restQueries(rest: string, address: string, validator: string | undefined): Query[] {
  const get = (path: string): Query => async () => {
    const res = await fetch(`${rest}${path}`, { signal: AbortSignal.timeout(30_000) });
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
    await res.arrayBuffer();
  };
  return [
    get(`/cosmos/bank/v1beta1/balances/${address}`),
    get("/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED&pagination.limit=200"),
    get(`/cosmos/staking/v1beta1/delegations/${address}`),
    get("/cosmos/bank/v1beta1/supply"),
    get("/cosmos/base/tendermint/v1beta1/node_info"),
    get("/cosmos/base/tendermint/v1beta1/blocks/latest"),
    get("/dcert/v1/params"),
    get("/dcert/v1/group"),
    ...(validator === undefined ? [] : [get(`/cosmos/distribution/v1beta1/validators/${validator}/commission`)]),
  ];
}

function grpcQueries(client: grpc.Client, address: string): Query[] {
  const call =
    (method: string, request: Uint8Array): Query =>
    () =>
      new Promise<void>((resolve, reject) => {
        client.makeUnaryRequest(
          method,
          (b: Uint8Array) => Buffer.from(b),
          (b: Buffer) => b,
          request,
          { deadline: Date.now() + 30_000 },
          (err) => (err ? reject(err) : resolve()),
        );
      });
  return [
    call("/cosmos.bank.v1beta1.Query/AllBalances", QueryAllBalancesRequest.encode({ address, resolveDenom: false }).finish()),
    call("/cosmos.staking.v1beta1.Query/Validators", QueryValidatorsRequest.encode({ status: "BOND_STATUS_BONDED", pagination: { key: new Uint8Array(), offset: 0n, limit: 200n, countTotal: false, reverse: false } }).finish()),
    call("/cosmos.staking.v1beta1.Query/DelegatorDelegations", QueryDelegatorDelegationsRequest.encode({ delegatorAddr: address }).finish()),
    call("/cosmos.bank.v1beta1.Query/TotalSupply", QueryTotalSupplyRequest.encode({}).finish()),
    call("/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo", GetNodeInfoRequest.encode({}).finish()),
    call("/cosmos.base.tendermint.v1beta1.Service/GetLatestBlock", GetLatestBlockRequest.encode({}).finish()),
    call("/dcert.v1.Query/Params", QueryParamsRequest.encode({}).finish()),
    call("/dcert.v1.Query/Group", QueryGroupRequest.encode({}).finish()),
  ];
}

/** One client: the mix in turn, one at a time, until `deadline`. */
async function client(queries: readonly Query[], offset: number, deadline: number, stats: Stats): Promise<void> {
  for (let i = offset; nowMs() < deadline; i++) {
    const t0 = nowMs();
    try {
      await queries[i % queries.length]!();
    } catch {
      stats.failed++;
      await new Promise((r) => setTimeout(r, 50)); // do not spin on a broken connection
    }
    stats.requests++;
    stats.latencies.push(nowMs() - t0);
  }
}

export async function main(): Promise<void> {
  const seconds = Number(process.env["BENCH_API_SECONDS"] ?? 20);
  const clients = Number(process.env["BENCH_API_CLIENTS"] ?? 8);
  const ownThreadText = process.env["BENCH_API_OWN_THREAD"] ?? "true";
  if (ownThreadText !== "true" && ownThreadText !== "false") throw new Error(`BENCH_API_OWN_THREAD must be true or false, got "${ownThreadText}"`);
  const ownThread = ownThreadText === "true";
  const repoRoot = findRepoRoot(__dirname);
  const home = mkdtempSync(join(tmpdir(), "dcert-bench-api-"));
  const procs: DevnetProcesses = {};
  const rows: Record<string, string | number>[] = [];
  let grpcClient: grpc.Client | undefined;
  try {
    const reservation = await reservePorts(5);
    const [rpcPort, p2p, abci, api, grpcPort] = reservation.ports as [number, number, number, number, number];
    const cometbftBin = resolveCometbft(repoRoot);
    progress("starting a devnet with REST and gRPC");
    const { paths, ports, info } = await prepareDevnet({ home, reset: false, ports: { rpc: rpcPort, p2p, abci, api, grpc: grpcPort }, cometbftBin, log: progress });
    updateAppConfig(paths.appHome, { apiOwnThread: ownThread });
    await launchDevnet({ paths, ports, cometbftBin, dcertdScript: compiledDcertd(repoRoot), procs, log: progress, reservation });
    const rpc = info.rpc;
    const rest = `http://127.0.0.1:${ports.api}`;
    const address = info.accounts[1]!.address;
    const validators = (await (await fetch(`${rest}/cosmos/staking/v1beta1/validators`)).json()) as { validators: { operator_address: string }[] };
    const validator = validators.validators[0]?.operator_address;
    grpcClient = new grpc.Client(`127.0.0.1:${ports.grpc}`, grpc.credentials.createInsecure());
    const phases: { name: string; queries: Query[]; n: number }[] = [
      { name: "idle", queries: [], n: 0 },
      { name: "REST", queries: restQueries(rest, address, validator), n: clients },
      { name: "gRPC", queries: grpcQueries(grpcClient, address), n: clients },
    ];
    let idleP99 = NaN;
    for (const phase of phases) {
      const stats: Stats = { requests: 0, failed: 0, latencies: [] };
      const load0 = loadavg()[0] ?? NaN;
      const cpu0 = { app: cpuSeconds(procs.app?.pid), comet: cpuSeconds(procs.comet?.pid) };
      const h0 = await latestHeight(rpc);
      const t0 = nowMs();
      const deadline = t0 + seconds * 1000;
      progress(`${phase.name}: ${phase.n} clients for ${seconds}s from height ${h0}`);
      const running = Array.from({ length: phase.n }, (_, i) => client(phase.queries, i, deadline, stats));
      while (nowMs() < deadline) await new Promise((r) => setTimeout(r, 250));
      await Promise.all(running);
      const elapsed = (nowMs() - t0) / 1000;
      const h1 = await latestHeight(rpc);
      const cpu = { app: cpuSeconds(procs.app?.pid) - cpu0.app, comet: cpuSeconds(procs.comet?.pid) - cpu0.comet };
      const intervals = await headerIntervals(rpc, h0, h1);
      stats.latencies.sort((a, b) => a - b);
      const p99 = percentile(intervals, 99);
      if (phase.n === 0) idleP99 = p99;
      rows.push({
        phase: phase.name,
        clients: phase.n,
        queries: stats.requests,
        failed: stats.failed,
        "queries/s": phase.n === 0 ? 0 : Math.round(stats.requests / elapsed),
        "query p50 ms": phase.n === 0 ? "-" : Math.round(percentile(stats.latencies, 50) * 10) / 10,
        "query p99 ms": phase.n === 0 ? "-" : Math.round(percentile(stats.latencies, 99) * 10) / 10,
        blocks: intervals.length + 1,
        "interval p50 ms": Math.round(percentile(intervals, 50)),
        "interval p99 ms": Math.round(p99),
        "p99 / idle p99": phase.n === 0 ? 1 : Math.round((p99 / idleP99) * 100) / 100,
        "app CPU s": Math.round(cpu.app * 10) / 10,
        "CometBFT CPU s": Math.round(cpu.comet * 10) / 10,
        "load avg 1m": `${load0.toFixed(1)}→${(loadavg()[0] ?? NaN).toFixed(1)}`,
      });
      progress(`  ${JSON.stringify(rows[rows.length - 1])}`);
    }
  } finally {
    grpcClient?.close();
    await stopDevnet(procs);
    if (process.env["BENCH_KEEP"] === "1") progress(`devnet home kept: ${home}`);
    else rmSync(home, { recursive: true, force: true });
  }
  report("api", rows, {
    secondsPerPhase: seconds,
    clientsPerPhase: clients,
    interval: "consecutive block header times (BFT time)",
    node: `single-validator devnet, CometBFT v0.38, timeout_commit 500ms; REST and gRPC served by the app process, ${ownThread ? "on a thread of their own" : "on the main thread"}`,
    cores: 2,
    goal: "queries do not delay blocks: interval p99 under query load close to idle",
  });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
