/**
 * EncodeObject builders for the upgrade messages. Each checks what the chain checks statelessly
 * (plan name, info, binary hash) and throws an Error saying what to change, so a bad message is
 * refused before it is signed. Governance messages default their authority to the gov module
 * account; put them in a gov v1 proposal (`buildSubmitProposal`).
 */
import { MsgCancelUpgrade, MsgSoftwareUpgrade } from "cosmjs-types/cosmos/upgrade/v1beta1/tx";
import { MsgPreApproveUpgrade, MsgUpdateParams, MsgWithdrawPreApproval } from "../../generated/dcert/upgrade/v1/tx";
import type { Params } from "../../generated/dcert/upgrade/v1/types";
import {
  UPGRADE_TYPE_URLS,
  type MsgCancelUpgradeEncodeObject,
  type MsgPreApproveUpgradeEncodeObject,
  type MsgSoftwareUpgradeEncodeObject,
  type MsgUpgradeUpdateParamsEncodeObject,
  type MsgWithdrawPreApprovalEncodeObject,
} from "../../types/upgrade/messages";
import { binarySha256Error, planInfoError, planNameError } from "../../types/upgrade/names";
import { govAuthority } from "../addresses";

function check(why: string | undefined): void {
  if (why !== undefined) throw new Error(why);
}

function height(h: bigint | number): bigint {
  const v = typeof h === "bigint" ? h : Number.isSafeInteger(h) ? BigInt(h) : -1n;
  if (v <= 0n) throw new Error(`the upgrade height must be a positive integer, got ${String(h)}`);
  return v;
}

export interface PlanArgs {
  readonly name: string;
  readonly height: bigint | number;
  readonly info?: string;
  /** Default: the gov module account. */
  readonly authority?: string;
}

/** `/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade` (executed by governance). */
export function buildSoftwareUpgrade(a: PlanArgs): MsgSoftwareUpgradeEncodeObject {
  check(planNameError(a.name));
  check(planInfoError(a.info ?? ""));
  return { typeUrl: UPGRADE_TYPE_URLS.softwareUpgrade, value: MsgSoftwareUpgrade.fromPartial({ authority: a.authority ?? govAuthority(), plan: { name: a.name, height: height(a.height), info: a.info ?? "" } }) };
}

/** `/cosmos.upgrade.v1beta1.MsgCancelUpgrade` (executed by governance). */
export function buildCancelUpgrade(authority?: string): MsgCancelUpgradeEncodeObject {
  return { typeUrl: UPGRADE_TYPE_URLS.cancelUpgrade, value: MsgCancelUpgrade.fromPartial({ authority: authority ?? govAuthority() }) };
}

export interface PreApprovalArgs {
  readonly member: string;
  readonly name: string;
  readonly height: bigint | number;
  /** Lowercase hex SHA-256 of the binary or patch. */
  readonly binarySha256: string;
  readonly info?: string;
  /** A coordination case the plan cites (0 or absent: none). */
  readonly caseId?: bigint;
}

/** `/dcert.upgrade.v1.MsgPreApproveUpgrade` (signed by an active dCERT member). */
export function buildPreApproveUpgrade(a: PreApprovalArgs): MsgPreApproveUpgradeEncodeObject {
  check(planNameError(a.name));
  check(planInfoError(a.info ?? ""));
  check(binarySha256Error(a.binarySha256));
  return {
    typeUrl: UPGRADE_TYPE_URLS.preApproveUpgrade,
    value: MsgPreApproveUpgrade.fromPartial({ member: a.member, name: a.name, height: height(a.height), info: a.info ?? "", binarySha256: a.binarySha256, caseId: a.caseId ?? 0n }),
  };
}

/** `/dcert.upgrade.v1.MsgWithdrawPreApproval`. */
export function buildWithdrawPreApproval(member: string, name: string): MsgWithdrawPreApprovalEncodeObject {
  check(planNameError(name));
  return { typeUrl: UPGRADE_TYPE_URLS.withdrawPreApproval, value: MsgWithdrawPreApproval.fromPartial({ member, name }) };
}

/** `/dcert.upgrade.v1.MsgUpdateParams` (executed by governance). */
export function buildUpgradeUpdateParams(params: Params, authority?: string): MsgUpgradeUpdateParamsEncodeObject {
  return { typeUrl: UPGRADE_TYPE_URLS.updateParams, value: MsgUpdateParams.fromPartial({ authority: authority ?? govAuthority(), params }) };
}
