/**
 * The x/staking msg server: create/edit validator, delegate, undelegate, redelegate and
 * MsgCancelUnbondingDelegation, MsgUpdateParams (governance-only).
 */
import type { Coin as ProtoCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import {
  type Msg,
  MsgBeginRedelegate,
  MsgBeginRedelegateResponse,
  MsgCancelUnbondingDelegation,
  MsgCancelUnbondingDelegationResponse,
  MsgCreateValidator,
  MsgCreateValidatorResponse,
  MsgDelegate,
  MsgDelegateResponse,
  MsgEditValidator,
  MsgEditValidatorResponse,
  MsgUndelegate,
  MsgUndelegateResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { type Coin, coinFromProto } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { ErrInvalidCoins, ErrInvalidPubKey, ErrInvalidRequest } from "../../baseapp/errors";
import { type MsgTable, msgSpec } from "../../baseapp/msgserver";
import { addrBytes } from "../auth/keeper";
import { updateParamsSpec } from "../auth/update_params";
import { DEC_ONE, decFromProto } from "./dec";
import {
  ErrBadDenom,
  ErrCommissionChangeRateGTMaxRate,
  ErrCommissionChangeRateNegative,
  ErrCommissionGTMaxRate,
  ErrCommissionHuge,
  ErrCommissionNegative,
  ErrEmptyDelegatorAddr,
  ErrEmptyValidatorAddr,
  ErrEmptyValidatorPubKey,
  ErrInvalidAuthority,
  ErrInvalidParams,
  ErrValidatorPubKeyTypeNotSupported,
} from "./errors";
import { ED25519_PUBKEY_TYPE_URL, operatorAccount, type StakingKeeper, validateDescription, valoperBytes } from "./keeper";
import { validateStakingParams } from "./params";

export const STAKING_MSG_PACKAGE = "cosmos.staking.v1beta1";

export function requireDelegator(a: string): void {
  if (a === "") throw ErrEmptyDelegatorAddr.wrap();
  addrBytes(a);
}

export function requireValidator(a: string): void {
  if (a === "") throw ErrEmptyValidatorAddr.wrap();
  valoperBytes(a);
}

function positiveCoin(c: ProtoCoin | undefined, what: string): Coin {
  if (c === undefined) throw ErrInvalidCoins.wrap(`${what} is missing`);
  const coin = coinFromProto(c);
  if (coin.amount <= 0n) throw ErrInvalidRequest.wrap(`invalid ${what}: must be positive, got ${coin.amount}${coin.denom}`);
  return coin;
}

function decField(s: string, what: string): bigint {
  try {
    return decFromProto(s, what);
  } catch (e) {
    throw ErrInvalidRequest.wrap(e instanceof Error ? e.message : String(e));
  }
}

function uintField(s: string, what: string): bigint {
  if (!/^(0|[1-9][0-9]*)$/.test(s)) throw ErrInvalidRequest.wrap(`${what} must be a non-negative integer, got ${JSON.stringify(s)}`);
  return BigInt(s);
}

function commissionFromMsg(m: MsgCreateValidator) {
  const c = m.commission;
  const rate = decField(c.rate, "commission rate");
  const maxRate = decField(c.maxRate, "commission max rate");
  const maxChangeRate = decField(c.maxChangeRate, "commission max change rate");
  if (maxRate < 0n) throw ErrCommissionNegative.wrap("max rate is negative");
  if (maxRate > DEC_ONE) throw ErrCommissionHuge.wrap();
  if (rate < 0n) throw ErrCommissionNegative.wrap();
  if (rate > maxRate) throw ErrCommissionGTMaxRate.wrap();
  if (maxChangeRate < 0n) throw ErrCommissionChangeRateNegative.wrap();
  if (maxChangeRate > maxRate) throw ErrCommissionChangeRateGTMaxRate.wrap();
  return { rate, maxRate, maxChangeRate };
}

function consensusKey(m: MsgCreateValidator): Uint8Array {
  if (m.pubkey === undefined || m.pubkey.typeUrl === "") throw ErrEmptyValidatorPubKey.wrap();
  if (m.pubkey.typeUrl !== ED25519_PUBKEY_TYPE_URL) {
    throw ErrValidatorPubKeyTypeNotSupported.wrap(`got ${m.pubkey.typeUrl}; CometBFT validators use ${ED25519_PUBKEY_TYPE_URL}`);
  }
  let key: Uint8Array;
  try {
    key = Ed25519PubKey.decode(m.pubkey.value).key;
  } catch {
    throw ErrInvalidPubKey.wrap("cannot decode the ed25519 public key");
  }
  if (key.length !== 32) throw ErrInvalidPubKey.wrap(`an ed25519 public key is 32 bytes, got ${key.length}`);
  return key;
}

/** MsgCreateValidator's fields, parsed by validateBasic. */
interface ParsedCreateValidator {
  readonly consensusPubkey: Uint8Array;
  readonly commission: { rate: bigint; maxRate: bigint; maxChangeRate: bigint };
  readonly minSelfDelegation: bigint;
  readonly value: Coin;
}

function validateCreateValidator(m: MsgCreateValidator): ParsedCreateValidator {
  requireValidator(m.validatorAddress);
  if (m.delegatorAddress !== "" && m.delegatorAddress !== operatorAccount(m.validatorAddress)) {
    throw ErrInvalidRequest.wrap(`delegator_address ${m.delegatorAddress} must be empty or the operator's own account`);
  }
  const consensusPubkey = consensusKey(m);
  const value = positiveCoin(m.value, "self delegation");
  const commission = commissionFromMsg(m);
  const minSelfDelegation = uintField(m.minSelfDelegation, "min_self_delegation");
  if (minSelfDelegation <= 0n) throw ErrInvalidRequest.wrap("min_self_delegation must be positive");
  validateDescription(m.description);
  return { consensusPubkey, commission, minSelfDelegation, value };
}

/** MsgEditValidator's optional fields, parsed by validateBasic (undefined: unchanged). */
interface ParsedEditValidator {
  readonly commissionRate: bigint | undefined;
  readonly minSelfDelegation: bigint | undefined;
}

function validateEditValidator(m: MsgEditValidator): ParsedEditValidator {
  requireValidator(m.validatorAddress);
  let commissionRate: bigint | undefined;
  if (m.commissionRate !== "") {
    commissionRate = decField(m.commissionRate, "commission rate");
    if (commissionRate < 0n) throw ErrCommissionNegative.wrap();
    if (commissionRate > DEC_ONE) throw ErrCommissionHuge.wrap();
  }
  let minSelfDelegation: bigint | undefined;
  if (m.minSelfDelegation !== "") {
    minSelfDelegation = uintField(m.minSelfDelegation, "min_self_delegation");
    if (minSelfDelegation <= 0n) throw ErrInvalidRequest.wrap("min_self_delegation must be positive");
  }
  return { commissionRate, minSelfDelegation };
}

function validateDelegate(m: MsgDelegate): Coin {
  requireDelegator(m.delegatorAddress);
  requireValidator(m.validatorAddress);
  return positiveCoin(m.amount, "delegation amount");
}

function validateUndelegate(m: MsgUndelegate): Coin {
  requireDelegator(m.delegatorAddress);
  requireValidator(m.validatorAddress);
  return positiveCoin(m.amount, "undelegation amount");
}

function validateBeginRedelegate(m: MsgBeginRedelegate): Coin {
  requireDelegator(m.delegatorAddress);
  requireValidator(m.validatorSrcAddress);
  requireValidator(m.validatorDstAddress);
  return positiveCoin(m.amount, "redelegation amount");
}

export class StakingMsgServer {
  constructor(private readonly keeper: StakingKeeper) {}

  /** The amount of a (validated, positive) coin, which must be in the bond denom. */
  private bondAmount(ctx: Context, coin: Coin): bigint {
    const denom = this.keeper.bondDenom(ctx);
    if (coin.denom !== denom) throw ErrBadDenom.wrap(`got ${coin.denom}, expected ${denom}`);
    return coin.amount;
  }

  createValidator(ctx: Context, m: MsgCreateValidator, p: ParsedCreateValidator): MsgCreateValidatorResponse {
    this.keeper.createValidator(ctx, {
      operator: m.validatorAddress,
      consensusPubkey: p.consensusPubkey,
      description: m.description,
      commission: p.commission,
      minSelfDelegation: p.minSelfDelegation,
      value: p.value,
    });
    return {};
  }

  editValidator(ctx: Context, m: MsgEditValidator, p: ParsedEditValidator): MsgEditValidatorResponse {
    this.keeper.editValidator(ctx, m.validatorAddress, {
      description: m.description,
      commissionRate: p.commissionRate,
      minSelfDelegation: p.minSelfDelegation,
    });
    return {};
  }

  delegate(ctx: Context, m: MsgDelegate, amount: Coin): MsgDelegateResponse {
    this.keeper.delegate(ctx, m.delegatorAddress, m.validatorAddress, this.bondAmount(ctx, amount));
    return {};
  }

  undelegate(ctx: Context, m: MsgUndelegate, amount: Coin): MsgUndelegateResponse {
    const res = this.keeper.undelegate(ctx, m.delegatorAddress, m.validatorAddress, this.bondAmount(ctx, amount));
    return { completionTime: res.completionTime, amount: { denom: this.keeper.bondDenom(ctx), amount: res.amount.toString() } };
  }

  beginRedelegate(ctx: Context, m: MsgBeginRedelegate, amount: Coin): MsgBeginRedelegateResponse {
    const completionTime = this.keeper.beginRedelegate(ctx, m.delegatorAddress, m.validatorSrcAddress, m.validatorDstAddress, this.bondAmount(ctx, amount));
    return { completionTime };
  }

  table(): MsgTable<Msg> {
    return {
      CancelUnbondingDelegation: msgSpec({
        codec: MsgCancelUnbondingDelegation,
        response: MsgCancelUnbondingDelegationResponse,
        signers: (m) => [m.delegatorAddress],
        validateBasic(m: MsgCancelUnbondingDelegation): Coin {
          requireDelegator(m.delegatorAddress);
          requireValidator(m.validatorAddress);
          if (m.creationHeight <= 0n) throw ErrInvalidRequest.wrap("creation_height must be positive");
          return positiveCoin(m.amount, "amount");
        },
        handle: (ctx, m, amount) => {
          this.keeper.cancelUnbondingDelegation(ctx, m.delegatorAddress, m.validatorAddress, this.bondAmount(ctx, amount), m.creationHeight);
          return {};
        },
      }),
      CreateValidator: msgSpec({
        codec: MsgCreateValidator,
        response: MsgCreateValidatorResponse,
        signers: (m) => [operatorAccount(m.validatorAddress)],
        validateBasic: validateCreateValidator,
        handle: (ctx, m, p) => this.createValidator(ctx, m, p),
      }),
      EditValidator: msgSpec({
        codec: MsgEditValidator,
        response: MsgEditValidatorResponse,
        signers: (m) => [operatorAccount(m.validatorAddress)],
        validateBasic: validateEditValidator,
        handle: (ctx, m, p) => this.editValidator(ctx, m, p),
      }),
      Delegate: msgSpec({
        codec: MsgDelegate,
        response: MsgDelegateResponse,
        signers: (m) => [m.delegatorAddress],
        validateBasic: validateDelegate,
        handle: (ctx, m, amount) => this.delegate(ctx, m, amount),
      }),
      Undelegate: msgSpec({
        codec: MsgUndelegate,
        response: MsgUndelegateResponse,
        signers: (m) => [m.delegatorAddress],
        validateBasic: validateUndelegate,
        handle: (ctx, m, amount) => this.undelegate(ctx, m, amount),
      }),
      BeginRedelegate: msgSpec({
        codec: MsgBeginRedelegate,
        response: MsgBeginRedelegateResponse,
        signers: (m) => [m.delegatorAddress],
        validateBasic: validateBeginRedelegate,
        handle: (ctx, m, amount) => this.beginRedelegate(ctx, m, amount),
      }),
      UpdateParams: updateParamsSpec({
        codec: MsgUpdateParams,
        response: MsgUpdateParamsResponse,
        what: "staking MsgUpdateParams",
        err: ErrInvalidAuthority,
        validateBasic: (m) => addrBytes(m.authority),
        validate(m) {
          if ((m as Partial<MsgUpdateParams>).params === undefined) throw ErrInvalidParams.wrap("params are missing; all fields must be supplied");
          validateStakingParams(m.params);
          return m.params;
        },
        store: (ctx, p) => this.keeper.setParams(ctx, p),
      }),
    };
  }
}
