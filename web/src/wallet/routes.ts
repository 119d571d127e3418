/**
 * What a circuit break stops, for the confirmation a member sees before breaking: the routes as
 * the chain normalises them (an exact type URL "/pkg.Msg", or a package "/pkg.*" covering the
 * messages directly in that package — not sub-packages) and the message type URLs each covers,
 * among those the client knows. The accountability messages (governance's slash, reinstate,
 * disband, re-establish, dCERT params, upgrade plans, and the coordination messages of those who
 * report to the group) are never covered: the chain refuses to break them. Pure; tested.
 */
import { ACCOUNTABILITY_ROUTES, checkRoute, packageOf, WILDCARD } from "../../../src/types/routes";

export { ACCOUNTABILITY_ROUTES };

/** The canonical form of a route, or why it is not one (the chain's own rule and reasons). */
export function normalizeRoute(input: string): { readonly route: string } | { readonly error: string } {
  const r = checkRoute(input);
  return "error" in r ? r : { route: r.route };
}

/** The routes typed in a text box: separated by commas, spaces or new lines. */
export function splitRoutes(text: string): string[] {
  return text.split(/[\s,]+/).filter((r) => r !== "");
}

/** The known type URLs `route` (canonical) covers, sorted; accountability messages excluded. */
export function coveredBy(route: string, known: readonly string[]): string[] {
  const protectedSet = new Set(ACCOUNTABILITY_ROUTES);
  const hits = route.endsWith(WILDCARD) ? known.filter((t) => !t.endsWith(WILDCARD) && packageOf(t) === packageOf(route)) : known.filter((t) => t === route);
  return [...new Set(hits)].filter((t) => !protectedSet.has(t)).sort();
}
