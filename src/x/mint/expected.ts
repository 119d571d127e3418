/** What x/mint needs from other modules' keepers (the SDK's `expected_keepers.go`). */
import type { Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";

export interface AccountForMint {
  declareModuleAccount(name: string, permissions?: readonly string[]): string;
}

export interface BankForMint {
  getSupply(ctx: Context, denom: string): Coin;
  mintCoins(ctx: Context, module: string, coins: readonly Coin[]): void;
  sendFromModuleToModule(ctx: Context, from: string, to: string, coins: readonly Coin[]): void;
}

export interface StakingForMint {
  bondDenom(ctx: Context): string;
  /** Tokens of bonded validators (the bonded pool's balance). */
  totalBondedTokens(ctx: Context): bigint;
}
