/**
 * In-process coordination test environment on top of the dCERT harness: the full app, a seated
 * dCERT group, coord messages signed by CosmJS (direct), X25519 keys derived deterministically,
 * structurally valid envelopes (the chain never opens them), salted commitments and reveals.
 */
import { createHash } from "node:crypto";
import type { EncodeObject } from "@cosmjs/proto-signing";
import type { Event } from "cosmjs-types/tendermint/abci/types";
import { keepersOf } from "../../src/app/wiring";
import type { Context } from "../../src/baseapp/context";
import type { Params } from "../../src/generated/coord/v1/params";
import { coordParamsToJson, defaultCoordGenesisJson } from "../../src/x/coord/genesis";
import {
  AffectedComponents,
  Advisory,
  type Case,
  CommitmentKind,
  type Component,
  ComponentKind,
  type Envelope,
  FixRef,
  NoticeKind,
  PartyKind,
  RevisionKind,
  SealedLevel,
} from "../../src/generated/coord/v1/types";
import { COORD_TYPE_URLS, coordTypes } from "../../src/types/coord/messages";
import { dcertTypes } from "../../src/types/messages";
import { commitmentHash, encodeCommittedItem, encryptionPublicKey, sha256 } from "../../src/types/coord";
import type { CoordKeeper } from "../../src/x/coord/keeper/keeper";
import { defaultCoordParams } from "../../src/x/coord/keeper/params";
import { accountValoper } from "../../src/x/staking/keeper";
import { signDirect, testRegistry, TEST_CHAIN_ID } from "../helpers/txs";
import { type Account, DcertEnv, dcertEnv, m as dm, ONE } from "./dcert-harness";

export { ONE };
export const CHAIN_ID = TEST_CHAIN_ID;
export const coordRegistry = testRegistry([...dcertTypes, ...coordTypes]);

/** A deterministic X25519 key pair for test party `i`. */
export function encKey(i: number): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const secretKey = new Uint8Array(createHash("sha256").update(`coord-test-key-${i}`).digest());
  return { secretKey, publicKey: encryptionPublicKey(secretKey) };
}

/** A structurally valid envelope (random-looking bytes; the chain checks structure only). */
export function fakeEnvelope(recipients: readonly { address: string; keyEpoch: number }[], bodyBytes = 64, seed = "x"): Envelope {
  const bytes = (n: number, tag: string) => Buffer.from(Array.from({ length: n }, (_, j) => createHash("sha256").update(`${seed}/${tag}/${j >> 5}`).digest()[j % 32] ?? 0));
  return {
    version: 1,
    suite: 1,
    recipients: [...recipients]
      .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
      .map((r) => ({ address: r.address, keyEpoch: r.keyEpoch, enc: bytes(32, `enc-${r.address}`), wrappedKey: bytes(48, `wk-${r.address}`) })),
    nonce: bytes(24, "nonce"),
    ciphertext: bytes(bodyBytes + 16, "ct"),
  };
}

/** A case's committed items with their salts. */
export interface CaseItems {
  readonly report: Uint8Array;
  readonly components: AffectedComponents;
  readonly advisory: Advisory;
  readonly fix?: FixRef;
  readonly level?: number;
  readonly salts: Record<number, Uint8Array>;
}

export function salt(tag: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(`salt-${tag}`).digest());
}

export const ROUTE_SEND: Component = { kind: ComponentKind.COMPONENT_KIND_ROUTE, name: "/cosmos.bank.v1beta1.MsgSend", versions: "" };
export const TAG_CPFP: Component = { kind: ComponentKind.COMPONENT_KIND_TAG, name: "mempool/cpfp-carveout", versions: "" };

export function items(tag: string, opts: { components?: Component[]; fix?: boolean; level?: number } = {}): CaseItems {
  const advisory = Advisory.fromPartial({ title: `Advisory ${tag}`, summary: "A bug in MsgSend", impact: "funds", references: ["https://example.org"] });
  return {
    report: new TextEncoder().encode(`secret report ${tag}`),
    components: { components: opts.components ?? [ROUTE_SEND] },
    advisory,
    ...(opts.fix === true ? { fix: FixRef.fromPartial({ description: "patch", repository: "https://example.org/r", commit: "abc" }) } : {}),
    ...(opts.level === undefined ? {} : { level: opts.level }),
    salts: Object.fromEntries([1, 2, 3, 4, 5].map((k) => [k, salt(`${tag}-${k}`)])),
  };
}

