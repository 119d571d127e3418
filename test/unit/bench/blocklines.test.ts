/** The peer bench reads the node's block lines back: plain and JSON, with and without the work between blocks. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { blockTimeBreakdown, parseBlockLines } from "../../../bench/lib/blocklines";
import { logBlock } from "../../../src/app/blocklog";
import { createNodeLogger } from "../../../src/app/logger";

function linesOf(format: "json" | "plain"): string {
  const out: string[] = [];
  const log = createNodeLogger({ level: "info", format, time: () => "2025-01-02T03:04:05Z", write: (s) => out.push(s) }).child("block");
  const base = { txs: 2, time: "2025-01-02T03:04:05Z", appHash: "AB" };
  logBlock(log, { ...base, height: 5n, finalizeMs: 10, commitMs: 2 });
  logBlock(log, { ...base, height: 6n, txs: 1, finalizeMs: 20, commitMs: 4, between: { prepareMs: 3, processMs: 1.5, checkTxs: 40, checkMs: 8, rechecks: 7, recheckMs: 2 } });
  return out.join("");
}

describe("block lines", () => {
  it.each(["plain", "json"] as const)("are read back from %s logs with the time between blocks", (format) => {
    const blocks = parseBlockLines(`noise\n${linesOf(format)}\nmore noise`);
    expect(blocks).toEqual([
      { height: 5, txs: 2, finalizeMs: 10, commitMs: 2, prepareMs: 0, processMs: 0, checkTxs: 0, checkMs: 0, rechecks: 0, recheckMs: 0 },
      { height: 6, txs: 1, finalizeMs: 20, commitMs: 4, prepareMs: 3, processMs: 1.5, checkTxs: 40, checkMs: 8, rechecks: 7, recheckMs: 2 },
    ]);
  });

  it("are averaged over a height window, and a missing log gives nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "blocklines-"));
    try {
      const file = join(dir, "app.log");
      writeFileSync(file, linesOf("plain"));
      expect(blockTimeBreakdown(file, 6, 6)).toMatchObject({ blocks: 1, "finalize ms": 20, "CheckTx/block": 40, "app busy ms": 38.5 });
      expect(blockTimeBreakdown(file, 5, 6)).toMatchObject({ blocks: 2, "finalize ms": 15, "prepare ms": 1.5 });
      expect(blockTimeBreakdown(file, 7, 9)).toBeUndefined();
      expect(blockTimeBreakdown(join(dir, "none.log"), 0, 9)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
