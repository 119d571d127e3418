/**
 * The `dcertd` command tree and its parser. The program is one tree: the table in `dcertd.ts`
 * lists its top-level nodes, each either a `Command` (a leaf: `dcertd start`) or a `CommandGroup`
 * (`dcertd tx`, whose `Leaf`s are named by the words after it: `tx dcert vote`). A node declares
 * its flags once; the parser (node:util `parseArgs`), the per-node `--help` text and the
 * unknown-flag errors all come from that declaration.
 *
 * `runCli` resolves the node, parses its flags, runs it, and maps every failure to the one format
 * of errors.ts: 0 on success, 2 for a command-line mistake (unknown command or flag, missing or bad
 * argument), 1 (or the error's own code) for anything else.
 */
import { parseArgs as nodeParseArgs } from "node:util";
import { CliError, reportError, UsageError, type ErrorDescriber } from "./errors";

export { CliError, UsageError, type ErrorDescriber } from "./errors";

/** A `--name value` flag (or `--name` alone when `boolean`). */
export interface FlagSpec {
  readonly name: string;
  readonly description: string;
  /** Shown in the help as `--name <valueName>`; omit for boolean flags. */
  readonly valueName?: string;
  readonly boolean?: boolean;
  readonly defaultText?: string;
  /** The flag may be repeated; its values are kept in order (read them with `listFlag`). */
  readonly multiple?: boolean;
}

/** Parsed flags: string values, `true` for boolean flags that were given. */
export type ParsedFlags = Readonly<Record<string, string | true>>;

export interface ParsedArgs {
  readonly flags: ParsedFlags;
  readonly positionals: readonly string[];
}

interface NodeBase {
  readonly name: string;
  readonly summary: string;
  /** Extra lines shown under the usage line of `dcertd <name> --help`. */
  readonly details?: readonly string[];
  /** The flags: a command's own; a group's, the union of its leaves' (for the group's help). */
  readonly flags: readonly FlagSpec[];
  /** Positional argument names for the usage line, e.g. `["<name>"]`. */
  readonly positionals?: readonly string[];
  /** Maps the errors of this node's libraries to what happened and what to do. */
  readonly describeError?: ErrorDescriber;
}

/** A top-level command without subcommands (`dcertd start`). */
export interface Command extends NodeBase {
  /** Whether SHORT_FLAGS (`-o json`, `-y`, `-a`) apply to its flags, as in the group leaves. */
  readonly shorts?: boolean;
  /** Returns the process exit code. */
  run(args: ParsedArgs): Promise<number>;
}

/** One leaf command of a group, named by `path` below it (`["dcert", "vote"]` below `tx`). */
export interface Leaf {
  readonly path: readonly string[];
  readonly summary: string;
  readonly details?: readonly string[];
  readonly positionals?: readonly string[];
  readonly flags: readonly FlagSpec[];
  run(args: ParsedArgs): Promise<number>;
}

/** A top-level command whose leaves are chosen by the words that follow its name (see cmdtree.ts). */
export interface CommandGroup extends NodeBase {
  readonly leaves: readonly Leaf[];
  /** Flags every leaf has; their help lists them as common flags. */
  readonly commonFlags?: readonly FlagSpec[];
}

export type CommandNode = Command | CommandGroup;

function isGroup(node: CommandNode): node is CommandGroup {
  return "leaves" in node;
}

/** Short flags of the group leaves: short letter → long flag name (when the leaf has that flag). */
export const SHORT_FLAGS: Readonly<Record<string, string>> = { o: "output", y: "yes", a: "address" };

const HELP_FLAG: FlagSpec = { name: "help", boolean: true, description: "show this help" };

/** What one pass over the words found; never throws (see `parseArgs` for the strict reading). */
interface Scan {
  readonly flags: Record<string, string | true>;
  readonly positionals: string[];
  readonly help: boolean;
  /** The first flag the node does not declare, as written (`--memo`, `-o`). */
  readonly unknown?: string;
  /** The first malformed flag (a missing value, a value for a boolean flag). */
  readonly problem?: string;
}

/**
 * Reads `argv` against `flags` with node:util `parseArgs` (its tokens: `--name value`,
 * `--name=value`, `-o value`, `-y`, `--` ending the flags). `shorts` enables SHORT_FLAGS.
 */
