/**
 * Shared set-up for the staking and distribution tests: an app built with createApp on a
 * MemoryCommitStore, InitChain from the devnet genesis builder, and keeper-level contexts on a
 * branch of the state with a chosen block time (so tests can step time without the wall clock).
 */
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { DcertApp } from "../../../src/app/app";
import { addrString } from "../../../src/x/auth/keeper";
import { blockContext, type Context } from "../../../src/baseapp/context";
import type { MsgResponse } from "../../../src/baseapp/module";
import { accountValoper, type StakingKeeper } from "../../../src/x/staking/keeper";
import type { CacheKVStore } from "../../../src/baseapp/store/types";
import { keepersOf, type Keepers } from "../../../src/app/wiring";
import { GENESIS_TIME_SECONDS, testChain, type TestChain, type TestChainOptions } from "../../helpers/app";

export const DENOM = "udcert";
export const UNBONDING_SECONDS = 20n; // shortPeriods

/** A deterministic 20-byte account address (no key behind it; keeper-level tests only). */
export function addr(i: number): string {
  return addrString(new Uint8Array(20).fill(i));
}

/** A deterministic, distinct 32-byte ed25519 public key. */
export function consKey(i: number): Uint8Array {
  const k = new Uint8Array(32).fill(i);
  k[0] = 0xed;
  return k;
}

export interface Fixture {
  readonly chain: TestChain;
  readonly app: DcertApp;
  readonly keepers: Keepers;
  readonly staking: StakingKeeper;
  /** accounts[0]: operator of the genesis validator. */
  readonly operator: string;
  readonly valoper: string;
  /** State the keeper-level helpers write to (a branch of the committed state). */
  readonly state: CacheKVStore;
  /** A context on `state` at the given block time (seconds, or a Timestamp) and height. */
  ctx(time?: bigint | Timestamp, height?: bigint): Context;
  /** Runs `f` on a branch of `state` and keeps its writes only if it does not throw (a tx). */
  tx<T>(f: (ctx: Context) => T, seconds?: bigint, height?: bigint): T;
  /** Executes an encoded message through the app's router (validateBasic + handler) as a tx. */
  exec(msg: Any, seconds?: bigint): MsgResponse;
}

export function fixture(opts: Partial<TestChainOptions> & { balances?: bigint[] } = {}): Fixture {
  const balances = opts.balances ?? [10_000_000_000n, 5_000_000_000n, 5_000_000_000n, 5_000_000_000n];
  const accounts = opts.accounts ?? balances.map((amount, i) => ({ address: addr(i + 1), amount }));
  const chain = testChain({ ...opts, accounts });
  const keepers = keepersOf(chain.app);
  chain.block(); // commits the genesis state
  const state = chain.store.branch();
  const operator = accounts[0]?.address ?? "";
  const on = (store: CacheKVStore, time: bigint | Timestamp, height: bigint) =>
    blockContext(
      store,
      { chainId: "test", height, time: typeof time === "bigint" ? { seconds: time, nanos: 0 } : time, proposer: new Uint8Array(20) },
      "finalize",
    );
  const ctx = (time: bigint | Timestamp = GENESIS_TIME_SECONDS, height = 1n) => on(state, time, height);
  const tx = <T>(f: (c: Context) => T, seconds: bigint = GENESIS_TIME_SECONDS, height = 1n): T => {
    const branch = state.branch();
    const c = on(branch, seconds, height);
    const out = f(c);
    branch.write();
    return out;
  };
  return {
    chain,
    app: chain.app,
    keepers,
    staking: keepers.staking,
    operator,
    valoper: accountValoper(operator),
    state,
    ctx,
    tx,
    exec: (msg, seconds) => tx((c) => chain.app.router.execute(c, chain.app.router.decode(msg)), seconds),
  };
}

export { GENESIS_TIME_SECONDS };
