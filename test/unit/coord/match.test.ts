/**
 * The dependency matcher (src/x/coord/match, docs/coordination.md §2.1): canonical forms and
 * refusals of every component kind, and examples of every matching rule.
 */
import { type Component, ComponentKind } from "../../../src/generated/coord/v1/types";
import { anyMatch, candidateSelectors, canonicalComponent, ComponentError, componentMatches, indexSelector, type ModuleTable } from "../../../src/x/coord/match";
import { normalizeRoute as circuitNormalizeRoute } from "../../../src/x/dcert/circuit/routes";
import { normalizeRoute } from "../../../src/x/coord/match/routes";
import { canonicalPurl } from "../../../src/x/coord/match/purl";
import { compareSemVer, parseSemVer } from "../../../src/x/coord/match/semver";
import { canonicalVers, containsVersion, parseVers, rangesIntersect } from "../../../src/x/coord/match/vers";

const { COMPONENT_KIND_ROUTE: ROUTE, COMPONENT_KIND_MODULE: MODULE, COMPONENT_KIND_TAG: TAG, COMPONENT_KIND_PACKAGE: PACKAGE } = ComponentKind;

const MODULES: ModuleTable = new Map([
  ["bank", ["cosmos.bank.v1beta1"]],
  ["staking", ["cosmos.staking.v1beta1"]],
  ["gov", ["cosmos.gov.v1", "cosmos.gov.v1beta1"]],
  ["dcert", ["dcert.v1"]],
  ["coord", ["coord.v1"]],
]);

const route = (name: string): Component => ({ kind: ROUTE, name, versions: "" });
const mod = (name: string): Component => ({ kind: MODULE, name, versions: "" });
const tag = (name: string): Component => ({ kind: TAG, name, versions: "" });
const pkg = (name: string, versions = ""): Component => ({ kind: PACKAGE, name, versions });

const canon = (c: Component): Component => canonicalComponent(c, MODULES);
const matches = (a: Component, b: Component): boolean => componentMatches(canon(a), canon(b), MODULES);

function refused(c: Component, ...fragments: string[]): void {
  let err: unknown;
  try {
    canon(c);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ComponentError);
  for (const f of fragments) expect((err as Error).message).toContain(f);
}

