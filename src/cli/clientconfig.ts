/**
 * The client config, `<client home>/config/client.toml` (`dcertd config get|set`): defaults for
 * the client commands' flags. Each setting resolves as the flag, else its environment variable
 * (`DCERTD_<KEY>`, e.g. DCERTD_CHAIN_ID; the node also $DCERT_NODE), else client.toml, else the
 * command's own default.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GasPrice } from "@cosmjs/stargate";
import { stringFlag, type ParsedArgs } from "./args";
import { CliError } from "./errors";
import { KEYRING_BACKENDS } from "./keyring";

type SmolToml = typeof import("smol-toml", { with: { "resolution-mode": "import" } });
// smol-toml's types describe its ESM build; its CommonJS build ("require" export) is what loads here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse, stringify, TomlError } = require("smol-toml") as SmolToml;

export const HOME_ENV = "DCERTD_HOME";

/** The client home: --home, else $DCERTD_HOME, else ~/.dcertd. */
export function resolveHome(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): string {
  const flag = stringFlag(args, "home");
  if (flag !== undefined) return path.resolve(flag);
  const fromEnv = env[HOME_ENV];
  if (fromEnv !== undefined && fromEnv !== "") return path.resolve(fromEnv);
  return path.join(os.homedir(), ".dcertd");
}

interface ClientKeySpec {
  readonly key: string;
  /** What a valid value looks like (error messages, help). */
  readonly expected: string;
  readonly valid: (v: string) => boolean;
  /** The value the commands use when nothing sets it. */
  readonly defaultValue: string;
  readonly description: string;
}

const positiveInt = (v: string): boolean => /^[0-9]+$/.test(v) && Number(v) > 0 && Number.isSafeInteger(Number(v));

