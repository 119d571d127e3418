/**
 * `dcertd config [get KEY | set KEY VALUE]`: the client settings in <client home>/config/client.toml
 * (clientconfig.ts), which every client command reads as the default under its flag.
 */
import { UsageError, type Command } from "./args";
import {
  CLIENT_CONFIG_KEYS,
  clientConfigPath,
  clientKeySpec,
  envName,
  readClientConfig,
  resolveHome,
  writeClientConfig,
  type ClientConfigKey,
} from "./clientconfig";
import { HOME_FLAG } from "./clientenv";
import { CliError } from "./errors";
import { emit, OUTPUT_FLAG, type Json } from "./output";

function keyOf(name: string | undefined): ClientConfigKey {
  if (name === undefined) throw new UsageError("name a key");
  if (clientKeySpec(name) === undefined) {
    throw new CliError(`unknown client setting "${name}"; the keys are ${CLIENT_CONFIG_KEYS.map((k) => k.key).join(", ")}`, `run "dcertd config" to see them all`, 2);
  }
  return name as ClientConfigKey;
}

async function runConfig(args: Parameters<Command["run"]>[0]): Promise<number> {
  const file = clientConfigPath(resolveHome(args));
  const [verb, name, value, ...extra] = args.positionals;
  const cfg = readClientConfig(file);
  if (verb === undefined) {
    const rows = CLIENT_CONFIG_KEYS.map((k) => {
      const set = cfg[k.key as ClientConfigKey];
      return { key: k.key, value: set ?? k.defaultValue, source: set === undefined ? "default" : "client.toml" };
    });
    const json: Json = Object.fromEntries(rows.map((r) => [r.key, r.value]));
    emit(args, json, rows);
    return 0;
  }
  if (verb === "get") {
    if (value !== undefined) throw new UsageError("give exactly: get <key>");
    const key = keyOf(name);
    const v = cfg[key] ?? clientKeySpec(key)?.defaultValue ?? "";
    emit(args, { [key]: v }, v);
    return 0;
  }
  if (verb === "set") {
    if (value === undefined || extra.length > 0) throw new UsageError("give exactly: set <key> <value> (\"\" clears it)");
    const key = keyOf(name);
    const spec = clientKeySpec(key);
    if (spec !== undefined && value !== "" && !spec.valid(value)) {
      throw new CliError(`${key} must be ${spec.expected}, got "${value}"`, "give a valid value", 2);
    }
    const next = { ...cfg };
    if (value === "") delete next[key];
    else next[key] = value;
    writeClientConfig(file, next);
    emit(args, { key, value, file }, value === "" ? `cleared ${key} in ${file}` : `set ${key} = ${value} in ${file}`);
    return 0;
  }
  throw new CliError(`unknown config command "${verb}"`, `use "dcertd config", "dcertd config get <key>" or "dcertd config set <key> <value>"`, 2);
}

export const configCommand: Command = {
  name: "config",
  summary: "show, get or set the client settings (<client home>/config/client.toml)",
  positionals: ["[get <key> | set <key> <value>]"],
  details: [
    "Keys: " + CLIENT_CONFIG_KEYS.map((k) => k.key).join(", ") + ".",
    ...CLIENT_CONFIG_KEYS.map((k) => `  ${k.key.padEnd(16)}${k.description}; ${k.expected} (env ${envName(k.key as ClientConfigKey)})`),
    "Every client command reads them as the default under its flag: the flag wins, then the environment",
    "variable, then client.toml, then the built-in default. `set <key> \"\"` clears a key. See docs/config.md.",
  ],
  shorts: true,
  flags: [HOME_FLAG, OUTPUT_FLAG],
  run: runConfig,
};
