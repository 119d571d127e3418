/**
 * `npm run bench -- peer`: the devnet next to the Cosmos SDK reference node (`simd` v0.50.15 on
 * CometBFT v0.38.26), same machine, same CometBFT settings, same MsgSend load, one chain at a time
 * on reserved ports, a fresh chain for every run. Prints committed tx/s, latency p50/p99, the
 * block interval under load and CPU seconds per 1,000 txs (app and CometBFT apart on the devnet)
 * for each run, the medians and the ratios dcert/simd; writes them to bench/results/peer.json.
 * See docs/benchmarks.md.
 *
 * Environment: BENCH_TXS (20000), BENCH_ACCOUNTS (500), BENCH_WINDOW (3000), BENCH_BATCH (100),
 * BENCH_RATE (0: closed loop; N: offer N tx/s), BENCH_RUNS (1), BENCH_ORDER ("dcert simd"),
 * BENCH_SIMD (a built simd: no build), BENCH_SIMD_DIR (where simd is built and kept),
 * COMETBFT_BIN, BENCH_KEEP=1 (keep the work folder: homes and logs), BENCH_MSG (send; vote: 16-entry
 * dCERT MsgVotes from staked accounts, the devnet only, written as peer-vote; vote,send: both
 * loads alternately on the devnet, with the ratios votes/sends, written as peer-vote-send), BENCH_COMET
 * (CometBFT config.toml settings for both chains, e.g. "tx_index.indexer=null mempool.recheck=false"),
 * BENCH_INDEX_EVENTS (app.toml `index-events` for both chains, "type.key" separated by spaces or
 * commas, e.g. "message.sender message.action": only those attributes are indexed).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync } from "node:fs";
import { cpus, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { updateAppConfig } from "../../src/localnet/appconfig";
import { resolveCometbft } from "../../src/localnet/cometbft";
import type { TomlValue } from "../../src/localnet/cometbft";
import { compiledDcertd, configureCometbft, findRepoRoot, launchDevnet, prepareDevnet, stopDevnet, type DevnetProcesses, type TomlSettings } from "../../src/localnet/devnet";
import { reservePorts } from "../../src/localnet/proc";
import { blockTimeBreakdown } from "../lib/blocklines";
import { progress, report } from "../lib/report";
import { resolveSimd } from "./build-simd";
import { runLoad, type LoadOptions, type LoadResult } from "./load";
import { SIMD_CHAIN_ID, SIMD_DENOM, SIMD_PREFIX, devnetGasPriceAmount, initSimdHome, startSimd, stopSimd } from "./simd-node";
import { notes, summarize, type PeerChain, type PeerMsg, type PeerRun } from "./summary";

export interface PeerConfig {
  readonly txs: number;
  readonly accounts: number;
  readonly window: number;
  readonly batch: number;
  readonly rate: number;
  readonly runs: number;
  readonly order: readonly PeerChain[];
  /** The loads, in the order each run runs them: ["send"], ["vote"], or both. */
  readonly msgs: readonly PeerMsg[];
  /** config.toml settings on top of the devnet's, for both chains (BENCH_COMET). */
  readonly comet: TomlSettings;
  /** app.toml `index-events` for both chains (BENCH_INDEX_EVENTS); undefined = the default (all). */
  readonly indexEvents: readonly string[] | undefined;
}

/**
 * "section.key=value …" (a key without a section is top level): true/false are booleans, whole
 * numbers are numbers, anything else a string.
 */
export function parseCometSettings(text: string): TomlSettings {
  const out: Record<string, Record<string, TomlValue>> = {};
  for (const item of text.trim().split(/\s+/).filter((x) => x !== "")) {
    const m = /^(?:([a-z_]+)\.)?([a-z_]+)=(.*)$/.exec(item);
    if (m === null) throw new Error(`BENCH_COMET: "${item}" is not section.key=value (e.g. tx_index.indexer=null)`);
    const [, section = "", key = "", raw = ""] = m;
    const value: TomlValue = raw === "true" ? true : raw === "false" ? false : /^[0-9]+$/.test(raw) ? Number(raw) : raw;
    out[section] = { ...(out[section] ?? {}), [key]: value };
  }
  return out;
}

