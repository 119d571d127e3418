/**
 * Integrity of the on-disk store (format "dcert-store-v2").
 *
 * Record checksums. Every value LmdbCommitStore writes to LMDB ("state", "meta" and "wal") is
 * stored as `payload || crc` where `crc` is the CRC-32 (IEEE, zlib's) of
 *
 *     seed(db) || key || payload        seed(db) = CRC-32 of "dcert-store-v2:<db>:"
 *
 * as 4 bytes big-endian. Every read checks it before the payload is used, so a changed byte in a
 * value, a value moved to another key or another database, a truncated value and a record whose
 * key bytes were damaged (it no longer matches its key) are all detected; a mismatch throws
 * StoreCorruptionError. CRC-32 detects every burst of up to 32 flipped bits and misses any other
 * damage with probability 2^-32; it is a check against media and software faults, not against an
 * attacker who can write the data directory (such a person controls the node anyway).
 *
 * Why zlib.crc32 (Node >= 20.15; package.json requires >= 20.19): it is native, ~4.7 GB/s on large
 * inputs (the write-ahead log records, ~1 MB per block), and on the small state records (key ~30,
 * value ~70 bytes) two calls cost ~0.25 µs, which measured the same as a hand-written table CRC
 * in JavaScript on this machine, so a hand-written one is not worth its code.
 *
 * What a checksum cannot see: a record that disappears altogether (e.g. a damaged LMDB branch page
 * that no longer leads to it) reads as "absent". `dcertd verify-store` walks every record and
 * checks the LMDB page structure as far as LMDB does; a range read that crosses a damaged record
 * fails, but a point read of a lost key cannot know it existed. A Merkle tree over the state would
 * close this; the app hash (apphash.ts) is a hash chain over write sets and cannot.
 *
 * Fatal errors. StoreCorruptionError (a record fails its check, or LMDB fails to read it) and
 * StoreOpenError (the store is refused at open) are fatal for a node: they must never become a tx
 * result or a query answer (errors.ts rethrows them), and the node process exits on them
 * (node.ts). Independently, a store that has detected corruption refuses prepare() and commit(),
 * so nothing is committed after it even if some caller swallowed the error.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { endianness } from "node:os";
import { crc32 } from "node:zlib";

/** The on-disk format this code reads and writes (stored, checksummed, under meta "format"). */
export const STORE_FORMAT = "dcert-store-v2";

/** The LMDB sub-databases of the store. */
export type StoreDb = "state" | "meta" | "wal";

export const CHECKSUM_BYTES = 4;

function seedOf(db: StoreDb): number {
  return crc32(Buffer.from(`${STORE_FORMAT}:${db}:`, "latin1"));
}

const SEEDS: Readonly<Record<StoreDb, number>> = { state: seedOf("state"), meta: seedOf("meta"), wal: seedOf("wal") };

/** The checksum state after the database's domain string (what the background writer starts from). */
export function checksumSeed(db: StoreDb): number {
  return SEEDS[db];
}

/** The checksum of `payload` stored under `key` in `db`. */
export function recordChecksum(db: StoreDb, key: Uint8Array, payload: Uint8Array): number {
  return crc32(payload, crc32(key, SEEDS[db]));
}

/** The bytes to store for `payload` under `key` in `db`: payload || checksum. */
export function seal(db: StoreDb, key: Uint8Array, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(payload.length + CHECKSUM_BYTES);
  out.set(payload, 0);
  out.writeUInt32BE(recordChecksum(db, key, payload), payload.length);
  return out;
}

/**
 * The payload of a stored record, after checking its checksum (a view of `stored`, no copy).
 * Throws StoreCorruptionError on a mismatch.
 */
