/**
 * Staking and the community pool in process: CosmJS-signed MsgDelegate/MsgUndelegate (direct and
 * amino, as `delegateTokens`/`undelegateTokens` build them), validator updates in FinalizeBlock,
 * unbonding that completes exactly at its block time, the stock CosmJS staking/distribution query
 * extensions, and genesis export → import → export.
 */
import { QueryClient, setupDistributionExtension, setupStakingExtension, type StakingExtension, type DistributionExtension } from "@cosmjs/stargate";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { MsgBeginRedelegate, MsgCreateValidator, MsgDelegate, MsgUndelegate } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { MsgFundCommunityPool } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { addrString, moduleAccountAddress } from "../../src/x/auth/keeper";
import { buildDevnetAppState } from "../../src/app/genesis";
import { createApp } from "../../src/app/node";
import { accountValoper, NOT_BONDED_POOL } from "../../src/x/staking/keeper";
import { MemoryCommitStore } from "../../src/baseapp/store/memory";
import { keepersOf } from "../../src/app/wiring";
import { testChain, type TestChain, TEST_VALIDATOR_PUBKEY_B64 } from "../helpers/app";
import { aminoWallet, directWallet, firstAccount, signAmino, signDirect, testFee, TEST_CHAIN_ID, TEST_MNEMONIC, TEST_MNEMONIC_2 } from "../helpers/txs";

const DENOM = "udcert";
const FEE = testFee(5000n, 400_000n);

interface Env {
  chain: TestChain;
  alice: string;
  bob: string;
  valoper: string;
  q: QueryClient & StakingExtension & DistributionExtension;
  seq: Map<string, number>;
}

function queryClient(chain: TestChain): QueryClient & StakingExtension & DistributionExtension {
  const comet = {
    abciQuery: (p: { path: string; data: Uint8Array; height?: number }) => {
      const r = chain.app.query({ path: p.path, data: p.data, height: BigInt(p.height ?? 0), prove: false });
      return Promise.resolve({ ...r, height: Number(r.height), index: Number(r.index) });
    },
  } as unknown as CometClient;
  return QueryClient.withExtensions(comet, setupStakingExtension, setupDistributionExtension);
}

async function setup(): Promise<Env> {
  const alice = (await firstAccount(await directWallet(TEST_MNEMONIC))).address;
  const bob = (await firstAccount(await directWallet(TEST_MNEMONIC_2))).address;
  const chain = testChain({
    accounts: [
      { address: alice, amount: 10_000_000_000n },
      { address: bob, amount: 5_000_000_000n },
    ],
    selfDelegation: 1_000_000_000n,
  });
  chain.block();
  return { chain, alice, bob, valoper: accountValoper(alice), q: queryClient(chain), seq: new Map() };
}

/** Signs (direct or amino) for `signer`'s account as CosmJS does, delivers it in its own block, and returns the result. */
async function send(env: Env, mnemonic: string, mode: "direct" | "amino", msgs: EncodeObject[], accountNumber: number, seconds?: bigint): Promise<{ r: ExecTxResult; updates: unknown[] }> {
  const address = (await firstAccount(await directWallet(mnemonic))).address;
  const sequence = env.seq.get(address) ?? 0;
  const spec = { msgs, fee: FEE, chainId: TEST_CHAIN_ID, accountNumber, sequence };
  const tx = mode === "direct" ? await signDirect(await directWallet(mnemonic), spec) : await signAmino(await aminoWallet(mnemonic), spec);
  const res = env.chain.block([tx], seconds === undefined ? {} : { seconds });
  const r = res.txResults[0] as ExecTxResult;
  if (r.code === 0) env.seq.set(address, sequence + 1);
  return { r, updates: res.validatorUpdates };
}

const delegateMsg = (delegatorAddress: string, validatorAddress: string, amount: bigint): EncodeObject => ({
  typeUrl: "/cosmos.staking.v1beta1.MsgDelegate",
  value: MsgDelegate.fromPartial({ delegatorAddress, validatorAddress, amount: { denom: DENOM, amount: amount.toString() } }),
});

const undelegateMsg = (delegatorAddress: string, validatorAddress: string, amount: bigint): EncodeObject => ({
  typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate",
  value: MsgUndelegate.fromPartial({ delegatorAddress, validatorAddress, amount: { denom: DENOM, amount: amount.toString() } }),
});

function bankBalance(env: Env, address: string): bigint {
  return env.chain.app.bank.getBalance(env.chain.app.queryContext(), address, DENOM).amount;
}

// Account numbers from the devnet genesis builder: sorted by address.
function accountNumber(env: Env, address: string): number {
  const acc = env.chain.app.auth.getAccount(env.chain.app.queryContext(), address);
  if (acc === undefined) throw new Error(`no account ${address}`);
  return Number(acc.accountNumber);
}