/** BENCH_INDEX_EVENTS: "type.key" items separated by spaces or commas; unset or empty = undefined. */
export function parseIndexEvents(text: string | undefined): readonly string[] | undefined {
  const items = (text ?? "").split(/[\s,]+/).filter((x) => x !== "");
  if (items.length === 0) return undefined;
  for (const item of items) if (!/^[^\s.][^\s]*\.[^\s.]+$/.test(item)) throw new Error(`BENCH_INDEX_EVENTS: "${item}" is not <event type>.<attribute key>`);
  return items;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${raw}: expected a whole number ≥ ${min}`);
  return n;
}

/** The bench's settings from the environment; an error naming the variable when one is malformed. */
export function peerConfig(env: NodeJS.ProcessEnv): PeerConfig {
  const order = (env["BENCH_ORDER"] ?? "dcert simd").trim().split(/\s+/);
  for (const c of order) if (c !== "dcert" && c !== "simd") throw new Error(`BENCH_ORDER=${env["BENCH_ORDER"] ?? ""}: name the chains "dcert" and "simd"`);
  const rawMsg = env["BENCH_MSG"] ?? "send";
  const msgs = rawMsg.split(",").map((m) => m.trim());
  if (msgs.some((m) => m !== "send" && m !== "vote") || new Set(msgs).size !== msgs.length) {
    throw new Error(`BENCH_MSG=${rawMsg}: expected "send", "vote" or "vote,send"`);
  }
  if (msgs.includes("vote") && order.includes("simd")) throw new Error(`BENCH_MSG=${rawMsg} loads dCERT votes, which simd does not have: set BENCH_ORDER=dcert`);
  return {
    txs: positiveInt(env, "BENCH_TXS", 20_000),
    accounts: positiveInt(env, "BENCH_ACCOUNTS", 500, 2),
    window: positiveInt(env, "BENCH_WINDOW", 3_000),
    batch: positiveInt(env, "BENCH_BATCH", 100),
    rate: positiveInt(env, "BENCH_RATE", 0, 0),
    runs: positiveInt(env, "BENCH_RUNS", 1),
    order: order as PeerChain[],
    msgs: msgs as PeerMsg[],
    comet: parseCometSettings(env["BENCH_COMET"] ?? ""),
    indexEvents: parseIndexEvents(env["BENCH_INDEX_EVENTS"]),
  };
}

function load1(): number {
  try {
    return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
  } catch {
    return NaN;
  }
}

function gitHead(dir: string): string {
  try {
    return execFileSync("git", ["-C", dir, "rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "?";
  }
}

type LoadBase = Omit<LoadOptions, "rpc" | "chainId" | "prefix" | "denom" | "faucetMnemonic" | "pids">;

async function runDcert(n: string, work: string, repoRoot: string, cometbftBin: string, base: LoadBase, comet: TomlSettings, indexEvents: readonly string[] | undefined): Promise<LoadResult> {
  const reservation = await reservePorts(3);
  const [rpc, p2p, abci] = reservation.ports as [number, number, number];
  const procs: DevnetProcesses = {};
  const log = (line: string): void => progress(`dcert #${n}: ${line}`);
  try {
    const { paths, ports, info } = await prepareDevnet({ home: join(work, `dcert-${n}`), reset: false, ports: { rpc, p2p, abci }, cometbftBin, log });
    if (Object.keys(comet).length > 0) configureCometbft(paths, ports, comet);
    // Kept by the launch, which rewrites only the keys it runs with.
    if (indexEvents !== undefined) updateAppConfig(paths.appHome, { indexEvents });
    await launchDevnet({ paths, ports, cometbftBin, dcertdScript: compiledDcertd(repoRoot), procs, log, reservation });
    const faucet = info.accounts[1];
    if (faucet === undefined || procs.app === undefined || procs.comet === undefined) throw new Error("the devnet started without its accounts or processes");
    const result = await runLoad({
      ...base,
      rpc: info.rpc,
      chainId: info.chainId,
      prefix: info.bech32Prefix,
      denom: info.denom,
      faucetMnemonic: faucet.mnemonic,
      pids: { app: procs.app.pid, cometbft: procs.comet.pid },
      log,
    });
    const [from, to] = result.loadHeights;
    const blockTimes = blockTimeBreakdown(paths.appLog, from, to);
    return blockTimes === undefined ? result : { ...result, blockTimes };
  } finally {
    await stopDevnet(procs, log);
    await reservation.release();
  }
}

