/**
 * LmdbReplicaStore (the query workers' view of the node's store) against the writer: after every
 * sync its point reads equal a memory store's at the same height, read cache included. Blocks keep
 * rewriting a few small keys; the log is applied to the state tree at random points (the writer
 * reopened in "onReopen" mode, or drained in "background" mode), so the replica keeps values
 * cached from the tree while layers shadow them, then sees those layers applied and dropped.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import fc from "fast-check";

import { LmdbCommitStore, LmdbReplicaStore } from "../../../src/baseapp/store/lmdb";
import { MemoryCommitStore } from "../../../src/baseapp/store/memory";
import type { CommitStore } from "../../../src/baseapp/store/types";

const hex = (u: Uint8Array): string => Buffer.from(u).toString("hex");

const KEYS = 8;
const smallKey = fc.integer({ min: 0, max: KEYS - 1 }).map((k) => Uint8Array.of(k));
const step = fc.record({
  writes: fc.array(fc.tuple(smallKey, fc.option(fc.uint8Array({ minLength: 1, maxLength: 4 }), { nil: undefined })), { maxLength: 5 }),
  apply: fc.boolean(),
  sync: fc.boolean(),
});

let dir: string;
let run = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "dcert-replica-prop-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(s: CommitStore | LmdbReplicaStore, k: number): string {
  const v = s.branch().get(Uint8Array.of(k));
  return v === undefined ? "-" : hex(v);
}

test("after each sync the replica reads what the writer committed, whatever was applied in between", () => {
  let targeted = 0;
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 14 }), fc.constantFrom<"onReopen" | "background">("onReopen", "background"), (steps, mode) => {
      const path = join(dir, `r${run++}`);
      const mem = new MemoryCommitStore();
      let writer = LmdbCommitStore.open(path, { apply: mode });
      const commit = (s: CommitStore, writes: (typeof steps)[number]["writes"], h: bigint): void => {
        const b = s.branch();
        for (const [k, v] of writes) {
          if (v === undefined) b.delete(k);
          else b.set(k, v);
        }
        s.commit(s.prepare(b, h));
      };
      // A first block, so the replica has a height to open at.
      commit(writer, [[Uint8Array.of(0), Uint8Array.of(1)]], 1n);
      commit(mem, [[Uint8Array.of(0), Uint8Array.of(1)]], 1n);
      const replica = LmdbReplicaStore.open(path);
      try {
        let h = 2n;
        for (const st of steps) {
          // Applied first: the replica may still hold the applied blocks as layers when it syncs next.
          if (st.apply) {
            if (mode === "onReopen") {
              // Reopening applies the whole log to the state tree.
              writer.close();
              writer = LmdbCommitStore.open(path, { apply: mode });
            } else writer.drain();
          }
          commit(writer, st.writes, h);
          commit(mem, st.writes, h);
          h++;
          if (st.sync) {
            expect(replica.sync()).toBe(writer.lastHeight);
            for (let k = 0; k < KEYS; k++) expect(read(replica, k)).toBe(read(mem, k));
          }
        }
        targeted += replica.cacheDrops.keys;
      } finally {
        replica.close();
        writer.close();
      }
    }),
    { numRuns: 100 },
  );
  // The runs went through the path that keeps the cache and drops only the applied blocks' keys.
  expect(targeted).toBeGreaterThan(0);
});
