/**
 * The dCERT group end to end on a real CometBFT devnet, driven by CosmJS with the project's
 * generated types: governance sets the seat count, delegators split their votes, candidates bond
 * and accept, a vote change replaces a member through the stabilization queue, a member is
 * suspended and then slashed by governance, stipends are paid, a disband proposal fails and burns
 * its wager, and another passes and disbands the group.
 */
import { DirectSecp256k1HdWallet, Registry, type EncodeObject } from "@cosmjs/proto-signing";
import { QueryClient, SigningStargateClient, createProtobufRpcClient, defaultRegistryTypes, type StdFee } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { QueryClientImpl as GovQuery } from "cosmjs-types/cosmos/gov/v1/query";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { moduleAccountAddress } from "../../src/x/auth/keeper";
import { accountValoper } from "../../src/x/staking/keeper";
import { dcertTypes, DCERT_TYPE_URLS } from "../../src/types/messages";
import { QueryClientImpl as DcertQuery } from "../../src/generated/dcert/v1/query";
import { MsgDisbandGroup, MsgSlashMember, MsgUpdateParams } from "../../src/generated/dcert/v1/tx";
import { GroupStatus } from "../../src/generated/dcert/v1/types";
import { startDevnet, supplyProbe, type Devnet } from "./harness";
import { pollUntil } from "../../src/localnet/proc";

jest.setTimeout(300_000);

const PREFIX = "dcert";
const GOV = moduleAccountAddress("gov");
const FEE: StdFee = { amount: [{ denom: "udcert", amount: "75000" }], gas: "3000000" };
const HALF = "500000000000000000";
const QUARTER = "250000000000000000";
const ONE = "1000000000000000000";
const registry = new Registry([...defaultRegistryTypes, ...dcertTypes]);

interface Actor {
  readonly address: string;
  readonly client: SigningStargateClient;
}

async function actor(devnet: Devnet, mnemonic: string): Promise<Actor> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: PREFIX });
  const [acc] = await wallet.getAccounts();
  const client = await SigningStargateClient.connectWithSigner(devnet.rpc, wallet, { registry, broadcastPollIntervalMs: 300 });
  return { address: acc!.address, client };
}

async function send(a: Actor, msgs: EncodeObject[]): Promise<void> {
  const res = await a.client.signAndBroadcast(a.address, msgs, FEE);
  if (res.code !== 0) throw new Error(`tx from ${a.address} failed with code ${res.code}: ${res.rawLog}`);
}

function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  return pollUntil({ what, check: f, timeoutMs, intervalMs: 400 });
}

