/**
 * The OSV export against the OFFICIAL OSV schema (ossf/osv-schema v1.7.5, vendored under
 * test/fixtures/schemas/osv with its sha256 pinned), validated with Ajv 8 (draft 2020-12) and
 * ajv-formats; plus the mapping rules (ecosystems, ranges, database_specific).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import fc from "fast-check";
import { ComponentKind } from "../../../src/generated/coord/v1/types";
import { OSV_SCHEMA_VERSION, osvPackage, osvRanges, parseVers, toOsv, type CaseExport } from "../../../src/client/coord/render";
import { type AjvError, isUnregisteredIdPrefix, OSV_SCHEMA_PATH as SCHEMA_PATH, OSV_SCHEMA_SHA256 as SCHEMA_SHA256, osvValidator } from "../../helpers/advisory-schemas";
import { caseExport } from "./render-arbitrary";
import { COMPONENTS, fixture } from "./render-fixture";

const validate = osvValidator();

function errorsBesidesIdPrefix(doc: unknown): AjvError[] {
  return validate(doc).filter((e) => !isUnregisteredIdPrefix(e));
}

function osvOf(x: CaseExport): Record<string, unknown> {
  // Through JSON, as a consumer reads it.
  return JSON.parse(JSON.stringify(toOsv(x))) as Record<string, unknown>;
}

describe("OSV export validates against the official OSV 1.7.5 schema", () => {
  test("the vendored schema is the pinned file", () => {
    const digest = createHash("sha256").update(fs.readFileSync(SCHEMA_PATH)).digest("hex");
    expect(digest).toBe(SCHEMA_SHA256);
    expect(OSV_SCHEMA_VERSION).toBe("1.7.5");
  });

  test("the seed story's export: no error except the unregistered id prefix", () => {
    const doc = osvOf(fixture());
    const all = validate(doc);
    expect(all.map((e) => `${e.instancePath} ${e.schemaPath}`)).toEqual(["/id #/$defs/prefix/pattern"]);
    expect(errorsBesidesIdPrefix(doc)).toEqual([]);
  });

  test("with a registered database prefix the same document is fully valid", () => {
    const doc = { ...osvOf(fixture()), id: "OSV-2026-3" };
    expect(validate(doc)).toEqual([]);
  });

  test("negative: broken documents are reported invalid", () => {
    const good = osvOf(fixture());
    const noIntroduced = structuredClone(good) as { affected: { ranges: { events: unknown[] }[] }[] };
    noIntroduced.affected[0]!.ranges[0]!.events = [{ fixed: "1.4.1" }];
    expect(errorsBesidesIdPrefix(noIntroduced).length).toBeGreaterThan(0);
    const badTime = { ...good, modified: "2026-03-04 10:00" };
    expect(errorsBesidesIdPrefix(badTime).some((e) => e.instancePath === "/modified")).toBe(true);
    const badEco = structuredClone(good) as { affected: { package: { ecosystem: string } }[] };
    badEco.affected[0]!.package.ecosystem = "npmjs";
    expect(errorsBesidesIdPrefix(badEco).length).toBeGreaterThan(0);
    const mixed = structuredClone(good) as { affected: { ranges: { events: unknown[] }[] }[] };
    mixed.affected[0]!.ranges[0]!.events.push({ last_affected: "1.4.0" });
    expect(errorsBesidesIdPrefix(mixed).length).toBeGreaterThan(0);
    const noId: Record<string, unknown> = { ...good };
    delete noId["id"];
    expect(validate(noId).some((e) => e.keyword === "required")).toBe(true);
  });

  test("property: any semver vers range and fix gives a valid document", () => {
    const version = fc
      .tuple(fc.nat(3), fc.nat(12), fc.nat(20), fc.option(fc.constantFrom("alpha.1", "rc.2", "beta"), { nil: undefined }))
      .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre === undefined ? "" : `-${pre}`}`);
    const constraint = fc.tuple(fc.constantFrom(">=", ">", "<", "<=", "=", "!="), version).map(([op, v]) => `${op}${v}`);
    const vers = fc.oneof(
      fc.constant(""),
      fc.constant("vers:semver/*"),
      fc.array(constraint, { minLength: 1, maxLength: 5 }).map((cs) => `vers:semver/${cs.join("|")}`),
      fc.array(version, { minLength: 1, maxLength: 3 }).map((vs) => `vers:generic/${vs.map((v) => `=${v}`).join("|")}`),
    );
    fc.assert(
      fc.property(vers, fc.array(version, { maxLength: 3 }), (range, fixedVersions) => {
        const x = fixture();
        const d = x.disclosure!;
        const components = [{ kind: ComponentKind.COMPONENT_KIND_PACKAGE, name: "pkg:npm/%40scope/pkg", versions: range }];
        const doc = osvOf({ ...x, disclosure: { ...d, components, fix: { ...d.fix!, fixedVersions } } });
        expect(errorsBesidesIdPrefix(doc)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

test("property: any disclosed case (random text, vectors, references, components, times) gives a valid document", () => {
  fc.assert(
    fc.property(caseExport, (x) => {
      expect(errorsBesidesIdPrefix(osvOf(x))).toEqual([]);
    }),
    { numRuns: 300 },
  );
});

describe("OSV mapping", () => {
  const doc = osvOf(fixture());
  const ds = doc["database_specific"] as Record<string, unknown>;

  test("id, times, aliases, severity, summary", () => {
    expect(doc["id"]).toBe("DCERT-2026-3");
    expect(doc["schema_version"]).toBe("1.7.5");
    expect(doc["published"]).toBe("2026-03-02T20:10:00Z");
    expect(doc["modified"]).toBe("2026-03-04T10:00:00Z");
    expect(doc["aliases"]).toEqual(["CVE-2026-31337", "GHSA-7x3q-9m2v-c4wp"]);
    expect(doc["severity"]).toEqual([{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H" }]);
    expect(doc["summary"]).toBe("Memory exhaustion through the carve-out path of MsgMultiSend");
    expect(doc["details"]).toContain("## Impact");
  });

  test("affected: npm and Go packages with SEMVER ranges; generic purl stays chain-specific", () => {
    expect(doc["affected"]).toEqual([
      {
        package: { ecosystem: "npm", name: "@lightpath/channel-sdk", purl: "pkg:npm/%40lightpath/channel-sdk" },
        ranges: [{ type: "SEMVER", events: [{ introduced: "1.2.0" }, { fixed: "1.4.1" }] }],
        database_specific: { vers: "vers:semver/>=1.2.0|<1.4.1", fixed_versions: ["1.4.1"] },
      },
      {
        package: {
          ecosystem: "Go",
          name: "github.com/watchtower-collective/l2-watchtower",
          purl: "pkg:golang/github.com/watchtower-collective/l2-watchtower",
        },
        // The open range ">=0.7.0" is closed by the fix's purl-scoped fixed version (v dropped).
        ranges: [{ type: "SEMVER", events: [{ introduced: "0.7.0" }, { fixed: "0.9.3" }] }],
        database_specific: { vers: "vers:semver/>=0.7.0", fixed_versions: ["v0.9.3"] },
      },
    ]);
    expect(ds["packages_without_osv_ecosystem"]).toEqual([{ purl: "pkg:generic/dcert-node", vers: "vers:generic/=0.1.0", fixed_versions: ["0.1.1"] }]);
  });

  test("chain facts under database_specific", () => {
    expect(ds["chain_id"]).toBe("dcert-devnet-1");
    expect(ds["case_id"]).toBe("3");
    expect(ds["level"]).toBe(3);
    expect(ds["routes"]).toEqual(["/cosmos.bank.v1beta1.MsgMultiSend"]);
    expect(ds["modules"]).toEqual(["bank"]);
    expect(ds["tags"]).toEqual(["mempool/cpfp-carveout"]);
    expect((ds["timeline"] as unknown[]).length).toBe(14);
    expect(ds["disclosure_check"]).toMatchObject({ matched: 2, notified: 2, acknowledged: 1, missed: 0, late: 0 });
    expect(ds["mitigations"]).toEqual([
      {
        member: fixture().mitigations[0]!.member,
        routes: ["/cosmos.bank.v1beta1.MsgMultiSend"],
        reason: "case 3: stop the leak until nodes upgrade",
        height: "1300",
        time: "2026-03-02T08:30:00Z",
      },
    ]);
    expect((ds["involvements"] as { status: string }[]).map((i) => i.status).sort()).toEqual([
      "INVOLVEMENT_STATUS_ACKNOWLEDGED",
      "INVOLVEMENT_STATUS_CONTACTED",
    ]);
    expect(ds["post_coordination_record"]).toMatchObject({ fix_deployment_verified: true });
    expect((ds["commitments"] as unknown[]).length).toBe(5);
  });

  test("references and credits", () => {
    expect(doc["references"]).toEqual([
      { type: "WEB", url: "https://github.com/dcert-chain/dcert/security/advisories/GHSA-7x3q-9m2v-c4wp" },
      { type: "WEB", url: "https://github.com/dcert-chain/dcert/pull/412" },
      { type: "FIX", url: "https://github.com/dcert-chain/dcert/commit/3f2c1a9e8b7d6c5f4e3a2b1c0d9e8f7a6b5c4d3e" },
    ]);
    expect(doc["credits"]).toEqual([
      { name: "An anonymous reporter", type: "FINDER" },
      { name: "Lightpath channels team", type: "REMEDIATION_DEVELOPER" },
      { name: "Ops | Desk" },
      { name: "dCERT of dcert-devnet-1", type: "COORDINATOR" },
    ]);
  });

  test("only http(s) URLs become references; other reference text stays with the chain facts", () => {
    // "A:#" is an RFC 3986 shape that Ajv's "uri" format refuses (found by the property below).
    const x = fixture();
    const adv = x.disclosure?.advisory;
    if (x.disclosure === undefined || adv === undefined) throw new Error("fixture without advisory");
    const odd = { ...x, disclosure: { ...x.disclosure, advisory: { ...adv, references: ["A:#", "mailto:security@example.org", "urn:x:y", "https://example.org/a#"] } } };
    const out = osvOf(odd);
    expect((out["references"] as { url: string }[]).filter((r) => !r.url.includes("/commit/")).map((r) => r.url)).toEqual(["https://example.org/a#"]);
    expect(errorsBesidesIdPrefix(out)).toEqual([]);
  });

  test("an undisclosed case has no OSV record", () => {
    const x = fixture();
    const { disclosure: _d, ...rest } = x;
    expect(() => toOsv({ ...rest, case: { ...x.case, disclosureTime: undefined } })).toThrow(/not disclosed/);
  });
});

describe("OSV ranges from vers", () => {
  const pkg = (versions: string) => ({ kind: ComponentKind.COMPONENT_KIND_PACKAGE, name: "pkg:npm/x", versions });
  const fix = (fixedVersions: string[]) => ({ description: "", repository: "", commit: "", artifacts: [], fixedVersions });

  test.each([
    ["", [], [{ type: "SEMVER", events: [{ introduced: "0" }] }]],
    ["", ["2.0.0"], [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "2.0.0" }] }]],
    ["vers:semver/*", ["1.0.1", "0.9.9"], [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "0.9.9" }] }]],
    ["vers:semver/<1.0.0", [], [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "1.0.0" }] }]],
    ["vers:semver/>=1.0.0|<1.2.0|>=2.0.0", ["2.1.0"], [{ type: "SEMVER", events: [{ introduced: "1.0.0" }, { fixed: "1.2.0" }, { introduced: "2.0.0" }, { fixed: "2.1.0" }] }]],
    [
      "vers:semver/>=1.0.0|<=1.1.0|>=2.0.0|<2.0.5",
      [],
      [
        { type: "SEMVER", events: [{ introduced: "2.0.0" }, { fixed: "2.0.5" }] },
        { type: "SEMVER", events: [{ introduced: "1.0.0" }, { last_affected: "1.1.0" }] },
      ],
    ],
    ["vers:semver/=1.3.0", [], [{ type: "SEMVER", events: [{ introduced: "1.3.0" }, { last_affected: "1.3.0" }] }]],
    ["vers:semver/>=1.0.0-rc.1|<1.0.0", [], [{ type: "SEMVER", events: [{ introduced: "1.0.0-rc.1" }, { fixed: "1.0.0" }] }]],
  ])("%s with fixed %j", (versions, fixedVersions, ranges) => {
    expect(osvRanges(pkg(versions), fix(fixedVersions)).ranges).toEqual(ranges);
  });

  test("vers:generic exact versions become versions[]", () => {
    expect(osvRanges(pkg("vers:generic/=1.0|=1.1"), undefined)).toEqual({ ranges: [], versions: ["1.0", "1.1"], notes: [] });
  });

  test("an unsupported scheme is kept under database_specific only", () => {
    const r = osvRanges(pkg("vers:pypi/>=1.0"), undefined);
    expect(r.ranges).toEqual([]);
    expect(r.notes[0]).toMatch(/not a vers:semver/);
  });

  test("parseVers sorts constraints by SemVer precedence", () => {
    expect(parseVers("vers:semver/<2.0.0|>=1.10.0|>=1.9.0-rc.1")?.constraints.map((c) => c.version)).toEqual(["1.9.0-rc.1", "1.10.0", "2.0.0"]);
    expect(parseVers("semver/1.0")).toBeUndefined();
  });

  test("purl types map to OSV ecosystems", () => {
    expect(osvPackage("pkg:npm/%40cosmjs/stargate")).toEqual({ ecosystem: "npm", name: "@cosmjs/stargate" });
    expect(osvPackage("pkg:golang/github.com/cometbft/cometbft")).toEqual({ ecosystem: "Go", name: "github.com/cometbft/cometbft" });
    expect(osvPackage("pkg:cargo/serde")).toEqual({ ecosystem: "crates.io", name: "serde" });
    expect(osvPackage("pkg:pypi/requests")).toEqual({ ecosystem: "PyPI", name: "requests" });
    expect(osvPackage("pkg:maven/org.apache.logging.log4j/log4j-core")).toEqual({ ecosystem: "Maven", name: "org.apache.logging.log4j:log4j-core" });
    expect(osvPackage("pkg:nuget/Newtonsoft.Json")).toEqual({ ecosystem: "NuGet", name: "Newtonsoft.Json" });
    expect(osvPackage("pkg:generic/thing")).toBeUndefined();
    expect(osvPackage("not a purl")).toBeUndefined();
  });

  test("bare fixed versions apply only to packages the fix does not name by purl", () => {
    const x = fixture();
    const doc = osvOf(x);
    const npm = (doc["affected"] as { database_specific: { fixed_versions: string[] } }[])[0]!;
    expect(npm.database_specific.fixed_versions).toEqual(["1.4.1"]);
    expect(COMPONENTS[5]!.name).toBe("pkg:generic/dcert-node");
  });
});
