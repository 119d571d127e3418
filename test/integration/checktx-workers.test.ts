/**
 * CheckTx signatures verified ahead on worker threads (src/baseapp/sigpool.ts, wired by
 * useSignatureWorkers): CheckTx answers exactly as without them, a forged signature is still
 * refused, and FinalizeBlock of the checked txs runs on the cache the workers filled.
 */
import { CheckTxType } from "cosmjs-types/tendermint/abci/types";
import { useSignatureWorkers } from "../../src/app/app";
import { SignatureVerifierPool } from "../../src/baseapp/sigpool";
import { dcertEnv, DENOM, m, ONE } from "./dcert-harness";

let pool: SignatureVerifierPool;
beforeAll(() => {
  pool = new SignatureVerifierPool(1);
});
afterAll(async () => {
  await pool.close();
});

test("prefetched CheckTx: same answers, forged signatures refused, the block runs on the filled cache", async () => {
  const balances = Array.from({ length: 6 }, () => 10n ** 12n);
  const plain = await dcertEnv({ balances });
  const ahead = await dcertEnv({ balances });
  useSignatureWorkers(ahead.app, pool);
  const send = (i: number) => ({ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: ahead.addr(i), toAddress: ahead.addr(i + 1), amount: [{ denom: DENOM, amount: "3" }] } });
  const txs = [await ahead.sign(ahead.acct(1), [send(1)]), await ahead.sign(ahead.acct(2), [m.vote(ahead.addr(2), [[ahead.addr(3), ONE]])]), await ahead.sign(ahead.acct(3), [send(3)], "amino")];
  // A forged tx: account 4's tx with its signature's last byte changed.
  const good4 = await ahead.sign(ahead.acct(4), [send(4)]);
  const forged = Uint8Array.from(good4);
  forged[forged.length - 1] = forged[forged.length - 1]! ^ 1;
  const all = [...txs, forged];

  const before = pool.verified;
  await ahead.app.prefetchCheckTxs(all);
  // The two DIRECT single-key signatures were verified by the worker (amino JSON is left to CheckTx).
  expect(pool.verified - before).toBe(2);
  const answers = all.map((tx) => ahead.app.checkTx({ tx, type: CheckTxType.NEW }));
  const expected = all.map((tx) => plain.app.checkTx({ tx, type: CheckTxType.NEW }));
  expect(answers.map((a) => [a.code, a.codespace, a.log])).toEqual(expected.map((a) => [a.code, a.codespace, a.log]));
  expect(answers.slice(0, 3).map((a) => a.code)).toEqual([0, 0, 0]);
  expect(answers[3]?.code).toBe(4); // unauthorized: signature verification failed
  expect(answers[3]?.log).toMatch(/signature verification failed/);

  const a = plain.block(txs);
  const b = ahead.block(txs);
  expect(b.txResults.map((r) => r.code)).toEqual([0, 0, 0]);
  expect(b.appHash).toEqual(a.appHash);
});
