/**
 * The client's coordination support without a chain: the registry and amino types know every
 * coord.v1 message, the builders make complete messages whose amino view the chain's registry
 * shares (a circuit break citing a case included), offline-signed coord txs pass the chain's own signature verifier in both sign modes,
 * setupCoordExtension sends each query to its ABCI path with its request fields, and the id-cursor
 * helpers page through Notices and Inputs.
 */
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet, type EncodeObject } from "@cosmjs/proto-signing";
import type { QueryClient } from "@cosmjs/stargate";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { decodeTx } from "../../../src/baseapp/tx/decode";
import { SIGN_MODE_DIRECT, SIGN_MODE_LEGACY_AMINO_JSON } from "../../../src/baseapp/tx/sigmodes";
import { verifyTxSignature } from "../../../src/baseapp/tx/verify";
import {
  COORD_AMINO_TYPES,
  COORD_TYPE_URLS,
  DcertQueries,
  SigningDcertClient,
  buildCircuitBreak,
  buildSubmitProposal,
  coord,
  coordTypes,
  createCoordAminoConverters,
  createDcertAminoRegistry,
  createDcertAminoTypes,
  createDcertClientAminoConverters,
  createDcertRegistry,
  dcertRegistryTypes,
  govAuthority,
  setupCoordExtension,
  type DcertQueryClient,
} from "../../../src/client";
import * as q from "../../../src/generated/coord/v1/query";
import { Envelope } from "../../../src/generated/coord/v1/types";

const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const A = "dcert1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";
const B = "dcert1yy3zxfp9ycnjs2f29vkz6t30xqcnyve5j4ep6w";
const HASH = new Uint8Array(32).fill(0xab);
const SALT = new Uint8Array(32).fill(3);

const envelope = Envelope.fromPartial({
  version: 1,
  suite: 1,
  recipients: [{ address: B, keyEpoch: 1, enc: Buffer.alloc(32, 1), wrappedKey: Buffer.alloc(48, 2) }],
  nonce: Buffer.alloc(24, 7),
  ciphertext: Buffer.from("sealed"),
});

/** One built message per coord.v1 message type. */
function everyMessage(me: string): EncodeObject[] {
  return [
    coord.buildRegisterParty({
      owner: me,
      kind: coord.PartyKind.PARTY_KIND_DOWNSTREAM_PROJECT,
      name: "DEX",
      encryptionKey: new Uint8Array(32).fill(1),
      dependencies: [{ kind: coord.ComponentKind.COMPONENT_KIND_ROUTE, name: "/cosmos.bank.v1beta1.MsgSend", versions: "" }],
    }),
    coord.buildUpdateParty({ owner: me, kind: coord.PartyKind.PARTY_KIND_VALIDATOR, name: "val", contact: "ops@val.example", encryptionKey: new Uint8Array(32).fill(2) }),
    coord.buildWithdrawParty(me),
    coord.buildOpenCase({
      member: me,
      level: 3,
      commitments: [
        { kind: coord.CommitmentKind.COMMITMENT_KIND_REPORT, hash: HASH },
        { kind: coord.CommitmentKind.COMMITMENT_KIND_COMPONENTS, hash: HASH },
        { kind: coord.CommitmentKind.COMMITMENT_KIND_ADVISORY, hash: HASH },
      ],
      deadline: new Date("2025-06-01T12:00:00.250Z"),
      readinessPlan: "v2.1-security",
    }),
    coord.buildSetRevealGate({ member: me, caseId: 1n, readinessPlan: "v2", reason: "wait for patched majority" }),
    coord.buildJoinCase(me, 1n),
    coord.buildCommit({ member: me, caseId: "1", kind: coord.CommitmentKind.COMMITMENT_KIND_FIX, hash: HASH }),
    coord.buildEscalate({ member: me, caseId: 1, newLevel: 3, reason: "exploited", levelSalt: SALT, sealedLevel: 2 }),
    coord.buildProposeRevision({ member: me, caseId: 1n, kind: coord.RevisionKind.REVISION_KIND_EXTEND, newDeadline: { height: 5000 }, reason: "patch" }),
    coord.buildApproveRevision(me, 1n),
    coord.buildSendNotice({ member: me, caseId: 1n, notices: [{ recipient: B, kind: coord.NoticeKind.NOTICE_KIND_DISCLOSURE, envelope }] }),
    coord.buildSubmitInput({ sender: me, envelope }),
    coord.buildAcknowledge({ party: me, noticeId: 4n, envelopeHash: HASH }),
    coord.buildUpdateInvolvement({ party: me, caseId: 1n, status: coord.InvolvementStatus.INVOLVEMENT_STATUS_IN_PROGRESS }),
    coord.buildReveal({
      member: me,
      caseId: 1n,
      items: [
        { kind: coord.CommitmentKind.COMMITMENT_KIND_REPORT, salt: SALT, contentHash: HASH },
        { kind: coord.CommitmentKind.COMMITMENT_KIND_COMPONENTS, salt: SALT, content: new Uint8Array([10, 2, 8, 1]) },
      ],
    }),
    coord.buildCloseCase({ member: me, caseId: 1n, recordHash: HASH, summary: { activities: "notified", fixDeploymentVerified: true, followUps: ["docs"] } }),
    coord.buildUpdateParams({ params: coord.txTypes.MsgUpdateParams.fromPartial({ params: { enabled: true, revisionQuorum: "500000000000000000" } }).params! }),
  ];
}

