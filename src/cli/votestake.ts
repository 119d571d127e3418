/**
 * The check before `tx dcert vote`: a dCERT vote counts with the voter's bonded stake (x/dcert's
 * voting power: the token value of its delegations to bonded, non-jailed validators, as staking's
 * `bondedStakeOf`), so a vote from an address with none would be accepted and count with power 0.
 * The CLI computes the same sum from the staking queries (a delegation's `balance` is its token
 * value) and refuses such a vote unless `--force`.
 */
import type { DelegationResponse, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { CliError } from "./cmdtree";

/** The bonded stake of a delegator: its delegations' balances to validators that are bonded and not jailed. */
export function bondedStake(delegations: readonly DelegationResponse[], validators: readonly Validator[]): bigint {
  const counted = new Set(validators.filter((v) => v.status === BondStatus.BOND_STATUS_BONDED && !v.jailed).map((v) => v.operatorAddress));
  let total = 0n;
  for (const d of delegations) {
    const val = d.delegation?.validatorAddress;
    const amount = d.balance?.amount;
    if (val === undefined || amount === undefined || !counted.has(val) || !/^[0-9]+$/.test(amount)) continue;
    total += BigInt(amount);
  }
  return total;
}

/** What the staking queries the check needs look like (a DcertQueries fits). */
export interface StakeQueries {
  getDelegations(delegator: string): Promise<DelegationResponse[]>;
  getValidators(status: "BOND_STATUS_BONDED"): Promise<Validator[]>;
}

/** The error for a vote that would count with power 0. */
export function noStakeError(voter: string): CliError {
  return new CliError(
    `${voter} has no bonded stake, so this dCERT vote would be accepted but count with power 0`,
    `delegate first ("dcertd tx staking delegate <valoper> <amount> --from <key>"; validators: "dcertd q staking validators --status bonded"), or add --force to vote anyway`,
  );
}

/** Throws `noStakeError` when `voter` has no bonded stake; returns the stake otherwise. */
export async function requireBondedStake(q: StakeQueries, voter: string): Promise<bigint> {
  const [delegations, validators] = await Promise.all([q.getDelegations(voter), q.getValidators("BOND_STATUS_BONDED")]);
  const stake = bondedStake(delegations, validators);
  if (stake === 0n) throw noStakeError(voter);
  return stake;
}
