/**
 * A damaged store is detected, never served or committed (issue 10, item 5).
 *
 * A real store is built with LmdbCommitStore (a few committed blocks, overwrites, deletes, large
 * values), and copies of its data file are damaged: one value byte changed, a value moved to
 * another key, random bit flips, zeroed LMDB meta pages, a zeroed store metadata record, a garbage
 * file, a truncated file, an empty file, an old-format store. Each must be refused at open or
 * halted on read with its message; never a crash without a message and never a wrong answer.
 * Cases that could crash the process inside LMDB (SIGSEGV/SIGBUS) run in a child process, so a
 * crash fails the test instead of killing Jest.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { transformSync } from "@swc/core";
import fc from "fast-check";
import { open } from "lmdb";

import { checkLmdbFile, isStoreCorruption, seal, StoreCorruptionError, StoreOpenError } from "../../../src/baseapp/store/integrity";
import { LmdbCommitStore } from "../../../src/baseapp/store/lmdb";
import { MemoryCommitStore } from "../../../src/baseapp/store/memory";
import type { CommitStore, KVStore } from "../../../src/baseapp/store/types";
import { verifyStore } from "../../../src/baseapp/store/verify";

const REPO = join(__dirname, "..", "..", "..");
const BLOCKS = 6;

/** The deterministic block `height` (JavaScript source shared with the child): sets, overwrites, deletes, a few large values. */
const FILL_BODY = `
  for (let i = 0; i < 150; i++) {
    const slot = (height * 31 + i * 7) % 400;
    const key = Buffer.from("acct/" + String(slot).padStart(4, "0"));
    if ((slot + height) % 9 === 0) block.delete(key);
    else block.set(key, Buffer.from("v" + height + "." + i + ".".repeat((slot * 13) % 300)));
  }
  block.set(Buffer.from("big/" + (height % 3)), Buffer.alloc(5000 + height, height));
`;
const fillBlock = new Function("block", "height", FILL_BODY) as (block: KVStore, height: number) => void;

let work: string;
let build: string;
let original: string;

const hex = (u: Uint8Array): string => Buffer.from(u).toString("hex");
const dumpHash = (s: KVStore): string => {
  const h = createHash("sha256");
  for (const [k, v] of s.iterate()) h.update(`${hex(k)}=${hex(v)};`);
  return h.digest("hex");
};

/** What every committed height looks like, from an in-memory store fed the same blocks. */
const expected: { height: number; appHash: string; dump: string }[] = [];

function buildStore(dir: string, apply: "inline" | "background" | "onReopen", blocks = BLOCKS): void {
  const s = LmdbCommitStore.open(dir, { apply, mapSize: 2 ** 30 });
  for (let h = 1; h <= blocks; h++) {
    const block = s.branch();
    fillBlock(block, h);
    s.commit(s.prepare(block, BigInt(h)));
  }
  if (apply === "background") s.drain();
  s.close();
}

function copyStore(from: string): string {
  const to = mkdtempSync(join(work, "copy-"));
  copyFileSync(join(from, "data.mdb"), join(to, "data.mdb"));
  return to;
}

/** Replaces every occurrence of `find` in the data file by `replace` (same length); returns how many. */
function patchFile(dir: string, find: Buffer, replace: Buffer): number {
  const file = join(dir, "data.mdb");
  const b = readFileSync(file);
  let n = 0;
  for (let i = b.indexOf(find); i !== -1; i = b.indexOf(find, i + 1)) {
    replace.copy(b, i);
    n++;
  }
  writeFileSync(file, b);
  return n;
}

