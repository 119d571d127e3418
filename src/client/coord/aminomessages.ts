/**
 * The coordination amino converters (`coord/Msg…`) for CosmJS's AminoTypes. The wire contract
 * lives in src/types/coord/ (the chain's amino registry uses the same converters); this is the
 * client's module entry, as CosmJS's `modules/<m>/aminomessages.ts`.
 */
export * from "../../types/coord/aminomessages";
