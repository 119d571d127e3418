/** The coordination keeper: records and rules (keeper.ts and one file per concern), params, EndBlock. */
export { caseDeadline, COORD_MODULE_TABLE, CoordKeeper, isTransitionAllowed, isValidCaseState, TRANSITIONS, type CoordKeeperDeps, type Deadline } from "./keeper";
export { defaultCoordParams, devnetCoordParams, levelTimeline, PARAM_LIMITS, revisionQuorumOf, validateCoordParams } from "./params";
export { rescheduleCase } from "./cases";
export { quorumNeeded } from "./revisions";
