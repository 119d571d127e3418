import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

import { open, type RangeOptions, type RootDatabase } from "lmdb";

import { decodeWriteSet } from "./apphash";
import { asBuffer, EMPTY, keyString } from "./bytes";
import { BaseCommitStore, type BlockWrites, readOnlyError } from "./commit";
import {
  checkLmdbFile,
  checksumSeed,
  remedy,
  seal,
  STORE_FORMAT,
  StoreCorruptionError,
  StoreOpenError,
  unseal,
} from "./integrity";
import {
  type BinaryDb,
  encodeWalPayload,
  META_APP_HASH,
  META_APPLIED,
  META_FORMAT,
  META_HEIGHT,
  metaU64,
  readStoreMeta,
  u64,
} from "./layout";
import {
  C_APPLIED,
  C_COMMITS,
  C_CORRUPT,
  C_STATUS,
  C_STOP,
  C_WANT_LOCK,
  CONTROL_SLOTS,
  STATUS_EXITED,
  STATUS_FAILED,
  WORKER_SOURCE,
} from "./lmdb-worker";
import { ReadCache } from "./readcache";
import { lowerBound, mergeOver } from "./sorted";
import type { KeyStringReader, KVStore } from "./types";

/**
 * How committed blocks reach LMDB's state tree.
 *
 * - "background" (default): `commit()` appends the block's write set to a write-ahead log with the
 *   new height and app hash in one synchronous, fsynced LMDB transaction (a few ms, independent of
 *   the state size), and a worker thread applies the log to the state tree afterwards. Until a
 *   block is applied its writes are served from memory, so reads always see committed state.
 * - "inline": `commit()` writes the block straight into the state tree, with height and app hash,
 *   in one synchronous fsynced transaction (no worker; slower for large blocks, since random
 *   B-tree updates cost a few µs each).
 * - "onReopen": like "background" but nothing is applied while the store is open; the log is
 *   replayed by the next open. Exists to test crash recovery.
 */
export type LmdbApplyMode = "background" | "inline" | "onReopen";

export interface LmdbStoreOptions {
  readonly apply?: LmdbApplyMode;
  /** LMDB map size in bytes (address space reserved, not disk used). Default 256 GiB. */
  readonly mapSize?: number;
  /** At most this many committed blocks may wait for the background writer (default 4). */
  readonly maxBacklog?: number;
}

const DB_OPTIONS = { keyEncoding: "binary", encoding: "binary", compression: false, cache: false } as const;
const APPLY_CHUNK = 1000;
/** The committed view's read cache holds at most about this many key and value bytes (two generations). */
const READ_CACHE_BYTES = 64 * 1024 * 1024;
/** A commit waiting on a full backlog gives up (throws) after this long. */
const BACKLOG_TIMEOUT_MS = 120_000;

/** A committed block whose writes are not yet in the state tree. Immutable. */
interface Layer {
  readonly height: bigint;
  readonly keys: readonly string[];
  readonly map: ReadonlyMap<string, Uint8Array | null>;
}

/**
 * Iterates the "state" database over [start, end) in either direction, checking every record's
 * checksum (values are verified views). LMDB failures during the walk are corruption, reported
 * with the last key read (or the start of the range).
 */