describe("registry and amino types", () => {
  test("the client registry decodes every coord type URL with the generated codec", () => {
    const registry = createDcertRegistry();
    for (const [typeUrl, codec] of coordTypes) {
      expect(registry.lookupType(typeUrl)).toBe(codec);
      expect(dcertRegistryTypes.some(([u]) => u === typeUrl)).toBe(true);
    }
    expect(coordTypes).toHaveLength(17);
    expect(new Set(coordTypes.map(([u]) => u))).toEqual(new Set(Object.values(COORD_TYPE_URLS)));
  });

  test("the client's amino types and the chain-shaped amino registry know every converter's amino type", () => {
    const converters = createDcertClientAminoConverters();
    const chain = createDcertAminoRegistry();
    for (const [typeUrl, c] of Object.entries(createCoordAminoConverters())) {
      expect(converters[typeUrl]?.aminoType).toBe(c.aminoType);
      expect(chain.has(typeUrl)).toBe(true);
    }
    const aminoTypes = createDcertAminoTypes();
    const msgs = everyMessage(A);
    expect(new Set(msgs.map((m) => m.typeUrl))).toEqual(new Set(Object.values(COORD_TYPE_URLS)));
    for (const m of msgs) expect(aminoTypes.toAmino(m).type).toBe(COORD_AMINO_TYPES[m.typeUrl as keyof typeof COORD_AMINO_TYPES]);
  });

  test("every built message: the chain's amino view equals the client's and converts back to the same bytes", () => {
    const registry = createDcertRegistry();
    const aminoTypes = createDcertAminoTypes();
    const chain = createDcertAminoRegistry();
    for (const m of everyMessage(A)) {
      const any = registry.encodeAsAny(m);
      const amino = aminoTypes.toAmino(m);
      expect(chain.toAmino(any)).toEqual(amino);
      const back = aminoTypes.fromAmino(amino);
      expect(back.typeUrl).toBe(m.typeUrl);
      expect(Buffer.from(registry.encodeAsAny(back).value).toString("hex")).toBe(Buffer.from(any.value).toString("hex"));
    }
  });

  test("a gov v1 proposal may carry the coord MsgUpdateParams (default authority: the gov account)", () => {
    const registry = createDcertRegistry();
    const update = coord.buildUpdateParams({ params: coord.txTypes.MsgUpdateParams.fromPartial({ params: { enabled: false } }).params! });
    expect(update.value.authority).toBe(govAuthority());
    const proposal = buildSubmitProposal({ proposer: A, messages: [update], initialDeposit: [], title: "t", summary: "s" }, registry);
    const amino = createDcertAminoTypes().toAmino(proposal);
    expect((amino.value as { messages: Array<{ type: string; value: unknown }> }).messages).toEqual([
      { type: "coord/MsgUpdateParams", value: { authority: govAuthority(), params: {} } },
    ]);
    expect(createDcertAminoRegistry().toAmino(registry.encodeAsAny(proposal))).toEqual(amino);
  });
});

