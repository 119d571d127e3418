/** The peer bench reads CometBFT's consensus and state lines back to say where a height's time went. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { goDurationMs, heightBreakdown, parseConsensusLines } from "../../../bench/lib/consensuslines";

/** CometBFT's plain format: level, time, the message padded to 44 characters, then key=value fields. */
const line = (time: string, msg: string, fields: string): string => `I[2026-12-07|${time}] ${msg.padEnd(44)} ${fields}`;

// Height 12 starts on time (412 ms of timeout_commit left after height 11), height 13 starts 48 ms
// late; height 14 has no proposal line. Noise: another step's timeout, an app line, an error line.
const LOG = [
  line("11:26:45.100", "Timed out", "module=consensus dur=412.5ms height=12 round=0 step=RoundStepNewHeight"),
  line("11:26:45.143", "received complete proposal block", "module=consensus height=12 hash=A7"),
  line("11:26:45.150", "Timed out", "module=consensus dur=3s height=12 round=0 step=RoundStepPropose"),
  line("11:26:45.167", "finalizing commit of block", "module=consensus height=12 hash=A7 root=16"),
  line("11:26:45.430", "finalized block", "module=state height=12 num_txs_res=3501 num_val_updates=0"),
  line("11:26:45.430", "executed block", "module=state height=12 app_hash=86"),
  line("11:26:45.522", "committed state", "module=state height=12 block_app_hash=7E"),
  "2026-12-07T11:26:45.523Z INF [block] committed block 12: 3501 txs",
  line("11:26:45.669", "Timed out", "module=consensus dur=-48.093101ms height=13 round=0 step=RoundStepNewHeight"),
  line("11:26:45.700", "received complete proposal block", "module=consensus height=13 hash=2C"),
  line("11:26:45.787", "finalizing commit of block", "module=consensus height=13 hash=2C"),
  line("11:26:45.813", "finalized block", "module=state height=13 num_txs_res=1 num_val_updates=0"),
  line("11:26:45.947", "committed state", "module=state height=13 block_app_hash=86"),
  "E[2026-12-07|11:26:46.000] something failed                             module=p2p err=x",
  line("11:26:46.186", "Timed out", "module=consensus dur=-2.1ms height=14 round=0 step=RoundStepNewHeight"),
  line("11:26:46.290", "finalizing commit of block", "module=consensus height=14 hash=FE"),
].join("\n");

describe("consensus lines", () => {
  it("give each height's phases and the start timeout of the next", () => {
    const hs = parseConsensusLines(LOG);
    expect(hs.map((h) => h.height)).toEqual([12, 13, 14]);
    expect(hs[0]).toEqual({ height: 12, proposeMs: 43, voteMs: 24, finalizeMs: 263, commitMs: 92, nextStartTimeoutMs: -48.093101 });
    expect(hs[1]).toMatchObject({ proposeMs: 31, voteMs: 87, finalizeMs: 26, commitMs: 134, nextStartTimeoutMs: -2.1 });
    // A missing line leaves its phases unknown, not zero; so does the height after the last.
    expect(hs[2]!.proposeMs).toBeNaN();
    expect(hs[2]!.voteMs).toBeNaN();
    expect(hs[2]!.nextStartTimeoutMs).toBeNaN();
  });

  it("are averaged over a height window, with the late starts and by how much; a missing log gives nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "consensuslines-"));
    try {
      const file = join(dir, "cometbft.log");
      writeFileSync(file, LOG);
      expect(heightBreakdown(file, 12, 13)).toEqual({
        heights: 2,
        "propose ms": 37,
        "vote ms": 55.5,
        "finalize ms": 144.5,
        "commit ms": 113,
        "late starts": 2,
        "late ms": 25.1,
      });
      // Height 14's start is known, its proposal is not: only the known phases are averaged.
      expect(heightBreakdown(file, 13, 14)).toMatchObject({ heights: 2, "propose ms": 31, "late starts": 1, "late ms": 2.1 });
      expect(heightBreakdown(file, 20, 30)).toBeUndefined();
      expect(heightBreakdown(join(dir, "none.log"), 0, 99)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("read Go durations, compound and signed, and refuse anything else", () => {
    expect(goDurationMs("134.598737ms")).toBeCloseTo(134.598737, 9);
    expect(goDurationMs("-48.1ms")).toBeCloseTo(-48.1, 9);
    expect(goDurationMs("1.5s")).toBe(1500);
    expect(goDurationMs("1m2.5s")).toBe(62_500);
    expect(goDurationMs("500µs")).toBe(0.5);
    expect(goDurationMs("0s")).toBe(0);
    for (const bad of ["", "ms", "12", "1.5x", "1s garbage", "--1s"]) expect(goDurationMs(bad)).toBeNaN();
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), (us) => {
        // Whole microseconds written the way Go prints them below one second.
        const text = `${us < 0 ? "-" : ""}${Math.abs(us) / 1000}ms`;
        expect(goDurationMs(text)).toBeCloseTo(us / 1000, 6);
      }),
    );
  });
});