/** A child that opens damaged copies and reads everything; one JSON line per case, written synchronously. */
const CHILD = `
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const { LmdbCommitStore } = require("./src/baseapp/store/lmdb.js");
const [casesFile, source] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesFile, "utf8"));
const hex = (u) => Buffer.from(u).toString("hex");
const orig = fs.readFileSync(path.join(source, "data.mdb"));
for (const c of cases) {
  const dir = fs.mkdtempSync(path.join(path.dirname(casesFile), "case-"));
  let b = Buffer.from(orig);
  if (c.flips) for (const bit of c.flips) b[bit >> 3] ^= 1 << (bit & 7);
  if (c.zero) b.fill(0, c.zero[0], Math.min(c.zero[1], b.length));
  if (c.truncate !== undefined) b = b.subarray(0, c.truncate);
  if (c.garbage !== undefined) { let x = c.garbage; for (let i = 0; i < b.length; i++) { x = (x * 1103515245 + 12345) >>> 0; b[i] = x >>> 24; } }
  fs.writeFileSync(path.join(dir, "data.mdb"), b);
  let out;
  try {
    const s = LmdbCommitStore.open(dir, { apply: "inline", mapSize: 2 ** 30 });
    try {
      const h = crypto.createHash("sha256");
      for (const [k, v] of s.branch().iterate()) h.update(hex(k) + "=" + hex(v) + ";");
      out = { outcome: "read", height: Number(s.lastHeight), appHash: hex(s.lastAppHash), dump: h.digest("hex") };
    } finally {
      s.close();
    }
  } catch (e) {
    out = { outcome: e.name, message: String(e.message) };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.writeSync(1, JSON.stringify({ i: c.i, ...out }) + "\\n");
}
`;

interface Case {
  i: number;
  flips?: number[];
  zero?: [number, number];
  truncate?: number;
  garbage?: number;
}
interface Outcome {
  i: number;
  outcome: string;
  message?: string;
  height?: number;
  appHash?: string;
  dump?: string;
}

/** Runs the cases in one child process; a crash (signal) fails with the case it died on. */
function runCases(cases: Case[]): Outcome[] {
  const file = join(mkdtempSync(join(work, "cases-")), "cases.json");
  writeFileSync(file, JSON.stringify(cases));
  const r = spawnSync(process.execPath, [join(build, "child.js"), file, original], {
    cwd: build,
    env: { ...process.env, NODE_PATH: join(REPO, "node_modules") },
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
  });
  const outcomes = r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Outcome);
  if (r.status !== 0) {
    const next = cases[outcomes.length];
    throw new Error(`the child died (${r.signal ?? `exit ${String(r.status)}`}) on case ${JSON.stringify(next)}: ${r.stderr}`);
  }
  return outcomes;
}

/** A read that succeeded must show exactly a committed state (the last, or an older one LMDB fell back to). */
function assertNoWrongAnswer(o: Outcome, c: Case): void {
  if (o.outcome === "read") {
    const e = expected.find((x) => x.height === o.height);
    expect({ case: c, height: o.height, known: e !== undefined }).toEqual({ case: c, height: o.height, known: true });
    expect({ case: c, appHash: o.appHash, dump: o.dump }).toEqual({ case: c, appHash: e?.appHash, dump: e?.dump });
  } else {
    expect({ case: c, outcome: o.outcome }).toEqual({ case: c, outcome: expect.stringMatching(/^(StoreCorruptionError|StoreOpenError)$/) });
    expect(o.message).toMatch(/restore .* from a backup or resync the node|dcertd export/);
  }
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "dcert-corrupt-"));
  build = join(work, "build");
  const out = join(build, "src", "baseapp", "store");
  mkdirSync(out, { recursive: true });
  const srcDir = join(REPO, "src", "baseapp", "store");
  for (const f of readdirSync(srcDir).filter((n) => n.endsWith(".ts"))) {
    const { code } = transformSync(readFileSync(join(srcDir, f), "utf8"), {
      filename: f,
      jsc: { parser: { syntax: "typescript" }, target: "es2022" },
      module: { type: "commonjs" },
    });
    writeFileSync(join(out, f.replace(/\.ts$/, ".js")), code);
  }
  writeFileSync(join(build, "child.js"), CHILD);
  original = join(work, "original");
  buildStore(original, "inline");
  const m = new MemoryCommitStore();
  for (let h = 1; h <= BLOCKS; h++) {
    const block = m.branch();
    fillBlock(block, h);
    m.commit(m.prepare(block, BigInt(h)));
    expected.push({ height: h, appHash: hex(m.lastAppHash), dump: dumpHash(m.branch()) });
  }
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const opened: CommitStore[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});
function openStore(dir: string, apply: "inline" | "background" | "onReopen" = "inline"): LmdbCommitStore {
  const s = LmdbCommitStore.open(dir, { apply, mapSize: 2 ** 30 });
  opened.push(s);
  return s;
}

