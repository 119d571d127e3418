/**
 * Nested client commands (`dcertd keys add`, `dcertd tx dcert vote`, `dcertd q bank balances`) on
 * top of the flat command table of args.ts, in the Cosmos CLI convention:
 *
 * - a tree is one `Command` in the table; its leaves are named by the words after it;
 * - the table's parser sees the union of the leaves' flags, and the tree then refuses any flag the
 *   chosen leaf does not declare;
 * - short flags `-o <format>`, `-y` and `-a` reach the tree as plain words and are mapped to
 *   `--output`, `--yes` and `--address` here;
 * - `dcertd <tree> --help` lists every leaf with its usage and flags; `dcertd <tree> <leaf…> help`
 *   prints one leaf's help;
 * - every failure prints `error: <what happened>; <what to do>` on stderr and exits non-zero
 *   (2 for a mistake in the command line, 1 otherwise), never a stack trace.
 */
import { commandHelp, UsageError, type Command, type FlagSpec, type ParsedArgs } from "./args";

/** A failure with what happened and what to do about it. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    readonly what: string,
    readonly todo: string,
    readonly exitCode = 1,
  ) {
    super(`${what}; ${todo}`);
  }
}

/** One leaf command, named by `path` below its tree. */
export interface Leaf {
  readonly path: readonly string[];
  readonly summary: string;
  readonly details?: readonly string[];
  readonly positionals?: readonly string[];
  readonly flags: readonly FlagSpec[];
  run(args: ParsedArgs): Promise<number>;
}

/** Short flags understood by every tree: word → long flag name. */
export const SHORT_FLAGS: Readonly<Record<string, string>> = { "-o": "output", "-y": "yes", "-a": "address" };

/** Turns an error of any kind into the message printed after `error: `. */
export type ErrorDescriber = (e: unknown) => CliError | undefined;

function describeFallback(e: unknown): CliError {
  const msg = e instanceof Error ? e.message : String(e);
  return new CliError(msg.replace(/\s+$/, ""), "if the message does not say how to fix it, run again with DCERT_DEBUG=1 and report the output");
}

/** Prints `error: …; …` for `e` and returns the exit code. */
export function reportError(e: unknown, describe: ErrorDescriber = () => undefined): number {
  const err = e instanceof CliError ? e : (describe(e) ?? describeFallback(e));
  console.error(`error: ${err.what}; ${err.todo}`);
  if (process.env["DCERT_DEBUG"] === "1" && e instanceof Error && e.stack !== undefined) console.error(e.stack);
  return err.exitCode;
}

/** Moves short flags from the positionals into the flags (`-o json` → output=json). */
export function expandShortFlags(args: ParsedArgs, known: readonly FlagSpec[]): ParsedArgs {
  const flags: Record<string, string | true> = { ...args.flags };
  const positionals: string[] = [];
  const words = args.positionals;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const long = SHORT_FLAGS[w];
    const spec = long === undefined ? undefined : known.find((f) => f.name === long);
    if (long === undefined || spec === undefined) {
      positionals.push(w);
      continue;
    }
    if (spec.boolean === true) {
      flags[long] = true;
      continue;
    }
    const value = words[i + 1];
    if (value === undefined || value === "") throw new UsageError(`flag ${w} needs a value`);
    flags[long] = value;
    i++;
  }
  return { flags, positionals };
}

function unionFlags(tree: string, leaves: readonly Leaf[]): FlagSpec[] {
  const out: FlagSpec[] = [];
  for (const leaf of leaves) {
    for (const f of leaf.flags) {
      const seen = out.find((x) => x.name === f.name);
      if (seen === undefined) out.push(f);
      else if ((seen.boolean ?? false) !== (f.boolean ?? false)) throw new Error(`--${f.name} is boolean in one ${tree} command but not in another`);
    }
  }
  return out;
}

function usage(leaf: Leaf): string {
  return [...leaf.path, ...(leaf.positionals ?? [])].join(" ");
}

