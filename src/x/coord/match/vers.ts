/**
 * `vers:` version ranges (package-url's version range specifier) for PACKAGE components.
 *
 * Accepted: "" (every version), "vers:semver/<constraints>" and "vers:generic/<constraints>" with
 * "=" constraints only. Constraints are separated by "|"; each is a comparator (=, !=, <, <=, >,
 * >=; none means =) and a version, or the lone "*" (every version). No whitespace anywhere.
 *
 * Canonical form (what is stored and compared): scheme and type lower-case; constraints sorted by
 * version (SemVer precedence; generic versions in code-unit order); exact duplicates merged; "="
 * written as the bare version, as in the spec's examples; SemVer build metadata dropped (it takes
 * no part in precedence); "*" written as "" (every version). Versions must be unique otherwise
 * (the spec's rule: "1.0.0|>=1.0.0" is refused, not guessed at).
 *
 * Validity (the spec's rules, on the sorted list, "!=" ignored): a "=", "<" or "<=" may be followed
 * only by "=", ">" or ">="; a ">" or ">=" only by "<" or "<=". These rule out redundant and
 * impossible lists ("<1.0.0|<2.0.0", ">1.0.0|=2.0.0", ...). A range that still contains no version
 * (">1.0.0|<1.0.1-0", "<0.0.0-0") is refused too.
 *
 * Meaning: the sorted list is read left to right as signposts. A leading "<v"/"<=v" opens the
 * line from the least version; ">a|<b" is the interval between; a trailing ">v"/">=v" runs to
 * infinity; "=v" adds the point v; "!=v" removes the point v from everything else. With no range
 * or "=" constraint at all (only "!="), the base is every version. So a range is a union of
 * disjoint intervals over SemVer precedence (pre-releases are ordinary versions in that order, not
 * excluded as node-semver would), and two ranges intersect iff some pair of their intervals does.
 *
 * Across schemes: a generic range is a set of version strings. It meets a SemVer range iff one of
 * its strings is a SemVer version inside that range, or one of its strings is not a SemVer
 * version at all (it cannot be placed on the SemVer line, so the matcher assumes it may be
 * affected: for a notification, a spurious match costs a message, a missed one costs a party).
 */
import { ComponentError, shown } from "./errors";
import { compareSemVer, formatSemVer, MAX_SEMVER_LENGTH, parseSemVer, type SemVer, SEMVER_MIN, succSemVer } from "./semver";

export const MAX_VERS_LENGTH = 1024;
export const MAX_CONSTRAINTS = 64;

export type Comparator = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** One interval of SemVer versions; `hi` undefined = no upper bound. Never empty. */
export interface Interval {
  readonly lo: SemVer;
  readonly loInc: boolean;
  readonly hi: SemVer | undefined;
  readonly hiInc: boolean;
}

export type VersRange =
  | { readonly kind: "all" }
  /** Sorted, pairwise disjoint, each non-empty; at least one. */
  | { readonly kind: "semver"; readonly intervals: readonly Interval[] }
  /** Canonical (percent-encoded) version strings, sorted, unique; at least one. */
  | { readonly kind: "generic"; readonly versions: readonly string[] };

export interface ParsedVers {
  readonly canonical: string;
  readonly range: VersRange;
  /** The canonical constraints (empty for "every version"). */
  readonly constraints: readonly { readonly cmp: Comparator; readonly version: string }[];
}

const ACCEPTED = 'a range is "" (every version), vers:semver/<constraints> (e.g. vers:semver/>=0.38.0|<0.39.2) or vers:generic/<versions> (e.g. vers:generic/2024-01-05|abc123, "=" only)';

function bad(input: string, why: string): never {
  throw new ComponentError(`versions ${shown(input)} ${why}; ${ACCEPTED}`);
}

const LESS = new Set<Comparator>(["<", "<="]);
const GREATER = new Set<Comparator>([">", ">="]);

