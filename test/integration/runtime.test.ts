/**
 * The runtime in process (no CometBFT): ante chain, per-tx rollback, events, simulate, queries and
 * genesis export, driven through the ABCI methods exactly as CometBFT drives them.
 */
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { CheckTxType } from "cosmjs-types/tendermint/abci/types";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { testChain, testValidatorAddress, type TestChain } from "../helpers/app";
import { aminoWallet, directWallet, firstAccount, msgSend, signAmino, signDirect, testFee, TEST_CHAIN_ID, TEST_MNEMONIC_2 } from "../helpers/txs";

const DENOM = "udcert";

async function setup(minGasPrices?: string): Promise<{ chain: TestChain; alice: string; bob: string; wallet: DirectSecp256k1HdWallet }> {
  const wallet = await directWallet();
  const alice = (await firstAccount(wallet)).address;
  const bob = (await firstAccount(await directWallet(TEST_MNEMONIC_2))).address;
  const chain = testChain({
    accounts: [
      { address: await testValidatorAddress(), amount: 1_000_000_000n },
      { address: alice, amount: 1_000_000_000n },
      { address: bob, amount: 1_000_000_000n },
    ],
    ...(minGasPrices === undefined ? {} : { minGasPrices }),
  });
  chain.block();
  return { chain, alice, bob, wallet };
}

function balance(chain: TestChain, address: string): bigint {
  const res = chain.app.query({ path: "/cosmos.bank.v1beta1.Query/Balance", data: QueryBalanceRequest.encode({ address, denom: DENOM }).finish(), height: 0n, prove: false });
  expect(res.code).toBe(0);
  return BigInt(QueryBalanceResponse.decode(res.value).balance!.amount);
}

function accountNumberAndSequence(chain: TestChain, address: string): { accountNumber: bigint; sequence: bigint } {
  const res = chain.app.query({ path: "/cosmos.auth.v1beta1.Query/Account", data: QueryAccountRequest.encode({ address }).finish(), height: 0n, prove: false });
  expect(res.code).toBe(0);
  const any = QueryAccountResponse.decode(res.value).account!;
  expect(any.typeUrl).toBe("/cosmos.auth.v1beta1.BaseAccount");
  // BaseAccount fields 3 (account_number) and 4 (sequence)
  const { BaseAccount } = jest.requireActual<typeof import("cosmjs-types/cosmos/auth/v1beta1/auth")>("cosmjs-types/cosmos/auth/v1beta1/auth");
  const acc = BaseAccount.decode(any.value);
  return { accountNumber: acc.accountNumber, sequence: acc.sequence };
}

