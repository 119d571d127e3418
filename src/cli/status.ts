/**
 * `dcertd status [--node URL] [--stall-after S]`: what a node says about itself, from CometBFT's
 * `/status` (moniker, network, latest block, catching up, validator) and `/abci_info` (the app and
 * its versions), and whether consensus looks stalled: the latest block time older than
 * `--stall-after` seconds by this machine's clock (a client-side check, never block execution).
 * A node that is catching up or has no block yet is not called stalled.
 */
import { UsageError, stringFlag, type Command, type ParsedArgs } from "./args";
import { CliError } from "./cmdtree";
import { NODE_ENV, NODE_FLAG, resolveNode, unreachable } from "./clientenv";
import { emit, kvTable, OUTPUT_FLAG, type Json } from "./output";

export const DEFAULT_STALL_AFTER_S = 30;
const RPC_TIMEOUT_MS = 10_000;

/** Fetches one CometBFT RPC route (GET, URI form) and returns its `result`. */
export type RpcGet = (node: string, route: string) => Promise<unknown>;

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {};
}

function str(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "bigint" ? String(v) : "";
}

/** The real RpcGet: `fetch(node/route)`; an unreachable node is clientenv's error. */
export const httpRpcGet: RpcGet = async (node, route) => {
  let res: Response;
  try {
    res = await fetch(`${node}/${route}`, { signal: AbortSignal.timeout(RPC_TIMEOUT_MS) });
  } catch (e) {
    throw unreachable(node, e);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CliError(`the node at ${node} answered /${route} with HTTP ${res.status} and no JSON`, `check that --node / $${NODE_ENV} points at a CometBFT RPC endpoint (port 26657 by default)`);
  }
  const err = obj(body)["error"];
  if (err !== undefined) {
    const e = obj(err);
    throw new CliError(`the node at ${node} refused /${route}: ${str(e["message"])} ${str(e["data"])}`.trim(), "check the node's logs; it may still be starting");
  }
  if (!("result" in obj(body))) throw new CliError(`the node at ${node} answered /${route} without a result`, `check that --node / $${NODE_ENV} points at a CometBFT RPC endpoint`);
  return obj(body)["result"];
};

/** Milliseconds since the epoch of an RFC 3339 time (any number of fraction digits), or undefined. */
export function parseRfc3339Ms(t: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(t);
  if (m === null) return undefined;
  const frac = (m[2] ?? "").slice(0, 3).padEnd(3, "0");
  const ms = Date.parse(`${m[1] ?? ""}.${frac}${m[3] ?? ""}`);
  return Number.isNaN(ms) ? undefined : ms;
}

export interface StatusReport {
  readonly node_info: { readonly id: string; readonly moniker: string; readonly network: string; readonly version: string };
  readonly sync_info: {
    readonly latest_block_hash: string;
    readonly latest_app_hash: string;
    readonly latest_block_height: string;
    readonly latest_block_time: string;
    readonly catching_up: boolean;
  };
  readonly validator_info: { readonly address: string; readonly voting_power: string };
  readonly application_info: { readonly data: string; readonly version: string; readonly app_version: string; readonly last_block_height: string };
  readonly consensus: {
    readonly stalled: boolean;
    /** Whole seconds since the latest block by this machine's clock; null before the first block. */
    readonly seconds_since_block: number | null;
    readonly stall_after: number;
  };
}

/** Whether a node's consensus looks stalled, and how old its latest block is (whole seconds). */
export interface ConsensusVerdict {
  readonly stalled: boolean;
  /** null before the first block (height 0 or no parseable time). */
  readonly seconds_since_block: number | null;
}

/**
 * The stall rule: a node whose latest block (height > 0, time `blockTime`) is older than
 * `stallAfterS` seconds at local time `nowMs` and that is not catching up is stalled.
 */
export function consensusVerdict(height: string, blockTime: string, catchingUp: boolean, nowMs: number, stallAfterS: number): ConsensusVerdict {
  const blockMs = parseRfc3339Ms(blockTime);
  const hasBlock = height !== "" && height !== "0" && blockMs !== undefined;
  const age = hasBlock ? Math.max(0, Math.floor((nowMs - blockMs) / 1000)) : null;
  return { stalled: age !== null && !catchingUp && age > stallAfterS, seconds_since_block: age };
}

