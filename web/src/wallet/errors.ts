/**
 * A chain error as the app shows it: the registered code ("codespace:code"), its description and
 * what to do. The SDK's root errors come from the registry in src/types/errors.ts; the dCERT
 * module's (and its circuit breaker's, same codespace) are listed here by code, the way clients
 * rely on them (a unit test checks them against the module's registrations).
 *
 * Where a failure comes from: a transaction included with a non-zero code (code, codespace and the
 * app's raw_log), a CheckTx refusal (CosmJS: "Broadcasting transaction failed with code N
 * (codespace: S). Log: …") or a failed simulation while estimating gas (CosmJS: "Query failed with
 * (N): …", without the codespace: it is recovered from the log, which ends with the registered
 * description, as the chain's errors are written "<detail>: <description>").
 */
import { registeredErrors } from "../../../src/types/errors";

/** What failed, as the chain reported it. */
export interface ChainFailure {
  readonly code: number;
  /** Unknown for a failed simulation (CosmJS drops it). */
  readonly codespace?: string;
  readonly log: string;
}

/** An error ready to show. `id` is "codespace:code" for chain errors, undefined for others. */
export interface ShownError {
  readonly id?: string;
  readonly description: string;
  /** The chain's log (or the error's message). */
  readonly detail: string;
  readonly hint: string;
}

/** The dCERT module's registered errors (codespace "dcert": 2–49 the module, 50–99 circuit breaking). */
export const DCERT_ERRORS: readonly (readonly [number, string])[] = [
  [2, "not an active dCERT member"],
  [3, "not eligible for admission"],
  [4, "invalid vote"],
  [5, "invalid address"],
  [6, "invalid amount"],
  [7, "wrong denomination"],
  [8, "insufficient bond"],
  [9, "insufficient funds"],
  [10, "too many unbonding entries"],
  [11, "admission already accepted"],
  [12, "no standing acceptance"],
  [13, "suspended"],
  [14, "not suspended"],
  [15, "suspension vote already cast"],
  [16, "invalid suspension vote"],
  [17, "invalid authority"],
  [18, "invalid dcert params"],
  [19, "the dCERT group is disbanded"],
  [20, "the dCERT group is not disbanded"],
  [21, "disband wager too small"],
  [22, "the dCERT group is frozen by a pending disband proposal"],
  [23, "invalid fraction"],
  [24, "nothing to slash"],
  [25, "invalid description"],
  [26, "not found"],
  [27, "too many vote entries"],
  [28, "inconsistent dcert state"],
  [29, "invalid request"],
  [30, "invalid reason"],
  [31, "barred from admission by a governance slash"],
  [50, "message route is circuit-broken"],
  [51, "circuit breaking is disabled"],
  [52, "malformed route"],
  [53, "unknown route"],
  [54, "route already broken"],
  [55, "invalid route list"],
  [56, "route cannot be circuit-broken"],
  [57, "case citation unavailable"],
];

