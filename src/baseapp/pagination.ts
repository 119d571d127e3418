/**
 * The one pagination helper of the query servers: the Cosmos SDK's (filtered) `Paginate` over an
 * ordered key/value source. Stores are such sources directly (`paginate`); a list a query has
 * already computed and ordered is one whose keys are its positions (`paginateList`).
 */
import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { concat, readU64be, u64be } from "./encoding";
import { ErrInvalidRequest } from "./errors";
import { prefixEnd } from "./store/prefix";

export const DEFAULT_PAGE_LIMIT = 100n;

/** What pagination reads: entries in key order (a KVStore is one). */
export interface OrderedSource<V> {
  iterate(start?: Uint8Array, end?: Uint8Array, reverse?: boolean): Iterable<[Uint8Array, V]>;
}

/**
 * The SDK's (filtered) pagination over the entries under `prefix`: `key` resumes where a previous
 * page's `nextKey` pointed (relative to the prefix), otherwise `offset` matching entries are
 * skipped. `select` returns undefined for entries a filter rejects; they are not counted.
 * `total` is filled when `countTotal` is set and no key was given.
 */
export function paginate<T, V = Uint8Array>(
  store: OrderedSource<V>,
  prefix: Uint8Array,
  req: PageRequest | undefined,
  select: (key: Uint8Array, value: V) => T | undefined,
): { items: T[]; pagination: PageResponse } {
  const key = req?.key ?? new Uint8Array();
  const offset = req?.offset ?? 0n;
  const limit = req?.limit === undefined || req.limit === 0n ? DEFAULT_PAGE_LIMIT : req.limit;
  const reverse = req?.reverse ?? false;
  const countTotal = req?.countTotal ?? false;
  if (key.length > 0 && offset > 0n) throw ErrInvalidRequest.wrap("pagination: set either key or offset, not both");

  let start: Uint8Array | undefined = prefix;
  let end: Uint8Array | undefined = prefixEnd(prefix);
  if (key.length > 0) {
    if (reverse) end = concat(prefix, key, Uint8Array.of(0));
    else start = concat(prefix, key);
  }
  const items: T[] = [];
  let nextKey = new Uint8Array();
  let matched = 0n;
  for (const [k, v] of store.iterate(start, end, reverse)) {
    const item = select(k.subarray(prefix.length), v);
    if (item === undefined) continue;
    matched += 1n;
    if (key.length === 0 && matched <= offset) continue;
    if (BigInt(items.length) < limit) {
      items.push(item);
      continue;
    }
    if (nextKey.length === 0) nextKey = k.slice(prefix.length);
    if (!countTotal || key.length > 0) break;
  }
  const total = countTotal && key.length === 0 ? matched : 0n;
  return { items, pagination: { nextKey, total } };
}

/** Largest page `paginateList` serves. */
export const MAX_LIST_PAGE_LIMIT = 1000n;

/**
 * A list read forwards (positions 0, 1, ... as 8-byte big-endian keys). Only what `paginate`
 * asks of it: a start of no key or one position key, no end, forwards.
 */
function listSource<T>(items: readonly T[]): OrderedSource<T> {
  return {
    *iterate(start?: Uint8Array): Iterable<[Uint8Array, T]> {
      const from = start === undefined || start.length === 0 ? 0 : Number(readU64be(start));
      for (let i = from; i < items.length; i++) yield [u64be(BigInt(i)), items[i] as T];
    },
  };
}

/**
 * Pagination over an already ordered list: `paginate` over the list (reversed when asked) keyed by
 * position, so `next_key` is an opaque 8-byte position (pass it back as `pagination.key`). The
 * limit is capped at 1000, and `total` (when `count_total` is set) is the list's length whether
 * or not a key was given.
 */
export function paginateList<T>(items: readonly T[], req: PageRequest | undefined): { page: T[]; pagination: PageResponse } {
  if (req !== undefined && req.key.length > 0) {
    if (req.key.length !== 8) throw ErrInvalidRequest.wrap("invalid pagination key; pass back the next_key of the previous page");
    if (req.offset > 0n) throw ErrInvalidRequest.wrap("either offset or key may be set in pagination, not both");
  }
  const limit = req?.limit ?? 0n;
  const ordered = req?.reverse === true ? [...items].reverse() : items;
  const forward: PageRequest | undefined =
    req === undefined ? undefined : { ...req, limit: limit > MAX_LIST_PAGE_LIMIT ? MAX_LIST_PAGE_LIMIT : limit, reverse: false, countTotal: false };
  const { items: page, pagination } = paginate(listSource(ordered), new Uint8Array(), forward, (_k, v) => v);
  return { page, pagination: { nextKey: pagination.nextKey, total: req?.countTotal === true ? BigInt(items.length) : 0n } };
}
