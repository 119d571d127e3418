/**
 * `dcertd testnet replay` on a chain with vote extensions: the genesis doc's
 * abci.vote_extensions_enable_height reaches InitChain, so blocks carrying injected votes replay to
 * the same app hashes (and without the param they would not). Blocks replay with the decided last
 * commit and misbehavior the chain ran them with (slashing's liveness, x/evidence's double-sign
 * slashing), so absent validators and double signers replay too.
 */
import { MisbehaviorType, type CommitInfo, type Misbehavior } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { encodeVeTx } from "../../src/baseapp/voteext";
import type { GenesisDoc } from "../../src/localnet/ceremony";
import {
  consensusParamsOf,
  replayBlocks,
  type RecordedBlock,
  type RecordedLastCommit,
  type RecordedMisbehavior,
} from "../../src/localnet/testnet-replay";
import { ReadinessExtension } from "../../src/generated/dcert/upgrade/v1/types";
import { GENESIS_TIME_SECONDS, testChain, testValidatorAddress } from "../helpers/app";
import { TEST_CHAIN_ID } from "../helpers/txs";
import { commitInfoOf, extendedCommit, testValidatorKey } from "../helpers/voteext";

const K = testValidatorKey(1);
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex").toUpperCase();
const rfc3339 = (seconds: bigint): string => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
const EMPTY_COMMIT: CommitInfo = { round: 0, votes: [] };

/** The last commit given to FinalizeBlock, as a recording holds it. */
const recordCommit = (c: CommitInfo): RecordedLastCommit => ({
  round: c.round,
  votes: c.votes.map((v) => ({ address: hex(v.validator!.address), power: String(v.validator!.power), blockIdFlag: v.blockIdFlag })),
});

const recordMisbehavior = (m: Misbehavior): RecordedMisbehavior => ({
  type: m.type === MisbehaviorType.DUPLICATE_VOTE ? "DUPLICATE_VOTE" : "LIGHT_CLIENT_ATTACK",
  address: hex(m.validator.address),
  power: String(m.validator.power),
  height: String(m.height),
  time: rfc3339(m.time.seconds),
  totalVotingPower: String(m.totalVotingPower),
});

function genesisDocOf(chain: ReturnType<typeof testChain>): GenesisDoc {
  const appState = JSON.parse(new TextDecoder().decode(chain.genesis.appStateBytes)) as Record<string, unknown>;
  return {
    genesis_time: rfc3339(GENESIS_TIME_SECONDS),
    chain_id: TEST_CHAIN_ID,
    initial_height: "1",
    consensus_params: { abci: { vote_extensions_enable_height: "1" } },
    validators: [],
    app_hash: "",
    app_state: appState,
  };
}

test("consensusParamsOf passes block.max_gas, the evidence section and abci.vote_extensions_enable_height", () => {
  const doc = { consensus_params: { block: { max_bytes: "100", max_gas: "5000" }, abci: { vote_extensions_enable_height: "1" } } } as unknown as GenesisDoc;
  expect(consensusParamsOf(doc)).toEqual({ consensusParams: { block: { maxBytes: 100n, maxGas: 5000n }, abci: { voteExtensionsEnableHeight: 1n } } });
  expect(consensusParamsOf({ consensus_params: { abci: { vote_extensions_enable_height: "0" } } } as unknown as GenesisDoc)).toEqual({
    consensusParams: { abci: { voteExtensionsEnableHeight: 0n } },
  });
  // As `cometbft init` writes it; max_age_duration is a Go time.Duration in nanoseconds.
  const evidence = { max_age_num_blocks: "100000", max_age_duration: "172800000000001", max_bytes: "1048576" };
  expect(consensusParamsOf({ consensus_params: { evidence } } as unknown as GenesisDoc)).toEqual({
    consensusParams: { evidence: { maxAgeNumBlocks: 100000n, maxAgeDuration: { seconds: 172800n, nanos: 1 }, maxBytes: 1048576n } },
  });
  // No consensus_params: CometBFT's defaults, which it passes to InitChain.
  expect(consensusParamsOf({} as GenesisDoc)).toEqual({
    consensusParams: {
      block: { maxBytes: 22020096n, maxGas: -1n },
      evidence: { maxAgeNumBlocks: 100000n, maxAgeDuration: { seconds: 172800n, nanos: 0 }, maxBytes: 1048576n },
      abci: { voteExtensionsEnableHeight: 0n },
    },
  });
});

