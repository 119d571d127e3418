/** The dCERT module: msg and query servers, genesis, hooks, store keys, errors, events and the AppModule. */
export * from "./errors";
export { emitTyped, snakeCase, snakeKeys, typedEventAttributes, type EventCodec } from "./events";
export type { AuthForDcert, BankForDcert, DistributionForDcert, StakingForDcert } from "./expected";
export { BONDS_MODULE, DCERT_MODULE, DCERT_STORE, KEY, keys } from "./keys";
export { dcertModule, registerDcertAmino, type DcertModule, type DcertModuleDeps } from "./module";
export { DCERT_MSG_PACKAGE, DcertMsgServer, MSG_TYPE_URLS, parseFraction } from "./msg_server";
export { groupMembers, memberStatus, registerDcertQueries } from "./query_server";
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
