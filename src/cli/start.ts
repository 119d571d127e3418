/** `dcertd start`: runs the dCERT ABCI application; a CometBFT node connects to it. */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_TURN_BUDGET_MS } from "../baseapp/abci/server";
import { EXIT_UPGRADE_NEEDED, runNode } from "../app/node";
import { DEFAULT_QUERY_WORKER_NICE, DEFAULT_QUERY_WORKERS } from "../app/queryworkers";
import { hex, loadBuildIdentity } from "../app/release";
import { DEFAULT_LOG_FORMAT, DEFAULT_LOG_LEVEL, loggerFromSettings, type NodeLogger } from "../app/logger";
import { upgradeHandlerNames } from "../app/upgrades";
import { APP_VERSION } from "../baseapp/app";
import { developmentBuild, type BuildIdentity } from "../x/upgrade/build";
import { isUpgradeNeeded } from "../x/upgrade/halt";
import { DEFAULT_MAX_QUERY_BYTES, DEFAULT_QUERY_GAS_LIMIT } from "../baseapp/querylimits";
import { DEFAULT_SIGNATURE_WORKER_NICE } from "../baseapp/sigpool";
import { startApiServers, type ApiServersOptions, type NodeIdentity } from "../server";
import { builtApiWorkerScript, startApiServersOnThread } from "../server/apithread";
import { parseListenAddress } from "../server/rest";
import { findRepoRoot } from "../localnet/devnet";
import {
  APP_CONFIG_DEFAULTS,
  APP_CONFIG_KEYS,
  DEFAULT_ABCI_ADDRESS,
  DEFAULT_API_ADDRESS,
  DEFAULT_GRPC_ADDRESS,
  DEFAULT_RPC_LADDR,
  AppConfigError,
  appConfigPath,
  checkValue,
  dottedKey,
  readAppConfig,
  UNIX_SOCKET_PATH_MAX_BYTES,
  type AppConfig,
  type AppConfigField,
} from "../localnet/appconfig";
import { CliError, UsageError, stringFlag, type Command, type ParsedArgs } from "./args";
import { gitCommit, packageVersion } from "./version";

export { DEFAULT_ABCI_ADDRESS, DEFAULT_API_ADDRESS, DEFAULT_GRPC_ADDRESS, DEFAULT_RPC_LADDR } from "../localnet/appconfig";

/** The defaults of the settings app.toml holds (what `dcertd init` writes; the log keys are the logger's). */
export const START_DEFAULTS: AppConfig = APP_CONFIG_DEFAULTS;

/** What `dcertd start` serves besides ABCI (flags as the SDK's app.toml keys). */
export interface ApiSettings {
  readonly rest?: { readonly address: string; readonly cors: boolean };
  readonly grpc?: { readonly address: string };
  /** "http://127.0.0.1:26657" */
  readonly rpcUrl: string;
  /** Both servers on a thread of their own while queries are on query workers (`[api] own-thread`). */
  readonly ownThread: boolean;
}

function fileKey(field: AppConfigField): string {
  const spec = APP_CONFIG_KEYS.find((k) => k.field === field);
  return spec === undefined ? field : dottedKey(spec);
}

function boolSetting(args: ParsedArgs, flag: string, fromFile: boolean | undefined, dflt: boolean): boolean {
  const v = stringFlag(args, flag);
  if (v === undefined) return fromFile ?? dflt;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new UsageError(`--${flag} must be true or false, got "${v}" (e.g. --${flag}=${String(!dflt)})`);
}

function addressSetting(args: ParsedArgs, flag: string, fromFile: string | undefined, dflt: string, example: string): string {
  const v = stringFlag(args, flag) ?? fromFile ?? dflt;
  try {
    parseListenAddress(v);
  } catch {
    throw new UsageError(`--${flag} must look like ${example}, got "${v}"`);
  }
  return v;
}

