/**
 * The accountability road is never closed (ADR 008; docs/hard-fork.md): the group cannot
 * circuit-break the messages governance uses to slash, reinstate, disband or re-establish it or to
 * set its params, a package rule never covers them, and with governance itself broken a proposal
 * made only of them is still submitted, deposited on, voted on and executed, while every other
 * proposal and every vote or deposit on one stays refused.
 */
import type { EncodeObject } from "@cosmjs/proto-signing";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { MsgUpdateParams as GovMsgUpdateParams } from "cosmjs-types/cosmos/gov/v1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { CheckTxType, ResponseProcessProposal_ProposalStatus } from "cosmjs-types/tendermint/abci/types";
import { govParamsToProto } from "../../src/x/gov/params";
import { accountValoper } from "../../src/x/staking/keeper";
import { keepersOf } from "../../src/app/wiring";
import * as q from "../../src/generated/dcert/v1/query";
import { GroupStatus } from "../../src/generated/dcert/v1/types";
import { devnetDcertParams, paramsToProto } from "../../src/x/dcert/keeper/params";
import { anyOf, dcertEnv, type DcertEnv, DENOM, GOV, m, ONE, registry } from "./dcert-harness";

const SEND = "/cosmos.bank.v1beta1.MsgSend";
/** The accountability messages (spelled out here, not taken from the code under test). */
const ACCOUNTABILITY_ROUTES = ["/dcert.v1.MsgSlashMember", "/dcert.v1.MsgReinstateMember", "/dcert.v1.MsgDisbandGroup", "/dcert.v1.MsgReestablishGroup", "/dcert.v1.MsgUpdateParams"];
const BALANCES = [100_000_000_000n, ...Array.from({ length: 5 }, () => 10_000_000_000n)];
const WAGER = 60_000_000n; // ≥ the devnet disband wager (50 DCERT) and the gov min deposit (10 DCERT)

function breakMsg(member: string, routes: readonly string[], reason = "exploit under investigation"): EncodeObject {
  return { typeUrl: "/dcert.v1.MsgCircuitBreak", value: { member, routes: [...routes], reason } };
}

function submit(proposer: string, messages: readonly Any[], deposit: bigint): EncodeObject {
  return {
    typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
    value: { messages: [...messages], initialDeposit: [{ denom: DENOM, amount: deposit.toString() }], proposer, metadata: "", title: "t", summary: "s", expedited: false },
  };
}

function vote(voter: string, proposalId: bigint): EncodeObject {
  return { typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId, voter, option: VoteOption.VOTE_OPTION_YES, metadata: "" } };
}

function voteWeighted(voter: string, proposalId: bigint): EncodeObject {
  return { typeUrl: "/cosmos.gov.v1.MsgVoteWeighted", value: { proposalId, voter, options: [{ option: VoteOption.VOTE_OPTION_YES, weight: "1.000000000000000000" }], metadata: "" } };
}

function deposit(depositor: string, proposalId: bigint, amount: bigint): EncodeObject {
  return { typeUrl: "/cosmos.gov.v1.MsgDeposit", value: { proposalId, depositor, amount: [{ denom: DENOM, amount: amount.toString() }] } };
}

const disband = (): Any => anyOf("MsgDisbandGroup", { authority: GOV, reason: "collusion" });
const dcertParams = (maxMembers: number): Any =>
  anyOf("MsgUpdateParams", { authority: GOV, params: paramsToProto({ ...devnetDcertParams(DENOM), maxMembers, stabilizationPeriod: 0n, circuitBreakEnabled: true }) });

/** Accounts 1 and 2 are members; circuit breaking is on; account 0 operates the only validator. */
async function withMembers(): Promise<DcertEnv> {
  const e = await dcertEnv({ balances: BALANCES, params: { stabilization_period: "0", max_members: 3, circuit_break_enabled: true } });
  const val = accountValoper(e.addr(0));
  e.block([
    await e.sign(e.acct(1), [m.bond(e.addr(1), e.addr(1), 1_000_000n), m.accept(e.addr(1))]),
    await e.sign(e.acct(2), [m.bond(e.addr(2), e.addr(2), 1_000_000n), m.accept(e.addr(2))]),
    await e.sign(e.acct(3), [m.delegate(e.addr(3), val, 3_000_000n), m.vote(e.addr(3), [[e.addr(1), ONE / 2n], [e.addr(2), ONE / 2n]])]),
  ]);
  expect(e.members().size).toBe(2);
  return e;
}