function* lmdbRange(
  db: BinaryDb,
  start: Uint8Array | undefined,
  end: Uint8Array | undefined,
  reverse: boolean,
  dir: string,
): Generator<[Uint8Array, Uint8Array], void, undefined> {
  if (start !== undefined && start.length === 0) start = undefined;
  if (end !== undefined && (end.length === 0 || (start !== undefined && Buffer.compare(start, end) >= 0))) return;
  const opts: RangeOptions = { snapshot: true };
  if (reverse) {
    opts.reverse = true;
    // lmdb walks from `start` down to `end`: ours is [start, end), so its start is our end
    // (excluded) and its end our start (included).
    if (end !== undefined) {
      opts.start = asBuffer(end);
      opts.exclusiveStart = true;
    }
    if (start !== undefined) {
      opts.end = asBuffer(start);
      opts.inclusiveEnd = true;
    }
  } else {
    if (start !== undefined) opts.start = asBuffer(start);
    if (end !== undefined) opts.end = asBuffer(end);
  }
  let at: Uint8Array = (reverse ? end : start) ?? EMPTY;
  let it: Iterator<{ key: Buffer; value: Buffer }>;
  try {
    it = db.getRange(opts)[Symbol.iterator]();
  } catch (e) {
    throw lmdbReadError(at, e, dir);
  }
  try {
    for (;;) {
      let r: IteratorResult<{ key: Buffer; value: Buffer }>;
      try {
        r = it.next();
      } catch (e) {
        throw lmdbReadError(at, e, dir);
      }
      if (r.done === true) return;
      at = r.value.key;
      yield [r.value.key, unseal("state", r.value.key, r.value.value, dir)];
    }
  } finally {
    // Ends LMDB's cursor when the caller stops early (as for...of would).
    it.return?.();
  }
}

function lmdbReadError(key: Uint8Array, e: unknown, dir: string): StoreCorruptionError {
  return new StoreCorruptionError("state", key, `LMDB could not read it (${e instanceof Error ? e.message : String(e)})`, dir);
}

/**
 * Committed state: the LMDB state tree under the layers of committed-but-unapplied blocks (newest
 * last). Read-only. Layers and LMDB read snapshot are taken together when an iteration starts, so
 * an iteration sees one consistent committed state even if blocks are applied meanwhile. Every
 * value read from LMDB is checked against its checksum; a failure is reported to `onCorrupt`
 * (which makes the store refuse to commit) and thrown.
 */
class LmdbStateView implements KVStore, KeyStringReader {
  layers: readonly Layer[] = [];
  /**
   * PERF: values read from LMDB (null: absent), by keyString. A block's point reads go to the
   * committed view once per block (its branch caches them after that), and an LMDB read with its
   * checksum check costs several µs: about a sixth of executing a block of dCERT votes. Every
   * write reaches LMDB through a committed block, whose layer shadows its keys until it is applied;
   * the primary puts the block's values in once it is durable (`remember`), and a replica, which
   * learns only the keys, drops them (`forget`). So a cached value is always LMDB's current one.
   */
  readonly cache = new ReadCache(READ_CACHE_BYTES);

  constructor(
    private readonly db: BinaryDb,
    private readonly dir: string,
    private readonly onCorrupt: (e: StoreCorruptionError) => void,
  ) {}

  /** Drops the cached values of keys a committed block writes (before its layer is pushed or applied). */
  forget(keys: readonly string[]): void {
    for (const k of keys) this.cache.delete(k);
  }

  /**
   * Caches the values a committed block gave its keys, once the block is durable (in the log with
   * its layer pushed, or in the state tree). Its layer answers those keys until it is applied, and
   * LMDB then holds these same values, so they are LMDB's current ones as the cache requires; if
   * writing the block fails first, the cache still holds the values LMDB has. PERF: the next
   * blocks' reads of what a block wrote (the balance and sequence of every account that sent a
   * tx) hit instead of reading LMDB and checking a checksum, in FinalizeBlock, rechecks and CheckTx.
   */
  remember(keys: readonly string[], map: ReadonlyMap<string, Uint8Array | null>): void {
    for (const k of keys) {
      const v = map.get(k);
      if (v !== undefined) this.cache.set(k, v);
    }
  }

  private read(key: Uint8Array): Uint8Array | undefined {
    const kb = asBuffer(key);
    try {
      let stored: Buffer | undefined;
      try {
        stored = this.db.getBinary(kb);
      } catch (e) {
        throw lmdbReadError(kb, e, this.dir);
      }
      return stored === undefined ? undefined : unseal("state", kb, stored, this.dir);
    } catch (e) {
      if (e instanceof StoreCorruptionError) this.onCorrupt(e);
      throw e;
    }
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.getKeyed(keyString(key), key);
  }

