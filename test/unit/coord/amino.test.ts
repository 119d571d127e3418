/**
 * Amino JSON converters of the coord.v1 messages: the exact JSON of a fixed example of every
 * message (snake_case, defaults omitted, uint64/int64 strings, base64 bytes, RFC 3339 timestamps,
 * enums as numbers, nested objects), lossless round trips to the same protobuf bytes, the chain's
 * amino registry giving the same view, and strict refusal of malformed amino JSON.
 */
import { AminoTypes } from "@cosmjs/stargate";
import { createDefaultAminoRegistry, type AminoRegistry } from "../../../src/types/amino";
import {
  COORD_AMINO_TYPES,
  createCoordAminoConverters,
  timestampFromRfc3339,
  timestampToRfc3339,
} from "../../../src/types/coord/aminomessages";
import { COORD_TYPE_URLS, coordTypes } from "../../../src/types/coord/messages";

const A = "dcert1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";
const B = "dcert1yy3zxfp9ycnjs2f29vkz6t30xqcnyve5j4ep6w";
const GOV = "dcert10d07y265gmmuvt4z0w9aw880jnsr700jvjr7fm";

const KEY1 = Buffer.alloc(32, 1);
const KEY2 = Buffer.alloc(32, 2);
const HASH = Buffer.alloc(32, 0xab);
const NONCE = Buffer.alloc(24, 7);
const WRAPPED = Buffer.alloc(48, 9);
const SALT = Buffer.alloc(16, 3);
const B64_KEY1 = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
const B64_KEY2 = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
const B64_HASH = "q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=";
const B64_NONCE = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH";
const B64_WRAPPED = "CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJ";
const B64_SALT = "AwMDAwMDAwMDAwMDAwMDAw==";

interface Codec<T> {
  encode(m: T): { finish(): Uint8Array };
  decode(b: Uint8Array): T;
  fromPartial(o: never): T;
}

function codecOf(typeUrl: string): Codec<unknown> {
  const entry = coordTypes.find(([u]) => u === typeUrl);
  if (entry === undefined) throw new Error(`no codec for ${typeUrl}`);
  return entry[1] as unknown as Codec<unknown>;
}

const envelope = {
  version: 1,
  suite: 1,
  recipients: [
    { address: A, keyEpoch: 2, enc: KEY1, wrappedKey: WRAPPED },
    { address: B, keyEpoch: 1, enc: KEY2, wrappedKey: WRAPPED },
  ],
  nonce: NONCE,
  ciphertext: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]),
};
const envelopeJson = {
  version: 1,
  suite: 1,
  recipients: [
    { address: A, key_epoch: 2, enc: B64_KEY1, wrapped_key: B64_WRAPPED },
    { address: B, key_epoch: 1, enc: B64_KEY2, wrapped_key: B64_WRAPPED },
  ],
  nonce: B64_NONCE,
  ciphertext: "//////8=",
};

const party = {
  owner: A,
  kind: 4,
  name: "Downstream DEX",
  contact: "security@dex.example",
  encryptionKey: KEY1,
  dependencies: [
    { kind: 1, name: "/cosmos.bank.v1beta1.MsgSend", versions: "" },
    { kind: 4, name: "pkg:npm/%40cosmjs/stargate", versions: "vers:semver/>=0.32.0|<0.33.0" },
    { kind: 3, name: "mempool/cpfp-carveout", versions: "" },
  ],
};
const partyJson = {
  owner: A,
  kind: 4,
  name: "Downstream DEX",
  contact: "security@dex.example",
  encryption_key: B64_KEY1,
  dependencies: [
    { kind: 1, name: "/cosmos.bank.v1beta1.MsgSend" },
    { kind: 4, name: "pkg:npm/%40cosmjs/stargate", versions: "vers:semver/>=0.32.0|<0.33.0" },
    { kind: 3, name: "mempool/cpfp-carveout" },
  ],
};

