/**
 * The logic of the broken-routes, governance, cases and readiness views, kept free of the DOM and
 * of the client so that it is unit-tested on its own: event parsing, proposal classification, vote
 * and readiness arithmetic (bigint, no floats until the final display), case ids and chain errors.
 */

/** An ABCI event as CosmJS returns it (attribute values are strings). */
export interface ChainEvent {
  readonly type: string;
  readonly attributes: readonly { readonly key: string; readonly value: string }[];
}

/** A circuit break as `dcert.v1.EventCircuitBroken` reports it. */
export interface CircuitBreak {
  readonly member: string;
  readonly routes: readonly string[];
  readonly reason: string;
  /** The coordination case the break cites (0n = none). */
  readonly caseId: bigint;
}

export const CIRCUIT_BROKEN_EVENT = "dcert.v1.EventCircuitBroken";

function jsonAttr(e: ChainEvent, key: string): unknown {
  const a = e.attributes.find((x) => x.key === key);
  if (a === undefined) return undefined;
  try {
    return JSON.parse(a.value) as unknown;
  } catch {
    return undefined;
  }
}

const U64_MAX = 0xffffffffffffffffn;

/** A uint64 as protobuf JSON writes it (a quoted decimal, or a number), else undefined. */
export function parseU64(v: unknown): bigint | undefined {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v !== "string" || !/^[0-9]{1,20}$/.test(v)) return undefined;
  const n = BigInt(v);
  return n <= U64_MAX ? n : undefined;
}

/**
 * The circuit break a typed event reports (attribute values are protobuf JSON), or undefined when
 * the event is of another type or malformed.
 */
export function parseCircuitBroken(e: ChainEvent): CircuitBreak | undefined {
  if (e.type !== CIRCUIT_BROKEN_EVENT) return undefined;
  const member = jsonAttr(e, "member");
  const routes = jsonAttr(e, "routes");
  const reason = jsonAttr(e, "reason");
  const caseRaw = jsonAttr(e, "case_id");
  const caseId = caseRaw === undefined ? 0n : parseU64(caseRaw);
  if (typeof member !== "string" || typeof reason !== "string" || caseId === undefined) return undefined;
  if (!Array.isArray(routes) || !routes.every((r): r is string => typeof r === "string")) return undefined;
  return { member, routes, reason, caseId };
}

/** The case cited by the break of `route` by `member` among `events` (0n when none cites one). */
export function citedCase(events: readonly ChainEvent[], route: string, member: string): bigint {
  for (const e of events) {
    const b = parseCircuitBroken(e);
    if (b !== undefined && b.member === member && b.routes.includes(route) && b.caseId !== 0n) return b.caseId;
  }
  return 0n;
}

// ---- governance

/** What a proposal does to the dCERT, from its messages' type URLs. */
export type DcertProposalKind = "disband" | "slash" | "params" | "reinstate" | "reestablish" | "other dCERT";

const KIND_OF: Readonly<Record<string, DcertProposalKind>> = {
  "/dcert.v1.MsgDisbandGroup": "disband",
  "/dcert.v1.MsgSlashMember": "slash",
  "/dcert.v1.MsgUpdateParams": "params",
  "/dcert.v1.MsgReinstateMember": "reinstate",
  "/dcert.v1.MsgReestablishGroup": "reestablish",
};

/** The dCERT kinds among `typeUrls`, sorted and unique (empty: the proposal does not touch the dCERT). */
export function proposalKinds(typeUrls: readonly string[]): DcertProposalKind[] {
  const kinds = new Set<DcertProposalKind>();
  for (const url of typeUrls) {
    const k = Object.prototype.hasOwnProperty.call(KIND_OF, url) ? KIND_OF[url] : undefined;
    if (k !== undefined) kinds.add(k);
    else if (url.startsWith("/dcert.v1.")) kinds.add("other dCERT");
  }
  return [...kinds].sort();
}

/** A gov v1 tally (decimal strings of voting power). */
export interface Tally {
  readonly yesCount: string;
  readonly abstainCount: string;
  readonly noCount: string;
  readonly noWithVetoCount: string;
}

export const TALLY_OPTIONS = [
  { key: "yesCount", label: "yes" },
  { key: "noCount", label: "no" },
  { key: "noWithVetoCount", label: "no with veto" },
  { key: "abstainCount", label: "abstain" },
] as const;

function power(s: string): bigint {
  return /^[0-9]+$/.test(s) ? BigInt(s) : 0n;
}

