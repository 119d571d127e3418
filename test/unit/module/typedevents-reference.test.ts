import * as coordEvents from "../../../src/generated/coord/v1/events";
import * as dcertEvents from "../../../src/generated/dcert/v1/events";
import * as upgradeEvents from "../../../src/generated/dcert/upgrade/v1/events";
import { snakeCase, snakeKeys, typedEventAttributes, type EventCodec } from "../../../src/baseapp/typedevents";

/**
 * The attribute rule written the direct way (snake_case every key of the message's JSON, take each
 * field of the default message, sort): typedEventAttributes precomputes per codec and must agree.
 */
function reference<T>(codec: EventCodec<T>, message: T): [string, string][] {
  const base = codec.fromPartial({} as never) as Record<string, unknown>;
  const json = snakeKeys(codec.toJSON(message)) as Record<string, unknown>;
  const fallback = (v: unknown): unknown => (typeof v === "bigint" ? v.toString() : v === undefined ? null : v);
  const out: [string, string][] = [];
  for (const field of Object.keys(base)) {
    const key = snakeCase(field);
    out.push([key, JSON.stringify(key in json ? json[key] : fallback(base[field]))]);
  }
  return out.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
}

/** A non-default value of the same kind as a default field value. */
function filled(v: unknown): unknown {
  if (typeof v === "string") return "value";
  if (typeof v === "bigint") return 7n;
  if (typeof v === "number") return 3;
  if (typeof v === "boolean") return true;
  if (v instanceof Uint8Array) return Uint8Array.of(1, 2);
  return v;
}

function isCodec(x: unknown): x is EventCodec<unknown> {
  return typeof x === "object" && x !== null && typeof (x as { fromPartial?: unknown }).fromPartial === "function" && typeof (x as { toJSON?: unknown }).toJSON === "function";
}

test("typed event attributes equal the direct rule for every event type, default and filled", () => {
  let checked = 0;
  for (const mod of [coordEvents, dcertEvents, upgradeEvents]) {
    for (const [name, codec] of Object.entries(mod)) {
      if (!name.startsWith("Event") || !isCodec(codec)) continue;
      const empty = codec.fromPartial({} as never);
      expect(typedEventAttributes(codec, empty)).toEqual(reference(codec, empty));
      const full: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(empty as object)) full[k] = filled(v);
      const message = codec.fromPartial(full as never);
      expect(typedEventAttributes(codec, message)).toEqual(reference(codec, message));
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(30);
});