describe("a circuit break citing a case (dcert.v1.MsgCircuitBreak.case_id)", () => {
  test("the amino JSON carries case_id when set, omits it at 0, and both convert back to the same bytes", () => {
    const registry = createDcertRegistry();
    const aminoTypes = createDcertAminoTypes();
    const chain = createDcertAminoRegistry();
    const cited = buildCircuitBreak(A, ["/cosmos.bank.v1beta1.MsgSend"], "mitigates case 7", 7n);
    const plain = buildCircuitBreak(A, ["/cosmos.bank.v1beta1.MsgSend"], "exploit");
    expect(aminoTypes.toAmino(cited).value).toEqual({ member: A, routes: ["/cosmos.bank.v1beta1.MsgSend"], reason: "mitigates case 7", case_id: "7" });
    expect(aminoTypes.toAmino(plain).value).toEqual({ member: A, routes: ["/cosmos.bank.v1beta1.MsgSend"], reason: "exploit" });
    for (const m of [cited, plain]) {
      const any = registry.encodeAsAny(m);
      expect(chain.toAmino(any)).toEqual(aminoTypes.toAmino(m));
      expect(Buffer.from(registry.encodeAsAny(aminoTypes.fromAmino(aminoTypes.toAmino(m))).value).toString("hex")).toBe(Buffer.from(any.value).toString("hex"));
    }
  });
});

describe("builders", () => {
  test("deadlines: a Date becomes a Timestamp, a height an int64, none leaves both unset", () => {
    const byTime = coord.buildOpenCase({ member: A, level: 1, commitments: [], deadline: new Date("1969-12-31T23:59:59.750Z") });
    expect(byTime.value.deadlineTime).toEqual({ seconds: -1n, nanos: 750_000_000 });
    expect(byTime.value.deadlineHeight).toBe(0n);
    const byHeight = coord.buildOpenCase({ member: A, level: 1, commitments: [], deadline: { height: 77 } });
    expect(byHeight.value.deadlineTime).toBeUndefined();
    expect(byHeight.value.deadlineHeight).toBe(77n);
    const byTimestamp = coord.buildProposeRevision({ member: A, caseId: 2n, kind: coord.RevisionKind.REVISION_KIND_SHORTEN, newDeadline: { seconds: 10n, nanos: 5 } });
    expect(byTimestamp.value.newDeadlineTime).toEqual({ seconds: 10n, nanos: 5 });
    const none = coord.buildOpenCase({ member: A, level: 2, commitments: [] });
    expect(none.value.deadlineTime).toBeUndefined();
    expect(none.value.deadlineHeight).toBe(0n);
    expect(() => coord.buildOpenCase({ member: A, level: 1, commitments: [], deadline: { height: 0 } })).toThrow(/invalid height 0/);
    expect(() => coord.buildOpenCase({ member: A, level: 1, commitments: [], deadline: new Date(Number.NaN) })).toThrow(/not a valid time/);
  });

  test("ids accept bigint, safe integers and decimal strings, and refuse anything else", () => {
    expect(coord.buildJoinCase(A, "18446744073709551615").value.caseId).toBe(18446744073709551615n);
    expect(coord.buildJoinCase(A, 5).value.caseId).toBe(5n);
    expect(() => coord.buildJoinCase(A, -1)).toThrow(/invalid case id -1/);
    expect(() => coord.buildJoinCase(A, "18446744073709551616")).toThrow(/invalid case id/);
    expect(() => coord.buildJoinCase(A, 1.5)).toThrow(/invalid case id/);
    expect(() => coord.buildAcknowledge({ party: A, noticeId: "0x1", envelopeHash: HASH })).toThrow(/invalid notice id/);
  });

  test("byte fields are copied into plain Uint8Arrays (the caller's array may be reused; no Buffer in a browser)", () => {
    const hash = new Uint8Array(32).fill(9);
    const m = coord.buildAcknowledge({ party: A, noticeId: 1n, envelopeHash: hash });
    hash.fill(0);
    expect(Object.getPrototypeOf(m.value.envelopeHash)).toBe(Uint8Array.prototype);
    expect([...(m.value.envelopeHash ?? [])]).toEqual(new Array(32).fill(9));
  });
});

