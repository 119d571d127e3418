/**
 * The x/staking queries HistoricalInfo, DelegatorValidators, DelegatorValidator and
 * ValidatorUnbondingDelegations through stock CosmJS (StakingExtension) on an in-process chain,
 * and the validator indexes (0x35 unbonding by validator, 0x36 redelegation by source) after a
 * genesis export → import and after rebuildValidatorIndexes (what an in-place upgrade runs).
 */
import { QueryClient, setupStakingExtension, type StakingExtension } from "@cosmjs/stargate";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { QueryDelegatorValidatorRequest, QueryHistoricalInfoRequest } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { MsgBeginRedelegate, MsgCreateValidator, MsgDelegate, MsgUndelegate } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { keepersOf } from "../../src/app/wiring";
import { createApp } from "../../src/app/node";
import { MemoryCommitStore } from "../../src/baseapp/store/memory";
import { blockContext } from "../../src/baseapp/context";
import { DEC_ONE } from "../../src/x/staking/dec";
import { STAKING, keys } from "../../src/x/staking/keys";
import { rebuildValidatorIndexes } from "../../src/x/staking/records";
import { accountValoper, consensusAddress, validatorPubkey, valoperBytes } from "../../src/x/staking/keeper";
import { addrBytes } from "../../src/x/auth/keeper";
import { testChain, type TestChain } from "../helpers/app";
import { directWallet, firstAccount, signDirect, testFee, TEST_CHAIN_ID, TEST_MNEMONIC, TEST_MNEMONIC_2 } from "../helpers/txs";

const DENOM = "udcert";
const FEE = testFee(12_500n, 1_000_000n);
const BOB_KEY = new Uint8Array(32).fill(9);

interface Env {
  chain: TestChain;
  alice: string;
  bob: string;
  valoper: string;
  bobValoper: string;
  q: QueryClient & StakingExtension;
  seq: Map<string, number>;
}

function queryClient(chain: TestChain): QueryClient & StakingExtension {
  const comet = {
    abciQuery: (p: { path: string; data: Uint8Array; height?: number }) => {
      const r = chain.app.query({ path: p.path, data: p.data, height: BigInt(p.height ?? 0), prove: false });
      return Promise.resolve({ ...r, height: Number(r.height), index: Number(r.index) });
    },
  } as unknown as CometClient;
  return QueryClient.withExtensions(comet, setupStakingExtension);
}

/** The raw ABCI answer (code, codespace, log) of a query. */
function raw(chain: { app: TestChain["app"] }, method: string, data: Uint8Array) {
  return chain.app.query({ path: `/cosmos.staking.v1beta1.Query/${method}`, data, height: 0n, prove: false });
}

async function setup(historicalEntries: number | undefined): Promise<Env> {
  const alice = (await firstAccount(await directWallet(TEST_MNEMONIC))).address;
  const bob = (await firstAccount(await directWallet(TEST_MNEMONIC_2))).address;
  const chain = testChain({
    accounts: [
      { address: alice, amount: 10_000_000_000n },
      { address: bob, amount: 5_000_000_000n },
    ],
    selfDelegation: 1_000_000_000n,
    ...(historicalEntries === undefined
      ? {}
      : {
          editGenesis: (s: Record<string, unknown>) => {
            (s["staking"] as { params: { historical_entries: number } }).params.historical_entries = historicalEntries;
          },
        }),
  });
  chain.block();
  return { chain, alice, bob, valoper: accountValoper(alice), bobValoper: accountValoper(bob), q: queryClient(chain), seq: new Map() };
}

async function send(env: Env, mnemonic: string, msgs: EncodeObject[]): Promise<ExecTxResult> {
  const address = (await firstAccount(await directWallet(mnemonic))).address;
  const acc = env.chain.app.auth.getAccount(env.chain.app.queryContext(), address);
  if (acc === undefined) throw new Error(`no account ${address}`);
  const sequence = env.seq.get(address) ?? 0;
  const tx = await signDirect(await directWallet(mnemonic), { msgs, fee: FEE, chainId: TEST_CHAIN_ID, accountNumber: Number(acc.accountNumber), sequence });
  const r = env.chain.block([tx]).txResults[0] as ExecTxResult;
  expect(r.log).toBe("");
  env.seq.set(address, sequence + 1);
  return r;
}

