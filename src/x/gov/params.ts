import type { Params } from "cosmjs-types/cosmos/gov/v1/gov";
import type { Duration } from "cosmjs-types/google/protobuf/duration";
import { addrBytes } from "../auth/keeper";
import { type Coin, coinsFromProto, coinsToProto, DEC_ONE } from "../../baseapp/coins";
import { arr, at, bool, obj, optStr, str, type JsonObject } from "../../baseapp/json";
import { decFromJson, decToJson } from "../staking/dec";
import { durationFromJson, durationToJson } from "../staking/time";
import { DEFAULT_DENOM } from "../../baseapp/tx/constants";

/**
 * Governance parameters (x/gov v1 `Params`) with fractions as 18-decimal fixed-point bigints and
 * periods as protobuf Durations. In protobuf and JSON the fractions are decimal strings
 * ("0.334000000000000000"), as the SDK writes `cosmos.Dec` scalars in gov.
 */
export interface GovParams {
  readonly minDeposit: readonly Coin[];
  readonly maxDepositPeriod: Duration;
  readonly votingPeriod: Duration;
  readonly quorum: bigint;
  readonly threshold: bigint;
  readonly vetoThreshold: bigint;
  readonly minInitialDepositRatio: bigint;
  readonly proposalCancelRatio: bigint;
  readonly proposalCancelDest: string;
  readonly expeditedVotingPeriod: Duration;
  readonly expeditedThreshold: bigint;
  readonly expeditedMinDeposit: readonly Coin[];
  readonly burnVoteQuorum: boolean;
  readonly burnProposalDepositPrevote: boolean;
  readonly burnVoteVeto: boolean;
  readonly minDepositRatio: bigint;
}

const DAY = 86_400n;

/** The SDK's defaults (x/gov v1 DefaultParams), in the chain denom. */
export function defaultGovParams(denom: string = DEFAULT_DENOM): GovParams {
  return {
    minDeposit: [{ denom, amount: 10_000_000n }],
    maxDepositPeriod: { seconds: 2n * DAY, nanos: 0 },
    votingPeriod: { seconds: 2n * DAY, nanos: 0 },
    quorum: 334_000_000_000_000_000n,
    threshold: 500_000_000_000_000_000n,
    vetoThreshold: 334_000_000_000_000_000n,
    minInitialDepositRatio: 0n,
    proposalCancelRatio: 500_000_000_000_000_000n,
    proposalCancelDest: "",
    expeditedVotingPeriod: { seconds: DAY, nanos: 0 },
    expeditedThreshold: 667_000_000_000_000_000n,
    expeditedMinDeposit: [{ denom, amount: 50_000_000n }],
    burnVoteQuorum: false,
    burnProposalDepositPrevote: false,
    burnVoteVeto: true,
    minDepositRatio: 10_000_000_000_000_000n,
  };
}

function durationNanos(d: Duration): bigint {
  return d.seconds * 1_000_000_000n + BigInt(d.nanos);
}

function checkRatio(name: string, v: bigint, positive: boolean): void {
  if (positive ? v <= 0n : v < 0n) throw new Error(`${name} must be ${positive ? "positive" : "non-negative"}, got ${decToJson(v)}`);
  if (v > DEC_ONE) throw new Error(`${name} must be at most 1, got ${decToJson(v)}`);
}

function allLte(a: readonly Coin[], b: readonly Coin[]): boolean {
  return a.every((c) => c.amount <= (b.find((x) => x.denom === c.denom)?.amount ?? 0n));
}

