import { TwoGenerationCache } from "./generations";

/**
 * A bounded cache of store values by key string, for the committed view's point reads
 * (`LmdbStateView`): a `TwoGenerationCache` weighing key and value bytes, each generation half
 * the budget, so memory stays under the budget (plus per-entry overhead). `null` caches "absent"
 * (a miss is as costly to learn as a value). Only reads and the node's memory depend on it,
 * never a result: callers must `delete` a key before its stored value changes, or `set` the new
 * value once the change is durable and no read can see an older one.
 */
export class ReadCache extends TwoGenerationCache<string, Uint8Array | null> {
  /** `budgetBytes`: about the most key and value bytes both generations hold together. */
  constructor(budgetBytes: number) {
    super(Math.max(1, Math.floor(budgetBytes / 2)), sizeOf);
  }
}

function sizeOf(key: string, value: Uint8Array | null): number {
  return key.length + (value === null ? 0 : value.length);
}
