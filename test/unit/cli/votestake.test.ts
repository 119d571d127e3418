/**
 * The stake check before `tx dcert vote`: bonded stake is the balance of delegations to bonded,
 * non-jailed validators (x/dcert's voting power); zero is refused with a message saying how to
 * delegate and that --force proceeds.
 */
import fc from "fast-check";
import { BondStatus, type DelegationResponse, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { CliError } from "../../../src/cli/cmdtree";
import { bondedStake, requireBondedStake, type StakeQueries } from "../../../src/cli/votestake";

const VOTER = "dcert1glre08hslqspg3z77783y3xtdk02qe58x0kh4h";

function validator(operatorAddress: string, status: BondStatus, jailed = false): Validator {
  return { operatorAddress, status, jailed } as Validator;
}

function delegation(validatorAddress: string, amount: string): DelegationResponse {
  return { delegation: { delegatorAddress: VOTER, validatorAddress, shares: `${amount}000000000000000000` }, balance: { denom: "udcert", amount } };
}

describe("bondedStake", () => {
  test("sums exactly the delegations to bonded, non-jailed validators", () => {
    const statuses = [BondStatus.BOND_STATUS_BONDED, BondStatus.BOND_STATUS_UNBONDING, BondStatus.BOND_STATUS_UNBONDED];
    fc.assert(
      fc.property(
        fc.array(fc.record({ status: fc.constantFrom(...statuses), jailed: fc.boolean(), amount: fc.bigInt({ min: 0n, max: 10n ** 30n }), listed: fc.boolean() }), { maxLength: 8 }),
        (vals) => {
          const validators = vals.map((v, i) => validator(`dcertvaloper${i}`, v.status, v.jailed));
          const delegations = vals.map((v, i) => delegation(`dcertvaloper${i}`, v.amount.toString()));
          // A delegation to a validator missing from the bonded list never counts.
          const listed = validators.filter((_, i) => vals[i]?.listed === true || vals[i]?.status !== BondStatus.BOND_STATUS_BONDED);
          const expected = vals.reduce((s, v) => (v.status === BondStatus.BOND_STATUS_BONDED && !v.jailed && v.listed ? s + v.amount : s), 0n);
          expect(bondedStake(delegations, listed)).toBe(expected);
        },
      ),
    );
  });

  test("no delegations, or a response without a balance, is zero", () => {
    expect(bondedStake([], [validator("v", BondStatus.BOND_STATUS_BONDED)])).toBe(0n);
    expect(bondedStake([{ delegation: { delegatorAddress: VOTER, validatorAddress: "v", shares: "1" } } as DelegationResponse], [validator("v", BondStatus.BOND_STATUS_BONDED)])).toBe(0n);
  });
});

describe("requireBondedStake", () => {
  function queries(delegations: DelegationResponse[], validators: Validator[]): StakeQueries & { asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      getDelegations: (d) => (asked.push(`delegations ${d}`), Promise.resolve(delegations)),
      getValidators: (s) => (asked.push(`validators ${s}`), Promise.resolve(validators)),
    };
  }

  test("returns the stake when there is some; asks for the voter's delegations and the bonded validators", async () => {
    const q = queries([delegation("v", "7")], [validator("v", BondStatus.BOND_STATUS_BONDED)]);
    await expect(requireBondedStake(q, VOTER)).resolves.toBe(7n);
    expect(q.asked.sort()).toEqual([`delegations ${VOTER}`, "validators BOND_STATUS_BONDED"]);
  });

  test("zero stake (none, or only to a jailed validator) is a CliError saying power 0, how to delegate, and --force", async () => {
    for (const q of [queries([], []), queries([delegation("v", "7")], [validator("v", BondStatus.BOND_STATUS_BONDED, true)])]) {
      const e = await requireBondedStake(q, VOTER).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(CliError);
      const c = e as CliError;
      expect(c.exitCode).toBe(1);
      expect(c.what).toBe(`${VOTER} has no bonded stake, so this dCERT vote would be accepted but count with power 0`);
      expect(c.todo).toMatch(/^delegate first \("dcertd tx staking delegate <valoper> <amount> --from <key>".*or add --force to vote anyway$/);
    }
  });
});
