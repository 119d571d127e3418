/**
 * Restoring broken routes. There is no live "unbreak" (ADR 008): routes come back only through an
 * upgrade, by exporting the state, clearing `app_state.dcert.broken_routes` in the new genesis and
 * restarting the chain from it (docs/hard-fork.md). This is the pure genesis edit.
 */
import { GenesisError, obj } from "../../../baseapp/json";

export interface ClearedRoutes {
  /** The genesis document with `app_state.dcert.broken_routes` emptied (a new object; the input is not changed). */
  readonly genesis: Record<string, unknown>;
  /** The routes that were broken, in genesis order. */
  readonly cleared: readonly string[];
}

/**
 * Empties the broken routes of a genesis document (`{ ..., app_state: { dcert: { broken_routes } } }`).
 * Everything else is kept as it is. Throws a GenesisError if the document has no dcert section.
 */
export function clearBrokenRoutes(genesis: unknown): ClearedRoutes {
  const doc = obj(genesis, "(document)");
  const appState = obj(doc["app_state"], "app_state");
  const dcert = obj(appState["dcert"], "app_state.dcert");
  const list = dcert["broken_routes"];
  if (list !== undefined && list !== null && !Array.isArray(list)) throw new GenesisError("app_state.dcert.broken_routes", "expected an array");
  const cleared = (list ?? []).map((x: unknown, i: number) => {
    const route = obj(x, `app_state.dcert.broken_routes[${i}]`)["route"];
    return typeof route === "string" ? route : JSON.stringify(route);
  });
  return {
    genesis: { ...doc, app_state: { ...appState, dcert: { ...dcert, broken_routes: [] } } },
    cleared,
  };
}
