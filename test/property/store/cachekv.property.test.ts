import fc from "fast-check";

import { CacheKV } from "../../../src/baseapp/store/cachekv";
import { MemoryKV } from "../../../src/baseapp/store/memory";
import { PrefixStore } from "../../../src/baseapp/store/prefix";
import { sortKeyStrings } from "../../../src/baseapp/store/sorted";
import type { KVStore } from "../../../src/baseapp/store/types";

/**
 * Reference model: hex-string keys (hex preserves unsigned byte order), a root map, and branches
 * holding a write map (null = tombstone) over their parent.
 */
interface Model {
  get(k: string): string | undefined;
  entries(): Map<string, string>;
  set(k: string, v: string): void;
  del(k: string): void;
}
class RootModel implements Model {
  readonly data = new Map<string, string>();
  get(k: string): string | undefined {
    return this.data.get(k);
  }
  entries(): Map<string, string> {
    return new Map(this.data);
  }
  set(k: string, v: string): void {
    this.data.set(k, v);
  }
  del(k: string): void {
    this.data.delete(k);
  }
}
class BranchModel implements Model {
  writes = new Map<string, string | null>();
  constructor(readonly parent: Model) {}
  get(k: string): string | undefined {
    const w = this.writes.get(k);
    if (w !== undefined) return w ?? undefined;
    return this.parent.get(k);
  }
  entries(): Map<string, string> {
    const m = this.parent.entries();
    for (const [k, v] of this.writes) {
      if (v === null) m.delete(k);
      else m.set(k, v);
    }
    return m;
  }
  set(k: string, v: string): void {
    this.writes.set(k, v);
  }
  del(k: string): void {
    this.writes.set(k, null);
  }
  write(): void {
    for (const [k, v] of [...this.writes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (v === null) this.parent.del(k);
      else this.parent.set(k, v);
    }
    this.writes = new Map();
  }
}

const hex = (u: Uint8Array): string => Buffer.from(u).toString("hex");
const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, "hex"));

