/**
 * Markdown renderings of the two templates of the coordination protocol the dCERT follows:
 *
 * - the private disclosure: a notice to one affected party before the embargo deadline — what is
 *   affected, the impact, the proposed fix and the planned public disclosure time, with a request
 *   to acknowledge and no exploit details;
 * - the public advisory: summary, impact, affected versions, fix, timeline, recommendations,
 *   references and credits, extended with what the chain recorded (mitigations, involvements,
 *   the disclosure check, commitments and the post-coordination record).
 */
import { CaseStatus, commitmentKindToJSON, ComponentKind, EmbargoState, type Component, type FixRef } from "../../../generated/coord/v1/types";
import {
  advisoryId,
  COMPONENT_KIND_NAMES,
  hex,
  INVOLVEMENT_NAMES,
  levelLabel,
  PARTY_KIND_NAMES,
  partyByAddress,
  partyLabel,
  rfc3339,
  sortedBy,
} from "./common";
import { cvss3 } from "./cvss";
import { RenderError, type CaseExport, type PrivateDisclosureDraft } from "./types";

/** Text for a markdown table cell: one line, pipes escaped. */
export function cell(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ").trim();
}

/** Inline code that survives backticks in the text. */
export function code(s: string): string {
  if (s === "") return "";
  const longest = Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
  return `${fence}${pad}${s}${pad}${fence}`;
}

const LEVEL_TIMELINE: Readonly<Record<number, string>> = {
  1: "standard coordination on the standard disclosure timeline",
  2: "enhanced coordination on an accelerated disclosure timeline",
  3: "emergency coordination: the disclosure timeline is hours, not days",
};

const STATUS_WORDS: Readonly<Record<number, string>> = {
  [CaseStatus.CASE_STATUS_OPEN]: "open",
  [CaseStatus.CASE_STATUS_OVERDUE]: "overdue",
  [CaseStatus.CASE_STATUS_DISCLOSED]: "disclosed",
  [CaseStatus.CASE_STATUS_CLOSED]: "closed",
  [CaseStatus.CASE_STATUS_WITHDRAWN]: "withdrawn",
};

const EMBARGO_WORDS: Readonly<Record<number, string>> = {
  [EmbargoState.EMBARGO_STATE_NONE]: "none",
  [EmbargoState.EMBARGO_STATE_PROPOSED]: "proposed",
  [EmbargoState.EMBARGO_STATE_ACTIVE]: "active",
  [EmbargoState.EMBARGO_STATE_REVISED]: "revised",
  [EmbargoState.EMBARGO_STATE_EXITED]: "exited",
};

function componentList(components: readonly Component[]): string[] {
  return components.map((c) => {
    const kind = COMPONENT_KIND_NAMES[c.kind] ?? "component";
    return c.versions === "" ? `- ${kind} ${code(c.name)}` : `- ${kind} ${code(c.name)}, versions ${code(c.versions)}`;
  });
}

function fixLines(fix: FixRef): string[] {
  const out: string[] = [];
  if (fix.description !== "") out.push(`- Description: ${fix.description}`);
  if (fix.repository !== "") out.push(`- Repository: ${fix.repository}`);
  if (fix.commit !== "") out.push(`- Commit: ${code(fix.commit)}`);
  if (fix.fixedVersions.length > 0) out.push(`- Fixed versions: ${fix.fixedVersions.map(code).join(", ")}`);
  for (const a of fix.artifacts) out.push(`- Artifact ${code(a.name)}: SHA-256 ${code(a.sha256)}`);
  return out;
}

/** "at 2026-…Z" or "at height N" for a draft deadline. */
function deadlineText(deadline: string): string {
  const h = /^height\s+(\d+)$/i.exec(deadline.trim());
  return h !== null ? `at block height ${h[1] ?? ""}` : `on ${deadline}`;
}