describe("staking in process", () => {
  test("InitChain returns the genesis validator with power = self-delegation / 10^6", () => {
    const app = createApp({ store: new MemoryCommitStore() });
    const operator = addrString(new Uint8Array(20).fill(1));
    const appState = buildDevnetAppState({
      denom: DENOM,
      accounts: [{ address: operator, amount: 50_000_000n }],
      validator: { operatorAddress: operator, consensusPubkeyEd25519Base64: TEST_VALIDATOR_PUBKEY_B64, selfDelegation: 7_000_000n },
      shortPeriods: false,
    });
    const res = app.initChain({
      time: { seconds: 1_700_000_000n, nanos: 0 },
      chainId: TEST_CHAIN_ID,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(appState)),
      initialHeight: 1n,
    });
    expect(res.validators).toEqual([{ pubKey: { ed25519: new Uint8Array(Buffer.from(TEST_VALIDATOR_PUBKEY_B64, "base64")) }, power: 7n }]);
    // Production unbonding time; supply consistent (the self-delegation left the operator's balance).
    expect((appState["staking"] as { params: { unbonding_time: string } }).params.unbonding_time).toBe("1814400s");
    expect(app.exportGenesis()["bank"]).toMatchObject({ supply: [{ denom: DENOM, amount: "50000000" }] });
  });

  test("CosmJS-style delegate (direct) and undelegate (amino): power updates, queries, and payout exactly at completion", async () => {
    const env = await setup();
    const { chain, bob, valoper, q } = env;
    const bobNum = accountNumber(env, bob);

    const d = await send(env, TEST_MNEMONIC_2, "direct", [delegateMsg(bob, valoper, 3_000_000n)], bobNum);
    expect(d.r.log).toBe("");
    expect(d.r.code).toBe(0);
    expect(d.updates).toEqual([{ pubKey: { ed25519: new Uint8Array(Buffer.from(TEST_VALIDATOR_PUBKEY_B64, "base64")) }, power: 1003n }]);
    const ev = d.r.events.find((e) => e.type === "delegate");
    expect(ev?.attributes.map((a) => [a.key, a.value])).toEqual(
      expect.arrayContaining([
        ["validator", valoper],
        ["delegator", bob],
        ["amount", `3000000${DENOM}`],
        ["msg_index", "0"],
      ]),
    );
    // Nothing changed in an empty block: no updates.
    expect(chain.block().validatorUpdates).toEqual([]);

    const del = await q.staking.delegation(bob, valoper);
    expect(del.delegationResponse?.balance).toEqual({ denom: DENOM, amount: "3000000" });
    expect(del.delegationResponse?.delegation.shares).toBe((3_000_000n * 10n ** 18n).toString());
    await expect(q.staking.delegation(env.alice, accountValoper(bob))).rejects.toThrow(/key not found/);
    const vals = await q.staking.validators("BOND_STATUS_BONDED");
    expect(vals.validators.map((v) => [v.operatorAddress, v.tokens])).toEqual([[valoper, "1003000000"]]);
    expect((await q.staking.validators("BOND_STATUS_UNBONDED")).validators).toEqual([]);
    expect((await q.staking.pool()).pool).toEqual({ bondedTokens: "1003000000", notBondedTokens: "0" });
    expect((await q.staking.params()).params.bondDenom).toBe(DENOM);
    expect((await q.staking.delegatorDelegations(bob)).delegationResponses).toHaveLength(1);
    expect((await q.staking.validatorDelegations(valoper)).delegationResponses.map((r) => r.delegation.delegatorAddress).sort()).toEqual(
      [env.alice, bob].sort(),
    );
    // The fee of the delegation went to the fee collector and was swept at the next BeginBlock.
    expect((await q.distribution.communityPool()).pool).toEqual([{ denom: DENOM, amount: (5000n * 10n ** 18n).toString() }]);

    const before = bankBalance(env, bob);
    const u = await send(env, TEST_MNEMONIC_2, "amino", [undelegateMsg(bob, valoper, 1_000_000n)], bobNum);
    expect(u.r.code).toBe(0);
    expect(u.updates).toEqual([{ pubKey: { ed25519: new Uint8Array(Buffer.from(TEST_VALIDATOR_PUBKEY_B64, "base64")) }, power: 1002n }]);
    const undelegatedAt = chain.time;
    const completion = undelegatedAt + 20n;
    const ubd = await q.staking.unbondingDelegation(bob, valoper);
    expect(ubd.unbond.entries.map((e) => [e.balance, e.completionTime.seconds])).toEqual([["1000000", completion]]);
    expect((await q.staking.delegatorUnbondingDelegations(bob)).unbondingResponses).toHaveLength(1);
    expect(bankBalance(env, moduleAccountAddress(NOT_BONDED_POOL))).toBe(1_000_000n);
    expect(bankBalance(env, bob)).toBe(before - 5000n);

    while (chain.time < completion - 1n) chain.block();
    chain.block(); // block time = completion - 1 … then one more second
    expect(chain.time).toBe(completion);
    // The block at exactly the completion time paid it out.
    expect(bankBalance(env, bob)).toBe(before - 5000n + 1_000_000n);
    expect(bankBalance(env, moduleAccountAddress(NOT_BONDED_POOL))).toBe(0n);
    await expect(q.staking.unbondingDelegation(bob, valoper)).rejects.toThrow(/not found/);
  });

  test("payout does not happen one block early", async () => {
    const env = await setup();
    const bobNum = accountNumber(env, env.bob);
    // Amino-signed MsgDelegate (Ledger / amino-only wallets through delegateTokens).
    const d = await send(env, TEST_MNEMONIC_2, "amino", [delegateMsg(env.bob, env.valoper, 2_000_000n)], bobNum);
    expect(d.r.log).toBe("");
    await send(env, TEST_MNEMONIC_2, "direct", [undelegateMsg(env.bob, env.valoper, 2_000_000n)], bobNum);
    const completion = env.chain.time + 20n;
    const afterUndelegate = bankBalance(env, env.bob);
    env.chain.block([], { seconds: 19n });
    expect(env.chain.time).toBe(completion - 1n);
    expect(bankBalance(env, env.bob)).toBe(afterUndelegate);
    env.chain.block([], { seconds: 5n }); // a later block time also completes it
    expect(bankBalance(env, env.bob)).toBe(afterUndelegate + 2_000_000n);
  });

  test("genesis export → import → export is identical, with pending unbonding and redelegation entries", async () => {
    const env = await setup();
    const { chain, bob, valoper } = env;
    const bobNum = accountNumber(env, bob);
    const staking = keepersOf(chain.app).staking;
    // Bob runs a second validator; then redelegates from it, undelegates and funds the pool in one amino tx.
    const create: EncodeObject = {
      typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
      value: MsgCreateValidator.fromPartial({
        description: { moniker: "bob-node" },
        commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
        minSelfDelegation: "1",
        delegatorAddress: bob,
        validatorAddress: accountValoper(bob),
        pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: PubKey.encode({ key: new Uint8Array(32).fill(9) }).finish() },
        value: { denom: DENOM, amount: "4000000" },
      }),
    };
    const c = await send(env, TEST_MNEMONIC_2, "direct", [create], bobNum);
    expect(c.r.log).toBe("");
    expect(c.updates).toEqual([{ pubKey: { ed25519: new Uint8Array(32).fill(9) }, power: 4n }]);
    const redelegate: EncodeObject = {
      typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
      value: MsgBeginRedelegate.fromPartial({
        delegatorAddress: bob,
        validatorSrcAddress: accountValoper(bob),
        validatorDstAddress: valoper,
        amount: { denom: DENOM, amount: "1000000" },
      }),
    };
    const fund: EncodeObject = {
      typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPool",
      value: MsgFundCommunityPool.fromPartial({ depositor: bob, amount: [{ denom: DENOM, amount: "777" }] }),
    };
    const r = await send(env, TEST_MNEMONIC_2, "amino", [redelegate, undelegateMsg(bob, valoper, 500_000n), fund], bobNum);
    expect(r.r.log).toBe("");
    chain.block();
    expect(staking.redelegationsOf(chain.app.queryContext(), bob)).toHaveLength(1);
    const rq = await env.q.staking.redelegations(bob, accountValoper(bob), valoper);
    expect(rq.redelegationResponses[0]?.entries[0]?.balance).toBe("1000000");

    const exported = chain.app.exportGenesis();
    const app2 = createApp({ store: new MemoryCommitStore() });
    const init = app2.initChain({
      time: { seconds: chain.time, nanos: 0 },
      chainId: TEST_CHAIN_ID,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(exported)),
      initialHeight: chain.height + 1n,
    });
        // Alice's validator: 1000 (genesis) + 1 (redelegated in) - 0.5 (undelegated) → 1000; Bob's: 4 - 1 → 3.
    expect(init.validators.map((v) => v.power)).toEqual(staking.lastPowers(chain.app.queryContext()).map((p) => p.power));
    expect(init.validators.map((v) => v.power).sort()).toEqual([1000n, 3n].sort());
    const again = app2.exportGenesis();
    for (const section of ["auth", "bank", "staking", "distribution"]) expect(again[section]).toEqual(exported[section]);
    const st = exported["staking"] as { unbonding_delegations: unknown[]; redelegations: unknown[]; exported: boolean };
    expect(st.unbonding_delegations).toHaveLength(1);
    expect(st.redelegations).toHaveLength(1);
    expect(st.exported).toBe(true);
  });
});
