/**
 * DcertClient: a read-only client (CosmJS `StargateClient` plus typed dCERT, gov v1 and staking
 * queries). `DcertQueries` holds the query logic so that `SigningDcertClient` offers the same
 * methods without a second implementation.
 *
 *   const client = await DcertClient.connect("http://127.0.0.1:26657");
 *   const group = await client.getGroup();
 */
import { fromHex } from "@cosmjs/encoding";
import {
  QueryClient,
  StargateClient,
  setupAuthExtension,
  setupBankExtension,
  setupStakingExtension,
  setupTxExtension,
  type AuthExtension,
  type BankExtension,
  type IndexedTx,
  type StakingExtension,
  type StargateClientOptions,
  type TxExtension,
} from "@cosmjs/stargate";
import { connectComet, type CometClient, type HttpEndpoint } from "@cosmjs/tendermint-rpc";
import type { Deposit, Params as GovParams, Proposal, TallyResult, Vote as GovVote } from "cosmjs-types/cosmos/gov/v1/gov";
import type { DelegationResponse, UnbondingDelegation, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Params } from "../generated/dcert/v1/params";
import type {
  QueryDisbandStatusResponse,
  QueryGroupResponse,
  QueryIsBrokenResponse,
  QuerySuspensionsResponse,
} from "../generated/dcert/v1/query";
import type { Bond, BrokenRoute, CandidateInfo, MemberStatus, QueueEntry, UnbondingEntry, VoterRecord } from "../generated/dcert/v1/types";
import { setupCoordExtension, type CoordExtension } from "./coord/queries";
import { setupGovV1Extension, type GovV1Extension, type ProposalFilter, type ProposalId } from "./govqueries";
import { setupDcertExtension, type BondFilter, type DcertExtension } from "./queries";
import {
  setupDistributionQueryExtension,
  setupEvidenceQueryExtension,
  setupMintQueryExtension,
  setupSlashingQueryExtension,
  type DistributionQueryExtension,
  type EvidenceQueryExtension,
  type MintQueryExtension,
  type SlashingQueryExtension,
} from "./rewards/queries";
import { setupUpgradeExtension, type UpgradeExtension } from "./upgrade/queries";
import { fixCosmjsInt64Writer } from "../types/int64writer";

/**
 * The query client both dCERT clients use: CosmJS's standard extensions plus dCERT, gov v1,
 * coordination, upgrade, slashing, distribution, mint and evidence.
 */
export type DcertQueryClient = QueryClient &
  AuthExtension &
  BankExtension &
  StakingExtension &
  TxExtension &
  DcertExtension &
  GovV1Extension &
  CoordExtension &
  UpgradeExtension &
  SlashingQueryExtension &
  DistributionQueryExtension &
  MintQueryExtension &
  EvidenceQueryExtension;

export function createDcertQueryClient(cometClient: CometClient): DcertQueryClient {
  return QueryClient.withExtensions(
    cometClient,
    setupAuthExtension,
    setupBankExtension,
    setupStakingExtension,
    setupTxExtension,
    setupDcertExtension,
    setupGovV1Extension,
    setupCoordExtension,
    setupUpgradeExtension,
    setupSlashingQueryExtension,
    setupDistributionQueryExtension,
    setupMintQueryExtension,
    setupEvidenceQueryExtension,
  );
}

/** A transaction found by hash, with the codespace CosmJS's IndexedTx leaves out. */
export interface TxDetails extends IndexedTx {
  readonly codespace: string;
}

/** Bond status filter of the validators query. */
export type ValidatorStatus = "BOND_STATUS_BONDED" | "BOND_STATUS_UNBONDED" | "BOND_STATUS_UNBONDING" | "";

