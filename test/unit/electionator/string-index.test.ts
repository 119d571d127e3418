/**
 * The engine's address index: a Map from strings to ids, whatever the keys, the order of changes
 * and the probe limit; crafted collisions stay correct and go to the overflow.
 */
import fc from "fast-check";
import { StringIndex, addressHash } from "../../../src/x/dcert/electionator/string-index";

/** Keys whose hashes agree on their low `bits` bits (they share a home slot in tables up to 2^bits). */
function colliding(count: number, bits: number): string[] {
  const mask = (1 << bits) - 1;
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const k = `dcert1crafted${i}`;
    if ((addressHash(k) & mask) === 7) out.push(k);
  }
  return out;
}

describe("addressHash", () => {
  test("reads every one of the last 16 code units, whatever the length's parity, and nothing before them", () => {
    for (const length of [1, 2, 3, 15, 16, 17, 43, 44]) {
      const base = "dcert1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqy5k3k2w".slice(0, length).padEnd(length, "q");
      const h = addressHash(base);
      for (let i = 0; i < length; i++) {
        const changed = base.slice(0, i) + (base[i] === "z" ? "y" : "z") + base.slice(i + 1);
        // FNV-style steps are injective in each word, so one changed unit in the tail changes the hash.
        if (i >= length - 16) expect([i, addressHash(changed)]).not.toEqual([i, h]);
        else expect([i, addressHash(changed)]).toEqual([i, h]);
      }
      expect(addressHash(base + "q")).not.toBe(h); // the length counts
    }
  });
});

describe("StringIndex", () => {
  test("behaves as a Map under random sets, deletes and lookups, and keeps its invariants", () => {
    const key = fc.oneof(fc.constantFrom("", "a", "b", "dcert1x", "dcert1y", "ü", "a\u0000"), fc.string({ maxLength: 6 }));
    const op = fc.oneof(
      fc.record({ t: fc.constant("set" as const), key, value: fc.nat(0x7fffffff) }),
      fc.record({ t: fc.constant("delete" as const), key }),
      fc.record({ t: fc.constant("get" as const), key }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), fc.constantFrom(1, 2, 3, 32), (ops, maxProbe) => {
        const index = new StringIndex({ maxProbe });
        const model = new Map<string, number>();
        for (const o of ops) {
          if (o.t === "set") {
            index.set(o.key, o.value);
            model.set(o.key, o.value);
          } else if (o.t === "delete") {
            expect(index.delete(o.key)).toBe(model.delete(o.key));
          } else {
            expect(index.get(o.key)).toBe(model.get(o.key));
            expect(index.has(o.key)).toBe(model.has(o.key));
          }
          expect(index.size).toBe(model.size);
        }
        expect(index.check()).toBeNull();
        for (const [k, v] of model) expect(index.get(k)).toBe(v);
        expect(new Map(index.entryList())).toEqual(model);
        expect(index.keyList().sort()).toEqual([...model.keys()].sort());
      }),
      { numRuns: 300 },
    );
  });

  test("keys crafted onto one home slot past the probe limit go to the overflow and stay found", () => {
    const keys = colliding(120, 12);
    // (Their low 12 bits agree, so they share a home slot at every size this index reaches.)
    const index = new StringIndex();
    keys.forEach((k, i) => index.set(k, i));
    expect(index.size).toBe(120);
    // At most the probe limit (32) of them sit in the table; the rest wait in the overflow.
    expect(index.overflowSize).toBeGreaterThanOrEqual(120 - 32);
    expect(index.check()).toBeNull();
    keys.forEach((k, i) => expect(index.get(k)).toBe(i));
    // Deleting table keys frees probe slots; overflow keys stay found, and re-setting one updates it.
    for (let i = 0; i < keys.length; i += 2) expect(index.delete(keys[i]!)).toBe(true);
    expect(index.check()).toBeNull();
    keys.forEach((k, i) => expect(index.get(k)).toBe(i % 2 === 0 ? undefined : i));
    index.set(keys[119]!, 5);
    expect(index.get(keys[119]!)).toBe(5);
    expect(index.size).toBe(60);
    expect(index.check()).toBeNull();
  });

  test("grows and shrinks with its keys", () => {
    const index = new StringIndex();
    for (let i = 0; i < 5_000; i++) index.set(`k${i}`, i);
    expect(index.check()).toBeNull();
    for (let i = 0; i < 5_000; i++) if (i % 10 !== 0) index.delete(`k${i}`);
    expect(index.size).toBe(500);
    expect(index.check()).toBeNull();
    for (let i = 0; i < 5_000; i += 10) expect(index.get(`k${i}`)).toBe(i);
  });

  test("refuses values outside [0, 2^31)", () => {
    const index = new StringIndex();
    expect(() => index.set("a", -1)).toThrow(RangeError);
    expect(() => index.set("a", 2 ** 31)).toThrow(RangeError);
    expect(() => index.set("a", 1.5)).toThrow(RangeError);
    expect(index.size).toBe(0);
  });
});
