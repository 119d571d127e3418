/**
 * The node's logger (docs/logging.md): pino underneath, one logger per module, each with its own
 * level (`--log_level info,abci:debug,x/dcert:warn`), written as JSON lines or as plain
 * human-readable lines (`--log_format json|plain`). Secrets never reach the output: values under
 * the known secret keys are replaced by pino's redaction, and any string that holds a BIP-39
 * mnemonic (a run of 12 or more words of the English list) has the phrase replaced.
 */
import { EnglishMnemonic } from "@cosmjs/crypto";
import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";
import { LOG_LEVELS, type Log, type LogFields, type LogLevel } from "../baseapp/log";

/** A level setting: one of the levels, or "silent" (nothing). */
export type LevelSetting = LogLevel | "silent";

/** Output formats: one JSON object per line, or a line a person reads. */
export const LOG_FORMATS = ["plain", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const DEFAULT_LOG_LEVEL: LevelSetting = "info";
export const DEFAULT_LOG_FORMAT: LogFormat = "plain";

/** `--log_level`, parsed: the default level and the levels of named modules. */
export interface LevelSpec {
  readonly level: LevelSetting;
  /** Module name → level, e.g. "abci" → "debug". A module also covers its sub-modules ("x" covers "x/dcert"). */
  readonly modules: ReadonlyMap<string, LevelSetting>;
}

const LEVEL_SETTINGS: readonly string[] = [...LOG_LEVELS, "silent"];
const MODULE_NAME = /^[a-z0-9][a-z0-9_.-]*(\/[a-z0-9][a-z0-9_.-]*)*$/;

function levelSetting(text: string, where: string): LevelSetting {
  if (!LEVEL_SETTINGS.includes(text)) {
    throw new Error(`${where}: "${text}" is not a log level (one of ${LEVEL_SETTINGS.join(", ")})`);
  }
  return text as LevelSetting;
}

/**
 * Parses a level setting: comma-separated items, each a level (the default; at most one) or
 * `module:level`. Throws an Error saying what is wrong, e.g. `info,abci:debug,x/dcert:warn`.
 */
export function parseLogLevel(spec: string): LevelSpec {
  const example = "e.g. info or info,abci:debug,x/dcert:warn";
  if (spec.trim() === "") throw new Error(`the log level is empty (${example})`);
  let level: LevelSetting | undefined;
  const modules = new Map<string, LevelSetting>();
  for (const raw of spec.split(",")) {
    const item = raw.trim();
    const colon = item.lastIndexOf(":");
    if (colon < 0) {
      if (level !== undefined) throw new Error(`the log level "${spec}" names two default levels (${example})`);
      level = levelSetting(item, `log level "${spec}"`);
      continue;
    }
    const module = item.slice(0, colon);
    if (!MODULE_NAME.test(module)) {
      throw new Error(`log level "${spec}": "${module}" is not a module name (lower case, e.g. abci, node, x/dcert)`);
    }
    if (modules.has(module)) throw new Error(`log level "${spec}" sets module "${module}" twice`);
    modules.set(module, levelSetting(item.slice(colon + 1), `log level "${spec}", module ${module}`));
  }
  return { level: level ?? DEFAULT_LOG_LEVEL, modules };
}

/** The setting's text form (the inverse of parseLogLevel, modules in name order). */
export function formatLogLevel(spec: LevelSpec): string {
  const names = [...spec.modules.keys()].sort();
  return [spec.level, ...names.map((m) => `${m}:${spec.modules.get(m) ?? spec.level}`)].join(",");
}

/** The level of `module` under `spec`: its own, else its nearest parent's ("x" for "x/dcert"), else the default. */
export function levelOf(spec: LevelSpec, module: string): LevelSetting {
  for (let m = module; ; ) {
    const l = spec.modules.get(m);
    if (l !== undefined) return l;
    const slash = m.lastIndexOf("/");
    if (slash < 0) return spec.level;
    m = m.slice(0, slash);
  }
}

export function parseLogFormat(text: string): LogFormat {
  if (!(LOG_FORMATS as readonly string[]).includes(text)) throw new Error(`the log format must be json or plain, got "${text}"`);
  return text as LogFormat;
}

/** Field names whose values are secrets; pino replaces them at any of the first three depths. */
export const SECRET_KEYS = [
  "mnemonic",
  "seed",
  "privateKey",
  "private_key",
  "privkey",
  "priv_key",
  "privKey",
  "secret",
  "password",
  "passphrase",
] as const;

export const REDACTED = "[REDACTED]";

const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

let wordSet: ReadonlySet<string> | undefined;
function bip39Words(): ReadonlySet<string> {
  wordSet ??= new Set(EnglishMnemonic.wordlist);
  return wordSet;
}

/** Shortest BIP-39 mnemonic. */
const MNEMONIC_MIN_WORDS = 12;

/** A token's word: the token without the punctuation around it (`"abandon,` → `abandon`). */
const core = (token: string): string => token.replace(/^[^a-z]+|[^a-z]+$/g, "");

/** `text` with every run of 12 or more BIP-39 words (a mnemonic, or most of one) replaced. */
export function scrubMnemonics(text: string): string {
  const words = bip39Words();
  const tokens = text.split(/(\s+)/);
  // tokens alternate word, separator, word, …
  let out = "";
  let i = 0;
  while (i < tokens.length) {
    let j = i;
    let n = 0;
    while (j < tokens.length && words.has(core(tokens[j] ?? ""))) {
      n++;
      j += 2;
    }
    if (n >= MNEMONIC_MIN_WORDS) {
      const first = tokens[i] ?? "";
      const last = tokens[j - 2] ?? "";
      out += `${/^[^a-z]*/.exec(first)?.[0] ?? ""}[REDACTED mnemonic]${/[^a-z]*$/.exec(last)?.[0] ?? ""}`;
      i = j - 1; // the separator after the last word (if any)
      continue;
    }
    out += tokens[i] ?? "";
    i++;
  }
  return out;
}

/** A field value as the output shows it: bigint as a number (or a string when too large), bytes as hex, strings scrubbed. */
function clean(v: unknown, depth: number): unknown {
  if (typeof v === "string") return scrubMnemonics(v);
  if (typeof v === "bigint") return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("hex").toUpperCase();
  if (v instanceof Error) return { type: v.name, message: scrubMnemonics(v.message), ...(v.stack === undefined ? {} : { stack: scrubMnemonics(v.stack) }) };
  if (typeof v !== "object" || v === null) return v;
  if (depth >= 6) return "[…]";
  if (Array.isArray(v)) return v.map((x) => clean(x, depth + 1));
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) o[k] = clean(x, depth + 1);
  return o;
}

