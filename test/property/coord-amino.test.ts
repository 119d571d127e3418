/**
 * Property tests of the coord.v1 amino converters: for arbitrary messages (envelopes with many
 * recipients, timestamps across 0001–9999, any int32 enum, 64-bit extremes, empty fields, empty and
 * set-but-empty nested messages), the amino JSON survives a JSON text round trip and converts back
 * to exactly the same protobuf bytes; the chain's amino registry gives the same JSON; and the JSON
 * follows the amino conventions (snake_case keys, no proto3 default values, canonical strings).
 */
import fc from "fast-check";
import { createDefaultAminoRegistry, type AminoRegistry } from "../../src/types/amino";
import {
  COORD_AMINO_TYPES,
  createCoordAminoConverters,
  timestampFromRfc3339,
  timestampToRfc3339,
} from "../../src/types/coord/aminomessages";
import { COORD_TYPE_URLS, coordTypes } from "../../src/types/coord/messages";

interface Codec {
  encode(m: unknown): { finish(): Uint8Array };
  decode(b: Uint8Array): unknown;
  fromPartial(o: unknown): unknown;
}

const codecs = new Map(coordTypes.map(([u, c]) => [u, c as unknown as Codec]));
const converters = createCoordAminoConverters();
const registry: AminoRegistry = createDefaultAminoRegistry();
for (const [typeUrl, codec] of coordTypes) registry.register(typeUrl, codec as Parameters<AminoRegistry["register"]>[1], converters[typeUrl]!);

// ---- arbitraries of generated-message values ----------------------------------------------------

const text = fc.oneof(fc.constant(""), fc.string({ unit: "binary", maxLength: 24 }), fc.constantFrom("dcert1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", "/cosmos.bank.v1beta1.*"));
const bytes = (max: number) => fc.oneof(fc.constant(new Uint8Array()), fc.uint8Array({ minLength: 1, maxLength: max })).map((b) => Buffer.from(b));
const u32 = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5 }), fc.constant(0xffffffff), fc.integer({ min: 0, max: 0xffffffff }));
const enumValue = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 7 }) }, { weight: 1, arbitrary: fc.integer({ min: -0x80000000, max: 0x7fffffff }) });
const u64 = fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 1000n }), fc.constant(2n ** 64n - 1n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
const i64 = fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10n ** 7n }), fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, -1n), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
const bool = fc.boolean();
const timestamp = fc.record({
  seconds: fc.oneof(fc.constantFrom(0n, -62135596800n, 253402300799n), fc.bigInt({ min: -62135596800n, max: 253402300799n })),
  nanos: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 999 }).map((ms) => ms * 1_000_000), fc.integer({ min: 0, max: 999_999_999 })),
});
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });
const list = <T>(a: fc.Arbitrary<T>, maxLength = 4) => fc.array(a, { maxLength });

const component = fc.record({ kind: enumValue, name: text, versions: text });
const envelope = fc.record({
  version: u32,
  suite: u32,
  recipients: list(fc.record({ address: text, keyEpoch: u32, enc: bytes(32), wrappedKey: bytes(48) }), 6),
  nonce: bytes(24),
  ciphertext: bytes(200),
});
const coin = fc.record({ denom: text, amount: fc.oneof(fc.constant(""), fc.bigInt({ min: 0n, max: 2n ** 128n }).map(String)) });
const party = fc.record({ owner: text, kind: enumValue, name: text, contact: text, encryptionKey: bytes(33), dependencies: list(component) });

const MESSAGES: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  [COORD_TYPE_URLS.registerParty]: party,
  [COORD_TYPE_URLS.updateParty]: party,
  [COORD_TYPE_URLS.withdrawParty]: fc.record({ owner: text }),
  [COORD_TYPE_URLS.openCase]: fc.record({
    member: text,
    level: u32,
    commitments: list(fc.record({ kind: enumValue, hash: bytes(32) })),
    deadlineTime: optional(timestamp),
    deadlineHeight: i64,
    readinessPlan: text,
  }),
  [COORD_TYPE_URLS.setRevealGate]: fc.record({ member: text, caseId: u64, readinessPlan: text, reason: text }),
  [COORD_TYPE_URLS.joinCase]: fc.record({ member: text, caseId: u64 }),
  [COORD_TYPE_URLS.commit]: fc.record({ member: text, caseId: u64, kind: enumValue, hash: bytes(32) }),
  [COORD_TYPE_URLS.escalate]: fc.record({ member: text, caseId: u64, newLevel: u32, levelSalt: bytes(32), sealedLevel: u32, reason: text }),
  [COORD_TYPE_URLS.proposeRevision]: fc.record({
    member: text,
    caseId: u64,
    kind: enumValue,
    newDeadlineTime: optional(timestamp),
    newDeadlineHeight: i64,
    newLevel: u32,
    reason: text,
  }),
  [COORD_TYPE_URLS.approveRevision]: fc.record({ member: text, caseId: u64 }),
  [COORD_TYPE_URLS.sendNotice]: fc.record({
    member: text,
    caseId: u64,
    notices: list(fc.record({ recipient: text, kind: enumValue, envelope: optional(envelope) })),
  }),
  [COORD_TYPE_URLS.submitInput]: fc.record({ sender: text, caseId: u64, envelope: optional(envelope) }),
  [COORD_TYPE_URLS.acknowledge]: fc.record({ party: text, noticeId: u64, envelopeHash: bytes(32) }),
  [COORD_TYPE_URLS.updateInvolvement]: fc.record({ party: text, caseId: u64, status: enumValue, noteHash: bytes(32) }),
  [COORD_TYPE_URLS.reveal]: fc.record({
    member: text,
    caseId: u64,
    items: list(fc.record({ kind: enumValue, salt: bytes(32), content: bytes(100), contentHash: bytes(32) })),
  }),
  [COORD_TYPE_URLS.closeCase]: fc.record({
    member: text,
    caseId: u64,
    recordHash: bytes(32),
    summary: optional(fc.record({ activities: text, responses: text, lessonsLearned: text, fixDeploymentVerified: bool, followUps: list(text) })),
  }),
  [COORD_TYPE_URLS.updateParams]: fc.record({
    authority: text,
    params: optional(
      fc.record({
        enabled: bool,
        levels: list(
          fc.record({ level: u32, embargoSeconds: u64, contactLeadSeconds: u64, finalizeLeadSeconds: u64, revealWindowSeconds: u64, followUpSeconds: u64 }),
        ),
        minEmbargoSeconds: u64,
        maxEmbargoSeconds: u64,
        revisionQuorum: text,
        revisionTtlSeconds: u64,
        openCosigners: u32,
        partyDeposit: optional(coin),
        maxDependencies: u32,
        maxNoticeBytes: u32,
        maxInputBytes: u32,
        maxNoticesPerMsg: u32,
        maxNoticesPerCase: u32,
        maxOpenCases: u32,
        maxAdvisoryBytes: u32,
        nominalBlockSeconds: u64,
        advisoryIdPrefix: text,
        disclosureCheckBatch: u32,
      }),
    ),
  }),
};

