/**
 * Type URLs, registry types and EncodeObject builders of the standard staking, slashing and
 * distribution messages a validator or delegator sends (cosmjs-types codecs, the ones the chain
 * decodes with). CosmJS's `defaultRegistryTypes` has the staking and most distribution messages;
 * `rewardsRegistryTypes` adds what it lacks (MsgUnjail, MsgCommunityPoolSpend and the modules'
 * governance-only MsgUpdateParams), so proposals carrying them encode and decode too.
 *
 *   const msg = buildWithdrawDelegatorReward(me, valoper);
 *   await client.signAndBroadcast(me, [msg], "auto");
 */
import type { EncodeObject, GeneratedType } from "@cosmjs/proto-signing";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import {
  MsgCommunityPoolSpend,
  MsgFundCommunityPool,
  MsgSetWithdrawAddress,
  MsgUpdateParams as MsgUpdateDistributionParams,
  MsgWithdrawDelegatorReward,
  MsgWithdrawValidatorCommission,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { MsgUpdateParams as MsgUpdateMintParams } from "cosmjs-types/cosmos/mint/v1beta1/tx";
import { MsgUnjail, MsgUpdateParams as MsgUpdateSlashingParams } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import type { Description } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import {
  MsgBeginRedelegate,
  MsgCancelUnbondingDelegation,
  MsgCreateValidator,
  MsgEditValidator,
} from "cosmjs-types/cosmos/staking/v1beta1/tx";

export const REWARDS_TYPE_URLS = {
  unjail: "/cosmos.slashing.v1beta1.MsgUnjail",
  updateSlashingParams: "/cosmos.slashing.v1beta1.MsgUpdateParams",
  withdrawDelegatorReward: "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward",
  withdrawValidatorCommission: "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission",
  setWithdrawAddress: "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress",
  fundCommunityPool: "/cosmos.distribution.v1beta1.MsgFundCommunityPool",
  communityPoolSpend: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
  updateDistributionParams: "/cosmos.distribution.v1beta1.MsgUpdateParams",
  updateMintParams: "/cosmos.mint.v1beta1.MsgUpdateParams",
  createValidator: "/cosmos.staking.v1beta1.MsgCreateValidator",
  editValidator: "/cosmos.staking.v1beta1.MsgEditValidator",
  beginRedelegate: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
  cancelUnbondingDelegation: "/cosmos.staking.v1beta1.MsgCancelUnbondingDelegation",
} as const;

/** The registry types CosmJS's `defaultRegistryTypes` lacks (spread them after it). */
export const rewardsRegistryTypes: ReadonlyArray<[string, GeneratedType]> = [
  [REWARDS_TYPE_URLS.unjail, MsgUnjail],
  [REWARDS_TYPE_URLS.updateSlashingParams, MsgUpdateSlashingParams],
  [REWARDS_TYPE_URLS.communityPoolSpend, MsgCommunityPoolSpend],
  [REWARDS_TYPE_URLS.updateDistributionParams, MsgUpdateDistributionParams],
  [REWARDS_TYPE_URLS.updateMintParams, MsgUpdateMintParams],
];

export interface MsgUnjailEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail";
  readonly value: MsgUnjail;
}
export interface MsgWithdrawDelegatorRewardEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward";
  readonly value: MsgWithdrawDelegatorReward;
}
export interface MsgWithdrawValidatorCommissionEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission";
  readonly value: MsgWithdrawValidatorCommission;
}
export interface MsgSetWithdrawAddressEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress";
  readonly value: MsgSetWithdrawAddress;
}
export interface MsgFundCommunityPoolEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPool";
  readonly value: MsgFundCommunityPool;
}
export interface MsgCreateValidatorEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator";
  readonly value: MsgCreateValidator;
}
export interface MsgEditValidatorEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.staking.v1beta1.MsgEditValidator";
  readonly value: MsgEditValidator;
}
export interface MsgBeginRedelegateEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate";
  readonly value: MsgBeginRedelegate;
}
export interface MsgCancelUnbondingDelegationEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.staking.v1beta1.MsgCancelUnbondingDelegation";
  readonly value: MsgCancelUnbondingDelegation;
}

/** `validator` is the operator address (…valoper1…); the operator's account signs. */
export function buildUnjail(validator: string): MsgUnjailEncodeObject {
  return { typeUrl: REWARDS_TYPE_URLS.unjail, value: MsgUnjail.fromPartial({ validatorAddr: validator }) };
}

export function buildWithdrawDelegatorReward(delegator: string, validator: string): MsgWithdrawDelegatorRewardEncodeObject {
  return { typeUrl: REWARDS_TYPE_URLS.withdrawDelegatorReward, value: MsgWithdrawDelegatorReward.fromPartial({ delegatorAddress: delegator, validatorAddress: validator }) };
}

export function buildWithdrawValidatorCommission(validator: string): MsgWithdrawValidatorCommissionEncodeObject {
  return { typeUrl: REWARDS_TYPE_URLS.withdrawValidatorCommission, value: MsgWithdrawValidatorCommission.fromPartial({ validatorAddress: validator }) };
}

