/**
 * Where a node's block time goes, read back from its block lines (src/app/blocklog.ts): per block,
 * the app's FinalizeBlock and Commit, and its work since the previous Commit (PrepareProposal,
 * ProcessProposal, CheckTx, rechecks). Works on plain and JSON log lines alike, since both carry
 * the same message text. Used by the peer bench to say why blocks stretch under load.
 */
import { readFileSync } from "node:fs";
import type { BetweenBlocks } from "../../src/app/blocklog";

/** One block line read back: the block's own figures and the app's work before it. */
export interface BlockTimes extends BetweenBlocks {
  readonly height: number;
  readonly txs: number;
  readonly finalizeMs: number;
  readonly commitMs: number;
}

const LINE =
  /committed block (\d+): (\d+) txs?, .*?\(finalize ([\d.]+), commit ([\d.]+)(?:; before it: prepare ([\d.]+) ms, process ([\d.]+) ms, (\d+) CheckTx ([\d.]+) ms, (\d+) rechecks ([\d.]+) ms)?\)/;

/** The block lines in `text`, in file order (a line that does not match is skipped). */
export function parseBlockLines(text: string): BlockTimes[] {
  const out: BlockTimes[] = [];
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (m === null) continue;
    const n = (i: number): number => Number(m[i] ?? 0);
    out.push({
      height: n(1),
      txs: n(2),
      finalizeMs: n(3),
      commitMs: n(4),
      prepareMs: n(5),
      processMs: n(6),
      checkTxs: n(7),
      checkMs: n(8),
      rechecks: n(9),
      recheckMs: n(10),
    });
  }
  return out;
}

/**
 * The records `parse` reads from the log at `logPath` with heights in [from, to]; undefined when
 * the log cannot be read or has none of them.
 */
export function recordsInWindow<T extends { readonly height: number }>(logPath: string, parse: (text: string) => T[], from: number, to: number): T[] | undefined {
  let text: string;
  try {
    text = readFileSync(logPath, "utf8");
  } catch {
    return undefined;
  }
  const records = parse(text).filter((r) => r.height >= from && r.height <= to);
  return records.length === 0 ? undefined : records;
}

/** The mean of `f` over `xs`, to one decimal, leaving out values that are not finite (NaN without any). */
export function meanOf<T>(xs: readonly T[], f: (x: T) => number): number {
  const vs = xs.map(f).filter(Number.isFinite);
  return vs.length === 0 ? NaN : Math.round((vs.reduce((a, v) => a + v, 0) / vs.length) * 10) / 10;
}

/** Mean per block of each measure over the blocks with heights in [from, to]; undefined without any. */
export function blockTimeBreakdown(logPath: string, from: number, to: number): Record<string, number> | undefined {
  const blocks = recordsInWindow(logPath, parseBlockLines, from, to);
  if (blocks === undefined) return undefined;
  const mean = (f: (b: BlockTimes) => number): number => meanOf(blocks, f);
  return {
    blocks: blocks.length,
    "txs/block": mean((b) => b.txs),
    "finalize ms": mean((b) => b.finalizeMs),
    "commit ms": mean((b) => b.commitMs),
    "prepare ms": mean((b) => b.prepareMs),
    "process ms": mean((b) => b.processMs),
    "CheckTx/block": mean((b) => b.checkTxs),
    "CheckTx ms": mean((b) => b.checkMs),
    "rechecks/block": mean((b) => b.rechecks),
    "recheck ms": mean((b) => b.recheckMs),
    "app busy ms": mean((b) => b.finalizeMs + b.commitMs + b.prepareMs + b.processMs + b.checkMs + b.recheckMs),
  };
}
