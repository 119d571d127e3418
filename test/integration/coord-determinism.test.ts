/**
 * Determinism of the coordination module: the coord workload (coord-workload.ts) runs on one app
 * (memory store), and a second app on LMDB replays the very same blocks (same tx bytes, same block
 * times). Both report the same app hash at every height and export the same genesis.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LmdbCommitStore } from "../../src/baseapp/store/lmdb";
import { BALANCES, coordWorkload, DCERT_PARAMS } from "./coord-workload";
import { dcertEnv } from "./dcert-harness";

describe("coord determinism", () => {
  test("a replay on LMDB matches the original app hash at every height and exports the same genesis", async () => {
    const { c } = await coordWorkload();
    const original = c.e;
    const dir = mkdtempSync(join(tmpdir(), "dcert-coord-det-"));
    const lmdb = LmdbCommitStore.open(dir);
    try {
      const replay = await dcertEnv({ balances: BALANCES, params: DCERT_PARAMS, store: lmdb });
      const replayed: string[] = [];
      for (const b of c.recorded) {
        const res = replay.block(b.txs, b.seconds);
        expect(res.txResults.map((r) => r.code)).toEqual(b.txs.map(() => 0)); // every tx of the workload succeeds on the replay too
        replayed.push(Buffer.from(res.appHash).toString("hex"));
      }
      expect(replayed).toEqual(c.recorded.map((b) => b.appHash));
      expect(new Set(replayed).size).toBe(replayed.length); // every height has its own hash
      expect(replay.chain.height).toBe(original.chain.height);
      expect(Buffer.from(lmdb.lastAppHash).toString("hex")).toBe(replayed[replayed.length - 1]);
      const exported = replay.app.exportGenesis();
      expect((exported["coord"] as { cases?: unknown[] }).cases).toHaveLength(3);
      expect(JSON.stringify(exported)).toBe(JSON.stringify(original.app.exportGenesis()));
    } finally {
      lmdb.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
