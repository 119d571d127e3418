/**
 * A realistic disclosed and closed case for the renderer tests: the story of the first
 * coordination document (a base-layer bug whose fix removes a behaviour downstream projects rely
 * on), told on this chain. A flaw in the carve-out path of a message route lets anyone exhaust a
 * node's memory; the fix removes the carve-out, which two downstream channel projects depend on.
 * Both are notified; one acknowledges, the other stays contacted-not-acknowledged; a member breaks
 * the route citing the case; the case is disclosed and closed with its record.
 */
import { createHash } from "node:crypto";
import {
  CaseStatus,
  CommitmentKind,
  ComponentKind,
  EmbargoState,
  InvolvementStatus,
  PartyKind,
  Phase,
  type Advisory,
  type Commitment,
  type Component,
  type FixRef,
  type Involvement,
  type Party,
  type TimelineEntry,
} from "../../../src/generated/coord/v1/types";
import type { Timestamp } from "../../../src/generated/google/protobuf/timestamp";
import type { CaseExport, PrivateDisclosureDraft } from "../../../src/client/coord/render";

export const sha = (s: string): Buffer => createHash("sha256").update(s).digest();
export const at = (iso: string): Timestamp => {
  const ms = Date.parse(iso);
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
};

export const CHAIN_ID = "dcert-devnet-1";
export const MEMBER_A = "dcert1member0aqk7x9v2c4l5m8n3p6r9s0t2u4w7y9z3a5c8e";
export const MEMBER_B = "dcert1member0bqm3x8v2c4l5m8n3p6r9s0t2u4w7y9z3a5d2f";
export const LIGHTPATH = "dcert1lightpath0q7x9v2c4l5m8n3p6r9s0t2u4w7y9z3a5";
export const WATCHTOWER = "dcert1watchtower0x9v2c4l5m8n3p6r9s0t2u4w7y9z3a5";
export const EXCHANGE = "dcert1exchange0q7x9v2c4l5m8n3p6r9s0t2u4w7y9z3a5c";

const ROUTE = "/cosmos.bank.v1beta1.MsgMultiSend";

export const COMPONENTS: Component[] = [
  { kind: ComponentKind.COMPONENT_KIND_ROUTE, name: ROUTE, versions: "" },
  { kind: ComponentKind.COMPONENT_KIND_MODULE, name: "bank", versions: "" },
  { kind: ComponentKind.COMPONENT_KIND_TAG, name: "mempool/cpfp-carveout", versions: "" },
  { kind: ComponentKind.COMPONENT_KIND_PACKAGE, name: "pkg:npm/%40lightpath/channel-sdk", versions: "vers:semver/>=1.2.0|<1.4.1" },
  { kind: ComponentKind.COMPONENT_KIND_PACKAGE, name: "pkg:golang/github.com/watchtower-collective/l2-watchtower", versions: "vers:semver/>=0.7.0" },
  { kind: ComponentKind.COMPONENT_KIND_PACKAGE, name: "pkg:generic/dcert-node", versions: "vers:generic/=0.1.0" },
];

export const FIX: FixRef = {
  description: "Remove the carve-out exception from the relay path and bound the memory held per sender.",
  repository: "https://github.com/dcert-chain/dcert",
  commit: "3f2c1a9e8b7d6c5f4e3a2b1c0d9e8f7a6b5c4d3e",
  artifacts: [{ name: "dcertd-0.1.1-linux-amd64.tar.gz", sha256: sha("dcertd-0.1.1-linux-amd64.tar.gz").toString("hex") }],
  fixedVersions: ["pkg:npm/%40lightpath/channel-sdk@1.4.1", "pkg:golang/github.com/watchtower-collective/l2-watchtower@v0.9.3", "0.1.1"],
};

export const ADVISORY: Advisory = {
  title: "Memory exhaustion through the carve-out path of MsgMultiSend",
  summary:
    "A crafted sequence of MsgMultiSend transactions using the carve-out exception of the mempool lets any " +
    "account grow a node's memory without bound until the node crashes.",
  details:
    "The carve-out admits one extra descendant per sender. Its bookkeeping was never released when the " +
    "descendant was evicted, so repeating the pattern leaks memory on every node that relays it.",
  impact:
    "Validators and full nodes can be crashed remotely. Downstream channel projects that rely on the carve-out " +
    "to defend against pinning must upgrade before the fixed nodes are the majority.",
  affectedVersions: "dcertd 0.1.0; channel projects relying on the carve-out (see the components).",
  fix: "dcertd 0.1.1 removes the carve-out; @lightpath/channel-sdk 1.4.1 and l2-watchtower v0.9.3 stop relying on it.",
  recommendations: "Upgrade nodes to 0.1.1 and downstream SDKs to the fixed versions before re-enabling the route.",
  references: ["https://github.com/dcert-chain/dcert/security/advisories/GHSA-7x3q-9m2v-c4wp", "https://github.com/dcert-chain/dcert/pull/412"],
  credits: ["An anonymous reporter (finder)", "Lightpath channels team (remediation developer)", "Ops | Desk"],
  severity: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
  aliases: ["CVE-2026-31337", "GHSA-7x3q-9m2v-c4wp"],
};