const coin = (amount: bigint) => ({ denom: DENOM, amount: amount.toString() });

/** Bob creates a validator (4 udcert·10^6), delegates 3·10^6 to Alice's, undelegates 10^6 from it and redelegates 10^6 from his own to hers. */
async function activity(env: Env): Promise<void> {
  const { bob, valoper, bobValoper } = env;
  await send(env, TEST_MNEMONIC_2, [
    {
      typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
      value: MsgCreateValidator.fromPartial({
        description: { moniker: "bob-node" },
        commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
        minSelfDelegation: "1",
        delegatorAddress: bob,
        validatorAddress: bobValoper,
        pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: PubKey.encode({ key: BOB_KEY }).finish() },
        value: coin(4_000_000n),
      }),
    },
  ]);
  await send(env, TEST_MNEMONIC_2, [
    { typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: MsgDelegate.fromPartial({ delegatorAddress: bob, validatorAddress: valoper, amount: coin(3_000_000n) }) },
    { typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate", value: MsgUndelegate.fromPartial({ delegatorAddress: bob, validatorAddress: valoper, amount: coin(1_000_000n) }) },
    {
      typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
      value: MsgBeginRedelegate.fromPartial({ delegatorAddress: bob, validatorSrcAddress: bobValoper, validatorDstAddress: valoper, amount: coin(1_000_000n) }),
    },
  ]);
}

describe("staking HistoricalInfo", () => {
  test("BeginBlock stores the header and the bonded set by power; only the last historical_entries heights are kept", async () => {
    const env = await setup(3);
    const { chain, q, valoper } = env;
    const first = chain.height;
    const h1 = await q.staking.historicalInfo(Number(first));
    expect(h1.hist?.header).toMatchObject({ chainId: TEST_CHAIN_ID, height: first, time: { seconds: chain.time, nanos: 0 } });
    expect(h1.hist?.valset.map((v) => [v.operatorAddress, v.tokens])).toEqual([[valoper, "1000000000"]]);

    await activity(env);
    const created = chain.height - 1n; // the block of MsgCreateValidator: its BeginBlock saw only Alice
    expect((await q.staking.historicalInfo(Number(created))).hist?.valset.map((v) => v.operatorAddress)).toEqual([valoper]);
    // The next block's BeginBlock: both bonded, by power descending (Alice 1000, Bob 4), with the
    // tokens at the start of that block (before its delegations).
    const next = (await q.staking.historicalInfo(Number(created + 1n))).hist;
    expect(next?.valset.map((v) => [v.operatorAddress, v.tokens])).toEqual([
      [valoper, "1000000000"],
      [env.bobValoper, "4000000"],
    ]);
    chain.block();
    expect((await q.staking.historicalInfo(Number(chain.height))).hist?.valset.map((v) => v.tokens)).toEqual(["1003000000", "3000000"]);

    // Three entries: heights h-2, h-1, h. Older ones are pruned.
    const h = chain.height;
    for (const k of [h - 2n, h - 1n, h]) expect((await q.staking.historicalInfo(Number(k))).hist?.header.height).toBe(k);
    for (const k of [first, h - 3n]) {
      const r = raw(chain, "HistoricalInfo", QueryHistoricalInfoRequest.encode({ height: k }).finish());
      expect([r.codespace, r.code]).toEqual(["sdk", 22]);
      expect(r.log).toContain(`historical info for height ${k} not found`);
    }
    expect(keepersOf(chain.app).staking.params(chain.app.queryContext()).historicalEntries).toBe(3);
  });

  test("with historical_entries 0 nothing is stored, and lowering it prunes at once", async () => {
    const env = await setup(0);
    const r = raw(env.chain, "HistoricalInfo", QueryHistoricalInfoRequest.encode({ height: env.chain.height }).finish());
    expect([r.codespace, r.code]).toEqual(["sdk", 22]);

    const env2 = await setup(5);
    for (let i = 0; i < 5; i++) env2.chain.block();
    const staking = keepersOf(env2.chain.app).staking;
    const scan = () => {
      const out: bigint[] = [];
      for (let k = 0n; k <= env2.chain.height; k++) if (staking.getHistoricalInfo(env2.chain.app.queryContext(), k) !== undefined) out.push(k);
      return out;
    };
    const h = env2.chain.height;
    expect(scan()).toEqual([h - 4n, h - 3n, h - 2n, h - 1n, h]);
    // A params change to 1 (as a passed MsgUpdateParams would make it): the next BeginBlock keeps only its own height.
    const ctx = blockContext(env2.chain.store.branch(), { chainId: TEST_CHAIN_ID, height: h + 1n, time: { seconds: env2.chain.time + 1n, nanos: 0 }, proposer: new Uint8Array(20) }, "finalize");
    staking.setParams(ctx, { ...staking.params(ctx), historicalEntries: 1 });
    staking.beginBlock(ctx);
    const left: bigint[] = [];
    for (let k = 0n; k <= h + 1n; k++) if (staking.getHistoricalInfo(ctx, k) !== undefined) left.push(k);
    expect(left).toEqual([h + 1n]);
  });
});

