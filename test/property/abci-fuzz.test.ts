/**
 * Bad input never crashes the app: random and mutated byte strings into CheckTx, FinalizeBlock
 * and Query give result codes, never an exception (an exception would make CometBFT stop), and
 * every answer encodes to bytes Go's decoders read (CometBFT stops on one it cannot).
 */
import fc from "fast-check";
import { AuthInfo, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { CheckTxType, Response } from "cosmjs-types/tendermint/abci/types";
import { testChain, testValidatorAddress, type TestChain } from "../helpers/app";
import { readResponseStrictly } from "../helpers/strict-proto";
import { directWallet, firstAccount, msgSend, signDirect, testFee, TEST_CHAIN_ID } from "../helpers/txs";

let chain: TestChain;
let valid: Uint8Array;

beforeAll(async () => {
  const w = await directWallet();
  const a = (await firstAccount(w)).address;
  chain = testChain({ accounts: [{ address: await testValidatorAddress(), amount: 10n ** 12n }, { address: a, amount: 10n ** 12n }] });
  chain.block();
  const acc = chain.app.auth.getAccount(chain.app.queryContext(), a)!;
  valid = await signDirect(w, { msgs: [msgSend(a, a, 1)], fee: testFee(5000), chainId: TEST_CHAIN_ID, accountNumber: acc.accountNumber, sequence: 0 });
});

const mutated = fc
  .tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat(), fc.boolean())
  .map(([edits, cut, truncate]) => {
    const b = Uint8Array.from(valid);
    for (const [pos, val] of edits) b[pos % b.length] = val;
    return truncate ? b.subarray(0, cut % b.length) : b;
  });
/**
 * The valid tx naming another gas limit (its signature no longer matches): the limit comes back in
 * the answers as gas_wanted, so any 64-bit value must encode (values in [2^31, 2^32) did not).
 */
const withGasLimit = fc
  .oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 1n << 31n, max: (1n << 32n) - 1n }), fc.bigInt({ min: 0n, max: 1n << 40n }))
  .map((gasLimit) => {
    const raw = TxRaw.decode(valid);
    const authInfo = AuthInfo.decode(raw.authInfoBytes);
    const fee = { amount: authInfo.fee?.amount ?? [], gasLimit, payer: "", granter: "" };
    return TxRaw.encode({ ...raw, authInfoBytes: AuthInfo.encode({ ...authInfo, fee }).finish() }).finish();
  });
const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 400 }), mutated, withGasLimit);

describe("bad input yields error codes, never exceptions", () => {
  test("CheckTx", () => {
    fc.assert(
      fc.property(anyBytes, fc.boolean(), (tx, recheck) => {
        const r = chain.app.checkTx({ tx, type: recheck ? CheckTxType.RECHECK : CheckTxType.NEW });
        expect(Number.isInteger(r.code)).toBe(true);
        if (r.code !== 0) expect(r.log.length).toBeGreaterThan(0);
        // Internal errors (code 1) would mean an unhandled path.
        expect(r.code).not.toBe(1);
        readResponseStrictly(Response.encode({ checkTx: r }).finish());
      }),
      { numRuns: 3000 },
    );
  });

  test("FinalizeBlock with garbage txs returns one result per tx and keeps hashing deterministically", () => {
    fc.assert(
      fc.property(fc.array(anyBytes, { maxLength: 8 }), (txs) => {
        const res = chain.block(txs);
        expect(res.txResults).toHaveLength(txs.length);
        for (const r of res.txResults) expect(r.code).not.toBe(1);
        expect(res.appHash.length).toBe(32);
        readResponseStrictly(Response.encode({ finalizeBlock: res }).finish(), [2]); // with each tx result
      }),
      { numRuns: 300 },
    );
  });

  test("Query with random paths and payloads", () => {
    const paths = fc.oneof(
      fc.constantFrom(
        "/cosmos.bank.v1beta1.Query/Balance",
        "/cosmos.bank.v1beta1.Query/AllBalances",
        "/cosmos.auth.v1beta1.Query/Account",
        "/cosmos.tx.v1beta1.Service/Simulate",
        "/cosmos.staking.v1beta1.Query/Validators",
        "/cosmos.gov.v1.Query/Proposal",
        "/app/version",
      ),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(paths, anyBytes, fc.bigInt({ min: 0n, max: 5n }), (path, data, height) => {
        const r = chain.app.query({ path, data, height, prove: false });
        expect(Number.isInteger(r.code)).toBe(true);
        expect(r.code).not.toBe(1);
        expect(r.height).toBe(chain.height);
        readResponseStrictly(Response.encode({ query: r }).finish());
      }),
      { numRuns: 3000 },
    );
  });
});