async function runSimd(n: string, work: string, simdBin: string, base: LoadBase, comet: TomlSettings, indexEvents: readonly string[] | undefined): Promise<LoadResult> {
  const reservation = await reservePorts(5);
  const [rpc, p2p, abci, grpc, api] = reservation.ports as [number, number, number, number, number];
  const ports = { rpc, p2p, abci, grpc, api };
  const log = (line: string): void => progress(`simd #${n}: ${line}`);
  try {
    log("setting up a fresh chain");
    const node = await initSimdHome(simdBin, join(work, `simd-${n}`), ports, comet, indexEvents);
    const child = await startSimd(simdBin, node, ports, join(work, `simd-${n}.log`), reservation);
    try {
      return await runLoad({ ...base, rpc: node.rpc, chainId: SIMD_CHAIN_ID, prefix: SIMD_PREFIX, denom: SIMD_DENOM, faucetMnemonic: node.faucetMnemonic, pids: { simd: child.pid }, log });
    } finally {
      log("stopping");
      await stopSimd(child);
    }
  } finally {
    await reservation.release();
  }
}

export async function main(): Promise<void> {
  const cfg = peerConfig(process.env);
  const repoRoot = findRepoRoot(__dirname);
  const cometbftBin = resolveCometbft(repoRoot);
  const cometbftVersion = execFileSync(cometbftBin, ["version"], { encoding: "utf8" }).trim();
  const simd = resolveSimd(process.env, progress);
  progress(`dcert ${gitHead(repoRoot)} on CometBFT ${cometbftVersion}; simd ${simd.bin}: cosmos-sdk ${simd.info.sdk ?? "?"}, CometBFT ${simd.info.cometbft ?? "?"}`);
  const work = mkdtempSync(join(tmpdir(), "dcert-bench-peer-"));
  const runs: PeerRun[] = [];
  try {
    for (let n = 1; n <= cfg.runs; n++) {
      for (const chain of cfg.order) {
        for (const msg of cfg.msgs) {
          const base: LoadBase = { txs: cfg.txs, accounts: cfg.accounts, window: cfg.window, batch: cfg.batch, rate: cfg.rate, msg, gasPrice: devnetGasPriceAmount(), log: progress };
          const l1 = load1();
          progress(`== run ${n}: ${chain}${cfg.msgs.length > 1 ? ` ${msg}s` : ""} (load average ${l1})`);
          const tag = cfg.msgs.length > 1 ? `${n}-${msg}` : String(n);
          const result = chain === "dcert" ? await runDcert(tag, work, repoRoot, cometbftBin, base, cfg.comet, cfg.indexEvents) : await runSimd(tag, work, simd.bin, base, cfg.comet, cfg.indexEvents);
          runs.push({ chain, msg, run: n, load1: l1, result });
        }
      }
    }
  } finally {
    if (process.env["BENCH_KEEP"] === "1") progress(`work folder kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  const summary = summarize(runs);
  const name = cfg.msgs.length > 1 ? "peer-vote-send" : cfg.msgs[0] === "vote" ? "peer-vote" : "peer";
  const described = { send: "cosmos.bank.v1beta1.MsgSend", vote: "dcert.v1.MsgVote, 16 entries" };
  report(name, summary.rows, {
    dcert: { commit: gitHead(repoRoot), cometbft: cometbftVersion },
    simd: simd.info,
    load: { ...cfg, fee: "5000 for gas 200000", signMode: "DIRECT", broadcast: "broadcast_tx_async (JSON-RPC batches)", msgs: cfg.msgs.map((m) => described[m]) },
    machine: { cores: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), kernel: release(), node: process.version },
    ratios: summary.ratios,
    runs: runs.map((r) => ({ chain: r.chain, msg: r.msg, run: r.run, load1: r.load1, ...r.result })),
  });
  const times = runs.flatMap((r) => (r.result.blockTimes === undefined ? [] : [{ run: r.run, ...(cfg.msgs.length > 1 ? { msg: r.msg } : {}), ...r.result.blockTimes }]));
  if (times.length > 0) report(`${name}-blocktimes`, times, { what: "the devnet app's mean time per block under load, from its block lines" });
  for (const line of notes(runs, summary)) console.log(line);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
