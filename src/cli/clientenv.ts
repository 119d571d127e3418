/**
 * What the client commands (keys, tx, query) share: the home and node flags, the keyring, turning
 * key names into addresses, connecting, and the translation of every failure into
 * `error: <what happened>; <what to do>`.
 */
import { fromBech32 } from "@cosmjs/encoding";
import { BroadcastTxError, TimeoutError } from "@cosmjs/stargate";
import { DcertClient } from "../client/dcertclient";
import { type FlagSpec, type ParsedArgs } from "./args";
import { clientSetting, HOME_ENV, resolveHome } from "./clientconfig";
import { CliError } from "./cmdtree";
import { FileKeyring, KEYRING_BACKENDS, KeyringError, type KeyringBackend } from "./keyring";

export const PREFIX = "dcert";
export const DEFAULT_NODE = "http://127.0.0.1:26657";
export { HOME_ENV, resolveHome };
export const NODE_ENV = "DCERT_NODE";

export const HOME_FLAG: FlagSpec = {
  name: "home",
  valueName: "dir",
  description: "client home; keys live in <home>/keyring-file",
  defaultText: `$${HOME_ENV} or ~/.dcertd`,
};

export const NODE_FLAG: FlagSpec = {
  name: "node",
  valueName: "url",
  description: "CometBFT RPC endpoint (http://host:port or tcp://host:port)",
  defaultText: `$DCERTD_NODE, $${NODE_ENV}, client.toml's node, or ${DEFAULT_NODE}`,
};

