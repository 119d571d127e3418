/**
 * The runtime's caches (src/baseapp/perf.ts, store/generations.ts): a cache may only change speed
 * and memory, never an answer, so each is checked against the plain computation it stands for.
 */
import fc from "fast-check";
import { BoundedMemo, DecodeMemo, TwoGenerationCache } from "../../src/baseapp/perf";

describe("TwoGenerationCache", () => {
  test("answers like a map of what it still holds, never more than two generations' weight", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("set" as const), key: fc.integer({ min: 0, max: 30 }), value: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ kind: fc.constant("get" as const), key: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant("delete" as const), key: fc.integer({ min: 0, max: 30 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(op, { maxLength: 200 }), (generation, ops) => {
        const weigh = (_k: number, v: number): number => v; // weight 0 … 9
        const cache = new TwoGenerationCache<number, number>(generation, weigh);
        const truth = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === "set") {
            cache.set(o.key, o.value);
            truth.set(o.key, o.value);
          } else if (o.kind === "delete") {
            cache.delete(o.key);
            truth.delete(o.key);
          } else {
            const got = cache.get(o.key);
            // Evicted is fine; a value other than the last one set is not.
            if (got !== undefined) expect(got).toBe(truth.get(o.key));
          }
          expect(cache.size).toBeLessThanOrEqual(truth.size);
        }
      }),
    );
  });

  test("keeps the newest generation and a hot entry across a rotation; drops what is heavier than a generation", () => {
    const cache = new TwoGenerationCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3); // rotation: {a, b} become old
    expect(cache.get("a")).toBe(1); // hot: back in the young generation
    cache.set("d", 4); // rotation: {c, a} old, {b} dropped
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    const bytes = new TwoGenerationCache<string, string>(4, (k, v) => k.length + v.length);
    bytes.set("k", "too long");
    expect(bytes.get("k")).toBeUndefined();
  });
});

describe("BoundedMemo", () => {
  test("returns what the computation returns, computing again only what was evicted", () => {
    let calls = 0;
    const memo = new BoundedMemo((n: number) => {
      calls++;
      return n * n;
    }, 4);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 100 }), (xs) => {
        for (const x of xs) expect(memo.get(x)).toBe(x * x);
      }),
    );
    calls = 0;
    memo.get(7);
    memo.get(7);
    expect(calls).toBeLessThanOrEqual(1);
  });
});

describe("DecodeMemo", () => {
  const decode = (raw: Uint8Array): { sum: number; parts: number[] } => ({ sum: raw.reduce((a, b) => a + b, 0), parts: [...raw] });

  test("decodes each byte array once and shares the value, frozen all the way down", () => {
    let calls = 0;
    const memo = new DecodeMemo((raw: Uint8Array) => {
      calls++;
      return decode(raw);
    });
    const raw = Uint8Array.of(1, 2, 3);
    const a = memo.get(raw);
    expect(memo.get(raw)).toBe(a);
    expect(calls).toBe(1);
    expect(Object.isFrozen(a) && Object.isFrozen(a.parts)).toBe(true);
    expect(() => a.parts.push(4)).toThrow(TypeError);
  });

  test("keys by identity, not content: equal bytes in another array are decoded on their own", () => {
    const memo = new DecodeMemo(decode);
    const a = memo.get(Uint8Array.of(5));
    const b = memo.get(Uint8Array.of(5));
    expect(b).not.toBe(a);
    expect(b).toEqual(a);
  });

  test("unfrozen on request (readonly types on hot paths), shared all the same", () => {
    const memo = new DecodeMemo(decode, false);
    const raw = Uint8Array.of(1);
    const a = memo.get(raw);
    expect(memo.get(raw)).toBe(a);
    expect(Object.isFrozen(a)).toBe(false);
  });

  test("a writer's remembered value is what readers of those bytes get, frozen", () => {
    const memo = new DecodeMemo(decode);
    const raw = Uint8Array.of(9, 9);
    const value = { sum: 18, parts: [9, 9] };
    memo.remember(raw, value);
    expect(memo.get(raw)).toBe(value);
    expect(Object.isFrozen(value.parts)).toBe(true);
  });
});
