import { serializeSignDoc, makeSignDoc as makeAminoSignDoc } from "@cosmjs/amino";
import { toBech32 } from "@cosmjs/encoding";
import { makeSignBytes, makeSignDoc } from "@cosmjs/proto-signing";
import { signatureNormalize } from "secp256k1";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { decodeTx, type DecodedTx } from "../../../src/baseapp/tx/decode";
import { createDefaultAminoRegistry } from "../../../src/types/amino";
import { aminoSignBytes, directSignBytes, signBytesFor } from "../../../src/baseapp/tx/signdoc";
import { verifySecp256k1, verifyTxSignature } from "../../../src/baseapp/tx/verify";
import { pubkeyToAddress } from "../../../src/baseapp/tx/address";
import { SIGN_MODE_DIRECT, SIGN_MODE_LEGACY_AMINO_JSON } from "../../../src/baseapp/tx/sigmodes";
import {
  TEST_CHAIN_ID,
  TEST_MNEMONIC_2,
  aminoWallet,
  directWallet,
  firstAccount,
  msgSend,
  signAmino,
  signDirect,
  testAminoTypes,
  testFee,
  type TxSpec,
} from "../../helpers/txs";

const amino = createDefaultAminoRegistry();
const ACCOUNT_NUMBER = 7n;
const SEQUENCE = 3n;
const N = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

type Mode = "direct" | "amino";

async function signed(mode: Mode, overrides: Partial<TxSpec> = {}): Promise<{ bytes: Uint8Array; address: string; pubkey: Uint8Array }> {
  const wallet = mode === "direct" ? await directWallet() : await aminoWallet();
  const { address, pubkey } = await firstAccount(wallet);
  const other = (await firstAccount(await directWallet(TEST_MNEMONIC_2))).address;
  const spec: TxSpec = {
    msgs: [msgSend(address, other, 1234n)],
    fee: testFee(5000n, 200000n),
    memo: "pay <rent> & tip",
    chainId: TEST_CHAIN_ID,
    accountNumber: ACCOUNT_NUMBER,
    sequence: SEQUENCE,
    ...overrides,
  };
  const bytes = mode === "direct" ? await signDirect(wallet as never, spec) : await signAmino(wallet as never, spec);
  return { bytes, address, pubkey };
}

function verifies(tx: DecodedTx, pubkey: Uint8Array, chainId = TEST_CHAIN_ID, accountNumber = ACCOUNT_NUMBER): boolean {
  return verifyTxSignature(tx, 0, { chainId, accountNumber, pubkey }, amino);
}

function withBody(bytes: Uint8Array, edit: (b: TxBody) => void): Uint8Array {
  const raw = TxRaw.decode(bytes);
  const body = TxBody.decode(raw.bodyBytes);
  edit(body);
  return TxRaw.encode({ ...raw, bodyBytes: TxBody.encode(body).finish() }).finish();
}

function withAuthInfo(bytes: Uint8Array, edit: (a: AuthInfo) => void): Uint8Array {
  const raw = TxRaw.decode(bytes);
  const authInfo = AuthInfo.decode(raw.authInfoBytes);
  edit(authInfo);
  return TxRaw.encode({ ...raw, authInfoBytes: AuthInfo.encode(authInfo).finish() }).finish();
}

function withSignature(bytes: Uint8Array, edit: (sig: Uint8Array) => Uint8Array): Uint8Array {
  const raw = TxRaw.decode(bytes);
  return TxRaw.encode({ ...raw, signatures: [edit(Uint8Array.from(raw.signatures[0] ?? []))] }).finish();
}