/** Per type URL: [generated-message value, its exact amino JSON]; several per message. */
const EXAMPLES: Record<string, Array<[Record<string, unknown>, Record<string, unknown>]>> = {
  [COORD_TYPE_URLS.registerParty]: [
    [party, partyJson],
    [{ owner: A, kind: 0, dependencies: [{ kind: 0, name: "", versions: "" }] }, { owner: A, dependencies: [{}] }],
  ],
  [COORD_TYPE_URLS.updateParty]: [
    [party, partyJson],
    [{ owner: A, encryptionKey: KEY2 }, { owner: A, encryption_key: B64_KEY2 }],
  ],
  [COORD_TYPE_URLS.withdrawParty]: [[{ owner: A }, { owner: A }]],
  [COORD_TYPE_URLS.openCase]: [
    [
      {
        member: A,
        level: 3,
        commitments: [
          { kind: 1, hash: HASH },
          { kind: 2, hash: KEY1 },
        ],
        deadlineTime: { seconds: 1735787045n, nanos: 500_000_000 },
      },
      {
        member: A,
        level: 3,
        commitments: [
          { kind: 1, hash: B64_HASH },
          { kind: 2, hash: B64_KEY1 },
        ],
        deadline_time: "2025-01-02T03:04:05.5Z",
      },
    ],
    [
      { member: A, level: 0, commitments: [{ kind: 5, hash: HASH }], deadlineHeight: 123456789012n },
      { member: A, commitments: [{ kind: 5, hash: B64_HASH }], deadline_height: "123456789012" },
    ],
    // A set zero timestamp is kept (it is on the wire), an unset one is omitted.
    [{ member: A, deadlineTime: { seconds: 0n, nanos: 0 } }, { member: A, deadline_time: "1970-01-01T00:00:00Z" }],
    [{ member: A, deadlineHeight: -5n }, { member: A, deadline_height: "-5" }],
    [
      { member: A, level: 2, readinessPlan: "v2.1-security" },
      { member: A, level: 2, readiness_plan: "v2.1-security" },
    ],
  ],
  [COORD_TYPE_URLS.joinCase]: [[{ member: B, caseId: 7n }, { member: B, case_id: "7" }]],
  [COORD_TYPE_URLS.setRevealGate]: [
    [
      { member: A, caseId: 3n, readinessPlan: "v2", reason: "wait for a patched majority" },
      { member: A, case_id: "3", readiness_plan: "v2", reason: "wait for a patched majority" },
    ],
    // Clearing: the empty plan is omitted.
    [{ member: A, caseId: 3n }, { member: A, case_id: "3" }],
  ],
  [COORD_TYPE_URLS.commit]: [
    [
      { member: A, caseId: 18446744073709551615n, kind: 4, hash: HASH },
      { member: A, case_id: "18446744073709551615", kind: 4, hash: B64_HASH },
    ],
  ],
  [COORD_TYPE_URLS.escalate]: [
    [
      { member: A, caseId: 1n, newLevel: 3, levelSalt: SALT, sealedLevel: 2, reason: "exploit seen in the wild" },
      { member: A, case_id: "1", new_level: 3, level_salt: B64_SALT, sealed_level: 2, reason: "exploit seen in the wild" },
    ],
    [{ member: A, caseId: 1n, newLevel: 2 }, { member: A, case_id: "1", new_level: 2 }],
  ],
  [COORD_TYPE_URLS.proposeRevision]: [
    [
      { member: A, caseId: 2n, kind: 1, newDeadlineTime: { seconds: 1772323200n, nanos: 1000 }, reason: "patch needs a week" },
      { member: A, case_id: "2", kind: 1, new_deadline_time: "2026-03-01T00:00:00.000001Z", reason: "patch needs a week" },
    ],
    [
      { member: A, caseId: 2n, kind: 3, newDeadlineHeight: 9000n, newLevel: 1 },
      { member: A, case_id: "2", kind: 3, new_deadline_height: "9000", new_level: 1 },
    ],
  ],
  [COORD_TYPE_URLS.approveRevision]: [[{ member: B, caseId: 2n }, { member: B, case_id: "2" }]],
  [COORD_TYPE_URLS.sendNotice]: [
    [
      { member: A, caseId: 3n, notices: [{ recipient: B, kind: 1, envelope }, { recipient: A, kind: 3 }] },
      { member: A, case_id: "3", notices: [{ recipient: B, kind: 1, envelope: envelopeJson }, { recipient: A, kind: 3 }] },
    ],
    [
      { member: A, caseId: 3n, notices: [{ recipient: B, kind: 2, envelope: { version: 0, suite: 0, recipients: [], nonce: Buffer.alloc(0), ciphertext: Buffer.alloc(0) } }] },
      { member: A, case_id: "3", notices: [{ recipient: B, kind: 2, envelope: {} }] },
    ],
  ],
  [COORD_TYPE_URLS.submitInput]: [
    [{ sender: B, caseId: 0n, envelope }, { sender: B, envelope: envelopeJson }],
    [{ sender: B, caseId: 4n }, { sender: B, case_id: "4" }],
  ],
  [COORD_TYPE_URLS.acknowledge]: [[{ party: B, noticeId: 12n, envelopeHash: HASH }, { party: B, notice_id: "12", envelope_hash: B64_HASH }]],
  [COORD_TYPE_URLS.updateInvolvement]: [
    [{ party: B, caseId: 3n, status: 5, noteHash: HASH }, { party: B, case_id: "3", status: 5, note_hash: B64_HASH }],
    [{ party: B, caseId: 3n, status: 6 }, { party: B, case_id: "3", status: 6 }],
  ],
  [COORD_TYPE_URLS.reveal]: [
    [
      {
        member: A,
        caseId: 3n,
        items: [
          { kind: 1, salt: SALT, contentHash: HASH },
          { kind: 2, salt: SALT, content: Buffer.from("components") },
        ],
      },
      {
        member: A,
        case_id: "3",
        items: [
          { kind: 1, salt: B64_SALT, content_hash: B64_HASH },
          { kind: 2, salt: B64_SALT, content: "Y29tcG9uZW50cw==" },
        ],
      },
    ],
  ],
  [COORD_TYPE_URLS.closeCase]: [
    [
      {
        member: A,
        caseId: 3n,
        recordHash: HASH,
        summary: {
          activities: "notified 2 projects",
          responses: "1 acknowledged",
          lessonsLearned: "register earlier",
          fixDeploymentVerified: true,
          followUps: ["audit the mempool", "update docs"],
        },
      },
      {
        member: A,
        case_id: "3",
        record_hash: B64_HASH,
        summary: {
          activities: "notified 2 projects",
          responses: "1 acknowledged",
          lessons_learned: "register earlier",
          fix_deployment_verified: true,
          follow_ups: ["audit the mempool", "update docs"],
        },
      },
    ],
    [{ member: A, caseId: 3n, summary: {} }, { member: A, case_id: "3", summary: {} }],
  ],
  [COORD_TYPE_URLS.updateParams]: [
    [
      {
        authority: GOV,
        params: {
          enabled: true,
          levels: [
            { level: 1, embargoSeconds: 7776000n, contactLeadSeconds: 172800n, finalizeLeadSeconds: 86400n, revealWindowSeconds: 86400n, followUpSeconds: 86400n },
            { level: 2, embargoSeconds: 1209600n },
            { level: 3, embargoSeconds: 172800n },
          ],
          minEmbargoSeconds: 3600n,
          maxEmbargoSeconds: 31536000n,
          revisionQuorum: "500000000000000000",
          revisionTtlSeconds: 86400n,
          openCosigners: 1,
          partyDeposit: { denom: "udcert", amount: "1000000" },
          maxDependencies: 64,
          maxNoticeBytes: 65536,
          maxInputBytes: 65536,
          maxNoticesPerMsg: 32,
          maxNoticesPerCase: 1024,
          maxOpenCases: 16,
          maxAdvisoryBytes: 16384,
          nominalBlockSeconds: 6n,
          advisoryIdPrefix: "DCERT",
          disclosureCheckBatch: 500,
        },
      },
      {
        authority: GOV,
        params: {
          enabled: true,
          levels: [
            {
              level: 1,
              embargo_seconds: "7776000",
              contact_lead_seconds: "172800",
              finalize_lead_seconds: "86400",
              reveal_window_seconds: "86400",
              follow_up_seconds: "86400",
            },
            { level: 2, embargo_seconds: "1209600" },
            { level: 3, embargo_seconds: "172800" },
          ],
          min_embargo_seconds: "3600",
          max_embargo_seconds: "31536000",
          revision_quorum: "500000000000000000",
          revision_ttl_seconds: "86400",
          open_cosigners: 1,
          party_deposit: { denom: "udcert", amount: "1000000" },
          max_dependencies: 64,
          max_notice_bytes: 65536,
          max_input_bytes: 65536,
          max_notices_per_msg: 32,
          max_notices_per_case: 1024,
          max_open_cases: 16,
          max_advisory_bytes: 16384,
          nominal_block_seconds: "6",
          advisory_id_prefix: "DCERT",
          disclosure_check_batch: 500,
        },
      },
    ],
    [
      { authority: GOV, params: { partyDeposit: { denom: "", amount: "" } } },
      { authority: GOV, params: { party_deposit: { amount: "" } } },
    ],
    [{ authority: GOV }, { authority: GOV }],
  ],
};

