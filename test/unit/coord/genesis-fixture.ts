/**
 * A hand-built, valid coord genesis section covering every record kind: three parties (one
 * withdrawn), an open case with a pending revision, a disclosed case with its disclosure check and
 * a mitigation, a closed case with its record, notices, involvements and sealed input. Envelopes
 * are structurally valid stand-ins (the chain never opens them).
 */
import { addrString } from "../../../src/x/auth/keeper";
import type { GenesisState } from "../../../src/generated/coord/v1/genesis";
import {
  type Case,
  CaseStatus,
  type Commitment,
  type Component,
  CommitmentKind,
  ComponentKind,
  EmbargoState,
  type Envelope,
  InvolvementStatus,
  type Notice,
  NoticeKind,
  type Party,
  PartyKind,
  Phase,
  RevisionKind,
  type SealedInput,
  type TimelineEntry,
} from "../../../src/generated/coord/v1/types";
import { encryptionPublicKey, envelopeHash } from "../../../src/types/coord";
import { defaultCoordParams } from "../../../src/x/coord/keeper/params";

export const addr = (n: number): string => addrString(new Uint8Array(20).fill(n));
export const MEMBER = addr(1);
export const MEMBER2 = addr(2);
export const DOWNSTREAM = addr(3);
export const WITHDRAWN = addr(4);
export const REPORTER = addr(9);

const buf = (n: number, fill: number): Buffer => Buffer.alloc(n, fill);
export const keyOf = (n: number): Buffer => Buffer.from(encryptionPublicKey(new Uint8Array(32).fill(n)));
const t = (seconds: number, nanos = 0): { seconds: bigint; nanos: number } => ({ seconds: BigInt(seconds), nanos });

export function envelope(recipients: { address: string; keyEpoch: number }[], fill = 1): Envelope {
  return {
    version: 1,
    suite: 1,
    recipients: [...recipients].sort((a, b) => (a.address < b.address ? -1 : 1)).map((r) => ({ address: r.address, keyEpoch: r.keyEpoch, enc: buf(32, fill), wrappedKey: buf(48, fill + 1) })),
    nonce: buf(24, fill + 2),
    ciphertext: buf(64, fill + 3),
  };
}

function party(address: string, n: number, kind: PartyKind, extra: Partial<Party> = {}): Party {
  return {
    address,
    kind,
    name: `party ${n}`,
    contact: "",
    encryptionKey: keyOf(n),
    keyEpoch: 1,
    deposit: { denom: "udcert", amount: "10000000" },
    dependencies: [],
    registeredHeight: 2n,
    dependenciesHeight: 2n,
    withdrawnHeight: 0n,
    ...extra,
  };
}

function kase(id: bigint, status: CaseStatus, embargo: EmbargoState, extra: Partial<Case> = {}): Case {
  return {
    id,
    opener: MEMBER,
    coordinators: [MEMBER],
    level: 3,
    sealedEscalations: 0,
    status,
    embargoState: embargo,
    deadlineTime: t(1_700_050_000, 250),
    deadlineHeight: 0n,
    originalDeadlineTime: t(1_700_050_000, 250),
    originalDeadlineHeight: 0n,
    phase: Phase.PHASE_PRIVATE_CONTACT,
    openHeight: 5n,
    openTime: t(1_700_000_005, 123_456_789),
    disclosureHeight: 0n,
    disclosureTime: undefined,
    closedHeight: 0n,
    cosignersNeeded: 0,
    noticeCount: 0,
    inputCount: 0,
    timelineCount: 1,
    mitigationCount: 0,
    readinessPlan: "",
    gateDeferrals: 0,
    gateOpenHeight: 0n,
    ...extra,
  };
}

function commitments(caseId: bigint, revealed: boolean): Commitment[] {
  return [CommitmentKind.COMMITMENT_KIND_REPORT, CommitmentKind.COMMITMENT_KIND_COMPONENTS, CommitmentKind.COMMITMENT_KIND_ADVISORY].map((kind) => ({
    caseId,
    kind,
    version: 1,
    hash: buf(32, kind),
    height: 5n,
    revealed,
    revealedHeight: revealed ? 40n : 0n,
  }));
}

