/**
 * The dCERT amino converters (`dcert/Msg…`) for CosmJS's AminoTypes. The wire contract lives in
 * src/types/ (the chain's amino registry uses the same converters); this is the client's module
 * entry, as CosmJS's `modules/<m>/aminomessages.ts`.
 */
export * from "../types/aminomessages";
