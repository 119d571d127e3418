/**
 * The node's config file, `<app home>/config/app.toml` (docs/config.md): what `dcertd start` reads
 * before its flags. Keys are the Cosmos SDK's app.toml names where the SDK has one. `dcertd init`
 * writes a commented default; the devnet and the testnet write their nodes' own settings.
 *
 * Reading is strict: a key the schema does not know, or a value of the wrong type or shape, is an
 * `AppConfigError` naming the file, the key and what is expected.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_TURN_BUDGET_MS } from "../baseapp/abci/server";
import { DEFAULT_QUERY_WORKER_NICE, DEFAULT_QUERY_WORKERS } from "../app/queryworkers";
import { parseDecCoins } from "../baseapp/coins";
import { DEFAULT_MAX_QUERY_BYTES, DEFAULT_QUERY_GAS_LIMIT } from "../baseapp/querylimits";
import { DEFAULT_SIGNATURE_WORKER_NICE } from "../baseapp/sigpool";
import { parseListenAddress } from "../server/rest";

type SmolToml = typeof import("smol-toml", { with: { "resolution-mode": "import" } });
// smol-toml's types describe its ESM build; it also ships a CommonJS build (its "require" export),
// which this CommonJS module loads. A typed require keeps the types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse, stringify, TomlError } = require("smol-toml") as SmolToml;

/** Every setting the file can hold; absent = not set in the file (the flag or the default decides). */
export interface AppConfig {
  /** "" = none (start then refuses to run); "0udcert" accepts transactions without fees. */
  readonly minimumGasPrices?: string;
  /** Passed on unchanged to the logger (its own checks apply). */
  readonly logLevel?: string;
  /** Passed on unchanged to the logger (its own checks apply). */
  readonly logFormat?: string;
  readonly abciAddress?: string;
  readonly apiEnable?: boolean;
  readonly apiAddress?: string;
  readonly apiEnabledUnsafeCors?: boolean;
  /** Run the REST gateway and the gRPC server on a thread of their own (when queries are on query workers). */
  readonly apiOwnThread?: boolean;
  readonly grpcEnable?: boolean;
  readonly grpcAddress?: string;
  readonly rpcLaddr?: string;
  readonly queryGasLimit?: bigint;
  readonly queryMaxBytes?: bigint;
  readonly queryTurnBudgetMs?: bigint;
  /** Worker threads verifying CheckTx signatures ahead; unset = one per core left, 1 to 4; 0 = off. */
  readonly sigVerifyWorkers?: bigint;
  /** Nice steps below the process the signature workers run at (0 = the main thread's priority; at most nice 19). */
  readonly sigVerifyNice?: bigint;
  /** Worker threads serving queries and Simulate; unset = DEFAULT_QUERY_WORKERS; 0 = the main thread. */
  readonly queryWorkers?: bigint;
  /** Nice steps below the process the query workers run at (0 = the main thread's priority; at most nice 19). */
  readonly queryWorkersNice?: bigint;
  /** Event attributes CometBFT may index, "<event type>.<attribute key>"; empty = all. */
  readonly indexEvents?: readonly string[];
  /** Execute an accepted proposal from ProcessProposal and answer its FinalizeBlock with the result. */
  readonly optimisticExecution?: boolean;
}

export type AppConfigField = keyof AppConfig;

export const DEFAULT_ABCI_ADDRESS = "tcp://127.0.0.1:26658";
/** The REST gateway's address (the SDK's api.address). */
export const DEFAULT_API_ADDRESS = "tcp://127.0.0.1:1317";
/** The gRPC server's address (the SDK's grpc.address). */
export const DEFAULT_GRPC_ADDRESS = "127.0.0.1:9090";
/** CometBFT's RPC, which the tx and node services of the API servers call. */
export const DEFAULT_RPC_LADDR = "tcp://127.0.0.1:26657";

