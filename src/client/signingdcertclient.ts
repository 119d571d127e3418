/**
 * SigningDcertClient: CosmJS's `SigningStargateClient` with the dCERT messages registered (protobuf
 * and amino JSON, gov v1 amino included) and a typed method per dCERT action and governance step.
 * The sign mode follows the signer, as in CosmJS: a `DirectSecp256k1HdWallet` signs
 * SIGN_MODE_DIRECT, an amino-only signer (`Secp256k1HdWallet`, Ledger) signs legacy amino JSON.
 *
 *   const client = await SigningDcertClient.connectWithSigner(rpc, wallet, { gasPrice: GasPrice.fromString("0.025udcert") });
 *   await client.vote(me, [{ candidate, share: decimalToFixed18("0.5") }], "auto");
 */
import { encodeSecp256k1Pubkey, type StdFee } from "@cosmjs/amino";
import { Registry, encodePubkey, type EncodeObject, type GeneratedType, type OfflineSigner } from "@cosmjs/proto-signing";
import {
  GasPrice,
  SigningStargateClient,
  createProtobufRpcClient,
  defaultRegistryTypes,
  type DeliverTxResponse,
  type SigningStargateClientOptions,
} from "@cosmjs/stargate";
import { connectComet, type CometClient, type HttpEndpoint } from "@cosmjs/tendermint-rpc";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import type { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { ServiceClientImpl } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, Fee as ProtoFee, Tx, TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Params } from "../generated/dcert/v1/params";
import type { QueryGroupResponse, QueryIsBrokenResponse } from "../generated/dcert/v1/query";
import type { GroupDescription, MemberStatus, VoterRecord } from "../generated/dcert/v1/types";
import { createDcertAminoTypes } from "./aminotypes";
import {
  buildAcceptAdmission,
  buildBond,
  buildCircuitBreak,
  buildGovDeposit,
  buildGovVote,
  buildGovVoteWeighted,
  buildLeaveGroup,
  buildSubmitProposal,
  buildUnbond,
  buildUpdateDescription,
  buildVote,
  buildVoteSuspend,
  type ProposalContent,
  type VoteShare,
} from "./builders";
import type { CoordExtension } from "./coord/queries";
import { DcertQueries, createDcertQueryClient } from "./dcertclient";
import { rewardsRegistryTypes } from "./rewards/messages";
import type { ProposalId } from "./govqueries";
import { coordTypes } from "../types/coord/messages";
import { upgradeTypes } from "../types/upgrade/messages";
import { dcertTypes } from "../types/messages";
import { fixCosmjsInt64Writer } from "../types/int64writer";

/**
 * CosmJS's default types (bank, staking, distribution, gov v1beta1 and v1, …), the standard ones it
 * lacks (slashing, MsgCommunityPoolSpend, the modules' MsgUpdateParams) and every dCERT,
 * coordination and upgrade message.
 */
export const dcertRegistryTypes: ReadonlyArray<[string, GeneratedType]> = [...defaultRegistryTypes, ...rewardsRegistryTypes, ...dcertTypes, ...coordTypes, ...upgradeTypes];

export function createDcertRegistry(): Registry {
  return new Registry(dcertRegistryTypes);
}

/** A fee as `signAndBroadcast` takes it: explicit, "auto" (simulate × 1.4), or a simulation multiplier. */
export type Fee = StdFee | "auto" | number;

/** Options of the signing client; `registry` and `aminoTypes` default to the dCERT ones. */
export interface SigningDcertClientOptions extends SigningStargateClientOptions {
  /**
   * Denom of the one-unit fee that simulations carry (default: the gas price's denom, else
   * "udcert"); see `simulate`.
   */
  readonly simulationFeeDenom?: string;
}

/** The chain's fee denom, used when nothing else says which denom fees are paid in. */
const DEFAULT_FEE_DENOM = "udcert";

export class SigningDcertClient extends SigningStargateClient {
  private readonly dcertQueries: DcertQueries | undefined;
  private readonly dcertSigner: OfflineSigner;
  private readonly simulationFeeDenom: string;

  static override async connectWithSigner(
    endpoint: string | HttpEndpoint,
    signer: OfflineSigner,
    options: SigningDcertClientOptions = {},
  ): Promise<SigningDcertClient> {
    const cometClient = await connectComet(endpoint);
    return new SigningDcertClient(cometClient, signer, options);
  }

