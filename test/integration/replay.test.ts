/**
 * Replay and crash points in process. A chain started from gentxs runs blocks with CosmJS-signed
 * txs; its recorded block sequence replays into a fresh app with identical app hashes, and a
 * tampered recording or genesis is caught at the right height. The crash points stop Commit at the
 * chosen height exactly before (nothing persisted) or after (block persisted) the store write, and
 * a new app on the same store, given the block again as CometBFT's handshake would, reaches the
 * same app hash.
 */
import { DirectSecp256k1HdWallet, makeCosmoshubPath } from "@cosmjs/proto-signing";
import type { DcertApp } from "../../src/app/app";
import { moduleAccountAddress } from "../../src/x/auth/keeper";
import { crashPointsFromEnv, CRASH_AFTER_COMMIT_ENV, CRASH_BEFORE_COMMIT_ENV, installCrashPoints } from "../../src/app/crashpoint";
import { devnetParamsAppState } from "../../src/app/genesis";
import { addGenesisAccount, setGenTxs } from "../../src/x/genutil/ceremony";
import { buildGentx } from "../../src/x/genutil/gentx";
import { createApp } from "../../src/app/node";
import { MemoryCommitStore } from "../../src/baseapp/store/memory";
import { DEFAULT_DENOM } from "../../src/baseapp/tx/constants";
import { parseRfc3339, type GenesisDoc } from "../../src/localnet/ceremony";
import { consensusParamsOf, replayBlocks, type RecordedBlock, type Recording } from "../../src/localnet/testnet-replay";
import { msgSend, signDirect, testFee, TEST_MNEMONIC } from "../helpers/txs";

const CHAIN_ID = "dcert-replay-1";
const GENESIS_TIME = "2024-01-02T03:04:05.123456789Z";