/** What `dcertd start` uses for a key neither its flag nor the file sets (no minimum gas price: it refuses). */
export const APP_CONFIG_DEFAULTS: AppConfig = {
  minimumGasPrices: "",
  abciAddress: DEFAULT_ABCI_ADDRESS,
  apiEnable: true,
  apiAddress: DEFAULT_API_ADDRESS,
  apiEnabledUnsafeCors: false,
  apiOwnThread: true,
  grpcEnable: true,
  grpcAddress: DEFAULT_GRPC_ADDRESS,
  rpcLaddr: DEFAULT_RPC_LADDR,
  queryGasLimit: DEFAULT_QUERY_GAS_LIMIT,
  queryMaxBytes: BigInt(DEFAULT_MAX_QUERY_BYTES),
  queryTurnBudgetMs: BigInt(DEFAULT_TURN_BUDGET_MS),
  queryWorkers: BigInt(DEFAULT_QUERY_WORKERS),
  queryWorkersNice: BigInt(DEFAULT_QUERY_WORKER_NICE),
  sigVerifyNice: BigInt(DEFAULT_SIGNATURE_WORKER_NICE),
  indexEvents: [],
  optimisticExecution: false,
};

/** Example values written (commented out) for the keys without a fixed default: the log keys, which the logger reads, and the signature workers, whose default follows the machine's cores. */
export const KEY_EXAMPLES: AppConfig = { logLevel: "info", logFormat: "plain", sigVerifyWorkers: 1n };

/** The longest unix socket path Linux accepts (`sun_path` is 108 bytes with its NUL). */
export const UNIX_SOCKET_PATH_MAX_BYTES = 107;

type Kind = "gas-prices" | "string" | "bool" | "abci-address" | "tcp-address" | "host-port" | "uint" | "event-keys";

interface KeySpec {
  /** "" for the top level. */
  readonly section: string;
  readonly key: string;
  readonly field: AppConfigField;
  readonly kind: Kind;
  /** Largest value of a "uint" key. */
  readonly max?: bigint;
  /** Comment lines written above the key. */
  readonly doc: readonly string[];
}