function splitComparator(c: string): { cmp: Comparator; version: string } {
  for (const cmp of [">=", "<=", "!=", "<", ">", "="] as const) {
    if (c.startsWith(cmp)) return { cmp, version: c.slice(cmp.length) };
  }
  return { cmp: "=", version: c };
}

/** Characters a generic version must percent-encode (the vers spec's list). */
const MUST_ENCODE = new Set([">", "<", "=", "!", "*", "|", "%"]);

/** Decodes and re-encodes a generic version canonically (upper-case hex, only MUST_ENCODE encoded). */
function canonicalGeneric(input: string, version: string): string {
  let out = "";
  for (let i = 0; i < version.length; i++) {
    let ch = version[i] as string;
    if (ch === "%") {
      const hex = version.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) bad(input, `has a "%" that does not start a percent-encoded byte in version ${shown(version)}`);
      const code = parseInt(hex, 16);
      if (code < 0x21 || code > 0x7e) bad(input, `has version ${shown(version)} with a byte that is not printable ASCII (versions are printable ASCII without spaces)`);
      ch = String.fromCharCode(code);
      i += 2;
    } else if (MUST_ENCODE.has(ch)) {
      bad(input, `has ${shown(ch)} inside version ${shown(version)}: percent-encode it (${ch} = %${ch.charCodeAt(0).toString(16).toUpperCase()})`);
    }
    out += MUST_ENCODE.has(ch) ? `%${ch.charCodeAt(0).toString(16).toUpperCase()}` : ch;
  }
  return out;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether an interval given by its bounds contains at least one version. */
export function nonEmpty(lo: SemVer, loInc: boolean, hi: SemVer | undefined, hiInc: boolean): boolean {
  if (hi === undefined) return true;
  const c = compareSemVer(lo, hi);
  if (c > 0) return false;
  if (c === 0) return loInc && hiInc;
  if (loInc || hiInc) return true;
  // (lo, hi) open: empty exactly when hi is lo's immediate successor.
  return compareSemVer(succSemVer(lo), hi) !== 0;
}

