/**
 * The dCERT Query service through the generated client (an Rpc over the ABCI query path, as
 * CosmJS's createProtobufRpcClient sends it), and governance changes of the params.
 */
import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import { accountValoper } from "../../src/x/staking/keeper";
import { QueryClientImpl } from "../../src/generated/dcert/v1/query";
import { GroupStatus } from "../../src/generated/dcert/v1/types";
import { devnetDcertParams, paramsToProto } from "../../src/x/dcert/keeper/params";
import { anyOf, dcertEnv, type DcertEnv, DENOM, GOV, m, ONE, typedEvents } from "./dcert-harness";

function client(e: DcertEnv): QueryClientImpl {
  return new QueryClientImpl({
    request(service, method, data) {
      const r = e.app.query({ path: `/${service}/${method}`, data, height: 0n, prove: false });
      if (r.code !== 0) return Promise.reject(new Error(`${r.codespace}:${r.code}: ${r.log}`));
      return Promise.resolve(r.value);
    },
  });
}

async function setup(params: Record<string, unknown> = {}): Promise<DcertEnv> {
  const e = await dcertEnv({ balances: [100_000_000_000n, ...Array.from({ length: 7 }, () => 10_000_000_000n)], params: { stabilization_period: "4", max_members: 2, ...params } });
  const val = accountValoper(e.addr(0));
  const txs = [];
  for (const i of [1, 2, 3, 4]) txs.push(await e.sign(e.acct(i), [m.bond(e.addr(i), e.addr(i), 1_000_000n * BigInt(i)), m.accept(e.addr(i))]));
  txs.push(await e.sign(e.acct(5), [m.delegate(e.addr(5), val, 10_000_000n), m.vote(e.addr(5), [[e.addr(1), (ONE * 4n) / 10n], [e.addr(2), (ONE * 3n) / 10n], [e.addr(3), (ONE * 2n) / 10n], [e.addr(4), ONE / 10n]])]));
  e.block(txs);
  return e;
}

