/**
 * Property: the gov tally (votes stored through the keeper, counted against the staking view)
 * equals a straightforward reference computation, and stays within rounding of the exact
 * rational result.
 */
import fc from "fast-check";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";
import { DEC_ONE } from "../../../src/baseapp/coins";
import type { BondedValidatorInfo, DelegationInfo } from "../../../src/x/gov/expected";
import type { TallyCounts, TallyDecision, WeightedOption } from "../../../src/x/gov/tally";
import { addr, coins, govHarness, sendAny, valoper } from "../../unit/gov/harness";

const OPTIONS = [VoteOption.VOTE_OPTION_YES, VoteOption.VOTE_OPTION_ABSTAIN, VoteOption.VOTE_OPTION_NO, VoteOption.VOTE_OPTION_NO_WITH_VETO];
const ACCOUNTS = 8; // account seeds 1..8; validators are operated by seeds 1..4
const PROPOSER_SEED = 200;

interface Scenario {
  validators: { seed: number; tokens: bigint; extraShares: bigint }[];
  delegations: { delegator: number; validator: number; shares: bigint }[];
  votes: { voter: number; options: WeightedOption[] }[];
  quorum: bigint;
  threshold: bigint;
  veto: bigint;
}

const weightedOptions: fc.Arbitrary<WeightedOption[]> = fc
  .uniqueArray(fc.constantFrom(...OPTIONS), { minLength: 1, maxLength: 4 })
  .chain((opts) =>
    fc.uniqueArray(fc.bigInt({ min: 1n, max: DEC_ONE - 1n }), { minLength: opts.length - 1, maxLength: opts.length - 1 }).map((cuts) => {
      const points = [0n, ...cuts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), DEC_ONE];
      return opts.map((option, i) => ({ option, weight: (points[i + 1] as bigint) - (points[i] as bigint) }));
    }),
  );

const fraction = fc.bigInt({ min: 1n, max: DEC_ONE });

const scenario: fc.Arbitrary<Scenario> = fc.record({
  validators: fc.uniqueArray(
    fc.record({
      seed: fc.integer({ min: 1, max: 4 }),
      tokens: fc.bigInt({ min: 0n, max: 10n ** 15n }),
      extraShares: fc.bigInt({ min: 0n, max: 10n ** 30n }),
    }),
    { minLength: 0, maxLength: 4, selector: (v) => v.seed },
  ),
  delegations: fc.array(
    fc.record({
      delegator: fc.integer({ min: 1, max: ACCOUNTS }),
      validator: fc.integer({ min: 1, max: 5 }), // 5 is never a bonded validator
      shares: fc.bigInt({ min: 1n, max: 10n ** 30n }),
    }),
    { maxLength: 16 },
  ),
  votes: fc.uniqueArray(fc.record({ voter: fc.integer({ min: 1, max: ACCOUNTS }), options: weightedOptions }), {
    maxLength: ACCOUNTS,
    selector: (v) => v.voter,
  }),
  quorum: fc.bigInt({ min: 0n, max: DEC_ONE }),
  threshold: fc.bigInt({ min: 1n, max: DEC_ONE - 1n }), // params need threshold < expedited_threshold ≤ 1
  veto: fraction,
});

/** Builds the staking view: delegator shares of a validator = its delegations' shares + extra (delegators who never vote). */
function stakingView(s: Scenario): { validators: BondedValidatorInfo[]; delegations: Map<string, DelegationInfo[]> } {
  const delegations = new Map<string, DelegationInfo[]>();
  const totalShares = new Map<number, bigint>();
  for (const d of s.delegations) {
    const list = delegations.get(addr(d.delegator)) ?? [];
    const existing = list.find((x) => x.validatorAddress === valoper(d.validator));
    if (existing !== undefined) continue; // one delegation per (delegator, validator), as in staking
    list.push({ validatorAddress: valoper(d.validator), shares: d.shares });
    delegations.set(addr(d.delegator), list);
    totalShares.set(d.validator, (totalShares.get(d.validator) ?? 0n) + d.shares);
  }
  const validators = s.validators.map((v) => ({
    operatorAddress: valoper(v.seed),
    accountAddress: addr(v.seed),
    tokens: v.tokens,
    delegatorShares: (totalShares.get(v.seed) ?? 0n) + v.extraShares,
  }));
  return { validators, delegations };
}

/** The reference: validator by validator, first the voting delegators, then the validator's remainder. */
function reference(s: Scenario): TallyCounts {
  const { validators, delegations } = stakingView(s);
  const sums = new Map<VoteOption, bigint>(OPTIONS.map((o) => [o, 0n]));
  let total = 0n;
  const voteOf = new Map(s.votes.map((v) => [addr(v.voter), v.options]));
  const credit = (shares: bigint, v: BondedValidatorInfo, options: readonly WeightedOption[]): void => {
    if (v.delegatorShares === 0n) return;
    const power = (shares * v.tokens * DEC_ONE) / v.delegatorShares;
    total += power;
    for (const o of options) sums.set(o.option, (sums.get(o.option) ?? 0n) + (power * o.weight) / DEC_ONE);
  };
  for (const v of validators) {
    let votedShares = 0n;
    for (const [delegator, options] of voteOf) {
      for (const d of delegations.get(delegator) ?? []) {
        if (d.validatorAddress !== v.operatorAddress) continue;
        votedShares += d.shares;
        credit(d.shares, v, options);
      }
    }
    const own = voteOf.get(v.accountAddress);
    if (own !== undefined && v.delegatorShares > votedShares) credit(v.delegatorShares - votedShares, v, own);
  }
  return {
    yes: sums.get(VoteOption.VOTE_OPTION_YES) ?? 0n,
    abstain: sums.get(VoteOption.VOTE_OPTION_ABSTAIN) ?? 0n,
    no: sums.get(VoteOption.VOTE_OPTION_NO) ?? 0n,
    noWithVeto: sums.get(VoteOption.VOTE_OPTION_NO_WITH_VETO) ?? 0n,
    total,
  };
}