/** The schema, in the order the file is written. */
export const APP_CONFIG_KEYS: readonly KeySpec[] = [
  {
    section: "",
    key: "minimum-gas-prices",
    field: "minimumGasPrices",
    kind: "gas-prices",
    doc: [
      "The lowest gas price this node's mempool accepts (CheckTx), e.g. \"0.025udcert\".",
      "`dcertd start` refuses to run while it is empty and --minimum-gas-prices is not given;",
      "\"0udcert\" accepts transactions without fees (say so explicitly).",
    ],
  },
  {
    section: "",
    key: "log_level",
    field: "logLevel",
    kind: "string",
    doc: ["Log verbosity, e.g. \"info\" or \"debug\" (--log_level overrides it)."],
  },
  {
    section: "",
    key: "log_format",
    field: "logFormat",
    kind: "string",
    doc: ["Log format, \"plain\" or \"json\" (--log_format overrides it)."],
  },
  {
    section: "",
    key: "index-events",
    field: "indexEvents",
    kind: "event-keys",
    doc: [
      "Event attributes CometBFT's tx indexer may index, as \"<event type>.<attribute key>\", e.g.",
      "[\"message.sender\", \"message.action\", \"transfer.recipient\"]; [] = all of them. Results",
      "keep every attribute; only searching by the others stops working (docs/config.md).",
    ],
  },
  {
    section: "",
    key: "optimistic-execution",
    field: "optimisticExecution",
    kind: "bool",
    doc: [
      "Start executing a block as soon as ProcessProposal has accepted it, while CometBFT prevotes",
      "and precommits, and answer its FinalizeBlock with that result when the block finalized is the",
      "same. Off by default: on one machine it lengthened blocks under load (docs/config.md); it can",
      "pay where votes cross a network (--optimistic-execution).",
    ],
  },
  {
    section: "abci",
    key: "address",
    field: "abciAddress",
    kind: "abci-address",
    doc: [
      "The ABCI socket the app listens on, tcp://host:port or unix:///absolute/path; CometBFT's",
      "proxy_app points at it (--abci).",
    ],
  },
  { section: "api", key: "enable", field: "apiEnable", kind: "bool", doc: ["Serve the REST gateway (--api.enable)."] },
  { section: "api", key: "address", field: "apiAddress", kind: "tcp-address", doc: ["The REST gateway's listen address (--api.address)."] },
  {
    section: "api",
    key: "enabled-unsafe-cors",
    field: "apiEnabledUnsafeCors",
    kind: "bool",
    doc: ["Allow cross-origin requests from any origin, for browsers and explorers (--api.enabled-unsafe-cors)."],
  },
  {
    section: "api",
    key: "own-thread",
    field: "apiOwnThread",
    kind: "bool",
    doc: [
      "Run the REST gateway and the gRPC server on a thread of their own, so that their HTTP, JSON and",
      "RPC work never delays block execution; false = the main thread. Applies only while queries are",
      "served by query workers ([query] workers > 0) (--api.own-thread).",
    ],
  },
  { section: "grpc", key: "enable", field: "grpcEnable", kind: "bool", doc: ["Serve gRPC (--grpc.enable)."] },
  { section: "grpc", key: "address", field: "grpcAddress", kind: "host-port", doc: ["The gRPC server's listen address, host:port (--grpc.address)."] },
  {
    section: "rpc",
    key: "laddr",
    field: "rpcLaddr",
    kind: "tcp-address",
    doc: ["CometBFT's RPC, which the tx and node services of the API servers call (--rpc.laddr)."],
  },
  {
    section: "query",
    key: "gas-limit",
    field: "queryGasLimit",
    kind: "uint",
    max: 10n ** 18n,
    doc: ["Gas cap of every ABCI query and Simulate, 0 = unlimited (--query-gas-limit)."],
  },
  {
    section: "query",
    key: "max-bytes",
    field: "queryMaxBytes",
    kind: "uint",
    max: BigInt(Number.MAX_SAFE_INTEGER),
    doc: ["Largest accepted query request (path + data) in bytes, 0 = unlimited (--max-query-bytes)."],
  },
  {
    section: "query",
    key: "workers",
    field: "queryWorkers",
    kind: "uint",
    max: 64n,
    doc: [
      "Worker threads that serve ABCI queries, REST and gRPC queries and Simulate from a read-only",
      "replica of the store, so that block execution never waits behind them; 0 = the main thread",
      "serves them. Unset: 1 (--query-workers).",
    ],
  },
  {
    section: "query",
    key: "workers-nice",
    field: "queryWorkersNice",
    kind: "uint",
    max: 19n,
    doc: [
      "Nice steps (0 to 19; a higher nice runs later) the query workers' threads run below the process,",
      "at most at nice 19, on Linux, so that block execution, CometBFT's consensus and the signature",
      "workers run first when queries keep the cores busy; 0 = the main thread's priority (--query-workers-nice).",
    ],
  },
  {
    section: "query",
    key: "turn-budget-ms",
    field: "queryTurnBudgetMs",
    kind: "uint",
    max: 60_000n,
    doc: [
      "Milliseconds the query and mempool connections may use per event-loop turn before consensus",
      "is served, 0 = unbounded (--abci-turn-budget-ms).",
    ],
  },
  {
    section: "mempool",
    key: "sig-verify-workers",
    field: "sigVerifyWorkers",
    kind: "uint",
    max: 64n,
    doc: [
      "Worker threads that verify incoming transactions' signatures before CheckTx runs, so that",
      "block execution does not wait behind them; 0 = off. Unset: one per core left after the",
      "main thread, 1 to 4 (--sig-verify-workers).",
    ],
  },
  {
    section: "mempool",
    key: "sig-verify-nice",
    field: "sigVerifyNice",
    kind: "uint",
    max: 19n,
    doc: [
      "Nice steps (0 to 19; a higher nice runs later) the signature workers' threads run below the process,",
      "at most at nice 19, on Linux, so that block execution and CometBFT's consensus run first when",
      "the cores are busy; 0 = the main thread's priority (--sig-verify-nice).",
    ],
  },
];

