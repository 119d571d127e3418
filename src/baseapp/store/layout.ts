/**
 * The LMDB store's bookkeeping records, and their validation on open (LmdbCommitStore) and by
 * `dcertd verify-store` (verify.ts). Every stored value is sealed with its checksum
 * (integrity.ts); this module reads the "meta" and "wal" databases and checks that they describe
 * one consistent committed state:
 *
 *   meta "format"   "dcert-store-v2"
 *   meta "height"   uint64be, the last committed height (absent = 0, a new store)
 *   meta "appHash"  its app hash (32 bytes; absent at height 0)
 *   meta "applied"  uint64be, the last height whose writes are in "state" (absent = 0)
 *   wal  uint64be h → u8 len(prev) || prev || encoded write set of block h, where prev is the app
 *                     hash of the block before h (empty for the first block)
 *
 * Invariants: applied <= height; the log holds exactly the blocks applied+1 .. height (with
 * applied = 0 the first record may be the chain's initial height); each record's prev is the app
 * hash its predecessor computes, and the last one computes meta "appHash" (apphash.ts), so the
 * unapplied blocks are checked against the committed app hash chain; at height 0 nothing else is
 * stored.
 */
import type { Database } from "lmdb";

import { chainAppHash, decodeWriteSet, writeSetHash } from "./apphash";
import { describeKey, remedy, STORE_FORMAT, StoreCorruptionError, StoreOpenError, type StoreDb, unseal } from "./integrity";

export type BinaryDb = Database<Buffer, Buffer>;

export const META_HEIGHT = Buffer.from("height", "latin1");
export const META_APP_HASH = Buffer.from("appHash", "latin1");
export const META_APPLIED = Buffer.from("applied", "latin1");
export const META_FORMAT = Buffer.from("format", "latin1");

/** Formats this code knows but no longer reads (refused with how to move on). */
const OLD_FORMATS = ["dcert-store-v1"];

export function u64(n: bigint): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeBigUInt64BE(n);
  return b;
}

/** The payload of a log record: the previous app hash and the block's encoded write set. */
export function encodeWalPayload(prevAppHash: Uint8Array, encoded: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(1 + prevAppHash.length + encoded.length);
  out[0] = prevAppHash.length;
  out.set(prevAppHash, 1);
  out.set(encoded, 1 + prevAppHash.length);
  return out;
}

export function decodeWalPayload(payload: Buffer): { prevAppHash: Buffer; encoded: Buffer } {
  const n = payload.length === 0 ? -1 : (payload[0] as number);
  if ((n !== 0 && n !== 32) || payload.length < 1 + n) throw new RangeError(`bad previous app hash length ${n}`);
  return { prevAppHash: payload.subarray(1, 1 + n), encoded: payload.subarray(1 + n) };
}

/** A verified log record. */
export interface WalRecord {
  readonly height: bigint;
  readonly key: Buffer;
  readonly prevAppHash: Buffer;
  readonly encoded: Buffer;
  /** The app hash this record's block produces. */
  readonly appHash: Buffer;
}

export interface StoreMeta {
  /** No format record and nothing stored: a new store. */
  readonly fresh: boolean;
  readonly height: bigint;
  readonly appHash: Buffer;
  readonly applied: bigint;
  readonly log: readonly WalRecord[];
}

export interface StoreDbs {
  readonly state: BinaryDb;
  readonly meta: BinaryDb;
  readonly wal: BinaryDb;
}

/** LMDB read failures are corruption too: the record cannot be trusted, the node must stop. */
export function guardedRead<T>(db: StoreDb, key: Uint8Array, dir: string | undefined, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof StoreCorruptionError) throw e;
    throw new StoreCorruptionError(db, key, `LMDB could not read it (${e instanceof Error ? e.message : String(e)})`, dir);
  }
}

function getSealed(dbs: StoreDbs, name: StoreDb, key: Buffer, dir: string | undefined): Buffer | undefined {
  const stored = guardedRead(name, key, dir, () => dbs[name].getBinary(key));
  return stored === undefined ? undefined : unseal(name, key, stored, dir);
}

function any(db: BinaryDb, name: StoreDb, dir: string | undefined): boolean {
  return guardedRead(name, Buffer.alloc(0), dir, () => {
    for (const _ of db.getKeys({ limit: 1, snapshot: false })) return true;
    return false;
  });
}

function inconsistent(what: string, dir: string | undefined): StoreOpenError {
  return new StoreOpenError(`the store's metadata is inconsistent: ${what}`, remedy(dir));
}

/** A uint64 meta record (0 when absent), checksum checked. */
export function metaU64(dbs: StoreDbs, key: Buffer, dir: string | undefined): bigint {
  const v = getSealed(dbs, "meta", key, dir);
  if (v === undefined) return 0n;
  if (v.length !== 8) throw inconsistent(`meta "${key.toString("latin1")}" holds ${v.length} bytes, not a uint64`, dir);
  return v.readBigUInt64BE(0);
}

