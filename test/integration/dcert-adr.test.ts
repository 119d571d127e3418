/**
 * ADR 008's rules, one named test each, at the module level: CosmJS-signed transactions in blocks
 * of the in-process chain, results read back through the dCERT queries and typed events.
 */
import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import { accountValoper } from "../../src/x/staking/keeper";
import { keepersOf } from "../../src/app/wiring";
import { QueryDisbandStatusRequest, QueryDisbandStatusResponse, QueryVoteRequest, QueryVoteResponse } from "../../src/generated/dcert/v1/query";
import { GroupStatus } from "../../src/generated/dcert/v1/types";
import { anyOf, BONDS, DcertEnv, dcertEnv, DENOM, GOV, m, ONE, POOL, typedEvents, type Account, type EnvOptions } from "./dcert-harness";

const MIN_BOND = 1_000_000n;
const RICH = 100_000_000_000n;
const FUNDED = 10_000_000_000n;

async function env(params: Record<string, unknown>, n = 9, extra: Partial<EnvOptions> = {}): Promise<DcertEnv> {
  return dcertEnv({ balances: [RICH, ...Array.from({ length: n - 1 }, () => FUNDED)], params: { stabilization_period: "0", ...params }, ...extra });
}

function valoper(env: DcertEnv): string {
  return accountValoper(env.addr(0));
}

/** Each candidate bonds the minimum for itself and accepts admission, all in one block. */
async function enroll(env: DcertEnv, cands: readonly Account[]): Promise<void> {
  const txs = [];
  for (const c of cands) txs.push(await env.sign(c, [m.bond(c.address, c.address, MIN_BOND), m.accept(c.address)]));
  const res = env.block(txs);
  for (const r of res.txResults) expect(r.log).toBe("");
}

/** `voter` stakes `stake` (delegation to the validator) and gives all of it to `candidate`. */
async function support(env: DcertEnv, voter: Account, stake: bigint, candidate: string): Promise<Uint8Array> {
  return env.sign(voter, [m.delegate(voter.address, valoper(env), stake), m.vote(voter.address, [[candidate, ONE]])]);
}

