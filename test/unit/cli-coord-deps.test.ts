/**
 * The dependency / component syntax of `dcertd tx coord register-party --dep …` and components.json:
 * every kind parses to the right Component, formats back to the same text, and malformed input is a
 * usage error (exit code 2) that shows the syntax.
 */
import fc from "fast-check";
import { UsageError } from "../../src/cli/args";
import { formatComponent, parseComponent, parseComponentList } from "../../src/cli/coord/deps";
import { ComponentKind } from "../../src/generated/coord/v1/types";

describe("parseComponent", () => {
  it.each([
    ["route:/cosmos.bank.v1beta1.MsgSend", ComponentKind.COMPONENT_KIND_ROUTE, "/cosmos.bank.v1beta1.MsgSend", ""],
    ["/dcert.v1.MsgVote", ComponentKind.COMPONENT_KIND_ROUTE, "/dcert.v1.MsgVote", ""],
    ["route:/cosmos.bank.v1beta1.*", ComponentKind.COMPONENT_KIND_ROUTE, "/cosmos.bank.v1beta1.*", ""],
    ["module:bank", ComponentKind.COMPONENT_KIND_MODULE, "bank", ""],
    ["tag:mempool/cpfp-carveout", ComponentKind.COMPONENT_KIND_TAG, "mempool/cpfp-carveout", ""],
    ["pkg:npm/foo", ComponentKind.COMPONENT_KIND_PACKAGE, "pkg:npm/foo", ""],
    ["pkg:npm/foo@vers:semver/>=1.0.0|<1.2.0", ComponentKind.COMPONENT_KIND_PACKAGE, "pkg:npm/foo", "vers:semver/>=1.0.0|<1.2.0"],
    ["pkg:npm/%40cosmjs/stargate@vers:semver/>=0.38.0|<0.39.2", ComponentKind.COMPONENT_KIND_PACKAGE, "pkg:npm/%40cosmjs/stargate", "vers:semver/>=0.38.0|<0.39.2"],
    ["pkg:golang/github.com/cometbft/cometbft@vers:semver/<0.38.17", ComponentKind.COMPONENT_KIND_PACKAGE, "pkg:golang/github.com/cometbft/cometbft", "vers:semver/<0.38.17"],
  ])("%s", (text, kind, name, versions) => {
    expect(parseComponent(text)).toEqual({ kind, name, versions });
  });

  it.each([
    ["bank", /start it with route:, module:, tag: or pkg:/],
    ["route:cosmos.bank.v1beta1.MsgSend", /a route is a type URL/],
    ["route:/", /a route is a type URL/],
    ["module:Bank", /lower-case name/],
    ["tag:Mempool/x", /lower-case segments/],
    ["tag:a//b", /lower-case segments/],
    ["pkg:npm/foo@1.2.3", /not a purl version/],
    ["pkg:npm/foo@vers:", /vers:semver/],
    ["pkg:/foo", /purl without version/],
  ])("refuses %s", (text, why) => {
    let err: unknown;
    try {
      parseComponent(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toMatch(why);
    expect((err as UsageError).message).toMatch(/syntax: route:/);
  });

  const seg = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
  const component = fc.oneof(
    fc.tuple(fc.array(seg, { minLength: 1, maxLength: 3 }), fc.oneof(fc.constant("*"), fc.stringMatching(/^Msg[A-Z][a-zA-Z]{0,8}$/))).map(([p, last]) => ({ kind: ComponentKind.COMPONENT_KIND_ROUTE, name: `/${[...p, last].join(".")}`, versions: "" })),
    seg.map((name) => ({ kind: ComponentKind.COMPONENT_KIND_MODULE, name, versions: "" })),
    fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,6}$/), { minLength: 1, maxLength: 4 }).map((p) => ({ kind: ComponentKind.COMPONENT_KIND_TAG, name: p.join("/"), versions: "" })),
    fc
      .tuple(seg, fc.array(fc.stringMatching(/^[a-z0-9%._-]{1,8}$/), { minLength: 1, maxLength: 3 }), fc.option(fc.stringMatching(/^(>=|<|<=|>|=)?[0-9]\.[0-9]\.[0-9](\|(<|>=)[0-9]\.[0-9]\.[0-9])?$/), { nil: undefined }))
      .map(([type, parts, range]) => ({ kind: ComponentKind.COMPONENT_KIND_PACKAGE, name: `pkg:${type}/${parts.join("/")}`, versions: range === undefined ? "" : `vers:semver/${range}` })),
  );

  it("formats back to what it parses (property)", () => {
    fc.assert(
      fc.property(component, (c) => {
        const text = formatComponent(c);
        expect(parseComponent(text)).toEqual(c);
        expect(formatComponent(parseComponent(text))).toBe(text);
      }),
    );
  });

  it("never throws anything but a UsageError on arbitrary text (property)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          parseComponent(s);
        } catch (e) {
          expect(e).toBeInstanceOf(UsageError);
        }
      }),
    );
  });
});

describe("parseComponentList", () => {
  it("reads strings and objects, bare or under components", () => {
    const want = [
      { kind: ComponentKind.COMPONENT_KIND_ROUTE, name: "/x.v1.MsgY", versions: "" },
      { kind: ComponentKind.COMPONENT_KIND_PACKAGE, name: "pkg:npm/foo", versions: "vers:semver/<2.0.0" },
    ];
    expect(parseComponentList(["route:/x.v1.MsgY", { kind: "package", name: "pkg:npm/foo", versions: "vers:semver/<2.0.0" }], "c.json")).toEqual(want);
    expect(parseComponentList({ components: [{ kind: "COMPONENT_KIND_ROUTE", name: "/x.v1.MsgY" }, "pkg:npm/foo@vers:semver/<2.0.0"] }, "c.json")).toEqual(want);
  });

  it("refuses an empty list and unknown kinds", () => {
    expect(() => parseComponentList([], "c.json")).toThrow(/non-empty JSON array/);
    expect(() => parseComponentList([{ kind: "library", name: "x" }], "c.json")).toThrow(/entry 0/);
    expect(() => parseComponentList([{ kind: "route", name: "nope" }], "c.json")).toThrow(/a route is a type URL/);
  });
});
