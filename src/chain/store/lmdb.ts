import { mkdirSync } from "node:fs";
import { Worker } from "node:worker_threads";

import { type Database, open, type RangeOptions, type RootDatabase } from "lmdb";

import { decodeWriteSet } from "./apphash";
import { asBuffer, EMPTY, keyString } from "./bytes";
import { BaseCommitStore, type BlockWrites, readOnlyError } from "./commit";
import {
  C_APPLIED,
  C_COMMITS,
  C_STATUS,
  C_STOP,
  C_WANT_LOCK,
  CONTROL_SLOTS,
  STATUS_EXITED,
  STATUS_FAILED,
  WORKER_SOURCE,
} from "./lmdb-worker";
import { lowerBound, mergeOver } from "./sorted";
import type { KVStore } from "./types";

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

/** Applied-state layout format, checked on open. */
const FORMAT = "dcert-store-v1";
const META_HEIGHT = Buffer.from("height", "latin1");
const META_APP_HASH = Buffer.from("appHash", "latin1");
const META_APPLIED = Buffer.from("applied", "latin1");
const META_FORMAT = Buffer.from("format", "latin1");

const DB_OPTIONS = { keyEncoding: "binary", encoding: "binary", compression: false, cache: false } as const;
const APPLY_CHUNK = 1000;
/** A commit waiting on a full backlog gives up (throws) after this long. */
const BACKLOG_TIMEOUT_MS = 120_000;

type BinaryDb = Database<Buffer, Buffer>;

function u64(n: bigint): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeBigUInt64BE(n);
  return b;
}

function readU64(b: Buffer | undefined, what: string): bigint {
  if (b === undefined) return 0n;
  if (b.length !== 8) throw new Error(`store metadata ${what} is corrupt (${b.length} bytes)`);
  return b.readBigUInt64BE(0);
}

/** A committed block whose writes are not yet in the state tree. Immutable. */
interface Layer {
  readonly height: bigint;
  readonly keys: readonly string[];
  readonly map: ReadonlyMap<string, Uint8Array | null>;
}

/** Iterates an LMDB database over [start, end) in either direction. */
function* lmdbRange(
  db: BinaryDb,
  start: Uint8Array | undefined,
  end: Uint8Array | undefined,
  reverse: boolean,
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
  for (const { key, value } of db.getRange(opts)) yield [key, value];
}

/**
 * Committed state: the LMDB state tree under the layers of committed-but-unapplied blocks (newest
 * last). Read-only. Layers and LMDB read snapshot are taken together when an iteration starts, so
 * an iteration sees one consistent committed state even if blocks are applied meanwhile.
 */
class LmdbStateView implements KVStore {
  layers: readonly Layer[] = [];

  constructor(private readonly db: BinaryDb) {}

  get(key: Uint8Array): Uint8Array | undefined {
    if (key.length === 0) return undefined;
    const layers = this.layers;
    if (layers.length > 0) {
      const k = keyString(key);
      for (let i = layers.length - 1; i >= 0; i--) {
        const v = (layers[i] as Layer).map.get(k);
        if (v !== undefined) return v === null ? undefined : v;
      }
    }
    return this.db.getBinary(asBuffer(key));
  }

  has(key: Uint8Array): boolean {
    if (key.length === 0) return false;
    const layers = this.layers;
    if (layers.length > 0) {
      const k = keyString(key);
      for (let i = layers.length - 1; i >= 0; i--) {
        const v = (layers[i] as Layer).map.get(k);
        if (v !== undefined) return v !== null;
      }
    }
    return this.db.doesExist(asBuffer(key));
  }

  set(): void {
    throw readOnlyError();
  }

  delete(): void {
    throw readOnlyError();
  }

