/** The vote-split arithmetic (fixed-point shares, previews): see wallet/split.ts. */
export * from "./wallet/split";
