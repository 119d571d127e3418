/**
 * Arguments and output shared by the staking, slashing, distribution, mint and evidence commands:
 * operator and consensus addresses, consensus public keys, commission rates, heights, decimal
 * coins; and `queryLeaf`, a read-only leaf that connects, runs and prints.
 */
import * as fs from "node:fs";
import { fromBase64, fromBech32, toBech32 } from "@cosmjs/encoding";
import type { DcertClient } from "../client/dcertclient";
import { decimalToFixed18, fixed18ToDecimal } from "../client/decimal";
import { DCERT_VALCONS_PREFIX } from "../client/rewards/queries";
import { UsageError, type FlagSpec, type ParsedArgs } from "./args";
import { HOME_FLAG, isAddress, isValoperAddress, NODE_FLAG, PREFIX } from "./clientenv";
import { CliError, type Leaf } from "./cmdtree";
import { OUTPUT_FLAG, type Json } from "./output";
import { HEIGHT_FLAG, runQuery } from "./sdkjson";

export const QUERY_COMMON: readonly FlagSpec[] = [NODE_FLAG, HOME_FLAG, OUTPUT_FLAG, HEIGHT_FLAG];
export const VALOPER_PREFIX = `${PREFIX}valoper`;

/** Exactly the required positionals, then at most the optional ones ("[x]"). */
export function positionalArgs(args: ParsedArgs, names: readonly string[]): (string | undefined)[] {
  const got = args.positionals;
  const required = names.filter((n) => !n.startsWith("[")).length;
  if (got.length < required) throw new UsageError(`missing ${names.slice(got.length, required).join(", ")}`);
  if (got.length > names.length) throw new UsageError(`unexpected argument "${got[names.length] ?? ""}"`);
  return names.map((_, i) => got[i]);
}

/** What a query leaf does once connected (its arguments already checked). */
export type QueryRun = (client: DcertClient) => Promise<{ json: Json; text?: Json | string }>;

/**
 * A read-only leaf: checks the positionals, then `prepare` checks the rest of the arguments and
 * returns what to run, so that a mistake is a usage error (exit 2) before any node is contacted;
 * then connects to --node, runs and prints (json, or `text`).
 */
export function queryLeaf(
  path: string[],
  summary: string,
  positionals: string[],
  flags: readonly FlagSpec[],
  prepare: (args: ParsedArgs, pos: (string | undefined)[]) => QueryRun,
  details?: string[],
): Leaf {
  return {
    path,
    summary,
    positionals,
    flags: [...QUERY_COMMON, ...flags],
    ...(details !== undefined ? { details } : {}),
    async run(args) {
      const run = prepare(args, positionalArgs(args, positionals));
      return runQuery(args, run);
    },
  };
}

export function valoperArg(text: string | undefined, what = "<validator>"): string {
  if (text === undefined) throw new UsageError(`missing ${what}`);
  if (!isValoperAddress(text)) throw new UsageError(`${what} "${text}" is not a validator operator address (${VALOPER_PREFIX}1…); list them with "dcertd q staking validators"`);
  return text;
}

/** The operator address of an account (same key bytes, the valoper prefix). */
export function operatorOf(account: string): string {
  return toBech32(VALOPER_PREFIX, fromBech32(account, 90).data);
}

export function isConsensusAddress(text: string): boolean {
  return isAddress(text, DCERT_VALCONS_PREFIX);
}

/** A block height: a positive integer. */
export function heightArg(text: string | undefined, what: string): bigint {
  if (text === undefined) throw new UsageError(`missing ${what}`);
  if (!/^[0-9]{1,19}$/.test(text) || BigInt(text) === 0n || BigInt(text) > 0x7fffffffffffffffn) throw new UsageError(`${what} must be a positive block height, got "${text}"`);
  return BigInt(text);
}

/** A fraction in [0, 1] ("0.1") as 18-decimal fixed point. */
export function rateArg(text: string, what: string): string {
  let fixed: string;
  try {
    fixed = decimalToFixed18(text);
  } catch (e) {
    throw new UsageError(`${what} must be a decimal between 0 and 1 like 0.1, got "${text}" (${e instanceof Error ? e.message : String(e)})`);
  }
  if (BigInt(fixed) > 10n ** 18n) throw new UsageError(`${what} must be at most 1, got "${text}"`);
  return fixed;
}

