/**
 * The dependency matcher of the coordination module (docs/coordination.md §2.1): pure, with no
 * store, no I/O, no clock, no floats and no imports outside src/generated. The keeper validates
 * parties' dependencies and cases' affected components with `canonicalComponent`, finds candidate
 * parties through its index with `indexSelector` / `candidateSelectors`, and decides with
 * `componentMatches` / `anyMatch`; `Query/Match` exposes the same functions.
 *
 * Vocabulary (`Component {kind, name, versions}`):
 *   ROUTE    a type URL "/pkg.Msg" or package wildcard "/pkg.*" (routes.ts); versions empty.
 *   MODULE   a module name of the ModuleTable (module → proto packages); versions empty.
 *   TAG      a behaviour tag such as "mempool/cpfp-carveout" (tags.ts); versions empty.
 *   PACKAGE  a purl without version (purl.ts) and a `vers:` range, "" = every version (vers.ts).
 *
 * Matching (symmetric; nothing else matches):
 *   route ↔ route     equal, or one is the wildcard of the other's package;
 *   route ↔ module    the route's package is one of the module's packages;
 *   module ↔ module   equal;
 *   tag ↔ tag         equal (bytes);
 *   package ↔ package same canonical purl and the two ranges have a version in common.
 */
import { type Component, ComponentKind } from "../../../generated/coord/v1/types";
import { ComponentError } from "./errors";
import { canonicalPurl } from "./purl";
import { normalizeRoute, packageOf, packageRoute, routesMatch } from "./routes";
import { canonicalTag } from "./tags";
import { parseVers, rangesIntersect, type VersRange } from "./vers";

export { ComponentError } from "./errors";

/** Module name → the proto packages its messages are in, e.g. bank → ["cosmos.bank.v1beta1"]. */
export type ModuleTable = ReadonlyMap<string, readonly string[]>;

function noVersions(c: Component, kind: string): void {
  if (c.versions !== "") {
    throw new ComponentError(`a ${kind} component has no versions (got ${JSON.stringify(c.versions.slice(0, 80))}); only a package component takes a vers: range`);
  }
}

