/**
 * Typed events (proto/dcert/v1/events.proto) emitted as ABCI events the way the Cosmos SDK's
 * `EmitTypedEvent` does (the package-agnostic part is baseapp/typedevents.ts): type = full message
 * name, one attribute per field (snake_case, sorted), each value the field's protobuf JSON.
 */
import type { Context } from "../../baseapp/context";
import { type EventCodec, emitTypedEvent } from "../../baseapp/typedevents";

export { type EventCodec, snakeCase, snakeKeys, typedEventAttributes } from "../../baseapp/typedevents";

const PACKAGE = "dcert.v1";

/** Emits `message` as the typed event `dcert.v1.<name>`. */
export function emitTyped<T>(ctx: Context, name: string, codec: EventCodec<T>, message: T): void {
  emitTypedEvent(ctx, PACKAGE, name, codec, message);
}

/**
 * `dcert.v1.EventCircuitRestored`: an upgrade handler restored every broken route (ADR 008). Not
 * yet in proto/dcert/v1/events.proto (the proto contract is the lead's), so its codec is written
 * here; the attributes follow the typed-event form: `routes` (a JSON array) and `upgrade` (the
 * plan's name, a JSON string).
 */
export interface EventCircuitRestored {
  routes: string[];
  upgrade: string;
}

export const EventCircuitRestored: EventCodec<EventCircuitRestored> = {
  toJSON: (m) => ({ routes: [...m.routes], upgrade: m.upgrade }),
  fromPartial: (o: never) => {
    const p = o as Partial<EventCircuitRestored>;
    return { routes: [...(p.routes ?? [])], upgrade: p.upgrade ?? "" };
  },
};
