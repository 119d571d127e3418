/**
 * The coord Query service on an in-process app after a real coordination workload
 * (coord-workload.ts), through the ABCI query path: every rpc, paging, bad requests (coord:41),
 * the node's query gas and size caps, and export → InitChain → export identity of the state the
 * keeper built.
 */
import type { RequestInitChain } from "cosmjs-types/tendermint/abci/types";
import { createApp } from "../../src/app/node";
import { MemoryCommitStore } from "../../src/baseapp/store/memory";
import * as Q from "../../src/generated/coord/v1/query";
import { CaseStatus, ComponentKind, InvolvementStatus, PartyKind } from "../../src/generated/coord/v1/types";
import { encryptionPublicKey, openEnvelope } from "../../src/types/coord";
import { addrString } from "../../src/x/auth/keeper";
import { defaultCoordGenesisJson, parseCoordGenesis, validateCoordGenesis } from "../../src/x/coord/genesis";
import { testChain } from "../helpers/app";
import { TEST_CHAIN_ID } from "../helpers/txs";
import { BANK, coordWorkload, keyOf, R, secretOf, SEND, TAG, type Workload } from "./coord-workload";
import { account } from "./dcert-harness";

type Codec<T> = { encode(m: T): { finish(): Uint8Array }; decode(b: Uint8Array): T; fromPartial(o: never): T };

/** Raw ABCI query: the decoded answer, or "codespace:code" of the refusal. */
function ask<Req, Res>(app: { query: ReturnType<typeof createApp>["query"] }, method: string, req: Codec<Req>, value: Partial<Req>, res: Codec<Res>): Res | string {
  const r = app.query({ path: `/coord.v1.Query/${method}`, data: req.encode(req.fromPartial(value as never)).finish(), height: 0n, prove: false });
  return r.code === 0 ? res.decode(r.value) : `${r.codespace}:${r.code}`;
}

function must<T>(v: T | string): T {
  if (typeof v === "string") throw new Error(`query refused: ${v}`);
  return v;
}

const CODECS = {
  Party: [Q.QueryPartyRequest, Q.QueryPartyResponse],
  Parties: [Q.QueryPartiesRequest, Q.QueryPartiesResponse],
  Case: [Q.QueryCaseRequest, Q.QueryCaseResponse],
  Cases: [Q.QueryCasesRequest, Q.QueryCasesResponse],
  Notice: [Q.QueryNoticeRequest, Q.QueryNoticeResponse],
  Notices: [Q.QueryNoticesRequest, Q.QueryNoticesResponse],
  Inputs: [Q.QueryInputsRequest, Q.QueryInputsResponse],
  Involvements: [Q.QueryInvolvementsRequest, Q.QueryInvolvementsResponse],
  Disclosure: [Q.QueryDisclosureRequest, Q.QueryDisclosureResponse],
  Metrics: [Q.QueryMetricsRequest, Q.QueryMetricsResponse],
  Match: [Q.QueryMatchRequest, Q.QueryMatchResponse],
} as const;

let w: Workload;

beforeAll(async () => {
  w = await coordWorkload();
}, 120_000);

