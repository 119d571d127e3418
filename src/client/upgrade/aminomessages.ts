/** Amino converters of the upgrade messages (the chain registers the same ones): src/types/upgrade/aminomessages.ts. */
export { createUpgradeAminoConverters, UPGRADE_AMINO_TYPES } from "../../types/upgrade/aminomessages";
