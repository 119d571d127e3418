/**
 * The upgrade msg servers: the standard `/cosmos.upgrade.v1beta1.Msg` (MsgSoftwareUpgrade,
 * MsgCancelUpgrade: governance only) and `/dcert.upgrade.v1.Msg` (MsgPreApproveUpgrade and
 * MsgWithdrawPreApproval: signed by the member; MsgUpdateParams: governance). `validateBasic` is
 * stateless (addresses, the plan's name/info/height/time, the binary hash); roles and everything
 * that reads state are checked by the keeper before any write.
 */
import type { Msg as CosmosUpgradeMsg } from "cosmjs-types/cosmos/upgrade/v1beta1/tx";
import { MsgCancelUpgrade, MsgCancelUpgradeResponse, MsgSoftwareUpgrade, MsgSoftwareUpgradeResponse } from "cosmjs-types/cosmos/upgrade/v1beta1/tx";
import { type MsgTable, msgSpec } from "../../baseapp/msgserver";
import { updateParamsSpec } from "../auth/update_params";
import {
  type Msg,
  MsgPreApproveUpgrade,
  MsgPreApproveUpgradeResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  MsgWithdrawPreApproval,
  MsgWithdrawPreApprovalResponse,
} from "../../generated/dcert/upgrade/v1/tx";
import type { Params } from "../../generated/dcert/upgrade/v1/types";
import { ErrInvalidParams, ErrInvalidPlan } from "./errors";
import type { UpgradeKeeper } from "./keeper/keeper";
import { validateUpgradeParams } from "./params";
import { requireAddress, requireBinarySha256, requirePlanInfo, requirePlanName, validatePlan } from "./validate";

export const COSMOS_UPGRADE_MSG_PACKAGE = "cosmos.upgrade.v1beta1";
export const UPGRADE_MSG_PACKAGE = "dcert.upgrade.v1";

export class UpgradeMsgServer {
  constructor(private readonly keeper: UpgradeKeeper) {}

  /** `/cosmos.upgrade.v1beta1.Msg*`. */
  cosmosTable(): MsgTable<CosmosUpgradeMsg> {
    const k = this.keeper;
    return {
      SoftwareUpgrade: msgSpec({
        codec: MsgSoftwareUpgrade,
        response: MsgSoftwareUpgradeResponse,
        signers: (m) => [m.authority],
        validateBasic: (m) => {
          requireAddress(m.authority, "authority");
          return validatePlan(m.plan);
        },
        handle: (ctx, m, plan) => {
          k.scheduleByGovernance(ctx, m.authority, plan);
          return {};
        },
      }),
      CancelUpgrade: msgSpec({
        codec: MsgCancelUpgrade,
        response: MsgCancelUpgradeResponse,
        signers: (m) => [m.authority],
        validateBasic: (m) => requireAddress(m.authority, "authority"),
        handle: (ctx, m) => {
          k.cancelByGovernance(ctx, m.authority);
          return {};
        },
      }),
    };
  }

  /** `/dcert.upgrade.v1.Msg*`. */
  table(): MsgTable<Msg> {
    const k = this.keeper;
    return {
      PreApproveUpgrade: msgSpec({
        codec: MsgPreApproveUpgrade,
        response: MsgPreApproveUpgradeResponse,
        signers: (m) => [m.member],
        validateBasic: (m) => {
          requireAddress(m.member, "member");
          requirePlanName(m.name);
          requirePlanInfo(m.info);
          if (m.height <= 0n) throw ErrInvalidPlan.wrap(`the plan height must be positive, got ${m.height}`);
          requireBinarySha256(m.binarySha256);
        },
        handle: (ctx, m) => k.preApprove(ctx, m),
      }),
      WithdrawPreApproval: msgSpec({
        codec: MsgWithdrawPreApproval,
        response: MsgWithdrawPreApprovalResponse,
        signers: (m) => [m.member],
        validateBasic: (m) => {
          requireAddress(m.member, "member");
          requirePlanName(m.name);
        },
        handle: (ctx, m) => {
          k.withdrawPreApproval(ctx, m.member, m.name);
          return {};
        },
      }),
      UpdateParams: updateParamsSpec({
        codec: MsgUpdateParams,
        response: MsgUpdateParamsResponse,
        what: "MsgUpdateParams",
        authorize: (authority) => k.requireAuthority(authority, "MsgUpdateParams"),
        validateBasic: (m): Params => {
          requireAddress(m.authority, "authority");
          if (m.params === undefined) throw ErrInvalidParams.wrap("params are missing");
          validateUpgradeParams(m.params);
          return m.params;
        },
        validate: (_m, p) => p,
        store: (ctx, p, m) => k.updateParams(ctx, m.authority, p),
      }),
    };
  }
}
