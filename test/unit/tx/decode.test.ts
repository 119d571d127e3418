import { createHash } from "node:crypto";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { encodePubkey, type EncodeObject } from "@cosmjs/proto-signing";
import { AuthInfo, Fee, Tx, TxBody, TxRaw, type SignerInfo } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import {
  ChainError,
  ErrInvalidCoins,
  ErrInvalidPubKey,
  ErrInvalidRequest,
  ErrNoSignatures,
  ErrNotSupported,
  ErrTxDecode,
  ErrUnauthorized,
  ErrUnknownExtensionOptions,
  type RegisteredError,
} from "../../../src/baseapp/errors";
import { createDefaultAminoRegistry } from "../../../src/types/amino";
import { decodeTx, MAX_GAS_WANTED, txHash } from "../../../src/baseapp/tx/decode";
import { verifyTxSignature } from "../../../src/baseapp/tx/verify";
import { readerOver } from "../../../src/baseapp/perf";
import { TEST_CHAIN_ID, directWallet, firstAccount, msgSend, signDirect, testFee, testRegistry } from "../../helpers/txs";

function testRegistryAny(m: EncodeObject): Any {
  return { typeUrl: m.typeUrl, value: testRegistry().encode(m) };
}

const KEY = new Uint8Array(33).fill(7);
KEY[0] = 2;
const SIG = new Uint8Array(64).fill(1);

const sendAny: Any = {
  typeUrl: "/cosmos.bank.v1beta1.MsgSend",
  value: MsgSend.encode(
    MsgSend.fromPartial({ fromAddress: "a", toAddress: "b", amount: [{ denom: "udcert", amount: "1" }] }),
  ).finish(),
};

/** Partial, but fields may be set to undefined explicitly (to leave them out of the encoding). */
type Loose<T> = { [K in keyof T]?: T[K] | undefined };

function signerInfo(over: Loose<SignerInfo> = {}): SignerInfo {
  return {
    publicKey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: Secp256k1PubKey.encode({ key: KEY }).finish() },
    modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
    sequence: 4n,
    ...over,
  } as SignerInfo;
}

interface Parts {
  body?: Partial<TxBody>;
  authInfo?: Loose<AuthInfo>;
  signatures?: Uint8Array[];
}

function body(p: Partial<TxBody> = {}): Uint8Array {
  return TxBody.encode(TxBody.fromPartial({ messages: [sendAny], memo: "m", ...p })).finish();
}

function authInfo(p: Loose<AuthInfo> = {}): Uint8Array {
  return AuthInfo.encode({
    signerInfos: [signerInfo()],
    fee: { amount: [{ denom: "udcert", amount: "500" }], gasLimit: 100000n, payer: "", granter: "" },
    ...p,
  } as AuthInfo).finish();
}

function tx(p: Parts = {}): Uint8Array {
  return TxRaw.encode({
    bodyBytes: body(p.body),
    authInfoBytes: authInfo(p.authInfo),
    signatures: p.signatures ?? [SIG],
  }).finish();
}

function rawTx(bodyBytes: Uint8Array, authInfoBytes: Uint8Array = authInfo(), signatures: Uint8Array[] = [SIG]): Uint8Array {
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures }).finish();
}