  getKeyed(k: string, key: Uint8Array): Uint8Array | undefined {
    if (key.length === 0) return undefined;
    const layers = this.layers;
    for (let i = layers.length - 1; i >= 0; i--) {
      const v = (layers[i] as Layer).map.get(k);
      if (v !== undefined) return v === null ? undefined : v;
    }
    const cached = this.cache.get(k);
    if (cached !== undefined) return cached === null ? undefined : cached;
    const v = this.read(key);
    this.cache.set(k, v ?? null);
    return v;
  }

  has(key: Uint8Array): boolean {
    // Reads the value: a record whose bytes are damaged must not count as present.
    return this.get(key) !== undefined;
  }

  set(): void {
    throw readOnlyError();
  }

  delete(): void {
    throw readOnlyError();
  }

  *iterate(start?: Uint8Array, end?: Uint8Array, reverse = false): IterableIterator<[Uint8Array, Uint8Array]> {
    const layers = this.layers;
    let it: Iterator<[Uint8Array, Uint8Array]> = this.guard(lmdbRange(this.db, start, end, reverse, this.dir));
    if (layers.length > 0) {
      const s = start === undefined ? undefined : keyString(start);
      const e = end === undefined ? undefined : keyString(end);
      for (const layer of layers) {
        const lo = s === undefined ? 0 : lowerBound(layer.keys, s);
        const hi = Math.max(lo, e === undefined ? layer.keys.length : lowerBound(layer.keys, e));
        if (lo < hi) it = mergeOver(layer.keys, lo, hi, layer.map, reverse, it);
      }
    }
    yield* { [Symbol.iterator]: () => it };
  }

  private *guard(it: Iterator<[Uint8Array, Uint8Array]>): Generator<[Uint8Array, Uint8Array], void, undefined> {
    try {
      yield* { [Symbol.iterator]: () => it };
    } catch (e) {
      if (e instanceof StoreCorruptionError) this.onCorrupt(e);
      throw e;
    }
  }
}

function lmdbEnvOptions(mapSize: number | undefined) {
  return { maxDbs: 4, mapSize: mapSize ?? 256 * 2 ** 30, overlappingSync: false, noSync: false, ...DB_OPTIONS } as const;
}

/** Opens the LMDB environment in `dir` and its three databases ("state", "meta", "wal"). */
function openEnvironment(dir: string, envOptions: ReturnType<typeof lmdbEnvOptions>): { root: RootDatabase<Buffer, Buffer>; dbs: [BinaryDb, BinaryDb, BinaryDb] } {
  // Before LMDB maps the file: a damaged header would crash the process (integrity.ts).
  checkLmdbFile(join(dir, "data.mdb"));
  let root: RootDatabase<Buffer, Buffer>;
  try {
    root = open<Buffer, Buffer>({ path: dir, ...envOptions });
  } catch (e) {
    throw new StoreOpenError(`LMDB cannot open the store in ${dir}: ${e instanceof Error ? e.message : String(e)}`, remedy(dir));
  }
  try {
    return {
      root,
      dbs: [
        root.openDB<Buffer, Buffer>({ name: "state", ...DB_OPTIONS }),
        root.openDB<Buffer, Buffer>({ name: "meta", ...DB_OPTIONS }),
        root.openDB<Buffer, Buffer>({ name: "wal", ...DB_OPTIONS }),
      ],
    };
  } catch (e) {
    void root.close();
    throw new StoreOpenError(`LMDB cannot open the store's databases in ${dir}: ${e instanceof Error ? e.message : String(e)}`, remedy(dir));
  }
}

