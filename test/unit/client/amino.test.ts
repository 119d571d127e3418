/**
 * Amino JSON converters of the dCERT messages: exact JSON shapes, lossless round trips for every
 * message (the chain re-encodes the signed amino JSON and requires the same bytes), the chain's
 * sign-bytes view equal to what CosmJS signs, and partial EncodeObject values (as CosmJS callers
 * pass them) giving the same JSON as fully decoded messages.
 */
import { AminoTypes } from "@cosmjs/stargate";
import fc from "fast-check";
import { createDefaultAminoRegistry } from "../../../src/types/amino";
import { createDcertAminoConverters } from "../../../src/types/aminomessages";
import { DCERT_TYPE_URLS, dcertTypes, isMsgVoteEncodeObject } from "../../../src/types/messages";
import * as tx from "../../../src/generated/dcert/v1/tx";
import { registerDcertAmino } from "../../../src/x/dcert/module";

const A = "dcert1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";
const B = "dcert1yy3zxfp9ycnjs2f29vkz6t30xqcnyve5j4ep6w";
const GOV = "dcert10d07y265gmmuvt4z0w9aw880jnsr700jvjr7fm";

interface Codec<T> {
  encode(m: T): { finish(): Uint8Array };
  decode(b: Uint8Array): T;
  fromPartial(o: never): T;
}

/** Samples per type URL: a fully populated message and a mostly empty one. */
const SAMPLES: Record<string, unknown[]> = {
  [DCERT_TYPE_URLS.vote]: [
    { voter: A, entries: [{ candidate: B, share: "500000000000000000" }, { candidate: A, share: "250000000000000000" }] },
    { voter: A, entries: [] },
  ],
  [DCERT_TYPE_URLS.acceptAdmission]: [{ candidate: A }, {}],
  [DCERT_TYPE_URLS.leaveGroup]: [{ member: A }, {}],
  [DCERT_TYPE_URLS.bond]: [{ staker: A, member: B, amount: { denom: "udcert", amount: "1000000" } }, { staker: A }],
  [DCERT_TYPE_URLS.unbond]: [{ staker: A, member: B, amount: { denom: "udcert", amount: "1" } }, { member: B, amount: { denom: "", amount: "" } }],
  [DCERT_TYPE_URLS.voteSuspend]: [{ member: A, target: B, reason: "leaked the patch" }, { member: A, target: B }],
  [DCERT_TYPE_URLS.updateDescription]: [
    { member: A, description: { name: "dCERT", details: "emergency response", website: "https://dcert.example", securityContact: "sec@example.org" } },
    { member: A, description: { name: "", details: "", website: "", securityContact: "" } },
    { member: A },
  ],
  [DCERT_TYPE_URLS.circuitBreak]: [{ member: A, routes: ["/cosmos.bank.v1beta1.MsgSend", "/cosmos.staking.v1beta1.*"], reason: "exploit" }, { member: A }],
  [DCERT_TYPE_URLS.slashMember]: [{ authority: GOV, member: A, fraction: "1000000000000000000", reason: "collusion" }, { authority: GOV }],
  [DCERT_TYPE_URLS.reinstateMember]: [{ authority: GOV, member: A }, {}],
  [DCERT_TYPE_URLS.disbandGroup]: [{ authority: GOV, reason: "malicious group" }, { authority: GOV }],
  [DCERT_TYPE_URLS.reestablishGroup]: [{ authority: GOV }, {}],
  [DCERT_TYPE_URLS.updateParams]: [
    {
      authority: GOV,
      params: {
        maxMembers: 7,
        minMemberBond: { denom: "udcert", amount: "1000000000" },
        stipendPerBlock: { denom: "udcert", amount: "1000" },
        suspensionQuorum: "500000000000000000",
        disbandWager: { denom: "udcert", amount: "100000000000" },
        disbandSlashFraction: "1000000000000000000",
        stabilizationPeriod: 100n,
        maxVoteEntries: 16,
        circuitBreakEnabled: true,
      },
    },
    { authority: GOV, params: { maxMembers: 1 } },
    { authority: GOV },
  ],
};

function codecOf(typeUrl: string): Codec<unknown> {
  const entry = dcertTypes.find(([u]) => u === typeUrl);
  if (entry === undefined) throw new Error(`no codec for ${typeUrl}`);
  return entry[1] as unknown as Codec<unknown>;
}

const converters = createDcertAminoConverters();
const aminoTypes = new AminoTypes(converters);

