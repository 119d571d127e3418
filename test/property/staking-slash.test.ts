/**
 * Slashing invariants of x/staking's Keeper.slash (the SDK's Slash) over random histories of
 * delegate / undelegate / redelegate spread over many heights (unbonding time 20 s, so some
 * entries mature before the slash), then slashes at random past infraction heights:
 *  (a) a slash never takes more than fraction × what the validator had bonded at the infraction
 *      height (its tokens at the start of that height, whose consensus power the slash is given);
 *      no unbonding or redelegation entry created before the infraction, or matured, loses
 *      anything, and a later one at most fraction × its initial balance;
 *  (b) supply conservation: the tokens burned are exactly what left the bonded and not-bonded
 *      pools (the token drops of bonded validators, resp. of the other validators plus the
 *      unbonding balances), total supply falls by exactly that, no other balance moves, and the
 *      pools still hold exactly the staking state's tokens.
 */
import fc from "fast-check";
import { BondStatus, type UnbondingDelegation } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Context } from "../../src/baseapp/context";
import { ChainError } from "../../src/baseapp/errors";
import { moduleAccountAddress } from "../../src/x/auth/keeper";
import { DEC_ONE } from "../../src/x/staking/dec";
import {
  accountValoper,
  BONDED_POOL,
  consensusAddress,
  consensusPower,
  NOT_BONDED_POOL,
  POWER_REDUCTION,
  validatorPubkey,
  validatorTokens,
} from "../../src/x/staking/keeper";
import { compareTime } from "../../src/x/staking/time";
import { addr, consKey, DENOM, fixture, GENESIS_TIME_SECONDS, type Fixture } from "../unit/staking/fixture";

/** Validator owners: 1 is the genesis validator (10^9 tokens), 3 and 4 are created with a few 10^6. */
const OWNERS = [1, 3, 4] as const;
const DELEGATORS = [1, 2, 3, 4] as const;

type Op =
  | { kind: "delegate"; who: number; val: number; amount: bigint }
  | { kind: "undelegate"; who: number; val: number; amount: bigint }
  | { kind: "redelegate"; who: number; src: number; dst: number; amount: bigint }
  /** Stake that arrives after an infraction and leaves again: delegate, then undelegate as much. */
  | { kind: "roundtrip"; who: number; val: number; amount: bigint };

interface Block {
  readonly seconds: bigint;
  readonly ops: Op[];
}

const who = fc.constantFrom(...DELEGATORS);
const val = fc.constantFrom(...OWNERS);
const amount = fc.oneof(fc.bigInt({ min: 1n, max: 3_000_000n }), fc.constantFrom(1_000_000n, 2_500_000n, 40_000_000n));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("delegate" as const), who, val, amount }),
  fc.record({ kind: fc.constant("undelegate" as const), who, val, amount }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("redelegate" as const), who, src: val, dst: val, amount }) },
  fc.record({ kind: fc.constant("roundtrip" as const), who, val, amount: fc.bigInt({ min: 1n, max: 60_000_000n }) }),
);
const block: fc.Arbitrary<Block> = fc.record({ seconds: fc.bigInt({ min: 1n, max: 6n }), ops: fc.array(op, { maxLength: 4 }) });
/** Fractions from tiny to 1 (18-decimal fixed point), the SDK defaults among them. */
const fraction = fc.oneof(fc.bigInt({ min: 1n, max: DEC_ONE }), fc.constantFrom(DEC_ONE / 20n, DEC_ONE / 100n, DEC_ONE));

const valoper = (owner: number) => accountValoper(addr(owner));

function setup(): Fixture {
  const f = fixture({ balances: [10_000_000_000n, 5_000_000_000n, 5_000_000_000n, 5_000_000_000n] });
  for (const [owner, tokens] of [
    [3, 5_000_000n],
    [4, 3_000_000n],
  ] as const) {
    f.tx((ctx) =>
      f.staking.createValidator(ctx, {
        operator: valoper(owner),
        consensusPubkey: consKey(owner),
        description: { moniker: `v${owner}`, identity: "", website: "", securityContact: "", details: "" },
        commission: { rate: 0n, maxRate: 0n, maxChangeRate: 0n },
        minSelfDelegation: 1n,
        value: { denom: DENOM, amount: tokens },
      }),
    );
  }
  f.staking.endBlock(f.ctx());
  return f;
}

