/**
 * The reveal gate: a case gated on an upgrade plan reveals nothing until 2/3 of voting power is
 * ready for the plan (the app's real source, and a fake UpgradeForCoord wired through CoordKeeper.wireUpgrade), the set/clear
 * rules of MsgSetRevealGate, what happens at the deadline while the gate is closed, and genesis.
 */
import type { RequestInitChain } from "cosmjs-types/tendermint/abci/types";
import { keepersOf } from "../../src/app/wiring";
import { createApp } from "../../src/app/node";
import { MemoryCommitStore } from "../../src/baseapp/store/memory";
import * as Q from "../../src/generated/coord/v1/query";
import { CaseStatus, CommitmentKind } from "../../src/generated/coord/v1/types";
import { parseCoordGenesis, validateCoordGenesis } from "../../src/x/coord/genesis";
import { TEST_CHAIN_ID } from "../helpers/txs";
import { anyOf, GOV } from "./dcert-harness";
import { cm, coordEnv, coordEvents, type CoordEnv, items, revealAll, revealItem } from "./coord-harness";

const HOUR = 3600n;

async function setup(ready: string[] = [], wire = true): Promise<{ e: CoordEnv; ready: Set<string> }> {
  const e = await coordEnv({ members: 3, others: 1, params: { minEmbargoSeconds: 60n } });
  return { e, ready: wire ? e.fakeUpgrade(ready) : new Set<string>() };
}

function caseQuery(app: { query: ReturnType<typeof createApp>["query"] }, caseId: bigint): Q.QueryCaseResponse {
  const r = app.query({ path: "/coord.v1.Query/Case", data: Q.QueryCaseRequest.encode({ caseId }).finish(), height: 0n, prove: false });
  if (r.code !== 0) throw new Error(`query refused: ${r.codespace}:${r.code} ${r.log}`);
  return Q.QueryCaseResponse.decode(r.value);
}

