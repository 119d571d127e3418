/**
 * The coordination (`coord.v1`) part of the dCERT client, as one namespace:
 *
 *   import { coord } from "@dcert/client";
 *   const msg = coord.buildOpenCase({ member, level: 3, commitments });
 *   const { case: c } = await client.coord.case(1n);
 *
 * messages.ts (type URLs, registry list, EncodeObjects), aminomessages.ts (`coord/Msg…`
 * converters), queries.ts (`setupCoordExtension`, id-cursor helpers), builders.ts (EncodeObject
 * builders). The generated protobuf types are under `txTypes`, `queryTypes`, `recordTypes`.
 */
export * from "./messages";
export * from "./aminomessages";
export * from "./queries";
export * from "./builders";
export { isValidPlanName, PLAN_NAME_MAX, planNameProblem } from "../../types/coord/gate";
export type { Params as CoordParams, LevelTimeline } from "../../generated/coord/v1/params";
export * as queryTypes from "../../generated/coord/v1/query";
export * as txTypes from "../../generated/coord/v1/tx";
export * as recordTypes from "../../generated/coord/v1/types";
export {
  CaseStatus,
  CommitmentKind,
  ComponentKind,
  EmbargoState,
  InvolvementStatus,
  NoticeKind,
  PartyKind,
  Phase,
  RevisionKind,
} from "../../generated/coord/v1/types";