/** Parses a range; throws ComponentError saying what is wrong. */
export function parseVers(input: string): ParsedVers {
  if (input === "") return { canonical: "", range: { kind: "all" }, constraints: [] };
  if (input.length > MAX_VERS_LENGTH) bad(input, `is longer than ${MAX_VERS_LENGTH} characters`);
  if (!/^[\x21-\x7e]*$/.test(input)) bad(input, "has whitespace or a character that is not printable ASCII");
  const colon = input.indexOf(":");
  if (colon < 0 || input.slice(0, colon).toLowerCase() !== "vers") bad(input, 'does not start with "vers:"');
  const rest = input.slice(colon + 1);
  const slash = rest.indexOf("/");
  if (slash < 0) bad(input, 'has no "/" after the versioning scheme');
  const scheme = rest.slice(0, slash).toLowerCase();
  if (scheme !== "semver" && scheme !== "generic") bad(input, `uses versioning scheme ${shown(scheme)}, which is not accepted (only semver and generic)`);
  const body = rest.slice(slash + 1);
  if (body === "") bad(input, "has no constraints");
  if (body === "*") return { canonical: "", range: { kind: "all" }, constraints: [] };
  const parts = body.split("|");
  if (parts.length > MAX_CONSTRAINTS) bad(input, `has more than ${MAX_CONSTRAINTS} constraints`);
  if (parts.some((p) => p === "")) bad(input, 'has an empty constraint (a leading, trailing or doubled "|")');
  if (parts.includes("*")) bad(input, 'uses "*" together with other constraints ("*" stands alone)');

  if (scheme === "generic") {
    const set = new Set<string>();
    for (const p of parts) {
      const { cmp, version } = splitComparator(p);
      if (cmp !== "=") bad(input, `uses ${shown(cmp)}: generic versions have no order, so only "=" (or a bare version) is accepted`);
      if (version === "") bad(input, `has a constraint ${shown(p)} without a version`);
      set.add(canonicalGeneric(input, version));
    }
    const versions = [...set].sort(cmpStr);
    return {
      canonical: `vers:generic/${versions.join("|")}`,
      range: { kind: "generic", versions },
      constraints: versions.map((version) => ({ cmp: "=" as const, version })),
    };
  }

  // semver
  const cs: { cmp: Comparator; v: SemVer }[] = [];
  for (const p of parts) {
    const { cmp, version } = splitComparator(p);
    if (version === "") bad(input, `has a constraint ${shown(p)} without a version`);
    const v = parseSemVer(version);
    if (v === undefined) bad(input, `has ${shown(version)}, which is not a SemVer 2.0.0 version (MAJOR.MINOR.PATCH[-prerelease][+build], no leading "v", no leading zeros, at most ${MAX_SEMVER_LENGTH} characters)`);
    cs.push({ cmp, v });
  }
  cs.sort((a, b) => compareSemVer(a.v, b.v));
  const list: { cmp: Comparator; v: SemVer }[] = [];
  for (const c of cs) {
    const last = list[list.length - 1];
    if (last !== undefined && compareSemVer(last.v, c.v) === 0) {
      if (last.cmp === c.cmp) continue; // an exact duplicate: merged
      bad(input, `names version ${formatSemVer(c.v)} twice (${last.cmp}, ${c.cmp}): each version may appear once`);
    }
    list.push(c);
  }
  const ranged = list.filter((c) => c.cmp !== "!=");
  for (let i = 0; i + 1 < ranged.length; i++) {
    const a = ranged[i] as { cmp: Comparator; v: SemVer };
    const b = ranged[i + 1] as { cmp: Comparator; v: SemVer };
    const ok = GREATER.has(a.cmp) ? LESS.has(b.cmp) : b.cmp === "=" || GREATER.has(b.cmp);
    if (!ok) {
      bad(
        input,
        `has ${a.cmp === "=" ? "" : a.cmp}${formatSemVer(a.v)} followed by ${b.cmp === "=" ? "" : b.cmp}${formatSemVer(b.v)} (sorted by version, "!=" aside), which is redundant or impossible: after a ">" or ">=" comes a "<" or "<="; after "=", "<" or "<=" comes "=", ">" or ">="`,
      );
    }
  }

  // Intervals, from the signposts.
  let intervals: Interval[] = [];
  if (ranged.length === 0) intervals.push({ lo: SEMVER_MIN, loInc: true, hi: undefined, hiInc: false });
  let i = 0;
  const first = ranged[0];
  if (first !== undefined && LESS.has(first.cmp)) {
    intervals.push({ lo: SEMVER_MIN, loInc: true, hi: first.v, hiInc: first.cmp === "<=" });
    i = 1;
  }
  while (i < ranged.length) {
    const c = ranged[i] as { cmp: Comparator; v: SemVer };
    if (c.cmp === "=") {
      intervals.push({ lo: c.v, loInc: true, hi: c.v, hiInc: true });
      i += 1;
      continue;
    }
    // validation: c is ">" or ">=" here, followed by "<"/"<=" or nothing
    const next = ranged[i + 1];
    if (next !== undefined) {
      intervals.push({ lo: c.v, loInc: c.cmp === ">=", hi: next.v, hiInc: next.cmp === "<=" });
      i += 2;
    } else {
      intervals.push({ lo: c.v, loInc: c.cmp === ">=", hi: undefined, hiInc: false });
      i += 1;
    }
  }
  for (const hole of list) {
    if (hole.cmp !== "!=") continue;
    const v = hole.v;
    const next: Interval[] = [];
    for (const iv of intervals) {
      const aboveLo = compareSemVer(v, iv.lo) > 0 || (iv.loInc && compareSemVer(v, iv.lo) === 0);
      const belowHi = iv.hi === undefined || compareSemVer(v, iv.hi) < 0 || (iv.hiInc && compareSemVer(v, iv.hi) === 0);
      if (aboveLo && belowHi) {
        next.push({ lo: iv.lo, loInc: iv.loInc, hi: v, hiInc: false });
        next.push({ lo: v, loInc: false, hi: iv.hi, hiInc: iv.hiInc });
      } else {
        next.push(iv);
      }
    }
    intervals = next;
  }
  intervals = intervals.filter((iv) => nonEmpty(iv.lo, iv.loInc, iv.hi, iv.hiInc));
  if (intervals.length === 0) bad(input, "contains no version at all");
  const constraints = list.map((c) => ({ cmp: c.cmp, version: formatSemVer(c.v) }));
  return {
    canonical: `vers:semver/${constraints.map((c) => (c.cmp === "=" ? c.version : `${c.cmp}${c.version}`)).join("|")}`,
    range: { kind: "semver", intervals },
    constraints,
  };
}

