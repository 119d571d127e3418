/**
 * The staking hooks of issue 13: every member fires at the SDK's point, in the SDK's
 * order, and before-hooks see the state before the change.
 */
import type { Context } from "../../../src/baseapp/context";
import { DEC_ONE } from "../../../src/x/staking/dec";
import { accountValoper, consensusAddress, type StakingHooks, validatorTokens } from "../../../src/x/staking/keeper";
import { addr, consKey, DENOM, fixture, GENESIS_TIME_SECONDS as T0, UNBONDING_SECONDS, type Fixture } from "./fixture";

type Call = unknown[];

/** Records every hook; the before-hooks also record the delegation's shares they see. */
function record(f: Fixture): Call[] {
  const calls: Call[] = [];
  const shares = (ctx: Context, d: string, v: string) => f.staking.getDelegation(ctx, d, v)?.shares ?? "none";
  const hooks: Required<StakingHooks> = {
    afterValidatorCreated: (_c, op) => calls.push(["afterValidatorCreated", op]),
    beforeDelegationCreated: (c, d, v) => calls.push(["beforeDelegationCreated", d, v, shares(c, d, v)]),
    beforeDelegationSharesModified: (c, d, v) => calls.push(["beforeDelegationSharesModified", d, v, shares(c, d, v)]),
    beforeDelegationRemoved: (c, d, v) => calls.push(["beforeDelegationRemoved", d, v, shares(c, d, v)]),
    afterDelegationModified: (_c, d, v) => calls.push(["afterDelegationModified", d, v]),
    afterDelegationRemoved: (_c, d, v) => calls.push(["afterDelegationRemoved", d, v]),
    afterUnbondingInitiated: (_c, d, v) => calls.push(["afterUnbondingInitiated", d, v]),
    afterUnbondingCompleted: (_c, d, v) => calls.push(["afterUnbondingCompleted", d, v]),
    afterValidatorBonded: (_c, op) => calls.push(["afterValidatorBonded", op]),
    afterValidatorBeginUnbonding: (_c, op) => calls.push(["afterValidatorBeginUnbonding", op]),
    beforeValidatorModified: (c, op) => calls.push(["beforeValidatorModified", op, f.staking.getValidator(c, op)?.commission.commissionRates.rate]),
    afterValidatorRemoved: (c, cons, op) => calls.push(["afterValidatorRemoved", Buffer.from(cons).toString("hex"), op, f.staking.getValidator(c, op) === undefined]),
    beforeValidatorSlashed: (c, op, fraction) => calls.push(["beforeValidatorSlashed", op, fraction, validatorTokens(f.staking.mustGetValidator(c, op))]),
    afterValidatorSlashed: (c, op) => calls.push(["afterValidatorSlashed", op, validatorTokens(f.staking.mustGetValidator(c, op))]),
  };
  f.staking.addHooks(hooks);
  return calls;
}

function createValidator(f: Fixture, owner: number, amount: bigint): string {
  const valoper = accountValoper(addr(owner));
  f.tx((ctx) =>
    f.staking.createValidator(ctx, {
      operator: valoper,
      consensusPubkey: consKey(owner),
      description: { moniker: `v${owner}`, identity: "", website: "", securityContact: "", details: "" },
      commission: { rate: DEC_ONE / 10n, maxRate: DEC_ONE / 5n, maxChangeRate: DEC_ONE / 100n },
      minSelfDelegation: 1n,
      value: { denom: DENOM, amount },
    }),
  );
  return valoper;
}

const dec = (n: bigint) => `${n}${"0".repeat(18)}`;

