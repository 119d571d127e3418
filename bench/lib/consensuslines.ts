/**
 * Where a loaded height's time goes on CometBFT's side, read back from its plain-text log with the
 * consensus and state modules at info (the peer bench sets `log_level` so): from the height's start
 * (`Timed out … step=RoundStepNewHeight`, the previous height's timeout_commit elapsed) to its
 * proposal, its votes, FinalizeBlock, and Commit. The app's block lines (blocklines.ts) say what
 * the app did; these say what the node waited for. A height starts late when the previous one was
 * not done (FinalizeBlock, saving its results, Commit and the mempool's recheck) before its
 * timeout_commit elapsed: CometBFT then logs the start timeout with a negative duration.
 */
import { meanOf, recordsInWindow } from "./blocklines";

/** One height's phases, in ms (NaN where a line is missing). */
export interface HeightPhases {
  readonly height: number;
  /** The height's start → its proposal block complete (reaping, PrepareProposal, signing, parts). */
  readonly proposeMs: number;
  /** The proposal complete → `finalizing commit` (ProcessProposal, prevotes, precommits). */
  readonly voteMs: number;
  /** `finalizing commit` → `finalized block` (FinalizeBlock over ABCI, its answer included). */
  readonly finalizeMs: number;
  /** `finalized block` → `committed state` (saving the results, the mempool connection's answers, Commit). */
  readonly commitMs: number;
  /**
   * The start timeout the next height was scheduled with: what was left of this height's
   * timeout_commit when it was done, negative by how late the next height started.
   */
  readonly nextStartTimeoutMs: number;
}

/** A plain line's level and time (`I[2026-12-07|11:26:49.349] `), then the message and its key=value fields. */
const STAMP = /^[A-Z]\[(\d{4})-(\d{2})-(\d{2})\|(\d{2}):(\d{2}):(\d{2})\.(\d{3})\] (.*)$/;

/** The messages read, and where each goes. */
const MESSAGES = [
  ["Timed out", "start"],
  ["received complete proposal block", "proposal"],
  ["finalizing commit of block", "finalizing"],
  ["finalized block", "finalized"],
  ["committed state", "committed"],
] as const;

/** Milliseconds in a Go `time.Duration` string ("134.5ms", "1.2s", "500µs", "1m2.5s", "0s"); NaN if it is not one. */
export function goDurationMs(text: string): number {
  const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const sign = text.startsWith("-") ? -1 : 1;
  const body = text.replace(/^[-+]/, "");
  if (body === "0") return 0;
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < body.length) {
    part.lastIndex = at;
    const m = part.exec(body);
    if (m === null) return NaN;
    total += Number(m[1]) * (unitMs[m[2] ?? ""] ?? NaN);
    at = part.lastIndex;
  }
  return at === 0 ? NaN : sign * total;
}

/** The phases of every height that has a start line, in height order. */
export function parseConsensusLines(text: string): HeightPhases[] {
  const at = new Map<number, { start?: number; proposal?: number; finalizing?: number; finalized?: number; committed?: number; startTimeout?: number }>();
  const entry = (h: number) => {
    let e = at.get(h);
    if (e === undefined) at.set(h, (e = {}));
    return e;
  };
  for (const line of text.split("\n")) {
    const m = STAMP.exec(line);
    if (m === null) continue;
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
    const rest = m[8] ?? "";
    const kind = MESSAGES.find(([msg]) => rest.startsWith(`${msg} `))?.[1];
    if (kind === undefined) continue;
    const height = /\sheight=(\d+)(?:\s|$)/.exec(rest);
    if (height === null) continue;
    const e = entry(Number(height[1]));
    if (kind === "start") {
      // Only the height's start; other steps time out too (propose, prevote and precommit waits).
      if (!/\sstep=RoundStepNewHeight(?:\s|$)/.test(rest) || e.start !== undefined) continue;
      e.start = t;
      e.startTimeout = goDurationMs(/\sdur=(\S+)/.exec(rest)?.[1] ?? "");
    } else e[kind] ??= t;
  }
  const gap = (a: number | undefined, b: number | undefined): number => (a === undefined || b === undefined ? NaN : b - a);
  return [...at.keys()]
    .sort((a, b) => a - b)
    .filter((h) => at.get(h)?.start !== undefined)
    .map((h) => {
      const e = at.get(h)!;
      return {
        height: h,
        proposeMs: gap(e.start, e.proposal),
        voteMs: gap(e.proposal, e.finalizing),
        finalizeMs: gap(e.finalizing, e.finalized),
        commitMs: gap(e.finalized, e.committed),
        nextStartTimeoutMs: at.get(h + 1)?.startTimeout ?? NaN,
      };
    });
}

/**
 * Means per height of each phase over the heights in [from, to], and how many of them were
 * followed by a late start; undefined when the log has none of them (or cannot be read).
 */
export function heightBreakdown(logPath: string, from: number, to: number): Record<string, number> | undefined {
  const hs = recordsInWindow(logPath, parseConsensusLines, from, to);
  if (hs === undefined) return undefined;
  const mean = (f: (h: HeightPhases) => number): number => meanOf(hs, f);
  return {
    heights: hs.length,
    "propose ms": mean((h) => h.proposeMs),
    "vote ms": mean((h) => h.voteMs),
    "finalize ms": mean((h) => h.finalizeMs),
    "commit ms": mean((h) => h.commitMs),
    // The next height's start was already past when CometBFT scheduled it.
    "late starts": hs.filter((h) => h.nextStartTimeoutMs <= 0).length,
    // By how much, per height (0 for those on time): what the interval gained past timeout_commit there.
    // (Math.max keeps NaN, an unknown next start, which the mean leaves out.)
    "late ms": mean((h) => Math.max(0, -h.nextStartTimeoutMs)),
  };
}
