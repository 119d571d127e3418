/**
 * Parsing of command-line values: coins, vote splits, gov vote options and proposal files.
 * Every failure is a UsageError that says what was expected.
 */
import type { EncodeObject, Registry } from "@cosmjs/proto-signing";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { UsageError } from "./args";
import { parseCoinsText } from "../baseapp/coins";
import { DEC_ONE, decimalToFixed18 } from "../client/decimal";

/** "1000udcert,5uatom" → coins (each amount a non-negative integer, each denom once). */
export function parseCoins(text: string, what = "amount"): Coin[] {
  const r = parseCoinsText(text, { skipEmpty: true, allowZero: true });
  if (r.ok) return r.coins.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
  const e = r.error;
  if (e.reason === "empty") throw new UsageError(`${what} is empty; write coins like 1000000udcert`);
  if (e.reason === "duplicate") throw new UsageError(`${what} names ${e.denom} twice`);
  throw new UsageError(`${what} "${e.entry}" is not a coin; write an integer amount followed by the denom, like 1000000udcert`);
}

/** Exactly one positive coin. */
export function parseCoin(text: string, what = "amount"): Coin {
  const coins = parseCoins(text, what);
  if (coins.length !== 1) throw new UsageError(`${what} must be a single coin like 1000000udcert, got "${text}"`);
  const c = coins[0] as Coin;
  if (c.amount === "0") throw new UsageError(`${what} must be positive`);
  return c;
}

/** A share: a decimal fraction ("0.25") or a percentage ("25%"), as 18-decimal fixed point. */
export function parseShare(text: string): bigint {
  const t = text.trim();
  let fixed: bigint;
  try {
    fixed = t.endsWith("%") ? BigInt(decimalToFixed18(t.slice(0, -1))) / 100n : BigInt(decimalToFixed18(t));
    if (t.endsWith("%") && (BigInt(decimalToFixed18(t.slice(0, -1))) % 100n) !== 0n) throw new Error("too precise");
  } catch {
    throw new UsageError(`share "${text}" must be a fraction like 0.25 or a percentage like 25%`);
  }
  return fixed;
}

export interface SplitEntry {
  /** As written: an address or a key name. */
  readonly who: string;
  readonly share: bigint;
}

/**
 * `--split <addr>=<share>,…`: each share > 0 and at most 1, no candidate twice, shares adding up to
 * at most 1.
 */
export function parseSplit(text: string): SplitEntry[] {
  const parts = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (parts.length === 0) throw new UsageError("--split is empty; write <address>=<share>,… e.g. dcert1…=0.5,dcert1…=0.25");
  const seen = new Set<string>();
  let total = 0n;
  const out = parts.map((p) => {
    const eq = p.lastIndexOf("=");
    if (eq <= 0 || eq === p.length - 1) throw new UsageError(`--split entry "${p}" must look like <address>=<share>`);
    const who = p.slice(0, eq).trim();
    const share = parseShare(p.slice(eq + 1));
    if (share <= 0n || share > DEC_ONE) throw new UsageError(`--split share of ${who} must be above 0 and at most 1`);
    if (seen.has(who)) throw new UsageError(`--split names ${who} twice`);
    seen.add(who);
    total += share;
    return { who, share };
  });
  if (total > DEC_ONE) throw new UsageError("--split shares add up to more than 1");
  return out;
}

const OPTIONS: Record<string, VoteOption> = {
  yes: VoteOption.VOTE_OPTION_YES,
  no: VoteOption.VOTE_OPTION_NO,
  abstain: VoteOption.VOTE_OPTION_ABSTAIN,
  no_with_veto: VoteOption.VOTE_OPTION_NO_WITH_VETO,
  nowithveto: VoteOption.VOTE_OPTION_NO_WITH_VETO,
  veto: VoteOption.VOTE_OPTION_NO_WITH_VETO,
};

export function parseVoteOption(text: string): VoteOption {
  const o = OPTIONS[text.trim().toLowerCase().replace(/-/g, "_")];
  if (o === undefined) throw new UsageError(`vote option "${text}" must be yes, no, abstain or no_with_veto`);
  return o;
}

