/**
 * Typed events of the coordination module (proto/coord/v1/events.proto), emitted like the dCERT's
 * (baseapp/typedevents.ts): type `coord.v1.<Event>`, one attribute per field, protobuf JSON values.
 * No event carries anything its message did not carry in clear.
 */
import type { Context } from "../../baseapp/context";
import { emitTypedEvent, type EventCodec } from "../../baseapp/typedevents";
import * as generated from "../../generated/coord/v1/events";

export const COORD_EVENT_PACKAGE = "coord.v1";

/** Every coordination event, by message name (the generated module's codecs, without its constants). */
export const COORD_EVENTS = (({ protobufPackage: _package, protobufFileName: _file, ...events }) => events)(generated);

export type CoordEventName = keyof typeof COORD_EVENTS;
type EventOf<N extends CoordEventName> = (typeof COORD_EVENTS)[N] extends EventCodec<infer T> ? T : never;

/** Emits the typed event `coord.v1.<name>` (fields not given take their protobuf defaults). */
export function emitCoord<N extends CoordEventName>(ctx: Context, name: N, message: Partial<EventOf<N>>): void {
  const codec = COORD_EVENTS[name] as unknown as EventCodec<EventOf<N>> & { fromPartial(o: Partial<EventOf<N>>): EventOf<N> };
  emitTypedEvent(ctx, COORD_EVENT_PACKAGE, name, codec, codec.fromPartial(message));
}