/**
 * The on-disk CommitStore, on LMDB (via the `lmdb` package, synchronous API).
 *
 * Layout: one LMDB environment in `dir` with three named sub-databases, so application keys can
 * never collide with bookkeeping (records and invariants: layout.ts):
 *   "state"  application keys → values (the applied state tree)
 *   "meta"   "height" (uint64be), "appHash", "applied" (uint64be: last height in "state"), "format"
 *   "wal"    uint64be height → the previous app hash and the block's encoded write set
 *            (apphash.ts), for committed blocks not yet applied to "state" (background and
 *            onReopen modes)
 * Every value in all three carries a checksum over its key and value (integrity.ts), checked on
 * every read: a damaged record throws StoreCorruptionError (naming the database and key), never
 * returns a wrong value, and from then on the store refuses prepare(), commit() and branch().
 * Opening checks the LMDB file's header (so a zeroed, garbage or truncated file is refused with a
 * message instead of crashing the process), the format, the metadata and the log against the app
 * hash chain (layout.ts), and throws StoreOpenError on any problem.
 *
 * Durability: every commit is one LMDB write transaction holding the block's writes (or its log
 * record) together with the new height and app hash, committed synchronously and fsynced before
 * `commit()` returns (the environment is opened without noSync and without overlappingSync). LMDB
 * transactions are atomic, so after a crash at any point the store holds exactly the blocks whose
 * commit returned (plus, possibly, the one whose commit was under way), never a part of one.
 * Opening replays any log records not yet applied before anything is read.
 *
 * `lastHeight`/`lastAppHash` are read on open (0 and empty for a new store).
 * Do not hold iterators over committed state across `commit()`.
 */
export class LmdbCommitStore extends BaseCommitStore {
  private readonly view: LmdbStateView;
  private readonly control: Int32Array;
  private readonly appliedHeight: BigInt64Array;
  private worker: Worker | undefined;
  private workerError: string | undefined;
  private readonly maxBacklog: number;
  /** The first corruption detected: the store refuses to go on after it. */
  private corruption: StoreCorruptionError | undefined;

