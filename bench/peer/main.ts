/**
 * `npm run bench -- peer`: the devnet next to the Cosmos SDK reference node (`simd` v0.50.15 on
 * CometBFT v0.38.26), same machine, same CometBFT settings, same MsgSend load, one chain at a time
 * on reserved ports, a fresh chain for every run. Prints committed tx/s, latency p50/p99, the
 * block interval under load and CPU seconds per 1,000 txs (app and CometBFT apart on the devnet)
 * for each run, the medians and the ratios dcert/simd; writes them to bench/results/peer.json.
 * After the devnet's runs, where its loaded blocks' time went: the app's block lines
 * (peer-blocktimes) and CometBFT's consensus lines (peer-heights). See docs/benchmarks.md.
 *
 * Environment: BENCH_TXS (20000), BENCH_WARMUP (0: txs of the same load committed before the
 * window opens, untimed, e.g. 10000 for nodes whose JIT compiler is done), BENCH_ACCOUNTS (500),
 * BENCH_WINDOW (3000), BENCH_BATCH (100), BENCH_RATE (0: closed loop; N: offer N tx/s),
 * BENCH_RUNS (1), BENCH_ORDER ("dcert simd"), BENCH_SIMD (a built simd: no build),
 * BENCH_SIMD_DIR (where simd is built and kept),
 * COMETBFT_BIN, BENCH_KEEP=1 (keep the work folder: homes and logs), BENCH_MSG (send; vote: 16-entry
 * dCERT MsgVotes from staked accounts, the devnet only, written as peer-vote; vote,send: both
 * loads alternately on the devnet, with the ratios votes/sends, written as peer-vote-send),
 * BENCH_VOTE_ENTRIES (entries per vote, 1–16, 1/n each; 16 by default), BENCH_COMET
 * (CometBFT config.toml settings for both chains over PEER_COMET's, e.g. "tx_index.indexer=null mempool.recheck=false"),
 * BENCH_INDEX_EVENTS (app.toml `index-events` for both chains, "type.key" separated by spaces or
 * commas, e.g. "message.sender message.action": only those attributes are indexed), BENCH_PROFILE
 * ("app", "cometbft" or both: CPU profiles of every run, see profile.ts) and BENCH_PROFILE_DIR
 * (where they go; a new folder under the system's temporary folder by default), BENCH_ABCI ("tcp",
 * the default, or "unix": the devnet's app and CometBFT talk over a unix socket; simd has no socket),
 * BENCH_APP_FLAGS (more Node.js flags for the devnet's app, separated by spaces, e.g.
 * "--trace-gc-nvp": its output goes to app.log in the work folder, see BENCH_KEEP).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, readFileSync } from "node:fs";
import { cpus, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { updateAppConfig } from "../../src/localnet/appconfig";
import { resolveCometbft } from "../../src/localnet/cometbft";
import type { TomlValue } from "../../src/localnet/cometbft";
import { parseCometSettings } from "../lib/comet";
import { compiledDcertd, configureCometbft, findRepoRoot, launchDevnet, prepareDevnet, stopDevnet, type DevnetProcesses, type TomlSettings } from "../../src/localnet/devnet";
import { reservePorts, type PortReservation } from "../../src/localnet/proc";
import { blockTimeBreakdown } from "../lib/blocklines";
import { heightBreakdown } from "../lib/consensuslines";
import { printTable, progress, report } from "../lib/report";
import { resolveSimd } from "./build-simd";
import { runLoad, VOTE_ENTRIES, type LoadOptions, type LoadResult } from "./load";
import { parseProfileTargets, startGoProfiler, topSelfTime, type CpuProfile, type ProfileTarget } from "./profile";
import { SIMD_CHAIN_ID, SIMD_DENOM, SIMD_PREFIX, devnetGasPriceAmount, initSimdHome, startSimd, stopSimd } from "./simd-node";
import { notes, summarize, type PeerChain, type PeerMsg, type PeerRun } from "./summary";

export interface PeerConfig {
  readonly txs: number;
  /** Txs sent and committed before each run's window opens, untimed (BENCH_WARMUP). */
  readonly warmup: number;
  readonly accounts: number;
  readonly window: number;
  readonly batch: number;
  readonly rate: number;
  readonly runs: number;
  readonly order: readonly PeerChain[];
  /** The loads, in the order each run runs them: ["send"], ["vote"], or both. */
  readonly msgs: readonly PeerMsg[];
  /** Entries per vote (BENCH_VOTE_ENTRIES): 1 to the devnet's max_vote_entries (16). */
  readonly voteEntries: number;
  /** config.toml settings on top of the devnet's, for both chains (BENCH_COMET). */
  readonly comet: TomlSettings;
  /** app.toml `index-events` for both chains (BENCH_INDEX_EVENTS); undefined = the default (all). */
  readonly indexEvents: readonly string[] | undefined;
  /** What to profile in every run (BENCH_PROFILE), and where the profiles go (BENCH_PROFILE_DIR). */
  readonly profile: readonly ProfileTarget[];
  readonly profileDir: string | undefined;
  /** How the devnet's CometBFT reaches its app (BENCH_ABCI): a TCP port or a unix socket. */
  readonly abci: "tcp" | "unix";
  /** BENCH_APP_FLAGS: more Node.js flags for the devnet's app. */
  readonly appFlags: readonly string[];
}

