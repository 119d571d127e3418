/**
 * Staking genesis in the SDK's JSON shape (integers as strings, decimals with 18 fractional
 * digits, times in RFC 3339). Parsing is pure and names the JSON path of anything wrong.
 */
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import {
  BondStatus,
  bondStatusFromJSON,
  bondStatusToJSON,
  type Delegation,
  type Description,
  type Params,
  type Redelegation,
  type UnbondingDelegation,
  type Validator,
} from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { addrBytes, moduleAccountAddress } from "../auth/keeper";
import type { BankForStaking } from "./expected";
import type { Context } from "../../baseapp/context";
import { fromBase64, toBase64 } from "../../baseapp/encoding";
import { arr, at, bool, GenesisError, obj, optStr, str, uint, type JsonObject } from "../../baseapp/json";
import { decFromJson, decFromProto, decToJson, decToProto } from "./dec";
import {
  BONDED_POOL,
  ED25519_PUBKEY_TYPE_URL,
  NOT_BONDED_POOL,
  type StakingKeeper,
  valoperBytes,
  valoperString,
  validatorPubkey,
  validatorShares,
  validatorTokens,
} from "./keeper";
import { stakingParamsFromJson, stakingParamsToJson } from "./params";
import { timeFromJson, timeToJson, ZERO_TIME } from "./time";

export interface StakingGenesis {
  params: Params;
  lastTotalPower: bigint;
  lastValidatorPowers: { operator: string; power: bigint }[];
  validators: Validator[];
  delegations: Delegation[];
  unbondingDelegations: UnbondingDelegation[];
  redelegations: Redelegation[];
  exported: boolean;
}

function valoper(v: unknown, path: string): string {
  const s = str(v, path);
  at(path, () => valoperBytes(s));
  return s;
}

function account(v: unknown, path: string): string {
  const s = str(v, path);
  at(path, () => addrBytes(s));
  return s;
}

function dec(v: unknown, path: string): bigint {
  return at(path, () => decFromJson(str(v, path), path));
}

function time(v: unknown, path: string) {
  return v === undefined || v === null ? ZERO_TIME : at(path, () => timeFromJson(str(v, path)));
}

function descriptionFromJson(v: unknown, path: string): Description {
  const o = obj(v ?? {}, path);
  return {
    moniker: optStr(o["moniker"], `${path}.moniker`, ""),
    identity: optStr(o["identity"], `${path}.identity`, ""),
    website: optStr(o["website"], `${path}.website`, ""),
    securityContact: optStr(o["security_contact"], `${path}.security_contact`, ""),
    details: optStr(o["details"], `${path}.details`, ""),
  };
}

function validatorFromJson(v: unknown, path: string): Validator {
  const o = obj(v, path);
  const pk = obj(o["consensus_pubkey"], `${path}.consensus_pubkey`);
  if (pk["@type"] !== ED25519_PUBKEY_TYPE_URL) {
    throw new GenesisError(`${path}.consensus_pubkey`, `only ${ED25519_PUBKEY_TYPE_URL} consensus keys are supported`);
  }
  const key = fromBase64(str(pk["key"], `${path}.consensus_pubkey.key`));
  if (key.length !== 32) throw new GenesisError(`${path}.consensus_pubkey.key`, `an ed25519 key is 32 bytes, got ${key.length}`);
  const jailed = bool(o["jailed"], `${path}.jailed`, false);
  const status = bondStatusFromJSON(str(o["status"], `${path}.status`));
  if (status !== BondStatus.BOND_STATUS_BONDED && status !== BondStatus.BOND_STATUS_UNBONDING && status !== BondStatus.BOND_STATUS_UNBONDED) {
    throw new GenesisError(`${path}.status`, "expected BOND_STATUS_BONDED, BOND_STATUS_UNBONDING or BOND_STATUS_UNBONDED");
  }
  const commission = obj(o["commission"] ?? {}, `${path}.commission`);
  const rates = obj(commission["commission_rates"] ?? {}, `${path}.commission.commission_rates`);
  const rp = `${path}.commission.commission_rates`;
  return {
    operatorAddress: valoper(o["operator_address"], `${path}.operator_address`),
    consensusPubkey: { typeUrl: ED25519_PUBKEY_TYPE_URL, value: Ed25519PubKey.encode({ key }).finish() },
    jailed,
    status,
    tokens: uint(o["tokens"], `${path}.tokens`).toString(),
    delegatorShares: decToProto(dec(o["delegator_shares"], `${path}.delegator_shares`)),
    description: descriptionFromJson(o["description"], `${path}.description`),
    unbondingHeight: uint(o["unbonding_height"] ?? "0", `${path}.unbonding_height`),
    unbondingTime: time(o["unbonding_time"], `${path}.unbonding_time`),
    commission: {
      commissionRates: {
        rate: decToProto(dec(rates["rate"] ?? "0", `${rp}.rate`)),
        maxRate: decToProto(dec(rates["max_rate"] ?? "0", `${rp}.max_rate`)),
        maxChangeRate: decToProto(dec(rates["max_change_rate"] ?? "0", `${rp}.max_change_rate`)),
      },
      updateTime: time(commission["update_time"], `${path}.commission.update_time`),
    },
    minSelfDelegation: uint(o["min_self_delegation"] ?? "1", `${path}.min_self_delegation`).toString(),
    unbondingOnHoldRefCount: uint(o["unbonding_on_hold_ref_count"] ?? "0", `${path}.unbonding_on_hold_ref_count`),
    unbondingIds: arr(o["unbonding_ids"], `${path}.unbonding_ids`).map((x, i) => uint(x, `${path}.unbonding_ids[${i}]`)),
  };
}