describe("routes", () => {
  test.each([
    ["/cosmos.bank.v1beta1.MsgSend", "/cosmos.bank.v1beta1.MsgSend"],
    ["cosmos.bank.v1beta1.MsgSend", "/cosmos.bank.v1beta1.MsgSend"],
    ["type.googleapis.com/cosmos.bank.v1beta1.MsgSend", "/cosmos.bank.v1beta1.MsgSend"],
    ["/cosmos.bank.v1beta1.*", "/cosmos.bank.v1beta1.*"],
    ["cosmos.staking.v1beta1.*", "/cosmos.staking.v1beta1.*"],
    ["/_a._b", "/_a._b"],
  ])("%s is canonically %s", (input, out) => {
    expect(canon(route(input))).toEqual(route(out));
  });

  test.each([
    ["", "is empty"],
    ["/", "is empty"],
    ["/.*", "names no package"],
    ["*", "is not a protobuf type URL"],
    ["/MsgSend", "has no package"],
    ["/cosmos.bank. MsgSend", "is not a protobuf type URL"],
    [" /cosmos.bank.v1beta1.MsgSend", "is not a protobuf type URL"],
    ["/cosmos..bank.MsgSend", "is not a protobuf type URL"],
    ["/cosmos.bank.*.MsgSend", "is not a protobuf type URL"],
    ["/cosmos.1bank.MsgSend", "is not a protobuf type URL"],
    ["/cos-mos.bank.*", "is not a package name followed by .*"],
    [`/a.${"b".repeat(254)}`, "is longer than 256"],
  ])("%j refused (%s)", (input, why) => {
    refused(route(input), why, "/cosmos.bank.v1beta1.MsgSend");
  });

  test("256 characters is the limit, counted in canonical form", () => {
    const r = `/a.${"b".repeat(253)}`;
    expect(r).toHaveLength(256);
    expect(canon(route(r.slice(1))).name).toBe(r);
    expect(canon(route(`type.googleapis.com/${r.slice(1)}`)).name).toBe(r);
  });

  test("a route component has no versions", () => {
    refused({ kind: ROUTE, name: "/cosmos.bank.v1beta1.MsgSend", versions: "vers:semver/1.0.0" }, "has no versions");
  });

  /** The route rule as the docs state it, written out independently of `checkRoute`. */
  function documentedRule(input: string): string | undefined {
    const body = input.startsWith("type.googleapis.com/") ? input.slice(20) : input.startsWith("/") ? input.slice(1) : input;
    if (body === "" || body.length + 1 > 256) return undefined;
    const ident = /^[A-Za-z_][A-Za-z0-9_]*$/;
    const parts = body.split(".");
    const names = body.endsWith(".*") ? parts.slice(0, -1) : parts;
    if (!body.endsWith(".*") && names.length < 2) return undefined;
    return names.length > 0 && names.every((p) => ident.test(p)) ? `/${body}` : undefined;
  }

  test("normalisation follows the documented rule, the same in coord and the circuit breaker", () => {
    const inputs: string[] = [];
    const parts = ["", "/", "//", "type.googleapis.com/", "Type.googleapis.com/", "type.googleapis.com//"];
    const bodies = [
      "cosmos.bank.v1beta1.MsgSend", "cosmos.bank.v1beta1.*", "MsgSend", "*", ".*", "a.*", "a.b.*", "a..b", "a.b.", ".a.b",
      "a b.C", "a.b\n", "a.1b", "_a._b", "a.b*", "a.*.b", "a.**", "A.B.C", "a-b.c", "a.b.c.*", "é.b", "a.b/c", "a.b.C?", "", " ",
      `a.${"b".repeat(252)}`, `a.${"b".repeat(253)}`, `a.${"b".repeat(254)}`, `${"a".repeat(252)}.*`, `${"a".repeat(253)}.*`, `${"a".repeat(254)}.*`,
    ];
    for (const p of parts) for (const b of bodies) inputs.push(`${p}${b}`);
    expect(inputs.length).toBeGreaterThan(150);
    for (const input of inputs) {
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
        ours = undefined;
      }
      const rule = documentedRule(input);
      expect([input, ours, theirs]).toEqual([input, rule, rule]);
    }
  });

  test("route ↔ route: equal, or the wildcard of the other's package", () => {
    expect(matches(route("/cosmos.bank.v1beta1.MsgSend"), route("cosmos.bank.v1beta1.MsgSend"))).toBe(true);
    expect(matches(route("/cosmos.bank.v1beta1.MsgSend"), route("/cosmos.bank.v1beta1.*"))).toBe(true);
    expect(matches(route("/cosmos.bank.v1beta1.*"), route("/cosmos.bank.v1beta1.MsgSend"))).toBe(true);
    expect(matches(route("/cosmos.bank.v1beta1.*"), route("/cosmos.bank.v1beta1.*"))).toBe(true);
    expect(matches(route("/cosmos.bank.v1beta1.MsgSend"), route("/cosmos.bank.v1beta1.MsgMultiSend"))).toBe(false);
    expect(matches(route("/cosmos.bank.v1beta1.*"), route("/cosmos.staking.v1beta1.*"))).toBe(false);
    // not sub-packages, not prefix-sharing packages, not case-folded
    expect(matches(route("/cosmos.bank.*"), route("/cosmos.bank.v1beta1.MsgSend"))).toBe(false);
    expect(matches(route("/cosmos.bank.v1beta1.*"), route("/cosmos.bank.v1beta11.MsgSend"))).toBe(false);
    expect(matches(route("/cosmos.bank.v1beta1.*"), route("/cosmos.bank.v1beta1.foo.MsgX"))).toBe(false);
    expect(matches(route("/cosmos.bank.v1beta1.msgsend"), route("/cosmos.bank.v1beta1.MsgSend"))).toBe(false);
  });
});