function party(address: string, kind: PartyKind, name: string, deps: Component[]): Party {
  return {
    address,
    kind,
    name,
    contact: "",
    encryptionKey: Buffer.alloc(32, 7),
    keyEpoch: 1,
    deposit: { denom: "udcert", amount: "1000000" },
    dependencies: deps,
    registeredHeight: 100n,
    dependenciesHeight: 100n,
    withdrawnHeight: 0n,
  };
}

export const PARTIES: Party[] = [
  party(LIGHTPATH, PartyKind.PARTY_KIND_DOWNSTREAM_PROJECT, "Lightpath channels", [
    { kind: ComponentKind.COMPONENT_KIND_TAG, name: "mempool/cpfp-carveout", versions: "" },
  ]),
  party(WATCHTOWER, PartyKind.PARTY_KIND_DOWNSTREAM_PROJECT, "Watchtower Collective", [
    { kind: ComponentKind.COMPONENT_KIND_ROUTE, name: "/cosmos.bank.v1beta1.*", versions: "" },
  ]),
  party(EXCHANGE, PartyKind.PARTY_KIND_EXCHANGE_OR_SERVICE, "Relay Exchange", [
    { kind: ComponentKind.COMPONENT_KIND_ROUTE, name: "/cosmos.staking.v1beta1.*", versions: "" },
  ]),
];

const T_OPEN = "2026-03-02T08:00:00Z";
const T_NOTICE = "2026-03-02T08:05:00Z";
const T_BREAK = "2026-03-02T08:30:00Z";
const T_ACK = "2026-03-02T09:12:30Z";
const T_DISCLOSED = "2026-03-02T20:10:00Z";
const T_CLOSED = "2026-03-04T10:00:00Z";

function entry(seq: number, what: string, status: CaseStatus, embargo: EmbargoState, iso: string, height: bigint, actor: string, detail: string): TimelineEntry {
  return { caseId: 3n, seq, what, status, embargoState: embargo, actor, detail, height, time: at(iso) };
}
const OPEN = CaseStatus.CASE_STATUS_OPEN;
const ACTIVE = EmbargoState.EMBARGO_STATE_ACTIVE;

export const TIMELINE: TimelineEntry[] = [
  entry(1, "opened", OPEN, ACTIVE, T_OPEN, 1000n, MEMBER_A, "level 3, deadline 2026-03-02T20:00:00Z"),
  entry(2, "phase", OPEN, ACTIVE, T_OPEN, 1000n, "", "private contact"),
  entry(3, "joined", OPEN, ACTIVE, "2026-03-02T08:02:00Z", 1024n, MEMBER_B, ""),
  entry(4, "notice", OPEN, ACTIVE, T_NOTICE, 1060n, MEMBER_A, `notice 11 to ${LIGHTPATH}`),
  entry(5, "notice", OPEN, ACTIVE, T_NOTICE, 1060n, MEMBER_A, `notice 12 to ${WATCHTOWER}`),
  entry(6, "input", OPEN, ACTIVE, "2026-03-02T08:20:00Z", 1240n, "dcert1hunter0q7x9v2c4l5m8n3p6r9s0t2u4w7y9z3a5c8", "input 4"),
  entry(7, "mitigation", OPEN, ACTIVE, T_BREAK, 1300n, MEMBER_B, `circuit break of ${ROUTE}`),
  entry(8, "acknowledged", OPEN, ACTIVE, T_ACK, 1805n, LIGHTPATH, "notice 11"),
  entry(9, "revision_proposed", OPEN, EmbargoState.EMBARGO_STATE_REVISED, "2026-03-02T12:00:00Z", 3400n, MEMBER_B, "extend to 2026-03-03T08:00:00Z | wait for Watchtower"),
  entry(10, "revision_expired", OPEN, ACTIVE, "2026-03-02T18:00:00Z", 6300n, "", "extension not approved"),
  entry(11, "phase", OPEN, ACTIVE, "2026-03-02T20:00:00Z", 7900n, "", "reveal"),
  entry(12, "revealed", OPEN, ACTIVE, "2026-03-02T20:08:00Z", 8180n, MEMBER_A, "components, advisory, fix"),
  entry(13, "disclosed", CaseStatus.CASE_STATUS_DISCLOSED, EmbargoState.EMBARGO_STATE_EXITED, T_DISCLOSED, 8200n, MEMBER_A, "check: 2 matched, 0 missed"),
  entry(14, "closed", CaseStatus.CASE_STATUS_CLOSED, EmbargoState.EMBARGO_STATE_EXITED, T_CLOSED, 24000n, MEMBER_A, "record"),
];

function commitment(kind: CommitmentKind, version: number, content: string, height: bigint, revealedHeight: bigint): Commitment {
  return { caseId: 3n, kind, version, hash: sha(content), height, revealed: revealedHeight !== 0n, revealedHeight };
}

