/**
 * Determinism with vote-extension data: two app instances (memory and LMDB) fed the same blocks —
 * each carrying the previous height's signed extended commit as its first tx, plus user txs —
 * report identical app hashes at every height; a block whose injected votes differ (another
 * build, another power) gives a different hash from that height on.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { LmdbCommitStore } from "../../src/baseapp/store/lmdb";
import type { CommitStore } from "../../src/baseapp/store/types";
import { encodeVeTx } from "../../src/baseapp/voteext";
import { ReadinessExtension } from "../../src/generated/dcert/upgrade/v1/types";
import { testChain, testValidatorAddress } from "../helpers/app";
import { directWallet, firstAccount, msgSend, signDirect, testFee, TEST_CHAIN_ID } from "../helpers/txs";
import { commitInfoOf, extendedCommit, testValidatorKey } from "../helpers/voteext";

const K = testValidatorKey(1);
const ext = (hashByte: number, handlers: string[]) =>
  ReadinessExtension.encode({ appVersion: "0.1.0", buildHash: Buffer.alloc(32, hashByte), upgradeHandlers: handlers }).finish();

interface Block {
  readonly txs: Uint8Array[];
  readonly votes: ReturnType<typeof commitInfoOf>;
}

async function scenario(variant = false): Promise<{ accounts: { address: string; amount: bigint }[]; blocks: Block[] }> {
  const w = await directWallet();
  const a = (await firstAccount(w)).address;
  const accounts = [
    { address: await testValidatorAddress(), amount: 5_000_000_000n },
    { address: a, amount: 1_000_000_000n },
  ];
  const scratch = testChain({ accounts, validatorPubkeyB64: K.pubkeyB64, voteExtensionsEnableHeight: 1n });
  scratch.block();
  const num = scratch.app.auth.getAccount(scratch.app.queryContext(), a)!.accountNumber;
  const blocks: Block[] = [{ txs: [], votes: { round: 0, votes: [] } }]; // height 1: nothing to carry
  let seq = 0;
  for (let h = 2n; h <= 8n; h++) {
    const info = extendedCommit(
      [
        { key: K, power: variant && h === 5n ? 11n : 10n, extension: ext(h < 5n ? 1 : 2, h < 5n ? [] : ["v2"]) },
        { address: new Uint8Array(20).fill(7), power: 5n, flag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT },
      ],
      h - 1n,
      TEST_CHAIN_ID,
      Number(h % 2n),
    );
    const txs = [encodeVeTx(info)];
    for (let i = 0; i < 3; i++) {
      txs.push(await signDirect(w, { msgs: [msgSend(a, accounts[0]!.address, 100 + i)], fee: testFee(2000), chainId: TEST_CHAIN_ID, accountNumber: num, sequence: seq++ }));
    }
    txs.push(Uint8Array.of(1, 2, 3, Number(h)));
    blocks.push({ txs, votes: commitInfoOf(info) });
  }
  return { accounts, blocks };
}

function run(accounts: { address: string; amount: bigint }[], blocks: readonly Block[], store?: CommitStore): string[] {
  const chain = testChain({ accounts, validatorPubkeyB64: K.pubkeyB64, voteExtensionsEnableHeight: 1n, ...(store === undefined ? {} : { store }) });
  const hashes: string[] = [];
  for (const b of blocks) {
    const req = chain.nextBlockRequest(b.txs);
    const res = chain.app.finalizeBlock({ ...req, decidedLastCommit: b.votes });
    chain.app.commit();
    chain.height = req.height;
    chain.time = req.time!.seconds;
    if (b.txs.length > 0) expect(res.txResults[0]!.code).toBe(0);
    hashes.push(Buffer.from(res.appHash).toString("hex"));
  }
  return hashes;
}

describe("determinism with vote extensions", () => {
  test("memory and LMDB instances agree at every height on blocks carrying extension data", async () => {
    const { accounts, blocks } = await scenario();
    const dir = mkdtempSync(join(tmpdir(), "dcert-det-ve-"));
    try {
      const lmdb = LmdbCommitStore.open(dir);
      const h1 = run(accounts, blocks);
      const h2 = run(accounts, blocks, lmdb);
      lmdb.close();
      expect(new Set(h1).size).toBe(h1.length);
      expect(h2).toEqual(h1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("different injected votes give a different app hash from that height on", async () => {
    const base = await scenario();
    const changed = await scenario(true);
    const h1 = run(base.accounts, base.blocks);
    const h2 = run(changed.accounts, changed.blocks);
    expect(h2.slice(0, 4)).toEqual(h1.slice(0, 4));
    for (let i = 4; i < h1.length; i++) expect(h2[i]).not.toBe(h1[i]);
  });
});
