/**
 * Events of x/bank, as the Cosmos SDK's x/bank emits them (attributes in this order; `amount` is
 * coins formatted like `100udcert`). The keeper emits them on every balance change.
 */
import { type Coin, formatCoins } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";

/** Coins leave an address. */
export function emitCoinSpent(ctx: Context, spender: string, coins: readonly Coin[]): void {
  ctx.events.emit("coin_spent", [
    ["spender", spender],
    ["amount", formatCoins(coins)],
  ]);
}

/** Coins reach an address. */
export function emitCoinReceived(ctx: Context, receiver: string, coins: readonly Coin[]): void {
  ctx.events.emit("coin_received", [
    ["receiver", receiver],
    ["amount", formatCoins(coins)],
  ]);
}

/** After every send (accounts and modules). */
export function emitTransfer(ctx: Context, recipient: string, sender: string, coins: readonly Coin[]): void {
  ctx.events.emit("transfer", [
    ["recipient", recipient],
    ["sender", sender],
    ["amount", formatCoins(coins)],
  ]);
}

/** Mint. */
export function emitCoinbase(ctx: Context, minter: string, coins: readonly Coin[]): void {
  ctx.events.emit("coinbase", [
    ["minter", minter],
    ["amount", formatCoins(coins)],
  ]);
}

/** Burn. */
export function emitBurn(ctx: Context, burner: string, coins: readonly Coin[]): void {
  ctx.events.emit("burn", [
    ["burner", burner],
    ["amount", formatCoins(coins)],
  ]);
}