  *iterate(start?: Uint8Array, end?: Uint8Array, reverse = false): IterableIterator<[Uint8Array, Uint8Array]> {
    const layers = this.layers;
    let it: Iterator<[Uint8Array, Uint8Array]> = lmdbRange(this.db, start, end, reverse);
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
}

/**
 * The on-disk CommitStore, on LMDB (via the `lmdb` package, synchronous API).
 *
 * Layout: one LMDB environment in `dir` with three named sub-databases, so application keys can
 * never collide with bookkeeping:
 *   "state"  application keys → values (the applied state tree)
 *   "meta"   "height" (uint64be), "appHash", "applied" (uint64be: last height in "state"), "format"
 *   "wal"    uint64be height → the block's encoded write set (apphash.ts), for committed blocks
 *            not yet applied to "state" (background and onReopen modes)
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

  private constructor(
    private readonly root: RootDatabase<Buffer, Buffer>,
    private readonly state: BinaryDb,
    private readonly meta: BinaryDb,
    private readonly wal: BinaryDb,
    private readonly mode: LmdbApplyMode,
    maxBacklog: number,
  ) {
    super();
    this.view = new LmdbStateView(state);
    this.control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_SLOTS));
    this.appliedHeight = new BigInt64Array(new SharedArrayBuffer(8));
    this.maxBacklog = Math.max(1, maxBacklog);
  }

  /** Opens (creating if needed) the store in directory `dir`. */
  static open(dir: string, options: LmdbStoreOptions = {}): LmdbCommitStore {
    mkdirSync(dir, { recursive: true });
    const envOptions = {
      maxDbs: 4,
      mapSize: options.mapSize ?? 256 * 2 ** 30,
      overlappingSync: false,
      noSync: false,
      ...DB_OPTIONS,
    } as const;
    const root = open<Buffer, Buffer>({ path: dir, ...envOptions });
    try {
      const state = root.openDB<Buffer, Buffer>({ name: "state", ...DB_OPTIONS });
      const meta = root.openDB<Buffer, Buffer>({ name: "meta", ...DB_OPTIONS });
      const wal = root.openDB<Buffer, Buffer>({ name: "wal", ...DB_OPTIONS });
      const store = new LmdbCommitStore(root, state, meta, wal, options.apply ?? "background", options.maxBacklog ?? 4);
      store.load();
      if (store.mode === "background") store.startWorker(dir, envOptions);
      return store;
    } catch (e) {
      void root.close();
      throw e;
    }
  }

  private load(): void {
    const format = this.meta.getBinary(META_FORMAT);
    if (format === undefined) {
      this.root.transactionSync(() => this.meta.putSync(META_FORMAT, Buffer.from(FORMAT, "latin1")));
    } else if (format.toString("latin1") !== FORMAT) {
      throw new Error(`store format ${format.toString("latin1")} is not ${FORMAT}`);
    }
    const height = readU64(this.meta.getBinary(META_HEIGHT), "height");
    const appHash = this.meta.getBinary(META_APP_HASH) ?? EMPTY;
    this.replayLog(height);
    this.restore(height, height === 0n ? EMPTY : appHash);
    this.appliedHeight[0] = height;
  }

  /** Applies every log record to the state tree (crash recovery, and the onReopen mode). */
  private replayLog(height: bigint): void {
    const records: { key: Buffer; value: Buffer }[] = [];
    for (const { key, value } of this.wal.getRange({})) records.push({ key, value });
    let applied = readU64(this.meta.getBinary(META_APPLIED), "applied");
    for (const rec of records) {
      const h = readU64(rec.key, "log height");
      if (h > height) throw new Error(`store log holds height ${h} beyond the committed height ${height}`);
      const writes = h > applied ? decodeWriteSet(rec.value) : [];
      this.root.transactionSync(() => {
        for (const w of writes) {
          if (w.value === undefined) this.state.removeSync(asBuffer(w.key));
          else this.state.putSync(asBuffer(w.key), asBuffer(w.value));
        }
        if (h > applied) this.meta.putSync(META_APPLIED, rec.key);
        this.wal.removeSync(rec.key);
      });
      if (h > applied) applied = h;
    }
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
    Atomics.store(this.control, C_WANT_LOCK, 1);
    try {
      this.root.transactionSync(() => {
        this.wal.putSync(hk, block.encoded);
        this.meta.putSync(META_HEIGHT, hk);
        this.meta.putSync(META_APP_HASH, block.appHash);
      });
    } finally {
      Atomics.store(this.control, C_WANT_LOCK, 0);
      Atomics.notify(this.control, C_WANT_LOCK);
    }
    this.view.layers = [...this.view.layers, { height: block.height, keys: block.keys, map: block.map }];
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
        else this.state.putSync(kb, asBuffer(v));
      }
      this.meta.putSync(META_HEIGHT, hk);
      this.meta.putSync(META_APP_HASH, block.appHash);
      this.meta.putSync(META_APPLIED, hk);
    });
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
    void this.root.close();
  }
}
