/**
 * Staking, slashing and distribution messages on the client side and in the chain's amino
 * registry: the SDK's amino names and JSON shapes (MsgUnjail's `address`), equality with CosmJS's
 * own converters where it has them, direct and amino signatures the chain's verifier accepts, and
 * the query extensions' paths and decoding.
 */
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { fromBech32, toBech32, toUtf8 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet, type EncodeObject } from "@cosmjs/proto-signing";
import { AminoTypes, createDefaultAminoConverters, QueryClient } from "@cosmjs/stargate";
import { QueryDelegationTotalRewardsResponse, QueryValidatorSlashesRequest } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { Equivocation } from "cosmjs-types/cosmos/evidence/v1beta1/evidence";
import { QueryAllEvidenceResponse, QueryEvidenceRequest } from "cosmjs-types/cosmos/evidence/v1beta1/query";
import { QueryInflationResponse } from "cosmjs-types/cosmos/mint/v1beta1/query";
import { QuerySigningInfoRequest, QuerySigningInfoResponse } from "cosmjs-types/cosmos/slashing/v1beta1/query";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { decodeTx } from "../../../src/baseapp/tx/decode";
import { SIGN_MODE_DIRECT, SIGN_MODE_LEGACY_AMINO_JSON } from "../../../src/baseapp/tx/sigmodes";
import { verifyTxSignature } from "../../../src/baseapp/tx/verify";
import {
  buildBeginRedelegate,
  buildCancelUnbondingDelegation,
  buildCreateValidator,
  buildEditValidator,
  buildFundCommunityPool,
  buildSetWithdrawAddress,
  buildUnjail,
  buildWithdrawDelegatorReward,
  buildWithdrawValidatorCommission,
  consensusAddress,
  createDcertAminoRegistry,
  createDcertAminoTypes,
  createDcertRegistry,
  decBytesToFixed18,
  decodeEvidence,
  DO_NOT_MODIFY,
  REWARDS_TYPE_URLS,
  setupDistributionQueryExtension,
  setupEvidenceQueryExtension,
  setupMintQueryExtension,
  setupSlashingQueryExtension,
  SigningDcertClient,
} from "../../../src/client";
import { createDefaultAminoRegistry, STANDARD_AMINO_TYPES } from "../../../src/types/amino";

const MNEMONIC = "surround miss nominee dream gap cross assault thank captain prosper drop duty group candy wealth weather scale put";
const A = toBech32("dcert", new Uint8Array(20).map((_, i) => i + 1));
const VAL_A = toBech32("dcertvaloper", fromBech32(A, 90).data);
const VAL_B = toBech32("dcertvaloper", new Uint8Array(20).fill(7));
const GOV = toBech32("dcert", new Uint8Array(20).fill(9));
const PUBKEY = new Uint8Array(32).map((_, i) => i + 1);
const coin = (amount: string) => ({ denom: "udcert", amount });

function allMessages(me: string): EncodeObject[] {
  const myVal = toBech32("dcertvaloper", fromBech32(me, 90).data);
  return [
    buildUnjail(myVal),
    buildWithdrawDelegatorReward(me, VAL_B),
    buildWithdrawValidatorCommission(myVal),
    buildSetWithdrawAddress(me, A),
    buildFundCommunityPool(me, [coin("5")]),
    buildCreateValidator({
      delegator: me,
      validator: myVal,
      consensusPubkey: PUBKEY,
      selfDelegation: coin("1000000"),
      description: { moniker: "val", website: "https://v.example" },
      commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
      minSelfDelegation: "1000",
    }),
    buildEditValidator({ validator: myVal, description: { moniker: "renamed" }, commissionRate: "150000000000000000" }),
    buildEditValidator({ validator: myVal, minSelfDelegation: "2000" }),
    buildBeginRedelegate(me, myVal, VAL_B, coin("10")),
    buildCancelUnbondingDelegation(me, VAL_B, coin("3"), 42n),
  ];
}

