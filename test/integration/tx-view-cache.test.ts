/**
 * Decoded txs are shared between CheckTx, PrepareProposal, ProcessProposal and FinalizeBlock
 * (src/baseapp/tx/viewcache.ts). The cache must never change a result: a chain whose txs went
 * through CheckTx and the proposal calls first (every decode after the first a hit) ends with the
 * same results and app hash as one that saw the same blocks cold; and what the cache holds is
 * frozen, so no code path can change a decoded message for its next use.
 */
import { CheckTxType } from "cosmjs-types/tendermint/abci/types";
import { accountValoper } from "../../src/x/staking/keeper";
import { dcertEnv, DENOM, m, ONE, type DcertEnv } from "./dcert-harness";

const BALANCES = Array.from({ length: 8 }, () => 10n ** 12n);

async function txsOf(e: DcertEnv): Promise<Uint8Array[][]> {
  const send = (i: number) => ({ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: e.addr(i), toAddress: e.addr(i + 1), amount: [{ denom: DENOM, amount: "7" }] } });
  const first = [
    await e.sign(e.acct(1), [send(1), m.delegate(e.addr(1), accountValoper(e.addr(0)), 5_000_000n)]),
    await e.sign(e.acct(2), [m.delegate(e.addr(2), accountValoper(e.addr(0)), 3_000_000n), m.vote(e.addr(2), [[e.addr(3), ONE / 2n], [e.addr(4), ONE / 4n]])]),
    await e.sign(e.acct(3), [m.accept(e.addr(3))]),
  ];
  e.block(first);
  // The second block: a failing tx (sends more than the balance) next to good ones.
  const tooMuch = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: e.addr(5), toAddress: e.addr(6), amount: [{ denom: DENOM, amount: (10n ** 13n).toString() }] } };
  const second = [await e.sign(e.acct(5), [tooMuch]), await e.sign(e.acct(1), [send(1)]), await e.sign(e.acct(2), [m.vote(e.addr(2), [[e.addr(3), ONE]])])];
  return [first, second];
}

test("txs seen by CheckTx and the proposal calls first execute exactly as cold ones", async () => {
  // Sign once (a chain of its own makes the bytes); replay the same bytes on two fresh chains.
  const source = await dcertEnv({ balances: BALANCES });
  const [first, second] = await txsOf(source);
  const cold = await dcertEnv({ balances: BALANCES });
  const warm = await dcertEnv({ balances: BALANCES });
  for (const block of [first!, second!]) {
    for (const tx of block) expect(warm.app.checkTx({ tx, type: CheckTxType.NEW }).code).toBe(0);
    for (const tx of block) warm.app.checkTx({ tx, type: CheckTxType.RECHECK });
    const before = warm.app.txViews.hits;
    const a = cold.block(block);
    const b = warm.block(block);
    // Every tx of the block was served from the cache in the warm chain's FinalizeBlock.
    expect(warm.app.txViews.hits - before).toBeGreaterThanOrEqual(block.length);
    expect(b.txResults.map((r) => [r.code, r.log, r.gasUsed])).toEqual(a.txResults.map((r) => [r.code, r.log, r.gasUsed]));
    expect(b.appHash).toEqual(a.appHash);
  }
  expect(second!.length).toBe(3);
  expect(cold.app.lastAppHash).toEqual(warm.app.lastAppHash);
});

test("a cached view is frozen: its messages cannot be changed for the next use", async () => {
  const e = await dcertEnv({ balances: BALANCES });
  const tx = await e.sign(e.acct(1), [m.vote(e.addr(1), [[e.addr(2), ONE]])]);
  const view = e.app.txViews.view(tx);
  expect(Object.isFrozen(view.tx.body)).toBe(true);
  const value = view.msgs?.[0]?.value as { voter: string };
  expect(() => {
    value.voter = e.addr(3);
  }).toThrow(TypeError);
  expect(e.app.txViews.view(tx)).toBe(view);
  // The message services stay as they were (code, not data).
  expect(Object.isFrozen(view.msgs?.[0]?.service)).toBe(false);
});
