/**
 * Governance upgrade plans end to end on an in-process chain: a proposal schedules plan `v2`, the
 * build's handler runs at the plan's height before the block's txs (restoring broken routes), the
 * plan is recorded as applied and cleared; a build without the handler halts at exactly that height
 * with nothing committed, and the same store continues under a build that has it. Also every
 * governance refusal, replacement, cancellation and the accountability of the upgrade messages.
 */
import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import {
  QueryAppliedPlanRequest,
  QueryAppliedPlanResponse,
  QueryAuthorityRequest,
  QueryAuthorityResponse,
  QueryCurrentPlanRequest,
  QueryCurrentPlanResponse,
  QueryModuleVersionsRequest,
  QueryModuleVersionsResponse,
} from "cosmjs-types/cosmos/upgrade/v1beta1/query";
import { MsgSoftwareUpgrade } from "cosmjs-types/cosmos/upgrade/v1beta1/tx";
import { Plan } from "cosmjs-types/cosmos/upgrade/v1beta1/upgrade";
import { toHex } from "../../src/baseapp/encoding";
import { ChainError } from "../../src/baseapp/errors";
import { QueryScheduledPlanRequest, QueryScheduledPlanResponse } from "../../src/generated/dcert/upgrade/v1/query";
import { PlanSource } from "../../src/generated/dcert/upgrade/v1/types";
import { UpgradeNeededError } from "../../src/x/upgrade/halt";
import { typedEvents } from "./dcert-harness";
import { buildWith, cancelUpgradeAny, GOV, SEND, softwareUpgradeAny, um, type UpgradeEnv, upgradeEnv, upgradeEvents } from "./upgrade-harness";

jest.setTimeout(60_000);

function codeOf(f: () => unknown): [string, number] | "ok" {
  try {
    f();
    return "ok";
  } catch (e) {
    if (e instanceof ChainError) return [e.codespace, e.code];
    throw e;
  }
}

function query<Req, Res>(e: UpgradeEnv, path: string, req: { encode(m: Req): { finish(): Uint8Array } }, value: Req, res: { decode(b: Uint8Array): Res }): Res {
  const r = e.app.query({ path, data: req.encode(value).finish(), height: 0n, prove: false });
  if (r.code !== 0) throw new Error(`query ${path} failed (${r.codespace}:${r.code}): ${r.log}`);
  return res.decode(r.value);
}

const currentPlan = (e: UpgradeEnv) => query(e, "/cosmos.upgrade.v1beta1.Query/CurrentPlan", QueryCurrentPlanRequest, {}, QueryCurrentPlanResponse).plan;
const appliedAt = (e: UpgradeEnv, name: string) => query(e, "/cosmos.upgrade.v1beta1.Query/AppliedPlan", QueryAppliedPlanRequest, { name }, QueryAppliedPlanResponse).height;
const scheduled = (e: UpgradeEnv) => query(e, "/dcert.upgrade.v1.Query/ScheduledPlan", QueryScheduledPlanRequest, {}, QueryScheduledPlanResponse).plan;

/** Breaks MsgSend (member 1) and checks a send now fails with dcert:50. */
async function breakSend(e: UpgradeEnv): Promise<void> {
  expect(await e.code(1, [um.breakRoutes(e.addr(1), [SEND])])).toBe("ok");
  const r = await e.code(4, [um.send(e.addr(4), e.addr(5), 1n)]);
  expect(r !== "ok" && [r[0], r[1]]).toEqual(["dcert", 50]);
}

async function scheduleByGov(e: UpgradeEnv, name: string, height: bigint): Promise<void> {
  const p = await e.proposal([softwareUpgradeAny(name, height, `{"binaries":{}}`)]);
  expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
}

