/**
 * Multisig accounts through the ABCI methods: a 2-of-3 LegacyAminoPubKey account signs with a
 * ModeInfo.Multi and a MultiSignature built by CosmJS's `makeMultisignedTxBytes` (so the chain is
 * checked against an independent builder), and each way a multisig tx can be wrong is refused
 * with a registered error.
 */
import { createMultisigThresholdPubkey, makeSignDoc, pubkeyToAddress, Secp256k1HdWallet, type MultisigThresholdPubkey, type StdFee } from "@cosmjs/amino";
import { fromBase64 } from "@cosmjs/encoding";
import { encodePubkey, makeCosmoshubPath } from "@cosmjs/proto-signing";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { LegacyAminoPubKey } from "cosmjs-types/cosmos/crypto/multisig/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { MultiSignature } from "cosmjs-types/cosmos/crypto/multisig/v1beta1/multisig";
import { AuthInfo, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { CheckTxType } from "cosmjs-types/tendermint/abci/types";
import { testChain, testValidatorAddress, type TestChain } from "../helpers/app";
import { msgSend, testAminoTypes, testFee, testRegistry, TEST_CHAIN_ID, TEST_MNEMONIC } from "../helpers/txs";

const DENOM = "udcert";
const PREFIX = "dcert";

async function wallets(n: number): Promise<Secp256k1HdWallet[]> {
  const out: Secp256k1HdWallet[] = [];
  for (let i = 0; i < n; i++) out.push(await Secp256k1HdWallet.fromMnemonic(TEST_MNEMONIC, { prefix: PREFIX, hdPaths: [makeCosmoshubPath(10 + i)] }));
  return out;
}

async function pubkeys(ws: readonly Secp256k1HdWallet[]): Promise<{ address: string; pubkey: Uint8Array }[]> {
  const out: { address: string; pubkey: Uint8Array }[] = [];
  for (const w of ws) {
    const [a] = await w.getAccounts();
    if (a === undefined) throw new Error("no account");
    out.push(a);
  }
  return out;
}

function multisigOf(accounts: readonly { pubkey: Uint8Array }[], threshold: number): MultisigThresholdPubkey {
  return createMultisigThresholdPubkey(
    accounts.map((a) => ({ type: "tendermint/PubKeySecp256k1", value: Buffer.from(a.pubkey).toString("base64") })),
    threshold,
  );
}

function account(chain: TestChain, address: string): BaseAccount {
  const res = chain.app.query({ path: "/cosmos.auth.v1beta1.Query/Account", data: QueryAccountRequest.encode({ address }).finish(), height: 0n, prove: false });
  expect(res.code).toBe(0);
  return BaseAccount.decode(QueryAccountResponse.decode(res.value).account!.value);
}

function balance(chain: TestChain, address: string): bigint {
  const res = chain.app.query({ path: "/cosmos.bank.v1beta1.Query/Balance", data: QueryBalanceRequest.encode({ address, denom: DENOM }).finish(), height: 0n, prove: false });
  return BigInt(QueryBalanceResponse.decode(res.value).balance!.amount);
}

interface Setup {
  chain: TestChain;
  signers: Secp256k1HdWallet[];
  accounts: { address: string; pubkey: Uint8Array }[];
  multisig: MultisigThresholdPubkey;
  msAddress: string;
  bob: string;
}

async function setup(nKeys = 3, threshold = 2): Promise<Setup> {
  const signers = await wallets(nKeys);
  const accounts = await pubkeys(signers);
  const multisig = multisigOf(accounts, threshold);
  const msAddress = pubkeyToAddress(multisig, PREFIX);
  const bob = accounts[0]!.address;
  const chain = testChain({
    accounts: [
      { address: await testValidatorAddress(), amount: 1_000_000_000n },
      { address: msAddress, amount: 1_000_000n },
      { address: bob, amount: 1n },
    ],
  });
  chain.block();
  return { chain, signers, accounts, multisig, msAddress, bob };
}

/** Signs the multisig account's send with the wallets at `who` (indices into the sorted key list) and builds the tx with CosmJS. */
async function multisigned(
  s: Setup,
  who: readonly number[],
  opts: { chainId?: string; fee?: StdFee; sequence?: number; pubkey?: MultisigThresholdPubkey } = {},
): Promise<Uint8Array> {
  const fee = opts.fee ?? testFee(5000, 300000);
  const acc = account(s.chain, s.msAddress);
  const sequence = opts.sequence ?? Number(acc.sequence);
  const msg = msgSend(s.msAddress, s.bob, 1000);
  const aminoTypes = testAminoTypes();
  const doc = makeSignDoc([aminoTypes.toAmino(msg)], fee, opts.chainId ?? TEST_CHAIN_ID, "multisig", acc.accountNumber, sequence);
  const bodyBytes = testRegistry().encodeTxBody({ messages: [msg], memo: "multisig" });
  const sigs: Uint8Array[] = [];
  const pubkey = opts.pubkey ?? s.multisig;
  for (const k of [...who].sort((a, b) => a - b)) {
    // createMultisigThresholdPubkey sorts the keys; find the wallet that holds key k.
    const keyB64 = pubkey.value.pubkeys[k]!.value;
    const i = s.accounts.findIndex((a) => Buffer.from(a.pubkey).toString("base64") === keyB64);
    const w = s.signers[i]!;
    const addr = s.accounts[i]!.address;
    const { signature } = await w.signAmino(addr, doc);
    sigs.push(fromBase64(signature.signature));
  }
  return multisignedTx(pubkey, who, sequence, fee, bodyBytes, sigs);
}

/**
 * The SDK's multisig tx layout, built here from the proto types (CosmJS's makeMultisignedTx cannot
 * decode addresses with @scure/base 2): a bit array with one bit per key (most significant bit
 * first), one amino JSON mode info per signature, the signatures in key order as a MultiSignature.
 */
function multisignedTx(pubkey: MultisigThresholdPubkey, who: readonly number[], sequence: number, fee: StdFee, bodyBytes: Uint8Array, sigs: Uint8Array[]): Uint8Array {
  const n = pubkey.value.pubkeys.length;
  const elems = new Uint8Array(Math.ceil(n / 8));
  for (const k of who) elems[k >> 3] = (elems[k >> 3] ?? 0) | (0x80 >> (k & 7));
  const authInfo = AuthInfo.fromPartial({
    signerInfos: [
      {
        publicKey: encodePubkey(pubkey),
        modeInfo: { multi: { bitarray: { extraBitsStored: n % 8, elems }, modeInfos: sigs.map(() => ({ single: { mode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON } })) } },
        sequence: BigInt(sequence),
      },
    ],
    fee: { amount: [...fee.amount], gasLimit: BigInt(fee.gas) },
  });
  return TxRaw.encode({ bodyBytes, authInfoBytes: AuthInfo.encode(authInfo).finish(), signatures: [MultiSignature.encode({ signatures: sigs }).finish()] }).finish();
}

function withAuthInfo(tx: Uint8Array, edit: (a: AuthInfo) => AuthInfo): Uint8Array {
  const raw = TxRaw.decode(tx);
  return TxRaw.encode({ ...raw, authInfoBytes: AuthInfo.encode(edit(AuthInfo.decode(raw.authInfoBytes))).finish() }).finish();
}

describe("multisig accounts (LegacyAminoPubKey, amino JSON)", () => {
  test("a 2-of-3 multisig send signed by two keys is accepted; the account keeps its multisig key", async () => {
    const s = await setup();
    const tx = await multisigned(s, [0, 2]);
    expect(s.chain.app.checkTx({ tx, type: CheckTxType.NEW }).code).toBe(0);
    const r = s.chain.deliver(tx);
    expect(r.log).toBe("");
    expect(r.code).toBe(0);
    expect(balance(s.chain, s.bob)).toBe(1001n);
    expect(balance(s.chain, s.msAddress)).toBe(1_000_000n - 1000n - 5000n);
    const acc = account(s.chain, s.msAddress);
    expect(acc.sequence).toBe(1n);
    expect(acc.pubKey?.typeUrl).toBe("/cosmos.crypto.multisig.LegacyAminoPubKey");
    expect(LegacyAminoPubKey.decode(acc.pubKey!.value).threshold).toBe(2);
    // The next tx may omit the key (the account has it) and use the other two signers.
    const next = withAuthInfo(await multisigned(s, [0, 1]), (a) => ({ ...a, signerInfos: a.signerInfos.map(({ publicKey: _omit, ...si }) => si) }));
    expect(s.chain.deliver(next).code).toBe(0);
    expect(balance(s.chain, s.bob)).toBe(2001n);
    // All three signatures are fine too.
    expect(s.chain.deliver(await multisigned(s, [0, 1, 2])).code).toBe(0);
  });

  test("one signature of a 2-of-3 is refused (unauthorized) and changes nothing", async () => {
    const s = await setup();
    const r = s.chain.deliver(await multisigned(s, [1]));
    expect({ codespace: r.codespace, code: r.code }).toEqual({ codespace: "sdk", code: 4 });
    expect(r.log).toMatch(/multisig needs 2 signatures, the bit array marks 1/);
    expect(account(s.chain, s.msAddress).sequence).toBe(0n);
  });

  test("a signature over another chain id is refused (unauthorized)", async () => {
    const s = await setup();
    const r = s.chain.deliver(await multisigned(s, [0, 1], { chainId: "other-chain" }));
    expect(r.code).toBe(4);
    expect(r.log).toMatch(/multisig signature #0 \(key #0\) does not verify.*chain-id \(dcert-test-1\)/);
  });

  test("a bit array whose size is not the number of keys is refused", async () => {
    const s = await setup();
    const tx = withAuthInfo(await multisigned(s, [0, 1]), (a) => {
      const si = a.signerInfos[0]!;
      const multi = si.modeInfo!.multi!;
      return { ...a, signerInfos: [{ ...si, modeInfo: { multi: { ...multi, bitarray: { extraBitsStored: 4, elems: multi.bitarray!.elems } } } }] };
    });
    const r = s.chain.deliver(tx);
    expect(r.code).toBe(4);
    expect(r.log).toMatch(/bit array has 4 bits but the key holds 3 public keys/);
  });

  test("a multisig key that does not hash to the account address is refused (invalid pubkey)", async () => {
    const s = await setup();
    const other = multisigOf(s.accounts, 3);
    const tx2 = withAuthInfo(await multisigned(s, [0, 1]), (a) => ({
      ...a,
      signerInfos: a.signerInfos.map((si) => ({ ...si, publicKey: encodePubkey(other) })),
    }));
    const r2 = s.chain.deliver(tx2);
    expect({ code: r2.code, log: r2.log }).toEqual({ code: 8, log: expect.stringMatching(/does not match signer address/) });
  });

  test("nested SIGN_MODE_DIRECT, a single mode info, or a nested multisig are refused with what to do", async () => {
    const s = await setup();
    const tx = await multisigned(s, [0, 1]);
    const direct = withAuthInfo(tx, (a) => {
      const si = a.signerInfos[0]!;
      const multi = si.modeInfo!.multi!;
      return { ...a, signerInfos: [{ ...si, modeInfo: { multi: { ...multi, modeInfos: multi.modeInfos.map(() => ({ single: { mode: SignMode.SIGN_MODE_DIRECT } })) } } }] };
    });
    const r1 = s.chain.app.checkTx({ tx: direct, type: CheckTxType.NEW });
    expect({ code: r1.code, log: r1.log }).toEqual({ code: 37, log: expect.stringMatching(/must use SIGN_MODE_LEGACY_AMINO_JSON/) });
    const single = withAuthInfo(tx, (a) => ({ ...a, signerInfos: a.signerInfos.map((si) => ({ ...si, modeInfo: { single: { mode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON } } })) }));
    const r2 = s.chain.app.checkTx({ tx: single, type: CheckTxType.NEW });
    expect({ code: r2.code, log: r2.log }).toEqual({ code: 37, log: expect.stringMatching(/multi mode info/) });
    const nested = withAuthInfo(tx, (a) => {
      const si = a.signerInfos[0]!;
      const multi = si.modeInfo!.multi!;
      return { ...a, signerInfos: [{ ...si, modeInfo: { multi: { ...multi, modeInfos: [{ multi }, ...multi.modeInfos.slice(1)] } } }] };
    });
    const r3 = s.chain.app.checkTx({ tx: nested, type: CheckTxType.NEW });
    expect({ code: r3.code, log: r3.log }).toEqual({ code: 37, log: expect.stringMatching(/nested multisig/) });
  });

  test("a multisig key counts as many signatures as it holds keys against tx_sig_limit (7)", async () => {
    const s = await setup(8, 2);
    const r = s.chain.app.checkTx({ tx: await multisigned(s, [0, 1]), type: CheckTxType.NEW });
    expect({ code: r.code, log: r.log }).toEqual({ code: 14, log: expect.stringMatching(/8 signatures .* the limit is 7/) });
  });

  test("Simulate takes a multisig signer with empty signatures and nested UNSPECIFIED modes", async () => {
    const s = await setup();
    const tx = withAuthInfo(await multisigned(s, [0, 1]), (a) => {
      const si = a.signerInfos[0]!;
      const multi = si.modeInfo!.multi!;
      return { ...a, signerInfos: [{ ...si, modeInfo: { multi: { ...multi, modeInfos: multi.modeInfos.map(() => ({ single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } })) } } }] };
    });
    const raw = TxRaw.decode(tx);
    const unsigned = TxRaw.encode({ ...raw, signatures: [MultiSignature.encode({ signatures: [new Uint8Array(), new Uint8Array()] }).finish()] }).finish();
    const res = s.chain.app.query({ path: "/cosmos.tx.v1beta1.Service/Simulate", data: SimulateRequest.encode({ txBytes: unsigned }).finish(), height: 0n, prove: false });
    expect(res.log).toBe("");
    expect(res.code).toBe(0);
    expect(SimulateResponse.decode(res.value).gasInfo!.gasUsed).toBeGreaterThan(3000n);
    // The same tx is refused outside simulation.
    expect(s.chain.app.checkTx({ tx: unsigned, type: CheckTxType.NEW }).code).not.toBe(0);
  });

  test("genesis export writes the stored multisig key in the SDK's proto-JSON", async () => {
    const s = await setup();
    expect(s.chain.deliver(await multisigned(s, [0, 1])).code).toBe(0);
    const exported = s.chain.app.exportGenesis() as { auth: { accounts: { address: string; pub_key: unknown }[] } };
    const mine = exported.auth.accounts.find((a) => a.address === s.msAddress);
    expect(mine?.pub_key).toEqual({
      "@type": "/cosmos.crypto.multisig.LegacyAminoPubKey",
      threshold: 2,
      public_keys: s.multisig.value.pubkeys.map((k) => ({ "@type": "/cosmos.crypto.secp256k1.PubKey", key: k.value })),
    });
  });
});
