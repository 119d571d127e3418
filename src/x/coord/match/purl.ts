/**
 * PACKAGE component names: package URLs (purl-spec, ECMA-427) without a version, e.g.
 * "pkg:npm/%40cosmjs/stargate", "pkg:golang/github.com/cosmos/cosmos-sdk", "pkg:cargo/serde".
 *
 * Parsed as the spec's "how to parse" says (right to left), then built again as its "how to build"
 * says, which is the canonical form:
 *   - scheme "pkg" (any case in, lower-case out; "pkg://" slashes dropped);
 *   - type lower-case: ASCII letters, digits, ".", "+", "-", starting with a letter;
 *   - namespace segments and name percent-decoded (UTF-8), then re-encoded: every byte except
 *     A–Z a–z 0–9 . - _ ~ and ":" as %XX with upper-case hex; empty namespace segments dropped;
 *   - type-specific rules (the purl-spec type definitions): see TYPE_RULES;
 *   - qualifiers: keys lower-case ([a-z0-9._-], not starting with a digit), empty values dropped,
 *     values re-encoded as above, sorted by key; a key given twice is refused;
 *   - refused: a version ("@1.2.3" — the range goes in `versions`), a subpath ("#…"), characters
 *     that are not printable ASCII (percent-encode them), control characters once decoded.
 * Lower-casing is ASCII-only: Unicode case tables change between JavaScript engine versions and
 * a node's consensus must not depend on which one it runs. An unencoded "@" that starts a segment
 * of the namespace ("pkg:npm/@babel/core") is read as part of the segment, as the spec's test suite
 * does. On the purl-spec test suite's parse cases without version or subpath this gives the same
 * components (type-specific checks beyond case, "_" and the namespace requirement are not made:
 * chrome-extension ids, cpan module names, julia uuids are accepted as written).
 */
import { ComponentError, shown } from "./errors";

export const MAX_PURL_LENGTH = 512;

type NsRule = "optional" | "required" | "prohibited";
interface TypeRule {
  readonly namespace: NsRule;
  readonly lowerNamespace: boolean;
  readonly lowerName: boolean;
  /** pypi: "_" and "-" are the same character; "-" is canonical. */
  readonly dashName: boolean;
}

const rule = (namespace: NsRule, lowerNamespace: boolean, lowerName: boolean, dashName = false): TypeRule => ({ namespace, lowerNamespace, lowerName, dashName });

/**
 * From the purl-spec type definitions (types/*-definition.json): which types lower-case what, and
 * which require or prohibit a namespace. npm is case-sensitive in the current definitions (old
 * mixed-case packages were "grandfathered in" and are distinct packages). golang lower-cases
 * namespace and name (the definition's notes). Types not listed get the generic rules only.
 */
const TYPE_RULES: ReadonlyMap<string, TypeRule> = new Map([
  ["apk", rule("required", true, true)],
  ["bitbucket", rule("required", true, true)],
  ["cargo", rule("prohibited", false, false)],
  ["composer", rule("required", true, true)],
  ["deb", rule("required", true, true)],
  ["gem", rule("prohibited", false, false)],
  ["generic", rule("optional", false, false)],
  ["github", rule("required", true, true)],
  ["golang", rule("required", true, true)],
  ["hex", rule("optional", true, true)],
  ["maven", rule("required", false, false)],
  ["npm", rule("optional", false, false)],
  ["nuget", rule("prohibited", false, false)],
  ["pypi", rule("prohibited", false, true, true)],
  ["rpm", rule("required", true, false)],
]);

const DEFAULT_RULE = rule("optional", false, false);

const TYPE = /^[a-z][a-z0-9.+-]*$/;
const QUALIFIER_KEY = /^[a-z._-][a-z0-9._-]*$/;
const UNRESERVED = /^[A-Za-z0-9._~:-]$/;

const DECODER = new TextDecoder("utf-8", { fatal: true });
const ENCODER = new TextEncoder();

function bad(input: string, why: string): never {
  throw new ComponentError(
    `package ${shown(input)} ${why}; a package is a package URL without version, e.g. pkg:npm/%40cosmjs/stargate or pkg:golang/github.com/cosmos/cosmos-sdk (at most ${MAX_PURL_LENGTH} characters), with its versions as a vers: range in the versions field`,
  );
}

