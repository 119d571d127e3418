/**
 * Every amino converter a dCERT client needs, in one place:
 *
 * - CosmJS's defaults (bank, staking, distribution, gov v1beta1, …);
 * - the standard messages CosmJS has none (or a stale one) for: `cosmos-sdk/MsgUnjail`,
 *   `cosmos-sdk/distr/MsgCommunityPoolSpend`, `cosmos-sdk/MsgWithdrawValCommission` (the SDK's
 *   name since v0.47; CosmJS signs an older one): the chain's own, src/types/amino.ts;
 * - gov v1 (`cosmos-sdk/v1/MsgSubmitProposal`, `…/MsgVote`, `…/MsgVoteWeighted`, `…/MsgDeposit`),
 *   which CosmJS lacks. They are the chain's own converters (src/types/amino.ts), so what a
 *   client signs is byte for byte what the chain rebuilds; a proposal's nested messages (dCERT
 *   governance messages included) are converted by the same registry;
 * - the dCERT messages (`dcert/Msg…`);
 * - the coordination messages (`coord/Msg…`).
 *
 *   new AminoTypes(createDcertClientAminoConverters())
 */
import { AminoTypes, createDefaultAminoConverters, type AminoConverters } from "@cosmjs/stargate";
import { createDefaultAminoRegistry, createStandardExtraAminoConverters, type AminoRegistry } from "../types/amino";
import { createDcertAminoConverters } from "../types/aminomessages";
import { createCoordAminoConverters } from "../types/coord/aminomessages";
import { coordTypes } from "../types/coord/messages";
import { createUpgradeAminoConverters } from "../types/upgrade/aminomessages";
import { upgradeTypes } from "../types/upgrade/messages";
import { dcertTypes } from "../types/messages";

/** Type URLs of the gov v1 messages that have an amino form. */
export const GOV_V1_AMINO_TYPE_URLS = [
  "/cosmos.gov.v1.MsgSubmitProposal",
  "/cosmos.gov.v1.MsgVote",
  "/cosmos.gov.v1.MsgVoteWeighted",
  "/cosmos.gov.v1.MsgDeposit",
] as const;

/**
 * The chain's amino registry (standard Cosmos messages, gov v1, every dCERT and every coordination
 * message), built the way the node builds it. Each call returns a fresh registry.
 */
export function createDcertAminoRegistry(): AminoRegistry {
  const registry = createDefaultAminoRegistry();
  const converters = { ...createDcertAminoConverters(), ...createCoordAminoConverters(), ...createUpgradeAminoConverters() };
  for (const [typeUrl, codec] of [...dcertTypes, ...coordTypes, ...upgradeTypes]) {
    const converter = converters[typeUrl];
    if (converter === undefined) throw new Error(`no amino converter for ${typeUrl}`);
    registry.register(typeUrl, codec as Parameters<AminoRegistry["register"]>[1], converter);
  }
  return registry;
}

/** gov v1 amino converters whose proposals may carry any message the chain knows (dCERT and coordination ones included). */
export function createGovV1AminoConverters(): AminoConverters {
  const all = createDcertAminoRegistry().aminoConverters();
  const out: AminoConverters = {};
  for (const typeUrl of GOV_V1_AMINO_TYPE_URLS) {
    const c = all[typeUrl];
    if (c === undefined) throw new Error(`the chain's amino registry has no ${typeUrl}`);
    out[typeUrl] = c;
  }
  return out;
}

/** CosmJS's default converters + gov v1 + dCERT + coordination: what `SigningDcertClient` signs amino JSON with. */
export function createDcertClientAminoConverters(): AminoConverters {
  return {
    ...createDefaultAminoConverters(),
    ...createStandardExtraAminoConverters(),
    ...createGovV1AminoConverters(),
    ...createDcertAminoConverters(),
    ...createCoordAminoConverters(),
    ...createUpgradeAminoConverters(),
  };
}

export function createDcertAminoTypes(): AminoTypes {
  return new AminoTypes(createDcertClientAminoConverters());
}
