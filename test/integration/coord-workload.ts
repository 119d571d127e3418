/**
 * A coordination workload on an in-process app, recorded block by block so another app can replay
 * the very same tx bytes (sealing is randomised, so txs are made once): two dCERT members with
 * party records, two downstream projects that depend on the bank MsgSend route (one by route, one by
 * module) and one that does not, a level-3 case with notices, an acknowledgement, sealed input to
 * the group and to the general inbox, a second open case, the reveal after T with its disclosure
 * check, and the closing record. Used by coord-queries.test.ts and coord-determinism.test.ts.
 */
import type { EncodeObject } from "@cosmjs/proto-signing";
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import {
  AffectedComponents,
  Advisory,
  CommitmentKind,
  type Component,
  ComponentKind,
  type Envelope,
  InvolvementStatus,
  NoticeKind,
  PartyKind,
} from "../../src/generated/coord/v1/types";
import { QueryGroupKeysRequest, QueryGroupKeysResponse, QueryNoticeRequest, QueryNoticeResponse } from "../../src/generated/coord/v1/query";
import { commitmentHash, encodeCommittedItem, encryptionPublicKey, sealEnvelope, sha256 } from "../../src/types/coord";
import { coordTypes, COORD_TYPE_URLS as U } from "../../src/types/coord/messages";
import { dcertTypes } from "../../src/types/messages";
import type { CommitStore } from "../../src/baseapp/store/types";
import { accountValoper } from "../../src/x/staking/keeper";
import { signDirect, testRegistry, TEST_CHAIN_ID } from "../helpers/txs";
import { type Account, dcertEnv, type DcertEnv, m, ONE } from "./dcert-harness";

export const coordRegistry = testRegistry([...dcertTypes, ...coordTypes]);

/** Account roles. */
export const R = { validator: 0, member1: 1, member2: 2, routeDep: 3, moduleDep: 4, unaffected: 5, reporter: 6, voter: 7 } as const;

export const BALANCES: readonly bigint[] = [100_000_000_000n, ...Array.from({ length: 7 }, () => 10_000_000_000n)];
export const DCERT_PARAMS = { stabilization_period: "0", max_members: 2 };

/** The X25519 secret of account i's party (fixed, so tests can open what was sealed to it). */
export const secretOf = (i: number): Uint8Array => new Uint8Array(32).fill(0x40 + i);
export const keyOf = (i: number): Uint8Array => encryptionPublicKey(secretOf(i));

export const SEND: Component = { kind: ComponentKind.COMPONENT_KIND_ROUTE, name: "/cosmos.bank.v1beta1.MsgSend", versions: "" };
export const BANK: Component = { kind: ComponentKind.COMPONENT_KIND_MODULE, name: "bank", versions: "" };
export const TAG: Component = { kind: ComponentKind.COMPONENT_KIND_TAG, name: "mempool/cpfp-carveout", versions: "" };

export const REPORT = new TextEncoder().encode("MsgSend lets a negative amount through");
export const ADVISORY: Advisory = {
  title: "Bank MsgSend accepts a negative amount",
  summary: "A crafted MsgSend mints coins.",
  details: "",
  impact: "inflation",
  affectedVersions: "< 1.0.1",
  fix: "upgrade",
  recommendations: "upgrade now",
  references: [],
  credits: ["a bug hunter"],
  severity: "",
  aliases: [],
};
const SALT = (k: number): Uint8Array => new Uint8Array(32).fill(k);

export interface RecordedBlock {
  readonly txs: Uint8Array[];
  readonly seconds: bigint | undefined;
  /** The app hash the block gave (hex). */
  readonly appHash: string;
}

/** A DcertEnv that signs coordination messages too and records every block it runs. */
export class CoordEnv {
  readonly recorded: RecordedBlock[] = [];
  private readonly seq = new Map<string, bigint>();

  constructor(readonly e: DcertEnv) {}

  addr(i: number): string {
    return this.e.addr(i);
  }

  async sign(signer: Account, msgs: readonly EncodeObject[]): Promise<Uint8Array> {
    const acc = this.e.app.auth.getAccount(this.e.ctx(), signer.address);
    if (acc === undefined) throw new Error(`account ${signer.address} does not exist`);
    const sequence = this.seq.get(signer.address) ?? acc.sequence;
    this.seq.set(signer.address, sequence + 1n);
    return signDirect(signer.direct, { msgs, fee: { amount: [], gas: "5000000" }, chainId: TEST_CHAIN_ID, accountNumber: acc.accountNumber, sequence, registry: coordRegistry });
  }

  block(txs: Uint8Array[] = [], seconds?: bigint): ExecTxResult[] {
    this.seq.clear();
    const res = this.e.block(txs, seconds);
    this.recorded.push({ txs, seconds, appHash: Buffer.from(res.appHash).toString("hex") });
    return res.txResults;
  }

