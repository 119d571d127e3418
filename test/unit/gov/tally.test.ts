import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { DEC_ONE } from "../../../src/baseapp/coins";
import type { BondedValidatorInfo, DelegationInfo } from "../../../src/x/gov/expected";
import { countVotes, decideTally, sharesToPower, tallyResultOf, type TallyCounts, type TallyVoter } from "../../../src/x/gov/tally";
import { devnetGovGenesis } from "../../../src/x/gov/genesis";
import { defaultGovParams, govParamsFromJson, govParamsToJson, validateGovParams } from "../../../src/x/gov/params";

const { VOTE_OPTION_YES: YES, VOTE_OPTION_ABSTAIN: ABSTAIN, VOTE_OPTION_NO: NO, VOTE_OPTION_NO_WITH_VETO: VETO } = VoteOption;
const D = DEC_ONE;

function val(op: string, tokens: bigint, shares: bigint): BondedValidatorInfo {
  return { operatorAddress: `op-${op}`, accountAddress: `acc-${op}`, tokens, delegatorShares: shares };
}

function voteFor(voter: string, option: VoteOption): TallyVoter {
  return { voter, options: [{ option, weight: D }] };
}

const rules = { quorum: (D * 334n) / 1000n, threshold: D / 2n, vetoThreshold: (D * 334n) / 1000n };

function counts(yes: bigint, abstain: bigint, no: bigint, veto: bigint): TallyCounts {
  return { yes: yes * D, abstain: abstain * D, no: no * D, noWithVeto: veto * D, total: (yes + abstain + no + veto) * D };
}

describe("tally: counting", () => {
  test("power is shares × tokens / delegatorShares (a slashed validator's shares are worth less)", () => {
    expect(sharesToPower(100n * D, 900n, 1000n * D)).toBe(90n * D);
    expect(sharesToPower(1n, 1n, 3n)).toBe(D / 3n);
    expect(sharesToPower(5n, 10n, 0n)).toBe(0n);
  });

  test("validator inheritance, overrides, unbonded validators and multi-validator delegators", () => {
    const validators = [val("a", 900n, 1000n), val("b", 500n, 500n)];
    const delegations = new Map<string, DelegationInfo[]>([
      ["acc-a", [{ validatorAddress: "op-a", shares: 100n }]],
      ["d1", [{ validatorAddress: "op-a", shares: 300n }, { validatorAddress: "op-b", shares: 200n }]],
      ["d2", [{ validatorAddress: "op-unbonded", shares: 1_000_000n }]],
    ]);
    const of = (v: string): readonly DelegationInfo[] => delegations.get(v) ?? [];
    // Only validator a votes: all of its 900 tokens say yes.
    expect(countVotes(validators, [voteFor("acc-a", YES)], of)).toEqual({ yes: 900n * D, abstain: 0n, no: 0n, noWithVeto: 0n, total: 900n * D });
    // d1 overrides a for its 300/1000 shares (270 tokens) and votes with its 200 in b (which did not vote).
    const c = countVotes(validators, [voteFor("acc-a", YES), voteFor("d1", NO), voteFor("d2", VETO)], of);
    expect(c).toEqual({ yes: 630n * D, abstain: 0n, no: 470n * D, noWithVeto: 0n, total: 1100n * D });
    // Order of voters does not matter.
    expect(countVotes(validators, [voteFor("d2", VETO), voteFor("d1", NO), voteFor("acc-a", YES)], of)).toEqual(c);
    expect(tallyResultOf(c)).toEqual({ yesCount: "630", abstainCount: "0", noCount: "470", noWithVetoCount: "0" });
  });

  test("split votes divide each voter's power by weight (truncated per part)", () => {
    const validators = [val("a", 10n, 10n)];
    const c = countVotes(validators, [{ voter: "acc-a", options: [{ option: YES, weight: D / 3n }, { option: ABSTAIN, weight: D - D / 3n }] }], () => [
      { validatorAddress: "op-a", shares: 1n },
    ]);
    // The operator's own delegation is 1 share (1 token); the remaining 9 shares are inherited.
    expect(c.total).toBe(10n * D);
    expect(c.yes).toBe((1n * D * (D / 3n)) / D + (9n * D * (D / 3n)) / D);
    expect(c.yes + c.abstain).toBe(10n * D);
  });
});

describe("tally: decision", () => {
  test("quorum is reached at exactly the quorum fraction of bonded tokens, not below", () => {
    expect(decideTally(counts(334n, 0n, 0n, 0n), 1000n, rules)).toBe("passed");
    expect(decideTally({ ...counts(334n, 0n, 0n, 0n), total: 334n * D - 1n, yes: 334n * D - 1n }, 1000n, rules)).toBe("quorum_not_reached");
    expect(decideTally(counts(0n, 0n, 0n, 0n), 0n, rules)).toBe("no_bonded_tokens");
  });

  test("abstain-only fails; veto must exceed its threshold; yes must exceed the threshold of non-abstain votes", () => {
    expect(decideTally(counts(0n, 500n, 0n, 0n), 1000n, rules)).toBe("all_abstain");
    expect(decideTally(counts(666n, 0n, 0n, 334n), 1000n, rules)).toBe("passed"); // 0.334 is not > 0.334
    expect(decideTally(counts(665n, 0n, 0n, 335n), 1000n, rules)).toBe("vetoed");
    expect(decideTally(counts(250n, 500n, 250n, 0n), 1000n, rules)).toBe("threshold_not_reached"); // exactly 0.5
    expect(decideTally(counts(251n, 500n, 249n, 0n), 1000n, rules)).toBe("passed");
    expect(decideTally(counts(600n, 0n, 400n, 0n), 1000n, { ...rules, threshold: (D * 667n) / 1000n })).toBe("threshold_not_reached");
  });
});

describe("gov params", () => {
  test("JSON round trip and validation messages", () => {
    const p = defaultGovParams();
    expect(govParamsFromJson(JSON.parse(JSON.stringify(govParamsToJson(p))))).toEqual(p);
    expect(() => validateGovParams({ ...p, minDeposit: [] })).toThrow(/min_deposit must not be empty/);
    expect(() => validateGovParams({ ...p, expeditedMinDeposit: p.minDeposit })).toThrow(/expedited_min_deposit/);
    expect(() => validateGovParams({ ...p, threshold: 0n })).toThrow(/threshold must be positive/);
    expect(() => validateGovParams({ ...p, expeditedThreshold: p.threshold })).toThrow(/expedited_threshold must be greater/);
    expect(() => validateGovParams({ ...p, votingPeriod: { seconds: 0n, nanos: 0 } })).toThrow(/voting_period must be positive/);
    expect(() => validateGovParams({ ...p, proposalCancelDest: "nope" })).toThrow();
    expect(() => validateGovParams(p)).not.toThrow();
  });

  test("devnet genesis: short periods for devnets, 2 days otherwise", () => {
    const short = govParamsFromJson((devnetGovGenesis("udcert", true) as { params: unknown }).params);
    expect(short.votingPeriod.seconds).toBe(15n);
    expect(short.maxDepositPeriod.seconds).toBe(60n);
    expect(short.minDeposit).toEqual([{ denom: "udcert", amount: 10_000_000n }]);
    expect(short.burnVoteVeto).toBe(true);
    const long = govParamsFromJson((devnetGovGenesis("udcert", false) as { params: unknown }).params);
    expect(long.votingPeriod.seconds).toBe(172_800n);
    expect(long.maxDepositPeriod.seconds).toBe(172_800n);
    expect(govParamsToJson(long)["quorum"]).toBe("0.334000000000000000");
  });
});
