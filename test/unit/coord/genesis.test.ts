/**
 * The coord genesis section: strict parsing, every validation rule with the message a person edits
 * genesis.json from, and init → export → init → export identity on a hand-built state that holds
 * every record kind (nanosecond timestamps included). The same identity on a state the keeper
 * built through real messages is in test/integration/coord-queries.test.ts.
 */
import { blockContext, type Context } from "../../../src/baseapp/context";
import { MemoryKV } from "../../../src/baseapp/store/memory";
import { prefixEnd } from "../../../src/baseapp/store/prefix";
import { GenesisState } from "../../../src/generated/coord/v1/genesis";
import { CaseStatus, CommitmentKind, ComponentKind, EmbargoState, InvolvementStatus, PartyKind } from "../../../src/generated/coord/v1/types";
import { addrBytes } from "../../../src/x/auth/keeper";
import { defaultCoordGenesisJson, exportCoordGenesis, initCoordGenesis, parseCoordGenesis, validateCoordGenesis } from "../../../src/x/coord/genesis";
import { decodeCursor, initialCursor } from "../../../src/x/coord/keeper/check";
import { CoordKeeper } from "../../../src/x/coord/keeper/keeper";
import { defaultCoordParams } from "../../../src/x/coord/keeper/params";
import { COORD_STORE, DUE, KEY, keys } from "../../../src/x/coord/keys";
import { indexSelector } from "../../../src/x/coord/match";
import { coordWorkload } from "../../integration/coord-workload";
import { addr, DOWNSTREAM, envelope, keyOf, MEMBER, MEMBER2, REPORTER, validGenesis } from "./genesis-fixture";

function ctx(kv = new MemoryKV()): Context {
  return blockContext(kv, { chainId: "t", height: 100n, time: { seconds: 1_700_100_000n, nanos: 0 }, proposer: new Uint8Array() }, "genesis");
}

/** The real keeper on fake neighbours: the deposits account holds `held` of every denom. */
function keeperWith(held = 30_000_000n): CoordKeeper {
  return new CoordKeeper({
    auth: { declareModuleAccount: () => "" },
    bank: {
      getBalance: (_c: Context, _a: string, denom: string) => ({ denom, amount: held }),
      sendFromAccountToModule: () => undefined,
      sendFromModuleToAccount: () => undefined,
    },
    dcert: { isActiveMember: () => false, activeMembers: () => [], disbandPending: () => false, isDisbanded: () => false },
    authority: "",
  });
}

const json = (g: GenesisState): Record<string, unknown> => {
  const c = ctx();
  const k = keeperWith();
  initCoordGenesis(c, k, g);
  return exportCoordGenesis(c, k);
};

function failure(mutate: (g: GenesisState) => void): string {
  const g = validGenesis();
  mutate(g);
  try {
    validateCoordGenesis(g);
  } catch (e) {
    return (e as Error).message;
  }
  return "valid";
}