/** BENCH_APP_FLAGS: Node.js options separated by spaces, each starting with "-" (else it would name the script). */
function parseAppFlags(raw: string | undefined): string[] {
  const flags = (raw ?? "").split(" ").filter((f) => f !== "");
  const bad = flags.find((f) => !f.startsWith("-"));
  if (bad !== undefined) throw new Error(`BENCH_APP_FLAGS: ${JSON.stringify(bad)} is not a Node.js option (e.g. "--trace-gc-nvp")`);
  return flags;
}

/** BENCH_INDEX_EVENTS: "type.key" items separated by spaces or commas; unset or empty = undefined. */
export function parseIndexEvents(text: string | undefined): readonly string[] | undefined {
  const items = (text ?? "").split(/[\s,]+/).filter((x) => x !== "");
  if (items.length === 0) return undefined;
  for (const item of items) if (!/^[^\s.][^\s]*\.[^\s.]+$/.test(item)) throw new Error(`BENCH_INDEX_EVENTS: "${item}" is not <event type>.<attribute key>`);
  return items;
}

function abciTransport(raw: string | undefined): "tcp" | "unix" {
  const v = (raw ?? "").trim();
  if (v === "" || v === "tcp") return "tcp";
  if (v === "unix") return "unix";
  throw new Error(`BENCH_ABCI=${raw ?? ""}: expected "tcp" (the default) or "unix"`);
}