function validatorToJson(v: Validator): unknown {
  const r = v.commission.commissionRates;
  return {
    operator_address: v.operatorAddress,
    consensus_pubkey: { "@type": ED25519_PUBKEY_TYPE_URL, key: toBase64(validatorPubkey(v)) },
    jailed: v.jailed,
    status: bondStatusToJSON(v.status),
    tokens: v.tokens,
    delegator_shares: decToJson(validatorShares(v)),
    description: {
      moniker: v.description.moniker,
      identity: v.description.identity,
      website: v.description.website,
      security_contact: v.description.securityContact,
      details: v.description.details,
    },
    unbonding_height: v.unbondingHeight.toString(),
    unbonding_time: timeToJson(v.unbondingTime),
    commission: {
      commission_rates: {
        rate: decToJson(decFromProto(r.rate)),
        max_rate: decToJson(decFromProto(r.maxRate)),
        max_change_rate: decToJson(decFromProto(r.maxChangeRate)),
      },
      update_time: timeToJson(v.commission.updateTime),
    },
    min_self_delegation: v.minSelfDelegation,
    unbonding_on_hold_ref_count: v.unbondingOnHoldRefCount.toString(),
    unbonding_ids: v.unbondingIds.map((x) => x.toString()),
  };
}

function entryBase(o: JsonObject, path: string) {
  return {
    creationHeight: uint(o["creation_height"] ?? "0", `${path}.creation_height`),
    completionTime: at(`${path}.completion_time`, () => timeFromJson(str(o["completion_time"], `${path}.completion_time`))),
    initialBalance: uint(o["initial_balance"], `${path}.initial_balance`).toString(),
    unbondingId: uint(o["unbonding_id"] ?? "0", `${path}.unbonding_id`),
    unbondingOnHoldRefCount: uint(o["unbonding_on_hold_ref_count"] ?? "0", `${path}.unbonding_on_hold_ref_count`),
  };
}

