/**
 * The circuit breaker: the broken-route check used at every enforcement point, and the rules of
 * MsgCircuitBreak (ADR 008; docs/design.md §6).
 *
 * Enforcement (why three places): a check at CheckTx alone is not enough — a proposer can put
 * transactions in a block that never went through its own CheckTx, and messages nested inside
 * others (governance proposals; any exec-style message) never pass the ante chain at all. So the
 * same check runs
 *   1. as a route guard in ante slot 0 (CheckTx, simulate, and FinalizeBlock's ante), before any
 *      signature work, so a broken-route tx costs no signature verification and pays no fee;
 *   2. in ProcessProposal (a block containing such a tx is rejected);
 *   3. as a route guard in `MsgRouter.execute`, which every executed message goes through,
 *      including the messages of a passed governance proposal.
 *
 * State: broken routes are dCERT records (key 0x70 | route under the `dcert/` store, written via
 * the keeper so they travel in the dcert genesis section). The check reads them directly:
 * at most two point lookups per message (the type URL and its package wildcard), memoised key
 * bytes per registered type URL, and no gas (it is a protocol rule, not work the tx asked for; a
 * gas-metered read would also change every tx's gas and the error of a tx with gas limit 0).
 * Reading the store on every check (rather than an in-memory copy) keeps every branch exact: a
 * route broken by a tx is seen by the next tx of the same block, never by CheckTx before Commit,
 * and forgotten if the block is not committed.
 *
 * Invariant (ADR 008; docs/hard-fork.md, "The accountability road is never closed"): the group can
 * never close governance's road to slash or disband it.
 *   - The accountability messages (ACCOUNTABILITY_ROUTES) are never refused by the guard: their
 *     lookup has no keys, so neither an exact rule nor "/dcert.v1.*" (e.g. from an older genesis)
 *     covers them, and MsgCircuitBreak naming one is refused (dcert:56).
 *   - Governance routes may be broken, but a governance message that only moves an
 *     accountability-only proposal forward passes: MsgSubmitProposal whose messages are all
 *     accountability messages (and at least one), and MsgDeposit / MsgVote / MsgVoteWeighted on a
 *     stored proposal whose messages are all accountability messages.
 * This exemption is looked at only after a rule matched (an unbroken route costs nothing more). A
 * vote or deposit costs one unmetered point lookup (does the proposal exist here?) and, the first
 * time a proposal is seen, one decode; the verdict is memoised per proposal id, but only when it
 * was read in CheckTx state, which holds committed proposals only (CheckTx runs no messages).
 * Committed proposal ids are never reused and a proposal's messages never change, so a memoised
 * verdict is the verdict of any branch in which the proposal exists, and every node answers alike.
 */
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Context } from "../../../baseapp/context";
import { concat } from "../../../baseapp/encoding";
import { MSG_DEPOSIT, MSG_SUBMIT_PROPOSAL, MSG_VOTE, MSG_VOTE_WEIGHTED } from "../../gov/msg_server";
import type { DecodedMsg, MsgRouter, RouteGuard } from "../../../baseapp/router";
import { GasKVStore } from "../../../baseapp/store/gaskv";
import type { KVStore } from "../../../baseapp/store/types";
import { EventCircuitBroken } from "../../../generated/dcert/v1/events";
import type { MsgCircuitBreak } from "../../../generated/dcert/v1/tx";
import type { BrokenRoute } from "../../../generated/dcert/v1/types";
import { ErrGroupFrozen, ErrInvalidReason, ErrSuspended } from "../errors";
import { emitTyped } from "../events";
import type { DcertKeeper } from "../keeper/keeper";
import { DCERT_STORE, keys } from "../keys";
import { MAX_REASON_LENGTH, requireAddress } from "../validate";
import type { CoordForCircuit } from "../expected";
import { ErrAlreadyBroken, ErrCaseCitationUnavailable, ErrCircuitBreakDisabled, ErrInvalidRoutes, ErrProtectedRoute, ErrRouteBroken, ErrUnknownRoute } from "./errors";
import {
  isAccountabilityRoute,
  MAX_ROUTES_PER_MSG,
  onlyAccountability,
  packageOf,
  parseRoute,
  type Route,
  RouteSet,
  rulesFor,
} from "./routes";

/** Full store key of a broken-route record ("dcert/" | 0x70 | route): read without the gas meter. */
function brokenKey(route: string): Uint8Array {
  return concat(DCERT_STORE.prefix, keys.brokenRoute(route));
}

