/** The upgrade module's wire contract shared by the chain and its clients. */
export * from "./names";
export * from "./messages";
export * from "./aminomessages";