describe("modules", () => {
  test("a module of the table is its own canonical form", () => {
    expect(canon(mod("bank"))).toEqual(mod("bank"));
  });

  test.each([["Bank"], ["auth2"], [""], ["bank "]])("%j refused, listing the modules", (name) => {
    refused(mod(name), "is not a module of this chain", "bank, coord, dcert, gov, staking");
  });

  test("a module component has no versions", () => {
    refused({ kind: MODULE, name: "bank", versions: "*" }, "has no versions");
  });

  test("module ↔ module: equal", () => {
    expect(matches(mod("bank"), mod("bank"))).toBe(true);
    expect(matches(mod("bank"), mod("staking"))).toBe(false);
  });

  test("route ↔ module either way: the route's package is one of the module's packages", () => {
    expect(matches(route("/cosmos.bank.v1beta1.MsgSend"), mod("bank"))).toBe(true);
    expect(matches(mod("bank"), route("/cosmos.bank.v1beta1.MsgSend"))).toBe(true);
    expect(matches(mod("bank"), route("/cosmos.bank.v1beta1.*"))).toBe(true);
    expect(matches(route("/cosmos.gov.v1beta1.MsgVote"), mod("gov"))).toBe(true);
    expect(matches(route("/cosmos.gov.v1.*"), mod("gov"))).toBe(true);
    expect(matches(route("/cosmos.bank.v1beta1.MsgSend"), mod("staking"))).toBe(false);
    expect(matches(route("/cosmos.bank.v1beta1.foo.MsgX"), mod("bank"))).toBe(false);
    expect(matches(route("/cosmos.bank.*"), mod("bank"))).toBe(false);
  });
});

describe("tags", () => {
  test("the seed's mempool/cpfp-carveout tag", () => {
    expect(canon(tag("mempool/cpfp-carveout"))).toEqual(tag("mempool/cpfp-carveout"));
    expect(matches(tag("mempool/cpfp-carveout"), tag("mempool/cpfp-carveout"))).toBe(true);
    expect(matches(tag("mempool/cpfp-carveout"), tag("mempool/cpfp"))).toBe(false);
    expect(matches(tag("mempool/cpfp-carveout"), tag("mempool"))).toBe(false);
  });

  test.each([["a"], ["0"], ["a.b_c-d/e"], ["x".repeat(128)], ["a/b/c/d"]])("%s accepted", (t) => {
    expect(canon(tag(t)).name).toBe(t);
  });

  test.each([[""], ["Mempool/cpfp"], ["/a"], ["a/"], ["a//b"], ["-a"], ["a/.b"], ["a b"], ["a\n"], ["x".repeat(129)], ["é"], ["a/_b"]])("%j refused", (t) => {
    refused(tag(t), "is not a behaviour tag", "mempool/cpfp-carveout", "128");
  });

  test("a tag component has no versions", () => {
    refused({ kind: TAG, name: "a", versions: "vers:semver/*" }, "has no versions");
  });
});

describe("kinds", () => {
  test.each([[ComponentKind.COMPONENT_KIND_UNSPECIFIED], [ComponentKind.UNRECOGNIZED], [7]])("kind %d refused", (kind) => {
    refused({ kind: kind as ComponentKind, name: "bank", versions: "" }, "is not one of ROUTE, MODULE, TAG, PACKAGE");
  });

  test("different kinds never match, except route ↔ module", () => {
    expect(matches(tag("bank"), mod("bank"))).toBe(false);
    expect(matches(pkg("pkg:generic/bank"), mod("bank"))).toBe(false);
    expect(matches(tag("a"), pkg("pkg:generic/a"))).toBe(false);
    expect(matches(route("/a.B"), tag("a"))).toBe(false);
  });
});

