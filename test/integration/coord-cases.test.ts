/** Cases end to end: opening rules, notices, acknowledgements, input, reveal, disclosure check, close, citation. */
import { CaseStatus, CommitmentKind, ComponentKind, EmbargoState, InvolvementStatus, NoticeKind, Phase } from "../../src/generated/coord/v1/types";
import { envelopeHash } from "../../src/types/coord";
import { addrBytes } from "../../src/x/auth/keeper";
import { anyOf, GOV, m as dm } from "./dcert-harness";
import { cm, coordEnv, coordEvents, type CoordEnv, encKey, fakeEnvelope, items, revealAll, revealItem, ROUTE_SEND } from "./coord-harness";

const OTHER_ROUTE = { kind: ComponentKind.COMPONENT_KIND_ROUTE, name: "/cosmos.staking.v1beta1.MsgDelegate", versions: "" };
const BANK_MODULE = { kind: ComponentKind.COMPONENT_KIND_MODULE, name: "bank", versions: "" };

/** 3 members (1–3); parties 4 (depends on MsgSend), 5 (on the bank module), 6 (unrelated); 7 outsider. */
async function setup(params = {}): Promise<CoordEnv> {
  const e = await coordEnv({ members: 3, others: 5, params: { minEmbargoSeconds: 60n, ...params } });
  e.block([
    await e.sign(e.acct(4), [cm.register(e.addr(4), encKey(4).publicKey, [ROUTE_SEND])]),
    await e.sign(e.acct(5), [cm.register(e.addr(5), encKey(5).publicKey, [BANK_MODULE])]),
    await e.sign(e.acct(6), [cm.register(e.addr(6), encKey(6).publicKey, [OTHER_ROUTE])]),
  ]);
  return e;
}

