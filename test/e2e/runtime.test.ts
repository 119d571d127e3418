/**
 * The chain runtime against stock CosmJS on a real CometBFT node (issue: chain runtime).
 * Covers the queries CosmJS needs, sends signed in SIGN_MODE_DIRECT with `fee: "auto"` and in
 * SIGN_MODE_LEGACY_AMINO_JSON by an amino-only wallet, tx search by sender, the SDK's rejection
 * codes, and a SIGKILL of the app process with the chain resuming intact.
 */
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet, type OfflineSigner } from "@cosmjs/proto-signing";
import {
  GasPrice,
  SigningStargateClient,
  StargateClient,
  isDeliverTxFailure,
  type StdFee,
  BroadcastTxError,
} from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { DEVNET_MIN_GAS_PRICES } from "../../src/localnet/devnet";
import { startDevnet, type Devnet } from "./harness";

jest.setTimeout(300_000);

const PREFIX = "dcert";
const POLL = { broadcastPollIntervalMs: 300, broadcastTimeoutMs: 30_000 };

async function directClient(devnet: Devnet, mnemonic: string): Promise<{ client: SigningStargateClient; address: string; signer: OfflineSigner }> {
  const signer = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: PREFIX });
  const [acc] = await signer.getAccounts();
  const client = await SigningStargateClient.connectWithSigner(devnet.rpc, signer, {
    gasPrice: GasPrice.fromString(DEVNET_MIN_GAS_PRICES),
    ...POLL,
  });
  return { client, address: acc!.address, signer };
}

function fee(amount: number, gas = 200_000): StdFee {
  return { amount: [{ denom: "udcert", amount: String(amount) }], gas: String(gas) };
}

async function expectBroadcastCode(p: Promise<unknown>, code: number): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BroadcastTxError);
    expect((e as BroadcastTxError).code).toBe(code);
    return;
  }
  throw new Error(`expected CheckTx to reject with code ${code}`);
}

