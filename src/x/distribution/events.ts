/** Events of x/distribution, with the SDK's event types and attribute keys, attributes in this order. */
import { type Coin, formatCoins } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { type DecCoins, format } from "./deccoins";

/** A payment out of the community pool (governance spend or the dCERT stipend). */
export function emitCommunityPoolSpend(ctx: Context, recipient: string, coins: readonly Coin[]): void {
  ctx.events.emit("community_pool_spend", [
    ["recipient", recipient],
    ["amount", formatCoins(coins)],
  ]);
}

/** A validator's commission share of a block's rewards (BeginBlock allocation). */
export function emitCommission(ctx: Context, validator: string, amount: DecCoins): void {
  ctx.events.emit("commission", [
    ["amount", format(amount)],
    ["validator", validator],
  ]);
}

/** Everything allocated to a validator in a block (commission included). */
export function emitRewards(ctx: Context, validator: string, amount: DecCoins): void {
  ctx.events.emit("rewards", [
    ["amount", format(amount)],
    ["validator", validator],
  ]);
}

/** A delegator's rewards paid out (explicitly, or automatically on a delegation change). */
export function emitWithdrawRewards(ctx: Context, amount: readonly Coin[], validator: string, delegator: string): void {
  ctx.events.emit("withdraw_rewards", [
    ["amount", formatCoins(amount)],
    ["validator", validator],
    ["delegator", delegator],
  ]);
}

export function emitWithdrawCommission(ctx: Context, amount: readonly Coin[]): void {
  ctx.events.emit("withdraw_commission", [["amount", formatCoins(amount)]]);
}

export function emitSetWithdrawAddress(ctx: Context, withdrawAddress: string): void {
  ctx.events.emit("set_withdraw_address", [["withdraw_address", withdrawAddress]]);
}
