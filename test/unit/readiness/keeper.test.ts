/**
 * ReadinessKeeper over a real store: the tally with a scheduled plan (records, events, thresholds
 * at the exact boundaries), twoThirdsReady (crossed or applied), the Readiness/Builds queries and
 * the readiness genesis (validate, init, export).
 */
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { blockContext, type Context } from "../../../src/baseapp/context";
import { EventManager } from "../../../src/baseapp/events";
import { MsgRouter, QueryRouter, registrarFor } from "../../../src/baseapp/router";
import { MemoryCommitStore } from "../../../src/baseapp/store/memory";
import type { CheckedCommit } from "../../../src/baseapp/voteext";
import { QueryBuildsResponse, QueryReadinessRequest, QueryReadinessResponse } from "../../../src/generated/dcert/upgrade/v1/query";
import { PlanSource, ReadinessExtension } from "../../../src/generated/dcert/upgrade/v1/types";
import { setApplied, setScheduledPlan, deleteScheduledPlan } from "../../../src/x/upgrade/keeper/store";
import {
  exportReadinessGenesis,
  initReadinessGenesis,
  ReadinessKeeper,
  registerReadinessQueries,
  validateReadinessGenesis,
} from "../../../src/x/upgrade/readiness";

const ext = (handlers: string[], hashByte = 1): Uint8Array =>
  ReadinessExtension.encode({ appVersion: "0.1.0", buildHash: Buffer.alloc(32, hashByte), upgradeHandlers: handlers }).finish();

function ctxAt(height: bigint): Context {
  return blockContext(new MemoryCommitStore().branch(), { chainId: "c", height, time: { seconds: 0n, nanos: 0 }, proposer: new Uint8Array() }, "finalize");
}

/** `ready` of `n` equal validators (power 1) hold the v2 handler. */
function commit(height: bigint, ready: number, n: number): CheckedCommit {
  return {
    height,
    round: 0,
    votes: Array.from({ length: n }, (_, i) => ({
      address: new Uint8Array(20).fill(i),
      power: 1n,
      blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
      extension: i < ready ? ext(["v2"], 2) : ext([], 1),
    })),
  };
}

const events = (ctx: Context) => ctx.events.events().map((e) => [e.type, Object.fromEntries(e.attributes.map((a) => [a.key, a.value]))]);

describe("ReadinessKeeper.tally", () => {
  test("with no plan only the build tally is stored", () => {
    const ctx = ctxAt(5n);
    const k = new ReadinessKeeper();
    k.tally(ctx, commit(4n, 1, 2));
    expect(k.builds(ctx)?.builds.length).toBe(2);
    expect(k.planReadiness(ctx, "v2")).toBeUndefined();
    expect(ctx.events.events()).toEqual([]);
  });

  test("2 of 4 validators ready: 50%, crosses 1/3 not 2/3; a third crosses 2/3; 1 of 3 is not > 1/3", () => {
    const ctx = ctxAt(10n);
    const k = new ReadinessKeeper();
    setScheduledPlan(ctx, { name: "v2", height: 100n, info: "", source: PlanSource.PLAN_SOURCE_GOVERNANCE, binarySha256: "", caseId: 0n, scheduledAt: 3n });
    k.tally(ctx, commit(9n, 1, 3));
    expect(k.planReadiness(ctx, "v2")).toMatchObject({ readyPower: 1n, totalPower: 3n, oneThirdHeight: 0n, twoThirdsHeight: 0n });
    expect(events(ctx)).toEqual([["dcert.upgrade.v1.EventReadiness", { height: '"9"', plan_name: '"v2"', ready_power: '"1"', total_power: '"3"' }]]);

    const ctx2 = ctx.with({ events: new EventManager() });
    k.tally(ctx2, commit(10n, 2, 4));
    expect(k.planReadiness(ctx2, "v2")).toMatchObject({ height: 10n, readyPower: 2n, totalPower: 4n, oneThirdHeight: 10n, twoThirdsHeight: 0n });
    expect(events(ctx2).map(([t, a]) => [t, (a as Record<string, string>)["threshold"]])).toEqual([
      ["dcert.upgrade.v1.EventReadiness", undefined],
      ["dcert.upgrade.v1.EventReadinessThreshold", '"1/3"'],
    ]);
    expect(k.twoThirdsReady(ctx2, "v2")).toBe(false);

    const ctx3 = ctx.with({ events: new EventManager() });
    k.tally(ctx3, commit(11n, 2, 4)); // unchanged: no event
    expect(ctx3.events.events()).toEqual([]);
    k.tally(ctx3, commit(12n, 3, 4));
    expect(k.planReadiness(ctx3, "v2")).toMatchObject({ oneThirdHeight: 10n, twoThirdsHeight: 12n });
    expect(k.twoThirdsReady(ctx3, "v2")).toBe(true);

    // Applied: the plan is gone, its last record stays, and it counts as ready.
    deleteScheduledPlan(ctx3);
    setApplied(ctx3, "v2", 100n);
    k.tally(ctx3, commit(13n, 0, 4));
    expect(k.planReadiness(ctx3, "v2")).toMatchObject({ height: 12n, readyPower: 3n });
    expect(k.twoThirdsReady(ctx3, "v2")).toBe(true);
    expect(k.twoThirdsReady(ctx3, "v9")).toBe(false);
  });

  test("an applied plan is ready even without a record", () => {
    const ctx = ctxAt(1n);
    setApplied(ctx, "v7", 5n);
    expect(new ReadinessKeeper().twoThirdsReady(ctx, "v7")).toBe(true);
  });
});

