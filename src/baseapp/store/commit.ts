import { chainAppHash, encodeSortedWrites, writeSetHash } from "./apphash";
import { EMPTY } from "./bytes";
import { CacheKV } from "./cachekv";
import type { CacheKVStore, CommitStore, KVStore, PendingCommit } from "./types";

/** A block's writes as handed to a store's persist step. */
export interface BlockWrites {
  readonly height: bigint;
  readonly appHash: Buffer;
  /** Written keys (key strings, see bytes.ts) in ascending order. */
  readonly keys: readonly string[];
  /** Key string → value, or null for a delete. Never mutated afterwards. */
  readonly map: ReadonlyMap<string, Uint8Array | null>;
  /** The canonical encoding of the write set (apphash.ts), which the app hash commits to. */
  readonly encoded: Buffer;
}

interface Prepared {
  readonly block: CacheKV;
  readonly version: number;
  readonly prevHeight: bigint;
  readonly writes: BlockWrites;
}

/** Committed state as seen by branches: reads pass through, writes are refused. */
export class ReadOnlyView implements KVStore {
  constructor(private readonly inner: KVStore) {}
  get(key: Uint8Array): Uint8Array | undefined {
    return this.inner.get(key);
  }
  has(key: Uint8Array): boolean {
    return this.inner.has(key);
  }
  set(): void {
    throw readOnlyError();
  }
  delete(): void {
    throw readOnlyError();
  }
  iterate(start?: Uint8Array, end?: Uint8Array, reverse?: boolean): IterableIterator<[Uint8Array, Uint8Array]> {
    return this.inner.iterate(start, end, reverse);
  }
}

export function readOnlyError(): Error {
  return new Error("committed state is read-only: write through a branch and persist it with prepare() + commit()");
}

/**
 * The prepare/commit protocol shared by the commit stores (the engine-specific part is `persist`).
 *
 * - `branch()` is a CacheKV over a read-only view of the last committed state. Calling `write()`
 *   on such a branch throws: committed state changes only through prepare + commit.
 * - `prepare(block, height)` takes a branch obtained from this store's `branch()` and the next
 *   height (lastHeight + 1; any height >= 1 for the first commit, i.e. the chain's initial height)
 *   and returns the app hash the block's writes would produce. It neither persists nor changes
 *   the branch, and may be called again (e.g. after InitChain, then after the first block).
 * - `commit(pending)` persists exactly the writes that were hashed, with height and app hash, in
 *   one atomic step. It refuses a pending that this store did not prepare, one prepared on top of
 *   another height than the current one (a stale or replayed pending), and one whose branch
 *   changed after prepare. On success the block branch is emptied: its writes are now committed
 *   state, so it keeps reading the same values (through to the store); callers should take a fresh
 *   `branch()` for the next block anyway.
 */
export abstract class BaseCommitStore implements CommitStore {
  private height = 0n;
  private hash: Uint8Array = EMPTY;
  private closed = false;
  private readonly prepared = new WeakMap<PendingCommit, Prepared>();

  get lastHeight(): bigint {
    return this.height;
  }

  /** The last committed app hash (empty before the first commit). Do not mutate. */
  get lastAppHash(): Uint8Array {
    return this.hash;
  }

  /** Subclasses set the state they found on disk. */
  protected restore(height: bigint, appHash: Uint8Array): void {
    this.height = height;
    this.hash = appHash;
  }

  /** The read view of committed state that branches sit on. Must be the same object every time. */
  protected abstract committedView(): KVStore;

  /** Durably applies a block's writes with its height and app hash, atomically, or throws. */
  protected abstract persist(writes: BlockWrites): void;

  /** Hook run before handing out a branch (housekeeping). */
  protected beforeBranch(): void {}

  protected assertOpen(): void {
    if (this.closed) throw new Error("store is closed");
  }

  protected markClosed(): boolean {
    if (this.closed) return false;
    this.closed = true;
    return true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  branch(): CacheKV {
    this.assertOpen();
    this.beforeBranch();
    return new CacheKV(this.committedView());
  }

  prepare(block: CacheKVStore, height: bigint): PendingCommit {
    this.assertOpen();
    if (!(block instanceof CacheKV) || block.parent !== this.committedView()) {
      throw new Error("prepare: the block must be a branch obtained from this store's branch()");
    }
    if (this.height === 0n ? height < 1n : height !== this.height + 1n) {
      throw new RangeError(
        `prepare: height ${height} does not follow the last committed height ${this.height}` +
          (this.height === 0n ? " (the first height must be >= 1)" : ` (expected ${this.height + 1n})`),
      );
    }
    const { keys, map } = block.dirtyView();
    const encoded = encodeSortedWrites(keys, map);
    const appHash = chainAppHash(height, this.hash, writeSetHash(encoded));
    const pending: PendingCommit = Object.freeze({ height, appHash });
    this.prepared.set(pending, {
      block,
      version: block.version,
      prevHeight: this.height,
      writes: { height, appHash, keys, map, encoded },
    });
    return pending;
  }

  commit(pending: PendingCommit): void {
    this.assertOpen();
    const p = this.prepared.get(pending);
    if (p === undefined) {
      throw new Error("commit: this pending commit was not prepared by this store, or was already committed");
    }
    if (p.prevHeight !== this.height) {
      throw new RangeError(
        `commit: pending for height ${pending.height} was prepared on top of height ${p.prevHeight}, ` +
          `but the last committed height is ${this.height}`,
      );
    }
    if (p.block.version !== p.version) {
      throw new Error("commit: the block branch changed after prepare(); prepare it again");
    }
    this.persist(p.writes);
    this.height = p.writes.height;
    this.hash = p.writes.appHash;
    this.prepared.delete(pending);
    p.block.discard();
  }

  abstract close(): void;
}
