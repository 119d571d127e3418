/**
 * Inputs of the advisory renderers (markdown.ts, osv.ts, csaf.ts).
 *
 * Everything here is built by the CLI from query answers (or, for a private disclosure, from a
 * member's local case directory). The renderers are pure: no I/O, no clock, no randomness, so the
 * same input always gives the same bytes.
 */
import type {
  Advisory,
  Case,
  Commitment,
  Component,
  Disclosure,
  DisclosureCheck,
  FixRef,
  Involvement,
  Mitigation,
  Party,
  PostCoordinationRecord,
  TimelineEntry,
} from "../../../generated/coord/v1/types";

/** A case as the chain publishes it, with everything an advisory export needs. */
export interface CaseExport {
  readonly chainId: string;
  /** Params.advisory_id_prefix, e.g. "DCERT". */
  readonly advisoryIdPrefix: string;
  readonly case: Case;
  readonly commitments: readonly Commitment[];
  readonly timeline: readonly TimelineEntry[];
  readonly involvements: readonly Involvement[];
  /** Registered parties, to name the involved ones (unknown addresses are shown as addresses). */
  readonly parties: readonly Party[];
  /** Absent until the case is disclosed. */
  readonly disclosure?: Disclosure;
  readonly check?: DisclosureCheck;
  readonly mitigations: readonly Mitigation[];
  readonly record?: PostCoordinationRecord;
  /**
   * CSAF `document.publisher.namespace`: a URL the publishing dCERT controls. Defaults to
   * `defaultPublisherNamespace(chainId)` (a placeholder under the reserved `.invalid` TLD).
   */
  readonly publisherNamespace?: string;
}

/** A member's local (unpublished) case data, for the private disclosure to one party. */
export interface PrivateDisclosureDraft {
  readonly chainId: string;
  readonly caseId: bigint;
  /** 1 standard, 2 enhanced, 3 emergency. */
  readonly level: number;
  /** The embargo deadline T: an RFC 3339 time or "height N". */
  readonly deadline: string;
  readonly recipientName: string;
  /** Name (or address) of the member signing the notice. */
  readonly coordinator: string;
  readonly advisory: Advisory;
  readonly components: readonly Component[];
  readonly fix?: FixRef;
  /** How to acknowledge (printed by the CLI), e.g. "dcertd tx coord ack 12 --from KEY". */
  readonly ackCommand?: string;
}

export type AdvisoryFormat = "md" | "json" | "osv" | "csaf";

export const ADVISORY_FORMATS: readonly AdvisoryFormat[] = ["md", "json", "osv", "csaf"];

/** A renderer's refusal: the input cannot make the requested document (message says why). */
export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RenderError";
  }
}
