/**
 * Typed events of the coordination module (proto/coord/v1/events.proto), emitted like the dCERT's
 * (baseapp/typedevents.ts): type `coord.v1.<Event>`, one attribute per field, protobuf JSON values.
 * No event carries anything its message did not carry in clear.
 */
import type { Context } from "../../baseapp/context";
import { emitTypedEvent, type EventCodec } from "../../baseapp/typedevents";
import {
  EventPartyRegistered,
  EventPartyUpdated,
  EventPartyWithdrawn,
  EventCaseOpened,
  EventCaseJoined,
  EventCommitment,
  EventCaseStatusChanged,
  EventCaseEscalated,
  EventRevisionProposed,
  EventRevisionApproved,
  EventRevisionApplied,
  EventRevisionExpired,
  EventPhaseReached,
  EventCaseOverdue,
  EventNoticeSent,
  EventInputSubmitted,
  EventAcknowledged,
  EventInvolvementUpdated,
  EventItemRevealed,
  EventCaseDisclosed,
  EventDisclosureCheckDone,
  EventCaseCited,
  EventCaseClosed,
  EventParamsUpdated,
} from "../../generated/coord/v1/events";

export const COORD_EVENT_PACKAGE = "coord.v1";

/** Every coordination event, by message name. */
export const COORD_EVENTS = {
  EventPartyRegistered,
  EventPartyUpdated,
  EventPartyWithdrawn,
  EventCaseOpened,
  EventCaseJoined,
  EventCommitment,
  EventCaseStatusChanged,
  EventCaseEscalated,
  EventRevisionProposed,
  EventRevisionApproved,
  EventRevisionApplied,
  EventRevisionExpired,
  EventPhaseReached,
  EventCaseOverdue,
  EventNoticeSent,
  EventInputSubmitted,
  EventAcknowledged,
  EventInvolvementUpdated,
  EventItemRevealed,
  EventCaseDisclosed,
  EventDisclosureCheckDone,
  EventCaseCited,
  EventCaseClosed,
  EventParamsUpdated,
} as const;

export type CoordEventName = keyof typeof COORD_EVENTS;
type EventOf<N extends CoordEventName> = (typeof COORD_EVENTS)[N] extends EventCodec<infer T> ? T : never;

/** Emits the typed event `coord.v1.<name>` (fields not given take their protobuf defaults). */
export function emitCoord<N extends CoordEventName>(ctx: Context, name: N, message: Partial<EventOf<N>>): void {
  const codec = COORD_EVENTS[name] as unknown as EventCodec<EventOf<N>> & { fromPartial(o: Partial<EventOf<N>>): EventOf<N> };
  emitTypedEvent(ctx, COORD_EVENT_PACKAGE, name, codec, codec.fromPartial(message));
}