describe("one value byte changed", () => {
  /** The sealed bytes of the live value of `key` in the original store. */
  function liveValue(key: string): Buffer {
    const s = openStore(original);
    const v = s.branch().get(Buffer.from(key));
    if (v === undefined) throw new Error(`no ${key}`);
    return Buffer.from(v);
  }

  test("a read throws StoreCorruptionError naming the database and key, then nothing more is committed", () => {
    const key = "acct/0123";
    const value = liveValue(key);
    const dir = copyStore(original);
    const changed = Buffer.from(value);
    changed[1] = (changed[1] as number) ^ 0x01; // one byte of the value (not of its checksum)
    expect(patchFile(dir, value, changed)).toBeGreaterThanOrEqual(1);

    const s = openStore(dir);
    const branch = s.branch();
    let err: unknown;
    try {
      branch.get(Buffer.from(key));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreCorruptionError);
    const ce = err as StoreCorruptionError;
    expect(ce.db).toBe("state");
    expect(ce.keyHex).toBe(Buffer.from(key).toString("hex"));
    expect(ce.message).toContain(`0x${Buffer.from(key).toString("hex")} ("${key}")`);
    expect(ce.message).toMatch(/restore .* from a backup or resync the node/);
    expect(isStoreCorruption(err)).toBe(true);
    // A range read over it fails too; the other keys still read.
    expect(() => [...branch.iterate(Buffer.from("acct/"), Buffer.from("acct0"))]).toThrow(StoreCorruptionError);
    expect(branch.get(Buffer.from("acct/0124"))).toBeDefined();
    // Latched: no new branch, no prepare, no commit.
    branch.set(Buffer.from("x"), Buffer.from("y"));
    expect(() => s.prepare(branch, 7n)).toThrow(StoreCorruptionError);
    expect(() => s.branch()).toThrow(StoreCorruptionError);
    s.close();
    expect(openStore(dir).lastHeight).toBe(6n);
  });

  test("a value moved to another key is caught (the checksum covers the key)", () => {
    const a = liveValue("acct/0100");
    const b = liveValue("acct/0101");
    const dir = copyStore(original);
    // Write b's stored bytes (value + checksum) under a, through LMDB.
    const env = open<Buffer, Buffer>({ path: dir, maxDbs: 4, keyEncoding: "binary", encoding: "binary", compression: false });
    const state = env.openDB<Buffer, Buffer>({ name: "state", keyEncoding: "binary", encoding: "binary", compression: false });
    const stored = state.getBinary(Buffer.from("acct/0101"));
    expect(stored).toBeDefined();
    env.transactionSync(() => state.putSync(Buffer.from("acct/0100"), Buffer.from(stored!)));
    void env.close();
    expect(a.equals(b)).toBe(false);
    const s = openStore(dir);
    expect(() => s.branch().get(Buffer.from("acct/0100"))).toThrow(/"state" record for key 0x616363742f30313030/);
  });

  test("verify-store lists the damaged record and fails; a sound store passes", () => {
    const good = verifyStore(original);
    expect(good.problems).toEqual([]);
    expect(good.ok).toBe(true);
    expect(good.meta?.height).toBe(6n);
    expect(good.records.state).toBeGreaterThan(100);

    const key = "acct/0042";
    const value = liveValue(key);
    const dir = copyStore(original);
    const changed = Buffer.from(value);
    changed[2] = (changed[2] as number) ^ 0x10;
    patchFile(dir, value, changed);
    const bad = verifyStore(dir);
    expect(bad.ok).toBe(false);
    expect(bad.problems).toEqual([expect.stringContaining(`"state" record for key 0x${Buffer.from(key).toString("hex")}`)]);
  });
});