describe("staking delegator and validator queries", () => {
  test("DelegatorValidators, DelegatorValidator, ValidatorUnbondingDelegations answer as the SDK", async () => {
    const env = await setup(undefined);
    const { q, bob, alice, valoper, bobValoper } = env;
    await activity(env);
    // Bob delegates to both (self-delegation and Alice's), in validator-address byte order.
    const byBytes = [valoper, bobValoper].sort((a, b) => Buffer.compare(Buffer.from(valoperBytes(a)), Buffer.from(valoperBytes(b))));
    const dv = await q.staking.delegatorValidators(bob);
    expect(dv.validators.map((v) => v.operatorAddress)).toEqual(byBytes);
    expect(dv.validators.find((v) => v.operatorAddress === valoper)?.tokens).toBe("1003000000");
    expect((await q.staking.delegatorValidator(bob, bobValoper)).validator.description.moniker).toBe("bob-node");
    expect((await q.staking.delegatorValidators(alice)).validators.map((v) => v.operatorAddress)).toEqual([valoper]);
    // No delegation: the SDK's ErrNoDelegation (staking:19).
    const none = raw(env.chain, "DelegatorValidator", QueryDelegatorValidatorRequest.encode({ delegatorAddr: alice, validatorAddr: bobValoper }).finish());
    expect([none.codespace, none.code]).toEqual(["staking", 19]);
    const empty = raw(env.chain, "DelegatorValidator", QueryDelegatorValidatorRequest.encode({ delegatorAddr: "", validatorAddr: bobValoper }).finish());
    expect([empty.codespace, empty.code]).toEqual(["staking", 18]);

    const ubd = await q.staking.validatorUnbondingDelegations(valoper);
    expect(ubd.unbondingResponses.map((u) => [u.delegatorAddress, u.validatorAddress, u.entries.map((e) => e.balance)])).toEqual([[bob, valoper, ["1000000"]]]);
    expect((await q.staking.validatorUnbondingDelegations(bobValoper)).unbondingResponses).toEqual([]);
  });
});