describe("coord queries after a coordination workload", () => {
  const q = <Req, Res>(method: string, req: Codec<Req>, value: Partial<Req>, res: Codec<Res>): Res | string => ask(w.c.e.app, method, req, value, res);
  const a = (i: number): string => w.c.addr(i);

  test("parties, match and group keys", () => {
    expect(must(q("Params", Q.QueryParamsRequest, {}, Q.QueryParamsResponse)).params?.levels).toHaveLength(3);
    const p = must(q("Party", Q.QueryPartyRequest, { address: a(R.routeDep) }, Q.QueryPartyResponse)).party;
    expect(p).toMatchObject({ kind: PartyKind.PARTY_KIND_DOWNSTREAM_PROJECT, keyEpoch: 1, dependencies: [SEND] });
    expect(Buffer.from(p?.encryptionKey ?? [])).toEqual(Buffer.from(keyOf(R.routeDep)));
    expect(q("Party", Q.QueryPartyRequest, { address: a(R.reporter) }, Q.QueryPartyResponse)).toBe("coord:10");

    const all = must(q("Parties", Q.QueryPartiesRequest, { pagination: { key: Buffer.alloc(0), offset: 0n, limit: 2n, countTotal: true, reverse: false } }, Q.QueryPartiesResponse));
    expect(all.parties).toHaveLength(2);
    expect(all.pagination?.total).toBe(5n);
    const seen = all.parties.map((x) => x.address);
    let key = all.pagination?.nextKey ?? Buffer.alloc(0);
    while (key.length > 0) {
      const page = must(q("Parties", Q.QueryPartiesRequest, { pagination: { key, offset: 0n, limit: 2n, countTotal: false, reverse: false } }, Q.QueryPartiesResponse));
      seen.push(...page.parties.map((x) => x.address));
      key = page.pagination?.nextKey ?? Buffer.alloc(0);
    }
    expect(seen.sort()).toEqual([R.member1, R.member2, R.routeDep, R.moduleDep, R.unaffected].map(a).sort());
    expect(must(q("Parties", Q.QueryPartiesRequest, { kind: PartyKind.PARTY_KIND_EXCHANGE_OR_SERVICE }, Q.QueryPartiesResponse)).parties.map((x) => x.address)).toEqual([a(R.moduleDep)]);

    const match = (components: unknown[]): string[] | string => {
      const r = q("Match", Q.QueryMatchRequest, { components: components as never }, Q.QueryMatchResponse);
      return typeof r === "string" ? r : r.parties.map((x) => x.address);
    };
    expect(match([SEND])).toEqual([a(R.routeDep), a(R.moduleDep)].sort());
    expect(match([{ kind: ComponentKind.COMPONENT_KIND_ROUTE, name: "/cosmos.bank.v1beta1.MsgMultiSend", versions: "" }])).toEqual([a(R.moduleDep)]);
    expect(match([BANK])).toEqual([a(R.routeDep), a(R.moduleDep)].sort());
    expect(match([TAG])).toEqual([a(R.unaffected)]);
    expect(match([{ kind: ComponentKind.COMPONENT_KIND_MODULE, name: "staking", versions: "" }])).toEqual([]);
    expect(match([{ kind: ComponentKind.COMPONENT_KIND_MODULE, name: "nosuch", versions: "" }])).toBe("coord:7");
    expect(match([])).toBe("coord:41");

    const g = must(q("GroupKeys", Q.QueryGroupKeysRequest, {}, Q.QueryGroupKeysResponse));
    expect(g.keys.map((k) => k.address)).toEqual([a(R.member1), a(R.member2)].sort());
    expect(g.missing).toEqual([]);
  });

  test("cases, timeline, notices, inputs, involvements", async () => {
    const c1 = must(q("Case", Q.QueryCaseRequest, { caseId: 1n }, Q.QueryCaseResponse));
    expect(c1.case).toMatchObject({ id: 1n, status: CaseStatus.CASE_STATUS_CLOSED, level: 3, noticeCount: 3, inputCount: 1 });
    expect(c1.commitments.map((x) => x.revealed)).toEqual([true, true, true]);
    expect(must(q("Case", Q.QueryCaseRequest, { caseId: 2n }, Q.QueryCaseResponse)).case?.status).toBe(CaseStatus.CASE_STATUS_OPEN);
    expect(must(q("Case", Q.QueryCaseRequest, { caseId: 3n }, Q.QueryCaseResponse)).case?.status).toBe(CaseStatus.CASE_STATUS_DISCLOSED);
    expect(q("Case", Q.QueryCaseRequest, { caseId: 4n }, Q.QueryCaseResponse)).toBe("coord:11");
    const ids = (r: Q.QueryCasesResponse | string): bigint[] => must(r).cases.map((x) => x.id);
    expect(ids(q("Cases", Q.QueryCasesRequest, {}, Q.QueryCasesResponse))).toEqual([3n, 2n, 1n]);
    expect(ids(q("Cases", Q.QueryCasesRequest, { status: CaseStatus.CASE_STATUS_DISCLOSED }, Q.QueryCasesResponse))).toEqual([3n]);
    expect(ids(q("Cases", Q.QueryCasesRequest, { status: CaseStatus.CASE_STATUS_OPEN }, Q.QueryCasesResponse))).toEqual([2n]);
    expect(ids(q("Cases", Q.QueryCasesRequest, { status: CaseStatus.CASE_STATUS_CLOSED }, Q.QueryCasesResponse))).toEqual([1n]);

    const t = must(q("Timeline", Q.QueryTimelineRequest, { caseId: 1n }, Q.QueryTimelineResponse)).entries;
    expect(t.map((e) => e.seq)).toEqual(t.map((_, i) => i + 1));
    expect(t.map((e) => e.what)).toEqual(expect.arrayContaining(["opened", "disclosed"]));
    const first = must(q("Timeline", Q.QueryTimelineRequest, { caseId: 1n, pagination: { key: Buffer.alloc(0), offset: 0n, limit: 1n, countTotal: true, reverse: false } }, Q.QueryTimelineResponse));
    expect(first.entries).toHaveLength(1);
    expect(first.pagination?.total).toBe(BigInt(t.length));

    const toRoute = must(q("Notices", Q.QueryNoticesRequest, { recipient: a(R.routeDep) }, Q.QueryNoticesResponse));
    expect(toRoute.notices.map((n) => n.id)).toEqual([1n, 3n]);
    const env = toRoute.notices[0]?.envelope;
    if (env === undefined) throw new Error("no envelope");
    const plain = await openEnvelope(env, { address: a(R.routeDep), secretKey: secretOf(R.routeDep) }, { chainId: TEST_CHAIN_ID, caseId: 1n, purpose: "notice" });
    expect(new TextDecoder().decode(plain)).toBe(`private notice for party ${R.routeDep}`);
    const page = must(q("Notices", Q.QueryNoticesRequest, { caseId: 1n, limit: 2, omitEnvelope: true }, Q.QueryNoticesResponse));
    expect(page.notices.map((n) => [n.id, n.envelope, n.envelopeHash.length])).toEqual([
      [1n, undefined, 32],
      [2n, undefined, 32],
    ]);
    expect(page.nextAfterId).toBe(2n);
    expect(must(q("Notices", Q.QueryNoticesRequest, { caseId: 1n, afterId: 2n }, Q.QueryNoticesResponse)).notices.map((n) => n.id)).toEqual([3n]);

    expect(must(q("Inputs", Q.QueryInputsRequest, { caseId: 1n }, Q.QueryInputsResponse)).inputs.map((x) => x.id)).toEqual([1n]);
    expect(must(q("Inputs", Q.QueryInputsRequest, {}, Q.QueryInputsResponse)).inputs.map((x) => x.id)).toEqual([2n]);
    const bySender = must(q("Inputs", Q.QueryInputsRequest, { sender: a(R.reporter) }, Q.QueryInputsResponse)).inputs;
    expect(bySender.map((x) => x.id)).toEqual([1n, 2n]);
    expect(bySender[0]?.recipients).toEqual([a(R.member1), a(R.member2)].sort());
    // What a member's watcher follows: every input sealed to it, in id order, in one sequence.
    expect(must(q("Inputs", Q.QueryInputsRequest, { recipient: a(R.member2) }, Q.QueryInputsResponse)).inputs.map((x) => x.id)).toEqual([1n, 2n]);
    expect(must(q("Inputs", Q.QueryInputsRequest, { recipient: a(R.member2), caseId: 1n }, Q.QueryInputsResponse)).inputs.map((x) => x.id)).toEqual([1n]);
    expect(must(q("Inputs", Q.QueryInputsRequest, { recipient: a(R.member2), afterId: 1n }, Q.QueryInputsResponse)).inputs.map((x) => x.id)).toEqual([2n]);
    expect(must(q("Inputs", Q.QueryInputsRequest, { recipient: a(R.reporter) }, Q.QueryInputsResponse)).inputs).toEqual([]);

    const inv = must(q("Involvements", Q.QueryInvolvementsRequest, { caseId: 1n }, Q.QueryInvolvementsResponse)).involvements;
    const status = Object.fromEntries(inv.map((v) => [v.party, v.status]));
    expect(status).toEqual({ [a(R.routeDep)]: InvolvementStatus.INVOLVEMENT_STATUS_IN_PROGRESS, [a(R.moduleDep)]: InvolvementStatus.INVOLVEMENT_STATUS_CONTACTED });
    expect(inv.find((v) => v.party === a(R.routeDep))?.secondsToAck).toBe(31n); // first notice, then 1 s + 30 s to the acknowledgement
  });

  test("disclosure (42 before), its check and record; metrics", () => {
    expect(q("Disclosure", Q.QueryDisclosureRequest, { caseId: 2n }, Q.QueryDisclosureResponse)).toBe("coord:42");
    const d = must(q("Disclosure", Q.QueryDisclosureRequest, { caseId: 1n }, Q.QueryDisclosureResponse));
    expect(d.disclosure?.advisory?.title).toBe("Bank MsgSend accepts a negative amount");
    expect(d.disclosure?.components).toEqual([SEND]);
    expect(d.check).toMatchObject({ matched: 2, notified: 2, acknowledged: 1, missed: 0, late: 0 });
    expect(d.record?.summary?.fixDeploymentVerified).toBe(true);
    // Case 3 matched the unaffected party's tag, and nobody notified it.
    const d3 = must(q("Disclosure", Q.QueryDisclosureRequest, { caseId: 3n }, Q.QueryDisclosureResponse));
    expect(d3.check).toMatchObject({ matched: 1, notified: 0, missed: 1 });
    expect(d3.check?.entries).toEqual([{ party: a(R.unaffected), matchedAtOpen: true, notified: false, acknowledged: false, late: false, missed: true }]);
    expect(d3.disclosure?.report).toHaveLength(0); // revealed by its hash only
    expect(d3.disclosure?.reportHash).toHaveLength(32);
    expect(d3.record).toBeUndefined();
    const m3 = must(q("Metrics", Q.QueryMetricsRequest, { level: 3 }, Q.QueryMetricsResponse));
    expect(m3.metrics).toMatchObject({ level: 3, opened: 2n, disclosed: 2n, acknowledgements: 1n, ackSecondsTotal: 31n, missedParties: 1n });
    const m0 = must(q("Metrics", Q.QueryMetricsRequest, { level: 0 }, Q.QueryMetricsResponse));
    expect(m0.metrics).toMatchObject({ level: 0, opened: 3n, disclosed: 2n, missedParties: 1n });
    expect(m0.overdueCaseIds).toEqual([]);
  });

  test.each<[string, keyof typeof CODECS, Record<string, unknown>]>([
    ["Party without address", "Party", { address: "" }],
    ["Party with a bad address", "Party", { address: "cosmos1abc" }],
    ["Parties of an unknown kind", "Parties", { kind: 99 }],
    ["Parties with key and offset", "Parties", { pagination: { key: Buffer.from([1]), offset: 1n, limit: 0n, countTotal: false, reverse: false } }],
    ["Case 0", "Case", { caseId: 0n }],
    ["Cases of an unknown status", "Cases", { status: 42 }],
    ["Notice 0", "Notice", { noticeId: 0n }],
    ["Notices without filter", "Notices", {}],
    ["Notices over the limit", "Notices", { caseId: 1n, limit: 101 }],
    ["Inputs with a bad sender", "Inputs", { sender: "x" }],
    ["Inputs with a bad recipient", "Inputs", { recipient: "x" }],
    ["Inputs by sender and recipient", "Inputs", { sender: "dcert1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a", recipient: "dcert1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a" }],
    ["Inputs over the limit", "Inputs", { limit: 1000 }],
    ["Involvements of case 0", "Involvements", { caseId: 0n }],
    ["Disclosure of case 0", "Disclosure", { caseId: 0n }],
    ["Metrics of level 4", "Metrics", { level: 4 }],
    ["Match with 33 components", "Match", { components: Array.from({ length: 33 }, () => TAG) }],
  ])("bad request: %s → coord:41", (_name, method, value) => {
    const [req, res] = CODECS[method] as unknown as [Codec<unknown>, Codec<unknown>];
    expect(ask(w.c.e.app, method, req, value, res)).toBe("coord:41");
  });

  test("export → InitChain → export gives the identical coord section", () => {
    const exported = w.c.e.app.exportGenesis();
    const section = exported["coord"];
    expect(() => validateCoordGenesis(parseCoordGenesis(section))).not.toThrow();
    const app = createApp({ store: new MemoryCommitStore() });
    const req: RequestInitChain = {
      time: { seconds: w.c.e.chain.time + 1n, nanos: 0 },
      chainId: TEST_CHAIN_ID,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(exported)),
      initialHeight: w.c.e.chain.height + 1n,
    };
    app.initChain(req);
    expect(JSON.stringify(app.exportGenesis()["coord"])).toBe(JSON.stringify(section));
    app.finalizeBlock({
      txs: [],
      decidedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(32),
      height: req.initialHeight,
      time: { seconds: w.c.e.chain.time + 2n, nanos: 0 },
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20),
    });
    app.commit();
    // The rebuilt indexes answer like the originals.
    expect(must(ask(app, "Notices", Q.QueryNoticesRequest, { recipient: w.c.addr(R.routeDep), omitEnvelope: true }, Q.QueryNoticesResponse)).notices.map((n) => n.id)).toEqual([1n, 3n]);
    expect(must(ask(app, "Match", Q.QueryMatchRequest, { components: [SEND] }, Q.QueryMatchResponse)).parties).toHaveLength(2);
    expect(must(ask(app, "Cases", Q.QueryCasesRequest, { status: CaseStatus.CASE_STATUS_OPEN }, Q.QueryCasesResponse)).cases.map((c) => c.id)).toEqual([2n]);
  });
});