describe("chain runtime with stock CosmJS on CometBFT", () => {
  let devnet: Devnet;
  let reader: StargateClient;

  beforeAll(async () => {
    devnet = await startDevnet();
    reader = await StargateClient.connect(devnet.rpc);
  });

  afterAll(async () => {
    reader?.disconnect();
    await devnet?.stop();
  });

  test("getChainId, getHeight, getAccount (existing and missing), getBalance", async () => {
    expect(await reader.getChainId()).toBe(devnet.chainId);
    const h1 = await reader.getHeight();
    expect(h1).toBeGreaterThan(0);
    const alice = devnet.accounts[1]!;
    const acc = await reader.getAccount(alice.address);
    expect(acc).not.toBeNull();
    expect(acc!.address).toBe(alice.address);
    const fresh = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: PREFIX })).getAccounts())[0]!.address;
    expect(await reader.getAccount(fresh)).toBeNull();
    const bal = await reader.getBalance(alice.address, devnet.denom);
    expect(BigInt(bal.amount)).toBeGreaterThan(0n);
    expect((await reader.getBalance(fresh, devnet.denom)).amount).toBe("0");
  });

  test("sendTokens with fee auto (simulate), and searchTx by message.sender", async () => {
    const alice = devnet.accounts[1]!;
    const { client, address } = await directClient(devnet, alice.mnemonic);
    const to = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: PREFIX })).getAccounts())[0]!.address;
    const before = BigInt((await reader.getBalance(address, devnet.denom)).amount);
    const res = await client.sendTokens(address, to, [{ denom: devnet.denom, amount: "12345" }], "auto", "hello");
    expect(res.code).toBe(0);
    expect(res.gasUsed).toBeGreaterThan(0n);
    expect((await reader.getBalance(to, devnet.denom)).amount).toBe("12345");
    const after = BigInt((await reader.getBalance(address, devnet.denom)).amount);
    expect(before - after).toBeGreaterThan(12345n); // amount plus the fee
    // Standard events with msg_index and the transfer
    const transfer = res.events.find((e) => e.type === "transfer" && e.attributes.some((a) => a.key === "recipient" && a.value === to));
    expect(transfer).toBeDefined();
    const message = res.events.find((e) => e.type === "message" && e.attributes.some((a) => a.key === "action"));
    expect(message?.attributes).toEqual(
      expect.arrayContaining([
        { key: "action", value: "/cosmos.bank.v1beta1.MsgSend" },
        { key: "sender", value: address },
        { key: "module", value: "bank" },
      ]),
    );
    const found = await reader.searchTx(`message.sender='${address}'`);
    expect(found.map((t) => t.hash)).toContain(res.transactionHash);
    client.disconnect();
  });

  test("the same send signed by an amino-only wallet (SIGN_MODE_LEGACY_AMINO_JSON)", async () => {
    const bob = devnet.accounts[2]!;
    const wallet = await Secp256k1HdWallet.fromMnemonic(bob.mnemonic, { prefix: PREFIX });
    const [acc] = await wallet.getAccounts();
    const client = await SigningStargateClient.connectWithSigner(devnet.rpc, wallet, POLL);
    const to = devnet.accounts[3]!.address;
    const before = BigInt((await reader.getBalance(to, devnet.denom)).amount);
    const res = await client.sendTokens(acc!.address, to, [{ denom: devnet.denom, amount: "777" }], fee(10_000), "amino memo <&>");
    expect(res.code).toBe(0);
    expect(BigInt((await reader.getBalance(to, devnet.denom)).amount) - before).toBe(777n);
    client.disconnect();
  });

  test("rejections carry the SDK's codes: wrong sequence 32, wrong chain-id 4, insufficient fee 13, insufficient funds 5", async () => {
    const carol = devnet.accounts[3]!;
    const { client, address } = await directClient(devnet, carol.mnemonic);
    const acct = (await reader.getAccount(address))!;
    const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: address, toAddress: devnet.accounts[1]!.address, amount: [{ denom: devnet.denom, amount: "1" }] } };
    const sign = async (signerData: { accountNumber: bigint; sequence: number; chainId: string }, f: StdFee) =>
      TxRaw.encode(await client.sign(address, [msg], f, "", signerData)).finish();

    const wrongSeq = await sign({ accountNumber: acct.accountNumber, sequence: acct.sequence + 5, chainId: devnet.chainId }, fee(10_000));
    await expectBroadcastCode(client.broadcastTx(wrongSeq), 32);

    const wrongChain = await sign({ accountNumber: acct.accountNumber, sequence: acct.sequence, chainId: "some-other-chain" }, fee(10_000));
    await expectBroadcastCode(client.broadcastTx(wrongChain), 4);

    const cheap = await sign({ accountNumber: acct.accountNumber, sequence: acct.sequence, chainId: devnet.chainId }, fee(1));
    await expectBroadcastCode(client.broadcastTx(cheap), 13);

    const balance = BigInt((await reader.getBalance(address, devnet.denom)).amount);
    const tooMuch = { ...msg, value: { ...msg.value, amount: [{ denom: devnet.denom, amount: (balance * 2n).toString() }] } };
    const res = await client.signAndBroadcast(address, [tooMuch], fee(10_000));
    expect(isDeliverTxFailure(res)).toBe(true);
    expect(res.code).toBe(5);
    // The fee was still charged and the sequence advanced, as in the SDK.
    const after = (await reader.getAccount(address))!;
    expect(after.sequence).toBe(acct.sequence + 1);
    expect(BigInt((await reader.getBalance(address, devnet.denom)).amount)).toBe(balance - 10_000n);
    client.disconnect();
  });

  test("SIGKILL the app mid-run: the chain resumes where it was with balances intact", async () => {
    const alice = devnet.accounts[1]!;
    const { client, address } = await directClient(devnet, alice.mnemonic);
    const to = devnet.accounts[2]!.address;
    const res = await client.sendTokens(address, to, [{ denom: devnet.denom, amount: "4242" }], fee(10_000));
    expect(res.code).toBe(0);
    client.disconnect();
    reader.disconnect();
    const balancesBefore = await Promise.all(devnet.accounts.map(async (a) => (await StargateClient.connect(devnet.rpc).then(async (c) => { const b = await c.getBalance(a.address, devnet.denom); c.disconnect(); return b.amount; }))));
    const heightBefore = (await devnet.height()) ?? 0;
    await devnet.killApp("SIGKILL");
    const resumed = await devnet.restartApp();
    expect(resumed).toBeGreaterThan(heightBefore);
    reader = await StargateClient.connect(devnet.rpc);
    const balancesAfter = await Promise.all(devnet.accounts.map(async (a) => (await reader.getBalance(a.address, devnet.denom)).amount));
    expect(balancesAfter).toEqual(balancesBefore);
    const tx = await reader.getTx(res.transactionHash);
    expect(tx?.code).toBe(0);
    // And it keeps working: a new send after the restart commits.
    const again = await directClient(devnet, alice.mnemonic);
    const res2 = await again.client.sendTokens(address, to, [{ denom: devnet.denom, amount: "1" }], fee(10_000));
    expect(res2.code).toBe(0);
    again.client.disconnect();
  });
});