function rejects(bytes: Uint8Array, err: RegisteredError, message?: RegExp): void {
  let thrown: unknown;
  try {
    decodeTx(bytes);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(ChainError);
  expect({ code: (thrown as ChainError).code, message: (thrown as ChainError).message }).toEqual({
    code: err.code,
    message: expect.stringMatching(message ?? /./),
  });
}

const concat = (...parts: ArrayLike<number>[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => Array.from(p)));

describe("decodeTx on well-formed transactions", () => {
  it("decodes a CosmJS-signed tx and hashes it as CometBFT does (sha256 of the bytes)", async () => {
    const wallet = await directWallet();
    const { address, pubkey } = await firstAccount(wallet);
    const bytes = await signDirect(wallet, {
      msgs: [msgSend(address, address, 5n)],
      fee: testFee(),
      chainId: TEST_CHAIN_ID,
      accountNumber: 1n,
      sequence: 0n,
    });
    const d = decodeTx(bytes);
    expect(d.raw).toBe(bytes);
    expect(Buffer.from(txHash(d)).toString("hex")).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(d.body.messages.map((m) => m.typeUrl)).toEqual(["/cosmos.bank.v1beta1.MsgSend"]);
    expect(d.signers).toEqual([{ publicKey: pubkey, sequence: 0n, signMode: SignMode.SIGN_MODE_DIRECT }]);
    expect(d.signatures).toHaveLength(1);
    expect(TxRaw.encode({ bodyBytes: d.bodyBytes, authInfoBytes: d.authInfoBytes, signatures: [...d.signatures] }).finish()).toEqual(bytes);
  });

  it("allows a signer info without public key (the account already has one)", () => {
    const d = decodeTx(tx({ authInfo: { signerInfos: [signerInfo({ publicKey: undefined })] } }));
    expect(d.signers[0]?.publicKey).toBeUndefined();
  });

  it("parses fee, payer, granter, timeout height and amino sign mode", () => {
    const d = decodeTx(
      tx({
        body: { timeoutHeight: 99n },
        authInfo: {
          signerInfos: [signerInfo({ modeInfo: { single: { mode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON } } })],
          fee: {
            amount: [
              { denom: "uatom", amount: "7" },
              { denom: "udcert", amount: (2n ** 256n - 1n).toString() },
            ],
            gasLimit: MAX_GAS_WANTED,
            payer: "p",
            granter: "g",
          },
        },
      }),
    );
    expect(d.body.timeoutHeight).toBe(99n);
    expect(d.signers[0]?.signMode).toBe(SignMode.SIGN_MODE_LEGACY_AMINO_JSON);
    expect(d.fee).toEqual({
      amount: [
        { denom: "uatom", amount: 7n },
        { denom: "udcert", amount: 2n ** 256n - 1n },
      ],
      gasLimit: MAX_GAS_WANTED,
      payer: "p",
      granter: "g",
    });
  });

  it("reads the tx in place: its parts are views of the input, not copies (the input must not change)", () => {
    const bytes = tx();
    const d = decodeTx(bytes);
    for (const part of [d.bodyBytes, d.authInfoBytes, d.signatures[0]!, d.body.messages[0]!.value]) {
      expect(part.buffer).toBe(bytes.buffer);
      expect(part.byteOffset).toBeGreaterThan(bytes.byteOffset);
    }
    expect(d.body.messages[0]!.value).toEqual(sendAny.value);
    expect(d.signatures[0]).toEqual(SIG);
    // The same fields as cosmjs-types' own (copying) decoder reads, at any offset into a larger buffer.
    const framed = concat([1, 2, 3], bytes, [4]);
    const inner = framed.subarray(3, 3 + bytes.length);
    const viaCopy = TxRaw.decode(Uint8Array.from(inner));
    expect(TxRaw.decode(readerOver(inner))).toEqual(viaCopy);
    expect(decodeTx(inner).bodyBytes).toEqual(viaCopy.bodyBytes);
  });

  it("accepts several signers, each with its own signature", () => {
    const d = decodeTx(tx({ authInfo: { signerInfos: [signerInfo(), signerInfo({ sequence: 9n })] }, signatures: [SIG, SIG] }));
    expect(d.signers.map((s) => s.sequence)).toEqual([4n, 9n]);
  });
});

describe("the unsigned tx CosmJS sends to Simulate", () => {
  // As @cosmjs/stargate's tx query extension builds it: empty Fee, SIGN_MODE_UNSPECIFIED, one empty signature.
  async function simulateTx(): Promise<Uint8Array> {
    const { address, pubkey } = await firstAccount(await directWallet());
    return Tx.encode(
      Tx.fromPartial({
        authInfo: AuthInfo.fromPartial({
          fee: Fee.fromPartial({}),
          signerInfos: [
            {
              publicKey: encodePubkey(encodeSecp256k1Pubkey(pubkey)),
              sequence: 3n,
              modeInfo: { single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } },
            },
          ],
        }),
        body: TxBody.fromPartial({ messages: [testRegistryAny(msgSend(address, address, 1n))], memo: "sim" }),
        signatures: [new Uint8Array()],
      }),
    ).finish();
  }

  it("decodes, so that Simulate can run it", async () => {
    const d = decodeTx(await simulateTx());
    expect(d.signers[0]?.signMode).toBe(SignMode.SIGN_MODE_UNSPECIFIED);
    expect(d.fee.gasLimit).toBe(0n);
    expect(d.signatures).toEqual([new Uint8Array()]);
  });

  it("can never pass signature verification", async () => {
    const d = decodeTx(await simulateTx());
    const pubkey = d.signers[0]?.publicKey as Uint8Array;
    let thrown: unknown;
    try {
      verifyTxSignature(d, 0, { chainId: TEST_CHAIN_ID, accountNumber: 0n, pubkey }, createDefaultAminoRegistry());
    } catch (e) {
      thrown = e;
    }
    expect(ErrNotSupported.is(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/only accepted for simulation/);
  });
});

describe("decodeTx rejects malformed envelopes with ErrTxDecode", () => {
  it("empty bytes", () => rejects(new Uint8Array(), ErrTxDecode, /empty transaction/));
  it("garbage", () => rejects(Uint8Array.from([0xff, 0xff, 0xff]), ErrTxDecode));
  it("a truncated tx", () => {
    const good = tx();
    for (const cut of [1, 2, 10, good.length - 1]) rejects(good.subarray(0, cut), ErrTxDecode);
  });
  it("an unknown TxRaw field", () => rejects(concat(tx(), [0x20, 0x01]), ErrTxDecode, /unknown field 4/));
  it("body_bytes with a varint wire type", () => rejects(concat([0x08, 0x01], tx().subarray(0)), ErrTxDecode, /wire type/));
  it("a repeated singular field", () => {
    const b = body();
    rejects(concat([0x0a, b.length], b, tx()), ErrTxDecode, /more than once/);
  });
  it("a group wire type", () => rejects(concat([0x0b, 0x0c], tx()), ErrTxDecode, /group or invalid/));
  it("empty body or auth info bytes", () => {
    rejects(rawTx(new Uint8Array()), ErrTxDecode, /body_bytes is empty/);
    rejects(rawTx(body(), new Uint8Array()), ErrTxDecode, /auth_info_bytes is empty/);
  });
  it("an unknown TxBody field, critical or not", () => {
    rejects(rawTx(concat(body(), [0x30, 0x01])), ErrTxDecode, /unknown field 6 .* in TxBody/);
    // field 1025 (non-critical range in the SDK), varint 1
    rejects(rawTx(concat(body(), [0x88, 0x40, 0x01])), ErrTxDecode, /unknown field 1025/);
  });
  it("an unknown AuthInfo or SignerInfo field", () => {
    rejects(rawTx(body(), concat(authInfo(), [0x38, 0x01])), ErrTxDecode, /AuthInfo/);
    const si = concat([0x18, 0x01, 0x20, 0x01]); // sequence=1, unknown field 4
    rejects(rawTx(body(), concat([0x0a, si.length], si, [0x12, 0x00])), ErrTxDecode, /signer_infos: unknown field 4/);
  });
  it("a nested length overrunning its parent", () => {
    const b = body();
    // message Any claims 0x7f bytes
    rejects(rawTx(concat([0x0a, 0x7f], b)), ErrTxDecode, /overruns/);
  });
  it("invalid UTF-8 in the memo", () => {
    rejects(rawTx(concat(body({ memo: "" }), [0x12, 0x02, 0xc3, 0x28])), ErrTxDecode, /memo: string is not valid UTF-8/);
  });
  it("a missing fee", () => rejects(tx({ authInfo: { fee: undefined } }), ErrTxDecode, /fee is missing/));
  it("an empty message type URL", () =>
    rejects(tx({ body: { messages: [{ typeUrl: "", value: new Uint8Array() }] } }), ErrTxDecode, /empty type_url/));
  it("a signer info without mode info", () =>
    rejects(tx({ authInfo: { signerInfos: [signerInfo({ modeInfo: undefined })] } }), ErrTxDecode, /mode_info is missing/));
  it("a mode info with both single and multi", () =>
    rejects(
      tx({
        authInfo: {
          signerInfos: [signerInfo({ modeInfo: { single: { mode: 1 }, multi: { modeInfos: [] } } })],
        },
      }),
      ErrTxDecode,
      /both single and multi/,
    ));
});

describe("decodeTx rejects structurally invalid transactions with their registered errors", () => {
  it("no messages: ErrInvalidRequest", () => rejects(tx({ body: { messages: [] } }), ErrInvalidRequest, /at least one message/));
  it("extension options: ErrUnknownExtensionOptions (31)", () => {
    const ext = { typeUrl: "/ethermint.types.v1.ExtensionOptionsWeb3Tx", value: new Uint8Array() };
    rejects(tx({ body: { extensionOptions: [ext] } }), ErrUnknownExtensionOptions, /ExtensionOptionsWeb3Tx/);
    rejects(tx({ body: { nonCriticalExtensionOptions: [ext] } }), ErrUnknownExtensionOptions);
    expect(ErrUnknownExtensionOptions.code).toBe(31);
  });
  it("no signatures: ErrNoSignatures", () => rejects(tx({ signatures: [] }), ErrNoSignatures));
  it("signer infos and signatures of different counts: ErrUnauthorized", () => {
    rejects(tx({ signatures: [SIG, SIG] }), ErrUnauthorized, /1 signer infos but the tx carries 2 signatures/);
    rejects(tx({ authInfo: { signerInfos: [signerInfo(), signerInfo()] } }), ErrUnauthorized, /2 signer infos/);
  });
  it("gas above the SDK's MaxGasWanted: ErrInvalidRequest", () =>
    rejects(
      tx({ authInfo: { fee: { amount: [], gasLimit: MAX_GAS_WANTED + 1n, payer: "", granter: "" } } }),
      ErrInvalidRequest,
      /invalid gas supplied/,
    ));
  it("fee amounts that are not canonical non-negative integers of at most 256 bits: ErrInvalidCoins", () => {
    for (const amount of ["abc", "-5", "", "1.5", " 1", "007", "00", "+7", "7 ", (2n ** 256n).toString()]) {
      rejects(
        tx({ authInfo: { fee: { amount: [{ denom: "udcert", amount }], gasLimit: 1n, payer: "", granter: "" } } }),
        ErrInvalidCoins,
      );
    }
  });
  it("multisig signers: a missing bit array, a single key, nested DIRECT or nested multi are refused", () => {
    rejects(tx({ authInfo: { signerInfos: [signerInfo({ modeInfo: { multi: { modeInfos: [] } } })] } }), ErrTxDecode, /bitarray is missing/);
    const bitarray = { extraBitsStored: 2, elems: new Uint8Array([0xc0]) };
    rejects(tx({ authInfo: { signerInfos: [signerInfo({ modeInfo: { multi: { bitarray, modeInfos: [] } } })] } }), ErrTxDecode, /MultiSignature/);
    rejects(
      tx({ authInfo: { signerInfos: [signerInfo({ modeInfo: { multi: { bitarray, modeInfos: [] } } })] }, signatures: [new Uint8Array()] }),
      ErrInvalidPubKey,
      /multi mode info but its public key is \/cosmos.crypto.secp256k1.PubKey/,
    );
    const direct = { single: { mode: SignMode.SIGN_MODE_DIRECT } };
    rejects(tx({ authInfo: { signerInfos: [signerInfo({ modeInfo: { multi: { bitarray, modeInfos: [direct] } } })] } }), ErrNotSupported, /must use SIGN_MODE_LEGACY_AMINO_JSON/);
    const nested = { multi: { bitarray, modeInfos: [] } };
    rejects(tx({ authInfo: { signerInfos: [signerInfo({ modeInfo: { multi: { bitarray, modeInfos: [nested] } } })] } }), ErrNotSupported, /nested multisig/);
  });
  it("unsupported sign modes: ErrNotSupported naming the mode", () => {
    rejects(
      tx({ authInfo: { signerInfos: [signerInfo({ modeInfo: { single: { mode: SignMode.SIGN_MODE_TEXTUAL } } })] } }),
      ErrNotSupported,
      /SIGN_MODE_TEXTUAL \(2\).*SIGN_MODE_DIRECT/,
    );
    rejects(
      tx({ authInfo: { signerInfos: [signerInfo({ modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT_AUX } } })] } }),
      ErrNotSupported,
      /SIGN_MODE_DIRECT_AUX/,
    );
    rejects(tx({ authInfo: { signerInfos: [signerInfo({ modeInfo: { single: { mode: 999 as SignMode } } })] } }), ErrNotSupported, /999/);
  });
  it("ed25519 or malformed public keys", () => {
    const ed = { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: new Uint8Array(32) }).finish() };
    rejects(tx({ authInfo: { signerInfos: [signerInfo({ publicKey: ed })] } }), ErrNotSupported, /ed25519/);
    const short = { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: Secp256k1PubKey.encode({ key: new Uint8Array(20) }).finish() };
    rejects(tx({ authInfo: { signerInfos: [signerInfo({ publicKey: short })] } }), ErrInvalidPubKey, /33 bytes/);
  });
  it("tips, unordered txs and timeout timestamps: ErrNotSupported", () => {
    rejects(tx({ authInfo: { tip: { amount: [], tipper: "x" } } }), ErrNotSupported, /tips/);
    rejects(tx({ body: { unordered: true } }), ErrNotSupported, /unordered/);
    rejects(tx({ body: { timeoutTimestamp: { seconds: 1n, nanos: 0 } } }), ErrNotSupported, /timeout_timestamp/);
  });
});
