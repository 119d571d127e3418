/**
 * Properties of the dependency matcher (src/x/coord/match) against brute-force references:
 *   - vers ranges: "ranges intersect" equals "some version is in both", over a finite universe of
 *     versions with pre-releases that is closed enough to be exact (every version used in a range,
 *     its immediate successor, and the least version 0.0.0-0: a non-empty interval whose bounds
 *     come from the universe always holds one of these). Membership is the vers spec's own
 *     "is this version in the range" procedure on the constraint list, not the interval code;
 *   - components: componentMatches equals "the sets of things the two components cover meet"
 *     (exact routes of a finite universe, tags, purl@version pairs), and anyMatch is "some pair";
 *   - canonical forms are idempotent and do not depend on how the input was spelled;
 *   - candidateSelectors never misses a dependency that componentMatches accepts;
 *   - coord's route wrapper and the circuit breaker's accept and refuse the same inputs (both wrap
 *     the shared rule in src/types/routes.ts; this keeps either from adding its own rewriting).
 */
import fc from "fast-check";
import { type Component, ComponentKind } from "../../src/generated/coord/v1/types";
import { anyMatch, candidateSelectors, canonicalComponent, ComponentError, componentMatches, indexSelector, type ModuleTable } from "../../src/x/coord/match";
import { canonicalPurl, parsePurl } from "../../src/x/coord/match/purl";
import { normalizeRoute } from "../../src/x/coord/match/routes";
import { compareSemVer, formatSemVer, parseSemVer, type SemVer, SEMVER_MIN, succSemVer } from "../../src/x/coord/match/semver";
import { type Comparator, containsVersion, parseVers, rangesIntersect } from "../../src/x/coord/match/vers";
import { normalizeRoute as circuitNormalizeRoute } from "../../src/x/dcert/circuit/routes";

const { COMPONENT_KIND_ROUTE: ROUTE, COMPONENT_KIND_MODULE: MODULE, COMPONENT_KIND_TAG: TAG, COMPONENT_KIND_PACKAGE: PACKAGE } = ComponentKind;

// ---------------------------------------------------------------------------------------------
// Versions and ranges

/**
 * Few enough that random lists often use neighbours: 1.0.0 and 1.0.1-0 (its successor), x-0 and
 * x-0.0, x-alpha and x-alpha.0 (successors too), numeric vs alphanumeric identifiers, and the
 * orderings of semver.org §11 (alpha < alpha.1 < alpha.beta < beta < beta.2 < beta.11 < rc.1).
 */
const CORES = ["0.0.0", "1.0.0", "1.0.1", "2.0.0", "10.0.0"];
const PRES = ["", "0", "0.0", "alpha", "alpha.0", "alpha.beta", "beta.2", "beta.11", "rc.1"];
const BASE: string[] = CORES.flatMap((c) => PRES.map((p) => (p === "" ? c : `${c}-${p}`))).filter((v) => !["10.0.0-alpha.beta", "10.0.0-beta.2", "2.0.0-alpha.beta"].includes(v));
const PARSED = new Map<string, SemVer>();
const sv = (s: string): SemVer => {
  let v = PARSED.get(s);
  if (v === undefined) {
    v = parseSemVer(s) as SemVer;
    PARSED.set(s, v);
  }
  return v;
};
/**
 * Every base version, its successor and the successor's successor (lists use base versions and
 * their successors as bounds), and the least version; unique by precedence.
 */
const UNIVERSE: string[] = (() => {
  const succ = (s: string) => formatSemVer(succSemVer(sv(s)));
  const all = [...BASE, ...BASE.map(succ), ...BASE.map((s) => succ(succ(s))), formatSemVer(SEMVER_MIN)];
  const seen = new Set<string>();
  return all.filter((s) => !seen.has(s) && (seen.add(s), true)).sort((a, b) => compareSemVer(sv(a), sv(b)));
})();

interface Con {
  cmp: Comparator;
  v: string;
}

const LESS: Comparator[] = ["<", "<="];
const GREATER: Comparator[] = [">", ">="];