function sortedModules(modules: ModuleTable): string[] {
  return [...modules.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Validates and returns the canonical form; throws ComponentError. */
export function canonicalComponent(c: Component, modules: ModuleTable): Component {
  switch (c.kind) {
    case ComponentKind.COMPONENT_KIND_ROUTE:
      noVersions(c, "route");
      return { kind: c.kind, name: normalizeRoute(c.name), versions: "" };
    case ComponentKind.COMPONENT_KIND_MODULE:
      noVersions(c, "module");
      if (!modules.has(c.name)) {
        throw new ComponentError(`module ${JSON.stringify(c.name.slice(0, 80))} is not a module of this chain; the modules are: ${sortedModules(modules).join(", ")}`);
      }
      return { kind: c.kind, name: c.name, versions: "" };
    case ComponentKind.COMPONENT_KIND_TAG:
      noVersions(c, "tag");
      return { kind: c.kind, name: canonicalTag(c.name), versions: "" };
    case ComponentKind.COMPONENT_KIND_PACKAGE:
      return { kind: c.kind, name: canonicalPurl(c.name), versions: parseVers(c.versions).canonical };
    default:
      throw new ComponentError(`component kind ${String(c.kind)} is not one of ROUTE, MODULE, TAG, PACKAGE`);
  }
}

/**
 * Parsed canonical ranges, so that matching one component against many candidate dependencies
 * parses the component's range once. A memo of a pure function (bounded: emptied when full), so
 * it cannot change a result.
 */
const RANGES = new Map<string, VersRange>();
const MAX_CACHED_RANGES = 4096;

function rangeOf(versions: string): VersRange {
  let r = RANGES.get(versions);
  if (r === undefined) {
    r = parseVers(versions).range;
    if (RANGES.size >= MAX_CACHED_RANGES) RANGES.clear();
    RANGES.set(versions, r);
  }
  return r;
}

function moduleHasRoute(modules: ModuleTable, module: string, route: string): boolean {
  return modules.get(module)?.includes(packageOf(route)) ?? false;
}

/** Both arguments canonical. dep = a party's declared dependency, comp = an affected component. */
export function componentMatches(dep: Component, comp: Component, modules: ModuleTable): boolean {
  const R = ComponentKind.COMPONENT_KIND_ROUTE;
  const M = ComponentKind.COMPONENT_KIND_MODULE;
  if (dep.kind === R && comp.kind === R) return routesMatch(dep.name, comp.name);
  if (dep.kind === R && comp.kind === M) return moduleHasRoute(modules, comp.name, dep.name);
  if (dep.kind === M && comp.kind === R) return moduleHasRoute(modules, dep.name, comp.name);
  if (dep.kind !== comp.kind) return false;
  switch (dep.kind) {
    case M:
    case ComponentKind.COMPONENT_KIND_TAG:
      return dep.name === comp.name;
    case ComponentKind.COMPONENT_KIND_PACKAGE:
      return dep.name === comp.name && rangesIntersect(rangeOf(dep.versions), rangeOf(comp.versions));
    default:
      return false;
  }
}

/** True iff some dependency matches some component. */
export function anyMatch(deps: readonly Component[], comps: readonly Component[], modules: ModuleTable): boolean {
  for (const d of deps) {
    for (const c of comps) {
      if (componentMatches(d, c, modules)) return true;
    }
  }
  return false;
}

/**
 * The index key a canonical dependency is stored under. Routes are filed under their package's
 * wildcard ("/cosmos.bank.v1beta1.MsgSend" and "/cosmos.bank.v1beta1.*" both under
 * "/cosmos.bank.v1beta1.*"), so every lookup is exact; modules, tags and packages under their
 * canonical name (a package's range is filtered by componentMatches).
 */
export function indexSelector(dep: Component): { kind: ComponentKind; name: string } {
  if (dep.kind === ComponentKind.COMPONENT_KIND_ROUTE) return { kind: dep.kind, name: packageRoute(packageOf(dep.name)) };
  return { kind: dep.kind, name: dep.name };
}

/**
 * Index lookups that find EVERY dependency that can match comp (a superset; callers filter with
 * componentMatches): exact selectors, and name prefixes to range-scan. With routes filed by package
 * (indexSelector) every lookup is exact and `prefixes` is empty; it stays in the API so a finer
 * index can be introduced without changing callers. Selectors are unique and in a fixed order.
 */
export function candidateSelectors(
  comp: Component,
  modules: ModuleTable,
): { exact: { kind: ComponentKind; name: string }[]; prefixes: { kind: ComponentKind; prefix: string }[] } {
  const R = ComponentKind.COMPONENT_KIND_ROUTE;
  const M = ComponentKind.COMPONENT_KIND_MODULE;
  const exact: { kind: ComponentKind; name: string }[] = [];
  switch (comp.kind) {
    case R: {
      const pkg = packageOf(comp.name);
      exact.push({ kind: R, name: packageRoute(pkg) });
      for (const m of sortedModules(modules)) {
        if (modules.get(m)?.includes(pkg) === true) exact.push({ kind: M, name: m });
      }
      break;
    }
    case M: {
      exact.push({ kind: M, name: comp.name });
      const seen = new Set<string>();
      for (const pkg of modules.get(comp.name) ?? []) {
        const sel = packageRoute(pkg);
        if (seen.has(sel)) continue;
        seen.add(sel);
        exact.push({ kind: R, name: sel });
      }
      break;
    }
    case ComponentKind.COMPONENT_KIND_TAG:
    case ComponentKind.COMPONENT_KIND_PACKAGE:
      exact.push({ kind: comp.kind, name: comp.name });
      break;
    default:
      break;
  }
  return { exact, prefixes: [] };
}
