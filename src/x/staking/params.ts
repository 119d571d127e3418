import type { Params } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { validateDenom } from "../../baseapp/coins";
import { DEFAULT_DENOM } from "../../baseapp/tx/constants";
import { DEC_ONE, decFromJson, decFromProto, decToJson, decToProto } from "./dec";
import { ErrInvalidParams } from "./errors";
import { durationFromJson, durationToJson } from "./time";
import { obj, optStr, type JsonObject } from "../../baseapp/json";
import { GenesisError } from "../../baseapp/json";

/** 21 days, the SDK's default unbonding time. */
export const DEFAULT_UNBONDING_SECONDS = 1_814_400n;
/** Short devnet/test unbonding time. */
export const SHORT_UNBONDING_SECONDS = 20n;

export function defaultStakingParams(bondDenom: string = DEFAULT_DENOM): Params {
  return {
    unbondingTime: { seconds: DEFAULT_UNBONDING_SECONDS, nanos: 0 },
    maxValidators: 100,
    maxEntries: 7,
    historicalEntries: 10_000,
    bondDenom,
    minCommissionRate: "0",
  };
}

/** Throws ErrInvalidParams naming the field and the rule. */
export function validateStakingParams(p: Params): void {
  const d = p.unbondingTime;
  if (d.seconds < 0n || d.nanos < 0 || (d.seconds === 0n && d.nanos === 0)) {
    throw ErrInvalidParams.wrap("unbonding_time must be positive");
  }
  if (!Number.isInteger(p.maxValidators) || p.maxValidators <= 0) throw ErrInvalidParams.wrap("max_validators must be positive");
  if (!Number.isInteger(p.maxEntries) || p.maxEntries <= 0) throw ErrInvalidParams.wrap("max_entries must be positive");
  if (!Number.isInteger(p.historicalEntries) || p.historicalEntries < 0) throw ErrInvalidParams.wrap("historical_entries must not be negative");
  try {
    validateDenom(p.bondDenom);
  } catch {
    throw ErrInvalidParams.wrap(`bond_denom ${JSON.stringify(p.bondDenom)} is not a valid denom`);
  }
  let rate: bigint;
  try {
    rate = decFromProto(p.minCommissionRate, "min_commission_rate");
  } catch (e) {
    throw ErrInvalidParams.wrap(e instanceof Error ? e.message : String(e));
  }
  if (rate < 0n || rate > DEC_ONE) throw ErrInvalidParams.wrap("min_commission_rate must be between 0 and 1");
}

function u32(v: unknown, path: string, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  const n = typeof v === "string" && /^(0|[1-9][0-9]{0,9})$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new GenesisError(path, `expected a non-negative 32-bit integer, got ${JSON.stringify(v)}`);
  }
  return n;
}

export function stakingParamsFromJson(v: unknown, path = "staking.params"): Params {
  const d = defaultStakingParams();
  const o: JsonObject = obj(v ?? {}, path);
  const wrap = <T>(field: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof GenesisError) throw e;
      throw new GenesisError(`${path}.${field}`, e instanceof Error ? e.message : String(e));
    }
  };
  const p: Params = {
    unbondingTime: wrap("unbonding_time", () =>
      o["unbonding_time"] === undefined ? d.unbondingTime : durationFromJson(optStr(o["unbonding_time"], `${path}.unbonding_time`, "")),
    ),
    maxValidators: u32(o["max_validators"], `${path}.max_validators`, d.maxValidators),
    maxEntries: u32(o["max_entries"], `${path}.max_entries`, d.maxEntries),
    historicalEntries: u32(o["historical_entries"], `${path}.historical_entries`, d.historicalEntries),
    bondDenom: optStr(o["bond_denom"], `${path}.bond_denom`, d.bondDenom),
    minCommissionRate: wrap("min_commission_rate", () =>
      decToProto(decFromJson(optStr(o["min_commission_rate"], `${path}.min_commission_rate`, "0"), "min_commission_rate")),
    ),
  };
  wrap("", () => validateStakingParams(p));
  return p;
}

export function stakingParamsToJson(p: Params): unknown {
  return {
    unbonding_time: durationToJson(p.unbondingTime),
    max_validators: p.maxValidators,
    max_entries: p.maxEntries,
    historical_entries: p.historicalEntries,
    bond_denom: p.bondDenom,
    min_commission_rate: decToJson(decFromProto(p.minCommissionRate)),
  };
}
