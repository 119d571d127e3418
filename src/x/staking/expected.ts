/**
 * What the staking keeper needs from other modules (the SDK's expected_keepers.go). The bank
 * keeper implements these names; tests may pass a fake.
 */
import type { Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";

export interface BankForStaking {
  getBalance(ctx: Context, address: string, denom: string): Coin;
  sendFromAccountToModule(ctx: Context, from: string, module: string, coins: readonly Coin[]): void;
  sendFromModuleToAccount(ctx: Context, module: string, to: string, coins: readonly Coin[]): void;
  sendFromModuleToModule(ctx: Context, from: string, to: string, coins: readonly Coin[]): void;
  /** Slashing burns from the pools (both have the burner permission). */
  burnCoins(ctx: Context, module: string, coins: readonly Coin[]): void;
}
