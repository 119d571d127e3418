/**
 * fast-check arbitraries of disclosed cases for the renderer property tests: the seed fixture
 * with random advisory text, severity vectors (valid and not), references (URLs and not),
 * aliases, credits, components (every purl type the exporter maps and some it does not, random
 * `vers` ranges), fixed versions, involvements, parties, mitigations and times.
 */
import fc from "fast-check";
import { ComponentKind, InvolvementStatus, PartyKind, type Component } from "../../../src/generated/coord/v1/types";
import type { CaseExport } from "../../../src/client/coord/render";
import { fixture, PARTIES } from "./render-fixture";

const version = fc
  .tuple(fc.nat(3), fc.nat(12), fc.nat(20), fc.option(fc.constantFrom("alpha.1", "rc.2", "beta"), { nil: undefined }))
  .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre === undefined ? "" : `-${pre}`}`);

const vers = fc.oneof(
  fc.constant(""),
  fc.constant("vers:semver/*"),
  fc.array(fc.tuple(fc.constantFrom(">=", ">", "<", "<=", "=", "!="), version).map(([op, v]) => `${op}${v}`), { minLength: 1, maxLength: 4 }).map((cs) => `vers:semver/${cs.join("|")}`),
  fc.array(version, { minLength: 1, maxLength: 3 }).map((vs) => `vers:generic/${vs.map((v) => `=${v}`).join("|")}`),
  fc.constant("vers:pypi/>=1.0"),
);

const purl = fc.constantFrom(
  "pkg:npm/%40scope/pkg",
  "pkg:npm/left-pad",
  "pkg:golang/github.com/org/mod",
  "pkg:cargo/serde",
  "pkg:pypi/requests",
  "pkg:maven/org.example/lib",
  "pkg:nuget/Some.Lib",
  "pkg:gem/rails",
  "pkg:composer/vendor/pkg",
  "pkg:generic/thing",
  "pkg:deb/debian/openssl?distro=bookworm",
);

const component: fc.Arbitrary<Component> = fc.oneof(
  fc.constantFrom("/cosmos.bank.v1beta1.MsgSend", "/cosmos.bank.v1beta1.*", "/dcert.v1.MsgBreakCircuit").map((name) => ({ kind: ComponentKind.COMPONENT_KIND_ROUTE, name, versions: "" })),
  fc.constantFrom("bank", "staking", "coord").map((name) => ({ kind: ComponentKind.COMPONENT_KIND_MODULE, name, versions: "" })),
  fc.constantFrom("mempool/cpfp-carveout", "p2p/relay").map((name) => ({ kind: ComponentKind.COMPONENT_KIND_TAG, name, versions: "" })),
  fc.tuple(purl, vers).map(([name, versions]) => ({ kind: ComponentKind.COMPONENT_KIND_PACKAGE, name, versions })),
);

const cvss3 = fc
  .tuple(
    fc.constantFrom("3.0", "3.1"),
    fc.constantFrom("N", "A", "L", "P"),
    fc.constantFrom("L", "H"),
    fc.constantFrom("N", "L", "H"),
    fc.constantFrom("N", "R"),
    fc.constantFrom("U", "C"),
    fc.constantFrom("H", "L", "N"),
    fc.constantFrom("H", "L", "N"),
    fc.constantFrom("H", "L", "N"),
    fc.boolean(),
  )
  .map(([v, av, ac, pr, ui, s, c, i, a, reorder]) => {
    const parts = [`AV:${av}`, `AC:${ac}`, `PR:${pr}`, `UI:${ui}`, `S:${s}`, `C:${c}`, `I:${i}`, `A:${a}`];
    return `CVSS:${v}/${(reorder ? parts.reverse() : parts).join("/")}`;
  });

const severity = fc.oneof(
  fc.constant(""),
  cvss3,
  fc.constant("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
  fc.constant("AV:N/AC:L/Au:N/C:P/I:P/A:P"),
  fc.constant("CVSS:3.1/AV:N/AC:L/PR:N"),
  fc.constant("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:Q"),
  fc.string(),
);

const text = fc.oneof(fc.constant(""), fc.string(), fc.lorem({ maxCount: 8 }));

const timestamp = fc.record({ seconds: fc.bigInt({ min: 1_700_000_000n, max: 1_900_000_000n }), nanos: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 999_999_999 })) });

export const caseExport: fc.Arbitrary<CaseExport> = fc
  .record({
    title: text,
    summary: text,
    details: text,
    impact: text,
    recommendations: text,
    severity,
    references: fc.array(fc.oneof(fc.webUrl(), fc.string(), fc.constantFrom("http://[bad", "https://exa mple.org", "mailto:sec@example.org", "https://x.org/%zz")), { maxLength: 4 }),
    aliases: fc.array(fc.oneof(fc.constantFrom("CVE-2026-1234", "CVE-2025-99999", "GHSA-aaaa-bbbb-cccc", "PYSEC-2026-1"), fc.string()), { maxLength: 4 }),
    credits: fc.array(fc.oneof(fc.string(), fc.constantFrom("A (finder)", "B (Remediation Developer)", " (tool)")), { maxLength: 4 }),
    components: fc.array(component, { maxLength: 6 }),
    fixedVersions: fc.array(fc.oneof(version, fc.constantFrom("pkg:npm/%40scope/pkg@2.0.0", "pkg:cargo/serde@1.0.200", "< 2.0", "all", "v1.2.3")), { maxLength: 4 }),
    withFix: fc.boolean(),
    statuses: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 5 }),
    kinds: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 5, maxLength: 5 }),
    times: fc.array(timestamp, { minLength: 5, maxLength: 5 }),
    disclosed: timestamp,
    mitigationRoutes: fc.array(fc.array(fc.constantFrom("/cosmos.bank.v1beta1.MsgSend", "/cosmos.bank.v1beta1.*", "/cosmos.gov.v1.MsgVote"), { minLength: 1, maxLength: 2 }), { maxLength: 3 }),
    closed: fc.boolean(),
  })
  .map((r) => {
    const x = fixture();
    const d = x.disclosure!;
    const parties = r.kinds.map((k, i) => ({ ...PARTIES[0]!, address: `dcert1party${i}`, name: i % 2 === 0 ? `Party ${i}` : "", kind: k as PartyKind }));
    const base = x.involvements[0]!;
    const involvements = r.statuses.map((s, i) => ({ ...base, party: `dcert1party${i}`, status: s as InvolvementStatus, updatedTime: r.times[i % 2], ackTime: s >= 3 ? r.times[i] : undefined }));
    const mitigations = r.mitigationRoutes.map((routes, i) => ({ caseId: 3n, member: `dcert1member${i % 2}`, routes, reason: i === 0 ? "" : "stop", height: 1300n + BigInt(i % 2), time: r.times[i] }));
    const out: CaseExport = {
      ...x,
      case: { ...x.case, disclosureTime: r.disclosed },
      involvements,
      parties,
      mitigations,
      disclosure: {
        ...d,
        components: r.components,
        advisory: { ...d.advisory!, title: r.title, summary: r.summary, details: r.details, impact: r.impact, recommendations: r.recommendations, severity: r.severity, references: r.references, aliases: r.aliases, credits: r.credits },
        fix: r.withFix ? { ...d.fix!, fixedVersions: r.fixedVersions } : undefined,
      },
    };
    if (!r.closed) {
      const { record: _r, ...rest } = out;
      return rest;
    }
    return out;
  });
