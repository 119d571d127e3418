import { toBase64 } from "@cosmjs/encoding";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { AminoTypes, createDefaultAminoConverters } from "@cosmjs/stargate";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import * as govV1 from "cosmjs-types/cosmos/gov/v1/tx";
import { MsgVerifyInvariant } from "cosmjs-types/cosmos/crisis/v1beta1/tx";
import { MsgCreateValidator } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import {
  ChainError,
  ErrLogic,
  ErrNotSupported,
  ErrTxDecode,
  ErrUnpackAny,
  type RegisteredError,
} from "../../../src/baseapp/errors";
import { AminoRegistry, createDefaultAminoRegistry, type MsgCodec } from "../../../src/types/amino";
import { decodeTx } from "../../../src/baseapp/tx/decode";
import { aminoSignBytes } from "../../../src/baseapp/tx/signdoc";
import { verifyTxSignature } from "../../../src/baseapp/tx/verify";
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
  testRegistry,
} from "../../helpers/txs";

const registry = createDefaultAminoRegistry();

/** JSON with object keys sorted recursively (the amino JSON canonical form, without escaping). */
function sortedJsonStringify(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : typeof x === "object" && x !== null
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sort((x as Record<string, unknown>)[k])]),
          )
        : x;
  return JSON.stringify(sort(v));
}

function anyOf(typeUrl: string, value: Uint8Array): { typeUrl: string; value: Uint8Array } {
  return { typeUrl, value };
}

function throwsRegistered(f: () => unknown, err: RegisteredError, message?: RegExp): void {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(ChainError);
  expect((thrown as ChainError).code).toBe(err.code);
  if (message) expect((thrown as Error).message).toMatch(message);
}

const fee = { amount: [{ denom: "udcert", amount: "10" }], gasLimit: 1000n, payer: "", granter: "" };

describe("the default amino registry", () => {
  it("covers bank, staking, distribution and gov (v1beta1 and v1)", () => {
    expect(registry.typeUrls()).toEqual(
      expect.arrayContaining([
        "/cosmos.bank.v1beta1.MsgSend",
        "/cosmos.bank.v1beta1.MsgMultiSend",
        "/cosmos.staking.v1beta1.MsgDelegate",
        "/cosmos.staking.v1beta1.MsgUndelegate",
        "/cosmos.staking.v1beta1.MsgBeginRedelegate",
        "/cosmos.staking.v1beta1.MsgCreateValidator",
        "/cosmos.staking.v1beta1.MsgEditValidator",
        "/cosmos.distribution.v1beta1.MsgFundCommunityPool",
        "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward",
        "/cosmos.gov.v1beta1.MsgVote",
        "/cosmos.gov.v1.MsgSubmitProposal",
        "/cosmos.gov.v1.MsgVote",
        "/cosmos.gov.v1.MsgVoteWeighted",
        "/cosmos.gov.v1.MsgDeposit",
      ]),
    );
  });

  it("converts MsgSend exactly as CosmJS's AminoTypes does", () => {
    const value = MsgSend.fromPartial({ fromAddress: "a", toAddress: "b", amount: [{ denom: "udcert", amount: "3" }] });
    const ours = registry.toAmino(anyOf("/cosmos.bank.v1beta1.MsgSend", MsgSend.encode(value).finish()));
    const cosmjs = new AminoTypes(createDefaultAminoConverters()).toAmino({ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value });
    expect(sortedJsonStringify(ours)).toBe(sortedJsonStringify(cosmjs));
  });

  it("rejects a type without amino form with ErrNotSupported, pointing to SIGN_MODE_DIRECT", () => {
    throwsRegistered(() => registry.toAmino(anyOf("/dcert.v1.Unknown", new Uint8Array())), ErrNotSupported, /SIGN_MODE_DIRECT/);
    expect(registry.has("/dcert.v1.Unknown")).toBe(false);
  });

  it("rejects undecodable message bytes with ErrUnpackAny", () => {
    throwsRegistered(() => registry.toAmino(anyOf("/cosmos.bank.v1beta1.MsgSend", Uint8Array.from([0x0a, 0x7f]))), ErrUnpackAny);
  });

  it("turns a converter failure into ErrUnpackAny (e.g. MsgCreateValidator without pubkey)", () => {
    const bytes = MsgCreateValidator.encode(MsgCreateValidator.fromPartial({ delegatorAddress: "d", validatorAddress: "v" })).finish();
    throwsRegistered(
      () => registry.toAmino(anyOf("/cosmos.staking.v1beta1.MsgCreateValidator", bytes)),
      ErrUnpackAny,
      /missing pubkey/,
    );
  });
});