describe("runtime in process", () => {
  test("a direct-signed MsgSend moves funds, charges the fee, increments the sequence, and returns TxMsgData", async () => {
    const { chain, alice, bob, wallet } = await setup();
    const { accountNumber } = accountNumberAndSequence(chain, alice);
    const tx = await signDirect(wallet, { msgs: [msgSend(alice, bob, 1000)], fee: testFee(5000), chainId: TEST_CHAIN_ID, accountNumber, sequence: 0 });
    const r = chain.deliver(tx);
    expect(r.log).toBe("");
    expect(r.code).toBe(0);
    expect(balance(chain, alice)).toBe(1_000_000_000n - 1000n - 5000n);
    expect(balance(chain, bob)).toBe(1_000_000_000n + 1000n);
    expect(accountNumberAndSequence(chain, alice).sequence).toBe(1n);
    const data = TxMsgData.decode(r.data);
    expect(data.msgResponses.map((m) => m.typeUrl)).toEqual(["/cosmos.bank.v1beta1.MsgSendResponse"]);
    expect(r.gasUsed).toBeGreaterThan(0n);
    expect(r.gasWanted).toBe(200000n);
    const types = r.events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["tx", "message", "coin_spent", "coin_received", "transfer"]));
    expect(r.events.every((e) => e.attributes.every((a) => a.index))).toBe(true);
    const accSeq = r.events.flatMap((e) => e.attributes).find((a) => a.key === "acc_seq");
    expect(accSeq?.value).toBe(`${alice}/0`);
  });

  test("an amino-JSON-signed MsgSend is accepted", async () => {
    const { chain, alice, bob } = await setup();
    const wallet = await aminoWallet();
    const tx = await signAmino(wallet, { msgs: [msgSend(alice, bob, 7)], fee: testFee(5000), memo: "<amino & co>", chainId: TEST_CHAIN_ID, accountNumber: accountNumberAndSequence(chain, alice).accountNumber, sequence: 0 });
    const r = chain.deliver(tx);
    expect(r.log).toBe("");
    expect(r.code).toBe(0);
    expect(balance(chain, bob)).toBe(1_000_000_007n);
  });

  test("a failing message keeps only the fee and the sequence", async () => {
    const { chain, alice, bob, wallet } = await setup();
    const { accountNumber } = accountNumberAndSequence(chain, alice);
    const tx = await signDirect(wallet, {
      msgs: [msgSend(alice, bob, 10), msgSend(alice, bob, 10_000_000_000)],
      fee: testFee(5000),
      chainId: TEST_CHAIN_ID,
      accountNumber,
      sequence: 0,
    });
    const r = chain.deliver(tx);
    expect(r.code).toBe(5);
    expect(r.codespace).toBe("sdk");
    expect(r.log).toMatch(/insufficient funds/);
    expect(balance(chain, alice)).toBe(1_000_000_000n - 5000n);
    expect(balance(chain, bob)).toBe(1_000_000_000n);
    expect(accountNumberAndSequence(chain, alice).sequence).toBe(1n);
  });

  test("CheckTx rejections use the SDK codes, and the minimum gas price applies in CheckTx only", async () => {
    const { chain, alice, bob, wallet } = await setup("0.025udcert");
    const { accountNumber } = accountNumberAndSequence(chain, alice);
    const spec = { msgs: [msgSend(alice, bob, 1)], fee: testFee(5000), chainId: TEST_CHAIN_ID, accountNumber, sequence: 0 };
    const check = (tx: Uint8Array) => chain.app.checkTx({ tx, type: CheckTxType.NEW });
    expect(check(await signDirect(wallet, { ...spec, sequence: 3 })).code).toBe(32);
    expect(check(await signDirect(wallet, { ...spec, chainId: "other-chain" })).code).toBe(4);
    expect(check(await signDirect(wallet, { ...spec, accountNumber: accountNumber + 9n })).code).toBe(4);
    const cheap = await signDirect(wallet, { ...spec, fee: testFee(1) });
    const rejected = check(cheap);
    expect(rejected.code).toBe(13);
    expect(rejected.log).toMatch(/insufficient fees; got: 1udcert required: 5000udcert/);
    // The same tx is valid in consensus: a proposer may include it.
    expect(chain.deliver(cheap).code).toBe(0);
    const ok = await signDirect(wallet, { ...spec, sequence: 1 });
    expect(check(ok).code).toBe(0);
    // CheckTx state advanced the sequence: the same tx again is a sequence mismatch.
    expect(check(ok).code).toBe(32);
  });

  test("Simulate returns gas used for an unsigned tx, as CosmJS sends it", async () => {
    const { chain, alice, bob, wallet } = await setup();
    const { Tx, TxBody, AuthInfo, Fee } = jest.requireActual<typeof import("cosmjs-types/cosmos/tx/v1beta1/tx")>("cosmjs-types/cosmos/tx/v1beta1/tx");
    const { encodePubkey, Registry } = jest.requireActual<typeof import("@cosmjs/proto-signing")>("@cosmjs/proto-signing");
    const { encodeSecp256k1Pubkey } = jest.requireActual<typeof import("@cosmjs/amino")>("@cosmjs/amino");
    const { defaultRegistryTypes } = jest.requireActual<typeof import("@cosmjs/stargate")>("@cosmjs/stargate");
    const registry = new Registry(defaultRegistryTypes);
    const pub = encodePubkey(encodeSecp256k1Pubkey((await firstAccount(wallet)).pubkey));
    const tx = Tx.fromPartial({
      body: TxBody.fromPartial({ messages: [registry.encodeAsAny(msgSend(alice, bob, 5))], memo: "" }),
      authInfo: AuthInfo.fromPartial({ fee: Fee.fromPartial({}), signerInfos: [{ publicKey: pub, sequence: 0n, modeInfo: { single: { mode: 0 } } }] }),
      signatures: [new Uint8Array()],
    });
    const res = chain.app.query({ path: "/cosmos.tx.v1beta1.Service/Simulate", data: SimulateRequest.encode({ txBytes: Tx.encode(tx).finish() }).finish(), height: 0n, prove: false });
    expect(res.log).toBe("");
    expect(res.code).toBe(0);
    const sim = SimulateResponse.decode(res.value);
    expect(sim.gasInfo!.gasUsed).toBeGreaterThan(10_000n);
    // Nothing was written by the simulation.
    expect(balance(chain, bob)).toBe(1_000_000_000n);
    // The estimate includes the fee transfer, so it is within a few percent of the real tx's gas.
    const real = chain.deliver(await signDirect(wallet, { msgs: [msgSend(alice, bob, 5)], fee: testFee(5000), chainId: TEST_CHAIN_ID, accountNumber: accountNumberAndSequence(chain, alice).accountNumber, sequence: 0 }));
    expect(real.code).toBe(0);
    const estimate = Number(sim.gasInfo!.gasUsed);
    expect(Math.abs(estimate - Number(real.gasUsed)) / Number(real.gasUsed)).toBeLessThan(0.05);
  });

  test("a missing account answers NotFound the way CosmJS expects", async () => {
    const { chain } = await setup();
    const other = (await firstAccount(await DirectSecp256k1HdWallet.generate(12, { prefix: "dcert" }))).address;
    const res = chain.app.query({ path: "/cosmos.auth.v1beta1.Query/Account", data: QueryAccountRequest.encode({ address: other }).finish(), height: 0n, prove: false });
    expect(res.code).not.toBe(0);
    expect(res.log).toMatch(/rpc error: code = NotFound/);
    expect(res.height).toBe(chain.height);
  });

  test("genesis export → import → export is identical", async () => {
    const { chain, alice, bob, wallet } = await setup();
    const tx = await signDirect(wallet, { msgs: [msgSend(alice, bob, 99)], fee: testFee(5000), chainId: TEST_CHAIN_ID, accountNumber: accountNumberAndSequence(chain, alice).accountNumber, sequence: 0 });
    expect(chain.deliver(tx).code).toBe(0);
    const exported = chain.app.exportGenesis();
    const { createApp } = jest.requireActual<typeof import("../../src/app/node")>("../../src/app/node");
    const { MemoryCommitStore } = jest.requireActual<typeof import("../../src/baseapp/store/memory")>("../../src/baseapp/store/memory");
    const app2 = createApp({ store: new MemoryCommitStore() });
    app2.initChain({ time: { seconds: 1n, nanos: 0 }, chainId: TEST_CHAIN_ID, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(exported)), initialHeight: 1n });
    expect(JSON.stringify(app2.exportGenesis())).toBe(JSON.stringify(exported));
  });
});
