/**
 * Crash safety of LmdbCommitStore: a child process commits blocks in a loop (background mode, so
 * kills land before, during and after the worker applies the log) and is killed with SIGKILL.
 * Reopening must give a height at least the last one the child reported committed, and exactly
 * the state and app hash an in-memory store reaches by committing the same blocks.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { transformSync } from "@swc/core";
import { open } from "lmdb";

import { decodeWriteSet } from "../../../src/baseapp/store/apphash";
import { seal, unseal } from "../../../src/baseapp/store/integrity";
import { decodeWalPayload } from "../../../src/baseapp/store/layout";
import { LmdbCommitStore } from "../../../src/baseapp/store/lmdb";
import { MemoryCommitStore } from "../../../src/baseapp/store/memory";
import type { CacheKVStore, CommitStore, KVStore } from "../../../src/baseapp/store/types";

const REPO = join(__dirname, "..", "..", "..");
const WRITES_PER_BLOCK = 3000;

/**
 * The deterministic block for `height`, as JavaScript source shared by the child and this test:
 * WRITES_PER_BLOCK writes over 20,000 key slots, about one in eleven a delete.
 */
const FILL_BODY = `
  for (let i = 0; i < ${WRITES_PER_BLOCK}; i++) {
    const slot = (height * 7919 + i * 104729) % 20000;
    const key = Buffer.from("k" + String(slot).padStart(5, "0"));
    if ((slot + height) % 11 === 0) block.delete(key);
    else block.set(key, Buffer.from("h" + height + "i" + i));
  }
`;
const fillBlock = new Function("block", "height", FILL_BODY) as (block: CacheKVStore, height: number) => void;

const CHILD = `
const { LmdbCommitStore } = require("./src/baseapp/store/lmdb.js");
function fillBlock(block, height) {${FILL_BODY}}
const store = LmdbCommitStore.open(process.argv[2]);
for (;;) {
  const block = store.branch();
  const h = store.lastHeight + 1n;
  fillBlock(block, Number(h));
  store.commit(store.prepare(block, h));
  process.stdout.write(h + "\\n");
}
`;

let work: string;
let build: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "dcert-crash-"));
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
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Runs the child until it has reported `minHeight` (plus a random-ish delay), then SIGKILLs it. */
function runAndKill(dir: string, minHeight: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [join(build, "child.js"), dir], {
      cwd: build,
      env: { ...process.env, NODE_PATH: join(REPO, "node_modules") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let reported = 0;
    let buf = "";
    let stderr = "";
    let killing = false;
    child.stdout?.on("data", (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const l of lines) reported = Math.max(reported, Number(l));
      if (!killing && reported >= minHeight) {
        killing = true;
        setTimeout(() => child.kill("SIGKILL"), extraMs);
      }
    });
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (_code, signal) => {
      if (signal === "SIGKILL") resolve(reported);
      else reject(new Error(`child exited without being killed: ${stderr}`));
    });
  });
}

function dump(s: KVStore): string {
  const h = createHash("sha256");
  for (const [k, v] of s.iterate()) h.update(`${Buffer.from(k).toString("hex")}=${Buffer.from(v).toString("hex")};`);
  return h.digest("hex");
}

function replayInMemory(height: bigint): CommitStore {
  const m = new MemoryCommitStore();
  for (let h = 1n; h <= height; h++) {
    const block = m.branch();
    fillBlock(block, Number(h));
    m.commit(m.prepare(block, h));
  }
  return m;
}

test("SIGKILL at arbitrary points loses no committed block and never leaves a partial one", async () => {
  const dir = join(work, "db");
  let last = 0n;
  for (const [minHeight, extraMs] of [
    [3, 0],
    [6, 7],
    [9, 23],
  ] as const) {
    const reported = await runAndKill(dir, minHeight, extraMs);
    const s = LmdbCommitStore.open(dir, { apply: "inline" });
    try {
      expect(s.lastHeight).toBeGreaterThanOrEqual(BigInt(reported));
      expect(s.lastHeight).toBeGreaterThanOrEqual(last);
      last = s.lastHeight;
      const m = replayInMemory(s.lastHeight);
      expect(Buffer.from(s.lastAppHash).toString("hex")).toBe(Buffer.from(m.lastAppHash).toString("hex"));
      expect(dump(s.branch())).toBe(dump(m.branch()));
    } finally {
      s.close();
    }
  }
}, 60_000);

test("recovery replays a log record whose application was cut short", () => {
  const dir = join(work, "partial");
  const s = LmdbCommitStore.open(dir, { apply: "onReopen" });
  for (let h = 1n; h <= 2n; h++) {
    const block = s.branch();
    fillBlock(block, Number(h));
    s.commit(s.prepare(block, h));
  }
  const hash = Buffer.from(s.lastAppHash).toString("hex");
  s.close();

  // Simulate the background writer dying halfway through block 1: the first half of its logged
  // writes are in "state", but "applied" and the log still say blocks 1 and 2 are pending.
  const dbOpts = { keyEncoding: "binary", encoding: "binary", compression: false } as const;
  const env = open<Buffer, Buffer>({ path: dir, maxDbs: 4, ...dbOpts });
  const state = env.openDB<Buffer, Buffer>({ name: "state", ...dbOpts });
  const wal = env.openDB<Buffer, Buffer>({ name: "wal", ...dbOpts });
  const height1 = Buffer.alloc(8);
  height1.writeBigUInt64BE(1n);
  const record = wal.getBinary(height1);
  expect(record).toBeDefined();
  const writes = decodeWriteSet(decodeWalPayload(unseal("wal", height1, record!)).encoded);
  expect(writes.length).toBeGreaterThan(100);
  env.transactionSync(() => {
    for (const w of writes.slice(0, writes.length >> 1)) {
      if (w.value === undefined) state.removeSync(Buffer.from(w.key));
      else state.putSync(Buffer.from(w.key), seal("state", w.key, w.value));
    }
  });
  expect(state.getCount()).toBeGreaterThan(0);
  void env.close();

  const r = LmdbCommitStore.open(dir, { apply: "inline" });
  try {
    expect(r.lastHeight).toBe(2n);
    expect(Buffer.from(r.lastAppHash).toString("hex")).toBe(hash);
    expect(dump(r.branch())).toBe(dump(replayInMemory(2n).branch()));
  } finally {
    r.close();
  }
});
