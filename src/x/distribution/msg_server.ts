/**
 * The x/distribution msg server (`cosmos.distribution.v1beta1.Msg`): rewards and commission
 * withdrawal, withdraw address, the community pool (fund; spend by governance), validator rewards
 * pool deposits and MsgUpdateParams (governance only).
 */
import {
  type Msg,
  MsgCommunityPoolSpend,
  MsgCommunityPoolSpendResponse,
  MsgDepositValidatorRewardsPool,
  MsgDepositValidatorRewardsPoolResponse,
  MsgFundCommunityPool,
  MsgFundCommunityPoolResponse,
  MsgSetWithdrawAddress,
  MsgSetWithdrawAddressResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  MsgWithdrawDelegatorReward,
  MsgWithdrawDelegatorRewardResponse,
  MsgWithdrawValidatorCommission,
  MsgWithdrawValidatorCommissionResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { type Coin, coinsFromProto, coinsToProto } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { ErrInvalidCoins } from "../../baseapp/errors";
import { type MsgTable, msgSpec } from "../../baseapp/msgserver";
import { requireGovAuthority } from "../auth/authority";
import { addrBytes } from "../auth/keeper";
import { updateParamsSpec } from "../auth/update_params";
import { operatorAccount, valoperBytes } from "../staking/records";
import { fromCoins } from "./deccoins";
import {
  ErrEmptyDelegatorAddr,
  ErrEmptyProposalRecipient,
  ErrEmptyValidatorAddr,
  ErrEmptyWithdrawAddr,
  ErrInvalidParams,
  ErrInvalidProposalAmount,
  ErrInvalidSigner,
  ErrNoValidatorExists,
} from "./errors";
import type { BankKeeper, StakingForDistribution } from "./expected";
import { type DistributionKeeper, validateDistributionParams } from "./keeper";

export const DISTRIBUTION_MSG_PACKAGE = "cosmos.distribution.v1beta1";

const GOV_ONLY = "this distribution message";

export function requireDelegatorAddr(a: string): void {
  if (a === "") throw ErrEmptyDelegatorAddr.wrap("delegator_address is empty");
  addrBytes(a);
}

export function requireValidatorAddr(a: string): void {
  if (a === "") throw ErrEmptyValidatorAddr.wrap("validator_address is empty");
  valoperBytes(a);
}

function spendCoins(amount: readonly { denom: string; amount: string }[]): Coin[] {
  let coins: Coin[];
  try {
    coins = coinsFromProto(amount);
  } catch (e) {
    throw ErrInvalidProposalAmount.wrap(e instanceof Error ? e.message : String(e));
  }
  if (coins.length === 0) throw ErrInvalidProposalAmount.wrap("amount must not be empty");
  return coins;
}

function positiveCoins(amount: readonly { denom: string; amount: string }[]): Coin[] {
  const coins = coinsFromProto(amount);
  if (coins.length === 0) throw ErrInvalidCoins.wrap("amount must not be empty");
  return coins;
}

/** Stateless checks of MsgFundCommunityPool; returns the amount. */
function validateFund(m: MsgFundCommunityPool): Coin[] {
  addrBytes(m.depositor);
  return positiveCoins(m.amount);
}

/** Stateless checks of MsgCommunityPoolSpend; returns the amount. */
function validateSpend(m: MsgCommunityPoolSpend): Coin[] {
  addrBytes(m.authority);
  if (m.recipient === "") throw ErrEmptyProposalRecipient.wrap("recipient is empty");
  try {
    addrBytes(m.recipient);
  } catch (e) {
    throw ErrEmptyProposalRecipient.wrap(e instanceof Error ? e.message : String(e));
  }
  return spendCoins(m.amount);
}

export class DistributionMsgServer {
  constructor(
    private readonly keeper: DistributionKeeper,
    private readonly bank: BankKeeper,
    private readonly staking: StakingForDistribution,
  ) {}

  table(): MsgTable<Msg> {
    return {
      SetWithdrawAddress: msgSpec({
        codec: MsgSetWithdrawAddress,
        response: MsgSetWithdrawAddressResponse,
        signers: (m) => [m.delegatorAddress],
        validateBasic: (m) => {
          requireDelegatorAddr(m.delegatorAddress);
          if (m.withdrawAddress === "") throw ErrEmptyWithdrawAddr.wrap("withdraw_address is empty");
          addrBytes(m.withdrawAddress);
        },
        handle: (ctx, m) => {
          this.keeper.setWithdrawAddress(ctx, m.delegatorAddress, m.withdrawAddress);
          return {};
        },
      }),
      WithdrawDelegatorReward: msgSpec({
        codec: MsgWithdrawDelegatorReward,
        response: MsgWithdrawDelegatorRewardResponse,
        signers: (m) => [m.delegatorAddress],
        validateBasic: (m) => {
          requireDelegatorAddr(m.delegatorAddress);
          requireValidatorAddr(m.validatorAddress);
        },
        handle: (ctx, m) => ({ amount: coinsToProto(this.keeper.withdrawDelegatorReward(ctx, m.delegatorAddress, m.validatorAddress)) }),
      }),
      WithdrawValidatorCommission: msgSpec({
        codec: MsgWithdrawValidatorCommission,
        response: MsgWithdrawValidatorCommissionResponse,
        signers: (m) => [operatorAccount(m.validatorAddress)],
        validateBasic: (m) => requireValidatorAddr(m.validatorAddress),
        handle: (ctx, m) => ({ amount: coinsToProto(this.keeper.withdrawValidatorCommission(ctx, m.validatorAddress)) }),
      }),
      FundCommunityPool: msgSpec({
        codec: MsgFundCommunityPool,
        response: MsgFundCommunityPoolResponse,
        signers: (m) => [m.depositor],
        validateBasic: validateFund,
        handle: (ctx, m, amount) => {
          this.keeper.fundCommunityPool(ctx, m.depositor, amount);
          return {};
        },
      }),
      CommunityPoolSpend: msgSpec({
        codec: MsgCommunityPoolSpend,
        response: MsgCommunityPoolSpendResponse,
        signers: (m) => [m.authority],
        validateBasic: validateSpend,
        handle: (ctx, m, amount) => {
          requireGovAuthority(m.authority, GOV_ONLY, ErrInvalidSigner);
          if (this.bank.isBlocked(m.recipient)) throw ErrEmptyProposalRecipient.wrap(`${m.recipient} is a module account and may not receive a community pool spend`);
          this.keeper.spendFromCommunityPool(ctx, m.recipient, amount);
          return {};
        },
      }),
      DepositValidatorRewardsPool: msgSpec({
        codec: MsgDepositValidatorRewardsPool,
        response: MsgDepositValidatorRewardsPoolResponse,
        signers: (m) => [m.depositor],
        validateBasic: (m) => {
          addrBytes(m.depositor);
          requireValidatorAddr(m.validatorAddress);
          return positiveCoins(m.amount);
        },
        handle: (ctx: Context, m, amount) => {
          this.bank.sendFromAccountToModule(ctx, m.depositor, "distribution", amount);
          const v = this.staking.getValidator(ctx, m.validatorAddress);
          if (v === undefined) throw ErrNoValidatorExists.wrap(`validator ${m.validatorAddress} does not exist`);
          this.keeper.allocateTokensToValidator(ctx, v, fromCoins(amount));
          return {};
        },
      }),
      UpdateParams: updateParamsSpec({
        codec: MsgUpdateParams,
        response: MsgUpdateParamsResponse,
        what: GOV_ONLY,
        err: ErrInvalidSigner,
        validateBasic: (m) => addrBytes(m.authority),
        validate(m) {
          if ((m as Partial<MsgUpdateParams>).params === undefined) throw ErrInvalidParams.wrap("params are missing; all fields must be supplied");
          validateDistributionParams(m.params);
          return m.params;
        },
        store: (ctx, p) => this.keeper.setParams(ctx, p),
      }),
    };
  }
}
