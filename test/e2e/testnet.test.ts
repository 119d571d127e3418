/**
 * Four validators on real CometBFT v0.38 (the genesis from gentxs, as `dcertd testnet init` builds
 * it), under continuous transaction load:
 *  - SIGKILL one validator's app: the chain keeps committing; restarted, it catches up;
 *  - an app that dies between FinalizeBlock and Commit (and one that dies right after Commit):
 *    CometBFT's handshake brings it back and its app hashes match the other nodes';
 *  - every process killed at once and restarted: the chain resumes, every tx the load saw committed
 *    is found by tx_search and reflected in balances and sequences;
 *  - two of the nodes execute accepted proposals ahead (optimistic execution), two do not;
 *  - app hashes are equal on all nodes at every common height, and the recorded block sequence
 *    replayed into a fresh in-process app gives the same app hashes.
 * The tests run in order on one testnet. Figures (blocks/s, recovery time, throughput with a
 * validator down) are printed; bench/testnet.ts measures them properly.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { StargateClient } from "@cosmjs/stargate";
import { CRASH_AFTER_COMMIT_ENV, CRASH_BEFORE_COMMIT_ENV } from "../../src/app/crashpoint";
import { resolveCometbft } from "../../src/localnet/cometbft";
import { DEVNET_ACCOUNT_BALANCE, DEVNET_SELF_DELEGATION, findRepoRoot } from "../../src/localnet/devnet";
import { genesisFile, readGenesisDoc } from "../../src/localnet/ceremony";
import { recordBlocks, replayBlocks } from "../../src/localnet/testnet-replay";
import { pollUntil } from "../../src/localnet/proc";
import { TESTNET_INFO_FILE } from "../../src/localnet/testnet";
import { height, Load, LOAD_BALANCE, LOAD_FEE, loadSenders, rpcResult, startTestnet, waitForHeight, type Testnet } from "./testnet-harness";

// Generous but bounded: every wait inside has its own bound and says what it waited for.
jest.setTimeout(600_000);

const SENDERS = 24;
const senders = loadSenders(SENDERS);
let net: Testnet | undefined;
let load: Load | undefined;
const figures: Record<string, string> = {};

function say(line: string): void {
  process.stderr.write(`[testnet e2e] ${line}\n`);
}

function tn(): Testnet {
  if (net === undefined) throw new Error("the testnet did not start");
  return net;
}

function ld(): Load {
  if (load === undefined) throw new Error("the load did not start");
  return load;
}

/** Waits (bounded) until `f` holds; a throwing `f` (a node restarting) counts as "not yet". */
async function until(what: string, f: () => boolean | Promise<boolean>, timeoutMs = 120_000, lastSeen?: () => string): Promise<void> {
  await pollUntil({ what, check: async () => ((await f()) ? true : undefined), timeoutMs, retryErrors: true, ...(lastSeen === undefined ? {} : { lastSeen }) });
}

/** The app log of node i written since byte `from`. */
function appLogSince(i: number, from: number): string {
  return tn().appLog(i).slice(from);
}

/** Committed txs and blocks of the load between two heights (inclusive) and the seconds they took. */
function rate(fromHeight: number, toHeight: number): { blocks: number; txs: number; seconds: number } {
  const l = ld();
  let txs = 0;
  for (let h = fromHeight; h <= toHeight; h++) txs += l.perBlock.get(h)?.txs ?? 0;
  const t0 = l.perBlock.get(fromHeight - 1)?.time ?? l.perBlock.get(fromHeight)?.time;
  const t1 = l.perBlock.get(toHeight)?.time;
  const seconds = t0 === undefined || t1 === undefined ? NaN : (Date.parse(t1) - Date.parse(t0)) / 1000;
  return { blocks: toHeight - fromHeight + 1, txs, seconds };
}