describe("coord reveal gate", () => {
  test("the app's own readiness source (x/upgrade) keeps a gate on a plan without a 2/3 tally closed (48)", async () => {
    const { e } = await setup([], false);
    const it = items("realsrc");
    const T = e.now() + 1000n;
    const id = await e.openCase(1, it, 3, { seconds: T }, "v2");
    expect(caseQuery(e.app, id).revealGateOpen).toBe(false);
    e.block([], 1000n);
    expect(await e.code(1, [cm.reveal(e.addr(1), id, revealAll(it))])).toEqual(["coord", 48, expect.stringContaining("upgrade plan \"v2\"")]);
    // ungated cases work as before
    const free = await e.openCase(1, items("free"), 3, { seconds: e.now() + 1000n });
    expect(caseQuery(e.app, free).revealGateOpen).toBe(true);
  });

  test("a reveal is refused (48) while the plan is not 2/3 ready, and accepted once it is; an unknown plan may be named", async () => {
    const { e, ready } = await setup();
    const it = items("gated");
    const T = e.now() + 1000n;
    // "v2-sec" is not scheduled anywhere: a case may be gated before its plan exists
    const id = await e.openCase(1, it, 3, { seconds: T }, "v2-sec");
    const c = e.caseOf(id);
    expect(c.readinessPlan).toBe("v2-sec");
    expect(e.coord.timeline(e.ctx(), id).map((t) => [t.what, t.actor, t.detail])).toContainEqual(["reveal_gate_set", e.addr(1), "upgrade plan v2-sec"]);
    expect(caseQuery(e.app, id)).toMatchObject({ revealGateOpen: false, case: { readinessPlan: "v2-sec" } });
    // before T the deadline refuses first (31); at T the gate (48), with what to wait for
    expect(await e.code(2, [cm.reveal(e.addr(2), id, revealAll(it))])).toEqual(["coord", 31, expect.any(String)]);
    e.block([], 1000n);
    const refused = await e.code(2, [cm.reveal(e.addr(2), id, [revealItem(it, CommitmentKind.COMMITMENT_KIND_REPORT)])]);
    expect(refused).toEqual(["coord", 48, expect.stringContaining("2/3 of voting power runs a build ready for upgrade plan \"v2-sec\"")]);
    expect(refused[2]).toContain("q upgrade readiness v2-sec");
    // nothing was revealed by the refused message
    expect(e.coord.latestCommitment(e.ctx(), id, CommitmentKind.COMMITMENT_KIND_REPORT)?.revealed).toBe(false);
    // readiness crosses 2/3 (or the plan is applied): the reveal goes through
    ready.add("v2-sec");
    expect(caseQuery(e.app, id).revealGateOpen).toBe(true);
    const done = await e.okEvents(2, [cm.reveal(e.addr(2), id, revealAll(it))]);
    expect(coordEvents(done, "EventCaseDisclosed")).toHaveLength(1);
    expect(e.caseOf(id)).toMatchObject({ status: CaseStatus.CASE_STATUS_DISCLOSED, readinessPlan: "v2-sec", gateDeferrals: 0 });
  });

  test("a case gated on a plan already applied (twoThirdsReady true) reveals at T as usual", async () => {
    const { e } = await setup(["v1.5"]);
    const it = items("applied");
    const id = await e.openCase(1, it, 3, { seconds: e.now() + 1000n }, "v1.5");
    expect(caseQuery(e.app, id).revealGateOpen).toBe(true);
    expect(await e.code(1, [cm.reveal(e.addr(1), id, revealAll(it))])).toEqual(["coord", 31, expect.any(String)]);
    e.block([], 1000n);
    await e.ok(e.acct(1), [cm.reveal(e.addr(1), id, revealAll(it))]);
    expect(e.caseOf(id).status).toBe(CaseStatus.CASE_STATUS_DISCLOSED);
  });

  test("set, replace and clear: coordinators only (50), valid names (49), no no-ops (49), live cases (15); setting is refused while frozen (16), clearing is not", async () => {
    const { e } = await setup();
    const it = items("auth");
    const id = await e.openCase(1, it, 3, { seconds: e.now() + 1000n });
    // an outsider (2), a member who does not coordinate the case (50)
    expect(await e.code(4, [cm.gate(e.addr(4), id, "v2")])).toEqual(["coord", 2, expect.any(String)]);
    expect(await e.code(2, [cm.gate(e.addr(2), id, "v2")])).toEqual(["coord", 50, expect.stringContaining("join it with MsgJoinCase")]);
    // bad names (validateBasic), unknown case (11)
    expect(await e.code(1, [cm.gate(e.addr(1), id, "-v2")])).toEqual(["coord", 49, expect.stringContaining("must start with a letter or digit")]);
    expect(await e.code(1, [cm.gate(e.addr(1), id, "v".repeat(141))])).toEqual(["coord", 49, expect.stringContaining("at most 140")]);
    expect(await e.code(1, [cm.gate(e.addr(1), 99n, "v2")])).toEqual(["coord", 11, expect.any(String)]);
    // clearing without a gate (49)
    expect(await e.code(1, [cm.gate(e.addr(1), id, "")])).toEqual(["coord", 49, expect.stringContaining("no reveal gate to clear")]);
    // the opener sets it; a joined member replaces it; the same plan again is refused
    const set = await e.okEvents(1, [cm.gate(e.addr(1), id, "v2", "wait for a patched majority")]);
    expect(coordEvents(set, "EventRevealGateSet")).toEqual([expect.objectContaining({ case_id: id.toString(), readiness_plan: "v2", member: e.addr(1) })]);
    await e.ok(e.acct(2), [cm.join(e.addr(2), id)]);
    expect(await e.code(2, [cm.gate(e.addr(2), id, "v2")])).toEqual(["coord", 49, expect.stringContaining("already gated")]);
    await e.ok(e.acct(2), [cm.gate(e.addr(2), id, "v2.1")]);
    expect(e.caseOf(id).readinessPlan).toBe("v2.1");
    // frozen by a pending disband proposal: setting refused (16), clearing allowed
    const p = await e.proposal([anyOf("MsgDisbandGroup", { authority: GOV, reason: "test" })], { vote: "none", skipEnd: true });
    expect(p.submit.code).toBe(0);
    expect(await e.code(1, [cm.gate(e.addr(1), id, "v3")])).toEqual(["coord", 16, expect.stringContaining("disband proposal")]);
    const cleared = await e.okEvents(1, [cm.gate(e.addr(1), id, "", "patched majority reached off chain")]);
    expect(coordEvents(cleared, "EventRevealGateSet")).toEqual([expect.objectContaining({ readiness_plan: "", previous_plan: "v2.1" })]);
    expect(e.caseOf(id).readinessPlan).toBe("");
    const whats = e.coord.timeline(e.ctx(), id).filter((t) => t.what.startsWith("reveal_gate")).map((t) => [t.what, t.actor, t.detail]);
    expect(whats).toEqual([
      ["reveal_gate_set", e.addr(1), "upgrade plan v2; wait for a patched majority"],
      ["reveal_gate_set", e.addr(2), "upgrade plan v2.1 (was v2)"],
      ["reveal_gate_cleared", e.addr(1), "cleared (was upgrade plan v2.1); patched majority reached off chain"],
    ]);
    // cleared: the reveal goes through at T; a disclosed case's gate no longer changes (15)
    e.block([], 1000n);
    await e.ok(e.acct(1), [cm.reveal(e.addr(1), id, revealAll(it))]);
    expect(await e.code(1, [cm.gate(e.addr(1), id, "")])).toEqual(["coord", 15, expect.any(String)]);
  });

  test("at the deadline a closed gate publishes nothing and is not overdue: checked each reveal window, one more window once it opens", async () => {
    const { e, ready } = await setup();
    const it = items("deadline");
    const T = e.now() + 1000n;
    const id = await e.openCase(1, it, 3, { seconds: T }, "v2");
    // T + the level-3 reveal window (1 h): not overdue, not escalated, waiting
    const w1 = e.block([], 1000n + HOUR);
    expect(coordEvents(w1.events, "EventCaseOverdue")).toEqual([]);
    expect(coordEvents(w1.events, "EventRevealGateWaiting")).toEqual([{ case_id: id.toString(), readiness_plan: "v2", deferrals: 1, height: e.chain.height.toString() }]);
    expect(e.caseOf(id)).toMatchObject({ status: CaseStatus.CASE_STATUS_OPEN, level: 3, gateDeferrals: 1, gateOpenHeight: 0n });
    expect(e.coord.getDisclosure(e.ctx(), id)).toBeUndefined();
    // each window again; the timeline records the wait once
    const w2 = e.block([], HOUR);
    expect(coordEvents(w2.events, "EventRevealGateWaiting")).toEqual([expect.objectContaining({ deferrals: 2 })]);
    e.block([], HOUR - 1n);
    expect(e.caseOf(id).gateDeferrals).toBe(2);
    expect(e.coord.timeline(e.ctx(), id).filter((t) => t.what === "reveal_gate_waiting")).toHaveLength(1);
    ready.add("v2");
    const opened = e.block([], 1n);
    expect(coordEvents(opened.events, "EventRevealGateOpened")).toEqual([{ case_id: id.toString(), readiness_plan: "v2", height: e.chain.height.toString() }]);
    expect(e.caseOf(id)).toMatchObject({ status: CaseStatus.CASE_STATUS_OPEN, gateOpenHeight: e.chain.height });
    // the coordinators had one more window and did not reveal: overdue as usual
    const od = e.block([], HOUR);
    expect(coordEvents(od.events, "EventCaseOverdue")).toHaveLength(1);
    expect(e.caseOf(id).status).toBe(CaseStatus.CASE_STATUS_OVERDUE);
    await e.ok(e.acct(1), [cm.reveal(e.addr(1), id, revealAll(it))]);
    expect(e.caseOf(id).status).toBe(CaseStatus.CASE_STATUS_DISCLOSED);
  });

  test("an overdue case gated later stops escalating while it waits", async () => {
    const { e } = await setup();
    const it1 = items("late-gate-1");
    const id1 = await e.openCase(1, it1, 1, { seconds: e.now() + 1000n });
    // T + 24 h (level-1 window): overdue, escalated to 2
    e.block([], 1000n + 24n * HOUR);
    expect(e.caseOf(id1)).toMatchObject({ status: CaseStatus.CASE_STATUS_OVERDUE, level: 2 });
    await e.ok(e.acct(1), [cm.gate(e.addr(1), id1, "v2")]);
    const w = e.block([], 6n * HOUR);
    expect(coordEvents(w.events, "EventCaseEscalated")).toEqual([]);
    expect(coordEvents(w.events, "EventRevealGateWaiting")).toEqual([expect.objectContaining({ case_id: id1.toString(), deferrals: 1 })]);
    expect(e.caseOf(id1)).toMatchObject({ status: CaseStatus.CASE_STATUS_OVERDUE, level: 2 });
  });

  test("genesis: a waiting gated case round-trips exactly; the imported chain keeps the postponed check", async () => {
    const { e } = await setup();
    const it = items("gen");
    const id = await e.openCase(1, it, 3, { seconds: e.now() + 1000n }, "v2");
    e.block([], 1000n + HOUR);
    expect(e.caseOf(id).gateDeferrals).toBe(1);
    const exported = e.app.exportGenesis();
    const section = exported["coord"] as Record<string, unknown>;
    const g = parseCoordGenesis(JSON.parse(JSON.stringify(section)));
    expect(() => validateCoordGenesis(g)).not.toThrow();
    expect(g.cases.find((c) => c.id === id)).toMatchObject({ readinessPlan: "v2", gateDeferrals: 1, gateOpenHeight: 0n });
    expect(JSON.stringify(section)).toContain('"readiness_plan":"v2"');

    const app = createApp({ store: new MemoryCommitStore() });
    const height = e.chain.height + 1n;
    const seconds = e.chain.time + 1n;
    const req: RequestInitChain = { time: { seconds, nanos: 0 }, chainId: TEST_CHAIN_ID, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(exported)), initialHeight: height };
    app.initChain(req);
    expect(JSON.stringify(app.exportGenesis()["coord"])).toBe(JSON.stringify(section));
    // no readiness source on this app: the gate stays closed (and the query says so)
    const step = (h: bigint, s: bigint): void => {
      app.finalizeBlock({ txs: [], decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: h, time: { seconds: s, nanos: 0 }, nextValidatorsHash: new Uint8Array(32), proposerAddress: new Uint8Array(20) });
      app.commit();
    };
    step(height, seconds);
    expect(caseQuery(app, id)).toMatchObject({ revealGateOpen: false, case: { status: CaseStatus.CASE_STATUS_OPEN, gateDeferrals: 1 } });
    // the postponed check comes one window after the import, and waits again (not overdue)
    step(height + 1n, seconds + HOUR);
    expect(caseQuery(app, id)).toMatchObject({ case: { status: CaseStatus.CASE_STATUS_OPEN, gateDeferrals: 2 } });
    // with a source wired, the gate opens
    keepersOf(app).coord.wireUpgrade({ twoThirdsReady: (_ctx, name) => name === "v2" });
    expect(caseQuery(app, id).revealGateOpen).toBe(true);
  });
});