interface Fixture {
  genesis: GenesisDoc;
  recording: Recording;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex").toUpperCase();

function blockTime(height: number): string {
  return `2024-01-02T03:04:${String(5 + height).padStart(2, "0")}.000000001Z`;
}

function finalize(app: DcertApp, height: number, txs: readonly string[], proposer: string) {
  return app.finalizeBlock({
    txs: txs.map((t) => new Uint8Array(Buffer.from(t, "base64"))),
    decidedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: new Uint8Array(32),
    height: BigInt(height),
    time: parseRfc3339(blockTime(height)),
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(Buffer.from(proposer, "hex")),
  });
}

function initApp(genesis: GenesisDoc, store = new MemoryCommitStore()): { app: DcertApp; store: MemoryCommitStore; genesisAppHash: string } {
  const app = createApp({ store });
  const res = app.initChain({
    time: parseRfc3339(genesis.genesis_time),
    chainId: genesis.chain_id,
    validators: [],
    appStateBytes: new TextEncoder().encode(JSON.stringify(genesis.app_state)),
    initialHeight: 1n,
    // What CometBFT passes for this genesis (it has no consensus_params: CometBFT's defaults).
    ...consensusParamsOf(genesis),
  });
  return { app, store, genesisAppHash: hex(res.appHash) };
}

let fixture: Fixture;

beforeAll(async () => {
  const wallets = await Promise.all(
    [1, 2, 3].map((i) => DirectSecp256k1HdWallet.fromMnemonic(TEST_MNEMONIC, { prefix: "dcert", hdPaths: [makeCosmoshubPath(i)] })),
  );
  const addrs = await Promise.all(wallets.map(async (w) => (await w.getAccounts())[0]!.address));
  const state = devnetParamsAppState();
  for (const a of addrs) addGenesisAccount(state, a, [{ denom: DEFAULT_DENOM, amount: 10n ** 12n }]);
  setGenTxs(state, [
    await buildGentx({
      chainId: CHAIN_ID,
      signer: wallets[0]!,
      operator: addrs[0]!,
      consensusPubkeyBase64: Buffer.alloc(32, 9).toString("base64"),
      selfDelegation: { denom: DEFAULT_DENOM, amount: 10n ** 11n },
      moniker: "v0",
      memo: "",
    }),
  ]);
  const genesis: GenesisDoc = { genesis_time: GENESIS_TIME, chain_id: CHAIN_ID, app_state: state };

  // Run the chain once, recording each block as `recordBlocks` would from RPC.
  const { app, genesisAppHash } = initApp(genesis);
  const blocks: RecordedBlock[] = [];
  const seq = [1n, 0n, 0n]; // the operator's gentx used sequence 0
  for (let h = 1; h <= 6; h++) {
    const txs: string[] = [];
    for (let k = 0; k < 3; k++) {
      const from = k;
      const to = (k + 1) % 3;
      const acc = h === 1 ? undefined : app.auth.getAccount(app.queryContext(), addrs[from]!);
      const tx = await signDirect(wallets[from]!, {
        msgs: [msgSend(addrs[from]!, addrs[to]!, 10 + h)],
        fee: testFee(5000),
        chainId: CHAIN_ID,
        accountNumber: Number(acc?.accountNumber ?? BigInt(from)),
        sequence: Number(seq[from]!),
      });
      seq[from]! += 1n;
      txs.push(Buffer.from(tx).toString("base64"));
    }
    const proposer = Buffer.alloc(20, h).toString("hex").toUpperCase();
    const res = finalize(app, h, txs, proposer);
    app.commit();
    for (const r of res.txResults) expect(r.code).toBe(0);
    blocks.push({ height: String(h), time: blockTime(h), proposer, txs, lastCommit: { round: 0, votes: [] }, misbehavior: [], appHash: hex(res.appHash) });
  }
  fixture = { genesis, recording: { genesisAppHash, blocks } };
});

describe("replaying a recorded chain", () => {
  test("a fresh app given the same genesis and blocks reports the same app hash at every height", () => {
    const r = replayBlocks(fixture.genesis, fixture.recording);
    expect(r.mismatches).toEqual([]);
    expect(r.appHashes).toEqual(fixture.recording.blocks.map((b) => b.appHash));
    expect(r.genesisAppHash).toBe(fixture.recording.genesisAppHash);
    expect(r.txsOk).toBe(18);
    expect(r.txsFailed).toBe(0);
  });

  test("a block with one tx left out diverges from that height on", () => {
    const blocks = fixture.recording.blocks.map((b, i) => (i === 3 ? { ...b, txs: b.txs.slice(0, 2) } : b));
    const r = replayBlocks(fixture.genesis, { ...fixture.recording, blocks });
    expect(r.mismatches.map((m) => m.height)).toEqual([4n, 5n, 6n]);
  });

  test("a different genesis is caught at height 0 and at every height after it", () => {
    const other: GenesisDoc = JSON.parse(JSON.stringify(fixture.genesis)) as GenesisDoc;
    addGenesisAccount(other.app_state, moduleAccountAddress("replay_extra"), [{ denom: DEFAULT_DENOM, amount: 1n }]);
    const r = replayBlocks(other, fixture.recording);
    expect(r.mismatches[0]?.height).toBe(0n);
    expect(r.mismatches.length).toBe(fixture.recording.blocks.length + 1);
  });
});

describe("crash points", () => {
  class Killed extends Error {}
  const kill = (what: string): never => {
    throw new Killed(what);
  };

  test("unset variables arm nothing; bad values are refused with the variable's name", () => {
    expect(crashPointsFromEnv({})).toEqual({});
    expect(crashPointsFromEnv({ [CRASH_BEFORE_COMMIT_ENV]: "7" })).toEqual({ beforeCommit: 7n });
    expect(crashPointsFromEnv({ [CRASH_AFTER_COMMIT_ENV]: "12", [CRASH_BEFORE_COMMIT_ENV]: "" })).toEqual({ afterCommit: 12n });
    expect(() => crashPointsFromEnv({ [CRASH_BEFORE_COMMIT_ENV]: "0" })).toThrow(CRASH_BEFORE_COMMIT_ENV);
    expect(() => crashPointsFromEnv({ [CRASH_AFTER_COMMIT_ENV]: "x" })).toThrow(CRASH_AFTER_COMMIT_ENV);
    const { app } = initApp(fixture.genesis);
    const commit = app.commit;
    installCrashPoints(app, {}, () => undefined, kill);
    expect(app.commit).toBe(commit);
  });

  test("before Commit of block H: nothing of H is persisted; a new app on the store replays H to the same app hash", () => {
    const { app, store } = initApp(fixture.genesis);
    const lines: string[] = [];
    installCrashPoints(app, { beforeCommit: 4n }, (l) => lines.push(l), kill);
    const b = fixture.recording.blocks;
    for (let h = 1; h <= 3; h++) {
      finalize(app, h, b[h - 1]!.txs, b[h - 1]!.proposer);
      app.commit();
    }
    finalize(app, 4, b[3]!.txs, b[3]!.proposer);
    expect(() => app.commit()).toThrow(/FinalizeBlock\(4\) returned, Commit\(4\) not run/);
    expect(store.lastHeight).toBe(3n);
    expect(lines.join("\n")).toContain("before Commit of block 4");

    // Restart: Info says 3, so CometBFT's handshake sends block 4 again.
    const again = createApp({ store });
    expect(again.info({ version: "", blockVersion: 0n, p2pVersion: 0n, abciVersion: "" }).lastBlockHeight).toBe(3n);
    for (let h = 4; h <= 6; h++) {
      const res = finalize(again, h, b[h - 1]!.txs, b[h - 1]!.proposer);
      again.commit();
      expect(hex(res.appHash)).toBe(b[h - 1]!.appHash);
    }
  });

  test("after Commit of block H: H is persisted and the restarted app reports it, with the recorded app hash", () => {
    const { app, store } = initApp(fixture.genesis);
    installCrashPoints(app, { afterCommit: 2n }, () => undefined, kill);
    const b = fixture.recording.blocks;
    finalize(app, 1, b[0]!.txs, b[0]!.proposer);
    app.commit();
    finalize(app, 2, b[1]!.txs, b[1]!.proposer);
    expect(() => app.commit()).toThrow(/Commit\(2\) persisted/);
    expect(store.lastHeight).toBe(2n);
    const again = createApp({ store });
    const info = again.info({ version: "", blockVersion: 0n, p2pVersion: 0n, abciVersion: "" });
    expect(info.lastBlockHeight).toBe(2n);
    expect(hex(info.lastBlockAppHash)).toBe(b[1]!.appHash);
    const res = finalize(again, 3, b[2]!.txs, b[2]!.proposer);
    expect(hex(res.appHash)).toBe(b[2]!.appHash);
  });
});
