/**
 * F1 and supply properties over random sequences of delegate, undelegate, redelegate, slash (via
 * staking's Slash, which runs the beforeValidatorSlashed hook), fees + allocation and withdrawals:
 * - the module account holds exactly community pool + Σ outstanding rewards at every step;
 * - per validator, outstanding ≥ Σ what its delegators could withdraw + its commission (rounding
 *   never favours the withdrawer), and after everyone withdraws only dust (< 1 token per
 *   delegation) is left;
 * - supply changes only by what slashing burns.
 */
import fc from "fast-check";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { ChainError } from "../../../src/baseapp/errors";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";
import { DISTRIBUTION_MODULE } from "../../../src/x/distribution/keeper";
import { DEC_ONE } from "../../../src/x/staking/dec";
import { validatorTokens } from "../../../src/x/staking/keeper";
import { addr, DENOM, fixture, type Fixture } from "../../unit/staking/fixture";
import { allocate, blockCtxOn, collectFees, consOf, createValidator, vote } from "../../unit/distribution/helpers";

type Op =
  | { kind: "delegate"; d: number; v: number; amount: bigint }
  | { kind: "undelegate"; d: number; v: number; part: number }
  | { kind: "redelegate"; d: number; v: number; w: number; part: number }
  | { kind: "slash"; v: number; percent: number }
  | { kind: "fees"; amount: bigint; absent: number }
  | { kind: "withdraw"; d: number; v: number }
  | { kind: "commission"; v: number };

const DELEGATORS = [2, 3, 4];
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("delegate" as const), d: fc.nat(2), v: fc.nat(2), amount: fc.bigInt(1n, 300_000_000n) }),
  fc.record({ kind: fc.constant("undelegate" as const), d: fc.nat(2), v: fc.nat(2), part: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant("redelegate" as const), d: fc.nat(2), v: fc.nat(2), w: fc.nat(2), part: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant("slash" as const), v: fc.nat(2), percent: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant("fees" as const), amount: fc.bigInt(1n, 5_000_000n), absent: fc.nat(3) }),
  fc.record({ kind: fc.constant("withdraw" as const), d: fc.nat(2), v: fc.nat(2) }),
  fc.record({ kind: fc.constant("commission" as const), v: fc.nat(2) }),
);

const POOL = moduleAccountAddress(DISTRIBUTION_MODULE);

function tryTx(f: Fixture, h: bigint, run: (ctx: ReturnType<Fixture["ctx"]>) => unknown): void {
  try {
    f.tx(run, undefined, h);
  } catch (e) {
    if (e instanceof ChainError) return; // a refused operation changes nothing
    throw e;
  }
}

function checkHoldings(f: Fixture, h: bigint): void {
  const d = f.keepers.distribution;
  const ctx = blockCtxOn(f, h);
  const holdings = d.moduleHoldings(ctx).find((c) => c.denom === DENOM)?.amount ?? 0n;
  expect(holdings).toBe(f.app.bank.getBalance(ctx, POOL, DENOM).amount * DEC_ONE);
}

function checkF1(f: Fixture, h: bigint, vals: string[]): void {
  const d = f.keepers.distribution;
  const ctx = blockCtxOn(f, h);
  for (const v of vals) {
    if (f.staking.getValidator(ctx, v) === undefined || d.currentRewards(ctx, v) === undefined) continue;
    let owed = d.accumulatedCommission(ctx, v).find((c) => c.denom === DENOM)?.amount ?? 0n;
    for (const del of f.staking.validatorDelegations(ctx, v)) {
      owed += d.delegationRewards(ctx, del.delegatorAddress, v).find((c) => c.denom === DENOM)?.amount ?? 0n;
    }
    const outstanding = d.outstandingRewards(ctx, v).find((c) => c.denom === DENOM)?.amount ?? 0n;
    expect(owed).toBeLessThanOrEqual(outstanding);
  }
}

