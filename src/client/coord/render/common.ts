/**
 * Helpers shared by the renderers: times, ids, names, package URLs, `vers` ranges, credits.
 * All pure (no clock: times come from chain records).
 */
import type { Timestamp } from "../../../generated/google/protobuf/timestamp";
import {
  ComponentKind,
  InvolvementStatus,
  PartyKind,
  type Component,
  type FixRef,
  type Party,
} from "../../../generated/coord/v1/types";
import { RenderError, type CaseExport } from "./types";

// ---- times ------------------------------------------------------------------------------------

/** RFC 3339 UTC ("2026-01-02T03:04:05Z", with a fraction only when nanos ≠ 0). */
export function rfc3339(ts: Timestamp): string {
  const date = new Date(Number(ts.seconds) * 1000);
  if (Number.isNaN(date.getTime())) throw new RenderError(`timestamp ${ts.seconds.toString()} s is out of range`);
  const base = date.toISOString().slice(0, 19);
  if (ts.nanos === 0) return `${base}Z`;
  const frac = ts.nanos.toString().padStart(9, "0").replace(/0+$/, "");
  return `${base}.${frac}Z`;
}

/** Compare two timestamps (−1, 0, 1). */
export function compareTs(a: Timestamp, b: Timestamp): number {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
  return a.nanos === b.nanos ? 0 : a.nanos < b.nanos ? -1 : 1;
}

/** The latest of the given timestamps (undefined entries ignored). */
export function latestTs(...all: readonly (Timestamp | undefined)[]): Timestamp | undefined {
  let best: Timestamp | undefined;
  for (const t of all) if (t !== undefined && (best === undefined || compareTs(t, best) > 0)) best = t;
  return best;
}

/** A copy of a JSON value with every object's keys in code-point order (stable, canonical output). */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) out[k] = sortKeys(o[k]);
    return out;
  }
  return v;
}

// ---- ids and names ------------------------------------------------------------------------------

/** "<prefix>-<year of disclosure, else of opening>-<case id>", e.g. "DCERT-2026-7". */
export function advisoryId(x: CaseExport): string {
  const at = x.case.disclosureTime ?? x.case.openTime;
  if (at === undefined) {
    throw new RenderError(`case ${x.case.id.toString()} has neither a disclosure time nor an open time: query the case again`);
  }
  const prefix = x.advisoryIdPrefix === "" ? "DCERT" : x.advisoryIdPrefix;
  return `${prefix}-${rfc3339(at).slice(0, 4)}-${x.case.id.toString()}`;
}

export const LEVEL_NAMES: Readonly<Record<number, string>> = { 1: "standard", 2: "enhanced", 3: "emergency" };

/** "3 (emergency)"; "sealed" for level 0. */
export function levelLabel(level: number): string {
  if (level === 0) return "sealed";
  const name = LEVEL_NAMES[level];
  return name === undefined ? `${level}` : `${level} (${name})`;
}

export const PARTY_KIND_NAMES: Readonly<Record<number, string>> = {
  [PartyKind.PARTY_KIND_VALIDATOR]: "validator",
  [PartyKind.PARTY_KIND_CORE_DEVELOPER]: "core developer",
  [PartyKind.PARTY_KIND_OTHER_IMPLEMENTATION]: "other implementation",
  [PartyKind.PARTY_KIND_DOWNSTREAM_PROJECT]: "downstream project",
  [PartyKind.PARTY_KIND_EXCHANGE_OR_SERVICE]: "exchange or service",
  [PartyKind.PARTY_KIND_RESEARCHER]: "researcher",
};

export const INVOLVEMENT_NAMES: Readonly<Record<number, string>> = {
  [InvolvementStatus.INVOLVEMENT_STATUS_NOT_CONTACTED]: "not contacted",
  [InvolvementStatus.INVOLVEMENT_STATUS_CONTACTED]: "contacted",
  [InvolvementStatus.INVOLVEMENT_STATUS_ACKNOWLEDGED]: "acknowledged",
  [InvolvementStatus.INVOLVEMENT_STATUS_IN_PROGRESS]: "in progress",
  [InvolvementStatus.INVOLVEMENT_STATUS_FIXED]: "fixed",
  [InvolvementStatus.INVOLVEMENT_STATUS_DISPUTED]: "disputed",
};

export function partyByAddress(parties: readonly Party[]): ReadonlyMap<string, Party> {
  const m = new Map<string, Party>();
  for (const p of parties) m.set(p.address, p);
  return m;
}

/** "Name (address)" or the bare address of an unregistered party. */
export function partyLabel(parties: ReadonlyMap<string, Party>, address: string): string {
  const p = parties.get(address);
  return p === undefined || p.name === "" ? address : `${p.name} (${address})`;
}