  private constructor(
    private readonly root: RootDatabase<Buffer, Buffer>,
    private readonly state: BinaryDb,
    private readonly meta: BinaryDb,
    private readonly wal: BinaryDb,
    private readonly mode: LmdbApplyMode,
    maxBacklog: number,
    private readonly dir: string,
  ) {
    super();
    this.view = new LmdbStateView(state, dir, (e) => (this.corruption ??= e));
    this.control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_SLOTS));
    this.appliedHeight = new BigInt64Array(new SharedArrayBuffer(8));
    this.maxBacklog = Math.max(1, maxBacklog);
  }

  /**
   * Opens (creating if needed) the store in directory `dir`. Throws StoreOpenError when the store
   * is damaged, inconsistent or of an older format, and StoreCorruptionError when one of its
   * bookkeeping records fails its checksum.
   */
  static open(dir: string, options: LmdbStoreOptions = {}): LmdbCommitStore {
    mkdirSync(dir, { recursive: true });
    const envOptions = lmdbEnvOptions(options.mapSize);
    const { root, dbs } = openEnvironment(dir, envOptions);
    try {
      const store = new LmdbCommitStore(root, ...dbs, options.apply ?? "background", options.maxBacklog ?? 4, dir);
      store.load();
      if (store.mode === "background") store.startWorker(dir, envOptions);
      return store;
    } catch (e) {
      void root.close();
      throw e;
    }
  }

  private load(): void {
    const m = readStoreMeta({ state: this.state, meta: this.meta, wal: this.wal }, this.dir);
    if (m.fresh) {
      this.root.transactionSync(() => this.putMeta(META_FORMAT, Buffer.from(STORE_FORMAT, "latin1")));
    }
    this.replayLog(m.log);
    this.restore(m.height, m.height === 0n ? EMPTY : m.appHash);
    this.appliedHeight[0] = m.height;
  }

  private putMeta(key: Buffer, payload: Uint8Array): void {
    this.meta.putSync(key, seal("meta", key, payload));
  }

  /** Applies the (verified) log records to the state tree (crash recovery, and the onReopen mode). */
  private replayLog(log: readonly { key: Buffer; encoded: Buffer }[]): void {
    for (const rec of log) {
      const writes = decodeWriteSet(rec.encoded);
      this.root.transactionSync(() => {
        for (const w of writes) {
          const k = asBuffer(w.key);
          if (w.value === undefined) this.state.removeSync(k);
          else this.state.putSync(k, seal("state", k, w.value));
        }
        this.putMeta(META_APPLIED, rec.key);
        this.wal.removeSync(rec.key);
      });
    }
  }

  /** Throws the corruption this store has detected, if any: nothing may be committed after it. */
  private assertSound(): void {
    if (this.corruption !== undefined) throw this.corruption;
  }

  override prepare(block: Parameters<BaseCommitStore["prepare"]>[0], height: bigint): ReturnType<BaseCommitStore["prepare"]> {
    this.assertSound();
    return super.prepare(block, height);
  }

  override commit(pending: Parameters<BaseCommitStore["commit"]>[0]): void {
    this.assertSound();
    super.commit(pending);
  }

  private startWorker(dir: string, envOptions: object): void {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        lmdbPath: require.resolve("lmdb"),
        path: dir,
        options: envOptions,
        dbOptions: DB_OPTIONS,
        control: this.control.buffer,
        applied: this.appliedHeight.buffer,
        chunk: APPLY_CHUNK,
        seeds: { state: checksumSeed("state"), meta: checksumSeed("meta"), wal: checksumSeed("wal") },
      },
    });
    worker.unref();
    worker.on("message", (m: unknown) => {
      if (typeof m === "object" && m !== null && "error" in m) this.workerError = String(m.error);
    });
    worker.on("error", (e: Error) => {
      this.workerError = e.stack ?? String(e);
      Atomics.store(this.control, C_STATUS, STATUS_FAILED);
    });
    this.worker = worker;
  }

  private checkWorker(): void {
    if (this.worker === undefined) return;
    if (Atomics.load(this.control, C_STATUS) === STATUS_FAILED) {
      if (Atomics.load(this.control, C_CORRUPT) === 1) {
        // The writer works through the log in order: the record it failed on is the oldest one.
        const key = u64(Atomics.load(this.appliedHeight, 0) + 1n);
        this.corruption ??= new StoreCorruptionError("wal", key, `the background writer found it damaged (${this.workerError ?? "checksum or format"})`, this.dir);
        throw this.corruption;
      }
      throw new Error(`store background writer failed: ${this.workerError ?? "see the log"}`);
    }
  }

  /** Drops layers the background writer has applied, and renews the LMDB read snapshot. */
  private prune(): void {
    const layers = this.view.layers;
    if (layers.length === 0) return;
    const applied = Atomics.load(this.appliedHeight, 0);
    let n = 0;
    while (n < layers.length && (layers[n] as Layer).height <= applied) n++;
    if (n === 0) return;
    // The main thread's LMDB read snapshot may predate the worker's commits: renew it first.
    this.root.resetReadTxn();
    this.view.layers = layers.slice(n);
  }

  /** Committed blocks not yet applied to the state tree. */
  get backlog(): number {
    this.prune();
    return this.view.layers.length;
  }

  /**
   * Blocks until the background writer has applied every committed block (or the timeout
   * passes; returns whether it finished). Commit never needs this; benchmarks and tests do.
   */
  drain(timeoutMs = 60_000): boolean {
    this.assertOpen();
    if (this.mode !== "background") return true;
    const deadline = performance.now() + timeoutMs;
    while (Atomics.load(this.appliedHeight, 0) < this.lastHeight) {
      this.checkWorker();
      const left = deadline - performance.now();
      if (left <= 0) return false;
      const seen = Atomics.load(this.control, C_APPLIED);
      if (Atomics.load(this.appliedHeight, 0) >= this.lastHeight) break;
      Atomics.wait(this.control, C_APPLIED, seen, Math.min(left, 100));
    }
    this.prune();
    return true;
  }

  protected override committedView(): KVStore {
    return this.view;
  }

  protected override beforeBranch(): void {
    this.assertSound();
    this.prune();
  }

  protected override persist(block: BlockWrites): void {
    if (this.mode === "inline") {
      this.persistInline(block);
      return;
    }
    this.checkWorker();
    this.prune();
    if (this.mode === "background") {
      // Backpressure: never let the in-memory layers grow without bound.
      const deadline = performance.now() + BACKLOG_TIMEOUT_MS;
      for (;;) {
        const seen = Atomics.load(this.control, C_APPLIED);
        this.prune();
        if (this.view.layers.length < this.maxBacklog) break;
        if (performance.now() > deadline) {
          throw new Error(`store background writer made no progress for ${BACKLOG_TIMEOUT_MS} ms`);
        }
        Atomics.wait(this.control, C_APPLIED, seen, 100);
        this.checkWorker();
      }
    }
    const hk = u64(block.height);
    const record = seal("wal", hk, encodeWalPayload(this.lastAppHash, block.encoded));
    Atomics.store(this.control, C_WANT_LOCK, 1);
    try {
      this.root.transactionSync(() => {
        this.wal.putSync(hk, record);
        this.putMeta(META_HEIGHT, hk);
        this.putMeta(META_APP_HASH, block.appHash);
      });
    } finally {
      Atomics.store(this.control, C_WANT_LOCK, 0);
      Atomics.notify(this.control, C_WANT_LOCK);
    }
    this.view.layers = [...this.view.layers, { height: block.height, keys: block.keys, map: block.map }];
    this.view.remember(block.keys, block.map);
    Atomics.add(this.control, C_COMMITS, 1);
    Atomics.notify(this.control, C_COMMITS);
  }

  private persistInline(block: BlockWrites): void {
    const { keys, map } = block;
    const hk = u64(block.height);
    this.root.transactionSync(() => {
      for (const k of keys) {
        const v = map.get(k);
        if (v === undefined) continue;
        const kb = Buffer.from(k, "latin1");
        if (v === null) this.state.removeSync(kb);
        else this.state.putSync(kb, seal("state", kb, v));
      }
      this.putMeta(META_HEIGHT, hk);
      this.putMeta(META_APP_HASH, block.appHash);
      this.putMeta(META_APPLIED, hk);
    });
    this.view.remember(keys, map);
    Atomics.store(this.appliedHeight, 0, block.height);
  }

  /**
   * Stops the background writer (waiting for the chunk it is applying; unapplied blocks stay in
   * the log for the next open) and closes the environment. Idempotent.
   */
  close(): void {
    if (!this.markClosed()) return;
    const worker = this.worker;
    if (worker !== undefined) {
      Atomics.store(this.control, C_STOP, 1);
      Atomics.add(this.control, C_COMMITS, 1);
      Atomics.notify(this.control, C_COMMITS);
      Atomics.notify(this.control, C_WANT_LOCK);
      const deadline = performance.now() + 30_000;
      for (;;) {
        const s = Atomics.load(this.control, C_STATUS);
        if (s === STATUS_EXITED || s === STATUS_FAILED) break;
        const left = deadline - performance.now();
        if (left <= 0) break;
        Atomics.wait(this.control, C_STATUS, s, Math.min(left, 50));
      }
      void worker.terminate();
      this.worker = undefined;
    }
    this.view.layers = [];
    this.view.cache.clear();
    void this.root.close();
  }
}

