/**
 * dCERT pre-approval of a security upgrade on an in-process chain: a quorum of active members
 * approving identical terms schedules the plan (no governance vote) and it executes at its height;
 * every refusal with its code; withdrawn approvals and approvals of members who lost their seat
 * stop counting; governance cancels a dCERT plan and the dCERT can never approve that name again.
 */
import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { MsgPreApproveUpgradeResponse, MsgUpdateParams } from "../../src/generated/dcert/upgrade/v1/tx";
import { QueryPreApprovalsRequest, QueryPreApprovalsResponse } from "../../src/generated/dcert/upgrade/v1/query";
import { PlanSource } from "../../src/generated/dcert/upgrade/v1/types";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { testChain } from "../helpers/app";
import { anyOf, GOV, m as dm } from "./dcert-harness";
import { cm, items } from "./coord-harness";
import { cancelUpgradeAny, HASH, softwareUpgradeAny, um, type UpgradeEnv, upgradeEnv, upgradeEvents } from "./upgrade-harness";

jest.setTimeout(60_000);

/** 3 members, pre-approval on, quorum 0.5 (ceil(0.5 × 3) = 2 approvals), 5 blocks of delay. */
const ON = { preapproval_enabled: true, preapproval_quorum: "0.5", preapproval_min_delay_blocks: "5" };

async function approve(e: UpgradeEnv, i: number, msg: EncodeObject): Promise<MsgPreApproveUpgradeResponse> {
  const r = await e.ok(e.acct(i), [msg]);
  const any = TxMsgData.decode(r.data).msgResponses[0];
  if (any === undefined) throw new Error("no response");
  return MsgPreApproveUpgradeResponse.decode(any.value);
}

async function refused(e: UpgradeEnv, i: number, msg: EncodeObject): Promise<[string, number, string]> {
  const r = await e.code(i, [msg]);
  if (r === "ok") throw new Error("expected a refusal");
  return r;
}

function approvals(e: UpgradeEnv, name = ""): QueryPreApprovalsResponse {
  const r = e.app.query({ path: "/dcert.upgrade.v1.Query/PreApprovals", data: QueryPreApprovalsRequest.encode({ name }).finish(), height: 0n, prove: false });
  if (r.code !== 0) throw new Error(r.log);
  return QueryPreApprovalsResponse.decode(r.value);
}

