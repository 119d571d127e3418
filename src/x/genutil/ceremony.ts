/**
 * Building a multi-validator genesis `app_state` step by step, as the genesis ceremony does:
 * start from a template with no accounts and no validators (src/app/genesis.ts, which knows every
 * module), add accounts with balances, then put the collected gentxs in `genutil.gen_txs`. Pure
 * functions over the JSON (no files); the ceremony (src/localnet/ceremony.ts, behind `dcertd init`
 * / `dcertd genesis …`) reads and writes genesis.json around them, and tests call them directly.
 */
import { type Coin } from "../../baseapp/coins";
import { arr, GenesisError, obj, str, uint } from "../../baseapp/json";
import { toBase64 } from "../../baseapp/encoding";
import { DEFAULT_DENOM } from "../../baseapp/tx/constants";
import { GENUTIL_MODULE } from "./gentx";

/** A genesis `app_state`: module name → that module's JSON section (the app's AppState). */
type AppState = Record<string, unknown>;

function section(state: AppState, name: string): Record<string, unknown> {
  const s = state[name];
  if (typeof s !== "object" || s === null || Array.isArray(s)) throw new GenesisError(name, "expected an object");
  return s as Record<string, unknown>;
}

/** A copy of `state` with no accounts, balances, supply, validators or delegations. */
export function withoutAccountsAndValidators(state: AppState): AppState {
  const copy = JSON.parse(JSON.stringify(state)) as AppState;
  const auth = section(copy, "auth");
  auth["accounts"] = [];
  const bank = section(copy, "bank");
  bank["balances"] = [];
  bank["supply"] = [];
  const staking = section(copy, "staking");
  staking["validators"] = [];
  staking["delegations"] = [];
  staking["last_validator_powers"] = [];
  staking["last_total_power"] = "0";
  return copy;
}

/** The staking bond denom of an app_state. */
export function bondDenom(state: AppState): string {
  const params = obj(section(state, "staking")["params"] ?? {}, "staking.params");
  return params["bond_denom"] === undefined ? DEFAULT_DENOM : str(params["bond_denom"], "staking.params.bond_denom");
}

/**
 * Adds an account with `coins` to auth (next free account number) and bank. Fails if the address
 * already has an account, unless `append` (then the coins are added to its balance).
 */
export function addGenesisAccount(state: AppState, address: string, coins: readonly Coin[], append = false): void {
  const auth = section(state, "auth");
  const bank = section(state, "bank");
  const accounts = [...arr(auth["accounts"], "auth.accounts")] as Record<string, unknown>[];
  const balances = [...arr(bank["balances"], "bank.balances")] as Record<string, unknown>[];
  const exists = accounts.some((a) => obj(a, "auth.accounts[]")["address"] === address);
  if (exists && !append) throw new Error(`${address} already has a genesis account; use --append to add coins to it`);
  if (!exists) {
    let next = 0n;
    accounts.forEach((a, i) => {
      const n = uint(obj(a, `auth.accounts[${i}]`)["account_number"] ?? "0", `auth.accounts[${i}].account_number`);
      if (n >= next) next = n + 1n;
    });
    accounts.push({ "@type": "/cosmos.auth.v1beta1.BaseAccount", address, pub_key: null, account_number: next.toString(), sequence: "0" });
  }
  const idx = balances.findIndex((b) => obj(b, "bank.balances[]")["address"] === address);
  const have = new Map<string, bigint>();
  if (idx !== -1) {
    const b = obj(balances[idx], `bank.balances[${idx}]`);
    arr(b["coins"], `bank.balances[${idx}].coins`).forEach((c, j) => {
      const co = obj(c, `bank.balances[${idx}].coins[${j}]`);
      have.set(str(co["denom"], "denom"), uint(co["amount"], "amount"));
    });
  }
  for (const c of coins) have.set(c.denom, (have.get(c.denom) ?? 0n) + c.amount);
  const merged = [...have.entries()]
    .filter(([, amount]) => amount > 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount: amount.toString() }));
  const entry = { address, coins: merged };
  if (idx === -1) balances.push(entry);
  else balances[idx] = entry;
  balances.sort((a, b) => {
    const x = a["address"] as string;
    const y = b["address"] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  auth["accounts"] = accounts;
  bank["balances"] = balances;
  // Supply is recomputed from balances at InitChain when empty; a stale total would be rejected.
  bank["supply"] = [];
}

/** The genesis balance of `address` in `denom` (0 when it has none). */
export function genesisBalance(state: AppState, address: string, denom: string): bigint {
  const bank = section(state, "bank");
  for (const [i, b] of arr(bank["balances"], "bank.balances").entries()) {
    const o = obj(b, `bank.balances[${i}]`);
    if (o["address"] !== address) continue;
    for (const c of arr(o["coins"], `bank.balances[${i}].coins`)) {
      const co = obj(c, "coin");
      if (co["denom"] === denom) return uint(co["amount"], "amount");
    }
  }
  return 0n;
}

export function hasGenesisAccount(state: AppState, address: string): boolean {
  return arr(section(state, "auth")["accounts"], "auth.accounts").some((a) => obj(a, "auth.accounts[]")["address"] === address);
}

/** Sets `genutil.gen_txs` to the given gentxs (base64 TxRaw), in order. */
export function setGenTxs(state: AppState, raws: readonly Uint8Array[]): void {
  state[GENUTIL_MODULE] = { gen_txs: raws.map((r) => toBase64(r)) };
}
