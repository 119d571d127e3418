/**
 * The one pagination helper (src/baseapp/pagination.ts), against a model: a page is the slice of
 * the selected entries (in key order, or reversed) at the offset, `next_key` names the first entry
 * after it, and following next keys walks every selected entry exactly once. `paginateList` keeps
 * the list pagination staking had (8-byte position keys, limit capped at 1000). Both were checked
 * against the two helpers they replaced (x/gov and x/staking pagination.ts) before those went.
 */
import fc from "fast-check";
import type { PageRequest } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { ChainError } from "../../../src/baseapp/errors";
import { paginate, paginateList } from "../../../src/baseapp/pagination";
import { MemoryKV } from "../../../src/baseapp/store/memory";

function outcome<T>(f: () => T): T | [string, number, string] {
  try {
    return f();
  } catch (e) {
    if (e instanceof ChainError) return [e.codespace, e.code, e.message];
    throw e;
  }
}

function u64key(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
}

const u64 = fc.oneof(fc.bigInt({ min: 0n, max: 12n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));
const key = fc.oneof(fc.constant(new Uint8Array()), fc.uint8Array({ minLength: 1, maxLength: 10 }), fc.bigInt({ min: 0n, max: 12n }).map(u64key));
const request: fc.Arbitrary<PageRequest | undefined> = fc.option(
  fc.record({ key, offset: fc.oneof(fc.constant(0n), u64), limit: fc.oneof(fc.constant(0n), u64), countTotal: fc.boolean(), reverse: fc.boolean() }),
  { nil: undefined },
);

/** Staking's list pagination as it was, the model of paginateList. */
function listModel<T>(items: readonly T[], req: PageRequest | undefined) {
  const limitReq = req?.limit ?? 0n;
  const limit = limitReq === 0n ? 100 : Number(limitReq > 1000n ? 1000n : limitReq);
  let start: number;
  if (req !== undefined && req.key.length > 0) {
    if (req.key.length !== 8) throw new ChainError("sdk", 18, "invalid pagination key; pass back the next_key of the previous page: invalid request");
    if (req.offset > 0n) throw new ChainError("sdk", 18, "either offset or key may be set in pagination, not both: invalid request");
    start = Number(new DataView(req.key.buffer, req.key.byteOffset, 8).getBigUint64(0));
  } else {
    start = Number(req?.offset ?? 0n);
  }
  const ordered = req?.reverse === true ? [...items].reverse() : items;
  const page = ordered.slice(start, start + limit);
  const end = start + page.length;
  return { page, pagination: { nextKey: end < ordered.length ? u64key(BigInt(end)) : new Uint8Array(), total: req?.countTotal === true ? BigInt(items.length) : 0n } };
}

test("paginateList: staking's list pagination", () => {
  fc.assert(
    fc.property(fc.array(fc.integer(), { maxLength: 15 }), request, (items, req) => {
      expect(outcome(() => paginateList(items, req))).toEqual(outcome(() => listModel(items, req)));
    }),
    { numRuns: 2000 },
  );
});

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const entries = fc.uniqueArray(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 3 }), fc.uint8Array({ maxLength: 2 })), { selector: ([k]) => hex(k), maxLength: 20 });

function setup(kvs: [Uint8Array, Uint8Array][], prefix: Uint8Array, mod: number) {
  const kv = new MemoryKV();
  for (const [k, v] of kvs) kv.set(k, v);
  const select = (k: Uint8Array, v: Uint8Array) => (mod > 0 && v.length % mod === 0 ? undefined : `${hex(k)}/${v.length}`);
  const selected = [...kvs]
    .filter(([k]) => hex(k).startsWith(hex(prefix)))
    .sort(([a], [b]) => Buffer.compare(a, b))
    .map(([k, v]) => ({ rel: k.slice(prefix.length), item: select(k.slice(prefix.length), v) }))
    .filter((e): e is { rel: Uint8Array<ArrayBuffer>; item: string } => e.item !== undefined);
  return { kv, select, selected };
}

test("paginate: a page is the slice at the offset of the selected entries, with the next one's key", () => {
  fc.assert(
    fc.property(entries, fc.uint8Array({ maxLength: 1 }), fc.integer({ min: 0, max: 3 }), u64, u64, fc.boolean(), fc.boolean(), (kvs, prefix, mod, offset, limitReq, reverse, countTotal) => {
      const { kv, select, selected } = setup(kvs, prefix, mod);
      const ordered = reverse ? [...selected].reverse() : selected;
      const limit = limitReq === 0n ? 100n : limitReq;
      const from = offset > BigInt(ordered.length) ? ordered.length : Number(offset);
      const to = BigInt(from) + limit > BigInt(ordered.length) ? ordered.length : from + Number(limit);
      const got = paginate(kv, prefix, { key: new Uint8Array(), offset, limit: limitReq, reverse, countTotal }, select);
      expect(got.items).toEqual(ordered.slice(from, to).map((e) => e.item));
      expect(got.pagination.nextKey).toEqual(ordered[to]?.rel ?? new Uint8Array());
      expect(got.pagination.total).toBe(countTotal ? BigInt(ordered.length) : 0n);
    }),
    { numRuns: 1000 },
  );
});

test("paginate: following next keys walks every selected entry once; key and offset together are refused", () => {
  fc.assert(
    fc.property(entries, fc.uint8Array({ maxLength: 1 }), fc.integer({ min: 0, max: 3 }), fc.bigInt({ min: 1n, max: 4n }), fc.boolean(), (kvs, prefix, mod, limit, reverse) => {
      const { kv, select, selected } = setup(kvs, prefix, mod);
      const walked: string[] = [];
      let next: Uint8Array = new Uint8Array();
      do {
        const p = paginate(kv, prefix, { key: next, offset: 0n, limit, reverse, countTotal: true }, select);
        expect(p.pagination.total).toBe(next.length === 0 ? BigInt(selected.length) : 0n);
        walked.push(...p.items);
        next = p.pagination.nextKey;
      } while (next.length > 0);
      expect(walked).toEqual((reverse ? [...selected].reverse() : selected).map((e) => e.item));
      expect(outcome(() => paginate(kv, prefix, { key: Uint8Array.of(1), offset: 1n, limit, reverse, countTotal: false }, select))).toEqual([
        "sdk",
        18,
        "pagination: set either key or offset, not both: invalid request",
      ]);
    }),
    { numRuns: 1000 },
  );
});
