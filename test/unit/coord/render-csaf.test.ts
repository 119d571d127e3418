/**
 * The CSAF 2.0 export, validated with BSI's `@secvisogram/csaf-validator-lib` (2.0.10): its strict
 * CSAF 2.0 JSON schema test and every mandatory test (6.1.x). The library is ESM-only and Jest
 * runs CommonJS, so test/fixtures/csaf/validate.mjs runs it in a child `node` process.
 */
import { InvolvementStatus, PartyKind } from "../../../src/generated/coord/v1/types";
import {
  CSAF_INVOLVEMENT_STATUS,
  CSAF_PARTY_CATEGORY,
  cvss3,
  defaultPublisherNamespace,
  statusChanges,
  toCsaf,
  type CaseExport,
} from "../../../src/client/coord/render";
import fc from "fast-check";
import { csafValidate, type CsafVerdict } from "../../helpers/advisory-schemas";
import { caseExport } from "./render-arbitrary";
import { at, fixture, INVOLVEMENTS, LIGHTPATH, WATCHTOWER } from "./render-fixture";

type Verdict = CsafVerdict;

type Doc = {
  document: {
    tracking: { version: string; revision_history: { number: string; date: string; summary: string }[]; status: string; id: string; initial_release_date: string; current_release_date: string };
    publisher: { category: string; name: string; namespace: string };
    notes: { category: string; title: string }[];
  };
  product_tree: { branches: unknown[]; full_product_names: { product_id: string; name: string }[] };
  vulnerabilities: {
    cve?: string;
    ids: { system_name: string; text: string }[];
    involvements: { party: string; status: string; date?: string; summary: string }[];
    remediations: { category: string; product_ids: string[]; details: string; date?: string }[];
    product_status: { known_affected: string[]; fixed: string[] };
    acknowledgments: { names: string[]; summary?: string }[];
    scores: { cvss_v3: { baseScore: number; baseSeverity: string; vectorString: string } }[];
  }[];
};

const csafOf = (x: CaseExport): Doc => JSON.parse(JSON.stringify(toCsaf(x))) as Doc;

/** Two parties notified and last updated in the same block: same CSAF party category and date. */
function sameDateFixture(): CaseExport {
  const x = fixture();
  const lp = INVOLVEMENTS.find((i) => i.party === LIGHTPATH)!;
  const wt = INVOLVEMENTS.find((i) => i.party === WATCHTOWER)!;
  return { ...x, involvements: [{ ...lp, status: InvolvementStatus.INVOLVEMENT_STATUS_CONTACTED, ackTime: undefined, updatedTime: wt.updatedTime }, wt] };
}

/** One unregistered party in each of the six involvement statuses. */
function allStatusesFixture(): CaseExport {
  const base = INVOLVEMENTS[0]!;
  const statuses = [1, 2, 3, 4, 5, 6] as InvolvementStatus[];
  return { ...fixture(), involvements: statuses.map((status, i) => ({ ...base, party: `dcert1p${i}`, status, updatedTime: at(`2026-03-02T1${i}:00:00Z`) })) };
}

