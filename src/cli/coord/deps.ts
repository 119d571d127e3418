/**
 * The command-line syntax of dependencies and affected components (`--dep`, components.json):
 *
 *   route:/cosmos.bank.v1beta1.MsgSend      a message route (type URL)
 *   route:/cosmos.bank.v1beta1.*            every route of a proto package
 *   module:bank                             a module of this chain
 *   tag:mempool/cpfp-carveout               a named behaviour (lower-case path segments)
 *   pkg:npm/foo                             every version of a package (purl without version)
 *   pkg:npm/foo@vers:semver/>=1.0.0|<1.2.0  a package and a `vers:` version range
 *
 * A word starting with "/" is a route. The chain canonicalises and matches (src/x/coord/match);
 * this module only checks the shape, so a typo is caught before a transaction is signed.
 */
import { ComponentKind, type Component } from "../../generated/coord/v1/types";
import { UsageError } from "../args";

const KIND_PREFIX: readonly (readonly [string, ComponentKind])[] = [
  ["route:", ComponentKind.COMPONENT_KIND_ROUTE],
  ["module:", ComponentKind.COMPONENT_KIND_MODULE],
  ["tag:", ComponentKind.COMPONENT_KIND_TAG],
];

const ROUTE_RE = /^\/[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\.([A-Za-z_][A-Za-z0-9_]*|\*)$/;
const MODULE_RE = /^[a-z][a-z0-9_]{0,63}$/;
const TAG_RE = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;
const PURL_RE = /^pkg:[A-Za-z][A-Za-z0-9.+-]*\/[^\s@?#]+(\?[^\s@#]*)?$/;
const VERS_RE = /^vers:[a-z][a-z0-9.+-]*\/\S+$/;
const VERS_SEPARATOR = "@vers:";

export const DEPENDENCY_SYNTAX = [
  "route:/pkg.v1.MsgX (or /pkg.v1.MsgX) | route:/pkg.v1.* | module:NAME | tag:a/b",
  "| pkg:TYPE/NAME[@vers:SCHEME/RANGE], e.g. 'pkg:npm/%40cosmjs/stargate@vers:semver/>=0.38.0|<0.39.2'",
].join(" ");

function bad(text: string, why: string): UsageError {
  return new UsageError(`"${text}" is not a dependency: ${why} (syntax: ${DEPENDENCY_SYNTAX})`);
}

/** Parses one dependency or component in the syntax above. A mistake is a UsageError. */
export function parseComponent(text: string): Component {
  const t = text.trim();
  if (t.startsWith("/")) return parseComponent(`route:${t}`);
  for (const [prefix, kind] of KIND_PREFIX) {
    if (!t.startsWith(prefix)) continue;
    const name = t.slice(prefix.length);
    if (kind === ComponentKind.COMPONENT_KIND_ROUTE && !ROUTE_RE.test(name)) throw bad(text, "a route is a type URL like /cosmos.bank.v1beta1.MsgSend or a package wildcard like /cosmos.bank.v1beta1.*");
    if (kind === ComponentKind.COMPONENT_KIND_MODULE && !MODULE_RE.test(name)) throw bad(text, "a module is a lower-case name like bank or dcert");
    if (kind === ComponentKind.COMPONENT_KIND_TAG && (!TAG_RE.test(name) || name.length > 128)) throw bad(text, "a tag is up to 128 characters of lower-case segments separated by /, like mempool/cpfp-carveout");
    return { kind, name, versions: "" };
  }
  if (t.startsWith("pkg:")) {
    const at = t.indexOf(VERS_SEPARATOR);
    const purl = at < 0 ? t : t.slice(0, at);
    const versions = at < 0 ? "" : t.slice(at + 1);
    if (!PURL_RE.test(purl)) {
      if (/@/.test(purl)) throw bad(text, "give a version range as @vers:SCHEME/RANGE (e.g. @vers:semver/>=1.0.0|<1.2.0), not a purl version; write @ in names as %40");
      throw bad(text, "a package is a purl without version, like pkg:npm/foo or pkg:golang/github.com/cometbft/cometbft");
    }
    if (versions !== "" && !VERS_RE.test(versions)) throw bad(text, "the version range must look like vers:semver/>=1.0.0|<1.2.0");
    return { kind: ComponentKind.COMPONENT_KIND_PACKAGE, name: purl, versions };
  }
  throw bad(text, "start it with route:, module:, tag: or pkg:");
}

/** The syntax form of a component (what `parseComponent` reads back). */
export function formatComponent(c: Component): string {
  switch (c.kind) {
    case ComponentKind.COMPONENT_KIND_ROUTE:
      return `route:${c.name}`;
    case ComponentKind.COMPONENT_KIND_MODULE:
      return `module:${c.name}`;
    case ComponentKind.COMPONENT_KIND_TAG:
      return `tag:${c.name}`;
    case ComponentKind.COMPONENT_KIND_PACKAGE:
      return c.versions === "" ? c.name : `${c.name}@${c.versions}`;
    default:
      return `unknown:${c.name}`;
  }
}

const KIND_NAMES: Readonly<Record<string, ComponentKind>> = {
  route: ComponentKind.COMPONENT_KIND_ROUTE,
  module: ComponentKind.COMPONENT_KIND_MODULE,
  tag: ComponentKind.COMPONENT_KIND_TAG,
  package: ComponentKind.COMPONENT_KIND_PACKAGE,
  pkg: ComponentKind.COMPONENT_KIND_PACKAGE,
};

/**
 * A components list as written in a case's components.json: an array (or `{"components": [...]}`)
 * whose entries are strings in the syntax above or objects `{"kind": "route"|"module"|"tag"|"package",
 * "name": "...", "versions": "vers:..."}`. `where` names the file in errors.
 */
export function parseComponentList(json: unknown, where: string): Component[] {
  const list = Array.isArray(json) ? json : (json as { components?: unknown } | null)?.components;
  if (!Array.isArray(list) || list.length === 0) throw new UsageError(`${where} must be a non-empty JSON array of components (or {"components": [...]})`);
  return list.map((entry, i) => {
    if (typeof entry === "string") return parseComponent(entry);
    const o = entry as { kind?: unknown; name?: unknown; versions?: unknown } | null;
    const kind = typeof o?.kind === "string" ? KIND_NAMES[o.kind.toLowerCase().replace(/^component_kind_/, "")] : undefined;
    if (kind === undefined || typeof o?.name !== "string") throw new UsageError(`${where}: entry ${i} must be a string like "module:bank" or {"kind": "route|module|tag|package", "name": "…"}`);
    const versions = typeof o.versions === "string" ? o.versions : "";
    const text = formatComponent({ kind, name: o.name, versions });
    return parseComponent(text);
  });
}