describe("gov v1 amino JSON (the SDK's x/gov/types/v1 sign-bytes vectors)", () => {
  const enc = <T>(typeUrl: string, codec: MsgCodec<T>, v: T): { typeUrl: string; value: Uint8Array } =>
    anyOf(typeUrl, codec.encode(v).finish());

  it("MsgVote: enums as numbers, proposal_id always, empty fields omitted", () => {
    const full = registry.toAmino(
      enc("/cosmos.gov.v1.MsgVote", govV1.MsgVote, { proposalId: 1n, voter: "foo", option: 1, metadata: "foo" }),
    );
    expect(sortedJsonStringify(full)).toBe(
      `{"type":"cosmos-sdk/v1/MsgVote","value":{"metadata":"foo","option":1,"proposal_id":"1","voter":"foo"}}`,
    );
    const zero = registry.toAmino(enc("/cosmos.gov.v1.MsgVote", govV1.MsgVote, govV1.MsgVote.fromPartial({})));
    expect(sortedJsonStringify(zero)).toBe(`{"type":"cosmos-sdk/v1/MsgVote","value":{"proposal_id":"0"}}`);
  });

  it("MsgDeposit", () => {
    const m = registry.toAmino(
      enc("/cosmos.gov.v1.MsgDeposit", govV1.MsgDeposit, {
        proposalId: 0n,
        depositor: "cosmos1v9jxgu33kfsgr5",
        amount: [{ denom: "stake", amount: "1000" }],
      }),
    );
    expect(sortedJsonStringify(m)).toBe(
      `{"type":"cosmos-sdk/v1/MsgDeposit","value":{"amount":[{"amount":"1000","denom":"stake"}],"depositor":"cosmos1v9jxgu33kfsgr5","proposal_id":"0"}}`,
    );
  });

  it("MsgSubmitProposal: nested messages in amino form, initial_deposit always present", () => {
    const vote = enc("/cosmos.gov.v1.MsgVote", govV1.MsgVote, govV1.MsgVote.fromPartial({ proposalId: 1n, voter: "cosmos1w3jhxap3gempvr", option: 1 }));
    const send = enc("/cosmos.bank.v1beta1.MsgSend", MsgSend, MsgSend.fromPartial({ fromAddress: "x", toAddress: "x" }));
    const p = (messages: { typeUrl: string; value: Uint8Array }[], title: string, summary: string): string =>
      sortedJsonStringify(
        registry.toAmino(
          enc("/cosmos.gov.v1.MsgSubmitProposal", govV1.MsgSubmitProposal, govV1.MsgSubmitProposal.fromPartial({ messages, title, summary })),
        ),
      );
    expect(p([vote], "gov/MsgVote", "Proposal for a governance vote msg")).toBe(
      `{"type":"cosmos-sdk/v1/MsgSubmitProposal","value":{"initial_deposit":[],"messages":[{"type":"cosmos-sdk/v1/MsgVote","value":{"option":1,"proposal_id":"1","voter":"cosmos1w3jhxap3gempvr"}}],"summary":"Proposal for a governance vote msg","title":"gov/MsgVote"}}`,
    );
    expect(p([send], "bank/MsgSend", "Proposal for a bank msg send")).toBe(
      `{"type":"cosmos-sdk/v1/MsgSubmitProposal","value":{"initial_deposit":[],"messages":[{"type":"cosmos-sdk/MsgSend","value":{"amount":[],"from_address":"x","to_address":"x"}}],"summary":"Proposal for a bank msg send","title":"bank/MsgSend"}}`,
    );
  });

  it("fromAmino inverts toAmino (so clients can build the body from signed amino msgs)", () => {
    const cases = [
      enc("/cosmos.gov.v1.MsgVote", govV1.MsgVote, { proposalId: 12n, voter: "v", option: 3, metadata: "m" }),
      enc("/cosmos.gov.v1.MsgVoteWeighted", govV1.MsgVoteWeighted, {
        proposalId: 5n,
        voter: "v",
        options: [
          { option: 1, weight: "0.300000000000000000" },
          { option: 3, weight: "0.700000000000000000" },
        ],
        metadata: "",
      }),
      enc("/cosmos.gov.v1.MsgSubmitProposal", govV1.MsgSubmitProposal, {
        messages: [enc("/cosmos.gov.v1.MsgVote", govV1.MsgVote, { proposalId: 1n, voter: "x", option: 1, metadata: "" })],
        initialDeposit: [{ denom: "udcert", amount: "5" }],
        proposer: "p",
        metadata: "ipfs://x",
        title: "t",
        summary: "s",
        expedited: true,
      }),
    ];
    for (const a of cases) {
      expect(registry.fromAmino(registry.toAmino(a))).toEqual(a);
    }
  });
});