function timeline(caseId: bigint, n: number): TimelineEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    caseId,
    seq: i + 1,
    what: i === 0 ? "opened" : "notice",
    status: CaseStatus.CASE_STATUS_OPEN,
    embargoState: EmbargoState.EMBARGO_STATE_ACTIVE,
    actor: MEMBER,
    detail: "",
    height: 5n + BigInt(i),
    time: t(1_700_000_005 + i, 1),
  }));
}

function notice(id: bigint, caseId: bigint, recipient: string): Notice {
  const env = envelope([{ address: recipient, keyEpoch: 1 }], Number(id));
  return {
    id,
    caseId,
    sender: MEMBER,
    recipient,
    recipientKeyEpoch: 1,
    kind: NoticeKind.NOTICE_KIND_DISCLOSURE,
    envelope: env,
    envelopeHash: Buffer.from(envelopeHash(env)),
    height: 6n,
    time: t(1_700_000_006, 999_999_999),
  };
}

function input(id: bigint, caseId: bigint): SealedInput {
  const recipients = [MEMBER, MEMBER2].sort();
  const env = envelope(recipients.map((a) => ({ address: a, keyEpoch: 1 })), 50 + Number(id));
  return { id, caseId, sender: REPORTER, recipients, envelope: env, envelopeHash: Buffer.from(envelopeHash(env)), height: 7n, time: t(1_700_000_007) };
}

const routeDep = (): Component => ({ kind: ComponentKind.COMPONENT_KIND_ROUTE, name: "/cosmos.bank.v1beta1.MsgSend", versions: "" });
const tagDep = (): Component => ({ kind: ComponentKind.COMPONENT_KIND_TAG, name: "mempool/cpfp-carveout", versions: "" });

