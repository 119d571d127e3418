import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";
import type { Context } from "../../../src/baseapp/context";
import { ChainError } from "../../../src/baseapp/errors";
import { DEC_ONE } from "../../../src/x/staking/dec";
import {
  accountValoper,
  BONDED_POOL,
  NOT_BONDED_POOL,
  type StakingHooks,
  validatorTokens,
} from "../../../src/x/staking/keeper";
import { addr, consKey, DENOM, fixture, GENESIS_TIME_SECONDS as T0, UNBONDING_SECONDS, type Fixture } from "./fixture";

function code(f: () => unknown): { codespace: string; code: number; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof ChainError) return { codespace: e.codespace, code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a ChainError");
}

function createValidator(f: Fixture, ownerIndex: number, amount: bigint, seconds = T0): string {
  const owner = addr(ownerIndex);
  const valoper = accountValoper(owner);
  f.tx(
    (ctx) =>
      f.staking.createValidator(ctx, {
        operator: valoper,
        consensusPubkey: consKey(ownerIndex),
        description: { moniker: `v${ownerIndex}`, identity: "", website: "", securityContact: "", details: "" },
        commission: { rate: DEC_ONE / 10n, maxRate: DEC_ONE / 5n, maxChangeRate: DEC_ONE / 100n },
        minSelfDelegation: 1n,
        value: { denom: DENOM, amount },
      }),
    seconds,
  );
  return valoper;
}

function balance(f: Fixture, ctx: Context, address: string): bigint {
  return f.app.bank.getBalance(ctx, address, DENOM).amount;
}

type Call = [string, ...unknown[]];
function recordHooks(f: Fixture): Call[] {
  const calls: Call[] = [];
  const hooks: StakingHooks = {
    afterValidatorCreated: (_c, op) => calls.push(["created", op]),
    afterDelegationModified: (_c, d, v) => calls.push(["modified", d, v]),
    afterDelegationRemoved: (_c, d, v) => calls.push(["removed", d, v]),
    afterUnbondingInitiated: (_c, d, v, amount, t: Timestamp) => calls.push(["unbonding", d, v, amount, t.seconds]),
    afterUnbondingCompleted: (_c, d, v, amount) => calls.push(["completed", d, v, amount]),
  };
  f.staking.addHooks(hooks);
  return calls;
}

