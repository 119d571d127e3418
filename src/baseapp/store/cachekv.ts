import { assertValidKey, assertValidValue, boundString, keyBytes, keyString } from "./bytes";
import { mergeOver, SortedKeyMap } from "./sorted";
import type { CacheKVStore, KeyStringReader, KVStore } from "./types";

/** One write of a branch: a value to set, or `undefined` for a delete. */
export interface Write {
  readonly key: Uint8Array;
  readonly value: Uint8Array | undefined;
}

/** `s.get(key)`, through `getKeyed` when `s` has it (`k` is `keyString(key)`). */
function getBelow(s: KVStore, k: string, key: Uint8Array): Uint8Array | undefined {
  const keyed = (s as Partial<KeyStringReader>).getKeyed;
  return keyed === undefined ? s.get(key) : keyed.call(s, k, key);
}

/** `s.has(key)`, likewise; any other store is asked `has`, so its own costs apply (gas). */
function hasBelow(s: KVStore, k: string, key: Uint8Array): boolean {
  const keyed = (s as Partial<KeyStringReader>).getKeyed;
  return keyed === undefined ? s.has(key) : keyed.call(s, k, key) !== undefined;
}

/**
 * A copy-on-write branch over a parent store (the Cosmos SDK's cachekv).
 *
 * - Reads fall through to the parent for keys this branch has not written; nothing read from the
 *   parent is cached, so a branch always sees the parent's current contents underneath its own
 *   writes.
 * - A delete is a tombstone: the key reads as absent here whatever the parent holds.
 * - `iterate` merges the parent's iteration with this branch's writes in unsigned byte order.
 * - `write()` flushes the writes into the parent in ascending key order and empties the branch;
 *   dropping the branch (or `discard()`) throws them away.
 *
 * PERF: writes live in a Map keyed by the key's latin1 string, so get/set/delete are O(1); the
 * written keys are sorted only when iterating or writing out (see SortedKeyMap).
 *
 * Values are kept by reference: callers must not mutate a value after passing it to `set`, nor a
 * value obtained from `get` or `iterate`. Keys are copied.
 */
export class CacheKV implements CacheKVStore {
  private readonly dirty = new SortedKeyMap<Uint8Array | null>();
  private mutations = 0;

  constructor(readonly parent: KVStore) {}

  /**
   * Counts every change to this branch (set, delete, write, discard). A commit store uses it to
   * check that a block branch did not change between prepare and commit.
   */
  get version(): number {
    return this.mutations;
  }

  /** Number of keys written (set or deleted) in this branch. */
  get size(): number {
    return this.dirty.size;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    // PERF: walk a chain of branches (tx → block) with one key-string conversion.
    const k = keyString(key);
    const own = this.dirty.get(k);
    if (own !== undefined) return own === null ? undefined : own;
    let s = this.parent;
    while (s instanceof CacheKV) {
      const v = s.dirty.get(k);
      if (v !== undefined) return v === null ? undefined : v;
      s = s.parent;
    }
    return getBelow(s, k, key);
  }

  has(key: Uint8Array): boolean {
    const k = keyString(key);
    const own = this.dirty.get(k);
    if (own !== undefined) return own !== null;
    let s = this.parent;
    while (s instanceof CacheKV) {
      const v = s.dirty.get(k);
      if (v !== undefined) return v !== null;
      s = s.parent;
    }
    return hasBelow(s, k, key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    assertValidKey(key);
    assertValidValue(value);
    this.dirty.set(keyString(key), value);
    this.mutations++;
  }

  delete(key: Uint8Array): void {
    assertValidKey(key);
    this.dirty.set(keyString(key), null);
    this.mutations++;
  }

  iterate(start?: Uint8Array, end?: Uint8Array, reverse = false): IterableIterator<[Uint8Array, Uint8Array]> {
    const { keys, lo, hi } = this.dirty.range(boundString(start), boundString(end));
    const parentIter = this.parent.iterate(start, end, reverse);
    if (lo === hi) return parentIter;
    return mergeOver(keys, lo, hi, this.dirty.entries(), reverse, parentIter);
  }

  write(): void {
    const keys = this.dirty.sortedKeys();
    const map = this.dirty.entries();
    const parent = this.parent;
    if (parent instanceof CacheKV) {
      // PERF: branch-to-branch flush keeps the key strings (no bytes round trip).
      for (const k of keys) {
        const v = map.get(k);
        if (v !== undefined) parent.setRaw(k, v);
      }
    } else {
      for (const k of keys) {
        const v = map.get(k);
        if (v === undefined) continue;
        if (v === null) parent.delete(keyBytes(k));
        else parent.set(keyBytes(k), v);
      }
    }
    this.dirty.clear();
    this.mutations++;
  }

  branch(): CacheKV {
    return new CacheKV(this);
  }

  /**
   * A new branch over the same parent holding a copy of this branch's writes; later changes to
   * either leave the other untouched. Used to start a block from the (uncommitted) genesis writes
   * again when a FinalizeBlock is repeated.
   */
  fork(): CacheKV {
    const copy = new CacheKV(this.parent);
    const map = this.dirty.entries();
    for (const k of this.dirty.sortedKeys()) {
      const v = map.get(k);
      if (v !== undefined) copy.dirty.set(k, v);
    }
    return copy;
  }

  /** Drops every write of this branch. */
  discard(): void {
    this.dirty.clear();
    this.mutations++;
  }

  /** This branch's writes in ascending key order (deletes have `value: undefined`). */
  writes(): Write[] {
    const keys = this.dirty.sortedKeys();
    const map = this.dirty.entries();
    const out: Write[] = [];
    for (const k of keys) {
      const v = map.get(k);
      if (v !== undefined) out.push({ key: keyBytes(k), value: v === null ? undefined : v });
    }
    return out;
  }

  /**
   * The writes as (ascending key strings, map from key string to value or null for a delete),
   * without copying. Both stay valid and unchanged until the next change to this branch; the
   * map is never mutated after `discard()`/`write()`, which start a new one. For commit stores.
   */
  dirtyView(): { keys: readonly string[]; map: ReadonlyMap<string, Uint8Array | null> } {
    return { keys: this.dirty.sortedKeys(), map: this.dirty.entries() };
  }

  /** set/delete by key string (already validated); null deletes. */
  setRaw(key: string, value: Uint8Array | null): void {
    this.dirty.set(key, value);
    this.mutations++;
  }
}
