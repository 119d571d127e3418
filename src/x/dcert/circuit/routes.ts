/**
 * Routes: what a circuit break names, and how a message's type URL is matched against them.
 *
 * A route is either
 *   - an exact type URL, "/<package>.<Message>" (e.g. "/cosmos.bank.v1beta1.MsgSend"), or
 *   - a whole proto package, "/<package>.*" (e.g. "/cosmos.staking.v1beta1.*"), which covers every
 *     message whose full name is "<package>.<Name>" — and nothing else: not sub-packages
 *     ("/cosmos.staking.v1beta1.foo.MsgX" is in package "cosmos.staking.v1beta1.foo"), not
 *     packages that merely share a prefix ("/cosmos.staking.v1beta11.MsgX").
 *
 * Normalisation (the canonical form is what is stored, compared and reported): the leading "/"
 * may be omitted and a "type.googleapis.com/" prefix is accepted; nothing else is rewritten (type
 * URLs are case-sensitive, whitespace is malformed, not trimmed).
 *
 * Matching a type URL needs two lookups whatever the number of broken routes: the type URL itself
 * and its package's wildcard (found by the last "."), so the per-message check is O(1) in the size
 * of the broken set and O(length) in the type URL.
 */
import { COORD_TYPE_URLS } from "../../../types/coord/messages";
import { DCERT_TYPE_URLS } from "../../../types/messages";
import { UPGRADE_TYPE_URLS } from "../../../types/upgrade/messages";
import { ErrMalformedRoute } from "./errors";

/** Longest route accepted (canonical form, in characters). */
export const MAX_ROUTE_LENGTH = 256;
/** Most routes one MsgCircuitBreak may name. */
export const MAX_ROUTES_PER_MSG = 64;

const WILDCARD = ".*";
const GOOGLE_PREFIX = "type.googleapis.com/";
/** A proto full name: identifiers separated by single dots. */
const FULL_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * The accountability messages: governance's road to slash, reinstate, disband and re-establish the
 * group and to set its params (ADR 008 gives governance these powers precisely against a colluding
 * group), and the coordination messages of the people the group serves — sealed input to the group,
 * acknowledgements and involvement updates — so the group cannot silence those who report to it or
 * answer it; and governance's upgrade plans (MsgSoftwareUpgrade, MsgCancelUpgrade), so the group
 * can stop neither the upgrade that restores routes nor the cancelling of its own pre-approved plan.
 * They can never be circuit-broken: naming one exactly is refused, and a package route
 * ("/dcert.v1.*", "/coord.v1.*") never covers them, whatever is stored. Sorted.
 */
export const ACCOUNTABILITY_ROUTES: readonly string[] = [
  COORD_TYPE_URLS.submitInput,
  COORD_TYPE_URLS.acknowledge,
  COORD_TYPE_URLS.updateInvolvement,
  DCERT_TYPE_URLS.slashMember,
  DCERT_TYPE_URLS.reinstateMember,
  DCERT_TYPE_URLS.disbandGroup,
  DCERT_TYPE_URLS.reestablishGroup,
  DCERT_TYPE_URLS.updateParams,
  UPGRADE_TYPE_URLS.softwareUpgrade,
  UPGRADE_TYPE_URLS.cancelUpgrade,
].sort();

const ACCOUNTABILITY = new Set(ACCOUNTABILITY_ROUTES);

/** Whether a canonical type URL is an accountability message (never circuit-broken). */
export function isAccountabilityRoute(typeUrl: string): boolean {
  return ACCOUNTABILITY.has(typeUrl);
}

/** Whether a list of messages is non-empty and made only of accountability messages. */
export function onlyAccountability(msgs: readonly { readonly typeUrl: string }[]): boolean {
  return msgs.length > 0 && msgs.every((m) => ACCOUNTABILITY.has(m.typeUrl));
}

export type RouteKind = "exact" | "package";

/** A route in canonical form. `pkg` is the proto package it is in (exact) or names (package). */
export interface Route {
  readonly kind: RouteKind;
  /** Canonical: "/<package>.<Message>" or "/<package>.*". */
  readonly route: string;
  readonly pkg: string;
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
  let body = input;
  if (body.startsWith(GOOGLE_PREFIX)) body = body.slice(GOOGLE_PREFIX.length);
  else if (body.startsWith("/")) body = body.slice(1);
  if (body.length === 0) malformed(input, "is empty", field);
  if (body.length + 1 > MAX_ROUTE_LENGTH) malformed(input, `is longer than ${MAX_ROUTE_LENGTH} characters`, field);
  if (body.endsWith(WILDCARD)) {
    const pkg = body.slice(0, -WILDCARD.length);
    if (pkg.length === 0) malformed(input, "names no package (breaking every route at once is not a route)", field);
    if (!FULL_NAME.test(pkg)) malformed(input, "is not a package name followed by .*", field);
    return { kind: "package", route: `/${pkg}${WILDCARD}`, pkg };
  }
  if (!FULL_NAME.test(body)) malformed(input, "is not a protobuf type URL (identifiers separated by dots, * only as the whole last part)", field);
  const dot = body.lastIndexOf(".");
  if (dot < 0) malformed(input, "has no package (a message type URL is /<package>.<Message>)", field);
  return { kind: "exact", route: `/${body}`, pkg: body.slice(0, dot) };
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

/** The package wildcard route of a package. */
export function packageRoute(pkg: string): string {
  return `/${pkg}${WILDCARD}`;
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

/** The package of a canonical exact type URL ("" when it has none). */
export function packageOf(typeUrl: string): string {
  const dot = typeUrl.lastIndexOf(".");
  return dot <= 1 || !typeUrl.startsWith("/") ? "" : typeUrl.slice(1, dot);
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
