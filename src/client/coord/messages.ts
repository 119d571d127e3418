/**
 * Coordination (`coord.v1`) message types for CosmJS: `COORD_TYPE_URLS`, the registry list
 * `coordTypes` and an EncodeObject type with a type guard per message. The wire contract lives in
 * src/types/coord/ (the chain's router uses the same list); this is the client's module entry, as
 * CosmJS's `modules/<m>/messages.ts`.
 */
export * from "../../types/coord/messages";
