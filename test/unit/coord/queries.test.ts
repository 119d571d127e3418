/**
 * The coord Query service on a store written by InitGenesis from the fixture: every method, its
 * filters and paging, and every bad request as coord:41 (or the not-found code of its record).
 * The same service through the app's query router, under the node's query caps, is in
 * test/integration/coord-queries.test.ts.
 */
import { blockContext, type Context } from "../../../src/baseapp/context";
import { ChainError } from "../../../src/baseapp/errors";
import type { QueryService, Registrar } from "../../../src/baseapp/module";
import { MemoryKV } from "../../../src/baseapp/store/memory";
import { CaseStatus, ComponentKind, PartyKind } from "../../../src/generated/coord/v1/types";
import { initCoordGenesis } from "../../../src/x/coord/genesis";
import { CoordKeeper } from "../../../src/x/coord/keeper/keeper";
import { MAX_ID_LIMIT, registerCoordQueries } from "../../../src/x/coord/query_server";
import type * as Q from "../../../src/generated/coord/v1/query";
import { addr, DOWNSTREAM, MEMBER, MEMBER2, REPORTER, validGenesis } from "./genesis-fixture";

type Handler = (req: unknown) => unknown;

interface Responses {
  Params: Q.QueryParamsResponse;
  Party: Q.QueryPartyResponse;
  Parties: Q.QueryPartiesResponse;
  Match: Q.QueryMatchResponse;
  GroupKeys: Q.QueryGroupKeysResponse;
  Case: Q.QueryCaseResponse;
  Cases: Q.QueryCasesResponse;
  Timeline: Q.QueryTimelineResponse;
  Notice: Q.QueryNoticeResponse;
  Notices: Q.QueryNoticesResponse;
  Inputs: Q.QueryInputsResponse;
  Involvements: Q.QueryInvolvementsResponse;
  Disclosure: Q.QueryDisclosureResponse;
  Metrics: Q.QueryMetricsResponse;
}
type Query = <M extends keyof Responses>(method: M, req?: Record<string, unknown>) => Responses[M];

function setup(mutate: (g: ReturnType<typeof validGenesis>) => void = () => undefined): { q: Query; ctx: Context } {
  const ctx = blockContext(new MemoryKV(), { chainId: "t", height: 100n, time: { seconds: 1_700_100_000n, nanos: 0 }, proposer: new Uint8Array() }, "query");
  const g = validGenesis();
  mutate(g);
  const keeper = new CoordKeeper({
    auth: { declareModuleAccount: () => "" },
    bank: { getBalance: (_c: Context, _a: string, denom: string) => ({ denom, amount: 30_000_000n }), sendFromAccountToModule: () => undefined, sendFromModuleToAccount: () => undefined },
    dcert: { isActiveMember: () => true, activeMembers: () => [MEMBER, addr(8)].sort(), disbandPending: () => false, isDisbanded: () => false },
    authority: "",
  });
  initCoordGenesis(ctx, keeper, g);
  const handlers = new Map<string, Handler>();
  const reg: Registrar = {
    msg: () => undefined,
    query<Req, Res>(s: QueryService<Req, Res>): void {
      expect(s.service).toBe("coord.v1.Query");
      // Through the wire, as the router does: decode the request, encode the response.
      handlers.set(s.method, (req) => s.response.decode(s.response.encode(s.handle(ctx, s.request.decode(s.request.encode(s.request.fromPartial(req as never)).finish()))).finish()));
    },
  };
  registerCoordQueries(reg, keeper);
  return {
    ctx,
    q: <M extends keyof Responses>(method: M, req: Record<string, unknown> = {}): Responses[M] => {
      const h = handlers.get(method);
      if (h === undefined) throw new Error(`no handler ${method}`);
      return h(req) as Responses[M];
    },
  };
}

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ChainError) return `${e.codespace}:${e.code}`;
    throw e;
  }
  return "ok";
}

