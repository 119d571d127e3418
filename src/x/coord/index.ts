/** The coordination module: keeper, msg and query servers, genesis, events, errors, store keys and the AppModule. */
export * from "./errors";
export { COORD_EVENT_PACKAGE, COORD_EVENTS, emitCoord, type CoordEventName } from "./events";
export type { AuthForCoord, BankForCoord, DcertForCoord, UpgradeForCoord } from "./expected";
export { COORD_MODULE, COORD_STORE, DEPOSITS_MODULE, DUE, KEY, keys, type Due } from "./keys";
export * from "./keeper";
export { coordModule, registerCoordAmino, type CoordModule, type CoordModuleDeps } from "./module";
export { COORD_MSG_PACKAGE, CoordMsgServer } from "./msg_server";
export { registerCoordQueries } from "./query_server";
export { defaultCoordGenesisJson, exportCoordGenesis, initCoordGenesis, parseCoordGenesis, validateCoordGenesis } from "./genesis";
