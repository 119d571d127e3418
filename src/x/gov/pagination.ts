import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { concat } from "../../baseapp/encoding";
import { ErrInvalidRequest } from "../../baseapp/errors";
import { prefixEnd } from "../../baseapp/store/prefix";
import type { KVStore } from "../../baseapp/store/types";

export const DEFAULT_PAGE_LIMIT = 100n;

/**
 * The SDK's (filtered) pagination over the entries under `prefix`: `key` resumes where a previous
 * page's `nextKey` pointed (relative to the prefix), otherwise `offset` matching entries are
 * skipped. `select` returns undefined for entries a filter rejects; they are not counted.
 * `total` is filled when `countTotal` is set and no key was given.
 */
export function paginate<T>(
  store: KVStore,
  prefix: Uint8Array,
  req: PageRequest | undefined,
  select: (key: Uint8Array, value: Uint8Array) => T | undefined,
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
