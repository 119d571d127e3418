/**
 * End-to-end check of a stopped node's LMDB store (`dcertd verify-store`): the LMDB file header,
 * the format, the metadata and the log against the app hash chain (layout.ts), and every record's
 * checksum in all three databases (integrity.ts), with state keys in strictly ascending order and
 * of valid length. Read-only: nothing is replayed or repaired. Problems are collected (up to
 * MAX_LISTED are listed) rather than stopping at the first, so the report says how much is damaged.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

import { open, type RootDatabase } from "lmdb";

import { MAX_KEY_LENGTH } from "./bytes";
import { checkLmdbFile, describeKey, isStoreCorruption, StoreCorruptionError, type StoreDb, unseal } from "./integrity";
import { type BinaryDb, META_APP_HASH, META_APPLIED, META_FORMAT, META_HEIGHT, readStoreMeta, type StoreMeta } from "./layout";

const DB_OPTIONS = { keyEncoding: "binary", encoding: "binary", compression: false, cache: false } as const;
const MAX_LISTED = 100;
const KNOWN_META = [META_FORMAT, META_HEIGHT, META_APP_HASH, META_APPLIED].map((k) => k.toString("latin1"));

export interface VerifyReport {
  readonly dir: string;
  readonly ok: boolean;
  /** The validated metadata, when it validated. */
  readonly meta: StoreMeta | undefined;
  readonly records: Readonly<Record<StoreDb, number>>;
  /** Problems found, the first MAX_LISTED of them. */
  readonly problems: readonly string[];
  /** Total number of problems (may exceed problems.length). */
  readonly problemCount: number;
}

export interface VerifyOptions {
  /** Called every `progressEvery` state records (default 100,000) with the count so far. */
  readonly onProgress?: (db: StoreDb, records: number) => void;
  readonly progressEvery?: number;
}

/** Verifies the store in `dir` (the directory holding data.mdb). Never throws for a damaged store. */
export function verifyStore(dir: string, options: VerifyOptions = {}): VerifyReport {
  const problems: string[] = [];
  let problemCount = 0;
  const problem = (p: string): void => {
    problemCount++;
    if (problems.length < MAX_LISTED) problems.push(p);
  };
  const records: Record<StoreDb, number> = { state: 0, meta: 0, wal: 0 };
  const done = (meta: StoreMeta | undefined): VerifyReport => ({ dir, ok: problemCount === 0, meta, records, problems, problemCount });
  const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

  const file = join(dir, "data.mdb");
  if (!existsSync(file)) {
    problem(`there is no store in ${dir} (no data.mdb)`);
    return done(undefined);
  }
  try {
    checkLmdbFile(file);
  } catch (e) {
    problem(message(e));
    return done(undefined);
  }
  let root: RootDatabase<Buffer, Buffer>;
  try {
    root = open<Buffer, Buffer>({ path: dir, readOnly: true, maxDbs: 4, ...DB_OPTIONS });
  } catch (e) {
    problem(`LMDB cannot open the store: ${message(e)}`);
    return done(undefined);
  }
  try {
    const dbs: Partial<Record<StoreDb, BinaryDb>> = {};
    for (const name of ["state", "meta", "wal"] as const) {
      try {
        dbs[name] = root.openDB<Buffer, Buffer>({ name, ...DB_OPTIONS });
      } catch (e) {
        problem(`LMDB cannot open the "${name}" database: ${message(e)}`);
      }
    }
    const { state, meta, wal } = dbs;
    if (state === undefined || meta === undefined || wal === undefined) return done(undefined);

    let m: StoreMeta | undefined;
    try {
      m = readStoreMeta({ state, meta, wal }, dir);
    } catch (e) {
      if (!isStoreCorruption(e)) throw e;
      problem(e.message);
    }
    if (m?.fresh === true) problem(`the store in ${dir} is empty (no format record): nothing was ever committed to it`);

    const every = options.progressEvery ?? 100_000;
    const walk = (name: StoreDb, db: BinaryDb, checkKey: (key: Buffer) => string | undefined): void => {
      let prev: Buffer | undefined;
      let at = "the start";
      try {
        for (const { key, value } of db.getRange({ snapshot: true })) {
          at = describeKey(key);
          records[name]++;
          if (prev !== undefined && Buffer.compare(prev, key) >= 0) {
            problem(`"${name}" keys out of order: ${describeKey(key)} follows ${describeKey(prev)} (a damaged LMDB page)`);
          }
          prev = key;
          const bad = checkKey(key);
          if (bad !== undefined) problem(`"${name}" key ${describeKey(key)}: ${bad}`);
          try {
            unseal(name, key, value, dir);
          } catch (e) {
            problem(e instanceof StoreCorruptionError ? `"${name}" record for key ${describeKey(key)} is damaged: ${e.problem}` : message(e));
          }
          if (options.onProgress !== undefined && records[name] % every === 0) options.onProgress(name, records[name]);
        }
      } catch (e) {
        problem(`LMDB failed walking the "${name}" database after ${at}: ${message(e)} (a damaged LMDB page; records beyond it were not checked)`);
      }
    };
    walk("meta", meta, (k) => (KNOWN_META.includes(k.toString("latin1")) ? undefined : "not a metadata record this store writes"));
    walk("wal", wal, (k) => (k.length === 8 ? undefined : "not a uint64 height"));
    walk("state", state, (k) => (k.length === 0 || k.length > MAX_KEY_LENGTH ? `key length ${k.length} outside 1..${MAX_KEY_LENGTH}` : undefined));
    return done(m);
  } finally {
    void root.close();
  }
}
