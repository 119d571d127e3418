import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import fc from "fast-check";

import { LmdbCommitStore } from "../../../src/baseapp/store/lmdb";
import { MemoryCommitStore } from "../../../src/baseapp/store/memory";
import type { CommitStore, KVStore } from "../../../src/baseapp/store/types";

const hex = (u: Uint8Array): string => Buffer.from(u).toString("hex");

/** A block: writes in the order the block made them (value undefined = delete). */
type Block = [Uint8Array, Uint8Array | undefined][];

const keyArb = fc.uint8Array({ minLength: 1, maxLength: 4 });
const writeArb = fc.tuple(keyArb, fc.option(fc.uint8Array({ maxLength: 6 }), { nil: undefined }));
const blocksArb = fc.array(fc.array(writeArb, { maxLength: 25 }), { minLength: 1, maxLength: 6 });

function apply(store: CommitStore, height: bigint, block: Block, txSize: number): Uint8Array {
  const b = store.branch();
  // write through transaction-sized nested branches, as the app does
  for (let i = 0; i < block.length; i += txSize) {
    const tx = b.branch();
    for (const [k, v] of block.slice(i, i + txSize)) {
      if (v === undefined) tx.delete(k);
      else tx.set(k, v);
    }
    tx.write();
  }
  const p = store.prepare(b, height);
  store.commit(p);
  return p.appHash;
}

const dump = (s: KVStore): string[] => [...s.iterate()].map(([k, v]) => `${hex(k)}=${hex(v)}`);

/** Shuffles writes without reordering writes to the same key (only the last one counts). */
function reorder(block: Block, seed: number): Block {
  const byKey = new Map<string, Block>();
  for (const w of block) {
    const k = hex(w[0]);
    byKey.set(k, [...(byKey.get(k) ?? []), w]);
  }
  const groups = [...byKey.values()];
  const out: Block = [];
  let x = seed >>> 0 || 1;
  while (groups.length > 0) {
    x = (x * 1103515245 + 12345) >>> 0;
    const g = groups[x % groups.length]!;
    out.push(g.shift()!);
    if (g.length === 0) groups.splice(groups.indexOf(g), 1);
  }
  return out;
}

describe("commit stores agree", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "dcert-store-prop-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let run = 0;

  test("memory and LMDB stores give the same app hashes and state for the same blocks", () => {
    fc.assert(
      fc.property(blocksArb, fc.integer({ min: 1, max: 5 }), fc.constantFrom<"background" | "inline">("background", "inline"), (blocks, txSize, mode) => {
        const mem = new MemoryCommitStore();
        const path = join(dir, `r${run++}`);
        let lmdb = LmdbCommitStore.open(path, { apply: mode });
        try {
          let h = 1n;
          for (const block of blocks) {
            expect(hex(apply(lmdb, h, block, txSize))).toBe(hex(apply(mem, h, block, 1)));
            h++;
          }
          expect(dump(lmdb.branch())).toEqual(dump(mem.branch()));
          lmdb.close();
          lmdb = LmdbCommitStore.open(path, { apply: "inline" });
          expect(hex(lmdb.lastAppHash)).toBe(hex(mem.lastAppHash));
          expect(dump(lmdb.branch())).toEqual(dump(mem.branch()));
        } finally {
          lmdb.close();
        }
      }),
      { numRuns: 15 },
    );
  });

  test("the app hash does not depend on write order, and changes with the writes", () => {
    fc.assert(
      fc.property(blocksArb, fc.integer(), fc.integer({ min: 1, max: 4 }), (blocks, seed, txSize) => {
        const a = new MemoryCommitStore();
        const b = new MemoryCommitStore();
        let h = 1n;
        for (const block of blocks) {
          expect(hex(apply(a, h, block, txSize))).toBe(hex(apply(b, h, reorder(block, seed), 1)));
          h++;
        }
        // one extra write changes the hash
        const c = new MemoryCommitStore();
        let hc = 1n;
        for (const block of blocks) {
          const extra: Block = hc === 1n ? [...block, [Uint8Array.of(0xee, 0xee, 0xee, 0xee, 0xee), Uint8Array.of(1)]] : block;
          apply(c, hc, extra, txSize);
          hc++;
        }
        expect(hex(c.lastAppHash)).not.toBe(hex(a.lastAppHash));
      }),
      { numRuns: 100 },
    );
  });

  test("point reads of LMDB's committed view (read cache included) always equal the memory store's", () => {
    // Small keys so that blocks keep rewriting keys read (and cached) before; reads happen before,
    // during and after each block, and the background writer is drained at random points, so
    // values are read from layers, from LMDB and from the cache in every order.
    const smallKey = fc.uint8Array({ minLength: 1, maxLength: 1 }).map((k) => Uint8Array.of(k[0]! & 7));
    const step = fc.record({
      writes: fc.array(fc.tuple(smallKey, fc.option(fc.uint8Array({ maxLength: 4 }), { nil: undefined })), { maxLength: 6 }),
      reads: fc.array(smallKey, { maxLength: 8 }),
      drain: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), fc.constantFrom<"background" | "inline">("background", "inline"), (steps, mode) => {
        const mem = new MemoryCommitStore();
        const path = join(dir, `c${run++}`);
        const lmdb = LmdbCommitStore.open(path, { apply: mode });
        const read = (s: CommitStore, k: Uint8Array): string => {
          const v = s.branch().get(k);
          return v === undefined ? "-" : hex(v);
        };
        try {
          let h = 1n;
          for (const st of steps) {
            for (const k of st.reads) expect(read(lmdb, k)).toBe(read(mem, k));
            const stores: [CommitStore, ReturnType<CommitStore["branch"]>][] = [
              [lmdb, lmdb.branch()],
              [mem, mem.branch()],
            ];
            for (const [, b] of stores) {
              for (const [k, v] of st.writes) {
                b.get(k); // a read in the block, before its write, fills the cache with the old value
                if (v === undefined) b.delete(k);
                else b.set(k, v);
              }
            }
            for (const [store, b] of stores) store.commit(store.prepare(b, h));
            h++;
            if (st.drain) lmdb.drain();
            for (let k = 0; k < 8; k++) expect(read(lmdb, Uint8Array.of(k))).toBe(read(mem, Uint8Array.of(k)));
          }
        } finally {
          lmdb.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
