/**
 * Routes: what a circuit break names (the canonical form and the accountability messages are
 * shared with clients, src/types/routes.ts), and how a message's type URL is matched against them.
 *
 * Matching a type URL needs two lookups whatever the number of broken routes: the type URL itself
 * and its package's wildcard (found by the last "."), so the per-message check is O(1) in the size
 * of the broken set and O(length) in the type URL.
 */
import { ACCOUNTABILITY_ROUTES, checkRoute, MAX_ROUTE_LENGTH, packageOf, packageRoute, type Route, type RouteKind, WILDCARD } from "../../../types/routes";
import { ErrMalformedRoute } from "./errors";

export { ACCOUNTABILITY_ROUTES, MAX_ROUTE_LENGTH, packageOf, packageRoute, type Route, type RouteKind };

/** Most routes one MsgCircuitBreak may name. */
export const MAX_ROUTES_PER_MSG = 64;

const ACCOUNTABILITY = new Set(ACCOUNTABILITY_ROUTES);

/** Whether a canonical type URL is an accountability message (never circuit-broken). */
export function isAccountabilityRoute(typeUrl: string): boolean {
  return ACCOUNTABILITY.has(typeUrl);
}

/** Whether a list of messages is non-empty and made only of accountability messages. */
export function onlyAccountability(msgs: readonly { readonly typeUrl: string }[]): boolean {
  return msgs.length > 0 && msgs.every((m) => ACCOUNTABILITY.has(m.typeUrl));
}

function malformed(input: string, why: string, field: string | undefined): never {
  const shown = input.length > 80 ? `${input.slice(0, 80)}…` : input;
  throw ErrMalformedRoute.wrap(
    `${field === undefined ? "" : `${field}: `}route ${JSON.stringify(shown)} ${why}; use an exact type URL like /cosmos.bank.v1beta1.MsgSend or a package like /cosmos.staking.v1beta1.*`,
  );
}

/**
 * Parses and normalises a route; throws ErrMalformedRoute (dcert:52) saying what is wrong
 * (prefixed with `field`, e.g. "routes[2]", when given).
 */
export function parseRoute(input: string, field?: string): Route {
  const r = checkRoute(input);
  if ("error" in r) malformed(input, r.error, field);
  return r;
}

/** The canonical form of a route (throws ErrMalformedRoute). */
export function normalizeRoute(input: string): string {
  return parseRoute(input).route;
}

/** Whether `route` is already in canonical form (genesis holds canonical routes only). */
export function isCanonicalRoute(route: string): boolean {
  try {
    return parseRoute(route).route === route;
  } catch {
    return false;
  }
}

/**
 * The routes that would break a canonical type URL: itself, then its package wildcard (when it
 * has a package). These are the only lookups a check needs.
 */
export function rulesFor(typeUrl: string): readonly [string] | readonly [string, string] {
  const dot = typeUrl.lastIndexOf(".");
  if (dot <= 1 || !typeUrl.startsWith("/")) return [typeUrl];
  return [typeUrl, `${typeUrl.slice(0, dot)}${WILDCARD}`];
}

/**
 * An in-memory set of routes: exact type URLs and package names in two hash sets, so matching is
 * two lookups. Used for the routes of one message (overlaps within it), for the set of routes the
 * app can execute (unknown-route checks) and by tests as the reference semantics.
 */
export class RouteSet {
  private readonly exact = new Set<string>();
  private readonly packages = new Set<string>();

  constructor(routes: Iterable<Route> = []) {
    for (const r of routes) this.add(r);
  }

  add(r: Route): void {
    if (r.kind === "exact") this.exact.add(r.route);
    else this.packages.add(r.pkg);
  }

  has(r: Route): boolean {
    return r.kind === "exact" ? this.exact.has(r.route) : this.packages.has(r.pkg);
  }

  get size(): number {
    return this.exact.size + this.packages.size;
  }

  /** The route that breaks `typeUrl` (canonical): the exact one first, then its package; else undefined. */
  match(typeUrl: string): string | undefined {
    if (this.exact.has(typeUrl)) return typeUrl;
    const pkg = packageOf(typeUrl);
    if (pkg !== "" && this.packages.has(pkg)) return packageRoute(pkg);
    return undefined;
  }

  /** The route in this set that already covers `r` (itself, or for an exact route its package). */
  covering(r: Route): string | undefined {
    if (r.kind === "package") return this.packages.has(r.pkg) ? r.route : undefined;
    return this.match(r.route);
  }
}
