/**
 * Staking, community pool and governance on a real CometBFT devnet with stock CosmJS: delegation
 * changes the validator power CometBFT reports, unbonding completes after `unbonding_time`, a
 * community-pool spend proposal passes and pays, a vetoed proposal burns its deposit, and a
 * proposal carrying a message signed by someone else is refused at submission.
 */
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, QueryClient, SigningStargateClient, createProtobufRpcClient, setupStakingExtension, type StakingExtension, type StdFee } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { MsgCommunityPoolSpend } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { QueryClientImpl as GovQuery } from "cosmjs-types/cosmos/gov/v1/query";
import { QueryClientImpl as DistrQuery } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { moduleAccountAddress } from "../../src/x/auth/keeper";
import { accountValoper } from "../../src/x/staking/keeper";
import { DEVNET_MIN_GAS_PRICES } from "../../src/localnet/devnet";
import { startDevnet, supplyProbe, type Devnet } from "./harness";
import { pollUntil } from "../../src/localnet/proc";

jest.setTimeout(300_000);

const PREFIX = "dcert";
const GOV = moduleAccountAddress("gov");
const FEE: StdFee = { amount: [{ denom: "udcert", amount: "50000" }], gas: "2000000" };

async function signer(devnet: Devnet, i: number): Promise<{ client: SigningStargateClient; address: string }> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(devnet.accounts[i]!.mnemonic, { prefix: PREFIX });
  const client = await SigningStargateClient.connectWithSigner(devnet.rpc, wallet, {
    gasPrice: GasPrice.fromString(DEVNET_MIN_GAS_PRICES),
    broadcastPollIntervalMs: 300,
  });
  return { client, address: devnet.accounts[i]!.address };
}

function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  return pollUntil({ what, check: f, timeoutMs, intervalMs: 500 });
}