test("F1: outstanding covers every withdrawal, holdings match the module account, supply moves only by burns", () => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
      const f = fixture({ balances: [10_000_000_000n, 5_000_000_000n, 5_000_000_000n, 5_000_000_000n, 5_000_000_000n, 5_000_000_000n] });
      const vals = [f.valoper, createValidator(f, 5, 400_000_000n, DEC_ONE / 20n), createValidator(f, 6, 300_000_000n, DEC_ONE / 3n)];
      f.tx((c) => f.staking.endBlock(c));
      const supply0 = f.app.bank.getSupply(f.ctx(), DENOM).amount;
      let burned = 0n;
      let h = 2n;
      for (const o of ops) {
        h += 1n;
        const v = vals[("v" in o ? o.v : 0) % vals.length] as string;
        const d = addr(DELEGATORS[("d" in o ? o.d : 0) % DELEGATORS.length] as number);
        switch (o.kind) {
          case "delegate":
            tryTx(f, h, (c) => f.staking.delegate(c, d, v, o.amount));
            break;
          case "undelegate":
          case "redelegate": {
            const del = f.staking.getDelegation(f.ctx(), d, v);
            if (del === undefined) break;
            const worth = f.staking.delegationTokens(f.ctx(), del);
            const amount = (worth * BigInt(o.part)) / 100n;
            if (amount <= 0n) break;
            if (o.kind === "undelegate") tryTx(f, h, (c) => f.staking.undelegate(c, d, v, amount));
            else tryTx(f, h, (c) => f.staking.beginRedelegate(c, d, v, vals[o.w % vals.length] as string, amount));
            break;
          }
          case "slash": {
            const val = f.staking.getValidator(f.ctx(), v);
            if (val === undefined || val.status !== BondStatus.BOND_STATUS_BONDED) break;
            const power = validatorTokens(val) / 1_000_000n;
            try {
              burned += f.tx((c) => f.staking.slash(c, consOf(c, f, v), h, power, (DEC_ONE * BigInt(o.percent)) / 100n), undefined, h);
            } catch (e) {
              if (!(e instanceof ChainError)) throw e;
            }
            break;
          }
          case "fees": {
            collectFees(f, o.amount);
            const votes = vals
              .filter((x) => f.staking.getValidator(f.ctx(), x) !== undefined && validatorTokens(f.staking.mustGetValidator(f.ctx(), x)) >= 1_000_000n)
              .map((x, i) => vote(f, x, i === o.absent ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : BlockIDFlag.BLOCK_ID_FLAG_COMMIT));
            allocate(f, h, votes);
            break;
          }
          case "withdraw":
            if (f.staking.getDelegation(f.ctx(), d, v) !== undefined) tryTx(f, h, (c) => f.keepers.distribution.withdrawDelegatorReward(c, d, v));
            break;
          case "commission":
            tryTx(f, h, (c) => f.keepers.distribution.withdrawValidatorCommission(c, v));
            break;
        }
        checkHoldings(f, h + 1n);
        checkF1(f, h + 1n, vals);
      }
      expect(f.app.bank.getSupply(f.ctx(), DENOM).amount).toBe(supply0 - burned);
      // Everyone withdraws: nothing fails, and per validator at most one token of dust per delegation stays.
      h += 1n;
      for (const v of vals) {
        if (f.staking.getValidator(f.ctx(), v) === undefined) continue;
        const dels = f.staking.validatorDelegations(f.ctx(), v);
        for (const del of dels) f.tx((c) => f.keepers.distribution.withdrawDelegatorReward(c, del.delegatorAddress, v), undefined, h);
        tryTx(f, h, (c) => f.keepers.distribution.withdrawValidatorCommission(c, v));
        const left = f.keepers.distribution.outstandingRewards(f.ctx(), v).find((c) => c.denom === DENOM)?.amount ?? 0n;
        expect(left).toBeLessThan(BigInt(dels.length + 1) * DEC_ONE);
      }
      checkHoldings(f, h + 1n);
    }),
    { numRuns: 25 },
  );
});
