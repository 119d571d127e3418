/**
 * A damaged store record through the whole app (issue 10, item 5): a query never answers it, a
 * FinalizeBlock that reads it halts without committing anything, and the node's ABCI layer hands
 * it to the fatal handler (which exits the process in `dcertd start`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { QueryBalanceRequest } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { open } from "lmdb";

import { addrBytes } from "../../src/x/auth/keeper";
import { haltOnStoreCorruption } from "../../src/app/node";
import { StoreCorruptionError } from "../../src/baseapp/store/integrity";
import { LmdbCommitStore } from "../../src/baseapp/store/lmdb";
import { DEFAULT_DENOM } from "../../src/baseapp/tx/constants";
import { testChain, testValidatorAddress } from "../helpers/app";
import { directWallet, firstAccount, msgSend, signDirect, testFee, TEST_CHAIN_ID, TEST_MNEMONIC_2 } from "../helpers/txs";

const OPTS = { keyEncoding: "binary", encoding: "binary", compression: false } as const;

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Flips one byte of the stored value (not its checksum) of the state key ending with `suffix`. */
function damageValue(path: string, suffix: Buffer): Buffer {
  const env = open<Buffer, Buffer>({ path, maxDbs: 4, ...OPTS });
  const state = env.openDB<Buffer, Buffer>({ name: "state", ...OPTS });
  let found: Buffer | undefined;
  for (const { key } of state.getRange({})) if (key.subarray(key.length - suffix.length).equals(suffix)) found = Buffer.from(key);
  if (found === undefined) throw new Error("key not found");
  const v = Buffer.from(state.getBinary(found)!);
  v[0] = v[0] === 0x31 ? 0x39 : 0x31; // a decimal digit of the amount
  env.transactionSync(() => state.putSync(found!, v));
  void env.close();
  return found;
}

test("a damaged balance: query never answers, FinalizeBlock halts and nothing is committed, the node's fatal handler runs", async () => {
  dir = mkdtempSync(join(tmpdir(), "dcert-corrupt-app-"));
  const wa = await directWallet();
  const wb = await directWallet(TEST_MNEMONIC_2);
  const a = (await firstAccount(wa)).address;
  const b = (await firstAccount(wb)).address;
  const accounts = [
    { address: await testValidatorAddress(), amount: 5_000_000_000n },
    { address: a, amount: 1_000_000_000n },
    { address: b, amount: 1_000_000_000n },
  ];
  const store = LmdbCommitStore.open(dir, { apply: "inline" });
  const chain = testChain({ accounts, store });
  chain.block();
  chain.block();
  const numA = chain.app.auth.getAccount(chain.app.queryContext(), a)!.accountNumber;
  const appHash = Buffer.from(store.lastAppHash).toString("hex");
  store.close();

  // b's balance record: ... len(addr) || addr || denom.
  const addr = Buffer.from(addrBytes(b));
  damageValue(dir, Buffer.concat([Buffer.from([addr.length]), addr, Buffer.from(DEFAULT_DENOM)]));

  // Query: an exception, never a value (and never an ordinary error code).
  {
    const s = LmdbCommitStore.open(dir, { apply: "inline" });
    const c = testChain({ accounts, store: s });
    const data = QueryBalanceRequest.encode({ address: b, denom: DEFAULT_DENOM }).finish();
    expect(() => c.app.query({ path: "/cosmos.bank.v1beta1.Query/Balance", data, height: 0n, prove: false })).toThrow(StoreCorruptionError);
    // The ABCI layer's guard hands it to the fatal handler.
    const fatal = jest.fn();
    const guarded = haltOnStoreCorruption(c.app, fatal);
    expect(() => guarded.query({ path: "/cosmos.bank.v1beta1.Query/Balance", data, height: 0n, prove: false })).toThrow(StoreCorruptionError);
    expect(fatal).toHaveBeenCalledTimes(1);
    expect((fatal.mock.calls[0] as [Error])[0].message).toMatch(/"state" record for key 0x[0-9a-f]+ is damaged: checksum mismatch/);
    s.close();
  }

  // FinalizeBlock with a tx that credits b: halts (throws) instead of recording a failed tx.
  {
    const s = LmdbCommitStore.open(dir, { apply: "inline" });
    const c = testChain({ accounts, store: s });
    const tx = await signDirect(wa, { msgs: [msgSend(a, b, 5)], fee: testFee(2000), chainId: TEST_CHAIN_ID, accountNumber: numA, sequence: 0 });
    expect(() => c.block([tx])).toThrow(StoreCorruptionError);
    expect(() => c.app.commit()).toThrow();
    expect(s.lastHeight).toBe(2n);
    s.close();
    const r = LmdbCommitStore.open(dir, { apply: "inline" });
    expect(r.lastHeight).toBe(2n);
    expect(Buffer.from(r.lastAppHash).toString("hex")).toBe(appHash);
    r.close();
  }
});

test("haltOnStoreCorruption passes ordinary results and errors through, and catches a rejected promise", async () => {
  dir = mkdtempSync(join(tmpdir(), "dcert-corrupt-app-"));
  const fatal = jest.fn();
  const corrupt = new StoreCorruptionError("state", Buffer.from("k"), "checksum mismatch");
  const app = {
    ok: (x: number) => x + 1,
    fails: () => {
      throw new Error("ordinary");
    },
    later: () => Promise.reject(corrupt),
  };
  const g = haltOnStoreCorruption(app, fatal);
  expect(g.ok(1)).toBe(2);
  expect(() => g.fails()).toThrow("ordinary");
  expect(fatal).not.toHaveBeenCalled();
  await expect(g.later()).rejects.toBe(corrupt);
  expect(fatal).toHaveBeenCalledWith(corrupt);
});