  /** One tx from account `i` in its own block; throws with the log unless it succeeded. */
  async ok(i: number, msgs: readonly EncodeObject[], seconds?: bigint): Promise<ExecTxResult> {
    const [r] = this.block([await this.sign(this.e.acct(i), msgs)], seconds);
    if (r === undefined || r.code !== 0) throw new Error(`tx failed (${r?.codespace}:${r?.code}): ${r?.log}`);
    return r;
  }

  query<Req, Res>(method: string, reqCodec: { encode(m: Req): { finish(): Uint8Array } }, req: Req, resCodec: { decode(b: Uint8Array): Res }): Res {
    const r = this.e.app.query({ path: `/coord.v1.Query/${method}`, data: reqCodec.encode(req).finish(), height: 0n, prove: false });
    if (r.code !== 0) throw new Error(`query ${method} failed (${r.codespace}:${r.code}): ${r.log}`);
    return resCodec.decode(r.value);
  }
}

const register = (owner: string, i: number, kind: PartyKind, dependencies: Component[]): EncodeObject => ({
  typeUrl: U.registerParty,
  value: { owner, kind, name: `party ${i}`, contact: `sec${i}@example.org`, encryptionKey: keyOf(i), dependencies },
});

function commitments(salt0: number, components: Component[]): { kind: CommitmentKind; hash: Uint8Array; content: Uint8Array; salt: Uint8Array }[] {
  const items: [CommitmentKind, Uint8Array][] = [
    [CommitmentKind.COMMITMENT_KIND_REPORT, REPORT],
    [CommitmentKind.COMMITMENT_KIND_COMPONENTS, encodeCommittedItem(CommitmentKind.COMMITMENT_KIND_COMPONENTS, AffectedComponents.fromPartial({ components }))],
    [CommitmentKind.COMMITMENT_KIND_ADVISORY, encodeCommittedItem(CommitmentKind.COMMITMENT_KIND_ADVISORY, ADVISORY)],
  ];
  return items.map(([kind, content]) => {
    const salt = SALT(salt0 + kind);
    return { kind, content, salt, hash: commitmentHash(TEST_CHAIN_ID, kind, salt, sha256(content)) };
  });
}

async function notice(caseId: bigint, recipient: string, i: number): Promise<{ recipient: string; kind: NoticeKind; envelope: Envelope }> {
  const envelope = await sealEnvelope(new TextEncoder().encode(`private notice for party ${i}`), [{ address: recipient, keyEpoch: 1, publicKey: keyOf(i) }], {
    chainId: TEST_CHAIN_ID,
    caseId,
    purpose: "notice",
  });
  return { recipient, kind: NoticeKind.NOTICE_KIND_DISCLOSURE, envelope };
}

/** Sealed input to every key GroupKeys lists (what a bug hunter's client does). */
async function groupInput(c: CoordEnv, caseId: bigint, text: string): Promise<Envelope> {
  const g = c.query("GroupKeys", QueryGroupKeysRequest, {}, QueryGroupKeysResponse);
  const recipients = g.keys.map((k) => ({ address: k.address, keyEpoch: k.keyEpoch, publicKey: k.encryptionKey }));
  return sealEnvelope(new TextEncoder().encode(text), recipients, { chainId: TEST_CHAIN_ID, caseId, purpose: "input" });
}

export interface Workload {
  readonly c: CoordEnv;
  /**
   * Case 1 is disclosed and closed (notices 1 and 3 to routeDep, 2 to moduleDep; inputs 1 and 2),
   * case 2 is open, case 3 is disclosed with the unaffected party's tag missed.
   */
  readonly caseIds: { closed: bigint; open: bigint; disclosed: bigint };
}