export function parseStakingGenesis(g: unknown): StakingGenesis {
  const o = obj(g ?? {}, "staking");
  return {
    params: stakingParamsFromJson(o["params"]),
    lastTotalPower: uint(o["last_total_power"] ?? "0", "staking.last_total_power"),
    lastValidatorPowers: arr(o["last_validator_powers"], "staking.last_validator_powers").map((x, i) => {
      const p = `staking.last_validator_powers[${i}]`;
      const e = obj(x, p);
      return { operator: valoper(e["address"], `${p}.address`), power: uint(e["power"], `${p}.power`) };
    }),
    validators: arr(o["validators"], "staking.validators").map((x, i) => validatorFromJson(x, `staking.validators[${i}]`)),
    delegations: arr(o["delegations"], "staking.delegations").map((x, i) => {
      const p = `staking.delegations[${i}]`;
      const e = obj(x, p);
      return {
        delegatorAddress: account(e["delegator_address"], `${p}.delegator_address`),
        validatorAddress: valoper(e["validator_address"], `${p}.validator_address`),
        shares: decToProto(dec(e["shares"], `${p}.shares`)),
      };
    }),
    unbondingDelegations: arr(o["unbonding_delegations"], "staking.unbonding_delegations").map((x, i) => {
      const p = `staking.unbonding_delegations[${i}]`;
      const e = obj(x, p);
      return {
        delegatorAddress: account(e["delegator_address"], `${p}.delegator_address`),
        validatorAddress: valoper(e["validator_address"], `${p}.validator_address`),
        entries: arr(e["entries"], `${p}.entries`).map((y, j) => {
          const q = `${p}.entries[${j}]`;
          const eo = obj(y, q);
          return { ...entryBase(eo, q), balance: uint(eo["balance"], `${q}.balance`).toString() };
        }),
      };
    }),
    redelegations: arr(o["redelegations"], "staking.redelegations").map((x, i) => {
      const p = `staking.redelegations[${i}]`;
      const e = obj(x, p);
      return {
        delegatorAddress: account(e["delegator_address"], `${p}.delegator_address`),
        validatorSrcAddress: valoper(e["validator_src_address"], `${p}.validator_src_address`),
        validatorDstAddress: valoper(e["validator_dst_address"], `${p}.validator_dst_address`),
        entries: arr(e["entries"], `${p}.entries`).map((y, j) => {
          const q = `${p}.entries[${j}]`;
          const eo = obj(y, q);
          return { ...entryBase(eo, q), sharesDst: decToProto(dec(eo["shares_dst"], `${q}.shares_dst`)) };
        }),
      };
    }),
    exported: bool(o["exported"], "staking.exported", false),
  };
}

/** Pure consistency checks: unique validators and keys, delegations that add up to each validator's shares. */
export function validateStakingGenesis(g: StakingGenesis): void {
  const byOperator = new Map<string, Validator>();
  const keys = new Set<string>();
  const shareSums = new Map<string, bigint>();
  g.validators.forEach((v, i) => {
    const p = `staking.validators[${i}]`;
    if (byOperator.has(v.operatorAddress)) throw new GenesisError(p, `duplicate validator ${v.operatorAddress}`);
    const key = toBase64(validatorPubkey(v));
    if (keys.has(key)) throw new GenesisError(`${p}.consensus_pubkey`, "consensus key already used by another validator");
    byOperator.set(v.operatorAddress, v);
    keys.add(key);
    shareSums.set(v.operatorAddress, 0n);
    if (validatorShares(v) === 0n && validatorTokens(v) > 0n) throw new GenesisError(p, "a validator with tokens must have delegator shares");
  });
  const seen = new Set<string>();
  g.delegations.forEach((d, i) => {
    const p = `staking.delegations[${i}]`;
    const sum = shareSums.get(d.validatorAddress);
    if (sum === undefined) throw new GenesisError(`${p}.validator_address`, `validator ${d.validatorAddress} is not in staking.validators`);
    const id = `${d.delegatorAddress}/${d.validatorAddress}`;
    if (seen.has(id)) throw new GenesisError(p, `duplicate delegation ${id}`);
    seen.add(id);
    const shares = decFromProto(d.shares);
    if (shares <= 0n) throw new GenesisError(`${p}.shares`, "must be positive");
    shareSums.set(d.validatorAddress, sum + shares);
  });
  for (const [op, sum] of shareSums) {
    const v = byOperator.get(op) as Validator;
    if (sum !== validatorShares(v)) {
      throw new GenesisError(
        "staking.delegations",
        `delegations to ${op} add up to ${decToJson(sum)} shares but the validator has delegator_shares ${decToJson(validatorShares(v))}`,
      );
    }
  }
  g.lastValidatorPowers.forEach((lp, i) => {
    const v = byOperator.get(lp.operator);
    if (v === undefined || v.status !== BondStatus.BOND_STATUS_BONDED) {
      throw new GenesisError(`staking.last_validator_powers[${i}]`, `${lp.operator} is not a bonded validator`);
    }
  });
}