function scan(argv: readonly string[], flags: readonly FlagSpec[], shorts: boolean): Scan {
  const byName = new Map(flags.map((f) => [f.name, f]));
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const f of flags) options[f.name] = { type: f.boolean === true ? "boolean" : "string" };
  if (shorts) {
    for (const [short, long] of Object.entries(SHORT_FLAGS)) {
      const o = options[long];
      if (o !== undefined) o.short = short;
    }
  }
  if (!byName.has("help")) options["help"] = { type: "boolean", short: "h" };
  // strict: false, so that every problem is reported in dcertd's words (and an unknown flag does
  // not stop the words after it from being read: they name the subcommand).
  const { tokens } = nodeParseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const parsed: Record<string, string | true> = {};
  const positionals: string[] = [];
  let help = false;
  let unknown: string | undefined;
  let problem: string | undefined;
  for (const t of tokens) {
    if (t.kind === "positional") positionals.push(t.value);
    if (t.kind !== "option") continue;
    const spec = byName.get(t.name);
    if (spec === undefined) {
      if (t.name === "help") help = true;
      else unknown ??= t.rawName;
      continue;
    }
    if (spec.boolean === true) {
      if (t.inlineValue === true) problem ??= `flag ${t.rawName} takes no value`;
      else parsed[t.name] = true;
      continue;
    }
    if (t.value === undefined || t.value === "") problem ??= `flag ${t.rawName} needs a value`;
    else if (spec.multiple === true && typeof parsed[t.name] === "string") parsed[t.name] = `${parsed[t.name] as string}${LIST_SEPARATOR}${t.value}`;
    else parsed[t.name] = t.value;
  }
  return { flags: parsed, positionals, help, ...(unknown !== undefined ? { unknown } : {}), ...(problem !== undefined ? { problem } : {}) };
}

/** Parses `argv` (the words after the command name) against `flags`; a mistake is a UsageError. */
export function parseArgs(argv: readonly string[], flags: readonly FlagSpec[], opts: { shorts?: boolean } = {}): ParsedArgs {
  const s = scan(argv, flags, opts.shorts ?? false);
  if (s.unknown !== undefined) throw new UsageError(`unknown flag ${s.unknown}`);
  if (s.problem !== undefined) throw new UsageError(s.problem);
  return { flags: s.flags, positionals: s.positionals };
}

/** The string value of a flag, or `undefined` when it was not given. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === "string" ? v : undefined;
}

/** Joins the values of a repeated (`multiple`) flag inside ParsedFlags. */
const LIST_SEPARATOR = "\n";

/** Every value of a repeated flag, in order (empty when not given). */
export function listFlag(args: ParsedArgs, name: string): string[] {
  const v = stringFlag(args, name);
  return v === undefined ? [] : v.split(LIST_SEPARATOR);
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}

/** A TCP port flag (1–65535), or `undefined` when not given. */
export function portFlag(args: ParsedArgs, name: string): number | undefined {
  const v = stringFlag(args, name);
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(v)) throw new UsageError(`--${name} must be a port number, got "${v}"`);
  const port = Number(v);
  if (port < 1 || port > 65535) throw new UsageError(`--${name} must be between 1 and 65535, got ${port}`);
  return port;
}

interface HelpSpec {
  readonly name: string;
  readonly summary: string;
  readonly details?: readonly string[];
  readonly flags: readonly FlagSpec[];
  readonly positionals?: readonly string[];
  /** Names of flags listed under "Common flags:" instead of "Flags:". */
  readonly common?: ReadonlySet<string>;
  /** Whether SHORT_FLAGS apply (group leaves). */
  readonly shorts?: boolean;
}

function flagLeft(f: FlagSpec, shorts: boolean): string {
  const short = f.name === "help" ? "h" : shorts ? Object.entries(SHORT_FLAGS).find(([, long]) => long === f.name)?.[0] : undefined;
  return `  ${short !== undefined ? `-${short}, ` : ""}--${f.name}${f.valueName !== undefined ? ` <${f.valueName}>` : ""}`;
}

/** The `--help` text of one node. */
export function commandHelp(program: string, cmd: HelpSpec): string {
  const shorts = cmd.shorts ?? false;
  const all = [...cmd.flags, HELP_FLAG];
  const usage = [program, cmd.name, ...(cmd.positionals ?? []), all.length > 1 ? "[flags]" : ""].filter((s) => s !== "").join(" ");
  const width = Math.max(...all.map((f) => flagLeft(f, shorts).length)) + 2;
  const lines = [`${cmd.summary}`, "", `Usage: ${usage}`];
  if (cmd.details !== undefined && cmd.details.length > 0) lines.push("", ...cmd.details);
  const section = (title: string, flags: readonly FlagSpec[]): void => {
    if (flags.length === 0) return;
    lines.push("", title);
    for (const f of flags) {
      const def = f.defaultText !== undefined ? ` (default ${f.defaultText})` : "";
      lines.push(`${flagLeft(f, shorts).padEnd(width)}${f.description}${def}`);
    }
  };
  const common = cmd.common ?? new Set<string>();
  const inherited = cmd.flags.filter((f) => common.has(f.name));
  if (inherited.length === 0) {
    section("Flags:", all);
  } else {
    section("Flags:", cmd.flags.filter((f) => !common.has(f.name)));
    section("Common flags:", [...inherited, HELP_FLAG]);
  }
  return lines.join("\n");
}