/** The key as written in messages: `api.address`, or `minimum-gas-prices` at the top level. */
export function dottedKey(spec: Pick<KeySpec, "section" | "key">): string {
  return spec.section === "" ? spec.key : `${spec.section}.${spec.key}`;
}

const SECTIONS = [...new Set(APP_CONFIG_KEYS.map((k) => k.section).filter((s) => s !== ""))];

export class AppConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string | undefined,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "AppConfigError";
  }
}

export const APP_CONFIG_FILE = "app.toml";

/** `<app home>/config/app.toml`. */
export function appConfigPath(appHome: string): string {
  return path.join(appHome, "config", APP_CONFIG_FILE);
}

/** "<event type>.<attribute key>": no spaces, a dot with something on both sides (types have dots too). */
const EVENT_KEY = /^[^\s.][^\s]*\.[^\s.]+$/;

function expected(spec: KeySpec): string {
  switch (spec.kind) {
    case "gas-prices":
      return 'decimal coins like "0.025udcert" (or "0udcert" for no fees; "" for none)';
    case "string":
      return "a string";
    case "bool":
      return "true or false";
    case "abci-address":
      return `an address like "tcp://127.0.0.1:26658" or "unix:///var/run/dcert/app.sock" (an absolute path of at most ${UNIX_SOCKET_PATH_MAX_BYTES} bytes)`;
    case "tcp-address":
      return 'an address like "tcp://127.0.0.1:1317"';
    case "host-port":
      return 'an address like "127.0.0.1:9090"';
    case "uint":
      return `a whole number from 0 to ${String(spec.max ?? 0n)}`;
    case "event-keys":
      return 'a list of "<event type>.<attribute key>" strings like ["message.sender"]';
  }
}

/** Whether `value` is a valid value for the key; the checks of `readAppConfig` and of `dcertd start`'s flags. */
export function checkValue(spec: KeySpec, value: unknown): boolean {
  switch (spec.kind) {
    case "gas-prices":
      if (typeof value !== "string") return false;
      try {
        parseDecCoins(value);
        return true;
      } catch {
        return false;
      }
    case "string":
      return typeof value === "string";
    case "bool":
      return typeof value === "boolean";
    case "abci-address":
      if (typeof value !== "string") return false;
      if (value.startsWith("unix://")) {
        // Absolute: the app and CometBFT run from different working folders. Linux keeps a socket's
        // path in 108 bytes with its terminating NUL.
        const path = value.slice("unix://".length);
        return path.startsWith("/") && !path.includes("\0") && Buffer.byteLength(path) <= UNIX_SOCKET_PATH_MAX_BYTES;
      }
      return /^tcp:\/\/[^:\s]+:\d{1,5}$/.test(value) && Number(value.slice(value.lastIndexOf(":") + 1)) <= 65535;
    case "tcp-address":
    case "host-port":
      if (typeof value !== "string" || (spec.kind === "host-port" && value.includes("://"))) return false;
      try {
        parseListenAddress(value);
        return true;
      } catch {
        return false;
      }
    case "uint":
      return typeof value === "bigint" && value >= 0n && value <= (spec.max ?? 0n);
    case "event-keys":
      return Array.isArray(value) && value.every((v) => typeof v === "string" && EVENT_KEY.test(v));
  }
}

function shown(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "object" && value !== null) return Array.isArray(value) ? "an array" : "a table";
  return JSON.stringify(value) ?? String(value);
}

