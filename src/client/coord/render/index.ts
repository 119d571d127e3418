/**
 * Advisory renderers of the coord module (docs/coordination.md §6; src/client/coord/README.md,
 * "Exports"): pure functions of query answers, usable by the CLI and by anyone with the client.
 *
 *   renderPublicAdvisory(x, "md" | "json" | "osv" | "csaf")  → text
 *   renderPrivateDisclosure(draft)                           → markdown
 *   toOsv(x), toCsaf(x)                                      → plain JSON objects
 */
import {
  Case,
  Commitment,
  Disclosure,
  DisclosureCheck,
  Involvement,
  Mitigation,
  Party,
  PostCoordinationRecord,
  TimelineEntry,
} from "../../../generated/coord/v1/types";
import { advisoryId } from "./common";
import { toCsaf } from "./csaf";
import { renderPublicMarkdown } from "./markdown";
import { toOsv } from "./osv";
import { RenderError, type AdvisoryFormat, type CaseExport } from "./types";

export * from "./types";
export { advisoryId, compareVersions, osvPackage, parsePurl, parseVers, rfc3339 } from "./common";
export { cvss3, type Cvss3 } from "./cvss";
export { CSAF_GENERATOR, CSAF_INVOLVEMENT_STATUS, CSAF_PARTY_CATEGORY, defaultPublisherNamespace, statusChanges, toCsaf } from "./csaf";
export { renderPrivateDisclosure, renderPublicMarkdown } from "./markdown";
export { OSV_SCHEMA_VERSION, osvRanges, toOsv } from "./osv";

/**
 * The export as a plain object in protobuf JSON (camelCase fields, 64-bit integers as strings,
 * bytes as base64, enums by name, times as RFC 3339), with the advisory id. Works before the
 * disclosure too: everything in it is public chain data.
 */
export function exportToJson(x: CaseExport): Record<string, unknown> {
  const out: Record<string, unknown> = {
    advisoryId: advisoryId(x),
    chainId: x.chainId,
    advisoryIdPrefix: x.advisoryIdPrefix,
    case: Case.toJSON(x.case),
    commitments: x.commitments.map((c) => Commitment.toJSON(c)),
    timeline: x.timeline.map((t) => TimelineEntry.toJSON(t)),
    involvements: x.involvements.map((i) => Involvement.toJSON(i)),
    parties: x.parties.map((p) => Party.toJSON(p)),
    mitigations: x.mitigations.map((m) => Mitigation.toJSON(m)),
  };
  if (x.disclosure !== undefined) out["disclosure"] = Disclosure.toJSON(x.disclosure);
  if (x.check !== undefined) out["check"] = DisclosureCheck.toJSON(x.check);
  if (x.record !== undefined) out["record"] = PostCoordinationRecord.toJSON(x.record);
  return out;
}

/** The public advisory of a case in one format, as text ending in a newline. */
export function renderPublicAdvisory(x: CaseExport, format: AdvisoryFormat): string {
  switch (format) {
    case "md":
      return renderPublicMarkdown(x);
    case "json":
      return `${JSON.stringify(exportToJson(x), null, 2)}\n`;
    case "osv":
      return `${JSON.stringify(toOsv(x), null, 2)}\n`;
    case "csaf":
      return `${JSON.stringify(toCsaf(x), null, 2)}\n`;
    default:
      throw new RenderError(`unknown advisory format ${JSON.stringify(format)}: use md, json, osv or csaf`);
  }
}