describe("offline signing of coord messages is verified by the chain's own verifier", () => {
  const chainId = "dcert-offline-1";
  const fee = { amount: [{ denom: "udcert", amount: "5000" }], gas: "300000" };

  test.each(["direct", "amino"] as const)("one tx with every coord message (%s)", async (mode) => {
    const wallet =
      mode === "direct" ? await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "dcert" }) : await Secp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "dcert" });
    const [acc] = await wallet.getAccounts();
    const client = await SigningDcertClient.offline(wallet);
    const msgs = everyMessage(acc!.address);
    const raw = await client.sign(acc!.address, msgs, fee, "", { accountNumber: 12n, sequence: 3, chainId });
    const tx = decodeTx(TxRaw.encode(raw).finish());
    expect(tx.signers[0]?.signMode).toBe(mode === "direct" ? SIGN_MODE_DIRECT : SIGN_MODE_LEGACY_AMINO_JSON);
    expect(tx.body.messages.map((m) => m.typeUrl)).toEqual(msgs.map((m) => m.typeUrl));
    expect(verifyTxSignature(tx, 0, { chainId, accountNumber: 12n, pubkey: acc!.pubkey }, createDcertAminoRegistry())).toBe(true);
    expect(verifyTxSignature(tx, 0, { chainId: "other-chain", accountNumber: 12n, pubkey: acc!.pubkey }, createDcertAminoRegistry())).toBe(false);
  });

  test("an offline client has no coord queries", async () => {
    const client = await SigningDcertClient.offline(await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "dcert" }));
    expect(() => client.coord).toThrow(/offline/);
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