describe("package URLs", () => {
  test.each([
    ["pkg:npm/%40cosmjs/stargate", "pkg:npm/%40cosmjs/stargate"],
    ["pkg:npm/@cosmjs/stargate", "pkg:npm/%40cosmjs/stargate"],
    ["PKG:NPM/%40cosmjs/stargate", "pkg:npm/%40cosmjs/stargate"],
    ["pkg://npm/%40cosmjs/stargate/", "pkg:npm/%40cosmjs/stargate"],
    ["pkg:npm/Foo", "pkg:npm/Foo"], // npm names are case-sensitive in the current type definition
    ["pkg:golang/github.com/cosmos/cosmos-sdk", "pkg:golang/github.com/cosmos/cosmos-sdk"],
    ["pkg:golang/GitHub.com/Cosmos/Cosmos-SDK", "pkg:golang/github.com/cosmos/cosmos-sdk"],
    ["pkg:github/Cosmos/CosmJS", "pkg:github/cosmos/cosmjs"],
    ["pkg:pypi/Django_Rest_Framework", "pkg:pypi/django-rest-framework"],
    ["pkg:cargo/Serde", "pkg:cargo/Serde"],
    ["pkg:generic/openssl", "pkg:generic/openssl"],
    ["pkg:generic/a//b///c", "pkg:generic/a/b/c"],
    ["pkg:generic/a%2fb%2Fc/d", undefined],
    ["pkg:generic/caf%c3%a9", "pkg:generic/caf%C3%A9"],
    ["pkg:generic/a%20b%7Ec%3Ad", "pkg:generic/a%20b~c:d"],
    ["pkg:generic/a%2Db", "pkg:generic/a-b"],
    ["pkg:generic/a+b", "pkg:generic/a%2Bb"],
    ["pkg:deb/Debian/Curl?Distro=jessie&arch=i386", "pkg:deb/debian/curl?arch=i386&distro=jessie"],
    ["pkg:generic/x?b=&a=1", "pkg:generic/x?a=1"],
    ["pkg:generic/x?", "pkg:generic/x"],
    ["pkg:generic/x?checksum=sha1:ad95,sha256:41bf", "pkg:generic/x?checksum=sha1:ad95%2Csha256:41bf"],
    ["pkg:maven/org.apache.xmlgraphics/batik-anim", "pkg:maven/org.apache.xmlgraphics/batik-anim"],
    ["pkg:npm/@babel/core", "pkg:npm/%40babel/core"],
    ["pkg:npm/foo?a=b?c=d", "pkg:npm/foo%3Fa%3Db?c=d"], // qualifiers split at the last "?", as the spec says
    ["pkg:npm/foo?q=%e2%82%ac%2c", "pkg:npm/foo?q=%E2%82%AC%2C"],
  ])("%s is canonically %s", (input, out) => {
    if (out === undefined) {
      refused(pkg(input), "encoded \"/\"");
      return;
    }
    expect(canon(pkg(input))).toEqual(pkg(out));
    expect(canonicalPurl(out)).toBe(out);
  });

  test.each([
    ["", "is empty"],
    ["npm/foo", 'does not start with "pkg:"'],
    ["pkg:npm", "has no name"],
    ["pkg:npm/", "has no name"],
    ["pkg:3npm/foo", "has type"],
    ["pkg:n&m/foo", "has type"],
    ["pkg:npm/foo@1.2.3", "names a version", "versions field"],
    ["pkg:npm/%40cosmjs/stargate@0.38.0", "names a version"],
    ["pkg:npm/@cosmjs/stargate@0.38.0", "names a version"],
    ["pkg:cran/@0.9.1", "names a version"],
    ["pkg:swift/github.com/Alamofire/@5.4.3", "names a version"],
    ["pkg:npm/a@b/c", "names a version"],
    ["pkg:npm/foo#lib", "has a subpath"],
    ["pkg:npm/fo o", "has whitespace"],
    ["pkg:npm/café", "not printable ASCII"],
    ["pkg:npm/a%2", 'has a "%"'],
    ["pkg:npm/a%zz", 'has a "%"'],
    ["pkg:npm/a%ff", "not UTF-8"],
    ["pkg:npm/a%0a", "control character"],
    ["pkg:npm/x?in%20production=true", "qualifier key"],
    ["pkg:npm/x?1a=b", "qualifier key"],
    ["pkg:npm/x?a=1&A=2", "twice"],
    ["pkg:npm/x?novalue", "not key=value"],
    ["pkg:npm/x?a=1&&b=2", "not key=value"],
    ["pkg:golang/cosmos-sdk", "has no namespace"],
    ["pkg:github/cosmjs", "has no namespace"],
    ["pkg:cargo/rust-lang/serde", "has a namespace"],
    ["pkg:pypi/x/django", "has a namespace"],
    [`pkg:generic/${"a".repeat(501)}`, "is longer than 512"],
    [`pkg:generic/${"+".repeat(200)}`, "once canonical"],
  ])("%j refused (%s)", (input, ...why) => {
    refused(pkg(input), ...why, "pkg:npm/%40cosmjs/stargate");
  });

  test("package ↔ package: same canonical purl and intersecting ranges", () => {
    const dep = pkg("pkg:npm/@cosmjs/stargate", "vers:semver/>=0.38.0|<0.39.2");
    expect(matches(dep, pkg("pkg:npm/%40cosmjs/stargate", "vers:semver/0.39.1"))).toBe(true);
    expect(matches(dep, pkg("pkg:npm/%40cosmjs/stargate", "vers:semver/<0.38.0-rc.1"))).toBe(false);
    expect(matches(dep, pkg("pkg:npm/%40cosmjs/stargate", "vers:semver/>=0.39.2"))).toBe(false);
    expect(matches(dep, pkg("pkg:npm/%40cosmjs/stargate", "vers:semver/>=0.39.2-alpha"))).toBe(true); // 0.39.2-alpha < 0.39.2
    expect(matches(dep, pkg("pkg:npm/%40cosmjs/stargate"))).toBe(true); // every version
    expect(matches(dep, pkg("pkg:npm/%40cosmjs/proto-signing", "vers:semver/0.39.1"))).toBe(false);
    expect(matches(pkg("pkg:npm/x?a=1"), pkg("pkg:npm/x"))).toBe(false); // qualifiers are part of the purl
  });
});