/** Pages through a paged query until `nextKey` is empty (at most `maxPages` pages). */
export async function collectPages<R extends { pagination?: { nextKey: Uint8Array } | undefined }, T>(
  fetch: (key: Uint8Array | undefined) => Promise<R>,
  items: (r: R) => readonly T[],
  maxPages = 10_000,
): Promise<T[]> {
  const out: T[] = [];
  let key: Uint8Array | undefined;
  for (let page = 0; page < maxPages; page++) {
    const r = await fetch(key);
    out.push(...items(r));
    const next = r.pagination?.nextKey;
    if (next === undefined || next.length === 0) return out;
    key = next;
  }
  throw new Error(`query returned more than ${maxPages} pages`);
}

function isNotFound(e: unknown): boolean {
  return e instanceof Error && /not found/i.test(e.message);
}

/** The typed queries of both dCERT clients, over one `DcertQueryClient`. */
export class DcertQueries {
  constructor(
    private readonly q: DcertQueryClient,
    private readonly comet: CometClient,
  ) {}

  get queryClient(): DcertQueryClient {
    return this.q;
  }

  /** The coordination queries (`coord.v1.Query`), e.g. `coord.case(1n)`. */
  get coord(): CoordExtension["coord"] {
    return this.q.coord;
  }

  /** The upgrade queries (`cosmos.upgrade.v1beta1.Query` and `dcert.upgrade.v1.Query`), e.g. `upgrade.currentPlan()`. */
  get upgrade(): UpgradeExtension["upgrade"] {
    return this.q.upgrade;
  }

  /** Slashing queries (`cosmos.slashing.v1beta1.Query`): params, signingInfo(valcons), signingInfos. */
  get slashing(): SlashingQueryExtension["slashing"] {
    return this.q.slashing;
  }

  /** Distribution queries (`cosmos.distribution.v1beta1.Query`): rewards, commission, community pool, … */
  get distribution(): DistributionQueryExtension["distribution"] {
    return this.q.distribution;
  }

  /** Mint queries (`cosmos.mint.v1beta1.Query`): params, inflation, annual provisions. */
  get mint(): MintQueryExtension["mint"] {
    return this.q.mint;
  }

  /** Evidence queries (`cosmos.evidence.v1beta1.Query`): one by hash, all. */
  get evidence(): EvidenceQueryExtension["evidence"] {
    return this.q.evidence;
  }

  // ---- dCERT

  async getDcertParams(): Promise<Params> {
    const { params } = await this.q.dcert.params();
    if (params === undefined) throw new Error("the chain returned no dCERT params");
    return params;
  }

  getGroup(): Promise<QueryGroupResponse> {
    return this.q.dcert.group();
  }

  async getMemberStatus(address: string): Promise<MemberStatus> {
    const { status } = await this.q.dcert.member(address);
    if (status === undefined) throw new Error(`the chain returned no status for ${address}`);
    return status;
  }

  getCandidates(): Promise<CandidateInfo[]> {
    return collectPages((k) => this.q.dcert.candidates(k), (r) => r.candidates);
  }