describe("amino sign bytes", () => {
  it("fail with ErrNotSupported when a message has no amino form", () => {
    throwsRegistered(
      () =>
        aminoSignBytes(
          { chainId: "c", accountNumber: 0n, sequence: 0n, fee, memo: "", msgs: [anyOf("/x.Y", new Uint8Array())], timeoutHeight: 0n },
          registry,
        ),
      ErrNotSupported,
    );
  });

  it("fail with ErrLogic when a converter leaves a non-JSON value", () => {
    const r = new AminoRegistry().register("/test.Bad", MsgSend, { aminoType: "test/Bad", toAmino: () => ({ n: 1n }) });
    throwsRegistered(
      () =>
        aminoSignBytes(
          { chainId: "c", accountNumber: 0n, sequence: 0n, fee, memo: "", msgs: [anyOf("/test.Bad", new Uint8Array())], timeoutHeight: 0n },
          r,
        ),
      ErrLogic,
    );
  });

  it("escape <, > and & in string values like CosmJS", () => {
    const s = Buffer.from(
      aminoSignBytes(
        {
          chainId: "c",
          accountNumber: 1n,
          sequence: 2n,
          fee: { ...fee, payer: "p", granter: "g" },
          memo: "<b>&",
          msgs: [],
          timeoutHeight: 0n,
        },
        registry,
      ),
    ).toString();
    expect(s).toBe(
      `{"account_number":"1","chain_id":"c","fee":{"amount":[{"amount":"10","denom":"udcert"}],"gas":"1000","granter":"g","payer":"p"},"memo":"\\u003cb\\u003e\\u0026","msgs":[],"sequence":"2"}`,
    );
  });
});