/** Parses app.toml text strictly; `file` names it in errors. */
export function parseAppConfig(text: string, file: string): AppConfig {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text, { integersAsBigInt: true }) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) throw new AppConfigError(file, undefined, `not valid TOML at line ${e.line}, column ${e.column}: ${e.message.split("\n")[0] ?? ""}`);
    throw e;
  }
  const out: Record<string, unknown> = {};
  const take = (section: string, key: string, value: unknown): void => {
    const spec = APP_CONFIG_KEYS.find((k) => k.section === section && k.key === key);
    const where = dottedKey({ section, key });
    if (spec === undefined) {
      const known = APP_CONFIG_KEYS.filter((k) => k.section === section).map((k) => k.key);
      const scope = section === "" ? "at the top level" : `in [${section}]`;
      throw new AppConfigError(file, where, `unknown key "${where}"; the keys ${scope} are ${known.join(", ")}${section === "" ? ` and the tables [${SECTIONS.join("], [")}]` : ""}`);
    }
    if (!checkValue(spec, value)) throw new AppConfigError(file, where, `${where} must be ${expected(spec)}, got ${shown(value)}`);
    out[spec.field] = value;
  };
  for (const name of Object.keys(doc).sort()) {
    const value = doc[name];
    const isTable = typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
    if (isTable && SECTIONS.includes(name)) {
      const table = value as Record<string, unknown>;
      for (const key of Object.keys(table).sort()) take(name, key, table[key]);
    } else if (isTable && !APP_CONFIG_KEYS.some((k) => k.section === "" && k.key === name)) {
      throw new AppConfigError(file, name, `unknown table [${name}]; the tables are [${SECTIONS.join("], [")}]`);
    } else {
      take("", name, value);
    }
  }
  return out as AppConfig;
}

/** The file's settings, or `undefined` when the file does not exist. */
export function readAppConfig(file: string): AppConfig | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new AppConfigError(file, undefined, `cannot read it (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseAppConfig(text, file);
}

/**
 * The commented file for `cfg`. A key `cfg` does not set is written commented out (with the value
 * `defaults` gives it, when it gives one), so the file documents every key.
 */
export function renderAppConfig(cfg: AppConfig, defaults: AppConfig = {}): string {
  const lines = [
    "# dCERT node configuration, read by `dcertd start --home <this app home>`.",
    "# Every flag of `dcertd start` overrides the key it names. Reference: docs/config.md.",
  ];
  let section = "";
  for (const spec of APP_CONFIG_KEYS) {
    if (spec.section !== section) {
      section = spec.section;
      lines.push("", `[${section}]`);
    }
    lines.push("", ...spec.doc.map((d) => `# ${d}`));
    const value = cfg[spec.field] ?? defaults[spec.field];
    if (value === undefined) continue;
    const line = stringify({ [spec.key]: value }).trim();
    lines.push(cfg[spec.field] === undefined ? `# ${line}` : line);
  }
  return `${lines.join("\n")}\n`;
}

/** Writes `cfg` to `<appHome>/config/app.toml` (creating the directory); returns the file. */
export function writeAppConfig(appHome: string, cfg: AppConfig, defaults: AppConfig = {}): string {
  const file = appConfigPath(appHome);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderAppConfig(cfg, defaults));
  return file;
}

/**
 * Writes the settings a launcher (devnet, testnet) runs the node with over those already in the
 * file, so an operator's other keys stay; a file that does not parse is replaced.
 */
export function updateAppConfig(appHome: string, cfg: AppConfig, defaults: AppConfig = {}): string {
  let existing: AppConfig = {};
  try {
    existing = readAppConfig(appConfigPath(appHome)) ?? {};
  } catch (e) {
    if (!(e instanceof AppConfigError)) throw e;
  }
  return writeAppConfig(appHome, { ...existing, ...cfg }, defaults);
}