/** Imports the section; returns the validator set for InitChain (the whole set). */
export function initStakingGenesis(ctx: Context, keeper: StakingKeeper, bank: BankForStaking, g: StakingGenesis): ValidatorUpdate[] {
  keeper.setParams(ctx, g.params);
  const denom = g.params.bondDenom;
  let bonded = 0n;
  let notBonded = 0n;
  for (const v of g.validators) {
    keeper.importValidator(ctx, v);
    if (v.status === BondStatus.BOND_STATUS_BONDED) bonded += validatorTokens(v);
    else notBonded += validatorTokens(v);
  }
  for (const d of g.delegations) keeper.setDelegation(ctx, d);
  let maxId = 0n;
  for (const u of g.unbondingDelegations) {
    keeper.importUnbondingDelegation(ctx, u);
    for (const e of u.entries) {
      notBonded += BigInt(e.balance);
      if (e.unbondingId > maxId) maxId = e.unbondingId;
    }
  }
  for (const r of g.redelegations) {
    keeper.importRedelegation(ctx, r);
    for (const e of r.entries) if (e.unbondingId > maxId) maxId = e.unbondingId;
  }
  keeper.setNextUnbondingId(ctx, maxId + 1n);
  for (const [pool, expected] of [
    [BONDED_POOL, bonded],
    [NOT_BONDED_POOL, notBonded],
  ] as const) {
    const address = moduleAccountAddress(pool);
    const have = bank.getBalance(ctx, address, denom).amount;
    if (have !== expected) {
      throw new GenesisError(
        "staking",
        `module account ${pool} (${address}) holds ${have}${denom} but the staking state needs ${expected}${denom}; ` +
          `set its balance in bank.balances to ${expected}${denom}`,
      );
    }
  }
  if (g.exported) return keeper.importLastPowers(ctx, g.lastValidatorPowers, g.lastTotalPower);
  return keeper.applyValidatorSetUpdates(ctx, true);
}

function entryBaseToJson(e: { creationHeight: bigint; completionTime: Timestamp; initialBalance: string }) {
  return {
    creation_height: e.creationHeight.toString(),
    completion_time: timeToJson(e.completionTime),
    initial_balance: e.initialBalance,
  };
}

export function exportStakingGenesis(ctx: Context, keeper: StakingKeeper): unknown {
  return {
    params: stakingParamsToJson(keeper.params(ctx)),
    last_total_power: keeper.lastTotalPower(ctx).toString(),
    last_validator_powers: keeper.lastPowers(ctx).map((p) => ({ address: valoperString(p.op), power: p.power.toString() })),
    validators: keeper.allValidators(ctx).map(validatorToJson),
    delegations: keeper.allDelegations(ctx).map((d) => ({
      delegator_address: d.delegatorAddress,
      validator_address: d.validatorAddress,
      shares: decToJson(decFromProto(d.shares)),
    })),
    unbonding_delegations: keeper.allUnbondingDelegations(ctx).map((u) => ({
      delegator_address: u.delegatorAddress,
      validator_address: u.validatorAddress,
      entries: u.entries.map((e) => ({
        ...entryBaseToJson(e),
        balance: e.balance,
        unbonding_id: e.unbondingId.toString(),
        unbonding_on_hold_ref_count: e.unbondingOnHoldRefCount.toString(),
      })),
    })),
    redelegations: keeper.allRedelegations(ctx).map((r) => ({
      delegator_address: r.delegatorAddress,
      validator_src_address: r.validatorSrcAddress,
      validator_dst_address: r.validatorDstAddress,
      entries: r.entries.map((e) => ({
        ...entryBaseToJson(e),
        shares_dst: decToJson(decFromProto(e.sharesDst)),
        unbonding_id: e.unbondingId.toString(),
        unbonding_on_hold_ref_count: e.unbondingOnHoldRefCount.toString(),
      })),
    })),
    exported: true,
  };
}

export function defaultStakingGenesis(): unknown {
  return {
    params: stakingParamsToJson(stakingParamsFromJson({})),
    last_total_power: "0",
    last_validator_powers: [],
    validators: [],
    delegations: [],
    unbonding_delegations: [],
    redelegations: [],
    exported: false,
  };
}