export function unseal(db: StoreDb, key: Uint8Array, stored: Buffer, dir?: string): Buffer {
  const n = stored.length - CHECKSUM_BYTES;
  if (n < 0) throw new StoreCorruptionError(db, key, `the stored record is ${stored.length} bytes, shorter than its checksum`, dir);
  const payload = stored.subarray(0, n);
  const want = stored.readUInt32BE(n);
  const got = recordChecksum(db, key, payload);
  if (got !== want) {
    throw new StoreCorruptionError(
      db,
      key,
      `checksum mismatch (stored ${hex32(want)}, computed ${hex32(got)} over ${n} value bytes)`,
      dir,
    );
  }
  return payload;
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

/** What to do about a damaged store (shared by every message). */
export function remedy(dir?: string): string {
  const where = dir === undefined ? "the node's data directory" : `the data directory ${dir}`;
  return (
    `Stop the node, then restore ${where} from a backup or resync the node (move the directory ` +
    `away and sync the chain again from peers or a snapshot). \`dcertd verify-store --home <home>\` ` +
    `checks a stopped node's store end to end and lists every damaged record`
  );
}

/** A key for messages: hex, plus its printable form when it has one. */
export function describeKey(key: Uint8Array): string {
  const b = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  const shown = b.length > 96 ? `${b.subarray(0, 96).toString("hex")}… (${b.length} bytes)` : b.toString("hex");
  const text = b.toString("latin1");
  const printable = /^[\x20-\x7e]+$/.test(text) ? ` ("${text}")` : "";
  return `0x${shown}${printable}`;
}

/** Marks errors that must halt the node; errors.ts's errorResult rethrows them (it cannot import this file). */
export const FATAL_ERROR = Symbol.for("dcert.fatal");

/**
 * A stored record failed its integrity check, or LMDB could not read it. Fatal: the node halts,
 * nothing is committed after it, and it is never answered as a tx result or query.
 */
export class StoreCorruptionError extends Error {
  override readonly name = "StoreCorruptionError";
  readonly [FATAL_ERROR] = true;
  readonly keyHex: string;

  constructor(
    readonly db: StoreDb,
    readonly key: Uint8Array,
    readonly problem: string,
    readonly dir?: string,
  ) {
    super(`store corruption: the "${db}" record for key ${describeKey(key)} is damaged: ${problem}. ${remedy(dir)}`);
    this.keyHex = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString("hex");
  }
}

/** The store was refused when opening (damaged file, old format, inconsistent metadata). Fatal. */
export class StoreOpenError extends Error {
  override readonly name = "StoreOpenError";
  readonly [FATAL_ERROR] = true;
  constructor(
    readonly problem: string,
    readonly todo: string,
  ) {
    super(`${problem}. ${todo}`);
  }
}

/** Whether `e` is a fatal store integrity error (must halt the node, never become a result). */
export function isStoreCorruption(e: unknown): e is StoreCorruptionError | StoreOpenError {
  return e instanceof StoreCorruptionError || e instanceof StoreOpenError;
}

// ---------------------------------------------------------------- the LMDB file header

/*
 * LMDB (the fork bundled with the `lmdb` package, data format version 2) starts its data file with
 * two meta pages, page 0 and page 1. On a 64-bit little-endian machine each is laid out as:
 *
 *   0   pgno u64 (= page number)   8 txnid u64   16 pad u16   18 flags u16 (P_META = 0x08)
 *   20  lower/upper u16 × 2                                   (page header: 24 bytes)
 *   24  mm_magic u32 = 0xBEEFC0DE   28 mm_version u32 (low 16 bits = 2)
 *   32  mm_address u64              40 mm_mapsize u64
 *   48  mm_dbs[0] (free-page db)    96 mm_dbs[1] (main db)   each 48 bytes:
 *         +0 md_pad u32 (in mm_dbs[0]: the page size)  +4 md_flags u16  +6 md_depth u16
 *         +8 branch u64  +16 leaf u64  +24 overflow u64  +32 entries u64  +40 md_root u64
 *   144 mm_last_pg u64 (last used page)   152 mm_txnid u64 (the newest of the two metas wins)
 *
 * LMDB maps the file and trusts these pages: a zeroed or garbage file, or one truncated below its
 * last used page, makes it read outside the file and the process dies of SIGBUS/SIGSEGV with no
 * message. So the store checks them itself before opening: both meta pages must carry the magic,
 * version, page flag and number, the same power-of-two page size, roots inside the used pages, and
 * the file must hold every used page of the newest meta ((last_pg + 1) × page size bytes; LMDB's
 * header comment allows a shorter file when the freelist holds the last pages, but the `lmdb`
 * package writes every page it allocates: 3,000 random transactions with deletes, large values
 * and log records never produced one, see test/unit/store/corruption.test.ts).
 *
 * Why not open it in a child process first: a child can only prove that the pages read while
 * opening are sound, costs a process start per open, and a damaged page deeper in the tree would
 * still be met later; the header check costs two small reads, and catches the zeroed, garbage
 * and truncated files. Damage inside tree pages is what record checksums and LMDB's own page
 * checks (MDB_CORRUPTED, MDB_PAGE_NOTFOUND) catch on read, and `dcertd verify-store` walks it all
 * in a child process so that even a crash there is reported.
 */
const MDB_MAGIC = 0xbeefc0de;
const MDB_DATA_VERSION = 2;
const P_META = 0x08;
const P_INVALID = 0xffffffffffffffffn;
const META_READ = 176;

interface LmdbMeta {
  readonly psize: number;
  readonly lastPg: bigint;
  readonly txnid: bigint;
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  const n = readSync(fd, b, 0, len, pos);
  return b.subarray(0, n);
}

function parseMeta(b: Buffer, index: number, file: string): LmdbMeta {
  const bad = (what: string): StoreOpenError =>
    new StoreOpenError(
      `the LMDB data file ${file} is damaged: its meta page ${index} ${what}`,
      remedy(),
    );
  if (b.length < META_READ) throw bad(`is cut short (${b.length} bytes)`);
  if (b.readBigUInt64LE(0) !== BigInt(index)) throw bad(`does not carry its page number (found ${b.readBigUInt64LE(0)})`);
  if ((b.readUInt16LE(18) & P_META) === 0) throw bad(`is not marked as a meta page (flags 0x${b.readUInt16LE(18).toString(16)})`);
  if (b.readUInt32LE(24) !== MDB_MAGIC) throw bad(`lacks the LMDB magic number (found 0x${b.readUInt32LE(24).toString(16)})`);
  if ((b.readUInt32LE(28) & 0xffff) !== MDB_DATA_VERSION) {
    throw bad(`has data format version ${b.readUInt32LE(28) & 0xffff}, not ${MDB_DATA_VERSION}`);
  }
  const psize = b.readUInt32LE(48);
  if (psize < 512 || psize > 65536 || (psize & (psize - 1)) !== 0) throw bad(`has an invalid page size ${psize}`);
  const lastPg = b.readBigUInt64LE(144);
  if (lastPg < 1n) throw bad(`has an invalid last page ${lastPg}`);
  for (const [name, off] of [["free-page", 48 + 40], ["main", 96 + 40]] as const) {
    const root = b.readBigUInt64LE(off);
    if (root !== P_INVALID && (root < 2n || root > lastPg)) throw bad(`points the ${name} tree at page ${root}, outside pages 2..${lastPg}`);
  }
  return { psize, lastPg, txnid: b.readBigUInt64LE(152) };
}

/**
 * Checks the LMDB data file `file` (data.mdb) before LMDB maps it (see above). A missing file is a
 * new store and passes. Throws StoreOpenError saying what is wrong and what to do. Only on 64-bit
 * little-endian machines (the layout above); elsewhere LMDB's own checks are all there is.
 */
export function checkLmdbFile(file: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new StoreOpenError(`cannot read the LMDB data file ${file}: ${(e as Error).message}`, "Check the file's permissions");
  }
  if (endianness() !== "LE" || !["x64", "arm64", "ppc64", "riscv64", "loong64", "s390x"].includes(process.arch)) return;
  if (size === 0) {
    throw new StoreOpenError(
      `the LMDB data file ${file} is empty (0 bytes): the store was truncated, or its creation was interrupted`,
      remedy(),
    );
  }
  const fd = openSync(file, "r");
  try {
    const m0 = parseMeta(readAt(fd, 0, META_READ), 0, file);
    const m1 = parseMeta(readAt(fd, m0.psize, META_READ), 1, file);
    if (m1.psize !== m0.psize) {
      throw new StoreOpenError(`the LMDB data file ${file} is damaged: its meta pages disagree on the page size (${m0.psize}, ${m1.psize})`, remedy());
    }
    const newest = m0.txnid >= m1.txnid ? m0 : m1;
    const need = (newest.lastPg + 1n) * BigInt(newest.psize);
    if (BigInt(size) < need) {
      throw new StoreOpenError(
        `the LMDB data file ${file} is truncated: it is ${size} bytes but its last used page ${newest.lastPg} ends at byte ${need}`,
        remedy(),
      );
    }
  } finally {
    closeSync(fd);
  }
}
