/**
 * Query extensions for CosmJS's `QueryClient` over the standard slashing, distribution, mint and
 * evidence query services (`/cosmos.<module>.v1beta1.Query/<Method>`), returning the decoded
 * responses as cosmjs-types defines them:
 *
 *   const q = QueryClient.withExtensions(comet, setupSlashingQueryExtension, setupDistributionQueryExtension);
 *   const { info } = await q.slashing.signingInfo(consensusAddress(pubkey));
 *   const { rewards } = await q.distribution.delegationRewards(delegator, valoper);
 *
 * CosmJS's own `setupDistributionExtension` lacks ValidatorDistributionInfo and its mint extension
 * parses decimals into floats-free `Decimal`s but hides the raw values; these return the wire form.
 * Decimal fields (LegacyDec) travel as 18-decimal fixed-point integer strings, and the slashing and
 * mint `bytes` decimals as the UTF-8 of that string: `decBytesToFixed18` reads them.
 */
import { sha256 } from "@cosmjs/crypto";
import { fromUtf8, toBech32 } from "@cosmjs/encoding";
import { createPagination, createProtobufRpcClient, type QueryClient } from "@cosmjs/stargate";
import {
  QueryClientImpl as DistributionQuery,
  type QueryCommunityPoolResponse,
  type QueryDelegationRewardsResponse,
  type QueryDelegationTotalRewardsResponse,
  type QueryDelegatorValidatorsResponse,
  type QueryDelegatorWithdrawAddressResponse,
  type QueryParamsResponse as DistributionParamsResponse,
  type QueryValidatorCommissionResponse,
  type QueryValidatorDistributionInfoResponse,
  type QueryValidatorOutstandingRewardsResponse,
  type QueryValidatorSlashesResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { Equivocation } from "cosmjs-types/cosmos/evidence/v1beta1/evidence";
import { QueryClientImpl as EvidenceQuery, type QueryAllEvidenceResponse, type QueryEvidenceResponse } from "cosmjs-types/cosmos/evidence/v1beta1/query";
import {
  QueryClientImpl as MintQuery,
  type QueryAnnualProvisionsResponse,
  type QueryInflationResponse,
  type QueryParamsResponse as MintParamsResponse,
} from "cosmjs-types/cosmos/mint/v1beta1/query";
import {
  QueryClientImpl as SlashingQuery,
  type QueryParamsResponse as SlashingParamsResponse,
  type QuerySigningInfoResponse,
  type QuerySigningInfosResponse,
} from "cosmjs-types/cosmos/slashing/v1beta1/query";
import type { Any } from "cosmjs-types/google/protobuf/any";

/** Bech32 prefix of consensus addresses (validator signing keys). */
export const DCERT_VALCONS_PREFIX = "dcertvalcons";

/** The consensus address of an ed25519 consensus key: the first 20 bytes of its SHA-256 (as CometBFT). */
export function consensusAddress(ed25519PubKey: Uint8Array, prefix: string = DCERT_VALCONS_PREFIX): string {
  if (ed25519PubKey.length !== 32) throw new Error(`an ed25519 public key has 32 bytes, got ${ed25519PubKey.length}`);
  return toBech32(prefix, sha256(ed25519PubKey).slice(0, 20));
}

/**
 * A LegacyDec sent as `bytes` (slashing params, mint inflation and provisions): the UTF-8 of its
 * 18-decimal fixed-point integer. Returns that integer string ("0" for empty bytes).
 */
export function decBytesToFixed18(bytes: Uint8Array): string {
  if (bytes.length === 0) return "0";
  const text = fromUtf8(bytes);
  if (!/^-?[0-9]+$/.test(text)) throw new Error(`not a fixed-point decimal: ${JSON.stringify(text.slice(0, 80))}`);
  return text;
}

/** Evidence as the chain stores it: an Equivocation, decoded; other types are returned as they came. */
export function decodeEvidence(any: Any): Equivocation | Any {
  return any.typeUrl === "/cosmos.evidence.v1beta1.Equivocation" ? Equivocation.decode(any.value) : any;
}

export interface SlashingQueryExtension {
  readonly slashing: {
    readonly params: () => Promise<SlashingParamsResponse>;
    /** By consensus address (`…valcons1…`, see `consensusAddress`). */
    readonly signingInfo: (consAddress: string) => Promise<QuerySigningInfoResponse>;
    readonly signingInfos: (paginationKey?: Uint8Array) => Promise<QuerySigningInfosResponse>;
  };
}

export function setupSlashingQueryExtension(base: QueryClient): SlashingQueryExtension {
  const q = new SlashingQuery(createProtobufRpcClient(base));
  return {
    slashing: {
      params: () => q.Params({}),
      signingInfo: (consAddress) => q.SigningInfo({ consAddress }),
      signingInfos: (key) => q.SigningInfos({ pagination: createPagination(key) }),
    },
  };
}

export interface DistributionQueryExtension {
  readonly distribution: {
    readonly params: () => Promise<DistributionParamsResponse>;
    /** Self-bond rewards, commission and operator address of a validator. */
    readonly validatorDistributionInfo: (validator: string) => Promise<QueryValidatorDistributionInfoResponse>;
    readonly validatorOutstandingRewards: (validator: string) => Promise<QueryValidatorOutstandingRewardsResponse>;
    readonly validatorCommission: (validator: string) => Promise<QueryValidatorCommissionResponse>;
    /** Slash events with starting ≤ height ≤ ending. */
    readonly validatorSlashes: (validator: string, startingHeight: bigint, endingHeight: bigint, paginationKey?: Uint8Array) => Promise<QueryValidatorSlashesResponse>;
    readonly delegationRewards: (delegator: string, validator: string) => Promise<QueryDelegationRewardsResponse>;
    readonly delegationTotalRewards: (delegator: string) => Promise<QueryDelegationTotalRewardsResponse>;
    readonly delegatorValidators: (delegator: string) => Promise<QueryDelegatorValidatorsResponse>;
    readonly delegatorWithdrawAddress: (delegator: string) => Promise<QueryDelegatorWithdrawAddressResponse>;
    readonly communityPool: () => Promise<QueryCommunityPoolResponse>;
  };
}

export function setupDistributionQueryExtension(base: QueryClient): DistributionQueryExtension {
  const q = new DistributionQuery(createProtobufRpcClient(base));
  return {
    distribution: {
      params: () => q.Params({}),
      validatorDistributionInfo: (validatorAddress) => q.ValidatorDistributionInfo({ validatorAddress }),
      validatorOutstandingRewards: (validatorAddress) => q.ValidatorOutstandingRewards({ validatorAddress }),
      validatorCommission: (validatorAddress) => q.ValidatorCommission({ validatorAddress }),
      validatorSlashes: (validatorAddress, startingHeight, endingHeight, key) =>
        q.ValidatorSlashes({ validatorAddress, startingHeight, endingHeight, pagination: createPagination(key) }),
      delegationRewards: (delegatorAddress, validatorAddress) => q.DelegationRewards({ delegatorAddress, validatorAddress }),
      delegationTotalRewards: (delegatorAddress) => q.DelegationTotalRewards({ delegatorAddress }),
      delegatorValidators: (delegatorAddress) => q.DelegatorValidators({ delegatorAddress }),
      delegatorWithdrawAddress: (delegatorAddress) => q.DelegatorWithdrawAddress({ delegatorAddress }),
      communityPool: () => q.CommunityPool({}),
    },
  };
}

export interface MintQueryExtension {
  readonly mint: {
    readonly params: () => Promise<MintParamsResponse>;
    /** `inflation` is bytes: read it with `decBytesToFixed18`. */
    readonly inflation: () => Promise<QueryInflationResponse>;
    /** `annualProvisions` is bytes: read it with `decBytesToFixed18`. */
    readonly annualProvisions: () => Promise<QueryAnnualProvisionsResponse>;
  };
}

export function setupMintQueryExtension(base: QueryClient): MintQueryExtension {
  const q = new MintQuery(createProtobufRpcClient(base));
  return { mint: { params: () => q.Params({}), inflation: () => q.Inflation({}), annualProvisions: () => q.AnnualProvisions({}) } };
}

export interface EvidenceQueryExtension {
  readonly evidence: {
    /** By hash: hex (upper or lower case) of the evidence's SHA-256. */
    readonly evidence: (hash: string) => Promise<QueryEvidenceResponse>;
    readonly allEvidence: (paginationKey?: Uint8Array) => Promise<QueryAllEvidenceResponse>;
  };
}

export function setupEvidenceQueryExtension(base: QueryClient): EvidenceQueryExtension {
  const q = new EvidenceQuery(createProtobufRpcClient(base));
  return {
    evidence: {
      evidence: (hash) => q.Evidence({ evidenceHash: new Uint8Array(), hash }),
      allEvidence: (key) => q.AllEvidence({ pagination: createPagination(key) }),
    },
  };
}
