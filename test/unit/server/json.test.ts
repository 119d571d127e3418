/**
 * The SDK gateway's JSON dialect (src/server/json/): exact output for known messages, and
 * JSON → bytes → JSON round trips for generated messages of many kinds.
 */
import fc from "fast-check";
import { create, ScalarType, toBinary, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { QueryValidatorsResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { QueryParamsResponse as DistrParams } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { QueryProposalResponse } from "cosmjs-types/cosmos/gov/v1beta1/query";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { ApiError, GrpcCode } from "../../../src/server/backend";
import { atomicsToDecimal, decimalToAtomics, fromSdkJson, toSdkJson } from "../../../src/server/json";
import { gatewaySchema, messageType, methodOf } from "../../../src/server/schema";

describe("gateway schema", () => {
  test("loads the descriptor set, the dec and non-nullable fields", () => {
    const s = gatewaySchema();
    expect(s).toBe(gatewaySchema());
    expect(s.registry.getService("dcert.v1.Query")).toBeDefined();
    expect(s.registry.getService("cosmos.tx.v1beta1.Service")).toBeDefined();
    expect(s.decFields.has("cosmos.staking.v1beta1.Validator.delegator_shares")).toBe(true);
    expect(s.nonNullable.has("cosmos.bank.v1beta1.QueryParamsResponse.params")).toBe(true);
    expect(methodOf("/cosmos.bank.v1beta1.Query/Balance")?.output.typeName).toBe("cosmos.bank.v1beta1.QueryBalanceResponse");
    expect(methodOf("/cosmos.bank.v1beta1.Query/Nope")).toBeUndefined();
    expect(() => messageType("no.such.Type")).toThrow("unknown message type no.such.Type");
  });
});

describe("decimals", () => {
  test("atomics ↔ 18-decimal text", () => {
    expect(atomicsToDecimal("100000000000000000")).toBe("0.100000000000000000");
    expect(atomicsToDecimal("")).toBe("0.000000000000000000");
    expect(atomicsToDecimal("-1500000000000000000")).toBe("-1.500000000000000000");
    expect(atomicsToDecimal("123000000000000000000000")).toBe("123000.000000000000000000");
    expect(decimalToAtomics("0.1", "f")).toBe("100000000000000000");
    expect(decimalToAtomics("-2", "f")).toBe("-2000000000000000000");
    expect(decimalToAtomics(".5", "f")).toBe("500000000000000000");
    expect(decimalToAtomics("-0.0", "f")).toBe("0");
    expect(() => decimalToAtomics("0.1234567890123456789", "f")).toThrow("more than 18 decimal places");
    expect(() => decimalToAtomics("1e5", "f")).toThrow(ApiError);
    expect(() => decimalToAtomics("", "f")).toThrow("not a decimal number");
  });

  test("property: decimal text round trips through the atomics", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), (n) => {
        const dec = atomicsToDecimal(n.toString());
        expect(dec).toMatch(/^-?\d+\.\d{18}$/);
        expect(decimalToAtomics(dec, "f")).toBe(n.toString());
      }),
    );
  });
});