describe("dCERT amino converters", () => {
  test("one converter per message, amino names dcert/<Msg>, all distinct", () => {
    expect(Object.keys(converters).sort()).toEqual(dcertTypes.map(([u]) => u).sort());
    for (const [typeUrl, c] of Object.entries(converters)) expect(c.aminoType).toBe(`dcert/${typeUrl.split(".").pop() ?? ""}`);
    expect(new Set(Object.values(converters).map((c) => c.aminoType)).size).toBe(dcertTypes.length);
  });

  test("JSON shapes: snake_case, empty fields omitted, uint64 as strings, uint32 as numbers", () => {
    expect(aminoTypes.toAmino({ typeUrl: DCERT_TYPE_URLS.vote, value: SAMPLES[DCERT_TYPE_URLS.vote]?.[0] })).toEqual({
      type: "dcert/MsgVote",
      value: { voter: A, entries: [{ candidate: B, share: "500000000000000000" }, { candidate: A, share: "250000000000000000" }] },
    });
    expect(aminoTypes.toAmino({ typeUrl: DCERT_TYPE_URLS.vote, value: { voter: A, entries: [] } })).toEqual({ type: "dcert/MsgVote", value: { voter: A } });
    expect(aminoTypes.toAmino({ typeUrl: DCERT_TYPE_URLS.bond, value: SAMPLES[DCERT_TYPE_URLS.bond]?.[0] }).value).toEqual({
      staker: A,
      member: B,
      amount: { denom: "udcert", amount: "1000000" },
    });
    expect(aminoTypes.toAmino({ typeUrl: DCERT_TYPE_URLS.updateDescription, value: SAMPLES[DCERT_TYPE_URLS.updateDescription]?.[0] }).value).toEqual({
      member: A,
      description: { name: "dCERT", details: "emergency response", website: "https://dcert.example", security_contact: "sec@example.org" },
    });
    expect(aminoTypes.toAmino({ typeUrl: DCERT_TYPE_URLS.updateParams, value: SAMPLES[DCERT_TYPE_URLS.updateParams]?.[0] }).value).toEqual({
      authority: GOV,
      params: {
        max_members: 7,
        min_member_bond: { denom: "udcert", amount: "1000000000" },
        stipend_per_block: { denom: "udcert", amount: "1000" },
        suspension_quorum: "500000000000000000",
        disband_wager: { denom: "udcert", amount: "100000000000" },
        disband_slash_fraction: "1000000000000000000",
        stabilization_period: "100",
        max_vote_entries: 16,
        circuit_break_enabled: true,
      },
    });
    expect(aminoTypes.toAmino({ typeUrl: DCERT_TYPE_URLS.updateParams, value: { authority: GOV, params: { maxMembers: 1 } } }).value).toEqual({
      authority: GOV,
      params: { max_members: 1 },
    });
    expect(aminoTypes.toAmino({ typeUrl: DCERT_TYPE_URLS.reestablishGroup, value: {} })).toEqual({ type: "dcert/MsgReestablishGroup", value: {} });
  });

  test.each(Object.keys(SAMPLES))("%s: fromAmino(toAmino(m)) re-encodes to the same bytes, from partial and decoded values alike", (typeUrl) => {
    const codec = codecOf(typeUrl);
    for (const sample of SAMPLES[typeUrl] ?? []) {
      const full = codec.fromPartial(sample as never);
      const bytes = codec.encode(full).finish();
      const decoded = codec.decode(bytes);
      const fromPartial = aminoTypes.toAmino({ typeUrl, value: sample });
      const fromDecoded = aminoTypes.toAmino({ typeUrl, value: decoded });
      expect(fromPartial).toEqual(fromDecoded);
      const back = aminoTypes.fromAmino(JSON.parse(JSON.stringify(fromDecoded)) as typeof fromDecoded);
      expect(back.typeUrl).toBe(typeUrl);
      expect(Buffer.from(codec.encode(back.value).finish()).toString("hex")).toBe(Buffer.from(bytes).toString("hex"));
    }
  });

  test("the chain's sign-bytes view of each message equals what CosmJS signs", () => {
    const registry = createDefaultAminoRegistry();
    registerDcertAmino(registry);
    for (const [typeUrl, samples] of Object.entries(SAMPLES)) {
      const codec = codecOf(typeUrl);
      for (const sample of samples) {
        const value = codec.encode(codec.fromPartial(sample as never)).finish();
        expect(registry.toAmino({ typeUrl, value })).toEqual(aminoTypes.toAmino({ typeUrl, value: sample }));
      }
    }
    // Registering twice is a programming error the registry reports.
    expect(() => registerDcertAmino(registry)).toThrow(/registered twice/);
  });

  test("random votes and params round-trip exactly", () => {
    const addr = fc.constantFrom(A, B, GOV);
    const uintStr = fc.bigInt({ min: 0n, max: 10n ** 30n }).map((x) => x.toString());
    const coin = fc.option(fc.record({ denom: fc.constantFrom("", "udcert", "ibc/ABC"), amount: fc.oneof(uintStr, fc.constant("")) }), { nil: undefined });
    const vote = fc.record({ voter: fc.oneof(addr, fc.constant("")), entries: fc.array(fc.record({ candidate: fc.oneof(addr, fc.constant("")), share: fc.oneof(uintStr, fc.constant("")) }), { maxLength: 5 }) });
    const params = fc.record({
      maxMembers: fc.nat(0xffffffff),
      minMemberBond: coin,
      stipendPerBlock: coin,
      suspensionQuorum: fc.oneof(uintStr, fc.constant("")),
      disbandWager: coin,
      disbandSlashFraction: fc.oneof(uintStr, fc.constant("")),
      stabilizationPeriod: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      maxVoteEntries: fc.nat(0xffffffff),
      circuitBreakEnabled: fc.boolean(),
    });
    const cases = fc.oneof(
      vote.map((v) => ({ typeUrl: DCERT_TYPE_URLS.vote, value: tx.MsgVote.fromPartial(v) as unknown })),
      fc.record({ authority: addr, params: fc.option(params, { nil: undefined }) }).map((v) => ({ typeUrl: DCERT_TYPE_URLS.updateParams, value: tx.MsgUpdateParams.fromPartial(v) as unknown })),
    );
    fc.assert(
      fc.property(cases, ({ typeUrl, value }) => {
        const codec = codecOf(typeUrl);
        const bytes = codec.encode(value).finish();
        const back = aminoTypes.fromAmino(JSON.parse(JSON.stringify(aminoTypes.toAmino({ typeUrl, value }))) as never);
        expect(Buffer.from(codec.encode(back.value).finish()).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test("EncodeObject guards recognise their type URL only", () => {
    expect(isMsgVoteEncodeObject({ typeUrl: DCERT_TYPE_URLS.vote, value: {} })).toBe(true);
    expect(isMsgVoteEncodeObject({ typeUrl: DCERT_TYPE_URLS.bond, value: {} })).toBe(false);
  });
});
