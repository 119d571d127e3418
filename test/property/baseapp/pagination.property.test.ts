/**
 * The one pagination helper (src/baseapp/pagination.ts) against the two it replaced: gov's store
 * pagination and staking's list pagination give identical pages, next keys, totals and errors.
 */
import fc from "fast-check";
import type { PageRequest } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { ChainError } from "../../../src/baseapp/errors";
import { paginate, paginateList } from "../../../src/baseapp/pagination";
import { MemoryKV } from "../../../src/baseapp/store/memory";
import { paginate as oldStore } from "../../../src/x/gov/pagination";
import { paginate as oldList } from "../../../src/x/staking/pagination";

function outcome<T>(f: () => T): T | [string, number, string] {
  try {
    return f();
  } catch (e) {
    if (e instanceof ChainError) return [e.codespace, e.code, e.message];
    throw e;
  }
}

const u64 = fc.oneof(fc.bigInt({ min: 0n, max: 12n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));
const key = fc.oneof(
  fc.constant(new Uint8Array()),
  fc.uint8Array({ minLength: 1, maxLength: 10 }),
  fc.bigInt({ min: 0n, max: 12n }).map((n) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, n); return b; }),
);
const request: fc.Arbitrary<PageRequest | undefined> = fc.option(
  fc.record({ key, offset: fc.oneof(fc.constant(0n), u64), limit: fc.oneof(fc.constant(0n), u64), countTotal: fc.boolean(), reverse: fc.boolean() }),
  { nil: undefined },
);

test("paginateList equals staking's list pagination", () => {
  fc.assert(
    fc.property(fc.array(fc.integer(), { maxLength: 15 }), request, (items, req) => {
      expect(outcome(() => paginateList(items, req))).toEqual(outcome(() => oldList(items, req)));
    }),
    { numRuns: 3000 },
  );
});

test("paginate equals gov's store pagination", () => {
  const entries = fc.uniqueArray(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 3 }), fc.uint8Array({ maxLength: 2 })), { selector: ([k]) => Buffer.from(k).toString("hex"), maxLength: 20 });
  fc.assert(
    fc.property(entries, fc.uint8Array({ maxLength: 1 }), request, fc.integer({ min: 0, max: 3 }), (kvs, prefix, req, mod) => {
      const kv = new MemoryKV();
      for (const [k, v] of kvs) kv.set(k, v);
      const select = (k: Uint8Array, v: Uint8Array) => (mod > 0 && v.length % mod === 0 ? undefined : [Buffer.from(k).toString("hex"), v.length]);
      expect(outcome(() => paginate(kv, prefix, req, select))).toEqual(outcome(() => oldStore(kv, prefix, req, select)));
    }),
    { numRuns: 3000 },
  );
});
