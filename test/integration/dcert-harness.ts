/**
 * In-process dCERT test environment: the full app (every module wired as in the node) on an
 * in-memory store, accounts with deterministic keys, transactions signed by CosmJS wallets (direct
 * or amino) and delivered in blocks, dCERT queries through the ABCI query path, and a helper that
 * passes (or fails) governance proposals with the operator's vote.
 */
import { createHash } from "node:crypto";
import { Secp256k1Wallet } from "@cosmjs/amino";
import { DirectSecp256k1Wallet, type EncodeObject, type Registry } from "@cosmjs/proto-signing";
import { AminoTypes } from "@cosmjs/stargate";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Event, ExecTxResult, ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { moduleAccountAddress } from "../../src/x/auth/keeper";
import type { Context } from "../../src/baseapp/context";
import { DISTRIBUTION_MODULE } from "../../src/x/distribution/keeper";
import { keepersOf } from "../../src/app/wiring";
import { createDcertAminoConverters } from "../../src/types/aminomessages";
import { dcertTypes } from "../../src/types/messages";
import * as q from "../../src/generated/dcert/v1/query";
import * as tx from "../../src/generated/dcert/v1/tx";
import type { MemberInfo } from "../../src/generated/dcert/v1/types";
import type { DcertKeeper } from "../../src/x/dcert/keeper/keeper";
import { BONDS_MODULE } from "../../src/x/dcert/keys";
import { testChain, type TestChain, type TestChainOptions } from "../helpers/app";
import { signAmino, signDirect, testRegistry, TEST_CHAIN_ID } from "../helpers/txs";

export const DENOM = "udcert";
export const ONE = 10n ** 18n;
export const GOV = moduleAccountAddress("gov");
export const BONDS = moduleAccountAddress(BONDS_MODULE);
export const POOL = moduleAccountAddress(DISTRIBUTION_MODULE);

export interface Account {
  readonly index: number;
  readonly address: string;
  readonly direct: DirectSecp256k1Wallet;
  readonly amino: Secp256k1Wallet;
}

const walletCache = new Map<number, Promise<Account>>();

/** Account `i` (deterministic key sha256("dcert-test-account-i")). */
export function account(i: number): Promise<Account> {
  let a = walletCache.get(i);
  if (a === undefined) {
    a = (async () => {
      const key = new Uint8Array(createHash("sha256").update(`dcert-test-account-${i}`).digest());
      const direct = await DirectSecp256k1Wallet.fromKey(key, "dcert");
      const amino = await Secp256k1Wallet.fromKey(key, "dcert");
      const [acc] = await direct.getAccounts();
      if (acc === undefined) throw new Error("wallet without account");
      return { index: i, address: acc.address, direct, amino };
    })();
    walletCache.set(i, a);
  }
  return a;
}

export type ParamsEdit = Record<string, unknown>;

export interface EnvOptions {
  /** Accounts and their balances; account 0 operates the validator. */
  readonly balances: readonly bigint[];
  readonly selfDelegation?: bigint;
  /** Overrides of the dcert params (snake_case genesis JSON values). */
  readonly params?: ParamsEdit;
  readonly editGenesis?: (appState: Record<string, unknown>) => void;
  readonly store?: TestChainOptions["store"];
}

export const registry: Registry = testRegistry(dcertTypes);

export class DcertEnv {
  private readonly seqInBlock = new Map<string, bigint>();

  constructor(
    readonly chain: TestChain,
    readonly accounts: readonly Account[],
  ) {}

  get app(): TestChain["app"] {
    return this.chain.app;
  }

  get keeper(): DcertKeeper {
    return keepersOf(this.chain.app).dcert;
  }

  acct(i: number): Account {
    const a = this.accounts[i];
    if (a === undefined) throw new Error(`no account ${i}`);
    return a;
  }

  addr(i: number): string {
    return this.acct(i).address;
  }

  ctx(): Context {
    return this.app.queryContext();
  }

  aminoTypes(): AminoTypes {
    return new AminoTypes({ ...this.app.amino.aminoConverters(), ...createDcertAminoConverters() });
  }

  /** Signs a tx for `signer` with its next sequence (several per block are fine). */
  async sign(signer: Account, msgs: readonly EncodeObject[], mode: "direct" | "amino" = "direct"): Promise<Uint8Array> {
    const acc = this.app.auth.getAccount(this.ctx(), signer.address);
    if (acc === undefined) throw new Error(`account ${signer.address} does not exist`);
    const sequence = this.seqInBlock.get(signer.address) ?? acc.sequence;
    this.seqInBlock.set(signer.address, sequence + 1n);
    const spec = {
      msgs,
      fee: { amount: [], gas: "2000000" },
      chainId: TEST_CHAIN_ID,
      accountNumber: acc.accountNumber,
      sequence,
      registry,
    };
    return mode === "direct" ? signDirect(signer.direct, spec) : signAmino(signer.amino, spec, this.aminoTypes());
  }