describe("validator indexes 0x35/0x36 (unbonding by validator, redelegation by source)", () => {
  test("InitGenesis rebuilds them from the records: an exported genesis re-imports with slashable entries", async () => {
    const env = await setup(undefined);
    const { chain, bob, valoper, bobValoper } = env;
    await activity(env);
    const exported = chain.app.exportGenesis();
    const store2 = new MemoryCommitStore();
    const app2 = createApp({ store: store2 });
    app2.initChain({
      time: { seconds: chain.time, nanos: 0 },
      chainId: TEST_CHAIN_ID,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(exported)),
      initialHeight: chain.height + 1n,
    });
    const height = chain.height + 1n;
    app2.finalizeBlock({ ...chain.nextBlockRequest(), height });
    app2.commit();
    const staking2 = keepersOf(app2).staking;
    const q2 = await queryClient({ app: app2 } as TestChain).staking.validatorUnbondingDelegations(valoper);
    expect(q2.unbondingResponses.map((u) => [u.delegatorAddress, u.entries.map((e) => e.balance)])).toEqual([[bob, ["1000000"]]]);
    const ctx = blockContext(store2.branch(), { chainId: TEST_CHAIN_ID, height: height + 1n, time: { seconds: chain.time + 2n, nanos: 0 }, proposer: new Uint8Array(20) }, "finalize");
    expect(staking2.redelegationsFromValidator(ctx, bobValoper).map((r) => [r.delegatorAddress, r.validatorDstAddress])).toEqual([[bob, valoper]]);
    // A slash of Bob's validator for an infraction before the redelegation reaches it through the
    // index: 10% of its 1 000 000, taken (as the SDK does) first from Bob's unbonding from the
    // destination started since the infraction, so the delegation itself stays.
    const bobV = staking2.mustGetValidator(ctx, bobValoper);
    const held = () => ({
      delegated: staking2.delegationTokens(ctx, staking2.getDelegation(ctx, bob, valoper) ?? (undefined as never)),
      unbonding: BigInt(staking2.getUnbondingDelegation(ctx, bob, valoper)?.entries[0]?.balance ?? "0"),
    });
    const before = held();
    staking2.slash(ctx, consensusAddress(validatorPubkey(bobV)), chain.height - 1n, 4n, DEC_ONE / 10n);
    expect(held()).toEqual({ delegated: before.delegated, unbonding: before.unbonding - 100_000n });
  });

  test("rebuildValidatorIndexes fills them for records written before they existed (an in-place upgrade)", async () => {
    const env = await setup(undefined);
    const { chain, bob, valoper, bobValoper } = env;
    await activity(env);
    const staking = keepersOf(chain.app).staking;
    const ctx = blockContext(chain.store.branch(), { chainId: TEST_CHAIN_ID, height: chain.height + 1n, time: { seconds: chain.time + 1n, nanos: 0 }, proposer: new Uint8Array(20) }, "finalize");
    // A version-1 store: the records without their index entries.
    ctx.kv(STAKING).delete(keys.unbondingByValidator(valoperBytes(valoper), addrBytes(bob)));
    ctx.kv(STAKING).delete(keys.redelegationBySrc(valoperBytes(bobValoper), addrBytes(bob), valoperBytes(valoper)));
    expect(staking.validatorUnbondingDelegations(ctx, valoper)).toEqual([]);
    expect(staking.redelegationsFromValidator(ctx, bobValoper)).toEqual([]);
    expect(rebuildValidatorIndexes(ctx)).toEqual({ unbondings: 1, redelegations: 1 });
    expect(staking.validatorUnbondingDelegations(ctx, valoper).map((u) => u.delegatorAddress)).toEqual([bob]);
    expect(staking.redelegationsFromValidator(ctx, bobValoper).map((r) => r.validatorDstAddress)).toEqual([valoper]);
    // …so a slash reaches them again: 10% of the 1 000 000 unbonding from Alice's validator.
    const v = staking.mustGetValidator(ctx, valoper);
    const before = staking.getUnbondingDelegation(ctx, bob, valoper)?.entries[0]?.balance;
    expect(before).toBe("1000000");
    staking.slash(ctx, consensusAddress(validatorPubkey(v)), chain.height - 1n, 1003n, DEC_ONE / 10n);
    expect(staking.getUnbondingDelegation(ctx, bob, valoper)?.entries[0]?.balance).toBe("900000");
  });
});