describe("SemVer precedence", () => {
  test("the ordering example of semver.org §11", () => {
    const order = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1-0", "1.0.1", "1.1.0", "1.10.0", "2.0.0", "10.0.0", "123456789012345678901234567890.0.0"];
    const vs = order.map((s) => parseSemVer(s));
    for (let i = 0; i < vs.length; i++) {
      for (let j = 0; j < vs.length; j++) {
        expect([order[i], order[j], Math.sign(compareSemVer(vs[i]!, vs[j]!))]).toEqual([order[i], order[j], Math.sign(i - j)]);
      }
    }
  });

  test("build metadata takes no part in precedence", () => {
    expect(compareSemVer(parseSemVer("1.0.0+a")!, parseSemVer("1.0.0+b.2")!)).toBe(0);
    expect(compareSemVer(parseSemVer("1.0.0-x+a")!, parseSemVer("1.0.0-x")!)).toBe(0);
  });

  test.each([["1"], ["1.0"], ["v1.0.0"], ["01.0.0"], ["1.00.0"], ["1.0.0-01"], ["1.0.0-"], ["1.0.0-a..b"], ["1.0.0+"], ["1.0.0+a+b"], ["1.0.0-é"], [" 1.0.0"], ["1.0.0.0"]])("%j is not SemVer", (s) => {
    expect(parseSemVer(s)).toBeUndefined();
  });
});