/** A whole number from the environment variable `name`, in [min, max]; `fallback` when unset or empty. */
export function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name}=${raw}: expected a whole number ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`}`);
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
  const comet = mergeSettings(PEER_COMET, parseCometSettings(env["BENCH_COMET"] ?? ""));
  const dbBackend = comet[""]?.["db_backend"];
  if (dbBackend !== undefined && dbBackend !== "goleveldb" && order.includes("simd")) {
    // The recipe builds simd without Go build tags, so its CometBFT opens goleveldb only.
    throw new Error(`BENCH_COMET sets db_backend=${String(dbBackend)}, which simd's CometBFT is not built with: set BENCH_ORDER=dcert (and COMETBFT_BIN to a cometbft built with that tag)`);
  }
  const accounts = positiveInt(env, "BENCH_ACCOUNTS", 500, 2);
  const voteEntries = positiveInt(env, "BENCH_VOTE_ENTRIES", VOTE_ENTRIES, 1, VOTE_ENTRIES);
  if (msgs.includes("vote") && accounts <= voteEntries) throw new Error(`BENCH_ACCOUNTS=${accounts}: ${voteEntries}-entry votes need more than ${voteEntries} accounts`);
  return {
    txs: positiveInt(env, "BENCH_TXS", 20_000),
    warmup: positiveInt(env, "BENCH_WARMUP", 0, 0),
    accounts,
    window: positiveInt(env, "BENCH_WINDOW", 3_000),
    batch: positiveInt(env, "BENCH_BATCH", 100),
    rate: positiveInt(env, "BENCH_RATE", 0, 0),
    runs: positiveInt(env, "BENCH_RUNS", 1),
    order: order as PeerChain[],
    msgs: msgs as PeerMsg[],
    voteEntries,
    comet,
    indexEvents: parseIndexEvents(env["BENCH_INDEX_EVENTS"]),
    profile: parseProfileTargets(env["BENCH_PROFILE"]),
    profileDir: env["BENCH_PROFILE_DIR"] === "" ? undefined : env["BENCH_PROFILE_DIR"],
    abci: abciTransport(env["BENCH_ABCI"]),
    appFlags: parseAppFlags(env["BENCH_APP_FLAGS"]),
  };
}

function load1(): number {
  try {
    return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
  } catch {
    return NaN;
  }
}

