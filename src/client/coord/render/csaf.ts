/**
 * CSAF 2.0 export of a disclosed case: a `csaf_security_advisory` published by the dCERT as
 * `coordinator` (https://docs.oasis-open.org/csaf/csaf/v2.0/csaf-v2.0.html).
 *
 * - `document.tracking`: id = advisoryId, status final, one revision per status-changing timeline
 *   entry (status or embargo state differs from the previous entry), version = their count,
 *   initial release = disclosure time, current release = the latest revision.
 * - `product_tree`: packages as `product_name` → `product_version_range` (the `vers` range, purl
 *   helper) and `product_version` (each fixed version, purl@version helper); routes, modules and
 *   tags as full product names.
 * - `vulnerabilities[0]`: cve / ids from the aliases, notes, product_status (known_affected,
 *   fixed), remediations (vendor_fix from the fix, mitigation per circuit break), involvements
 *   (one per involvement record plus the dCERT as coordinator), acknowledgments from the
 *   credits, a CVSS v3 score when the advisory has a v3 vector.
 */
import {
  caseStatusToJSON,
  ComponentKind,
  embargoStateToJSON,
  InvolvementStatus,
  PartyKind,
  type Component,
  type TimelineEntry,
} from "../../../generated/coord/v1/types";
import type { Timestamp } from "../../../generated/google/protobuf/timestamp";
import {
  advisoryId,
  compareTs,
  cvssType,
  fixedVersionsFor,
  INVOLVEMENT_NAMES,
  isHttpUrl,
  latestTs,
  levelLabel,
  osvPackage,
  PARTY_KIND_NAMES,
  parseCredit,
  partyByAddress,
  partyLabel,
  purlWithVersion,
  rfc3339,
  sortedBy,
  sortedMitigations,
  sortKeys,
} from "./common";
import { cvss3 } from "./cvss";
import { RenderError, type CaseExport } from "./types";

type Json = Record<string, unknown>;

/** Involvement status → CSAF 2.0 `involvements[].status`. */
export const CSAF_INVOLVEMENT_STATUS: Readonly<Record<number, string>> = {
  [InvolvementStatus.INVOLVEMENT_STATUS_NOT_CONTACTED]: "not_contacted",
  [InvolvementStatus.INVOLVEMENT_STATUS_CONTACTED]: "contact_attempted",
  [InvolvementStatus.INVOLVEMENT_STATUS_ACKNOWLEDGED]: "open",
  [InvolvementStatus.INVOLVEMENT_STATUS_IN_PROGRESS]: "in_progress",
  [InvolvementStatus.INVOLVEMENT_STATUS_FIXED]: "completed",
  [InvolvementStatus.INVOLVEMENT_STATUS_DISPUTED]: "disputed",
};

/** Party kind → CSAF 2.0 `involvements[].party` (party category). */
export const CSAF_PARTY_CATEGORY: Readonly<Record<number, string>> = {
  [PartyKind.PARTY_KIND_VALIDATOR]: "user",
  [PartyKind.PARTY_KIND_CORE_DEVELOPER]: "vendor",
  [PartyKind.PARTY_KIND_OTHER_IMPLEMENTATION]: "vendor",
  [PartyKind.PARTY_KIND_DOWNSTREAM_PROJECT]: "vendor",
  [PartyKind.PARTY_KIND_EXCHANGE_OR_SERVICE]: "user",
  [PartyKind.PARTY_KIND_RESEARCHER]: "other",
};

/** Placeholder publisher namespace (reserved `.invalid` TLD): pass your own `publisherNamespace`. */
export function defaultPublisherNamespace(chainId: string): string {
  return `https://dcert.invalid/chains/${encodeURIComponent(chainId)}`;
}

export const CSAF_GENERATOR = "dcertd coord render (dCERT chain)";

