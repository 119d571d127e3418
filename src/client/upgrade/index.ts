/** The upgrade module's client side: messages, amino converters, builders and queries. */
export * from "./messages";
export * from "./aminomessages";
export * from "./builders";
export * from "./queries";
