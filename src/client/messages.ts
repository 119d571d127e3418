/**
 * The dCERT messages for CosmJS: type URLs, the registry types and typed EncodeObjects. The wire
 * contract lives in src/types/ (the chain's modules share it); this is the client's module entry,
 * as CosmJS's `modules/<m>/messages.ts`.
 */
export * from "../types/messages";