/** Stateless validation, as the SDK's `Params.ValidateBasic`. Throws an Error naming the field. */
export function validateGovParams(p: GovParams): void {
  if (p.minDeposit.length === 0) throw new Error("min_deposit must not be empty");
  if (p.expeditedMinDeposit.length === 0) throw new Error("expedited_min_deposit must not be empty");
  if (allLte(p.expeditedMinDeposit, p.minDeposit)) {
    throw new Error("expedited_min_deposit must be greater than min_deposit in at least one denom");
  }
  checkRatio("quorum", p.quorum, false);
  checkRatio("threshold", p.threshold, true);
  checkRatio("expedited_threshold", p.expeditedThreshold, true);
  if (p.expeditedThreshold <= p.threshold) throw new Error("expedited_threshold must be greater than threshold");
  checkRatio("veto_threshold", p.vetoThreshold, true);
  checkRatio("min_initial_deposit_ratio", p.minInitialDepositRatio, false);
  checkRatio("proposal_cancel_ratio", p.proposalCancelRatio, false);
  checkRatio("min_deposit_ratio", p.minDepositRatio, false);
  if (p.proposalCancelDest !== "") addrBytes(p.proposalCancelDest);
  const voting = durationNanos(p.votingPeriod);
  if (voting <= 0n) throw new Error("voting_period must be positive");
  if (durationNanos(p.maxDepositPeriod) <= 0n) throw new Error("max_deposit_period must be positive");
  const expedited = durationNanos(p.expeditedVotingPeriod);
  if (expedited <= 0n) throw new Error("expedited_voting_period must be positive");
  if (expedited >= voting) throw new Error("expedited_voting_period must be strictly less than voting_period");
}

function dec(s: string, name: string): bigint {
  return decFromJson(s, name);
}

function durationOrThrow(d: Duration | undefined, name: string): Duration {
  if (d === undefined) throw new Error(`${name} is missing`);
  if (d.nanos < 0 || d.nanos > 999_999_999) throw new Error(`${name} has invalid nanos ${d.nanos}`);
  return { seconds: d.seconds, nanos: d.nanos };
}

/** From the protobuf message (MsgUpdateParams, the store). Throws on malformed fields. */
export function govParamsFromProto(p: Params): GovParams {
  return {
    minDeposit: coinsFromProto(p.minDeposit),
    maxDepositPeriod: durationOrThrow(p.maxDepositPeriod, "max_deposit_period"),
    votingPeriod: durationOrThrow(p.votingPeriod, "voting_period"),
    quorum: dec(p.quorum, "quorum"),
    threshold: dec(p.threshold, "threshold"),
    vetoThreshold: dec(p.vetoThreshold, "veto_threshold"),
    minInitialDepositRatio: dec(p.minInitialDepositRatio === "" ? "0" : p.minInitialDepositRatio, "min_initial_deposit_ratio"),
    proposalCancelRatio: dec(p.proposalCancelRatio === "" ? "0" : p.proposalCancelRatio, "proposal_cancel_ratio"),
    proposalCancelDest: p.proposalCancelDest,
    expeditedVotingPeriod: durationOrThrow(p.expeditedVotingPeriod, "expedited_voting_period"),
    expeditedThreshold: dec(p.expeditedThreshold, "expedited_threshold"),
    expeditedMinDeposit: coinsFromProto(p.expeditedMinDeposit),
    burnVoteQuorum: p.burnVoteQuorum,
    burnProposalDepositPrevote: p.burnProposalDepositPrevote,
    burnVoteVeto: p.burnVoteVeto,
    minDepositRatio: dec(p.minDepositRatio === "" ? "0" : p.minDepositRatio, "min_deposit_ratio"),
  };
}

export function govParamsToProto(p: GovParams): Params {
  return {
    minDeposit: coinsToProto(p.minDeposit),
    maxDepositPeriod: { ...p.maxDepositPeriod },
    votingPeriod: { ...p.votingPeriod },
    quorum: decToJson(p.quorum),
    threshold: decToJson(p.threshold),
    vetoThreshold: decToJson(p.vetoThreshold),
    minInitialDepositRatio: decToJson(p.minInitialDepositRatio),
    proposalCancelRatio: decToJson(p.proposalCancelRatio),
    proposalCancelDest: p.proposalCancelDest,
    expeditedVotingPeriod: { ...p.expeditedVotingPeriod },
    expeditedThreshold: decToJson(p.expeditedThreshold),
    expeditedMinDeposit: coinsToProto(p.expeditedMinDeposit),
    burnVoteQuorum: p.burnVoteQuorum,
    burnProposalDepositPrevote: p.burnProposalDepositPrevote,
    burnVoteVeto: p.burnVoteVeto,
    minDepositRatio: decToJson(p.minDepositRatio),
  };
}