describe("setupCoordExtension", () => {
  test("each query goes to /coord.v1.Query/<Method> with its request fields, and its answer is decoded", async () => {
    const { client, calls } = fakeQueryClient((p) => {
      if (p === "/coord.v1.Query/Case") return q.QueryCaseResponse.encode(q.QueryCaseResponse.fromPartial({ case: { id: 1n, opener: A, level: 3 } })).finish();
      if (p === "/coord.v1.Query/Party") return q.QueryPartyResponse.encode(q.QueryPartyResponse.fromPartial({ party: { address: B, name: "DEX" } })).finish();
      if (p === "/coord.v1.Query/Notices") return q.QueryNoticesResponse.encode(q.QueryNoticesResponse.fromPartial({ notices: [{ id: 9n, recipient: B }], nextAfterId: 9n })).finish();
      return new Uint8Array();
    });
    const ext = setupCoordExtension(client).coord;
    const component = { kind: coord.ComponentKind.COMPONENT_KIND_PACKAGE, name: "pkg:npm/%40cosmjs/stargate", versions: "vers:semver/<0.33.0" };

    const c = await ext.case(1n);
    expect(c.case).toMatchObject({ id: 1n, opener: A, level: 3 });
    expect((await ext.party(B)).party).toMatchObject({ address: B, name: "DEX" });
    expect((await ext.notices({ recipient: B, afterId: "3", omitEnvelope: true, limit: 10 })).notices.map((n) => n.id)).toEqual([9n]);
    await ext.params();
    await ext.parties({ kind: coord.PartyKind.PARTY_KIND_VALIDATOR, includeWithdrawn: true }, new Uint8Array([4, 5]));
    await ext.match([component]);
    await ext.groupKeys();
    await ext.cases(coord.CaseStatus.CASE_STATUS_OVERDUE);
    await ext.timeline("2", new Uint8Array([1]));
    await ext.notice(7);
    await ext.inputs({ caseId: 2n, sender: A });
    await ext.involvements(3n);
    await ext.disclosure(4n);
    await ext.metrics(2);
    await ext.inputs({ recipient: A });

    expect(calls.map((x) => x.path)).toEqual([
      "/coord.v1.Query/Case",
      "/coord.v1.Query/Party",
      "/coord.v1.Query/Notices",
      "/coord.v1.Query/Params",
      "/coord.v1.Query/Parties",
      "/coord.v1.Query/Match",
      "/coord.v1.Query/GroupKeys",
      "/coord.v1.Query/Cases",
      "/coord.v1.Query/Timeline",
      "/coord.v1.Query/Notice",
      "/coord.v1.Query/Inputs",
      "/coord.v1.Query/Involvements",
      "/coord.v1.Query/Disclosure",
      "/coord.v1.Query/Metrics",
      "/coord.v1.Query/Inputs",
    ]);
    const data = (i: number) => calls[i]!.data;
    expect(q.QueryCaseRequest.decode(data(0))).toEqual({ caseId: 1n });
    expect(q.QueryPartyRequest.decode(data(1))).toEqual({ address: B });
    expect(q.QueryNoticesRequest.decode(data(2))).toEqual({ recipient: B, caseId: 0n, afterId: 3n, omitEnvelope: true, limit: 10 });
    const parties = q.QueryPartiesRequest.decode(data(4));
    expect([parties.kind, parties.includeWithdrawn, [...(parties.pagination?.key ?? [])]]).toEqual([1, true, [4, 5]]);
    const match = q.QueryMatchRequest.decode(data(5));
    expect(match.components).toEqual([component]);
    expect(match.pagination).toBeUndefined();
    expect(q.QueryCasesRequest.decode(data(7)).status).toBe(2);
    const timeline = q.QueryTimelineRequest.decode(data(8));
    expect([timeline.caseId, [...(timeline.pagination?.key ?? [])]]).toEqual([2n, [1]]);
    expect(q.QueryNoticeRequest.decode(data(9))).toEqual({ noticeId: 7n });
    expect(q.QueryInputsRequest.decode(data(10))).toEqual({ caseId: 2n, sender: A, recipient: "", afterId: 0n, omitEnvelope: false, limit: 0 });
    expect(q.QueryInvolvementsRequest.decode(data(11)).caseId).toBe(3n);
    expect(q.QueryDisclosureRequest.decode(data(12))).toEqual({ caseId: 4n });
    expect(q.QueryMetricsRequest.decode(data(13))).toEqual({ level: 2 });
    expect(q.QueryInputsRequest.decode(data(14))).toEqual({ caseId: 0n, sender: "", recipient: A, afterId: 0n, omitEnvelope: false, limit: 0 });

    await expect(ext.case(-1)).rejects.toThrow(/invalid case id -1/);
    await expect(ext.metrics(1.5)).rejects.toThrow(/invalid level/);
    expect(calls).toHaveLength(15);
  });

  test("DcertQueries exposes the extension as `coord`", () => {
    const ext = setupCoordExtension(fakeQueryClient(() => new Uint8Array()).client);
    const queries = new DcertQueries(ext as unknown as DcertQueryClient, {} as CometClient);
    expect(queries.coord).toBe(ext.coord);
  });

  test("collectNotices and collectInputs follow next_after_id to the end and return the resume cursor", async () => {
    const noticePages = new Map<bigint, { ids: bigint[]; next: bigint }>([
      [5n, { ids: [6n, 8n], next: 8n }],
      [8n, { ids: [11n], next: 11n }],
      [11n, { ids: [], next: 0n }],
    ]);
    const { client, calls } = fakeQueryClient((p, d) => {
      if (p.endsWith("/Notices")) {
        const page = noticePages.get(q.QueryNoticesRequest.decode(d).afterId)!;
        return q.QueryNoticesResponse.encode(q.QueryNoticesResponse.fromPartial({ notices: page.ids.map((id) => ({ id })), nextAfterId: page.next })).finish();
      }
      return q.QueryInputsResponse.encode(q.QueryInputsResponse.fromPartial({ inputs: [], nextAfterId: 0n })).finish();
    });
    const ext = setupCoordExtension(client);
    const notices = await coord.collectNotices(ext, { recipient: B, afterId: 5n });
    expect(notices.items.map((n) => n.id)).toEqual([6n, 8n, 11n]);
    expect(notices.cursor).toBe(11n);
    expect(calls.map((c) => q.QueryNoticesRequest.decode(c.data))).toEqual([5n, 8n, 11n].map((afterId) => ({ recipient: B, caseId: 0n, afterId, omitEnvelope: false, limit: 0 })));
    const inputs = await coord.collectInputs(ext, { afterId: 4n });
    expect(inputs).toEqual({ items: [], cursor: 4n });

    const stuck = setupCoordExtension(
      fakeQueryClient(() => q.QueryNoticesResponse.encode(q.QueryNoticesResponse.fromPartial({ notices: [], nextAfterId: 2n })).finish()).client,
    );
    await expect(coord.collectNotices(stuck, { recipient: B, afterId: 2n })).rejects.toThrow(/did not advance/);
    const endless = setupCoordExtension(
      fakeQueryClient((_p, d) => {
        const after = q.QueryNoticesRequest.decode(d).afterId;
        return q.QueryNoticesResponse.encode(q.QueryNoticesResponse.fromPartial({ notices: [{ id: after + 1n }], nextAfterId: after + 1n })).finish();
      }).client,
    );
    await expect(coord.collectNotices(endless, { recipient: B }, 3)).rejects.toThrow(/more than 3 pages/);
  });
});
