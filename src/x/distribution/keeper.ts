import { Params } from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import { moduleAccountAddress } from "../auth/keeper";
import type { Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { ErrInsufficientFunds } from "../../baseapp/errors";
import { FEE_COLLECTOR } from "../auth/ante";
import { DEC_ONE, decFromProto } from "../staking/dec";
import { ErrInvalidParams } from "./errors";
import { emitCommunityPoolSpend } from "./events";
import type { AccountKeeper, BankKeeper } from "./expected";
import { DISTRIBUTION, keys } from "./keys";

/** The module account whose balance is the community pool. */
export const DISTRIBUTION_MODULE = "distribution";

export function defaultDistributionParams(): Params {
  return {
    communityTax: (DEC_ONE / 50n).toString(), // 0.02
    baseProposerReward: "0",
    bonusProposerReward: "0",
    withdrawAddrEnabled: true,
  };
}

export function validateDistributionParams(p: Params): void {
  const check = (v: string, name: string) => {
    let d: bigint;
    try {
      d = decFromProto(v, name);
    } catch (e) {
      throw ErrInvalidParams.wrap(e instanceof Error ? e.message : String(e));
    }
    if (d < 0n || d > DEC_ONE) throw ErrInvalidParams.wrap(`${name} must be between 0 and 1`);
  };
  check(p.communityTax, "community_tax");
  check(p.baseProposerReward, "base_proposer_reward");
  check(p.bonusProposerReward, "bonus_proposer_reward");
}

/**
 * x/distribution, community pool only: fees collected in a block flow into the pool at the next
 * BeginBlock; MsgFundCommunityPool adds to it; governance (MsgCommunityPoolSpend) and the dCERT
 * stipend spend from it. The pool is exactly the module account's balance (integer coins).
 */
export class DistributionKeeper {
  constructor(
    auth: AccountKeeper,
    private readonly bank: BankKeeper,
  ) {
    auth.declareModuleAccount(DISTRIBUTION_MODULE);
  }

  params(ctx: Context): Params {
    const raw = ctx.kv(DISTRIBUTION).get(keys.params());
    return raw === undefined ? defaultDistributionParams() : Params.decode(raw);
  }

  setParams(ctx: Context, p: Params): void {
    ctx.kv(DISTRIBUTION).set(keys.params(), Params.encode(p).finish());
  }

  poolAddress(): string {
    return moduleAccountAddress(DISTRIBUTION_MODULE);
  }

  communityPool(ctx: Context): Coin[] {
    return this.bank.getAllBalances(ctx, this.poolAddress());
  }

  fundCommunityPool(ctx: Context, depositor: string, coins: readonly Coin[]): void {
    this.bank.sendFromAccountToModule(ctx, depositor, DISTRIBUTION_MODULE, coins);
  }

  /** Pays `coins` out of the community pool; ErrInsufficientFunds (sdk 5) if the pool is short. */
  spendFromCommunityPool(ctx: Context, recipient: string, coins: readonly Coin[]): void {
    for (const c of coins) {
      const have = this.bank.getBalance(ctx, this.poolAddress(), c.denom).amount;
      if (have < c.amount) {
        throw ErrInsufficientFunds.wrap(`community pool has ${have}${c.denom}, cannot pay ${c.amount}${c.denom}`);
      }
    }
    this.bank.sendFromModuleToAccount(ctx, DISTRIBUTION_MODULE, recipient, coins);
    emitCommunityPoolSpend(ctx, recipient, coins);
  }

  /** BeginBlock: everything the fee collector holds moves into the community pool. */
  beginBlock(ctx: Context): void {
    const fees = this.bank.getAllBalances(ctx, moduleAccountAddress(FEE_COLLECTOR));
    if (fees.length === 0) return;
    this.bank.sendFromModuleToModule(ctx, FEE_COLLECTOR, DISTRIBUTION_MODULE, fees);
  }
}
