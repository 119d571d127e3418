/**
 * Staking rewards with stock CosmJS on a real CometBFT devnet: `SigningStargateClient` with its
 * default registry delegates, CosmJS's own distribution query extension sees the delegator's
 * rewards grow with every block, and `withdrawRewards` pays them: the balance grows by at least
 * what was reported before the withdrawal and by no more than that plus the rewards of the blocks
 * in between.
 */
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { QueryClient, SigningStargateClient, setupDistributionExtension, type DistributionExtension, type StdFee } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { accountValoper } from "../../src/x/staking/keeper";
import { pollUntil } from "../../src/localnet/proc";
import { startDevnet, type Devnet } from "./harness";

jest.setTimeout(300_000);

const PREFIX = "dcert";
const FEE: StdFee = { amount: [{ denom: "udcert", amount: "50000" }], gas: "2000000" };
const ONE = 10n ** 18n;

describe("staking rewards with stock CosmJS", () => {
  let devnet: Devnet;
  let comet: Comet38Client;
  let q: QueryClient & DistributionExtension;

  beforeAll(async () => {
    devnet = await startDevnet();
    comet = await Comet38Client.connect(devnet.rpc);
    q = QueryClient.withExtensions(comet, setupDistributionExtension);
  });

  afterAll(async () => {
    comet?.disconnect();
    await devnet?.stop();
  });

  async function height(): Promise<number> {
    return (await comet.status()).syncInfo.latestBlockHeight;
  }

  /** The delegator's rewards from `valoper` in 18-decimal fixed point (0 when none yet). */
  async function rewards(delegator: string, valoper: string): Promise<bigint> {
    const res = await q.distribution.delegationRewards(delegator, valoper);
    return BigInt(res.rewards.find((c) => c.denom === devnet.denom)?.amount ?? "0");
  }

  test("a delegator's rewards grow with blocks and withdrawRewards pays them", async () => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(devnet.accounts[1]!.mnemonic, { prefix: PREFIX });
    const client = await SigningStargateClient.connectWithSigner(devnet.rpc, wallet, { broadcastPollIntervalMs: 300 });
    const delegator = devnet.accounts[1]!.address;
    const valoper = accountValoper(devnet.accounts[0]!.address);

    const del = await client.delegateTokens(delegator, valoper, { denom: devnet.denom, amount: "50000000000" }, FEE);
    expect(del.code).toBe(0);

    // Rewards grow block by block.
    const samples: { h: number; r: bigint }[] = [];
    for (let i = 0; i < 3; i++) {
      const h = await pollUntil({ what: "a new block", check: async () => ((await height()) > (samples.at(-1)?.h ?? del.height) + 1 ? height() : undefined), timeoutMs: 60_000, intervalMs: 300 });
      samples.push({ h, r: await rewards(delegator, valoper) });
    }
    expect(samples[0]!.r).toBeGreaterThan(0n);
    expect(samples[1]!.r).toBeGreaterThan(samples[0]!.r);
    expect(samples[2]!.r).toBeGreaterThan(samples[1]!.r);
    // The most a block paid this delegator so far (blocks between samples, rounded up).
    const perBlock = samples.slice(1).reduce((m, s, i) => {
      const blocks = BigInt(Math.max(1, s.h - samples[i]!.h));
      const r = (s.r - samples[i]!.r + blocks - 1n) / blocks;
      return r > m ? r : m;
    }, 0n);

    // withdrawRewards (MsgWithdrawDelegatorReward with CosmJS's default registry) pays them.
    const balanceBefore = BigInt((await client.getBalance(delegator, devnet.denom)).amount);
    const hQuery = await height();
    const reported = await rewards(delegator, valoper);
    const res = await client.withdrawRewards(delegator, valoper, FEE);
    expect(res.code).toBe(0);
    const balanceAfter = BigInt((await client.getBalance(delegator, devnet.denom)).amount);
    const received = balanceAfter - balanceBefore + BigInt(FEE.amount[0]!.amount);
    const event = res.events.find((e) => e.type === "withdraw_rewards")?.attributes.find((a) => a.key === "amount")?.value;
    expect(event).toBe(`${received}${devnet.denom}`);

    expect(received * ONE).toBeGreaterThanOrEqual((reported / ONE) * ONE);
    const blocksBetween = BigInt(res.height - hQuery + 1);
    // Slack of 2×: the per-block reward moves with fees and the bonded ratio.
    expect(received * ONE).toBeLessThanOrEqual(reported + 2n * perBlock * blocksBetween);

    // Right after, what is left is at most a few blocks' rewards.
    const left = await rewards(delegator, valoper);
    expect(left).toBeLessThan(reported);
    client.disconnect();
  });
});