  /** The counted vote of `voter`, or null when it has none. */
  async getVote(voter: string): Promise<VoterRecord | null> {
    try {
      return (await this.q.dcert.vote(voter)).vote ?? null;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async getStabilizationQueue(): Promise<QueueEntry[]> {
    return (await this.q.dcert.stabilizationQueue()).entries;
  }

  getBonds(filter: BondFilter = {}): Promise<Bond[]> {
    return collectPages((k) => this.q.dcert.bonds(filter, k), (r) => r.bonds);
  }

  getUnbondings(filter: BondFilter = {}): Promise<UnbondingEntry[]> {
    return collectPages((k) => this.q.dcert.unbondings(filter, k), (r) => r.unbondings);
  }

  getSuspensions(): Promise<QuerySuspensionsResponse> {
    return this.q.dcert.suspensions();
  }

  getDisbandStatus(): Promise<QueryDisbandStatusResponse> {
    return this.q.dcert.disbandStatus();
  }

  getBrokenRoutes(): Promise<BrokenRoute[]> {
    return collectPages((k) => this.q.dcert.brokenRoutes(k), (r) => r.routes);
  }

  isRouteBroken(typeUrl: string): Promise<QueryIsBrokenResponse> {
    return this.q.dcert.isBroken(typeUrl);
  }

  // ---- gov v1

  async getGovParams(): Promise<GovParams> {
    const { params } = await this.q.govV1.params();
    if (params === undefined) throw new Error("the chain returned no gov params");
    return params;
  }

  async getProposal(id: ProposalId): Promise<Proposal | null> {
    try {
      return (await this.q.govV1.proposal(id)).proposal ?? null;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  getProposals(filter: ProposalFilter = {}): Promise<Proposal[]> {
    return collectPages((k) => this.q.govV1.proposals(filter, k), (r) => r.proposals);
  }

  async getGovVote(id: ProposalId, voter: string): Promise<GovVote | null> {
    try {
      return (await this.q.govV1.vote(id, voter)).vote ?? null;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  getGovVotes(id: ProposalId): Promise<GovVote[]> {
    return collectPages((k) => this.q.govV1.votes(id, k), (r) => r.votes);
  }

  getDeposits(id: ProposalId): Promise<Deposit[]> {
    return collectPages((k) => this.q.govV1.deposits(id, k), (r) => r.deposits);
  }

  async getTally(id: ProposalId): Promise<TallyResult> {
    const { tally } = await this.q.govV1.tally(id);
    if (tally === undefined) throw new Error(`the chain returned no tally for proposal ${String(id)}`);
    return tally;
  }

  // ---- staking

  getValidators(status: ValidatorStatus = ""): Promise<Validator[]> {
    return collectPages((k) => this.q.staking.validators(status, k), (r) => r.validators);
  }

  async getValidator(operatorAddress: string): Promise<Validator> {
    const { validator } = await this.q.staking.validator(operatorAddress);
    if (validator === undefined) throw new Error(`validator ${operatorAddress} not found`);
    return validator;
  }

  getDelegations(delegator: string): Promise<DelegationResponse[]> {
    return collectPages((k) => this.q.staking.delegatorDelegations(delegator, k), (r) => r.delegationResponses);
  }

  getUnbondingDelegations(delegator: string): Promise<UnbondingDelegation[]> {
    return collectPages((k) => this.q.staking.delegatorUnbondingDelegations(delegator, k), (r) => r.unbondingResponses);
  }

  // ---- transactions

  /** A committed transaction by its hash (hex), or null when the node does not know it. */
  async getTxDetails(hash: string): Promise<TxDetails | null> {
    if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw new Error(`"${hash}" is not a transaction hash (64 hex characters)`);
    try {
      const r = await this.comet.tx({ hash: fromHex(hash) });
      const tx: TxDetails = {
        height: r.height,
        txIndex: r.index,
        hash: hash.toUpperCase(),
        code: r.result.code,
        codespace: r.result.codespace ?? "",
        events: r.result.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })) })),
        rawLog: r.result.log ?? "",
        tx: r.tx,
        msgResponses: [],
        gasUsed: r.result.gasUsed,
        gasWanted: r.result.gasWanted,
      };
      return tx;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }
}

export class DcertClient extends StargateClient {
  private readonly dcertQueries: DcertQueries | undefined;

  /** Connects to a CometBFT RPC endpoint (e.g. "http://127.0.0.1:26657"). */
  static override async connect(endpoint: string | HttpEndpoint, options: StargateClientOptions = {}): Promise<DcertClient> {
    const cometClient = await connectComet(endpoint);
    return new DcertClient(cometClient, options);
  }

  static override create(cometClient: CometClient, options: StargateClientOptions = {}): DcertClient {
    return new DcertClient(cometClient, options);
  }