/** How many txs a node's index holds in heights `from..to`. */
async function indexedInHeights(rpc: string, from: number, to: number): Promise<number> {
  const r = await rpcResult<{ total_count: string }>(rpc, `/tx_search?query=${encodeURIComponent(`"tx.height>=${from} AND tx.height<=${to}"`)}&per_page=1`, 30_000);
  return Number(r.total_count);
}

/** Hashes of every tx `tx_search` finds with message.sender = `sender` on one node. */
async function indexedBySender(rpc: string, sender: string): Promise<Set<string>> {
  const found = new Set<string>();
  for (let page = 1; ; page++) {
    const r = await rpcResult<{ txs: { hash: string }[]; total_count: string }>(
      rpc,
      `/tx_search?query=${encodeURIComponent(`"message.sender='${sender}'"`)}&per_page=100&page=${page}`,
      30_000,
    );
    for (const x of r.txs) found.add(x.hash.toUpperCase());
    if (found.size >= Number(r.total_count) || r.txs.length === 0) return found;
  }
}

async function allHashesEqual(nodes: readonly number[]): Promise<number> {
  const hs = await Promise.all(nodes.map((i) => height(tn().node(i).rpc)));
  const top = Math.min(...hs.map((h) => h ?? 0));
  const { compared, differing } = await tn().compareAppHashes(nodes, 1, top);
  expect(differing).toEqual([]);
  return compared;
}

beforeAll(async () => {
  const t0 = Date.now();
  net = await startTestnet({
    validators: 4,
    extraAccounts: senders.map((k) => ({ address: k.address, amount: LOAD_BALANCE })),
    log: say,
    // A mixed network: two nodes execute accepted proposals ahead, two at FinalizeBlock; every
    // app-hash comparison below holds across both kinds (src/app/optimistic.ts).
    optimisticNodes: [0, 2],
  });
  figures["testnet init + start → first block (s)"] = ((Date.now() - t0) / 1000).toFixed(1);
}, 400_000);

