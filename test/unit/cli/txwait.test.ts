/**
 * `dcertd tx …` waiting for its block, against a fake poller and clock: a progress line per new
 * height (never a repeat), the committed tx returned in signAndBroadcast's shape, and the timeout
 * error naming a stalled chain and `dcertd status`. Also: progress never reaches stdout in -o json.
 */
import fc from "fast-check";
import type { IndexedTx } from "@cosmjs/stargate";
import { CliError } from "../../../src/cli/cmdtree";
import { waitForCommit, type TxPoller } from "../../../src/cli/txwait";

const HASH = "AB".repeat(32);

function indexed(height: number): IndexedTx {
  return {
    height,
    txIndex: 0,
    hash: HASH,
    code: 0,
    events: [{ type: "message", attributes: [{ key: "action", value: "send" }] }],
    rawLog: "",
    tx: new Uint8Array(),
    msgResponses: [],
    gasUsed: 50_000n,
    gasWanted: 70_000n,
  };
}

/** A chain whose height after i sleeps is heights[i] (the last one repeats); the tx is in it from sleep `foundAt` on. */
function fakeChain(heights: readonly number[], foundAt: number | undefined): { poller: TxPoller; clock: { now: () => number; sleep: (ms: number) => Promise<void> } } {
  let t = 0;
  let round = 0;
  const at = (r: number): number => heights[Math.min(r, heights.length - 1)] ?? 1;
  const poller: TxPoller = {
    getTx: () => Promise.resolve(foundAt !== undefined && round >= foundAt ? indexed(at(round)) : null),
    getHeight: () => Promise.resolve(at(round)),
  };
  return {
    poller,
    clock: {
      now: () => t,
      sleep: (ms) => {
        t += ms;
        round++;
        return Promise.resolve();
      },
    },
  };
}

describe("waitForCommit", () => {
  test("one line per new block height while waiting, then the tx as signAndBroadcast returns it", async () => {
    const { poller, clock } = fakeChain([7, 7, 8, 8, 8, 9, 10], 6);
    const lines: string[] = [];
    const res = await waitForCommit(poller, HASH, { timeoutMs: 60_000, intervalMs: 1_000, ...clock, progress: (l) => lines.push(l) });
    expect(lines).toEqual([`waiting for tx ${HASH}: block 7, 0 s`, `waiting for tx ${HASH}: block 8, 2 s`, `waiting for tx ${HASH}: block 9, 5 s`]);
    expect(res).toEqual({
      code: 0,
      height: 10,
      txIndex: 0,
      events: indexed(10).events,
      rawLog: "",
      transactionHash: HASH,
      msgResponses: [],
      gasUsed: 50_000n,
      gasWanted: 70_000n,
    });
  });

  test("without a progress sink nothing is printed anywhere", async () => {
    const out = jest.spyOn(process.stdout, "write");
    const err = jest.spyOn(process.stderr, "write");
    const log = jest.spyOn(console, "log");
    try {
      const { poller, clock } = fakeChain([3, 4, 5], 2);
      await waitForCommit(poller, HASH, { timeoutMs: 60_000, intervalMs: 500, ...clock });
      expect(out).not.toHaveBeenCalled();
      expect(err).not.toHaveBeenCalled();
      expect(log).not.toHaveBeenCalled();
    } finally {
      out.mockRestore();
      err.mockRestore();
      log.mockRestore();
    }
  });

  test("a halted chain: after the timeout, an error that says the chain may be stalled and to run dcertd status", async () => {
    const { poller, clock } = fakeChain([42], undefined);
    const lines: string[] = [];
    const e = await waitForCommit(poller, HASH, { timeoutMs: 60_000, intervalMs: 500, ...clock, progress: (l) => lines.push(l) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).what).toBe(`transaction ${HASH} was broadcast but not committed within 60 s (no new block after 42: the chain may be stalled)`);
    expect((e as CliError).todo).toMatch(/dcertd status/);
    expect((e as CliError).todo).toContain(`dcertd q tx ${HASH}`);
    expect(lines).toEqual([`waiting for tx ${HASH}: block 42, 0 s`]);
  });

  test("blocks come but the tx is not in them: the timeout says how far the chain got, not that it stalled", async () => {
    const { poller, clock } = fakeChain(Array.from({ length: 200 }, (_, i) => 5 + Math.floor(i / 4)), undefined);
    const e = (await waitForCommit(poller, HASH, { timeoutMs: 10_000, intervalMs: 1_000, ...clock }).catch((x: unknown) => x)) as CliError;
    expect(e.what).toMatch(/not committed within 10 s \(the chain reached block 7\)$/);
    expect(e.what).not.toMatch(/stalled/);
  });

  test("property: progress heights are strictly the distinct consecutive heights seen, and elapsed never decreases", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 45 }), async (steps, foundAt) => {
        let h = 1;
        const heights = steps.map((d) => (h += d));
        const { poller, clock } = fakeChain(heights, foundAt);
        const lines: string[] = [];
        await waitForCommit(poller, HASH, { timeoutMs: 30_000, intervalMs: 1_000, ...clock, progress: (l) => lines.push(l) }).catch(() => undefined);
        const parsed = lines.map((l) => /block (\d+), (\d+) s$/.exec(l)!).map((m) => [Number(m[1]), Number(m[2])] as const);
        for (let i = 1; i < parsed.length; i++) {
          expect(parsed[i]![0]).toBeGreaterThan(parsed[i - 1]![0]);
          expect(parsed[i]![1]).toBeGreaterThanOrEqual(parsed[i - 1]![1]);
        }
      }),
    );
  });
});