/** Runs one operation as a tx at `height`; registered rejections (not enough shares, too many entries…) are fine. */
function run(f: Fixture, o: Op, time: bigint, height: bigint): void {
  try {
    f.tx(
      (c) => {
        switch (o.kind) {
          case "delegate":
            return f.staking.delegate(c, addr(o.who), valoper(o.val), o.amount);
          case "undelegate":
            return f.staking.undelegate(c, addr(o.who), valoper(o.val), o.amount);
          case "redelegate":
            return f.staking.beginRedelegate(c, addr(o.who), valoper(o.src), valoper(o.dst), o.amount);
          case "roundtrip":
            f.staking.delegate(c, addr(o.who), valoper(o.val), o.amount);
            return f.staking.undelegate(c, addr(o.who), valoper(o.val), o.amount);
        }
      },
      time,
      height,
    );
  } catch (e) {
    if (!(e instanceof ChainError) || e.code === 1) throw e;
  }
}

interface History {
  readonly f: Fixture;
  /** Tokens of each validator (by owner) at the start of each height ≥ 2 (before its txs). */
  readonly tokensAt: Map<bigint, Map<number, bigint>>;
  time: bigint;
  height: bigint;
}

function tokensOf(f: Fixture, ctx: Context, owner: number): bigint {
  const v = f.staking.getValidator(ctx, valoper(owner));
  return v === undefined ? 0n : validatorTokens(v);
}

/** Plays the blocks: heights 2, 3, … each with its txs then EndBlock (queues, set updates). */
function play(blocks: readonly Block[]): History {
  const f = setup();
  const h: History = { f, tokensAt: new Map(), time: GENESIS_TIME_SECONDS, height: 1n };
  for (const b of blocks) {
    h.time += b.seconds;
    h.height += 1n;
    const start = f.ctx(h.time, h.height);
    h.tokensAt.set(h.height, new Map(OWNERS.map((o) => [o, tokensOf(f, start, o)])));
    for (const o of b.ops) run(f, o, h.time, h.height);
    f.staking.endBlock(f.ctx(h.time, h.height));
  }
  h.time += 1n;
  h.height += 1n;
  h.tokensAt.set(h.height, new Map(OWNERS.map((o) => [o, tokensOf(f, f.ctx(h.time, h.height), o)])));
  return h;
}

interface Snapshot {
  readonly supply: bigint;
  readonly bonded: bigint;
  readonly notBonded: bigint;
  /** Every account balance except the two pools. */
  readonly others: Map<string, bigint>;
  readonly validators: Map<string, { tokens: bigint; bonded: boolean }>;
  readonly unbondings: UnbondingDelegation[];
  /** Token value of every delegation, by "delegator/validator". */
  readonly delegations: Map<string, bigint>;
}

function snapshot(f: Fixture, ctx: Context): Snapshot {
  const bank = f.app.bank;
  const pools = new Set([moduleAccountAddress(BONDED_POOL), moduleAccountAddress(NOT_BONDED_POOL)]);
  const others = new Map<string, bigint>();
  for (const b of bank.allBalances(ctx)) {
    if (pools.has(b.address)) continue;
    others.set(b.address, b.coins.find((c) => c.denom === DENOM)?.amount ?? 0n);
  }
  return {
    supply: bank.getSupply(ctx, DENOM).amount,
    bonded: bank.getBalance(ctx, moduleAccountAddress(BONDED_POOL), DENOM).amount,
    notBonded: bank.getBalance(ctx, moduleAccountAddress(NOT_BONDED_POOL), DENOM).amount,
    others,
    validators: new Map(
      f.staking.allValidators(ctx).map((v) => [v.operatorAddress, { tokens: validatorTokens(v), bonded: v.status === BondStatus.BOND_STATUS_BONDED }]),
    ),
    unbondings: f.staking.allUnbondingDelegations(ctx),
    delegations: new Map(f.staking.allDelegations(ctx).map((d) => [`${d.delegatorAddress}/${d.validatorAddress}`, f.staking.delegationTokens(ctx, d)])),
  };
}

