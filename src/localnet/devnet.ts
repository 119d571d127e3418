/**
 * A single-node local chain (CometBFT + the dCERT app): the library behind `dcertd devnet`
 * (src/cli/devnet.ts).
 *
 * The steps are exported one by one because the end-to-end test harness (test/e2e/harness.ts)
 * runs exactly the same setup and launch code in a temporary home on reserved ports (proc.ts):
 *
 *   initDevnetHome      first run: accounts, `cometbft init`, genesis.json, devnet.json
 *   configureCometbft   every run: config.toml (ports, timeouts, mempool, RPC limits)
 *   launchDevnet        every run: app → wait for its ABCI port → CometBFT → wait for a block
 *   stopDevnet          CometBFT first, then the app
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Bip39, Random } from "@cosmjs/crypto";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { buildDevnetAppState } from "../app/genesis";
import { APP_CONFIG_DEFAULTS, KEY_EXAMPLES, updateAppConfig, type AppConfig } from "./appconfig";
import { BECH32_PREFIX, DEFAULT_DENOM } from "../baseapp/tx/constants";
import {
  DevnetError,
  cometbftInit,
  cometConfigFile,
  dbBackendMismatch,
  editToml,
  getTomlValue,
  portOfAddress,
  readValidatorPubkey,
  type TomlValue,
} from "./cometbft";
import {
  canConnect,
  canConnectUnix,
  describeExit,
  isPortFree,
  pollUntil,
  spawnLogged,
  stopChild,
  tailFile,
  type LoggedChild,
  type PortReservation,
} from "./proc";

export const DEVNET_CHAIN_ID = "dcert-devnet-1";
/** accounts[0] operates the devnet's validator (docs/design.md §11). */
export const DEVNET_ACCOUNT_NAMES = ["validator", "alice", "bob", "carol"] as const;
/** Balance of every devnet account at genesis, in the devnet denom. */
export const DEVNET_ACCOUNT_BALANCE = 1_000_000_000_000n;
/** The validator's genesis self-delegation; it carries all the voting power. */
export const DEVNET_SELF_DELEGATION = 100_000_000_000n;
/** The app's minimum gas prices on the devnet (at most 0.25/gas, docs/design.md §11). */
export const DEVNET_MIN_GAS_PRICES = `0.025${DEFAULT_DENOM}`;
/** Block limits: room for ~2000 ordinary txs (a few hundred bytes and ~100k gas each) per block. */
export const DEVNET_BLOCK_MAX_BYTES = 8 * 1024 * 1024;
export const DEVNET_BLOCK_MAX_GAS = 1_000_000_000;
/** CometBFT's rpc.max_body_bytes on devnet and testnet nodes (see configureCometbft). */
export const MAX_RPC_BODY_BYTES = 384 * 1024;
/** CometBFT's mempool.max_tx_bytes on devnet and testnet nodes: base64 of it fits in an RPC body. */
export const MAX_TX_BYTES = 256 * 1024;

export interface DevnetPorts {
  readonly rpc: number;
  readonly p2p: number;
  readonly abci: number;
  /**
   * A unix socket (absolute path) for ABCI instead of the `abci` port: the app listens there and
   * CometBFT's proxy_app points at it.
   */
  readonly abciSocket?: string;
  /** The app's REST gateway (CORS on); absent: the app serves no REST. */
  readonly api?: number;
  /** The app's gRPC server; absent: the app serves no gRPC. */
  readonly grpc?: number;
}

/** `dcertd devnet`'s ports (REST and gRPC as the SDK's defaults; a library caller opts in to them). */
export const DEFAULT_DEVNET_PORTS: Required<Omit<DevnetPorts, "abciSocket">> = { rpc: 26657, p2p: 26656, abci: 26658, api: 1317, grpc: 9090 };

export interface DevnetAccount {
  readonly name: string;
  readonly address: string;
  readonly mnemonic: string;
}

/** The contents of `<home>/devnet.json` (exactly these keys, in this order). */
export interface DevnetInfo {
  readonly chainId: string;
  readonly rpc: string;
  readonly denom: string;
  readonly bech32Prefix: string;
  readonly accounts: readonly DevnetAccount[];
}

export interface DevnetPaths {
  readonly home: string;
  readonly cometHome: string;
  readonly appHome: string;
  readonly devnetJson: string;
  readonly appLog: string;
  readonly cometLog: string;
}

