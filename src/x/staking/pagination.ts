import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { readU64be, u64be } from "../../baseapp/encoding";
import { ErrInvalidRequest } from "../../baseapp/errors";

export const DEFAULT_PAGE_LIMIT = 100;
const MAX_PAGE_LIMIT = 1000;

/**
 * Offset/limit pagination over an already ordered list. `next_key` is an opaque 8-byte position
 * (pass it back as `pagination.key`); `total` is filled when `count_total` is set.
 */
export function paginate<T>(items: readonly T[], req: PageRequest | undefined): { page: T[]; pagination: PageResponse } {
  const limitReq = req?.limit ?? 0n;
  const limit = limitReq === 0n ? DEFAULT_PAGE_LIMIT : Number(limitReq > BigInt(MAX_PAGE_LIMIT) ? MAX_PAGE_LIMIT : limitReq);
  let start: number;
  if (req !== undefined && req.key.length > 0) {
    if (req.key.length !== 8) throw ErrInvalidRequest.wrap("invalid pagination key; pass back the next_key of the previous page");
    if (req.offset > 0n) throw ErrInvalidRequest.wrap("either offset or key may be set in pagination, not both");
    start = Number(readU64be(req.key));
  } else {
    start = Number(req?.offset ?? 0n);
  }
  const ordered = req?.reverse === true ? [...items].reverse() : items;
  const page = ordered.slice(start, start + limit);
  const end = start + page.length;
  return {
    page,
    pagination: {
      nextKey: end < ordered.length ? u64be(BigInt(end)) : new Uint8Array(),
      total: req?.countTotal === true ? BigInt(items.length) : 0n,
    },
  };
}
