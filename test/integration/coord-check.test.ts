/**
 * The disclosure check under registry flooding, end to end on the in-process app
 * (src/x/coord/keeper/check.ts): an attacker registers 300 parties depending on `module:bank`.
 *   - the disclosing MsgReveal costs the same gas with or without the flood, and discloses at once;
 *   - the check then runs in EndBlock, `disclosure_check_batch` (5) units a block, and is done after
 *     exactly ⌈work / batch⌉ blocks (the reveal's own block included) with the real missed count;
 *   - MsgCloseCase is refused with coord:34 while it runs and accepted once it is done;
 *   - a genesis exported mid-check round-trips exactly, and the imported chain finishes the check
 *     with the same result.
 */
import { createHash } from "node:crypto";
import type { RequestInitChain } from "cosmjs-types/tendermint/abci/types";
import { createApp } from "../../src/app/node";
import { keepersOf } from "../../src/app/wiring";
import { MemoryCommitStore } from "../../src/baseapp/store/memory";
import { CaseStatus, ComponentKind, type DisclosureCheck, EmbargoState, type CheckEntry } from "../../src/generated/coord/v1/types";
import { addrString } from "../../src/x/auth/keeper";
import { parseCoordGenesis, validateCoordGenesis } from "../../src/x/coord/genesis";
import { TEST_CHAIN_ID } from "../helpers/txs";
import { cm, coordEnv, coordEvents, type CoordEnv, encKey, fakeEnvelope, items, revealAll, ROUTE_SEND } from "./coord-harness";

const BANK_MODULE = { kind: ComponentKind.COMPONENT_KIND_MODULE, name: "bank", versions: "" };
const BATCH = 5;
const FLOOD = 300;

/** Genesis parties (deposit 0, registered at height 0) that all depend on module:bank. */
function flood(n: number): (coord: Record<string, unknown>) => void {
  return (coord) => {
    (coord["params"] as Record<string, unknown>)["disclosure_check_batch"] = BATCH;
    coord["parties"] = Array.from({ length: n }, (_, i) => ({
      address: addrString(createHash("sha256").update(`flood-${i}`).digest().subarray(0, 20)),
      kind: "PARTY_KIND_DOWNSTREAM_PROJECT",
      name: `flood ${i}`,
      encryption_key: Buffer.from(encKey(10_000 + i).publicKey).toString("base64"),
      key_epoch: 1,
      deposit: { denom: "udcert", amount: "0" },
      dependencies: [{ kind: "COMPONENT_KIND_MODULE", name: "bank" }],
    }));
  };
}

interface Disclosed {
  readonly e: CoordEnv;
  readonly id: bigint;
  readonly gasUsed: bigint;
  readonly revealEvents: ReturnType<typeof coordEvents>;
}

/**
 * Party 4 depends on module:bank and is notified; party 5 depends on MsgSend (a bank route) and is
 * not: missed. A level-3 case on module:bank is disclosed by one MsgReveal of every item.
 */
async function disclosedCase(floodParties: number): Promise<Disclosed> {
  const e = await coordEnv({ editCoord: flood(floodParties) });
  e.block([await e.sign(e.acct(4), [cm.register(e.addr(4), encKey(4).publicKey, [BANK_MODULE])]), await e.sign(e.acct(5), [cm.register(e.addr(5), encKey(5).publicKey, [ROUTE_SEND])])]);
  const it = items("flood", { components: [BANK_MODULE] });
  const T = e.now() + 1000n;
  const id = await e.openCase(1, it, 3, { seconds: T });
  await e.ok(e.acct(1), [cm.notice(e.addr(1), id, [{ recipient: e.addr(4), envelope: fakeEnvelope([e.party(4)]) }])]);
  e.block([], T - e.now());
  const r = await e.ok(e.acct(1), [cm.reveal(e.addr(1), id, revealAll(it))]);
  return { e, id, gasUsed: r.gasUsed, revealEvents: coordEvents(r.events, "EventCaseDisclosed") };
}

const counts = (c: DisclosureCheck | undefined): Omit<DisclosureCheck, "entries" | "height" | "caseId"> | undefined =>
  c === undefined ? undefined : { matched: c.matched, notified: c.notified, acknowledged: c.acknowledged, missed: c.missed, late: c.late, done: c.done };