export function buildSetWithdrawAddress(delegator: string, withdrawAddress: string): MsgSetWithdrawAddressEncodeObject {
  return { typeUrl: REWARDS_TYPE_URLS.setWithdrawAddress, value: MsgSetWithdrawAddress.fromPartial({ delegatorAddress: delegator, withdrawAddress }) };
}

export function buildFundCommunityPool(depositor: string, amount: readonly Coin[]): MsgFundCommunityPoolEncodeObject {
  return { typeUrl: REWARDS_TYPE_URLS.fundCommunityPool, value: MsgFundCommunityPool.fromPartial({ depositor, amount: amount.map((c) => ({ denom: c.denom, amount: c.amount })) }) };
}

/** Commission rates as 18-decimal fixed point ("100000000000000000" is 10%; see decimalToFixed18). */
export interface CommissionRatesInput {
  readonly rate: string;
  readonly maxRate: string;
  readonly maxChangeRate: string;
}

export interface ValidatorDescription {
  readonly moniker: string;
  readonly identity?: string;
  readonly website?: string;
  readonly securityContact?: string;
  readonly details?: string;
}

function description(d: ValidatorDescription): Description {
  return { moniker: d.moniker, identity: d.identity ?? "", website: d.website ?? "", securityContact: d.securityContact ?? "", details: d.details ?? "" };
}

export interface CreateValidatorInput {
  /** The operator's account address (signs and self-delegates). */
  readonly delegator: string;
  /** The operator address: the same key with the valoper prefix. */
  readonly validator: string;
  /** The 32-byte ed25519 consensus public key (CometBFT's priv_validator_key.json). */
  readonly consensusPubkey: Uint8Array;
  readonly selfDelegation: Coin;
  readonly description: ValidatorDescription;
  readonly commission: CommissionRatesInput;
  /** Integer amount of the bond denom ("1" by default). */
  readonly minSelfDelegation?: string;
}

export function buildCreateValidator(input: CreateValidatorInput): MsgCreateValidatorEncodeObject {
  if (input.consensusPubkey.length !== 32) throw new Error(`an ed25519 consensus public key has 32 bytes, got ${input.consensusPubkey.length}`);
  return {
    typeUrl: REWARDS_TYPE_URLS.createValidator,
    value: MsgCreateValidator.fromPartial({
      description: description(input.description),
      commission: { rate: input.commission.rate, maxRate: input.commission.maxRate, maxChangeRate: input.commission.maxChangeRate },
      minSelfDelegation: input.minSelfDelegation ?? "1",
      delegatorAddress: input.delegator,
      validatorAddress: input.validator,
      pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: input.consensusPubkey }).finish() },
      value: { denom: input.selfDelegation.denom, amount: input.selfDelegation.amount },
    }),
  };
}

export interface EditValidatorInput {
  readonly validator: string;
  /**
   * The new description. The SDK keeps a field whose value is "[do-not-modify]" as it is; fields
   * left out here are sent as "[do-not-modify]".
   */
  readonly description?: Partial<ValidatorDescription>;
  /** New commission rate (18-decimal fixed point); absent = unchanged. */
  readonly commissionRate?: string;
  /** New minimum self-delegation (integer); absent = unchanged. */
  readonly minSelfDelegation?: string;
}

/** The SDK's marker for a description field MsgEditValidator leaves as it is. */
export const DO_NOT_MODIFY = "[do-not-modify]";

export function buildEditValidator(input: EditValidatorInput): MsgEditValidatorEncodeObject {
  const d = input.description ?? {};
  return {
    typeUrl: REWARDS_TYPE_URLS.editValidator,
    value: MsgEditValidator.fromPartial({
      description: {
        moniker: d.moniker ?? DO_NOT_MODIFY,
        identity: d.identity ?? DO_NOT_MODIFY,
        website: d.website ?? DO_NOT_MODIFY,
        securityContact: d.securityContact ?? DO_NOT_MODIFY,
        details: d.details ?? DO_NOT_MODIFY,
      },
      validatorAddress: input.validator,
      commissionRate: input.commissionRate ?? "",
      minSelfDelegation: input.minSelfDelegation ?? "",
    }),
  };
}

export function buildBeginRedelegate(delegator: string, source: string, destination: string, amount: Coin): MsgBeginRedelegateEncodeObject {
  return {
    typeUrl: REWARDS_TYPE_URLS.beginRedelegate,
    value: MsgBeginRedelegate.fromPartial({ delegatorAddress: delegator, validatorSrcAddress: source, validatorDstAddress: destination, amount: { denom: amount.denom, amount: amount.amount } }),
  };
}

export function buildCancelUnbondingDelegation(delegator: string, validator: string, amount: Coin, creationHeight: bigint): MsgCancelUnbondingDelegationEncodeObject {
  return {
    typeUrl: REWARDS_TYPE_URLS.cancelUnbondingDelegation,
    value: MsgCancelUnbondingDelegation.fromPartial({ delegatorAddress: delegator, validatorAddress: validator, amount: { denom: amount.denom, amount: amount.amount }, creationHeight }),
  };
}
