/** Escalation, quorum revisions and the deadlines EndBlock enforces (overdue, expiries, phases). */
import { CaseStatus, CommitmentKind, EmbargoState, Phase, RevisionKind } from "../../src/generated/coord/v1/types";
import { cm, coordEnv, coordEvents, type CoordEnv, items, revealItem } from "./coord-harness";

async function setup(members = 3): Promise<CoordEnv> {
  return coordEnv({ members, others: 1, params: { minEmbargoSeconds: 60n } });
}

describe("coord deadlines", () => {
  test("an extension by one member of three stays pending, expires, and T is unchanged", async () => {
    const e = await setup();
    const T = e.now() + 5000n;
    const id = await e.openCase(1, items("ext"), 2, { seconds: T });
    const r = await e.ok(e.acct(1), [cm.propose(e.addr(1), id, RevisionKind.REVISION_KIND_EXTEND, { seconds: T + 3600n })]);
    expect(coordEvents(r.events, "EventRevisionApproved")).toEqual([expect.objectContaining({ approvals: 1, needed: 2 })]);
    expect(e.caseOf(id).embargoState).toBe(EmbargoState.EMBARGO_STATE_REVISED);
    expect(await e.code(2, [cm.propose(e.addr(2), id, RevisionKind.REVISION_KIND_WITHDRAW)])).toEqual(["coord", 28, expect.any(String)]);
    expect(await e.code(1, [cm.approve(e.addr(1), id)])).toEqual(["coord", 30, expect.any(String)]);
    // revision_ttl (24 h) passes: the proposal expires, T stays
    const expired = e.block([], 24n * 3600n);
    expect(coordEvents(expired.events, "EventRevisionExpired")).toEqual([expect.objectContaining({ case_id: id.toString() })]);
    const c = e.caseOf(id);
    expect(c.embargoState).toBe(EmbargoState.EMBARGO_STATE_ACTIVE);
    expect(c.deadlineTime?.seconds).toBe(T);
    expect(await e.code(2, [cm.approve(e.addr(2), id)])).toEqual(["coord", 29, expect.any(String)]);
  });

  test("a quorum applies an extension (an overdue case opens again) and a de-escalation; MsgEscalate never lowers (27)", async () => {
    const e = await setup();
    const T = e.now() + 5000n;
    const id = await e.openCase(1, items("q"), 2, { seconds: T });
    expect(await e.code(2, [cm.escalate(e.addr(2), id, 2)])).toEqual(["coord", 27, expect.stringContaining("DEESCALATE")]);
    expect(await e.code(2, [cm.escalate(e.addr(2), id, 1)])).toEqual(["coord", 27, expect.any(String)]);
    // T passes, and the level-2 reveal window (6 h): overdue, escalated to 3
    const od = e.block([], 5000n + 6n * 3600n);
    expect(coordEvents(od.events, "EventCaseOverdue")).toEqual([{ case_id: id.toString(), level: 3, height: e.chain.height.toString() }]);
    expect(coordEvents(od.events, "EventCaseEscalated")).toEqual([expect.objectContaining({ from: 2, to: 3, cause: "overdue" })]);
    expect(e.caseOf(id)).toMatchObject({ status: CaseStatus.CASE_STATUS_OVERDUE, level: 3 });
    expect(e.coord.metrics(e.ctx(), 3).overdue).toBe(0n);
    expect(e.coord.metrics(e.ctx(), 2).overdue).toBe(1n);
    // extension by 2 of 3 moves it back to OPEN with the new T
    const newT = e.now() + 7200n;
    await e.ok(e.acct(1), [cm.propose(e.addr(1), id, RevisionKind.REVISION_KIND_EXTEND, { seconds: newT })]);
    const ap = await e.ok(e.acct(3), [cm.approve(e.addr(3), id)]);
    expect(coordEvents(ap.events, "EventRevisionApplied")).toEqual([expect.objectContaining({ kind: "REVISION_KIND_EXTEND" })]);
    let c = e.caseOf(id);
    expect(c).toMatchObject({ status: CaseStatus.CASE_STATUS_OPEN, embargoState: EmbargoState.EMBARGO_STATE_ACTIVE });
    expect(c.deadlineTime?.seconds).toBe(newT);
    expect(c.originalDeadlineTime?.seconds).toBe(T);
    expect(c.phase).toBe(Phase.PHASE_FINALIZE); // T moved back: from REVEAL to level 3 finalize (T − 2 h)
    // de-escalation to 1 by quorum
    await e.ok(e.acct(2), [cm.propose(e.addr(2), id, RevisionKind.REVISION_KIND_DEESCALATE, { level: 1 })]);
    await e.ok(e.acct(1), [cm.approve(e.addr(1), id)]);
    expect(e.caseOf(id).level).toBe(1);
    // bounds of a new deadline (14)
    expect(await e.code(1, [cm.propose(e.addr(1), id, RevisionKind.REVISION_KIND_SHORTEN, { seconds: e.now() + 5n })])).toEqual(["coord", 14, expect.any(String)]);
    expect(await e.code(1, [cm.propose(e.addr(1), id, RevisionKind.REVISION_KIND_EXTEND, { seconds: newT - 10n })])).toEqual(["coord", 14, expect.any(String)]);
    // a withdrawal by quorum
    await e.ok(e.acct(1), [cm.propose(e.addr(1), id, RevisionKind.REVISION_KIND_WITHDRAW)]);
    await e.ok(e.acct(2), [cm.approve(e.addr(2), id)]);
    c = e.caseOf(id);
    expect(c).toMatchObject({ status: CaseStatus.CASE_STATUS_WITHDRAWN, embargoState: EmbargoState.EMBARGO_STATE_EXITED });
    // nothing of it fires any more
    const later = e.block([], 30n * 86400n);
    expect(coordEvents(later.events, "EventCaseOverdue")).toEqual([]);
  });

  test("escalation shortens T; overdue escalates once per window until level 3 and then stops", async () => {
    const e = await setup(1);
    const id = await e.openCase(1, items("esc"), 1); // T = now + 14 d
    const ev = await e.ok(e.acct(1), [cm.escalate(e.addr(1), id, 2)]);
    expect(coordEvents(ev.events, "EventCaseEscalated")).toEqual([expect.objectContaining({ from: 1, to: 2, cause: "member" })]);
    const c = e.caseOf(id);
    expect(c.deadlineTime?.seconds).toBe(e.now() + 72n * 3600n);
    // T + 6 h: overdue, level 3; then nothing more (level 3 is the top)
    const od = e.block([], 72n * 3600n + 6n * 3600n);
    expect(coordEvents(od.events, "EventCaseOverdue")).toHaveLength(1);
    expect(e.caseOf(id).level).toBe(3);
    const after = e.block([], 10n * 3600n);
    expect(coordEvents(after.events, "EventCaseOverdue")).toEqual([]);
    expect(coordEvents(after.events, "EventCaseEscalated")).toEqual([]);
    // an overdue case can still be revealed and disclosed
    const it = items("esc");
    await e.ok(e.acct(1), [cm.reveal(e.addr(1), id, [CommitmentKind.COMMITMENT_KIND_REPORT, CommitmentKind.COMMITMENT_KIND_COMPONENTS, CommitmentKind.COMMITMENT_KIND_ADVISORY].map((k) => revealItem(it, k)))]);
    expect(e.caseOf(id).status).toBe(CaseStatus.CASE_STATUS_DISCLOSED);
    // follow-up ends 24 h after the disclosure
    const fu = e.block([], 24n * 3600n);
    expect(coordEvents(fu.events, "EventPhaseReached")).toEqual([expect.objectContaining({ phase: "PHASE_DONE" })]);
  });

  test("a sealed-level case: overdue escalations are counted, MsgEscalate must open the level (43, 32), the reveal adds them", async () => {
    const e = await setup(1);
    const it = items("sealed", { level: 1 });
    const T = e.now() + 1000n;
    const id = await e.openCase(1, it, 0, { seconds: T });
    expect(e.caseOf(id).level).toBe(0);
    // T + level 2's window (6 h): overdue, sealed_escalations 1
    e.block([], 1000n + 6n * 3600n);
    expect(e.caseOf(id)).toMatchObject({ status: CaseStatus.CASE_STATUS_OVERDUE, level: 0, sealedEscalations: 1 });
    expect(await e.code(1, [cm.escalate(e.addr(1), id, 3)])).toEqual(["coord", 43, expect.any(String)]);
    expect(await e.code(1, [cm.escalate(e.addr(1), id, 3, { salt: it.salts[5] ?? new Uint8Array(32), level: 2 })])).toEqual(["coord", 32, expect.any(String)]);
    // reveal everything including LEVEL: level = 1 + 1
    const all = [1, 2, 3, 5].map((k) => revealItem(it, k as CommitmentKind));
    await e.ok(e.acct(1), [cm.reveal(e.addr(1), id, all)]);
    expect(e.caseOf(id)).toMatchObject({ status: CaseStatus.CASE_STATUS_DISCLOSED, level: 2 });
  });

  test("a height deadline: phases and overdue on the height queue", async () => {
    const e = await setup(1);
    const H = e.chain.height + 200n; // 200 blocks ≥ 60 s at 6 s per block
    const id = await e.openCase(1, items("h"), 3, { height: H });
    expect(e.caseOf(id).deadlineHeight).toBe(H);
    while (e.chain.height < H) e.block();
    expect(e.caseOf(id).phase).toBe(Phase.PHASE_REVEAL);
    const window = (3600n + 5n) / 6n; // 1 h at 6 s per block, rounded up
    while (e.chain.height < H + window - 1n) e.block();
    expect(e.caseOf(id).status).toBe(CaseStatus.CASE_STATUS_OPEN);
    const od = e.block();
    expect(coordEvents(od.events, "EventCaseOverdue")).toHaveLength(1);
  });
});