describe("Readiness and Builds queries", () => {
  const k = new ReadinessKeeper();
  const queries = new QueryRouter();
  registerReadinessQueries(registrarFor(new MsgRouter(), queries), k);
  const readiness = (ctx: Context, planName: string) =>
    QueryReadinessResponse.decode(queries.handle(ctx, "/dcert.upgrade.v1.Query/Readiness", QueryReadinessRequest.encode({ planName }).finish()));

  test("answer the scheduled plan, a named plan, applied heights and the build tally", () => {
    const ctx = ctxAt(3n);
    expect(() => readiness(ctx, "")).toThrow(/no upgrade plan is scheduled/);
    expect(() => readiness(ctx, "bad name")).toThrow(/not valid/);
    expect(readiness(ctx, "v2")).toEqual({ readiness: undefined, appliedHeight: 0n });
    setScheduledPlan(ctx, { name: "v2", height: 50n, info: "", source: PlanSource.PLAN_SOURCE_GOVERNANCE, binarySha256: "", caseId: 0n, scheduledAt: 1n });
    k.tally(ctx, commit(2n, 2, 2));
    expect(readiness(ctx, "").readiness).toMatchObject({ planName: "v2", readyPower: 2n, twoThirdsHeight: 2n });
    setApplied(ctx, "v1", 40n);
    expect(readiness(ctx, "v1").appliedHeight).toBe(40n);
    const b = QueryBuildsResponse.decode(queries.handle(ctx, "/dcert.upgrade.v1.Query/Builds", new Uint8Array()));
    expect(b.tally).toMatchObject({ height: 2n, totalPower: 2n, unknownPower: 0n });
  });
});

describe("readiness genesis", () => {
  test("export → validate → init → export round-trips", () => {
    const ctx = ctxAt(3n);
    const k = new ReadinessKeeper();
    setScheduledPlan(ctx, { name: "v2", height: 50n, info: "", source: PlanSource.PLAN_SOURCE_GOVERNANCE, binarySha256: "", caseId: 0n, scheduledAt: 1n });
    k.tally(ctx, commit(2n, 1, 2));
    const g = exportReadinessGenesis(ctx);
    expect(g.readiness.length).toBe(1);
    validateReadinessGenesis(g);
    const fresh = ctxAt(0n);
    initReadinessGenesis(fresh, g);
    expect(exportReadinessGenesis(fresh)).toEqual(g);
  });

  const rec = { planName: "v2", planHeight: 10n, height: 5n, readyPower: 1n, totalPower: 3n, oneThirdHeight: 0n, twoThirdsHeight: 0n };
  test.each([
    ["bad name", { ...rec, planName: "a b" }],
    ["ready > total", { ...rec, readyPower: 4n }],
    ["negative power", { ...rec, totalPower: -1n, readyPower: -1n }],
    ["2/3 before 1/3", { ...rec, oneThirdHeight: 0n, twoThirdsHeight: 4n }],
    ["threshold after the tallied height", { ...rec, oneThirdHeight: 6n }],
    ["plan height 0", { ...rec, planHeight: 0n }],
  ])("refuses a readiness record with %s", (_n, r) => {
    expect(() => validateReadinessGenesis({ readiness: [r], builds: undefined })).toThrow(/upgrade genesis/);
  });

  test("refuses duplicates and builds whose power does not add up", () => {
    expect(() => validateReadinessGenesis({ readiness: [rec, rec], builds: undefined })).toThrow(/twice/);
    const build = { buildHash: Buffer.alloc(32), appVersion: "0.1.0", upgradeHandlers: [], power: 2n, validators: 1 };
    expect(() => validateReadinessGenesis({ readiness: [], builds: { height: 1n, totalPower: 5n, unknownPower: 2n, builds: [build] } })).toThrow(/must equal/);
    expect(() => validateReadinessGenesis({ readiness: [], builds: { height: 1n, totalPower: 4n, unknownPower: 2n, builds: [build] } })).not.toThrow();
    expect(() =>
      validateReadinessGenesis({ readiness: [], builds: { height: 1n, totalPower: 4n, unknownPower: 2n, builds: [{ ...build, buildHash: Buffer.alloc(3) }] } }),
    ).toThrow(/build_hash/);
  });
});