describe("writer", () => {
  test("writes the SDK's JSON for a validator: names, defaults, Any, Dec, Timestamp, enum, int64, null next_key", () => {
    const bytes = QueryValidatorsResponse.encode({
      validators: [
        {
          operatorAddress: "dcertvaloper1x",
          consensusPubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: PubKey.encode({ key: new Uint8Array(32).fill(7) }).finish() },
          jailed: false,
          status: 3,
          tokens: "100",
          delegatorShares: "100000000000000000000",
          description: { moniker: "v", identity: "", website: "", securityContact: "", details: "" },
          unbondingHeight: 0n,
          unbondingTime: { seconds: 0n, nanos: 0 },
          commission: { commissionRates: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" }, updateTime: { seconds: 1700000000n, nanos: 500000000 } },
          minSelfDelegation: "1",
          unbondingOnHoldRefCount: 0n,
          unbondingIds: [],
        },
      ],
      pagination: { nextKey: new Uint8Array(), total: 1n },
    }).finish();
    expect(toSdkJson("cosmos.staking.v1beta1.QueryValidatorsResponse", bytes)).toEqual({
      validators: [
        {
          operator_address: "dcertvaloper1x",
          consensus_pubkey: { "@type": "/cosmos.crypto.ed25519.PubKey", key: Buffer.alloc(32, 7).toString("base64") },
          jailed: false,
          status: "BOND_STATUS_BONDED",
          tokens: "100",
          delegator_shares: "100.000000000000000000",
          description: { moniker: "v", identity: "", website: "", security_contact: "", details: "" },
          unbonding_height: "0",
          unbonding_time: "1970-01-01T00:00:00Z",
          commission: {
            commission_rates: { rate: "0.100000000000000000", max_rate: "0.200000000000000000", max_change_rate: "0.010000000000000000" },
            update_time: "2023-11-14T22:13:20.500Z",
          },
          min_self_delegation: "1",
          unbonding_on_hold_ref_count: "0",
          unbonding_ids: [],
        },
      ],
      pagination: { next_key: null, total: "1" },
    });
  });

  test("an unset message is null, a non-nullable one its default object", () => {
    expect(toSdkJson("cosmos.staking.v1beta1.QueryValidatorsResponse", new Uint8Array())).toEqual({ validators: [], pagination: null });
    // distribution's params are non-nullable: every Dec at zero, bools false.
    expect(toSdkJson("cosmos.distribution.v1beta1.QueryParamsResponse", DistrParams.encode(DistrParams.fromPartial({})).finish())).toEqual({
      params: { community_tax: "0.000000000000000000", base_proposer_reward: "0.000000000000000000", bonus_proposer_reward: "0.000000000000000000", withdraw_addr_enabled: false },
    });
    // gov v1beta1 proposal: non-nullable timestamps and tally.
    const p = toSdkJson("cosmos.gov.v1beta1.QueryProposalResponse", QueryProposalResponse.encode(QueryProposalResponse.fromPartial({ proposal: { proposalId: 4n } })).finish()) as { proposal: Record<string, unknown> };
    expect(p.proposal["proposal_id"]).toBe("4");
    expect(p.proposal["content"]).toBeNull();
    expect(p.proposal["submit_time"]).toBe("1970-01-01T00:00:00Z");
    expect(p.proposal["final_tally_result"]).toEqual({ yes: "", abstain: "", no: "", no_with_veto: "" });
    expect(p.proposal["total_deposit"]).toEqual([]);
  });

  test("an Any of a type outside the schema keeps its bytes", () => {
    const bytes = toBinary(messageType("cosmos.auth.v1beta1.QueryAccountResponse"), create(messageType("cosmos.auth.v1beta1.QueryAccountResponse"), { account: { typeUrl: "/x.y.Unknown", value: new Uint8Array([1, 2, 3]) } } as never));
    const json = toSdkJson("cosmos.auth.v1beta1.QueryAccountResponse", bytes);
    expect(json).toEqual({ account: { "@type": "/x.y.Unknown", value: "AQID" } });
    expect(fromSdkJson("cosmos.auth.v1beta1.QueryAccountResponse", json)).toEqual(bytes);
  });

  test("timestamps and durations with 0, 3, 6 or 9 fraction digits", () => {
    const t = (seconds: bigint, nanos: number): unknown =>
      toSdkJson("cosmos.evidence.v1beta1.Equivocation", toBinary(messageType("cosmos.evidence.v1beta1.Equivocation"), create(messageType("cosmos.evidence.v1beta1.Equivocation"), { time: { seconds, nanos } } as never)));
    expect(t(0n, 0)).toMatchObject({ time: "1970-01-01T00:00:00Z" });
    expect(t(1n, 1000)).toMatchObject({ time: "1970-01-01T00:00:01.000001Z" });
    expect(t(1n, 1)).toMatchObject({ time: "1970-01-01T00:00:01.000000001Z" });
    const params = toSdkJson("cosmos.gov.v1beta1.QueryParamsResponse", new Uint8Array()) as { deposit_params: { max_deposit_period: string } };
    expect(params.deposit_params.max_deposit_period).toBe("0s");
  });
});