describe("the disclosure check under registry flooding", () => {
  test("the disclosing reveal's gas does not grow with the flood; the check finishes after ⌈work/batch⌉ blocks; close waits for it", async () => {
    const quiet = await disclosedCase(0);
    const attacked = await disclosedCase(FLOOD);
    const { e, id } = attacked;
    // O(1) in the reveal: the gas is the same with 300 flood parties as with none
    expect(Number(attacked.gasUsed - quiet.gasUsed)).toBeGreaterThanOrEqual(-500);
    expect(Number(attacked.gasUsed - quiet.gasUsed)).toBeLessThanOrEqual(500);
    // disclosed in that reveal, the check started
    expect(attacked.revealEvents).toHaveLength(1);
    expect(e.caseOf(id)).toMatchObject({ status: CaseStatus.CASE_STATUS_DISCLOSED, embargoState: EmbargoState.EMBARGO_STATE_EXITED });
    expect(e.coord.checkRunning(e.ctx(), id)).toBe(true);
    expect(e.coord.getCheck(e.ctx(), id)).toMatchObject({ done: false });
    // without the flood: 3 units (party 4's and party 5's index entries, party 4's involvement), done in the reveal's block
    expect(quiet.e.coord.checkRunning(quiet.e.ctx(), quiet.id)).toBe(false);
    expect(counts(quiet.e.coord.getCheck(quiet.e.ctx(), quiet.id))).toEqual({ matched: 2, notified: 1, acknowledged: 0, missed: 1, late: 0, done: true });

    // work = 300 flood + party 4 under module:bank, party 5 under /cosmos.bank.v1beta1.*, 1 involvement
    const work = FLOOD + 2 + 1;
    let blocks = 1; // the reveal's block ran one batch in its EndBlock
    // (c) closing is refused while the check runs (the tx runs before its block's EndBlock batch)
    const refused = await e.code(1, [cm.close(e.addr(1), id)]);
    blocks++;
    expect(refused).toEqual(["coord", 34, expect.stringMatching(/disclosure check of case 1 .* is still running: 5 index entries and involvements examined so far, at most 5 per block/)]);
    let last = e.block();
    blocks++;
    while (e.coord.checkRunning(e.ctx(), id)) {
      last = e.block();
      blocks++;
    }
    expect(blocks).toBe(Math.ceil(work / BATCH));
    const done = coordEvents(last.events, "EventDisclosureCheckDone");
    expect(done).toEqual([expect.objectContaining({ case_id: id.toString(), matched: FLOOD + 2, notified: 1, missed: FLOOD + 1, late: 0 })]);
    expect(done[0]?.["missed_parties"]).toHaveLength(100); // the event lists the first 100; the entries hold all
    expect(counts(e.coord.getCheck(e.ctx(), id))).toEqual({ matched: FLOOD + 2, notified: 1, acknowledged: 0, missed: FLOOD + 1, late: 0, done: true });
    const entries = e.coord.checkEntries(e.ctx(), id);
    expect(entries).toHaveLength(FLOOD + 2);
    expect(entries.filter((x) => x.missed).map((x) => x.party)).toContain(e.addr(5));
    expect(entries.find((x) => x.party === e.addr(4))).toMatchObject({ notified: true, missed: false });
    expect(e.coord.metrics(e.ctx(), 3).missedParties).toBe(BigInt(FLOOD + 1));
    expect(e.coord.timeline(e.ctx(), id).filter((t) => t.what === "disclosure_check")).toEqual([
      expect.objectContaining({ detail: `matched ${FLOOD + 2}, notified 1, missed ${FLOOD + 1} (event lists the first 100), late 0` }),
    ]);
    // (c) accepted once done
    expect(await e.code(1, [cm.close(e.addr(1), id)])).toBe("ok");
    expect(e.caseOf(id).status).toBe(CaseStatus.CASE_STATUS_CLOSED);
  }, 120_000);

  test("a genesis exported mid-check round-trips exactly; the imported chain finishes the check with the same result", async () => {
    const { e, id } = await disclosedCase(FLOOD);
    e.blocks(9); // 10 batches of 5 so far
    const exported = e.app.exportGenesis();
    const section = exported["coord"] as Record<string, unknown>;
    const g = parseCoordGenesis(JSON.parse(JSON.stringify(section)));
    expect(() => validateCoordGenesis(g)).not.toThrow();
    const mid = g.checks.find((c) => c.caseId === id);
    expect(mid).toMatchObject({ done: false });
    expect(mid?.entries).toHaveLength(10 * BATCH); // every unit so far was a matching flood party
    expect(mid).toMatchObject({ matched: 10 * BATCH, missed: 10 * BATCH }); // the counts so far

    // The original chain runs on to the end.
    while (e.coord.checkRunning(e.ctx(), id)) e.block();
    const want = { check: counts(e.coord.getCheck(e.ctx(), id)), entries: e.coord.checkEntries(e.ctx(), id) };

    // A new chain from the mid-check export: identical export, then the check restarts and finishes.
    const app = createApp({ store: new MemoryCommitStore() });
    let height = e.chain.height + 1n;
    let seconds = e.chain.time + 1n;
    const req: RequestInitChain = {
      time: { seconds, nanos: 0 },
      chainId: TEST_CHAIN_ID,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(exported)),
      initialHeight: height,
    };
    app.initChain(req);
    expect(JSON.stringify(app.exportGenesis()["coord"])).toBe(JSON.stringify(section));
    const coord = keepersOf(app).coord;
    let got: { check: ReturnType<typeof counts>; entries: CheckEntry[] } | undefined;
    for (let i = 0; i < 200 && got === undefined; i++) {
      app.finalizeBlock({
        txs: [],
        decidedLastCommit: { round: 0, votes: [] },
        misbehavior: [],
        hash: new Uint8Array(32),
        height,
        time: { seconds, nanos: 0 },
        nextValidatorsHash: new Uint8Array(32),
        proposerAddress: new Uint8Array(20),
      });
      app.commit();
      height++;
      seconds++;
      const ctx = app.queryContext();
      if (!coord.checkRunning(ctx, id)) got = { check: counts(coord.getCheck(ctx, id)), entries: coord.checkEntries(ctx, id) };
    }
    expect(got).toEqual(want);
    expect(want.check).toMatchObject({ done: true, missed: FLOOD + 1 });
  }, 120_000);
});
