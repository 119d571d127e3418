/**
 * The pure rules of the upgrade module: plan names, info and binary hashes (shared with clients),
 * the quorum arithmetic, params, genesis validation and round trip, and the amino converters.
 */
import fc from "fast-check";
import { createUpgradeAminoConverters } from "../../../src/types/upgrade/aminomessages";
import { UPGRADE_TYPE_URLS, upgradeTypes } from "../../../src/types/upgrade/messages";
import { binarySha256Error, isValidPlanName, planInfoError } from "../../../src/types/upgrade/names";
import { DEC_ONE } from "../../../src/baseapp/coins";
import { ChainError } from "../../../src/baseapp/errors";
import { GenesisState } from "../../../src/generated/dcert/upgrade/v1/genesis";
import { PlanSource } from "../../../src/generated/dcert/upgrade/v1/types";
import { defaultUpgradeGenesisJson, parseUpgradeGenesis, upgradeGenesisToJson, validateUpgradeGenesis } from "../../../src/x/upgrade/genesis";
import { defaultUpgradeParams, neededApprovals, parseQuorum, validateUpgradeParams } from "../../../src/x/upgrade/params";
import { validatePlan } from "../../../src/x/upgrade/validate";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";

const NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
const GOV = moduleAccountAddress("gov");

describe("plan names", () => {
  test("valid names are 1–140 chars of [A-Za-z0-9._-] starting with a letter or digit (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 160 }), (s) => {
        const expected = s.length >= 1 && s.length <= 140 && /^[A-Za-z0-9]/.test(s) && [...s].every((c) => NAME_CHARS.includes(c));
        expect(isValidPlanName(s)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...NAME_CHARS), minLength: 0, maxLength: 139 }), fc.constantFrom(..."aZ09"), (rest, first) => {
        expect(isValidPlanName(first + rest)).toBe(true);
      }),
    );
    for (const bad of ["", ".v2", "_v2", "-v2", "v 2", "v2/..", "ü", "v".repeat(141)]) expect(isValidPlanName(bad)).toBe(false);
    expect(isValidPlanName("v".repeat(140))).toBe(true);
  });

  test("info is at most 2048 UTF-8 bytes", () => {
    expect(planInfoError("x".repeat(2048))).toBeUndefined();
    expect(planInfoError("é".repeat(1025))).toContain("2050 bytes");
  });

  test("a binary hash is exactly 64 lowercase hex characters (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (s) => {
        expect(binarySha256Error(s) === undefined).toBe(/^[0-9a-f]{64}$/.test(s));
      }),
    );
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (b) => expect(binarySha256Error(Buffer.from(b).toString("hex"))).toBeUndefined()));
  });

  test("a plan with a time or a non-positive height is refused (upgrade:3)", () => {
    const code = (f: () => unknown) => {
      try {
        f();
        return "ok";
      } catch (e) {
        return e instanceof ChainError ? `${e.codespace}:${e.code}` : "other";
      }
    };
    const plan = { name: "v2", height: 10n, info: "", time: { seconds: 0n, nanos: 0 } };
    expect(code(() => validatePlan(plan))).toBe("ok");
    expect(code(() => validatePlan({ ...plan, time: { seconds: -62135596800n, nanos: 0 } }))).toBe("ok");
    expect(code(() => validatePlan({ ...plan, time: { seconds: 5n, nanos: 0 } }))).toBe("upgrade:3");
    expect(code(() => validatePlan({ ...plan, height: 0n }))).toBe("upgrade:3");
    expect(code(() => validatePlan(undefined))).toBe("upgrade:3");
    expect(code(() => validatePlan({ ...plan, upgradedClientState: { typeUrl: "/x", value: new Uint8Array() } }))).toBe("upgrade:3");
  });
});

describe("quorum", () => {
  test("needed = ceil(quorum × active), at least 1, exact in bigint (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: DEC_ONE }), fc.integer({ min: 0, max: 10_000 }), (q, n) => {
        const needed = neededApprovals(q, n);
        expect(needed).toBeGreaterThanOrEqual(1);
        expect(needed).toBeLessThanOrEqual(Math.max(1, n));
        // needed approvals reach the fraction; one fewer does not (unless needed is the floor of 1).
        expect(BigInt(needed) * DEC_ONE >= q * BigInt(n)).toBe(true);
        if (needed > 1) expect(BigInt(needed - 1) * DEC_ONE < q * BigInt(n)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(neededApprovals(parseQuorum("0.5"), 3)).toBe(2);
    expect(neededApprovals(parseQuorum("1"), 3)).toBe(3);
    // 0.666666666666666667 is a hair above 2/3: with 3 members it would need all 3.
    expect(neededApprovals(parseQuorum("0.666666666666666667"), 3)).toBe(3);
    expect(neededApprovals(parseQuorum("0.666666666666666667"), 4)).toBe(3);
    // The default, 2/3 rounded down, needs exactly ceil(2n/3) of n.
    const q = parseQuorum(defaultUpgradeParams().preapprovalQuorum);
    for (let n = 1; n <= 300; n++) expect(neededApprovals(q, n)).toBe(Math.ceil((2 * n) / 3));
    expect(neededApprovals(parseQuorum("0.5"), 0)).toBe(1);
  });

  test("the quorum param is a canonical decimal in (0, 1] (upgrade:17)", () => {
    for (const bad of ["0", "1.000000000000000001", "", "0.5.", ".5", "-0.1", "1e-1", "0.1234567890123456789"]) {
      expect(() => validateUpgradeParams({ preapprovalEnabled: true, preapprovalQuorum: bad, preapprovalMinDelayBlocks: 1n })).toThrow(ChainError);
    }
    expect(() => validateUpgradeParams({ preapprovalEnabled: true, preapprovalQuorum: "0.000000000000000001", preapprovalMinDelayBlocks: 0n })).not.toThrow();
  });
});

