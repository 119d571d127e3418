/** Staking rewards, slashing, evidence and mint on the client side: messages, builders and queries. */
export * from "./messages";
export * from "./queries";