afterAll(async () => {
  const t0 = Date.now();
  await load?.stop().catch(() => undefined);
  await net?.stop();
  say(`stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (Object.keys(figures).length > 0) say(`figures: ${JSON.stringify(figures)}`);
});

describe("a 4-validator testnet from gentxs", () => {
  it("has the four gentx validators with equal power, full peering, and testnet.json in devnet.json's shape", async () => {
    const t = tn();
    const info = JSON.parse(fs.readFileSync(path.join(t.dir, TESTNET_INFO_FILE), "utf8")) as Record<string, unknown>;
    expect(Object.keys(info)).toEqual(["chainId", "rpc", "denom", "bech32Prefix", "accounts", "nodes"]);
    expect((info["accounts"] as { name: string }[]).map((a) => a.name)).toEqual(["validator0", "validator1", "validator2", "validator3", "alice", "bob", "carol"]);
    const nodes = info["nodes"] as Record<string, unknown>[];
    expect(nodes).toHaveLength(4);
    expect(new Set(nodes.flatMap((n) => [n["rpcPort"], n["p2pPort"], n["abciPort"]])).size).toBe(12);

    const vals = await rpcResult<{ validators: { pub_key: { value: string }; voting_power: string }[] }>(t.node(0).rpc, "/validators");
    const keys = t.info.nodes.map((n) => {
      const k = JSON.parse(fs.readFileSync(path.join(n.home, "cometbft", "config", "priv_validator_key.json"), "utf8")) as { pub_key: { value: string } };
      return k.pub_key.value;
    });
    expect(new Set(vals.validators.map((v) => v.pub_key.value))).toEqual(new Set(keys));
    for (const v of vals.validators) expect(BigInt(v.voting_power)).toBe(DEVNET_SELF_DELEGATION / 1_000_000n);
    // CometBFT's genesis carries no validators: they came from InitChain (the gentxs).
    expect(readGenesisDoc(genesisFile(t.info.nodes[0]!.home))["validators"]).toEqual([]);

    await until("every node to have 3 peers", async () => {
      const peers = await Promise.all(t.nodes.map((n) => rpcResult<{ n_peers: string }>(n.rpc, "/net_info").then((r) => Number(r.n_peers))));
      return peers.every((p) => p === 3);
    });
    const h0 = (await height(t.node(0).rpc)) ?? 0;
    const t0 = Date.now();
    await waitForHeight(t.node(0).rpc, h0 + 5);
    figures["idle blocks/s (4 validators)"] = ((5 * 1000) / (Date.now() - t0)).toFixed(2);
    expect(await allHashesEqual([0, 1, 2, 3])).toBeGreaterThanOrEqual(5);
  });

  it("under load, a SIGKILLed validator app does not stop the chain; restarted, it catches up with equal app hashes", async () => {
    const t = tn();
    const sink = t.info.accounts.find((a) => a.name === "alice")!.address;
    load = new Load(t.info.chainId, senders, sink, [t.node(0).rpc, t.node(1).rpc], [t.node(0).rpc, t.node(1).rpc]);
    await ld().start();
    await until("the load to commit txs", () => ld().committed.size >= 2 * SENDERS, 180_000);
    const loadStart = ld().firstHeight;
    const hLoad = ld().readHeight;
    const full = rate(loadStart, hLoad);
    figures["load tx/s (4 up)"] = (full.txs / full.seconds).toFixed(1);

    const status = await t.killApp(3, "SIGKILL");
    expect(status.signal).toBe("SIGKILL");
    // CometBFT 0.38 stops when its app connection drops.
    expect(await t.cometExited(3)).toBeDefined();
    const hKill = (await height(t.node(0).rpc)) ?? 0;
    const committedAtKill = ld().committed.size;
    await waitForHeight(t.node(0).rpc, hKill + 6, 180_000);
    await until("the load to read those blocks", () => ld().readHeight >= hKill + 6);
    expect(ld().committed.size).toBeGreaterThan(committedAtKill);
    const down = rate(hKill + 1, hKill + 6);
    figures["load tx/s (1 of 4 down)"] = (down.txs / down.seconds).toFixed(1);
    figures["blocks/s under load (1 of 4 down)"] = (down.blocks / down.seconds).toFixed(2);
    expect(await height(t.node(3).rpc)).toBeUndefined();

    const restartAt = Date.now();
    await t.restartNode(3);
    const target = (await height(t.node(0).rpc)) ?? 0;
    await waitForHeight(t.node(3).rpc, target, 180_000);
    figures["recovery after SIGKILL: restart → caught up (s)"] = ((Date.now() - restartAt) / 1000).toFixed(1);
    expect(await allHashesEqual([0, 1, 2, 3])).toBeGreaterThan(hKill);
  });

  it("an app killed between FinalizeBlock and Commit restarts one block behind; CometBFT replays that block and app hashes match", async () => {
    const t = tn();
    await t.stopNode(2);
    const h = ((await height(t.node(0).rpc)) ?? 0) + 4;
    const logStart = t.appLog(2).length;
    await t.startNode(2, { [CRASH_BEFORE_COMMIT_ENV]: String(h) });
    const exit = await t.node(2).procs.app!.exited;
    expect(exit.signal).toBe("SIGKILL");
    expect(appLogSince(2, logStart)).toContain(`crash point: FinalizeBlock(${h}) returned, Commit(${h}) not run`);
    expect(await t.cometExited(2)).toBeDefined();

    const restartLog = t.appLog(2).length;
    await t.restartNode(2);
    // The app reopened its store at h - 1: block h was never persisted, so the handshake replayed it.
    expect(appLogSince(2, restartLog)).toMatch(new RegExp(`listening on \\S+ \\(height ${h - 1}\\)`));
    // Every node must have the heights being compared (another may still be catching up).
    for (const i of [0, 1, 2, 3]) await waitForHeight(t.node(i).rpc, h + 2, 180_000);
    const { differing } = await t.compareAppHashes([0, 1, 2, 3], h - 1, h + 2);
    expect(differing).toEqual([]);
  });

  it("an app killed right after Commit (before CometBFT heard back) restarts at that height and stays in agreement", async () => {
    const t = tn();
    await t.stopNode(1);
    const h = ((await height(t.node(0).rpc)) ?? 0) + 4;
    const logStart = t.appLog(1).length;
    await t.startNode(1, { [CRASH_AFTER_COMMIT_ENV]: String(h) });
    const exit = await t.node(1).procs.app!.exited;
    expect(exit.signal).toBe("SIGKILL");
    expect(appLogSince(1, logStart)).toContain(`crash point: Commit(${h}) persisted, response not sent`);
    await t.cometExited(1);

    const restartLog = t.appLog(1).length;
    await t.restartNode(1);
    expect(appLogSince(1, restartLog)).toMatch(new RegExp(`listening on \\S+ \\(height ${h}\\)`));
    // Every node must have the heights being compared (another may still be catching up).
    for (const i of [0, 1, 2, 3]) await waitForHeight(t.node(i).rpc, h + 2, 180_000);
    const { differing } = await t.compareAppHashes([0, 1, 2, 3], h - 1, h + 2);
    expect(differing).toEqual([]);
  });

  it("all eight processes SIGKILLed and restarted: the chain resumes, and every committed tx is found by tx_search and reflected in state", async () => {
    const t = tn();
    await ld().stop();
    const committed = ld().committedBySender();
    const total = [...committed.values()].reduce((n, l) => n + l.length, 0);
    say(`load: ${total} txs committed from ${committed.size} senders (${ld().resyncs} resyncs, ${ld().rejected} rejected, ${ld().broadcastErrors} broadcast errors)`);
    expect(committed.size).toBe(SENDERS);
    for (const list of committed.values()) for (const c of list) expect(c.code).toBe(0);

    // CometBFT indexes a block's txs after it commits the block; a node killed in between never
    // indexes that block (`cometbft reindex-event` repairs it). So first let every node catch up
    // and index everything (the load has stopped: blocks are empty from here on), then kill.
    // The condition is cheap (one count per node, not a search per sender, which on a busy
    // machine took longer than the wait itself): the txs indexed in the load's heights equal the
    // txs the load's watcher read in those blocks.
    const from = ld().firstHeight;
    const to = ld().readHeight;
    let expectedTxs = 0;
    for (let h = from; h <= to; h++) expectedTxs += ld().perBlock.get(h)?.txs ?? 0;
    const counts = new Map<number, number>();
    const complete = async (): Promise<boolean> => {
      for (const [i, n] of t.nodes.entries()) counts.set(i, await indexedInHeights(n.rpc, from, to));
      return [...counts.values()].every((c) => c === expectedTxs);
    };
    const seen = (): string => [...counts].map(([i, c]) => `node${i} ${c}/${expectedTxs}`).join(", ");
    for (const i of [0, 1, 2, 3]) await waitForHeight(t.node(i).rpc, to + 1);
    const indexed = await until(`every node to index the ${expectedTxs} txs of heights ${from}…${to}`, complete, 90_000, seen).then(
      () => true,
      (e: unknown) => {
        say(`${e instanceof Error ? e.message : String(e)}; those nodes lost a block's indexing to an earlier kill and are reindexed below`);
        return false;
      },
    );
    const lagging = [...counts].filter(([, c]) => c !== expectedTxs).map(([i]) => i);
    const before = Math.max(...(await t.heights()).map((h) => h ?? 0));
    await t.killAll();
    if (!indexed) {
      for (const i of lagging) {
        const comet = t.info.nodes[i]!;
        const r = spawnSync(resolveCometbft(findRepoRoot(__dirname), process.env), ["reindex-event", "--home", path.join(comet.home, "cometbft"), "--start-height", String(from), "--end-height", String(to)], { encoding: "utf8", timeout: 120_000 });
        if (r.status !== 0) throw new Error(`cometbft reindex-event on node${i} failed: ${r.stdout}${r.stderr}`);
      }
      figures["nodes reindexed after losing a block's indexing to a kill"] = lagging.map((i) => `node${i}`).join(" ");
    }
    const restartAt = Date.now();
    await t.startAll();
    await waitForHeight(t.node(0).rpc, before + 2, 180_000);
    figures["full restart after kill -9 of all: start → new block (s)"] = ((Date.now() - restartAt) / 1000).toFixed(1);

    const client = await StargateClient.connect(t.node(0).rpc);
    try {
      for (const k of senders) {
        const mine = new Set((committed.get(k.address) ?? []).map((c) => c.hash));
        // Exactly this load's txs from that sender, on every node's index.
        for (const n of t.nodes) expect(await indexedBySender(n.rpc, k.address)).toEqual(mine);
        const count = BigInt(mine.size);
        expect(BigInt(await client.getSequence(k.address).then((s) => s.sequence))).toBe(count);
        expect(BigInt((await client.getBalance(k.address, t.info.denom)).amount)).toBe(LOAD_BALANCE - count * (LOAD_FEE + 1n));
      }
      const sink = t.info.accounts.find((a) => a.name === "alice")!.address;
      expect(BigInt((await client.getBalance(sink, t.info.denom)).amount)).toBe(DEVNET_ACCOUNT_BALANCE + BigInt(total));
      // A sample by hash as well, on another node: found at the height the load saw it committed.
      const sample = [...committed.values()].flatMap((l) => l.slice(0, 1));
      for (const c of sample) {
        const r = await rpcResult<{ txs: { hash: string; height: string }[] }>(t.node(3).rpc, `/tx_search?query=${encodeURIComponent(`"tx.hash='${c.hash}'"`)}`);
        expect(r.txs.map((x) => [x.hash.toUpperCase(), Number(x.height)])).toEqual([[c.hash, c.height]]);
      }
    } finally {
      client.disconnect();
    }
    expect(await allHashesEqual([0, 1, 2, 3])).toBeGreaterThan(before);
  });

  it("the nodes with optimistic execution answered FinalizeBlock from blocks executed ahead; the others never did", () => {
    const t = tn();
    const ahead = (i: number): number => (t.appLog(i).match(/committed block \d+: \d+ txs?, time \S+, app hash \S+, [\d.]+ ms, executed ahead/g) ?? []).length;
    for (const i of [0, 2]) {
      expect(t.appLog(i)).toContain("blocks: executed ahead from ProcessProposal (optimistic execution)");
      expect(ahead(i)).toBeGreaterThan(0);
    }
    for (const i of [1, 3]) {
      expect(t.appLog(i)).toContain("blocks: executed at FinalizeBlock");
      expect(ahead(i)).toBe(0);
    }
    say(`blocks answered from an execution ahead: node0 ${ahead(0)}, node2 ${ahead(2)}`);
  });

  it("the recorded block sequence, replayed into a fresh in-process app, gives identical app hashes", async () => {
    const t = tn();
    const top = ((await height(t.node(0).rpc)) ?? 2) - 1;
    const recording = await recordBlocks(t.node(0).rpc, top);
    const result = replayBlocks(readGenesisDoc(genesisFile(t.info.nodes[0]!.home)), recording);
    expect(result.mismatches).toEqual([]);
    expect(result.appHashes).toHaveLength(top);
    const loadTxs = [...ld().committed.values()].filter((c) => c.sender !== "" && c.height <= top).length;
    expect(result.txsOk).toBeGreaterThanOrEqual(loadTxs);
    expect(result.txsFailed).toBe(0);
    say(`replayed ${top} blocks with ${result.txsOk} txs: app hashes identical`);
  });
});
