/**
 * Everything `dcertd` needs to know about the CometBFT binary and its home directory: finding (or
 * installing) the pinned v0.38 binary, `cometbft init`, and editing `config.toml` and
 * `genesis.json` in place.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** An error whose message tells the user what to do; the CLI prints it without a stack. */
export class DevnetError extends Error {
  override readonly name = "DevnetError";
}

/** The CometBFT line the app speaks (ABCI 2.0). */
export const COMETBFT_VERSION_LINE = "0.38.";

function cometbftVersion(bin: string): string | undefined {
  try {
    return execFileSync(bin, ["version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 20_000 }).trim();
  } catch {
    return undefined;
  }
}

/**
 * The path of a CometBFT v0.38 binary: `$COMETBFT_BIN` when set, otherwise whatever
 * `scripts/install-cometbft.sh` reports (it installs the pinned version with Go on first use and
 * prints its progress to stderr).
 */
export function resolveCometbft(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env["COMETBFT_BIN"];
  if (fromEnv !== undefined && fromEnv !== "") {
    const version = cometbftVersion(fromEnv);
    if (version === undefined) {
      throw new DevnetError(
        `COMETBFT_BIN=${fromEnv} is not a runnable cometbft binary. ` +
          `Unset it to let dcertd install CometBFT, or run: bash scripts/install-cometbft.sh`,
      );
    }
    if (!version.startsWith(COMETBFT_VERSION_LINE)) {
      throw new DevnetError(
        `COMETBFT_BIN=${fromEnv} is CometBFT ${version}, but the dCERT app needs v0.38.x. ` +
          `Unset COMETBFT_BIN or run: bash scripts/install-cometbft.sh`,
      );
    }
    return fromEnv;
  }
  const script = path.join(repoRoot, "scripts", "install-cometbft.sh");
  const res = spawnSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], cwd: repoRoot });
  const lines = (res.stdout ?? "").trim().split("\n");
  const bin = lines[lines.length - 1]?.trim() ?? "";
  if (res.status !== 0 || bin === "" || cometbftVersion(bin) === undefined) {
    throw new DevnetError(
      "CometBFT v0.38 is not installed and could not be installed. It is built with Go: install Go " +
        "(https://go.dev/dl/), then run: bash scripts/install-cometbft.sh " +
        "(or set COMETBFT_BIN to the path of a cometbft v0.38 binary).",
    );
  }
  return bin;
}

/**
 * Runs `cometbft init` for a fresh CometBFT home (keys, genesis and config). Its `db_backend` is
 * CometBFT's default, goleveldb: pebbledb costs CometBFT less CPU per tx on a node with history
 * but lengthened blocks under a query flood (docs/benchmarks.md, round 19); an operator may set it
 * before the home's first start, with a binary built with the tag.
 */