describe("reader", () => {
  test("accepts proto names and lowerCamel names, decimals, and keeps the Any type URL as given", () => {
    const send = MsgSend.encode({ fromAddress: "a", toAddress: "b", amount: [{ denom: "udcert", amount: "5" }] }).finish();
    const json = {
      tx: { body: { messages: [{ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: "a", toAddress: "b", amount: [{ denom: "udcert", amount: "5" }] }], memo: "m" } },
    };
    const bytes = fromSdkJson("cosmos.tx.v1beta1.SimulateRequest", json);
    const back = toSdkJson("cosmos.tx.v1beta1.SimulateRequest", bytes) as { tx: { body: { messages: unknown[]; memo: string } } };
    expect(back.tx.body.memo).toBe("m");
    expect(back.tx.body.messages[0]).toEqual({ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: "a", to_address: "b", amount: [{ denom: "udcert", amount: "5" }] });
    // The Any's bytes are exactly MsgSend's, under the Cosmos type URL.
    expect(Buffer.from(bytes).includes(Buffer.from("/cosmos.bank.v1beta1.MsgSend"))).toBe(true);
    expect(Buffer.from(bytes).includes(Buffer.from(send))).toBe(true);
    const dec = fromSdkJson("cosmos.distribution.v1beta1.QueryParamsResponse", { params: { communityTax: "0.02" } });
    expect(DistrParams.decode(dec).params.communityTax).toBe("20000000000000000");
  });

  test("rejects what the schema refuses, as INVALID_ARGUMENT", () => {
    const bad = (json: unknown): unknown => fromSdkJson("cosmos.distribution.v1beta1.QueryParamsResponse", json as never);
    for (const j of [{ params: { community_tax: "x" } }, { params: { community_tax: 1 } }, { nope: 1 }, { params: 5 }, []]) {
      let err: unknown;
      try {
        bad(j);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(GrpcCode.INVALID_ARGUMENT);
    }
    expect(() => fromSdkJson("cosmos.auth.v1beta1.QueryAccountResponse", { account: { from_address: "a" } })).toThrow('needs "@type"');
    expect(() => fromSdkJson("cosmos.auth.v1beta1.QueryAccountResponse", { account: { "@type": "/x.Unknown", a: 1 } })).toThrow("not a known type");
  });
});

// --- generated messages -------------------------------------------------------------------

const ANY_TYPES = ["cosmos.bank.v1beta1.MsgSend", "cosmos.crypto.ed25519.PubKey", "cosmos.staking.v1beta1.MsgDelegate", "dcert.v1.MsgVote", "cosmos.gov.v1beta1.TextProposal", "google.protobuf.Timestamp"];

function scalarArb(t: ScalarType): fc.Arbitrary<unknown> {
  switch (t) {
    case ScalarType.STRING:
      return fc.string({ maxLength: 8 });
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 8 });
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return fc.integer();
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case ScalarType.FLOAT:
      return fc.float({ noDefaultInfinity: false }).filter((x) => !Object.is(x, -0));
    case ScalarType.DOUBLE:
      return fc.double().filter((x) => !Object.is(x, -0));
  }
}

const decAtomics = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((n) => n.toString());

function fieldArb(desc: DescMessage, f: DescField, depth: number): fc.Arbitrary<unknown> {
  const dec = gatewaySchema().decFields.has(`${desc.typeName}.${f.name}`);
  const elem = (kind: "scalar" | "enum" | "message", scalar: ScalarType | undefined, msg: DescMessage | undefined, enumVals: number[]): fc.Arbitrary<unknown> => {
    if (dec) return scalar === ScalarType.BYTES ? decAtomics.map((s) => new TextEncoder().encode(s)) : decAtomics;
    if (kind === "message") return messageArb(msg as DescMessage, depth + 1);
    if (kind === "enum") return fc.oneof(fc.constantFrom(...enumVals), fc.integer({ min: 0, max: 50 }));
    return scalarArb(scalar as ScalarType);
  };
  switch (f.fieldKind) {
    case "scalar":
      return elem("scalar", f.scalar, undefined, []);
    case "enum":
      return elem("enum", undefined, undefined, f.enum.values.map((v) => v.number));
    case "message":
      return fc.option(elem("message", undefined, f.message, []), { nil: undefined });
    case "list":
      return fc.array(f.listKind === "message" ? elem("message", undefined, f.message, []) : f.listKind === "enum" ? elem("enum", undefined, undefined, f.enum.values.map((v) => v.number)) : elem("scalar", f.scalar, undefined, []), { maxLength: depth > 2 ? 0 : 2 });
    case "map":
      return fc.dictionary(
        f.mapKey === ScalarType.STRING ? fc.string({ maxLength: 4 }) : fc.integer({ min: 0, max: 1000 }).map(String),
        f.mapKind === "message" ? messageArb(f.message, depth + 1) : f.mapKind === "enum" ? fc.constantFrom(...f.enum.values.map((v) => v.number)) : scalarArb(f.scalar),
        { maxKeys: 2 },
      );
  }
}