/** Amino conventions every produced JSON value must follow. */
function checkConventions(v: unknown, path: string): void {
  if (Array.isArray(v)) {
    expect(v.length).toBeGreaterThan(0);
    v.forEach((e, i) => checkConventions(e, `${path}[${i}]`));
    return;
  }
  if (typeof v === "object" && v !== null) {
    for (const [k, e] of Object.entries(v)) {
      expect(k).toMatch(/^[a-z][a-z0-9_]*$/);
      // A coin's amount is the one field always present.
      if (!(k === "amount" && path.endsWith("party_deposit"))) {
        expect(e).not.toBe("");
        expect(e).not.toBe("0");
        expect(e).not.toBe(0);
        expect(e).not.toBe(false);
      }
      checkConventions(e, `${path}.${k}`);
    }
    return;
  }
  expect(["string", "number", "boolean"]).toContain(typeof v);
  if (typeof v === "number") expect(Number.isSafeInteger(v)).toBe(true);
}

describe("coord amino converters: arbitrary messages", () => {
  test("every coord.v1 message has an arbitrary here", () => {
    expect(Object.keys(MESSAGES).sort()).toEqual(coordTypes.map(([u]) => u).sort());
  });

  describe.each(Object.keys(MESSAGES))("%s", (typeUrl) => {
    const codec = codecs.get(typeUrl)!;
    const converter = converters[typeUrl]!;
    test("JSON text round trip re-encodes to the same bytes; the chain's registry agrees; conventions hold", () => {
      fc.assert(
        fc.property(MESSAGES[typeUrl]!, (value) => {
          const wire = codec.encode(codec.fromPartial(value)).finish();
          const decoded = codec.decode(wire);
          const json = converter.toAmino(decoded) as Record<string, unknown>;
          checkConventions(json, "");
          expect(registry.toAmino({ typeUrl, value: wire })).toEqual({ type: COORD_AMINO_TYPES[typeUrl as keyof typeof COORD_AMINO_TYPES], value: json });
          const text = JSON.stringify(json);
          const back = converter.fromAmino(JSON.parse(text));
          expect(Buffer.from(codec.encode(back).finish()).toString("hex")).toBe(Buffer.from(wire).toString("hex"));
          expect(JSON.stringify(converter.toAmino(back))).toBe(text);
        }),
        { numRuns: 150 },
      );
    });
  });

  test("timestamps: format and parse are inverse over 0001–9999 at nanosecond precision, and match Date's ISO form", () => {
    fc.assert(
      fc.property(timestamp, ({ seconds, nanos }) => {
        const s = timestampToRfc3339({ seconds, nanos });
        expect(s).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d*[1-9])?Z$/);
        expect(timestampFromRfc3339(s)).toEqual({ seconds, nanos });
        const iso = new Date(Number(seconds) * 1000).toISOString();
        expect(s.slice(0, 19)).toBe(iso.slice(0, 19));
      }),
      { numRuns: 1000 },
    );
  });

  test("fromAmino never accepts a uint64 string that is not the canonical decimal of a value in range", () => {
    const join = converters[COORD_TYPE_URLS.joinCase]!;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("0", "1", "9", "-", "+", " ", "e", "x"), maxLength: 22 }), (s) => {
        let accepted: unknown;
        try {
          accepted = join.fromAmino({ case_id: s });
        } catch {
          return;
        }
        const id = (accepted as { caseId: bigint }).caseId;
        expect(id.toString()).toBe(s);
        expect(id <= 2n ** 64n - 1n).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
