/**
 * Interactive input of the client commands: the keyring passphrase (flag, environment, or a hidden
 * prompt on a terminal), yes/no confirmations and text read from stdin (mnemonics).
 */
import type { Readable, Writable } from "node:stream";
import { stringFlag, type FlagSpec, type ParsedArgs } from "./args";
import { CliError } from "./cmdtree";

export const PASSPHRASE_ENV = "DCERT_KEYRING_PASSPHRASE";

export const PASSPHRASE_FLAG: FlagSpec = {
  name: "keyring-passphrase",
  valueName: "passphrase",
  description: `the keyring passphrase (visible to other local users in the process list; prefer ${PASSPHRASE_ENV} or the prompt)`,
  defaultText: `$${PASSPHRASE_ENV}, else a prompt on a terminal`,
};

/** The terminal streams, replaceable in tests. */
export interface Terminal {
  readonly input: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly output: Writable;
}

export function processTerminal(): Terminal {
  return { input: process.stdin, output: process.stderr };
}

export function isInteractive(term: Terminal): boolean {
  return term.input.isTTY === true;
}

/**
 * Reads one line without echoing it (raw mode on a TTY). Backspace edits, Ctrl-C aborts, Enter or
 * end of input finishes.
 */
export function readHidden(term: Terminal, question: string): Promise<string> {
  const { input, output } = term;
  output.write(question);
  return new Promise((resolve, reject) => {
    let value = "";
    const raw = input.isTTY === true && typeof input.setRawMode === "function";
    if (raw) input.setRawMode?.(true);
    input.resume();
    const finish = (err?: Error): void => {
      input.off("data", onData);
      input.off("end", onEnd);
      if (raw) input.setRawMode?.(false);
      input.pause();
      output.write("\n");
      if (err !== undefined) reject(err);
      else resolve(value);
    };
    const onEnd = (): void => finish();
    const onData = (chunk: Buffer | string): void => {
      for (const ch of typeof chunk === "string" ? chunk : chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish();
        if (ch === "\u0003") return finish(new CliError("interrupted", "run the command again when ready", 130));
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else value += ch;
      }
    };
    input.on("data", onData);
    input.on("end", onEnd);
  });
}

/** Reads one visible line. */
export function readLine(term: Terminal, question: string): Promise<string> {
  const { input, output } = term;
  output.write(question);
  return new Promise((resolve) => {
    let buf = "";
    input.resume();
    const done = (): void => {
      input.off("data", onData);
      input.off("end", done);
      input.pause();
      resolve(buf.replace(/\r?\n.*$/s, ""));
    };
    const onData = (chunk: Buffer | string): void => {
      buf += typeof chunk === "string" ? chunk : chunk.toString("utf8");
      if (buf.includes("\n")) done();
    };
    input.on("data", onData);
    input.on("end", done);
  });
}

/** Everything on stdin until it ends. */
export async function readAll(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The keyring passphrase: `--keyring-passphrase`, else $DCERT_KEYRING_PASSPHRASE, else a hidden
 * prompt on a terminal (twice when `confirm`, for a new keyring).
 */
export async function getPassphrase(args: ParsedArgs, opts: { confirm?: boolean; term?: Terminal; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const flag = stringFlag(args, "keyring-passphrase");
  if (flag !== undefined) return flag;
  const env = (opts.env ?? process.env)[PASSPHRASE_ENV];
  if (env !== undefined && env !== "") return env;
  const term = opts.term ?? processTerminal();
  if (!isInteractive(term)) {
    throw new CliError("the keyring needs a passphrase and there is no terminal to ask it on", `pass --keyring-passphrase or set ${PASSPHRASE_ENV}`);
  }
  const first = await readHidden(term, "Enter keyring passphrase: ");
  if (opts.confirm === true) {
    const again = await readHidden(term, "Re-enter keyring passphrase: ");
    if (again !== first) throw new CliError("the two passphrases differ", "run the command again and type the same passphrase twice");
  }
  return first;
}

/** Asks a yes/no question on the terminal (default no); without a terminal, fails with `hint`. */
export async function confirm(question: string, hint: string, term: Terminal = processTerminal()): Promise<boolean> {
  if (!isInteractive(term)) throw new CliError("cannot ask for confirmation without a terminal", hint);
  const answer = (await readLine(term, `${question} [y/N]: `)).trim().toLowerCase();
  return answer === "y" || answer === "yes";
}