describe("CSAF export validates with @secvisogram/csaf-validator-lib (schema + mandatory tests)", () => {
  const good = csafOf(fixture());
  // Negative documents: each must be reported invalid, by the named test.
  const versionMismatch = structuredClone(good);
  versionMismatch.document.tracking.version = "9";
  const badStatus = structuredClone(good);
  badStatus.vulnerabilities[0]!.involvements[0]!.status = "acknowledged";
  const unknownProduct = structuredClone(good);
  unknownProduct.vulnerabilities[0]!.product_status.known_affected.push("route-99");
  const duplicateInvolvement = structuredClone(good);
  const dup = duplicateInvolvement.vulnerabilities[0]!.involvements;
  dup.push({ ...dup[0]!, date: dup[0]!.date ?? "2026-03-02T08:05:00Z" }, { ...dup[0]!, date: dup[0]!.date ?? "2026-03-02T08:05:00Z" });

  const docs = [good, versionMismatch, badStatus, unknownProduct, duplicateInvolvement, csafOf(sameDateFixture()), csafOf(allStatusesFixture())];
  let verdicts: Verdict[] = [];
  beforeAll(() => {
    verdicts = csafValidate(docs);
  });

  test("the seed story's export is valid (strict schema and all mandatory tests ran)", () => {
    const v = verdicts[0]!;
    expect(v.failed).toEqual([]);
    expect(v.isValid).toBe(true);
    expect(v.tests).toContain("csaf_2_0_strict");
    expect(v.tests).toEqual(expect.arrayContaining(["mandatoryTest_6_1_1", "mandatoryTest_6_1_14", "mandatoryTest_6_1_16", "mandatoryTest_6_1_24", "mandatoryTest_6_1_27_5"]));
    expect(v.tests.length).toBeGreaterThanOrEqual(40);
  });

  test("optional tests: only the documented warnings remain", () => {
    // 6.2.11: no canonical URL (the exporter does not know where the document will be published);
    // 6.2.16: routes, modules and tags have no product identification helper (they are not
    // packages; CSAF 2.0 has no identifier scheme for them).
    expect(verdicts[0]!.warnings.map((w) => w.name).sort()).toEqual(["optionalTest_6_2_11", "optionalTest_6_2_16"]);
  });

  test("negative: tracking version not matching the revision history (6.1.16)", () => {
    expect(verdicts[1]!.isValid).toBe(false);
    expect(verdicts[1]!.failed.map((f) => f.name)).toContain("mandatoryTest_6_1_16");
  });

  test("negative: an involvement status outside CSAF's enum (schema)", () => {
    expect(verdicts[2]!.isValid).toBe(false);
    expect(verdicts[2]!.failed.map((f) => f.name)).toContain("csaf_2_0_strict");
  });

  test("negative: a product status naming an undefined product (6.1.1)", () => {
    expect(verdicts[3]!.isValid).toBe(false);
    expect(verdicts[3]!.failed.map((f) => f.name)).toContain("mandatoryTest_6_1_1");
  });

  test("negative: the same party category twice on one date (6.1.24)", () => {
    expect(verdicts[4]!.isValid).toBe(false);
    expect(verdicts[4]!.failed.map((f) => f.name)).toContain("mandatoryTest_6_1_24");
  });

  test("two parties of one category updated in the same block still validate (second keeps no date)", () => {
    expect(verdicts[5]!.failed).toEqual([]);
    const invs = csafOf(sameDateFixture()).vulnerabilities[0]!.involvements.filter((i) => i.party === "vendor");
    expect(invs.length).toBe(2);
    expect(invs.filter((i) => i.date !== undefined).length).toBe(1);
  });

  test("every involvement status validates", () => {
    expect(verdicts[6]!.failed).toEqual([]);
  });
});