const converters = createCoordAminoConverters();

function chainRegistry(): AminoRegistry {
  const registry = createDefaultAminoRegistry();
  for (const [typeUrl, codec] of coordTypes) {
    const c = converters[typeUrl];
    if (c === undefined) throw new Error(`no converter for ${typeUrl}`);
    registry.register(typeUrl, codec as Parameters<AminoRegistry["register"]>[1], c);
  }
  return registry;
}

describe("coord amino converters", () => {
  test("one converter per coord.v1 message, amino names coord/<Msg>, all distinct", () => {
    expect(Object.keys(converters).sort()).toEqual(coordTypes.map(([u]) => u).sort());
    expect(coordTypes).toHaveLength(17);
    for (const [typeUrl, c] of Object.entries(converters)) {
      expect(c.aminoType).toBe(`coord/${typeUrl.split(".").pop() ?? ""}`);
      expect(COORD_AMINO_TYPES[typeUrl as keyof typeof COORD_AMINO_TYPES]).toBe(c.aminoType);
    }
    expect(new Set(Object.values(converters).map((c) => c.aminoType)).size).toBe(17);
    // Every message has at least one fixed example below.
    expect(Object.keys(EXAMPLES).sort()).toEqual(coordTypes.map(([u]) => u).sort());
  });

  describe.each(Object.entries(EXAMPLES))("%s", (typeUrl, examples) => {
    const codec = codecOf(typeUrl);
    const c = converters[typeUrl]!;
    test.each(examples.map((e, i) => [i, e[0], e[1]] as const))("example %i: exact JSON and byte-exact round trip", (_i, value, json) => {
      const msg = codec.fromPartial(value as never);
      const bytes = codec.encode(msg).finish();
      // Decoded from the wire (as the chain sees it) and as built by the caller: same JSON.
      expect(c.toAmino(codec.decode(bytes))).toEqual(json);
      expect(c.toAmino(msg)).toEqual(json);
      const back = c.fromAmino(JSON.parse(JSON.stringify(json)));
      expect(Buffer.from(codec.encode(back).finish()).toString("hex")).toBe(Buffer.from(bytes).toString("hex"));
    });
    test("the empty message is {} and round trips", () => {
      const empty = codec.fromPartial({} as never);
      expect(c.toAmino(empty)).toEqual({});
      expect(codec.encode(c.fromAmino({})).finish()).toHaveLength(0);
    });
  });

  test("the chain's amino registry (coord converters registered with the router's codecs) gives the same view and inverts it", () => {
    const registry = chainRegistry();
    const aminoTypes = new AminoTypes(converters);
    for (const [typeUrl, examples] of Object.entries(EXAMPLES)) {
      const codec = codecOf(typeUrl);
      for (const [value, json] of examples) {
        const bytes = codec.encode(codec.fromPartial(value as never)).finish();
        const amino = registry.toAmino({ typeUrl, value: bytes });
        expect(amino).toEqual({ type: COORD_AMINO_TYPES[typeUrl as keyof typeof COORD_AMINO_TYPES], value: json });
        expect(aminoTypes.toAmino({ typeUrl, value: codec.decode(bytes) })).toEqual(amino);
        expect(Buffer.from(registry.fromAmino(amino).value).toString("hex")).toBe(Buffer.from(bytes).toString("hex"));
        expect(aminoTypes.fromAmino(amino).typeUrl).toBe(typeUrl);
      }
    }
  });

  test("fromAmino refuses malformed JSON with a message naming the field", () => {
    const c = (u: string) => converters[u]!;
    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      [COORD_TYPE_URLS.joinCase, { member: A, case_id: 7 }, /coord\/MsgJoinCase\.case_id: expected a uint64 decimal string/],
      [COORD_TYPE_URLS.joinCase, { member: A, case_id: "07" }, /case_id: expected a uint64 decimal string without leading zeros/],
      [COORD_TYPE_URLS.joinCase, { member: A, case_id: "18446744073709551616" }, /case_id: 18446744073709551616 is out of uint64 range/],
      [COORD_TYPE_URLS.joinCase, { member: A, case_id: "-1" }, /case_id: expected a uint64/],
      [COORD_TYPE_URLS.joinCase, { member: A, caseId: "7" }, /coord\/MsgJoinCase: unknown field "caseId"/],
      [COORD_TYPE_URLS.openCase, { deadline_height: "9223372036854775808" }, /deadline_height: 9223372036854775808 is out of int64 range/],
      [COORD_TYPE_URLS.openCase, { level: "3" }, /level: expected a uint32 number/],
      [COORD_TYPE_URLS.openCase, { level: 4294967296 }, /level: expected a uint32 number/],
      [COORD_TYPE_URLS.openCase, { deadline_time: "2025-02-29T00:00:00Z" }, /deadline_time: "2025-02-29T00:00:00Z" is not a valid time/],
      [COORD_TYPE_URLS.openCase, { deadline_time: "2025-01-02T03:04:05+01:00" }, /deadline_time: expected an RFC 3339 UTC time/],
      [COORD_TYPE_URLS.openCase, { deadline_time: "2025-01-02T03:04:60Z" }, /not a valid time/],
      [COORD_TYPE_URLS.openCase, { commitments: {} }, /commitments: expected an array/],
      [COORD_TYPE_URLS.openCase, { commitments: [{ kind: 1, hash: "not base64!" }] }, /commitments\[0\]\.hash: expected standard base64/],
      [COORD_TYPE_URLS.openCase, { commitments: [{ kind: 1, hash: "AQ" }] }, /commitments\[0\]\.hash: expected (canonical )?standard base64/],
      [COORD_TYPE_URLS.openCase, { commitments: [{ kind: 1.5 }] }, /commitments\[0\]\.kind: expected an enum number/],
      [COORD_TYPE_URLS.sendNotice, { notices: [{ envelope: { recipients: [{ key_epoch: -1 }] } }] }, /notices\[0\]\.envelope\.recipients\[0\]\.key_epoch/],
      [COORD_TYPE_URLS.sendNotice, { notices: [{ envelope: "x" }] }, /notices\[0\]\.envelope: expected an object/],
      [COORD_TYPE_URLS.closeCase, { summary: { fix_deployment_verified: "yes" } }, /summary\.fix_deployment_verified: expected a boolean/],
      [COORD_TYPE_URLS.updateParams, { params: { party_deposit: { amount: "1", extra: 1 } } }, /params\.party_deposit: unknown field "extra"/],
    ];
    for (const [typeUrl, json, message] of bad) expect(() => c(typeUrl).fromAmino(json)).toThrow(message);
  });

  test("toAmino refuses timestamps outside what Go can format (the chain then rejects the amino-signed tx)", () => {
    const open = converters[COORD_TYPE_URLS.openCase]!;
    expect(() => open.toAmino({ deadlineTime: { seconds: 253402300800n, nanos: 0 } })).toThrow(/outside 0001-01-01T00:00:00Z/);
    expect(() => open.toAmino({ deadlineTime: { seconds: 0n, nanos: 1_000_000_000 } })).toThrow(/nanos/);
    expect(() => open.toAmino({ deadlineTime: { seconds: 0n, nanos: -1 } })).toThrow(/nanos/);
  });
});