describe.each<Mode>(["direct", "amino"])("a CosmJS %s-signed transaction", (mode) => {
  it("decodes, and its signature verifies against the signer's key", async () => {
    const { bytes, pubkey } = await signed(mode);
    const tx = decodeTx(bytes);
    expect(tx.signers).toHaveLength(1);
    expect(tx.signers[0]?.signMode).toBe(mode === "direct" ? SIGN_MODE_DIRECT : SIGN_MODE_LEGACY_AMINO_JSON);
    expect(tx.signers[0]?.publicKey).toEqual(pubkey);
    expect(tx.signers[0]?.sequence).toBe(SEQUENCE);
    expect(tx.fee.gasLimit).toBe(200000n);
    expect(tx.fee.amount).toEqual([{ denom: "udcert", amount: 5000n }]);
    expect(tx.body.memo).toBe("pay <rent> & tip");
    expect(verifies(tx, pubkey)).toBe(true);
  });

  it("the signer's address is RIPEMD160(SHA256(pubkey)), as CosmJS derives it", async () => {
    const { bytes, address } = await signed(mode);
    const tx = decodeTx(bytes);
    const key = tx.signers[0]?.publicKey;
    expect(key).toBeDefined();
    expect(toBech32("dcert", pubkeyToAddress(key as Uint8Array))).toBe(address);
  });

  it("fails for another chain id", async () => {
    const { bytes, pubkey } = await signed(mode);
    const tx = decodeTx(bytes);
    expect(verifies(tx, pubkey, "dcert-test-2")).toBe(false);
    expect(verifies(tx, pubkey, TEST_CHAIN_ID.slice(0, -1) + "2")).toBe(false);
  });

  it("fails for another account number", async () => {
    const { bytes, pubkey } = await signed(mode);
    const tx = decodeTx(bytes);
    expect(verifies(tx, pubkey, TEST_CHAIN_ID, ACCOUNT_NUMBER + 1n)).toBe(false);
    expect(verifies(tx, pubkey, TEST_CHAIN_ID, 0n)).toBe(false);
  });

  it("fails when the sequence in the signer info changes", async () => {
    const { bytes, pubkey } = await signed(mode);
    const changed = withAuthInfo(bytes, (a) => {
      const si = a.signerInfos[0];
      if (si) si.sequence = SEQUENCE + 1n;
    });
    const tx = decodeTx(changed);
    expect(tx.signers[0]?.sequence).toBe(SEQUENCE + 1n);
    expect(verifies(tx, pubkey)).toBe(false);
  });

  it("fails when the memo changes by one byte", async () => {
    const { bytes, pubkey } = await signed(mode);
    const tx = decodeTx(withBody(bytes, (b) => (b.memo = "pay <rent> & tiq")));
    expect(verifies(tx, pubkey)).toBe(false);
  });

  it("fails when the message's amount changes", async () => {
    const { bytes, pubkey } = await signed(mode);
    const changed = withBody(bytes, (b) => {
      const m = b.messages[0];
      if (m === undefined) throw new Error("no message");
      const send = MsgSend.decode(m.value);
      send.amount = [{ denom: "udcert", amount: "1235" }];
      m.value = MsgSend.encode(send).finish();
    });
    expect(verifies(decodeTx(changed), pubkey)).toBe(false);
  });

  it("fails when the fee changes", async () => {
    const { bytes, pubkey } = await signed(mode);
    const changed = withAuthInfo(bytes, (a) => {
      if (a.fee) a.fee.gasLimit += 1n;
    });
    expect(verifies(decodeTx(changed), pubkey)).toBe(false);
  });

  it("fails for any single-byte change of the signature", async () => {
    const { bytes, pubkey } = await signed(mode);
    for (const i of [0, 1, 17, 31, 32, 33, 50, 63]) {
      const changed = withSignature(bytes, (sig) => {
        sig[i] = (sig[i] as number) ^ 0x01;
        return sig;
      });
      expect(verifies(decodeTx(changed), pubkey)).toBe(false);
    }
  });

  it("fails for another key", async () => {
    const { bytes } = await signed(mode);
    const { pubkey: otherKey } = await firstAccount(await directWallet(TEST_MNEMONIC_2));
    expect(verifies(decodeTx(bytes), otherKey)).toBe(false);
  });

  it("rejects the high-S twin of the valid signature (s' = n - s)", async () => {
    const { bytes, pubkey } = await signed(mode);
    const twinBytes = withSignature(bytes, (sig) => {
      const s = BigInt("0x" + Buffer.from(sig.subarray(32)).toString("hex"));
      const twinS = N - s;
      const out = Uint8Array.from(sig);
      out.set(Buffer.from(twinS.toString(16).padStart(64, "0"), "hex"), 32);
      return out;
    });
    const tx = decodeTx(twinBytes);
    const twin = tx.signatures[0] as Uint8Array;
    // The twin is the same signature in the other half-plane: libsecp256k1's normalisation maps it back.
    expect(Buffer.from(signatureNormalize(Uint8Array.from(twin)))).toEqual(Buffer.from(decodeTx(bytes).signatures[0] as Uint8Array));
    expect(verifies(tx, pubkey)).toBe(false);
  });
});