/** A positive integer amount of the bond denom (min self-delegation). */
export function positiveIntArg(text: string, what: string): string {
  if (!/^[1-9][0-9]{0,76}$/.test(text)) throw new UsageError(`${what} must be a positive integer, got "${text}"`);
  return text;
}

function keyBytes(b64: unknown, what: string): Uint8Array {
  if (typeof b64 !== "string") throw new UsageError(`${what}: the key must be a base64 string`);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(b64);
  } catch {
    throw new UsageError(`${what}: "${b64}" is not base64`);
  }
  if (bytes.length !== 32) throw new UsageError(`${what}: an ed25519 public key has 32 bytes, this one ${bytes.length}`);
  return bytes;
}

/**
 * An ed25519 consensus public key as the SDK and CometBFT print it, one of:
 * `{"@type":"/cosmos.crypto.ed25519.PubKey","key":"<base64>"}` (`cometbft show-validator` via the SDK),
 * `{"type":"tendermint/PubKeyEd25519","value":"<base64>"}` (CometBFT), the path of a CometBFT
 * priv_validator_key.json, or the bare base64 key.
 */
export function consensusPubkeyArg(text: string, what = "--pubkey", readFile: (p: string) => string = (p) => fs.readFileSync(p, "utf8")): Uint8Array {
  const t = text.trim();
  if (t.startsWith("{")) {
    let o: unknown;
    try {
      o = JSON.parse(t);
    } catch (e) {
      throw new UsageError(`${what} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    return pubkeyFromJson(o, what);
  }
  if (/^[A-Za-z0-9+/]{43}=$/.test(t)) return keyBytes(t, what);
  let content: string;
  try {
    content = readFile(t);
  } catch {
    throw new UsageError(`${what} must be {"@type":"/cosmos.crypto.ed25519.PubKey","key":"<base64>"}, a base64 ed25519 key or a priv_validator_key.json path; "${t}" is none of them`);
  }
  let o: unknown;
  try {
    o = JSON.parse(content);
  } catch {
    throw new UsageError(`${what}: ${t} does not hold JSON`);
  }
  const pub = (o as { pub_key?: unknown } | null)?.pub_key;
  return pubkeyFromJson(pub ?? o, `${what} (${t})`);
}

function pubkeyFromJson(o: unknown, what: string): Uint8Array {
  if (o === null || typeof o !== "object" || Array.isArray(o)) throw new UsageError(`${what} must be a JSON object with the key`);
  const r = o as Record<string, unknown>;
  if (r["@type"] === "/cosmos.crypto.ed25519.PubKey") return keyBytes(r["key"], what);
  if (r["type"] === "tendermint/PubKeyEd25519") return keyBytes(r["value"], what);
  throw new UsageError(`${what}: only ed25519 consensus keys are supported ("@type": "/cosmos.crypto.ed25519.PubKey" or "type": "tendermint/PubKeyEd25519")`);
}

/** A LegacyDec (18-decimal fixed-point integer string, or already a decimal) as a short decimal. */
export function decText(v: string): string {
  if (/^[0-9]+$/.test(v)) return fixed18ToDecimal(v);
  if (/^[0-9]*\.[0-9]{1,18}$/.test(v)) return fixed18ToDecimal(decimalToFixed18(v));
  return v;
}

/** DecCoins (amounts 18-decimal fixed point) as {denom, amount} with decimal amounts. */
export function decCoinsJson(coins: readonly { denom: string; amount: string }[] | undefined): Json {
  return (coins ?? []).map((c) => ({ denom: c.denom, amount: decText(c.amount) }));
}

/** DecCoins as "1.5udcert,2uatom" ("0" when empty). */
export function decCoinsText(coins: readonly { denom: string; amount: string }[] | undefined): string {
  const list = (coins ?? []).map((c) => `${decText(c.amount)}${c.denom}`);
  return list.length === 0 ? "0" : list.join(",");
}

export function coinsText(coins: readonly { denom: string; amount: string }[] | undefined): string {
  return (coins ?? []).map((c) => `${c.amount}${c.denom}`).join(",");
}

/** Rethrows "not found" style query errors as a CliError with a hint. */
export function notFound(e: unknown, what: string, hint: string): never {
  if (e instanceof Error && /not found|does not exist|no validator/i.test(e.message) && !/unknown query path/i.test(e.message)) throw new CliError(what, hint);
  throw e;
}