/** The canonical form of a range (throws ComponentError). */
export function canonicalVers(input: string): string {
  return parseVers(input).canonical;
}

function intervalsMeet(a: Interval, b: Interval): boolean {
  const cl = compareSemVer(a.lo, b.lo);
  const lo = cl >= 0 ? a.lo : b.lo;
  const loInc = cl > 0 ? a.loInc : cl < 0 ? b.loInc : a.loInc && b.loInc;
  let hi: SemVer | undefined;
  let hiInc: boolean;
  if (a.hi === undefined) {
    hi = b.hi;
    hiInc = b.hiInc;
  } else if (b.hi === undefined) {
    hi = a.hi;
    hiInc = a.hiInc;
  } else {
    const ch = compareSemVer(a.hi, b.hi);
    hi = ch <= 0 ? a.hi : b.hi;
    hiInc = ch < 0 ? a.hiInc : ch > 0 ? b.hiInc : a.hiInc && b.hiInc;
  }
  return nonEmpty(lo, loInc, hi, hiInc);
}

/** Upper bounds in order: the one that ends first (an open end before a closed one at a tie). */
function hiBefore(a: Interval, b: Interval): boolean {
  if (a.hi === undefined) return false;
  if (b.hi === undefined) return true;
  const c = compareSemVer(a.hi, b.hi);
  return c < 0 || (c === 0 && !a.hiInc && b.hiInc);
}

/** Whether a SemVer version is in a list of intervals. */
function inIntervals(intervals: readonly Interval[], v: SemVer): boolean {
  return intervals.some((iv) => intervalsMeet(iv, { lo: v, loInc: true, hi: v, hiInc: true }));
}

/** Whether two parsed ranges have a version in common. */
export function rangesIntersect(a: VersRange, b: VersRange): boolean {
  if (a.kind === "all" || b.kind === "all") return true;
  if (a.kind === "generic" && b.kind === "generic") {
    const set = new Set(a.versions);
    return b.versions.some((v) => set.has(v));
  }
  if (a.kind === "generic" || b.kind === "generic") {
    const g = (a.kind === "generic" ? a : b) as { versions: readonly string[] };
    const s = (a.kind === "semver" ? a : b) as { intervals: readonly Interval[] };
    return g.versions.some((str) => {
      const v = parseSemVer(str);
      return v === undefined || inIntervals(s.intervals, v);
    });
  }
  // Both SemVer: sweep the two sorted, disjoint lists.
  let i = 0;
  let j = 0;
  while (i < a.intervals.length && j < b.intervals.length) {
    const x = a.intervals[i] as Interval;
    const y = b.intervals[j] as Interval;
    if (intervalsMeet(x, y)) return true;
    if (hiBefore(x, y)) i += 1;
    else j += 1;
  }
  return false;
}

/**
 * Whether a version string is in a parsed range: any string for "all"; the canonical string for
 * generic; a SemVer version (build metadata ignored) for semver.
 */
export function containsVersion(r: VersRange, version: string): boolean {
  if (r.kind === "all") return true;
  if (r.kind === "generic") return r.versions.includes(version);
  const v = parseSemVer(version);
  return v !== undefined && inIntervals(r.intervals, v);
}
