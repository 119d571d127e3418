import { requireGovAuthority } from "../auth/authority";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import {
  QueryDelegationRequest,
  QueryDelegationResponse,
  QueryDelegatorDelegationsRequest,
  QueryDelegatorDelegationsResponse,
  QueryDelegatorUnbondingDelegationsRequest,
  QueryDelegatorUnbondingDelegationsResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryPoolRequest,
  QueryPoolResponse,
  QueryRedelegationsRequest,
  QueryRedelegationsResponse,
  QueryUnbondingDelegationRequest,
  QueryUnbondingDelegationResponse,
  QueryValidatorDelegationsRequest,
  QueryValidatorDelegationsResponse,
  QueryValidatorRequest,
  QueryValidatorResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import { BondStatus, bondStatusFromJSON, type Delegation, type DelegationResponse, type Redelegation } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import {
  MsgBeginRedelegate,
  MsgBeginRedelegateResponse,
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
import type { Coin as ProtoCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { addrBytes } from "../auth/keeper";
import type { BankKeeper } from "../bank/keeper";
import { type Coin, coinFromProto } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { ErrInvalidCoins, ErrInvalidPubKey, ErrInvalidRequest, ErrKeyNotFound } from "../../baseapp/errors";
import type { AppModule, Registrar } from "../../baseapp/module";
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
  ErrNoValidatorFound,
  ErrValidatorPubKeyTypeNotSupported,
} from "./errors";
import { defaultStakingGenesis, exportStakingGenesis, initStakingGenesis, parseStakingGenesis, validateStakingGenesis } from "./genesis";
import {
  BONDED_POOL,
  ED25519_PUBKEY_TYPE_URL,
  NOT_BONDED_POOL,
  operatorAccount,
  type StakingKeeper,
  tokensForShares,
  validateDescription,
  valoperBytes,
  validatorShares,
  validatorTokens,
} from "./keeper";
import { paginateList as paginate } from "../../baseapp/pagination";
import { validateStakingParams } from "./params";

const MODULE = "staking";

function requireDelegator(a: string): void {
  if (a === "") throw ErrEmptyDelegatorAddr.wrap();
  addrBytes(a);
}

function requireValidator(a: string): void {
  if (a === "") throw ErrEmptyValidatorAddr.wrap();
  valoperBytes(a);
}

function positiveCoin(c: ProtoCoin | undefined, what: string): Coin {
  if (c === undefined) throw ErrInvalidCoins.wrap(`${what} is missing`);
  const coin = coinFromProto(c);
  if (coin.amount <= 0n) throw ErrInvalidRequest.wrap(`invalid ${what}: must be positive, got ${coin.amount}${coin.denom}`);
  return coin;
}

function bondCoin(ctx: Context, keeper: StakingKeeper, c: ProtoCoin | undefined, what: string): bigint {
  const coin = positiveCoin(c, what);
  const denom = keeper.bondDenom(ctx);
  if (coin.denom !== denom) throw ErrBadDenom.wrap(`got ${coin.denom}, expected ${denom}`);
  return coin.amount;
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

const requireGov = (authority: string): void => requireGovAuthority(authority, "staking MsgUpdateParams", ErrInvalidAuthority);

/** x/staking: messages, queries, genesis and end-block validator updates. */
export function stakingModule(keeper: StakingKeeper, bank: BankKeeper): AppModule {
  const delegationResponse = (ctx: Context, d: Delegation): DelegationResponse => ({
    delegation: d,
    balance: { denom: keeper.bondDenom(ctx), amount: keeper.delegationTokens(ctx, d).toString() },
  });
  const redelegationResponse = (ctx: Context, r: Redelegation) => {
    const dst = keeper.getValidator(ctx, r.validatorDstAddress);
    return {
      redelegation: r,
      entries: r.entries.map((e) => ({
        redelegationEntry: e,
        balance: (dst === undefined ? 0n : tokensForShares(validatorTokens(dst), validatorShares(dst), decFromProto(e.sharesDst))).toString(),
      })),
    };
  };

  return {
    name: MODULE,
    register(r: Registrar): void {
      r.msg<MsgCreateValidator>({
        typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
        module: MODULE,
        codec: MsgCreateValidator,
        signers: (m) => [operatorAccount(m.validatorAddress)],
        validateBasic(m) {
          requireValidator(m.validatorAddress);
          if (m.delegatorAddress !== "" && m.delegatorAddress !== operatorAccount(m.validatorAddress)) {
            throw ErrInvalidRequest.wrap(`delegator_address ${m.delegatorAddress} must be empty or the operator's own account`);
          }
          consensusKey(m);
          positiveCoin(m.value, "self delegation");
          commissionFromMsg(m);
          if (uintField(m.minSelfDelegation, "min_self_delegation") <= 0n) throw ErrInvalidRequest.wrap("min_self_delegation must be positive");
          validateDescription(m.description);
        },
        handle(ctx, m) {
          keeper.createValidator(ctx, {
            operator: m.validatorAddress,
            consensusPubkey: consensusKey(m),
            description: m.description,
            commission: commissionFromMsg(m),
            minSelfDelegation: uintField(m.minSelfDelegation, "min_self_delegation"),
            value: positiveCoin(m.value, "self delegation"),
          });
          return { typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidatorResponse", value: MsgCreateValidatorResponse.encode({}).finish() };
        },
      });
      r.msg<MsgEditValidator>({
        typeUrl: "/cosmos.staking.v1beta1.MsgEditValidator",
        module: MODULE,
        codec: MsgEditValidator,
        signers: (m) => [operatorAccount(m.validatorAddress)],
        validateBasic(m) {
          requireValidator(m.validatorAddress);
          if (m.commissionRate !== "") {
            const rate = decField(m.commissionRate, "commission rate");
            if (rate < 0n) throw ErrCommissionNegative.wrap();
            if (rate > DEC_ONE) throw ErrCommissionHuge.wrap();
          }
          if (m.minSelfDelegation !== "" && uintField(m.minSelfDelegation, "min_self_delegation") <= 0n) {
            throw ErrInvalidRequest.wrap("min_self_delegation must be positive");
          }
        },
        handle(ctx, m) {
          keeper.editValidator(ctx, m.validatorAddress, {
            description: m.description,
            commissionRate: m.commissionRate === "" ? undefined : decField(m.commissionRate, "commission rate"),
            minSelfDelegation: m.minSelfDelegation === "" ? undefined : uintField(m.minSelfDelegation, "min_self_delegation"),
          });
          return { typeUrl: "/cosmos.staking.v1beta1.MsgEditValidatorResponse", value: MsgEditValidatorResponse.encode({}).finish() };
        },
      });
      r.msg<MsgDelegate>({
        typeUrl: "/cosmos.staking.v1beta1.MsgDelegate",
        module: MODULE,
        codec: MsgDelegate,
        signers: (m) => [m.delegatorAddress],
        validateBasic(m) {
          requireDelegator(m.delegatorAddress);
          requireValidator(m.validatorAddress);
          positiveCoin(m.amount, "delegation amount");
        },
        handle(ctx, m) {
          keeper.delegate(ctx, m.delegatorAddress, m.validatorAddress, bondCoin(ctx, keeper, m.amount, "delegation amount"));
          return { typeUrl: "/cosmos.staking.v1beta1.MsgDelegateResponse", value: MsgDelegateResponse.encode({}).finish() };
        },
      });
      r.msg<MsgUndelegate>({
        typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate",
        module: MODULE,
        codec: MsgUndelegate,
        signers: (m) => [m.delegatorAddress],
        validateBasic(m) {
          requireDelegator(m.delegatorAddress);
          requireValidator(m.validatorAddress);
          positiveCoin(m.amount, "undelegation amount");
        },
        handle(ctx, m) {
          const amount = bondCoin(ctx, keeper, m.amount, "undelegation amount");
          const res = keeper.undelegate(ctx, m.delegatorAddress, m.validatorAddress, amount);
          return {
            typeUrl: "/cosmos.staking.v1beta1.MsgUndelegateResponse",
            value: MsgUndelegateResponse.encode({
              completionTime: res.completionTime,
              amount: { denom: keeper.bondDenom(ctx), amount: res.amount.toString() },
            }).finish(),
          };
        },
      });
      r.msg<MsgBeginRedelegate>({
        typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
        module: MODULE,
        codec: MsgBeginRedelegate,
        signers: (m) => [m.delegatorAddress],
        validateBasic(m) {
          requireDelegator(m.delegatorAddress);
          requireValidator(m.validatorSrcAddress);
          requireValidator(m.validatorDstAddress);
          positiveCoin(m.amount, "redelegation amount");
        },
        handle(ctx, m) {
          const amount = bondCoin(ctx, keeper, m.amount, "redelegation amount");
          const completionTime = keeper.beginRedelegate(ctx, m.delegatorAddress, m.validatorSrcAddress, m.validatorDstAddress, amount);
          return {
            typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegateResponse",
            value: MsgBeginRedelegateResponse.encode({ completionTime }).finish(),
          };
        },
      });
      r.msg<MsgUpdateParams>({
        typeUrl: "/cosmos.staking.v1beta1.MsgUpdateParams",
        module: MODULE,
        codec: MsgUpdateParams,
        signers: (m) => [m.authority],
        validateBasic(m) {
          addrBytes(m.authority);
        },
        handle(ctx, m) {
          requireGov(m.authority);
          if ((m as Partial<MsgUpdateParams>).params === undefined) throw ErrInvalidParams.wrap("params are missing; all fields must be supplied");
          validateStakingParams(m.params);
          keeper.setParams(ctx, m.params);
          return { typeUrl: "/cosmos.staking.v1beta1.MsgUpdateParamsResponse", value: MsgUpdateParamsResponse.encode({}).finish() };
        },
      });

      const svc = "cosmos.staking.v1beta1.Query";
      r.query({
        service: svc,
        method: "Validators",
        request: QueryValidatorsRequest,
        response: QueryValidatorsResponse,
        handle(ctx, req) {
          let all = keeper.allValidators(ctx);
          if (req.status !== "") {
            const status = bondStatusFromJSON(req.status);
            if (status === BondStatus.UNRECOGNIZED || status === BondStatus.BOND_STATUS_UNSPECIFIED) {
              throw ErrInvalidRequest.wrap(`invalid validator status ${req.status}; use BOND_STATUS_BONDED, BOND_STATUS_UNBONDING or BOND_STATUS_UNBONDED`);
            }
            all = all.filter((v) => v.status === status);
          }
          const { page, pagination } = paginate(all, req.pagination);
          return { validators: page, pagination };
        },
      });
      r.query({
        service: svc,
        method: "Validator",
        request: QueryValidatorRequest,
        response: QueryValidatorResponse,
        handle(ctx, req) {
          requireValidator(req.validatorAddr);
          const v = keeper.getValidator(ctx, req.validatorAddr);
          if (v === undefined) throw ErrNoValidatorFound.wrap(`rpc error: code = NotFound desc = validator ${req.validatorAddr} not found`);
          return { validator: v };
        },
      });
      r.query({
        service: svc,
        method: "ValidatorDelegations",
        request: QueryValidatorDelegationsRequest,
        response: QueryValidatorDelegationsResponse,
        handle(ctx, req) {
          requireValidator(req.validatorAddr);
          const { page, pagination } = paginate(keeper.validatorDelegations(ctx, req.validatorAddr), req.pagination);
          return { delegationResponses: page.map((d) => delegationResponse(ctx, d)), pagination };
        },
      });
      r.query({
        service: svc,
        method: "Delegation",
        request: QueryDelegationRequest,
        response: QueryDelegationResponse,
        handle(ctx, req) {
          requireDelegator(req.delegatorAddr);
          requireValidator(req.validatorAddr);
          const d = keeper.getDelegation(ctx, req.delegatorAddr, req.validatorAddr);
          // CosmJS's getDelegation maps "key not found" to null.
          if (d === undefined) {
            throw ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`);
          }
          return { delegationResponse: delegationResponse(ctx, d) };
        },
      });
      r.query({
        service: svc,
        method: "DelegatorDelegations",
        request: QueryDelegatorDelegationsRequest,
        response: QueryDelegatorDelegationsResponse,
        handle(ctx, req) {
          requireDelegator(req.delegatorAddr);
          const { page, pagination } = paginate(keeper.delegationsOfRaw(ctx, req.delegatorAddr), req.pagination);
          return { delegationResponses: page.map((d) => delegationResponse(ctx, d)), pagination };
        },
      });
      r.query({
        service: svc,
        method: "UnbondingDelegation",
        request: QueryUnbondingDelegationRequest,
        response: QueryUnbondingDelegationResponse,
        handle(ctx, req) {
          requireDelegator(req.delegatorAddr);
          requireValidator(req.validatorAddr);
          const u = keeper.getUnbondingDelegation(ctx, req.delegatorAddr, req.validatorAddr);
          if (u === undefined) {
            throw ErrKeyNotFound.wrap(
              `rpc error: code = NotFound desc = unbonding delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`,
            );
          }
          return { unbond: u };
        },
      });
      r.query({
        service: svc,
        method: "DelegatorUnbondingDelegations",
        request: QueryDelegatorUnbondingDelegationsRequest,
        response: QueryDelegatorUnbondingDelegationsResponse,
        handle(ctx, req) {
          requireDelegator(req.delegatorAddr);
          const { page, pagination } = paginate(keeper.unbondingDelegationsOf(ctx, req.delegatorAddr), req.pagination);
          return { unbondingResponses: page, pagination };
        },
      });
      r.query({
        service: svc,
        method: "Redelegations",
        request: QueryRedelegationsRequest,
        response: QueryRedelegationsResponse,
        handle(ctx, req) {
          let list: Redelegation[];
          if (req.delegatorAddr !== "") {
            requireDelegator(req.delegatorAddr);
            if (req.srcValidatorAddr !== "") requireValidator(req.srcValidatorAddr);
            if (req.dstValidatorAddr !== "") requireValidator(req.dstValidatorAddr);
            list = keeper.redelegationsOf(ctx, req.delegatorAddr);
          } else if (req.srcValidatorAddr !== "") {
            requireValidator(req.srcValidatorAddr);
            list = keeper.allRedelegations(ctx);
          } else {
            throw ErrInvalidRequest.wrap("give delegator_addr or src_validator_addr");
          }
          list = list.filter(
            (x) =>
              (req.srcValidatorAddr === "" || x.validatorSrcAddress === req.srcValidatorAddr) &&
              (req.dstValidatorAddr === "" || x.validatorDstAddress === req.dstValidatorAddr),
          );
          if (list.length === 0 && req.delegatorAddr !== "" && req.srcValidatorAddr !== "" && req.dstValidatorAddr !== "") {
            throw ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = redelegation not found for delegator address ${req.delegatorAddr}`);
          }
          const { page, pagination } = paginate(list, req.pagination);
          return { redelegationResponses: page.map((x) => redelegationResponse(ctx, x)), pagination };
        },
      });
      r.query({
        service: svc,
        method: "Pool",
        request: QueryPoolRequest,
        response: QueryPoolResponse,
        handle(ctx) {
          return {
            pool: {
              notBondedTokens: keeper.poolBalance(ctx, NOT_BONDED_POOL).toString(),
              bondedTokens: keeper.poolBalance(ctx, BONDED_POOL).toString(),
            },
          };
        },
      });
      r.query({
        service: svc,
        method: "Params",
        request: QueryParamsRequest,
        response: QueryParamsResponse,
        handle: (ctx) => ({ params: keeper.params(ctx) }),
      });
    },
    defaultGenesis: defaultStakingGenesis,
    validateGenesis(g) {
      validateStakingGenesis(parseStakingGenesis(g));
    },
    initGenesis(ctx, g) {
      return initStakingGenesis(ctx, keeper, bank, parseStakingGenesis(g));
    },
    exportGenesis: (ctx) => exportStakingGenesis(ctx, keeper),
    endBlock: (ctx) => keeper.endBlock(ctx),
  };
}