/**
 * The state under the context without its gas meter (the app wraps each context's state in a
 * GasKVStore). A nested context whose store is a branch over the metered store still reads
 * correctly; it only charges its own meter.
 */
function unmetered(ctx: Context): KVStore {
  return ctx.store instanceof GasKVStore ? ctx.store.parent : ctx.store;
}

/**
 * What the breaker reads of governance state (read-only): the gov keeper's point lookups.
 */
export interface GovLookup {
  hasProposal(ctx: Context, id: bigint): boolean;
  getProposal(ctx: Context, id: bigint): { readonly messages: readonly Any[] } | undefined;
}

/**
 * How a governance message may move an accountability-only proposal forward: "submit" by the
 * messages it carries, "proposal" by the proposal id it names; undefined for any other message.
 */
type GovKind = "submit" | "proposal" | undefined;

const GOV_KINDS: ReadonlyMap<string, GovKind> = new Map<string, GovKind>([
  [MSG_SUBMIT_PROPOSAL, "submit"],
  [MSG_DEPOSIT, "proposal"],
  [MSG_VOTE, "proposal"],
  [MSG_VOTE_WEIGHTED, "proposal"],
]);

interface Lookup {
  readonly rules: readonly string[];
  readonly keys: readonly Uint8Array[];
  readonly gov: GovKind;
}

/** Most memoised lookups (only registered type URLs are memoised, so this is never reached in practice). */
const MEMO_LIMIT = 4096;
/** Most memoised proposal verdicts (the oldest is forgotten first). */
const PROPOSAL_MEMO_LIMIT = 4096;

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * Parses the routes of a MsgCircuitBreak (stateless): at least one, at most MAX_ROUTES_PER_MSG,
 * each well-formed, and none named twice or already covered by a package route of the same message.
 */
export function parseRouteList(routes: readonly string[]): Route[] {
  if (routes.length === 0) throw ErrInvalidRoutes.wrap("name at least one route to break");
  if (routes.length > MAX_ROUTES_PER_MSG) {
    throw ErrInvalidRoutes.wrap(`${routes.length} routes in one message; at most ${MAX_ROUTES_PER_MSG} (use package routes like /cosmos.staking.v1beta1.* or several messages)`);
  }
  const parsed = routes.map((r, i) => {
    const route = parseRoute(r, `routes[${i}]`);
    if (route.kind === "exact" && isAccountabilityRoute(route.route)) {
      throw ErrProtectedRoute.wrap(
        `routes[${i}] ${route.route} is an accountability message (governance's way to slash, reinstate, disband or re-establish the group, or set its params) and can never be circuit-broken: the group must not be able to close the road that holds it to account (ADR 008); break other routes`,
      );
    }
    return route;
  });
  const seen = new RouteSet();
  // Packages first, so an exact route is caught whichever order the two were given in.
  const order = [...parsed.keys()].sort((a, b) => Number(parsed[a]?.kind === "exact") - Number(parsed[b]?.kind === "exact"));
  for (const i of order) {
    const r = parsed[i] as Route;
    const by = seen.covering(r);
    if (by !== undefined) {
      throw ErrInvalidRoutes.wrap(
        by === r.route ? `routes[${i}] names ${r.route} twice` : `routes[${i}] ${r.route} is already covered by ${by} in the same message; drop one`,
      );
    }
    seen.add(r);
  }
  return parsed;
}

/** The stateless checks of MsgCircuitBreak (validateBasic). */
export function validateCircuitBreak(m: MsgCircuitBreak): Route[] {
  requireAddress(m.member, "member");
  const routes = parseRouteList(m.routes);
  if (m.reason.trim().length === 0) throw ErrInvalidReason.wrap("reason is empty; say why the routes are broken (it is recorded with them)");
  if (m.reason.length > MAX_REASON_LENGTH) throw ErrInvalidReason.wrap(`reason is ${m.reason.length} characters; at most ${MAX_REASON_LENGTH} are allowed`);
  return routes;
}

export class CircuitBreaker {
  private readonly memo = new Map<string, Lookup>();
  /** Proposal id → whether its messages are all accountability messages (committed proposals only). */
  private readonly proposalMemo = new Map<bigint, boolean>();

  /** The route guard the router runs before every message (ante slot 0 and execution). */
  readonly guard: RouteGuard = (ctx, typeUrl, msg) => this.check(ctx, typeUrl, msg?.value);