describe("staking hooks (issue 13)", () => {
  test("create validator, delegate, delegate more: created → before-created → after-modified → before-shares-modified", () => {
    const f = fixture();
    const calls = record(f);
    const v = createValidator(f, 3, 2_000_000n);
    const d = addr(2);
    f.tx((ctx) => f.staking.delegate(ctx, d, v, 5n));
    f.tx((ctx) => f.staking.delegate(ctx, d, v, 7n));
    const own = addr(3);
    expect(calls).toEqual([
      ["afterValidatorCreated", v],
      ["beforeDelegationCreated", own, v, "none"],
      ["afterDelegationModified", own, v],
      ["beforeDelegationCreated", d, v, "none"],
      ["afterDelegationModified", d, v],
      ["beforeDelegationSharesModified", d, v, dec(5n)],
      ["afterDelegationModified", d, v],
    ]);
  });

  test("partial and full undelegation: before-shares-modified (old shares), before-removed, after-removed", () => {
    const f = fixture();
    const d = addr(2);
    f.tx((ctx) => f.staking.delegate(ctx, d, f.valoper, 10n));
    const calls = record(f);
    f.tx((ctx) => f.staking.undelegate(ctx, d, f.valoper, 4n));
    f.tx((ctx) => f.staking.undelegate(ctx, d, f.valoper, 6n));
    expect(calls).toEqual([
      ["beforeDelegationSharesModified", d, f.valoper, dec(10n)],
      ["afterDelegationModified", d, f.valoper],
      ["afterUnbondingInitiated", d, f.valoper],
      ["beforeDelegationSharesModified", d, f.valoper, dec(6n)],
      ["beforeDelegationRemoved", d, f.valoper, dec(6n)],
      ["afterDelegationRemoved", d, f.valoper],
      ["afterUnbondingInitiated", d, f.valoper],
    ]);
  });

  test("redelegation: source before-hooks, then destination before-created, then after-hooks of both", () => {
    const f = fixture();
    const v2 = createValidator(f, 3, 2_000_000n);
    f.staking.endBlock(f.ctx());
    const d = addr(2);
    f.tx((ctx) => f.staking.delegate(ctx, d, f.valoper, 10n));
    const calls = record(f);
    f.tx((ctx) => f.staking.beginRedelegate(ctx, d, f.valoper, v2, 10n));
    expect(calls).toEqual([
      ["beforeDelegationSharesModified", d, f.valoper, dec(10n)],
      ["beforeDelegationRemoved", d, f.valoper, dec(10n)],
      ["beforeDelegationCreated", d, v2, "none"],
      ["afterDelegationRemoved", d, f.valoper],
      ["afterDelegationModified", d, v2],
    ]);
  });

  test("commission change fires beforeValidatorModified with the old rate; a description-only edit does not", () => {
    const f = fixture();
    const calls = record(f);
    const desc = { moniker: "[do-not-modify]", identity: "x", website: "[do-not-modify]", securityContact: "[do-not-modify]", details: "[do-not-modify]" };
    f.tx((ctx) => f.staking.editValidator(ctx, f.valoper, { description: desc, commissionRate: undefined, minSelfDelegation: undefined }), T0 + 86_400n);
    expect(calls).toEqual([]);
    const before = f.staking.getValidator(f.ctx(), f.valoper)?.commission.commissionRates.rate;
    const rate = BigInt(before ?? "0") + DEC_ONE / 100n;
    f.tx((ctx) => f.staking.editValidator(ctx, f.valoper, { description: desc, commissionRate: rate, minSelfDelegation: undefined }), T0 + 86_400n);
    expect(calls).toEqual([["beforeValidatorModified", f.valoper, before]]);
  });

  test("an unbonded validator whose last shares leave is removed: afterValidatorRemoved with its consensus address", () => {
    const f = fixture();
    const v = createValidator(f, 3, 2_000_000n); // unbonded until EndBlock
    const calls = record(f);
    f.tx((ctx) => f.staking.undelegate(ctx, addr(3), v, 2_000_000n));
    expect(calls.map((c) => c[0])).toEqual([
      "beforeDelegationSharesModified",
      "beforeDelegationRemoved",
      "afterValidatorRemoved",
      "afterDelegationRemoved",
      "afterUnbondingInitiated",
    ]);
    expect(calls[2]).toEqual(["afterValidatorRemoved", Buffer.from(consensusAddress(consKey(3))).toString("hex"), v, true]);
  });

  test("a bonded validator that unbonds fully is removed when its unbonding matures", () => {
    const f = fixture();
    const v = createValidator(f, 3, 2_000_000n);
    f.staking.endBlock(f.ctx());
    f.tx((ctx) => f.staking.undelegate(ctx, addr(3), v, 2_000_000n));
    const calls = record(f);
    f.staking.endBlock(f.ctx(T0 + 1n)); // leaves the set
    f.staking.endBlock(f.ctx(T0 + 1n + UNBONDING_SECONDS));
    expect(calls.map((c) => c[0])).toEqual(["afterValidatorBeginUnbonding", "afterUnbondingCompleted", "afterValidatorRemoved"]);
  });
});
