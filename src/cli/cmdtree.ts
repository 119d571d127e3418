/**
 * Groups of the command tree (`dcertd keys add`, `dcertd tx dcert vote`, `dcertd q bank balances`)
 * in the Cosmos CLI convention. A group is one node in the table of `dcertd.ts`; its leaves are
 * named by the words after it. args.ts resolves, parses and runs them:
 *
 * - a leaf takes exactly the flags it declares (anything else is an unknown flag, exit code 2);
 * - short flags `-o <format>`, `-y` and `-a` stand for `--output`, `--yes` and `--address`;
 * - `dcertd <group> --help` lists every leaf with its usage and flags; `dcertd <group> <leaf…>
 *   --help` (or `help`) prints one leaf's usage, its own flags and the group's common flags;
 * - every failure prints `error: <what happened>; <what to do>` on stderr (errors.ts).
 */
import { SHORT_FLAGS, type CommandGroup, type FlagSpec, type Leaf } from "./args";
import type { ErrorDescriber } from "./errors";

export { CliError, reportError, type ErrorDescriber } from "./errors";
export { leafHelp, SHORT_FLAGS, type Leaf } from "./args";

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

export interface TreeOptions {
  readonly program?: string;
  /** Lines shown before the command list. */
  readonly intro?: readonly string[];
  /** Flags every leaf has; listed once in the help instead of under each command. */
  readonly commonFlags?: readonly FlagSpec[];
  readonly describeError?: ErrorDescriber;
  /**
   * Other first words for a subgroup, e.g. `{ coordination: "coord" }`: `tx coordination open-case`
   * runs `tx coord open-case`. Aliases resolve but are not listed again in the help.
   */
  readonly aliases?: Readonly<Record<string, string>>;
}

/** A group for the table whose leaves are chosen by the words that follow its name. */
export function commandTree(name: string, summary: string, leaves: readonly Leaf[], opts: TreeOptions = {}): CommandGroup {
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
  const aliasLines = Object.entries(opts.aliases ?? {}).map(([alias, target]) => `"${name} ${alias} …" is the same as "${name} ${target} …".`);
  details.push("", ...aliasLines, `Run "${program} ${name} <command> --help" for one command's flags and details.`);
  const shorts = Object.entries(SHORT_FLAGS).filter(([, long]) => flags.some((f) => f.name === long));
  if (shorts.length > 0) details.push(`Short flags: ${shorts.map(([s, long]) => `-${s} = --${long}`).join(", ")}.`);

  const aliasLeaves: Leaf[] = [];
  for (const [alias, target] of Object.entries(opts.aliases ?? {})) {
    for (const leaf of leaves) if (leaf.path[0] === target) aliasLeaves.push({ ...leaf, path: [alias, ...leaf.path.slice(1)] });
  }

  return {
    name,
    summary,
    details,
    positionals: ["<command>", "[args]"],
    flags,
    leaves: [...leaves, ...aliasLeaves],
    ...(opts.commonFlags !== undefined ? { commonFlags: opts.commonFlags } : {}),
    ...(opts.describeError !== undefined ? { describeError: opts.describeError } : {}),
  };
}