export function cometbftInit(bin: string, cometHome: string): void {
  try {
    execFileSync(bin, ["init", "--home", cometHome], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new DevnetError(`"cometbft init --home ${cometHome}" failed: ${detail}`);
  }
}

/** CometBFT's config.toml in a CometBFT home. */
export function cometConfigFile(cometHome: string): string {
  return path.join(cometHome, "config", "config.toml");
}

// ---------------------------------------------------------------------------------------------
// Database backends: goleveldb is in every CometBFT binary; the others need a Go build tag.

/** The `db_backend` values that need a Go build tag of the same name (cometbft-db v0.14). */
const TAGGED_DB_BACKENDS: ReadonlySet<string> = new Set(["pebbledb", "rocksdb", "cleveldb", "badgerdb", "boltdb"]);

/** Where Go's embedded build information lists the tags (`go version -m` prints the same line). */
const TAGS_LINE = Buffer.from("\nbuild\t-tags=", "latin1");

/**
 * The Go build tags recorded in a binary's embedded build information; none when it records
 * none (or is not a Go binary).
 */
export function buildTagsOf(binary: Uint8Array): string[] {
  const bytes = Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength);
  const at = bytes.indexOf(TAGS_LINE);
  if (at === -1) return [];
  const start = at + TAGS_LINE.length;
  const end = bytes.indexOf(0x0a, start);
  if (end === -1) return [];
  return bytes
    .toString("latin1", start, end)
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

const tagsByBinary = new Map<string, { readonly stamp: string; readonly tags: readonly string[] }>();

/** `buildTagsOf` for the binary at `bin`, read once per version of the file. */
export function cometbftBuildTags(bin: string): readonly string[] {
  const st = fs.statSync(bin);
  const stamp = `${st.size}:${st.mtimeMs}`;
  const known = tagsByBinary.get(bin);
  if (known?.stamp === stamp) return known.tags;
  const tags = buildTagsOf(fs.readFileSync(bin));
  tagsByBinary.set(bin, { stamp, tags });
  return tags;
}

/**
 * Why `bin` cannot open the stores of `cometHome` (its config's `db_backend` needs a build tag
 * the binary lacks), or undefined when it can.
 */
export function dbBackendMismatch(bin: string, cometHome: string): string | undefined {
  const file = cometConfigFile(cometHome);
  if (!fs.existsSync(file)) return undefined;
  const backend = getTomlValue(fs.readFileSync(file, "utf8"), "", "db_backend");
  if (backend === undefined || !TAGGED_DB_BACKENDS.has(backend)) return undefined;
  if (cometbftBuildTags(bin).includes(backend)) return undefined;
  return (
    `${cometHome} keeps CometBFT's stores in ${backend} (db_backend in config/config.toml), and ${bin} is built without the "${backend}" tag. ` +
    `Install one that has it: COMETBFT_BUILD_TAGS=${backend} bash scripts/install-cometbft.sh (or set COMETBFT_BIN to such a binary)`
  );
}

/** The validator's ed25519 consensus public key (base64) from `config/priv_validator_key.json`. */
export function readValidatorPubkey(cometHome: string): string {
  const file = path.join(cometHome, "config", "priv_validator_key.json");
  const key = JSON.parse(fs.readFileSync(file, "utf8")) as { pub_key?: { type?: string; value?: string } };
  if (key.pub_key?.type !== "tendermint/PubKeyEd25519" || typeof key.pub_key.value !== "string") {
    throw new DevnetError(`${file} does not hold an ed25519 validator key`);
  }
  return key.pub_key.value;
}

// ---------------------------------------------------------------------------------------------
// config.toml: a minimal section-aware editor for the flat `key = value` lines CometBFT writes.

/** A TOML value as it appears in the file: strings are quoted, numbers and booleans are bare, arrays of strings inline. */
export type TomlValue = string | number | boolean | readonly string[];

function encodeToml(v: TomlValue): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "object") return `[${v.map((s) => JSON.stringify(s)).join(", ")}]`;
  return String(v);
}

function sectionRange(lines: readonly string[], section: string): [number, number] | undefined {
  let start = section === "" ? 0 : -1;
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(lines[i] as string);
    if (header === null) continue;
    if (start !== -1) return [start, i];
    if (header[1] === section) start = i + 1;
  }
  return start === -1 ? undefined : [start, lines.length];
}

function keyLine(lines: readonly string[], range: [number, number], key: string): number {
  const re = new RegExp(`^\\s*${key.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")}\\s*=`);
  for (let i = range[0]; i < range[1]; i++) if (re.test(lines[i] as string)) return i;
  return -1;
}

/**
 * Returns `text` with `key` in `[section]` (or the top level when `section` is "") set to
 * `value`; the key is added at the start of the section when missing.
 */
export function setTomlValue(text: string, section: string, key: string, value: TomlValue): string {
  const lines = text.split("\n");
  const range = sectionRange(lines, section);
  if (range === undefined) {
    lines.push("", `[${section}]`, `${key} = ${encodeToml(value)}`);
    return lines.join("\n");
  }
  const at = keyLine(lines, range, key);
  if (at === -1) lines.splice(range[0], 0, `${key} = ${encodeToml(value)}`);
  else lines[at] = `${key} = ${encodeToml(value)}`;
  return lines.join("\n");
}

/** The raw value of `key` in `[section]` (quotes removed from strings), or `undefined`. */
export function getTomlValue(text: string, section: string, key: string): string | undefined {
  const lines = text.split("\n");
  const range = sectionRange(lines, section);
  if (range === undefined) return undefined;
  const at = keyLine(lines, range, key);
  if (at === -1) return undefined;
  const raw = (lines[at] as string).slice((lines[at] as string).indexOf("=") + 1).trim();
  const quoted = /^"(.*)"$/.exec(raw);
  return quoted !== null ? (quoted[1] as string) : raw;
}

/** Applies `settings` (section → key → value) to a config.toml file. */
export function editToml(file: string, settings: Readonly<Record<string, Readonly<Record<string, TomlValue>>>>): void {
  let text = fs.readFileSync(file, "utf8");
  for (const [section, kv] of Object.entries(settings)) {
    for (const [key, value] of Object.entries(kv)) text = setTomlValue(text, section, key, value);
  }
  fs.writeFileSync(file, text);
}

/** The port of a `tcp://host:port` address, or `undefined`. */
export function portOfAddress(addr: string | undefined): number | undefined {
  if (addr === undefined) return undefined;
  const m = /:(\d+)$/.exec(addr);
  return m === null ? undefined : Number(m[1]);
}
