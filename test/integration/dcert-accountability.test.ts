/**
 * Issue 10 item 2 (the dCERT side) and item 6c, at the module level:
 * - the disband slash reaches everyone who was a member when the proposal was submitted or became
 *   one while it was pending, even if it left or started unbonding meanwhile;
 * - a member slashed by governance is barred from admission until governance reinstates it;
 * - pending suspensions are counted again when membership changes, and a member's own suspension
 *   votes lapse when it loses its seat;
 * - dCERT voting power is bonded stake only, kept current when a validator's status changes.
 */
import type { EncodeObject } from "@cosmjs/proto-signing";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { MsgCreateValidator } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { accountValoper } from "../../src/x/staking/keeper";
import { keepersOf } from "../../src/app/wiring";
import { anyOf, BONDS, type DcertEnv, dcertEnv, DENOM, GOV, m, ONE, typedEvents, type Account, type EnvOptions } from "./dcert-harness";

const MIN_BOND = 1_000_000n;
const RICH = 100_000_000_000n;
const FUNDED = 10_000_000_000n;

async function env(params: Record<string, unknown>, n = 10, extra: Partial<EnvOptions> = {}): Promise<DcertEnv> {
  return dcertEnv({ balances: [RICH, ...Array.from({ length: n - 1 }, () => FUNDED)], params: { stabilization_period: "0", ...params }, ...extra });
}

function valoper(e: DcertEnv): string {
  return accountValoper(e.addr(0));
}

async function enroll(e: DcertEnv, cands: readonly Account[]): Promise<void> {
  const txs = [];
  for (const c of cands) txs.push(await e.sign(c, [m.bond(c.address, c.address, MIN_BOND), m.accept(c.address)]));
  for (const r of e.block(txs).txResults) expect(r.log).toBe("");
}

async function support(e: DcertEnv, voter: Account, stake: bigint, candidate: string): Promise<Uint8Array> {
  return e.sign(voter, [m.delegate(voter.address, valoper(e), stake), m.vote(voter.address, [[candidate, ONE]])]);
}

async function govVote(e: DcertEnv, id: bigint): Promise<void> {
  await e.ok(e.acct(0), [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: id, voter: e.addr(0), option: VoteOption.VOTE_OPTION_YES, metadata: "" } }]);
}