/** The API settings of `dcertd start`: each from its flag, else the config file (`cfg`), else the default. */
export function apiSettings(args: ParsedArgs, cfg: AppConfig = {}): ApiSettings {
  const rpc = parseListenAddress(addressSetting(args, "rpc.laddr", cfg.rpcLaddr, DEFAULT_RPC_LADDR, DEFAULT_RPC_LADDR));
  const rpcHost = rpc.host === "0.0.0.0" ? "127.0.0.1" : rpc.host === "::" ? "::1" : rpc.host;
  const rest = boolSetting(args, "api.enable", cfg.apiEnable, true)
    ? {
        address: addressSetting(args, "api.address", cfg.apiAddress, DEFAULT_API_ADDRESS, DEFAULT_API_ADDRESS),
        cors: boolSetting(args, "api.enabled-unsafe-cors", cfg.apiEnabledUnsafeCors, false),
      }
    : undefined;
  const grpc = boolSetting(args, "grpc.enable", cfg.grpcEnable, true)
    ? { address: addressSetting(args, "grpc.address", cfg.grpcAddress, DEFAULT_GRPC_ADDRESS, DEFAULT_GRPC_ADDRESS) }
    : undefined;
  return {
    ...(rest === undefined ? {} : { rest }),
    ...(grpc === undefined ? {} : { grpc }),
    rpcUrl: `http://${rpcHost.includes(":") ? `[${rpcHost}]` : rpcHost}:${rpc.port}`,
    ownThread: boolSetting(args, "api.own-thread", cfg.apiOwnThread, true),
  };
}

/** Node-local limits of `dcertd start`: each from its flag, else its environment variable, else the config file, else the default. */
export interface NodeLimits {
  readonly queryGasLimit?: bigint;
  readonly maxQueryBytes?: number;
  readonly abciTurnBudgetMs?: number;
  readonly sigVerifyWorkers?: number;
  readonly queryWorkers?: number;
  readonly sigVerifyNice?: number;
  readonly queryWorkersNice?: number;
}

/** The node-limit flags, the environment variables that stand in for them, and their app.toml keys. */
export const LIMIT_SETTINGS = [
  { flag: "query-gas-limit", env: "DCERTD_QUERY_GAS_LIMIT", field: "queryGasLimit", max: 10n ** 18n },
  { flag: "max-query-bytes", env: "DCERTD_MAX_QUERY_BYTES", field: "queryMaxBytes", max: BigInt(Number.MAX_SAFE_INTEGER) },
  { flag: "abci-turn-budget-ms", env: "DCERTD_ABCI_TURN_BUDGET_MS", field: "queryTurnBudgetMs", max: 60_000n },
  { flag: "sig-verify-workers", env: "DCERTD_SIG_VERIFY_WORKERS", field: "sigVerifyWorkers", max: 64n, zero: "off" },
  { flag: "query-workers", env: "DCERTD_QUERY_WORKERS", field: "queryWorkers", max: 64n, zero: "off" },
  { flag: "sig-verify-nice", env: "DCERTD_SIG_VERIFY_NICE", field: "sigVerifyNice", max: 19n, zero: "the main thread's priority" },
  { flag: "query-workers-nice", env: "DCERTD_QUERY_WORKERS_NICE", field: "queryWorkersNice", max: 19n, zero: "the main thread's priority" },
] as const;

/** Parses a non-negative decimal integer setting (0 = unlimited / off), or undefined when absent. */
function limitSetting(args: ParsedArgs, env: NodeJS.ProcessEnv, cfg: AppConfig, s: (typeof LIMIT_SETTINGS)[number]): bigint | undefined {
  const fromFlag = stringFlag(args, s.flag);
  const text = fromFlag ?? env[s.env];
  if (text === undefined || text === "") return cfg[s.field];
  const where = fromFlag !== undefined ? `--${s.flag}` : `$${s.env}`;
  const zero = "zero" in s ? s.zero : "unlimited";
  if (!/^[0-9]{1,19}$/.test(text)) throw new UsageError(`${where} must be a whole number (0 = ${zero}), got "${text}"`);
  const v = BigInt(text);
  if (v > s.max) throw new UsageError(`${where} must be at most ${s.max}, got ${text}`);
  return v;
}

export function nodeLimits(args: ParsedArgs, env: NodeJS.ProcessEnv, cfg: AppConfig = {}): NodeLimits {
  const [gas, bytes, budget, workers, queryWorkers, nice, queryNice] = LIMIT_SETTINGS.map((s) => limitSetting(args, env, cfg, s));
  return {
    ...(gas === undefined ? {} : { queryGasLimit: gas }),
    ...(bytes === undefined ? {} : { maxQueryBytes: Number(bytes) }),
    ...(budget === undefined ? {} : { abciTurnBudgetMs: Number(budget) }),
    ...(workers === undefined ? {} : { sigVerifyWorkers: Number(workers) }),
    ...(queryWorkers === undefined ? {} : { queryWorkers: Number(queryWorkers) }),
    ...(nice === undefined ? {} : { sigVerifyNice: Number(nice) }),
    ...(queryNice === undefined ? {} : { queryWorkersNice: Number(queryNice) }),
  };
}