describe("vers ranges", () => {
  test.each([
    ["", ""],
    ["vers:semver/*", ""],
    ["vers:generic/*", ""],
    ["VERS:SemVer/1.0.0", "vers:semver/1.0.0"],
    ["vers:semver/=1.0.0", "vers:semver/1.0.0"],
    ["vers:semver/<0.39.2|>=0.38.0", "vers:semver/>=0.38.0|<0.39.2"],
    ["vers:semver/>=0.38.0|<0.39.2|>=0.38.0", "vers:semver/>=0.38.0|<0.39.2"],
    ["vers:semver/1.0.0+build.5|1.0.0", "vers:semver/1.0.0"],
    ["vers:semver/2.0.0|1.0.0|1.0.0-rc.1", "vers:semver/1.0.0-rc.1|1.0.0|2.0.0"],
    ["vers:semver/>=2.2.0|!=2.2.1|<2.3.0", "vers:semver/>=2.2.0|!=2.2.1|<2.3.0"],
    ["vers:semver/!=1.0.0", "vers:semver/!=1.0.0"],
    ["vers:semver/<1.0.0|3.0.0|>=2.0.0|<2.5.0|>4.0.0", "vers:semver/<1.0.0|>=2.0.0|<2.5.0|3.0.0|>4.0.0"],
    ["vers:generic/b|a|=c|a", "vers:generic/a|b|c"],
    ["vers:generic/a%3cb|%7e", "vers:generic/a%3Cb|~"],
  ])("%j is canonically %j", (input, out) => {
    expect(canonicalVers(input)).toBe(out);
    expect(canonicalVers(out)).toBe(out);
    expect(canon(pkg("pkg:npm/x", input)).versions).toBe(out);
  });

  test.each([
    ["semver/1.0.0", 'does not start with "vers:"'],
    ["vers:semver", 'has no "/"'],
    ["vers:npm/1.0.0", "versioning scheme \"npm\"", "only semver and generic"],
    ["vers:semver/", "has no constraints"],
    ["vers:semver/1.0.0|", "empty constraint"],
    ["vers:semver/|1.0.0", "empty constraint"],
    ["vers:semver/1.0.0||2.0.0", "empty constraint"],
    ["vers:semver/*|1.0.0", '"*" stands alone'],
    ["vers:semver/>=", "without a version"],
    ["vers:semver/v1.0.0", "not a SemVer 2.0.0 version"],
    ["vers:semver/1.0", "not a SemVer 2.0.0 version"],
    ["vers:semver/~1.0.0", "not a SemVer 2.0.0 version"],
    ["vers:semver/>= 1.0.0", "whitespace"],
    ["vers:semver/1.0.0|>=1.0.0", "names version 1.0.0 twice"],
    ["vers:semver/1.0.0+a|!=1.0.0", "twice"],
    ["vers:semver/<1.0.0|<2.0.0", "redundant or impossible"],
    ["vers:semver/>1.0.0|>2.0.0", "redundant or impossible"],
    ["vers:semver/>1.0.0|2.0.0", "redundant or impossible"],
    ["vers:semver/1.0.0|<2.0.0", "redundant or impossible"],
    ["vers:semver/>=1.0.0|2.0.0|<3.0.0", "redundant or impossible"],
    ["vers:semver/>1.0.0|<1.0.1-0", "contains no version"],
    ["vers:semver/<0.0.0-0", "contains no version"],
    ["vers:generic/>=1", 'only "="'],
    ["vers:generic/!=1", 'only "="'],
    ["vers:generic/a%zz", 'has a "%"'],
    ["vers:generic/a%20b", "not printable ASCII"],
    ["vers:generic/a*b", "percent-encode it"],
    [`vers:semver/${Array.from({ length: 65 }, (_, i) => `${i}.0.0`).join("|")}`, "more than 64"],
    [`vers:generic/${"a".repeat(1020)}`, "longer than 1024"],
  ])("%j refused (%s)", (input, ...why) => {
    refused(pkg("pkg:npm/x", input), ...why, "vers:semver/>=0.38.0|<0.39.2");
  });

  test("intervals: pre-releases are ordinary versions; immediate successors close open intervals", () => {
    const r = (s: string) => parseVers(s).range;
    expect(containsVersion(r("vers:semver/<1.0.0"), "1.0.0-rc.1")).toBe(true);
    expect(containsVersion(r("vers:semver/<1.0.0"), "1.0.0")).toBe(false);
    expect(containsVersion(r("vers:semver/<=1.0.0"), "1.0.0+b")).toBe(true);
    expect(containsVersion(r("vers:semver/>=2.2.0|!=2.2.1|<2.3.0"), "2.2.1")).toBe(false);
    expect(containsVersion(r("vers:semver/>=2.2.0|!=2.2.1|<2.3.0"), "2.2.2")).toBe(true);
    expect(containsVersion(r("vers:semver/!=1.0.0"), "7.0.0")).toBe(true);
    expect(containsVersion(r("vers:semver/!=1.0.0"), "1.0.0")).toBe(false);
    expect(rangesIntersect(r("vers:semver/>1.0.0"), r("vers:semver/<1.0.1-0"))).toBe(false);
    expect(rangesIntersect(r("vers:semver/>1.0.0"), r("vers:semver/<=1.0.1-0"))).toBe(true);
    expect(rangesIntersect(r("vers:semver/>1.0.0-a"), r("vers:semver/<1.0.0-a.0"))).toBe(false);
    expect(rangesIntersect(r("vers:semver/>1.0.0-a"), r("vers:semver/<1.0.0-a.1"))).toBe(true); // 1.0.0-a.0
    expect(rangesIntersect(r("vers:semver/<1.0.0"), r("vers:semver/>=1.0.0"))).toBe(false);
    expect(rangesIntersect(r("vers:semver/<=1.0.0"), r("vers:semver/>=1.0.0"))).toBe(true);
    expect(rangesIntersect(r("vers:semver/<1.0.0|>2.0.0"), r("vers:semver/>=1.0.0|<=2.0.0"))).toBe(false);
    expect(rangesIntersect(r("vers:semver/<1.0.0|>2.0.0"), r("vers:semver/>=1.0.0|<=2.0.0|>=3.0.0|<4.0.0"))).toBe(true);
    expect(rangesIntersect(r("vers:semver/!=1.0.0"), r("vers:semver/1.0.0"))).toBe(false);
  });

  test("generic ranges: equal strings; against SemVer, a SemVer string inside, or any non-SemVer string", () => {
    const r = (s: string) => parseVers(s).range;
    expect(rangesIntersect(r("vers:generic/a|b"), r("vers:generic/b|c"))).toBe(true);
    expect(rangesIntersect(r("vers:generic/a|b"), r("vers:generic/c"))).toBe(false);
    expect(rangesIntersect(r("vers:generic/1.2.0"), r("vers:semver/>=1.0.0|<2.0.0"))).toBe(true);
    expect(rangesIntersect(r("vers:semver/>=1.0.0|<2.0.0"), r("vers:generic/2.0.0"))).toBe(false);
    expect(rangesIntersect(r("vers:semver/>=1.0.0|<2.0.0"), r("vers:generic/abc123"))).toBe(true);
    expect(rangesIntersect(r(""), r("vers:generic/abc123"))).toBe(true);
  });
});