/** Exact per-option power as a rational num/den in 10^-18 token units, for the rounding bound. */
function exact(s: Scenario, option: VoteOption): { num: bigint; den: bigint; terms: bigint } {
  const { validators, delegations } = stakingView(s);
  let num = 0n;
  let den = 1n;
  let terms = 0n;
  const add = (n: bigint, d: bigint): void => {
    num = num * d + n * den;
    den *= d;
    terms += 1n;
  };
  const voteOf = new Map(s.votes.map((v) => [addr(v.voter), v.options]));
  for (const v of validators) {
    if (v.delegatorShares === 0n) continue;
    let voted = 0n;
    for (const [delegator, options] of voteOf) {
      for (const d of delegations.get(delegator) ?? []) {
        if (d.validatorAddress !== v.operatorAddress) continue;
        voted += d.shares;
        for (const o of options) if (o.option === option) add(d.shares * v.tokens * o.weight, v.delegatorShares);
      }
    }
    const own = voteOf.get(v.accountAddress);
    if (own !== undefined) for (const o of own) if (o.option === option) add((v.delegatorShares - voted) * v.tokens * o.weight, v.delegatorShares);
  }
  return { num, den, terms };
}

/** The SDK's decision order, written with rationals a/b compared by cross-multiplication. */
function referenceDecision(c: TallyCounts, bonded: bigint, s: Scenario): TallyDecision {
  const lt = (a: bigint, b: bigint, x: bigint, y: bigint): boolean => a * y < x * b; // a/b < x/y, b,y > 0
  if (bonded === 0n) return "no_bonded_tokens";
  if (lt(c.total, bonded * DEC_ONE, s.quorum, DEC_ONE)) return "quorum_not_reached";
  if (c.total - c.abstain === 0n) return "all_abstain";
  if (lt(s.veto, DEC_ONE, c.noWithVeto, c.total)) return "vetoed";
  if (lt(s.threshold, DEC_ONE, c.yes, c.total - c.abstain)) return "passed";
  return "threshold_not_reached";
}

describe("gov tally (property)", () => {
  test("keeper tally equals the reference and is within rounding of the exact result", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const h = govHarness({
          balances: [{ address: addr(PROPOSER_SEED), amount: 10n ** 9n }],
          govParams: {
            quorum: formatDec(s.quorum),
            threshold: formatDec(s.threshold),
            veto_threshold: formatDec(s.veto),
            expedited_threshold: "1.000000000000000000",
          },
        });
        const view = stakingView(s);
        h.staking.validators = view.validators;
        for (const [k, v] of view.delegations) h.staking.delegations.set(k, v);
        const k = h.gov.keeper;
        const id = k.submitProposal(h.ctx(1n), {
          messages: [sendAny(moduleAccountAddress("gov"), addr(PROPOSER_SEED), 1n)],
          initialDeposit: coins(10_000_000n),
          proposer: addr(PROPOSER_SEED),
          metadata: "",
          title: "t",
          summary: "s",
          expedited: false,
        });
        for (const v of s.votes) k.addVote(h.ctx(2n), id, addr(v.voter), v.options, "");
        const t = k.tally(h.ctx(3n), k.getProposal(h.ctx(0n), id)!);
        const ref = reference(s);
        expect(t.counts).toEqual(ref);
        const bonded = h.staking.totalBondedTokens();
        expect(t.decision).toBe(referenceDecision(ref, bonded, s));
        const byOption: [VoteOption, bigint][] = [
          [VoteOption.VOTE_OPTION_YES, t.counts.yes],
          [VoteOption.VOTE_OPTION_ABSTAIN, t.counts.abstain],
          [VoteOption.VOTE_OPTION_NO, t.counts.no],
          [VoteOption.VOTE_OPTION_NO_WITH_VETO, t.counts.noWithVeto],
        ];
        for (const [option, got] of byOption) {
          const e = exact(s, option);
          // exact = num / den, in 10^-18 token units (shares × tokens × weight / delegatorShares)
          expect(got * e.den <= e.num).toBe(true); // truncation never rounds up
          expect((got + 2n * e.terms) * e.den >= e.num).toBe(true); // at most two truncations per term
        }
      }),
      { numRuns: 150 },
    );
  });
});

function formatDec(v: bigint): string {
  return `${v / DEC_ONE}.${(v % DEC_ONE).toString().padStart(18, "0")}`;
}
