/**
 * The two templates of the coordination process rendered from a member's local case directory
 * (src/client/coord/render does the rendering): the private disclosure sent to each affected party,
 * and a preview of the public advisory as it will be published at the reveal.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderPrivateDisclosure, renderPublicAdvisory, type AdvisoryFormat, type CaseExport, type PrivateDisclosureDraft } from "../../client/coord/render";
import { Advisory, CaseStatus, CommitmentKind, Disclosure, EmbargoState, FixRef, SealedLevel, type Case } from "../../generated/coord/v1/types";
import { CliError } from "../cmdtree";
import { caseComponents, CASE_FILE, deadlineText, type ItemContent, type LocalCase } from "./casedir";

type Loaded = { readonly c: LocalCase; readonly contents: readonly ItemContent[] };

function content(l: Loaded, kind: CommitmentKind.COMMITMENT_KIND_ADVISORY): Advisory | undefined;
function content(l: Loaded, kind: CommitmentKind.COMMITMENT_KIND_FIX): FixRef | undefined;
function content(l: Loaded, kind: CommitmentKind.COMMITMENT_KIND_LEVEL): SealedLevel | undefined;
function content(l: Loaded, kind: CommitmentKind): unknown {
  return l.contents.find((x) => x.kind === kind)?.value;
}

/** The level a local case runs at: the public level, or the committed one of a sealed-level case. */
export function localLevel(l: Loaded): number {
  if (l.c.level !== 0) return l.c.level;
  return content(l, CommitmentKind.COMMITMENT_KIND_LEVEL)?.level ?? l.c.sealedLevel ?? 2;
}

export function privateDraft(l: Loaded, who: { readonly recipientName: string; readonly coordinator: string; readonly ackCommand?: string }): PrivateDisclosureDraft {
  const fix = content(l, CommitmentKind.COMMITMENT_KIND_FIX);
  return {
    chainId: l.c.chainId,
    caseId: l.c.caseId,
    level: localLevel(l),
    deadline: l.c.deadline === undefined ? "the level's default deadline" : "height" in l.c.deadline ? `height ${l.c.deadline.height}` : deadlineText(l.c.deadline),
    recipientName: who.recipientName,
    coordinator: who.coordinator,
    advisory: content(l, CommitmentKind.COMMITMENT_KIND_ADVISORY) ?? Advisory.fromPartial({}),
    components: caseComponents(l.contents),
    ...(fix !== undefined ? { fix } : {}),
    ...(who.ackCommand !== undefined ? { ackCommand: who.ackCommand } : {}),
  };
}

/** The private disclosure (markdown) for one recipient. */
export function privateDisclosureText(l: Loaded, who: { readonly recipientName: string; readonly coordinator: string; readonly ackCommand?: string }): string {
  return renderPrivateDisclosure(privateDraft(l, who));
}

/**
 * A preview of the public advisory: the export the chain will hold once the local items are
 * revealed, dated at the planned deadline (or unknown for a height deadline), with no timeline,
 * involvements or check yet.
 */
export function publicPreview(l: Loaded, advisoryIdPrefix: string, format: AdvisoryFormat): string {
  const reportItem = l.c.items.find((i) => i.kind === CommitmentKind.COMMITMENT_KIND_REPORT);
  const level = localLevel(l);
  const when = l.c.deadline !== undefined && "time" in l.c.deadline ? l.c.deadline.time : { seconds: 0n, nanos: 0 };
  const c: Case = {
    id: l.c.caseId,
    opener: l.c.opener,
    coordinators: [l.c.opener],
    level,
    sealedEscalations: 0,
    status: CaseStatus.CASE_STATUS_DISCLOSED,
    embargoState: EmbargoState.EMBARGO_STATE_EXITED,
    deadlineTime: l.c.deadline !== undefined && "time" in l.c.deadline ? l.c.deadline.time : undefined,
    deadlineHeight: l.c.deadline !== undefined && "height" in l.c.deadline ? l.c.deadline.height : 0n,
    originalDeadlineTime: undefined,
    originalDeadlineHeight: 0n,
    phase: 0,
    openHeight: 0n,
    openTime: when,
    disclosureHeight: 0n,
    disclosureTime: when,
    closedHeight: 0n,
    cosignersNeeded: 0,
    noticeCount: 0,
    inputCount: 0,
    timelineCount: 0,
    mitigationCount: 0,
    readinessPlan: "",
    gateDeferrals: 0,
    gateOpenHeight: 0n,
  };
  const fix = content(l, CommitmentKind.COMMITMENT_KIND_FIX);
  const x: CaseExport = {
    chainId: l.c.chainId,
    advisoryIdPrefix,
    case: c,
    commitments: [],
    timeline: [],
    involvements: [],
    parties: [],
    disclosure: Disclosure.fromPartial({
      caseId: l.c.caseId,
      advisory: content(l, CommitmentKind.COMMITMENT_KIND_ADVISORY) ?? Advisory.fromPartial({}),
      components: caseComponents(l.contents),
      ...(fix !== undefined ? { fix: FixRef.fromPartial(fix) } : {}),
      reportHash: Buffer.from(reportItem?.contentHash ?? new Uint8Array()),
      report: Buffer.alloc(0),
      level,
    }),
    mitigations: [],
  };
  return renderPublicAdvisory(x, format);
}

/** The chain folders of `<home>/coord/` that hold a local case `caseId`. */
export function chainsWithCase(home: string, caseId: bigint): string[] {
  const root = path.join(home, "coord");
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((chain) => fs.existsSync(path.join(root, chain, caseId.toString(), CASE_FILE)))
    .sort();
}

/** The chain id of a local case: --chain-id, else the only chain folder holding it. */
export function localChainOf(home: string, caseId: bigint, given: string | undefined): string {
  if (given !== undefined) return given;
  const chains = chainsWithCase(home, caseId);
  if (chains.length === 1) return chains[0] as string;
  if (chains.length === 0) throw new CliError(`there is no local copy of case ${caseId} under ${path.join(home, "coord")}`, "run it where the case was opened (or pass --home)");
  throw new CliError(`case ${caseId} exists locally for several chains (${chains.join(", ")})`, "pick one with --chain-id");
}
