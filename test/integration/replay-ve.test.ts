/**
 * `dcertd testnet replay` on a chain with vote extensions: the genesis doc's
 * abci.vote_extensions_enable_height reaches InitChain, so blocks carrying injected votes replay to
 * the same app hashes (and without the param they would not).
 */
import { encodeVeTx } from "../../src/baseapp/voteext";
import type { GenesisDoc } from "../../src/localnet/ceremony";
import { consensusParamsOf, replayBlocks, type Recording } from "../../src/localnet/testnet-replay";
import { ReadinessExtension } from "../../src/generated/dcert/upgrade/v1/types";
import { GENESIS_TIME_SECONDS, testChain, testValidatorAddress } from "../helpers/app";
import { TEST_CHAIN_ID } from "../helpers/txs";
import { commitInfoOf, extendedCommit, testValidatorKey } from "../helpers/voteext";

const K = testValidatorKey(1);
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex").toUpperCase();
const rfc3339 = (seconds: bigint): string => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");

test("consensusParamsOf passes block.max_gas and abci.vote_extensions_enable_height", () => {
  const doc = { consensus_params: { block: { max_bytes: "100", max_gas: "5000" }, abci: { vote_extensions_enable_height: "1" } } } as unknown as GenesisDoc;
  expect(consensusParamsOf(doc)).toEqual({ consensusParams: { block: { maxBytes: 100n, maxGas: 5000n }, abci: { voteExtensionsEnableHeight: 1n } } });
  expect(consensusParamsOf({ consensus_params: { abci: { vote_extensions_enable_height: "0" } } } as unknown as GenesisDoc)).toEqual({
    consensusParams: { abci: { voteExtensionsEnableHeight: 0n } },
  });
  expect(consensusParamsOf({} as GenesisDoc)).toEqual({});
});

test("a chain whose blocks carry injected votes replays to the same app hashes", async () => {
  const accounts = [{ address: await testValidatorAddress(), amount: 5_000_000_000n }];
  const chain = testChain({ accounts, validatorPubkeyB64: K.pubkeyB64, voteExtensionsEnableHeight: 1n });
  const recorded: Recording["blocks"][number][] = [];
  const genesisAppHash = hex(chain.app.initChain(chain.genesis).appHash);
  for (let h = 1n; h <= 5n; h++) {
    const ext = ReadinessExtension.encode({ appVersion: "0.1.0", buildHash: Buffer.alloc(32, Number(h)), upgradeHandlers: ["v2"] }).finish();
    const info = extendedCommit([{ key: K, power: 10n, extension: ext }], h - 1n, TEST_CHAIN_ID);
    const txs = h === 1n ? [] : [encodeVeTx(info)];
    const req = chain.nextBlockRequest(txs);
    const res = chain.app.finalizeBlock({ ...req, decidedLastCommit: commitInfoOf(info) });
    chain.app.commit();
    chain.height = req.height;
    chain.time = req.time!.seconds;
    recorded.push({ height: String(h), time: rfc3339(req.time!.seconds), proposer: "", txs: txs.map((t) => Buffer.from(t).toString("base64")), appHash: hex(res.appHash) });
  }
  const appState = JSON.parse(new TextDecoder().decode(chain.genesis.appStateBytes)) as Record<string, unknown>;
  const doc: GenesisDoc = {
    genesis_time: rfc3339(GENESIS_TIME_SECONDS),
    chain_id: TEST_CHAIN_ID,
    initial_height: "1",
    consensus_params: { abci: { vote_extensions_enable_height: "1" } },
    validators: [],
    app_hash: "",
    app_state: appState,
  };
  const ok = replayBlocks(doc, { genesisAppHash, blocks: recorded });
  expect(ok.mismatches).toEqual([]);
  const without = replayBlocks({ ...doc, consensus_params: {} }, { genesisAppHash, blocks: recorded });
  expect(without.mismatches.length).toBeGreaterThan(0);
});
