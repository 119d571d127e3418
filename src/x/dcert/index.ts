/** The dCERT module: msg and query servers, genesis, hooks and the AppModule. */
export { dcertModule, registerDcertAmino, type DcertModule, type DcertModuleDeps } from "./module";
export { DCERT_MSG_PACKAGE, DcertMsgServer, MSG_TYPE_URLS, parseFraction } from "./msg_server";
export { groupMembers, memberStatus, registerDcertQueries } from "./queries";
export {
  defaultDcertGenesisJson,
  devnetDcertGenesisJson,
  exportDcertGenesis,
  initDcertGenesis,
  paramsFromJson,
  parseDcertGenesis,
  validateDcertGenesis,
  type DcertGenesis,
  type GenesisDeps,
} from "./genesis";
export { dcertGovHooks, dcertStakingHooks } from "./hooks";
