/**
 * A small in-process harness for gov unit tests: a DcertApp with only auth, bank and gov (staking
 * is a fake implementing StakingForGov), genesis applied through the modules, and contexts on one
 * block state so keepers can be called directly at chosen block times.
 */
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Event } from "cosmjs-types/tendermint/abci/types";
import { DcertApp } from "../../../src/app/app";
import { addrString } from "../../../src/x/auth/keeper";
import type { Coin } from "../../../src/baseapp/coins";
import { Context } from "../../../src/baseapp/context";
import { EventManager } from "../../../src/baseapp/events";
import { InfiniteGasMeter } from "../../../src/baseapp/gas";
import type { BondedValidatorInfo, DelegationInfo, StakingForGov } from "../../../src/x/gov/expected";
import { govModule, type GovModule } from "../../../src/x/gov/module";
import type { CacheKVStore } from "../../../src/baseapp/store/types";
import { MemoryCommitStore } from "../../../src/baseapp/store/memory";
import { DEFAULT_DENOM } from "../../../src/baseapp/tx/constants";

export const DENOM = DEFAULT_DENOM;
export const T0 = 1_700_000_000n;

/** A deterministic test address from a one-byte seed. */
export function addr(seed: number): string {
  return addrString(new Uint8Array(20).fill(seed));
}

export function valoper(seed: number): string {
  return `valoper-${seed}`;
}

/** Staking as plain data: validators and delegations the test sets directly. */
export class FakeStaking implements StakingForGov {
  validators: BondedValidatorInfo[] = [];
  readonly delegations = new Map<string, DelegationInfo[]>();

  /** Adds a bonded validator operated by account `seed` with a self-delegation of `self` tokens (shares = tokens). */
  addValidator(seed: number, self: bigint): BondedValidatorInfo {
    const v: BondedValidatorInfo = { operatorAddress: valoper(seed), accountAddress: addr(seed), tokens: 0n, delegatorShares: 0n };
    this.validators.push(v);
    this.delegate(seed, seed, self);
    return v;
  }

  /** Delegates `amount` tokens from account `delegatorSeed` to validator `valSeed` at a 1:1 share rate. */
  delegate(delegatorSeed: number, valSeed: number, amount: bigint): void {
    const i = this.validators.findIndex((v) => v.operatorAddress === valoper(valSeed));
    const v = this.validators[i];
    if (v === undefined) throw new Error(`no validator ${valSeed}`);
    this.validators[i] = { ...v, tokens: v.tokens + amount, delegatorShares: v.delegatorShares + amount };
    const list = this.delegations.get(addr(delegatorSeed)) ?? [];
    list.push({ validatorAddress: valoper(valSeed), shares: amount });
    this.delegations.set(addr(delegatorSeed), list);
  }

  bondedValidators(): readonly BondedValidatorInfo[] {
    return this.validators;
  }

  delegationsOf(_ctx: Context, delegator: string): readonly DelegationInfo[] {
    return this.delegations.get(delegator) ?? [];
  }

  totalBondedTokens(): bigint {
    return this.validators.reduce((s, v) => s + v.tokens, 0n);
  }
}

export interface GovHarness {
  readonly app: DcertApp;
  readonly gov: GovModule;
  readonly staking: FakeStaking;
  readonly state: CacheKVStore;
  /** A finalize-mode context on the shared block state at `T0 + seconds`. */
  ctx(seconds: bigint, events?: EventManager): Context;
  /** Runs gov's EndBlock at `T0 + seconds` and returns its events. */
  endBlock(seconds: bigint): Event[];
  balance(address: string, denom?: string): bigint;
  supply(denom?: string): bigint;
  /** Every module's genesis export of the current state. */
  exportState(): Record<string, unknown>;
}

export interface HarnessOptions {
  readonly balances: readonly { address: string; amount: bigint }[];
  /** Overrides of gov params (JSON form). */
  readonly govParams?: Record<string, unknown>;
  /** A complete app state (e.g. an export) to start from instead of `balances`/`govParams`. */
  readonly appState?: Record<string, unknown>;
}

/** Short periods like the devnet: deposit 60 s, voting 15 s, expedited 10 s; min deposit 10 000 000. */
export const TEST_GOV_PARAMS: Record<string, unknown> = {
  min_deposit: [{ denom: DENOM, amount: "10000000" }],
  max_deposit_period: "60s",
  voting_period: "15s",
  expedited_voting_period: "10s",
  expedited_min_deposit: [{ denom: DENOM, amount: "50000000" }],
  quorum: "0.334000000000000000",
  threshold: "0.500000000000000000",
  veto_threshold: "0.334000000000000000",
  expedited_threshold: "0.667000000000000000",
  burn_vote_veto: true,
  burn_vote_quorum: false,
  burn_proposal_deposit_prevote: false,
  min_initial_deposit_ratio: "0.000000000000000000",
  min_deposit_ratio: "0.010000000000000000",
};

export function govHarness(opts: HarnessOptions): GovHarness {
  const store = new MemoryCommitStore();
  const staking = new FakeStaking();
  let gov: GovModule | undefined;
  const app = new DcertApp({
    store,
    modules: (a) => {
      gov = govModule(a, staking);
      return [gov];
    },
  });
  if (gov === undefined) throw new Error("gov module was not built");
  const g = gov;
  const state = store.branch();
  const ctx = (seconds: bigint, events = new EventManager()): Context =>
    new Context(state, { chainId: "gov-test", height: 1n + seconds, time: { seconds: T0 + seconds, nanos: 0 }, proposer: new Uint8Array() }, "finalize", new InfiniteGasMeter(), events);
  const sorted = [...opts.balances].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const appState: Record<string, unknown> = opts.appState ?? {
    bank: { balances: sorted.map((b) => ({ address: b.address, coins: [{ denom: DENOM, amount: b.amount.toString() }] })) },
    gov: { params: { ...TEST_GOV_PARAMS, ...opts.govParams } },
  };
  const genesisCtx = ctx(0n);
  for (const m of app.modules) {
    const section = appState[m.name] ?? m.defaultGenesis();
    m.validateGenesis(section);
    m.initGenesis(genesisCtx, section);
  }
  return {
    app,
    gov: g,
    staking,
    state,
    ctx,
    endBlock(seconds) {
      const events = new EventManager();
      g.endBlock?.(ctx(seconds, events));
      return events.events();
    },
    balance: (address, denom = DENOM) => app.bank.getBalance(ctx(0n), address, denom).amount,
    supply: (denom = DENOM) => app.bank.getSupply(ctx(0n), denom).amount,
    exportState() {
      const out: Record<string, unknown> = {};
      for (const m of app.modules) out[m.name] = m.exportGenesis(ctx(0n));
      return out;
    },
  };
}

export function coins(amount: bigint, denom: string = DENOM): Coin[] {
  return [{ denom, amount }];
}

/** A bank MsgSend packed in an Any. */
export function sendAny(from: string, to: string, amount: bigint, denom: string = DENOM): Any {
  return {
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: MsgSend.encode({ fromAddress: from, toAddress: to, amount: [{ denom, amount: amount.toString() }] }).finish(),
  };
}

export function attr(events: readonly Event[], type: string, key: string): string[] {
  return events.filter((e) => e.type === type).flatMap((e) => e.attributes.filter((a) => a.key === key).map((a) => a.value));
}