describe("amino JSON of the staking, slashing and distribution messages", () => {
  const registry = createDefaultAminoRegistry();
  const proto = createDcertRegistry();

  test("MsgUnjail is cosmos-sdk/MsgUnjail with the operator under \"address\" (as the SDK signs it)", () => {
    const msg = buildUnjail(VAL_A);
    const any = proto.encodeAsAny(msg);
    expect(registry.toAmino(any)).toEqual({ type: "cosmos-sdk/MsgUnjail", value: { address: VAL_A } });
    expect(STANDARD_AMINO_TYPES.unjail).toBe("cosmos-sdk/MsgUnjail");
    // Back to protobuf: the same bytes.
    expect(registry.fromAmino({ type: "cosmos-sdk/MsgUnjail", value: { address: VAL_A } })).toEqual(any);
  });

  test("MsgCommunityPoolSpend is cosmos-sdk/distr/MsgCommunityPoolSpend; amount always present", () => {
    const any = proto.encodeAsAny({ typeUrl: REWARDS_TYPE_URLS.communityPoolSpend, value: { authority: GOV, recipient: A, amount: [coin("7")] } });
    expect(registry.toAmino(any)).toEqual({ type: "cosmos-sdk/distr/MsgCommunityPoolSpend", value: { authority: GOV, recipient: A, amount: [coin("7")] } });
    const empty = proto.encodeAsAny({ typeUrl: REWARDS_TYPE_URLS.communityPoolSpend, value: { authority: GOV, recipient: "", amount: [] } });
    expect(registry.toAmino(empty)).toEqual({ type: "cosmos-sdk/distr/MsgCommunityPoolSpend", value: { authority: GOV, amount: [] } });
  });

  test("where CosmJS has a converter, the chain's amino view equals CosmJS's, with the SDK's names", () => {
    const cosmjs = new AminoTypes(createDefaultAminoConverters());
    const names: Record<string, string> = {
      [REWARDS_TYPE_URLS.withdrawDelegatorReward]: "cosmos-sdk/MsgWithdrawDelegationReward",
      [REWARDS_TYPE_URLS.setWithdrawAddress]: "cosmos-sdk/MsgModifyWithdrawAddress",
      [REWARDS_TYPE_URLS.fundCommunityPool]: "cosmos-sdk/MsgFundCommunityPool",
      [REWARDS_TYPE_URLS.createValidator]: "cosmos-sdk/MsgCreateValidator",
      [REWARDS_TYPE_URLS.editValidator]: "cosmos-sdk/MsgEditValidator",
      [REWARDS_TYPE_URLS.beginRedelegate]: "cosmos-sdk/MsgBeginRedelegate",
      [REWARDS_TYPE_URLS.cancelUnbondingDelegation]: "cosmos-sdk/MsgCancelUnbondingDelegation",
    };
    let compared = 0;
    for (const m of allMessages(A)) {
      if (m.typeUrl === REWARDS_TYPE_URLS.unjail || m.typeUrl === REWARDS_TYPE_URLS.withdrawValidatorCommission) continue;
      const chain = registry.toAmino(proto.encodeAsAny(m));
      expect(chain).toEqual(cosmjs.toAmino(m));
      expect(chain.type).toBe(names[m.typeUrl]);
      compared++;
    }
    expect(compared).toBe(8);
  });

  test("MsgWithdrawValidatorCommission uses the SDK's name cosmos-sdk/MsgWithdrawValCommission (CosmJS's is stale)", () => {
    const m = buildWithdrawValidatorCommission(VAL_A);
    const chain = registry.toAmino(proto.encodeAsAny(m));
    expect(chain).toEqual({ type: "cosmos-sdk/MsgWithdrawValCommission", value: { validator_address: VAL_A } });
    expect(createDcertAminoTypes().toAmino(m)).toEqual(chain);
    // CosmJS 0.39's default converter signs another name, which neither this chain nor an SDK chain accepts.
    expect(new AminoTypes(createDefaultAminoConverters()).toAmino(m).type).toBe("cosmos-sdk/MsgWithdrawValidatorCommission");
  });

  test("the client's AminoTypes round-trip every message to the bytes the chain accepts as canonical", () => {
    const aminoTypes = createDcertAminoTypes();
    const chain = createDcertAminoRegistry();
    for (const m of allMessages(A)) {
      const amino = aminoTypes.toAmino(m);
      const back = proto.encodeAsAny(aminoTypes.fromAmino(amino));
      expect(back).toEqual(proto.encodeAsAny(m));
      expect(chain.toAmino(back)).toEqual(amino);
    }
  });

  test("create-validator carries the ed25519 key as tendermint/PubKeyEd25519 and rates as 18-decimal strings", () => {
    const m = allMessages(A).find((x) => x.typeUrl === REWARDS_TYPE_URLS.createValidator)!;
    const v = registry.toAmino(proto.encodeAsAny(m)).value as Record<string, unknown>;
    expect(v["pubkey"]).toEqual({ type: "tendermint/PubKeyEd25519", value: Buffer.from(PUBKEY).toString("base64") });
    expect(v["commission"]).toEqual({ rate: "0.100000000000000000", max_rate: "0.200000000000000000", max_change_rate: "0.010000000000000000" });
    expect(() => buildCreateValidator({ delegator: A, validator: VAL_A, consensusPubkey: new Uint8Array(33), selfDelegation: coin("1"), description: { moniker: "x" }, commission: { rate: "0", maxRate: "0", maxChangeRate: "0" } })).toThrow(/32 bytes/);
  });

  test("edit-validator leaves what it is not given: [do-not-modify] and empty rate / min self-delegation", () => {
    const m = buildEditValidator({ validator: VAL_A, minSelfDelegation: "5" });
    expect(m.value.description).toEqual({ moniker: DO_NOT_MODIFY, identity: DO_NOT_MODIFY, website: DO_NOT_MODIFY, securityContact: DO_NOT_MODIFY, details: DO_NOT_MODIFY });
    expect(m.value.commissionRate).toBe("");
    expect(m.value.minSelfDelegation).toBe("5");
  });
});