/** Files and directories a devnet home may contain; `--reset` refuses to wipe anything else. */
const HOME_ENTRIES = new Set(["devnet.json", "cometbft", "app", "app.log", "cometbft.log"]);

/** CometBFT's config.toml in a CometBFT home (kept here too for the devnet's callers). */
export { cometConfigFile };

export function devnetPaths(home: string): DevnetPaths {
  const abs = path.resolve(home);
  return {
    home: abs,
    cometHome: path.join(abs, "cometbft"),
    appHome: path.join(abs, "app"),
    devnetJson: path.join(abs, "devnet.json"),
    appLog: path.join(abs, "app.log"),
    cometLog: path.join(abs, "cometbft.log"),
  };
}

/** The client home's variable (src/cli/clientenv.ts); the devnet and the testnet default below it. */
export const HOME_ENV = "DCERTD_HOME";
/** The devnet's own variable before DCERTD_HOME; honoured, with a warning, for one release. */
export const DEPRECATED_DEVNET_HOME_ENV = "DCERT_HOME";

/** Writes a deprecation warning on stderr (replaceable in tests). */
export type Warn = (line: string) => void;
export const stderrWarn: Warn = (line) => {
  process.stderr.write(`warning: ${line}\n`);
};

/**
 * A local network's directory: `flag`, else the deprecated variable `legacyEnv` (with a warning),
 * else `$DCERTD_HOME/<sub>`, else `~/.dcert/<sub>`. The deprecated variable comes before
 * DCERTD_HOME so that a script setting both keeps its directory during the deprecation release.
 */
export function resolveNetworkDir(
  sub: string,
  flag: string | undefined,
  legacyEnv: string,
  flagName: string,
  env: NodeJS.ProcessEnv = process.env,
  warn: Warn = stderrWarn,
): string {
  if (flag !== undefined) return path.resolve(flag);
  const legacy = env[legacyEnv];
  if (legacy !== undefined && legacy !== "") {
    warn(`${legacyEnv} is deprecated and will be removed in the next release; use ${flagName} or ${HOME_ENV} (the ${sub} then lives in $${HOME_ENV}/${sub})`);
    return path.resolve(legacy);
  }
  const home = env[HOME_ENV];
  if (home !== undefined && home !== "") return path.resolve(home, sub);
  return path.join(os.homedir(), ".dcert", sub);
}

/** `--home`, else `$DCERTD_HOME/devnet`, else `~/.dcert/devnet` (`$DCERT_HOME`, deprecated, before DCERTD_HOME). */
export function resolveDevnetHome(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, warn: Warn = stderrWarn): string {
  return resolveNetworkDir("devnet", flag, DEPRECATED_DEVNET_HOME_ENV, "--home", env, warn);
}

/** The repository root (the directory holding this project's package.json), from src/ or dist/. */
export function findRepoRoot(start: string = __dirname): string {
  let dir = start;
  while (true) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      try {
        const name = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: unknown }).name;
        if (name === "dcert-chain") return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new DevnetError(`cannot find the dcert-chain repository above ${start}`);
    dir = parent;
  }
}

/**
 * The `dcertd` entry of a build given as a release directory (scripts/make-release.mjs: it holds
 * dist/src/cli/dcertd.js) or as that script itself; an error saying what is missing otherwise.
 */
export function releaseDcertd(dirOrScript: string): string {
  const abs = path.resolve(dirOrScript);
  if (!fs.existsSync(abs)) throw new DevnetError(`${abs} does not exist; make a release first: npm run release -- --out ${dirOrScript}`);
  if (fs.statSync(abs).isFile()) {
    if (!abs.endsWith(".js")) throw new DevnetError(`${abs} is not a release directory nor a dcertd.js script`);
    return abs;
  }
  const script = path.join(abs, "dist", "src", "cli", "dcertd.js");
  if (!fs.existsSync(script)) throw new DevnetError(`${abs} is not a release: ${script} does not exist (make one with npm run release -- --out DIR)`);
  return script;
}

/** The release directory (or repository) a dcertd script belongs to: the directory above its dist/. */
export function buildDirOf(script: string): string {
  return path.resolve(path.dirname(script), "..", "..", "..");
}

/** The compiled `dcertd` entry that runs the app (`dcertd start`). */
export function compiledDcertd(repoRoot: string): string {
  const script = path.join(repoRoot, "dist", "src", "cli", "dcertd.js");
  if (!fs.existsSync(script)) {
    throw new DevnetError(`${script} does not exist; build the project first: npm run build`);
  }
  return script;
}