/** "yes=0.6,no=0.4" → weighted options (weights as decimals, adding up to exactly 1). */
export function parseWeightedOptions(text: string): { option: VoteOption; weight: string }[] {
  const parts = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (parts.length === 0) throw new UsageError("weighted options are empty; write e.g. yes=0.6,no=0.4");
  let total = 0n;
  const out = parts.map((p) => {
    const [o, w, extra] = p.split("=");
    if (o === undefined || w === undefined || extra !== undefined) throw new UsageError(`weighted option "${p}" must look like yes=0.6`);
    const share = parseShare(w);
    total += share;
    return { option: parseVoteOption(o), weight: w.trim().endsWith("%") ? fixedToDec(share) : w.trim() };
  });
  if (total !== DEC_ONE) throw new UsageError("weighted option weights must add up to exactly 1");
  return out;
}

function fixedToDec(v: bigint): string {
  const whole = v / DEC_ONE;
  const frac = (v % DEC_ONE).toString().padStart(18, "0");
  return `${whole}.${frac}`;
}

/** A non-negative integer id. */
export function parseId(text: string | undefined, what: string): bigint {
  if (text === undefined) throw new UsageError(`give the ${what}`);
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`${what} must be a non-negative integer, got "${text}"`);
  return BigInt(text);
}

function camelKey(k: string): string {
  return k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function camelize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelize);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [camelKey(k), camelize(x)]));
  return v;
}

export interface ProposalFile {
  readonly messages: EncodeObject[];
  readonly deposit: Coin[];
  readonly title: string;
  readonly summary: string;
  readonly metadata: string;
  readonly expedited: boolean;
}

interface JsonCodec {
  fromJSON(o: unknown): unknown;
}

/**
 * A gov v1 proposal file in the Cosmos SDK's format:
 *
 *   { "messages": [{ "@type": "/dcert.v1.MsgUpdateParams", "authority": "…", "params": {…} }],
 *     "deposit": "10000000udcert", "title": "…", "summary": "…", "metadata": "", "expedited": false }
 *
 * Message fields may be snake_case or camelCase. A message with an `authority` field that the file
 * leaves out gets `authority` (the gov module account).
 */
export function parseProposalFile(json: unknown, registry: Registry, authority: string): ProposalFile {
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new UsageError("the proposal file must hold a JSON object");
  const o = json as Record<string, unknown>;
  const str = (k: string, required: boolean): string => {
    const v = o[k];
    if (v === undefined && !required) return "";
    if (typeof v !== "string" || (required && v.trim() === "")) throw new UsageError(`the proposal's "${k}" must be a${required ? " non-empty" : ""} string`);
    return v;
  };
  if (!Array.isArray(o["messages"])) throw new UsageError(`the proposal needs a "messages" list (it may be empty)`);
  const messages = (o["messages"] as unknown[]).map((m, i): EncodeObject => {
    if (m === null || typeof m !== "object" || Array.isArray(m)) throw new UsageError(`messages[${i}] must be an object with an "@type"`);
    const { "@type": typeUrl, ...fields } = m as Record<string, unknown>;
    if (typeof typeUrl !== "string") throw new UsageError(`messages[${i}] has no "@type" (a type URL like /dcert.v1.MsgUpdateParams)`);
    const codec = registry.lookupType(typeUrl) as Partial<JsonCodec> | undefined;
    if (codec === undefined || typeof codec.fromJSON !== "function") throw new UsageError(`messages[${i}] has unknown type ${typeUrl}`);
    let value: Record<string, unknown>;
    try {
      value = codec.fromJSON(camelize(fields)) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`messages[${i}] (${typeUrl}) is not valid: ${e instanceof Error ? e.message : String(e)}`);
    }
    if ("authority" in value && value["authority"] === "") value["authority"] = authority;
    return { typeUrl, value };
  });
  const depositText = o["deposit"];
  let deposit: Coin[] = [];
  if (depositText !== undefined && depositText !== "") {
    if (typeof depositText !== "string") throw new UsageError(`the proposal's "deposit" must be a string of coins like "10000000udcert"`);
    deposit = parseCoins(depositText, "deposit");
  }
  const expedited = o["expedited"] ?? false;
  if (typeof expedited !== "boolean") throw new UsageError(`the proposal's "expedited" must be true or false`);
  return { messages, deposit, title: str("title", true), summary: str("summary", true), metadata: str("metadata", false), expedited };
}