describe("a governance plan", () => {
  test("schedules v2; at its height the handler restores the routes before the block's txs; applied, cleared, versions kept", async () => {
    const e = await upgradeEnv({ members: 2 });
    await breakSend(e);
    const H = e.chain.height + 8n;
    await scheduleByGov(e, "v2", H);
    expect(currentPlan(e)).toEqual(Plan.fromPartial({ name: "v2", height: H, info: `{"binaries":{}}` }));
    expect(scheduled(e)).toMatchObject({ name: "v2", height: H, source: PlanSource.PLAN_SOURCE_GOVERNANCE });
    e.advanceTo(H - 1n);
    // Still broken one block before.
    expect(e.keeper.brokenRoutes(e.ctx()).map((r) => r.route)).toEqual([SEND]);
    const res = e.block([await e.sign(e.acct(4), [um.send(e.addr(4), e.addr(5), 7n)])]);
    expect(e.chain.height).toBe(H);
    expect(res.txResults[0]?.code).toBe(0);
    const applied = upgradeEvents(res.events, "EventUpgradeApplied");
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({ name: "v2", height: H.toString() });
    expect(typedEvents(res.events, "EventCircuitRestored")).toEqual([{ routes: [SEND], upgrade: "v2" }]);
    // PreBlock events come first, in the BeginBlock phase.
    const appliedEvent = res.events.find((ev) => ev.type === "dcert.upgrade.v1.EventUpgradeApplied");
    expect(appliedEvent?.attributes.find((a) => a.key === "mode")?.value).toBe("BeginBlock");
    // The handler's event, then the module's: before any BeginBlock event of the block.
    expect(res.events.slice(0, 2).map((ev) => ev.type)).toEqual(["dcert.v1.EventCircuitRestored", "dcert.upgrade.v1.EventUpgradeApplied"]);
    expect(e.keeper.brokenRoutes(e.ctx())).toEqual([]);
    expect(appliedAt(e, "v2")).toBe(H);
    expect(currentPlan(e)).toBeUndefined();
    expect(scheduled(e)).toBeUndefined();
    const versions = query(e, "/cosmos.upgrade.v1beta1.Query/ModuleVersions", QueryModuleVersionsRequest, { moduleName: "" }, QueryModuleVersionsResponse).moduleVersions;
    expect(versions.map((v) => v.name)).toEqual(["auth", "bank", "coord", "dcert", "distribution", "evidence", "genutil", "gov", "mint", "slashing", "staking", "upgrade"]);
    expect(versions.every((v) => v.version === 1n)).toBe(true);
    expect(query(e, "/cosmos.upgrade.v1beta1.Query/ModuleVersions", QueryModuleVersionsRequest, { moduleName: "bank" }, QueryModuleVersionsResponse).moduleVersions).toEqual([{ name: "bank", version: 1n }]);
    expect(query(e, "/cosmos.upgrade.v1beta1.Query/Authority", QueryAuthorityRequest, {}, QueryAuthorityResponse).address).toBe(GOV);
    // A name is applied once: scheduling v2 again fails (upgrade:5), through governance too.
    expect(codeOf(() => e.upgrade.scheduleByGovernance(e.ctx(), GOV, Plan.fromPartial({ name: "v2", height: e.chain.height + 10n })))).toEqual(["upgrade", 5]);
    const again = await e.proposal([softwareUpgradeAny("v2", e.chain.height + 20n)]);
    expect(again.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(currentPlan(e)).toBeUndefined();
  });

  test("a build without the handler halts at exactly the plan height with nothing committed; the same store goes on under a build with it", async () => {
    const e = await upgradeEnv({ members: 2 });
    await breakSend(e);
    const H = e.chain.height + 8n;
    await scheduleByGov(e, "v2", H);
    // The node runs an old binary (no handlers): it executes every block before H normally.
    const old = e.restart(buildWith([]));
    old.advanceTo(H - 1n);
    const hashBefore = toHex(old.chain.store.lastAppHash);
    const tx = await old.sign(old.acct(4), [um.send(old.addr(4), old.addr(5), 7n)]);
    expect(() => old.chain.block([tx])).toThrow(UpgradeNeededError);
    expect(() => old.chain.block([tx])).toThrow(`UPGRADE NEEDED: "v2" at height ${H}; install the binary for it`);
    expect(old.chain.store.lastHeight).toBe(H - 1n);
    expect(toHex(old.chain.store.lastAppHash)).toBe(hashBefore);
    expect(old.upgrade.scheduledPlan(old.ctx())?.name).toBe("v2");
    expect(old.keeper.brokenRoutes(old.ctx()).map((r) => r.route)).toEqual([SEND]);
    // The operator installs the v2 binary: block H runs, handler first.
    const neu = old.restart(buildWith(["v2"]));
    expect(neu.chain.height).toBe(H - 1n);
    const res = neu.block([tx]);
    expect(res.txResults[0]?.code).toBe(0);
    expect(neu.chain.store.lastHeight).toBe(H);
    expect(neu.upgrade.appliedHeight(neu.ctx(), "v2")).toBe(H);
    expect(neu.keeper.brokenRoutes(neu.ctx())).toEqual([]);
    neu.block();
    expect(neu.chain.store.lastHeight).toBe(H + 1n);
  });

  test("a handler the build carries never runs for a plan that was never scheduled", async () => {
    const e = await upgradeEnv({ members: 2 });
    await breakSend(e);
    for (let i = 0; i < 5; i++) expect(upgradeEvents(e.block().events, "EventUpgradeApplied")).toEqual([]);
    expect(e.keeper.brokenRoutes(e.ctx()).map((r) => r.route)).toEqual([SEND]);
    expect(appliedAt(e, "v2")).toBe(0n);
    // A plan of another name at its height: this build (which has only v2) halts rather than run v2.
    const H = e.chain.height + 8n;
    await scheduleByGov(e, "v3", H);
    e.advanceTo(H - 1n);
    expect(() => e.block()).toThrow(`UPGRADE NEEDED: "v3"`);
    expect(e.keeper.brokenRoutes(e.ctx()).map((r) => r.route)).toEqual([SEND]);
  });

  test("refusals: non-gov authority (2), invalid plan (3), past height (4), cancel without plan (6)", async () => {
    const e = await upgradeEnv({ members: 1 });
    const h = e.chain.height;
    const r2 = await e.code(4, [um.softwareUpgrade(e.addr(4), "v3", h + 100n)]);
    expect(r2 !== "ok" && [r2[0], r2[1]]).toEqual(["upgrade", 2]);
    expect(r2 !== "ok" && r2[2]).toContain("governance proposal");
    const rc = await e.code(4, [um.cancel(e.addr(4))]);
    expect(rc !== "ok" && [rc[0], rc[1]]).toEqual(["upgrade", 2]);
    for (const name of ["", "bad name", "-v3", "v".repeat(141), "v3/x"]) {
      const r3 = await e.code(4, [um.softwareUpgrade(e.addr(4), name, h + 100n)]);
      expect(r3 !== "ok" && [r3[0], r3[1]]).toEqual(["upgrade", 3]);
    }
    const timed = await e.code(4, [{ typeUrl: "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", value: MsgSoftwareUpgrade.fromPartial({ authority: e.addr(4), plan: { name: "v3", height: h + 100n, time: { seconds: 1_800_000_000n, nanos: 0 } } }) }]);
    expect(timed !== "ok" && [timed[0], timed[1]]).toEqual(["upgrade", 3]);
    const info = await e.code(4, [{ typeUrl: "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", value: MsgSoftwareUpgrade.fromPartial({ authority: e.addr(4), plan: { name: "v3", height: h + 100n, info: "x".repeat(2049) } }) }]);
    expect(info !== "ok" && [info[0], info[1]]).toEqual(["upgrade", 3]);
    const ctx = e.ctx();
    expect(codeOf(() => e.upgrade.scheduleByGovernance(ctx, GOV, Plan.fromPartial({ name: "v3", height: ctx.block.height })))).toEqual(["upgrade", 4]);
    expect(codeOf(() => e.upgrade.scheduleByGovernance(ctx, GOV, Plan.fromPartial({ name: "v3", height: ctx.block.height - 1n })))).toEqual(["upgrade", 4]);
    expect(codeOf(() => e.upgrade.scheduleByGovernance(ctx, GOV, Plan.fromPartial({ name: "v3", height: ctx.block.height + 1n })))).toBe("ok");
    expect(codeOf(() => e.upgrade.cancelByGovernance(e.ctx(), GOV))).toEqual(["upgrade", 6]);
    // Through governance: a plan at a past height and a cancel without plan make the proposal fail.
    expect((await e.proposal([softwareUpgradeAny("v3", 2n)])).status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect((await e.proposal([cancelUpgradeAny()])).status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(currentPlan(e)).toBeUndefined();
  });

  test("a new governance plan replaces the current one; governance cancels it", async () => {
    const e = await upgradeEnv({ members: 1 });
    await scheduleByGov(e, "v2", e.chain.height + 50n);
    const H3 = e.chain.height + 60n;
    const p = await e.proposal([softwareUpgradeAny("v3", H3)], { skipEnd: true });
    const res = e.block([], 100n);
    expect(upgradeEvents(res.events, "EventUpgradeCancelled")).toEqual([{ name: "v2", height: expect.any(String), source: "PLAN_SOURCE_GOVERNANCE" }]);
    expect(upgradeEvents(res.events, "EventUpgradeScheduled")).toMatchObject([{ name: "v3", height: H3.toString(), source: "PLAN_SOURCE_GOVERNANCE" }]);
    expect(p.id).toBeGreaterThan(0n);
    expect(currentPlan(e)?.name).toBe("v3");
    expect((await e.proposal([cancelUpgradeAny()])).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(currentPlan(e)).toBeUndefined();
    // A governance plan's name is not recorded as cancelled (only dCERT plans are).
    expect(e.upgrade.cancelledNames(e.ctx())).toEqual([]);
    // Nothing happens at the old heights.
    e.advanceTo(H3 + 1n);
    expect(appliedAt(e, "v3")).toBe(0n);
  });

  test("the group can never break MsgSoftwareUpgrade or MsgCancelUpgrade (dcert:56); a plan proposal passes with gov routes broken", async () => {
    const e = await upgradeEnv({ members: 2 });
    for (const route of ["/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", "/cosmos.upgrade.v1beta1.MsgCancelUpgrade"]) {
      const r = await e.code(1, [um.breakRoutes(e.addr(1), [route])]);
      expect(r !== "ok" && [r[0], r[1]]).toEqual(["dcert", 56]);
    }
    expect(await e.code(1, [um.breakRoutes(e.addr(1), ["/cosmos.upgrade.v1beta1.*", "/cosmos.gov.v1.*"])])).toBe("ok");
    await scheduleByGov(e, "v2", e.chain.height + 50n);
    expect(currentPlan(e)?.name).toBe("v2");
    expect((await e.proposal([cancelUpgradeAny()])).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(currentPlan(e)).toBeUndefined();
  });
});