describe("the disband slash cannot be escaped", () => {
  test("it reaches members who left or unbonded while the proposal was pending, and members admitted meanwhile", async () => {
    const e = await env({ max_members: 3 });
    const [a, b, c, d] = [e.acct(1), e.acct(2), e.acct(3), e.acct(4)];
    await enroll(e, [a, b, c, d]);
    e.block([await support(e, e.acct(5), 4_000_000n, a.address), await support(e, e.acct(6), 3_000_000n, b.address), await support(e, e.acct(7), 2_000_000n, c.address)]);
    expect([...e.members().keys()].sort()).toEqual([a.address, b.address, c.address].sort());

    const p = await e.proposal([anyOf("MsgDisbandGroup", { authority: GOV, reason: "collusion" })], { vote: "none", skipEnd: true });
    expect(p.submit.code).toBe(0);
    expect(e.keeper.records.disbandExposure(e.ctx(), p.id).sort()).toEqual([a.address, b.address, c.address].sort());

    // While it is pending: a leaves (its bond stays bonded), b unbonds everything (its tokens are
    // still unbonding), and d takes the seat a freed.
    await e.ok(a, [m.leave(a.address)]);
    await e.ok(b, [m.unbond(b.address, b.address, MIN_BOND)]);
    await e.ok(e.acct(8), [m.delegate(e.addr(8), valoper(e), 1_000_000n), m.vote(e.addr(8), [[d.address, ONE]])]);
    expect([...e.members().keys()].sort()).toEqual([c.address, d.address].sort());
    expect(e.keeper.records.disbandExposure(e.ctx(), p.id).sort()).toEqual([a.address, b.address, c.address, d.address].sort());

    const supply = e.supply();
    await govVote(e, p.id);
    const end = e.block([], 100n);
    expect(keepersOf(e.app).gov.getProposal(e.ctx(), p.id)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    // disband_slash_fraction 1: all four bonds are burned, b's through its unbonding entry.
    expect(e.supply()).toBe(supply - 4n * MIN_BOND);
    expect(e.balance(BONDS)).toBe(0n);
    expect(e.member(b.address)?.unbonding).toBe("0");
    expect(typedEvents(end.events, "EventGroupDisbanded")).toEqual([
      {
        reason: "collusion",
        members: [c.address, d.address].sort(),
        slashed: { denom: DENOM, amount: (4n * MIN_BOND).toString() },
        slashed_addresses: [a.address, b.address, c.address, d.address].sort(),
      },
    ]);
    // The exposure is cleared with the proposal.
    expect(e.keeper.records.disbandExposure(e.ctx(), p.id)).toEqual([]);
  });

  test("a disband proposal that fails clears its exposure and slashes nobody", async () => {
    const e = await env({ max_members: 3 });
    const a = e.acct(1);
    await enroll(e, [a]);
    e.block([await support(e, e.acct(5), 4_000_000n, a.address)]);
    const p = await e.proposal([anyOf("MsgDisbandGroup", { authority: GOV, reason: "collusion" })], { vote: "none", skipEnd: true });
    await e.ok(a, [m.leave(a.address)]);
    expect(e.keeper.records.disbandExposure(e.ctx(), p.id)).toEqual([a.address]);
    e.block([], 100n);
    expect(keepersOf(e.app).gov.getProposal(e.ctx(), p.id)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(e.keeper.records.disbandExposure(e.ctx(), p.id)).toEqual([]);
    expect(e.member(a.address)?.bond).toBe(MIN_BOND.toString());
  });
});

describe("a member slashed by governance is barred", () => {
  test("it cannot accept admission again until governance reinstates it", async () => {
    const e = await env({ max_members: 3 });
    const a = e.acct(1);
    await enroll(e, [a]);
    e.block([await support(e, e.acct(5), 4_000_000n, a.address)]);
    expect(e.members().has(a.address)).toBe(true);

    const p = await e.proposal([anyOf("MsgSlashMember", { authority: GOV, member: a.address, fraction: (ONE / 10n).toString(), reason: "breach" })]);
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(e.members().has(a.address)).toBe(false);
    expect(e.member(a.address)).toMatchObject({ barred: true, accepted: false, eligible: false });

    // Topping the bond up does not open the door: the acceptance is refused with its own code.
    await e.ok(a, [m.bond(a.address, a.address, MIN_BOND)]);
    const refused = await e.send(a, [m.accept(a.address)]);
    expect([refused.codespace, refused.code]).toEqual(["dcert", 31]);
    expect(refused.log).toContain("until governance reinstates it (MsgReinstateMember)");
    e.blocks(2);
    expect(e.members().has(a.address)).toBe(false);

    const r = await e.proposal([anyOf("MsgReinstateMember", { authority: GOV, member: a.address })]);
    expect(r.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(e.member(a.address)?.barred).toBe(false);
    await e.ok(a, [m.accept(a.address)]);
    expect(e.members().has(a.address)).toBe(true);
  });

  test("the bar travels through genesis export and import", async () => {
    const e = await env({ max_members: 3 });
    const a = e.acct(1);
    await e.ok(a, [m.bond(a.address, a.address, MIN_BOND)]);
    await e.proposal([anyOf("MsgSlashMember", { authority: GOV, member: a.address, fraction: (ONE / 2n).toString(), reason: "breach" })]);
    const dcert = e.app.exportGenesis()["dcert"] as { barred: { member: string; reason: string }[] };
    expect(dcert.barred).toEqual([expect.objectContaining({ member: a.address, reason: "breach" })]);
  });
});

describe("suspension quorum follows membership", () => {
  async function fourMembers(): Promise<{ e: DcertEnv; a: Account; b: Account; c: Account; d: Account }> {
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
    return { e, a, b, c, d };
  }

  test("a member leaving lowers the quorum: a pending suspension that now reaches it takes effect", async () => {
    const { e, a, c, d } = await fourMembers();
    // 0.5 of the 3 other members: 2 votes needed, 1 cast.
    const first = await e.ok(a, [m.suspend(a.address, d.address, "leaked the embargo")]);
    expect(typedEvents(first.events, "EventSuspensionVote")).toMatchObject([{ yes_votes: 1, needed: 2 }]);
    expect(e.member(d.address)?.suspended).toBe(false);

    // c leaves: the other active members are a and b, ceil(0.5 × 2) = 1 vote is enough.
    const left = await e.ok(c, [m.leave(c.address)]);
    expect(typedEvents(left.blockEvents, "EventMemberSuspended")).toEqual([{ member: d.address, yes_votes: 1, needed: 1 }]);
    expect(e.member(d.address)?.suspended).toBe(true);
    expect(e.members().has(d.address)).toBe(false);
    expect(typedEvents(left.blockEvents, "EventMemberRemoved")).toEqual(
      expect.arrayContaining([expect.objectContaining({ member: d.address, reason: "suspended" })]),
    );
    expect(e.keeper.records.getSuspension(e.ctx(), d.address)?.reason).toBe("leaked the embargo");
  });

  test("a member's own suspension votes lapse when it leaves and do not count after it returns", async () => {
    const { e, a, b, d } = await fourMembers();
    await e.ok(a, [m.suspend(a.address, d.address)]);
    expect(e.keeper.records.hasSuspensionVote(e.ctx(), d.address, a.address)).toBe(true);
    await e.ok(a, [m.leave(a.address)]);
    expect(e.keeper.records.hasSuspensionVote(e.ctx(), d.address, a.address)).toBe(false);
    expect(e.keeper.records.suspensionTargetsOf(e.ctx(), a.address)).toEqual([]);

    await e.ok(a, [m.accept(a.address)]);
    expect(e.members().has(a.address)).toBe(true);
    // b's vote is the only one: 1 of the ceil(0.5 × 3) = 2 needed.
    const second = await e.ok(b, [m.suspend(b.address, d.address)]);
    expect(typedEvents(second.events, "EventSuspensionVote")).toMatchObject([{ yes_votes: 1, needed: 2 }]);
    expect(e.member(d.address)?.suspended).toBe(false);
    expect(e.members().has(d.address)).toBe(true);
  });
});

describe("voting power is bonded stake only", () => {
  const PUBKEY = new Uint8Array(32).fill(9);

  function createValidator(operator: string, amount: bigint): EncodeObject {
    return {
      typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
      value: MsgCreateValidator.fromPartial({
        description: { moniker: "second" },
        commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
        minSelfDelegation: "1",
        delegatorAddress: operator,
        validatorAddress: accountValoper(operator),
        pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: PubKey.encode({ key: PUBKEY }).finish() },
        value: { denom: DENOM, amount: amount.toString() },
      }),
    };
  }

  test("delegations to an unbonded validator do not count; a validator's status change re-weights its delegators", async () => {
    // One validator seat: a second validator stays unbonded until it outgrows the first.
    const e = await dcertEnv({
      balances: [RICH, RICH, FUNDED, FUNDED],
      params: { stabilization_period: "0" },
      editGenesis: (s) => {
        (s["staking"] as { params: Record<string, unknown> }).params["max_validators"] = 1;
      },
    });
    const [op2, v1, v2] = [e.acct(1), e.acct(2), e.acct(3)];
    // Two addresses to vote for (votes for non-candidates count too).
    const [x, y] = [op2.address, e.addr(0)];
    const staking = keepersOf(e.app).staking;
    const second = accountValoper(op2.address);
    await e.ok(op2, [createValidator(op2.address, 1_000_000n)]);
    expect(staking.getValidator(e.ctx(), second)?.status).toBe(BondStatus.BOND_STATUS_UNBONDED);

    // v1 stakes with the unbonded validator, v2 with the bonded one.
    await e.ok(v1, [m.delegate(v1.address, second, 3_000_000n), m.vote(v1.address, [[x, ONE]])]);
    await e.ok(v2, [m.delegate(v2.address, valoper(e), 2_000_000n), m.vote(v2.address, [[y, ONE]])]);
    expect([e.tally(x), e.tally(y)]).toEqual([0n, 2_000_000n]);

    // The second validator outgrows the first: it is bonded, the first starts unbonding.
    await e.ok(op2, [m.delegate(op2.address, second, 2_000_000_000n)]);
    expect(staking.getValidator(e.ctx(), second)?.status).toBe(BondStatus.BOND_STATUS_BONDED);
    expect(staking.getValidator(e.ctx(), valoper(e))?.status).toBe(BondStatus.BOND_STATUS_UNBONDING);
    expect([e.tally(x), e.tally(y)]).toEqual([3_000_000n, 0n]);
  });
});
