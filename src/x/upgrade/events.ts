/**
 * Typed events of the upgrade module (proto/dcert/upgrade/v1/events.proto), emitted like the other
 * modules' (baseapp/typedevents.ts): type `dcert.upgrade.v1.<Event>`, one attribute per field,
 * protobuf JSON values.
 */
import type { Context } from "../../baseapp/context";
import { emitTypedEvent, type EventCodec } from "../../baseapp/typedevents";
import * as generated from "../../generated/dcert/upgrade/v1/events";

export const UPGRADE_EVENT_PACKAGE = "dcert.upgrade.v1";

/** Every upgrade event, by message name (the generated module's codecs, without its constants). */
export const UPGRADE_EVENTS = (({ protobufPackage: _package, protobufFileName: _file, ...events }) => events)(generated);

export type UpgradeEventName = keyof typeof UPGRADE_EVENTS;
type EventOf<N extends UpgradeEventName> = (typeof UPGRADE_EVENTS)[N] extends EventCodec<infer T> ? T : never;

/** Emits the typed event `dcert.upgrade.v1.<name>` (fields not given take their protobuf defaults). */
export function emitUpgrade<N extends UpgradeEventName>(ctx: Context, name: N, message: Partial<EventOf<N>>): void {
  const codec = UPGRADE_EVENTS[name] as unknown as EventCodec<EventOf<N>> & { fromPartial(o: Partial<EventOf<N>>): EventOf<N> };
  emitTypedEvent(ctx, UPGRADE_EVENT_PACKAGE, name, codec, codec.fromPartial(message));
}