describe("damaged files are refused with a message, never a crash (child process)", () => {
  const psize = 4096;

  test.each<[string, Case, RegExp]>([
    ["zeroed meta page 0", { i: 0, zero: [0, psize] }, /meta page 0 .*restore/],
    ["zeroed meta page 1", { i: 0, zero: [psize, 2 * psize] }, /meta page 1 .*restore/],
    ["both meta pages zeroed", { i: 0, zero: [0, 2 * psize] }, /meta page 0/],
    ["the whole file zeroed", { i: 0, zero: [0, 1 << 30] }, /meta page 0/],
    ["a garbage file", { i: 0, garbage: 12345 }, /meta page 0/],
    ["a truncated file", { i: 0, truncate: 5 * psize + 100 }, /is truncated: it is 20580 bytes but its last used page/],
    ["a file cut inside its first page", { i: 0, truncate: 100 }, /meta page 0 is cut short/],
    ["an empty file", { i: 0, truncate: 0 }, /is empty \(0 bytes\)/],
  ])("%s", (_name, c, message) => {
    const [o] = runCases([c]);
    expect(o?.outcome).toBe("StoreOpenError");
    expect(o?.message).toMatch(message);
    expect(o?.message).toMatch(/from a backup or resync the node/);
  });

  test("the store's own metadata record zeroed: the height is never read as another number", () => {
    // The sealed "height" value (uint64be 6 + checksum) wherever it is in the file.
    const height = Buffer.alloc(8);
    height.writeBigUInt64BE(6n);
    const sealed = seal("meta", Buffer.from("height"), height);
    const file = readFileSync(join(original, "data.mdb"));
    const at = file.indexOf(sealed);
    expect(at).toBeGreaterThan(0);
    const [o] = runCases([{ i: 0, zero: [at, at + sealed.length] }]);
    expect(o?.outcome).toBe("StoreCorruptionError");
    expect(o?.message).toContain(`the "meta" record for key 0x${Buffer.from("height").toString("hex")} ("height") is damaged`);
  });

  test("random bit flips anywhere in the file: the original state, an older committed one, or a detected corruption", () => {
    const size = readFileSync(join(original, "data.mdb")).length;
    const cases = fc
      .sample(fc.array(fc.nat(size * 8 - 1), { minLength: 1, maxLength: 8 }), { numRuns: 400, seed: 0x5eed })
      .map((flips, i) => ({ i, flips }));
    const outcomes = runCases(cases);
    expect(outcomes.length).toBe(cases.length);
    outcomes.forEach((o, i) => assertNoWrongAnswer(o, cases[i] as Case));
    if (process.env["DCERT_CORRUPTION_STATS"] !== undefined) {
      const tally = new Map<string, number>();
      for (const o of outcomes) {
        const k = o.outcome === "read" ? `read height ${String(o.height)}` : o.outcome;
        tally.set(k, (tally.get(k) ?? 0) + 1);
      }
      process.stderr.write(`bit flips: ${JSON.stringify([...tally])}\n`);
    }
  }, 120_000);

  test("random bit flips inside stored values are always detected", () => {
    const file = readFileSync(join(original, "data.mdb"));
    // Byte ranges of live values of the last state (their bytes before the checksum).
    const s = openStore(original);
    const ranges: [number, number][] = [];
    for (const [, v] of s.branch().iterate(Buffer.from("acct/"), Buffer.from("acct0"))) {
      const at = file.indexOf(Buffer.from(v));
      if (at !== -1 && file.indexOf(Buffer.from(v), at + 1) === -1) ranges.push([at, at + v.length]);
    }
    expect(ranges.length).toBeGreaterThan(50);
    const arb = fc.tuple(fc.nat(ranges.length - 1), fc.array(fc.nat(1 << 20), { minLength: 1, maxLength: 4 }));
    const cases = fc.sample(arb, { numRuns: 60, seed: 0xf11b }).map(([r, offs], i) => {
      const [lo, hi] = ranges[r] as [number, number];
      return { i, flips: [...new Set(offs.map((o) => lo * 8 + (o % ((hi - lo) * 8))))] };
    });
    const outcomes = runCases(cases);
    outcomes.forEach((o, i) => expect({ case: cases[i], outcome: o.outcome }).toEqual({ case: cases[i], outcome: "StoreCorruptionError" }));
  }, 120_000);
});