export function contentOf(it: CaseItems, kind: CommitmentKind): Uint8Array {
  switch (kind) {
    case CommitmentKind.COMMITMENT_KIND_REPORT:
      return it.report;
    case CommitmentKind.COMMITMENT_KIND_COMPONENTS:
      return encodeCommittedItem(kind, it.components);
    case CommitmentKind.COMMITMENT_KIND_ADVISORY:
      return encodeCommittedItem(kind, it.advisory);
    case CommitmentKind.COMMITMENT_KIND_FIX:
      return encodeCommittedItem(kind, it.fix ?? FixRef.fromPartial({}));
    case CommitmentKind.COMMITMENT_KIND_LEVEL:
      return encodeCommittedItem(kind, SealedLevel.fromPartial({ level: it.level ?? 0 }));
    default:
      throw new Error("kind");
  }
}

export function commitmentOf(it: CaseItems, kind: CommitmentKind): Uint8Array {
  return commitmentHash(CHAIN_ID, kind, it.salts[kind] ?? new Uint8Array(32), sha256(contentOf(it, kind)));
}

export function commitmentsOf(it: CaseItems): { kind: CommitmentKind; hash: Uint8Array }[] {
  const kinds = [CommitmentKind.COMMITMENT_KIND_REPORT, CommitmentKind.COMMITMENT_KIND_COMPONENTS, CommitmentKind.COMMITMENT_KIND_ADVISORY];
  if (it.fix !== undefined) kinds.push(CommitmentKind.COMMITMENT_KIND_FIX);
  if (it.level !== undefined) kinds.push(CommitmentKind.COMMITMENT_KIND_LEVEL);
  return kinds.map((kind) => ({ kind, hash: commitmentOf(it, kind) }));
}

export function revealItem(it: CaseItems, kind: CommitmentKind): { kind: CommitmentKind; salt: Uint8Array; content: Uint8Array; contentHash: Uint8Array } {
  return { kind, salt: it.salts[kind] ?? new Uint8Array(32), content: contentOf(it, kind), contentHash: new Uint8Array() };
}

/** Every committed item of `it`, for one MsgReveal. */
export function revealAll(it: CaseItems): ReturnType<typeof revealItem>[] {
  return commitmentsOf(it).map((c) => revealItem(it, c.kind));
}