/**
 * Reads and validates the store's format, metadata and log (every record's checksum, the height
 * sequence and the app hash chain). Throws StoreOpenError (inconsistent or old-format store) or
 * StoreCorruptionError (a record fails its checksum).
 */
export function readStoreMeta(dbs: StoreDbs, dir: string | undefined): StoreMeta {
  const rawFormat = guardedRead("meta", META_FORMAT, dir, () => dbs.meta.getBinary(META_FORMAT));
  if (rawFormat === undefined) {
    if (any(dbs.meta, "meta", dir) || any(dbs.state, "state", dir) || any(dbs.wal, "wal", dir)) {
      throw inconsistent(`it holds data but no "format" record`, dir);
    }
    return { fresh: true, height: 0n, appHash: Buffer.alloc(0), applied: 0n, log: [] };
  }
  const rawText = rawFormat.toString("latin1");
  if (OLD_FORMATS.includes(rawText)) {
    throw new StoreOpenError(
      `the store${dir === undefined ? "" : ` in ${dir}`} has format ${rawText}, which this dcertd no longer reads (it needs ${STORE_FORMAT}, whose records carry checksums)`,
      `Export the state with the dcertd version that wrote it (\`dcertd export\`, docs/hard-fork.md) and start from that genesis, or move the data directory away and resync the node`,
    );
  }
  const format = unseal("meta", META_FORMAT, rawFormat, dir).toString("latin1");
  if (format !== STORE_FORMAT) {
    throw new StoreOpenError(
      `the store${dir === undefined ? "" : ` in ${dir}`} has format ${JSON.stringify(format)}, not ${STORE_FORMAT}`,
      "Use the dcertd version that wrote it, or move the data directory away and resync the node",
    );
  }

  const height = metaU64(dbs, META_HEIGHT, dir);
  const applied = metaU64(dbs, META_APPLIED, dir);
  const appHash = getSealed(dbs, "meta", META_APP_HASH, dir);
  if (height >= 1n << 63n) throw inconsistent(`the height ${height} is out of range`, dir);
  if (applied > height) throw inconsistent(`"applied" (${applied}) is beyond the committed height ${height}`, dir);
  if (height === 0n) {
    if (appHash !== undefined) throw inconsistent("an app hash is stored at height 0", dir);
    if (any(dbs.state, "state", dir) || any(dbs.wal, "wal", dir)) throw inconsistent("state or log records are stored at height 0", dir);
  } else if (appHash === undefined || appHash.length !== 32) {
    throw inconsistent(`the app hash at height ${height} is ${appHash === undefined ? "missing" : `${appHash.length} bytes, not 32`}`, dir);
  }

  const log: WalRecord[] = [];
  const entries = guardedRead("wal", Buffer.alloc(0), dir, () => [...dbs.wal.getRange({ snapshot: false })]);
  let expect: bigint | undefined = applied === 0n ? undefined : applied + 1n;
  for (const { key, value } of entries) {
    if (key.length !== 8) throw inconsistent(`the log holds a record with key ${describeKey(key)}, not a uint64 height`, dir);
    const h = key.readBigUInt64BE(0);
    if (expect !== undefined && h !== expect) {
      throw inconsistent(`the log holds block ${h} where block ${expect} was expected (applied ${applied}, height ${height})`, dir);
    }
    if (h > height) throw inconsistent(`the log holds block ${h}, beyond the committed height ${height}`, dir);
    const payload = unseal("wal", key, value, dir);
    let rec: { prevAppHash: Buffer; encoded: Buffer };
    try {
      rec = decodeWalPayload(payload);
      decodeWriteSet(rec.encoded);
    } catch (e) {
      throw new StoreCorruptionError("wal", key, `the record is malformed (${e instanceof Error ? e.message : String(e)})`, dir);
    }
    const prev = log[log.length - 1];
    if (prev === undefined && applied === 0n && rec.prevAppHash.length !== 0) {
      throw inconsistent(`log block ${h} is the first block but names a previous app hash`, dir);
    }
    if (prev !== undefined && !prev.appHash.equals(rec.prevAppHash)) {
      throw inconsistent(`log block ${h} does not follow the app hash of block ${prev.height}`, dir);
    }
    log.push({ height: h, key, ...rec, appHash: chainAppHash(h, rec.prevAppHash, writeSetHash(rec.encoded)) });
    expect = h + 1n;
  }
  const last = log[log.length - 1];
  if (last === undefined) {
    if (applied !== height) throw inconsistent(`blocks ${applied + 1n}..${height} are neither applied nor in the log`, dir);
  } else {
    if (last.height !== height) throw inconsistent(`the log ends at block ${last.height}, not at the committed height ${height}`, dir);
    if (appHash === undefined || !last.appHash.equals(appHash)) {
      throw inconsistent(`the log's blocks do not produce the committed app hash at height ${height}`, dir);
    }
  }
  return { fresh: false, height, appHash: appHash ?? Buffer.alloc(0), applied, log };
}