export const INVOLVEMENTS: Involvement[] = [
  {
    caseId: 3n,
    party: WATCHTOWER,
    status: InvolvementStatus.INVOLVEMENT_STATUS_CONTACTED,
    firstNoticeId: 12n,
    firstNoticeHeight: 1060n,
    firstNoticeTime: at(T_NOTICE),
    ackNoticeId: 0n,
    ackHeight: 0n,
    ackTime: undefined,
    secondsToAck: 0n,
    updatedTime: at(T_NOTICE),
    noteHash: Buffer.alloc(0),
  },
  {
    caseId: 3n,
    party: LIGHTPATH,
    status: InvolvementStatus.INVOLVEMENT_STATUS_ACKNOWLEDGED,
    firstNoticeId: 11n,
    firstNoticeHeight: 1060n,
    firstNoticeTime: at(T_NOTICE),
    ackNoticeId: 11n,
    ackHeight: 1805n,
    ackTime: at(T_ACK),
    secondsToAck: 4050n,
    updatedTime: at(T_ACK),
    noteHash: Buffer.alloc(0),
  },
];

export function fixture(): CaseExport {
  return {
    chainId: CHAIN_ID,
    advisoryIdPrefix: "DCERT",
    case: {
      id: 3n,
      opener: MEMBER_A,
      coordinators: [MEMBER_A, MEMBER_B],
      level: 3,
      sealedEscalations: 0,
      status: CaseStatus.CASE_STATUS_CLOSED,
      embargoState: EmbargoState.EMBARGO_STATE_EXITED,
      deadlineTime: at("2026-03-02T20:00:00Z"),
      deadlineHeight: 0n,
      originalDeadlineTime: at("2026-03-02T20:00:00Z"),
      originalDeadlineHeight: 0n,
      phase: Phase.PHASE_DONE,
      openHeight: 1000n,
      openTime: at(T_OPEN),
      disclosureHeight: 8200n,
      disclosureTime: at(T_DISCLOSED),
      closedHeight: 24000n,
      cosignersNeeded: 0,
      noticeCount: 2,
      inputCount: 1,
      timelineCount: TIMELINE.length,
      mitigationCount: 1,
      readinessPlan: "",
      gateDeferrals: 0,
      gateOpenHeight: 0n,
    },
    commitments: [
      commitment(CommitmentKind.COMMITMENT_KIND_REPORT, 1, "report", 1000n, 8180n),
      commitment(CommitmentKind.COMMITMENT_KIND_COMPONENTS, 1, "components", 1000n, 8180n),
      commitment(CommitmentKind.COMMITMENT_KIND_ADVISORY, 1, "advisory v1", 1000n, 0n),
      commitment(CommitmentKind.COMMITMENT_KIND_ADVISORY, 2, "advisory v2", 2200n, 8180n),
      commitment(CommitmentKind.COMMITMENT_KIND_FIX, 1, "fix", 1500n, 8180n),
    ],
    timeline: TIMELINE,
    involvements: INVOLVEMENTS,
    parties: PARTIES,
    disclosure: {
      caseId: 3n,
      advisory: ADVISORY,
      components: COMPONENTS,
      fix: FIX,
      reportHash: sha("report"),
      report: Buffer.alloc(0),
      level: 3,
    },
    check: {
      caseId: 3n,
      height: 8200n,
      matched: 2,
      notified: 2,
      acknowledged: 1,
      missed: 0,
      late: 0,
      entries: [
        { party: LIGHTPATH, matchedAtOpen: true, notified: true, acknowledged: true, late: false, missed: false },
        { party: WATCHTOWER, matchedAtOpen: true, notified: true, acknowledged: false, late: false, missed: false },
      ],
      done: true,
    },
    mitigations: [{ caseId: 3n, member: MEMBER_B, routes: [ROUTE], reason: "case 3: stop the leak until nodes upgrade", height: 1300n, time: at(T_BREAK) }],
    record: {
      caseId: 3n,
      recordHash: sha("full record"),
      summary: {
        activities: "Two downstream projects notified within 5 minutes of opening; route broken at T-11h30.",
        responses: "Lightpath acknowledged after 67 minutes and shipped 1.4.1; Watchtower Collective did not acknowledge.",
        lessonsLearned: "Register a security contact that is watched at night; level 3 left little time for the watchtower release.",
        fixDeploymentVerified: true,
        followUps: ["Confirm Watchtower Collective has upgraded", "Re-enable the route after 2/3 of the voting power runs 0.1.1"],
      },
      closedBy: MEMBER_A,
      height: 24000n,
      time: at(T_CLOSED),
    },
  };
}

export function draft(): PrivateDisclosureDraft {
  return {
    chainId: CHAIN_ID,
    caseId: 3n,
    level: 3,
    deadline: "2026-03-02T20:00:00Z",
    recipientName: "Watchtower Collective",
    coordinator: "Alice (dCERT member dcert1member0aqk7x9v2c4l5m8n3p6r9s0t2u4w7y9z3a5c8e)",
    advisory: ADVISORY,
    components: COMPONENTS.slice(0, 5),
    fix: FIX,
    ackCommand: "dcertd tx coord ack 12 --from watchtower",
  };
}
