/**
 * OSV export of a disclosed case (OSV schema 1.7.x, https://ossf.github.io/osv-schema/).
 *
 * - `affected[]`: one entry per PACKAGE component whose purl type maps to an OSV ecosystem, with
 *   SEMVER ranges built from its `vers` range (">=" → introduced, "<" → fixed, "<=" →
 *   last_affected, "=" → introduced + last_affected) and the fix's fixed versions closing an open
 *   upper end; `vers:generic` exact versions become `versions[]`.
 * - Chain facts (routes, modules, tags, unmapped packages, level, chain id, case id, timeline,
 *   involvements, disclosure check, mitigations, commitments, record) go under
 *   `database_specific`.
 */
import {
  caseStatusToJSON,
  commitmentKindToJSON,
  ComponentKind,
  embargoStateToJSON,
  involvementStatusToJSON,
  partyKindToJSON,
  type Component,
  type FixRef,
} from "../../../generated/coord/v1/types";
import {
  advisoryId,
  compareVersions,
  cvssType,
  fixedVersionsFor,
  hex,
  isHttpUrl,
  latestTs,
  levelLabel,
  osvPackage,
  parseCredit,
  parseVers,
  partyByAddress,
  rfc3339,
  sortedBy,
  sortedMitigations,
} from "./common";
import { RenderError, type CaseExport } from "./types";

/** The OSV schema version the output follows (validated in test/unit/coord/render-osv.test.ts). */
export const OSV_SCHEMA_VERSION = "1.7.5";

type Json = Record<string, unknown>;

type OsvEvent = { introduced: string } | { fixed: string } | { last_affected: string };

/** SEMVER ranges do not take a leading "v" (Go module versions have one). */
function semverText(v: string): string {
  return /^v\d/.test(v) ? v.slice(1) : v;
}

/**
 * OSV ranges (or exact versions) of one package component. Intervals closed by "<" (fixed) and by
 * "<=" (last_affected) go in separate range objects: OSV forbids mixing the two in one range.
 */
export function osvRanges(component: Component, fix: FixRef | undefined): { ranges: Json[]; versions: string[]; notes: string[] } {
  const notes: string[] = [];
  const vers = parseVers(component.versions);
  const fixed = fixedVersionsFor(component, fix);
  if (vers === undefined || (vers.scheme !== "" && vers.scheme !== "semver" && vers.scheme !== "generic")) {
    notes.push(`range ${JSON.stringify(component.versions)} is not a vers:semver or vers:generic range; it is kept under database_specific.vers only`);
    return { ranges: [], versions: [], notes };
  }
  if (vers.scheme === "generic") {
    const versions = vers.constraints.filter((c) => c.op === "=").map((c) => c.version);
    if (versions.length !== vers.constraints.length) notes.push("only exact (=) constraints of a vers:generic range are exported");
    return { ranges: [], versions, notes };
  }
  const withFixed: OsvEvent[] = [];
  const withLast: OsvEvent[] = [];
  let open: string | undefined;
  const closeOpen = (): void => {
    if (open === undefined) return;
    const lower = open;
    const f = fixed.find((v) => lower === "0" || compareVersions(v, lower) > 0);
    withFixed.push({ introduced: lower });
    if (f !== undefined) withFixed.push({ fixed: semverText(f) });
    open = undefined;
  };
  if (vers.all) {
    open = "0";
  } else {
    for (const c of vers.constraints) {
      const v = semverText(c.version);
      switch (c.op) {
        case ">=":
        case ">":
          if (c.op === ">") notes.push(`">${c.version}" is exported as introduced ${v} (OSV has no exclusive lower bound)`);
          if (open === undefined) open = v;
          break;
        case "<":
          withFixed.push({ introduced: open ?? "0" }, { fixed: v });
          open = undefined;
          break;
        case "<=":
          withLast.push({ introduced: open ?? "0" }, { last_affected: v });
          open = undefined;
          break;
        case "=":
          if (open === undefined) withLast.push({ introduced: v }, { last_affected: v });
          break;
        case "!=":
          notes.push(`"!=${c.version}" is not representable in OSV ranges and is ignored there`);
          break;
      }
    }
  }
  if (open === undefined && withFixed.length === 0 && withLast.length === 0 && vers.constraints.every((c) => c.op === "!=")) {
    open = "0"; // only exclusions: every other version is affected
  }
  closeOpen();
  const ranges: Json[] = [];
  if (withFixed.length > 0) ranges.push({ type: "SEMVER", events: withFixed });
  if (withLast.length > 0) ranges.push({ type: "SEMVER", events: withLast });
  return { ranges, versions: [], notes };
}