describe("genesis", () => {
  const member = moduleAccountAddress("someone");
  const full = GenesisState.fromPartial({
    params: { preapprovalEnabled: true, preapprovalQuorum: "0.5", preapprovalMinDelayBlocks: 7n },
    plan: { name: "v3", height: 500n, info: "i", source: PlanSource.PLAN_SOURCE_DCERT, binarySha256: "a".repeat(64), caseId: 4n, scheduledAt: 90n },
    applied: [{ name: "v2", height: 100n }],
    moduleVersions: [{ name: "bank", version: 2n }],
    preApprovals: [{ member, name: "v3", height: 500n, info: "i", binarySha256: "a".repeat(64), caseId: 4n, approvedAt: 80n }],
    cancelledNames: ["v1"],
  });

  test("JSON round-trips and validates", () => {
    const json = JSON.parse(JSON.stringify(upgradeGenesisToJson(full))) as unknown;
    const back = parseUpgradeGenesis(json);
    expect(back).toEqual(full);
    expect(() => validateUpgradeGenesis(back)).not.toThrow();
    expect(parseUpgradeGenesis(defaultUpgradeGenesisJson()).params?.preapprovalEnabled).toBe(false);
  });

  test.each([
    ["an unknown field", { bogus: 1 }, "unknown field"],
    ["a plan also applied", { plan: { name: "v2", height: "500", source: "PLAN_SOURCE_GOVERNANCE" } }, "also applied"],
    ["a plan without source", { plan: { name: "v9", height: "500" } }, "no source"],
    ["a duplicate applied plan", { applied: [{ name: "v2", height: "1" }, { name: "v2", height: "2" }] }, "twice"],
    ["version 0", { module_versions: [{ name: "bank", version: "0" }] }, "versions start at 1"],
    ["a bad cancelled name", { cancelled_names: ["bad name"] }, "cancelled_names"],
    ["a bad quorum", { params: { preapproval_enabled: true, preapproval_quorum: "2", preapproval_min_delay_blocks: "1" } }, "params"],
  ])("%s is refused", (_what, change, text) => {
    const json = { ...upgradeGenesisToJson(full), ...change };
    expect(() => validateUpgradeGenesis(parseUpgradeGenesis(json))).toThrow(text);
  });

  test("a governance plan may not carry a hash", () => {
    const g = { ...full, plan: { ...full.plan!, source: PlanSource.PLAN_SOURCE_GOVERNANCE } };
    expect(() => validateUpgradeGenesis(g)).toThrow("dCERT plans only");
    expect(GOV).toMatch(/^dcert1/);
  });
});

describe("amino", () => {
  const samples: Record<string, unknown> = {
    [UPGRADE_TYPE_URLS.softwareUpgrade]: { authority: GOV, plan: { name: "v2", time: { seconds: 0n, nanos: 0 }, height: 120n, info: "{}", upgradedClientState: undefined } },
    [UPGRADE_TYPE_URLS.cancelUpgrade]: { authority: GOV },
    [UPGRADE_TYPE_URLS.preApproveUpgrade]: { member: GOV, name: "v2", height: 120n, info: "x", binarySha256: "a".repeat(64), caseId: 3n },
    [UPGRADE_TYPE_URLS.withdrawPreApproval]: { member: GOV, name: "v2" },
    [UPGRADE_TYPE_URLS.updateParams]: { authority: GOV, params: { preapprovalEnabled: true, preapprovalQuorum: "0.5", preapprovalMinDelayBlocks: 9n } },
  };

  test("every message's amino form converts back to the same protobuf bytes", () => {
    const conv = createUpgradeAminoConverters();
    for (const [typeUrl, codec] of upgradeTypes) {
      const c = conv[typeUrl]!;
      const msg = (codec as unknown as { fromPartial(o: unknown): unknown }).fromPartial(samples[typeUrl]);
      const bytes = codec.encode(msg as never).finish();
      const amino = JSON.parse(JSON.stringify(c.toAmino(msg))) as unknown;
      expect(codec.encode(c.fromAmino(amino) as never).finish()).toEqual(bytes);
    }
    expect(conv[UPGRADE_TYPE_URLS.softwareUpgrade]!.aminoType).toBe("cosmos-sdk/MsgSoftwareUpgrade");
    expect(conv[UPGRADE_TYPE_URLS.softwareUpgrade]!.toAmino(samples[UPGRADE_TYPE_URLS.softwareUpgrade])).toEqual({ authority: GOV, plan: { name: "v2", time: "1970-01-01T00:00:00Z", height: "120", info: "{}" } });
  });

  test("fromAmino is strict", () => {
    const c = createUpgradeAminoConverters()[UPGRADE_TYPE_URLS.preApproveUpgrade]!;
    expect(() => c.fromAmino({ member: GOV, extra: 1 })).toThrow("unknown field");
    expect(() => c.fromAmino({ member: GOV, height: 5 })).toThrow("decimal integer string");
    expect(() => c.fromAmino({ member: GOV, case_id: "-1" })).toThrow("uint64");
  });
});
