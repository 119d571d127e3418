/**
 * The election engine restarted from the tally records (voters loaded when first changed) gives
 * exactly the app hashes and records of a node that never restarted: votes replaced, re-weighted
 * by stake changes and withdrawn by unbonding for voters the restarted engine had not loaded yet,
 * a member leaving, a queued replacement maturing.
 */
import { accountValoper } from "../../src/x/staking/keeper";
import { MemoryCommitStore } from "../../src/baseapp/store/memory";
import { dcertEnv, type DcertEnv, m, ONE } from "./dcert-harness";

const BAL = [100_000_000_000n, ...Array.from({ length: 11 }, () => 10_000_000_000n)];

describe("dCERT election restart from tallies", () => {
  test("a node whose engine restarts mid-chain agrees with one that never restarted on every app hash", async () => {
    const params = { stabilization_period: "1", max_members: 2 };
    const a = await dcertEnv({ balances: BAL, params, store: new MemoryCommitStore() });
    const b = await dcertEnv({ balances: BAL, params, store: new MemoryCommitStore() });
    const val = accountValoper(a.addr(0));
    const c = (i: number): string => a.addr(i);
    // Each step: txs signed once (with a's state), whether b's engine restarts before the block.
    const plan: [boolean, (e: DcertEnv) => Promise<Uint8Array[]>][] = [
      [false, async (e) => Promise.all([1, 2, 3, 4].map((i) => e.sign(e.acct(i), [m.bond(c(i), c(i), 1_000_000n), m.accept(c(i))])))],
      [
        false,
        async (e) =>
          Promise.all(
            [5, 6, 7, 8, 9, 10, 11].map((i) =>
              e.sign(e.acct(i), [
                m.delegate(c(i), val, BigInt(i) * 1_000_000n),
                m.vote(c(i), [
                  [c(1 + (i % 4)), ONE / 2n],
                  [c(1 + ((i + 1) % 4)), ONE / 3n],
                  [c(1 + ((i + 2) % 4)), ONE / 7n],
                ]),
              ]),
            ),
          ),
      ],
      [false, async () => []],
      // Restart, then: a re-vote, a stake increase, a full unbonding, all of voters not yet loaded.
      [
        true,
        async (e) => [
          await e.sign(e.acct(5), [m.vote(c(5), [[c(4), ONE]])]),
          await e.sign(e.acct(6), [m.delegate(c(6), val, 30_000_000n)]),
          await e.sign(e.acct(7), [m.undelegate(c(7), val, 7_000_000n)]),
        ],
      ],
      [false, async () => []],
      // Restart, then a member leaves and a voter piles onto a challenger (queued, matures next).
      [
        true,
        async (e) => [
          await e.sign(e.acct(1), [m.leave(c(1))]),
          await e.sign(e.acct(8), [m.delegate(c(8), val, 60_000_000n), m.vote(c(8), [[c(3), ONE]])]),
        ],
      ],
      [true, async () => []],
      [false, async (e) => [await e.sign(e.acct(9), [m.vote(c(9), [[c(2), ONE / 2n]])])]],
      [false, async () => []],
    ];
    const hex = (x: Uint8Array): string => Buffer.from(x).toString("hex");
    let restarts = 0;
    let notLoaded = 0;
    for (let i = 0; i < plan.length; i++) {
      const [restart, txs] = plan[i] as (typeof plan)[number];
      const raw = await txs(a);
      if (restart) {
        b.keeper.index.invalidate();
        restarts++;
      }
      const ra = a.block(raw);
      const rb = b.block(raw);
      expect([i, rb.txResults.map((t) => t.code)]).toEqual([i, ra.txResults.map((t) => t.code)]);
      expect([i, hex(b.app.lastAppHash)]).toEqual([i, hex(a.app.lastAppHash)]);
      if (restart) {
        // The restarted engine holds only the voters this block changed (3 + 7 votes stored).
        const sa = a.keeper.index.engineStats();
        const sb = b.keeper.index.engineStats();
        notLoaded += (sa?.voters ?? 0) - (sb?.voters ?? 0);
        expect(sb?.candidateIds).toBe(sa?.candidateIds);
      }
    }
    expect(restarts).toBe(3);
    expect(notLoaded).toBeGreaterThan(10);
    expect(b.keeper.index.rebuilds).toBe(4);
    expect(b.app.exportGenesis()["dcert"]).toEqual(a.app.exportGenesis()["dcert"]);
    // Seats moved in the run: the leave and the queued replacement took effect.
    const members = (a.app.exportGenesis()["dcert"] as { members: { address: string }[] }).members.map((x) => x.address);
    expect(members).not.toContain(c(1));
    expect(members).toContain(c(3));
  });
});