/** Everything `dcertd start` runs with, resolved from its flags, the environment and <home>/config/app.toml. */
export interface StartSettings {
  readonly home: string;
  /** <home>/config/app.toml (it may not exist). */
  readonly configFile: string;
  readonly abciAddress: string;
  /** Never empty: `start` refuses to run without one ("0udcert" is an explicit zero). */
  readonly minGasPrices: string;
  readonly limits: NodeLimits;
  /** app.toml `index-events` (no flag, as in the SDK): the attributes CometBFT may index; [] = all. */
  readonly indexEvents: readonly string[];
  /** `--optimistic-execution`, else app.toml `optimistic-execution`, else false (src/app/optimistic.ts). */
  readonly optimisticExecution: boolean;
  readonly api: ApiSettings;
  /** The file's log_level / log_format (or the flags' when a logger adds them), unchanged; undefined = not set. */
  readonly logLevel?: string;
  readonly logFormat?: string;
}

/** Resolves the settings of `dcertd start`: a flag, else (for the limits) its variable, else app.toml, else the default. */
export function startSettings(args: ParsedArgs, env: NodeJS.ProcessEnv): StartSettings {
  const homeFlag = stringFlag(args, "home");
  if (homeFlag === undefined) throw new UsageError("--home <dir> is required (the app's data directory)");
  const home = path.resolve(homeFlag);
  const configFile = appConfigPath(home);
  const cfg = readAppConfig(configFile) ?? {};
  const abciAddress = stringFlag(args, "abci") ?? cfg.abciAddress ?? DEFAULT_ABCI_ADDRESS;
  if (!checkValue(specOf("abciAddress"), abciAddress)) {
    throw new UsageError(`--abci must look like tcp://127.0.0.1:26658 or unix:///var/run/dcert/app.sock (an absolute path of at most ${UNIX_SOCKET_PATH_MAX_BYTES} bytes), got "${abciAddress}"`);
  }
  const minFlag = stringFlag(args, "minimum-gas-prices");
  if (minFlag !== undefined && !checkValue(specOf("minimumGasPrices"), minFlag)) {
    throw new UsageError(`--minimum-gas-prices must be decimal coins like 0.025udcert (0udcert for no fees), got "${minFlag}"`);
  }
  const minGasPrices = minFlag ?? cfg.minimumGasPrices ?? "";
  if (minGasPrices === "") {
    throw new CliError(
      `no minimum gas price: ${fs.existsSync(configFile) ? `${fileKey("minimumGasPrices")} is empty in ${configFile}` : `${configFile} does not exist`} and --minimum-gas-prices is not given`,
      `set one (e.g. --minimum-gas-prices 0.025udcert, or minimum-gas-prices = "0.025udcert" in the file); to accept transactions without fees say so with 0udcert`,
      2,
    );
  }
  const logLevel = stringFlag(args, "log_level") ?? cfg.logLevel;
  const logFormat = stringFlag(args, "log_format") ?? cfg.logFormat;
  return {
    home,
    configFile,
    abciAddress,
    minGasPrices,
    limits: nodeLimits(args, env, cfg),
    indexEvents: cfg.indexEvents ?? [],
    optimisticExecution: boolSetting(args, "optimistic-execution", cfg.optimisticExecution, false),
    api: apiSettings(args, cfg),
    ...(logLevel === undefined ? {} : { logLevel }),
    ...(logFormat === undefined ? {} : { logFormat }),
  };
}

function specOf(field: AppConfigField): (typeof APP_CONFIG_KEYS)[number] {
  const spec = APP_CONFIG_KEYS.find((k) => k.field === field);
  if (spec === undefined) throw new Error(`no app.toml key for ${field}`);
  return spec;
}

/** Names the file and key of a bad app.toml, and what to do. */
export function describeStartError(e: unknown): CliError | undefined {
  if (e instanceof AppConfigError) return new CliError(e.message, `fix ${e.key === undefined ? "the file" : `"${e.key}"`} (docs/config.md lists every key), or override it with its flag`, 2);
  return undefined;
}

/** Resolves with the first SIGINT/SIGTERM; a second one exits at once. */
function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const handler = (signal: NodeJS.Signals): void => {
      if (received) {
        console.error(`${signal} again: exiting without waiting for a clean shutdown`);
        process.exit(130);
      }
      received = true;
      resolve(signal);
    };
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
  });
}

/**
 * The build this process runs (src/app/release.ts): a release's manifest and hash, or the checkout's
 * compiled tree. Run from source (no dist/), a development build.
 */
export function startBuild(log: (line: string) => void): BuildIdentity {
  let build: BuildIdentity;
  try {
    build = loadBuildIdentity();
  } catch (e) {
    log(`build: ${e instanceof Error ? e.message : String(e)}; running as a development build`);
    return developmentBuild(APP_VERSION);
  }
  const names = upgradeHandlerNames(build);
  const handlers = names.length === 0 ? "none" : names.join(", ");
  log(`build ${hex(build.buildHash)} (app version ${build.appVersion}; upgrade handlers: ${handlers})`);
  return build;
}