/** Encode objects for coord messages. */
export const cm = {
  register: (owner: string, key: Uint8Array, deps: Component[] = [], kind = PartyKind.PARTY_KIND_DOWNSTREAM_PROJECT, name = "a party"): EncodeObject => ({
    typeUrl: COORD_TYPE_URLS.registerParty,
    value: { owner, kind, name, contact: "security@example.org", encryptionKey: key, dependencies: deps },
  }),
  update: (owner: string, key: Uint8Array, deps: Component[] = [], kind = PartyKind.PARTY_KIND_DOWNSTREAM_PROJECT, name = "a party"): EncodeObject => ({
    typeUrl: COORD_TYPE_URLS.updateParty,
    value: { owner, kind, name, contact: "", encryptionKey: key, dependencies: deps },
  }),
  withdraw: (owner: string): EncodeObject => ({ typeUrl: COORD_TYPE_URLS.withdrawParty, value: { owner } }),
  open: (member: string, it: CaseItems, level: number, deadline: { seconds?: bigint; height?: bigint } = {}, readinessPlan = ""): EncodeObject => ({
    typeUrl: COORD_TYPE_URLS.openCase,
    value: {
      member,
      level,
      commitments: commitmentsOf(it),
      ...(deadline.seconds === undefined ? {} : { deadlineTime: { seconds: deadline.seconds, nanos: 0 } }),
      ...(deadline.height === undefined ? {} : { deadlineHeight: deadline.height }),
      readinessPlan,
    },
  }),
  gate: (member: string, caseId: bigint, readinessPlan: string, reason = ""): EncodeObject => ({
    typeUrl: COORD_TYPE_URLS.setRevealGate,
    value: { member, caseId, readinessPlan, reason },
  }),
  join: (member: string, caseId: bigint): EncodeObject => ({ typeUrl: COORD_TYPE_URLS.joinCase, value: { member, caseId } }),
  commit: (member: string, caseId: bigint, kind: CommitmentKind, hash: Uint8Array): EncodeObject => ({ typeUrl: COORD_TYPE_URLS.commit, value: { member, caseId, kind, hash } }),
  escalate: (member: string, caseId: bigint, newLevel: number, sealed?: { salt: Uint8Array; level: number }): EncodeObject => ({
    typeUrl: COORD_TYPE_URLS.escalate,
    value: { member, caseId, newLevel, levelSalt: sealed?.salt ?? new Uint8Array(), sealedLevel: sealed?.level ?? 0, reason: "" },
  }),
  propose: (member: string, caseId: bigint, kind: RevisionKind, o: { seconds?: bigint; height?: bigint; level?: number } = {}): EncodeObject => ({
    typeUrl: COORD_TYPE_URLS.proposeRevision,
    value: {
      member,
      caseId,
      kind,
      ...(o.seconds === undefined ? {} : { newDeadlineTime: { seconds: o.seconds, nanos: 0 } }),
      newDeadlineHeight: o.height ?? 0n,
      newLevel: o.level ?? 0,
      reason: "",
    },
  }),
  approve: (member: string, caseId: bigint): EncodeObject => ({ typeUrl: COORD_TYPE_URLS.approveRevision, value: { member, caseId } }),
  notice: (member: string, caseId: bigint, notices: { recipient: string; envelope: Envelope; kind?: NoticeKind }[]): EncodeObject => ({
    typeUrl: COORD_TYPE_URLS.sendNotice,
    value: { member, caseId, notices: notices.map((n) => ({ recipient: n.recipient, kind: n.kind ?? NoticeKind.NOTICE_KIND_DISCLOSURE, envelope: n.envelope })) },
  }),
  input: (sender: string, caseId: bigint, envelope: Envelope): EncodeObject => ({ typeUrl: COORD_TYPE_URLS.submitInput, value: { sender, caseId, envelope } }),
  ack: (party: string, noticeId: bigint, envelopeHash: Uint8Array): EncodeObject => ({ typeUrl: COORD_TYPE_URLS.acknowledge, value: { party, noticeId, envelopeHash } }),
  involvement: (party: string, caseId: bigint, status: number, noteHash: Uint8Array = new Uint8Array()): EncodeObject => ({
    typeUrl: COORD_TYPE_URLS.updateInvolvement,
    value: { party, caseId, status, noteHash },
  }),
  reveal: (member: string, caseId: bigint, list: ReturnType<typeof revealItem>[]): EncodeObject => ({ typeUrl: COORD_TYPE_URLS.reveal, value: { member, caseId, items: list } }),
  close: (member: string, caseId: bigint, recordHash: Uint8Array = salt("record")): EncodeObject => ({
    typeUrl: COORD_TYPE_URLS.closeCase,
    value: { member, caseId, recordHash, summary: { activities: "notified 2 parties", responses: "1 ack", lessonsLearned: "", fixDeploymentVerified: true, followUps: [] } },
  }),
};

export class CoordEnv extends DcertEnv {
  private readonly seq = new Map<string, bigint>();

  get coord(): CoordKeeper {
    return keepersOf(this.chain.app).coord;
  }

  override async sign(signer: Account, msgs: readonly EncodeObject[]): Promise<Uint8Array> {
    const acc = this.app.auth.getAccount(this.ctx(), signer.address);
    if (acc === undefined) throw new Error(`account ${signer.address} does not exist`);
    const sequence = this.seq.get(signer.address) ?? acc.sequence;
    this.seq.set(signer.address, sequence + 1n);
    return signDirect(signer.direct, { msgs, fee: { amount: [], gas: "20000000" }, chainId: TEST_CHAIN_ID, accountNumber: acc.accountNumber, sequence, registry: coordRegistry });
  }

  override block(txs: readonly Uint8Array[] = [], seconds?: bigint): ReturnType<DcertEnv["block"]> {
    this.seq.clear();
    return super.block(txs, seconds);
  }

  /** Sends one tx; returns "ok" or [codespace, code, log]. */
  async code(signer: number, msgs: readonly EncodeObject[]): Promise<"ok" | [string, number, string]> {
    const r = await this.send(this.acct(signer), msgs);
    return r.code === 0 ? "ok" : [r.codespace, r.code, r.log];
  }

  /** The last block's events are returned by send(); this keeps the latest tx's. */
  async okEvents(signer: number, msgs: readonly EncodeObject[]): Promise<Event[]> {
    const r = await this.ok(this.acct(signer), msgs);
    return [...r.events, ...r.blockEvents];
  }

  caseOf(id: bigint): Case {
    const c = this.coord.getCase(this.ctx(), id);
    if (c === undefined) throw new Error(`no case ${id}`);
    return c;
  }