/**
 * Each option's share of all votes cast in basis points (floored, so they sum to at most 10 000),
 * with the total; all zero when nobody voted.
 */
export function tallyShares(t: Tally): { total: bigint; bps: Record<(typeof TALLY_OPTIONS)[number]["key"], number> } {
  const total = TALLY_OPTIONS.reduce((s, o) => s + power(t[o.key]), 0n);
  const share = (s: string): number => (total === 0n ? 0 : Number((power(s) * 10_000n) / total));
  return {
    total,
    bps: { yesCount: share(t.yesCount), noCount: share(t.noCount), noWithVetoCount: share(t.noWithVetoCount), abstainCount: share(t.abstainCount) },
  };
}

/** Basis points as a percentage with two decimals ("12.34%"). */
export function formatBps(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const frac = String(bps % 100).padStart(2, "0");
  return `${whole}.${frac}%`;
}

// ---- readiness

/** `part / total` in basis points, floored and clamped to [0, 10 000] (0 when total is 0). */
export function ratioBps(part: bigint, total: bigint): number {
  if (total <= 0n || part <= 0n) return 0;
  if (part >= total) return 10_000;
  return Number((part * 10_000n) / total);
}

/** Whether `part` is strictly more than num/den of `total` (the chain's thresholds, in integers). */
export function exceeds(part: bigint, total: bigint, num: bigint, den: bigint): boolean {
  return part * den > total * num;
}

// ---- cases

/** A case id from the page's address (`#/cases/<id>`): a decimal uint64 above 0, else an error message. */
export function parseCaseId(arg: string | undefined): { id: bigint } | { error: string } {
  if (arg === undefined || arg === "") return { error: "no case id in the address (expected #/cases/<id>)" };
  const id = parseU64(arg.trim());
  if (id === undefined || id === 0n) return { error: `"${arg}" is not a case id (a whole number from 1)` };
  return { id };
}

/** Acknowledgements of a case's notices: parties contacted and how many acknowledged. */
export function ackCounts(involvements: readonly { readonly firstNoticeId: bigint; readonly ackHeight: bigint }[]): { contacted: number; acknowledged: number } {
  let contacted = 0;
  let acknowledged = 0;
  for (const i of involvements) {
    if (i.firstNoticeId !== 0n) contacted++;
    if (i.ackHeight !== 0n) acknowledged++;
  }
  return { contacted, acknowledged };
}

/** An enum member's name without its prefix, lower case: ("CASE_STATUS_OPEN", "CASE_STATUS_") → "open". */
export function enumLabel(names: Readonly<Record<number, string>>, value: number, prefix: string): string {
  const n = names[value];
  if (n === undefined) return `unknown (${value})`;
  return n.replace(prefix, "").toLowerCase().replace(/_/g, " ");
}

// ---- errors

/** A chain error as the views show it: the registered code ("codespace:code") when known and a hint. */
export interface ShownError {
  readonly code?: string;
  readonly message: string;
  readonly hint: string;
}

const HINTS: Readonly<Record<string, string>> = {
  "coord:37": "the case is unknown, closed or withdrawn; check the case id",
  "dcert:56": "accountability routes cannot be broken",
};

/**
 * Describes a failed query or transaction: a "codespace:code" found in the message, else the ABCI
 * code of CosmJS's "Query failed with (N)", with a hint a person can act on.
 */
export function describeError(e: unknown): ShownError {
  const message = e instanceof Error ? e.message : String(e);
  // "codespace:code" (codes are small; host:port pairs such as localhost:26657 are not codes).
  const spaced = /(?<![\w./:@-])([a-z][a-z0-9_]*):([0-9]{1,4})(?![0-9]|\.[0-9])/.exec(message);
  if (spaced !== null && spaced[1] !== "localhost") {
    const code = `${spaced[1]}:${spaced[2]}`;
    return { code, message, hint: HINTS[code] ?? "the chain refused this with a registered error; the message says why" };
  }
  const abci = /Query failed with \(([0-9]+)\)/.exec(message);
  // CosmJS drops a failed query's codespace: the code alone would name no registered error.
  if (abci !== null) return { message: message.replace(abci[0], `The node refused the query (code ${abci[1]})`), hint: "the message says why; check the id or name asked for" };
  if (/fetch|network|socket|ECONNREFUSED|Failed to/i.test(message)) return { message, hint: "the node cannot be reached; check that it runs and that its RPC allows this page's origin" };
  return { message, hint: "retry; if it persists, check the node's logs" };
}