describe("RFC 3339 timestamps", () => {
  test.each([
    [0n, 0, "1970-01-01T00:00:00Z"],
    [-1n, 0, "1969-12-31T23:59:59Z"],
    [-62135596800n, 0, "0001-01-01T00:00:00Z"],
    [253402300799n, 999999999, "9999-12-31T23:59:59.999999999Z"],
    [951782400n, 0, "2000-02-29T00:00:00Z"],
    [1735787045n, 120000000, "2025-01-02T03:04:05.12Z"],
    [1735787045n, 1, "2025-01-02T03:04:05.000000001Z"],
    [-2208988800n, 500, "1900-01-01T00:00:00.0000005Z"],
  ])("%s s + %s ns is %s and parses back", (seconds, nanos, s) => {
    expect(timestampToRfc3339({ seconds, nanos })).toBe(s);
    expect(timestampFromRfc3339(s)).toEqual({ seconds, nanos });
  });

  test("agrees with Date for every millisecond instant it can represent", () => {
    for (const ms of [-62135596800000, -1, 0, 1, 86399999, 1735787045123, 4102444800000, 253402300799999]) {
      const seconds = BigInt(Math.floor(ms / 1000));
      const nanos = (((ms % 1000) + 1000) % 1000) * 1_000_000;
      const iso = new Date(ms).toISOString().replace(/\.?0*Z$/, "Z");
      expect(timestampToRfc3339({ seconds, nanos })).toBe(iso);
    }
  });

  test("a fraction with trailing zeros parses to the same instant", () => {
    expect(timestampFromRfc3339("2025-01-02T03:04:05.500Z")).toEqual({ seconds: 1735787045n, nanos: 500000000 });
  });
});