const PLAIN_LEVEL: Readonly<Record<string, string>> = { trace: "TRC", debug: "DBG", info: "INF", warn: "WRN", error: "ERR", fatal: "FTL" };

function plainValue(v: unknown): string {
  if (typeof v === "string") return /[\s"=]/.test(v) || v === "" ? JSON.stringify(v) : v;
  if (typeof v === "object" && v !== null && "message" in v && "type" in v) return JSON.stringify((v as { message: unknown }).message);
  return JSON.stringify(v);
}

/** One JSON line (pino's output) as a plain line: `time LVL [module] msg key=value …`. */
export function plainLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith("\n") ? json : `${json}\n`;
  }
  const { time, level, module, msg, ...rest } = o;
  const lvl = PLAIN_LEVEL[String(level)] ?? String(level).toUpperCase();
  const mod = typeof module === "string" ? ` [${module}]` : "";
  const extra = Object.entries(rest)
    .map(([k, v]) => ` ${k}=${plainValue(v)}`)
    .join("");
  return `${String(time)} ${lvl}${mod} ${String(msg)}${extra}\n`;
}

export interface NodeLoggerOptions {
  /** The level setting (text as for --log_level, or parsed). Default "info". */
  readonly level?: string | LevelSpec;
  /** Default "plain". */
  readonly format?: LogFormat;
  /** Where lines go; default stdout, written synchronously (lines before an exit are not lost). */
  readonly write?: (chunk: string) => void;
  /** The time field's value (tests pass a fixed one); default the ISO 8601 time of the call. */
  readonly time?: () => string;
}

/** The node's logger: a Log whose `child(module)` has the module's own level. */
export interface NodeLogger extends Log {
  readonly spec: LevelSpec;
  readonly format: LogFormat;
}

function wrap(p: PinoLogger, spec: LevelSpec, format: LogFormat, root: PinoLogger, module: string | undefined): NodeLogger {
  const at =
    (level: LogLevel) =>
    (msg: string, fields?: LogFields): void => {
      if (!p.isLevelEnabled(level)) return;
      if (fields === undefined) p[level](scrubMnemonics(msg));
      else p[level](clean(fields, 0) as object, scrubMnemonics(msg));
    };
  const children = new Map<string, NodeLogger>();
  return {
    spec,
    format,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child(m: string): NodeLogger {
      if (m === module) return this;
      let c = children.get(m);
      if (c === undefined) {
        c = wrap(root.child({ module: m }, { level: levelOf(spec, m) }), spec, format, root, m);
        children.set(m, c);
      }
      return c;
    },
  };
}

/** Builds the node's logger (pino). Throws an Error when the level setting is not valid. */
export function createNodeLogger(opts: NodeLoggerOptions = {}): NodeLogger {
  const spec = typeof opts.level === "string" ? parseLogLevel(opts.level) : (opts.level ?? parseLogLevel(DEFAULT_LOG_LEVEL));
  const format = opts.format ?? DEFAULT_LOG_FORMAT;
  const sink: DestinationStream =
    opts.write === undefined ? pino.destination({ dest: 1, sync: true }) : { write: opts.write };
  const out: DestinationStream = format === "json" ? sink : { write: (line: string) => sink.write(plainLine(line)) };
  const time = opts.time;
  const root = pino(
    {
      level: spec.level,
      base: null,
      timestamp: time === undefined ? pino.stdTimeFunctions.isoTime : () => `,"time":${JSON.stringify(time())}`,
      formatters: { level: (label) => ({ level: label }) },
      // Errors are already plain objects ({type, message, stack}, scrubbed) when they reach pino.
      serializers: { err: (e: unknown) => e },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
    },
    out,
  );
  return wrap(root, spec, format, root, undefined);
}

/**
 * The node's logger from its settings' text (`--log_level`, `--log_format`, or the config file's
 * log_level / log_format); absent ones take the defaults. Throws an Error naming the bad setting.
 */
export function loggerFromSettings(s: { readonly level?: string | undefined; readonly format?: string | undefined }, write?: (chunk: string) => void): NodeLogger {
  return createNodeLogger({
    level: s.level ?? DEFAULT_LOG_LEVEL,
    format: parseLogFormat(s.format ?? DEFAULT_LOG_FORMAT),
    ...(write === undefined ? {} : { write }),
  });
}