/** Coins in SDK JSON (`[{"denom": "...", "amount": "..."}]`). */
export function coinsFromJson(v: unknown, path: string): Coin[] {
  return at(path, () =>
    coinsFromProto(
      arr(v, path).map((c, i) => {
        const o = obj(c, `${path}[${i}]`);
        return { denom: str(o["denom"], `${path}[${i}].denom`), amount: str(o["amount"], `${path}[${i}].amount`) };
      }),
    ),
  );
}

export function coinsToJson(coins: readonly Coin[]): unknown {
  return coins.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
}

function optDec(o: JsonObject, key: string, path: string, dflt: bigint): bigint {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  return at(`${path}.${key}`, () => decFromJson(str(v, `${path}.${key}`), key));
}

function optDuration(o: JsonObject, key: string, path: string, dflt: Duration): Duration {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  return at(`${path}.${key}`, () => durationFromJson(str(v, `${path}.${key}`)));
}

function optCoins(o: JsonObject, key: string, path: string, dflt: readonly Coin[]): readonly Coin[] {
  const v = o[key];
  return v === undefined || v === null ? dflt : coinsFromJson(v, `${path}.${key}`);
}

/** Genesis JSON (SDK shape); missing fields take the defaults. Does not validate ranges. */
export function govParamsFromJson(v: unknown, path = "gov.params"): GovParams {
  const d = defaultGovParams();
  const o = obj(v ?? {}, path);
  return {
    minDeposit: optCoins(o, "min_deposit", path, d.minDeposit),
    maxDepositPeriod: optDuration(o, "max_deposit_period", path, d.maxDepositPeriod),
    votingPeriod: optDuration(o, "voting_period", path, d.votingPeriod),
    quorum: optDec(o, "quorum", path, d.quorum),
    threshold: optDec(o, "threshold", path, d.threshold),
    vetoThreshold: optDec(o, "veto_threshold", path, d.vetoThreshold),
    minInitialDepositRatio: optDec(o, "min_initial_deposit_ratio", path, d.minInitialDepositRatio),
    proposalCancelRatio: optDec(o, "proposal_cancel_ratio", path, d.proposalCancelRatio),
    proposalCancelDest: optStr(o["proposal_cancel_dest"], `${path}.proposal_cancel_dest`, d.proposalCancelDest),
    expeditedVotingPeriod: optDuration(o, "expedited_voting_period", path, d.expeditedVotingPeriod),
    expeditedThreshold: optDec(o, "expedited_threshold", path, d.expeditedThreshold),
    expeditedMinDeposit: optCoins(o, "expedited_min_deposit", path, d.expeditedMinDeposit),
    burnVoteQuorum: bool(o["burn_vote_quorum"], `${path}.burn_vote_quorum`, d.burnVoteQuorum),
    burnProposalDepositPrevote: bool(o["burn_proposal_deposit_prevote"], `${path}.burn_proposal_deposit_prevote`, d.burnProposalDepositPrevote),
    burnVoteVeto: bool(o["burn_vote_veto"], `${path}.burn_vote_veto`, d.burnVoteVeto),
    minDepositRatio: optDec(o, "min_deposit_ratio", path, d.minDepositRatio),
  };
}

export function govParamsToJson(p: GovParams): Record<string, unknown> {
  return {
    min_deposit: coinsToJson(p.minDeposit),
    max_deposit_period: durationToJson(p.maxDepositPeriod),
    voting_period: durationToJson(p.votingPeriod),
    quorum: decToJson(p.quorum),
    threshold: decToJson(p.threshold),
    veto_threshold: decToJson(p.vetoThreshold),
    min_initial_deposit_ratio: decToJson(p.minInitialDepositRatio),
    proposal_cancel_ratio: decToJson(p.proposalCancelRatio),
    proposal_cancel_dest: p.proposalCancelDest,
    expedited_voting_period: durationToJson(p.expeditedVotingPeriod),
    expedited_threshold: decToJson(p.expeditedThreshold),
    expedited_min_deposit: coinsToJson(p.expeditedMinDeposit),
    burn_vote_quorum: p.burnVoteQuorum,
    burn_proposal_deposit_prevote: p.burnProposalDepositPrevote,
    burn_vote_veto: p.burnVoteVeto,
    min_deposit_ratio: decToJson(p.minDepositRatio),
  };
}