describe("dCERT pre-approval", () => {
  test("a quorum of identical approvals schedules the plan without a governance vote; it executes at its height", async () => {
    const e = await upgradeEnv({ members: 3, upgradeParams: ON });
    expect(await e.code(1, [um.breakRoutes(e.addr(1), [um.send("", "", 0n).typeUrl])])).toBe("ok");
    const H = e.chain.height + 12n;
    const first = await approve(e, 1, um.preApprove(e.addr(1), "v2", H, { info: "security fix", caseId: 0n }));
    expect(first).toEqual({ approvals: 1, needed: 2, scheduled: false });
    expect(e.upgrade.scheduledPlan(e.ctx())).toBeUndefined();
    expect(approvals(e, "v2")).toMatchObject({ needed: 2, activeMembers: 3 });
    expect(approvals(e, "v2").approvals.map((a) => a.member)).toEqual([e.addr(1)]);
    // Different terms (another hash) do not count towards the same plan.
    const other = await approve(e, 2, um.preApprove(e.addr(2), "v2", H, { info: "security fix", hash: "0".repeat(64) }));
    expect(other).toEqual({ approvals: 1, needed: 2, scheduled: false });
    expect(e.upgrade.scheduledPlan(e.ctx())).toBeUndefined();
    const r = await e.ok(e.acct(3), [um.preApprove(e.addr(3), "v2", H, { info: "security fix" })]);
    expect(upgradeEvents(r.events, "EventPreApproved")).toMatchObject([{ member: e.addr(3), name: "v2", approvals: 2, needed: 2, binary_sha256: HASH }]);
    expect(upgradeEvents(r.events, "EventUpgradeScheduled")).toEqual([{ name: "v2", height: H.toString(), info: "security fix", source: "PLAN_SOURCE_DCERT", binary_sha256: HASH, case_id: "0" }]);
    expect(e.upgrade.scheduledPlan(e.ctx())).toMatchObject({ name: "v2", height: H, source: PlanSource.PLAN_SOURCE_DCERT, binarySha256: HASH });
    // The dCERT never replaces a scheduled plan (11).
    expect((await refused(e, 2, um.preApprove(e.addr(2), "v3", H + 10n))).slice(0, 2)).toEqual(["upgrade", 11]);
    e.advanceTo(H);
    expect(e.upgrade.appliedHeight(e.ctx(), "v2")).toBe(H);
    expect(e.keeper.brokenRoutes(e.ctx())).toEqual([]);
    // Applied: approvals of the name are gone, and the name cannot be approved again (5).
    expect(approvals(e, "v2").approvals).toEqual([]);
    expect((await refused(e, 1, um.preApprove(e.addr(1), "v2", e.chain.height + 20n))).slice(0, 2)).toEqual(["upgrade", 5]);
  });

  test("refusals: disabled (7), non-member (8), too soon (13), bad hash (14), unknown case (15), approved twice (18), nothing to withdraw (16)", async () => {
    const off = await upgradeEnv({ members: 1 });
    expect((await refused(off, 1, um.preApprove(off.addr(1), "v2", off.chain.height + 100n))).slice(0, 2)).toEqual(["upgrade", 7]);

    const e = await upgradeEnv({ members: 3, upgradeParams: ON });
    const h = e.chain.height;
    expect((await refused(e, 5, um.preApprove(e.addr(5), "v2", h + 100n))).slice(0, 2)).toEqual(["upgrade", 8]);
    // The tx runs at h+1: its height must be after h+1+5.
    const soon = await refused(e, 1, um.preApprove(e.addr(1), "v2", h + 6n));
    expect(soon.slice(0, 2)).toEqual(["upgrade", 13]);
    expect(soon[2]).toContain("preapproval_min_delay_blocks 5");
    for (const hash of ["", "ab", HASH.toUpperCase(), `${HASH}00`, "g".repeat(64)]) {
      expect((await refused(e, 1, um.preApprove(e.addr(1), "v2", h + 100n, { hash }))).slice(0, 2)).toEqual(["upgrade", 14]);
    }
    expect((await refused(e, 1, um.preApprove(e.addr(1), "bad name", h + 100n))).slice(0, 2)).toEqual(["upgrade", 3]);
    expect((await refused(e, 1, um.preApprove(e.addr(1), "v2", h + 100n, { caseId: 99n }))).slice(0, 2)).toEqual(["upgrade", 15]);
    expect(await e.code(1, [um.preApprove(e.addr(1), "v2", h + 100n)])).toBe("ok");
    expect((await refused(e, 1, um.preApprove(e.addr(1), "v2", h + 100n))).slice(0, 2)).toEqual(["upgrade", 18]);
    expect((await refused(e, 2, um.withdraw(e.addr(2), "v2"))).slice(0, 2)).toEqual(["upgrade", 16]);
  });

  test("an approval may cite an existing coordination case", async () => {
    const e = await upgradeEnv({ members: 3, upgradeParams: ON });
    await e.ok(e.acct(1), [cm.open(e.addr(1), items("fix"), 1)]);
    const caseId = e.coord.peekId(e.ctx(), 0x02) - 1n;
    const H = e.chain.height + 50n;
    await approve(e, 1, um.preApprove(e.addr(1), "v2", H, { caseId }));
    const r = await approve(e, 2, um.preApprove(e.addr(2), "v2", H, { caseId }));
    expect(r.scheduled).toBe(true);
    expect(e.upgrade.scheduledPlan(e.ctx())?.caseId).toBe(caseId);
  });

  test("a suspended member (9) and a frozen group (10) are refused", async () => {
    const e = await upgradeEnv({ members: 3, upgradeParams: ON });
    await e.ok(e.acct(1), [dm.suspend(e.addr(1), e.addr(3))]);
    expect(e.keeper.isSuspended(e.ctx(), e.addr(3))).toBe(true);
    expect((await refused(e, 3, um.preApprove(e.addr(3), "v2", e.chain.height + 100n))).slice(0, 2)).toEqual(["upgrade", 9]);
    // A disband proposal pending: every member's approval is refused.
    const p = await e.proposal([anyOf("MsgDisbandGroup", { authority: GOV, reason: "collusion" })], { vote: "none", skipEnd: true });
    expect(p.submit.code).toBe(0);
    expect((await refused(e, 1, um.preApprove(e.addr(1), "v2", e.chain.height + 100n))).slice(0, 2)).toEqual(["upgrade", 10]);
  });

  test("withdrawn approvals and approvals of members who lost their seat stop counting", async () => {
    const e = await upgradeEnv({ members: 3, upgradeParams: { ...ON, preapproval_quorum: "1" } });
    const H = e.chain.height + 60n;
    await approve(e, 1, um.preApprove(e.addr(1), "v2", H));
    expect(await approve(e, 2, um.preApprove(e.addr(2), "v2", H))).toEqual({ approvals: 2, needed: 3, scheduled: false });
    const w = await e.ok(e.acct(2), [um.withdraw(e.addr(2), "v2")]);
    expect(upgradeEvents(w.events, "EventPreApprovalWithdrawn")).toEqual([{ member: e.addr(2), name: "v2" }]);
    expect(approvals(e, "v2").approvals.map((a) => a.member)).toEqual([e.addr(1)]);
    // Member 1 leaves the group: its stored approval no longer counts (and the quorum shrinks to 2).
    await e.ok(e.acct(1), [dm.leave(e.addr(1))]);
    expect(approvals(e, "v2")).toMatchObject({ needed: 2, activeMembers: 2 });
    expect(await approve(e, 2, um.preApprove(e.addr(2), "v2", H))).toEqual({ approvals: 1, needed: 2, scheduled: false });
    expect(await approve(e, 3, um.preApprove(e.addr(3), "v2", H))).toEqual({ approvals: 2, needed: 2, scheduled: true });
  });

  test("governance cancels a dCERT plan before its height; the dCERT can never approve that name again, governance still can", async () => {
    const e = await upgradeEnv({ members: 3, upgradeParams: ON });
    const H = e.chain.height + 40n;
    await approve(e, 1, um.preApprove(e.addr(1), "v2", H));
    await approve(e, 2, um.preApprove(e.addr(2), "v2", H));
    expect(e.upgrade.scheduledPlan(e.ctx())?.source).toBe(PlanSource.PLAN_SOURCE_DCERT);
    expect((await e.proposal([cancelUpgradeAny()])).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(e.upgrade.scheduledPlan(e.ctx())).toBeUndefined();
    expect(approvals(e)).toMatchObject({ approvals: [], cancelledNames: ["v2"] });
    expect((await refused(e, 3, um.preApprove(e.addr(3), "v2", H + 20n))).slice(0, 2)).toEqual(["upgrade", 12]);
    e.advanceTo(H + 1n);
    expect(e.upgrade.appliedHeight(e.ctx(), "v2")).toBeUndefined();
    // Governance may still schedule the name.
    expect((await e.proposal([softwareUpgradeAny("v2", e.chain.height + 30n)])).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(e.upgrade.scheduledPlan(e.ctx())?.source).toBe(PlanSource.PLAN_SOURCE_GOVERNANCE);
  });

  test("governance enables pre-approval with MsgUpdateParams; invalid params are refused (17)", async () => {
    const e = await upgradeEnv({ members: 3 });
    const update = (params: Record<string, unknown>) => ({ typeUrl: "/dcert.upgrade.v1.MsgUpdateParams", value: { authority: e.addr(4), params } });
    const bad = await e.code(4, [update({ preapprovalEnabled: true, preapprovalQuorum: "1.5", preapprovalMinDelayBlocks: 5n })]);
    expect(bad !== "ok" && [bad[0], bad[1]]).toEqual(["upgrade", 17]);
    const notGov = await e.code(4, [update({ preapprovalEnabled: true, preapprovalQuorum: "0.5", preapprovalMinDelayBlocks: 5n })]);
    expect(notGov !== "ok" && [notGov[0], notGov[1]]).toEqual(["upgrade", 2]);
    const msg = MsgUpdateParams.fromPartial({ authority: GOV, params: { preapprovalEnabled: true, preapprovalQuorum: "0.5", preapprovalMinDelayBlocks: 5n } });
    expect((await e.proposal([{ typeUrl: "/dcert.upgrade.v1.MsgUpdateParams", value: MsgUpdateParams.encode(msg).finish() }])).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(e.upgrade.params(e.ctx())).toEqual(msg.params);
    expect(await e.code(1, [um.preApprove(e.addr(1), "v2", e.chain.height + 100n)])).toBe("ok");
  });

  test("the upgrade genesis section round-trips: export → InitChain → export", async () => {
    const e = await upgradeEnv({ members: 3, upgradeParams: ON });
    await approve(e, 1, um.preApprove(e.addr(1), "v3", e.chain.height + 100n, { info: "later" }));
    expect((await e.proposal([softwareUpgradeAny("v2", e.chain.height + 50n, "now")])).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    const exported = e.app.exportGenesis()["upgrade"] as Record<string, unknown>;
    expect(exported["plan"]).toMatchObject({ name: "v2", source: "PLAN_SOURCE_GOVERNANCE" });
    expect(exported["pre_approvals"]).toHaveLength(1);
    expect((exported["module_versions"] as unknown[]).length).toBe(e.app.modules.length);
    const again = testChain({ accounts: [{ address: e.addr(0), amount: 10_000_000_000n }], editGenesis: (state) => (state["upgrade"] = JSON.parse(JSON.stringify(exported)) as unknown) });
    expect(again.app.exportGenesis()["upgrade"]).toEqual(exported);
  });
});