describe("anyMatch and the index", () => {
  test("anyMatch is true iff some dependency matches some component", () => {
    const deps = [tag("mempool/cpfp-carveout"), route("/cosmos.bank.v1beta1.MsgSend")].map(canon);
    expect(anyMatch(deps, [mod("bank")].map(canon), MODULES)).toBe(true);
    expect(anyMatch(deps, [mod("staking"), tag("mempool/rbf")].map(canon), MODULES)).toBe(false);
    expect(anyMatch([], [mod("bank")].map(canon), MODULES)).toBe(false);
    expect(anyMatch(deps, [], MODULES)).toBe(false);
  });

  test("routes are filed under their package's wildcard; the rest under their name", () => {
    expect(indexSelector(canon(route("/cosmos.bank.v1beta1.MsgSend")))).toEqual({ kind: ROUTE, name: "/cosmos.bank.v1beta1.*" });
    expect(indexSelector(canon(route("/cosmos.bank.v1beta1.*")))).toEqual({ kind: ROUTE, name: "/cosmos.bank.v1beta1.*" });
    expect(indexSelector(canon(mod("gov")))).toEqual({ kind: MODULE, name: "gov" });
    expect(indexSelector(canon(pkg("pkg:npm/x", "vers:semver/1.0.0")))).toEqual({ kind: PACKAGE, name: "pkg:npm/x" });
  });

  test("candidate selectors of each kind", () => {
    expect(candidateSelectors(canon(route("/cosmos.gov.v1.MsgVote")), MODULES)).toEqual({
      exact: [
        { kind: ROUTE, name: "/cosmos.gov.v1.*" },
        { kind: MODULE, name: "gov" },
      ],
      prefixes: [],
    });
    expect(candidateSelectors(canon(mod("gov")), MODULES)).toEqual({
      exact: [
        { kind: MODULE, name: "gov" },
        { kind: ROUTE, name: "/cosmos.gov.v1.*" },
        { kind: ROUTE, name: "/cosmos.gov.v1beta1.*" },
      ],
      prefixes: [],
    });
    expect(candidateSelectors(canon(tag("a/b")), MODULES)).toEqual({ exact: [{ kind: TAG, name: "a/b" }], prefixes: [] });
    expect(candidateSelectors(canon(pkg("pkg:cargo/serde", "vers:semver/<1.0.0")), MODULES)).toEqual({ exact: [{ kind: PACKAGE, name: "pkg:cargo/serde" }], prefixes: [] });
  });
});
