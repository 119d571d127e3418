/**
 * ROUTE components: a message type URL ("/cosmos.bank.v1beta1.MsgSend") or a package wildcard
 * ("/cosmos.bank.v1beta1.*"), normalised exactly as the circuit breaker normalises routes
 * (src/x/dcert/circuit/routes.ts, `normalizeRoute`; the layering forbids importing it, so this is a
 * re-implementation, and test/unit/coord/match.test.ts checks the two agree on many inputs):
 *   - the leading "/" may be omitted and a "type.googleapis.com/" prefix is accepted;
 *   - nothing else is rewritten: type URLs are case-sensitive, whitespace is malformed;
 *   - a package wildcard names a package; "/.*" and "*" are refused;
 *   - at most 256 characters in canonical form.
 * A wildcard covers the messages of exactly its package: not sub-packages, not packages that share
 * a prefix.
 */
import { ComponentError, shown } from "./errors";

export const MAX_ROUTE_LENGTH = 256;

const WILDCARD = ".*";
const GOOGLE_PREFIX = "type.googleapis.com/";
/** A protobuf full name: identifiers separated by single dots. */
const FULL_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export interface ParsedRoute {
  /** Canonical: "/<package>.<Message>" or "/<package>.*". */
  readonly route: string;
  readonly wildcard: boolean;
  /** The proto package the message is in (exact) or that the wildcard names. */
  readonly pkg: string;
}

function bad(input: string, why: string): never {
  throw new ComponentError(
    `route ${shown(input)} ${why}; a route is a message type URL like /cosmos.bank.v1beta1.MsgSend or a package wildcard like /cosmos.bank.v1beta1.* (at most ${MAX_ROUTE_LENGTH} characters)`,
  );
}

/** Parses and normalises a route; throws ComponentError. */
export function parseRoute(input: string): ParsedRoute {
  let body = input;
  if (body.startsWith(GOOGLE_PREFIX)) body = body.slice(GOOGLE_PREFIX.length);
  else if (body.startsWith("/")) body = body.slice(1);
  if (body.length === 0) bad(input, "is empty");
  if (body.length + 1 > MAX_ROUTE_LENGTH) bad(input, `is longer than ${MAX_ROUTE_LENGTH} characters`);
  if (body.endsWith(WILDCARD)) {
    const pkg = body.slice(0, -WILDCARD.length);
    if (pkg.length === 0) bad(input, "names no package");
    if (!FULL_NAME.test(pkg)) bad(input, "is not a package name followed by .*");
    return { route: `/${pkg}${WILDCARD}`, wildcard: true, pkg };
  }
  if (!FULL_NAME.test(body)) bad(input, "is not a protobuf type URL (identifiers separated by dots, * only as the whole last part, no whitespace)");
  const dot = body.lastIndexOf(".");
  if (dot < 0) bad(input, "has no package (a message type URL is /<package>.<Message>)");
  return { route: `/${body}`, wildcard: false, pkg: body.slice(0, dot) };
}

/** The canonical form of a route (throws ComponentError). */
export function normalizeRoute(input: string): string {
  return parseRoute(input).route;
}

/** The package wildcard route of a proto package. */
export function packageWildcard(pkg: string): string {
  return `/${pkg}${WILDCARD}`;
}

/**
 * The package of a canonical route: for "/p.M" and "/p.*" it is "p". No validation (the route is
 * canonical already).
 */
export function routePackage(route: string): string {
  const body = route.slice(1);
  if (body.endsWith(WILDCARD)) return body.slice(0, -WILDCARD.length);
  return body.slice(0, body.lastIndexOf("."));
}

/** Whether a canonical route is a package wildcard. */
export function isWildcard(route: string): boolean {
  return route.endsWith(WILDCARD);
}

/** route ↔ route: equal, or one is the wildcard of the other's package. Both canonical. */
export function routesMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const wa = isWildcard(a);
  const wb = isWildcard(b);
  if (wa === wb) return false; // two exact routes, or two wildcards, match only when equal
  return routePackage(a) === routePackage(b);
}
