/**
 * Keeper.slash / jail / unjail / cancelUnbondingDelegation with the SDK's semantics.
 */
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { MsgCancelUnbondingDelegation } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { ChainError } from "../../../src/baseapp/errors";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";
import { DEC_ONE } from "../../../src/x/staking/dec";
import {
  accountValoper,
  BONDED_POOL,
  consensusAddress,
  NOT_BONDED_POOL,
  type StakingHooks,
  validatorPubkey,
  validatorTokens,
} from "../../../src/x/staking/keeper";
import { addr, consKey, DENOM, fixture, GENESIS_TIME_SECONDS as T0, type Fixture } from "./fixture";

function err(f: () => unknown): { codespace: string; code: number; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof ChainError) return { codespace: e.codespace, code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a ChainError");
}

function createValidator(f: Fixture, owner: number, amount: bigint, minSelf = 1n): string {
  const valoper = accountValoper(addr(owner));
  f.tx((ctx) =>
    f.staking.createValidator(ctx, {
      operator: valoper,
      consensusPubkey: consKey(owner),
      description: { moniker: `v${owner}`, identity: "", website: "", securityContact: "", details: "" },
      commission: { rate: DEC_ONE / 10n, maxRate: DEC_ONE / 5n, maxChangeRate: DEC_ONE / 100n },
      minSelfDelegation: minSelf,
      value: { denom: DENOM, amount },
    }),
  );
  return valoper;
}

const supply = (f: Fixture) => f.app.bank.getSupply(f.ctx(), DENOM).amount;
const pool = (f: Fixture, name: string) => f.app.bank.getBalance(f.ctx(), moduleAccountAddress(name), DENOM).amount;
const tokens = (f: Fixture, v: string) => validatorTokens(f.staking.mustGetValidator(f.ctx(), v));
const consOf = (f: Fixture, v: string) => consensusAddress(validatorPubkey(f.staking.mustGetValidator(f.ctx(), v)));