describe("signatures over the new messages verify with the chain's verifier", () => {
  const chainId = "dcert-offline-1";
  const fee = { amount: [coin("5000")], gas: "300000" };

  test.each(["direct", "amino"] as const)("each message in its own tx (%s)", async (mode) => {
    const wallet = mode === "direct" ? await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "dcert" }) : await Secp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "dcert" });
    const [acc] = await wallet.getAccounts();
    const client = await SigningDcertClient.offline(wallet);
    for (const m of allMessages(acc!.address)) {
      const raw = await client.sign(acc!.address, [m], fee, "", { accountNumber: 4n, sequence: 1, chainId });
      const tx = decodeTx(TxRaw.encode(raw).finish());
      expect(tx.signers[0]?.signMode).toBe(mode === "direct" ? SIGN_MODE_DIRECT : SIGN_MODE_LEGACY_AMINO_JSON);
      expect(tx.body.messages[0]?.typeUrl).toBe(m.typeUrl);
      expect(verifyTxSignature(tx, 0, { chainId, accountNumber: 4n, pubkey: acc!.pubkey }, createDcertAminoRegistry())).toBe(true);
      expect(verifyTxSignature(tx, 0, { chainId, accountNumber: 5n, pubkey: acc!.pubkey }, createDcertAminoRegistry())).toBe(false);
    }
  });
});

/** A QueryClient whose ABCI queries are answered by `answer` (and recorded). */
function fakeQueryClient(answer: (path: string, data: Uint8Array) => Uint8Array): { client: QueryClient; calls: { path: string; data: Uint8Array }[] } {
  const calls: { path: string; data: Uint8Array }[] = [];
  const client = {
    queryAbci: async (p: string, data: Uint8Array) => {
      calls.push({ path: p, data });
      return { value: answer(p, data), height: 1 };
    },
  } as unknown as QueryClient;
  return { client, calls };
}