/** The help of one leaf of a group: its usage, its own flags, then the group's common flags it has. */
export function leafHelp(program: string, group: CommandGroup, leaf: Leaf): string {
  return commandHelp(program, {
    name: `${group.name} ${leaf.path.join(" ")}`,
    summary: leaf.summary,
    flags: leaf.flags,
    shorts: true,
    common: new Set((group.commonFlags ?? []).map((f) => f.name)),
    ...(leaf.details !== undefined ? { details: leaf.details } : {}),
    ...(leaf.positionals !== undefined ? { positionals: leaf.positionals } : {}),
  });
}

/** The top-level help listing every command. */
export function programHelp(program: string, commands: readonly CommandNode[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 4;
  return [
    `${program}: the dCERT chain node and tools`,
    "",
    `Usage: ${program} <command> [flags]`,
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    `Run "${program} <command> --help" for the flags of a command.`,
  ].join("\n");
}

/** The leaf of `group` named by the first words, the longest path that matches. */
function findLeaf(group: CommandGroup, words: readonly string[]): Leaf | undefined {
  let leaf: Leaf | undefined;
  for (const l of group.leaves) {
    if (l.path.every((p, i) => words[i] === p) && (leaf === undefined || l.path.length > leaf.path.length)) leaf = l;
  }
  return leaf;
}

function unknownFlag(program: string, where: string, flag: string, what: string): CliError {
  return new CliError(`"${where}" has no flag ${flag}`, `run "${program} ${where} --help" for ${what}`, 2);
}

/** What `runCli` runs: the parsed arguments of one node, or a help text to print. */
type Resolved = { readonly help: string } | { readonly where: string; readonly run: () => Promise<number> };

function resolveCommand(program: string, cmd: Command, rest: readonly string[]): Resolved {
  const s = scan(rest, cmd.flags, cmd.shorts ?? false);
  if (s.help) return { help: commandHelp(program, { ...cmd, shorts: cmd.shorts ?? false }) };
  if (s.unknown !== undefined) throw unknownFlag(program, cmd.name, s.unknown, "its flags");
  if (s.problem !== undefined) throw new UsageError(s.problem);
  return { where: `${program} ${cmd.name}`, run: () => cmd.run({ flags: s.flags, positionals: s.positionals }) };
}

function resolveGroup(program: string, group: CommandGroup, rest: readonly string[]): Resolved {
  // First pass with every flag of the group: it finds the words that name the leaf.
  const first = scan(rest, group.flags, true);
  const leaf = findLeaf(group, first.positionals);
  if (leaf === undefined) {
    const words = first.positionals;
    // `tx --help` and `tx staking --help` list the commands; `tx nope --help` is an unknown command.
    const partial = group.leaves.some((l) => words.length < l.path.length && words.every((w, i) => l.path[i] === w));
    if (first.help && partial) return { help: commandHelp(program, group) };
    if (first.unknown !== undefined) throw unknownFlag(program, group.name, first.unknown, "its commands and flags");
    if (first.problem !== undefined) throw new UsageError(first.problem);
    const wanted = words.length === 0 ? "name a command" : `unknown command "${group.name} ${words.slice(0, 2).join(" ")}"`;
    throw new CliError(wanted, `run "${program} ${group.name} --help" to list the commands`, 2);
  }
  // Second pass with the leaf's own flags.
  const where = `${group.name} ${leaf.path.join(" ")}`;
  const s = scan(rest, leaf.flags, true);
  const positionals = s.positionals.slice(leaf.path.length);
  if (s.help || first.help || positionals[0] === "help") return { help: leafHelp(program, group, leaf) };
  if (s.unknown !== undefined) throw unknownFlag(program, where, s.unknown, "its flags");
  if (s.problem !== undefined) throw new UsageError(s.problem);
  return { where: `${program} ${where}`, run: () => leaf.run({ flags: s.flags, positionals }) };
}

/**
 * Runs the node of `commands` named by `argv` and returns the exit code (`--version` first runs
 * the `version` command). Prints help itself, and every error (a command-line mistake or a failure of the command) in the one format of errors.ts.
 */
export async function runCli(program: string, commands: readonly CommandNode[], argv: readonly string[]): Promise<number> {
  // `dcertd --version` is `dcertd version` (when the table has one), as in other CLIs.
  const words = argv[0] === "--version" && commands.some((c) => c.name === "version") ? ["version", ...argv.slice(1)] : argv;
  const [name, ...rest] = words;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const target = name === "help" && rest[0] !== undefined ? commands.find((c) => c.name === rest[0]) : undefined;
    console.log(target !== undefined ? commandHelp(program, target) : programHelp(program, commands));
    return name === undefined ? 1 : 0;
  }
  const cmd = commands.find((c) => c.name === name);
  let where = program;
  try {
    if (cmd === undefined) throw new CliError(`unknown command "${name}"`, `run "${program} --help" to list the commands`, 2);
    where = `${program} ${cmd.name}`;
    const r = isGroup(cmd) ? resolveGroup(program, cmd, rest) : resolveCommand(program, cmd, rest);
    if ("help" in r) {
      console.log(r.help);
      return 0;
    }
    where = r.where;
    return await r.run();
  } catch (e) {
    return reportError(e, cmd?.describeError, where);
  }
}
