/**
 * snakeKeys returns values it need not change as they are; what it returns must still serialize
 * exactly as a full snake_case copy does (the rule written the direct way below).
 */
import fc from "fast-check";
import { snakeKeys } from "../../../src/baseapp/typedevents";

function copyRule(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyRule);
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = copyRule(x);
    return out;
  }
  return v;
}

const key = fc.constantFrom("candidate", "share", "fooBar", "foo_bar", "aB", "x", "voterAddress", "height");
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 5 }),
  object: fc.dictionary(key, tie("value"), { maxKeys: 5 }),
})).value;

test("serializes as a full snake_case copy, and leaves the input unchanged", () => {
  fc.assert(
    fc.property(json, (v) => {
      const before = JSON.stringify(v);
      expect(JSON.stringify(snakeKeys(v))).toBe(JSON.stringify(copyRule(v)));
      expect(JSON.stringify(v)).toBe(before);
    }),
    { numRuns: 2000 },
  );
});

test("returns an already snake_case value itself, and copies one that changes", () => {
  const entries = [{ candidate: "a", share: "1" }, { candidate: "b", share: "2" }];
  expect(snakeKeys(entries)).toBe(entries);
  const mixed = [{ candidate: "a" }, { voterAddress: "v" }];
  const out = snakeKeys(mixed) as unknown[];
  expect(out).not.toBe(mixed);
  expect(out[0]).toBe(mixed[0]);
  expect(out[1]).toEqual({ voter_address: "v" });
});