describe("coord genesis: parse and round trip", () => {
  test("the default section parses and validates, with ids from 1 and params in full", () => {
    const d = defaultCoordGenesisJson();
    const g = parseCoordGenesis(d);
    expect(() => validateCoordGenesis(g)).not.toThrow();
    expect(g.params).toEqual(defaultCoordParams());
    expect([g.nextCaseId, g.nextNoticeId, g.nextInputId]).toEqual([1n, 1n, 1n]);
    const params = d["params"] as Record<string, unknown>;
    expect(params["open_cosigners"]).toBe(0); // a default (zero) value is still written
    expect(Object.keys(params)).toContain("levels");
  });

  test("an open case may hold the items revealed so far", () => {
    const g = validGenesis();
    g.disclosures.push({ ...g.disclosures[0]!, caseId: 1n, advisory: undefined, components: [], level: 0, reportHash: Buffer.alloc(0) });
    expect(() => validateCoordGenesis(g)).not.toThrow();
  });

  test("the fixture is valid; init → export → parse → init → export is the identity; nanoseconds survive", () => {
    const g = validGenesis();
    expect(() => validateCoordGenesis(g)).not.toThrow();
    const first = json(g);
    const parsed = parseCoordGenesis(JSON.parse(JSON.stringify(first)));
    expect(() => validateCoordGenesis(parsed)).not.toThrow();
    expect(GenesisState.toJSON(parsed)).toEqual(GenesisState.toJSON(g));
    expect(parsed.cases[0]?.openTime).toEqual({ seconds: 1_700_000_005n, nanos: 123_456_789 });
    expect(parsed.notices[0]?.time?.nanos).toBe(999_999_999);
    const second = json(parsed);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect((first["cases"] as Record<string, unknown>[])[0]?.["open_time"]).toBe("2023-11-14T22:13:25.123456789Z");
  });

  test("a gated case (readiness_plan, gate_deferrals, gate_open_height) round-trips; an ungated one writes no readiness_plan", () => {
    const g = validGenesis();
    Object.assign(g.cases[0]!, { readinessPlan: "v2.1-security", gateDeferrals: 2, gateOpenHeight: 7n });
    expect(() => validateCoordGenesis(g)).not.toThrow();
    const first = json(g);
    const cases = first["cases"] as Record<string, unknown>[];
    expect(cases[0]).toMatchObject({ readiness_plan: "v2.1-security", gate_deferrals: 2, gate_open_height: "7" });
    expect(cases[1]?.["readiness_plan"] ?? "").toBe("");
    const parsed = parseCoordGenesis(JSON.parse(JSON.stringify(first)));
    expect(() => validateCoordGenesis(parsed)).not.toThrow();
    expect(parsed.cases[0]).toMatchObject({ readinessPlan: "v2.1-security", gateDeferrals: 2, gateOpenHeight: 7n });
    expect(JSON.stringify(json(parsed))).toBe(JSON.stringify(first));
  });

  test("a state the keeper built through real messages: export → parse → validate → init → export is identical", async () => {
    const { c } = await coordWorkload();
    const section = c.e.app.exportGenesis()["coord"] as Record<string, unknown>;
    const g = parseCoordGenesis(JSON.parse(JSON.stringify(section)));
    expect(() => validateCoordGenesis(g)).not.toThrow();
    // Parties, cases (closed, open, disclosed), notices, input, involvements, a disclosure check, a record.
    expect(g.parties).toHaveLength(5);
    expect(g.cases.map((x) => x.status)).toEqual([CaseStatus.CASE_STATUS_CLOSED, CaseStatus.CASE_STATUS_OPEN, CaseStatus.CASE_STATUS_DISCLOSED]);
    expect([g.notices.length, g.inputs.length, g.involvements.length, g.checks.length, g.records.length]).toEqual([3, 2, 2, 2, 1]);
    const fresh = ctx();
    const k = keeperWith(5n * 10_000_000n);
    initCoordGenesis(fresh, k, g);
    expect(JSON.stringify(exportCoordGenesis(fresh, k))).toBe(JSON.stringify(section));
    // The rebuilt deadline queues are the keeper's own: the open case keeps its overdue check.
    expect(k.scheduled(fresh, 2n, DUE.overdue)).toBeDefined();
  }, 60_000);

  test("a running check (done = false) round-trips exactly, restarts from the beginning and keeps its entries", () => {
    const g = validGenesis();
    g.checks[0]!.done = false;
    expect(() => validateCoordGenesis(g)).not.toThrow();
    const c = ctx();
    const k = keeperWith();
    initCoordGenesis(c, k, g);
    const kv = c.kv(COORD_STORE);
    expect(kv.has(keys.checkRunning(2n))).toBe(true);
    expect(decodeCursor(kv.get(keys.checkCursor(2n))!)).toEqual(initialCursor());
    expect(k.getCheck(c, 2n)).toMatchObject({ done: false, matched: 1, entries: [] }); // entries live apart (0x52)
    expect(k.checkEntries(c, 2n)).toEqual(g.checks[0]!.entries);
    const exported = exportCoordGenesis(c, k);
    const checks = exported["checks"] as Record<string, unknown>[];
    expect(checks).toEqual([expect.objectContaining({ matched: 1, entries: [expect.objectContaining({ party: DOWNSTREAM })] })]);
    expect("done" in checks[0]!).toBe(false); // proto3 JSON omits false
    expect(GenesisState.toJSON(parseCoordGenesis(JSON.parse(JSON.stringify(exported))))).toEqual(GenesisState.toJSON(g));
    // EndBlock finishes it; the kept entry is not evaluated (nor counted) twice.
    k.endBlock(c);
    expect(k.checkRunning(c, 2n)).toBe(false);
    expect(kv.has(keys.checkCursor(2n))).toBe(false);
    expect(k.getCheck(c, 2n)).toMatchObject({ done: true, matched: 1, notified: 1, acknowledged: 1, missed: 0, late: 0 });
    expect(k.checkEntries(c, 2n)).toEqual(g.checks[0]!.entries);
  });

  test("init writes every record and rebuilds every index; export lists records in key order", () => {
    const g = validGenesis();
    g.cases.reverse(); // the given order does not matter
    g.notices.reverse();
    const c = ctx();
    const k = keeperWith();
    initCoordGenesis(c, k, g);
    const kv = c.kv(COORD_STORE);
    const has = (key: Uint8Array): boolean => kv.get(key) !== undefined;
    // Deadlines, from the keeper's scheduler: the open case's phases and overdue check, its
    // revision's expiry; the disclosed case's end of follow-up; nothing for the closed case.
    expect(k.scheduled(c, 1n, DUE.overdue)).toBeDefined();
    expect(k.scheduled(c, 1n, DUE.revisionExpiry)).toBeDefined();
    expect(k.scheduled(c, 2n, DUE.followUpEnd)).toBeDefined();
    expect(k.scheduled(c, 2n, DUE.overdue)).toBeUndefined();
    for (const what of Object.values(DUE)) expect(k.scheduled(c, 3n, what)).toBeUndefined();
    expect(Buffer.from(kv.get(keys.keyOwner(keyOf(3))) ?? [])).toEqual(Buffer.from(addrBytes(DOWNSTREAM)));
    // The withdrawn party's key (equal to MEMBER's) belongs to MEMBER; tombstones have no index entries.
    expect(Buffer.from(kv.get(keys.keyOwner(keyOf(1))) ?? [])).toEqual(Buffer.from(addrBytes(MEMBER)));
    for (const d of g.parties[2]!.dependencies) {
      const s = indexSelector(d);
      expect(has(keys.depIndex(s.kind, s.name, addrBytes(DOWNSTREAM)))).toBe(true);
    }
    expect(has(keys.depIndex(ComponentKind.COMPONENT_KIND_TAG, "mempool/cpfp-carveout", addrBytes(DOWNSTREAM)))).toBe(true);
    expect(has(keys.caseByStatus(CaseStatus.CASE_STATUS_OPEN, 1n))).toBe(true);
    expect(has(keys.caseByStatus(CaseStatus.CASE_STATUS_DISCLOSED, 2n))).toBe(true);
    expect(has(keys.caseByStatus(CaseStatus.CASE_STATUS_CLOSED, 3n))).toBe(true);
    expect(has(keys.caseByCoordinator(addrBytes(MEMBER), 2n))).toBe(true);
    expect(has(keys.noticeByRecipient(addrBytes(DOWNSTREAM), 3n))).toBe(true);
    expect(has(keys.noticeByCase(2n, 2n))).toBe(true);
    expect(has(keys.inputByCase(0n, 2n))).toBe(true);
    expect(has(keys.inputBySender(addrBytes(REPORTER), 1n))).toBe(true);
    expect(has(keys.inputByRecipient(addrBytes(MEMBER2), 1n))).toBe(true);
    expect(has(keys.mitigation(2n, 1))).toBe(true);
    expect(has(keys.timeline(1n, 2))).toBe(true);
    const out = exportCoordGenesis(c, k);
    expect((out["cases"] as { id: string }[]).map((x) => x.id)).toEqual(["1", "2", "3"]);
    expect((out["notices"] as { id: string }[]).map((x) => x.id)).toEqual(["1", "2", "3"]);
    // Every index of keys.ts, and nothing else.
    const prefixes = new Set<number>();
    const all = keys.prefix(0);
    for (const [key] of kv.iterate(all, prefixEnd(keys.prefix(0xff)))) prefixes.add(key[0] ?? -1);
    expect([...prefixes].sort((a, b) => a - b)).toEqual(
      [
        KEY.params,
        KEY.nextCaseId,
        KEY.nextNoticeId,
        KEY.nextInputId,
        KEY.metrics,
        KEY.party,
        KEY.keyOwner,
        KEY.depIndex,
        KEY.case,
        KEY.commitment,
        KEY.caseByStatus,
        KEY.timeQueue,
        KEY.schedule,
        KEY.caseByCoordinator,
        KEY.revision,
        KEY.timeline,
        KEY.notice,
        KEY.noticeByRecipient,
        KEY.noticeByCase,
        KEY.involvement,
        KEY.input,
        KEY.inputByCase,
        KEY.inputBySender,
        KEY.inputByRecipient,
        KEY.disclosure,
        KEY.check,
        KEY.checkEntry,
        KEY.mitigation,
        KEY.record,
      ].sort((a, b) => a - b),
    );
  });

  test("the deposits module account must hold exactly the registered parties' deposits", () => {
    const g = validGenesis();
    const owed = 3n * 10_000_000n; // the withdrawn party's deposit went back
    expect(() => initCoordGenesis(ctx(), keeperWith(owed), g)).not.toThrow();
    expect(() => initCoordGenesis(ctx(), keeperWith(owed + 1n), g)).toThrow(
      /coord_deposits module account holds 30000001udcert but the registered parties' deposits total 30000000udcert/,
    );
  });

  test.each<[string, (j: Record<string, unknown>) => void, RegExp]>([
    ["missing params", (j) => delete j["params"], /genesis coord\.params: is required/],
    ["an unknown top-level field", (j) => (j["casez"] = []), /genesis coord\.casez: unknown field; expected one of params, next_case_id/],
    ["an unknown nested field", (j) => ((j["parties"] as Record<string, unknown>[])[0]!["nickname"] = "x"), /coord\.parties\[0\]\.nickname: unknown field/],
    ["a non-canonical id", (j) => (j["next_case_id"] = "04"), /coord\.next_case_id: expected an integer as a decimal string/],
    ["an empty id", (j) => (j["next_case_id"] = ""), /coord\.next_case_id: expected an integer/],
    ["an unknown enum name", (j) => ((j["cases"] as Record<string, unknown>[])[0]!["status"] = "CASE_STATUS_SLEEPING"), /coord\.cases\[0\]\.status: unknown enum value "CASE_STATUS_SLEEPING"/],
    ["a bad time", (j) => ((j["cases"] as Record<string, unknown>[])[0]!["open_time"] = "yesterday"), /coord\.cases\[0\]\.open_time: invalid time "yesterday"/],
    ["an impossible date", (j) => ((j["cases"] as Record<string, unknown>[])[0]!["open_time"] = "2023-02-30T00:00:00Z"), /open_time: invalid time .* no such date/],
    ["a time as an object", (j) => ((j["cases"] as Record<string, unknown>[])[0]!["open_time"] = { seconds: "1" }), /open_time: expected an RFC 3339 time string/],
    ["bad base64", (j) => ((j["parties"] as Record<string, unknown>[])[0]!["encryption_key"] = "not base64!"), /coord\.parties\[0\]\.encryption_key: expected base64 bytes/],
    ["a list that is not a list", (j) => (j["notices"] = {}), /coord\.notices: expected an array/],
    ["an int64 beyond 2^63 - 1", (j) => ((j["parties"] as Record<string, unknown>[])[1]!["dependencies_height"] = "9223372036854775808"), /coord\.parties\[1\]: .*dependenciesHeight of type int64 too large/],
    ["a uint64 beyond 2^64 - 1", (j) => (j["next_input_id"] = "18446744073709551616"), /genesis coord: .*nextInputId of type uint64 too large/],
    ["a string that is a number", (j) => ((j["parties"] as Record<string, unknown>[])[0]!["name"] = 7), /coord\.parties\[0\]\.name: expected a string/],
    ["a boolean that is a string", (j) => ((j["commitments"] as Record<string, unknown>[])[3]!["revealed"] = "yes"), /coord\.commitments\[3\]\.revealed: expected true or false/],
  ])("parse refuses %s", (_name, edit, message) => {
    const j = JSON.parse(JSON.stringify(json(validGenesis()))) as Record<string, unknown>;
    edit(j);
    expect(() => parseCoordGenesis(j)).toThrow(message);
  });
});