/**
 * A read-only replica of an LmdbCommitStore's committed state, for another thread of the same
 * process (the query workers, src/app/queryworkers.ts). It opens the same LMDB environment, never
 * writes, and starts no background writer.
 *
 * `sync()` takes a fresh LMDB read snapshot and, when the committed height in it has moved, the
 * state at that height: the state tree under the log records not yet applied to it, as the
 * writing store serves them (a record being applied chunk by chunk is still in the log, and each of
 * its writes is a final value, so the layers make any mix of applied chunks whole). The log is
 * checked as on open (checksums, app hash chain). Reads between two `sync()` calls made in one
 * synchronous run of JavaScript see that one snapshot: lmdb-js renews its read transaction only in
 * a later turn of the event loop or on `resetReadTxn()`.
 */
export class LmdbReplicaStore extends BaseCommitStore {
  private readonly view: LmdbStateView;
  private synced = false;
  /** Syncs to a new height that dropped the whole read cache, and those that dropped only the keys of blocks applied since (tests). */
  readonly cacheDrops = { full: 0, keys: 0 };

  private constructor(
    private readonly root: RootDatabase<Buffer, Buffer>,
    private readonly dbs: { readonly state: BinaryDb; readonly meta: BinaryDb; readonly wal: BinaryDb },
    private readonly dir: string,
  ) {
    super();
    this.view = new LmdbStateView(dbs.state, dir, () => undefined);
  }

