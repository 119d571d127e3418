/**
 * The case machine under random message and block-time sequences (fast-check, full in-process
 * app): every stored case is always in a (status, embargo) pair of the table of
 * docs/coordination.md §2.2, every due deadline fires at the block it is due (nothing due is left
 * in a queue) and exactly once (each queue entry has exactly one schedule record and vice versa).
 */
import fc from "fast-check";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { CaseStatus, CommitmentKind, RevisionKind } from "../../src/generated/coord/v1/types";
import { readU64be } from "../../src/baseapp/encoding";
import { prefixEnd } from "../../src/baseapp/store/prefix";
import { isValidCaseState } from "../../src/x/coord/keeper/keeper";
import { KEY, keys } from "../../src/x/coord/keys";
import { timeKey } from "../../src/x/staking/time";
import { cm, coordEnv, type CoordEnv, items, revealItem } from "../integration/coord-harness";

type Action =
  | { t: "open"; by: number; level: number; offset: number }
  | { t: "propose"; by: number; kind: RevisionKind; delta: number; level: number }
  | { t: "approve"; by: number }
  | { t: "escalate"; by: number; level: number }
  | { t: "reveal"; by: number }
  | { t: "close"; by: number }
  | { t: "wait"; seconds: number };

const member = fc.integer({ min: 1, max: 3 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ t: fc.constant("open" as const), by: member, level: fc.integer({ min: 1, max: 3 }), offset: fc.oneof(fc.constant(0), fc.integer({ min: 60, max: 200_000 })) }),
  fc.record({ t: fc.constant("propose" as const), by: member, kind: fc.constantFrom(RevisionKind.REVISION_KIND_EXTEND, RevisionKind.REVISION_KIND_SHORTEN, RevisionKind.REVISION_KIND_DEESCALATE, RevisionKind.REVISION_KIND_WITHDRAW), delta: fc.integer({ min: -50_000, max: 100_000 }), level: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ t: fc.constant("approve" as const), by: member }),
  fc.record({ t: fc.constant("escalate" as const), by: member, level: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ t: fc.constant("reveal" as const), by: member }),
  fc.record({ t: fc.constant("close" as const), by: member }),
  fc.record({ t: fc.constant("wait" as const), seconds: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 3600, max: 100_000 })) }),
);

function checkInvariants(e: CoordEnv): void {
  const ctx = e.ctx();
  const kv = e.coord.kv(ctx);
  const last = e.coord.peekId(ctx, KEY.nextCaseId);
  for (let id = 1n; id < last; id++) {
    const c = e.caseOf(id);
    expect(isValidCaseState(c.status, c.embargoState)).toBe(true);
    expect(kv.has(keys.caseByStatus(c.status, id))).toBe(true);
  }
  // nothing due is left: the time queue starts after the block time, the height queue after the height
  const tq = keys.prefix(KEY.timeQueue);
  for (const [k] of kv.iterate(tq, prefixEnd(tq))) {
    expect(Buffer.compare(Buffer.from(k.subarray(1, 13)), Buffer.from(timeKey({ seconds: e.now(), nanos: 0 }))) > 0).toBe(true);
    break;
  }
  const hq = keys.prefix(KEY.heightQueue);
  for (const [k] of kv.iterate(hq, prefixEnd(hq))) {
    expect(readU64be(k, 1) > e.chain.height).toBe(true);
    break;
  }
  // queue entries and schedule records correspond one to one
  const queued = new Set<string>();
  for (const p of [tq, hq]) for (const [k] of kv.iterate(p, prefixEnd(p))) queued.add(Buffer.from(k).toString("hex"));
  const sp = keys.prefix(KEY.schedule);
  const scheduled = new Set<string>();
  for (const [, v] of kv.iterate(sp, prefixEnd(sp))) scheduled.add(Buffer.from(v).toString("hex"));
  expect([...scheduled].sort()).toEqual([...queued].sort());
}

function latestCase(e: CoordEnv): bigint {
  return e.coord.peekId(e.ctx(), KEY.nextCaseId) - 1n;
}

async function run(e: CoordEnv, a: Action): Promise<void> {
  const id = latestCase(e);
  const it = items(`p${id}`);
  let msg: EncodeObject | undefined;
  const by = e.addr(a.t === "wait" ? 1 : a.by);
  switch (a.t) {
    case "open":
      msg = cm.open(by, items(`p${id + 1n}`), a.level, a.offset === 0 ? {} : { seconds: e.now() + BigInt(a.offset) });
      break;
    case "propose": {
      const T = id > 0n ? (e.caseOf(id).deadlineTime?.seconds ?? 0n) : 0n;
      msg = cm.propose(by, id, a.kind, a.kind === RevisionKind.REVISION_KIND_EXTEND || a.kind === RevisionKind.REVISION_KIND_SHORTEN ? { seconds: T + BigInt(a.delta) } : { level: a.level });
      break;
    }
    case "approve":
      msg = cm.approve(by, id);
      break;
    case "escalate":
      msg = cm.escalate(by, id, a.level);
      break;
    case "reveal":
      msg = cm.reveal(by, id, [CommitmentKind.COMMITMENT_KIND_REPORT, CommitmentKind.COMMITMENT_KIND_COMPONENTS, CommitmentKind.COMMITMENT_KIND_ADVISORY].map((k) => revealItem(it, k)));
      break;
    case "close":
      msg = cm.close(by, id);
      break;
    case "wait":
      e.block([], BigInt(a.seconds));
      return;
  }
  const r = await e.send(e.acct(a.by), [msg]);
  // refusals are registered coord errors, never internal ones
  if (r.code !== 0) expect([r.codespace, r.log]).toEqual(["coord", expect.any(String)]);
}

describe("coord case machine (property)", () => {
  test("random sequences never leave the status table, and deadlines fire exactly once when due", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 25 }), async (actions) => {
        const e = await coordEnv({ members: 3, others: 0, params: { minEmbargoSeconds: 60n } });
        for (const a of actions) {
          await run(e, a);
          checkInvariants(e);
        }
        // every open case eventually is overdue at level 3 or left the open states: nothing is stuck
        e.block([], 400n * 86400n);
        checkInvariants(e);
        for (let id = 1n; id <= latestCase(e); id++) {
          const c = e.caseOf(id);
          expect(c.status).not.toBe(CaseStatus.CASE_STATUS_OPEN);
        }
      }),
      { numRuns: 15 },
    );
  }, 300_000);
});