describe("coord genesis: validation failures each say what to fix", () => {
  const bad = keyOf(1).fill(0); // the all-zero point has small order
  test.each<[string, (g: GenesisState) => void, RegExp]>([
    ["invalid params", (g) => (g.params!.levels = []), /coord\.params: levels must list exactly the three levels/],
    ["next_case_id 0", (g) => (g.nextCaseId = 0n), /coord\.next_case_id: must be at least 1/],
    ["metrics of level 0", (g) => (g.metrics[0]!.level = 0), /coord\.metrics\[0\]\.level: must be 1, 2 or 3/],
    ["duplicate metrics", (g) => g.metrics.push({ ...g.metrics[0]! }), /coord\.metrics\[1\]: duplicate metrics of level 3/],
    ["a bad party address", (g) => (g.parties[0]!.address = "cosmos1xyz"), /coord\.parties\[0\]\.address/],
    ["a duplicate party", (g) => g.parties.push({ ...g.parties[0]! }), /coord\.parties\[4\]: duplicate party/],
    ["an unknown party kind", (g) => (g.parties[0]!.kind = PartyKind.PARTY_KIND_UNSPECIFIED), /coord\.parties\[0\]\.kind: must be one of PARTY_KIND_VALIDATOR/],
    ["an empty name", (g) => (g.parties[0]!.name = ""), /coord\.parties\[0\]\.name: must be 1 to 70 characters/],
    ["a long contact", (g) => (g.parties[0]!.contact = "x".repeat(141)), /coord\.parties\[0\]\.contact: at most 140 characters/],
    ["a short key", (g) => (g.parties[0]!.encryptionKey = Buffer.alloc(31, 9)), /coord\.parties\[0\]\.encryption_key: .*32/],
    ["a small-order key", (g) => (g.parties[0]!.encryptionKey = bad), /coord\.parties\[0\]\.encryption_key: .*small/i],
    ["a key registered twice", (g) => (g.parties[1]!.encryptionKey = keyOf(1)), /coord\.parties\[1\]\.encryption_key: already the key of dcert1/],
    ["key epoch 0", (g) => (g.parties[0]!.keyEpoch = 0), /coord\.parties\[0\]\.key_epoch: must be at least 1/],
    ["no deposit", (g) => (g.parties[0]!.deposit = undefined), /coord\.parties\[0\]\.deposit: is required/],
    ["a bad deposit amount", (g) => (g.parties[0]!.deposit!.amount = "-1"), /coord\.parties\[0\]\.deposit\.amount: must be a non-negative integer/],
    ["too many dependencies", (g) => (g.params!.maxDependencies = 1), /coord\.parties\[2\]\.dependencies: 2 dependencies but params\.max_dependencies is 1/],
    ["an invalid dependency", (g) => (g.parties[2]!.dependencies[1]!.name = "Not A Tag"), /coord\.parties\[2\]\.dependencies\[1\]/],
    ["a non-canonical route", (g) => (g.parties[2]!.dependencies[0]!.name = "cosmos.bank.v1beta1.MsgSend"), /dependencies\[0\]: not in canonical form; write \{"name":"\/cosmos\.bank\.v1beta1\.MsgSend"/],
    ["a duplicate dependency", (g) => g.parties[2]!.dependencies.push({ ...g.parties[2]!.dependencies[0]! }), /dependencies\[2\]: duplicate component/],
    ["dependencies changed before registration", (g) => (g.parties[0]!.dependenciesHeight = 1n), /dependencies_height: cannot be before registered_height/],
    ["case id at next_case_id", (g) => (g.nextCaseId = 3n), /coord\.cases\[2\]\.id: must be between 1 and next_case_id - 1 \(2\)/],
    ["a duplicate case", (g) => (g.cases[1]!.id = 1n), /coord\.cases\[1\]\.id: duplicate case id 1/],
    ["opener not first", (g) => (g.cases[0]!.coordinators = [MEMBER2, MEMBER]), /coord\.cases\[0\]\.coordinators: must list the opener first/],
    ["a duplicate coordinator", (g) => (g.cases[0]!.coordinators = [MEMBER, MEMBER]), /coordinators\[1\]: duplicate coordinator/],
    ["level 4", (g) => (g.cases[0]!.level = 4), /coord\.cases\[0\]\.level: must be 0 \(sealed\), 1, 2 or 3/],
    ["an undefined status/embargo pair", (g) => (g.cases[1]!.embargoState = EmbargoState.EMBARGO_STATE_ACTIVE), /embargo_state: EMBARGO_STATE_ACTIVE is not a state of a CASE_STATUS_DISCLOSED case; allowed: EMBARGO_STATE_EXITED/],
    ["an unknown status", (g) => (g.cases[0]!.status = 9 as CaseStatus), /coord\.cases\[0\]\.status: must be one of CASE_STATUS_OPEN/],
    ["two deadlines", (g) => (g.cases[0]!.deadlineHeight = 9n), /exactly one of deadline_time and deadline_height/],
    ["no deadline", (g) => (g.cases[0]!.deadlineTime = undefined), /exactly one of deadline_time and deadline_height/],
    ["no opening time", (g) => (g.cases[0]!.openTime = undefined), /coord\.cases\[0\]\.open_time: is required/],
    ["a disclosed case without disclosure time", (g) => (g.cases[1]!.disclosureTime = undefined), /cases\[1\]\.disclosure_height: disclosure_height and disclosure_time are set exactly/],
    ["an open case with a disclosure height", (g) => (g.cases[0]!.disclosureHeight = 3n), /cases\[0\]\.disclosure_height/],
    ["a closed case without closed_height", (g) => (g.cases[2]!.closedHeight = 0n), /a CLOSED case needs its closed_height/],
    ["a proposed case needing no co-signer", (g) => (g.cases[0]!.embargoState = EmbargoState.EMBARGO_STATE_PROPOSED), /a PROPOSED case still needs at least one co-signer/],
    ["an active case still needing co-signers", (g) => (g.cases[0]!.cosignersNeeded = 1), /cosigners_needed: must be 0 once the embargo is active/],
    ["an invalid readiness plan", (g) => (g.cases[0]!.readinessPlan = "v2/../x"), /coord\.cases\[0\]\.readiness_plan: plan name "v2\/\.\.\/x" must start with a letter or digit and contain only/],
    ["a readiness plan of 141 characters", (g) => (g.cases[0]!.readinessPlan = "v".repeat(141)), /coord\.cases\[0\]\.readiness_plan: a plan name has at most 140 characters/],
    ["a gate opened without a deferral", (g) => (g.cases[0]!.gateOpenHeight = 5n), /coord\.cases\[0\]\.gate_open_height: is set only after a deferral/],
    ["a negative gate_open_height", (g) => Object.assign(g.cases[0]!, { gateDeferrals: 1, gateOpenHeight: -1n }), /coord\.cases\[0\]\.gate_open_height: must not be negative/],
    ["a commitment of no case", (g) => (g.commitments[0]!.caseId = 7n), /coord\.commitments\[0\]\.case_id: no case 7 in coord\.cases/],
    ["a 31-byte commitment", (g) => (g.commitments[0]!.hash = Buffer.alloc(31)), /coord\.commitments\[0\]\.hash: must be a 32-byte SHA-256 hash, got 31 bytes/],
    ["a duplicate commitment", (g) => g.commitments.push({ ...g.commitments[0]! }), /duplicate commitment COMMITMENT_KIND_REPORT version 1 of case 1/],
    ["a version gap", (g) => (g.commitments[0]!.version = 2), /versions of case\/kind 1\/1 must be 1\.\.1 without gaps, got 2/],
    ["a missing ADVISORY commitment", (g) => g.commitments.splice(2, 1), /case 1 has no COMMITMENT_KIND_ADVISORY commitment/],
    ["a sealed level without LEVEL commitment", (g) => (g.cases[0]!.level = 0), /case 1 has a sealed level \(0\) but no LEVEL commitment/],
    ["revealed without a height", (g) => (g.commitments[3]!.revealedHeight = 0n), /coord\.commitments\[3\]\.revealed_height: set exactly when revealed/],
    ["a revision on a disclosed case", (g) => (g.revisions[0]!.caseId = 2n), /coord\.revisions\[0\]\.case_id: case 2 is not an open case in embargo state REVISED/],
    ["a REVISED case without revision", (g) => g.revisions.splice(0, 1), /case 1 is REVISED but has no pending revision/],
    ["a revision without approvals", (g) => (g.revisions[0]!.approvals = []), /coord\.revisions\[0\]\.approvals: a pending revision has at least its proposer's approval/],
    ["a duplicate approval", (g) => (g.revisions[0]!.approvals = [MEMBER, MEMBER]), /approvals\[1\]: duplicate approval of/],
    ["a revision without expiry", (g) => (g.revisions[0]!.expires = undefined), /coord\.revisions\[0\]\.expires: is required/],
    ["timeline seq 0", (g) => (g.timeline[0]!.seq = 0), /coord\.timeline\[0\]\.seq: must be between 1 and the case's timeline_count 2/],
    ["a timeline count that does not match", (g) => (g.cases[2]!.timelineCount = 2), /case 3 has timeline_count 2 but 1 timeline entries/],
    ["a duplicate timeline seq", (g) => (g.timeline[1]!.seq = 1), /coord\.timeline\[1\]\.seq: duplicate timeline entry 1 of case 1/],
    ["a notice id at next_notice_id", (g) => (g.nextNoticeId = 3n), /coord\.notices\[2\]\.id: must be between 1 and next_notice_id - 1 \(2\)/],
    ["a notice to a non-party", (g) => (g.notices[0]!.recipient = addr(77)), /coord\.notices\[0\]\.recipient: dcert1.* is not a party in coord\.parties/],
    ["a notice to a future key epoch", (g) => (g.notices[0]!.recipientKeyEpoch = 2), /recipient_key_epoch: must be between 1 and the party's key_epoch 1/],
    ["a notice without envelope", (g) => (g.notices[0]!.envelope = undefined), /coord\.notices\[0\]\.envelope: is required/],
    ["a malformed envelope", (g) => (g.notices[0]!.envelope!.nonce = Buffer.alloc(12)), /coord\.notices\[0\]\.envelope: .*nonce/],
    ["a notice sealed to someone else", (g) => (g.notices[0]!.envelope = envelope([{ address: MEMBER2, keyEpoch: 1 }])), /envelope\.recipients: a notice is sealed to exactly its recipient/],
    ["a wrong envelope hash", (g) => (g.notices[0]!.envelopeHash = Buffer.alloc(32)), /coord\.notices\[0\]\.envelope_hash: is not the SHA-256 of the envelope/],
    ["a notice count that does not match", (g) => (g.cases[0]!.noticeCount = 2), /\(id 1\)\.notice_count: is 2 but the section holds 1/],
    ["input of no case", (g) => (g.inputs[0]!.caseId = 9n), /coord\.inputs\[0\]\.case_id: no case 9/],
    ["input without recipients", (g) => (g.inputs[0]!.recipients = []), /coord\.inputs\[0\]\.recipients: input is sealed to at least one member/],
    ["input sealed to others than listed", (g) => (g.inputs[0]!.recipients = [MEMBER, DOWNSTREAM].sort()), /coord\.inputs\[0\]\.envelope\.recipients: must be sealed to exactly the listed recipients/],
    ["a duplicate input id", (g) => (g.inputs[1]!.id = 1n), /coord\.inputs\[1\]\.id: duplicate input id 1/],
    ["an input count that does not match", (g) => (g.cases[0]!.inputCount = 0), /input_count: is 0 but the section holds 1/],
    ["a duplicate involvement", (g) => g.involvements.push({ ...g.involvements[0]! }), /duplicate involvement of dcert1.* in case 1/],
    ["an involvement citing another party's notice", (g) => (g.involvements[1]!.firstNoticeId = 1n), /involvements\[1\]\.first_notice_id: notice 1 is not a notice of case 2/],
    ["an acknowledged involvement without ack", (g) => (g.involvements[1]!.ackNoticeId = 0n), /a INVOLVEMENT_STATUS_ACKNOWLEDGED involvement names the acknowledged notice/],
    ["a notified party without involvement", (g) => g.involvements.splice(0, 1), /was sent notice 1 of case 1 but has no involvement past NOT_CONTACTED/],
    ["a notified party NOT_CONTACTED", (g) => (g.involvements[0]!.status = InvolvementStatus.INVOLVEMENT_STATUS_NOT_CONTACTED), /no involvement past NOT_CONTACTED/],
    ["a disclosure without advisory", (g) => (g.disclosures[0]!.advisory = undefined), /coord\.disclosures\[0\]\.advisory: is required: case 2 is CASE_STATUS_DISCLOSED/],
    ["a partial disclosure with a bad report hash", (g) => g.disclosures.push({ ...g.disclosures[0]!, caseId: 1n, advisory: undefined, components: [], level: 0, reportHash: Buffer.alloc(5) }), /coord\.disclosures\[2\]\.report_hash: must be a 32-byte/],
    ["a disclosed case without disclosure", (g) => g.disclosures.splice(0, 1), /case 2 is CASE_STATUS_DISCLOSED but has no disclosure/],
    ["a disclosure with a bad level", (g) => (g.disclosures[0]!.level = 0), /coord\.disclosures\[0\]\.level: must be 1, 2 or 3/],
    ["a disclosed component not canonical", (g) => (g.disclosures[0]!.components = [{ kind: ComponentKind.COMPONENT_KIND_MODULE, name: "nosuchmodule", versions: "" }]), /coord\.disclosures\[0\]\.components\[0\]/],
    ["a check entry missed but notified", (g) => (g.checks[0]!.entries[0]!.missed = true), /entries\[0\]\.missed: missed is exactly matched_at_open and not notified/],
    ["a check count that does not match", (g) => (g.checks[0]!.missed = 1), /coord\.checks\[0\]\.missed: is 1 but 0 entries are missed/],
    ["a matched count that does not match", (g) => (g.checks[0]!.matched = 2), /coord\.checks\[0\]\.matched: is 2 but 1 entries are matched at open/],
    ["an acknowledgement without notice", (g) => (g.checks[0]!.entries[0]!.notified = false, g.checks[0]!.entries[0]!.matchedAtOpen = false), /entries\[0\]\.acknowledged: only a notified party can have acknowledged/],
    [
      "a running check of a closed case",
      (g) => g.checks.push({ caseId: 3n, height: 50n, matched: 0, notified: 0, acknowledged: 0, missed: 0, late: 0, entries: [], done: false }),
      /coord\.checks\[1\]\.done: case 3 is CLOSED, so its disclosure check is done/,
    ],
    ["a mitigation with a bad route", (g) => (g.mitigations[0]!.routes = ["bank"]), /coord\.mitigations\[0\]\.routes\[0\]: must be a canonical route/],
    ["a mitigation count that does not match", (g) => (g.cases[1]!.mitigationCount = 0), /mitigation_count: is 0 but the section holds 1/],
    ["a record of a disclosed case", (g) => (g.records[0]!.caseId = 2n), /coord\.records\[0\]\.case_id: case 2 is not CLOSED/],
    ["a closed case without record", (g) => g.records.splice(0, 1), /case 3 is CLOSED but has no post-coordination record/],
    ["a short record hash", (g) => (g.records[0]!.recordHash = Buffer.alloc(8)), /coord\.records\[0\]\.record_hash: must be a 32-byte SHA-256 hash/],
    ["a commitment kind out of range", (g) => (g.commitments[0]!.kind = 6 as CommitmentKind), /coord\.commitments\[0\]\.kind: must be one of COMMITMENT_KIND_REPORT/],
  ])("%s", (_name, mutate, message) => {
    expect(failure(mutate)).toMatch(message);
  });
});

describe("coord genesis: parse errors name the record", () => {
  test("an id that is not a number names its record", () => {
    const j = JSON.parse(JSON.stringify(json(validGenesis()))) as Record<string, unknown>;
    (j["notices"] as Record<string, unknown>[])[1]!["id"] = "two";
    expect(() => parseCoordGenesis(j)).toThrow(/genesis coord\.notices\[1\]: .*two/);
  });
});
