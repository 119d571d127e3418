/**
 * ROUTE components: a message type URL ("/cosmos.bank.v1beta1.MsgSend") or a package wildcard
 * ("/cosmos.bank.v1beta1.*"), normalised by the circuit breaker's own rule (src/types/routes.ts,
 * `checkRoute`: the leading "/" may be omitted, a "type.googleapis.com/" prefix is accepted,
 * nothing else is rewritten, "/.*" and "*" are refused, at most 256 characters in canonical form).
 * A wildcard covers the messages of exactly its package: not sub-packages, not packages that share
 * a prefix.
 */
import { checkRoute, MAX_ROUTE_LENGTH, packageOf, packageRoute, WILDCARD } from "../../../types/routes";
import { ComponentError, shown } from "./errors";

export { MAX_ROUTE_LENGTH, packageOf, packageRoute };

export interface ParsedRoute {
  /** Canonical: "/<package>.<Message>" or "/<package>.*". */
  readonly route: string;
  readonly wildcard: boolean;
  /** The proto package the message is in (exact) or that the wildcard names. */
  readonly pkg: string;
}

/** Parses and normalises a route; throws ComponentError. */
export function parseRoute(input: string): ParsedRoute {
  const r = checkRoute(input);
  if ("error" in r) {
    throw new ComponentError(
      `route ${shown(input)} ${r.error}; a route is a message type URL like /cosmos.bank.v1beta1.MsgSend or a package wildcard like /cosmos.bank.v1beta1.* (at most ${MAX_ROUTE_LENGTH} characters)`,
    );
  }
  return { route: r.route, wildcard: r.kind === "package", pkg: r.pkg };
}

/** The canonical form of a route (throws ComponentError). */
export function normalizeRoute(input: string): string {
  return parseRoute(input).route;
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
  return packageOf(a) === packageOf(b);
}