/** Runs the whole workload on a fresh chain (optionally on `store`). */
export async function coordWorkload(store?: CommitStore): Promise<Workload> {
  const e = await dcertEnv({ balances: BALANCES, params: DCERT_PARAMS, ...(store === undefined ? {} : { store }) });
  const c = new CoordEnv(e);
  const a = (i: number): string => c.addr(i);
  const val = accountValoper(a(R.validator));

  // Two members.
  c.block([
    await c.sign(e.acct(R.member1), [m.bond(a(R.member1), a(R.member1), 1_000_000n), m.accept(a(R.member1))]),
    await c.sign(e.acct(R.member2), [m.bond(a(R.member2), a(R.member2), 1_000_000n), m.accept(a(R.member2))]),
    await c.sign(e.acct(R.voter), [m.delegate(a(R.voter), val, 10_000_000n), m.vote(a(R.voter), [[a(R.member1), ONE / 2n], [a(R.member2), ONE / 2n]])]),
  ]);

  // Parties: the members, two affected downstream projects, one unaffected.
  c.block([
    await c.sign(e.acct(R.member1), [register(a(R.member1), R.member1, PartyKind.PARTY_KIND_CORE_DEVELOPER, [])]),
    await c.sign(e.acct(R.member2), [register(a(R.member2), R.member2, PartyKind.PARTY_KIND_CORE_DEVELOPER, [])]),
    await c.sign(e.acct(R.routeDep), [register(a(R.routeDep), R.routeDep, PartyKind.PARTY_KIND_DOWNSTREAM_PROJECT, [SEND])]),
    await c.sign(e.acct(R.moduleDep), [register(a(R.moduleDep), R.moduleDep, PartyKind.PARTY_KIND_EXCHANGE_OR_SERVICE, [BANK])]),
    await c.sign(e.acct(R.unaffected), [register(a(R.unaffected), R.unaffected, PartyKind.PARTY_KIND_VALIDATOR, [TAG])]),
  ]);

  // Case 1 (level 3): notices to both affected parties; one acknowledges; input to the group.
  const items1 = commitments(0, [SEND]);
  await c.ok(R.member1, [{ typeUrl: U.openCase, value: { member: a(R.member1), level: 3, commitments: items1.map(({ kind, hash }) => ({ kind, hash })) } }]);
  await c.ok(R.member1, [
    { typeUrl: U.sendNotice, value: { member: a(R.member1), caseId: 1n, notices: [await notice(1n, a(R.routeDep), R.routeDep), await notice(1n, a(R.moduleDep), R.moduleDep)] } },
  ]);
  const n1 = await notice(1n, a(R.routeDep), R.routeDep); // a later UPDATE to the same party
  await c.ok(R.member2, [{ typeUrl: U.sendNotice, value: { member: a(R.member2), caseId: 1n, notices: [{ ...n1, kind: NoticeKind.NOTICE_KIND_UPDATE }] } }]);
  const hash1 = c.query("Notice", QueryNoticeRequest, { noticeId: 1n }, QueryNoticeResponse).notice?.envelopeHash ?? new Uint8Array();
  await c.ok(R.routeDep, [{ typeUrl: U.acknowledge, value: { party: a(R.routeDep), noticeId: 1n, envelopeHash: hash1 } }], 30n);
  await c.ok(R.routeDep, [{ typeUrl: U.updateInvolvement, value: { party: a(R.routeDep), caseId: 1n, status: InvolvementStatus.INVOLVEMENT_STATUS_IN_PROGRESS, noteHash: sha256(REPORT) } }]);
  await c.ok(R.reporter, [{ typeUrl: U.submitInput, value: { sender: a(R.reporter), caseId: 1n, envelope: await groupInput(c, 1n, "I can reproduce it on 0.9 too") } }]);
  await c.ok(R.reporter, [{ typeUrl: U.submitInput, value: { sender: a(R.reporter), caseId: 0n, envelope: await groupInput(c, 0n, "general: is anyone looking at gov?") } }]);

  // Case 2 (level 1) stays open.
  const items2 = commitments(10, [TAG]);
  await c.ok(R.member2, [{ typeUrl: U.openCase, value: { member: a(R.member2), level: 1, commitments: items2.map(({ kind, hash }) => ({ kind, hash })) } }]);

  // Case 3 (level 3) affects the tag of a party nobody notifies: its disclosure check lists it as missed.
  const items3 = commitments(20, [TAG]);
  await c.ok(R.member2, [{ typeUrl: U.openCase, value: { member: a(R.member2), level: 3, commitments: items3.map(({ kind, hash }) => ({ kind, hash })) } }]);

  // After T of cases 1 and 3 (12 h): reveal everything; case 1 closes with its record, case 3 stays disclosed.
  c.block([], 12n * 3600n);
  const reveal = (member: number, caseId: bigint, items: typeof items1): EncodeObject => ({
    typeUrl: U.reveal,
    value: { member: a(member), caseId, items: items.map(({ kind, salt, content }) => ({ kind, salt, content, contentHash: new Uint8Array() })) },
  });
  await c.ok(R.member1, [reveal(R.member1, 1n, items1)]);
  // The report of case 3 is revealed by its hash only (the group chose not to publish it).
  const byHash = items3.map((x) => (x.kind === CommitmentKind.COMMITMENT_KIND_REPORT ? { kind: x.kind, salt: x.salt, content: new Uint8Array(), contentHash: sha256(x.content) } : { ...x, contentHash: new Uint8Array() }));
  await c.ok(R.member2, [{ typeUrl: U.reveal, value: { member: a(R.member2), caseId: 3n, items: byHash.map(({ kind, salt, content, contentHash }) => ({ kind, salt, content, contentHash })) } }]);
  await c.ok(R.member1, [
    {
      typeUrl: U.closeCase,
      value: {
        member: a(R.member1),
        caseId: 1n,
        recordHash: sha256(new TextEncoder().encode("full record")),
        summary: { activities: "notified two projects", responses: "one acknowledged", lessonsLearned: "index modules", fixDeploymentVerified: true, followUps: ["audit bank"] },
      },
    },
  ]);
  c.block();
  return { c, caseIds: { closed: 1n, open: 2n, disclosed: 3n } };
}
