import { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import type { Context } from "../../baseapp/context";
import type { Coin } from "../../baseapp/coins";
import { fromUtf8, utf8 } from "../../baseapp/encoding";
import { ErrInsufficientFunds, ErrInvalidCoins, ErrUnauthorized, ErrLogic } from "./errors";
import { addrBytes, addrString, moduleAccountAddress } from "../auth/keeper";
import { prefixEnd } from "../../baseapp/store/prefix";
import { emitBurn, emitCoinbase, emitCoinReceived, emitCoinSpent, emitTransfer } from "./events";
import type { AccountKeeper } from "./expected";
import { BANK, keys } from "./keys";

function readAmount(raw: Uint8Array | undefined): bigint {
  return raw === undefined ? 0n : BigInt(fromUtf8(raw));
}

/** Balances and supply (x/bank). Module-to-account transfers, mint and burn for other modules. */
export class BankKeeper {
  /** Addresses that may not receive funds through MsgSend (module accounts, as in the SDK). */
  private readonly blocked = new Set<string>();

  constructor(private readonly auth: AccountKeeper) {}

  blockAddress(address: string): void {
    this.blocked.add(address);
  }

  isBlocked(address: string): boolean {
    return this.blocked.has(address);
  }

  getBalance(ctx: Context, address: string, denom: string): Coin {
    return { denom, amount: readAmount(ctx.kv(BANK).get(keys.balance(addrBytes(address), denom))) };
  }

  getAllBalances(ctx: Context, address: string): Coin[] {
    const prefix = keys.balancesOf(addrBytes(address));
    const out: Coin[] = [];
    for (const [k, v] of ctx.kv(BANK).iterate(prefix, prefixEnd(prefix))) {
      const amount = readAmount(v);
      if (amount > 0n) out.push({ denom: fromUtf8(k.subarray(prefix.length)), amount });
    }
    return out;
  }

  /** Every non-zero balance, ordered by address bytes then denom (genesis export). */
  allBalances(ctx: Context): { address: string; coins: Coin[] }[] {
    const start = keys.balancePrefix();
    const out: { address: string; coins: Coin[] }[] = [];
    for (const [k, v] of ctx.kv(BANK).iterate(start, keys.balanceEnd())) {
      const len = k[1] ?? 0;
      const address = addrString(k.subarray(2, 2 + len));
      const denom = fromUtf8(k.subarray(2 + len));
      const amount = readAmount(v);
      if (amount === 0n) continue;
      const last = out[out.length - 1];
      if (last !== undefined && last.address === address) last.coins.push({ denom, amount });
      else out.push({ address, coins: [{ denom, amount }] });
    }
    return out;
  }

  private setBalance(ctx: Context, address: string, c: Coin): void {
    const key = keys.balance(addrBytes(address), c.denom);
    if (c.amount === 0n) ctx.kv(BANK).delete(key);
    else ctx.kv(BANK).set(key, utf8(c.amount.toString()));
  }

  getSupply(ctx: Context, denom: string): Coin {
    return { denom, amount: readAmount(ctx.kv(BANK).get(keys.supply(denom))) };
  }

  totalSupply(ctx: Context): Coin[] {
    const out: Coin[] = [];
    for (const [k, v] of ctx.kv(BANK).iterate(keys.supplyPrefix(), keys.supplyEnd())) {
      out.push({ denom: fromUtf8(k.subarray(1)), amount: readAmount(v) });
    }
    return out;
  }

  private setSupply(ctx: Context, c: Coin): void {
    if (c.amount === 0n) ctx.kv(BANK).delete(keys.supply(c.denom));
    else ctx.kv(BANK).set(keys.supply(c.denom), utf8(c.amount.toString()));
  }

  sendEnabled(ctx: Context): boolean {
    const raw = ctx.kv(BANK).get(keys.sendEnabled());
    return raw === undefined || raw[0] === 1;
  }

  setSendEnabled(ctx: Context, enabled: boolean): void {
    ctx.kv(BANK).set(keys.sendEnabled(), Uint8Array.of(enabled ? 1 : 0));
  }

  private subtract(ctx: Context, address: string, coins: readonly Coin[]): void {
    for (const c of coins) {
      const bal = this.getBalance(ctx, address, c.denom);
      if (bal.amount < c.amount) {
        throw ErrInsufficientFunds.wrap(`spendable balance ${bal.amount}${c.denom} is smaller than ${c.amount}${c.denom}`);
      }
      this.setBalance(ctx, address, { denom: c.denom, amount: bal.amount - c.amount });
    }
    emitCoinSpent(ctx, address, coins);
  }

  private add(ctx: Context, address: string, coins: readonly Coin[]): void {
    for (const c of coins) {
      const bal = this.getBalance(ctx, address, c.denom);
      this.setBalance(ctx, address, { denom: c.denom, amount: bal.amount + c.amount });
    }
    emitCoinReceived(ctx, address, coins);
  }

  /** Moves coins between accounts; creates the recipient account if it does not exist yet. */
  sendCoins(ctx: Context, from: string, to: string, coins: readonly Coin[]): void {
    for (const c of coins) if (c.amount < 0n) throw ErrInvalidCoins.wrap(`negative amount ${c.amount}${c.denom}`);
    this.subtract(ctx, from, coins);
    this.add(ctx, to, coins);
    if (!this.auth.hasAccount(ctx, to)) this.auth.newAccount(ctx, to);
    emitTransfer(ctx, to, from, coins);
  }

  sendFromAccountToModule(ctx: Context, from: string, module: string, coins: readonly Coin[]): void {
    if (!this.auth.hasAccount(ctx, moduleAccountAddress(module))) this.auth.getOrCreateModuleAccount(ctx, module);
    this.sendCoins(ctx, from, moduleAccountAddress(module), coins);
  }

  sendFromModuleToAccount(ctx: Context, module: string, to: string, coins: readonly Coin[]): void {
    if (this.blocked.has(to) && !this.auth.isModuleAddress(to)) {
      throw ErrUnauthorized.wrap(`${to} is not allowed to receive funds`);
    }
    this.sendCoins(ctx, moduleAccountAddress(module), to, coins);
  }

  sendFromModuleToModule(ctx: Context, from: string, to: string, coins: readonly Coin[]): void {
    this.auth.getOrCreateModuleAccount(ctx, to);
    this.sendCoins(ctx, moduleAccountAddress(from), moduleAccountAddress(to), coins);
  }

  private requirePermission(module: string, permission: string): void {
    const perms = this.auth.moduleAccounts.get(module);
    if (perms === undefined || !perms.includes(permission)) {
      throw ErrUnauthorized.wrap(`module account ${module} does not have permission to ${permission === "minter" ? "mint" : "burn"} tokens`);
    }
  }

  mintCoins(ctx: Context, module: string, coins: readonly Coin[]): void {
    this.requirePermission(module, "minter");
    const acc = this.auth.getOrCreateModuleAccount(ctx, module);
    this.add(ctx, acc.address, coins);
    for (const c of coins) this.setSupply(ctx, { denom: c.denom, amount: this.getSupply(ctx, c.denom).amount + c.amount });
    emitCoinbase(ctx, acc.address, coins);
  }

  burnCoins(ctx: Context, module: string, coins: readonly Coin[]): void {
    this.requirePermission(module, "burner");
    const address = moduleAccountAddress(module);
    this.subtract(ctx, address, coins);
    for (const c of coins) {
      const s = this.getSupply(ctx, c.denom).amount;
      if (s < c.amount) throw ErrLogic.wrap(`burning ${c.amount}${c.denom} exceeds its supply ${s}`);
      this.setSupply(ctx, { denom: c.denom, amount: s - c.amount });
    }
    emitBurn(ctx, address, coins);
  }

  /** The metadata of a base denom, if any. */
  getDenomMetadata(ctx: Context, denom: string): Metadata | undefined {
    const raw = ctx.kv(BANK).get(keys.denomMetadata(denom));
    return raw === undefined ? undefined : Metadata.decode(raw);
  }

  /** Stores the metadata of `m.base` (genesis; the caller validated it). */
  setDenomMetadata(ctx: Context, m: Metadata): void {
    ctx.kv(BANK).set(keys.denomMetadata(m.base), Metadata.encode(m).finish());
  }

  /** Every denom's metadata, in base denom byte order. */
  allDenomMetadata(ctx: Context): Metadata[] {
    const prefix = keys.denomMetadataPrefix();
    const out: Metadata[] = [];
    for (const [, v] of ctx.kv(BANK).iterate(prefix, prefixEnd(prefix))) out.push(Metadata.decode(v));
    return out;
  }

  /** Genesis only: sets a balance and adds it to supply. */
  initBalance(ctx: Context, address: string, c: Coin): void {
    this.setBalance(ctx, address, { denom: c.denom, amount: this.getBalance(ctx, address, c.denom).amount + c.amount });
    this.setSupply(ctx, { denom: c.denom, amount: this.getSupply(ctx, c.denom).amount + c.amount });
  }
}