function osvDetails(x: CaseExport): string {
  const a = x.disclosure?.advisory;
  if (a === undefined) return "";
  const parts: string[] = [];
  if (a.summary !== "") parts.push(a.summary);
  if (a.details !== "") parts.push(`## Details\n\n${a.details}`);
  if (a.impact !== "") parts.push(`## Impact\n\n${a.impact}`);
  if (a.affectedVersions !== "") parts.push(`## Affected versions\n\n${a.affectedVersions}`);
  if (a.fix !== "") parts.push(`## Fix\n\n${a.fix}`);
  if (a.recommendations !== "") parts.push(`## Recommendations\n\n${a.recommendations}`);
  return parts.join("\n\n");
}

/** The OSV document (a plain object; `JSON.stringify` it). Throws RenderError if not disclosed. */
export function toOsv(x: CaseExport): Record<string, unknown> {
  const d = x.disclosure;
  const a = d?.advisory;
  const published = x.case.disclosureTime;
  if (d === undefined || a === undefined || published === undefined) {
    throw new RenderError(`case ${x.case.id.toString()} is not disclosed: an OSV record exists only after the reveal`);
  }
  const id = advisoryId(x);
  const modified = latestTs(
    published,
    x.record?.time,
    ...x.timeline.map((t) => t.time),
    ...x.mitigations.map((m) => m.time),
  ) ?? published;
  const parties = partyByAddress(x.parties);

  const affected: Json[] = [];
  const unmapped: Json[] = [];
  const routes: string[] = [];
  const modules: string[] = [];
  const tags: string[] = [];
  for (const c of d.components) {
    switch (c.kind) {
      case ComponentKind.COMPONENT_KIND_ROUTE:
        routes.push(c.name);
        break;
      case ComponentKind.COMPONENT_KIND_MODULE:
        modules.push(c.name);
        break;
      case ComponentKind.COMPONENT_KIND_TAG:
        tags.push(c.name);
        break;
      case ComponentKind.COMPONENT_KIND_PACKAGE: {
        const pkg = osvPackage(c.name);
        const fixedVersions = fixedVersionsFor(c, d.fix);
        if (pkg === undefined) {
          unmapped.push({ purl: c.name, vers: c.versions, fixed_versions: fixedVersions });
          break;
        }
        const { ranges, versions, notes } = osvRanges(c, d.fix);
        const entry: Json = { package: { ecosystem: pkg.ecosystem, name: pkg.name, purl: c.name } };
        if (ranges.length > 0) entry["ranges"] = ranges;
        if (versions.length > 0) entry["versions"] = versions;
        const ds: Json = { vers: c.versions === "" ? "vers:all/*" : c.versions, fixed_versions: fixedVersions };
        if (notes.length > 0) ds["notes"] = notes;
        entry["database_specific"] = ds;
        affected.push(entry);
        break;
      }
      default:
        break;
    }
  }

  const references: Json[] = [];
  const otherReferences: string[] = [];
  for (const r of a.references) {
    if (isHttpUrl(r)) references.push({ type: "WEB", url: r });
    else otherReferences.push(r);
  }
  const fix = d.fix;
  if (fix !== undefined && isHttpUrl(fix.repository)) {
    const gitHost = /^https:\/\/(github\.com|gitlab\.com|codeberg\.org)\/[^/\s]+\/[^/\s]+?(\.git)?\/?$/.exec(fix.repository);
    if (gitHost !== null && /^[0-9a-f]{7,64}$/i.test(fix.commit)) {
      const repo = fix.repository.replace(/(\.git)?\/?$/, "");
      references.push({ type: "FIX", url: `${repo}/commit/${fix.commit}` });
    } else {
      references.push({ type: "PACKAGE", url: fix.repository });
    }
  }

  const credits: Json[] = a.credits.filter((c) => c.trim() !== "").map((line) => {
    const c = parseCredit(line);
    return c.type === undefined ? { name: c.name } : { name: c.name, type: c.type };
  });
  credits.push({ name: `dCERT of ${x.chainId}`, type: "COORDINATOR" });

  const out: Json = {
    schema_version: OSV_SCHEMA_VERSION,
    id,
    modified: rfc3339(modified),
    published: rfc3339(published),
  };
  const aliases = [...new Set(a.aliases.filter((s) => s.trim() !== "" && s !== id))];
  if (aliases.length > 0) out["aliases"] = aliases;
  out["summary"] = a.title !== "" ? a.title : (a.summary.split("\n")[0] ?? "");
  out["details"] = osvDetails(x);
  const sev = cvssType(a.severity);
  if (sev !== undefined) out["severity"] = [{ type: sev, score: a.severity }];
  out["affected"] = affected;
  if (references.length > 0) out["references"] = references;
  out["credits"] = credits;

  const ds: Json = {
    chain_id: x.chainId,
    case_id: x.case.id.toString(),
    level: d.level,
    level_name: levelLabel(d.level),
    status: caseStatusToJSON(x.case.status),
    disclosure_height: x.case.disclosureHeight.toString(),
    routes,
    modules,
    tags,
  };
  if (unmapped.length > 0) ds["packages_without_osv_ecosystem"] = unmapped;
  if (a.severity !== "" && sev === undefined) ds["severity"] = a.severity;
  if (otherReferences.length > 0) ds["other_references"] = otherReferences;
  ds["report_sha256"] = hex(d.reportHash);
  if (fix !== undefined) {
    ds["fix"] = {
      description: fix.description,
      repository: fix.repository,
      commit: fix.commit,
      artifacts: fix.artifacts.map((f) => ({ name: f.name, sha256: f.sha256 })),
      fixed_versions: [...fix.fixedVersions],
    };
  }
  ds["commitments"] = sortedBy(x.commitments, (c) => `${String(c.kind).padStart(3, "0")}.${String(c.version).padStart(10, "0")}`).map((c) => ({
    kind: commitmentKindToJSON(c.kind),
    version: c.version,
    sha256: hex(c.hash),
    height: c.height.toString(),
    revealed: c.revealed,
    revealed_height: c.revealedHeight.toString(),
  }));
  ds["timeline"] = sortedBy(x.timeline, (t) => BigInt(t.seq)).map((t) => {
    const e: Json = {
      seq: t.seq,
      what: t.what,
      status: caseStatusToJSON(t.status),
      embargo_state: embargoStateToJSON(t.embargoState),
      actor: t.actor,
      detail: t.detail,
      height: t.height.toString(),
    };
    if (t.time !== undefined) e["time"] = rfc3339(t.time);
    return e;
  });
  ds["involvements"] = sortedBy(x.involvements, (i) => i.party).map((i) => {
    const p = parties.get(i.party);
    const e: Json = { party: i.party, name: p?.name ?? "", kind: p === undefined ? "" : partyKindToJSON(p.kind), status: involvementStatusToJSON(i.status) };
    if (i.firstNoticeTime !== undefined) e["first_notice_time"] = rfc3339(i.firstNoticeTime);
    if (i.ackTime !== undefined) e["ack_time"] = rfc3339(i.ackTime);
    if (i.secondsToAck !== 0n) e["seconds_to_ack"] = i.secondsToAck.toString();
    return e;
  });
  if (x.check !== undefined) {
    const c = x.check;
    ds["disclosure_check"] = {
      height: c.height.toString(),
      matched: c.matched,
      notified: c.notified,
      acknowledged: c.acknowledged,
      missed: c.missed,
      late: c.late,
      entries: sortedBy(c.entries, (e) => e.party).map((e) => ({
        party: e.party,
        matched_at_open: e.matchedAtOpen,
        notified: e.notified,
        acknowledged: e.acknowledged,
        late: e.late,
        missed: e.missed,
      })),
    };
  }
  ds["mitigations"] = sortedMitigations(x.mitigations).map((m) => {
    const e: Json = { member: m.member, routes: [...m.routes], reason: m.reason, height: m.height.toString() };
    if (m.time !== undefined) e["time"] = rfc3339(m.time);
    return e;
  });
  const r = x.record;
  if (r !== undefined) {
    const rec: Json = { record_sha256: hex(r.recordHash), closed_by: r.closedBy, height: r.height.toString() };
    if (r.time !== undefined) rec["time"] = rfc3339(r.time);
    if (r.summary !== undefined) {
      rec["activities"] = r.summary.activities;
      rec["responses"] = r.summary.responses;
      rec["lessons_learned"] = r.summary.lessonsLearned;
      rec["fix_deployment_verified"] = r.summary.fixDeploymentVerified;
      rec["follow_ups"] = [...r.summary.followUps];
    }
    ds["post_coordination_record"] = rec;
  }
  out["database_specific"] = ds;
  return out;
}
