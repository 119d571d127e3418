/** Coord params, the module table and the status table. */
import { CaseStatus, EmbargoState } from "../../../src/generated/coord/v1/types";
import { createApp } from "../../../src/app/node";
import { MemoryCommitStore } from "../../../src/baseapp/store/memory";
import { COORD_MODULE_TABLE, isTransitionAllowed, isValidCaseState } from "../../../src/x/coord/keeper/keeper";
import { defaultCoordParams, devnetCoordParams, validateCoordParams } from "../../../src/x/coord/keeper/params";
import { quorumNeeded } from "../../../src/x/coord/keeper/revisions";

const code = (f: () => void): number | "ok" => {
  try {
    f();
    return "ok";
  } catch (e) {
    return (e as { code?: number }).code ?? -1;
  }
};

describe("coord params", () => {
  test("defaults and devnet params are valid, with the documented level timelines", () => {
    validateCoordParams(defaultCoordParams());
    validateCoordParams(devnetCoordParams());
    const h = 3600n;
    expect(defaultCoordParams().levels.map((l) => [l.embargoSeconds, l.contactLeadSeconds, l.finalizeLeadSeconds, l.revealWindowSeconds, l.followUpSeconds])).toEqual([
      [336n * h, 48n * h, 24n * h, 24n * h, 24n * h],
      [72n * h, 48n * h, 24n * h, 6n * h, 24n * h],
      [12n * h, 12n * h, 4n * h, 1n * h, 24n * h],
    ]);
  });

  test("every invalid field is coord:39", () => {
    const p = defaultCoordParams();
    const bad = [
      { ...p, levels: p.levels.slice(0, 2) },
      { ...p, levels: [p.levels[1]!, p.levels[0]!, p.levels[2]!] },
      { ...p, revisionQuorum: "0" },
      { ...p, revisionQuorum: "1000000000000000001" },
      { ...p, revisionQuorum: "0.5" },
      { ...p, minEmbargoSeconds: 0n },
      { ...p, maxEmbargoSeconds: 1n },
      { ...p, partyDeposit: undefined },
      { ...p, partyDeposit: { denom: "udcert", amount: "-1" } },
      { ...p, maxNoticeBytes: 10 },
      { ...p, nominalBlockSeconds: 0n },
      { ...p, advisoryIdPrefix: "dcert" },
      { ...p, disclosureCheckBatch: 0 },
      { ...p, disclosureCheckBatch: 10_001 },
      { ...p, levels: p.levels.map((l) => ({ ...l, finalizeLeadSeconds: l.contactLeadSeconds + 1n })) },
    ];
    for (const b of bad) expect(code(() => validateCoordParams(b))).toBe(39);
  });

  test("disclosure_check_batch: 150 by default and on devnet, 1 to 10000", () => {
    expect(defaultCoordParams().disclosureCheckBatch).toBe(150);
    expect(devnetCoordParams().disclosureCheckBatch).toBe(150);
    for (const n of [1, 10_000]) expect(() => validateCoordParams({ ...defaultCoordParams(), disclosureCheckBatch: n })).not.toThrow();
    expect(() => validateCoordParams({ ...defaultCoordParams(), disclosureCheckBatch: 0 })).toThrow(/disclosure_check_batch must be an integer between 1 and 10000, got 0/);
  });

  test("revision quorum: max(1, ceil(q × n)) in fixed point", () => {
    const half = 10n ** 18n / 2n;
    expect([0, 1, 2, 3, 4, 7].map((n) => quorumNeeded(half, n))).toEqual([1, 1, 1, 2, 2, 4]);
    expect(quorumNeeded(10n ** 18n, 5)).toBe(5);
  });

  test("the module table names exactly the proto packages the router serves", () => {
    const app = createApp({ store: new MemoryCommitStore() });
    const served = new Set(app.router.typeUrls().map((u) => u.slice(1, u.lastIndexOf("."))));
    const tabled = new Set([...COORD_MODULE_TABLE.values()].flat());
    for (const pkg of served) expect(tabled.has(pkg)).toBe(true);
    for (const pkg of tabled) if (pkg !== "cosmos.gov.v1beta1") expect(served.has(pkg)).toBe(true);
  });

  test("the status table: the documented pairs only", () => {
    expect(isValidCaseState(CaseStatus.CASE_STATUS_OPEN, EmbargoState.EMBARGO_STATE_EXITED)).toBe(false);
    expect(isValidCaseState(CaseStatus.CASE_STATUS_DISCLOSED, EmbargoState.EMBARGO_STATE_ACTIVE)).toBe(false);
    expect(isTransitionAllowed([CaseStatus.CASE_STATUS_CLOSED, EmbargoState.EMBARGO_STATE_EXITED], [CaseStatus.CASE_STATUS_OPEN, EmbargoState.EMBARGO_STATE_ACTIVE])).toBe(false);
    expect(isTransitionAllowed([CaseStatus.CASE_STATUS_OPEN, EmbargoState.EMBARGO_STATE_PROPOSED], [CaseStatus.CASE_STATUS_OVERDUE, EmbargoState.EMBARGO_STATE_PROPOSED])).toBe(false);
    expect(isTransitionAllowed([CaseStatus.CASE_STATUS_OVERDUE, EmbargoState.EMBARGO_STATE_REVISED], [CaseStatus.CASE_STATUS_OPEN, EmbargoState.EMBARGO_STATE_ACTIVE])).toBe(true);
  });
});