  static override createWithSigner(cometClient: CometClient, signer: OfflineSigner, options: SigningDcertClientOptions = {}): SigningDcertClient {
    return new SigningDcertClient(cometClient, signer, options);
  }

  /** A client that signs without a connection (pass explicit signer data to `sign`). */
  static override async offline(signer: OfflineSigner, options: SigningDcertClientOptions = {}): Promise<SigningDcertClient> {
    return new SigningDcertClient(undefined, signer, options);
  }

  protected constructor(cometClient: CometClient | undefined, signer: OfflineSigner, options: SigningDcertClientOptions) {
    // Before anything is signed: CosmJS encodes the fee's gas limit with cosmjs-types' writer,
    // which wrote a limit in [2^31, 2^32) wrongly (fixCosmjsInt64Writer).
    fixCosmjsInt64Writer();
    super(cometClient, signer, {
      ...options,
      registry: options.registry ?? createDcertRegistry(),
      aminoTypes: options.aminoTypes ?? createDcertAminoTypes(),
    });
    this.dcertQueries = cometClient === undefined ? undefined : new DcertQueries(createDcertQueryClient(cometClient), cometClient);
    this.dcertSigner = signer;
    this.simulationFeeDenom = options.simulationFeeDenom ?? (options.gasPrice instanceof GasPrice ? options.gasPrice.denom : DEFAULT_FEE_DENOM);
  }

