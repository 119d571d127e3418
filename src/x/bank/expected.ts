/**
 * What x/bank needs from other modules' keepers (the Cosmos SDK's `expected_keepers.go`). The
 * auth keeper implements it; bank calls nothing else of it.
 */
import type { Context } from "../../baseapp/context";
import type { Account } from "../auth/keeper";

export interface AccountKeeper {
  /** Declared module accounts: name → permissions (`minter`, `burner`, …). */
  readonly moduleAccounts: ReadonlyMap<string, readonly string[]>;
  isModuleAddress(address: string): boolean;
  hasAccount(ctx: Context, address: string): boolean;
  newAccount(ctx: Context, address: string): Account;
  getOrCreateModuleAccount(ctx: Context, name: string): Account;
}