describe("staking, community pool and governance end to end", () => {
  let devnet: Devnet;
  let comet: Comet38Client;
  let q: QueryClient & StakingExtension;
  let gov: GovQuery;
  let distr: DistrQuery;
  let valoper: string;

  beforeAll(async () => {
    devnet = await startDevnet();
    comet = await Comet38Client.connect(devnet.rpc);
    q = QueryClient.withExtensions(comet, setupStakingExtension);
    const rpc = createProtobufRpcClient(q);
    gov = new GovQuery(rpc);
    distr = new DistrQuery(rpc);
    valoper = accountValoper(devnet.accounts[0]!.address);
  });

  afterAll(async () => {
    comet?.disconnect();
    await devnet?.stop();
  });

  async function cometPower(): Promise<bigint> {
    const vals = await comet.validatorsAll();
    return vals.validators.reduce((s, v) => s + v.votingPower, 0n);
  }

  test("delegateTokens raises the power CometBFT reports; undelegateTokens completes after unbonding_time", async () => {
    const before = await cometPower();
    const { client, address } = await signer(devnet, 1);
    const res = await client.delegateTokens(address, valoper, { denom: devnet.denom, amount: "5000000000" }, "auto");
    expect(res.code).toBe(0);
    await until("the new power in CometBFT", async () => ((await cometPower()) === before + 5000n ? true : undefined));
    const del = await q.staking.delegation(address, valoper);
    expect(del.delegationResponse?.balance?.amount).toBe("5000000000");

    const balanceBefore = BigInt((await client.getBalance(address, devnet.denom)).amount);
    const un = await client.undelegateTokens(address, valoper, { denom: devnet.denom, amount: "1000000000" }, FEE);
    expect(un.code).toBe(0);
    const entry = (await q.staking.unbondingDelegation(address, valoper)).unbond?.entries[0];
    expect(entry?.balance).toBe("1000000000");
    // Power drops at once (the tokens leave the bonded pool) ...
    await until("the lower power in CometBFT", async () => ((await cometPower()) === before + 4000n ? true : undefined));
    // ... and the tokens come back only after unbonding_time (20 s on the devnet). The undelegation
    // paid the fee and withdrew the delegation's rewards (x/distribution settles them whenever a
    // delegation changes; the tx's withdraw_rewards event says how much).
    const withdrawn = un.events
      .filter((e) => e.type === "withdraw_rewards")
      .flatMap((e) => e.attributes.filter((a) => a.key === "amount").map((a) => a.value))
      .reduce((sum, v) => sum + (v === "" ? 0n : BigInt(/^(\d+)/.exec(v)?.[1] ?? "0")), 0n);
    expect(BigInt((await client.getBalance(address, devnet.denom)).amount)).toBe(balanceBefore - 50000n + withdrawn);
    await until(
      "the unbonding to complete",
      async () => {
        const bal = BigInt((await client.getBalance(address, devnet.denom)).amount);
        return bal === balanceBefore - 50000n + withdrawn + 1_000_000_000n ? true : undefined;
      },
      60_000,
    );
    const completed = await q.staking.unbondingDelegation(address, valoper).catch(() => undefined);
    expect(completed?.unbond?.entries ?? []).toHaveLength(0);
    client.disconnect();
  });

  test("a community-pool spend proposal passes and pays; a vetoed proposal burns its deposit", async () => {
    const bob = await signer(devnet, 2);
    const validator = await signer(devnet, 0);
    const carol = devnet.accounts[3]!.address;
    const fund = await bob.client.signAndBroadcast(
      bob.address,
      [{ typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPool", value: { depositor: bob.address, amount: [{ denom: devnet.denom, amount: "3000000" }] } }],
      FEE,
    );
    expect(fund.code).toBe(0);
    const spend = { typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", value: MsgCommunityPoolSpend.encode({ authority: GOV, recipient: carol, amount: [{ denom: devnet.denom, amount: "2500000" }] }).finish() };
    const submit = (title: string) =>
      bob.client.signAndBroadcast(
        bob.address,
        [{ typeUrl: "/cosmos.gov.v1.MsgSubmitProposal", value: { messages: [spend], initialDeposit: [{ denom: devnet.denom, amount: "10000000" }], proposer: bob.address, metadata: "", title, summary: `${title} summary`, expedited: false } }],
        FEE,
      );
    const r1 = await submit("pay carol");
    const r2 = await submit("pay carol again");
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    const idOf = (r: typeof r1) => BigInt(r.events.find((e) => e.type === "submit_proposal")!.attributes.find((a) => a.key === "proposal_id")!.value);
    const [passId, vetoId] = [idOf(r1), idOf(r2)];
    const vote = (id: bigint, option: VoteOption) => ({ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: id, voter: validator.address, option, metadata: "" } });
    const v = await validator.client.signAndBroadcast(validator.address, [vote(passId, VoteOption.VOTE_OPTION_YES), vote(vetoId, VoteOption.VOTE_OPTION_NO_WITH_VETO)], FEE);
    expect(v.code).toBe(0);
    const carolBefore = BigInt((await bob.client.getBalance(carol, devnet.denom)).amount);
    // Supply readings at known heights; x/mint adds each block's provision (its `mint` event), so
    // what was burned is before − after + minted in between.
    const { supplyAt, mintedBetween } = supplyProbe(q, comet, devnet.denom);
    const supplyBefore = await supplyAt();
    const passed = await until("the first proposal to pass", async () => {
      const p = (await gov.Proposal({ proposalId: passId })).proposal!;
      return p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD ? undefined : p;
    });
    expect(passed.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(BigInt((await bob.client.getBalance(carol, devnet.denom)).amount) - carolBefore).toBe(2_500_000n);
    const vetoed = await until("the second proposal to end", async () => {
      const p = (await gov.Proposal({ proposalId: vetoId })).proposal!;
      return p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD ? undefined : p;
    });
    expect(vetoed.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    // The vetoed deposit (10 DCERT) was burned: supply fell by it, net of what was minted (fees are
    // not burned).
    const supplyAfter = await supplyAt();
    expect(supplyBefore.amount - supplyAfter.amount + (await mintedBetween(supplyBefore.height, supplyAfter.height))).toBe(10_000_000n);
    const pool = await distr.CommunityPool();
    expect(pool.pool.length).toBeGreaterThan(0);
    bob.client.disconnect();
    validator.client.disconnect();
  });

  test("a proposal carrying a message signed by someone other than the gov account is refused at submission", async () => {
    const bob = await signer(devnet, 2);
    const send = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.encode({ fromAddress: bob.address, toAddress: devnet.accounts[3]!.address, amount: [{ denom: devnet.denom, amount: "1" }] }).finish() };
    const res = await bob.client.signAndBroadcast(
      bob.address,
      [{ typeUrl: "/cosmos.gov.v1.MsgSubmitProposal", value: { messages: [send], initialDeposit: [{ denom: devnet.denom, amount: "10000000" }], proposer: bob.address, metadata: "", title: "steal", summary: "not allowed", expedited: false } }],
      FEE,
    );
    expect(res.code).toBe(13);
    expect(res.rawLog).toMatch(/gov/);
    bob.client.disconnect();
  });
});
