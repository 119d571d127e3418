/**
 * Upgrade message types for CosmJS: type URLs, a registry list to spread into
 * `new Registry([...defaultRegistryTypes, ...dcertTypes, ...upgradeTypes])` and an EncodeObject
 * type (with a type guard) per message. Governance schedules and cancels plans with the standard
 * `/cosmos.upgrade.v1beta1` messages; the dCERT pre-approval and the params are
 * `/dcert.upgrade.v1`. Shared by the chain's router and amino registry and the client.
 */
import type { EncodeObject, GeneratedType } from "@cosmjs/proto-signing";
import { MsgCancelUpgrade, MsgSoftwareUpgrade } from "cosmjs-types/cosmos/upgrade/v1beta1/tx";
import { MsgPreApproveUpgrade, MsgUpdateParams, MsgWithdrawPreApproval } from "../../generated/dcert/upgrade/v1/tx";

export const UPGRADE_TYPE_URLS = {
  softwareUpgrade: "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade",
  cancelUpgrade: "/cosmos.upgrade.v1beta1.MsgCancelUpgrade",
  preApproveUpgrade: "/dcert.upgrade.v1.MsgPreApproveUpgrade",
  withdrawPreApproval: "/dcert.upgrade.v1.MsgWithdrawPreApproval",
  updateParams: "/dcert.upgrade.v1.MsgUpdateParams",
} as const;

export const upgradeTypes: ReadonlyArray<[string, GeneratedType]> = [
  [UPGRADE_TYPE_URLS.softwareUpgrade, MsgSoftwareUpgrade],
  [UPGRADE_TYPE_URLS.cancelUpgrade, MsgCancelUpgrade],
  [UPGRADE_TYPE_URLS.preApproveUpgrade, MsgPreApproveUpgrade],
  [UPGRADE_TYPE_URLS.withdrawPreApproval, MsgWithdrawPreApproval],
  [UPGRADE_TYPE_URLS.updateParams, MsgUpdateParams],
];

export interface MsgSoftwareUpgradeEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade";
  readonly value: Partial<MsgSoftwareUpgrade>;
}
export function isMsgSoftwareUpgradeEncodeObject(o: EncodeObject): o is MsgSoftwareUpgradeEncodeObject {
  return o.typeUrl === UPGRADE_TYPE_URLS.softwareUpgrade;
}
export interface MsgCancelUpgradeEncodeObject extends EncodeObject {
  readonly typeUrl: "/cosmos.upgrade.v1beta1.MsgCancelUpgrade";
  readonly value: Partial<MsgCancelUpgrade>;
}
export function isMsgCancelUpgradeEncodeObject(o: EncodeObject): o is MsgCancelUpgradeEncodeObject {
  return o.typeUrl === UPGRADE_TYPE_URLS.cancelUpgrade;
}
export interface MsgPreApproveUpgradeEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.upgrade.v1.MsgPreApproveUpgrade";
  readonly value: Partial<MsgPreApproveUpgrade>;
}
export function isMsgPreApproveUpgradeEncodeObject(o: EncodeObject): o is MsgPreApproveUpgradeEncodeObject {
  return o.typeUrl === UPGRADE_TYPE_URLS.preApproveUpgrade;
}
export interface MsgWithdrawPreApprovalEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.upgrade.v1.MsgWithdrawPreApproval";
  readonly value: Partial<MsgWithdrawPreApproval>;
}
export function isMsgWithdrawPreApprovalEncodeObject(o: EncodeObject): o is MsgWithdrawPreApprovalEncodeObject {
  return o.typeUrl === UPGRADE_TYPE_URLS.withdrawPreApproval;
}
export interface MsgUpgradeUpdateParamsEncodeObject extends EncodeObject {
  readonly typeUrl: "/dcert.upgrade.v1.MsgUpdateParams";
  readonly value: Partial<MsgUpdateParams>;
}
export function isMsgUpgradeUpdateParamsEncodeObject(o: EncodeObject): o is MsgUpgradeUpdateParamsEncodeObject {
  return o.typeUrl === UPGRADE_TYPE_URLS.updateParams;
}