describe("ADR 008 at the module level", () => {
  test("split representation 50/25/25 is honoured", async () => {
    const e = await env({});
    const [v, john, sally, carol] = [e.acct(1), e.addr(2), e.addr(3), e.addr(4)];
    await e.ok(v, [
      m.delegate(v.address, valoper(e), 4_000_000n),
      m.vote(v.address, [
        [john, ONE / 2n],
        [sally, ONE / 4n],
        [carol, ONE / 4n],
      ]),
    ]);
    expect([e.tally(john), e.tally(sally), e.tally(carol)]).toEqual([2_000_000n, 1_000_000n, 1_000_000n]);
    const vote = e.query("Vote", QueryVoteRequest, { voter: v.address }, QueryVoteResponse).vote;
    expect(vote?.power).toBe("4000000");
    expect(vote?.entries.map((x) => x.contribution)).toEqual(["2000000", "1000000", "1000000"]);
  });

  test("vote weights follow stake changes (staking hooks)", async () => {
    const e = await env({});
    const [v, john, sally] = [e.acct(1), e.addr(2), e.addr(3)];
    await e.ok(v, [m.delegate(v.address, valoper(e), 3_000_000n), m.vote(v.address, [[john, (ONE * 2n) / 3n], [sally, ONE / 3n]])]);
    expect([e.tally(john), e.tally(sally)]).toEqual([1_999_999n, 999_999n]);
    await e.ok(v, [m.delegate(v.address, valoper(e), 3_000_000n)]);
    expect([e.tally(john), e.tally(sally)]).toEqual([3_999_999n, 1_999_999n]);
    await e.ok(v, [m.undelegate(v.address, valoper(e), 6_000_000n)]);
    expect([e.tally(john), e.tally(sally)]).toEqual([0n, 0n]);
  });

  test("a member needs an accepting transaction", async () => {
    const e = await env({ max_members: 3 });
    const [a, v] = [e.acct(1), e.acct(2)];
    await e.ok(a, [m.bond(a.address, a.address, MIN_BOND)]);
    await e.ok(v, [m.delegate(v.address, valoper(e), 5_000_000n), m.vote(v.address, [[a.address, ONE]])]);
    e.blocks(3);
    expect(e.members().has(a.address)).toBe(false);
    expect(e.candidates()).toEqual([]);
    expect(e.tally(a.address)).toBe(5_000_000n);

    // Without a bond the acceptance itself is refused.
    const b = e.acct(3);
    const refused = await e.send(b, [m.accept(b.address)]);
    expect([refused.codespace, refused.code]).toEqual(["dcert", 3]);
    expect(refused.log).toContain("bond at least 1000000udcert more with MsgBond first");

    const accepted = await e.ok(a, [m.accept(a.address)]);
    expect(e.members().get(a.address)).toBe(1n);
    expect(typedEvents(accepted.blockEvents, "EventMemberAdmitted")).toEqual([{ member: a.address, sequence: "1", tally: "5000000" }]);
  });

  test("a new sequence number on every admission and on re-entry", async () => {
    const e = await env({ max_members: 3 });
    const [a, b, v] = [e.acct(1), e.acct(2), e.acct(3)];
    await enroll(e, [a, b]);
    await e.ok(v, [
      m.delegate(v.address, valoper(e), 4_000_000n),
      m.vote(v.address, [
        [a.address, ONE / 2n],
        [b.address, ONE / 4n],
      ]),
    ]);
    expect(e.members()).toEqual(new Map([[a.address, 1n], [b.address, 2n]]));

    const left = await e.ok(a, [m.leave(a.address)]);
    expect(e.members()).toEqual(new Map([[b.address, 2n]]));
    expect(typedEvents(left.blockEvents, "EventMemberRemoved")).toMatchObject([{ member: a.address, sequence: "1", reason: "left" }]);

    await e.ok(a, [m.accept(a.address)]);
    expect(e.members()).toEqual(new Map([[a.address, 3n], [b.address, 2n]]));

    // Leaving and accepting again within one block is a re-entry too.
    e.block([await e.sign(b, [m.leave(b.address)]), await e.sign(b, [m.accept(b.address)])]);
    expect(e.members()).toEqual(new Map([[a.address, 3n], [b.address, 4n]]));
  });

  test("top-N by preferred representation", async () => {
    const e = await env({ max_members: 2 });
    const [a, b, c] = [e.acct(1), e.acct(2), e.acct(3)];
    await enroll(e, [c, b, a]);
    e.block([await support(e, e.acct(4), 3_000_000n, a.address), await support(e, e.acct(5), 2_000_000n, b.address), await support(e, e.acct(6), 1_000_000n, c.address)]);
    expect([...e.members().keys()].sort()).toEqual([a.address, b.address].sort());
    expect(e.group().members.map((x) => x.address)).toEqual([a.address, b.address]);
    expect(e.candidates().map((x) => [x.address, x.tally])).toEqual([[c.address, "1000000"]]);
  });

  test("a full group kicks its lowest member", async () => {
    const e = await env({ max_members: 2 });
    const [a, b, d] = [e.acct(1), e.acct(2), e.acct(3)];
    await enroll(e, [a, b, d]);
    e.block([await support(e, e.acct(4), 3_000_000n, a.address), await support(e, e.acct(5), 2_000_000n, b.address)]);
    expect(e.members()).toEqual(new Map([[a.address, 1n], [b.address, 2n]]));
    const res = await e.ok(e.acct(6), [m.delegate(e.addr(6), valoper(e), 2_500_000n), m.vote(e.addr(6), [[d.address, ONE]])]);
    expect(e.members()).toEqual(new Map([[a.address, 1n], [d.address, 3n]]));
    expect(typedEvents(res.blockEvents, "EventMemberRemoved")).toEqual([
      { member: b.address, sequence: "2", tally: "2000000", reason: "outranked", replaced_by: d.address },
    ]);
  });

  test("a challenger tied with a member does not get in", async () => {
    const e = await env({ max_members: 2 });
    const [a, b, d] = [e.acct(1), e.acct(2), e.acct(3)];
    await enroll(e, [a, b, d]);
    e.block([await support(e, e.acct(4), 3_000_000n, a.address), await support(e, e.acct(5), 2_000_000n, b.address)]);
    await e.ok(e.acct(6), [m.delegate(e.addr(6), valoper(e), 2_000_000n), m.vote(e.addr(6), [[d.address, ONE]])]);
    e.blocks(2);
    expect(e.members()).toEqual(new Map([[a.address, 1n], [b.address, 2n]]));
    expect(e.candidates().map((x) => [x.address, x.tally])).toEqual([[d.address, "2000000"]]);
    // One more token of support and it is strictly ahead.
    await e.ok(e.acct(7), [m.delegate(e.addr(7), valoper(e), 1n), m.vote(e.addr(7), [[d.address, ONE]])]);
    expect(e.members()).toEqual(new Map([[a.address, 1n], [d.address, 3n]]));
  });

  test("of two tied lowest members the smaller sequence number stays", async () => {
    const e = await env({ max_members: 2 });
    const [a, b, d] = [e.acct(1), e.acct(2), e.acct(3)];
    await enroll(e, [a]);
    await e.ok(e.acct(4), [m.delegate(e.addr(4), valoper(e), 2_000_000n), m.vote(e.addr(4), [[a.address, ONE]])]);
    await enroll(e, [b]);
    await e.ok(e.acct(5), [m.delegate(e.addr(5), valoper(e), 2_000_000n), m.vote(e.addr(5), [[b.address, ONE]])]);
    expect(e.members()).toEqual(new Map([[a.address, 1n], [b.address, 2n]]));
    await enroll(e, [d]);
    const res = await e.ok(e.acct(6), [m.delegate(e.addr(6), valoper(e), 3_000_000n), m.vote(e.addr(6), [[d.address, ONE]])]);
    expect(e.members()).toEqual(new Map([[a.address, 1n], [d.address, 3n]]));
    expect(typedEvents(res.blockEvents, "EventMemberRemoved")).toMatchObject([{ member: b.address, sequence: "2" }]);
  });

  test("a queued replacement blocks other entries against the same member", async () => {
    const e = await env({ max_members: 2, stabilization_period: "5" });
    const [a, b, c, d] = [e.acct(1), e.acct(2), e.acct(3), e.acct(4)];
    await enroll(e, [a, b, c, d]);
    e.block([await support(e, e.acct(5), 5_000_000n, a.address), await support(e, e.acct(6), 2_000_000n, b.address)]);
    expect(e.members()).toEqual(new Map([[a.address, 1n], [b.address, 2n]]));
    const res = e.block([await support(e, e.acct(7), 4_000_000n, d.address), await support(e, e.acct(8), 3_000_000n, c.address)]);
    const h = e.chain.height;
    // Both challengers outrank b, but only one entry may target it; neither outranks a.
    expect(e.queue()).toEqual([{ challenger: d.address, replaces: b.address, maturesAt: h + 5n }]);
    expect(typedEvents(res.events, "EventReplacementQueued")).toEqual([{ challenger: d.address, replaces: b.address, matures_at: (h + 5n).toString() }]);
    e.blocks(3);
    expect(e.queue()).toHaveLength(1);
    expect(e.members()).toEqual(new Map([[a.address, 1n], [b.address, 2n]]));
    expect(e.candidates().map((x) => [x.address, x.queued])).toEqual([
      [d.address, true],
      [c.address, false],
    ]);
  });

  test("a matured entry swaps", async () => {
    const e = await env({ max_members: 2, stabilization_period: "3" });
    const [a, b, d] = [e.acct(1), e.acct(2), e.acct(3)];
    await enroll(e, [a, b, d]);
    e.block([await support(e, e.acct(5), 5_000_000n, a.address), await support(e, e.acct(6), 2_000_000n, b.address)]);
    e.block([await support(e, e.acct(7), 4_000_000n, d.address)]);
    const matures = e.queue()[0]?.maturesAt ?? 0n;
    while (e.chain.height < matures - 1n) e.block();
    expect(e.members().has(d.address)).toBe(false);
    const res = e.block();
    expect(e.chain.height).toBe(matures);
    expect(e.members()).toEqual(new Map([[a.address, 1n], [d.address, 3n]]));
    expect(e.queue()).toEqual([]);
    expect(typedEvents(res.events, "EventMemberRemoved")).toMatchObject([{ member: b.address, reason: "outranked", replaced_by: d.address }]);
    expect(typedEvents(res.events, "EventMemberAdmitted")).toMatchObject([{ member: d.address, sequence: "3" }]);
  });

  test("a matured entry is dropped if the challenger no longer outranks", async () => {
    const e = await env({ max_members: 2, stabilization_period: "3" });
    const [a, b, d] = [e.acct(1), e.acct(2), e.acct(3)];
    await enroll(e, [a, b, d]);
    e.block([await support(e, e.acct(5), 5_000_000n, a.address), await support(e, e.acct(6), 2_000_000n, b.address)]);
    e.block([await support(e, e.acct(7), 4_000_000n, d.address)]);
    const matures = e.queue()[0]?.maturesAt ?? 0n;
    // d's supporter withdraws half of its stake: d is now tied with b.
    await e.ok(e.acct(7), [m.undelegate(e.addr(7), valoper(e), 2_000_000n)]);
    let dropped: Record<string, unknown>[] = [];
    while (e.chain.height < matures) dropped = typedEvents(e.block().events, "EventReplacementDropped");
    expect(dropped).toEqual([{ challenger: d.address, replaces: b.address, matures_at: matures.toString(), reason: "no_longer_outranks" }]);
    expect(e.members()).toEqual(new Map([[a.address, 1n], [b.address, 2n]]));
    expect(e.queue()).toEqual([]);
  });

  test("unbonding below the required bond kicks the member", async () => {
    const e = await env({ max_members: 3 });
    const [a, friend] = [e.acct(1), e.acct(2)];
    // A third party bonds for the member too; the member's bond is the sum.
    await e.ok(a, [m.bond(a.address, a.address, MIN_BOND / 2n)]);
    await e.ok(friend, [m.bond(friend.address, a.address, MIN_BOND / 2n)]);
    expect(e.member(a.address)?.bond).toBe(MIN_BOND.toString());
    await e.ok(a, [m.accept(a.address)]);
    await e.ok(e.acct(3), [m.delegate(e.addr(3), valoper(e), 1_000_000n), m.vote(e.addr(3), [[a.address, ONE]])]);
    expect(e.members().has(a.address)).toBe(true);

    // The friend unbonds 1 token: a loses its privileges at once and its seat at the end of the block.
    const res = e.block([await e.sign(friend, [m.unbond(friend.address, a.address, 1n)]), await e.sign(a, [m.describe(a.address, "still here?")])]);
    expect(res.txResults.map((r) => [r.codespace, r.code])).toEqual([
      ["", 0],
      ["dcert", 2],
    ]);
    expect(res.txResults[1]?.log).toContain("bond 999999udcert is below min_member_bond 1000000udcert");
    expect(e.members().has(a.address)).toBe(false);
    expect(typedEvents(res.events, "EventMemberRemoved")).toMatchObject([{ member: a.address, reason: "bond_below_minimum" }]);
    // Bonding back makes it eligible again: a new admission.
    await e.ok(friend, [m.bond(friend.address, a.address, 1n)]);
    expect(e.members().get(a.address)).toBe(2n);
  });

  test("suspension at quorum", async () => {
    const e = await env({ max_members: 4 });
    const [a, b, c, d] = [e.acct(1), e.acct(2), e.acct(3), e.acct(4)];
    await enroll(e, [a, b, c, d]);
    e.block([
      await support(e, e.acct(5), 4_000_000n, a.address),
      await support(e, e.acct(6), 3_000_000n, b.address),
      await support(e, e.acct(7), 2_000_000n, c.address),
      await support(e, e.acct(8), 5_000_000n, d.address),
    ]);
    expect(e.members().size).toBe(4);
    // quorum 0.5 of the 3 other members: ceil(1.5) = 2 votes.
    const first = await e.ok(a, [m.suspend(a.address, d.address)]);
    expect(typedEvents(first.events, "EventSuspensionVote")).toMatchObject([{ voter: a.address, target: d.address, yes_votes: 1, needed: 2 }]);
    expect(e.member(d.address)?.suspended).toBe(false);
    const again = await e.send(a, [m.suspend(a.address, d.address)]);
    expect([again.codespace, again.code]).toEqual(["dcert", 15]);
    const outsider = await e.send(e.acct(5), [m.suspend(e.addr(5), d.address)]);
    expect([outsider.codespace, outsider.code]).toEqual(["dcert", 2]);

    const second = await e.ok(b, [m.suspend(b.address, d.address)]);
    expect(typedEvents(second.events, "EventMemberSuspended")).toEqual([{ member: d.address, yes_votes: 2, needed: 2 }]);
    expect(typedEvents(second.blockEvents, "EventMemberRemoved")).toMatchObject([{ member: d.address, reason: "suspended" }]);
    expect(e.members().has(d.address)).toBe(false);
    expect(e.member(d.address)?.suspended).toBe(true);

    // The suspended member keeps the most support but cannot come back on its own.
    e.blocks(2);
    expect(e.members().has(d.address)).toBe(false);
    const suspendedVote = await e.send(d, [m.suspend(d.address, a.address)]);
    expect([suspendedVote.codespace, suspendedVote.code]).toEqual(["dcert", 2]);

    // Governance reinstates it; its standing acceptance counts again (new sequence number).
    const p = await e.proposal([anyOf("MsgReinstateMember", { authority: GOV, member: d.address })]);
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(e.member(d.address)?.suspended).toBe(false);
    expect(e.members().get(d.address)).toBe(5n);
  });

  test("governance slash reaches tokens still unbonding but not tokens whose unbonding completed", async () => {
    const e = await env({ max_members: 3 }, 4, {
      editGenesis: (s) => {
        (s["staking"] as { params: Record<string, unknown> }).params["unbonding_time"] = "100s";
      },
    });
    const a = e.acct(1);
    await e.ok(a, [m.bond(a.address, a.address, 4_000_000n)]);
    await e.ok(a, [m.unbond(a.address, a.address, 1_000_000n)]); // completes before the slash
    e.block([], 101n);
    const afterFirstPayout = e.balance(a.address);
    expect(afterFirstPayout).toBe(FUNDED - 3_000_000n);
    await e.ok(a, [m.unbond(a.address, a.address, 1_000_000n)]); // still unbonding at the slash
    const supply = e.supply();

    const p = await e.proposal([anyOf("MsgSlashMember", { authority: GOV, member: a.address, fraction: (ONE / 2n).toString(), reason: "breach" })], {
      skipEnd: true,
    });
    const res = e.block([], 16n);
    expect(keepersOf(e.app).gov.getProposal(e.ctx(), p.id)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(typedEvents(res.events, "EventMemberSlashed")).toEqual([
      { member: a.address, fraction: (ONE / 2n).toString(), bonded_slashed: "1000000", unbonding_slashed: "500000", reason: "breach" },
    ]);
    expect(e.supply()).toBe(supply - 1_500_000n);
    expect(e.member(a.address)?.bond).toBe("1000000");
    expect(e.member(a.address)?.unbonding).toBe("500000");
    expect(e.balance(BONDS)).toBe(1_500_000n);
    // The slashed entry pays out what is left; the completed one was never touched.
    e.block([], 100n);
    expect(e.balance(a.address)).toBe(afterFirstPayout + 500_000n);
    expect(e.balance(BONDS)).toBe(1_000_000n);
  });

  test("disband proposal suspends powers at once; a failed one burns the wager", async () => {
    const e = await env({ max_members: 3 });
    const [a, b] = [e.acct(1), e.acct(2)];
    await enroll(e, [a, b]);
    e.block([await support(e, e.acct(3), 2_000_000n, a.address), await support(e, e.acct(4), 1_000_000n, b.address)]);
    expect(e.members().size).toBe(2);

    const tooSmall = await e.proposal([anyOf("MsgDisbandGroup", { authority: GOV, reason: "collusion" })], { deposit: 49_999_999n });
    expect([tooSmall.submit.codespace, tooSmall.submit.code]).toEqual(["dcert", 21]);

    const proposerBefore = e.balance(e.addr(0));
    const supply = e.supply();
    const p = await e.proposal([anyOf("MsgDisbandGroup", { authority: GOV, reason: "collusion" })], { deposit: 60_000_000n, vote: "none", skipEnd: true });
    expect(p.submit.code).toBe(0);
    // Frozen from the submission block on.
    expect(e.keeper.disbandPending(e.ctx())).toBe(true);
    expect(e.query("DisbandStatus", QueryDisbandStatusRequest, {}, QueryDisbandStatusResponse)).toMatchObject({ frozen: true, proposals: [{ proposalId: p.id, proposer: e.addr(0) }] });
    const blocked = await e.send(a, [m.suspend(a.address, b.address)]);
    expect([blocked.codespace, blocked.code]).toEqual(["dcert", 22]);
    const blocked2 = await e.send(a, [m.describe(a.address, "new name")]);
    expect([blocked2.codespace, blocked2.code]).toEqual(["dcert", 22]);
    // The members keep their seats meanwhile.
    expect(e.members().size).toBe(2);

    // Rejected: the freeze ends, the wager is burned, the rest of the deposit comes back.
    const end = e.block([], 100n);
    expect(keepersOf(e.app).gov.getProposal(e.ctx(), p.id)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(typedEvents(end.events, "EventDisbandProposalConcluded")).toEqual([
      { proposal_id: p.id.toString(), outcome: "rejected", wager_burned: { denom: DENOM, amount: "50000000" } },
    ]);
    expect(e.keeper.disbandPending(e.ctx())).toBe(false);
    expect(e.supply()).toBe(supply - 50_000_000n);
    expect(e.balance(e.addr(0))).toBe(proposerBefore - 50_000_000n);
    await e.ok(a, [m.describe(a.address, "thawed")]);
    expect(e.group().description?.name).toBe("thawed");
  });

  test("a passed disband removes every member, slashes their bonds, and holds until re-established", async () => {
    const e = await env({ max_members: 3 });
    const [a, b, c] = [e.acct(1), e.acct(2), e.acct(3)];
    await enroll(e, [a, b, c]);
    e.block([await support(e, e.acct(4), 2_000_000n, a.address), await support(e, e.acct(5), 1_000_000n, b.address)]);
    expect(e.members().size).toBe(2);
    const supply = e.supply();
    const p = await e.proposal([anyOf("MsgDisbandGroup", { authority: GOV, reason: "collusion" })]);
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(e.members().size).toBe(0);
    expect(e.group().status).toBe(GroupStatus.GROUP_STATUS_DISBANDED);
    // Members' bonds are fully slashed (disband_slash_fraction 1); the candidate c is not a member and keeps its bond.
    expect(e.supply()).toBe(supply - 2n * MIN_BOND);
    expect(e.balance(BONDS)).toBe(MIN_BOND);
    expect(e.keeper.disbandPending(e.ctx())).toBe(false);
    const closed = await e.send(c, [m.accept(c.address)]);
    expect([closed.codespace, closed.code]).toEqual(["dcert", 19]);

    const r = await e.proposal([anyOf("MsgReestablishGroup", { authority: GOV })]);
    expect(r.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(e.group().status).toBe(GroupStatus.GROUP_STATUS_ACTIVE);
    expect(e.members().size).toBe(0); // every acceptance was withdrawn by the disband
    await e.ok(c, [m.accept(c.address)]);
    await e.ok(e.acct(6), [m.delegate(e.addr(6), valoper(e), 1n), m.vote(e.addr(6), [[c.address, ONE]])]);
    expect(e.members().get(c.address)).toBe(3n);
  });

  test("stipend each block", async () => {
    const e = await env({ max_members: 3, stipend_per_block: { denom: DENOM, amount: "1000" } });
    const [a, b] = [e.acct(1), e.acct(2)];
    await enroll(e, [a, b]);
    e.block([await support(e, e.acct(3), 2_000_000n, a.address), await support(e, e.acct(4), 1_000_000n, b.address)]);
    expect(e.members().size).toBe(2);
    expect(e.balance(POOL)).toBe(0n);
    const [a0, b0] = [e.balance(a.address), e.balance(b.address)];
    await e.ok(e.acct(5), [m.fundPool(e.addr(5), 5_000n)]);
    // Each block pays both members from the pool until it cannot pay them both.
    const paid = e.block();
    expect(typedEvents(paid.events, "EventStipendPaid")).toEqual([{ members: [a.address, b.address].sort(), amount_each: { denom: DENOM, amount: "1000" } }]);
    expect([e.balance(a.address) - a0, e.balance(b.address) - b0, e.balance(POOL)]).toEqual([1000n, 1000n, 3000n]);
    e.block();
    expect([e.balance(a.address) - a0, e.balance(b.address) - b0, e.balance(POOL)]).toEqual([2000n, 2000n, 1000n]);
    const skipped = e.block();
    expect(typedEvents(skipped.events, "EventStipendSkipped")).toEqual([
      { members: 2, needed: { denom: DENOM, amount: "2000" }, available: { denom: DENOM, amount: "1000" } },
    ]);
    expect([e.balance(a.address) - a0, e.balance(b.address) - b0, e.balance(POOL)]).toEqual([2000n, 2000n, 1000n]);
    expect(e.member(a.address)?.stipendPaid).toBe("2000");
  });
});