/** What to do, by "codespace:code". */
const HINTS: Readonly<Record<string, string>> = {
  "sdk:4": "sign with the account the message names (connect that account's wallet)",
  "sdk:5": "the account cannot pay the fee or the amount: fund it, or send less",
  "sdk:7": "check the address: a dcert1… account address",
  "sdk:11": "the transaction ran out of gas: send it again (the estimate is redone)",
  "sdk:13": "the fee is below the node's minimum gas price: check the gas price in the app's config.json",
  "sdk:32": "another transaction of this account got in first: send again",
  "dcert:2": "only an active member of the group may do this: check the group view",
  "dcert:3": "bond at least the minimum member bond first (the Act view), then accept admission; a suspended or barred address cannot",
  "dcert:4": "give each candidate once, positive shares adding up to at most 100%",
  "dcert:5": "check the addresses: dcert1… account addresses",
  "dcert:6": "give a positive whole amount in the bond denom",
  "dcert:7": "bond in the chain's bond denom (the params view shows it)",
  "dcert:8": "bond at least the minimum member bond (the params view shows it)",
  "dcert:9": "the account does not hold that much: fund it or bond less",
  "dcert:11": "you have already accepted admission: nothing to do",
  "dcert:12": "accept admission first",
  "dcert:13": "a suspended member cannot act until governance reinstates it",
  "dcert:15": "you have already voted to suspend this member",
  "dcert:16": "name another active member, and give a reason",
  "dcert:19": "the group is disbanded: nothing can be done until governance re-establishes it",
  "dcert:22": "a disband proposal is pending: the group's actions wait until it concludes",
  "dcert:25": "shorten the description's fields",
  "dcert:27": "split your vote over fewer candidates (the params view shows the most)",
  "dcert:30": "give a reason (not blank, not too long)",
  "dcert:31": "governance slashed this address: it cannot accept admission until governance reinstates it",
  "dcert:50": "this message's route is circuit-broken by the group: see the broken routes view",
  "dcert:51": "circuit breaking is disabled by the params",
  "dcert:52": "use an exact type URL like /cosmos.bank.v1beta1.MsgSend or a package like /cosmos.staking.v1beta1.*",
  "dcert:53": "name a route the chain knows (a registered message type or package)",
  "dcert:54": "the route is already broken: see the broken routes view",
  "dcert:55": "name at least one route, each once",
  "dcert:56": "governance's accountability messages can never be broken: choose other routes",
};

const GENERIC_HINT = "read the detail above; if it does not say how to fix it, report it with the code";

interface Known {
  readonly codespace: string;
  readonly code: number;
  readonly description: string;
}

/** Every error this app knows: the SDK's root errors and the dCERT module's. */
export const KNOWN_ERRORS: readonly Known[] = [
  ...registeredErrors().map((e) => ({ codespace: e.codespace, code: e.code, description: e.description })),
  ...DCERT_ERRORS.map(([code, description]) => ({ codespace: "dcert", code, description })),
];

/** The registered error a failure is, if known: by codespace and code, else by code and the log's ending. */
function knownOf(f: ChainFailure): Known | undefined {
  const byCode = KNOWN_ERRORS.filter((k) => k.code === f.code);
  if (f.codespace !== undefined) return byCode.find((k) => k.codespace === f.codespace);
  const log = f.log.trim();
  return byCode.find((k) => log === k.description || log.endsWith(`: ${k.description}`));
}

/** The failure shown: its registered code, description and what to do. */
export function describeFailure(f: ChainFailure): ShownError {
  const k = knownOf(f);
  const codespace = f.codespace ?? k?.codespace;
  const id = `${codespace === undefined || codespace === "" ? "unknown" : codespace}:${f.code}`;
  return { id, description: k?.description ?? "unregistered error", detail: f.log, hint: HINTS[id] ?? GENERIC_HINT };
}

const BROADCAST = /Broadcasting transaction failed with code (\d+) \(codespace: ([^)]*)\)\. Log: ([\s\S]*)$/;
const QUERY = /Query failed with \((\d+)\): ([\s\S]*)$/;

/** The chain failure inside a CosmJS error message, if it is one. */
export function parseFailure(message: string): ChainFailure | undefined {
  const b = BROADCAST.exec(message);
  if (b !== null) return { code: Number(b[1]), codespace: b[2] ?? "", log: b[3] ?? "" };
  const q = QUERY.exec(message);
  if (q !== null) return { code: Number(q[1]), log: q[2] ?? "" };
  return undefined;
}

/** Any error thrown while signing or sending: a chain error with its code, or what happened. */
export function shownErrorOf(e: unknown): ShownError {
  const message = e instanceof Error ? e.message : String(e);
  const failure = parseFailure(message);
  if (failure !== undefined && failure.code !== 0) return describeFailure(failure);
  if (/reject|denied|cancel/i.test(message)) return { description: "not signed", detail: message, hint: "the wallet did not sign: approve the request in the wallet to send" };
  if (/fetch|network|ECONNREFUSED|timed? ?out|was submitted but was not yet found/i.test(message)) {
    return { description: "no answer from the node", detail: message, hint: "check that the node is running and reachable, then look for the transaction before sending again" };
  }
  return { description: "the transaction was not sent", detail: message, hint: GENERIC_HINT };
}
