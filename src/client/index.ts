/**
 * The dCERT CosmJS client library. Import from here:
 *
 *   import { DcertClient, SigningDcertClient, decimalToFixed18 } from "@dcert/client";
 *
 * Module layout (CosmJS's pattern): messages.ts (registry types, EncodeObjects), aminomessages.ts
 * (amino converters `dcert/Msg…`), queries.ts (`setupDcertExtension`), govqueries.ts (gov v1
 * queries), builders.ts (EncodeObject builders), dcertclient.ts / signingdcertclient.ts (clients),
 * coord/ (the coordination module's messages, amino converters, queries and builders, exported as
 * the `coord` namespace; see coord/README.md), upgrade/ (the upgrade module's messages, amino converters,
 * builders and queries, exported as the `upgrade` namespace), rewards/ (staking, slashing, distribution,
 * mint and evidence: builders of the standard messages and query extensions), bech32.ts (bech32
 * and address checks that work with every @scure/base 2.x).
 *
 * Published as the @dcert/client package (packages/client: `npm run build:client`).
 */
export * from "./addresses";
export * from "./bech32";
export * from "../types/aminomessages";
export * from "./aminotypes";
export * from "./builders";
export * from "./dcertclient";
export * from "./decimal";
export * from "./govqueries";
export * from "../types/messages";
export * from "./queries";
export * from "./signingdcertclient";
export { fixCosmjsInt64Writer } from "../types/int64writer";
export type { Params as DcertParams } from "../generated/dcert/v1/params";
export * as dcertQueryTypes from "../generated/dcert/v1/query";
export * as dcertTxTypes from "../generated/dcert/v1/tx";
export * as dcertRecordTypes from "../generated/dcert/v1/types";
// Coordination (coord.v1): everything under the `coord` namespace (its names, e.g. buildUpdateParams
// and MsgUpdateParamsEncodeObject, would clash with dCERT's), plus the unambiguous entry points.
export * as coord from "./coord/index";
export { COORD_TYPE_URLS, coordTypes } from "../types/coord/messages";
export { COORD_AMINO_TYPES, createCoordAminoConverters } from "../types/coord/aminomessages";
export { setupCoordExtension, type CoordExtension } from "./coord/queries";
// Upgrades (cosmos.upgrade.v1beta1 and dcert.upgrade.v1): the `upgrade` namespace, plus the entry points.
export * as upgrade from "./upgrade/index";
export { UPGRADE_TYPE_URLS, upgradeTypes } from "../types/upgrade/messages";
export { createUpgradeAminoConverters, UPGRADE_AMINO_TYPES } from "../types/upgrade/aminomessages";
export { setupUpgradeExtension, type UpgradeExtension } from "./upgrade/queries";
// Staking rewards, slashing, evidence and mint (standard cosmos.* services): builders and queries.
export * from "./rewards/index";
