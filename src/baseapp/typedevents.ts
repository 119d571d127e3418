/**
 * Typed events emitted as ABCI events the way the Cosmos SDK's `EmitTypedEvent` does: type = full
 * message name (`<proto package>.<message>`), one attribute per field (snake_case, sorted), each
 * value the field's protobuf JSON (strings quoted, uint64 as a quoted decimal, defaults included,
 * nested messages as objects). Package-agnostic: each module binds its proto package
 * (x/dcert/events.ts, x/coord/events.ts).
 */
import type { Context } from "./context";

/** What emitting needs from a generated message type. */
export interface EventCodec<T> {
  toJSON(message: T): unknown;
  fromPartial(object: never): T;
}

/** camelCase → snake_case, as protobuf's original field names. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Recursively renames object keys to snake_case (arrays and scalars pass through). */
export function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[snakeCase(k)] = snakeKeys(x);
    return out;
  }
  return v;
}

function defaultJson(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v === undefined) return null;
  return v;
}

/** The ABCI attributes of a typed event (exported for tests and clients that parse them). */
export function typedEventAttributes<T>(codec: EventCodec<T>, message: T): [string, string][] {
  const base = codec.fromPartial({} as never) as Record<string, unknown>;
  const json = snakeKeys(codec.toJSON(message)) as Record<string, unknown>;
  const out: [string, string][] = [];
  for (const field of Object.keys(base)) {
    const key = snakeCase(field);
    const value = key in json ? json[key] : defaultJson(base[field]);
    out.push([key, JSON.stringify(value)]);
  }
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Emits `message` as the typed event `<pkg>.<name>`. */
export function emitTypedEvent<T>(ctx: Context, pkg: string, name: string, codec: EventCodec<T>, message: T): void {
  ctx.events.emit(`${pkg}.${name}`, typedEventAttributes(codec, message));
}