/** The vers spec's containment procedure, on a list sorted by version with unique versions. */
function refContains(cons: readonly Con[], version: string): boolean {
  const v = sv(version);
  const eq = (c: Con) => compareSemVer(sv(c.v), v) === 0;
  if (cons.some((c) => (c.cmp === "=" || c.cmp === "<=" || c.cmp === ">=") && eq(c))) return true;
  if (cons.some((c) => c.cmp === "!=" && eq(c))) return false;
  const ranged = cons.filter((c) => c.cmp !== "=" && c.cmp !== "!=");
  if (ranged.length === 0) return !cons.some((c) => c.cmp === "="); // only "!=": every other version
  const lt = (a: string, b: string) => compareSemVer(sv(a), sv(b)) < 0;
  const first = ranged[0] as Con;
  const last = ranged[ranged.length - 1] as Con;
  if (LESS.includes(first.cmp) && lt(version, first.v)) return true;
  if (GREATER.includes(last.cmp) && lt(last.v, version)) return true;
  for (let i = 0; i + 1 < ranged.length; i++) {
    const cur = ranged[i] as Con;
    const next = ranged[i + 1] as Con;
    if (GREATER.includes(cur.cmp) && LESS.includes(next.cmp) && lt(cur.v, version) && lt(version, next.v)) return true;
  }
  return false;
}

/** A valid constraint list over `versions` (sorted, unique, the spec's comparator sequence rules). */
function consOver(versions: readonly string[], picks: readonly number[]): Con[] {
  const unique = new Map<string, string>();
  for (const v of versions) unique.set(formatSemVer(sv(v)), v);
  const sorted = [...unique.values()].sort((a, b) => compareSemVer(sv(a), sv(b)));
  const out: Con[] = [];
  let prev: Comparator | undefined;
  sorted.forEach((v, i) => {
    const allowed: Comparator[] = prev === undefined ? ["=", "<", "<=", ">", ">=", "!="] : GREATER.includes(prev) ? ["<", "<=", "!="] : ["=", ">", ">=", "!="];
    const cmp = allowed[(picks[i % picks.length] as number) % allowed.length] as Comparator;
    out.push({ cmp, v });
    if (cmp !== "!=") prev = cmp;
  });
  return out;
}

const picksArb = fc.array(fc.nat(1000), { minLength: 6, maxLength: 6 });
/** Lists over the base versions, and lists around a version and its immediate successor. */
const consArb: fc.Arbitrary<Con[]> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.subarray(BASE, { minLength: 1, maxLength: 6 }), picksArb).map(([vs, picks]) => consOver(vs, picks)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...BASE), fc.subarray(BASE, { maxLength: 2 }), picksArb)
      .map(([v, more, picks]) => consOver([v, formatSemVer(succSemVer(sv(v))), ...more], picks)),
  },
);

