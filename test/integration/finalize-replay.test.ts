/**
 * A FinalizeBlock always starts from committed state (docs/design.md §9). CometBFT sends
 * FinalizeBlock(H) again when it restarted after FinalizeBlock(H) and before Commit while the app
 * kept running; the app must discard its uncommitted execution of H, not build block H on top of
 * it. Two chains are fed the same blocks; one of them executes every FinalizeBlock twice before its
 * Commit. Results, app hashes, state and the dCERT election (an in-memory index that EndBlock
 * updates) must agree.
 */
import type { RequestFinalizeBlock, ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import type { App } from "../../src/baseapp/app";
import { directWallet, firstAccount, msgSend, signDirect, testFee, TEST_CHAIN_ID } from "../helpers/txs";
import { testChain, testValidatorAddress } from "../helpers/app";
import { dcertEnv } from "./dcert-harness";
import { BALANCES, electionScript, hex, PARAMS, summary } from "./election-script";


/** Makes every FinalizeBlock of `app` run twice (as after a CometBFT restart) and return the second answer. */
function finalizeTwice(app: App): { calls: () => number } {
  const once = app.finalizeBlock.bind(app);
  let calls = 0;
  app.finalizeBlock = (req: RequestFinalizeBlock): ResponseFinalizeBlock => {
    once(req);
    calls++;
    return once(req);
  };
  return { calls: () => calls };
}

describe("FinalizeBlock repeated before Commit", () => {
  test("a block executed twice before Commit gives the same results, app hash, state and election as once", async () => {
    const a = await dcertEnv({ balances: BALANCES, params: PARAMS });
    const b = await dcertEnv({ balances: BALANCES, params: PARAMS });
    const twice = finalizeTwice(b.app);
    expect(hex(b.app.lastAppHash)).toBe(hex(a.app.lastAppHash));

    // The same txs signed once and delivered to both chains (same keys, same sequences).
    for (let step = 0; step < 5; step++) {
      const ra = a.block(await electionScript(a, step));
      const rb = b.block(await electionScript(b, step));
      expect(summary(rb)).toEqual(summary(ra));
      expect(hex(b.app.lastAppHash)).toBe(hex(a.app.lastAppHash));
      expect(rb.txResults.every((r) => r.code === 0)).toBe(true);
    }
    expect(twice.calls()).toBe(5);
    expect(b.members()).toEqual(a.members());
    expect([...a.members().keys()].sort()).toEqual([a.addr(1), a.addr(3)].sort());
    expect(b.balance(b.addr(4))).toBe(a.balance(a.addr(4)));
    expect(b.app.exportGenesis()).toEqual(a.app.exportGenesis());
  });

  test("block 1 executed twice (genesis writes still uncommitted), and InitChain repeated, match a single execution", async () => {
    const validator = await testValidatorAddress();
    const wallet = await directWallet();
    const alice = (await firstAccount(wallet)).address;
    const accounts = [
      { address: validator, amount: 1_000_000_000n },
      { address: alice, amount: 1_000_000_000n },
    ];
    const a = testChain({ accounts });
    const b = testChain({ accounts });
    finalizeTwice(b.app);
    // Block 1 carries a send: executed twice on top of itself it would fail on its sequence.
    const auth = a.app.exportGenesis()["auth"] as { accounts: { address?: string; account_number?: string; value?: { address: string; account_number: string } }[] };
    const entry = auth.accounts.map((x) => x.value ?? x).find((x) => x.address === alice);
    if (entry?.account_number === undefined) throw new Error("alice has no account number in genesis");
    const send = await signDirect(wallet, { msgs: [msgSend(alice, validator, 777)], fee: testFee(5000), chainId: TEST_CHAIN_ID, accountNumber: BigInt(entry.account_number), sequence: 0 });
    const ra = a.block([send]);
    const rb = b.block([send]);
    expect(ra.txResults[0]?.code).toBe(0);
    expect(summary(rb)).toEqual(summary(ra));
    expect(hex(b.app.lastAppHash)).toBe(hex(a.app.lastAppHash));
    expect(b.app.exportGenesis()).toEqual(a.app.exportGenesis());

    // CometBFT restarted before block 1 was committed: InitChain, FinalizeBlock(1), InitChain, FinalizeBlock(1), Commit.
    const c = testChain({ accounts });
    const req = c.nextBlockRequest([send]);
    c.app.finalizeBlock(req);
    c.app.initChain(c.genesis);
    const rc = c.app.finalizeBlock(req);
    c.app.commit();
    expect(summary(rc)).toEqual(summary(ra));
    expect(hex(c.app.lastAppHash)).toBe(hex(a.app.lastAppHash));
  });
});
