/**
 * The `dcertd` command table and its flag parser. A command declares its flags once; the parser,
 * the per-command `--help` text and the unknown-flag errors all come from that declaration, so
 * adding a subcommand is one `Command` object plus one line in the table in `dcertd.ts`.
 */

/** A `--name value` flag (or `--name` alone when `boolean`). */
export interface FlagSpec {
  readonly name: string;
  readonly description: string;
  /** Shown in the help as `--name <valueName>`; omit for boolean flags. */
  readonly valueName?: string;
  readonly boolean?: boolean;
  readonly defaultText?: string;
}

/** Parsed flags: string values, `true` for boolean flags that were given. */
export type ParsedFlags = Readonly<Record<string, string | true>>;

export interface ParsedArgs {
  readonly flags: ParsedFlags;
  readonly positionals: readonly string[];
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Extra lines shown under the usage line of `dcertd <name> --help`. */
  readonly details?: readonly string[];
  readonly flags: readonly FlagSpec[];
  /** Positional argument names for the usage line, e.g. `["<name>"]`. */
  readonly positionals?: readonly string[];
  /** Returns the process exit code. */
  run(args: ParsedArgs): Promise<number>;
}

/** A mistake in how the command was called; printed with a pointer to `--help`. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Parses `argv` (the words after the command name) against `flags`. */
export function parseArgs(argv: readonly string[], flags: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map(flags.map((f) => [f.name, f]));
  const parsed: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith("--")) {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf("=");
    const name = eq === -1 ? word.slice(2) : word.slice(2, eq);
    const spec = byName.get(name);
    if (spec === undefined) throw new UsageError(`unknown flag --${name}`);
    if (spec.boolean === true) {
      if (eq !== -1) throw new UsageError(`flag --${name} takes no value`);
      parsed[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) {
      value = word.slice(eq + 1);
    } else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === "") throw new UsageError(`flag --${name} needs a value`);
    parsed[name] = value;
  }
  return { flags: parsed, positionals };
}

/** The string value of a flag, or `undefined` when it was not given. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === "string" ? v : undefined;
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

const HELP_FLAG: FlagSpec = { name: "help", boolean: true, description: "show this help" };

/** The `--help` text of one command. */
export function commandHelp(program: string, cmd: Command): string {
  const flags = [...cmd.flags, HELP_FLAG];
  const usage = [program, cmd.name, ...(cmd.positionals ?? []), flags.length > 1 ? "[flags]" : ""]
    .filter((s) => s !== "")
    .join(" ");
  const left = flags.map((f) => `  --${f.name}${f.valueName !== undefined ? ` <${f.valueName}>` : ""}`);
  const width = Math.max(...left.map((s) => s.length)) + 2;
  const lines = [`${cmd.summary}`, "", `Usage: ${usage}`];
  if (cmd.details !== undefined && cmd.details.length > 0) lines.push("", ...cmd.details);
  lines.push("", "Flags:");
  flags.forEach((f, i) => {
    const def = f.defaultText !== undefined ? ` (default ${f.defaultText})` : "";
    lines.push(`${(left[i] as string).padEnd(width)}${f.description}${def}`);
  });
  return lines.join("\n");
}

/** The top-level help listing every command. */
export function programHelp(program: string, commands: readonly Command[]): string {
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

/**
 * Runs the command named by `argv[0]` from `commands`. Prints help and usage errors itself and
 * returns the exit code; errors thrown by a command's `run` propagate to the caller.
 */
export async function runCli(program: string, commands: readonly Command[], argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const target = name === "help" && rest[0] !== undefined ? commands.find((c) => c.name === rest[0]) : undefined;
    console.log(target !== undefined ? commandHelp(program, target) : programHelp(program, commands));
    return name === undefined ? 1 : 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (cmd === undefined) {
    console.error(`${program}: unknown command "${name}"\n\n${programHelp(program, commands)}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(commandHelp(program, cmd));
    return 0;
  }
  let args: ParsedArgs;
  try {
    args = parseArgs(rest, cmd.flags);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${program} ${cmd.name}: ${e.message}\nRun "${program} ${cmd.name} --help" for usage.`);
      return 2;
    }
    throw e;
  }
  try {
    return await cmd.run(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${program} ${cmd.name}: ${e.message}\nRun "${program} ${cmd.name} --help" for usage.`);
      return 2;
    }
    throw e;
  }
}