  /** The ProcessProposal check: throws ErrRouteBroken for the first message on a broken route. */
  readonly proposalCheck = (ctx: Context, msgs: readonly DecodedMsg[]): void => {
    for (const m of msgs) this.check(ctx, m.any.typeUrl, m.value);
  };

  /** The coordination module, once wired (breaks citing a case are refused until then). */
  private coord: CoordForCircuit | undefined;

  constructor(
    readonly keeper: DcertKeeper,
    private readonly router: MsgRouter,
    private readonly gov: GovLookup,
  ) {}

  /** Wires the coordination module that records breaks citing a case (set once, at app build). */
  setCoordination(coord: CoordForCircuit): void {
    if (this.coord !== undefined) throw new Error("the coordination module is already wired to the circuit breaker");
    this.coord = coord;
  }

  private lookup(typeUrl: string): Lookup {
    const hit = this.memo.get(typeUrl);
    if (hit !== undefined) return hit;
    // An accountability message has no rule that could break it: nothing to look up.
    const rules = isAccountabilityRoute(typeUrl) ? [] : rulesFor(typeUrl);
    const l: Lookup = { rules, keys: rules.map(brokenKey), gov: GOV_KINDS.get(typeUrl) };
    if (this.memo.size < MEMO_LIMIT && this.router.has(typeUrl)) this.memo.set(typeUrl, l);
    return l;
  }

  /**
   * Whether a governance message only moves an accountability-only proposal forward (then no
   * broken route stops it): a submission carrying only accountability messages, or a deposit or
   * vote on a stored proposal made only of them. `value` is the decoded message.
   */
  private forAccountability(ctx: Context, kind: GovKind, value: unknown): boolean {
    if (kind === "submit") {
      const messages = field(value, "messages");
      return Array.isArray(messages) && onlyAccountability(messages as Any[]);
    }
    if (kind !== "proposal") return false;
    const id = field(value, "proposalId");
    return typeof id === "bigint" && this.accountabilityProposal(ctx, id);
  }

  /** Whether proposal `id` exists in the state of `ctx` and has only accountability messages. */
  private accountabilityProposal(ctx: Context, id: bigint): boolean {
    const read = ctx.with({ store: unmetered(ctx) });
    if (!this.gov.hasProposal(read, id)) return false;
    const known = this.proposalMemo.get(id);
    if (known !== undefined) return known;
    const p = this.gov.getProposal(read, id);
    const verdict = p !== undefined && onlyAccountability(p.messages);
    // Only CheckTx state is known to hold committed proposals alone (see the header).
    if (ctx.mode === "check" || ctx.mode === "recheck") {
      if (this.proposalMemo.size >= PROPOSAL_MEMO_LIMIT) {
        const oldest = this.proposalMemo.keys().next();
        if (oldest.done !== true) this.proposalMemo.delete(oldest.value);
      }
      this.proposalMemo.set(id, verdict);
    }
    return verdict;
  }

  /**
   * The broken route that covers `typeUrl` (a canonical type URL, as messages carry) in the state
   * of `ctx`: the type URL itself, else its package wildcard; undefined when it may run.
   */
  brokenBy(ctx: Context, typeUrl: string): string | undefined {
    const store = unmetered(ctx);
    const { rules, keys } = this.lookup(typeUrl);
    for (let i = 0; i < keys.length; i++) {
      if (store.has(keys[i] as Uint8Array)) return rules[i];
    }
    return undefined;
  }

  /** The record of a broken route (canonical form), if broken. */
  record(ctx: Context, route: string): BrokenRoute | undefined {
    return this.keeper.brokenRoute(ctx, route);
  }

  /**
   * Throws ErrRouteBroken (dcert:50) when `typeUrl` is on a broken route, unless `value` (the
   * decoded message, when known) is a governance message for an accountability-only proposal.
   */
  check(ctx: Context, typeUrl: string, value?: unknown): void {
    const rule = this.brokenBy(ctx, typeUrl);
    if (rule === undefined) return;
    const { gov } = this.lookup(typeUrl);
    if (gov !== undefined && value !== undefined && this.forAccountability(ctx, gov, value)) return;
    // Only the refusal pays for reading the record (who, when, why).
    const rec = this.keeper.records.getBrokenRoute(ctx.with({ store: unmetered(ctx) }), rule);
    const who = rec === undefined ? "" : ` at height ${rec.height} by ${rec.member} (${JSON.stringify(shorten(rec.reason, 160))})`;
    const detail = `${typeUrl} is circuit-broken by rule ${rule}${who}; it stays disabled until a chain upgrade restores it (docs/hard-fork.md)`;
    // PERF: this refusal is what a flood of broken-route txs costs CheckTx; capturing a stack trace
    // was the largest part of it, and a registered refusal's stack says nothing.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let err: Error;
    try {
      err = ErrRouteBroken.wrap(detail);
    } finally {
      Error.stackTraceLimit = limit;
    }
    throw err;
  }