describe("coord queries on a genesis state", () => {
  const { q } = setup();

  test("every rpc of coord.v1.Query is served", () => {
    const methods: (keyof Responses)[] = ["Params", "Party", "Parties", "Match", "GroupKeys", "Case", "Cases", "Timeline", "Notice", "Notices", "Inputs", "Involvements", "Disclosure", "Metrics"];
    for (const m of methods) expect(() => q(m, m === "Party" ? { address: MEMBER } : {})).not.toThrow(/no handler/);
  });

  test("params, party, parties by kind and with tombstones, paged", () => {
    expect(q("Params").params!.maxNoticeBytes).toBe(16 * 1024);
    expect(q("Party", { address: DOWNSTREAM }).party!.contact).toBe("security@example.org");
    expect(code(() => q("Party", { address: addr(77) }))).toBe("coord:10");
    expect(code(() => q("Party", { address: "nope" }))).toBe("coord:41");
    expect(code(() => q("Party", { address: "" }))).toBe("coord:41");
    expect(q("Parties").parties).toHaveLength(3);
    expect(q("Parties", { includeWithdrawn: true }).parties).toHaveLength(4);
    expect(q("Parties", { kind: PartyKind.PARTY_KIND_DOWNSTREAM_PROJECT }).parties.map((p: { address: string }) => p.address)).toEqual([DOWNSTREAM]);
    expect(code(() => q("Parties", { kind: 42 }))).toBe("coord:41");
    const p1 = q("Parties", { pagination: { limit: 2n, countTotal: true } });
    expect(p1.parties).toHaveLength(2);
    expect(p1.pagination!.total).toBe(3n);
    const p2 = q("Parties", { pagination: { key: p1.pagination!.nextKey, limit: 2n } });
    expect(p2.parties).toHaveLength(1);
    expect(p2.pagination!.nextKey).toHaveLength(0);
    expect(code(() => q("Parties", { pagination: { key: p1.pagination!.nextKey, offset: 1n } }))).toBe("coord:41");
  });

  test("match: route, package wildcard, module and tag components; invalid components", () => {
    const m = (components: unknown[]): string[] => q("Match", { components }).parties.map((p: { address: string }) => p.address);
    expect(m([{ kind: ComponentKind.COMPONENT_KIND_ROUTE, name: "/cosmos.bank.v1beta1.MsgSend" }])).toEqual([DOWNSTREAM]);
    expect(m([{ kind: ComponentKind.COMPONENT_KIND_ROUTE, name: "/cosmos.bank.v1beta1.*" }])).toEqual([DOWNSTREAM]);
    expect(m([{ kind: ComponentKind.COMPONENT_KIND_MODULE, name: "bank" }])).toEqual([DOWNSTREAM]);
    expect(m([{ kind: ComponentKind.COMPONENT_KIND_TAG, name: "mempool/cpfp-carveout" }])).toEqual([DOWNSTREAM]);
    expect(m([{ kind: ComponentKind.COMPONENT_KIND_ROUTE, name: "/cosmos.staking.v1beta1.MsgDelegate" }])).toEqual([]);
    expect(m([{ kind: ComponentKind.COMPONENT_KIND_TAG, name: "mempool/other" }])).toEqual([]);
    expect(code(() => q("Match", { components: [] }))).toBe("coord:41");
    expect(code(() => q("Match", { components: Array.from({ length: 33 }, () => ({ kind: ComponentKind.COMPONENT_KIND_TAG, name: "a" })) }))).toBe("coord:41");
    expect(code(() => q("Match", { components: [{ kind: ComponentKind.COMPONENT_KIND_MODULE, name: "nosuch" }] }))).toBe("coord:7");
  });

  test("group keys come from the keeper's membership", () => {
    const g = q("GroupKeys");
    expect(g.keys.map((k: { address: string; keyEpoch: number }) => [k.address, k.keyEpoch])).toEqual([[MEMBER, 1]]);
    expect(g.keys[0]!.encryptionKey).toHaveLength(32);
    expect(g.missing).toEqual([addr(8)]);
  });

  test("case with commitments and revision; cases newest first, by status, paged; timeline", () => {
    const c = q("Case", { caseId: 1n });
    expect(c.case!.id).toBe(1n);
    expect(c.commitments).toHaveLength(3);
    expect(c.revision!.reason).toBe("vendor needs a day");
    expect(q("Case", { caseId: 2n }).revision).toBeUndefined();
    expect(code(() => q("Case", { caseId: 9n }))).toBe("coord:11");
    expect(code(() => q("Case", { caseId: 0n }))).toBe("coord:41");
    const ids = (r: { cases: { id: bigint }[] }): bigint[] => r.cases.map((x) => x.id);
    expect(ids(q("Cases"))).toEqual([3n, 2n, 1n]);
    expect(ids(q("Cases", { pagination: { reverse: true } }))).toEqual([1n, 2n, 3n]);
    expect(ids(q("Cases", { status: CaseStatus.CASE_STATUS_DISCLOSED }))).toEqual([2n]);
    const page1 = q("Cases", { pagination: { limit: 2n } });
    expect(ids(page1)).toEqual([3n, 2n]);
    expect(ids(q("Cases", { pagination: { limit: 2n, key: page1.pagination!.nextKey } }))).toEqual([1n]);
    expect(code(() => q("Cases", { status: 77 }))).toBe("coord:41");
    expect(q("Timeline", { caseId: 1n }).entries.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(code(() => q("Timeline", { caseId: 5n }))).toBe("coord:11");
  });

  test("notices by recipient or case from after_id, limit ≤ 100, omit_envelope", () => {
    expect(q("Notice", { noticeId: 2n }).notice!.caseId).toBe(2n);
    expect(code(() => q("Notice", { noticeId: 99n }))).toBe("coord:22");
    expect(code(() => q("Notice", { noticeId: 0n }))).toBe("coord:41");
    const all = q("Notices", { recipient: DOWNSTREAM });
    expect(all.notices.map((n: { id: bigint }) => n.id)).toEqual([1n, 2n, 3n]);
    expect(all.nextAfterId).toBe(0n);
    expect(all.notices[0]!.envelope!.ciphertext.length).toBeGreaterThan(0);
    const page = q("Notices", { recipient: DOWNSTREAM, limit: 2, omitEnvelope: true });
    expect(page.notices.map((n: { id: bigint }) => n.id)).toEqual([1n, 2n]);
    expect(page.notices[0]!.envelope).toBeUndefined();
    expect(page.notices[0]!.envelopeHash).toHaveLength(32);
    expect(page.nextAfterId).toBe(2n);
    expect(q("Notices", { recipient: DOWNSTREAM, afterId: page.nextAfterId }).notices.map((n: { id: bigint }) => n.id)).toEqual([3n]);
    expect(q("Notices", { recipient: DOWNSTREAM, caseId: 2n }).notices.map((n: { id: bigint }) => n.id)).toEqual([2n]);
    expect(q("Notices", { caseId: 3n }).notices.map((n: { id: bigint }) => n.id)).toEqual([3n]);
    expect(q("Notices", { recipient: MEMBER }).notices).toEqual([]);
    expect(q("Notices", { recipient: DOWNSTREAM, afterId: (1n << 64n) - 1n }).notices).toEqual([]);
    expect(code(() => q("Notices", {}))).toBe("coord:41");
    expect(code(() => q("Notices", { recipient: DOWNSTREAM, limit: MAX_ID_LIMIT + 1 }))).toBe("coord:41");
    expect(code(() => q("Notices", { recipient: "x" }))).toBe("coord:41");
    expect(code(() => q("Notices", { caseId: 8n }))).toBe("coord:11");
  });

  test("inputs by case, general inbox and sender", () => {
    expect(q("Inputs", { caseId: 1n }).inputs.map((x: { id: bigint }) => x.id)).toEqual([1n]);
    expect(q("Inputs").inputs.map((x: { id: bigint }) => x.id)).toEqual([2n]); // the general inbox
    expect(q("Inputs", { sender: REPORTER }).inputs.map((x: { id: bigint }) => x.id)).toEqual([1n, 2n]);
    expect(q("Inputs", { sender: REPORTER, caseId: 1n }).inputs.map((x: { id: bigint }) => x.id)).toEqual([1n]);
    const one = q("Inputs", { sender: REPORTER, limit: 1, omitEnvelope: true });
    expect(one.inputs[0]!.envelope).toBeUndefined();
    expect(one.inputs[0]!.recipients).toEqual([MEMBER, MEMBER2].sort());
    expect(one.nextAfterId).toBe(1n);
    expect(code(() => q("Inputs", { caseId: 44n }))).toBe("coord:11");
    expect(code(() => q("Inputs", { sender: "bad" }))).toBe("coord:41");
  });

  test("involvements, disclosure (42 before), metrics (level 0 sums, overdue ids)", () => {
    expect(q("Involvements", { caseId: 2n }).involvements.map((v: { party: string }) => v.party)).toEqual([DOWNSTREAM]);
    expect(code(() => q("Involvements", { caseId: 0n }))).toBe("coord:41");
    expect(code(() => q("Disclosure", { caseId: 1n }))).toBe("coord:42");
    // Items revealed before the set is complete do not make a disclosure.
    const partial = setup((g) => g.disclosures.push({ ...g.disclosures[0]!, caseId: 1n, advisory: undefined, components: [], level: 0, reportHash: Buffer.alloc(0) }));
    expect(code(() => partial.q("Disclosure", { caseId: 1n }))).toBe("coord:42");
    const d = q("Disclosure", { caseId: 2n });
    expect(d.disclosure!.level).toBe(3);
    expect(d.check!.entries).toHaveLength(1);
    expect(d.mitigations.map((m: { reason: string }) => m.reason)).toEqual(["stop the bleeding"]);
    expect(d.record).toBeUndefined();
    expect(q("Disclosure", { caseId: 3n }).record!.summary!.fixDeploymentVerified).toBe(true);
    const m3 = q("Metrics", { level: 3 });
    expect(m3.metrics!.opened).toBe(3n);
    const m0 = q("Metrics", { level: 0 });
    expect(m0.metrics).toMatchObject({ level: 0, opened: 3n, disclosed: 2n, slippageSecondsTotal: -5n });
    expect(q("Metrics", { level: 1 }).metrics).toMatchObject({ level: 1, opened: 0n });
    expect(m0.overdueCaseIds).toEqual([]);
    expect(code(() => q("Metrics", { level: 4 }))).toBe("coord:41");
  });

  test("metrics list the overdue cases, of one level or all", () => {
    const o = setup((g) => {
      g.cases[0]!.status = CaseStatus.CASE_STATUS_OVERDUE;
      g.cases[0]!.level = 2;
    });
    expect(o.q("Metrics", { level: 0 }).overdueCaseIds).toEqual([1n]);
    expect(o.q("Metrics", { level: 2 }).overdueCaseIds).toEqual([1n]);
    expect(o.q("Metrics", { level: 3 }).overdueCaseIds).toEqual([]);
    expect(o.q("Cases", { status: CaseStatus.CASE_STATUS_OVERDUE }).cases.map((c: { id: bigint }) => c.id)).toEqual([1n]);
  });
});