export function rpcUrl(ports: DevnetPorts): string {
  return `http://127.0.0.1:${ports.rpc}`;
}

function abciAddress(ports: DevnetPorts): string {
  return ports.abciSocket === undefined ? `tcp://127.0.0.1:${ports.abci}` : `unix://${ports.abciSocket}`;
}

/** The REST gateway's URL, when the ports have one. */
export function restUrl(ports: DevnetPorts): string | undefined {
  return ports.api === undefined ? undefined : `http://127.0.0.1:${ports.api}`;
}

/** The gRPC server's address (host:port), when the ports have one. */
export function grpcAddress(ports: DevnetPorts): string | undefined {
  return ports.grpc === undefined ? undefined : `127.0.0.1:${ports.grpc}`;
}

/** The `dcertd start` flags of the API servers: on the given ports (REST with CORS), else off. */
export function apiStartFlags(ports: DevnetPorts): string[] {
  const flags = ["--rpc.laddr", `tcp://127.0.0.1:${ports.rpc}`];
  if (ports.api === undefined) flags.push("--api.enable=false");
  else flags.push("--api.address", `tcp://127.0.0.1:${ports.api}`, "--api.enabled-unsafe-cors=true");
  if (ports.grpc === undefined) flags.push("--grpc.enable=false");
  else flags.push("--grpc.address", `127.0.0.1:${ports.grpc}`);
  return flags;
}

/** The app.toml settings of a devnet node on `ports` (the same as `apiStartFlags` and the launch flags). */
export function appConfigOf(ports: DevnetPorts): AppConfig {
  return {
    minimumGasPrices: DEVNET_MIN_GAS_PRICES,
    abciAddress: abciAddress(ports),
    rpcLaddr: `tcp://127.0.0.1:${ports.rpc}`,
    apiEnable: ports.api !== undefined,
    ...(ports.api === undefined ? {} : { apiAddress: `tcp://127.0.0.1:${ports.api}`, apiEnabledUnsafeCors: true }),
    grpcEnable: ports.grpc !== undefined,
    ...(ports.grpc === undefined ? {} : { grpcAddress: `127.0.0.1:${ports.grpc}` }),
  };
}

// ---------------------------------------------------------------------------------------------
// Home directory state

export function isInitialized(paths: DevnetPaths): boolean {
  return fs.existsSync(paths.devnetJson) && fs.existsSync(path.join(paths.cometHome, "config", "genesis.json"));
}

function unknownEntries(home: string): string[] {
  if (!fs.existsSync(home)) return [];
  return fs.readdirSync(home).filter((e) => !HOME_ENTRIES.has(e));
}

/**
 * Deletes a devnet home. Refuses when the directory holds anything a devnet does not create, so
 * a mistaken `--home ~` or `DCERTD_HOME` cannot wipe unrelated files.
 */
export function wipeDevnetHome(paths: DevnetPaths): void {
  if (!fs.existsSync(paths.home)) return;
  const foreign = unknownEntries(paths.home);
  if (foreign.length > 0) {
    throw new DevnetError(
      `refusing to delete ${paths.home}: it does not look like a devnet home (it contains ${foreign.slice(0, 3).join(", ")}). ` +
        `Choose another directory with --home or DCERTD_HOME.`,
    );
  }
  fs.rmSync(paths.home, { recursive: true, force: true });
}

export function readDevnetInfo(paths: DevnetPaths): DevnetInfo {
  return JSON.parse(fs.readFileSync(paths.devnetJson, "utf8")) as DevnetInfo;
}

function writeDevnetInfo(paths: DevnetPaths, info: DevnetInfo): void {
  const ordered: DevnetInfo = {
    chainId: info.chainId,
    rpc: info.rpc,
    denom: info.denom,
    bech32Prefix: info.bech32Prefix,
    accounts: info.accounts.map((a) => ({ name: a.name, address: a.address, mnemonic: a.mnemonic })),
  };
  // It holds mnemonics: readable by the owner only.
  fs.writeFileSync(paths.devnetJson, `${JSON.stringify(ordered, null, 2)}\n`, { mode: 0o600 });
}

