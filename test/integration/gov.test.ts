/**
 * Governance in process, through the ABCI methods with CosmJS-signed txs and the real staking and
 * distribution modules: proposals pass and execute, vetoes burn, wrong signers are refused, and
 * delegators override their validator's vote.
 */
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { QueryBalanceRequest, QueryBalanceResponse, QuerySupplyOfRequest, QuerySupplyOfResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { QueryCommunityPoolRequest, QueryCommunityPoolResponse } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { MsgCommunityPoolSpend } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import {
  QueryProposalRequest,
  QueryProposalResponse,
  QueryTallyResultRequest,
  QueryTallyResultResponse,
} from "cosmjs-types/cosmos/gov/v1/query";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Event, ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { QueryClient, setupGovExtension } from "@cosmjs/stargate";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { addrString, moduleAccountAddress } from "../../src/x/auth/keeper";
import { accountValoper } from "../../src/x/staking/keeper";
import { keepersOf } from "../../src/app/wiring";
import { testChain, type TestChain } from "../helpers/app";
import { aminoWallet, directWallet, firstAccount, signAmino, signDirect, testFee, TEST_CHAIN_ID, TEST_MNEMONIC_2 } from "../helpers/txs";

const DENOM = "udcert";
const GOV = moduleAccountAddress("gov");
const CAROL = addrString(new Uint8Array(20).fill(1));
const MIN_DEPOSIT = 10_000_000n;
const FEE = testFee(5_000n, 400_000n);

type Signer = Awaited<ReturnType<typeof directWallet>>;

interface Env {
  chain: TestChain;
  alice: string;
  bob: string;
  aliceWallet: Signer;
  bobWallet: Signer;
}

async function setup(): Promise<Env> {
  const aliceWallet = await directWallet();
  const bobWallet = await directWallet(TEST_MNEMONIC_2);
  const alice = (await firstAccount(aliceWallet)).address;
  const bob = (await firstAccount(bobWallet)).address;
  // alice operates the validator with a 100 000 000 self-delegation.
  const chain = testChain({
    accounts: [
      { address: alice, amount: 1_000_000_000n },
      { address: bob, amount: 1_000_000_000n },
    ],
  });
  chain.block();
  return { chain, alice, bob, aliceWallet, bobWallet };
}

function query<Res>(chain: TestChain, path: string, data: Uint8Array, res: { decode(b: Uint8Array): Res }): Res {
  const r = chain.app.query({ path, data, height: 0n, prove: false });
  if (r.code !== 0) throw new Error(`query ${path} failed: ${r.log}`);
  return res.decode(r.value);
}

function account(chain: TestChain, address: string): { accountNumber: bigint; sequence: bigint } {
  const any = query(chain, "/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest.encode({ address }).finish(), QueryAccountResponse).account;
  const acc = BaseAccount.decode(any!.value);
  return { accountNumber: acc.accountNumber, sequence: acc.sequence };
}

function balance(chain: TestChain, address: string): bigint {
  return BigInt(query(chain, "/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address, denom: DENOM }).finish(), QueryBalanceResponse).balance!.amount);
}

function supply(chain: TestChain): bigint {
  return BigInt(query(chain, "/cosmos.bank.v1beta1.Query/SupplyOf", QuerySupplyOfRequest.encode({ denom: DENOM }).finish(), QuerySupplyOfResponse).amount!.amount);
}

function proposalStatus(chain: TestChain, id: bigint): { status: ProposalStatus; failedReason: string } {
  const p = query(chain, "/cosmos.gov.v1.Query/Proposal", QueryProposalRequest.encode({ proposalId: id }).finish(), QueryProposalResponse).proposal!;
  return { status: p.status, failedReason: p.failedReason };
}

async function send(env: Env, who: "alice" | "bob", msgs: EncodeObject[], mode: "direct" | "amino" = "direct"): Promise<ExecTxResult> {
  const address = who === "alice" ? env.alice : env.bob;
  const { accountNumber, sequence } = account(env.chain, address);
  const spec = { msgs, fee: FEE, chainId: TEST_CHAIN_ID, accountNumber, sequence };
  const tx =
    mode === "direct"
      ? await signDirect(who === "alice" ? env.aliceWallet : env.bobWallet, spec)
      : await signAmino(await aminoWallet(who === "alice" ? undefined : TEST_MNEMONIC_2), spec);
  return env.chain.deliver(tx);
}

function poolSpend(recipient: string, amount: bigint, authority = GOV): Any {
  return {
    typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
    value: MsgCommunityPoolSpend.encode({ authority, recipient, amount: [{ denom: DENOM, amount: amount.toString() }] }).finish(),
  };
}

function submit(proposer: string, messages: Any[], deposit = MIN_DEPOSIT): EncodeObject {
  return {
    typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
    value: {
      messages,
      initialDeposit: [{ denom: DENOM, amount: deposit.toString() }],
      proposer,
      metadata: "",
      title: "Community pool spend",
      summary: "Pays carol from the community pool",
      expedited: false,
    },
  };
}

function voteMsg(voter: string, proposalId: bigint, option: VoteOption): EncodeObject {
  return { typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId, voter, option, metadata: "" } };
}

function attrs(events: readonly Event[], type: string, key: string): string[] {
  return events.filter((e) => e.type === type).flatMap((e) => e.attributes.filter((a) => a.key === key).map((a) => a.value));
}

function proposalIdOf(r: ExecTxResult): bigint {
  const id = attrs(r.events, "submit_proposal", "proposal_id")[0];
  if (id === undefined) throw new Error(`no proposal id in ${r.log}`);
  return BigInt(id);
}

describe("gov in process", () => {
  test("a community pool spend passes with the validator's vote and pays the recipient", async () => {
    const env = await setup();
    const { chain, alice, bob } = env;
    expect((await send(env, "bob", [{ typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPool", value: { depositor: bob, amount: [{ denom: DENOM, amount: "5000000" }] } }])).code).toBe(0);
    const poolBefore = query(chain, "/cosmos.distribution.v1beta1.Query/CommunityPool", QueryCommunityPoolRequest.encode({}).finish(), QueryCommunityPoolResponse).pool;
    expect(poolBefore.length).toBe(1);

    const r = await send(env, "alice", [submit(alice, [poolSpend(CAROL, 1_000_000n)])]);
    expect(r.log).toBe("");
    expect(r.code).toBe(0);
    const id = proposalIdOf(r);
    expect(attrs(r.events, "submit_proposal", "voting_period_start")).toEqual([id.toString()]);
    expect(attrs(r.events, "proposal_deposit", "amount")).toEqual([`${MIN_DEPOSIT}${DENOM}`]);
    expect(proposalStatus(chain, id).status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);

    // The vote is signed in amino JSON mode (as a Ledger would).
    const v = await send(env, "alice", [voteMsg(alice, id, VoteOption.VOTE_OPTION_YES)], "amino");
    expect(v.log).toBe("");
    expect(attrs(v.events, "proposal_vote", "option")).toEqual(['[{"option":1,"weight":"1.000000000000000000"}]']);
    const aliceBefore = balance(chain, alice);

    chain.block([], { seconds: 10n });
    expect(proposalStatus(chain, id).status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    const end = chain.block([], { seconds: 10n });
    expect(attrs(end.events, "active_proposal", "proposal_result")).toEqual(["proposal_passed"]);
    expect(proposalStatus(chain, id).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(balance(chain, CAROL)).toBe(1_000_000n);
    expect(balance(chain, alice)).toBe(aliceBefore + MIN_DEPOSIT);
    expect(balance(chain, GOV)).toBe(0n);
  });

  test("a vetoed proposal burns its deposit and total supply goes down by it", async () => {
    const env = await setup();
    const { chain, alice } = env;
    const id = proposalIdOf(await send(env, "alice", [submit(alice, [poolSpend(CAROL, 1n)])]));
    expect((await send(env, "alice", [voteMsg(alice, id, VoteOption.VOTE_OPTION_NO_WITH_VETO)])).code).toBe(0);
    const before = supply(chain);
    const end = chain.block([], { seconds: 20n });
    expect(attrs(end.events, "burn", "amount")).toEqual([`${MIN_DEPOSIT}${DENOM}`]);
    expect(supply(chain)).toBe(before - MIN_DEPOSIT);
    expect(proposalStatus(chain, id).status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(balance(chain, CAROL)).toBe(0n);
  });

  test("a proposal with a message not signed by the gov account is refused at submission with gov code 13", async () => {
    const env = await setup();
    const { chain, alice, bob } = env;
    const theft: Any = {
      typeUrl: "/cosmos.bank.v1beta1.MsgSend",
      value: MsgSend.encode({ fromAddress: bob, toAddress: alice, amount: [{ denom: DENOM, amount: "1" }] }).finish(),
    };
    const before = balance(chain, alice);
    const r = await send(env, "alice", [submit(alice, [poolSpend(CAROL, 1n), theft])]);
    expect(r.codespace).toBe("gov");
    expect(r.code).toBe(13);
    expect(r.log).toContain("proposal message 1 (/cosmos.bank.v1beta1.MsgSend)");
    expect(r.log).toContain(bob);
    expect(balance(chain, alice)).toBe(before - 5_000n); // only the fee
    const unknown = await send(env, "alice", [submit(alice, [{ typeUrl: "/dcert.v1.MsgNothing", value: new Uint8Array() }])]);
    expect([unknown.codespace, unknown.code]).toEqual(["gov", 10]);
    expect(keepersOf(chain.app).gov.nextProposalId(chain.app.queryContext())).toBe(1n);
  });

  test("a passing proposal whose execution fails writes nothing and is FAILED", async () => {
    const env = await setup();
    const { chain, alice } = env;
    // The community pool holds only fees (a few thousand udcert): spending 10^12 must fail.
    const id = proposalIdOf(await send(env, "alice", [submit(alice, [poolSpend(CAROL, 1n), poolSpend(CAROL, 1_000_000_000_000n)])]));
    expect((await send(env, "alice", [voteMsg(alice, id, VoteOption.VOTE_OPTION_YES)])).code).toBe(0);
    const end = chain.block([], { seconds: 20n });
    expect(attrs(end.events, "active_proposal", "proposal_result")).toEqual(["proposal_failed"]);
    const p = proposalStatus(chain, id);
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(p.failedReason).toContain("message 1 (/cosmos.distribution.v1beta1.MsgCommunityPoolSpend) failed");
    expect(balance(chain, CAROL)).toBe(0n); // message 0 was rolled back too
  });

  test("validator vote inheritance: a delegator's own vote overrides the validator for its shares", async () => {
    const env = await setup();
    const { chain, alice, bob } = env;
    const valoper = accountValoper(alice);
    const d = await send(env, "bob", [
      { typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: { delegatorAddress: bob, validatorAddress: valoper, amount: { denom: DENOM, amount: "50000000" } } },
    ]);
    expect(d.log).toBe("");
    const id = proposalIdOf(await send(env, "alice", [submit(alice, [poolSpend(CAROL, 1n)])]));
    const tally = (): unknown =>
      query(chain, "/cosmos.gov.v1.Query/TallyResult", QueryTallyResultRequest.encode({ proposalId: id }).finish(), QueryTallyResultResponse).tally;
    expect((await send(env, "alice", [voteMsg(alice, id, VoteOption.VOTE_OPTION_YES)])).code).toBe(0);
    expect(tally()).toEqual({ yesCount: "150000000", abstainCount: "0", noCount: "0", noWithVetoCount: "0" });
    expect((await send(env, "bob", [voteMsg(bob, id, VoteOption.VOTE_OPTION_NO)])).code).toBe(0);
    expect(tally()).toEqual({ yesCount: "100000000", abstainCount: "0", noCount: "50000000", noWithVetoCount: "0" });
    chain.block([], { seconds: 20n });
    // 100M yes of 150M non-abstaining votes > 0.5: passes.
    expect(proposalStatus(chain, id).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
  });

  test("an exported chain with a proposal in its voting period imports and finishes it", async () => {
    const env = await setup();
    const { chain, alice } = env;
    const id = proposalIdOf(await send(env, "alice", [submit(alice, [poolSpend(CAROL, 1n)])]));
    expect((await send(env, "alice", [voteMsg(alice, id, VoteOption.VOTE_OPTION_YES)])).code).toBe(0);
    const exported = JSON.parse(JSON.stringify(chain.app.exportGenesis())) as Record<string, unknown>;
    const next = testChain({
      accounts: [{ address: alice, amount: 1_000_000_000n }],
      editGenesis: (state) => {
        for (const key of Object.keys(state)) delete state[key];
        Object.assign(state, exported);
      },
    });
    expect(JSON.stringify(next.app.exportGenesis())).toBe(JSON.stringify(exported));
    next.time = chain.time;
    next.block([], { seconds: 20n });
    expect(proposalStatus(next, id).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(balance(next, CAROL)).toBe(1n);
  });

  test("stock CosmJS's gov query extension (v1beta1 paths) reads v1 proposals, votes, deposits, tally and params", async () => {
    const env = await setup();
    const { chain, alice } = env;
    const id = proposalIdOf(await send(env, "alice", [submit(alice, [poolSpend(CAROL, 1n)])]));
    expect((await send(env, "alice", [voteMsg(alice, id, VoteOption.VOTE_OPTION_YES)])).code).toBe(0);
    // A QueryClient over the app's ABCI query method, as CosmJS would reach it through CometBFT's RPC.
    const comet = {
      abciQuery: (q: { path: string; data: Uint8Array; height?: number }) =>
        Promise.resolve(chain.app.query({ path: q.path, data: q.data, height: BigInt(q.height ?? 0), prove: false })).then((r) => ({
          ...r,
          height: Number(r.height),
        })),
    } as unknown as CometClient;
    const client = QueryClient.withExtensions(comet, setupGovExtension);
    const { proposal } = await client.gov.proposal(Number(id));
    expect(proposal.proposalId).toBe(id);
    expect(proposal.status).toBe(2); // voting period
    expect(proposal.content?.typeUrl).toBe("/cosmos.distribution.v1beta1.MsgCommunityPoolSpend");
    expect((await client.gov.proposals(0, "", "")).proposals.map((p) => p.proposalId)).toEqual([id]);
    const { vote } = await client.gov.vote(Number(id), alice);
    expect(vote.options).toEqual([{ option: 1, weight: "1000000000000000000" }]);
    expect((await client.gov.deposits(Number(id))).deposits[0]?.amount).toEqual([{ denom: DENOM, amount: MIN_DEPOSIT.toString() }]);
    expect((await client.gov.deposit(Number(id), alice)).deposit.depositor).toBe(alice);
    expect((await client.gov.tally(Number(id))).tally.yes).toBe("100000000");
    const tallying = await client.gov.params("tallying");
    expect(new TextDecoder().decode(tallying.tallyParams.quorum)).toBe("334000000000000000");
    expect((await client.gov.params("voting")).votingParams.votingPeriod.seconds).toBe(15n);
    expect((await client.gov.params("deposit")).depositParams.minDeposit).toEqual([{ denom: DENOM, amount: MIN_DEPOSIT.toString() }]);
    await expect(client.gov.proposal(99)).rejects.toThrow(/proposal 99 doesn't exist/);
  });
});