describe("the dCERT group on a real devnet", () => {
  let devnet: Devnet;
  let comet: Comet38Client;
  let dcert: DcertQuery;
  let gov: GovQuery;
  let abci: QueryClient;
  let validator: Actor;
  let alice: Actor;
  let bob: Actor;
  let carol: Actor;
  const candidates: Actor[] = [];

  /** Submits a proposal carrying `msg` from carol with `deposit`, has the validator vote `option`, returns its id. */
  async function propose(msg: { typeUrl: string; value: Uint8Array }, deposit: bigint, option: VoteOption, title: string): Promise<bigint> {
    const res = await carol.client.signAndBroadcast(
      carol.address,
      [{ typeUrl: "/cosmos.gov.v1.MsgSubmitProposal", value: { messages: [msg], initialDeposit: [{ denom: devnet.denom, amount: deposit.toString() }], proposer: carol.address, metadata: "", title, summary: title, expedited: false } }],
      FEE,
    );
    if (res.code !== 0) throw new Error(`proposal "${title}" refused: ${res.rawLog}`);
    const id = BigInt(res.events.find((e) => e.type === "submit_proposal")!.attributes.find((a) => a.key === "proposal_id")!.value);
    await send(validator, [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: id, voter: validator.address, option, metadata: "" } }]);
    return id;
  }

  async function proposalEnd(id: bigint): Promise<ProposalStatus> {
    return until(`proposal ${id} to end`, async () => {
      const p = (await gov.Proposal({ proposalId: id })).proposal!;
      return p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD ? undefined : p.status;
    });
  }

  async function members(): Promise<string[]> {
    return (await dcert.Group({})).members.map((m) => m.address);
  }

  beforeAll(async () => {
    devnet = await startDevnet();
    comet = await Comet38Client.connect(devnet.rpc);
    abci = new QueryClient(comet);
    const rpc = createProtobufRpcClient(abci);
    dcert = new DcertQuery(rpc);
    gov = new GovQuery(rpc);
    [validator, alice, bob, carol] = await Promise.all(devnet.accounts.slice(0, 4).map((a) => actor(devnet, a.mnemonic))) as [Actor, Actor, Actor, Actor];
    for (let i = 0; i < 4; i++) {
      const w = await DirectSecp256k1HdWallet.generate(12, { prefix: PREFIX });
      candidates.push(await actor(devnet, w.mnemonic));
    }
  });

  afterAll(async () => {
    for (const a of [validator, alice, bob, carol, ...candidates]) a?.client.disconnect();
    comet?.disconnect();
    await devnet?.stop();
  });

  test("the whole ADR 008 story", async () => {
    const [x1, x2, x3, x4] = candidates as [Actor, Actor, Actor, Actor];
    const valoper = accountValoper(validator.address);

    // Governance sets the group to three seats (dCERT params are governance-controlled).
    const params = (await dcert.Params({})).params!;
    const p1 = await propose({ typeUrl: DCERT_TYPE_URLS.updateParams, value: MsgUpdateParams.encode({ authority: GOV, params: { ...params, maxMembers: 3 } }).finish() }, 10_000_000n, VoteOption.VOTE_OPTION_YES, "three seats");

    // Meanwhile: fund the candidates and the community pool; delegators stake.
    await send(carol, [
      { typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend", value: { inputs: [{ address: carol.address, coins: [{ denom: devnet.denom, amount: String(4 * 100_000_000) }] }], outputs: candidates.map((c) => ({ address: c.address, coins: [{ denom: devnet.denom, amount: "100000000" }] })) } },
      { typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPool", value: { depositor: carol.address, amount: [{ denom: devnet.denom, amount: "500000000" }] } },
    ]);
    await send(alice, [{ typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: { delegatorAddress: alice.address, validatorAddress: valoper, amount: { denom: devnet.denom, amount: "4000000000" } } }]);
    await send(bob, [{ typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: { delegatorAddress: bob.address, validatorAddress: valoper, amount: { denom: devnet.denom, amount: "3000000000" } } }]);
    expect(await proposalEnd(p1)).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect((await dcert.Params({})).params!.maxMembers).toBe(3);

    // A member needs an accepting transaction, and a bond: each candidate bonds for itself and accepts.
    for (const c of candidates) {
      await send(c, [
        { typeUrl: DCERT_TYPE_URLS.bond, value: { staker: c.address, member: c.address, amount: { denom: devnet.denom, amount: "2000000" } } },
        { typeUrl: DCERT_TYPE_URLS.acceptAdmission, value: { candidate: c.address } },
      ]);
    }
    // Split representation 50/25/25 from alice (4,000 DCERT of stake).
    await send(alice, [{ typeUrl: DCERT_TYPE_URLS.vote, value: { voter: alice.address, entries: [ { candidate: x1.address, share: HALF }, { candidate: x2.address, share: QUARTER }, { candidate: x3.address, share: QUARTER } ] } }]);
    await until("three members", async () => ((await members()).length === 3 ? true : undefined));
    const group = await dcert.Group({});
    expect(new Set(group.members.map((m) => m.address))).toEqual(new Set([x1.address, x2.address, x3.address]));
    const tally = Object.fromEntries(group.members.map((m) => [m.address, BigInt(m.tally)]));
    expect(tally[x1.address]).toBe(2_000_000_000n);
    expect(tally[x2.address]).toBe(1_000_000_000n);
    expect(tally[x3.address]).toBe(1_000_000_000n);
    const seq = Object.fromEntries(group.members.map((m) => [m.address, m.sequence]));

    // A vote change: bob (3,000 DCERT) backs x4, who outranks the lowest members; with a 3-block
    // stabilization period the replacement is queued first, against the tied-lowest member with the
    // larger sequence number.
    await send(bob, [{ typeUrl: DCERT_TYPE_URLS.vote, value: { voter: bob.address, entries: [{ candidate: x4.address, share: ONE }] } }]);
    // Who voted for a candidate: the votes' `entries` attribute is indexed, so tx_search finds them
    // (docs/benchmarks.md, round 11, says why it stays indexed).
    const votersOf = async (candidate: string): Promise<string[]> => {
      const found = await comet.txSearch({ query: `dcert.v1.EventVote.entries CONTAINS '${candidate}'` });
      return found.txs.flatMap((t) =>
        t.result.events.filter((e) => e.type === "dcert.v1.EventVote").flatMap((e) => e.attributes.filter((a) => a.key === "voter").map((a) => JSON.parse(a.value) as string)),
      );
    };
    expect(await votersOf(x4.address)).toEqual([bob.address]);
    expect(await votersOf(x2.address)).toEqual([alice.address]);
    const queued = await until("a stabilization-queue entry", async () => {
      const q = await dcert.StabilizationQueue({});
      return q.entries.length > 0 ? q.entries[0] : undefined;
    });
    expect(queued!.challenger).toBe(x4.address);
    const kicked = seq[x2.address]! > seq[x3.address]! ? x2 : x3;
    const stays = kicked === x2 ? x3 : x2;
    expect(queued!.replaces).toBe(kicked.address);
    await until("the matured swap", async () => ((await members()).includes(x4.address) ? true : undefined));
    expect(new Set(await members())).toEqual(new Set([x1.address, stays.address, x4.address]));
    expect((await dcert.StabilizationQueue({})).entries).toHaveLength(0);

    // Stipend each block: x4 sends nothing, and its balance grows by exactly the stipend per block
    // between two readings (each answered at a known height).
    const stipend = BigInt((await dcert.Params({})).params!.stipendPerBlock!.amount);
    const balanceAt = async (address: string) => {
      const res = await abci.queryAbci("/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address, denom: devnet.denom }).finish());
      return { amount: BigInt(QueryBalanceResponse.decode(res.value).balance!.amount), height: BigInt(res.height) };
    };
    const r0 = await balanceAt(x4.address);
    await until("a few blocks", async () => ((await balanceAt(x4.address)).height >= r0.height + 3n ? true : undefined));
    const r1 = await balanceAt(x4.address);
    expect(r1.height - r0.height).toBeGreaterThanOrEqual(3n);
    expect(r1.amount - r0.amount).toBe(stipend * (r1.height - r0.height));

    // Suspension at quorum: x4 votes to suspend x1 (quorum ½ of the two other members = 1 vote).
    await send(x4, [{ typeUrl: DCERT_TYPE_URLS.voteSuspend, value: { member: x4.address, target: x1.address, reason: "leaked a disclosure" } }]);
    const susp = await dcert.Suspensions({});
    expect(susp.suspensions.map((s) => s.member)).toContain(x1.address);
    await until("x1 to lose its seat", async () => (!(await members()).includes(x1.address) ? true : undefined));

    // Governance slashes the suspended member by half, and opens a disband proposal that fails.
    const bondBefore = BigInt((await dcert.Bonds({ member: x1.address, staker: "", pagination: undefined })).bonds[0]!.amount);
    // Supply readings at known heights; x/mint adds each block's provision (its `mint` event),
    // so what was burned is before − after + minted in between.
    const { supplyAt, mintedBetween } = supplyProbe(abci, comet, devnet.denom);
    const supplyBefore = await supplyAt();
    const wager = BigInt(params.disbandWager!.amount);
    const pSlash = await propose({ typeUrl: DCERT_TYPE_URLS.slashMember, value: MsgSlashMember.encode({ authority: GOV, member: x1.address, fraction: HALF, reason: "soft-contract breach" }).finish() }, 10_000_000n, VoteOption.VOTE_OPTION_YES, "slash x1");
    const pFail = await propose({ typeUrl: DCERT_TYPE_URLS.disbandGroup, value: MsgDisbandGroup.encode({ authority: GOV, reason: "false alarm" }).finish() }, wager, VoteOption.VOTE_OPTION_NO, "disband (fails)");
    // Powers are frozen from submission on.
    const frozen = await dcert.DisbandStatus({});
    expect(frozen.frozen).toBe(true);
    expect((await dcert.Group({})).disbandPending).toBe(true);
    expect(await proposalEnd(pSlash)).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(await proposalEnd(pFail)).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    const bondAfter = BigInt((await dcert.Bonds({ member: x1.address, staker: "", pagination: undefined })).bonds[0]?.amount ?? "0");
    expect(bondAfter).toBe(bondBefore / 2n);
    const supplyAfter = await supplyAt();
    // Burned: the slashed half of x1's bond and the failed proposal's wager.
    const minted = await mintedBetween(supplyBefore.height, supplyAfter.height);
    expect(supplyBefore.amount - supplyAfter.amount + minted).toBe(bondBefore - bondAfter + wager);
    expect((await dcert.DisbandStatus({})).frozen).toBe(false);

    // A second disband proposal passes: every member loses its seat and the group is disbanded.
    const pDisband = await propose({ typeUrl: DCERT_TYPE_URLS.disbandGroup, value: MsgDisbandGroup.encode({ authority: GOV, reason: "collusion" }).finish() }, wager, VoteOption.VOTE_OPTION_YES, "disband");
    expect(await proposalEnd(pDisband)).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    const final = await dcert.Group({});
    expect(final.status).toBe(GroupStatus.GROUP_STATUS_DISBANDED);
    expect(final.members).toHaveLength(0);
    // Admission is closed until governance re-establishes the group.
    const again = await x2.client.signAndBroadcast(x2.address, [{ typeUrl: DCERT_TYPE_URLS.acceptAdmission, value: { candidate: x2.address } }], FEE);
    expect(again.code).not.toBe(0);
    expect(again.rawLog).toMatch(/disband/i);
  });
});