/** A spelling of a constraint list: shuffled, duplicated, "=" written or not, build metadata added. */
function spell(cons: readonly Con[], order: readonly number[], flags: readonly number[]): string {
  const items = cons.map((c, i) => {
    const f = flags[i % flags.length] as number;
    const v = f & 1 ? `${c.v}+b${f}` : c.v;
    return c.cmp === "=" && f & 2 ? v : `${c.cmp}${v}`;
  });
  const dup = flags[0] !== undefined && flags[0] & 4 && items.length > 0 ? [items[0] as string] : [];
  const all = [...items, ...dup];
  const shuffled = all.map((s, i) => [order[i % order.length] as number, i, s] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return `vers:semver/${shuffled.map((x) => x[2]).join("|")}`;
}

const spelledArb = fc.tuple(consArb, fc.array(fc.nat(100), { minLength: 8, maxLength: 8 }), fc.array(fc.nat(7), { minLength: 8, maxLength: 8 }));

function tryParse(s: string): ReturnType<typeof parseVers> | ComponentError {
  try {
    return parseVers(s);
  } catch (e) {
    if (e instanceof ComponentError) return e;
    throw e;
  }
}

describe("vers ranges against the spec's containment procedure", () => {
  test("the generators reach empty ranges, and intersecting and disjoint pairs", () => {
    const samples = fc.sample(fc.tuple(spelledArb, spelledArb), { numRuns: 2000, seed: 1 });
    let empty = 0;
    let meetN = 0;
    let apart = 0;
    for (const [a, b] of samples) {
      const ea = !UNIVERSE.some((v) => refContains(a[0], v));
      if (ea) empty += 1;
      else if (UNIVERSE.some((v) => refContains(b[0], v))) {
        if (UNIVERSE.some((v) => refContains(a[0], v) && refContains(b[0], v))) meetN += 1;
        else apart += 1;
      }
    }
    expect(empty).toBeGreaterThan(10);
    expect(meetN).toBeGreaterThan(200);
    expect(apart).toBeGreaterThan(200);
  });

  test("the universe is closed under successor of the base and sorted", () => {
    expect(UNIVERSE.length).toBeGreaterThan(BASE.length);
    expect(UNIVERSE[0]).toBe("0.0.0-0");
  });

  test("parse accepts exactly the non-empty lists; membership agrees on every version", () => {
    fc.assert(
      fc.property(spelledArb, ([cons, order, flags]) => {
        const text = spell(cons, order, flags);
        const r = tryParse(text);
        const nonEmpty = UNIVERSE.some((v) => refContains(cons, v));
        if (!nonEmpty) {
          expect(r).toBeInstanceOf(ComponentError);
          expect((r as Error).message).toContain("contains no version");
          return;
        }
        if (r instanceof ComponentError) throw new Error(`${text}: ${r.message}`);
        for (const v of UNIVERSE) expect([text, v, containsVersion(r.range, v)]).toEqual([text, v, refContains(cons, v)]);
      }),
      { numRuns: 400 },
    );
  });

  test("ranges intersect iff some version of the universe is in both", () => {
    fc.assert(
      fc.property(spelledArb, spelledArb, (a, b) => {
        const ra = tryParse(spell(...a));
        const rb = tryParse(spell(...b));
        fc.pre(!(ra instanceof ComponentError) && !(rb instanceof ComponentError));
        const pa = ra as ReturnType<typeof parseVers>;
        const pb = rb as ReturnType<typeof parseVers>;
        const expected = UNIVERSE.some((v) => refContains(a[0], v) && refContains(b[0], v));
        expect(rangesIntersect(pa.range, pb.range)).toBe(expected);
        expect(rangesIntersect(pb.range, pa.range)).toBe(expected);
      }),
      { numRuns: 1500 },
    );
  });

  test("canonical form: idempotent, the same for every spelling, and sorted by version", () => {
    fc.assert(
      fc.property(spelledArb, fc.array(fc.nat(100), { minLength: 8, maxLength: 8 }), fc.array(fc.nat(7), { minLength: 8, maxLength: 8 }), ([cons, o1, f1], o2, f2) => {
        const r1 = tryParse(spell(cons, o1, f1));
        const r2 = tryParse(spell(cons, o2, f2));
        if (r1 instanceof ComponentError) {
          expect(r2).toBeInstanceOf(ComponentError);
          return;
        }
        const p2 = r2 as ReturnType<typeof parseVers>;
        expect(p2.canonical).toBe(r1.canonical);
        expect(parseVers(r1.canonical).canonical).toBe(r1.canonical);
        const versions = r1.constraints.map((c) => sv(c.version));
        for (let i = 0; i + 1 < versions.length; i++) expect(compareSemVer(versions[i] as SemVer, versions[i + 1] as SemVer)).toBeLessThan(0);
        expect(r1.constraints).toEqual(cons.map((c) => ({ cmp: c.cmp, version: c.v })));
      }),
      { numRuns: 400 },
    );
  });

  test("arbitrary text: either refused with a ComponentError or canonical and idempotent", () => {
    const alphabet = fc.constantFrom("vers:", "semver/", "generic/", "|", "<", ">", "=", "!", "*", "%", "%3C", "1", "0", ".", "-", "+", "a", "b", " ", "1.0.0", "2.0.0-rc.1");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 14 }), (parts) => {
        const text = parts.join("");
        const r = tryParse(text);
        if (r instanceof ComponentError) return;
        expect(parseVers(r.canonical).canonical).toBe(r.canonical);
      }),
      { numRuns: 2000 },
    );
  });

  const GENERIC = ["1.0.0", "1.0.0-rc.1", "2.0.0", "abc123", "2024-01-05", "v1.0.0", "1.0.0+b"];
  const genericArb = fc.subarray(GENERIC, { minLength: 1 });

  test("generic ranges: equal strings, and against SemVer the documented conservative rule", () => {
    fc.assert(
      fc.property(genericArb, genericArb, spelledArb, (g1, g2, s) => {
        const a = parseVers(`vers:generic/${g1.join("|")}`);
        const b = parseVers(`vers:generic/${[...g2].reverse().join("|")}`);
        expect(rangesIntersect(a.range, b.range)).toBe(g1.some((x) => g2.includes(x)));
        const rs = tryParse(spell(...s));
        fc.pre(!(rs instanceof ComponentError));
        const ps = rs as ReturnType<typeof parseVers>;
        const expected = g1.some((x) => parseSemVer(x) === undefined || refContains(s[0], formatSemVer(sv(x))));
        expect(rangesIntersect(a.range, ps.range)).toBe(expected);
        expect(rangesIntersect(ps.range, a.range)).toBe(expected);
        expect(rangesIntersect(parseVers("").range, a.range)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Components

const MODULES: ModuleTable = new Map([
  ["bank", ["cosmos.bank.v1beta1"]],
  ["gov", ["cosmos.gov.v1", "cosmos.gov.v1beta1"]],
  ["dcert", ["dcert.v1"]],
]);
/** Packages of the table, and look-alikes that belong to no module. */
const PACKAGES = ["cosmos.bank.v1beta1", "cosmos.gov.v1", "cosmos.gov.v1beta1", "dcert.v1", "cosmos.bank", "cosmos.bank.v1beta1.foo", "cosmos.bank.v1beta11", "other.v1"];
const MESSAGES = ["MsgA", "MsgB"];
/** Exact routes of the universe: every package with MsgA, MsgB and MsgUnseen (never a component). */
const EXACT_UNIVERSE = PACKAGES.flatMap((p) => [...MESSAGES, "MsgUnseen"].map((m) => `/${p}.${m}`));
const TAGS = ["mempool/cpfp-carveout", "mempool/rbf", "mempool", "p2p/addr"];
const PURLS = [
  ["pkg:npm/%40cosmjs/stargate", "pkg:npm/@cosmjs/stargate", "PKG:npm/%40cosmjs/stargate/"],
  ["pkg:golang/github.com/cosmos/cosmos-sdk", "pkg:GOLANG/GitHub.com/Cosmos/cosmos-SDK", "pkg://golang/github.com//cosmos/cosmos-sdk"],
  ["pkg:cargo/serde", "pkg:cargo/%73erde"],
  ["pkg:pypi/django-rest", "pkg:pypi/Django_Rest"],
];

interface Spec {
  c: Component;
  /** The reference: what the component covers. */
  cover: (key: string) => boolean;
  keys: string[];
}

const pkgOf = (r: string) => r.slice(1, r.lastIndexOf("."));

const routeSpecArb: fc.Arbitrary<Spec> = fc.tuple(fc.constantFrom(...PACKAGES), fc.constantFrom(...MESSAGES, "*"), fc.constantFrom("/", "", "type.googleapis.com/")).map(([p, m, prefix]) => {
  const c: Component = { kind: ROUTE, name: `${prefix}${p}.${m}`, versions: "" };
  const cover = m === "*" ? (k: string) => EXACT_UNIVERSE.includes(k) && pkgOf(k) === p : (k: string) => k === `/${p}.${m}`;
  return { c, cover, keys: EXACT_UNIVERSE };
});
const moduleSpecArb: fc.Arbitrary<Spec> = fc.constantFrom(...MODULES.keys()).map((m) => ({
  c: { kind: MODULE, name: m, versions: "" },
  cover: (k: string) => EXACT_UNIVERSE.includes(k) && (MODULES.get(m) ?? []).includes(pkgOf(k)),
  keys: EXACT_UNIVERSE,
}));
const tagSpecArb: fc.Arbitrary<Spec> = fc.constantFrom(...TAGS).map((t) => ({ c: { kind: TAG, name: t, versions: "" }, cover: (k: string) => k === `tag:${t}`, keys: TAGS.map((x) => `tag:${x}`) }));
const packageSpecArb: fc.Arbitrary<Spec> = fc
  .tuple(fc.nat(PURLS.length - 1), fc.nat(2), fc.option(spelledArb, { freq: 4 }))
  .filter(([, , s]) => s === null || !(tryParse(spell(...s)) instanceof ComponentError))
  .map(([i, j, s]) => {
    const spellings = PURLS[i] as string[];
    const canonical = spellings[0] as string;
    const versions = s === null ? "" : spell(...s);
    const keys = PURLS.flatMap((p) => UNIVERSE.map((v) => `${p[0]}@${v}`));
    return {
      c: { kind: PACKAGE, name: spellings[j % spellings.length] as string, versions },
      cover: (k: string) => k.startsWith(`${canonical}@`) && (s === null || refContains(s[0], k.slice(canonical.length + 1))),
      keys,
    };
  });
const specArb = fc.oneof(routeSpecArb, moduleSpecArb, tagSpecArb, packageSpecArb);

const canon = (c: Component) => canonicalComponent(c, MODULES);
const meet = (a: Spec, b: Spec) => a.keys.some((k) => a.cover(k) && b.cover(k));

describe("components against the covered-set reference", () => {
  test("componentMatches(a, b) iff what a covers meets what b covers; symmetric", () => {
    fc.assert(
      fc.property(specArb, specArb, (a, b) => {
        const ca = canon(a.c);
        const cb = canon(b.c);
        const expected = meet(a, b);
        expect(componentMatches(ca, cb, MODULES)).toBe(expected);
        expect(componentMatches(cb, ca, MODULES)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  test("anyMatch is true iff some pair matches", () => {
    fc.assert(
      fc.property(fc.array(specArb, { maxLength: 5 }), fc.array(specArb, { maxLength: 5 }), (deps, comps) => {
        const expected = deps.some((d) => comps.some((c) => meet(d, c)));
        expect(anyMatch(deps.map((d) => canon(d.c)), comps.map((c) => canon(c.c)), MODULES)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  test("canonicalComponent is idempotent and spelling-independent", () => {
    fc.assert(
      fc.property(specArb, (a) => {
        const once = canon(a.c);
        expect(canon(once)).toEqual(once);
      }),
      { numRuns: 1000 },
    );
    for (const spellings of PURLS) {
      for (const s of spellings) expect(canonicalPurl(s)).toBe(spellings[0]);
    }
  });

  test("candidateSelectors never misses a matching dependency of a random registry", () => {
    fc.assert(
      fc.property(fc.array(specArb, { maxLength: 30 }), specArb, (registry, comp) => {
        const c = canon(comp.c);
        const { exact, prefixes } = candidateSelectors(c, MODULES);
        const found = (sel: { kind: ComponentKind; name: string }) =>
          exact.some((e) => e.kind === sel.kind && e.name === sel.name) || prefixes.some((p) => p.kind === sel.kind && sel.name.startsWith(p.prefix));
        for (const d of registry) {
          const dep = canon(d.c);
          if (componentMatches(dep, c, MODULES)) expect([dep, found(indexSelector(dep))]).toEqual([dep, true]);
        }
        const keys = exact.map((e) => `${e.kind}|${e.name}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("text inputs", () => {
  test("coord's route wrapper and the circuit breaker's give the same canonical route", () => {
    const piece = fc.constantFrom("/", "type.googleapis.com/", "cosmos", "bank", "v1beta1", ".", "*", "Msg", "_", "1", " ", "-", "é", "a".repeat(120));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (parts) => {
        const input = parts.join("");
        let theirs: string | undefined;
        let ours: string | undefined;
        try {
          theirs = circuitNormalizeRoute(input);
        } catch {
          theirs = undefined;
        }
        try {
          ours = normalizeRoute(input);
        } catch (e) {
          expect(e).toBeInstanceOf(ComponentError);
        }
        expect(ours).toBe(theirs);
      }),
      { numRuns: 3000 },
    );
  });

  test("purls: refused with a ComponentError, or canonical and idempotent", () => {
    const piece = fc.constantFrom("pkg:", "PKG:", "npm", "golang", "pypi", "cargo", "generic", "/", "//", "@", "%40", "%2F", "%2f", "%41", "%e2%82%ac", "?", "&", "=", "a", "B", "_", "-", ".", "~", "+", ":", "#", "%", "x=1", "Q=2");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const input = parts.join("");
        let out: string;
        try {
          out = canonicalPurl(input);
        } catch (e) {
          expect(e).toBeInstanceOf(ComponentError);
          return;
        }
        expect(canonicalPurl(out)).toBe(out);
        expect(out.startsWith("pkg:")).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("purl spellings", () => {
  /** Type → [namespace required?, namespace allowed?, lower-case namespace, lower-case name, "_" → "-"]. */
  const TYPES: Record<string, [boolean, boolean, boolean, boolean, boolean]> = {
    npm: [false, true, false, false, false],
    pypi: [false, false, false, true, true],
    golang: [true, true, true, true, false],
    github: [true, true, true, true, false],
    cargo: [false, false, false, false, false],
    generic: [false, true, false, false, false],
    maven: [true, true, false, false, false],
    deb: [true, true, true, true, false],
  };
  const chars = fc.constantFrom(..."aZ09._~-:+!$'()*,;= @/?#%&é€\u{1F600}".split(/(?:)/u));
  const segment = fc.array(chars, { minLength: 1, maxLength: 6 }).map((cs) => cs.join("")).filter((s) => !s.includes("/"));
  const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

  /** One way of writing a decoded segment: safe characters literal or encoded, hex in either case. */
  function write(s: string, picks: readonly number[], upper: boolean): string {
    let out = "";
    let i = 0;
    for (const ch of s) {
      const p = picks[i++ % picks.length] as number;
      const c = upper && p & 4 && /^[a-z]$/.test(ch) ? ch.toUpperCase() : ch; // ASCII only: non-ASCII case is kept
      const literal = /^[\x21-\x7e]$/.test(c) && !"/@?#%&=".includes(c);
      if (literal && !(p & 1)) {
        out += c;
        continue;
      }
      for (const b of new TextEncoder().encode(c)) {
        const hex = b.toString(16).padStart(2, "0");
        out += `%${p & 2 ? hex.toUpperCase() : hex}`;
      }
    }
    return out;
  }

  test("every spelling of the same package has one canonical form and decodes to the normalised parts", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(TYPES)),
        fc.array(segment, { maxLength: 3 }),
        segment,
        fc.array(fc.nat(7), { minLength: 5, maxLength: 5 }),
        fc.array(fc.nat(7), { minLength: 5, maxLength: 5 }),
        fc.dictionary(fc.constantFrom("arch", "distro", "repository_url", "x.y_z-w"), segment, { maxKeys: 3 }),
        (type, ns0, name0, picks1, picks2, quals) => {
          const [required, allowed, lowerNs, lowerName, dash] = TYPES[type] as [boolean, boolean, boolean, boolean, boolean];
          const ns = allowed ? (required && ns0.length === 0 ? ["org"] : ns0) : [];
          let name = lowerName ? asciiLower(name0) : name0;
          if (dash) name = name.replace(/_/g, "-");
          const nsNorm = ns.map((s) => (lowerNs ? asciiLower(s) : s));
          const spellOnce = (picks: readonly number[], variant: number) => {
            const upType = variant & 1 ? type.toUpperCase() : type;
            const scheme = variant & 2 ? "PKG://" : "pkg:";
            const segs = ns.map((s) => write(s, picks, lowerNs));
            const q = Object.entries(quals).map(([k, v]) => `${variant & 4 ? k.toUpperCase() : k}=${write(v, picks, false)}`);
            if (variant & 4) q.reverse();
            const trailing = variant & 2 ? "/" : "";
            return `${scheme}${upType}/${[...segs, write(dash && (picks[1] as number) & 1 ? name.replace(/-/g, "_") : name, picks, lowerName)].join(variant & 1 ? "//" : "/")}${trailing}${q.length > 0 ? `?${q.join("&")}` : ""}`;
          };
          const a = spellOnce(picks1, picks1[0] as number);
          const b = spellOnce(picks2, picks2[0] as number);
          const ca = canonicalPurl(a);
          expect([a, b, canonicalPurl(b)]).toEqual([a, b, ca]);
          expect(canonicalPurl(ca)).toBe(ca);
          const parsed = parsePurl(ca);
          expect(parsed.type).toBe(type);
          expect(parsed.namespace).toEqual(nsNorm);
          expect(parsed.name).toBe(name);
          expect(parsed.qualifiers).toEqual(Object.entries(quals).sort((x, y) => (x[0] < y[0] ? -1 : 1)));
          expect(ca).toMatch(/^pkg:[a-z]+\/[A-Za-z0-9._~:%/-]+(\?[a-z._-]+=[A-Za-z0-9._~:%-]+(&[a-z._-]+=[A-Za-z0-9._~:%-]+)*)?$/);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
