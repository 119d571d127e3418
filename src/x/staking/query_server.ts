import {
  QueryDelegationRequest,
  QueryDelegationResponse,
  QueryDelegatorDelegationsRequest,
  QueryDelegatorDelegationsResponse,
  QueryDelegatorUnbondingDelegationsRequest,
  QueryDelegatorUnbondingDelegationsResponse,
  QueryDelegatorValidatorRequest,
  QueryDelegatorValidatorResponse,
  QueryDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse,
  QueryHistoricalInfoRequest,
  QueryHistoricalInfoResponse,
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
  QueryValidatorUnbondingDelegationsRequest,
  QueryValidatorUnbondingDelegationsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import { BondStatus, bondStatusFromJSON, type Delegation, type DelegationResponse, type Redelegation } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Context } from "../../baseapp/context";
import { ErrInvalidRequest, ErrKeyNotFound } from "../../baseapp/errors";
import type { Registrar } from "../../baseapp/module";
import { paginateList as paginate } from "../../baseapp/pagination";
import { decFromProto } from "./dec";
import { ErrNoValidatorFound } from "./errors";
import { BONDED_POOL, NOT_BONDED_POOL, type StakingKeeper, tokensForShares, validatorShares, validatorTokens } from "./keeper";
import { requireDelegator, requireValidator } from "./msg_server";

/** Registers the cosmos.staking.v1beta1.Query service (gRPC query handlers) of x/staking. */
export function registerStakingQueries(r: Registrar, keeper: StakingKeeper): void {
  const delegationResponse = (ctx: Context, d: Delegation): DelegationResponse => ({
    delegation: d,
    balance: { denom: keeper.bondDenom(ctx), amount: keeper.delegationTokens(ctx, d).toString() },
  });
  const redelegationResponse = (ctx: Context, red: Redelegation) => {
    const dst = keeper.getValidator(ctx, red.validatorDstAddress);
    return {
      redelegation: red,
      entries: red.entries.map((e) => ({
        redelegationEntry: e,
        balance: (dst === undefined ? 0n : tokensForShares(validatorTokens(dst), validatorShares(dst), decFromProto(e.sharesDst))).toString(),
      })),
    };
  };

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
    method: "ValidatorUnbondingDelegations",
    request: QueryValidatorUnbondingDelegationsRequest,
    response: QueryValidatorUnbondingDelegationsResponse,
    handle(ctx, req) {
      requireValidator(req.validatorAddr);
      const { page, pagination } = paginate(keeper.validatorUnbondingDelegations(ctx, req.validatorAddr), req.pagination);
      return { unbondingResponses: page, pagination };
    },
  });
  r.query({
    service: svc,
    method: "DelegatorValidators",
    request: QueryDelegatorValidatorsRequest,
    response: QueryDelegatorValidatorsResponse,
    handle(ctx, req) {
      requireDelegator(req.delegatorAddr);
      const { page, pagination } = paginate(keeper.delegationsOfRaw(ctx, req.delegatorAddr), req.pagination);
      return { validators: page.map((d) => keeper.mustGetValidator(ctx, d.validatorAddress)), pagination };
    },
  });
  r.query({
    service: svc,
    method: "DelegatorValidator",
    request: QueryDelegatorValidatorRequest,
    response: QueryDelegatorValidatorResponse,
    handle(ctx, req) {
      requireDelegator(req.delegatorAddr);
      requireValidator(req.validatorAddr);
      return { validator: keeper.delegatorValidator(ctx, req.delegatorAddr, req.validatorAddr) };
    },
  });
  r.query({
    service: svc,
    method: "HistoricalInfo",
    request: QueryHistoricalInfoRequest,
    response: QueryHistoricalInfoResponse,
    handle(ctx, req) {
      if (req.height < 0n) throw ErrInvalidRequest.wrap("rpc error: code = InvalidArgument desc = height cannot be negative");
      const hist = keeper.getHistoricalInfo(ctx, req.height);
      if (hist === undefined) {
        throw ErrKeyNotFound.wrap(
          `rpc error: code = NotFound desc = historical info for height ${req.height} not found; ` +
            `the chain keeps the last historical_entries (${keeper.params(ctx).historicalEntries}) heights`,
        );
      }
      return { hist };
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
}
