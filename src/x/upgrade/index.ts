/** The upgrade module: keeper, msg and query servers, genesis, events, errors, store keys, halt, build identity and the AppModule. */
export * from "./errors";
export { UPGRADE_EVENT_PACKAGE, UPGRADE_EVENTS, emitUpgrade, type UpgradeEventName } from "./events";
export type { CoordForUpgrade, DcertForUpgrade, PlanHandler } from "./expected";
export { KEY, keys, UPGRADE_MODULE, UPGRADE_STORE } from "./keys";
export * from "./keeper";
export { registerUpgradeAmino, upgradeModule, type UpgradeModule, type UpgradeModuleDeps } from "./module";
export { COSMOS_UPGRADE_MSG_PACKAGE, UPGRADE_MSG_PACKAGE, UpgradeMsgServer } from "./msg_server";
export { registerUpgradeQueries } from "./query_server";
export { defaultUpgradeGenesisJson, exportUpgradeGenesis, initUpgradeGenesis, parseUpgradeGenesis, upgradeGenesisToJson, validateUpgradeGenesis } from "./genesis";
export { defaultUpgradeParams, neededApprovals, parseQuorum, validateUpgradeParams } from "./params";
export { isUpgradeNeeded, UPGRADE_INFO_FILE, UpgradeNeededError, upgradeInfoJson, type PlanInfo } from "./halt";
export { developmentBuild, type BuildIdentity } from "./build";