function modelIterate(m: Model, start: string | undefined, end: string | undefined, reverse: boolean, limit?: number): string[] {
  const out = [...m.entries()]
    .filter(([k]) => (start === undefined || k >= start) && (end === undefined || k < end))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`);
  if (reverse) out.reverse();
  return limit === undefined ? out : out.slice(0, limit);
}

function storeIterate(s: KVStore, start: string | undefined, end: string | undefined, reverse: boolean, limit?: number): string[] {
  const out: string[] = [];
  for (const [k, v] of s.iterate(start === undefined ? undefined : unhex(start), end === undefined ? undefined : unhex(end), reverse)) {
    if (limit !== undefined && out.length >= limit) break; // early close of the iterator chain
    out.push(`${hex(k)}=${hex(v)}`);
  }
  return out;
}

// Bytes chosen to hit ordering edge cases (0x00, sign boundary, 0xff).
const byte = fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff);
const key = fc.array(byte, { minLength: 1, maxLength: 3 }).map((a) => hex(Uint8Array.from(a)));
const bound = fc.option(fc.array(byte, { minLength: 0, maxLength: 3 }).map((a) => hex(Uint8Array.from(a))), { nil: undefined });
const value = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 0, maxLength: 3 }).map((a) => hex(Uint8Array.from(a)));
const level = fc.nat(5);

type Op =
  | { op: "set"; level: number; key: string; value: string }
  | { op: "delete"; level: number; key: string }
  | { op: "get"; level: number; key: string }
  | { op: "iterate"; level: number; start: string | undefined; end: string | undefined; reverse: boolean; limit: number | undefined }
  | { op: "branch" }
  | { op: "write"; level: number }
  | { op: "pop" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("set" as const), level, key, value }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("delete" as const), level, key }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("get" as const), level, key }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("iterate" as const),
      level,
      start: bound,
      end: bound,
      reverse: fc.boolean(),
      limit: fc.option(fc.nat(4), { nil: undefined }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("branch" as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("write" as const), level }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("pop" as const) }) },
);

describe("CacheKV agrees with a reference model", () => {
  test("random get/set/delete/iterate/write/branch sequences over nested branches", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 120, size: "large" }), (ops) => {
        const root = new MemoryKV();
        const rootModel = new RootModel();
        const stores: KVStore[] = [root];
        const models: Model[] = [rootModel];
        for (const o of ops) {
          if (o.op === "branch") {
            if (stores.length < 5) {
              stores.push((stores.at(-1) as KVStore) instanceof CacheKV ? (stores.at(-1) as CacheKV).branch() : new CacheKV(root));
              models.push(new BranchModel(models.at(-1) as Model));
            }
            continue;
          }
          if (o.op === "pop") {
            if (stores.length > 1) {
              stores.pop();
              models.pop();
            }
            continue;
          }
          const i = o.level % stores.length;
          const s = stores[i] as KVStore;
          const m = models[i] as Model;
          switch (o.op) {
            case "set":
              s.set(unhex(o.key), unhex(o.value));
              m.set(o.key, o.value);
              break;
            case "delete":
              s.delete(unhex(o.key));
              m.del(o.key);
              break;
            case "get": {
              const got = s.get(unhex(o.key));
              expect(got === undefined ? undefined : hex(got)).toBe(m.get(o.key));
              expect(s.has(unhex(o.key))).toBe(m.get(o.key) !== undefined);
              break;
            }
            case "iterate":
              expect(storeIterate(s, o.start, o.end, o.reverse, o.limit)).toEqual(modelIterate(m, o.start, o.end, o.reverse, o.limit));
              break;
            case "write":
              if (s instanceof CacheKV) {
                s.write();
                (m as BranchModel).write();
                expect(s.size).toBe(0);
              }
              break;
          }
        }
        // Every level agrees on its whole view at the end, both directions.
        for (let i = 0; i < stores.length; i++) {
          const s = stores[i] as KVStore;
          const m = models[i] as Model;
          expect(storeIterate(s, undefined, undefined, false)).toEqual(modelIterate(m, undefined, undefined, false));
          expect(storeIterate(s, undefined, undefined, true)).toEqual(modelIterate(m, undefined, undefined, true));
        }
      }),
      { numRuns: 300 },
    );
  });

  test("write() flushes in ascending key order", () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { minLength: 1, maxLength: 30 }), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), (keys, dels) => {
        const seen: string[] = [];
        const parent: KVStore = {
          get: () => undefined,
          has: () => false,
          set: (k) => void seen.push(hex(k)),
          delete: (k) => void seen.push(hex(k)),
          iterate: function* () {},
        };
        const b = new CacheKV(parent);
        keys.forEach((k, i) => (dels[i] === true ? b.delete(unhex(k)) : b.set(unhex(k), unhex("00"))));
        b.write();
        expect(seen).toEqual([...keys].sort());
      }),
    );
  });

  test("large branches (thousands of keys, shared prefixes) iterate in byte order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 8 }), { minLength: 500, maxLength: 1500 }),
        fc.uint8Array({ minLength: 1, maxLength: 3 }),
        (keys, prefix) => {
          const root = new MemoryKV();
          const block = new CacheKV(root);
          const expected = new Set<string>();
          for (const k of keys) {
            // half of the keys share a prefix, so equal-prefix groups are exercised too
            const full = k[0]! % 2 === 0 ? Uint8Array.from([...prefix, ...k]) : k;
            const tx = block.branch();
            tx.set(full, full);
            tx.write();
            expected.add(hex(full));
          }
          const want = [...expected].sort();
          expect([...block.iterate()].map(([k]) => hex(k))).toEqual(want);
          block.write();
          expect([...root.iterate(undefined, undefined, true)].map(([k]) => hex(k))).toEqual([...want].reverse());
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe("sortKeyStrings", () => {
  test("matches the default string sort (unsigned byte order)", () => {
    const keyStr = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 7 }).map((u) => String.fromCharCode(...u)),
      fc.array(byte, { minLength: 0, maxLength: 7 }).map((a) => String.fromCharCode(...a)),
      // module-style shared prefixes, some keys ending exactly at the prefix
      fc
        .tuple(fc.constantFrom("bank/\x02\x14", "bank/", "dcert/\x11", ""), fc.array(byte, { maxLength: 4 }))
        .map(([p, a]) => p + String.fromCharCode(...a)),
    );
    fc.assert(
      fc.property(fc.oneof(fc.array(keyStr, { maxLength: 600 }), fc.array(keyStr, { minLength: 512, maxLength: 3000 })), (keys) => {
        const a = [...keys];
        sortKeyStrings(a);
        expect(a).toEqual([...keys].sort());
      }),
      { numRuns: 40 },
    );
  });
});

describe("PrefixStore agrees with filtering its parent", () => {
  test("iteration within a prefix equals the parent's keys under it, stripped", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, value), { maxLength: 40, size: "large" }),
        fc.array(byte, { minLength: 0, maxLength: 2 }).map((a) => hex(Uint8Array.from(a))),
        bound,
        bound,
        fc.boolean(),
        (entries, prefix, start, end, reverse) => {
          const parent = new MemoryKV();
          for (const [k, v] of entries) parent.set(unhex(k), unhex(v));
          const ps = new PrefixStore(parent, unhex(prefix));
          const want = [...parent.iterate()]
            .map(([k, v]) => [hex(k), hex(v)] as const)
            .filter(([k]) => k.startsWith(prefix))
            .map(([k, v]) => [k.slice(prefix.length), v] as const)
            .filter(([k]) => (start === undefined || k >= start) && (end === undefined || k < end))
            .map(([k, v]) => `${k}=${v}`);
          if (reverse) want.reverse();
          expect(storeIterate(ps, start, end, reverse)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});