/** ASCII-only lower-casing (deterministic across engines). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

function decode(input: string, part: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < part.length; i++) {
    const ch = part.charCodeAt(i);
    if (ch === 0x25) {
      const hex = part.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) bad(input, `has a "%" that does not start a percent-encoded byte in ${shown(part)}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(ch);
    }
  }
  let out: string;
  try {
    out = DECODER.decode(new Uint8Array(bytes));
  } catch {
    return bad(input, `has ${shown(part)}, whose percent-encoded bytes are not UTF-8`);
  }
  for (let i = 0; i < out.length; i++) {
    const c = out.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) bad(input, `has a control character in ${shown(part)}`);
  }
  return out;
}

/** Percent-encodes a decoded component canonically. */
export function encodeComponent(s: string): string {
  let out = "";
  for (const ch of s) {
    if (UNRESERVED.test(ch)) {
      out += ch;
      continue;
    }
    for (const b of ENCODER.encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export interface ParsedPurl {
  readonly canonical: string;
  readonly type: string;
  /** Decoded namespace segments. */
  readonly namespace: readonly string[];
  /** Decoded name. */
  readonly name: string;
  /** Sorted by key; decoded values. */
  readonly qualifiers: readonly (readonly [string, string])[];
}

/** Parses a versionless purl and builds its canonical form; throws ComponentError. */
export function parsePurl(input: string): ParsedPurl {
  if (input.length === 0) bad(input, "is empty");
  if (input.length > MAX_PURL_LENGTH) bad(input, `is longer than ${MAX_PURL_LENGTH} characters`);
  if (!/^[\x21-\x7e]*$/.test(input)) bad(input, "has whitespace or a character that is not printable ASCII (percent-encode it as UTF-8, a space as %20)");
  if (input.includes("#")) bad(input, "has a subpath (#…): a dependency names a whole package, drop the #subpath");

  let rest = input;
  const qualifiers: [string, string][] = [];
  const q = rest.lastIndexOf("?");
  if (q >= 0) {
    const qs = rest.slice(q + 1);
    rest = rest.slice(0, q);
    if (qs !== "") {
      const seen = new Set<string>();
      for (const pair of qs.split("&")) {
        const eq = pair.indexOf("=");
        if (eq <= 0) bad(input, `has a qualifier ${shown(pair)} that is not key=value`);
        const key = asciiLower(pair.slice(0, eq));
        if (!QUALIFIER_KEY.test(key)) bad(input, `has a qualifier key ${shown(key)}: keys are ASCII letters, digits, ".", "-", "_", not starting with a digit`);
        if (seen.has(key)) bad(input, `has the qualifier ${shown(key)} twice`);
        seen.add(key);
        const value = decode(input, pair.slice(eq + 1));
        if (value !== "") qualifiers.push([key, value]);
      }
    }
  }
  qualifiers.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

  const colon = rest.indexOf(":");
  if (colon < 0 || asciiLower(rest.slice(0, colon)) !== "pkg") bad(input, 'does not start with "pkg:"');
  rest = rest.slice(colon + 1).replace(/^\/+/, "");
  const slash = rest.indexOf("/");
  if (slash < 0) bad(input, "has no name (pkg:<type>/<namespace>/<name>)");
  const type = asciiLower(rest.slice(0, slash));
  if (!TYPE.test(type)) bad(input, `has type ${shown(type)}: a type is ASCII letters, digits, ".", "+", "-", starting with a letter`);
  rest = rest.slice(slash + 1);

  // Every "@" is a version separator except one that starts a namespace segment (an npm scope
  // written unencoded, "pkg:npm/@babel/core"); "pkg:cran/@0.9.1" is a version without a name.
  rest = rest.replace(/\/+$/, "");
  const nameStart = rest.lastIndexOf("/") + 1;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "@" && !(i < nameStart && (i === 0 || rest[i - 1] === "/"))) {
      bad(input, `names a version (${shown(rest.slice(i))}): a dependency names the package and puts its versions in the versions field (e.g. vers:semver/>=1.2.0|<1.3.0); an npm scope's "@" is written %40`);
    }
  }

  const lastSlash = rest.lastIndexOf("/");
  const rawName = rest.slice(lastSlash + 1);
  const rawNs = lastSlash < 0 ? [] : rest.slice(0, lastSlash).split("/").filter((s) => s !== "");
  const r = TYPE_RULES.get(type) ?? DEFAULT_RULE;

  let name = decode(input, rawName);
  if (name === "") bad(input, "has no name (pkg:<type>/<namespace>/<name>)");
  if (name.includes("/")) bad(input, 'has a name with an encoded "/" (%2F)');
  if (r.lowerName) name = asciiLower(name);
  if (r.dashName) name = name.replace(/_/g, "-");
  const namespace = rawNs.map((seg) => {
    const d = decode(input, seg);
    if (d.includes("/")) bad(input, `has a namespace segment ${shown(seg)} with an encoded "/" (%2F)`);
    if (d === "") bad(input, "has an empty namespace segment");
    return r.lowerNamespace ? asciiLower(d) : d;
  });
  if (r.namespace === "required" && namespace.length === 0) bad(input, `has no namespace, which type ${type} requires (pkg:${type}/<namespace>/<name>)`);
  if (r.namespace === "prohibited" && namespace.length > 0) bad(input, `has a namespace, which type ${type} does not have (pkg:${type}/<name>)`);

  let canonical = `pkg:${type}/`;
  for (const seg of namespace) canonical += `${encodeComponent(seg)}/`;
  canonical += encodeComponent(name);
  if (qualifiers.length > 0) canonical += `?${qualifiers.map(([k, v]) => `${k}=${encodeComponent(v)}`).join("&")}`;
  if (canonical.length > MAX_PURL_LENGTH) bad(input, `is longer than ${MAX_PURL_LENGTH} characters once canonical`);
  return { canonical, type, namespace, name, qualifiers };
}

/** The canonical form of a versionless purl (throws ComponentError). */
export function canonicalPurl(input: string): string {
  return parsePurl(input).canonical;
}
