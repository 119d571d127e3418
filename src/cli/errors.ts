/**
 * The one error type of `dcertd` and the one place that prints errors.
 *
 * Every failure reaches `reportError` (called by `runCli` only) and is printed as one line on
 * stderr, `error: <what happened>; <what to do>`, with exit code 2 for a mistake in the command
 * line and 1 (or the error's own code) otherwise; never a stack trace unless DCERT_DEBUG=1.
 * Commands throw `CliError` (or `UsageError`, a `CliError` with exit code 2 whose "what to do" is
 * the pointer to the command's `--help`); the libraries (src/localnet, the store) keep their own
 * errors, which are mapped here.
 */
import { describeKey, isStoreCorruption, StoreCorruptionError } from "../baseapp/store/integrity";
import { DevnetError } from "../localnet/cometbft";

/** A failure with what happened, what to do about it, and the exit code. */
export class CliError extends Error {
  override readonly name: string = "CliError";
  constructor(
    readonly what: string,
    /** Undefined for a usage error: the runner adds the pointer to the command's `--help`. */
    readonly todo?: string,
    readonly exitCode = 1,
  ) {
    super(todo === undefined ? what : `${what}; ${todo}`);
  }
}

/** A mistake in how the command was called (exit code 2); printed with a pointer to `--help`. */
export class UsageError extends CliError {
  override readonly name = "UsageError";
  constructor(what: string) {
    super(what, undefined, 2);
  }
}

/** Turns an error of a command's own libraries into what happened and what to do, if it knows it. */
export type ErrorDescriber = (e: unknown) => CliError | undefined;

/** The errors of the libraries every command may reach: the local-network tools and the store. */
export function describeLibraryError(e: unknown): CliError | undefined {
  if (e instanceof DevnetError) return new CliError(e.message.replace(/\.\s*$/, ""), `see docs/cli.md ("Node and network commands")`);
  if (isStoreCorruption(e)) {
    if (e instanceof StoreCorruptionError) {
      const what = `store corruption: the "${e.db}" record for key ${describeKey(e.key)} is damaged: ${e.problem}`;
      return new CliError(what, e.message.slice(what.length).replace(/^\.\s*/, ""));
    }
    return new CliError(e.problem, e.todo);
  }
  return undefined;
}

function describeFallback(e: unknown): CliError {
  const msg = e instanceof Error ? e.message : String(e);
  return new CliError(msg.replace(/\s+$/, ""), "if the message does not say how to fix it, run again with DCERT_DEBUG=1 and report the output");
}

/**
 * Prints `error: …; …` for `e` and returns the exit code. `help` is the command whose `--help`
 * a usage error points at (e.g. `dcertd tx dcert vote`).
 */
export function reportError(e: unknown, describe: ErrorDescriber = () => undefined, help = "dcertd"): number {
  const err = e instanceof CliError ? e : (describe(e) ?? describeLibraryError(e) ?? describeFallback(e));
  const todo = err.todo ?? `run "${help} --help" for usage`;
  console.error(`error: ${err.what}; ${todo}`);
  if (process.env["DCERT_DEBUG"] === "1" && e instanceof Error && e.stack !== undefined) console.error(e.stack);
  return err.exitCode;
}