/** Builds the report from the `result`s of `/status` and `/abci_info` at local time `nowMs`. */
export function statusReport(status: unknown, abciInfo: unknown, nowMs: number, stallAfterS: number): StatusReport {
  const s = obj(status);
  const ni = obj(s["node_info"]);
  const si = obj(s["sync_info"]);
  const vi = obj(s["validator_info"]);
  const ai = obj(obj(abciInfo)["response"]);
  const height = str(si["latest_block_height"]) || "0";
  const time = str(si["latest_block_time"]);
  const catchingUp = si["catching_up"] === true;
  const verdict = consensusVerdict(height, time, catchingUp, nowMs, stallAfterS);
  return {
    node_info: { id: str(ni["id"]), moniker: str(ni["moniker"]), network: str(ni["network"]), version: str(ni["version"]) },
    sync_info: {
      latest_block_hash: str(si["latest_block_hash"]),
      latest_app_hash: str(si["latest_app_hash"]),
      latest_block_height: height,
      latest_block_time: time,
      catching_up: catchingUp,
    },
    validator_info: { address: str(vi["address"]), voting_power: str(vi["voting_power"]) || "0" },
    application_info: { data: str(ai["data"]), version: str(ai["version"]), app_version: str(ai["app_version"]) || "0", last_block_height: str(ai["last_block_height"]) || "0" },
    consensus: { stalled: verdict.stalled, seconds_since_block: verdict.seconds_since_block, stall_after: stallAfterS },
  };
}

/** The one line about consensus in the text output. */
export function consensusLine(r: StatusReport): string {
  const c = r.consensus;
  if (c.seconds_since_block === null) return "no block yet";
  if (c.stalled) return `consensus stalled for ${c.seconds_since_block} s (no block since ${r.sync_info.latest_block_time}; threshold ${c.stall_after} s)`;
  if (r.sync_info.catching_up) return `catching up (latest block ${c.seconds_since_block} s old)`;
  return `ok (latest block ${c.seconds_since_block} s ago)`;
}

export function statusText(r: StatusReport): string {
  const power = r.validator_info.voting_power;
  return kvTable([
    ["moniker", r.node_info.moniker],
    ["network", r.node_info.network],
    ["node_id", r.node_info.id],
    ["cometbft", r.node_info.version],
    ["app", `${r.application_info.data} ${r.application_info.version} (app version ${r.application_info.app_version})`],
    ["latest_block_height", r.sync_info.latest_block_height],
    ["latest_block_time", r.sync_info.latest_block_time],
    ["latest_app_hash", r.sync_info.latest_app_hash],
    ["catching_up", r.sync_info.catching_up ? "yes" : "no"],
    ["validator_address", r.validator_info.address],
    ["voting_power", power === "0" ? "0 (not a validator of the current set)" : power],
    ["consensus", consensusLine(r)],
  ]);
}

export function stallAfter(args: ParsedArgs): number {
  const v = stringFlag(args, "stall-after");
  if (v === undefined) return DEFAULT_STALL_AFTER_S;
  if (!/^[0-9]+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) throw new UsageError(`--stall-after must be a whole number of seconds ≥ 1, got "${v}"`);
  return Number(v);
}

/** The command, with the RPC and the clock injectable for tests. */
export function makeStatusCommand(deps: { rpc: RpcGet; now: () => number } = { rpc: httpRpcGet, now: () => Date.now() }): Command {
  return {
    name: "status",
    summary: "a node's status: moniker, network, latest block, sync, validator, app version, stalled consensus",
    details: [
      "Reads CometBFT's /status and /abci_info. \"consensus stalled for N s\" when the latest block is older than",
      "--stall-after seconds by this machine's clock (not while the node is catching up). -o json prints",
      "{node_info, sync_info, validator_info, application_info, consensus: {stalled, seconds_since_block, stall_after}}.",
    ],
    shorts: true,
    flags: [
      NODE_FLAG,
      { name: "stall-after", valueName: "seconds", description: "call consensus stalled when the latest block is older than this", defaultText: String(DEFAULT_STALL_AFTER_S) },
      OUTPUT_FLAG,
    ],
    async run(args) {
      if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ""}"`);
      const threshold = stallAfter(args);
      const node = resolveNode(args);
      const status = await deps.rpc(node, "status");
      const abci = await deps.rpc(node, "abci_info");
      const report = statusReport(status, abci, deps.now(), threshold);
      emit(args, report as unknown as Json, statusText(report));
      return 0;
    },
  };
}

export const statusCommand = makeStatusCommand();
