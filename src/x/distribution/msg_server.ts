/**
 * The x/distribution msg server (community pool only): MsgFundCommunityPool, MsgCommunityPoolSpend
 * and MsgUpdateParams (both governance-only). Rewards and commission messages are not served.
 */
import {
  type Msg,
  MsgCommunityPoolSpend,
  MsgCommunityPoolSpendResponse,
  MsgFundCommunityPool,
  MsgFundCommunityPoolResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { type Coin, coinsFromProto } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { ErrInvalidCoins } from "../../baseapp/errors";
import { type MsgTable, msgSpec } from "../../baseapp/msgserver";
import { requireGovAuthority } from "../auth/authority";
import { addrBytes } from "../auth/keeper";
import { updateParamsSpec } from "../auth/update_params";
import { ErrEmptyProposalRecipient, ErrInvalidParams, ErrInvalidProposalAmount, ErrInvalidSigner } from "./errors";
import type { BankKeeper } from "./expected";
import { type DistributionKeeper, validateDistributionParams } from "./keeper";

export const DISTRIBUTION_MSG_PACKAGE = "cosmos.distribution.v1beta1";

const GOV_ONLY = "this distribution message";

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

/** Stateless checks of MsgFundCommunityPool; returns the amount. */
function validateFund(m: MsgFundCommunityPool): Coin[] {
  addrBytes(m.depositor);
  const coins = coinsFromProto(m.amount);
  if (coins.length === 0) throw ErrInvalidCoins.wrap("amount must not be empty");
  return coins;
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
  ) {}

  fundCommunityPool(ctx: Context, m: MsgFundCommunityPool, amount: Coin[]): MsgFundCommunityPoolResponse {
    this.keeper.fundCommunityPool(ctx, m.depositor, amount);
    return {};
  }

  communityPoolSpend(ctx: Context, m: MsgCommunityPoolSpend, amount: Coin[]): MsgCommunityPoolSpendResponse {
    requireGovAuthority(m.authority, GOV_ONLY, ErrInvalidSigner);
    if (this.bank.isBlocked(m.recipient)) throw ErrEmptyProposalRecipient.wrap(`${m.recipient} is a module account and may not receive a community pool spend`);
    this.keeper.spendFromCommunityPool(ctx, m.recipient, amount);
    return {};
  }

  table(): MsgTable<Msg, "SetWithdrawAddress" | "WithdrawDelegatorReward" | "WithdrawValidatorCommission" | "DepositValidatorRewardsPool"> {
    return {
      FundCommunityPool: msgSpec({
        codec: MsgFundCommunityPool,
        response: MsgFundCommunityPoolResponse,
        signers: (m) => [m.depositor],
        validateBasic: validateFund,
        handle: (ctx, m, amount) => this.fundCommunityPool(ctx, m, amount),
      }),
      CommunityPoolSpend: msgSpec({
        codec: MsgCommunityPoolSpend,
        response: MsgCommunityPoolSpendResponse,
        signers: (m) => [m.authority],
        validateBasic: validateSpend,
        handle: (ctx, m, amount) => this.communityPoolSpend(ctx, m, amount),
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
