/**
 * Upgrade message types for CosmJS: `UPGRADE_TYPE_URLS`, the registry list `upgradeTypes` and an
 * EncodeObject type with a type guard per message (governance's /cosmos.upgrade.v1beta1 messages
 * and the dCERT's /dcert.upgrade.v1 ones). The wire contract lives in src/types/upgrade/.
 */
export * from "../../types/upgrade/messages";
export { binarySha256Error, isValidPlanName, MAX_PLAN_INFO_BYTES, MAX_PLAN_NAME_LENGTH, planInfoError, planNameError } from "../../types/upgrade/names";
