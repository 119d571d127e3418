/**
 * The block gas limit (consensus param block.max_gas) is law (docs/design.md §9): CheckTx refuses a
 * tx that could never fit in a block, PrepareProposal fills a block up to the limit,
 * ProcessProposal rejects a block whose summed gas limits exceed it, and FinalizeBlock never runs a
 * tx past it (a byzantine proposer's block gets no effect from the txs beyond the limit).
 */
import { CheckTxType, Response, ResponseProcessProposal_ProposalStatus } from "cosmjs-types/tendermint/abci/types";
import { accountOf, testChain, testValidatorAddress, validatorAndAliceChain, type TestChain } from "../helpers/app";
import { readResponseStrictly } from "../helpers/strict-proto";
import { msgSend, signDirect, testFee, TEST_CHAIN_ID } from "../helpers/txs";

const MAX_GAS = 1_000_000n;
const TX_GAS = 200_000n;

async function setup(maxGas?: bigint): Promise<{ chain: TestChain; txs: (gas: bigint, count: number) => Promise<Uint8Array[]>; alice: string }> {
  const { chain, wallet, alice, validator } = await validatorAndAliceChain(maxGas === undefined ? {} : { maxGas });
  const { accountNumber } = accountOf(chain, alice);
  const txs = async (gas: bigint, count: number): Promise<Uint8Array[]> => {
    const out: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      out.push(await signDirect(wallet, { msgs: [msgSend(alice, validator, 1)], fee: testFee(5000, gas), chainId: TEST_CHAIN_ID, accountNumber, sequence: i }));
    }
    return out;
  };
  return { chain, txs, alice };
}

const proposal = (chain: TestChain, txs: Uint8Array[]) => ({
  txs,
  maxTxBytes: 1_000_000n,
  localLastCommit: { round: 0, votes: [] },
  misbehavior: [],
  height: chain.height + 1n,
  time: { seconds: chain.time + 1n, nanos: 0 },
  nextValidatorsHash: new Uint8Array(32),
  proposerAddress: new Uint8Array(20),
  proposedLastCommit: { round: 0, votes: [] },
  hash: new Uint8Array(32),
});

describe("block gas limit", () => {
  test("CheckTx refuses a tx whose gas limit exceeds max_gas with sdk code 41, and accepts one that fits", async () => {
    const { chain, txs } = await setup(MAX_GAS);
    const [big] = await txs(MAX_GAS + 1n, 1);
    const r = chain.app.checkTx({ tx: big!, type: CheckTxType.NEW });
    expect(r.code).toBe(41);
    expect(r.codespace).toBe("sdk");
    expect(r.log).toContain("exceeds the block gas limit");
    expect(r.log).toContain("block.max_gas");
    const [fits] = await txs(MAX_GAS, 1);
    expect(chain.app.checkTx({ tx: fits!, type: CheckTxType.NEW }).code).toBe(0);
  });

  test("PrepareProposal stops at max_gas, ProcessProposal rejects a block past it", async () => {
    const { chain, txs } = await setup(MAX_GAS);
    const six = await txs(TX_GAS, 6);
    const prepared = chain.app.prepareProposal(proposal(chain, six));
    expect(prepared.txs.length).toBe(5);
    expect(chain.app.processProposal(proposal(chain, prepared.txs)).status).toBe(ResponseProcessProposal_ProposalStatus.ACCEPT);
    expect(chain.app.processProposal(proposal(chain, six)).status).toBe(ResponseProcessProposal_ProposalStatus.REJECT);
  });

  test("FinalizeBlock of a byzantine block runs no tx past max_gas: no fee, no sequence, no transfer", async () => {
    const { chain, txs, alice } = await setup(MAX_GAS);
    const six = await txs(TX_GAS, 6);
    const res = chain.block(six);
    expect(res.txResults.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 41]);
    expect(res.txResults[5]?.gasUsed).toBe(0n);
    expect(res.txResults[5]?.events).toEqual([]);
    expect(accountOf(chain, alice).sequence).toBe(5n);
  });

  test("without max_gas (unlimited) nothing is refused for its gas limit", async () => {
    const { chain, txs } = await setup();
    const [huge] = await txs(4_000_000_000_000n, 1);
    expect(chain.app.checkTx({ tx: huge!, type: CheckTxType.NEW }).code).not.toBe(41);
    const six = await txs(TX_GAS, 6);
    expect(chain.app.prepareProposal(proposal(chain, six)).txs.length).toBe(6);
    expect(chain.block(six).txResults.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test("max_gas survives a restart (it is state, read back from the store)", async () => {
    const { chain, txs } = await setup(MAX_GAS);
    const again = testChain({ accounts: [{ address: await testValidatorAddress(), amount: 1_000_000_000n }], store: chain.store });
    const [big] = await txs(MAX_GAS + 1n, 1);
    const r = again.app.checkTx({ tx: big!, type: CheckTxType.NEW });
    expect(r.log).toContain("block.max_gas");
    expect(r.code).toBe(41);
  });

  // cosmjs-types wrote 64-bit varints in [2^31, 2^32) wrongly (src/types/int64writer.ts): an answer naming
  // such a gas limit stopped CometBFT: one tx stopped every node that checked it, and a block with
  // it (where max_gas allows one) every node.
  describe("a gas limit in [2^31, 2^32)", () => {
    const GAS = 3_000_000_000n;

    test("CheckTx refuses it past max_gas, and its answer encodes to bytes a strict decoder reads", async () => {
      const { chain, txs } = await setup(MAX_GAS);
      const [tx] = await txs(GAS, 1);
      const r = chain.app.checkTx({ tx: tx!, type: CheckTxType.NEW });
      expect(r.code).toBe(41);
      expect(r.gasWanted).toBe(GAS);
      const bytes = Response.encode({ checkTx: r }).finish();
      expect(() => readResponseStrictly(bytes)).not.toThrow();
      expect(Response.decode(bytes).checkTx?.gasWanted).toBe(GAS);
    });

    test("a block carrying it (no max_gas) executes, and the block's answer encodes to bytes a strict decoder reads", async () => {
      const { chain, txs, alice } = await setup();
      const [tx] = await txs(GAS, 1);
      expect(chain.app.checkTx({ tx: tx!, type: CheckTxType.NEW }).gasWanted).toBe(GAS);
      const res = chain.block([tx!]);
      expect(res.txResults[0]?.gasWanted).toBe(GAS);
      expect(res.txResults[0]?.code).toBe(0);
      expect(accountOf(chain, alice).sequence).toBe(1n);
      const bytes = Response.encode({ finalizeBlock: res }).finish();
      expect(() => readResponseStrictly(bytes, [2])).not.toThrow(); // ResponseFinalizeBlock.tx_results
      expect(Response.decode(bytes).finalizeBlock?.txResults[0]?.gasWanted).toBe(GAS);
    });
  });
});