/** What node_info reports of this binary: the package version and git commit (unknown outside a checkout). */
function nodeIdentity(): NodeIdentity {
  let root: string;
  try {
    root = findRepoRoot(__dirname);
  } catch {
    return { appName: "dcertd", version: "unknown", gitCommit: "unknown" };
  }
  return { appName: "dcertd", version: packageVersion(root), gitCommit: gitCommit(root) };
}

async function runStart(args: ParsedArgs): Promise<number> {
  const { home, abciAddress, minGasPrices, limits, indexEvents, optimisticExecution, api, logLevel, logFormat } = startSettings(args, process.env);
  let logger: NodeLogger;
  try {
    logger = loggerFromSettings({ level: logLevel, format: logFormat });
  } catch (e) {
    throw new UsageError(`log_level / log_format (flag or app.toml): ${(e as Error).message}`);
  }
  const stop = nextStopSignal();
  const build = startBuild((line) => logger.child("node").info(line));
  let node: Awaited<ReturnType<typeof runNode>>;
  try {
    node = await runNode({
      build,
      home,
      abciAddress,
      minGasPrices,
      ...limits,
      indexEvents,
      optimisticExecution,
      log: logger,
    });
  } catch (e) {
    if (isUpgradeNeeded(e)) {
      // upgrade-info.json names a plan due at the next block and this build has no handler for it.
      console.log(e.message);
      console.error(`dcertd: refusing to start: ${e.message} (this build does not carry the "${e.plan.name}" handler)`);
      return EXIT_UPGRADE_NEEDED;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      throw new CliError(`${abciAddress} is already in use (another dcertd running?)`, "choose another address with --abci");
    }
    if (abciAddress.startsWith("unix://") && (code === "ENOENT" || code === "EACCES")) {
      // Node reports a missing folder as EACCES too: look.
      const folder = path.dirname(abciAddress.slice("unix://".length));
      throw new CliError(
        `cannot create the ABCI socket ${abciAddress} (${fs.existsSync(folder) ? "permission denied" : `its folder ${folder} does not exist`})`,
        "create the folder with write access for this user, or choose another path with --abci",
      );
    }
    throw e;
  }
  let servers: { close(): Promise<void> } | undefined;
  if (api.rest !== undefined || api.grpc !== undefined) {
    const serverLog = logger.child("server");
    const options: ApiServersOptions = {
      app: node.queries,
      rpcUrl: api.rpcUrl,
      node: nodeIdentity(),
      ...(api.rest === undefined ? {} : { rest: api.rest }),
      ...(api.grpc === undefined ? {} : { grpc: api.grpc }),
      log: (line) => serverLog.info(line),
    };
    // With queries off the main thread, the servers' HTTP, JSON and RPC work leaves it too.
    const script = node.queriesOffMain && api.ownThread ? builtApiWorkerScript() : undefined;
    try {
      servers = script === undefined ? await startApiServers(options) : await startApiServersOnThread({ ...options, script, warn: (line) => serverLog.warn(line) });
      serverLog.info(`REST and gRPC servers: run on ${script === undefined ? "the main thread" : "a thread of their own"}`);
    } catch (e) {
      await node.close();
      if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") {
        throw new CliError(`an API address is already in use: ${(e as Error).message}`, "choose others with --api.address and --grpc.address, or turn a server off with --api.enable=false / --grpc.enable=false");
      }
      throw e;
    }
  }
  const signal = await stop;
  logger.child("node").info(`dcertd: ${signal} received, closing`);
  await servers?.close();
  await node.close();
  logger.child("node").info("dcertd: stopped");
  return 0;
}