describe("coord queries under the node's query caps", () => {
  /** A chain whose genesis registers `n` parties that all depend on TAG (deposits 0). */
  async function crowded(n: number, caps: { queryGasLimit?: bigint; maxQueryBytes?: number }): Promise<ReturnType<typeof testChain>> {
    const acc = await account(0);
    const chain = testChain({
      accounts: [{ address: acc.address, amount: 100_000_000_000n }],
      ...caps,
      editGenesis: (s) => {
        const coord = (s["coord"] ??= defaultCoordGenesisJson()) as Record<string, unknown>;
        (coord["params"] as Record<string, unknown>)["party_deposit"] = { denom: "udcert", amount: "0" };
        coord["parties"] = Array.from({ length: n }, (_, i) => ({
          address: addrString(Uint8Array.from([...new Uint8Array(16), i >> 8, i & 0xff, 1, 1])),
          kind: "PARTY_KIND_DOWNSTREAM_PROJECT",
          name: `p${i}`,
          encryption_key: Buffer.from(keyOfIndex(i)).toString("base64"),
          key_epoch: 1,
          deposit: { denom: "udcert", amount: "0" },
          dependencies: [{ kind: "COMPONENT_KIND_TAG", name: TAG.name }],
          registered_height: "1",
          dependencies_height: "1",
        }));
      },
    });
    chain.block(); // queries answer from committed state
    return chain;
  }
  const keyOfIndex = (i: number): Uint8Array => {
    const secret = new Uint8Array(32);
    secret[5] = i & 0xff; // not byte 0: X25519 clamps its low bits
    secret[6] = i >> 8;
    secret[7] = 1;
    return encryptionPublicKey(secret);
  };

  test("a query that would read too much runs out of query gas (sdk:11); a smaller page passes", async () => {
    const chain = await crowded(300, { queryGasLimit: 100_000n }); // a full page of 300 parties reads ~150k gas, Match ~450k
    const big = ask(chain.app, "Parties", Q.QueryPartiesRequest, { pagination: { key: Buffer.alloc(0), offset: 0n, limit: 1000n, countTotal: false, reverse: false } }, Q.QueryPartiesResponse);
    expect(big).toBe("sdk:11");
    expect(ask(chain.app, "Match", Q.QueryMatchRequest, { components: [TAG] }, Q.QueryMatchResponse)).toBe("sdk:11");
    const small = must(ask(chain.app, "Parties", Q.QueryPartiesRequest, { pagination: { key: Buffer.alloc(0), offset: 0n, limit: 10n, countTotal: false, reverse: false } }, Q.QueryPartiesResponse));
    expect(small.parties).toHaveLength(10);
  }, 60_000);

  test("a request over the node's size cap is refused before it is decoded (query:2)", async () => {
    const chain = await crowded(1, { maxQueryBytes: 1024 });
    const components = Array.from({ length: 32 }, (_, i) => ({ kind: ComponentKind.COMPONENT_KIND_TAG, name: `t${i}-${"x".repeat(60)}`, versions: "" }));
    expect(ask(chain.app, "Match", Q.QueryMatchRequest, { components }, Q.QueryMatchResponse)).toBe("query:2");
    expect(must(ask(chain.app, "Match", Q.QueryMatchRequest, { components: [TAG] }, Q.QueryMatchResponse)).parties).toHaveLength(1);
  });

  test("InitChain refuses deposits the coord_deposits account does not hold", async () => {
    const acc = await account(0);
    expect(() =>
      testChain({
        accounts: [{ address: acc.address, amount: 100_000_000_000n }],
        editGenesis: (s) => {
          const coord = (s["coord"] ??= defaultCoordGenesisJson()) as Record<string, unknown>;
          coord["parties"] = [
            {
              address: acc.address,
              kind: "PARTY_KIND_VALIDATOR",
              name: "v",
              encryption_key: Buffer.from(keyOf(1)).toString("base64"),
              key_epoch: 1,
              deposit: { denom: "udcert", amount: "5" },
            },
          ];
        },
      }),
    ).toThrow(/coord_deposits module account holds 0udcert but the registered parties' deposits total 5udcert/);
  });
});
