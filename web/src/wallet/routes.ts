/**
 * What a circuit break stops, for the confirmation a member sees before breaking: the routes as
 * the chain normalises them (an exact type URL "/pkg.Msg", or a package "/pkg.*" covering the
 * messages directly in that package — not sub-packages) and the message type URLs each covers,
 * among those the client knows. The accountability messages (governance's slash, reinstate,
 * disband, re-establish, dCERT params, upgrade plans, and the coordination messages of those who
 * report to the group) are never covered: the chain refuses to break them. Pure; tested.
 */
import { COORD_TYPE_URLS } from "../../../src/types/coord/messages";
import { DCERT_TYPE_URLS } from "../../../src/types/messages";
import { UPGRADE_TYPE_URLS } from "../../../src/types/upgrade/messages";

/** Never circuit-broken (the chain's list; sorted). */
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

const FULL_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const MAX_ROUTE_LENGTH = 256;

/** The canonical form of a route, or why it is not one. */
export function normalizeRoute(input: string): { readonly route: string } | { readonly error: string } {
  let body = input;
  if (body.startsWith("type.googleapis.com/")) body = body.slice("type.googleapis.com/".length);
  else if (body.startsWith("/")) body = body.slice(1);
  if (body.length === 0) return { error: "is empty" };
  if (body.length + 1 > MAX_ROUTE_LENGTH) return { error: `is longer than ${MAX_ROUTE_LENGTH} characters` };
  if (body.endsWith(".*")) {
    const pkg = body.slice(0, -2);
    if (pkg.length === 0 || !FULL_NAME.test(pkg)) return { error: "is not a package name followed by .*" };
    return { route: `/${pkg}.*` };
  }
  if (!FULL_NAME.test(body) || !body.includes(".")) return { error: "is not a message type URL like /cosmos.bank.v1beta1.MsgSend" };
  return { route: `/${body}` };
}

/** The routes typed in a text box: separated by commas, spaces or new lines. */
export function splitRoutes(text: string): string[] {
  return text.split(/[\s,]+/).filter((r) => r !== "");
}

/** The known type URLs `route` (canonical) covers, sorted; accountability messages excluded. */
export function coveredBy(route: string, known: readonly string[]): string[] {
  const protectedSet = new Set(ACCOUNTABILITY_ROUTES);
  const pkgOf = (t: string) => t.slice(1, t.lastIndexOf("."));
  const hits = route.endsWith(".*") ? known.filter((t) => pkgOf(t) === route.slice(1, -2)) : known.filter((t) => t === route);
  return [...new Set(hits)].filter((t) => !protectedSet.has(t)).sort();
}