describe("staking keeper", () => {
  test("genesis validator is bonded with the self-delegation in the bonded pool", () => {
    const f = fixture();
    const ctx = f.ctx();
    const v = f.staking.getValidator(ctx, f.valoper);
    expect(v?.status).toBe(BondStatus.BOND_STATUS_BONDED);
    expect(v?.tokens).toBe("1000000000");
    expect(f.staking.totalBondedTokens(ctx)).toBe(1_000_000_000n);
    expect(balance(f, ctx, moduleAccountAddress(BONDED_POOL))).toBe(1_000_000_000n);
    expect(balance(f, ctx, f.operator)).toBe(9_000_000_000n);
    expect(f.staking.stakeOf(ctx, f.operator)).toBe(1_000_000_000n);
    expect(f.staking.bondedValidators(ctx)).toEqual([
      { operatorAddress: f.valoper, accountAddress: f.operator, tokens: 1_000_000_000n, delegatorShares: 1_000_000_000n * DEC_ONE },
    ]);
    expect(f.staking.unbondingTime(ctx)).toBe(UNBONDING_SECONDS);
  });

  test("delegate issues shares at the validator's rate, moves tokens to the bonded pool and fires afterDelegationModified", () => {
    const f = fixture();
    const calls = recordHooks(f);
    const d = addr(2);
    const shares = f.tx((ctx) => f.staking.delegate(ctx, d, f.valoper, 2_500_000n));
    expect(shares).toBe(2_500_000n * DEC_ONE);
    const ctx = f.ctx();
    expect(f.staking.delegationsOf(ctx, d)).toEqual([{ validatorAddress: f.valoper, shares: 2_500_000n * DEC_ONE, tokens: 2_500_000n }]);
    expect(f.staking.stakeOf(ctx, d)).toBe(2_500_000n);
    expect(balance(f, ctx, d)).toBe(5_000_000_000n - 2_500_000n);
    expect(f.staking.totalBondedTokens(ctx)).toBe(1_002_500_000n);
    expect(calls).toEqual([["modified", d, f.valoper]]);
  });

  test("delegate rejections: unknown validator (staking 3), insufficient funds (sdk 5)", () => {
    const f = fixture();
    expect(code(() => f.tx((ctx) => f.staking.delegate(ctx, addr(2), accountValoper(addr(99)), 1n)))).toMatchObject({ codespace: "staking", code: 3 });
    expect(code(() => f.tx((ctx) => f.staking.delegate(ctx, addr(2), f.valoper, 6_000_000_000n)))).toMatchObject({ codespace: "sdk", code: 5 });
    // Rejected operations leave nothing behind.
    expect(f.staking.delegationsOf(f.ctx(), addr(2))).toEqual([]);
  });

  test("undelegate queues an entry that pays out exactly at block time + unbonding_time", () => {
    const f = fixture();
    const d = addr(2);
    f.tx((ctx) => f.staking.delegate(ctx, d, f.valoper, 3_000_000n));
    const calls = recordHooks(f);
    const res = f.tx((ctx) => f.staking.undelegate(ctx, d, f.valoper, 1_000_000n), T0 + 5n);
    const done = T0 + 5n + UNBONDING_SECONDS;
    expect(res).toEqual({ completionTime: { seconds: done, nanos: 0 }, amount: 1_000_000n });
    expect(calls).toEqual([
      ["modified", d, f.valoper],
      ["unbonding", d, f.valoper, 1_000_000n, done],
    ]);
    let ctx = f.ctx(T0 + 5n);
    expect(balance(f, ctx, moduleAccountAddress(NOT_BONDED_POOL))).toBe(1_000_000n);
    expect(f.staking.totalBondedTokens(ctx)).toBe(1_002_000_000n);
    expect(f.staking.stakeOf(ctx, d)).toBe(2_000_000n);
    const ubd = f.staking.getUnbondingDelegation(ctx, d, f.valoper);
    expect(ubd?.entries.map((e) => [e.balance, e.completionTime.seconds])).toEqual([["1000000", done]]);

    // One nanosecond early: nothing happens.
    ctx = f.ctx(done - 1n);
    f.staking.endBlock(f.ctx({ seconds: done - 1n, nanos: 999_999_999 }));
    expect(balance(f, f.ctx(), d)).toBe(5_000_000_000n - 3_000_000n);
    expect(calls.length).toBe(2);

    // Exactly at the completion time: paid back, entry gone, hook fired.
    f.staking.endBlock(f.ctx(done));
    ctx = f.ctx(done);
    expect(balance(f, ctx, d)).toBe(5_000_000_000n - 2_000_000n);
    expect(balance(f, ctx, moduleAccountAddress(NOT_BONDED_POOL))).toBe(0n);
    expect(f.staking.getUnbondingDelegation(ctx, d, f.valoper)).toBeUndefined();
    expect(calls[2]).toEqual(["completed", d, f.valoper, 1_000_000n]);
  });

  test("undelegating everything removes the delegation and fires afterDelegationRemoved", () => {
    const f = fixture();
    const d = addr(2);
    f.tx((ctx) => f.staking.delegate(ctx, d, f.valoper, 3_000_000n));
    const calls = recordHooks(f);
    f.tx((ctx) => f.staking.undelegate(ctx, d, f.valoper, 3_000_000n));
    expect(calls[0]).toEqual(["removed", d, f.valoper]);
    expect(f.staking.getDelegation(f.ctx(), d, f.valoper)).toBeUndefined();
    expect(f.staking.validatorDelegations(f.ctx(), f.valoper).map((x) => x.delegatorAddress)).toEqual([f.operator]);
  });

  test("undelegate rejections: no delegation (19), more than delegated (24), too many entries (27)", () => {
    const f = fixture();
    const d = addr(2);
    expect(code(() => f.tx((ctx) => f.staking.undelegate(ctx, d, f.valoper, 1n)))).toMatchObject({ codespace: "staking", code: 19 });
    f.tx((ctx) => f.staking.delegate(ctx, d, f.valoper, 100n));
    expect(code(() => f.tx((ctx) => f.staking.undelegate(ctx, d, f.valoper, 101n)))).toMatchObject({ codespace: "staking", code: 24 });
    // max_entries = 7: entries at 7 different heights fill it.
    for (let h = 1n; h <= 7n; h++) f.tx((ctx) => f.staking.undelegate(ctx, d, f.valoper, 1n), T0 + h, h);
    expect(f.staking.getUnbondingDelegation(f.ctx(), d, f.valoper)?.entries.length).toBe(7);
    const err = code(() => f.tx((ctx) => f.staking.undelegate(ctx, d, f.valoper, 1n), T0 + 8n, 8n));
    expect(err).toMatchObject({ codespace: "staking", code: 27 });
    expect(err.message).toMatch(/max_entries 7/);
  });

  test("entries created in the same block at the same time merge into one", () => {
    const f = fixture();
    const d = addr(2);
    f.tx((ctx) => f.staking.delegate(ctx, d, f.valoper, 100n));
    f.tx((ctx) => f.staking.undelegate(ctx, d, f.valoper, 10n));
    f.tx((ctx) => f.staking.undelegate(ctx, d, f.valoper, 15n));
    const entries = f.staking.getUnbondingDelegation(f.ctx(), d, f.valoper)?.entries ?? [];
    expect(entries.map((e) => [e.initialBalance, e.balance])).toEqual([["25", "25"]]);
  });

  test("redelegate moves shares at once, tracks the entry until it matures, and forbids transitive hops", () => {
    const f = fixture();
    const v2 = createValidator(f, 3, 2_000_000n);
    f.staking.endBlock(f.ctx());
    const d = addr(2);
    f.tx((ctx) => f.staking.delegate(ctx, d, f.valoper, 5_000_000n));
    const calls = recordHooks(f);
    const t = f.tx((ctx) => f.staking.beginRedelegate(ctx, d, f.valoper, v2, 2_000_000n));
    expect(t.seconds).toBe(T0 + UNBONDING_SECONDS);
    expect(calls).toEqual([
      ["modified", d, f.valoper],
      ["modified", d, v2],
    ]);
    const ctx = f.ctx();
    // Ordered by operator address bytes (0x01… before 0x03…).
    expect(f.staking.delegationsOf(ctx, d).map((x) => [x.validatorAddress, x.tokens])).toEqual([
      [f.valoper, 3_000_000n],
      [v2, 2_000_000n],
    ]);
    expect(f.staking.stakeOf(ctx, d)).toBe(5_000_000n);
    expect(f.staking.redelegationsOf(ctx, d)).toHaveLength(1);
    // v2 → genesis validator while the first hop is pending: transitive (32).
    expect(code(() => f.tx((c) => f.staking.beginRedelegate(c, d, v2, f.valoper, 1n)))).toMatchObject({ code: 32 });
    expect(code(() => f.tx((c) => f.staking.beginRedelegate(c, d, v2, v2, 1n)))).toMatchObject({ code: 29 });
    expect(code(() => f.tx((c) => f.staking.beginRedelegate(c, d, f.valoper, accountValoper(addr(77)), 1n)))).toMatchObject({ code: 31 });
    expect(code(() => f.tx((c) => f.staking.beginRedelegate(c, d, accountValoper(addr(77)), v2, 1n)))).toMatchObject({ code: 3 });
    f.staking.endBlock(f.ctx(T0 + UNBONDING_SECONDS));
    expect(f.staking.redelegationsOf(f.ctx(), d)).toHaveLength(0);
    f.tx((c) => f.staking.beginRedelegate(c, d, v2, f.valoper, 1_000_000n), T0 + UNBONDING_SECONDS);
    expect(f.staking.stakeOf(f.ctx(), d)).toBe(5_000_000n);
  });

  test("validator updates are returned only when power changes; 0 when a validator leaves", () => {
    const f = fixture();
    // Genesis set was returned at InitChain; nothing pending now.
    expect(f.staking.endBlock(f.ctx())).toEqual([]);
    const v2 = createValidator(f, 3, 3_000_000n);
    const ups = f.staking.endBlock(f.ctx());
    expect(ups).toEqual([{ pubKey: { ed25519: consKey(3) }, power: 3n }]);
    expect(f.staking.getValidator(f.ctx(), v2)?.status).toBe(BondStatus.BOND_STATUS_BONDED);
    expect(f.staking.endBlock(f.ctx())).toEqual([]);
    // Less than one unit of power: no update.
    f.tx((c) => f.staking.delegate(c, addr(2), v2, 999_999n));
    expect(f.staking.endBlock(f.ctx())).toEqual([]);
    f.tx((c) => f.staking.delegate(c, addr(2), v2, 1n));
    expect(f.staking.endBlock(f.ctx())).toEqual([{ pubKey: { ed25519: consKey(3) }, power: 4n }]);
    // The operator leaves entirely: power 0, validator starts unbonding, tokens move pools.
    const owner = addr(3);
    f.tx((c) => f.staking.undelegate(c, owner, v2, 3_000_000n));
    f.tx((c) => f.staking.undelegate(c, addr(2), v2, 1_000_000n));
    expect(f.staking.endBlock(f.ctx(T0 + 1n))).toEqual([{ pubKey: { ed25519: consKey(3) }, power: 0n }]);
    const v = f.staking.getValidator(f.ctx(), v2);
    expect(v?.status).toBe(BondStatus.BOND_STATUS_UNBONDING);
    expect(v?.unbondingTime.seconds).toBe(T0 + 1n + UNBONDING_SECONDS);
    // At maturity it has no shares left and is removed.
    f.staking.endBlock(f.ctx(T0 + 1n + UNBONDING_SECONDS));
    expect(f.staking.getValidator(f.ctx(), v2)).toBeUndefined();
  });

  test("max_validators caps the set: higher power wins, ties go to the lower operator address", () => {
    const f = fixture();
    f.tx((c) => f.staking.setParams(c, { ...f.staking.params(c), maxValidators: 2 }));
    const a = createValidator(f, 3, 5_000_000n);
    const b = createValidator(f, 4, 5_000_000n);
    const ups = f.staking.endBlock(f.ctx());
    // Equal power: the lower operator address bytes (0x03… < 0x04…) takes the seat.
    expect(ups).toEqual([{ pubKey: { ed25519: consKey(3) }, power: 5n }]);
    const ctx = f.ctx();
    const out = b;
    expect(f.staking.getValidator(ctx, out)?.status).toBe(BondStatus.BOND_STATUS_UNBONDED);
    expect(balance(f, ctx, moduleAccountAddress(NOT_BONDED_POOL))).toBe(5_000_000n);
    // The outsider overtakes: it enters, the other leaves with power 0 and its tokens move pools.
    f.tx((c) => f.staking.delegate(c, addr(2), out, 1_000_000n));
    const ups2 = f.staking.endBlock(f.ctx());
    expect(ups2).toEqual([
      { pubKey: { ed25519: consKey(4) }, power: 6n },
      { pubKey: { ed25519: consKey(3) }, power: 0n },
    ]);
    const c2 = f.ctx();
    expect(f.staking.getValidator(c2, a)?.status).toBe(BondStatus.BOND_STATUS_UNBONDING);
    let bonded = 0n;
    for (const v of f.staking.allValidators(c2)) if (v.status === BondStatus.BOND_STATUS_BONDED) bonded += validatorTokens(v);
    expect(f.staking.totalBondedTokens(c2)).toBe(bonded);
    expect(balance(f, c2, moduleAccountAddress(NOT_BONDED_POOL))).toBe(5_000_000n);
  });

  test("createValidator fires afterValidatorCreated then the self-delegation hook; duplicates are rejected", () => {
    const f = fixture();
    const calls = recordHooks(f);
    const v = createValidator(f, 3, 1_000_000n);
    expect(calls).toEqual([
      ["created", v],
      ["modified", addr(3), v],
    ]);
    expect(code(() => createValidator(f, 3, 1_000_000n))).toMatchObject({ code: 4 });
    // Same consensus key under another operator.
    expect(
      code(() =>
        f.tx((ctx) =>
          f.staking.createValidator(ctx, {
            operator: accountValoper(addr(4)),
            consensusPubkey: consKey(3),
            description: { moniker: "x", identity: "", website: "", securityContact: "", details: "" },
            commission: { rate: 0n, maxRate: 0n, maxChangeRate: 0n },
            minSelfDelegation: 1n,
            value: { denom: DENOM, amount: 1n },
          }),
        ),
      ),
    ).toMatchObject({ code: 5 });
  });
});