const sumBalances = (us: readonly UnbondingDelegation[]) => us.reduce((s, u) => s + u.entries.reduce((t, e) => t + BigInt(e.balance), 0n), 0n);

/** (b): burned = what left the pools, each pool's drop = the state's drop, supply falls by it, nothing else moves. */
function checkConservation(before: Snapshot, after: Snapshot): bigint {
  const burned = before.supply - after.supply;
  expect(burned).toBeGreaterThanOrEqual(0n);
  expect(burned).toBe(before.bonded - after.bonded + (before.notBonded - after.notBonded));
  expect(after.others).toEqual(before.others);
  let bondedDrop = 0n;
  let notBondedDrop = 0n;
  for (const [op, b] of before.validators) {
    const a = after.validators.get(op);
    expect(a?.bonded).toBe(b.bonded); // a slash never moves a validator between pools
    const drop = b.tokens - (a?.tokens ?? 0n);
    expect(drop).toBeGreaterThanOrEqual(0n);
    if (b.bonded) bondedDrop += drop;
    else notBondedDrop += drop;
  }
  notBondedDrop += sumBalances(before.unbondings) - sumBalances(after.unbondings);
  expect(before.bonded - after.bonded).toBe(bondedDrop);
  expect(before.notBonded - after.notBonded).toBe(notBondedDrop);
  // The pools still hold exactly the staking state's tokens.
  let bonded = 0n;
  let notBonded = sumBalances(after.unbondings);
  for (const v of after.validators.values()) {
    if (v.bonded) bonded += v.tokens;
    else notBonded += v.tokens;
  }
  expect([after.bonded, after.notBonded]).toEqual([bonded, notBonded]);
  return burned;
}

/** How often each part of a slash burned something over a property's runs (the properties must not hold vacuously). */
const seen = { validator: 0, ownEntries: 0, elsewhere: 0, capped: 0 };

