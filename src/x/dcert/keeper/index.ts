/**
 * The dCERT keeper: typed state (records.ts, layout in keys.ts), the group's rules (keeper.ts),
 * BeginBlock/EndBlock (abci.ts), the election engine as a derived index (election.ts), params,
 * errors and typed events.
 */
export * from "./errors";
export { emitTyped, snakeCase, snakeKeys, typedEventAttributes, type EventCodec } from "./events";
export type { AuthForDcert, BankForDcert, DistributionForDcert, StakingForDcert } from "./expected";
export { DcertKeeper, MAX_UNBONDING_ENTRIES, quorumOf, type DcertKeeperDeps, type Eligibility, type SlashResult, type SuspensionTally } from "./keeper";
export { BONDS_MODULE, DCERT_MODULE, DCERT_STORE, KEY, keys } from "./keys";
export {
  defaultDcertParams,
  devnetDcertParams,
  electionParamsOf,
  MAX_MEMBERS_LIMIT,
  MAX_STABILIZATION_PERIOD,
  paramsFromProto,
  paramsToJson,
  paramsToProto,
  parseUint,
  validateDcertParams,
  type DcertParams,
} from "./params";
export { DcertRecords, type BondView, type ElectionMetaView } from "./records";
export { ElectionIndex } from "./election";