describe("coord cases", () => {
  test("opening is for active members with a key, in bounds, not while frozen", async () => {
    const e = await setup();
    const it = items("o");
    const now = e.now();
    expect(await e.code(4, [cm.open(e.addr(4), it, 3)])).toEqual(["coord", 2, expect.stringContaining("not an active dCERT member")]);
    // bad commitments (12): missing ADVISORY; LEVEL on a non-sealed case; wrong hash length
    const partial = { typeUrl: "/coord.v1.MsgOpenCase", value: { member: e.addr(1), level: 3, commitments: cmOpen(e, it).slice(0, 2) } };
    expect(await e.code(1, [partial])).toEqual(["coord", 12, expect.stringContaining("ADVISORY")]);
    expect(await e.code(1, [cm.open(e.addr(1), items("o", { level: 2 }), 3)])).toEqual(["coord", 12, expect.stringContaining("LEVEL")]);
    expect(await e.code(1, [cm.open(e.addr(1), it, 4)])).toEqual(["coord", 13, expect.any(String)]);
    // sealed level without an explicit deadline (14); deadline out of bounds (14); both kinds (14)
    expect(await e.code(1, [cm.open(e.addr(1), items("s", { level: 2 }), 0)])).toEqual(["coord", 14, expect.stringContaining("explicit deadline")]);
    expect(await e.code(1, [cm.open(e.addr(1), it, 3, { seconds: now + 10n })])).toEqual(["coord", 14, expect.stringContaining("between")]);
    expect(await e.code(1, [cm.open(e.addr(1), it, 3, { seconds: now + 91n * 86400n })])).toEqual(["coord", 14, expect.any(String)]);
    expect(await e.code(1, [cm.open(e.addr(1), it, 3, { seconds: now + 1000n, height: 500n })])).toEqual(["coord", 14, expect.stringContaining("not both")]);
    // a member without a key (3): member 3 withdraws nothing (it cannot), so use a keyless env
    const k = await coordEnv({ members: 1, others: 0, memberKeys: false });
    expect(await k.code(1, [cm.open(k.addr(1), it, 3)])).toEqual(["coord", 3, expect.stringContaining("MsgRegisterParty")]);
    // a suspended member (2)
    await e.ok(e.acct(1), [dm.suspend(e.addr(1), e.addr(3))]);
    expect(await e.code(3, [cm.open(e.addr(3), it, 3)])).toEqual(["coord", 2, expect.any(String)]);
    // frozen by a pending disband proposal (16)
    const p = await e.proposal([anyOf("MsgDisbandGroup", { authority: GOV, reason: "test" })], { vote: "none", skipEnd: true });
    expect(p.submit.code).toBe(0);
    expect(await e.code(1, [cm.open(e.addr(1), it, 3)])).toEqual(["coord", 16, expect.stringContaining("disband proposal")]);
  });

  test("a level-3 case: notices, acknowledgements, input, reveal at T, the disclosure check, close, citation", async () => {
    const e = await setup();
    const it = items("life", { fix: true });
    const T = e.now() + 1000n;
    const id = await e.openCase(1, it, 3, { seconds: T });
    let c = e.caseOf(id);
    expect(c).toMatchObject({ status: CaseStatus.CASE_STATUS_OPEN, embargoState: EmbargoState.EMBARGO_STATE_ACTIVE, level: 3, coordinators: [e.addr(1)] });
    // T − 12 h (contact lead) is already past: the phase is reached at the end of the opening block
    expect(c.phase).toBe(Phase.PHASE_FINALIZE);

    // a party registered after opening that matches: late, not missed
    await e.ok(e.acct(7), [cm.register(e.addr(7), encKey(7).publicKey, [ROUTE_SEND])]);

    // notices: to 4 (stale epoch refused), oversize refused, not-a-party refused
    const env4 = fakeEnvelope([e.party(4)]);
    expect(await e.code(1, [cm.notice(e.addr(1), id, [{ recipient: e.addr(4), envelope: fakeEnvelope([{ address: e.addr(4), keyEpoch: 2 }]) }])])).toEqual(["coord", 20, expect.any(String)]);
    expect(await e.code(1, [cm.notice(e.addr(1), id, [{ recipient: e.addr(4), envelope: fakeEnvelope([e.party(4)], 17_000) }])])).toEqual(["coord", 17, expect.any(String)]);
    expect(await e.code(1, [cm.notice(e.addr(1), id, [{ recipient: e.addr(8), envelope: fakeEnvelope([{ address: e.addr(8), keyEpoch: 1 }]) }])])).toEqual(["coord", 19, expect.any(String)]);
    expect(await e.code(1, [cm.notice(e.addr(1), id, [{ recipient: e.addr(4), envelope: fakeEnvelope([e.party(5)]) }])])).toEqual(["coord", 18, expect.any(String)]);
    expect(await e.code(4, [cm.notice(e.addr(4), id, [{ recipient: e.addr(4), envelope: env4 }])])).toEqual(["coord", 2, expect.any(String)]);
    const sent = await e.okEvents(1, [cm.notice(e.addr(1), id, [{ recipient: e.addr(4), envelope: env4 }])]);
    const noticeTime = e.now();
    expect(coordEvents(sent, "EventNoticeSent")).toEqual([expect.objectContaining({ notice_id: "1", case_id: id.toString(), recipient: e.addr(4), key_epoch: 1 })]);
    expect(e.coord.getInvolvement(e.ctx(), id, e.addr(4))?.status).toBe(InvolvementStatus.INVOLVEMENT_STATUS_CONTACTED);

    // acknowledgements: another's notice (23), wrong hash (24), update before ack (25), ok, twice (26)
    const h4 = envelopeHash(env4);
    expect(await e.code(5, [cm.ack(e.addr(5), 1n, h4)])).toEqual(["coord", 23, expect.any(String)]);
    expect(await e.code(4, [cm.ack(e.addr(4), 1n, new Uint8Array(32))])).toEqual(["coord", 24, expect.any(String)]);
    expect(await e.code(4, [cm.ack(e.addr(4), 99n, h4)])).toEqual(["coord", 22, expect.any(String)]);
    expect(await e.code(4, [cm.involvement(e.addr(4), id, InvolvementStatus.INVOLVEMENT_STATUS_FIXED)])).toEqual(["coord", 25, expect.stringContaining("acknowledge")]);
    expect(await e.code(5, [cm.involvement(e.addr(5), id, InvolvementStatus.INVOLVEMENT_STATUS_DISPUTED)])).toEqual(["coord", 23, expect.any(String)]);
    e.block([], 10n);
    const acked = await e.okEvents(4, [cm.ack(e.addr(4), 1n, h4)]);
    const ackSeconds = e.now() - noticeTime;
    expect(coordEvents(acked, "EventAcknowledged")).toEqual([expect.objectContaining({ party: e.addr(4), seconds_to_ack: ackSeconds.toString() })]);
    expect(await e.code(4, [cm.ack(e.addr(4), 1n, h4)])).toEqual(["coord", 26, expect.any(String)]);
    await e.ok(e.acct(4), [cm.involvement(e.addr(4), id, InvolvementStatus.INVOLVEMENT_STATUS_IN_PROGRESS)]);

    // input: to exactly the group (21 otherwise); anyone may send it
    const group = [1, 2, 3].map((i) => e.party(i));
    expect(await e.code(8, [cm.input(e.addr(8), id, fakeEnvelope(group.slice(0, 2)))])).toEqual(["coord", 21, expect.stringContaining("missing")]);
    expect(await e.code(8, [cm.input(e.addr(8), id, fakeEnvelope([...group, e.party(4)]))])).toEqual(["coord", 21, expect.any(String)]);
    expect(await e.code(8, [cm.input(e.addr(8), 99n, fakeEnvelope(group))])).toEqual(["coord", 11, expect.any(String)]);
    await e.ok(e.acct(8), [cm.input(e.addr(8), id, fakeEnvelope(group))]);
    await e.ok(e.acct(8), [cm.input(e.addr(8), 0n, fakeEnvelope(group))]);
    expect(e.caseOf(id).inputCount).toBe(1);

    // reveal before T (31)
    expect(await e.code(1, [cm.reveal(e.addr(1), id, revealAll(it))])).toEqual(["coord", 31, expect.any(String)]);
    e.block([], T - e.now());
    expect(e.caseOf(id).phase).toBe(Phase.PHASE_REVEAL);
    // an altered advisory (32); double reveal (33)
    const altered = { ...revealItem(it, CommitmentKind.COMMITMENT_KIND_ADVISORY), content: revealItem(items("other"), CommitmentKind.COMMITMENT_KIND_ADVISORY).content };
    expect(await e.code(1, [cm.reveal(e.addr(1), id, [altered])])).toEqual(["coord", 32, expect.any(String)]);
    const r1 = await e.ok(e.acct(2), [cm.reveal(e.addr(2), id, [revealItem(it, CommitmentKind.COMMITMENT_KIND_REPORT)])]);
    expect(r1.code).toBe(0);
    expect(await e.code(1, [cm.reveal(e.addr(1), id, [revealItem(it, CommitmentKind.COMMITMENT_KIND_REPORT)])])).toEqual(["coord", 33, expect.any(String)]);
    expect(e.caseOf(id).status).toBe(CaseStatus.CASE_STATUS_OPEN);
    const rest = revealAll(it).filter((x) => x.kind !== CommitmentKind.COMMITMENT_KIND_REPORT);
    const done = await e.okEvents(1, [cm.reveal(e.addr(1), id, rest)]);
    c = e.caseOf(id);
    expect(c).toMatchObject({ status: CaseStatus.CASE_STATUS_DISCLOSED, embargoState: EmbargoState.EMBARGO_STATE_EXITED, phase: Phase.PHASE_FOLLOW_UP });
    // 4 notified (not missed), 5 matched through the bank module and never notified (missed), 7 late, 6 unrelated
    // (the check finished in the EndBlock of the reveal's block: 3 units, well under one batch)
    expect(e.coord.getCheck(e.ctx(), id)).toMatchObject({ done: true, matched: 2, notified: 1, missed: 1, late: 1, entries: [] });
    expect(e.coord.checkRunning(e.ctx(), id)).toBe(false);
    expect(e.coord.checkEntries(e.ctx(), id)).toEqual(
      [
        { party: e.addr(4), matchedAtOpen: true, notified: true, acknowledged: true, late: false, missed: false },
        { party: e.addr(5), matchedAtOpen: true, notified: false, acknowledged: false, late: false, missed: true },
        { party: e.addr(7), matchedAtOpen: false, notified: false, acknowledged: false, late: true, missed: false },
      ].sort((a, b) => Buffer.compare(addrBytes(a.party), addrBytes(b.party))), // store key order
    );
    expect(coordEvents(done, "EventDisclosureCheckDone")).toEqual([expect.objectContaining({ matched: 2, notified: 1, missed: 1, late: 1, missed_parties: [e.addr(5)] })]);
    expect(e.coord.metrics(e.ctx(), 3)).toMatchObject({ opened: 1n, disclosed: 1n, acknowledgements: 1n, ackSecondsTotal: ackSeconds, missedParties: 1n });
    expect(e.coord.getDisclosure(e.ctx(), id)?.advisory?.title).toBe("Advisory life");

    // notices after disclosure: UPDATE only
    expect(await e.code(1, [cm.notice(e.addr(1), id, [{ recipient: e.addr(5), envelope: fakeEnvelope([e.party(5)]) }])])).toEqual(["coord", 15, expect.any(String)]);
    await e.ok(e.acct(1), [cm.notice(e.addr(1), id, [{ recipient: e.addr(5), envelope: fakeEnvelope([e.party(5)]), kind: NoticeKind.NOTICE_KIND_UPDATE }])]);

    // a circuit break cites the case (keeper API used by x/dcert), then the case closes
    const ctx = e.ctx();
    e.coord.citeCase(ctx, id, e.addr(1), ["/cosmos.bank.v1beta1.MsgSend"], "stop the bleeding");
    expect(e.coord.mitigationsOf(ctx, id)).toEqual([expect.objectContaining({ member: e.addr(1), routes: ["/cosmos.bank.v1beta1.MsgSend"] })]);
    expect(() => e.coord.citeCase(ctx, 99n, e.addr(1), [], "")).toThrow(expect.objectContaining({ codespace: "coord", code: 37 }));
    expect(await e.code(1, [cm.close(e.addr(1), id, new Uint8Array(31))])).toEqual(["coord", 36, expect.any(String)]);
    await e.ok(e.acct(1), [cm.close(e.addr(1), id)]);
    expect(e.caseOf(id)).toMatchObject({ status: CaseStatus.CASE_STATUS_CLOSED, closedHeight: e.chain.height });
    expect(() => e.coord.citeCase(e.ctx(), id, e.addr(1), [], "")).toThrow(expect.objectContaining({ code: 37 }));
    // every status change is in the timeline
    const whats = e.coord.timeline(e.ctx(), id).map((t) => t.what);
    expect(whats).toEqual(expect.arrayContaining(["opened", "notice", "acknowledged", "input", "revealed", "disclosed", "disclosure_check", "closed"]));
  });

  test("a circuit break citing the case records the mitigation through x/dcert", async () => {
    const e = await setup();
    const id = await e.openCase(1, items("cb"), 3);
    await e.ok(e.acct(2), [{ typeUrl: "/dcert.v1.MsgCircuitBreak", value: { member: e.addr(2), routes: ["/cosmos.bank.v1beta1.MsgSend"], reason: "exploit", caseId: id } }]);
    expect(e.caseOf(id).mitigationCount).toBe(1);
    expect(await e.code(2, [{ typeUrl: "/dcert.v1.MsgCircuitBreak", value: { member: e.addr(2), routes: ["/cosmos.staking.v1beta1.MsgDelegate"], reason: "exploit", caseId: 77n } }])).toEqual(["coord", 37, expect.any(String)]);
  });
});

function cmOpen(e: CoordEnv, it: ReturnType<typeof items>): unknown[] {
  return (cm.open(e.addr(1), it, 3).value as { commitments: unknown[] }).commitments;
}