describe("amino-signed txs of every standard message verify", () => {
  async function roundTrip(makeMsgs: (me: string, other: string) => EncodeObject[]): Promise<boolean> {
    const wallet = await aminoWallet();
    const { address, pubkey } = await firstAccount(wallet);
    const other = (await firstAccount(await directWallet(TEST_MNEMONIC_2))).address;
    // Signed with the chain's own converters (what SigningDcertClient uses): CosmJS 0.39 spells
    // MsgWithdrawValidatorCommission's amino name the pre-v0.47 way (see src/types/amino.ts).
    const bytes = await signAmino(
      wallet,
      {
        msgs: makeMsgs(address, other),
        fee: testFee(),
        memo: "every msg",
        chainId: TEST_CHAIN_ID,
        accountNumber: 3n,
        sequence: 1n,
      },
      registry.aminoTypes(),
    );
    return verifyTxSignature(decodeTx(bytes), 0, { chainId: TEST_CHAIN_ID, accountNumber: 3n, pubkey }, registry);
  }
  const coin = { denom: "udcert", amount: "100" };
  const val = "dcertvaloper1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq8xyvhm";
  const cases: Record<string, (me: string, other: string) => EncodeObject[]> = {
    "bank MsgSend + MsgMultiSend": (me, other) => [
      msgSend(me, other, 1n),
      {
        typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
        value: { inputs: [{ address: me, coins: [coin] }], outputs: [{ address: other, coins: [coin] }] },
      },
    ],
    "staking delegate / undelegate / redelegate / cancel": (me) => [
      { typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: { delegatorAddress: me, validatorAddress: val, amount: coin } },
      { typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate", value: { delegatorAddress: me, validatorAddress: val, amount: coin } },
      {
        typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
        value: { delegatorAddress: me, validatorSrcAddress: val, validatorDstAddress: val, amount: coin },
      },
      {
        typeUrl: "/cosmos.staking.v1beta1.MsgCancelUnbondingDelegation",
        value: { delegatorAddress: me, validatorAddress: val, amount: coin, creationHeight: 5n },
      },
    ],
    "staking create / edit validator": (me) => [
      {
        typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
        value: {
          description: { moniker: "v<1>", identity: "", website: "", securityContact: "", details: "" },
          commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
          minSelfDelegation: "1",
          delegatorAddress: me,
          validatorAddress: val,
          pubkey: {
            typeUrl: "/cosmos.crypto.ed25519.PubKey",
            value: Ed25519PubKey.encode({ key: new Uint8Array(32).fill(9) }).finish(),
          },
          value: coin,
        },
      },
      {
        typeUrl: "/cosmos.staking.v1beta1.MsgEditValidator",
        value: {
          description: { moniker: "v2", identity: "", website: "", securityContact: "", details: "" },
          commissionRate: "",
          minSelfDelegation: "",
          validatorAddress: val,
        },
      },
    ],
    "distribution": (me) => [
      { typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPool", value: { amount: [coin], depositor: me } },
      { typeUrl: "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress", value: { delegatorAddress: me, withdrawAddress: me } },
      { typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward", value: { delegatorAddress: me, validatorAddress: val } },
      { typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission", value: { validatorAddress: val } },
    ],
    "gov v1beta1": (me) => [
      { typeUrl: "/cosmos.gov.v1beta1.MsgVote", value: { proposalId: 1n, voter: me, option: 1 } },
      {
        typeUrl: "/cosmos.gov.v1beta1.MsgVoteWeighted",
        value: { proposalId: 2n, voter: me, options: [{ option: 1, weight: "1000000000000000000" }] },
      },
      { typeUrl: "/cosmos.gov.v1beta1.MsgDeposit", value: { proposalId: 3n, depositor: me, amount: [coin] } },
    ],
    "gov v1": (me, other) => [
      { typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: 1n, voter: me, option: 1, metadata: "" } },
      {
        typeUrl: "/cosmos.gov.v1.MsgVoteWeighted",
        value: { proposalId: 2n, voter: me, options: [{ option: 2, weight: "1.000000000000000000" }], metadata: "why" },
      },
      { typeUrl: "/cosmos.gov.v1.MsgDeposit", value: { proposalId: 3n, depositor: me, amount: [coin] } },
      {
        typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
        value: govV1.MsgSubmitProposal.fromPartial({
          messages: [
            { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.encode(MsgSend.fromPartial({ fromAddress: other, toAddress: me, amount: [coin] })).finish() },
          ],
          initialDeposit: [coin],
          proposer: me,
          title: "t & <u>",
          summary: "s",
        }),
      },
    ],
  };
  it.each(Object.keys(cases))("%s", async (name) => {
    expect(await roundTrip(cases[name] as (me: string, other: string) => EncodeObject[])).toBe(true);
  });
});

describe("amino-signed messages must be canonically encoded", () => {
  it("a re-encoded message (same content, other bytes) is rejected with ErrTxDecode, so the tx hash cannot be changed", async () => {
    const wallet = await aminoWallet();
    const { address, pubkey } = await firstAccount(wallet);
    const bytes = await signAmino(wallet, {
      msgs: [msgSend(address, address, 1n)],
      fee: testFee(),
      chainId: TEST_CHAIN_ID,
      accountNumber: 0n,
      sequence: 0n,
    });
    const signer = { chainId: TEST_CHAIN_ID, accountNumber: 0n, pubkey };
    expect(verifyTxSignature(decodeTx(bytes), 0, signer, registry)).toBe(true);
    const raw = TxRaw.decode(bytes);
    const body = TxBody.decode(raw.bodyBytes);
    const msg = body.messages[0];
    if (msg === undefined) throw new Error("no message");
    const variants = [
      Uint8Array.from([...msg.value, 0x20, 0x01]), // an unknown field 4
      Uint8Array.from([0x08, ...msg.value.subarray(1)]), // from_address tagged as a varint: lenient decoders read the same string
    ];
    for (const value of variants) {
      expect(MsgSend.decode(value)).toEqual(MsgSend.decode(msg.value));
      const changed = TxRaw.encode({
        ...raw,
        bodyBytes: TxBody.encode({ ...body, messages: [{ typeUrl: msg.typeUrl, value }] }).finish(),
      }).finish();
      throwsRegistered(() => verifyTxSignature(decodeTx(changed), 0, signer, registry), ErrTxDecode, /canonical/);
    }
  });
});

describe("registering more message types", () => {
  it("a module can add a message with its codec and converter, and amino txs carrying it verify", async () => {
    const r = createDefaultAminoRegistry().register("/cosmos.crisis.v1beta1.MsgVerifyInvariant", MsgVerifyInvariant, {
      aminoType: "cosmos-sdk/MsgVerifyInvariant",
      toAmino: (m: MsgVerifyInvariant) => ({ sender: m.sender, invariant_module_name: m.invariantModuleName, invariant_route: m.invariantRoute }),
      fromAmino: (v: { sender: string; invariant_module_name: string; invariant_route: string }) =>
        MsgVerifyInvariant.fromPartial({ sender: v.sender, invariantModuleName: v.invariant_module_name, invariantRoute: v.invariant_route }),
    });
    const wallet = await aminoWallet();
    const { pubkey } = await firstAccount(wallet);
    const bytes = await signAmino(
      wallet,
      {
        msgs: [{ typeUrl: "/cosmos.crisis.v1beta1.MsgVerifyInvariant", value: { sender: "dcert1x", invariantModuleName: "bank", invariantRoute: "total-supply" } }],
        fee: testFee(),
        chainId: TEST_CHAIN_ID,
        accountNumber: 0n,
        sequence: 0n,
        registry: testRegistry([["/cosmos.crisis.v1beta1.MsgVerifyInvariant", MsgVerifyInvariant]]),
      },
      r.aminoTypes(),
    );
    const tx = decodeTx(bytes);
    const signer = { chainId: TEST_CHAIN_ID, accountNumber: 0n, pubkey };
    expect(verifyTxSignature(tx, 0, signer, r)).toBe(true);
    // The default registry does not know it: amino verification cannot build the sign bytes.
    throwsRegistered(() => verifyTxSignature(tx, 0, signer, registry), ErrNotSupported, /MsgVerifyInvariant/);
  });

  it("refuses to register a type URL or amino type twice", () => {
    const r = new AminoRegistry().register("/a.B", MsgSend, { aminoType: "a/B", toAmino: () => ({}) });
    expect(() => r.register("/a.B", MsgSend, { aminoType: "a/C", toAmino: () => ({}) })).toThrow(/twice/);
    expect(() => r.register("/a.C", MsgSend, { aminoType: "a/B", toAmino: () => ({}) })).toThrow(/already used/);
  });

  it("a direct-mode tx needs no amino form for its messages", async () => {
    const wallet = await directWallet();
    const { pubkey } = await firstAccount(wallet);
    const bytes = await signDirect(wallet, {
      msgs: [{ typeUrl: "/cosmos.crisis.v1beta1.MsgVerifyInvariant", value: { sender: "x", invariantModuleName: "", invariantRoute: "" } }],
      fee: testFee(),
      chainId: TEST_CHAIN_ID,
      accountNumber: 0n,
      sequence: 0n,
      registry: testRegistry([["/cosmos.crisis.v1beta1.MsgVerifyInvariant", MsgVerifyInvariant]]),
    });
    expect(verifyTxSignature(decodeTx(bytes), 0, { chainId: TEST_CHAIN_ID, accountNumber: 0n, pubkey }, registry)).toBe(true);
  });
});

describe("test helpers", () => {
  it("signAmino builds the body from the signed amino msgs, as SigningStargateClient does", async () => {
    const wallet = await aminoWallet();
    const { address } = await firstAccount(wallet);
    const bytes = await signAmino(wallet, {
      msgs: [msgSend(address, address, 1n)],
      fee: testFee(),
      chainId: TEST_CHAIN_ID,
      accountNumber: 0n,
      sequence: 0n,
    });
    const body = TxBody.decode(TxRaw.decode(bytes).bodyBytes);
    expect(testAminoTypes().toAmino({ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.decode(body.messages[0]?.value ?? new Uint8Array()) })).toEqual({
      type: "cosmos-sdk/MsgSend",
      value: { from_address: address, to_address: address, amount: [{ denom: "udcert", amount: "1" }] },
    });
    expect(toBase64(TxRaw.decode(bytes).signatures[0] ?? new Uint8Array())).toHaveLength(88);
  });
});
