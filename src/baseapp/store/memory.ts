import { assertValidKey, assertValidValue, boundString, keyString } from "./bytes";
import { BaseCommitStore, type BlockWrites, ReadOnlyView } from "./commit";
import { iterateSlice, SortedKeyMap } from "./sorted";
import type { KVStore } from "./types";

/**
 * A sorted in-memory key-value store (tests, simulation, and the committed state of
 * MemoryCommitStore). Lookups are O(1); ordered iteration sorts newly added keys lazily.
 *
 * Values are stored by reference, not copied: callers must not mutate a value after `set`, nor a
 * value returned by `get`/`iterate`. Keys are copied (held as key strings).
 */
export class MemoryKV implements KVStore {
  private readonly data = new SortedKeyMap<Uint8Array>();

  /** Number of keys held. */
  get size(): number {
    return this.data.size;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.data.get(keyString(key));
  }

  has(key: Uint8Array): boolean {
    return this.data.has(keyString(key));
  }

  set(key: Uint8Array, value: Uint8Array): void {
    assertValidKey(key);
    assertValidValue(value);
    this.data.set(keyString(key), value);
  }

  delete(key: Uint8Array): void {
    assertValidKey(key);
    this.data.delete(keyString(key));
  }

  iterate(start?: Uint8Array, end?: Uint8Array, reverse = false): IterableIterator<[Uint8Array, Uint8Array]> {
    const { keys, lo, hi } = this.data.range(boundString(start), boundString(end));
    return iterateSlice(keys, lo, hi, this.data.entries(), reverse);
  }

  /** Sets (value) or deletes (null) by key string; the key must already be valid. */
  setRaw(key: string, value: Uint8Array | null): void {
    if (value === null) this.data.delete(key);
    else this.data.set(key, value);
  }
}

/**
 * A CommitStore held in memory, with exactly the semantics and app hashes of LmdbCommitStore
 * (in-process tests, determinism tests, simulation). Nothing survives the process.
 */
export class MemoryCommitStore extends BaseCommitStore {
  private readonly state: MemoryKV;
  private readonly view: ReadOnlyView;

  constructor() {
    super();
    this.state = new MemoryKV();
    this.view = new ReadOnlyView(this.state);
  }

  protected override committedView(): KVStore {
    return this.view;
  }

  protected override persist(block: BlockWrites): void {
    const { keys, map } = block;
    for (const k of keys) {
      const v = map.get(k);
      if (v !== undefined) this.state.setRaw(k, v);
    }
  }

  /** Number of keys in committed state (tests). */
  get committedSize(): number {
    return this.state.size;
  }

  close(): void {
    this.markClosed();
  }
}