export const startCommand: Command = {
  name: "start",
  summary: "run the dCERT ABCI application (point CometBFT's proxy_app at it)",
  details: [
    "Stops cleanly on SIGINT or SIGTERM. CometBFT must be started separately (see `dcertd devnet`).",
    "At an upgrade plan's height a build without the plan's handler writes <home>/data/upgrade-info.json,",
    `logs "UPGRADE NEEDED: …" and exits with code ${EXIT_UPGRADE_NEEDED}; started again on that height it refuses (same code).`,
    "See docs/upgrade-operators.md.",
    "It also serves the REST gateway (the SDK's grpc-gateway routes, --api.*) and gRPC (--grpc.*) over the same",
    "query services, plus the tx and node services through CometBFT's RPC (--rpc.laddr). See docs/api.md.",
    "Settings come from <home>/config/app.toml (written by `dcertd init`, the devnet and the testnet); each flag",
    "overrides its key. It refuses to run without a minimum gas price (file or flag); 0udcert accepts free",
    "transactions explicitly. See docs/config.md.",
  ],
  flags: [
    { name: "home", valueName: "dir", description: "the app's data directory (required)" },
    { name: "abci", valueName: "address", description: "ABCI socket address to listen on (tcp://host:port or unix:///absolute/path)", defaultText: DEFAULT_ABCI_ADDRESS },
    { name: "minimum-gas-prices", valueName: "prices", description: "minimum gas prices for CheckTx, e.g. 0.025udcert; 0udcert = accept free transactions", defaultText: "app.toml's minimum-gas-prices; required" },
    {
      name: "query-gas-limit",
      valueName: "gas",
      description: "gas cap of every ABCI query and Simulate, 0 = unlimited (env DCERTD_QUERY_GAS_LIMIT)",
      defaultText: String(DEFAULT_QUERY_GAS_LIMIT),
    },
    {
      name: "max-query-bytes",
      valueName: "bytes",
      description: "largest accepted query request (path + data), 0 = unlimited (env DCERTD_MAX_QUERY_BYTES)",
      defaultText: String(DEFAULT_MAX_QUERY_BYTES),
    },
    {
      name: "abci-turn-budget-ms",
      valueName: "ms",
      description: "time the query and mempool connections may use per event-loop turn before consensus is served, 0 = unbounded (env DCERTD_ABCI_TURN_BUDGET_MS)",
      defaultText: String(DEFAULT_TURN_BUDGET_MS),
    },
    {
      name: "sig-verify-workers",
      valueName: "n",
      description: "worker threads verifying CheckTx signatures ahead of CheckTx, 0 = off (env DCERTD_SIG_VERIFY_WORKERS)",
      defaultText: "cores - 1, 1 to 4",
    },
    {
      name: "sig-verify-nice",
      valueName: "n",
      description: "nice steps (0 to 19) the signature workers' threads run below the process on Linux, so block execution runs first on busy cores; 0 = the main thread's priority (env DCERTD_SIG_VERIFY_NICE)",
      defaultText: String(DEFAULT_SIGNATURE_WORKER_NICE),
    },
    {
      name: "query-workers",
      valueName: "n",
      description: "worker threads serving queries and Simulate from a read-only replica of the store, 0 = off: the main thread serves them (env DCERTD_QUERY_WORKERS)",
      defaultText: String(DEFAULT_QUERY_WORKERS),
    },
    {
      name: "query-workers-nice",
      valueName: "n",
      description: "nice steps (0 to 19) the query workers' threads run below the process on Linux, so block execution and the signature workers run first when queries keep the cores busy; 0 = the main thread's priority (env DCERTD_QUERY_WORKERS_NICE)",
      defaultText: String(DEFAULT_QUERY_WORKER_NICE),
    },
    {
      name: "optimistic-execution",
      valueName: "bool",
      description: "execute an accepted proposal from ProcessProposal, while CometBFT votes, and answer FinalizeBlock with it (docs/config.md)",
      defaultText: "false",
    },
    { name: "api.enable", valueName: "bool", description: "serve the REST gateway (--api.enable=false: off)", defaultText: "true" },
    { name: "api.address", valueName: "address", description: "the REST gateway's listen address", defaultText: DEFAULT_API_ADDRESS },
    { name: "api.enabled-unsafe-cors", valueName: "bool", description: "allow cross-origin requests from any origin (browsers, explorers)", defaultText: "false" },
    {
      name: "api.own-thread",
      valueName: "bool",
      description: "run the REST gateway and gRPC server on a thread of their own while queries are on query workers (false: the main thread)",
      defaultText: "true",
    },
    { name: "grpc.enable", valueName: "bool", description: "serve gRPC (--grpc.enable=false: off)", defaultText: "true" },
    { name: "grpc.address", valueName: "address", description: "the gRPC server's listen address", defaultText: DEFAULT_GRPC_ADDRESS },
    { name: "log_level", valueName: "level", description: "log level, or per module: info,abci:debug,x/dcert:warn (docs/logging.md)", defaultText: DEFAULT_LOG_LEVEL },
    { name: "log_format", valueName: "format", description: "log lines as plain text or json", defaultText: DEFAULT_LOG_FORMAT },
    { name: "rpc.laddr", valueName: "address", description: "CometBFT's RPC, for the tx and node services", defaultText: DEFAULT_RPC_LADDR },
  ],
  run: runStart,
  describeError: describeStartError,
};
