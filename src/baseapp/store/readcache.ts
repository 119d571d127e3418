/**
 * A bounded cache of store values by key string, for the committed view's point reads
 * (`LmdbStateView`). Two generations: hits and new entries go to the young one; when the young
 * one holds half the byte budget it becomes the old one and the previous old one is dropped. So
 * hot keys survive a rotation, memory stays under the budget (plus per-entry overhead), and no
 * entry needs a recency list. `null` caches "absent" (a miss is as costly to learn as a value).
 * Only reads and the node's memory depend on it, never a result: callers must `delete` a key
 * before its stored value changes.
 */
export class ReadCache {
  private young = new Map<string, Uint8Array | null>();
  private old = new Map<string, Uint8Array | null>();
  private youngBytes = 0;
  private readonly generationBytes: number;

  /** `budgetBytes`: about the most key and value bytes both generations hold together. */
  constructor(budgetBytes: number) {
    this.generationBytes = Math.max(1, Math.floor(budgetBytes / 2));
  }

  /** The cached value (null: known absent), or undefined when the key is not cached. */
  get(key: string): Uint8Array | null | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o === undefined) return undefined;
    // Promote: a key read in both generations' lifetimes is hot.
    this.old.delete(key);
    this.add(key, o);
    return o;
  }

  set(key: string, value: Uint8Array | null): void {
    this.old.delete(key);
    const prev = this.young.get(key);
    if (prev !== undefined) {
      this.youngBytes -= sizeOf(key, prev);
      this.young.delete(key);
    }
    this.add(key, value);
  }

  delete(key: string): void {
    const prev = this.young.get(key);
    if (prev !== undefined) {
      this.youngBytes -= sizeOf(key, prev);
      this.young.delete(key);
    }
    this.old.delete(key);
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
    this.youngBytes = 0;
  }

  /** Entries held (both generations). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  private add(key: string, value: Uint8Array | null): void {
    const bytes = sizeOf(key, value);
    if (bytes > this.generationBytes) return;
    if (this.youngBytes + bytes > this.generationBytes) {
      this.old = this.young;
      this.young = new Map();
      this.youngBytes = 0;
    }
    this.young.set(key, value);
    this.youngBytes += bytes;
  }
}

function sizeOf(key: string, value: Uint8Array | null): number {
  return key.length + (value === null ? 0 : value.length);
}