  now(): bigint {
    return this.chain.time;
  }

  qctx(): Context {
    return this.ctx();
  }

  /**
   * Wires a fake upgrade-readiness source into the coord keeper (the app's wiring leaves it to the
   * lead): `ready` holds the plan names for which twoThirdsReady answers true.
   */
  fakeUpgrade(ready: Iterable<string> = []): Set<string> {
    const set = new Set(ready);
    this.coord.wireUpgrade({ twoThirdsReady: (_ctx, name) => set.has(name) });
    return set;
  }

  /** Opens a case by member `i`; returns its id. */
  async openCase(i: number, it: CaseItems, level: number, deadline: { seconds?: bigint; height?: bigint } = {}, readinessPlan = ""): Promise<bigint> {
    await this.ok(this.acct(i), [cm.open(this.addr(i), it, level, deadline, readinessPlan)]);
    return this.coord.peekId(this.ctx(), 0x02) - 1n;
  }

  party(i: number): { address: string; keyEpoch: number } {
    const p = this.coord.getParty(this.ctx(), this.addr(i));
    if (p === undefined) throw new Error(`account ${i} is not a party`);
    return { address: p.address, keyEpoch: p.keyEpoch };
  }
}

/** Typed coord events of a type, as attribute maps with parsed JSON values. */
export function coordEvents(events: readonly Event[], type: string): Record<string, unknown>[] {
  return events
    .filter((e) => e.type === `coord.v1.${type}`)
    .map((e) => Object.fromEntries(e.attributes.filter((a) => a.key !== "msg_index" && a.key !== "mode").map((a) => [a.key, JSON.parse(a.value) as unknown])));
}

export interface CoordSetup {
  /** Number of seated members (accounts 1..members). */
  readonly members?: number;
  /** Accounts after the members (parties, outsiders). */
  readonly others?: number;
  /** Coord params edit. */
  readonly params?: Partial<Params>;
  /** Register the members as parties with keys (default true). */
  readonly memberKeys?: boolean;
  /** Edits the coord genesis section (params already set), e.g. to add parties. */
  readonly editCoord?: (coord: Record<string, unknown>) => void;
}

/**
 * A chain with `members` seated dCERT members (accounts 1..members, each registered as a party with
 * key encKey(i) unless memberKeys is false), account 0 the validator operator, and `others` funded
 * accounts after the members.
 */
export async function coordEnv(o: CoordSetup = {}): Promise<CoordEnv> {
  const n = o.members ?? 3;
  const others = o.others ?? 4;
  const balances = [100_000_000_000n, ...Array.from({ length: n + others + 1 }, () => 10_000_000_000n)];
  const params = coordParamsToJson({ ...defaultCoordParams(), ...(o.params ?? {}) });
  const base = await dcertEnv({
    balances,
    params: { stabilization_period: "0", max_members: n },
    editGenesis: (state) => {
      const coord = (state["coord"] ?? defaultCoordGenesisJson()) as Record<string, unknown>;
      state["coord"] = { ...coord, params };
      o.editCoord?.(state["coord"] as Record<string, unknown>);
    },
  });
  const e = new CoordEnv(base.chain, base.accounts);
  const val = accountValoper(e.addr(0));
  const voter = n + others + 1;
  const txs: Uint8Array[] = [];
  for (let i = 1; i <= n; i++) txs.push(await e.sign(e.acct(i), [dm.bond(e.addr(i), e.addr(i), 1_000_000n), dm.accept(e.addr(i))]));
  const share = ONE / BigInt(n);
  txs.push(
    await e.sign(e.acct(voter), [
      dm.delegate(e.addr(voter), val, 3_000_000n),
      dm.vote(e.addr(voter), Array.from({ length: n }, (_, j) => [e.addr(j + 1), share] as [string, bigint])),
    ]),
  );
  e.block(txs);
  if (e.members().size !== n) throw new Error(`expected ${n} seated members, got ${e.members().size}`);
  if (o.memberKeys !== false) {
    const regs: Uint8Array[] = [];
    for (let i = 1; i <= n; i++) regs.push(await e.sign(e.acct(i), [cm.register(e.addr(i), encKey(i).publicKey, [], PartyKind.PARTY_KIND_CORE_DEVELOPER, `member ${i}`)]));
    const res = e.block(regs);
    for (const r of res.txResults) if (r.code !== 0) throw new Error(`member registration failed: ${r.log}`);
  }
  return e;
}