export const COMPONENT_KIND_NAMES: Readonly<Record<number, string>> = {
  [ComponentKind.COMPONENT_KIND_ROUTE]: "route",
  [ComponentKind.COMPONENT_KIND_MODULE]: "module",
  [ComponentKind.COMPONENT_KIND_TAG]: "tag",
  [ComponentKind.COMPONENT_KIND_PACKAGE]: "package",
};

/** "route /cosmos.bank.v1beta1.MsgSend", "package pkg:npm/x vers:semver/<1.2.3". */
export function componentLabel(c: Component): string {
  const kind = COMPONENT_KIND_NAMES[c.kind] ?? "component";
  return c.versions === "" ? `${kind} ${c.name}` : `${kind} ${c.name} ${c.versions}`;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** Sorted copy (the renderers never depend on the order in which a query returned records). */
export function sortedBy<T>(items: readonly T[], key: (t: T) => string | bigint): T[] {
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/** An absolute URL (scheme ":" non-space), as JSON Schema's "uri" format wants. */
export function isUrl(s: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(s) && !/^pkg:/i.test(s);
}

export function isHttpUrl(s: string): boolean {
  return /^https?:\/\/[^\s/]+[^\s]*$/i.test(s);
}

// ---- package URLs -----------------------------------------------------------------------------

export interface Purl {
  readonly type: string;
  /** Decoded namespace segments. */
  readonly namespace: readonly string[];
  /** Decoded name. */
  readonly name: string;
  readonly version: string;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Parse a package URL (purl-spec); undefined if it is not one. */
export function parsePurl(purl: string): Purl | undefined {
  const m = /^pkg:\/*([A-Za-z.+-][A-Za-z0-9.+-]*)\/([^?#]+)/.exec(purl);
  if (m === null) return undefined;
  const type = (m[1] ?? "").toLowerCase();
  let path = (m[2] ?? "").replace(/\/+$/, "");
  let version = "";
  const at = path.lastIndexOf("@");
  if (at > path.lastIndexOf("/")) {
    version = decode(path.slice(at + 1));
    path = path.slice(0, at);
  }
  const segs = path.split("/").filter((s) => s !== "");
  const name = segs.pop();
  if (name === undefined || name === "") return undefined;
  return { type, namespace: segs.map(decode), name: decode(name), version };
}

/** The purl with `@version` inserted (before qualifiers and subpath). */
export function purlWithVersion(purl: string, version: string): string {
  const cut = purl.search(/[?#]/);
  const base = cut < 0 ? purl : purl.slice(0, cut);
  const rest = cut < 0 ? "" : purl.slice(cut);
  const enc = encodeURIComponent(version).replace(/%2B/g, "+");
  return `${base}@${enc}${rest}`;
}

/**
 * purl type → OSV ecosystem and the package name as OSV spells it. Types without an OSV
 * ecosystem (generic, deb with no distro, …) give undefined and stay under database_specific.
 */
export function osvPackage(purl: string): { ecosystem: string; name: string } | undefined {
  const p = parsePurl(purl);
  if (p === undefined) return undefined;
  const slash = [...p.namespace, p.name].join("/");
  switch (p.type) {
    case "npm":
      return { ecosystem: "npm", name: slash };
    case "pypi":
      return { ecosystem: "PyPI", name: p.name };
    case "golang":
      return { ecosystem: "Go", name: slash };
    case "cargo":
      return { ecosystem: "crates.io", name: p.name };
    case "maven":
      return p.namespace.length === 0 ? undefined : { ecosystem: "Maven", name: `${p.namespace.join(".")}:${p.name}` };
    case "nuget":
      return { ecosystem: "NuGet", name: p.name };
    case "gem":
      return { ecosystem: "RubyGems", name: p.name };
    case "composer":
      return { ecosystem: "Packagist", name: slash };
    case "hex":
      return { ecosystem: "Hex", name: p.name };
    case "pub":
      return { ecosystem: "Pub", name: p.name };
    case "hackage":
      return { ecosystem: "Hackage", name: p.name };
    case "cran":
      return { ecosystem: "CRAN", name: p.name };
    case "conan":
      return { ecosystem: "ConanCenter", name: p.name };
    case "swift":
      return p.namespace.length === 0 ? undefined : { ecosystem: "SwiftURL", name: slash };
    case "github":
      return { ecosystem: "GitHub Actions", name: slash };
    default:
      return undefined;
  }
}

// ---- versions ---------------------------------------------------------------------------------

interface SemVer {
  readonly core: readonly bigint[];
  readonly pre: readonly string[];
}

function parseSemver(v: string): SemVer | undefined {
  const m = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  if (m === null) return undefined;
  return { core: [BigInt(m[1] ?? "0"), BigInt(m[2] ?? "0"), BigInt(m[3] ?? "0")], pre: m[4] === undefined ? [] : m[4].split(".") };
}

/** SemVer 2.0 precedence; strings that are not SemVer compare after SemVer ones, bytewise. */
export function compareVersions(a: string, b: string): number {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (x === undefined || y === undefined) {
    if (x !== undefined) return -1;
    if (y !== undefined) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  for (let i = 0; i < 3; i++) {
    const p = x.core[i] ?? 0n;
    const q = y.core[i] ?? 0n;
    if (p !== q) return p < q ? -1 : 1;
  }
  if (x.pre.length === 0 || y.pre.length === 0) return x.pre.length === y.pre.length ? 0 : x.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) {
      const d = BigInt(p) - BigInt(q);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (pn !== qn) {
      return pn ? -1 : 1;
    } else if (p !== q) {
      return p < q ? -1 : 1;
    }
  }
  return 0;
}

export type VersOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

export interface VersRange {
  readonly scheme: string;
  /** Empty with `all` = every version ("*" or an empty range string). */
  readonly constraints: readonly { readonly op: VersOp; readonly version: string }[];
  readonly all: boolean;
}

/** Parse a `vers:` range ("vers:semver/>=1.0.0|<1.2.0"); "" means every version. */
export function parseVers(vers: string): VersRange | undefined {
  if (vers === "") return { scheme: "", constraints: [], all: true };
  const m = /^vers:([a-z0-9.+-]+)\/(.*)$/i.exec(vers.trim());
  if (m === null) return undefined;
  const scheme = (m[1] ?? "").toLowerCase();
  const body = (m[2] ?? "").replace(/\s+/g, "");
  if (body === "*") return { scheme, constraints: [], all: true };
  const constraints: { op: VersOp; version: string }[] = [];
  for (const part of body.split("|")) {
    if (part === "") continue;
    const c = /^(>=|<=|!=|<|>|=)?(.+)$/.exec(part);
    if (c === null) return undefined;
    constraints.push({ op: (c[1] ?? "=") as VersOp, version: decode(c[2] ?? "") });
  }
  if (constraints.length === 0) return undefined;
  constraints.sort((p, q) => compareVersions(p.version, q.version));
  return { scheme, constraints, all: false };
}

/**
 * The fixed versions of the fix that apply to a package component: entries that are a purl of
 * this package with a version ("pkg:npm/x@1.2.3"); if there are none, the bare versions
 * ("1.2.3"), which apply to every package component the fix does not name by purl. Sorted by
 * version precedence, duplicates removed.
 */
export function fixedVersionsFor(component: Component, fix: FixRef | undefined): string[] {
  if (fix === undefined) return [];
  const own = new Set<string>();
  const bare = new Set<string>();
  const me = parsePurl(component.name);
  for (const f of fix.fixedVersions) {
    if (f.startsWith("pkg:")) {
      const p = parsePurl(f);
      if (p === undefined || me === undefined || p.version === "") continue;
      if (p.type === me.type && p.name === me.name && p.namespace.join("/") === me.namespace.join("/")) own.add(p.version);
    } else if (f.trim() !== "") {
      bare.add(f.trim());
    }
  }
  return [...(own.size > 0 ? own : bare)].sort(compareVersions);
}

// ---- credits ----------------------------------------------------------------------------------

export const CREDIT_TYPES = [
  "FINDER",
  "REPORTER",
  "ANALYST",
  "COORDINATOR",
  "REMEDIATION_DEVELOPER",
  "REMEDIATION_REVIEWER",
  "REMEDIATION_VERIFIER",
  "TOOL",
  "SPONSOR",
  "OTHER",
] as const;
export type CreditType = (typeof CREDIT_TYPES)[number];

/**
 * A credit line of the advisory: "Name" or "Name (role)" where role is an OSV credit type in any
 * case, with spaces or underscores ("remediation developer").
 */
export function parseCredit(line: string): { name: string; type?: CreditType } {
  const m = /^(.*\S)\s*\(([A-Za-z _-]+)\)\s*$/.exec(line);
  if (m !== null) {
    const role = (m[2] ?? "").trim().toUpperCase().replace(/[ -]+/g, "_");
    const t = CREDIT_TYPES.find((c) => c === role);
    if (t !== undefined) return { name: (m[1] ?? "").trim(), type: t };
  }
  return { name: line.trim() };
}

/** The advisory's CVSS vector, classified as OSV severity types; undefined if unrecognised. */
export function cvssType(vector: string): "CVSS_V2" | "CVSS_V3" | "CVSS_V4" | undefined {
  if (/^CVSS:3\.[01]\/AV:[NALP]\//.test(vector)) return "CVSS_V3";
  if (/^CVSS:4\.0\/AV:[NALP]\//.test(vector)) return "CVSS_V4";
  if (/^AV:[NAL]\/AC:[LMH]\//.test(vector)) return "CVSS_V2";
  return undefined;
}
