/**
 * The dCERT client library against a real CometBFT devnet: every dCERT message is signed through
 * SigningDcertClient in SIGN_MODE_DIRECT and in legacy amino JSON (an amino-only wallet) and
 * accepted by the chain. The governance-only messages travel in gov v1 proposals, themselves
 * signed in both modes, which pass with the validator operator's vote. The query extension and
 * DcertClient's typed queries are checked against the state those transactions create.
 *
 * One devnet for the whole file; the tests run in order and build on each other's state.
 */
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { BroadcastTxError, GasPrice, QueryClient, type DeliverTxResponse } from "@cosmjs/stargate";
import { connectComet, type CometClient } from "@cosmjs/tendermint-rpc";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { MsgFundCommunityPool } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { DEVNET_MIN_GAS_PRICES } from "../../src/localnet/devnet";
import {
  DcertClient,
  SigningDcertClient,
  buildDisbandGroup,
  buildReestablishGroup,
  buildReinstateMember,
  buildSlashMember,
  buildUpdateParams,
  decimalToFixed18,
  setupDcertExtension,
  setupGovV1Extension,
  type DcertExtension,
  type GovV1Extension,
} from "../../src/client";
import { GroupStatus } from "../../src/generated/dcert/v1/types";
import { MsgVoteSuspendResponse } from "../../src/generated/dcert/v1/tx";
import { startDevnet, type Devnet } from "./harness";
import { pollUntil } from "../../src/localnet/proc";

jest.setTimeout(300_000);

const PREFIX = "dcert";
const OPTIONS = { gasPrice: GasPrice.fromString(DEVNET_MIN_GAS_PRICES), broadcastPollIntervalMs: 300, broadcastTimeoutMs: 30_000 };
const BROKEN_BY_BOB = "/cosmos.distribution.v1beta1.MsgFundCommunityPool";
const BROKEN_BY_CAROL = "/cosmos.staking.v1beta1.MsgBeginRedelegate";

/** One account with a direct-mode and an amino-only client. */
interface Actor {
  readonly address: string;
  readonly direct: SigningDcertClient;
  readonly amino: SigningDcertClient;
}

async function actor(rpc: string, mnemonic: string): Promise<Actor> {
  const directWallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: PREFIX });
  const aminoWallet = await Secp256k1HdWallet.fromMnemonic(mnemonic, { prefix: PREFIX });
  const [acc] = await directWallet.getAccounts();
  return {
    address: acc!.address,
    direct: await SigningDcertClient.connectWithSigner(rpc, directWallet, OPTIONS),
    amino: await SigningDcertClient.connectWithSigner(rpc, aminoWallet, OPTIONS),
  };
}

function ok(res: DeliverTxResponse): DeliverTxResponse {
  if (res.code !== 0) throw new Error(`tx ${res.transactionHash} failed with code ${res.code}: ${res.rawLog ?? ""}`);
  return res;
}

function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  return pollUntil({ what, check: probe, timeoutMs, intervalMs: 300 });
}

function proposalIdOf(res: DeliverTxResponse): bigint {
  const ev = res.events.find((e) => e.type === "submit_proposal");
  const id = ev?.attributes.find((a) => a.key === "proposal_id")?.value;
  if (id === undefined) throw new Error(`no proposal_id in the events of ${res.transactionHash}`);
  return BigInt(id);
}

const coin = (amount: number | bigint): { denom: string; amount: string } => ({ denom: "udcert", amount: amount.toString() });