/** Slashes `owner`'s validator for an infraction at `infraction` with `fraction`; checks (a) and (b); returns the burn. */
function slashAndCheck(h: History, owner: number, infraction: bigint, frac: bigint): bigint {
  const { f } = h;
  const ctx = f.ctx(h.time, h.height);
  const v = f.staking.getValidator(ctx, valoper(owner));
  if (v === undefined || v.status === BondStatus.BOND_STATUS_UNBONDED) return 0n; // the SDK does not slash these
  const bondedAtInfraction = h.tokensAt.get(infraction)?.get(owner) ?? 0n;
  const power = consensusPower(bondedAtInfraction);
  const before = snapshot(f, ctx);
  const fromValidator = f.tx((c) => f.staking.slash(c, consensusAddress(validatorPubkey(v)), infraction, power, frac), h.time, h.height);
  if (fromValidator > 0n) seen.validator++;
  const after = snapshot(f, f.ctx(h.time, h.height));
  const burned = checkConservation(before, after);

  // (a) never more than fraction × what was bonded at the infraction height (nor than the nominal amount).
  const nominal = (power * POWER_REDUCTION * frac) / DEC_ONE;
  expect(burned).toBeLessThanOrEqual(nominal);
  if (burned === nominal && fromValidator === 0n && burned > 0n) seen.capped++;
  expect(burned * DEC_ONE).toBeLessThanOrEqual(bondedAtInfraction * frac);
  // The validator's own unbonding entries: untouched if created before the infraction or matured,
  // else at most fraction × their initial balance. Every other entry created before the infraction
  // or matured is untouched too.
  const now = { seconds: h.time, nanos: 0 };
  const target = valoper(owner);
  const unbondingLoss = new Map<string, bigint>();
  for (const u of before.unbondings) {
    const later = after.unbondings.find((x) => x.delegatorAddress === u.delegatorAddress && x.validatorAddress === u.validatorAddress);
    u.entries.forEach((e, i) => {
      const taken = BigInt(e.balance) - BigInt(later?.entries[i]?.balance ?? e.balance);
      expect(later?.entries[i]?.creationHeight).toBe(e.creationHeight);
      expect(taken).toBeGreaterThanOrEqual(0n);
      if (e.creationHeight < infraction || compareTime(e.completionTime, now) <= 0) expect(taken).toBe(0n);
      else if (u.validatorAddress === target) expect(taken * DEC_ONE).toBeLessThanOrEqual(BigInt(e.initialBalance) * frac);
      const key = `${u.delegatorAddress}/${u.validatorAddress}`;
      if (u.validatorAddress !== target) unbondingLoss.set(key, (unbondingLoss.get(key) ?? 0n) + taken);
      else if (taken > 0n) seen.ownEntries++;
    });
  }
  // Elsewhere a delegator loses (delegation and unbondings from that validator together) only
  // through its eligible redelegations out of the slashed validator into it: at most fraction ×
  // their initial balances.
  const reds = f.staking.redelegationsFromValidator(f.ctx(h.time, h.height), target);
  const pairs = new Set([...before.delegations.keys(), ...unbondingLoss.keys()]);
  for (const key of pairs) {
    const [delegator, validator] = key.split("/") as [string, string];
    if (validator === target) continue;
    const lost = (before.delegations.get(key) ?? 0n) - (after.delegations.get(key) ?? 0n) + (unbondingLoss.get(key) ?? 0n);
    const cap = reds
      .filter((r) => r.delegatorAddress === delegator && r.validatorDstAddress === validator)
      .flatMap((r) => r.entries)
      .filter((e) => e.creationHeight >= infraction && compareTime(e.completionTime, now) > 0)
      .reduce((s, e) => s + (BigInt(e.initialBalance) * frac) / DEC_ONE, 0n);
    // +1: a delegation's token value is truncated before and after.
    expect(lost).toBeLessThanOrEqual(cap + 1n);
    if (lost > 0n) seen.elsewhere++;
  }
  return burned;
}

describe("staking slash properties", () => {
  test("(a)+(b) one slash at a random past infraction height after random staking activity", () => {
    fc.assert(
      fc.property(
        fc.array(block, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(...OWNERS),
        fc.nat(),
        fraction,
        (blocks, owner, pick, frac) => {
          const h = play(blocks);
          const infraction = 2n + (BigInt(pick) % (h.height - 1n)); // 2 … current height
          slashAndCheck(h, owner, infraction, frac);
        },
      ),
      { numRuns: 150 },
    );
    expect(seen.validator).toBeGreaterThan(0);
    expect(seen.ownEntries).toBeGreaterThan(0);
    expect(seen.elsewhere).toBeGreaterThan(0);
    expect(seen.capped).toBeGreaterThan(0);
  });

  test("(b) repeated slashes of several validators interleaved with activity conserve supply", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(block, fc.option(fc.tuple(fc.constantFrom(...OWNERS), fc.nat(), fraction), { nil: undefined })), { minLength: 1, maxLength: 10 }),
        (steps) => {
          const f = setup();
          const h: History = { f, tokensAt: new Map(), time: GENESIS_TIME_SECONDS, height: 1n };
          const supply0 = f.app.bank.getSupply(f.ctx(), DENOM).amount;
          let burnedTotal = 0n;
          for (const [b, slash] of steps) {
            h.time += b.seconds;
            h.height += 1n;
            h.tokensAt.set(h.height, new Map(OWNERS.map((o) => [o, tokensOf(f, f.ctx(h.time, h.height), o)])));
            for (const o of b.ops) run(f, o, h.time, h.height);
            if (slash !== undefined) {
              const [owner, pick, frac] = slash;
              burnedTotal += slashAndCheck(h, owner, 2n + (BigInt(pick) % (h.height - 1n)), frac);
            }
            f.staking.endBlock(f.ctx(h.time, h.height));
          }
          expect(f.app.bank.getSupply(f.ctx(), DENOM).amount).toBe(supply0 - burnedTotal);
        },
      ),
      { numRuns: 80 },
    );
  });
});
