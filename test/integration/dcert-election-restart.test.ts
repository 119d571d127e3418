/**
 * The election engine restarted from the tally records (voters loaded when first changed) gives
 * exactly the app hashes and records of a node that never restarted: votes replaced, re-weighted
 * by stake changes and withdrawn by unbonding for voters the restarted engine had not loaded yet,
 * a member leaving, a queued replacement maturing. And a node that takes voters in ahead when it
 * checks their votes (CheckTx) agrees with one that loads them in EndBlock.
 */
import { CheckTxType } from "cosmjs-types/tendermint/abci/types";
import { accountValoper } from "../../src/x/staking/keeper";
import { MemoryCommitStore } from "../../src/baseapp/store/memory";
import { dcertEnv, type DcertEnv, m, ONE } from "./dcert-harness";

const BAL = [100_000_000_000n, ...Array.from({ length: 11 }, () => 10_000_000_000n)];

const hex = (x: Uint8Array): string => Buffer.from(x).toString("hex");

/** Two nodes from the same genesis: `a` the reference, `b` the one under test; the validator and the account addresses. */
async function twoNodes(): Promise<{ a: DcertEnv; b: DcertEnv; val: string; c: (i: number) => string }> {
  const params = { stabilization_period: "1", max_members: 2 };
  const a = await dcertEnv({ balances: BAL, params, store: new MemoryCommitStore() });
  const b = await dcertEnv({ balances: BAL, params, store: new MemoryCommitStore() });
  return { a, b, val: accountValoper(a.addr(0)), c: (i) => a.addr(i) };
}

describe("dCERT election restart from tallies", () => {
  test("a node whose engine restarts mid-chain agrees with one that never restarted on every app hash", async () => {
    const { a, b, val, c } = await twoNodes();
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

  test("votes checked in the mempool take their voters into a restarted engine before the block, with the same app hashes", async () => {
    const { a, b: w, val, c } = await twoNodes();
    const voters = (): number => w.keeper.index.engineStats()?.voters ?? 0;
    const checkAll = (raw: readonly Uint8Array[]): void => {
      for (const tx of raw) expect(w.app.checkTx({ tx, type: CheckTxType.NEW }).code).toBe(0);
    };
    const both = (raw: readonly Uint8Array[]): void => {
      const ra = a.block(raw);
      const rw = w.block(raw);
      expect(rw.txResults.map((t) => t.code)).toEqual(ra.txResults.map((t) => t.code));
      expect(hex(w.app.lastAppHash)).toBe(hex(a.app.lastAppHash));
    };
    both(await Promise.all([1, 2, 3, 4].map((i) => a.sign(a.acct(i), [m.bond(c(i), c(i), 1_000_000n), m.accept(c(i))]))));
    both(
      await Promise.all(
        [5, 6, 7, 8, 9].map((i) =>
          a.sign(a.acct(i), [
            m.delegate(c(i), val, BigInt(i) * 1_000_000n),
            m.vote(c(i), [
              [c(1 + (i % 4)), ONE / 2n],
              [c(1 + ((i + 1) % 4)), ONE / 3n],
            ]),
          ]),
        ),
      ),
    );
    // Restart: the engine is rebuilt by the next EndBlock, holding no voter.
    w.keeper.index.invalidate();
    both([]);
    expect(voters()).toBe(0);
    const rebuilds = w.keeper.index.rebuilds;

    // Re-votes of voters 5 and 6: checking them takes both voters in, before their block.
    const revotes = [await a.sign(a.acct(5), [m.vote(c(5), [[c(4), ONE]])]), await a.sign(a.acct(6), [m.vote(c(6), [[c(3), ONE / 2n]])])];
    checkAll(revotes);
    expect(voters()).toBe(2);
    // A recheck does not take voters in (voter 7's vote is only rechecked, never checked new).
    const seven = await a.sign(a.acct(7), [m.vote(c(7), [[c(2), ONE]])]);
    expect(w.app.checkTx({ tx: seven, type: CheckTxType.RECHECK }).code).toBe(0);
    expect(voters()).toBe(2);
    both([...revotes, seven]);
    expect(voters()).toBe(3);

    // Between a FinalizeBlock and its Commit the engine is ahead of the committed state that
    // CheckTx reads: a vote checked then takes nobody in; after the Commit it does.
    const eight = await a.sign(a.acct(8), [m.vote(c(8), [[c(1), ONE]])]);
    a.block([]);
    const req = w.chain.nextBlockRequest([]);
    w.chain.height = req.height;
    w.chain.time = req.time?.seconds ?? w.chain.time;
    w.app.finalizeBlock(req);
    checkAll([eight]);
    expect(voters()).toBe(3);
    w.app.commit();
    expect(hex(w.app.lastAppHash)).toBe(hex(a.app.lastAppHash));
    checkAll([eight]);
    expect(voters()).toBe(4);
    both([eight]);

    expect(w.keeper.index.rebuilds).toBe(rebuilds);
    expect(w.app.exportGenesis()["dcert"]).toEqual(a.app.exportGenesis()["dcert"]);
  });
});