/** The private disclosure to one party (markdown; the first line is the subject). */
export function renderPrivateDisclosure(d: PrivateDisclosureDraft): string {
  const a = d.advisory;
  const title = a.title !== "" ? a.title : "a security issue";
  const tag = d.level >= 3 ? "[URGENT] " : "";
  const out: string[] = [];
  out.push(`Subject: ${tag}[CONFIDENTIAL] Security disclosure: ${title} (dCERT case ${d.caseId.toString()}, ${d.chainId})`);
  out.push("");
  out.push(`Dear ${d.recipientName},`);
  out.push("");
  out.push(
    `The dCERT of ${d.chainId} is coordinating the disclosure of a security issue that affects ` +
      `components your project has declared it depends on. We are contacting you privately, before ` +
      `the public disclosure, so that you can prepare.`,
  );
  out.push("");
  out.push(`## Description`);
  out.push("");
  out.push(a.summary !== "" ? a.summary : title);
  if (a.details !== "") {
    out.push("");
    out.push(a.details);
  }
  out.push("");
  out.push(`## Impact`);
  out.push("");
  out.push(a.impact !== "" ? a.impact : "Under assessment; we will send an update.");
  out.push("");
  out.push(`## Affected components`);
  out.push("");
  out.push(...(d.components.length > 0 ? componentList(d.components) : ["- To be confirmed."]));
  if (a.affectedVersions !== "") {
    out.push("");
    out.push(`Affected versions: ${a.affectedVersions}`);
  }
  out.push("");
  out.push(`## Proposed fix`);
  out.push("");
  if (a.fix !== "") out.push(a.fix);
  const fl = d.fix === undefined ? [] : fixLines(d.fix);
  if (fl.length > 0) {
    if (a.fix !== "") out.push("");
    out.push(...fl);
  }
  if (a.fix === "" && fl.length === 0) out.push("In preparation; we will send an update when it is available.");
  if (a.recommendations !== "") {
    out.push("");
    out.push(`## Recommendations`);
    out.push("");
    out.push(a.recommendations);
  }
  out.push("");
  out.push(`## Timeline`);
  out.push("");
  out.push(
    `This case runs at escalation level ${levelLabel(d.level)}${LEVEL_TIMELINE[d.level] !== undefined ? `, ${LEVEL_TIMELINE[d.level]}` : ""}. ` +
      `We plan to disclose publicly ${deadlineText(d.deadline)}, after the fix is deployed. Until then this ` +
      `information is under embargo: please share it only with the people who need it to prepare a fix or a ` +
      `mitigation, and tell us if the timeline does not work for you.`,
  );
  out.push("");
  out.push(`## Acknowledgement`);
  out.push("");
  out.push("Please acknowledge this notice on chain, so that the coordination record shows you received it:");
  out.push("");
  out.push(`    ${d.ackCommand ?? `dcertd tx coord ack <notice id> --from <your key>`}`);
  out.push("");
  out.push(
    "We coordinate; we do not command: what you do with this information is your decision. This notice " +
      "deliberately contains no exploit details. Reply through the dCERT's sealed input if you have " +
      "questions or information for the developers of the fix; we relay it.",
  );
  out.push("");
  out.push("Best regards,");
  out.push(d.coordinator);
  out.push(`dCERT of ${d.chainId} (emergency response team)`);
  return `${out.join("\n")}\n`;
}

