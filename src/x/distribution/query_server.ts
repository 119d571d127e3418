/** The gRPC query service of x/distribution (`cosmos.distribution.v1beta1.Query`), registered in this order. */
import {
  QueryCommunityPoolRequest,
  QueryCommunityPoolResponse,
  QueryDelegationRewardsRequest,
  QueryDelegationRewardsResponse,
  QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse,
  QueryDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse,
  QueryDelegatorWithdrawAddressRequest,
  QueryDelegatorWithdrawAddressResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryValidatorCommissionRequest,
  QueryValidatorCommissionResponse,
  QueryValidatorDistributionInfoRequest,
  QueryValidatorDistributionInfoResponse,
  QueryValidatorOutstandingRewardsRequest,
  QueryValidatorOutstandingRewardsResponse,
  QueryValidatorSlashesRequest,
  QueryValidatorSlashesResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import type { Context } from "../../baseapp/context";
import { ErrInvalidRequest } from "../../baseapp/errors";
import type { Registrar } from "../../baseapp/module";
import { paginateList } from "../../baseapp/pagination";
import { addrBytes } from "../auth/keeper";
import { decToProto } from "../staking/dec";
import { operatorAccount, valoperBytes } from "../staking/records";
import { toProto } from "./deccoins";
import { ErrNoDelegationExists, ErrNoValidatorExists } from "./errors";
import type { StakingForDistribution } from "./expected";
import type { DistributionKeeper } from "./keeper";

function delegatorArg(a: string): string {
  if (a === "") throw ErrInvalidRequest.wrap("empty delegator address");
  addrBytes(a);
  return a;
}

function validatorArg(a: string): string {
  if (a === "") throw ErrInvalidRequest.wrap("empty validator address");
  valoperBytes(a);
  return a;
}

export function registerDistributionQueries(r: Registrar, keeper: DistributionKeeper, staking: StakingForDistribution): void {
  const svc = "cosmos.distribution.v1beta1.Query";
  const existingValidator = (ctx: Context, a: string): string => {
    validatorArg(a);
    if (staking.getValidator(ctx, a) === undefined) throw ErrNoValidatorExists.wrap(`validator ${a} does not exist`);
    return a;
  };
  r.query({
    service: svc,
    method: "Params",
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle: (ctx) => ({ params: keeper.params(ctx) }),
  });
  r.query({
    service: svc,
    method: "ValidatorDistributionInfo",
    request: QueryValidatorDistributionInfoRequest,
    response: QueryValidatorDistributionInfoResponse,
    handle: (ctx, req) => {
      const valoper = existingValidator(ctx, req.validatorAddress);
      const self = operatorAccount(valoper);
      if (staking.getDelegation(ctx, self, valoper) === undefined) throw ErrNoDelegationExists.wrap(`${valoper} has no self-delegation`);
      return {
        operatorAddress: self,
        selfBondRewards: toProto(keeper.delegationRewards(ctx, self, valoper)),
        commission: toProto(keeper.accumulatedCommission(ctx, valoper)),
      };
    },
  });
  r.query({
    service: svc,
    method: "ValidatorOutstandingRewards",
    request: QueryValidatorOutstandingRewardsRequest,
    response: QueryValidatorOutstandingRewardsResponse,
    handle: (ctx, req) => ({ rewards: { rewards: toProto(keeper.outstandingRewards(ctx, existingValidator(ctx, req.validatorAddress))) } }),
  });
  r.query({
    service: svc,
    method: "ValidatorCommission",
    request: QueryValidatorCommissionRequest,
    response: QueryValidatorCommissionResponse,
    handle: (ctx, req) => ({ commission: { commission: toProto(keeper.accumulatedCommission(ctx, existingValidator(ctx, req.validatorAddress))) } }),
  });
  r.query({
    service: svc,
    method: "ValidatorSlashes",
    request: QueryValidatorSlashesRequest,
    response: QueryValidatorSlashesResponse,
    handle: (ctx, req) => {
      const valoper = validatorArg(req.validatorAddress);
      if (req.endingHeight < req.startingHeight) {
        throw ErrInvalidRequest.wrap(`starting height greater than ending height (${req.startingHeight} > ${req.endingHeight})`);
      }
      const all = keeper.slashEvents(ctx, valoper, req.startingHeight, req.endingHeight);
      const { page, pagination } = paginateList(all, req.pagination);
      return { slashes: page.map((e) => ({ validatorPeriod: e.period, fraction: decToProto(e.fraction) })), pagination };
    },
  });
  r.query({
    service: svc,
    method: "DelegationRewards",
    request: QueryDelegationRewardsRequest,
    response: QueryDelegationRewardsResponse,
    handle: (ctx, req) => {
      const delegator = delegatorArg(req.delegatorAddress);
      const valoper = existingValidator(ctx, req.validatorAddress);
      if (staking.getDelegation(ctx, delegator, valoper) === undefined) throw ErrNoDelegationExists.wrap(`${delegator} has no delegation to ${valoper}`);
      return { rewards: toProto(keeper.delegationRewards(ctx, delegator, valoper)) };
    },
  });
  r.query({
    service: svc,
    method: "DelegationTotalRewards",
    request: QueryDelegationTotalRewardsRequest,
    response: QueryDelegationTotalRewardsResponse,
    handle: (ctx, req) => {
      const { rewards, total } = keeper.delegationTotalRewards(ctx, delegatorArg(req.delegatorAddress));
      return { rewards: rewards.map((x) => ({ validatorAddress: x.validatorAddress, reward: toProto(x.reward) })), total: toProto(total) };
    },
  });
  r.query({
    service: svc,
    method: "DelegatorValidators",
    request: QueryDelegatorValidatorsRequest,
    response: QueryDelegatorValidatorsResponse,
    handle: (ctx, req) => ({ validators: keeper.delegatorValidators(ctx, delegatorArg(req.delegatorAddress)) }),
  });
  r.query({
    service: svc,
    method: "DelegatorWithdrawAddress",
    request: QueryDelegatorWithdrawAddressRequest,
    response: QueryDelegatorWithdrawAddressResponse,
    handle: (ctx, req) => ({ withdrawAddress: keeper.withdrawAddress(ctx, delegatorArg(req.delegatorAddress)) }),
  });
  r.query({
    service: svc,
    method: "CommunityPool",
    request: QueryCommunityPoolRequest,
    response: QueryCommunityPoolResponse,
    handle: (ctx) => ({ pool: toProto(keeper.communityPool(ctx)) }),
  });
}