/** The RPC URL (--node, $DCERTD_NODE, $DCERT_NODE, client.toml, default): tcp:// (CometBFT's own notation) becomes http://. */
export function resolveNode(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): string {
  const raw = clientSetting(args, "node", env) ?? DEFAULT_NODE;
  const url = raw.replace(/^tcp:\/\//, "http://");
  if (!/^https?:\/\/[^\s/]+(\/.*)?$/.test(url)) throw new CliError(`--node must be a URL like ${DEFAULT_NODE}, got "${raw}"`, "fix the --node value", 2);
  return url.replace(/\/+$/, "");
}

export const KEYRING_BACKEND_ENV = "DCERTD_KEYRING_BACKEND";

export const KEYRING_BACKEND_FLAG: FlagSpec = {
  name: "keyring-backend",
  valueName: "file|test",
  description: "file: keys encrypted with the keyring passphrase; test: unencrypted, no passphrase (scripts and tests only)",
  defaultText: `$${KEYRING_BACKEND_ENV}, client.toml's keyring-backend, or file`,
};

/** --keyring-backend, else $DCERTD_KEYRING_BACKEND, else client.toml, else "file". */
export function keyringBackend(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): KeyringBackend {
  const v = clientSetting(args, "keyring-backend", env) ?? "file";
  if (!(KEYRING_BACKENDS as readonly string[]).includes(v as string)) {
    throw new CliError(`--keyring-backend must be ${KEYRING_BACKENDS.join(" or ")}, got "${v ?? ""}"`, "fix the --keyring-backend value (or $DCERTD_KEYRING_BACKEND)", 2);
  }
  return v as KeyringBackend;
}

export function keyringOf(args: ParsedArgs): FileKeyring {
  return FileKeyring.forHome(resolveHome(args), PREFIX, { backend: keyringBackend(args) });
}

/** Longest bech32 string accepted (BIP-173's limit; CosmJS's default of no limit breaks with @scure/base 2). */
const BECH32_LIMIT = 90;

export function isAddress(value: string, prefix = PREFIX): boolean {
  try {
    const { prefix: p, data } = fromBech32(value, BECH32_LIMIT);
    return p === prefix && (data.length === 20 || data.length === 32);
  } catch {
    return false;
  }
}

export function isValoperAddress(value: string): boolean {
  return isAddress(value, `${PREFIX}valoper`);
}

/** An account address, or the address of a key in the keyring when `value` names one. */
export function resolveAddress(args: ParsedArgs, value: string, what: string): string {
  if (isAddress(value)) return value;
  const keyring = keyringOf(args);
  try {
    return keyring.get(value).address;
  } catch (e) {
    if (e instanceof KeyringError) {
      throw new CliError(`${what} "${value}" is neither a ${PREFIX}1… address nor a key in ${keyring.dir}`, `check it, or list your keys with "dcertd keys list"`, 2);
    }
    throw e;
  }
}

function causeCode(e: unknown): string | undefined {
  let c: unknown = e;
  for (let i = 0; i < 4 && c !== undefined && c !== null; i++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === "string") return code;
    c = (c as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True for errors that mean the node could not be reached at all. */
export function isConnectionError(e: unknown): boolean {
  const code = causeCode(e);
  if (code !== undefined && ["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ECONNRESET", "ETIMEDOUT", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"].includes(code)) return true;
  return e instanceof Error && (e.message === "fetch failed" || /socket hang up/.test(e.message));
}

/** The most specific reason in an error's cause chain: a system error code, else the innermost message. */
function causeReason(e: unknown): string {
  const code = causeCode(e);
  if (code !== undefined) return code;
  let c: unknown = e;
  let msg = e instanceof Error ? e.message : String(e);
  for (let i = 0; i < 4 && c instanceof Error; i++) {
    msg = c.message;
    c = (c as { cause?: unknown }).cause;
  }
  return msg;
}

export function unreachable(node: string, e: unknown): CliError {
  const reason = causeReason(e);
  return new CliError(`cannot reach the node at ${node} (${reason})`, `start a node (e.g. "npm start" for a local devnet) or point --node / $${NODE_ENV} at a running one`);
}

/** A read-only client; a node that cannot be reached is a CliError. */
export async function connectReader(node: string): Promise<DcertClient> {
  try {
    return await DcertClient.connect(node);
  } catch (e) {
    throw unreachable(node, e);
  }
}

/** Hints for the SDK's and the dCERT module's most common rejection codes. */
export function hintFor(codespace: string, code: number): string {
  if (codespace === "sdk") {
    switch (code) {
      case 4:
        return "the signature did not verify: check --chain-id and that the key matches the account";
      case 5:
        return `the account cannot pay: check its balance with "dcertd q bank balances <address>"`;
      case 11:
        return "raise --gas (or --gas-adjustment with --gas auto)";
      case 13:
        return "raise --gas-prices or --fees (the node's minimum gas price applies)";
      case 19:
        return "the same transaction is already in the mempool; wait for it to be committed";
      case 32:
        return "another transaction from this account got in first; run the command again";
      case 9:
        return `the account does not exist yet: send it some tokens first ("dcertd tx bank send")`;
    }
  }
  if (codespace === "dcert") return `the message above says what the dCERT module expects; check the state with "dcertd q dcert …"`;
  return "the message above says what the chain expects";
}

function queryFailure(e: Error): CliError | undefined {
  const m = /^Query failed with \((\d+)\): (.*)$/s.exec(e.message);
  if (m === null) return undefined;
  const log = (m[2] ?? "").trim();
  return new CliError(`the node refused the query (code ${m[1] ?? "?"}): ${log}`, /not found/i.test(log) ? "check the address, id or hash you asked for" : "check the arguments");
}

/** Translates any error from the client commands into what happened and what to do. */
export function describeClientError(e: unknown): CliError | undefined {
  if (e instanceof CliError) return e;
  if (e instanceof KeyringError) {
    switch (e.kind) {
      case "wrong-passphrase":
        return new CliError(e.message, `use the passphrase the key was created with (--keyring-passphrase, $DCERT_KEYRING_PASSPHRASE or the prompt)`);
      case "not-found":
        return new CliError(e.message, `list keys with "dcertd keys list", or create one with "dcertd keys add <name>"`);
      case "exists":
        return new CliError(e.message, "choose another name, or delete the old key first with \"dcertd keys delete\"");
      case "mismatch":
        return new CliError(e.message, "use the keyring's passphrase, or keep this key in another --home");
      case "weak-passphrase":
        return new CliError(e.message, "choose a longer passphrase");
      case "invalid-name":
        return new CliError(e.message, "choose another name", 2);
      case "invalid-mnemonic":
        return new CliError(e.message, "check the words (12 or 24 English BIP-39 words, single spaces)");
      case "corrupt":
        return new CliError(e.message, "restore the key file from a backup, or import the key again from its mnemonic");
      case "no-secret":
        return new CliError(e.message, "use a key that holds its private key (dcertd keys list shows each key's type)");
      case "invalid-key":
        return new CliError(e.message, "check the keys, threshold or HD path given", 2);
    }
  }
  if (e instanceof BroadcastTxError) {
    return new CliError(`the node rejected the transaction (code ${e.code}, codespace ${e.codespace}): ${e.log ?? ""}`.trim(), hintFor(e.codespace, e.code));
  }
  if (e instanceof TimeoutError) {
    return new CliError(`transaction ${e.txId} was broadcast but not committed in time`, `check it later with "dcertd q tx ${e.txId}"`);
  }
  if (e instanceof Error) {
    const q = queryFailure(e);
    if (q !== undefined) return q;
    if (isConnectionError(e)) return new CliError(`cannot reach the node (${causeReason(e)})`, `start a node or point --node / $${NODE_ENV} at a running one`);
    if (/Account '.*' does not exist on chain/.test(e.message)) {
      return new CliError(e.message, `send the account some tokens first ("dcertd tx bank send <from> <address> <amount>")`);
    }
  }
  return undefined;
}
