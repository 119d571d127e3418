/**
 * Determinism: independent app instances fed the same blocks report identical app hashes at every
 * height — on the in-memory store and on LMDB alike — and a different block gives a different hash.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LmdbCommitStore } from "../../src/baseapp/store/lmdb";
import { testChain, testValidatorAddress, type TestChain } from "../helpers/app";
import { directWallet, firstAccount, msgSend, signDirect, testFee, TEST_CHAIN_ID, TEST_MNEMONIC_2 } from "../helpers/txs";

async function blocks(): Promise<{ accounts: { address: string; amount: bigint }[]; blocks: Uint8Array[][] }> {
  const wa = await directWallet();
  const wb = await directWallet(TEST_MNEMONIC_2);
  const a = (await firstAccount(wa)).address;
  const b = (await firstAccount(wb)).address;
  const accounts = [
    { address: await testValidatorAddress(), amount: 5_000_000_000n },
    { address: a, amount: 1_000_000_000n },
    { address: b, amount: 1_000_000_000n },
  ];
  const out: Uint8Array[][] = [];
  let seqA = 0;
  let seqB = 0;
  // Account numbers follow the sorted genesis order; look them up from a scratch chain.
  const scratch = testChain({ accounts });
  scratch.block();
  const numberOf = (addr: string) => scratch.app.auth.getAccount(scratch.app.queryContext(), addr)!.accountNumber;
  const numA = numberOf(a);
  const numB = numberOf(b);
  for (let h = 0; h < 8; h++) {
    const txs: Uint8Array[] = [];
    for (let i = 0; i < 5; i++) {
      txs.push(await signDirect(wa, { msgs: [msgSend(a, b, 100 + i)], fee: testFee(2000), chainId: TEST_CHAIN_ID, accountNumber: numA, sequence: seqA++ }));
      txs.push(await signDirect(wb, { msgs: [msgSend(b, a, 10_000_000_000)], fee: testFee(2000), chainId: TEST_CHAIN_ID, accountNumber: numB, sequence: seqB++ })); // fails: insufficient funds, fee kept
    }
    txs.push(new Uint8Array([1, 2, 3, h])); // garbage: rejected with a code
    txs.push(await signDirect(wa, { msgs: [msgSend(a, b, 1)], fee: testFee(2000), chainId: TEST_CHAIN_ID, accountNumber: numA, sequence: 999 })); // wrong sequence
    out.push(txs);
  }
  return { accounts, blocks: out };
}

function run(chain: TestChain, blockTxs: Uint8Array[][]): string[] {
  const hashes: string[] = [];
  for (const txs of blockTxs) hashes.push(Buffer.from(chain.block(txs).appHash).toString("hex"));
  return hashes;
}

describe("determinism", () => {
  test("two fresh in-process apps (memory and LMDB) report identical app hashes at every height", async () => {
    const { accounts, blocks: bs } = await blocks();
    const dir = mkdtempSync(join(tmpdir(), "dcert-det-"));
    try {
      const lmdb = LmdbCommitStore.open(dir);
      const h1 = run(testChain({ accounts }), bs);
      const h2 = run(testChain({ accounts, store: lmdb }), bs);
      expect(new Set(h1).size).toBe(h1.length); // every height has its own hash
      expect(h2).toEqual(h1);
      lmdb.close();
      // Reopened from disk, the store reports the last height and hash.
      const reopened = LmdbCommitStore.open(dir);
      expect(reopened.lastHeight).toBe(BigInt(bs.length));
      expect(Buffer.from(reopened.lastAppHash).toString("hex")).toBe(h1[h1.length - 1]);
      reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a different block gives a different app hash from that height on", async () => {
    const { accounts, blocks: bs } = await blocks();
    const changed = bs.map((txs, i) => (i === 3 ? txs.slice(1) : txs));
    const h1 = run(testChain({ accounts }), bs);
    const h2 = run(testChain({ accounts }), changed);
    expect(h2.slice(0, 3)).toEqual(h1.slice(0, 3));
    for (let i = 3; i < h1.length; i++) expect(h2[i]).not.toBe(h1[i]);
  });
});