describe("staking slash", () => {
  function scenario() {
    const f = fixture();
    const v2 = createValidator(f, 3, 2_000_000n);
    f.staking.endBlock(f.ctx());
    const d = addr(2);
    f.tx((c) => f.staking.delegate(c, d, f.valoper, 100_000_000n), T0, 1n);
    f.tx((c) => f.staking.undelegate(c, d, f.valoper, 50_000_000n), T0 + 5n, 5n);
    f.tx((c) => f.staking.beginRedelegate(c, d, f.valoper, v2, 20_000_000n), T0 + 6n, 6n);
    return { f, v2, d };
  }

  test("slashes unbonding entries and redelegations since the infraction, then the validator, burning exactly the total", () => {
    const { f, v2, d } = scenario();
    const calls: unknown[] = [];
    const hooks: StakingHooks = {
      beforeValidatorModified: (_c, op) => calls.push(["modified", op]),
      beforeValidatorSlashed: (_c, op, fr) => calls.push(["slashed-before", op, fr]),
      afterValidatorSlashed: (c, op) => calls.push(["slashed-after", op, validatorTokens(f.staking.mustGetValidator(c, op))]),
      beforeDelegationSharesModified: (_c, del, op) => calls.push(["shares", del, op]),
    };
    f.staking.addHooks(hooks);
    const before = { supply: supply(f), bonded: pool(f, BONDED_POOL), notBonded: pool(f, NOT_BONDED_POOL), v: tokens(f, f.valoper), v2: tokens(f, v2) };
    expect(before.v).toBe(1_030_000_000n);
    // power 1150 at height 5 (1000 + 100 + 50 … the caller's number), fraction 0.1: 115 000 000 in all.
    const burned = f.tx((c) => f.staking.slash(c, consOf(f, f.valoper), 5n, 1150n, DEC_ONE / 10n), T0 + 10n, 10n);
    // 5 000 000 from the unbonding entry, 2 000 000 from the redelegation, 108 000 000 from the validator.
    expect(burned).toBe(108_000_000n);
    expect(supply(f)).toBe(before.supply - 115_000_000n);
    expect(tokens(f, f.valoper)).toBe(before.v - 108_000_000n);
    expect(tokens(f, v2)).toBe(before.v2 - 2_000_000n);
    expect(pool(f, NOT_BONDED_POOL)).toBe(before.notBonded - 5_000_000n);
    expect(pool(f, BONDED_POOL)).toBe(before.bonded - 110_000_000n);
    const entry = f.staking.getUnbondingDelegation(f.ctx(), d, f.valoper)?.entries[0];
    expect([entry?.initialBalance, entry?.balance]).toEqual(["50000000", "45000000"]);
    expect(f.staking.delegationsOf(f.ctx(), d).find((x) => x.validatorAddress === v2)?.tokens).toBe(18_000_000n);
    const effective = (108_000_000n * DEC_ONE + before.v - 1n) / before.v;
    expect(calls).toEqual([
      ["modified", f.valoper],
      ["shares", d, v2],
      ["slashed-before", f.valoper, effective],
      ["slashed-after", f.valoper, before.v - 108_000_000n],
    ]);
  });

  test("entries created before the infraction height are not slashed; at the current height only the validator is", () => {
    const { f } = scenario();
    const s0 = supply(f);
    f.tx((c) => f.staking.slash(c, consOf(f, f.valoper), 7n, 1000n, DEC_ONE / 100n), T0 + 10n, 10n);
    expect(supply(f)).toBe(s0 - 10_000_000n);
    expect(f.staking.getUnbondingDelegation(f.ctx(), addr(2), f.valoper)?.entries[0]?.balance).toBe("50000000");
    const s1 = supply(f);
    f.tx((c) => f.staking.slash(c, consOf(f, f.valoper), 10n, 1000n, DEC_ONE / 100n), T0 + 10n, 10n);
    expect(supply(f)).toBe(s1 - 10_000_000n);
  });

  test("never more than the slash amount: stake delegated and unbonded after the infraction is charged only within it", () => {
    const f = fixture();
    const v2 = createValidator(f, 3, 3_000_000n); // power 3 at the infraction height 2
    f.staking.endBlock(f.ctx());
    const d = addr(2);
    // After the infraction: 10^7 delegated and unbonded again (an entry created after height 2).
    f.tx((c) => f.staking.delegate(c, d, v2, 10_000_000n), T0 + 1n, 3n);
    f.tx((c) => f.staking.undelegate(c, d, v2, 10_000_000n), T0 + 2n, 4n);
    const s0 = supply(f);
    // Half of power 3: 1 500 000 in all. The SDK would burn half of the 10^7 entry (5 000 000).
    const fromValidator = f.tx((c) => f.staking.slash(c, consOf(f, v2), 2n, 3n, DEC_ONE / 2n), T0 + 3n, 5n);
    expect(fromValidator).toBe(0n);
    expect(supply(f)).toBe(s0 - 1_500_000n);
    expect(f.staking.getUnbondingDelegation(f.ctx(), d, v2)?.entries[0]?.balance).toBe("8500000");
    expect(tokens(f, v2)).toBe(3_000_000n);
  });

  test("never more than the validator has; future infractions and bad fractions are logic errors; unknown validators are ignored", () => {
    const f = fixture();
    const v2 = createValidator(f, 3, 2_000_000n);
    f.staking.endBlock(f.ctx());
    const s0 = supply(f);
    expect(f.tx((c) => f.staking.slash(c, consOf(f, v2), 1n, 1000n, DEC_ONE), T0, 2n)).toBe(2_000_000n);
    expect(supply(f)).toBe(s0 - 2_000_000n);
    expect(tokens(f, v2)).toBe(0n);
    expect(err(() => f.tx((c) => f.staking.slash(c, consOf(f, f.valoper), 3n, 1n, DEC_ONE), T0, 2n))).toMatchObject({ codespace: "sdk", code: 35 });
    expect(err(() => f.tx((c) => f.staking.slash(c, consOf(f, f.valoper), 1n, 1n, DEC_ONE + 1n), T0, 2n))).toMatchObject({ codespace: "sdk", code: 35 });
    expect(f.tx((c) => f.staking.slash(c, new Uint8Array(20).fill(9), 1n, 1n, DEC_ONE), T0, 2n)).toBe(0n);
  });
});

describe("staking jail / unjail", () => {
  test("a jailed validator leaves the set at EndBlock (power 0) and returns after unjail", () => {
    const f = fixture();
    const v2 = createValidator(f, 3, 2_000_000n);
    f.staking.endBlock(f.ctx());
    const cons = consOf(f, v2);
    f.tx((c) => f.staking.jail(c, cons));
    expect(f.staking.mustGetValidator(f.ctx(), v2).jailed).toBe(true);
    const out = f.staking.endBlock(f.ctx());
    expect(out.map((u) => u.power)).toEqual([0n]);
    expect(f.staking.mustGetValidator(f.ctx(), v2).status).toBe(BondStatus.BOND_STATUS_UNBONDING);
    expect(pool(f, NOT_BONDED_POOL)).toBe(2_000_000n);
    expect(err(() => f.tx((c) => f.staking.jail(c, cons)))).toMatchObject({ codespace: "sdk", code: 35 });
    f.tx((c) => f.staking.unjail(c, cons));
    const back = f.staking.endBlock(f.ctx());
    expect(back.map((u) => u.power)).toEqual([2n]);
    expect(f.staking.mustGetValidator(f.ctx(), v2).status).toBe(BondStatus.BOND_STATUS_BONDED);
    expect(err(() => f.tx((c) => f.staking.unjail(c, cons)))).toMatchObject({ codespace: "sdk", code: 35 });
    expect(err(() => f.tx((c) => f.staking.jail(c, new Uint8Array(20))))).toMatchObject({ codespace: "staking", code: 3 });
  });

  test("an operator undelegating below min_self_delegation is jailed (SDK Unbond)", () => {
    const f = fixture();
    const v2 = createValidator(f, 3, 5_000_000n, 4_000_000n);
    f.staking.endBlock(f.ctx());
    f.tx((c) => f.staking.undelegate(c, addr(3), v2, 1_000_000n));
    expect(f.staking.mustGetValidator(f.ctx(), v2).jailed).toBe(false);
    f.tx((c) => f.staking.undelegate(c, addr(3), v2, 1n));
    expect(f.staking.mustGetValidator(f.ctx(), v2).jailed).toBe(true);
    expect(f.staking.endBlock(f.ctx()).map((u) => u.power)).toEqual([0n]);
  });
});