describe("dCERT queries", () => {
  test("group, member, candidates (paged and ranked), vote, queue, bonds, unbondings, suspensions, disband status", async () => {
    const e = await setup();
    const q = client(e);
    const [a1, a2, a3, a4] = [e.addr(1), e.addr(2), e.addr(3), e.addr(4)];

    expect((await q.Params({})).params).toEqual(paramsToProto({ ...devnetDcertParams(DENOM), maxMembers: 2, stabilizationPeriod: 4n }));
    const g = await q.Group({});
    expect(g).toMatchObject({ status: GroupStatus.GROUP_STATUS_ACTIVE, maxMembers: 2, lastSequence: 2n, disbandPending: false });
    expect(g.members).toEqual([
      { address: a1, sequence: 1n, tally: "4000000", bond: "1000000" },
      { address: a2, sequence: 2n, tally: "3000000", bond: "2000000" },
    ]);

    const page1 = await q.Candidates({ pagination: { key: Buffer.alloc(0), offset: 0n, limit: 1n, countTotal: true, reverse: false } });
    expect(page1.candidates.map((c) => [c.address, c.tally, c.bond, c.queued])).toEqual([[a3, "2000000", "3000000", false]]);
    expect(page1.pagination?.total).toBe(2n);
    const page2 = await q.Candidates({ pagination: { key: page1.pagination?.nextKey ?? Buffer.alloc(0), offset: 0n, limit: 1n, countTotal: false, reverse: false } });
    expect(page2.candidates.map((c) => c.address)).toEqual([a4]);
    expect(page2.pagination?.nextKey.length).toBe(0);

    const status = (await q.Member({ address: a3 })).status;
    expect(status).toMatchObject({ address: a3, isMember: false, sequence: 0n, tally: "2000000", bond: "3000000", accepted: true, eligible: true, suspended: false });
    await expect(q.Member({ address: "nope" })).rejects.toThrow("dcert:5");

    const vote = (await q.Vote({ voter: e.addr(5) })).vote;
    expect(vote?.entries.map((x) => x.contribution)).toEqual(["4000000", "3000000", "2000000", "1000000"]);
    await expect(q.Vote({ voter: a1 })).rejects.toThrow("dcert:26");

    // a3 gains support: queued against a2; then a2's bond partly unbonds (a third party bonds too).
    await e.ok(e.acct(6), [m.delegate(e.addr(6), accountValoper(e.addr(0)), 2_000_000n), m.vote(e.addr(6), [[a3, ONE]])]);
    expect((await q.StabilizationQueue({})).entries).toEqual([{ challenger: a3, replaces: a2, maturesAt: e.chain.height + 4n }]);
    expect((await q.Member({ address: a2 })).status?.queueEntry?.challenger).toBe(a3);
    expect((await q.Candidates({ pagination: undefined })).candidates.map((c) => [c.address, c.queued])).toEqual([
      [a3, true],
      [a4, false],
    ]);
    await e.ok(e.acct(7), [m.bond(e.addr(7), a2, 500n)]);
    await e.ok(e.acct(2), [m.unbond(a2, a2, 1_000n)]);
    const ofA2 = (await q.Bonds({ member: a2, staker: "", pagination: undefined })).bonds;
    expect(ofA2).toHaveLength(2);
    expect(ofA2).toEqual(expect.arrayContaining([{ staker: a2, member: a2, amount: "1999000" }, { staker: e.addr(7), member: a2, amount: "500" }]));
    expect((await q.Bonds({ member: "", staker: e.addr(7), pagination: undefined })).bonds).toEqual([{ staker: e.addr(7), member: a2, amount: "500" }]);
    expect((await q.Bonds({ member: a2, staker: e.addr(7), pagination: undefined })).bonds).toEqual([{ staker: e.addr(7), member: a2, amount: "500" }]);
    expect((await q.Bonds({ member: "", staker: "", pagination: undefined })).bonds).toHaveLength(5);
    const unb = (await q.Unbondings({ member: a2, staker: "", pagination: undefined })).unbondings;
    expect(unb.map((u) => [u.staker, u.balance, u.completionTime?.seconds])).toEqual([[a2, "1000", e.chain.time + 20n]]);
    expect((await q.Unbondings({ member: "", staker: a2, pagination: undefined })).unbondings).toHaveLength(1);
    expect((await q.Member({ address: a2 })).status?.unbonding).toBe("1000");

    await e.ok(e.acct(1), [m.suspend(a1, a2, "test")]);
    const s = await q.Suspensions({});
    expect(s.suspensions.map((x) => [x.member, x.reason])).toEqual([[a2, "test"]]);
    expect(s.votes).toEqual([]);
    const d = await q.DisbandStatus({});
    expect(d).toMatchObject({ status: GroupStatus.GROUP_STATUS_ACTIVE, frozen: false, proposals: [] });
  });

  test("governance params changes: fewer seats kick the lowest, a higher bond kicks the under-bonded", async () => {
    const e = await setup({ stabilization_period: "0", max_members: 3 });
    expect([...e.members().keys()]).toEqual([e.addr(1), e.addr(2), e.addr(3)]);
    const p = await e.proposal([anyOf("MsgUpdateParams", { authority: GOV, params: paramsToProto({ ...devnetDcertParams(DENOM), maxMembers: 2, stabilizationPeriod: 0n }) })]);
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect([...e.members().keys()]).toEqual([e.addr(1), e.addr(2)]);
    const raised = await e.proposal([
      anyOf("MsgUpdateParams", {
        authority: GOV,
        params: paramsToProto({ ...devnetDcertParams(DENOM), maxMembers: 2, stabilizationPeriod: 0n, minMemberBond: { denom: DENOM, amount: 1_500_000n } }),
      }),
    ]);
    expect(raised.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    // a1 (bond 1.0) drops out; a3 (bond 3.0, next in rank) takes the seat.
    expect([...e.members().keys()].sort()).toEqual([e.addr(2), e.addr(3)].sort());
    // The bond denom cannot change while tokens are bonded.
    const denom = await e.proposal([
      anyOf("MsgUpdateParams", { authority: GOV, params: paramsToProto({ ...devnetDcertParams("uother"), stabilizationPeriod: 0n }) }),
    ]);
    expect(denom.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
  });

  test("a disband proposal dropped for lack of deposit burns the wager too", async () => {
    const e = await setup({ disband_wager: { denom: DENOM, amount: "5000000" } });
    const supply = e.supply();
    const p = await e.proposal([anyOf("MsgDisbandGroup", { authority: GOV, reason: "x" })], { deposit: 5_000_000n, vote: "none", skipEnd: true });
    expect(p.submit.code).toBe(0);
    expect(e.keeper.disbandPending(e.ctx())).toBe(true);
    const end = e.block([], 61n); // max deposit period 60 s; min deposit 10 DCERT never reached
    expect(typedEvents(end.events, "EventDisbandProposalConcluded")).toEqual([
      { proposal_id: p.id.toString(), outcome: "dropped", wager_burned: { denom: DENOM, amount: "5000000" } },
    ]);
    expect(e.keeper.disbandPending(e.ctx())).toBe(false);
    expect(e.supply()).toBe(supply - 5_000_000n);
  });
});
