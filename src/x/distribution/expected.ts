/**
 * What x/distribution needs from other modules' keepers (the Cosmos SDK's `expected_keepers.go`).
 * The auth and bank keepers implement these; distribution calls nothing else of them.
 */
import type { Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";

export interface AccountKeeper {
  /** Declares a module account (created at InitChain); returns its address. */
  declareModuleAccount(name: string, permissions?: readonly string[]): string;
}

export interface BankKeeper {
  getBalance(ctx: Context, address: string, denom: string): Coin;
  getAllBalances(ctx: Context, address: string): Coin[];
  /** Whether `address` may not receive funds through messages (module accounts). */
  isBlocked(address: string): boolean;
  sendFromAccountToModule(ctx: Context, from: string, module: string, coins: readonly Coin[]): void;
  sendFromModuleToAccount(ctx: Context, module: string, to: string, coins: readonly Coin[]): void;
  sendFromModuleToModule(ctx: Context, from: string, to: string, coins: readonly Coin[]): void;
}