/** The help of one leaf, as `dcertd <tree> <leaf…> help` prints it. */
export function leafHelp(program: string, tree: string, leaf: Leaf): string {
  const cmd: Command = {
    name: `${tree} ${leaf.path.join(" ")}`,
    summary: leaf.summary,
    flags: leaf.flags,
    run: leaf.run,
    ...(leaf.details !== undefined ? { details: leaf.details } : {}),
    ...(leaf.positionals !== undefined ? { positionals: leaf.positionals } : {}),
  };
  return commandHelp(program, cmd);
}

export interface TreeOptions {
  readonly program?: string;
  /** Lines shown before the command list. */
  readonly intro?: readonly string[];
  /** Flags every leaf has; listed once in the help instead of under each command. */
  readonly commonFlags?: readonly FlagSpec[];
  readonly describeError?: ErrorDescriber;
}

/** A `Command` for the table whose leaves are chosen by the words that follow its name. */
export function commandTree(name: string, summary: string, leaves: readonly Leaf[], opts: TreeOptions = {}): Command {
  const program = opts.program ?? "dcertd";
  const flags = unionFlags(name, leaves);
  const common = new Set((opts.commonFlags ?? []).map((f) => f.name));
  const width = Math.min(48, Math.max(...leaves.map((l) => usage(l).length)) + 2);
  const details: string[] = [...(opts.intro ?? []), ...(opts.intro !== undefined && opts.intro.length > 0 ? [""] : []), "Commands:"];
  for (const leaf of leaves) {
    const u = usage(leaf);
    details.push(u.length < width ? `  ${u.padEnd(width)}${leaf.summary}` : `  ${u}\n  ${"".padEnd(width)}${leaf.summary}`);
    const own = leaf.flags.filter((f) => !common.has(f.name));
    if (own.length > 0) details.push(`  ${"".padEnd(width)}flags: ${own.map((f) => `--${f.name}${f.valueName !== undefined ? ` <${f.valueName}>` : ""}`).join(", ")}`);
  }
  details.push("", `Run "${program} ${name} <command> help" for one command's flags and details.`);
  const shorts = Object.entries(SHORT_FLAGS).filter(([, long]) => flags.some((f) => f.name === long));
  if (shorts.length > 0) details.push(`Short flags: ${shorts.map(([s, long]) => `${s} = --${long}`).join(", ")}.`);

  return {
    name,
    summary,
    details,
    positionals: ["<command>", "[args]"],
    flags,
    async run(raw: ParsedArgs): Promise<number> {
      let leaf: Leaf | undefined;
      try {
        const args = expandShortFlags(raw, flags);
        const words = args.positionals;
        for (const l of leaves) {
          if (l.path.every((p, i) => words[i] === p) && (leaf === undefined || l.path.length > leaf.path.length)) leaf = l;
        }
        if (leaf === undefined) {
          const tried = words.slice(0, 2).join(" ");
          const wanted = words.length === 0 ? `name a command` : `unknown command "${name} ${tried}"`;
          throw new CliError(wanted, `run "${program} ${name} --help" to list the commands`, 2);
        }
        const rest = words.slice(leaf.path.length);
        if (rest[0] === "help") {
          console.log(leafHelp(program, name, leaf));
          return 0;
        }
        for (const flag of Object.keys(args.flags)) {
          if (!leaf.flags.some((f) => f.name === flag)) {
            throw new CliError(`"${name} ${leaf.path.join(" ")}" has no flag --${flag}`, `run "${program} ${name} ${leaf.path.join(" ")} help" for its flags`, 2);
          }
        }
        return await leaf.run({ flags: args.flags, positionals: rest });
      } catch (e) {
        if (e instanceof UsageError) {
          const where = leaf === undefined ? name : `${name} ${leaf.path.join(" ")}`;
          return reportError(new CliError(e.message, `run "${program} ${where} help" for usage`, 2));
        }
        return reportError(e, opts.describeError);
      }
    },
  };
}
