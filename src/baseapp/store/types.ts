/**
 * Store interfaces. Keys and values are raw bytes; iteration is in unsigned byte order
 * (canonical across nodes). All operations are synchronous: the engine (LMDB) reads synchronously,
 * and block execution never awaits.
 */
export interface KVStore {
  get(key: Uint8Array): Uint8Array | undefined;
  has(key: Uint8Array): boolean;
  set(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
  /**
   * Entries with start <= key < end (either bound may be undefined = unbounded), ascending by
   * unsigned byte order, or descending when `reverse`. Writes made to this store while iterating
   * must not be relied upon to appear in the iteration; collect first, then write.
   */
  iterate(start?: Uint8Array, end?: Uint8Array, reverse?: boolean): IterableIterator<[Uint8Array, Uint8Array]>;
}

/**
 * A store that can also be read by a key already converted to its key string (bytes.ts): a branch
 * chain converts the key once and hands the string down with it. PERF: a conversion costs about as
 * much as a cached read.
 */
export interface KeyStringReader {
  /** `get(key)`, where `k` is `keyString(key)`; `has(key)` must be `getKeyed(k, key) !== undefined`. */
  getKeyed(k: string, key: Uint8Array): Uint8Array | undefined;
}

/** A copy-on-write branch over a parent store. Nothing reaches the parent until `write()`. */
export interface CacheKVStore extends KVStore {
  /** Flush this branch's writes into the parent (in sorted key order) and clear the branch. */
  write(): void;
  /** A new branch on top of this one. */
  branch(): CacheKVStore;
  /** A new branch on the same parent with a copy of this one's writes (the two are independent). */
  fork(): CacheKVStore;
}

/** The writes a block produced, ready to be committed; returned by CommitStore.prepare. */
export interface PendingCommit {
  readonly height: bigint;
  readonly appHash: Uint8Array;
}

/**
 * The committed, on-disk state. `branch()` gives a cache over the last committed state.
 * `prepare()` computes the app hash of a block's writes without persisting (FinalizeBlock);
 * `commit()` persists them in one atomic write together with height and app hash (Commit).
 */
export interface CommitStore {
  readonly lastHeight: bigint;
  readonly lastAppHash: Uint8Array;
  branch(): CacheKVStore;
  prepare(block: CacheKVStore, height: bigint): PendingCommit;
  commit(pending: PendingCommit): void;
  close(): void;
}
