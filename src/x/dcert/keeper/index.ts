/**
 * The dCERT keeper: typed state (records.ts, layout in ../keys.ts), the group's rules (keeper.ts),
 * BeginBlock/EndBlock (abci.ts), the election engine as a derived index (election.ts) and params.
 */
export { DcertKeeper, MAX_UNBONDING_ENTRIES, quorumOf, type DcertKeeperDeps, type Eligibility, type SlashResult, type SuspensionTally } from "./keeper";
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