  /**
   * Gas used by `messages`, from the chain's Simulate query. Unlike CosmJS's simulation (which
   * sends an empty fee), the simulated tx carries a one-unit fee so that the ante handler's fee
   * deduction (two balance reads and writes, ~11k gas here) is part of the estimate: dCERT txs
   * use only ~25–40k gas, so leaving it out would exceed the usual 1.4 gas adjustment.
   */
  override async simulate(signerAddress: string, messages: readonly EncodeObject[], memo: string | undefined): Promise<number> {
    const account = (await this.dcertSigner.getAccounts()).find((a) => a.address === signerAddress);
    if (account === undefined) throw new Error(`the signer has no account ${signerAddress}`);
    const { sequence } = await this.getSequence(signerAddress);
    const tx = Tx.fromPartial({
      body: TxBody.fromPartial({ messages: messages.map((m) => this.registry.encodeAsAny(m)), memo: memo ?? "" }),
      authInfo: AuthInfo.fromPartial({
        fee: ProtoFee.fromPartial({ amount: [{ denom: this.simulationFeeDenom, amount: "1" }] }),
        signerInfos: [
          {
            publicKey: encodePubkey(encodeSecp256k1Pubkey(account.pubkey)),
            sequence: BigInt(sequence),
            modeInfo: { single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } },
          },
        ],
      }),
      signatures: [new Uint8Array()],
    });
    const service = new ServiceClientImpl(createProtobufRpcClient(this.queries.queryClient));
    const { gasInfo } = await service.Simulate({ txBytes: Tx.encode(tx).finish() });
    if (gasInfo === undefined) throw new Error("the chain's simulation returned no gas info");
    const used = gasInfo.gasUsed;
    if (used > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`simulated gas ${used} is out of range`);
    return Number(used);
  }

  /** The typed queries (the same as DcertClient's). Throws for an offline client. */
  get queries(): DcertQueries {
    if (this.dcertQueries === undefined) throw new Error("the client is offline; use SigningDcertClient.connectWithSigner");
    return this.dcertQueries;
  }

  /**
   * The coordination queries (`client.coord.case(1n)`). Coordination messages are sent with
   * `signAndBroadcast` and the builders of the `coord` namespace (`coord.buildOpenCase(...)`).
   * Throws for an offline client.
   */
  get coord(): CoordExtension["coord"] {
    return this.queries.coord;
  }

  // ---- dCERT actions

  /** Replaces `voter`'s vote; `entries` with 18-decimal fixed-point shares summing to at most 1. */
  vote(voter: string, entries: readonly VoteShare[], fee: Fee, memo = ""): Promise<DeliverTxResponse> {
    return this.signAndBroadcast(voter, [buildVote(voter, entries)], fee, memo);
  }

  /** Withdraws `voter`'s vote (an empty vote). */
  clearVote(voter: string, fee: Fee, memo = ""): Promise<DeliverTxResponse> {
    return this.signAndBroadcast(voter, [buildVote(voter, [])], fee, memo);
  }

  acceptAdmission(candidate: string, fee: Fee, memo = ""): Promise<DeliverTxResponse> {
    return this.signAndBroadcast(candidate, [buildAcceptAdmission(candidate)], fee, memo);
  }

  leaveGroup(member: string, fee: Fee, memo = ""): Promise<DeliverTxResponse> {
    return this.signAndBroadcast(member, [buildLeaveGroup(member)], fee, memo);
  }

  /** Bonds `amount` from `staker` for `member` (themselves or anyone else). */
  bond(staker: string, member: string, amount: Coin, fee: Fee, memo = ""): Promise<DeliverTxResponse> {
    return this.signAndBroadcast(staker, [buildBond(staker, member, amount)], fee, memo);
  }

  unbond(staker: string, member: string, amount: Coin, fee: Fee, memo = ""): Promise<DeliverTxResponse> {
    return this.signAndBroadcast(staker, [buildUnbond(staker, member, amount)], fee, memo);
  }

  voteSuspend(member: string, target: string, reason: string, fee: Fee, memo = ""): Promise<DeliverTxResponse> {
    return this.signAndBroadcast(member, [buildVoteSuspend(member, target, reason)], fee, memo);
  }

  updateDescription(member: string, description: Partial<GroupDescription>, fee: Fee, memo = ""): Promise<DeliverTxResponse> {
    return this.signAndBroadcast(member, [buildUpdateDescription(member, description)], fee, memo);
  }

  /** `caseId` cites the coordination case the break mitigates (0 = none). */
  circuitBreak(member: string, routes: readonly string[], reason: string, fee: Fee, memo = "", caseId = 0n): Promise<DeliverTxResponse> {
    return this.signAndBroadcast(member, [buildCircuitBreak(member, routes, reason, caseId)], fee, memo);
  }

  // ---- governance (the governance-only dCERT messages travel inside proposals; see builders.ts)

  /** Submits a gov v1 proposal carrying `messages` (e.g. buildSlashMember(...), buildUpdateParams(...)). */
  submitProposal(
    proposer: string,
    messages: readonly EncodeObject[],
    initialDeposit: readonly Coin[],
    content: ProposalContent,
    fee: Fee,
    memo = "",
  ): Promise<DeliverTxResponse> {
    const msg = buildSubmitProposal({ proposer, messages, initialDeposit, ...content }, this.registry);
    return this.signAndBroadcast(proposer, [msg], fee, memo);
  }

  govVote(voter: string, proposalId: ProposalId, option: VoteOption, fee: Fee, memo = ""): Promise<DeliverTxResponse> {
    return this.signAndBroadcast(voter, [buildGovVote(voter, proposalId, option)], fee, memo);
  }

  govVoteWeighted(
    voter: string,
    proposalId: ProposalId,
    options: ReadonlyArray<{ readonly option: VoteOption; readonly weight: string }>,
    fee: Fee,
    memo = "",
  ): Promise<DeliverTxResponse> {
    return this.signAndBroadcast(voter, [buildGovVoteWeighted(voter, proposalId, options)], fee, memo);
  }

  govDeposit(depositor: string, proposalId: ProposalId, amount: readonly Coin[], fee: Fee, memo = ""): Promise<DeliverTxResponse> {
    return this.signAndBroadcast(depositor, [buildGovDeposit(depositor, proposalId, amount)], fee, memo);
  }

  // ---- the most used dCERT queries (all of them: `client.queries`)

  getDcertParams(): Promise<Params> {
    return this.queries.getDcertParams();
  }
  getGroup(): Promise<QueryGroupResponse> {
    return this.queries.getGroup();
  }
  getMemberStatus(address: string): Promise<MemberStatus> {
    return this.queries.getMemberStatus(address);
  }
  getVote(voter: string): Promise<VoterRecord | null> {
    return this.queries.getVote(voter);
  }
  isRouteBroken(typeUrl: string): Promise<QueryIsBrokenResponse> {
    return this.queries.isRouteBroken(typeUrl);
  }
}