  /** Forgets the sequences used by txs signed for the next block: the next `sign` competes with them (another proposal of the height). */
  forgetSignedInBlock(): void {
    this.seqInBlock.clear();
  }

  /** Runs one block with the given signed txs. */
  block(txs: readonly Uint8Array[] = [], seconds?: bigint): ResponseFinalizeBlock {
    this.seqInBlock.clear();
    return this.chain.block(txs, seconds === undefined ? {} : { seconds });
  }

  blocks(n: number, seconds?: bigint): void {
    for (let i = 0; i < n; i++) this.block([], seconds);
  }

  /** Signs and delivers one tx in its own block; returns its result and the block's events. */
  async send(signer: Account, msgs: readonly EncodeObject[], mode: "direct" | "amino" = "direct"): Promise<ExecTxResult & { blockEvents: Event[] }> {
    const raw = await this.sign(signer, msgs, mode);
    const res = this.block([raw]);
    const r = res.txResults[0];
    if (r === undefined) throw new Error("no tx result");
    return { ...r, blockEvents: res.events };
  }

  /** Like `send`, but throws with the log unless the tx succeeded. */
  async ok(signer: Account, msgs: readonly EncodeObject[], mode: "direct" | "amino" = "direct"): Promise<ExecTxResult & { blockEvents: Event[] }> {
    const r = await this.send(signer, msgs, mode);
    if (r.code !== 0) throw new Error(`tx failed (${r.codespace}:${r.code}): ${r.log}`);
    return r;
  }

  query<Req, Res>(method: string, reqCodec: { encode(m: Req): { finish(): Uint8Array } }, req: Req, resCodec: { decode(b: Uint8Array): Res }): Res {
    const r = this.app.query({ path: `/dcert.v1.Query/${method}`, data: reqCodec.encode(req).finish(), height: 0n, prove: false });
    if (r.code !== 0) throw new Error(`query ${method} failed (${r.codespace}:${r.code}): ${r.log}`);
    return resCodec.decode(r.value);
  }

  group(): q.QueryGroupResponse {
    return this.query("Group", q.QueryGroupRequest, {}, q.QueryGroupResponse);
  }

  /** Member address → sequence, from the Group query. */
  members(): Map<string, bigint> {
    return new Map(this.group().members.map((m: MemberInfo) => [m.address, m.sequence]));
  }

  member(address: string): q.QueryMemberResponse["status"] {
    return this.query("Member", q.QueryMemberRequest, { address }, q.QueryMemberResponse).status;
  }

  candidates(): q.QueryCandidatesResponse["candidates"] {
    return this.query("Candidates", q.QueryCandidatesRequest, { pagination: undefined }, q.QueryCandidatesResponse).candidates;
  }

  queue(): q.QueryStabilizationQueueResponse["entries"] {
    return this.query("StabilizationQueue", q.QueryStabilizationQueueRequest, {}, q.QueryStabilizationQueueResponse).entries;
  }

  tally(address: string): bigint {
    return BigInt(this.member(address)?.tally ?? "0");
  }

  balance(address: string): bigint {
    return this.app.bank.getBalance(this.ctx(), address, DENOM).amount;
  }

  supply(): bigint {
    return this.app.bank.getSupply(this.ctx(), DENOM).amount;
  }

  /**
   * Submits a proposal with `msgs` (initial deposit `deposit`) from account 0 and, unless `vote`
   * is "none", votes with the operator's stake; then advances past the voting period.
   * Returns the proposal id and the final status.
   */
  async proposal(
    msgs: readonly Any[],
    opts: { deposit?: bigint; vote?: "yes" | "no" | "veto" | "none"; proposer?: number; skipEnd?: boolean; mode?: "direct" | "amino" } = {},
  ): Promise<{ id: bigint; submit: ExecTxResult; status: ProposalStatus | undefined }> {
    const proposer = this.acct(opts.proposer ?? 0);
    const submit = await this.send(proposer, [
      {
        typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
        value: {
          messages: [...msgs],
          initialDeposit: [{ denom: DENOM, amount: (opts.deposit ?? 60_000_000n).toString() }],
          proposer: proposer.address,
          metadata: "",
          title: "dcert proposal",
          summary: "a dcert governance action",
          expedited: false,
        },
      },
    ], opts.mode ?? "direct");
    if (submit.code !== 0) return { id: 0n, submit, status: undefined };
    const id = keepersOf(this.app).gov.nextProposalId(this.ctx()) - 1n;
    const vote = opts.vote ?? "yes";
    if (vote !== "none") {
      const option = vote === "yes" ? VoteOption.VOTE_OPTION_YES : vote === "no" ? VoteOption.VOTE_OPTION_NO : VoteOption.VOTE_OPTION_NO_WITH_VETO;
      await this.ok(this.acct(0), [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: id, voter: this.addr(0), option, metadata: "" } }]);
    }
    if (opts.skipEnd !== true) this.block([], 100n);
    return { id, submit, status: keepersOf(this.app).gov.getProposal(this.ctx(), id)?.status };
  }
}