describe("metadata is validated on open", () => {
  const OPTS = { keyEncoding: "binary", encoding: "binary", compression: false } as const;
  function rawPut(dir: string, db: string, key: Buffer, value: Buffer | undefined): void {
    const env = open<Buffer, Buffer>({ path: dir, maxDbs: 4, ...OPTS });
    const d = env.openDB<Buffer, Buffer>({ name: db, ...OPTS });
    env.transactionSync(() => (value === undefined ? d.removeSync(key) : d.putSync(key, value)));
    void env.close();
  }
  const u64 = (n: bigint): Buffer => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(n);
    return b;
  };

  test("an old-format (v1) store is refused with what to do", () => {
    const dir = copyStore(original);
    rawPut(dir, "meta", Buffer.from("format"), Buffer.from("dcert-store-v1"));
    expect(() => openStore(dir)).toThrow(/has format dcert-store-v1, which this dcertd no longer reads .*dcertd export/);
  });

  test("applied beyond the height, a missing app hash, a gap in the log are refused", () => {
    const meta = (k: string, v: Buffer): [string, Buffer, Buffer] => ["meta", Buffer.from(k), seal("meta", Buffer.from(k), v)];
    const cases: [[string, Buffer, Buffer | undefined], RegExp][] = [
      [meta("applied", u64(9n)), /"applied" \(9\) is beyond the committed height 6/],
      [["meta", Buffer.from("appHash"), undefined], /the app hash at height 6 is missing/],
      [meta("height", u64(8n)), /blocks 7\.\.8 are neither applied nor in the log/],
      [meta("appHash", Buffer.alloc(31)), /31 bytes, not 32/],
    ];
    for (const [[db, key, value], message] of cases) {
      const dir = copyStore(original);
      rawPut(dir, db, key, value);
      let err: unknown;
      try {
        openStore(dir);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StoreOpenError);
      expect((err as Error).message).toMatch(message);
    }
  });

  test("the log is checked against the app hash chain, and a damaged log record is caught", () => {
    const dir = mkdtempSync(join(work, "wal-"));
    buildStore(dir, "onReopen");
    // Sound: reopening replays the 6 logged blocks to the same state as the inline store.
    const copy = copyStore(dir);
    const s = openStore(copy);
    expect(s.lastHeight).toBe(6n);
    expect(dumpHash(s.branch())).toBe(expected[5]?.dump);

    // One byte of block 3's record changed: a checksum failure naming the log record.
    const env = open<Buffer, Buffer>({ path: dir, maxDbs: 4, ...OPTS });
    const wal = env.openDB<Buffer, Buffer>({ name: "wal", ...OPTS });
    const rec = Buffer.from(wal.getBinary(u64(3n))!);
    void env.close();
    const bad = copyStore(dir);
    const changed = Buffer.from(rec);
    changed[40] = (changed[40] as number) ^ 0xff;
    rawPut(bad, "wal", u64(3n), changed);
    expect(() => openStore(bad)).toThrow(/the "wal" record for key 0x0000000000000003 is damaged: checksum mismatch/);

    // A record with a valid checksum whose block does not lead to the committed app hash.
    const forged = copyStore(dir);
    const payload = rec.subarray(0, rec.length - 4);
    const other = Buffer.from(payload);
    other[other.length - 1] = (other[other.length - 1] as number) ^ 0x01;
    rawPut(forged, "wal", u64(3n), seal("wal", u64(3n), other));
    expect(() => openStore(forged)).toThrow(/log block 4 does not follow the app hash of block 3/);
  });

  test("a store with data but no format record is refused; a missing file is a new store", () => {
    const dir = copyStore(original);
    rawPut(dir, "meta", Buffer.from("format"), undefined);
    expect(() => openStore(dir)).toThrow(/holds data but no "format" record/);
    expect(() => checkLmdbFile(join(work, "nowhere", "data.mdb"))).not.toThrow();
  });
});

describe("writers", () => {
  test("the background writer's applied state carries checksums (a reopened store reads and verifies it)", () => {
    const dir = mkdtempSync(join(work, "bg-"));
    buildStore(dir, "background");
    expect(verifyStore(dir).problems).toEqual([]);
    const s = openStore(dir);
    expect(dumpHash(s.branch())).toBe(expected[5]?.dump);
  });
});
