/**
 * Store benchmark: prepare + commit of a 2,000-tx block on LMDB (target: a few ms;
 * docs/design.md §8).
 *
 * Each block runs 2,000 "transactions", each in its own branch of the block branch (as the app
 * does), each reading and writing 6 keys: 4 existing keys picked at random over the initial state
 * (accounts, balances) and 2 new keys (a vote record and an index entry), so 12,000 writes per
 * block. Keys look like the modules' (store prefix such as "bank/", a record byte, a random 20-byte
 * address), so they spread over the whole state (the worst case for B-tree updates). Values are
 * 40–90 bytes. The store starts with `initialKeys` keys (default 100,000).
 *
 * Columns: exec = the transactions' store work; prepare = write-set encoding + app hash;
 * commit = persisting (durable, fsynced, before it returns). Medians and p90 over the measured
 * blocks. Scenarios:
 *   paced          the block interval leaves the background writer time to apply each block
 *                  (GAP_MS of other block work per block: signature checks etc. at ~2,000 tx/s)
 *   back-to-back   blocks with no other work in between: commit waits when the background
 *                  writer falls MAX_BACKLOG blocks behind, so this shows its sustained rate
 * Modes: "background" (the default: WAL record + worker thread applies it), "inline" (B-tree
 * updates inside commit), and the in-memory store for reference.
 *
 * Run: npx tsc -p tsconfig.build.json && node dist/bench/store.js [initialKeys] [blocks]
 * Prints a table and JSON, and writes bench/results/store.json. Wall-clock timing is fine here:
 * benchmarks never run in block execution. Keys come from a seeded PRNG.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { CacheKV } from "../src/baseapp/store/cachekv";
import { type LmdbApplyMode, LmdbCommitStore } from "../src/baseapp/store/lmdb";
import { MemoryCommitStore } from "../src/baseapp/store/memory";
import type { CommitStore } from "../src/baseapp/store/types";
import { report } from "./lib/report";
import { Rng } from "./lib/rng";

const TXS_PER_BLOCK = 2_000;
const EXISTING_PER_TX = 4;
const NEW_PER_TX = 2;
const GAP_MS = 150;
const WARMUP_BLOCKS = 3;

/** Key prefixes shaped like the modules' (store name, "/", record byte, length-prefixed address). */
const PREFIXES = ["auth/\x01\x14", "bank/\x02\x14", "dcert/\x11\x14", "dcert/\x20\x14", "staking/\x31\x14", "distribution/\x04\x14"].map(
  (p) => Buffer.from(p, "latin1"),
);

/** A module-prefixed key with a random 20-byte address (and a denom suffix for balances). */
function randomKey(rng: Rng): Uint8Array {
  const p = PREFIXES[rng.next() % PREFIXES.length] as Buffer;
  const suffix = p[0] === 0x62 ? Buffer.from("stake") : Buffer.alloc(0);
  return new Uint8Array(Buffer.concat([p, rng.bytes(20), suffix]));
}

function value(rng: Rng): Uint8Array {
  return rng.bytes(40 + (rng.next() % 51));
}

function populate(store: CommitStore, rng: Rng, n: number, existing: Uint8Array[]): void {
  const per = 25_000;
  for (let done = 0; done < n; ) {
    const block = store.branch();
    for (let i = 0; i < per && done < n; i++, done++) {
      const k = randomKey(rng);
      existing.push(k);
      block.set(k, value(rng));
    }
    store.commit(store.prepare(block, store.lastHeight + 1n));
  }
}

function runBlock(store: CommitStore, rng: Rng, existing: Uint8Array[]): { exec: number; prepare: number; commit: number } {
  const t0 = performance.now();
  const block = store.branch();
  for (let t = 0; t < TXS_PER_BLOCK; t++) {
    const tx = block.branch();
    for (let i = 0; i < EXISTING_PER_TX; i++) {
      const k = existing[rng.next() % existing.length] as Uint8Array;
      tx.get(k);
      tx.set(k, value(rng));
    }
    for (let i = 0; i < NEW_PER_TX; i++) {
      const k = randomKey(rng);
      tx.get(k);
      tx.set(k, value(rng));
      existing.push(k);
    }
    tx.write();
  }
  const t1 = performance.now();
  const pending = store.prepare(block as CacheKV, store.lastHeight + 1n);
  const t2 = performance.now();
  store.commit(pending);
  const t3 = performance.now();
  return { exec: t1 - t0, prepare: t2 - t1, commit: t3 - t2 };
}

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // simulated block work (the main thread is busy, as it would be verifying signatures)
  }
}

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

interface Row {
  [k: string]: string | number;
  store: string;
  scenario: string;
  blocks: number;
  "exec ms p50": number;
  "prepare ms p50": number;
  "commit ms p50": number;
  "commit ms p90": number;
  "prepare+commit ms p50": number;
  "prepare+commit ms p90": number;
}

function bench(kind: LmdbApplyMode | "memory", scenario: "paced" | "back-to-back", initial: number, blocks: number): Row {
  const dir = mkdtempSync(join(tmpdir(), "dcert-bench-store-"));
  const store: CommitStore = kind === "memory" ? new MemoryCommitStore() : LmdbCommitStore.open(dir, { apply: kind });
  try {
    const rng = new Rng(0x5eed);
    const existing: Uint8Array[] = [];
    populate(store, rng, initial, existing);
    if (store instanceof LmdbCommitStore) store.drain();
    const exec: number[] = [];
    const prep: number[] = [];
    const comm: number[] = [];
    const both: number[] = [];
    for (let b = 0; b < WARMUP_BLOCKS + blocks; b++) {
      const r = runBlock(store, rng, existing);
      if (b >= WARMUP_BLOCKS) {
        exec.push(r.exec);
        prep.push(r.prepare);
        comm.push(r.commit);
        both.push(r.prepare + r.commit);
      }
      if (scenario === "paced") busyWait(GAP_MS);
    }
    return {
      store: kind === "memory" ? "memory" : `lmdb ${kind}`,
      scenario,
      blocks,
      "exec ms p50": quantile(exec, 0.5),
      "prepare ms p50": quantile(prep, 0.5),
      "commit ms p50": quantile(comm, 0.5),
      "commit ms p90": quantile(comm, 0.9),
      "prepare+commit ms p50": quantile(both, 0.5),
      "prepare+commit ms p90": quantile(both, 0.9),
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function main(argv: readonly string[] = process.argv.slice(2)): Row[] {
  const initial = Number(argv[0] ?? 100_000);
  const blocks = Number(argv[1] ?? 15);
  const rows: Row[] = [];
  const cases: [LmdbApplyMode | "memory", "paced" | "back-to-back"][] = [
    ["background", "paced"],
    ["background", "back-to-back"],
    ["inline", "paced"],
    ["inline", "back-to-back"],
    ["memory", "back-to-back"],
  ];
  for (const [kind, scenario] of cases) {
    process.stderr.write(`store bench: ${kind} ${scenario} (${initial} initial keys, ${blocks} blocks)…\n`);
    rows.push(bench(kind, scenario, initial, blocks));
  }
  const meta = {
    node: process.version,
    txsPerBlock: TXS_PER_BLOCK,
    writesPerBlock: TXS_PER_BLOCK * (EXISTING_PER_TX + NEW_PER_TX),
    initialKeys: initial,
    gapMs: GAP_MS,
    warmupBlocks: WARMUP_BLOCKS,
  };
  report("store", rows, meta);
  console.log(JSON.stringify({ benchmark: "store", meta, rows }));
  return rows;
}

if (require.main === module) main();
