/**
 * Source of the background writer thread of LmdbCommitStore (run with `new Worker(src, { eval:
 * true })`, so it works the same from compiled JavaScript and from TypeScript under Jest).
 *
 * It opens the same LMDB environment, and while not told to stop: takes the oldest record of the
 * write-ahead log (sub-database "wal", key = uint64be height, value = u8 len(prev) || prev app
 * hash || the block's encoded write set (apphash.ts format) || checksum, layout.ts), checks the
 * record's checksum (integrity.ts: CRC-32 of seed(db) || key || payload, 4 bytes big-endian),
 * applies its writes to "state" in transactions of at most CHUNK writes (each value sealed with
 * its checksum), and in the transaction with the last chunk records meta "applied" = height and
 * deletes the log record. A damaged record stops the writer with STATUS_FAILED and CORRUPT = 1:
 * nothing of it reaches "state", and the main thread reports it as StoreCorruptionError.
 * Replaying a record is idempotent (each write is a final value or a delete), so a crash
 * in the middle of a record is repaired by replaying it from the start on the next open.
 *
 * Shared memory protocol (Int32Array `control`, BigInt64Array `applied`):
 *   control[0] COMMITS   incremented by the main thread after each log commit (wake-up counter)
 *   control[1] STOP      set to 1 by the main thread to ask the worker to exit
 *   control[2] STATUS    0 starting, 1 running, 2 exited, 3 failed (set by the worker)
 *   control[3] APPLIED   incremented by the worker after each applied record (wake-up counter)
 *   control[4] WANT_LOCK 1 while the main thread is committing: the worker waits between chunks
 *   control[5] CORRUPT   1 if the worker failed because a log record is damaged
 *   applied[0]           height of the last applied record
 *
 * Keep the record decoder and checksums in step with apphash.ts, layout.ts and integrity.ts (a test commits through this worker and checks
 * the state after reopening).
 */
export const C_COMMITS = 0;
export const C_STOP = 1;
export const C_STATUS = 2;
export const C_APPLIED = 3;
export const C_WANT_LOCK = 4;
export const C_CORRUPT = 5;
export const CONTROL_SLOTS = 6;

export const STATUS_STARTING = 0;
export const STATUS_RUNNING = 1;
export const STATUS_EXITED = 2;
export const STATUS_FAILED = 3;

export const WORKER_SOURCE = `"use strict";
const { workerData, parentPort } = require("node:worker_threads");
const { crc32 } = require("node:zlib");
const control = new Int32Array(workerData.control);
const applied = new BigInt64Array(workerData.applied);
const CHUNK = workerData.chunk;
const SEEDS = workerData.seeds;

class Corrupt extends Error {}

function seal(seed, key, payload) {
  const out = Buffer.allocUnsafe(payload.length + 4);
  out.set(payload, 0);
  out.writeUInt32BE(crc32(payload, crc32(key, seed)), payload.length);
  return out;
}

function unseal(seed, key, stored) {
  const n = stored.length - 4;
  if (n < 0) throw new Corrupt("record shorter than its checksum");
  const payload = stored.subarray(0, n);
  if (crc32(payload, crc32(key, seed)) !== stored.readUInt32BE(n)) throw new Corrupt("checksum mismatch");
  return payload;
}

function readUvarint(buf, off) {
  let n = 0, mul = 1;
  for (let i = 0; i < 8; i++) {
    if (off >= buf.length) throw new Corrupt("wal record: truncated uvarint");
    const b = buf[off++];
    n += (b & 0x7f) * mul;
    if (b < 0x80) return [n, off];
    mul *= 0x80;
  }
  throw new Corrupt("wal record: uvarint too long");
}

function decode(record) {
  const plen = record.length > 0 ? record[0] : -1;
  if ((plen !== 0 && plen !== 32) || record.length < 1 + plen) throw new Corrupt("bad previous app hash length");
  const buf = record.subarray(1 + plen);
  const keys = [], values = [];
  let off = 0, klen, vlen;
  while (off < buf.length) {
    [klen, off] = readUvarint(buf, off);
    const key = buf.subarray(off, off + klen);
    off += klen;
    const op = buf[off++];
    [vlen, off] = readUvarint(buf, off);
    if (off + vlen > buf.length || key.length !== klen) throw new Corrupt("wal record: truncated");
    if (op === 1) values.push(buf.subarray(off, off + vlen));
    else if (op === 0 && vlen === 0) values.push(undefined);
    else throw new Corrupt("wal record: bad op " + op);
    keys.push(key);
    off += vlen;
  }
  return { keys, values };
}

let root;
try {
  const lmdb = require(workerData.lmdbPath);
  root = lmdb.open(Object.assign({ path: workerData.path }, workerData.options));
  const sub = (name) => root.openDB(Object.assign({ name }, workerData.dbOptions));
  const state = sub("state"), wal = sub("wal"), meta = sub("meta");
  const APPLIED_KEY = Buffer.from("applied", "latin1");
  Atomics.store(control, 2, 1);
  let seen = Atomics.load(control, 0);
  while (Atomics.load(control, 1) === 0) {
    root.resetReadTxn();
    let rec;
    for (const e of wal.getRange({ limit: 1 })) rec = e;
    if (rec === undefined) {
      Atomics.wait(control, 0, seen);
      seen = Atomics.load(control, 0);
      continue;
    }
    if (rec.key.length !== 8) throw new Corrupt("log key is not a uint64 height");
    const height = rec.key.readBigUInt64BE(0);
    const { keys, values } = decode(unseal(SEEDS.wal, rec.key, rec.value));
    for (let start = 0; start === 0 || start < keys.length; start += CHUNK) {
      while (Atomics.load(control, 4) === 1) Atomics.wait(control, 4, 1, 5);
      if (Atomics.load(control, 1) !== 0) break;
      const end = Math.min(keys.length, start + CHUNK);
      root.transactionSync(() => {
        for (let i = start; i < end; i++) {
          const v = values[i];
          if (v === undefined) state.removeSync(keys[i]);
          else state.putSync(keys[i], seal(SEEDS.state, keys[i], v));
        }
        if (end === keys.length) {
          meta.putSync(APPLIED_KEY, seal(SEEDS.meta, APPLIED_KEY, rec.key));
          wal.removeSync(rec.key);
        }
      });
      if (end === keys.length) {
        Atomics.store(applied, 0, height);
        Atomics.add(control, 3, 1);
        Atomics.notify(control, 3);
      }
    }
  }
  root.close();
  Atomics.store(control, 2, 2);
} catch (err) {
  try { if (root) root.close(); } catch (e) {}
  if (err instanceof Corrupt) Atomics.store(control, 5, 1);
  Atomics.store(control, 2, 3);
  parentPort.postMessage({ error: String((err && err.stack) || err) });
}
Atomics.notify(control, 2);
`;