/** Every client.toml key, in the order the file is written. */
export const CLIENT_CONFIG_KEYS: readonly ClientKeySpec[] = [
  {
    key: "node",
    expected: "a URL like http://127.0.0.1:26657 (or tcp://host:port)",
    valid: (v) => /^https?:\/\/[^\s/]+(\/.*)?$/.test(v.replace(/^tcp:\/\//, "http://")),
    defaultValue: "http://127.0.0.1:26657",
    description: "CometBFT RPC endpoint (--node)",
  },
  {
    key: "chain-id",
    expected: "a chain id like dcert-devnet-1 (letters, digits, . _ -)",
    valid: (v) => /^[A-Za-z0-9._-]{1,50}$/.test(v),
    defaultValue: "",
    description: "the chain id transactions are signed for (--chain-id; empty: the node's)",
  },
  { key: "output", expected: "text or json", valid: (v) => v === "text" || v === "json", defaultValue: "text", description: "output format (-o, --output)" },
  {
    key: "keyring-backend",
    expected: KEYRING_BACKENDS.join(" or "),
    valid: (v) => (KEYRING_BACKENDS as readonly string[]).includes(v),
    defaultValue: "file",
    description: "where keys live (--keyring-backend)",
  },
  {
    key: "broadcast-mode",
    expected: "sync, async or block (block: wait for the block, dcertd's default)",
    valid: (v) => v === "sync" || v === "async" || v === "block",
    defaultValue: "block",
    description: "how transactions are broadcast (--broadcast-mode)",
  },
  { key: "gas", expected: "auto or a positive integer", valid: (v) => v === "auto" || positiveInt(v), defaultValue: "auto", description: "gas limit (--gas)" },
  {
    key: "gas-prices",
    expected: "a gas price like 0.025udcert",
    valid: (v) => {
      try {
        GasPrice.fromString(v);
        return true;
      } catch {
        return false;
      }
    },
    defaultValue: "0.025udcert",
    description: "price of a unit of gas (--gas-prices)",
  },
  {
    key: "gas-adjustment",
    expected: "a number ≥ 1, like 1.4",
    valid: (v) => /^[0-9]+(\.[0-9]+)?$/.test(v) && Number(v) >= 1,
    defaultValue: "1.4",
    description: "multiplier of the simulated gas with --gas auto (--gas-adjustment)",
  },
];

export type ClientConfigKey = "node" | "chain-id" | "output" | "keyring-backend" | "broadcast-mode" | "gas" | "gas-prices" | "gas-adjustment";

/** The keys' settings as read from client.toml (only those it sets). */
export type ClientConfig = Partial<Record<ClientConfigKey, string>>;

export function clientKeySpec(key: string): ClientKeySpec | undefined {
  return CLIENT_CONFIG_KEYS.find((k) => k.key === key);
}

const KNOWN = (): string => CLIENT_CONFIG_KEYS.map((k) => k.key).join(", ");

/** `<home>/config/client.toml`. */
export function clientConfigPath(home: string): string {
  return path.join(home, "config", "client.toml");
}

/** The environment variable of a key: DCERTD_CHAIN_ID for chain-id. */
export function envName(key: ClientConfigKey): string {
  return `DCERTD_${key.toUpperCase().replace(/-/g, "_")}`;
}

/** Older variables still read (after the DCERTD_ one). */
const LEGACY_ENV: Partial<Record<ClientConfigKey, string>> = { node: "DCERT_NODE" };

/** Reads client.toml strictly: {} when it does not exist; an unknown key or a bad value is a CliError naming both. */
export function readClientConfig(file: string): ClientConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new CliError(`cannot read ${file} (${e instanceof Error ? e.message : String(e)})`, "check its permissions");
  }
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) throw new CliError(`${file} is not valid TOML at line ${e.line}, column ${e.column}`, `fix it, or set values with "dcertd config set <key> <value>"`, 2);
    throw e;
  }
  const out: ClientConfig = {};
  for (const key of Object.keys(doc).sort()) {
    const spec = clientKeySpec(key);
    if (spec === undefined) throw new CliError(`${file}: unknown key "${key}"; the keys are ${KNOWN()}`, "remove or rename it", 2);
    const raw = doc[key];
    const value = typeof raw === "number" ? String(raw) : raw;
    if (typeof value !== "string" || (value !== "" && !spec.valid(value))) {
      throw new CliError(`${file}: ${key} must be ${spec.expected}, got ${JSON.stringify(raw) ?? String(raw)}`, `fix it with "dcertd config set ${key} <value>"`, 2);
    }
    if (value !== "") out[key as ClientConfigKey] = value;
  }
  return out;
}

/** Writes client.toml with `cfg` (keys in schema order). */
export function writeClientConfig(file: string, cfg: ClientConfig): void {
  const ordered: Record<string, string> = {};
  for (const k of CLIENT_CONFIG_KEYS) {
    const v = cfg[k.key as ClientConfigKey];
    if (v !== undefined) ordered[k.key] = v;
  }
  const header = [
    "# dcertd client settings: defaults for the client commands' flags (dcertd config get|set).",
    "# A flag, then its DCERTD_<KEY> environment variable, win over this file. See docs/config.md.",
    "",
  ].join("\n");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${header}${stringify(ordered)}\n`);
}

export type SettingSource = "flag" | "env" | "client.toml" | "default";

/**
 * A client setting: the flag named like the key, else its environment variable, else client.toml
 * (of the client home), else undefined (the command's own default applies).
 */
export function clientSetting(args: ParsedArgs, key: ClientConfigKey, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return clientSettingWithSource(args, key, env)?.value;
}

export function clientSettingWithSource(args: ParsedArgs, key: ClientConfigKey, env: NodeJS.ProcessEnv = process.env): { value: string; source: SettingSource } | undefined {
  const flag = stringFlag(args, key);
  if (flag !== undefined) return { value: flag, source: "flag" };
  for (const name of [envName(key), LEGACY_ENV[key]]) {
    const v = name === undefined ? undefined : env[name];
    if (v !== undefined && v !== "") return { value: v, source: "env" };
  }
  const fromFile = readClientConfig(clientConfigPath(resolveHome(args, env)))[key];
  return fromFile === undefined ? undefined : { value: fromFile, source: "client.toml" };
}