/** A fresh account: a random 24-word mnemonic and its first address (HD path m/44'/118'/0'/0/0). */
export async function generateAccount(name: string): Promise<DevnetAccount> {
  const mnemonic = Bip39.encode(Random.getBytes(32)).toString();
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: BECH32_PREFIX });
  const [first] = await wallet.getAccounts();
  if (first === undefined) throw new Error("wallet derived no account");
  return { name, address: first.address, mnemonic };
}

function jsonWithBigints(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** Rewrites CometBFT's generated genesis.json for the devnet (keeps its `validators` entry). */
/** Consensus param abci.vote_extensions_enable_height of every genesis the tools write. */
export const VOTE_EXTENSIONS_ENABLE_HEIGHT = "1";

export function writeDevnetGenesis(paths: DevnetPaths, accounts: readonly DevnetAccount[]): void {
  const file = path.join(paths.cometHome, "config", "genesis.json");
  const genesis = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown> & {
    consensus_params?: Record<string, unknown>;
  };
  const operator = accounts[0];
  if (operator === undefined) throw new Error("the devnet needs at least one account");
  genesis["chain_id"] = DEVNET_CHAIN_ID;
  genesis.consensus_params = {
    ...(genesis.consensus_params ?? {}),
    block: { max_bytes: String(DEVNET_BLOCK_MAX_BYTES), max_gas: String(DEVNET_BLOCK_MAX_GAS) },
    // Vote extensions from the first block: each validator reports the build it runs (readiness).
    abci: { vote_extensions_enable_height: VOTE_EXTENSIONS_ENABLE_HEIGHT },
  };
  genesis["app_state"] = buildDevnetAppState({
    denom: DEFAULT_DENOM,
    accounts: accounts.map((a) => ({ address: a.address, amount: DEVNET_ACCOUNT_BALANCE })),
    validator: {
      operatorAddress: operator.address,
      consensusPubkeyEd25519Base64: readValidatorPubkey(paths.cometHome),
      selfDelegation: DEVNET_SELF_DELEGATION,
    },
    shortPeriods: true,
  });
  fs.writeFileSync(file, `${jsonWithBigints(genesis)}\n`);
}

/**
 * First-run setup of an empty (or missing) home: four funded accounts, `cometbft init`,
 * genesis.json and devnet.json. devnet.json is written last, so a home without it is an
 * interrupted setup.
 */
export async function initDevnetHome(opts: {
  paths: DevnetPaths;
  ports: DevnetPorts;
  cometbftBin: string;
  log?: (line: string) => void;
}): Promise<DevnetInfo> {
  const { paths } = opts;
  const log = opts.log ?? (() => undefined);
  fs.mkdirSync(paths.appHome, { recursive: true });
  log(`creating accounts ${DEVNET_ACCOUNT_NAMES.join(", ")}`);
  const accounts: DevnetAccount[] = [];
  for (const name of DEVNET_ACCOUNT_NAMES) accounts.push(await generateAccount(name));
  log(`initializing CometBFT in ${paths.cometHome}`);
  cometbftInit(opts.cometbftBin, paths.cometHome);
  writeDevnetGenesis(paths, accounts);
  configureCometbft(paths, opts.ports);
  const info: DevnetInfo = {
    chainId: DEVNET_CHAIN_ID,
    rpc: rpcUrl(opts.ports),
    denom: DEFAULT_DENOM,
    bech32Prefix: BECH32_PREFIX,
    accounts,
  };
  writeDevnetInfo(paths, info);
  return info;
}

/** config.toml settings: section ("" for the top level) → key → value. */
export type TomlSettings = Readonly<Record<string, Readonly<Record<string, TomlValue>>>>;

/**
 * Writes the devnet's settings into `<home>/cometbft/config/config.toml` (done on every run).
 * `overrides` are applied on top, key by key (testnet nodes set their moniker and peers there).
 */
export function configureCometbft(paths: DevnetPaths, ports: DevnetPorts, overrides: TomlSettings = {}): void {
  const settings: Record<string, Record<string, TomlValue>> = {
    "": {
      proxy_app: abciAddress(ports),
      moniker: "dcert-devnet",
      // Block-by-block progress and every error; the full "info" firehose is too much to read.
      log_level: "main:info,state:info,*:error",
    },
    rpc: {
      laddr: `tcp://127.0.0.1:${ports.rpc}`,
      max_open_connections: 2000,
      max_subscription_clients: 500,
      max_subscriptions_per_client: 50,
      timeout_broadcast_tx_commit: "30s",
      // Load generators send JSON-RPC batches of broadcasts (CometBFT's default allows 10).
      max_request_batch_size: 200,
      // CometBFT parses every JSON-RPC body on the node's own cores before the app sees it: at its
      // default (1,000,000 bytes) a handful of clients sending ~840 KB Simulate queries stretched
      // block intervals to 2.3x idle on 2 cores (bench simulate-flood). 384 KiB still carries any
      // query the app accepts (max-query-bytes, 128 KiB, hex-encoded) and a 256 KiB tx.
      max_body_bytes: MAX_RPC_BODY_BYTES,
      // Browsers: the web app (served from its own port) and wallets call the RPC from another
      // origin. It listens on 127.0.0.1 only, as the REST gateway (CORS on) does.
      cors_allowed_origins: ["*"],
    },
    p2p: {
      laddr: `tcp://127.0.0.1:${ports.p2p}`,
      addr_book_strict: false,
      allow_duplicate_ip: true,
    },
    mempool: {
      // A tx must fit in an RPC body (base64 in JSON), see max_body_bytes.
      max_tx_bytes: MAX_TX_BYTES,
      size: 50_000,
      max_txs_bytes: 1_073_741_824,
      cache_size: 100_000,
    },
    consensus: {
      timeout_propose: "1s",
      timeout_propose_delta: "200ms",
      timeout_prevote: "500ms",
      timeout_prevote_delta: "200ms",
      timeout_precommit: "500ms",
      timeout_precommit_delta: "200ms",
      timeout_commit: "500ms",
      create_empty_blocks: true,
      create_empty_blocks_interval: "0s",
    },
    tx_index: { indexer: "kv" },
    instrumentation: { prometheus: false },
  };
  for (const [section, kv] of Object.entries(overrides)) settings[section] = { ...(settings[section] ?? {}), ...kv };
  editToml(cometConfigFile(paths.cometHome), settings);
}

/** The ports an existing home was last configured with (so later runs keep them). */
export function configuredPorts(paths: DevnetPaths): Partial<DevnetPorts> {
  const file = cometConfigFile(paths.cometHome);
  if (!fs.existsSync(file)) return {};
  const text = fs.readFileSync(file, "utf8");
  const found: { rpc?: number; p2p?: number; abci?: number } = {};
  const rpc = portOfAddress(getTomlValue(text, "rpc", "laddr"));
  const p2p = portOfAddress(getTomlValue(text, "p2p", "laddr"));
  const abci = portOfAddress(getTomlValue(text, "", "proxy_app"));
  if (rpc !== undefined) found.rpc = rpc;
  if (p2p !== undefined) found.p2p = p2p;
  if (abci !== undefined) found.abci = abci;
  return found;
}

/** Fails with a message naming the port and the flag that moves it when a port is taken. */
export async function checkPortsFree(ports: DevnetPorts): Promise<void> {
  const checks: [number, string, string][] = [
    [ports.rpc, "CometBFT RPC", "--rpc-port"],
    [ports.p2p, "CometBFT P2P", "--p2p-port"],
    [ports.abci, "app ABCI", "--abci-port"],
  ];
  if (ports.api !== undefined) checks.push([ports.api, "app REST", "--api-port"]);
  if (ports.grpc !== undefined) checks.push([ports.grpc, "app gRPC", "--grpc-port"]);
  for (const [port, what, flag] of checks) {
    if (!(await isPortFree("127.0.0.1", port))) {
      throw new DevnetError(
        `port ${port} (${what}) is already in use. Is another devnet or CometBFT node still running? ` +
          `Stop it, or choose another port: npm start -- ${flag} <port>`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

/** The devnet's two processes; fields are filled in as they start. */
export interface DevnetProcesses {
  app?: LoggedChild;
  comet?: LoggedChild;
}

/** A child that stopped while it should be running: says which, how, and the end of its log. */
export function childDiedMessage(child: LoggedChild): string {
  const status = child.exitStatus();
  const how = status !== undefined ? describeExit(status) : "stopped";
  const tail = tailFile(child.logPath, 25, child.logStart)
    .split("\n")
    .map((l) => `  | ${l}`)
    .join("\n");
  return `${child.label} ${how}. Last lines of ${child.logPath}:\n${tail}`;
}

function firstDead(procs: DevnetProcesses): LoggedChild | undefined {
  for (const c of [procs.app, procs.comet]) if (c !== undefined && c.exitStatus() !== undefined) return c;
  return undefined;
}

export interface LaunchOptions {
  paths: DevnetPaths;
  ports: DevnetPorts;
  cometbftBin: string;
  /** The compiled dcertd entry (see `compiledDcertd`). */
  dcertdScript: string;
  /** Filled in as the processes start, so the caller can stop them even if launching fails. */
  procs: DevnetProcesses;
  /** Own process groups, so a terminal Ctrl-C reaches only the parent (which stops them in order). */
  detached?: boolean;
  log?: (line: string) => void;
  /** Returns true when the caller wants to give up (e.g. Ctrl-C during startup). */
  cancelled?: () => boolean;
  appTimeoutMs?: number;
  blockTimeoutMs?: number;
  /** Names the node in process labels and messages (e.g. "node2" on a testnet). */
  label?: string;
  /** Extra environment for the app process (e.g. a crash point for tests); merged over ours. */
  appEnv?: NodeJS.ProcessEnv;
  /** Extra Node.js flags for the app process, after APP_NODE_FLAGS (e.g. the bench's `--cpu-prof`). */
  appNodeFlags?: readonly string[];
  /**
   * The reservation holding `ports` (src/localnet/proc.ts): each held socket is closed right before
   * the process that binds that port starts.
   */
  reservation?: PortReservation;
}

function labelled(opts: LaunchOptions, what: string): string {
  return opts.label === undefined ? what : `${opts.label}: ${what}`;
}

/**
 * V8 flags for the app process. PERF: block execution allocates many short-lived objects; a
 * larger young generation (64 MiB semi-spaces instead of 16) cut scavenge time, about 12% of the
 * app's CPU under load, substantially.
 */
export const APP_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=64"];

/** Starts the app (`dcertd start`) and waits until its ABCI port accepts connections. */
export async function startApp(opts: LaunchOptions): Promise<LoggedChild> {
  const log = opts.log ?? (() => undefined);
  fs.mkdirSync(opts.paths.appHome, { recursive: true });
  const apiPorts = [opts.ports.api, opts.ports.grpc].filter((p): p is number => p !== undefined);
  await opts.reservation?.unhold([opts.ports.abci, ...apiPorts]);
  // The node's app.toml says what it runs with (the flags below still decide, for older builds).
  updateAppConfig(opts.paths.appHome, appConfigOf(opts.ports), { ...APP_CONFIG_DEFAULTS, ...KEY_EXAMPLES });
  const app = await spawnLogged(
    process.execPath,
    [
      ...APP_NODE_FLAGS,
      ...(opts.appNodeFlags ?? []),
      opts.dcertdScript,
      "start",
      "--home",
      opts.paths.appHome,
      "--abci",
      abciAddress(opts.ports),
      "--minimum-gas-prices",
      DEVNET_MIN_GAS_PRICES,
      ...apiStartFlags(opts.ports),
    ],
    {
      label: labelled(opts, "the dCERT app"),
      logPath: opts.paths.appLog,
      detached: opts.detached ?? false,
      ...(opts.appEnv === undefined ? {} : { env: { ...process.env, ...opts.appEnv } }),
    },
  );
  opts.procs.app = app;
  log(labelled(opts, `started the app (pid ${app.pid}); waiting for it to listen on ${abciAddress(opts.ports)}`));
  await pollUntil({
    what: labelled(opts, `the app to listen on ${abciAddress(opts.ports)}`),
    // The API servers start right after the ABCI server: wait for them too.
    check: async () => {
      const socket = opts.ports.abciSocket;
      if (socket === undefined ? !(await canConnect("127.0.0.1", opts.ports.abci)) : !(await canConnectUnix(socket))) return undefined;
      for (const port of apiPorts) if (!(await canConnect("127.0.0.1", port))) return undefined;
      return true;
    },
    abort: () => (opts.cancelled?.() === true ? "interrupted" : app.exitStatus() !== undefined ? childDiedMessage(app) : undefined),
    timeoutMs: opts.appTimeoutMs ?? 60_000,
    hint: `see ${opts.paths.appLog}`,
    onWait: (ms) => log(labelled(opts, `  still waiting for the app (${Math.round(ms / 1000)}s)`)),
  });
  return app;
}

/** Starts `cometbft node` against the configured home. */
export async function startCometbft(opts: LaunchOptions): Promise<LoggedChild> {
  // CometBFT would only say "unknown db_backend" in its log.
  const mismatch = dbBackendMismatch(opts.cometbftBin, opts.paths.cometHome);
  if (mismatch !== undefined) throw new DevnetError(mismatch);
  await opts.reservation?.unhold([opts.ports.rpc, opts.ports.p2p]);
  const comet = await spawnLogged(opts.cometbftBin, ["node", "--home", opts.paths.cometHome], {
    label: labelled(opts, "CometBFT"),
    logPath: opts.paths.cometLog,
    detached: opts.detached ?? false,
  });
  opts.procs.comet = comet;
  (opts.log ?? (() => undefined))(labelled(opts, `started CometBFT (pid ${comet.pid})`));
  return comet;
}

export interface StatusSummary {
  readonly height: number;
  readonly appHash: string;
}

/** Height and latest app hash from CometBFT's `/status`, or `undefined` while RPC is not up. */
export async function fetchStatus(rpc: string): Promise<StatusSummary | undefined> {
  try {
    const res = await fetch(`${rpc}/status`, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { result?: { sync_info?: { latest_block_height?: string; latest_app_hash?: string } } };
    const info = body.result?.sync_info;
    if (info?.latest_block_height === undefined) return undefined;
    return { height: Number(info.latest_block_height), appHash: info.latest_app_hash ?? "" };
  } catch {
    return undefined;
  }
}

/** The latest block height from CometBFT's `/status`, or `undefined` while RPC is not up. */
export async function fetchHeight(rpc: string): Promise<number | undefined> {
  return (await fetchStatus(rpc))?.height;
}

/**
 * Waits until the chain commits a new block: height ≥ 1 on a fresh chain, or one past the height
 * CometBFT first reports after a restart. Returns that height. It also waits until `/status`
 * reports a non-empty latest app hash: CosmJS's `StargateClient.connect` rejects a status without
 * one, which is what block 1 shows when InitChain returned an empty app hash.
 */
export async function waitForNewBlock(opts: LaunchOptions): Promise<number> {
  const log = opts.log ?? (() => undefined);
  const rpc = rpcUrl(opts.ports);
  const timeoutMs = opts.blockTimeoutMs ?? 120_000;
  let target: number | undefined;
  let seen: StatusSummary | undefined;
  return pollUntil({
    what: labelled(opts, `a new block at ${rpc}`),
    check: async () => {
      const status = await fetchStatus(rpc);
      if (status === undefined) return undefined;
      seen = status;
      if (target === undefined) target = Math.max(1, status.height + 1);
      return status.height >= target && status.appHash !== "" ? status.height : undefined;
    },
    abort: () => {
      if (opts.cancelled?.() === true) return "interrupted";
      const dead = firstDead(opts.procs);
      return dead !== undefined ? childDiedMessage(dead) : undefined;
    },
    timeoutMs,
    lastSeen: () => (seen === undefined ? "no answer from CometBFT's RPC" : `height ${seen.height}, waiting for ${target ?? "?"}`),
    hint: `see ${opts.paths.cometLog} and ${opts.paths.appLog}`,
    intervalMs: 250,
    onWait: (ms) =>
      log(
        labelled(
          opts,
          target === undefined
            ? `  waiting for CometBFT RPC at ${rpc} (${Math.round(ms / 1000)}s)`
            : `  waiting for block ${target} (${Math.round(ms / 1000)}s)`,
        ),
      ),
  });
}

/** App, then CometBFT, then a new block. Returns the height reached. */
export async function launchDevnet(opts: LaunchOptions): Promise<number> {
  await startApp(opts);
  await startCometbft(opts);
  (opts.log ?? (() => undefined))("waiting for a new block");
  return waitForNewBlock(opts);
}

/** Stops CometBFT first (so it does not see its app vanish), then the app. */
export async function stopDevnet(procs: DevnetProcesses, log: (line: string) => void = () => undefined): Promise<void> {
  if (procs.comet !== undefined && procs.comet.exitStatus() === undefined) {
    log("stopping CometBFT");
    await stopChild(procs.comet, "SIGTERM");
  }
  if (procs.app !== undefined && procs.app.exitStatus() === undefined) {
    log("stopping the app");
    await stopChild(procs.app, "SIGTERM");
  }
}

// ---------------------------------------------------------------------------------------------
// Preparing a home

/** Prepares the home (first run, reset, resume) and returns everything needed to launch. */
export async function prepareDevnet(opts: {
  home: string;
  reset: boolean;
  ports: Partial<DevnetPorts>;
  /** Serve REST and gRPC even on ports not given (the remembered ones, else 1317 and 9090). */
  serveApi?: boolean;
  cometbftBin: string;
  log?: (line: string) => void;
}): Promise<{ paths: DevnetPaths; ports: DevnetPorts; info: DevnetInfo; created: boolean }> {
  const log = opts.log ?? (() => undefined);
  const paths = devnetPaths(opts.home);
  if (opts.reset && fs.existsSync(paths.home)) {
    log(`--reset: deleting ${paths.home}`);
    wipeDevnetHome(paths);
  }
  let created = false;
  if (!isInitialized(paths)) {
    const foreign = unknownEntries(paths.home);
    if (foreign.length > 0) {
      throw new DevnetError(
        `${paths.home} is not empty and is not a devnet home (it contains ${foreign.slice(0, 3).join(", ")}). ` +
          `Choose another directory with --home or DCERTD_HOME.`,
      );
    }
    // Leftovers of an interrupted first run: no chain ever ran from them.
    if (fs.existsSync(paths.home)) wipeDevnetHome(paths);
  }
  const previous = configuredPorts(paths);
  const ports: DevnetPorts = {
    rpc: opts.ports.rpc ?? previous.rpc ?? DEFAULT_DEVNET_PORTS.rpc,
    p2p: opts.ports.p2p ?? previous.p2p ?? DEFAULT_DEVNET_PORTS.p2p,
    abci: opts.ports.abci ?? previous.abci ?? DEFAULT_DEVNET_PORTS.abci,
    ...(opts.ports.abciSocket === undefined ? {} : { abciSocket: opts.ports.abciSocket }),
    ...apiPortsOf(opts, rememberedApiPorts(paths)),
  };
  let info: DevnetInfo;
  if (!isInitialized(paths)) {
    log(`setting up a new devnet in ${paths.home}`);
    info = await initDevnetHome({ paths, ports, cometbftBin: opts.cometbftBin, log });
    created = true;
  } else {
    log(`resuming the devnet in ${paths.home}`);
    configureCometbft(paths, ports);
    info = readDevnetInfo(paths);
    if (info.rpc !== rpcUrl(ports)) {
      info = { ...info, rpc: rpcUrl(ports) };
      writeDevnetInfo(paths, info);
    }
  }
  if (ports.api !== undefined || ports.grpc !== undefined) rememberApiPorts(paths, ports);
  return { paths, ports, info, created };
}

/** `<home>/app/api.json`: the REST and gRPC ports the devnet last ran with (CometBFT's config does not hold them). */
function apiPortsFile(paths: DevnetPaths): string {
  return path.join(paths.appHome, "api.json");
}

function rememberedApiPorts(paths: DevnetPaths): { api?: number; grpc?: number } {
  try {
    const o = JSON.parse(fs.readFileSync(apiPortsFile(paths), "utf8")) as { api?: unknown; grpc?: unknown };
    const port = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) && v > 0 && v < 65536 ? v : undefined);
    const api = port(o.api);
    const grpc = port(o.grpc);
    return { ...(api === undefined ? {} : { api }), ...(grpc === undefined ? {} : { grpc }) };
  } catch {
    return {};
  }
}

function rememberApiPorts(paths: DevnetPaths, ports: DevnetPorts): void {
  fs.mkdirSync(paths.appHome, { recursive: true });
  fs.writeFileSync(apiPortsFile(paths), `${JSON.stringify({ api: ports.api, grpc: ports.grpc })}\n`);
}

/**
 * The REST and gRPC ports: the caller's; with `serveApi`, else the remembered ones, else the
 * defaults (`dcertd devnet` always serves both; a library caller serves them only on ports it gives).
 */
function apiPortsOf(opts: { ports: Partial<DevnetPorts>; serveApi?: boolean }, previous: { api?: number; grpc?: number }): { api?: number; grpc?: number } {
  const serve = opts.serveApi === true;
  const api = opts.ports.api ?? (serve ? (previous.api ?? DEFAULT_DEVNET_PORTS.api) : undefined);
  const grpc = opts.ports.grpc ?? (serve ? (previous.grpc ?? DEFAULT_DEVNET_PORTS.grpc) : undefined);
  return { ...(api === undefined ? {} : { api }), ...(grpc === undefined ? {} : { grpc }) };
}