function isBroken(e: DcertEnv, typeUrl: string): q.QueryIsBrokenResponse {
  return e.query("IsBroken", q.QueryIsBrokenRequest, { typeUrl }, q.QueryIsBrokenResponse);
}

function status(e: DcertEnv, id: bigint): ProposalStatus | undefined {
  return keepersOf(e.app).gov.getProposal(e.ctx(), id)?.status;
}

function lastProposalId(e: DcertEnv): bigint {
  return keepersOf(e.app).gov.nextProposalId(e.ctx()) - 1n;
}

/** An ordinary proposal message: a gov param change (quorum 1/2). */
function ordinary(e: DcertEnv): Any {
  const gov = keepersOf(e.app).gov;
  return { typeUrl: "/cosmos.gov.v1.MsgUpdateParams", value: GovMsgUpdateParams.encode({ authority: GOV, params: govParamsToProto({ ...gov.params(e.ctx()), quorum: ONE / 2n }) }).finish() };
}

describe("the accountability road is never closed", () => {
  test("breaking an accountability message exactly is refused with dcert:56 (nothing is broken); /dcert.v1.* breaks the rest of the package only", async () => {
    const e = await withMembers();
    for (const route of ACCOUNTABILITY_ROUTES) {
      const r = await e.send(e.acct(1), [breakMsg(e.addr(1), [SEND, route])]);
      expect([route, r.codespace, r.code]).toEqual([route, "dcert", 56]);
      expect(r.log).toContain(`routes[1] ${route} is an accountability message`);
      expect(r.log).toContain("can never be circuit-broken");
      expect(isBroken(e, SEND).broken).toBe(false); // all or nothing
    }
    // CheckTx answers the same code (stateless: no signature work needed to refuse it).
    const tx = await e.sign(e.acct(1), [breakMsg(e.addr(1), ["dcert.v1.MsgDisbandGroup"])]);
    const c = e.app.checkTx({ tx, type: CheckTxType.NEW });
    expect([c.codespace, c.code]).toEqual(["dcert", 56]);
    e.block();

    await e.ok(e.acct(2), [breakMsg(e.addr(2), ["/dcert.v1.*"])]);
    for (const route of ACCOUNTABILITY_ROUTES) {
      expect(isBroken(e, route)).toEqual({ broken: false, rule: "" });
      expect(() => e.app.router.checkGuards(e.ctx(), route)).not.toThrow();
    }
    expect(isBroken(e, "/dcert.v1.MsgVote")).toEqual({ broken: true, rule: "/dcert.v1.*" });
    const refusedVote = await e.send(e.acct(3), [m.vote(e.addr(3), [[e.addr(1), ONE]])]);
    expect([refusedVote.codespace, refusedVote.code]).toEqual(["dcert", 50]);
  });

  test("with /dcert.v1.* broken by a member, a disband proposal passes and executes: the group is disbanded", async () => {
    const e = await withMembers();
    await e.ok(e.acct(1), [breakMsg(e.addr(1), ["/dcert.v1.*"])]);
    const p = await e.proposal([disband()], { deposit: WAGER });
    expect(p.submit.code).toBe(0);
    expect(keepersOf(e.app).gov.getProposal(e.ctx(), p.id)?.failedReason).toBe("");
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(e.group().status).toBe(GroupStatus.GROUP_STATUS_DISBANDED);
    expect(e.members().size).toBe(0);
  });

  test("rules stored by an older genesis (/dcert.v1.* and exact accountability routes) never block governance's accountability messages", async () => {
    const e = await dcertEnv({
      balances: BALANCES,
      editGenesis: (state) => {
        const member = (state["bank"] as { balances: { address: string }[] }).balances[1]?.address ?? "";
        const routes = ["/dcert.v1.*", "/dcert.v1.MsgDisbandGroup", "/dcert.v1.MsgUpdateParams"];
        (state["dcert"] as Record<string, unknown>)["broken_routes"] = routes.map((route) => ({ route, member, reason: "older genesis", height: "0" }));
      },
    });
    // The rest of the package is broken.
    const accept = await e.send(e.acct(1), [m.accept(e.addr(1))]);
    expect([accept.codespace, accept.code]).toEqual(["dcert", 50]);
    expect(isBroken(e, "/dcert.v1.MsgUpdateParams")).toEqual({ broken: false, rule: "" });
    const params = await e.proposal([dcertParams(7)]);
    expect(params.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(e.keeper.params(e.ctx()).maxMembers).toBe(7);
    const p = await e.proposal([disband()], { deposit: WAGER });
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(e.group().status).toBe(GroupStatus.GROUP_STATUS_DISBANDED);
  });

  test("with /cosmos.gov.v1.* broken, accountability-only proposals are submitted, deposited on, voted on and executed; mixed and ordinary ones stay refused", async () => {
    const e = await withMembers();
    const [op, x] = [e.acct(0), e.acct(4)];
    // Before the break: an ordinary proposal in its deposit period and one in its voting period.
    const inDeposit = (await e.proposal([ordinary(e)], { deposit: 1_000_000n, vote: "none", skipEnd: true })).id;
    const inVoting = (await e.proposal([ordinary(e)], { deposit: WAGER, vote: "none", skipEnd: true })).id;
    expect([status(e, inDeposit), status(e, inVoting)]).toEqual([ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD, ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD]);
    await e.ok(e.acct(1), [breakMsg(e.addr(1), ["/cosmos.gov.v1.*"])]);

    // Still refused: ordinary and mixed submissions, an empty one, votes and deposits on ordinary proposals.
    const sendFromGov = registry.encodeAsAny({ typeUrl: SEND, value: { fromAddress: GOV, toAddress: x.address, amount: [{ denom: DENOM, amount: "1" }] } });
    const refused: [string, EncodeObject][] = [
      ["ordinary submission", submit(op.address, [ordinary(e)], WAGER)],
      ["mixed submission", submit(op.address, [disband(), sendFromGov], WAGER)],
      ["mixed submission (accountability last)", submit(op.address, [sendFromGov, dcertParams(5)], WAGER)],
      ["empty submission", submit(op.address, [], WAGER)],
      ["deposit on an ordinary proposal", deposit(x.address, inDeposit, 10_000_000n)],
      ["vote on an ordinary proposal", vote(op.address, inVoting)],
      ["weighted vote on an ordinary proposal", voteWeighted(op.address, inVoting)],
      ["vote on a proposal that does not exist", vote(op.address, 999n)],
    ];
    for (const [name, msg] of refused) {
      const signer = msg.typeUrl === "/cosmos.gov.v1.MsgDeposit" ? x : op;
      const r = await e.send(signer, [msg]);
      expect([name, r.codespace, r.code]).toEqual([name, "dcert", 50]);
      expect(r.log).toContain("is circuit-broken by rule /cosmos.gov.v1.*");
    }

    // An accountability-only proposal in its deposit period: deposited on until voting starts, weighted vote, executed.
    const params = (await e.proposal([dcertParams(5)], { deposit: 1_000_000n, vote: "none", skipEnd: true })).id;
    expect(status(e, params)).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    await e.ok(x, [deposit(x.address, params, 10_000_000n)]);
    expect(status(e, params)).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    await e.ok(op, [voteWeighted(op.address, params)]);
    e.block([], 100n);
    expect(status(e, params)).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(e.keeper.params(e.ctx()).maxMembers).toBe(5);

    // A disband proposal end to end: submitted with the wager, voted, passed, executed.
    await e.ok(op, [submit(op.address, [disband()], WAGER)]);
    const id = lastProposalId(e);
    // CheckTx and ProcessProposal agree with execution: the vote on the disband passes, the one on the ordinary proposal does not.
    const good = await e.sign(op, [vote(op.address, id)]);
    const bad = await e.sign(x, [vote(x.address, inVoting)]);
    expect(e.app.checkTx({ tx: good, type: CheckTxType.NEW }).code).toBe(0);
    expect(e.app.checkTx({ tx: bad, type: CheckTxType.NEW }).code).toBe(50);
    const verdict = (txs: Uint8Array[]) =>
      e.app.processProposal({
        txs,
        proposedLastCommit: { round: 0, votes: [] },
        misbehavior: [],
        hash: new Uint8Array(32),
        height: e.chain.height + 1n,
        time: { seconds: e.chain.time + 1n, nanos: 0 },
        nextValidatorsHash: new Uint8Array(32),
        proposerAddress: new Uint8Array(20),
      }).status;
    expect(verdict([good])).toBe(ResponseProcessProposal_ProposalStatus.ACCEPT);
    expect(verdict([good, bad])).toBe(ResponseProcessProposal_ProposalStatus.REJECT);
    const res = e.block([good]);
    expect(res.txResults[0]?.code).toBe(0);
    e.block([], 100n);
    expect(status(e, id)).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(e.group().status).toBe(GroupStatus.GROUP_STATUS_DISBANDED);
    // The ordinary proposals are still where the break left them (their votes and deposits were refused).
    expect(keepersOf(e.app).gov.getVote(e.ctx(), inVoting, op.address)).toBeUndefined();
  });

  test("the verdict CheckTx memoises never outlives the proposal: a node that saw the vote at CheckTx executes the block like one that did not", async () => {
    // Two identical chains; only `a` answers CheckTx for the vote (and memoises the proposal's verdict).
    const [a, b] = [await withMembers(), await withMembers()];
    const both = (txs: Uint8Array[], seconds?: bigint) => [a.block(txs, seconds), b.block(txs, seconds)] as const;
    both([await a.sign(a.acct(1), [breakMsg(a.addr(1), ["/cosmos.gov.v1.*"])])]);
    const op = a.acct(0);
    both([await a.sign(op, [submit(op.address, [dcertParams(5)], 1_000_000n)])]); // deposit period (min deposit 10 DCERT)
    const id = lastProposalId(a);
    const voteTx = await a.sign(op, [vote(op.address, id)]);
    expect(a.app.checkTx({ tx: voteTx, type: CheckTxType.NEW }).code).toBe(0);
    // The deposit period ends: the proposal is dropped (deleted). The vote is now a vote on no proposal.
    both([], 100n);
    expect(keepersOf(a.app).gov.getProposal(a.ctx(), id)).toBeUndefined();
    expect(a.app.checkTx({ tx: voteTx, type: CheckTxType.RECHECK }).code).toBe(50);
    const [ra, rb] = both([voteTx]);
    expect(ra.txResults.map((r) => [r.codespace, r.code])).toEqual([["dcert", 50]]);
    expect(ra.txResults).toEqual(rb.txResults);
    expect(Buffer.from(ra.appHash).toString("hex")).toBe(Buffer.from(rb.appHash).toString("hex"));
  });

  test("each governance route broken exactly (submit, deposit, vote, weighted vote): the disband still goes end to end", async () => {
    const e = await withMembers();
    const gov = ["/cosmos.gov.v1.MsgSubmitProposal", "/cosmos.gov.v1.MsgDeposit", "/cosmos.gov.v1.MsgVote", "/cosmos.gov.v1.MsgVoteWeighted"];
    await e.ok(e.acct(1), [breakMsg(e.addr(1), gov)]);
    const op = e.acct(0);
    await e.ok(op, [submit(op.address, [disband()], WAGER)]);
    const id = lastProposalId(e);
    await e.ok(e.acct(4), [deposit(e.addr(4), id, 10_000_000n)]);
    await e.ok(op, [vote(op.address, id)]);
    await e.ok(op, [voteWeighted(op.address, id)]); // a second vote replaces the first
    e.block([], 100n);
    expect(status(e, id)).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(e.group().status).toBe(GroupStatus.GROUP_STATUS_DISBANDED);
  });
});
