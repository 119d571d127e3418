/**
 * Circuit-breaker routes, the part the chain and its clients share: the canonical form of a route
 * and the accountability messages no route may break. The chain (x/dcert/circuit/routes.ts) wraps
 * `checkRoute` in its registered error; the web app shows the same reasons before a member signs.
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
 */
import { COORD_TYPE_URLS } from "./coord/messages";
import { DCERT_TYPE_URLS } from "./messages";
import { UPGRADE_TYPE_URLS } from "./upgrade/messages";

/** Longest route accepted (canonical form, in characters). */
export const MAX_ROUTE_LENGTH = 256;

/** The suffix of a package route. */
export const WILDCARD = ".*";
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

export type RouteKind = "exact" | "package";

/** A route in canonical form. `pkg` is the proto package it is in (exact) or names (package). */
export interface Route {
  readonly kind: RouteKind;
  /** Canonical: "/<package>.<Message>" or "/<package>.*". */
  readonly route: string;
  readonly pkg: string;
}

/** The canonical route `input` names, or why it names none (a phrase: `route "x" <why>`). Pure. */
export function checkRoute(input: string): Route | { readonly error: string } {
  let body = input;
  if (body.startsWith(GOOGLE_PREFIX)) body = body.slice(GOOGLE_PREFIX.length);
  else if (body.startsWith("/")) body = body.slice(1);
  if (body.length === 0) return { error: "is empty" };
  if (body.length + 1 > MAX_ROUTE_LENGTH) return { error: `is longer than ${MAX_ROUTE_LENGTH} characters` };
  if (body.endsWith(WILDCARD)) {
    const pkg = body.slice(0, -WILDCARD.length);
    if (pkg.length === 0) return { error: "names no package (breaking every route at once is not a route)" };
    if (!FULL_NAME.test(pkg)) return { error: "is not a package name followed by .*" };
    return { kind: "package", route: `/${pkg}${WILDCARD}`, pkg };
  }
  if (!FULL_NAME.test(body)) return { error: "is not a protobuf type URL (identifiers separated by dots, * only as the whole last part)" };
  const dot = body.lastIndexOf(".");
  if (dot < 0) return { error: "has no package (a message type URL is /<package>.<Message>)" };
  return { kind: "exact", route: `/${body}`, pkg: body.slice(0, dot) };
}

/** The package route of a proto package: "cosmos.bank.v1beta1" → "/cosmos.bank.v1beta1.*". */
export function packageRoute(pkg: string): string {
  return `/${pkg}${WILDCARD}`;
}

/**
 * The proto package of a canonical route: "p" for both "/p.M" and "/p.*"; "" for a type URL
 * without a package. No validation (the route is canonical already).
 */
export function packageOf(route: string): string {
  const dot = route.lastIndexOf(".");
  return dot <= 1 || !route.startsWith("/") ? "" : route.slice(1, dot);
}