/** The public advisory (markdown). Throws RenderError if the case is not disclosed. */
export function renderPublicMarkdown(x: CaseExport): string {
  const d = x.disclosure;
  const a = d?.advisory;
  if (d === undefined || a === undefined || x.case.disclosureTime === undefined) {
    throw new RenderError(`case ${x.case.id.toString()} is not disclosed: its public advisory exists only after the reveal`);
  }
  const id = advisoryId(x);
  const parties = partyByAddress(x.parties);
  const out: string[] = [];
  const heading = [id, ...a.aliases].join(", ");
  out.push(`# Security Advisory: ${a.title !== "" ? a.title : `dCERT case ${x.case.id.toString()}`} [${heading}]`);
  out.push("");
  out.push("| | |");
  out.push("|---|---|");
  out.push(`| Advisory | ${cell(id)} |`);
  if (a.aliases.length > 0) out.push(`| Aliases | ${cell(a.aliases.join(", "))} |`);
  out.push(`| Chain | ${cell(x.chainId)} |`);
  out.push(`| Case | ${x.case.id.toString()} (${STATUS_WORDS[x.case.status] ?? "unknown"}) |`);
  out.push(`| Escalation level | ${levelLabel(d.level)} |`);
  if (a.severity !== "") {
    const s = cvss3(a.severity);
    out.push(`| Severity | ${cell(a.severity)}${s !== undefined ? ` (${s.baseScore.toFixed(1)} ${s.baseSeverity})` : ""} |`);
  }
  out.push(`| Published | ${rfc3339(x.case.disclosureTime)} (height ${x.case.disclosureHeight.toString()}) |`);
  out.push(`| Coordinator | dCERT of ${cell(x.chainId)} |`);
  const section = (title: string, body: string): void => {
    if (body.trim() === "") return;
    out.push("", `## ${title}`, "", body);
  };
  section("Summary", a.summary);
  section("Details", a.details);
  section("Impact", a.impact);

  out.push("", "## Affected Versions", "");
  if (a.affectedVersions !== "") out.push(a.affectedVersions, "");
  if (d.components.length > 0) {
    out.push("| Component | Name | Versions |", "|---|---|---|");
    for (const c of d.components) {
      out.push(`| ${COMPONENT_KIND_NAMES[c.kind] ?? "component"} | ${cell(code(c.name))} | ${cell(code(c.versions === "" ? (c.kind === ComponentKind.COMPONENT_KIND_PACKAGE ? "all" : "") : c.versions))} |`);
    }
  } else {
    out.push("No components were listed.");
  }

  out.push("", "## Fix", "");
  const fl = d.fix === undefined ? [] : fixLines(d.fix);
  if (a.fix !== "") out.push(a.fix);
  if (fl.length > 0) out.push(...(a.fix !== "" ? ["", ...fl] : fl));
  if (a.fix === "" && fl.length === 0) out.push("No fix was published with this advisory.");

  out.push("", "## Timeline", "");
  if (x.case.openTime !== undefined) out.push(`- Case opened: ${rfc3339(x.case.openTime)} (height ${x.case.openHeight.toString()})`);
  if (x.case.originalDeadlineTime !== undefined) out.push(`- Embargo deadline as opened: ${rfc3339(x.case.originalDeadlineTime)}`);
  else if (x.case.originalDeadlineHeight !== 0n) out.push(`- Embargo deadline as opened: height ${x.case.originalDeadlineHeight.toString()}`);
  out.push(`- Disclosure: ${rfc3339(x.case.disclosureTime)} (height ${x.case.disclosureHeight.toString()})`);
  if (x.record?.time !== undefined) out.push(`- Closed: ${rfc3339(x.record.time)} (height ${x.record.height.toString()})`);
  const timeline = sortedBy(x.timeline, (t) => BigInt(t.seq));
  if (timeline.length > 0) {
    out.push("", "| # | Time (UTC) | Height | Event | Status | Embargo | Detail |", "|---|---|---|---|---|---|---|");
    for (const t of timeline) {
      out.push(
        `| ${t.seq} | ${t.time === undefined ? "" : rfc3339(t.time)} | ${t.height.toString()} | ${cell(t.what)} | ` +
          `${STATUS_WORDS[t.status] ?? ""} | ${EMBARGO_WORDS[t.embargoState] ?? ""} | ${cell(t.detail)} |`,
      );
    }
  }

  if (x.mitigations.length > 0) {
    out.push("", "## Mitigations", "");
    for (const m of sortedBy(x.mitigations, (mm) => mm.height)) {
      const when = m.time === undefined ? `height ${m.height.toString()}` : `${rfc3339(m.time)} (height ${m.height.toString()})`;
      out.push(`- ${when}: circuit break of ${m.routes.map(code).join(", ")} by dCERT member ${code(m.member)}${m.reason !== "" ? `: ${m.reason}` : ""}`);
    }
  }

  section("Recommendations", a.recommendations);

  out.push("", "## Coordination", "");
  const invs = sortedBy(x.involvements, (i) => i.party);
  if (invs.length > 0) {
    out.push("| Party | Kind | Status | First notice | Acknowledged | Time to acknowledge |", "|---|---|---|---|---|---|");
    for (const i of invs) {
      const p = parties.get(i.party);
      out.push(
        `| ${cell(partyLabel(parties, i.party))} | ${p === undefined ? "unregistered" : (PARTY_KIND_NAMES[p.kind] ?? "")} | ` +
          `${INVOLVEMENT_NAMES[i.status] ?? ""} | ${i.firstNoticeTime === undefined ? "" : rfc3339(i.firstNoticeTime)} | ` +
          `${i.ackTime === undefined ? "" : rfc3339(i.ackTime)} | ${i.ackTime === undefined ? "" : `${i.secondsToAck.toString()} s`} |`,
      );
    }
  } else {
    out.push("No party was notified.");
  }
  const c = x.check;
  if (c !== undefined) {
    out.push(
      "",
      `Disclosure check at height ${c.height.toString()}: ${c.matched} registered parties matched the affected components, ` +
        `${c.notified} were notified before the disclosure, ${c.acknowledged} acknowledged, ${c.missed} were missed, ${c.late} registered late.`,
    );
    const missed = sortedBy(c.entries.filter((e) => e.missed), (e) => e.party);
    for (const e of missed) out.push(`- Missed: ${partyLabel(parties, e.party)}`);
  }

  out.push("", "## Commitments", "");
  out.push(`Report SHA-256: ${code(hex(d.reportHash))}`);
  const commitments = sortedBy(x.commitments, (cm) => `${String(cm.kind).padStart(3, "0")}.${String(cm.version).padStart(10, "0")}`);
  if (commitments.length > 0) {
    out.push("", "| Kind | Version | SHA-256 | Committed at height | Revealed at height |", "|---|---|---|---|---|");
    for (const cm of commitments) {
      out.push(
        `| ${commitmentKindToJSON(cm.kind).replace(/^COMMITMENT_KIND_/, "").toLowerCase()} | ${cm.version} | ${code(hex(cm.hash))} | ` +
          `${cm.height.toString()} | ${cm.revealed ? cm.revealedHeight.toString() : "not revealed"} |`,
      );
    }
  }

  const r = x.record;
  if (r !== undefined) {
    out.push("", "## Post-Coordination Record", "");
    const s = r.summary;
    if (s !== undefined) {
      out.push(`- [x] Coordination activities: ${s.activities}`);
      out.push(`- [x] Responses received: ${s.responses}`);
      out.push(`- [x] Lessons learned: ${s.lessonsLearned}`);
      out.push(`- [${s.fixDeploymentVerified ? "x" : " "}] Fix deployment verified`);
      for (const f of s.followUps) out.push(`- [ ] Follow-up: ${f}`);
    }
    out.push("", `Closed by ${code(r.closedBy)}; full record SHA-256 ${code(hex(r.recordHash))}.`);
  }

  if (a.references.length > 0) {
    out.push("", "## References", "");
    for (const ref of a.references) out.push(`- ${ref}`);
  }
  if (a.credits.length > 0) {
    out.push("", "## Credits", "");
    for (const cr of a.credits) out.push(`- ${cr}`);
  }
  return `${out.join("\n")}\n`;
}