function messageArb(desc: DescMessage, depth: number): fc.Arbitrary<unknown> {
  if (desc.typeName === "google.protobuf.Timestamp") {
    return fc.record({ seconds: fc.bigInt({ min: -62135596800n, max: 253402300799n }), nanos: fc.integer({ min: 0, max: 999_999_999 }) }).map((v) => create(desc, v as never));
  }
  if (desc.typeName === "google.protobuf.Duration") {
    return fc.record({ seconds: fc.bigInt({ min: 0n, max: 315576000000n }), nanos: fc.integer({ min: 0, max: 999_999_999 }) }).map((v) => create(desc, v as never));
  }
  if (desc.typeName === "google.protobuf.Any") {
    if (depth > 3) return fc.constant(create(desc));
    const known = fc.constantFrom(...ANY_TYPES).chain((name) => {
      const inner = messageType(name);
      return messageArb(inner, depth + 1).map((m) => create(desc, { typeUrl: `/${name}`, value: toBinary(inner, m as never) } as never));
    });
    const unknown = fc.uint8Array({ maxLength: 6 }).map((value) => create(desc, { typeUrl: "/other.v1.Thing", value } as never));
    return fc.oneof(known, unknown);
  }
  if (depth > 4) return fc.constant(create(desc));
  const plain = desc.fields.filter((f) => f.oneof === undefined);
  const rec: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of plain) rec[f.localName] = fieldArb(desc, f, depth);
  for (const o of desc.oneofs) {
    rec[o.localName] = fc.oneof(fc.constant({ case: undefined }), ...o.fields.map((f) => fieldArb(desc, f, depth).filter((v) => v !== undefined).map((value) => ({ case: f.localName, value }))));
  }
  return fc.record(rec).map((v) => {
    const clean: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) clean[k] = x;
    return create(desc, clean as never);
  });
}

const ROUND_TRIP_TYPES = [
  "cosmos.staking.v1beta1.QueryValidatorsResponse",
  "cosmos.staking.v1beta1.QueryParamsResponse",
  "cosmos.distribution.v1beta1.QueryDelegationTotalRewardsResponse",
  "cosmos.gov.v1.QueryProposalsResponse",
  "cosmos.gov.v1beta1.QueryProposalResponse",
  "cosmos.gov.v1beta1.QueryParamsResponse",
  "cosmos.bank.v1beta1.QueryAllBalancesResponse",
  "cosmos.tx.v1beta1.SimulateRequest",
  "cosmos.tx.v1beta1.GetTxResponse",
  "cosmos.base.tendermint.v1beta1.GetLatestBlockResponse",
  "cosmos.slashing.v1beta1.QuerySigningInfosResponse",
  "dcert.v1.QueryGroupResponse",
  "dcert.v1.QueryParamsResponse",
  "coord.v1.QueryCaseResponse",
  "coord.v1.QueryDisclosureResponse",
  "dcert.upgrade.v1.QueryReadinessResponse",
];

describe("property: JSON → bytes → JSON is the identity", () => {
  test.each(ROUND_TRIP_TYPES)("%s", (typeName) => {
    const desc = messageType(typeName);
    fc.assert(
      fc.property(messageArb(desc, 0), (msg) => {
        const j1 = toSdkJson(typeName, toBinary(desc, msg as never));
        const j2 = toSdkJson(typeName, fromSdkJson(typeName, j1));
        expect(j2).toEqual(j1);
        // And it is JSON: a serialise/parse cycle does not change it.
        expect(JSON.parse(JSON.stringify(j1))).toEqual(j1);
      }),
      { numRuns: 40 },
    );
  });
});