/** An Any of a dCERT message (for proposals). */
export function anyOf<K extends keyof typeof MSGS>(kind: K, value: Parameters<(typeof MSGS)[K]["fromPartial"]>[0]): Any {
  const codec = MSGS[kind] as unknown as { fromPartial(v: unknown): unknown; encode(m: unknown): { finish(): Uint8Array } };
  return { typeUrl: `/dcert.v1.${kind}`, value: codec.encode(codec.fromPartial(value)).finish() };
}

const MSGS = {
  MsgSlashMember: tx.MsgSlashMember,
  MsgReinstateMember: tx.MsgReinstateMember,
  MsgDisbandGroup: tx.MsgDisbandGroup,
  MsgReestablishGroup: tx.MsgReestablishGroup,
  MsgUpdateParams: tx.MsgUpdateParams,
} as const;

/** Encode objects for the dCERT messages. */
export const m = {
  vote: (voter: string, entries: readonly [string, bigint][]): EncodeObject => ({
    typeUrl: "/dcert.v1.MsgVote",
    value: { voter, entries: entries.map(([candidate, share]) => ({ candidate, share: share.toString() })) },
  }),
  accept: (candidate: string): EncodeObject => ({ typeUrl: "/dcert.v1.MsgAcceptAdmission", value: { candidate } }),
  leave: (member: string): EncodeObject => ({ typeUrl: "/dcert.v1.MsgLeaveGroup", value: { member } }),
  bond: (staker: string, member: string, amount: bigint): EncodeObject => ({
    typeUrl: "/dcert.v1.MsgBond",
    value: { staker, member, amount: { denom: DENOM, amount: amount.toString() } },
  }),
  unbond: (staker: string, member: string, amount: bigint): EncodeObject => ({
    typeUrl: "/dcert.v1.MsgUnbond",
    value: { staker, member, amount: { denom: DENOM, amount: amount.toString() } },
  }),
  suspend: (member: string, target: string, reason = "breach of the soft contract"): EncodeObject => ({
    typeUrl: "/dcert.v1.MsgVoteSuspend",
    value: { member, target, reason },
  }),
  describe: (member: string, name: string): EncodeObject => ({
    typeUrl: "/dcert.v1.MsgUpdateDescription",
    value: { member, description: { name, details: "", website: "", securityContact: "security@example.org" } },
  }),
  delegate: (delegator: string, validator: string, amount: bigint): EncodeObject => ({
    typeUrl: "/cosmos.staking.v1beta1.MsgDelegate",
    value: { delegatorAddress: delegator, validatorAddress: validator, amount: { denom: DENOM, amount: amount.toString() } },
  }),
  undelegate: (delegator: string, validator: string, amount: bigint): EncodeObject => ({
    typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate",
    value: { delegatorAddress: delegator, validatorAddress: validator, amount: { denom: DENOM, amount: amount.toString() } },
  }),
  fundPool: (depositor: string, amount: bigint): EncodeObject => ({
    typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPool",
    value: { depositor, amount: [{ denom: DENOM, amount: amount.toString() }] },
  }),
};

/** Builds the environment: chain at height 1, dcert params edited as given. */
export async function dcertEnv(opts: EnvOptions): Promise<DcertEnv> {
  const accounts = await Promise.all(opts.balances.map((_, i) => account(i)));
  const chain = testChain({
    accounts: accounts.map((a, i) => ({ address: a.address, amount: opts.balances[i] ?? 0n })),
    selfDelegation: opts.selfDelegation ?? 1_000_000_000n,
    ...(opts.store === undefined ? {} : { store: opts.store }),
    editGenesis: (state) => {
      const dcert = state["dcert"] as { params: Record<string, unknown> };
      dcert.params = { ...dcert.params, ...(opts.params ?? {}) };
      opts.editGenesis?.(state);
    },
  });
  chain.block();
  return new DcertEnv(chain, accounts);
}

/** Typed events of a given type in a list of ABCI events, as attribute maps with parsed JSON values. */
export function typedEvents(events: readonly Event[], type: string): Record<string, unknown>[] {
  return events
    .filter((e) => e.type === `dcert.v1.${type}`)
    .map((e) => Object.fromEntries(e.attributes.filter((a) => a.key !== "msg_index" && a.key !== "mode").map((a) => [a.key, JSON.parse(a.value) as unknown])));
}