test("a chain whose blocks carry injected votes replays to the same app hashes", async () => {
  const accounts = [{ address: await testValidatorAddress(), amount: 5_000_000_000n }];
  const chain = testChain({ accounts, validatorPubkeyB64: K.pubkeyB64, voteExtensionsEnableHeight: 1n });
  const recorded: RecordedBlock[] = [];
  const genesisAppHash = hex(chain.app.initChain(chain.genesis).appHash);
  for (let h = 1n; h <= 5n; h++) {
    const ext = ReadinessExtension.encode({ appVersion: "0.1.0", buildHash: Buffer.alloc(32, Number(h)), upgradeHandlers: ["v2"] }).finish();
    const info = extendedCommit([{ key: K, power: 10n, extension: ext }], h - 1n, TEST_CHAIN_ID);
    const txs = h === 1n ? [] : [encodeVeTx(info)];
    const req = chain.nextBlockRequest(txs);
    // As CometBFT: no last commit at the initial height, then the votes on the previous block.
    const lastCommit = h === 1n ? EMPTY_COMMIT : commitInfoOf(info);
    const res = chain.app.finalizeBlock({ ...req, decidedLastCommit: lastCommit });
    chain.app.commit();
    chain.height = req.height;
    chain.time = req.time!.seconds;
    recorded.push({
      height: String(h),
      time: rfc3339(req.time!.seconds),
      proposer: Buffer.from(req.proposerAddress).toString("hex"),
      txs: txs.map((t) => Buffer.from(t).toString("base64")),
      lastCommit: recordCommit(lastCommit),
      misbehavior: [],
      appHash: hex(res.appHash),
    });
  }
  const doc = genesisDocOf(chain);
  const ok = replayBlocks(doc, { genesisAppHash, blocks: recorded });
  expect(ok.mismatches).toEqual([]);
  const without = replayBlocks({ ...doc, consensus_params: {} }, { genesisAppHash, blocks: recorded });
  expect(without.mismatches.length).toBeGreaterThan(0);
});

test("blocks replay with their last commit (an absent validator) and misbehavior (a double sign)", async () => {
  const accounts = [{ address: await testValidatorAddress(), amount: 5_000_000_000n }];
  const chain = testChain({ accounts, validatorPubkeyB64: K.pubkeyB64, voteExtensionsEnableHeight: 1n });
  const other = testValidatorKey(2); // in the commit but unknown to staking: ignored by the app
  const recorded: RecordedBlock[] = [];
  const genesisAppHash = hex(chain.app.initChain(chain.genesis).appHash);
  for (let h = 1n; h <= 8n; h++) {
    // K misses blocks 3 and 4; the double sign K made at height 5 is committed in block 7.
    const kFlag = h === 4n || h === 5n ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : BlockIDFlag.BLOCK_ID_FLAG_COMMIT;
    const info = extendedCommit(
      [
        { key: K, power: 10n, flag: kFlag },
        { key: other, power: 5n, flag: h === 6n ? BlockIDFlag.BLOCK_ID_FLAG_NIL : BlockIDFlag.BLOCK_ID_FLAG_COMMIT },
      ],
      h - 1n,
      TEST_CHAIN_ID,
      h === 3n ? 1 : 0,
    );
    const txs = h === 1n ? [] : [encodeVeTx(info)];
    const lastCommit = h === 1n ? EMPTY_COMMIT : commitInfoOf(info);
    const misbehavior: Misbehavior[] =
      h === 7n
        ? [
            {
              type: MisbehaviorType.DUPLICATE_VOTE,
              validator: { address: K.address, power: 10n },
              height: 5n,
              time: { seconds: GENESIS_TIME_SECONDS + 5n, nanos: 0 },
              totalVotingPower: 15n,
            },
          ]
        : [];
    const req = chain.nextBlockRequest(txs);
    const res = chain.app.finalizeBlock({ ...req, decidedLastCommit: lastCommit, misbehavior });
    chain.app.commit();
    chain.height = req.height;
    chain.time = req.time!.seconds;
    recorded.push({
      height: String(h),
      time: rfc3339(req.time!.seconds),
      proposer: Buffer.from(req.proposerAddress).toString("hex"),
      txs: txs.map((t) => Buffer.from(t).toString("base64")),
      lastCommit: recordCommit(lastCommit),
      misbehavior: misbehavior.map(recordMisbehavior),
      appHash: hex(res.appHash),
    });
  }
  const doc = genesisDocOf(chain);
  const ok = replayBlocks(doc, { genesisAppHash, blocks: recorded });
  expect(ok.mismatches).toEqual([]);
  expect(ok.appHashes).toEqual(recorded.map((b) => b.appHash));

  // Without the absent votes (everyone signed), slashing's missed-block count differs from block 4 on.
  const allSigned = recorded.map((b) => ({
    ...b,
    lastCommit: { ...b.lastCommit, votes: b.lastCommit.votes.map((v) => ({ ...v, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT })) },
  }));
  expect(replayBlocks(doc, { genesisAppHash, blocks: allSigned }).mismatches[0]?.height).toBe(4n);
  // Without the misbehavior, K is never slashed: block 7 differs.
  const noEvidence = recorded.map((b) => ({ ...b, misbehavior: [] }));
  expect(replayBlocks(doc, { genesisAppHash, blocks: noEvidence }).mismatches[0]?.height).toBe(7n);
  // With no last commit at all (the old replay), the first block with one already differs.
  const noCommit = recorded.map((b) => ({ ...b, lastCommit: { round: 0, votes: [] } }));
  expect(replayBlocks(doc, { genesisAppHash, blocks: noCommit }).mismatches[0]?.height).toBe(2n);
});