/** Entries whose (status, embargo state) differ from the previous entry's: CSAF revisions. */
export function statusChanges(timeline: readonly TimelineEntry[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  let prev: TimelineEntry | undefined;
  for (const t of sortedBy(timeline, (e) => BigInt(e.seq))) {
    if (prev === undefined || prev.status !== t.status || prev.embargoState !== t.embargoState) {
      if (t.time !== undefined) out.push(t);
    }
    prev = t;
  }
  return out;
}

function routeCovers(mitigated: string, route: string): boolean {
  if (mitigated === route) return true;
  const pkg = (r: string): string => r.slice(0, r.lastIndexOf(".") + 1);
  if (mitigated.endsWith(".*")) return route.startsWith(mitigated.slice(0, -1));
  if (route.endsWith(".*")) return pkg(mitigated) === route.slice(0, -1);
  return false;
}

function noteIf(out: Json[], category: string, title: string, text: string): void {
  if (text.trim() !== "") out.push({ category, text, title });
}

/** The CSAF document (a plain object; `JSON.stringify` it). Throws RenderError if not disclosed. */
export function toCsaf(x: CaseExport): Record<string, unknown> {
  const d = x.disclosure;
  const a = d?.advisory;
  const released = x.case.disclosureTime;
  if (d === undefined || a === undefined || released === undefined) {
    throw new RenderError(`case ${x.case.id.toString()} is not disclosed: a CSAF advisory exists only after the reveal`);
  }
  const id = advisoryId(x);
  const publisherName = `dCERT of ${x.chainId}`;
  const parties = partyByAddress(x.parties);

  // ---- product tree -----------------------------------------------------------------------------
  const fullProductNames: Json[] = [];
  const branches: Json[] = [];
  const affectedIds: string[] = [];
  const fixedIds: string[] = [];
  const routeIds: { route: string; id: string }[] = [];
  let nRoute = 0;
  let nModule = 0;
  let nTag = 0;
  let nPkg = 0;
  const simple = (idText: string, name: string): void => {
    fullProductNames.push({ name, product_id: idText });
    affectedIds.push(idText);
  };
  for (const c of d.components) {
    switch (c.kind) {
      case ComponentKind.COMPONENT_KIND_ROUTE: {
        const pid = `route-${++nRoute}`;
        simple(pid, `${x.chainId} message route ${c.name}`);
        routeIds.push({ route: c.name, id: pid });
        break;
      }
      case ComponentKind.COMPONENT_KIND_MODULE:
        simple(`module-${++nModule}`, `${x.chainId} module ${c.name}`);
        break;
      case ComponentKind.COMPONENT_KIND_TAG:
        simple(`tag-${++nTag}`, `${x.chainId} behaviour ${c.name}`);
        break;
      case ComponentKind.COMPONENT_KIND_PACKAGE:
        branches.push(packageBranch(c, `pkg-${++nPkg}`, affectedIds, fixedIds, fixedVersionsFor(c, d.fix)));
        break;
      default:
        break;
    }
  }
  if (affectedIds.length === 0) {
    // No component was revealed: the advisory is about the chain itself.
    simple("chain-1", `${x.chainId} chain`);
  }
  const productTree: Json = {};
  if (branches.length > 0) productTree["branches"] = branches;
  if (fullProductNames.length > 0) productTree["full_product_names"] = fullProductNames;

  // ---- tracking -----------------------------------------------------------------------------------
  const changes = statusChanges(x.timeline);
  const revisions: Json[] = changes.map((t, i) => ({
    date: rfc3339(t.time as Timestamp),
    number: `${i + 1}`,
    summary: revisionSummary(t),
  }));
  if (revisions.length === 0) revisions.push({ date: rfc3339(released), number: "1", summary: "Disclosed." });
  const current = latestTs(released, ...changes.map((t) => t.time)) ?? released;

  // ---- notes --------------------------------------------------------------------------------------
  const docNotes: Json[] = [];
  noteIf(docNotes, "summary", "Summary", a.summary !== "" ? a.summary : a.title);
  noteIf(docNotes, "details", "Details", a.details);
  noteIf(docNotes, "general", "Impact", a.impact);
  noteIf(docNotes, "general", "Coordination", coordinationNote(x));
  if (x.record?.summary !== undefined) {
    const s = x.record.summary;
    const lines = [
      `Activities: ${s.activities}`,
      `Responses: ${s.responses}`,
      `Lessons learned: ${s.lessonsLearned}`,
      `Fix deployment verified: ${s.fixDeploymentVerified ? "yes" : "no"}`,
      ...s.followUps.map((f) => `Follow-up: ${f}`),
    ];
    noteIf(docNotes, "general", "Post-coordination record", lines.join("\n"));
  }
  if (docNotes.length === 0) docNotes.push({ category: "summary", text: a.title !== "" ? a.title : id, title: "Summary" });

  const references: Json[] = [];
  for (const r of a.references) if (isHttpUrl(r)) references.push({ category: "external", summary: "Reference", url: r });
  if (d.fix !== undefined && isHttpUrl(d.fix.repository)) {
    references.push({ category: "external", summary: "Fix repository", url: d.fix.repository });
  }

  const document: Json = {
    category: "csaf_security_advisory",
    csaf_version: "2.0",
    distribution: { text: "Public advisory of a disclosed dCERT case.", tlp: { label: "WHITE", url: "https://www.first.org/tlp/" } },
    lang: "en",
    notes: docNotes,
    publisher: {
      category: "coordinator",
      issuing_authority: `The dCERT elected on chain ${x.chainId}, coordinating case ${x.case.id.toString()} on chain.`,
      name: publisherName,
      namespace: x.publisherNamespace ?? defaultPublisherNamespace(x.chainId),
    },
    title: a.title !== "" ? a.title : id,
    tracking: {
      current_release_date: rfc3339(current),
      generator: { engine: { name: CSAF_GENERATOR } },
      id,
      initial_release_date: rfc3339(released),
      revision_history: revisions,
      status: "final",
      version: `${revisions.length}`,
    },
  };
  if (references.length > 0) document["references"] = references;
  const score = cvssType(a.severity) === "CVSS_V3" ? cvss3(a.severity) : undefined;
  if (score !== undefined) document["aggregate_severity"] = { namespace: "https://www.first.org/cvss/", text: score.baseSeverity };

  // ---- vulnerability ------------------------------------------------------------------------------
  const vuln: Json = {};
  const cves = a.aliases.filter((s) => /^CVE-[0-9]{4}-[0-9]{4,}$/.test(s));
  const cve = cves[0];
  if (cve !== undefined) vuln["cve"] = cve;
  const idTexts = new Set<string>([id]);
  const ids: Json[] = [{ system_name: publisherName, text: id }];
  for (const alias of a.aliases) {
    if (alias === cve || alias.trim() === "" || idTexts.has(alias)) continue;
    idTexts.add(alias);
    ids.push({ system_name: aliasSystem(alias), text: alias });
  }
  vuln["ids"] = ids;
  const vNotes: Json[] = [];
  noteIf(vNotes, "description", "Description", a.summary !== "" ? a.summary : a.title !== "" ? a.title : id);
  noteIf(vNotes, "general", "Affected versions", a.affectedVersions);
  noteIf(vNotes, "general", "Fix", a.fix);
  noteIf(vNotes, "general", "Recommendations", a.recommendations);
  const otherRefs = a.references.filter((r) => r.trim() !== "" && !isHttpUrl(r));
  noteIf(vNotes, "general", "Other references", otherRefs.join("\n"));
  if (a.severity !== "" && score === undefined) {
    noteIf(vNotes, "general", `Severity (${cvssType(a.severity) ?? "vector"})`, a.severity);
  }
  vuln["notes"] = vNotes;
  const productStatus: Json = {};
  if (affectedIds.length > 0) productStatus["known_affected"] = affectedIds;
  if (fixedIds.length > 0) productStatus["fixed"] = fixedIds;
  if (Object.keys(productStatus).length > 0) vuln["product_status"] = productStatus;
  vuln["release_date"] = rfc3339(released);

  const remediations: Json[] = [];
  if (d.fix !== undefined && affectedIds.length > 0) {
    const f = d.fix;
    const parts = [f.description !== "" ? f.description : a.fix !== "" ? a.fix : "A fix is available."];
    if (f.fixedVersions.length > 0) parts.push(`Fixed versions: ${f.fixedVersions.join(", ")}.`);
    if (f.repository !== "" || f.commit !== "") parts.push(`Source: ${f.repository}${f.commit !== "" ? ` at ${f.commit}` : ""}.`);
    for (const art of f.artifacts) parts.push(`Artifact ${art.name}: sha256 ${art.sha256}.`);
    const rem: Json = { category: "vendor_fix", details: parts.join(" "), product_ids: affectedIds };
    if (isHttpUrl(f.repository)) rem["url"] = f.repository;
    remediations.push(rem);
  }
  for (const m of sortedMitigations(x.mitigations)) {
    const covered = routeIds.filter((r) => m.routes.some((mr) => routeCovers(mr, r.route))).map((r) => r.id);
    const ids = covered.length > 0 ? covered : affectedIds;
    if (ids.length === 0) continue;
    const rem: Json = {
      category: "mitigation",
      details: `Circuit break of ${m.routes.join(", ")} by dCERT member ${m.member} at height ${m.height.toString()}${m.reason !== "" ? `: ${m.reason}` : "."}`,
      product_ids: ids,
    };
    if (m.time !== undefined) rem["date"] = rfc3339(m.time);
    remediations.push(rem);
  }
  if (remediations.length > 0) vuln["remediations"] = remediations;

  if (score !== undefined && affectedIds.length > 0) {
    vuln["scores"] = [{ cvss_v3: { ...score }, products: affectedIds }];
  }

  const involvements = csafInvolvements(x, parties);
  if (involvements.length > 0) vuln["involvements"] = involvements;

  const acks: Json[] = a.credits.filter((c) => c.trim() !== "").map((line) => {
    const c = parseCredit(line);
    const ack: Json = { names: [c.name] };
    if (c.type !== undefined) ack["summary"] = c.type.toLowerCase().replace(/_/g, " ");
    return ack;
  });
  if (acks.length > 0) vuln["acknowledgments"] = acks;
  if (a.title !== "") vuln["title"] = a.title;

  const out: Json = { document };
  if (Object.keys(productTree).length > 0) out["product_tree"] = productTree;
  out["vulnerabilities"] = [vuln];
  // Keys in alphabetical order, as CSAF's optional test 6.2.13 (sorting) asks.
  return sortKeys(out) as Record<string, unknown>;
}

/**
 * A fixed version usable as a CSAF `product_version` name: no whitespace and nothing that reads as
 * a range (mandatory test 6.1.31). Others stay in the vendor_fix text only.
 */
export function usableVersionName(v: string): boolean {
  return v !== "" && !/[\s<>]/.test(v) && !["after", "all", "before", "earlier", "later", "prior", "versions"].includes(v.toLowerCase());
}

function packageBranch(c: Component, pid: string, affectedIds: string[], fixedIds: string[], fixed: readonly string[]): Json {
  const display = osvPackage(c.name)?.name ?? c.name;
  const range = c.versions === "" ? "vers:all/*" : c.versions;
  const inner: Json[] = [
    {
      category: "product_version_range",
      name: range,
      product: { name: `${display} ${range}`, product_id: pid, product_identification_helper: { purl: c.name } },
    },
  ];
  affectedIds.push(pid);
  fixed.filter(usableVersionName).forEach((v, i) => {
    const fid = `${pid}-fixed-${i + 1}`;
    fixedIds.push(fid);
    inner.push({
      category: "product_version",
      name: v,
      product: { name: `${display} ${v}`, product_id: fid, product_identification_helper: { purl: purlWithVersion(c.name, v) } },
    });
  });
  return { branches: inner, category: "product_name", name: display };
}

function revisionSummary(t: TimelineEntry): string {
  const status = caseStatusToJSON(t.status).replace(/^CASE_STATUS_/, "").toLowerCase();
  const embargo = embargoStateToJSON(t.embargoState).replace(/^EMBARGO_STATE_/, "").toLowerCase();
  const detail = t.detail !== "" ? ` ${t.detail}` : "";
  return `Case ${t.what} at height ${t.height.toString()}: status ${status}, embargo ${embargo}.${detail}`;
}

function aliasSystem(alias: string): string {
  const dash = alias.indexOf("-");
  return dash > 0 ? alias.slice(0, dash) : "alias";
}

function coordinationNote(x: CaseExport): string {
  const lines = [
    `Coordinated on chain ${x.chainId} as case ${x.case.id.toString()} at escalation level ${levelLabel(x.disclosure?.level ?? x.case.level)}.`,
  ];
  if (x.case.openTime !== undefined) lines.push(`Case opened ${rfc3339(x.case.openTime)} (height ${x.case.openHeight.toString()}).`);
  if (x.case.disclosureTime !== undefined) lines.push(`Disclosed ${rfc3339(x.case.disclosureTime)} (height ${x.case.disclosureHeight.toString()}).`);
  const c = x.check;
  if (c !== undefined) {
    lines.push(
      `Disclosure check: ${c.matched} matching parties, ${c.notified} notified, ${c.acknowledged} acknowledged, ${c.missed} missed, ${c.late} late.`,
    );
  }
  return lines.join("\n");
}

function csafInvolvements(x: CaseExport, parties: ReturnType<typeof partyByAddress>): Json[] {
  const out: Json[] = [];
  const used = new Set<string>();
  // CSAF mandatory test 6.1.24: one status per (party category, date); a later duplicate keeps
  // its date in the summary only.
  const push = (party: string, status: string, summary: string, date: Timestamp | undefined): void => {
    const inv: Json = { party, status };
    if (date !== undefined) {
      const key = `${party} ${rfc3339(date)}`;
      if (!used.has(key)) {
        used.add(key);
        inv["date"] = rfc3339(date);
      }
    }
    inv["summary"] = summary;
    out.push(inv);
  };
  for (const i of sortedBy(x.involvements, (v) => v.party)) {
    const p = parties.get(i.party);
    const category = p === undefined ? "other" : (CSAF_PARTY_CATEGORY[p.kind] ?? "other");
    const kind = p === undefined ? "unregistered party" : (PARTY_KIND_NAMES[p.kind] ?? "party");
    const bits = [`${partyLabel(parties, i.party)}, ${kind}: ${INVOLVEMENT_NAMES[i.status] ?? "unknown status"}`];
    if (i.firstNoticeTime !== undefined) bits.push(`first notice ${i.firstNoticeId.toString()} at ${rfc3339(i.firstNoticeTime)}`);
    if (i.ackTime !== undefined) bits.push(`acknowledged at ${rfc3339(i.ackTime)} (${i.secondsToAck.toString()} s after the first notice)`);
    const date = i.updatedTime ?? i.ackTime ?? i.firstNoticeTime;
    push(category, CSAF_INVOLVEMENT_STATUS[i.status] ?? "open", `${bits.join("; ")}.`, date);
  }
  const closed = x.record !== undefined;
  const disclosed = x.case.disclosureTime;
  const when = closed ? x.record?.time : disclosed;
  push(
    "coordinator",
    closed ? "completed" : "in_progress",
    `dCERT of ${x.chainId}: ${closed ? "coordination closed with its post-coordination record" : "disclosed; follow-up in progress"}.`,
    when !== undefined && disclosed !== undefined && compareTs(when, disclosed) >= 0 ? when : disclosed,
  );
  return out;
}