describe("query extensions", () => {
  test("slashing signing info goes to /cosmos.slashing.v1beta1.Query/SigningInfo by consensus address", async () => {
    const cons = consensusAddress(PUBKEY);
    const { client, calls } = fakeQueryClient(() =>
      QuerySigningInfoResponse.encode({ valSigningInfo: { address: cons, startHeight: 3n, indexOffset: 9n, jailedUntil: { seconds: 0n, nanos: 0 }, tombstoned: true, missedBlocksCounter: 2n } }).finish(),
    );
    const res = await setupSlashingQueryExtension(client).slashing.signingInfo(cons);
    expect(calls[0]?.path).toBe("/cosmos.slashing.v1beta1.Query/SigningInfo");
    expect(QuerySigningInfoRequest.decode(calls[0]!.data).consAddress).toBe(cons);
    expect(res.valSigningInfo.tombstoned).toBe(true);
    expect(res.valSigningInfo.missedBlocksCounter).toBe(2n);
  });

  test("distribution: total rewards and slashes use the standard paths and fields", async () => {
    const { client, calls } = fakeQueryClient((p) =>
      p.endsWith("DelegationTotalRewards")
        ? QueryDelegationTotalRewardsResponse.encode({ rewards: [{ validatorAddress: VAL_B, reward: [{ denom: "udcert", amount: "1500000000000000000" }] }], total: [{ denom: "udcert", amount: "1500000000000000000" }] }).finish()
        : new Uint8Array(),
    );
    const d = setupDistributionQueryExtension(client).distribution;
    const total = await d.delegationTotalRewards(A);
    expect(total.total).toEqual([{ denom: "udcert", amount: "1500000000000000000" }]);
    await d.validatorSlashes(VAL_B, 5n, 9n);
    await d.validatorDistributionInfo(VAL_B);
    await d.communityPool();
    expect(calls.map((c) => c.path)).toEqual([
      "/cosmos.distribution.v1beta1.Query/DelegationTotalRewards",
      "/cosmos.distribution.v1beta1.Query/ValidatorSlashes",
      "/cosmos.distribution.v1beta1.Query/ValidatorDistributionInfo",
      "/cosmos.distribution.v1beta1.Query/CommunityPool",
    ]);
    const slashes = QueryValidatorSlashesRequest.decode(calls[1]!.data);
    expect([slashes.validatorAddress, slashes.startingHeight, slashes.endingHeight]).toEqual([VAL_B, 5n, 9n]);
  });

  test("mint inflation comes as the UTF-8 of an 18-decimal integer", async () => {
    const { client, calls } = fakeQueryClient(() => QueryInflationResponse.encode({ inflation: toUtf8("130000000000000000") }).finish());
    const res = await setupMintQueryExtension(client).mint.inflation();
    expect(calls[0]?.path).toBe("/cosmos.mint.v1beta1.Query/Inflation");
    expect(decBytesToFixed18(res.inflation)).toBe("130000000000000000");
    expect(decBytesToFixed18(new Uint8Array())).toBe("0");
    expect(() => decBytesToFixed18(toUtf8("0.13"))).toThrow(/fixed-point/);
  });

  test("evidence by hash sends the hex in `hash`; Equivocations decode", async () => {
    const eq = Equivocation.fromPartial({ height: 10n, power: 100n, consensusAddress: consensusAddress(PUBKEY), time: { seconds: 5n, nanos: 0 } });
    const any = { typeUrl: "/cosmos.evidence.v1beta1.Equivocation", value: Equivocation.encode(eq).finish() };
    const { client, calls } = fakeQueryClient(() => QueryAllEvidenceResponse.encode({ evidence: [any] }).finish());
    const ext = setupEvidenceQueryExtension(client).evidence;
    const all = await ext.allEvidence();
    expect(decodeEvidence(all.evidence[0]!)).toEqual(eq);
    await ext.evidence("AB".repeat(32)).catch(() => undefined);
    expect(calls[1]?.path).toBe("/cosmos.evidence.v1beta1.Query/Evidence");
    expect(QueryEvidenceRequest.decode(calls[1]!.data).hash).toBe("AB".repeat(32));
    expect(decodeEvidence({ typeUrl: "/other.Evidence", value: new Uint8Array([1]) })).toEqual({ typeUrl: "/other.Evidence", value: new Uint8Array([1]) });
  });

  test("consensus addresses: first 20 bytes of sha256 of the key, valcons prefix; only 32-byte keys", () => {
    const cons = consensusAddress(PUBKEY);
    expect(cons.startsWith("dcertvalcons1")).toBe(true);
    expect(fromBech32(cons, 90).data.length).toBe(20);
    expect(consensusAddress(new Uint8Array(32))).not.toBe(cons);
    expect(() => consensusAddress(new Uint8Array(33))).toThrow(/32 bytes/);
  });
});