export function validGenesis(): GenesisState {
  return {
    params: defaultCoordParams("udcert"),
    nextCaseId: 4n,
    nextNoticeId: 4n,
    nextInputId: 3n,
    metrics: [{ level: 3, opened: 3n, disclosed: 2n, withdrawn: 0n, overdue: 0n, acknowledgements: 1n, ackSecondsTotal: 10n, revealSecondsTotal: 100n, slippageSecondsTotal: -5n, missedParties: 0n }],
    parties: [
      party(MEMBER, 1, PartyKind.PARTY_KIND_CORE_DEVELOPER),
      party(MEMBER2, 2, PartyKind.PARTY_KIND_CORE_DEVELOPER),
      party(DOWNSTREAM, 3, PartyKind.PARTY_KIND_DOWNSTREAM_PROJECT, { dependencies: [routeDep(), tagDep()], contact: "security@example.org" }),
      // A tombstone may keep a key that a registered party now uses.
      party(WITHDRAWN, 1, PartyKind.PARTY_KIND_RESEARCHER, { withdrawnHeight: 9n }),
    ],
    cases: [
      kase(1n, CaseStatus.CASE_STATUS_OPEN, EmbargoState.EMBARGO_STATE_REVISED, { noticeCount: 1, inputCount: 1, timelineCount: 2 }),
      kase(2n, CaseStatus.CASE_STATUS_DISCLOSED, EmbargoState.EMBARGO_STATE_EXITED, {
        phase: Phase.PHASE_FOLLOW_UP,
        disclosureHeight: 40n,
        disclosureTime: t(1_700_050_010),
        noticeCount: 1,
        mitigationCount: 1,
        timelineCount: 2,
      }),
      kase(3n, CaseStatus.CASE_STATUS_CLOSED, EmbargoState.EMBARGO_STATE_EXITED, {
        phase: Phase.PHASE_DONE,
        deadlineTime: undefined,
        deadlineHeight: 30n,
        originalDeadlineTime: undefined,
        originalDeadlineHeight: 30n,
        disclosureHeight: 41n,
        disclosureTime: t(1_700_050_011),
        closedHeight: 50n,
        noticeCount: 1,
      }),
    ],
    commitments: [...commitments(1n, false), ...commitments(2n, true), ...commitments(3n, true)],
    revisions: [
      {
        caseId: 1n,
        kind: RevisionKind.REVISION_KIND_EXTEND,
        proposer: MEMBER,
        newDeadlineTime: t(1_700_090_000),
        newDeadlineHeight: 0n,
        newLevel: 0,
        reason: "vendor needs a day",
        approvals: [MEMBER],
        proposedHeight: 8n,
        expires: t(1_700_086_400),
      },
    ],
    timeline: [...timeline(1n, 2), ...timeline(2n, 2), ...timeline(3n, 1)],
    notices: [notice(1n, 1n, DOWNSTREAM), notice(2n, 2n, DOWNSTREAM), notice(3n, 3n, DOWNSTREAM)],
    inputs: [input(1n, 1n), input(2n, 0n)],
    involvements: [
      {
        caseId: 1n,
        party: DOWNSTREAM,
        status: InvolvementStatus.INVOLVEMENT_STATUS_CONTACTED,
        firstNoticeId: 1n,
        firstNoticeHeight: 6n,
        firstNoticeTime: t(1_700_000_006, 999_999_999),
        ackNoticeId: 0n,
        ackHeight: 0n,
        ackTime: undefined,
        secondsToAck: 0n,
        updatedTime: t(1_700_000_006, 999_999_999),
        noteHash: Buffer.alloc(0),
      },
      {
        caseId: 2n,
        party: DOWNSTREAM,
        status: InvolvementStatus.INVOLVEMENT_STATUS_ACKNOWLEDGED,
        firstNoticeId: 2n,
        firstNoticeHeight: 6n,
        firstNoticeTime: t(1_700_000_006),
        ackNoticeId: 2n,
        ackHeight: 7n,
        ackTime: t(1_700_000_016),
        secondsToAck: 10n,
        updatedTime: t(1_700_000_016),
        noteHash: Buffer.alloc(0),
      },
      {
        caseId: 3n,
        party: DOWNSTREAM,
        status: InvolvementStatus.INVOLVEMENT_STATUS_CONTACTED,
        firstNoticeId: 3n,
        firstNoticeHeight: 6n,
        firstNoticeTime: t(1_700_000_006),
        ackNoticeId: 0n,
        ackHeight: 0n,
        ackTime: undefined,
        secondsToAck: 0n,
        updatedTime: t(1_700_000_006),
        noteHash: Buffer.alloc(0),
      },
    ],
    disclosures: [2n, 3n].map((caseId) => ({
      caseId,
      advisory: { title: "t", summary: "s", details: "", impact: "", affectedVersions: "", fix: "", recommendations: "", references: [], credits: [], severity: "", aliases: [] },
      components: [routeDep()],
      fix: undefined,
      reportHash: buf(32, 7),
      report: Buffer.alloc(0),
      level: 3,
    })),
    checks: [
      {
        caseId: 2n,
        height: 40n,
        matched: 1,
        notified: 1,
        acknowledged: 1,
        missed: 0,
        late: 0,
        entries: [{ party: DOWNSTREAM, matchedAtOpen: true, notified: true, acknowledged: true, late: false, missed: false }],
        done: true,
      },
    ],
    mitigations: [{ caseId: 2n, member: MEMBER, routes: ["/cosmos.bank.v1beta1.MsgSend"], reason: "stop the bleeding", height: 20n, time: t(1_700_000_020) }],
    records: [
      {
        caseId: 3n,
        recordHash: buf(32, 9),
        summary: { activities: "a", responses: "r", lessonsLearned: "l", fixDeploymentVerified: true, followUps: ["f"] },
        closedBy: MEMBER,
        height: 50n,
        time: t(1_700_060_000),
      },
    ],
  };
}