  /** Whether a canonical route is broken by itself or, for an exact route, by its package. */
  private coveredBy(ctx: Context, r: Route): string | undefined {
    if (r.kind === "exact") return this.brokenBy(ctx, r.route);
    return unmetered(ctx).has(brokenKey(r.route)) ? r.route : undefined;
  }

  /** Answers IsBroken: the rule that breaks a type URL (or package route), if any. */
  isBroken(ctx: Context, typeUrlOrRoute: string): { broken: boolean; rule: string } {
    const r = parseRoute(typeUrlOrRoute);
    const rule = this.coveredBy(ctx, r);
    return { broken: rule !== undefined, rule: rule ?? "" };
  }

  /** Exact type URLs and packages of the messages this app executes. */
  private executable(): { exact: Set<string>; packages: Set<string> } {
    const exact = new Set(this.router.typeUrls());
    const packages = new Set<string>();
    for (const t of exact) {
      const p = packageOf(t);
      if (p !== "") packages.add(p);
    }
    return { exact, packages };
  }

  /**
   * MsgCircuitBreak. Role first (an active, non-suspended member), then the param, then the
   * disband freeze, then the routes (known to this app, not already broken). All routes are
   * broken or none.
   */
  breakRoutes(ctx: Context, m: MsgCircuitBreak): string[] {
    const k = this.keeper;
    const what = "circuit-break message routes";
    if (k.isSuspended(ctx, m.member)) {
      throw ErrSuspended.wrap(`${m.member} is suspended by the group and has lost the power to ${what} until governance reinstates it`);
    }
    k.requireActiveMember(ctx, m.member, what);
    if (!k.params(ctx).circuitBreakEnabled) {
      throw ErrCircuitBreakDisabled.wrap(
        "the circuit_break_enabled param is false; governance enables it with a proposal carrying /dcert.v1.MsgUpdateParams",
      );
    }
    if (k.disbandPending(ctx)) {
      const ids = k.records.disbandProposals(ctx).map((p) => p.proposalId.toString());
      throw ErrGroupFrozen.wrap(`cannot ${what} while disband proposal(s) ${ids.join(", ")} are pending; wait until they conclude`);
    }
    const routes = validateCircuitBreak(m);
    const known = this.executable();
    routes.forEach((r, i) => {
      const ok = r.kind === "exact" ? known.exact.has(r.route) : known.packages.has(r.pkg);
      if (!ok) {
        throw ErrUnknownRoute.wrap(
          r.kind === "exact"
            ? `routes[${i}] ${r.route} is not a message this chain executes`
            : `routes[${i}] ${r.route}: no message this chain executes is in package ${r.pkg}`,
        );
      }
    });
    routes.forEach((r, i) => {
      const by = this.coveredBy(ctx, r);
      if (by !== undefined) {
        const rec = this.keeper.brokenRoute(ctx, by);
        const when = rec === undefined ? "" : ` at height ${rec.height} by ${rec.member}`;
        throw ErrAlreadyBroken.wrap(by === r.route ? `routes[${i}] ${r.route} was already broken${when}` : `routes[${i}] ${r.route} is already broken by ${by}${when}`);
      }
    });
    const height = ctx.block.height;
    for (const r of routes) k.setBrokenRoute(ctx, { route: r.route, member: m.member, reason: m.reason, height });
    const names = routes.map((r) => r.route);
    if (m.caseId !== 0n) {
      if (this.coord === undefined) throw ErrCaseCitationUnavailable.wrap("this chain has no coordination module; send the break with case_id 0");
      // Throws (and so reverts the whole message) when the case cannot be cited.
      this.coord.citeCase(ctx, m.caseId, m.member, names, m.reason);
    }
    emitTyped(ctx, "EventCircuitBroken", EventCircuitBroken, { member: m.member, routes: names, reason: m.reason, caseId: m.caseId });
    return names;
  }
}