describe("sign bytes equal what CosmJS signs", () => {
  it("direct: SignDoc bytes equal CosmJS makeSignBytes", async () => {
    const { bytes } = await signed("direct");
    const tx = decodeTx(bytes);
    const ours = directSignBytes(tx.bodyBytes, tx.authInfoBytes, TEST_CHAIN_ID, ACCOUNT_NUMBER);
    expect(ours).toEqual(makeSignBytes(makeSignDoc(tx.bodyBytes, tx.authInfoBytes, TEST_CHAIN_ID, ACCOUNT_NUMBER)));
    expect(signBytesFor(tx, 0, { chainId: TEST_CHAIN_ID, accountNumber: ACCOUNT_NUMBER }, amino)).toEqual(ours);
  });

  it("amino: StdSignDoc bytes equal CosmJS serializeSignDoc(makeSignDoc(...)), including timeout height", async () => {
    const { address } = await firstAccount(await aminoWallet());
    const msgs = [msgSend(address, address, 99n)];
    const fee = testFee(1n, 100000n);
    const aminoTypes = testAminoTypes();
    for (const timeoutHeight of [undefined, 0n, 1234n]) {
      const expected = serializeSignDoc(
        makeAminoSignDoc(msgs.map((m) => aminoTypes.toAmino(m)), fee, TEST_CHAIN_ID, "a&b", 5n, "9", timeoutHeight),
      );
      const ours = aminoSignBytes(
        {
          chainId: TEST_CHAIN_ID,
          accountNumber: 5n,
          sequence: 9n,
          fee: { amount: [{ denom: "udcert", amount: "1" }], gasLimit: 100000n, payer: "", granter: "" },
          memo: "a&b",
          msgs: msgs.map((m) => ({ typeUrl: m.typeUrl, value: MsgSend.encode(MsgSend.fromPartial(m.value)).finish() })),
          timeoutHeight: timeoutHeight ?? 0n,
        },
        amino,
      );
      expect(Buffer.from(ours).toString()).toBe(Buffer.from(expected).toString());
    }
  });

  it("a tx with a timeout height signed in either mode verifies", async () => {
    for (const mode of ["direct", "amino"] as const) {
      const { bytes, pubkey } = await signed(mode, { timeoutHeight: 77n });
      const tx = decodeTx(bytes);
      expect(tx.body.timeoutHeight).toBe(77n);
      expect(verifies(tx, pubkey)).toBe(true);
    }
  });

  it("a tx with a fee granter signed in either mode verifies, and the granter is covered", async () => {
    const { address: granter } = await firstAccount(await directWallet(TEST_MNEMONIC_2));
    for (const mode of ["direct", "amino"] as const) {
      const { bytes, pubkey } = await signed(mode, { fee: { ...testFee(), granter } });
      const tx = decodeTx(bytes);
      expect(tx.fee.granter).toBe(granter);
      expect(verifies(tx, pubkey)).toBe(true);
      const noGranter = withAuthInfo(bytes, (a) => {
        if (a.fee) a.fee.granter = "";
      });
      expect(verifies(decodeTx(noGranter), pubkey)).toBe(false);
    }
  });

  it("verifySecp256k1 takes the unhashed sign bytes", async () => {
    const { bytes, pubkey } = await signed("direct");
    const tx = decodeTx(bytes);
    const signBytes = directSignBytes(tx.bodyBytes, tx.authInfoBytes, TEST_CHAIN_ID, ACCOUNT_NUMBER);
    expect(verifySecp256k1(tx.signatures[0] as Uint8Array, signBytes, pubkey)).toBe(true);
  });
});