describe("dCERT client on a CometBFT devnet", () => {
  let devnet: Devnet;
  let reader: DcertClient;
  let comet: CometClient;
  let ext: QueryClient & DcertExtension & GovV1Extension;
  let validator: Actor, alice: Actor, bob: Actor, carol: Actor, dave: Actor, erin: Actor;
  const actors: Actor[] = [];

  beforeAll(async () => {
    devnet = await startDevnet();
    reader = await DcertClient.connect(devnet.rpc);
    comet = await connectComet(devnet.rpc);
    ext = QueryClient.withExtensions(comet, setupDcertExtension, setupGovV1Extension);
    const [v, a, b, c] = devnet.accounts;
    validator = await actor(devnet.rpc, v!.mnemonic);
    alice = await actor(devnet.rpc, a!.mnemonic);
    bob = await actor(devnet.rpc, b!.mnemonic);
    carol = await actor(devnet.rpc, c!.mnemonic);
    dave = await actor(devnet.rpc, (await DirectSecp256k1HdWallet.generate(24, { prefix: PREFIX })).mnemonic);
    erin = await actor(devnet.rpc, (await DirectSecp256k1HdWallet.generate(24, { prefix: PREFIX })).mnemonic);
    actors.push(validator, alice, bob, carol, dave, erin);
  });

  afterAll(async () => {
    for (const a of actors) {
      a.direct.disconnect();
      a.amino.disconnect();
    }
    reader?.disconnect();
    comet?.disconnect();
    await devnet?.stop();
  });

  test("the read-only client sees the devnet's dCERT params through the typed query and the raw extension", async () => {
    const params = await reader.getDcertParams();
    expect(params.minMemberBond).toEqual(coin(1_000_000));
    expect(params.circuitBreakEnabled).toBe(true);
    expect((await ext.dcert.params()).params).toEqual(params);
    const group = await reader.getGroup();
    expect(group.status).toBe(GroupStatus.GROUP_STATUS_ACTIVE);
    expect(group.members).toEqual([]);
    expect(group.maxMembers).toBe(params.maxMembers);
    expect(await reader.getVote(alice.address)).toBeNull();
    expect((await reader.getGovParams()).votingPeriod?.seconds).toBeLessThanOrEqual(20n);
  });

  test("fund new accounts and delegate with the signing client's inherited CosmJS methods", async () => {
    ok(await validator.direct.sendTokens(validator.address, dave.address, [coin(10_000_000_000)], "auto"));
    ok(await validator.amino.sendTokens(validator.address, erin.address, [coin(10_000_000_000)], "auto"));
    const [val] = await reader.getValidators("BOND_STATUS_BONDED");
    expect(val).toBeDefined();
    await Promise.all([
      alice.direct.delegateTokens(alice.address, val!.operatorAddress, coin(1_000_000_000), "auto").then(ok),
      bob.amino.delegateTokens(bob.address, val!.operatorAddress, coin(1_000_000_000), "auto").then(ok),
    ]);
    expect((await reader.getDelegations(alice.address)).map((d) => d.balance?.amount)).toEqual(["1000000000"]);
  });

  test("MsgBond (self and third party) and MsgAcceptAdmission, each in both sign modes", async () => {
    await Promise.all([
      bob.direct.bond(bob.address, bob.address, coin(2_000_000), "auto").then(ok),
      carol.amino.bond(carol.address, carol.address, coin(2_000_000), "auto").then(ok),
      dave.direct.bond(dave.address, dave.address, coin(2_000_000), "auto").then(ok),
      (async () => {
        ok(await erin.amino.bond(erin.address, dave.address, coin(1_000_000), "auto"));
        ok(await erin.direct.bond(erin.address, erin.address, coin(2_000_000), "auto"));
      })(),
    ]);
    const daveBonds = await reader.getBonds({ member: dave.address });
    expect(daveBonds.map((b) => [b.staker, b.amount]).sort()).toEqual([[dave.address, "2000000"], [erin.address, "1000000"]].sort());
    expect((await ext.dcert.bonds({ staker: erin.address })).bonds).toHaveLength(2);

    await Promise.all([
      bob.direct.acceptAdmission(bob.address, "auto").then(ok),
      carol.amino.acceptAdmission(carol.address, "auto").then(ok),
      dave.direct.acceptAdmission(dave.address, "auto").then(ok),
      erin.amino.acceptAdmission(erin.address, "auto").then(ok),
    ]);
    const erinStatus = await reader.getMemberStatus(erin.address);
    expect(erinStatus.accepted).toBe(true);
    expect(erinStatus.bond).toBe("2000000");
    expect(erinStatus.isMember).toBe(false);
  });

  test("MsgVote with split shares in both sign modes elects the voted candidates; the unvoted one stays a candidate", async () => {
    ok(
      await validator.direct.vote(
        validator.address,
        [
          { candidate: bob.address, share: decimalToFixed18("0.4") },
          { candidate: carol.address, share: decimalToFixed18("0.3") },
          { candidate: dave.address, share: decimalToFixed18("0.2") },
        ],
        "auto",
      ),
    );
    ok(
      await alice.amino.vote(
        alice.address,
        [
          { candidate: bob.address, share: decimalToFixed18("0.5") },
          { candidate: carol.address, share: decimalToFixed18("0.5") },
        ],
        "auto",
      ),
    );
    const group = await waitFor("three members", async () => {
      const g = await reader.getGroup();
      return g.members.length === 3 ? g : undefined;
    });
    expect(group.members.map((m) => m.address)).toEqual([bob.address, carol.address, dave.address]);
    const aliceVote = await reader.getVote(alice.address);
    expect(aliceVote?.power).toBe("1000000000");
    expect(aliceVote?.entries.map((e) => [e.candidate, e.share, e.contribution])).toEqual([
      [bob.address, "500000000000000000", "500000000"],
      [carol.address, "500000000000000000", "500000000"],
    ]);
    const candidates = await reader.getCandidates();
    expect(candidates.map((c) => c.address)).toEqual([erin.address]);
    expect(candidates[0]?.tally).toBe("0");
    expect((await ext.dcert.member(bob.address)).status?.isMember).toBe(true);
    expect(await reader.getStabilizationQueue()).toEqual([]);
  });

  test("MsgUpdateDescription in both sign modes", async () => {
    ok(await bob.direct.updateDescription(bob.address, { name: "dCERT devnet", website: "https://dcert.example" }, "auto"));
    expect((await reader.getGroup()).description?.name).toBe("dCERT devnet");
    ok(await carol.amino.updateDescription(carol.address, { name: "dCERT devnet", details: "emergency response", securityContact: "sec@dcert.example" }, "auto"));
    expect((await reader.getGroup()).description).toEqual({ name: "dCERT devnet", details: "emergency response", website: "", securityContact: "sec@dcert.example" });
  });

  test("MsgCircuitBreak in both sign modes: the routes are listed, reported broken, and refused", async () => {
    ok(await bob.direct.circuitBreak(bob.address, [BROKEN_BY_BOB], "client e2e (direct)", "auto"));
    ok(await carol.amino.circuitBreak(carol.address, [BROKEN_BY_CAROL], "client e2e (amino)", "auto"));
    const routes = await reader.getBrokenRoutes();
    expect(routes.map((r) => [r.route, r.member, r.reason]).sort()).toEqual(
      [
        [BROKEN_BY_BOB, bob.address, "client e2e (direct)"],
        [BROKEN_BY_CAROL, carol.address, "client e2e (amino)"],
      ].sort(),
    );
    expect(await reader.isRouteBroken(BROKEN_BY_BOB)).toEqual({ broken: true, rule: BROKEN_BY_BOB });
    expect(await reader.isRouteBroken("/cosmos.bank.v1beta1.MsgSend")).toEqual({ broken: false, rule: "" });
    const fund = { typeUrl: BROKEN_BY_BOB, value: MsgFundCommunityPool.fromPartial({ depositor: alice.address, amount: [coin(1)] }) };
    const fee = { amount: [coin(10_000)], gas: "200000" };
    await expect(alice.direct.signAndBroadcast(alice.address, [fund], fee)).rejects.toBeInstanceOf(BroadcastTxError);
  });

  test("MsgUnbond in both sign modes leaves slashable unbonding entries", async () => {
    ok(await bob.direct.unbond(bob.address, bob.address, coin(100_000), "auto"));
    ok(await carol.amino.unbond(carol.address, carol.address, coin(100_000), "auto"));
    const unbondings = await reader.getUnbondings({ member: bob.address });
    expect(unbondings.map((u) => [u.staker, u.balance])).toEqual([[bob.address, "100000"]]);
    expect((await ext.dcert.unbondings({ staker: carol.address })).unbondings).toHaveLength(1);
    expect((await reader.getMemberStatus(bob.address)).unbonding).toBe("100000");
  });

  test("MsgLeaveGroup in both sign modes (leave, accept again, leave)", async () => {
    ok(await erin.direct.leaveGroup(erin.address, "auto"));
    expect((await reader.getMemberStatus(erin.address)).accepted).toBe(false);
    ok(await erin.direct.acceptAdmission(erin.address, "auto"));
    expect((await reader.getMemberStatus(erin.address)).accepted).toBe(true);
    ok(await erin.amino.leaveGroup(erin.address, "auto"));
    expect((await reader.getMemberStatus(erin.address)).accepted).toBe(false);
    expect(await reader.getCandidates()).toEqual([]);
  });

  test("MsgVoteSuspend in both sign modes suspends at quorum", async () => {
    const first = ok(await bob.direct.voteSuspend(bob.address, dave.address, "client e2e (direct)", "auto"));
    const r1 = MsgVoteSuspendResponse.decode(first.msgResponses[0]!.value);
    expect(r1).toEqual({ suspended: true, yesVotes: 1, needed: 1 });
    const second = ok(await carol.amino.voteSuspend(carol.address, bob.address, "client e2e (amino)", "auto"));
    expect(MsgVoteSuspendResponse.decode(second.msgResponses[0]!.value).suspended).toBe(true);
    const { suspensions } = await reader.getSuspensions();
    expect(suspensions.map((s) => s.member).sort()).toEqual([bob.address, dave.address].sort());
    expect((await reader.getMemberStatus(dave.address)).suspended).toBe(true);
  });

  test("every governance-only message, in proposals signed in both modes, passes and takes effect", async () => {
    const params = await reader.getDcertParams();
    const submitDirect = ok(
      await validator.direct.submitProposal(
        validator.address,
        [buildUpdateParams({ params: { ...params, maxVoteEntries: 15 } }), buildReinstateMember({ member: dave.address }), buildSlashMember({ member: erin.address, fraction: decimalToFixed18("0.1"), reason: "direct" })],
        [coin(10_000_000)],
        { title: "params, reinstate, slash (direct)", summary: "client e2e" },
        "auto",
      ),
    );
    const submitAmino = ok(
      await validator.amino.submitProposal(
        validator.address,
        [buildUpdateParams({ params: { ...params, maxVoteEntries: 16 } }), buildReinstateMember({ member: bob.address }), buildSlashMember({ member: erin.address, fraction: decimalToFixed18("0.1"), reason: "amino" })],
        [coin(10_000_000)],
        { title: "params, reinstate, slash (amino)", summary: "client e2e" },
        "auto",
      ),
    );
    const disbandDirect = ok(
      await validator.direct.submitProposal(validator.address, [buildDisbandGroup({ reason: "direct" }), buildReestablishGroup()], [coin(60_000_000)], { title: "disband and re-establish (direct)", summary: "client e2e" }, "auto"),
    );
    const disbandAmino = ok(
      await validator.amino.submitProposal(validator.address, [buildDisbandGroup({ reason: "amino" }), buildReestablishGroup()], [coin(60_000_000)], { title: "disband and re-establish (amino)", summary: "client e2e" }, "auto"),
    );
    const ids = [submitDirect, submitAmino, disbandDirect, disbandAmino].map(proposalIdOf);
    const [p1, p2, p3, p4] = ids as [bigint, bigint, bigint, bigint];

    // gov v1 deposits and votes, each in both modes
    ok(await alice.amino.govDeposit(alice.address, p1, [coin(100_000)], "auto"));
    ok(await alice.direct.govDeposit(alice.address, p2, [coin(100_000)], "auto"));
    ok(await validator.direct.govVote(validator.address, p1, VoteOption.VOTE_OPTION_YES, "auto"));
    ok(await validator.amino.govVote(validator.address, p2, VoteOption.VOTE_OPTION_YES, "auto"));
    ok(await validator.direct.govVoteWeighted(validator.address, p3, [{ option: VoteOption.VOTE_OPTION_YES, weight: "1" }], "auto"));
    ok(
      await validator.amino.govVoteWeighted(
        validator.address,
        p4,
        [
          { option: VoteOption.VOTE_OPTION_YES, weight: "0.9" },
          { option: VoteOption.VOTE_OPTION_ABSTAIN, weight: "0.1" },
        ],
        "auto",
      ),
    );
    expect((await reader.getDeposits(p1)).map((d) => d.depositor).sort()).toEqual([alice.address, validator.address].sort());
    expect((await reader.getGovVote(p2, validator.address))?.options.map((o) => o.option)).toEqual([VoteOption.VOTE_OPTION_YES]);
    expect((await reader.getGovVotes(p4))).toHaveLength(1);
    expect(await reader.getGovVote(p1, bob.address)).toBeNull();

    // A pending disband proposal freezes the group.
    const pending = await reader.getDisbandStatus();
    expect(pending.frozen).toBe(true);
    expect(pending.proposals.map((p) => p.proposalId)).toEqual([p3, p4]);

    const finals = await waitFor(
      "the four proposals to conclude",
      async () => {
        const ps = await Promise.all(ids.map((id) => reader.getProposal(id)));
        return ps.every((p) => p !== null && p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) ? ps : undefined;
      },
      60_000,
    );
    expect(finals.map((p) => [p!.id, p!.status, p!.failedReason])).toEqual(ids.map((id) => [id, ProposalStatus.PROPOSAL_STATUS_PASSED, ""]));
    expect((await reader.getProposals({ status: ProposalStatus.PROPOSAL_STATUS_PASSED })).map((p) => p.id)).toEqual(ids);
    expect((await ext.govV1.tally(p1)).tally?.yesCount).not.toBe("0");

    // Their effects: params from the last params proposal, no suspension left, erin slashed twice
    // by 10%, the group disbanded (bonds slashed, seats and acceptances gone) and re-established.
    expect((await reader.getDcertParams()).maxVoteEntries).toBe(16);
    expect((await reader.getSuspensions()).suspensions).toEqual([]);
    expect((await reader.getBonds({ member: erin.address })).map((b) => b.amount)).toEqual(["1620000"]);
    const group = await reader.getGroup();
    expect(group.status).toBe(GroupStatus.GROUP_STATUS_ACTIVE);
    expect(group.members).toEqual([]);
    const status = await reader.getDisbandStatus();
    expect(status.frozen).toBe(false);
    expect(status.status).toBe(GroupStatus.GROUP_STATUS_ACTIVE);
    expect((await reader.getMemberStatus(carol.address)).bond).toBe("0");
  });

  test("getTxDetails finds a committed tx by hash with its codespace, and a failed tx reports its dCERT error", async () => {
    const fee = { amount: [coin(10_000)], gas: "300000" };
    // bob's acceptance was withdrawn by the disband: leaving again fails in DeliverTx with a dCERT code.
    const res = await bob.direct.leaveGroup(bob.address, fee);
    expect(res.code).not.toBe(0);
    const tx = await reader.getTxDetails(res.transactionHash);
    expect(tx?.height).toBe(res.height);
    expect(tx?.codespace).toBe("dcert");
    expect(tx?.rawLog).toMatch(/no standing acceptance/);
    expect(await reader.getTxDetails("00".repeat(32))).toBeNull();
  });
});
