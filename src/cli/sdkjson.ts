/**
 * `dcertd q … -o json` in the SDK's shape: the proto-JSON of the query's response message, as
 * `simd q … -o json` prints it and the REST gateway serves it (src/server/json). A query command
 * runs on a connection that records every ABCI query it makes (path, request and response bytes);
 * with -o json the command prints the gateway JSON of its first query's response (the pages of a
 * paginated query merged), whatever its text form shows. `--height H` is the ABCI query height of
 * every query the command makes (the app answers only its latest height and says so otherwise).
 */
import { toHex } from "@cosmjs/encoding";
import { connectComet, type CometClient } from "@cosmjs/tendermint-rpc";
import { DcertClient } from "../client/dcertclient";
import { toSdkJson } from "../server/json";
import { methodOf } from "../server/schema";
import { stringFlag, UsageError, type FlagSpec, type ParsedArgs } from "./args";
import { resolveNode, unreachable } from "./clientenv";
import { emit, outputFormat, type Json } from "./output";

export const HEIGHT_FLAG: FlagSpec = {
  name: "height",
  valueName: "height",
  description: "the block height to query (ABCI query height; the node answers only its latest)",
  defaultText: "latest",
};

/** One ABCI query a command made that the app answered (code 0). */
export interface AbciCall {
  readonly path: string;
  readonly request: Uint8Array;
  readonly response: Uint8Array;
}

/** A read-only client whose ABCI queries are recorded (and asked at `height`, when given). */
export interface QuerySession {
  readonly client: DcertClient;
  readonly calls: readonly AbciCall[];
}

/** `--height`: a positive block height, or undefined for the latest. */
export function heightArg(args: ParsedArgs): bigint | undefined {
  const v = stringFlag(args, "height");
  if (v === undefined) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(v) || BigInt(v) > BigInt(Number.MAX_SAFE_INTEGER)) throw new UsageError(`--height must be a positive block height, got "${v}"`);
  return BigInt(v);
}

/** `comet` with its abciQuery recorded into `calls` and asked at `height` (undefined: latest). */
export function recordingComet(comet: CometClient, calls: AbciCall[], height?: bigint): CometClient {
  return new Proxy(comet, {
    get(target, prop) {
      if (prop === "abciQuery") {
        return async (params: Parameters<CometClient["abciQuery"]>[0]) => {
          const res = await target.abciQuery(height === undefined ? params : { ...params, height: Number(height) });
          if (res.code === 0) calls.push({ path: params.path, request: params.data, response: res.value });
          return res;
        };
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** Connects to --node for a query command (a node that cannot be reached is a CliError). */
export async function openQuery(args: ParsedArgs): Promise<QuerySession> {
  const height = heightArg(args);
  const node = resolveNode(args);
  let comet: CometClient;
  try {
    comet = await connectComet(node);
  } catch (e) {
    throw unreachable(node, e);
  }
  const calls: AbciCall[] = [];
  return { client: DcertClient.create(recordingComet(comet, calls, height)), calls };
}

type JsonObject = { [key: string]: Json };

function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);
}

/** The request without its page: the same query's pages share it. */
function requestKey(typeName: string, bytes: Uint8Array): string {
  const json = toSdkJson(typeName, bytes) as Json;
  if (!isObject(json)) return JSON.stringify(json);
  const { pagination: _p, ...rest } = json;
  return JSON.stringify(rest);
}

/** Pages of one response type as one: their lists concatenated, the first page's other fields. */
export function mergePages(pages: readonly Json[]): Json {
  const [first, ...more] = pages;
  if (first === undefined) return null;
  if (more.length === 0 || !isObject(first)) return first;
  const out: JsonObject = { ...first };
  for (const [k, v] of Object.entries(first)) {
    if (!Array.isArray(v)) continue;
    out[k] = [...v, ...more.flatMap((p) => (isObject(p) && Array.isArray(p[k]) ? (p[k] as Json[]) : []))];
  }
  if (isObject(first["pagination"])) out["pagination"] = { ...first["pagination"], next_key: null };
  return out;
}

/**
 * Queries a command makes to resolve an argument before asking its question (the consensus key
 * behind an operator address, for `q slashing signing-info <valoper>`): when other queries follow,
 * they are not the answer.
 */
const LOOKUP_PATHS: ReadonlySet<string> = new Set(["/cosmos.staking.v1beta1.Query/Validator"]);

/**
 * The SDK JSON of the response of the first recorded query (with the later pages of that same
 * query merged in), or undefined when no query was recorded or its method is not in the schema.
 */
export function sdkJsonOf(calls: readonly AbciCall[]): Json | undefined {
  const answering = calls.filter((c) => !LOOKUP_PATHS.has(c.path));
  const first = answering.length > 0 && answering.length < calls.length ? answering[0] : calls[0];
  if (first === undefined) return undefined;
  const method = methodOf(first.path);
  if (method === undefined) return undefined;
  const key = requestKey(method.input.typeName, first.request);
  const seen = new Set<string>();
  const pages: Json[] = [];
  for (const c of calls) {
    if (c.path !== first.path || requestKey(method.input.typeName, c.request) !== key) continue;
    const id = toHex(c.request);
    if (seen.has(id)) continue;
    seen.add(id);
    pages.push(toSdkJson(method.output.typeName, c.response) as Json);
  }
  return mergePages(pages);
}

/**
 * Prints a query command's result: with -o json the SDK JSON of its query's response (`json`
 * only when it made no ABCI query, e.g. `q tx`); else `text` (or `json` laid out as tables).
 */
export function emitQuery(args: ParsedArgs, session: QuerySession, json: Json, text?: string | Json): void {
  if (outputFormat(args) === "json") {
    emit(args, sdkJsonOf(session.calls) ?? json);
    return;
  }
  emit(args, json, text);
}

/** Runs a query command on a recording connection and prints its result (see emitQuery). */
export async function runQuery(args: ParsedArgs, run: (client: DcertClient) => Promise<{ json: Json; text?: Json | string }>): Promise<number> {
  const session = await openQuery(args);
  try {
    const { json, text } = await run(session.client);
    emitQuery(args, session, json, text);
    return 0;
  } finally {
    session.client.disconnect();
  }
}
