/**
 * SortedKeyMap (the ordered key set under every CacheKV and MemoryKV) against a plain model:
 * after any sequence of sets and deletes, every range view lists exactly the live keys in the
 * range, ascending, once each; and a view handed out earlier never changes afterwards. With
 * small and large limits on the recent tier, so both its merge paths run.
 */
import fc from "fast-check";
import { SortedKeyMap } from "../../../src/baseapp/store/sorted";

type Op = { kind: "set"; key: string } | { kind: "delete"; key: string } | { kind: "range"; a: string; b: string } | { kind: "all" };

const key = fc.string({ unit: fc.constantFrom("\u0000", "\u0001", "a", "b", "\u00ff"), minLength: 1, maxLength: 4 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: key.map((k) => ({ kind: "set" as const, key: k })) },
  { weight: 2, arbitrary: key.map((k) => ({ kind: "delete" as const, key: k })) },
  { weight: 2, arbitrary: fc.tuple(key, key).map(([a, b]) => ({ kind: "range" as const, a, b })) },
  { weight: 1, arbitrary: fc.constant({ kind: "all" as const }) },
);

function slice(view: { keys: readonly string[]; lo: number; hi: number }): string[] {
  return view.keys.slice(view.lo, view.hi);
}

test("range views and full order match the model; handed-out views stay as they were", () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 1500 }), fc.constantFrom(0, 1, 4, 512), (ops, recentMax) => {
      const m = new SortedKeyMap<number>(recentMax);
      const model = new Set<string>();
      const handed: { copy: string[]; view: { keys: readonly string[]; lo: number; hi: number } }[] = [];
      let n = 0;
      for (const o of ops) {
        if (o.kind === "set") {
          m.set(o.key, n++);
          model.add(o.key);
        } else if (o.kind === "delete") {
          expect(m.delete(o.key)).toBe(model.delete(o.key));
        } else {
          const [a, b] = o.kind === "all" ? [undefined, undefined] : [o.a, o.b];
          const view = o.kind === "all" ? { keys: m.sortedKeys(), lo: 0, hi: m.sortedKeys().length } : m.range(a, b);
          const want = [...model].filter((k) => (a === undefined || k >= a) && (b === undefined || k < b)).sort();
          expect(slice(view)).toEqual(want);
          handed.push({ copy: slice(view), view });
        }
        expect(m.size).toBe(model.size);
      }
      for (const h of handed) expect(slice(h.view)).toEqual(h.copy);
      expect([...m.sortedKeys()]).toEqual([...model].sort());
    }),
    { numRuns: 150 },
  );
});