  protected constructor(cometClient: CometClient | undefined, options: StargateClientOptions) {
    super(cometClient, options);
    // Query requests carry uint64s (pagination); see fixCosmjsInt64Writer.
    fixCosmjsInt64Writer();
    this.dcertQueries = cometClient === undefined ? undefined : new DcertQueries(createDcertQueryClient(cometClient), cometClient);
  }

  /** The typed queries (throws when the client was created without a connection). */
  get queries(): DcertQueries {
    if (this.dcertQueries === undefined) throw new Error("the client is not connected; use DcertClient.connect");
    return this.dcertQueries;
  }

  /** The coordination queries (`coord.v1.Query`): `client.coord.case(1n)`, `client.coord.notices({ recipient })`, … */
  get coord(): CoordExtension["coord"] {
    return this.queries.coord;
  }

  /** The upgrade queries: `client.upgrade.currentPlan()`, `client.upgrade.preApprovals("v2")`, … */
  get upgrade(): UpgradeExtension["upgrade"] {
    return this.queries.upgrade;
  }

  getDcertParams(): Promise<Params> {
    return this.queries.getDcertParams();
  }
  getGroup(): Promise<QueryGroupResponse> {
    return this.queries.getGroup();
  }
  getMemberStatus(address: string): Promise<MemberStatus> {
    return this.queries.getMemberStatus(address);
  }
  getCandidates(): Promise<CandidateInfo[]> {
    return this.queries.getCandidates();
  }
  getVote(voter: string): Promise<VoterRecord | null> {
    return this.queries.getVote(voter);
  }
  getStabilizationQueue(): Promise<QueueEntry[]> {
    return this.queries.getStabilizationQueue();
  }
  getBonds(filter: BondFilter = {}): Promise<Bond[]> {
    return this.queries.getBonds(filter);
  }
  getUnbondings(filter: BondFilter = {}): Promise<UnbondingEntry[]> {
    return this.queries.getUnbondings(filter);
  }
  getSuspensions(): Promise<QuerySuspensionsResponse> {
    return this.queries.getSuspensions();
  }
  getDisbandStatus(): Promise<QueryDisbandStatusResponse> {
    return this.queries.getDisbandStatus();
  }
  getBrokenRoutes(): Promise<BrokenRoute[]> {
    return this.queries.getBrokenRoutes();
  }
  isRouteBroken(typeUrl: string): Promise<QueryIsBrokenResponse> {
    return this.queries.isRouteBroken(typeUrl);
  }
  getGovParams(): Promise<GovParams> {
    return this.queries.getGovParams();
  }
  getProposal(id: ProposalId): Promise<Proposal | null> {
    return this.queries.getProposal(id);
  }
  getProposals(filter: ProposalFilter = {}): Promise<Proposal[]> {
    return this.queries.getProposals(filter);
  }
  getGovVote(id: ProposalId, voter: string): Promise<GovVote | null> {
    return this.queries.getGovVote(id, voter);
  }
  getGovVotes(id: ProposalId): Promise<GovVote[]> {
    return this.queries.getGovVotes(id);
  }
  getDeposits(id: ProposalId): Promise<Deposit[]> {
    return this.queries.getDeposits(id);
  }
  getTally(id: ProposalId): Promise<TallyResult> {
    return this.queries.getTally(id);
  }
  getValidators(status: ValidatorStatus = ""): Promise<Validator[]> {
    return this.queries.getValidators(status);
  }
  getValidator(operatorAddress: string): Promise<Validator> {
    return this.queries.getValidator(operatorAddress);
  }
  getDelegations(delegator: string): Promise<DelegationResponse[]> {
    return this.queries.getDelegations(delegator);
  }
  getUnbondingDelegations(delegator: string): Promise<UnbondingDelegation[]> {
    return this.queries.getUnbondingDelegations(delegator);
  }
  getTxDetails(hash: string): Promise<TxDetails | null> {
    return this.queries.getTxDetails(hash);
  }
}