export function gitHead(dir: string): string {
  try {
    return execFileSync("git", ["-C", dir, "rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "?";
  }
}

type LoadBase = Omit<LoadOptions, "rpc" | "chainId" | "prefix" | "denom" | "faucetMnemonic" | "pids">;

/** The profiles asked for, where they go, and what each run wrote (in run order). */
export interface Profiling {
  readonly targets: readonly ProfileTarget[];
  readonly dir: string;
  readonly written: { readonly label: string; readonly kind: ProfileTarget; readonly binary?: string; readonly files: readonly string[] }[];
}

/**
 * CometBFT's pprof server on `port` (when profiling it): the settings that turn it on, and the
 * load's window hook that takes the profile slices.
 */
function goProfiling(profiling: Profiling | undefined, port: number | undefined, label: string, tag: string, binary: string, log: (line: string) => void) {
  if (profiling === undefined || port === undefined) return { settings: {}, duringWindow: undefined };
  return {
    settings: { rpc: { pprof_laddr: `127.0.0.1:${port}` } },
    duringWindow: () => {
      const p = startGoProfiler(`http://127.0.0.1:${port}`, profiling.dir, tag, log);
      return async () => {
        profiling.written.push({ label, kind: "cometbft", binary, files: await p.stop() });
      };
    },
  };
}

/**
 * The bench's own config.toml settings for both chains, under BENCH_COMET's: the devnet's log
 * level plus CometBFT's consensus lines at info (a few a height), which say where each loaded
 * height's time went (bench/lib/consensuslines.ts).
 */
const PEER_COMET: TomlSettings = { "": { log_level: "main:info,state:info,consensus:info,*:error" } };

/** `a` with `b`'s keys on top, section by section. */
function mergeSettings(a: TomlSettings, b: TomlSettings): TomlSettings {
  const out: Record<string, Record<string, TomlValue>> = { ...a };
  for (const [section, kv] of Object.entries(b)) out[section] = { ...(a[section] ?? {}), ...kv };
  return out;
}

/** One chain's run: its tag, the work folder, the load, the settings and the profiles asked for. */
interface RunSpec {
  readonly n: string;
  readonly work: string;
  readonly base: LoadBase;
  readonly cfg: PeerConfig;
  readonly profiling: Profiling | undefined;
}

/** `n` ports for a node, and one more for CometBFT's pprof server when it is profiled. */
async function reserveNodePorts(n: number, profiling: Profiling | undefined): Promise<{ reservation: PortReservation; ports: number[]; pprof: number | undefined }> {
  const go = profiling?.targets.includes("cometbft") === true;
  const reservation = await reservePorts(go ? n + 1 : n);
  return { reservation, ports: reservation.ports.slice(0, n), pprof: go ? reservation.ports[n] : undefined };
}

async function runDcert({ n, work, base, cfg, profiling }: RunSpec, repoRoot: string, cometbftBin: string): Promise<LoadResult> {
  const { comet, indexEvents, appFlags } = cfg;
  const { reservation, ports: reserved, pprof } = await reserveNodePorts(3, profiling);
  const [rpc, p2p, abci] = reserved as [number, number, number];
  const procs: DevnetProcesses = {};
  const log = (line: string): void => progress(`dcert #${n}: ${line}`);
  const go = goProfiling(profiling, pprof, `dcert #${n} CometBFT`, `dcert-${n}-cometbft`, cometbftBin, log);
  // A folder per run: V8 names each thread's profile itself (the main thread's has thread id 0).
  const appProfile = profiling?.targets.includes("app") === true ? join(profiling.dir, `dcert-${n}-app`) : undefined;
  try {
    const abciSocket = cfg.abci === "unix" ? { abciSocket: join(work, `dcert-${n}.sock`) } : {};
    const { paths, ports, info } = await prepareDevnet({ home: join(work, `dcert-${n}`), reset: false, ports: { rpc, p2p, abci, ...abciSocket }, cometbftBin, log });
    const settings = mergeSettings(comet, go.settings);
    if (Object.keys(settings).length > 0) configureCometbft(paths, ports, settings);
    // Kept by the launch, which rewrites only the keys it runs with.
    if (indexEvents !== undefined) updateAppConfig(paths.appHome, { indexEvents });
    // CometBFT binds the pprof port; the launch hands over only the ports it knows.
    if (pprof !== undefined) await reservation.unhold([pprof]);
    const appNodeFlags = [...(appProfile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${appProfile}`]), ...appFlags];
    await launchDevnet({ paths, ports, cometbftBin, dcertdScript: compiledDcertd(repoRoot), procs, log, reservation, appNodeFlags });
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
      ...(go.duringWindow === undefined ? {} : { duringWindow: go.duringWindow }),
    });
    const [from, to] = result.loadHeights;
    const blockTimes = blockTimeBreakdown(paths.appLog, from, to);
    const heights = heightBreakdown(paths.cometLog, from, to);
    return { ...result, ...(blockTimes === undefined ? {} : { blockTimes }), ...(heights === undefined ? {} : { heights }) };
  } finally {
    await stopDevnet(procs, log);
    await reservation.release();
    // V8 writes the profile as the app exits.
    if (appProfile !== undefined && profiling !== undefined) profiling.written.push({ label: `dcert #${n} app`, kind: "app", files: threadProfiles(appProfile) });
  }
}

async function runSimd({ n, work, base, cfg, profiling }: RunSpec, simdBin: string): Promise<LoadResult> {
  const { comet, indexEvents } = cfg;
  const { reservation, ports: reserved, pprof } = await reserveNodePorts(5, profiling);
  const [rpc, p2p, abci, grpc, api] = reserved as [number, number, number, number, number];
  const ports = { rpc, p2p, abci, grpc, api };
  const log = (line: string): void => progress(`simd #${n}: ${line}`);
  const go = goProfiling(profiling, pprof, `simd #${n}`, `simd-${n}`, simdBin, log);
  try {
    log("setting up a fresh chain");
    const node = await initSimdHome(simdBin, join(work, `simd-${n}`), ports, mergeSettings(comet, go.settings), indexEvents);
    if (pprof !== undefined) await reservation.unhold([pprof]);
    const child = await startSimd(simdBin, node, ports, join(work, `simd-${n}.log`), reservation);
    try {
      return await runLoad({
        ...base,
        rpc: node.rpc,
        chainId: SIMD_CHAIN_ID,
        prefix: SIMD_PREFIX,
        denom: SIMD_DENOM,
        faucetMnemonic: node.faucetMnemonic,
        pids: { simd: child.pid },
        log,
        ...(go.duringWindow === undefined ? {} : { duringWindow: go.duringWindow }),
      });
    } finally {
      log("stopping");
      await stopSimd(child);
    }
  } finally {
    await reservation.release();
  }
}

/** What every run of a series shares: the checkout, its CometBFT and the simd to compare with. */
export interface PeerSetup {
  readonly repoRoot: string;
  readonly cometbftBin: string;
  readonly cometbftVersion: string;
  /** Absent when only the devnet runs. */
  readonly simd?: ReturnType<typeof resolveSimd>;
}

/**
 * The checkout's CometBFT and, unless `simd` is false (the devnet alone), simd, built on first
 * use; announced on the progress line.
 */
export function peerSetup(options: { readonly simd?: boolean } = {}): PeerSetup {
  const repoRoot = findRepoRoot(__dirname);
  const cometbftBin = resolveCometbft(repoRoot);
  const cometbftVersion = execFileSync(cometbftBin, ["version"], { encoding: "utf8" }).trim();
  if (options.simd === false) {
    progress(`dcert ${gitHead(repoRoot)} on CometBFT ${cometbftVersion}`);
    return { repoRoot, cometbftBin, cometbftVersion };
  }
  const simd = resolveSimd(process.env, progress);
  progress(`dcert ${gitHead(repoRoot)} on CometBFT ${cometbftVersion}; simd ${simd.bin}: cosmos-sdk ${simd.info.sdk ?? "?"}, CometBFT ${simd.info.cometbft ?? "?"}`);
  return { repoRoot, cometbftBin, cometbftVersion, simd };
}

/**
 * The runs `cfg` asks for, each on a fresh chain: for n = 1..runs, each chain of the order, each
 * load. `profiling` collects the profiles (BENCH_PROFILE) as they are written.
 */
export async function runPeer(cfg: PeerConfig, setup: PeerSetup, profiling?: Profiling): Promise<PeerRun[]> {
  const simd = setup.simd;
  if (simd === undefined && cfg.order.includes("simd")) throw new Error("runPeer: the runs include simd, but the setup has none (peerSetup({ simd: false }))");
  const work = mkdtempSync(join(tmpdir(), "dcert-bench-peer-"));
  const runs: PeerRun[] = [];
  try {
    for (let n = 1; n <= cfg.runs; n++) {
      for (const chain of cfg.order) {
        for (const msg of cfg.msgs) {
          const base: LoadBase = {
            txs: cfg.txs,
            warmup: cfg.warmup,
            accounts: cfg.accounts,
            window: cfg.window,
            batch: cfg.batch,
            rate: cfg.rate,
            msg,
            voteEntries: cfg.voteEntries,
            gasPrice: devnetGasPriceAmount(),
            log: progress,
          };
          const l1 = load1();
          progress(`== run ${n}: ${chain}${cfg.msgs.length > 1 ? ` ${msg}s` : ""} (load average ${l1})`);
          const tag = cfg.msgs.length > 1 ? `${n}-${msg}` : String(n);
          const result =
            chain === "dcert"
              ? await runDcert({ n: tag, work, base, cfg, profiling }, setup.repoRoot, setup.cometbftBin)
              : await runSimd({ n: tag, work, base, cfg, profiling }, simd!.bin);
          runs.push({ chain, msg, run: n, load1: l1, result });
        }
      }
    }
  } finally {
    if (process.env["BENCH_KEEP"] === "1") progress(`work folder kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  return runs;
}

export async function main(): Promise<void> {
  const cfg = peerConfig(process.env);
  const setup = peerSetup({ simd: cfg.order.includes("simd") });
  const { repoRoot, cometbftVersion, simd } = setup;
  const profiling = profilingOf(cfg);
  const runs = await runPeer(cfg, setup, profiling);
  const summary = summarize(runs);
  const name = cfg.msgs.length > 1 ? "peer-vote-send" : cfg.msgs[0] === "vote" ? "peer-vote" : "peer";
  const described = { send: "cosmos.bank.v1beta1.MsgSend", vote: `dcert.v1.MsgVote, ${cfg.voteEntries} entries` };
  report(name, summary.rows, {
    dcert: { commit: gitHead(repoRoot), cometbft: cometbftVersion, dbBackend: String(cfg.comet[""]?.["db_backend"] ?? "goleveldb") },
    simd: simd?.info,
    load: { ...cfg, fee: "5000 for gas 200000", signMode: "DIRECT", broadcast: "broadcast_tx_async (JSON-RPC batches)", msgs: cfg.msgs.map((m) => described[m]) },
    machine: { cores: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), kernel: release(), node: process.version },
    ratios: summary.ratios,
    runs: runs.map((r) => ({ chain: r.chain, msg: r.msg, run: r.run, load1: r.load1, ...r.result })),
  });
  // The devnet's breakdowns, a row per run that has one.
  const perRun = (key: "blockTimes" | "heights") =>
    runs.flatMap((r) => {
      const figures = r.result[key];
      return figures === undefined ? [] : [{ run: r.run, ...(cfg.msgs.length > 1 ? { msg: r.msg } : {}), ...figures }];
    });
  const times = perRun("blockTimes");
  if (times.length > 0) report(`${name}-blocktimes`, times, { what: "the devnet app's mean time per block under load, from its block lines" });
  const heights = perRun("heights");
  if (heights.length > 0) report(`${name}-heights`, heights, { what: "the devnet CometBFT's mean time per loaded height by phase, and its late starts, from its consensus lines" });
  for (const line of notes(runs, summary)) console.log(line);
  if (profiling !== undefined) printProfiles(profiling);
}

/** The `.cpuprofile` files V8 wrote into `dir`, the main thread's (thread id 0) first. */
export function threadProfiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const tid = (f: string): number => Number(/\.(\d+)\.\d+\.cpuprofile$/.exec(f)?.[1] ?? Infinity);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .sort((a, b) => tid(a) - tid(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((f) => join(dir, f));
}

/** The profile folder (created) when BENCH_PROFILE asks for any. */
function profilingOf(cfg: PeerConfig): Profiling | undefined {
  if (cfg.profile.length === 0) return undefined;
  let dir: string;
  if (cfg.profileDir === undefined) dir = mkdtempSync(join(tmpdir(), "dcert-bench-profiles-"));
  else {
    mkdirSync(cfg.profileDir, { recursive: true });
    dir = cfg.profileDir;
  }
  progress(`profiling ${cfg.profile.join(" and ")} in every run into ${dir}`);
  return { targets: cfg.profile, dir, written: [] };
}

/** The app profiles' top self time, and how to read CometBFT's. */
function printProfiles(p: Profiling): void {
  for (const w of p.written) {
    if (w.files.length === 0) {
      console.log(`${w.label}: no profile was written (see the log lines above)`);
      continue;
    }
    if (w.kind === "cometbft") {
      console.log(`${w.label}: ${w.files.length} CPU profile slice${w.files.length === 1 ? "" : "s"} over the load's window; read them with\n  go tool pprof -top ${w.binary ?? ""} ${w.files.join(" ")}`);
      continue;
    }
    const [file = "", ...workers] = w.files;
    const s = topSelfTime(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, 15);
    printTable(
      `${w.label}: top 15 functions by self time, main thread, the whole process life (busy ${(s.busyMs / 1000).toFixed(2)} s, idle ${(s.idleMs / 1000).toFixed(2)} s)`,
      s.top.map((r, i) => ({ "#": i + 1, "self ms": r.selfMs.toFixed(1), "% of busy": r.percent.toFixed(1), function: r.function, where: r.where })),
    );
    console.log(`(${file}; the worker threads': ${workers.length === 0 ? "none" : workers.join(" ")}. Chrome DevTools' Performance panel opens them)`);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
