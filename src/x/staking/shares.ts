import { Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { DEC_ONE, decFromProto } from "./dec";
import { ErrDelegatorShareExRateInvalid } from "./errors";

/** Tokens per unit of consensus power (the SDK's DefaultPowerReduction). */
export const POWER_REDUCTION = 1_000_000n;

// ---------------------------------------------------------------- share arithmetic (pure)

export function validatorTokens(v: Validator): bigint {
  return BigInt(v.tokens === "" ? "0" : v.tokens);
}

export function validatorShares(v: Validator): bigint {
  return decFromProto(v.delegatorShares, "delegator_shares");
}

export function consensusPower(tokens: bigint): bigint {
  return tokens / POWER_REDUCTION;
}

/** Shares issued for `amount` tokens (truncated); exchange rate 1 for a validator without shares. */
export function sharesForDeposit(tokens: bigint, shares: bigint, amount: bigint): bigint {
  if (shares === 0n) return amount * DEC_ONE;
  if (tokens === 0n) throw ErrDelegatorShareExRateInvalid.wrap("the validator has shares but no tokens");
  return (shares * amount) / tokens;
}

/** Token value of `del` shares (truncated). */
export function tokensForShares(tokens: bigint, shares: bigint, del: bigint): bigint {
  if (shares === 0n) return 0n;
  return (del * tokens) / shares;
}
