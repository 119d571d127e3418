/** Events of x/distribution (community pool only), attributes in this order. */
import { type Coin, formatCoins } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";

/** A payment out of the community pool (governance spend or the dCERT stipend). */
export function emitCommunityPoolSpend(ctx: Context, recipient: string, coins: readonly Coin[]): void {
  ctx.events.emit("community_pool_spend", [
    ["recipient", recipient],
    ["amount", formatCoins(coins)],
  ]);
}