  /** Opens the replica of the store in `dir` (which must exist) and syncs it. */
  static open(dir: string, options: Pick<LmdbStoreOptions, "mapSize"> = {}): LmdbReplicaStore {
    const { root, dbs } = openEnvironment(dir, lmdbEnvOptions(options.mapSize));
    const [state, meta, wal] = dbs;
    const store = new LmdbReplicaStore(root, { state, meta, wal }, dir);
    try {
      store.sync();
    } catch (e) {
      void root.close();
      throw e;
    }
    return store;
  }

  /** Takes a fresh read snapshot; returns the committed height it holds (0: nothing committed yet). */
  sync(): bigint {
    this.assertOpen();
    this.root.resetReadTxn();
    const height = metaU64(this.dbs, META_HEIGHT, this.dir);
    if (this.synced && height === this.lastHeight) return height;
    const m = readStoreMeta(this.dbs, this.dir);
    const previous = this.view.layers;
    // A block's record never changes while it is in the log: its layer is decoded once.
    const known = new Map(previous.map((l) => [l.height, l]));
    const layers: Layer[] = [];
    for (const rec of m.log) {
      const seen = known.get(rec.height);
      if (seen !== undefined) {
        layers.push(seen);
        continue;
      }
      const keys: string[] = [];
      const map = new Map<string, Uint8Array | null>();
      for (const w of decodeWriteSet(rec.encoded)) {
        const k = keyString(w.key);
        keys.push(k);
        map.set(k, w.value ?? null);
      }
      layers.push({ height: rec.height, keys, map });
    }
    // The cache holds values read from the applied state tree; a layer shadows its keys. The
    // blocks applied since the last sync lose their layers now, so their keys are dropped. If a
    // block was both committed and applied since then, this replica never saw its keys: it drops
    // everything.
    if (this.synced && m.applied <= this.lastHeight) {
      for (const l of previous) if (l.height <= m.applied) this.view.forget(l.keys);
      this.cacheDrops.keys++;
    } else {
      this.view.cache.clear();
      this.cacheDrops.full++;
    }
    this.view.layers = layers;
    this.restore(m.height, m.height === 0n ? EMPTY : m.appHash);
    this.synced = true;
    return m.height;
  }

  protected override committedView(): KVStore {
    return this.view;
  }

  protected override persist(): void {
    throw readOnlyError();
  }

  /** Closes this thread's handle on the environment. Idempotent. */
  close(): void {
    if (!this.markClosed()) return;
    this.view.layers = [];
    this.view.cache.clear();
    void this.root.close();
  }
}