test("property: random disclosed cases all validate (one validator process for the batch)", () => {
  const seed = Number(process.env["FC_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
  const exports = fc.sample(caseExport, { numRuns: 40, seed });
  const verdicts = csafValidate(exports.map(csafOf));
  const bad = verdicts.map((v, i) => ({ i, failed: v.failed })).filter((v) => v.failed.length > 0);
  // On failure, rerun with FC_SEED=<seed> to get the same cases.
  expect({ seed, bad: bad.slice(0, 2) }).toEqual({ seed, bad: [] });
}, 120_000);

describe("CSAF mapping", () => {
  const doc = csafOf(fixture());
  const vuln = doc.vulnerabilities[0]!;

  test("involvement status mapping table", () => {
    expect(CSAF_INVOLVEMENT_STATUS).toEqual({
      [InvolvementStatus.INVOLVEMENT_STATUS_NOT_CONTACTED]: "not_contacted",
      [InvolvementStatus.INVOLVEMENT_STATUS_CONTACTED]: "contact_attempted",
      [InvolvementStatus.INVOLVEMENT_STATUS_ACKNOWLEDGED]: "open",
      [InvolvementStatus.INVOLVEMENT_STATUS_IN_PROGRESS]: "in_progress",
      [InvolvementStatus.INVOLVEMENT_STATUS_FIXED]: "completed",
      [InvolvementStatus.INVOLVEMENT_STATUS_DISPUTED]: "disputed",
    });
    expect(CSAF_PARTY_CATEGORY[PartyKind.PARTY_KIND_DOWNSTREAM_PROJECT]).toBe("vendor");
    expect(CSAF_PARTY_CATEGORY[PartyKind.PARTY_KIND_VALIDATOR]).toBe("user");
  });

  test("every involvement status reaches the document", () => {
    const got = csafOf(allStatusesFixture()).vulnerabilities[0]!.involvements.filter((v) => v.party !== "coordinator");
    expect(got.map((g) => g.status)).toEqual(["not_contacted", "contact_attempted", "open", "in_progress", "completed", "disputed"]);
    expect(got.every((g) => g.party === "other")).toBe(true); // unregistered parties
  });

  test("involvements of the seed story: acknowledged → open, not acknowledged → contact_attempted, dCERT completed", () => {
    expect(vuln.involvements.map((i) => [i.party, i.status, i.date])).toEqual([
      ["vendor", "open", "2026-03-02T09:12:30Z"],
      ["vendor", "contact_attempted", "2026-03-02T08:05:00Z"],
      ["coordinator", "completed", "2026-03-04T10:00:00Z"],
    ]);
    expect(vuln.involvements[0]!.summary).toContain("Lightpath channels");
    expect(vuln.involvements[0]!.summary).toContain("4050 s");
  });

  test("tracking: one revision per status-changing timeline entry", () => {
    const t = doc.document.tracking;
    expect(statusChanges(fixture().timeline).map((e) => e.what)).toEqual(["opened", "revision_proposed", "revision_expired", "disclosed", "closed"]);
    expect(t.revision_history.map((r) => [r.number, r.date])).toEqual([
      ["1", "2026-03-02T08:00:00Z"],
      ["2", "2026-03-02T12:00:00Z"],
      ["3", "2026-03-02T18:00:00Z"],
      ["4", "2026-03-02T20:10:00Z"],
      ["5", "2026-03-04T10:00:00Z"],
    ]);
    expect(t.version).toBe("5");
    expect(t.status).toBe("final");
    expect(t.id).toBe("DCERT-2026-3");
    expect(t.initial_release_date).toBe("2026-03-02T20:10:00Z");
    expect(t.current_release_date).toBe("2026-03-04T10:00:00Z");
  });

  test("publisher is the dCERT as coordinator", () => {
    expect(doc.document.publisher).toMatchObject({ category: "coordinator", name: "dCERT of dcert-devnet-1", namespace: defaultPublisherNamespace("dcert-devnet-1") });
    expect(csafOf({ ...fixture(), publisherNamespace: "https://cert.example.org" }).document.publisher.namespace).toBe("https://cert.example.org");
  });

  test("product tree and status: packages by purl with version ranges, fixed versions, routes/modules/tags", () => {
    expect(doc.product_tree.full_product_names.map((p) => p.product_id)).toEqual(["route-1", "module-1", "tag-1"]);
    expect(JSON.stringify(doc.product_tree.branches)).toContain('"purl":"pkg:npm/%40lightpath/channel-sdk@1.4.1"');
    expect(JSON.stringify(doc.product_tree.branches)).toContain('"category":"product_version_range","name":"vers:semver/>=1.2.0|<1.4.1"');
    expect(vuln.product_status.known_affected).toEqual(["route-1", "module-1", "tag-1", "pkg-1", "pkg-2", "pkg-3"]);
    expect(vuln.product_status.fixed).toEqual(["pkg-1-fixed-1", "pkg-2-fixed-1", "pkg-3-fixed-1"]);
  });

  test("remediations: vendor_fix from the fix, mitigation from the circuit break (on the route)", () => {
    expect(vuln.remediations.map((r) => [r.category, r.product_ids])).toEqual([
      ["vendor_fix", ["route-1", "module-1", "tag-1", "pkg-1", "pkg-2", "pkg-3"]],
      ["mitigation", ["route-1"]],
    ]);
    expect(vuln.remediations[0]!.details).toContain("3f2c1a9e8b7d6c5f4e3a2b1c0d9e8f7a6b5c4d3e");
    expect(vuln.remediations[1]!.date).toBe("2026-03-02T08:30:00Z");
  });

  test("a wildcard circuit break covers the routes of its package; another package's break falls back to every product", () => {
    const x = fixture();
    const m0 = x.mitigations[0]!;
    const wild = csafOf({ ...x, mitigations: [{ ...m0, routes: ["/cosmos.bank.v1beta1.*"] }] }).vulnerabilities[0]!.remediations[1]!;
    expect(wild.product_ids).toEqual(["route-1"]);
    const other = csafOf({ ...x, mitigations: [{ ...m0, routes: ["/cosmos.gov.v1.MsgVote"] }] }).vulnerabilities[0]!.remediations[1]!;
    expect(other.product_ids).toEqual(vuln.product_status.known_affected);
  });

  test("cve, ids, acknowledgments, score", () => {
    expect(vuln.cve).toBe("CVE-2026-31337");
    expect(vuln.ids).toEqual([
      { system_name: "dCERT of dcert-devnet-1", text: "DCERT-2026-3" },
      { system_name: "GHSA", text: "GHSA-7x3q-9m2v-c4wp" },
    ]);
    expect(vuln.acknowledgments).toEqual([
      { names: ["An anonymous reporter"], summary: "finder" },
      { names: ["Lightpath channels team"], summary: "remediation developer" },
      { names: ["Ops | Desk"] },
    ]);
    expect(vuln.scores[0]!.cvss_v3).toEqual({ baseScore: 7.5, baseSeverity: "HIGH", vectorString: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", version: "3.1" });
  });

  test("CVSS 3.x base scores match FIRST's reference examples", () => {
    expect(cvss3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")?.baseScore).toBe(9.8);
    expect(cvss3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")?.baseScore).toBe(10);
    expect(cvss3("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N")?.baseScore).toBe(6.1);
    expect(cvss3("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N")?.baseScore).toBe(5.5);
    expect(cvss3("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:N")).toMatchObject({ baseScore: 0, baseSeverity: "NONE" });
    expect(cvss3("CVSS:3.1/AV:N/AC:L")).toBeUndefined();
    expect(cvss3("AV:N/AC:L/Au:N/C:P/I:P/A:P")).toBeUndefined();
  });

  test("an undisclosed case has no CSAF document", () => {
    const x = fixture();
    const { disclosure: _d, ...rest } = x;
    expect(() => toCsaf(rest)).toThrow(/not disclosed/);
  });
});