describe("MsgCancelUnbondingDelegation (keeper)", () => {
  test("delegates part of an entry back, shrinking it; all of it removes the entry", () => {
    const f = fixture();
    const d = addr(2);
    f.tx((c) => f.staking.delegate(c, d, f.valoper, 10_000_000n));
    f.tx((c) => f.staking.undelegate(c, d, f.valoper, 6_000_000n), T0 + 1n, 4n);
    f.tx((c) => f.staking.cancelUnbondingDelegation(c, d, f.valoper, 2_000_000n, 4n), T0 + 2n, 5n);
    const e = f.staking.getUnbondingDelegation(f.ctx(), d, f.valoper)?.entries[0];
    expect([e?.initialBalance, e?.balance]).toEqual(["4000000", "4000000"]);
    expect(f.staking.stakeOf(f.ctx(), d)).toBe(6_000_000n);
    expect(pool(f, NOT_BONDED_POOL)).toBe(4_000_000n);
    expect(err(() => f.tx((c) => f.staking.cancelUnbondingDelegation(c, d, f.valoper, 5_000_000n, 4n), T0 + 2n, 5n))).toMatchObject({ code: 49 });
    expect(err(() => f.tx((c) => f.staking.cancelUnbondingDelegation(c, d, f.valoper, 1n, 3n), T0 + 2n, 5n))).toMatchObject({ code: 49 });
    expect(err(() => f.tx((c) => f.staking.cancelUnbondingDelegation(c, addr(3), f.valoper, 1n, 4n), T0 + 2n, 5n))).toMatchObject({ code: 26 });
    f.tx((c) => f.staking.cancelUnbondingDelegation(c, d, f.valoper, 4_000_000n, 4n), T0 + 2n, 5n);
    expect(f.staking.getUnbondingDelegation(f.ctx(), d, f.valoper)).toBeUndefined();
    expect(f.staking.validatorUnbondingDelegations(f.ctx(), f.valoper)).toEqual([]);
    expect(f.staking.stakeOf(f.ctx(), d)).toBe(10_000_000n);
  });

  test("refused while the validator is jailed (staking 7)", () => {
    const f = fixture();
    const d = addr(2);
    f.tx((c) => f.staking.delegate(c, d, f.valoper, 10_000_000n));
    f.tx((c) => f.staking.undelegate(c, d, f.valoper, 1_000_000n), T0, 2n);
    f.tx((c) => f.staking.jail(c, consOf(f, f.valoper)));
    expect(err(() => f.tx((c) => f.staking.cancelUnbondingDelegation(c, d, f.valoper, 1n, 2n)))).toMatchObject({ codespace: "staking", code: 7 });
  });
});

describe("MsgCancelUnbondingDelegation (router)", () => {
  test("served at its type URL: validateBasic, denom, then the keeper", () => {
    const f = fixture();
    const d = addr(2);
    f.tx((c) => f.staking.delegate(c, d, f.valoper, 10_000_000n));
    f.tx((c) => f.staking.undelegate(c, d, f.valoper, 6_000_000n), T0, 3n);
    const msg = (amount: string, creationHeight: bigint, denom = DENOM) => ({
      typeUrl: "/cosmos.staking.v1beta1.MsgCancelUnbondingDelegation",
      value: MsgCancelUnbondingDelegation.encode(
        MsgCancelUnbondingDelegation.fromPartial({ delegatorAddress: d, validatorAddress: f.valoper, amount: { denom, amount }, creationHeight }),
      ).finish(),
    });
    expect(err(() => f.exec(msg("0", 3n)))).toMatchObject({ codespace: "sdk", code: 18 });
    expect(err(() => f.exec(msg("1", 0n)))).toMatchObject({ codespace: "sdk", code: 18 });
    expect(err(() => f.exec(msg("1", 3n, "uother")))).toMatchObject({ codespace: "staking", code: 47 });
    f.exec(msg("6000000", 3n));
    expect(f.staking.stakeOf(f.ctx(), d)).toBe(10_000_000n);
    expect(f.staking.getUnbondingDelegation(f.ctx(), d, f.valoper)).toBeUndefined();
  });
});
