/**
 * The markdown templates (golden files), the json format, advisory ids, refusals and determinism
 * of every renderer. Regenerate the golden files after an intended change with
 * `UPDATE_GOLDEN=1 npx jest test/unit/coord/render-markdown.test.ts` and review the diff.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { Case, CaseStatus, Disclosure, EmbargoState } from "../../../src/generated/coord/v1/types";
import {
  ADVISORY_FORMATS,
  advisoryId,
  exportToJson,
  RenderError,
  renderPrivateDisclosure,
  renderPublicAdvisory,
  type AdvisoryFormat,
  type CaseExport,
} from "../../../src/client/coord/render";
import { cell, code } from "../../../src/client/coord/render/markdown";
import { caseExport } from "./render-arbitrary";
import { at, draft, fixture } from "./render-fixture";

const GOLDEN = path.join(__dirname, "../../fixtures/coord/render");

function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env["UPDATE_GOLDEN"] === "1") fs.writeFileSync(file, actual);
  expect(actual).toBe(fs.readFileSync(file, "utf8"));
}

describe("markdown templates (golden)", () => {
  test("public advisory of the seed story", () => {
    golden("public-advisory.md", renderPublicAdvisory(fixture(), "md"));
  });

  test("private disclosure to a downstream project", () => {
    golden("private-disclosure.md", renderPrivateDisclosure(draft()));
  });

  test("private disclosure with a height deadline, no fix yet and no ack command", () => {
    const d = draft();
    const { fix: _f, ackCommand: _a, ...rest } = d;
    const text = renderPrivateDisclosure({ ...rest, level: 1, deadline: "height 90000", advisory: { ...d.advisory, fix: "" } });
    expect(text.startsWith("Subject: [CONFIDENTIAL] Security disclosure:")).toBe(true);
    expect(text).toContain("disclose publicly at block height 90000");
    expect(text).toContain("1 (standard), standard coordination");
    expect(text).toContain("In preparation; we will send an update");
    expect(text).toContain("dcertd tx coord ack <notice id> --from <your key>");
  });

  test("the public advisory carries every template section and chain record", () => {
    const md = renderPublicAdvisory(fixture(), "md");
    for (const h of ["Summary", "Impact", "Affected Versions", "Fix", "Timeline", "Mitigations", "Recommendations", "Coordination", "Commitments", "Post-Coordination Record", "References", "Credits"]) {
      expect(md).toContain(`\n## ${h}\n`);
    }
  });

  test("a missed party is named", () => {
    const x = fixture();
    const check = { ...x.check!, missed: 1, entries: x.check!.entries.map((e, i) => (i === 1 ? { ...e, notified: false, missed: true } : e)) };
    expect(renderPublicAdvisory({ ...x, check }, "md")).toContain("- Missed: Watchtower Collective (");
  });

  test("property: any disclosed case renders, with a one-line heading and the advisory id", () => {
    fc.assert(
      fc.property(caseExport, (x) => {
        const md = renderPublicAdvisory(x, "md");
        const first = md.split("\n")[0]!;
        expect(first.startsWith("# Security Advisory: ")).toBe(true);
        expect(first).toContain(`[${advisoryId(x)}`);
        expect(md).toContain("\n## Coordination\n");
      }),
      { numRuns: 200 },
    );
  });

  test("table cells and code spans survive pipes, newlines and backticks", () => {
    expect(cell("a|b\nc")).toBe("a\\|b c");
    expect(code("a`b")).toBe("``a`b``");
    expect(code("`x")).toBe("`` `x ``");
  });
});

describe("advisory ids", () => {
  test("<prefix>-<year of disclosure>-<case id>", () => {
    expect(advisoryId(fixture())).toBe("DCERT-2026-3");
    expect(advisoryId({ ...fixture(), advisoryIdPrefix: "XCERT" })).toMatch(/^XCERT-2026-3$/);
  });

  test("the disclosure year wins over the opening year; the opening year before disclosure", () => {
    const x = fixture();
    const newYear = { ...x, case: { ...x.case, openTime: at("2026-12-31T23:00:00Z"), disclosureTime: at("2027-01-01T00:00:00Z") } };
    expect(advisoryId(newYear)).toBe("DCERT-2027-3");
    expect(advisoryId({ ...newYear, case: { ...newYear.case, disclosureTime: undefined } })).toBe("DCERT-2026-3");
  });

  test("format over random cases", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 4_102_444_799 }), (id, seconds) => {
        const x = fixture();
        const got = advisoryId({ ...x, case: { ...x.case, id, disclosureTime: { seconds: BigInt(seconds), nanos: 0 } } });
        expect(got).toMatch(/^DCERT-(19[7-9]\d|20\d\d)-[1-9]\d*$/);
        expect(got.endsWith(`-${id.toString()}`)).toBe(true);
        expect(got.slice(6, 10)).toBe(`${new Date(seconds * 1000).getUTCFullYear()}`);
      }),
    );
  });

  test("a case without any time has no id", () => {
    const x = fixture();
    expect(() => advisoryId({ ...x, case: { ...x.case, openTime: undefined, disclosureTime: undefined } })).toThrow(RenderError);
  });
});

describe("json format and refusals", () => {
  test("json is the export in protobuf JSON, readable back", () => {
    const x = fixture();
    const parsed = JSON.parse(renderPublicAdvisory(x, "json")) as Record<string, unknown>;
    expect(parsed["advisoryId"]).toBe("DCERT-2026-3");
    expect(parsed["chainId"]).toBe("dcert-devnet-1");
    expect(Case.fromJSON(parsed["case"])).toEqual(x.case);
    expect(Disclosure.fromJSON(parsed["disclosure"])).toEqual(x.disclosure);
    expect((parsed["case"] as Record<string, unknown>)["disclosureTime"]).toBe("2026-03-02T20:10:00.000Z");
    expect(exportToJson(x)["timeline"]).toHaveLength(14);
  });

  test("before the disclosure: json works, md/osv/csaf refuse with a reason", () => {
    const x = fixture();
    const { disclosure: _d, check: _c, record: _r, ...rest } = x;
    const open: CaseExport = {
      ...rest,
      case: { ...x.case, status: CaseStatus.CASE_STATUS_OPEN, embargoState: EmbargoState.EMBARGO_STATE_ACTIVE, disclosureTime: undefined, disclosureHeight: 0n },
    };
    expect(JSON.parse(renderPublicAdvisory(open, "json"))["advisoryId"]).toBe("DCERT-2026-3");
    for (const f of ["md", "osv", "csaf"] as const) {
      expect(() => renderPublicAdvisory(open, f)).toThrow(/case 3 is not disclosed/);
    }
  });

  test("an unknown format is refused", () => {
    expect(() => renderPublicAdvisory(fixture(), "xml" as AdvisoryFormat)).toThrow(/unknown advisory format "xml"/);
  });
});

describe("determinism", () => {
  test("same input → same bytes, in every format", () => {
    for (const f of ADVISORY_FORMATS) {
      expect(renderPublicAdvisory(fixture(), f)).toBe(renderPublicAdvisory(fixture(), f));
    }
    expect(renderPrivateDisclosure(draft())).toBe(renderPrivateDisclosure(draft()));
  });

  test("the order in which queries returned records does not matter (md, osv, csaf)", () => {
    const x = fixture();
    fc.assert(
      fc.property(fc.func(fc.integer()), (f) => {
        const shuffle = <T>(xs: readonly T[]): T[] => xs.map((v, i) => [f(i), i, v] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((t) => t[2]);
        const y: CaseExport = {
          ...x,
          timeline: shuffle(x.timeline),
          involvements: shuffle(x.involvements),
          commitments: shuffle(x.commitments),
          parties: shuffle(x.parties),
          check: { ...x.check!, entries: shuffle(x.check!.entries) },
        };
        for (const fmt of ["md", "osv", "csaf"] as const) expect(renderPublicAdvisory(y, fmt)).toBe(renderPublicAdvisory(x, fmt));
      }),
      { numRuns: 25 },
    );
  });

  test("output does not depend on the clock", () => {
    const all = (): string[] => [...ADVISORY_FORMATS.map((f) => renderPublicAdvisory(fixture(), f)), renderPrivateDisclosure(draft())];
    jest.useFakeTimers({ now: new Date("2001-01-01T00:00:00Z") });
    try {
      const a = all();
      jest.setSystemTime(new Date("2099-06-30T12:34:56Z"));
      expect(all()).toEqual(a);
    } finally {
      jest.useRealTimers();
    }
  });
});
