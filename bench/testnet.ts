/**
 * A 4-validator testnet on this machine (4 CometBFT nodes + 4 app processes, built by
 * `dcertd testnet init`'s code), measured in phases:
 *  1. idle: blocks per second;
 *  2. load, all validators up: pre-signed MsgSends from many accounts broadcast to nodes 0–2
 *     (async, a bounded number in flight), committed tx/s and blocks/s from block header times;
 *  3. node3's app SIGKILLed (its CometBFT exits too): the longest gap between blocks right after
 *     the kill, and the same load again with one of four validators down;
 *  4. node3 restarted: seconds from restart until it has caught up with the others.
 * Run: npm run bench -- testnet   (env: BENCH_TESTNET_TXS per load phase, BENCH_TESTNET_ACCOUNTS,
 * BENCH_COMET: CometBFT config.toml settings for every node on top of the testnet's, as the peer
 * bench takes them, e.g. "p2p.flush_throttle_timeout=100ms")
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { editToml, resolveCometbft } from "../src/localnet/cometbft";
import { cometConfigFile, compiledDcertd, fetchStatus, findRepoRoot, type DevnetProcesses } from "../src/localnet/devnet";
import { genesisFile } from "../src/localnet/ceremony";
import { stopChild, withTimeout } from "../src/localnet/proc";
import { initTestnet, nodeDevnetPaths, nodeLaunch, startNodes, stopNodes, waitForNodes, type NodeLaunchSettings, type TestnetInfo } from "../src/localnet/testnet";
import { parseCometSettings } from "./lib/comet";
import { benchKeys, signedSend, type BenchKey } from "./lib/keys";
import { progress, report } from "./lib/report";

const FEE = 5_000n;
const GAS = 200_000n;
const WINDOW = Number(process.env["BENCH_WINDOW"] ?? 2_000);
const BATCH = 100;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

async function rpc<T>(url: string, pathAndQuery: string): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${url}${pathAndQuery}`, { signal: AbortSignal.timeout(10_000) });
      const body = (await res.json()) as { result?: T; error?: unknown };
      if (body.result !== undefined) return body.result;
      throw new Error(`${pathAndQuery}: ${JSON.stringify(body.error)}`);
    } catch (e) {
      if (attempt >= 40) throw e;
      await sleep(100);
    }
  }
}

async function heightOf(url: string): Promise<number> {
  return (await fetchStatus(url))?.height ?? 0;
}

interface BlockInfo {
  readonly txs: string[];
  readonly timeMs: number;
  readonly seenMs: number;
}

/** Reads every block from `from` on (in order) as it is committed on `url`. */
class Watcher {
  readonly blocks = new Map<number, BlockInfo>();
  next: number;
  private on = true;
  private loop: Promise<void>;

  constructor(private readonly url: string, from: number) {
    this.next = from;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (this.on) {
      const latest = await heightOf(this.url);
      while (this.next <= latest) {
        const b = await rpc<{ block: { header: { time: string }; data: { txs: string[] | null } } }>(this.url, `/block?height=${this.next}`);
        this.blocks.set(this.next, { txs: b.block.data.txs ?? [], timeMs: Date.parse(b.block.header.time), seenMs: nowMs() });
        this.next++;
      }
      await sleep(25);
    }
  }

  async stop(): Promise<void> {
    this.on = false;
    await this.loop;
  }

  /** Blocks per second and tx per second between two heights, from header times. */
  rate(from: number, to: number): { blocks: number; txs: number; seconds: number } {
    const t0 = this.blocks.get(from - 1)?.timeMs ?? this.blocks.get(from)?.timeMs ?? NaN;
    const t1 = this.blocks.get(to)?.timeMs ?? NaN;
    let txs = 0;
    for (let h = from; h <= to; h++) txs += this.blocks.get(h)?.txs.length ?? 0;
    return { blocks: to - from + 1, txs, seconds: (t1 - t0) / 1000 };
  }

  /** The longest gap between consecutive block header times in [from, to]. */
  maxGapMs(from: number, to: number): number {
    let max = 0;
    for (let h = from; h <= to; h++) {
      const a = this.blocks.get(h - 1)?.timeMs;
      const b = this.blocks.get(h)?.timeMs;
      if (a !== undefined && b !== undefined) max = Math.max(max, b - a);
    }
    return max;
  }
}

function txHash(b: Uint8Array | string): string {
  return createHash("sha256").update(typeof b === "string" ? Buffer.from(b, "base64") : b).digest("hex");
}

/**
 * Broadcasts `rounds` (round r = sequence r of every account) with broadcast_tx_async in batches,
 * account i always to `targets[i % targets.length]`, keeping at most WINDOW txs uncommitted. Returns
 * the heights of the first and last block holding these txs and the latencies.
 */
async function drive(w: Watcher, targets: readonly string[], rounds: readonly Uint8Array[][]): Promise<{ first: number; last: number; sent: number; committed: number; p50: number; p99: number }> {
  const wanted = new Map<string, number>();
  const startHeight = w.next;
  let sent = 0;
  let committedSoFar = 0;
  let scannedTo = startHeight - 1;
  const refresh = (): void => {
    while (w.blocks.has(scannedTo + 1)) {
      scannedTo++;
      for (const t of w.blocks.get(scannedTo)?.txs ?? []) if (wanted.has(txHash(t))) committedSoFar++;
    }
  };
  for (const round of rounds) {
    for (;;) {
      refresh();
      if (sent - committedSoFar <= WINDOW) break;
      await sleep(5);
    }
    const byTarget = new Map<string, Uint8Array[]>();
    round.forEach((tx, i) => {
      const t = targets[i % targets.length] as string;
      const list = byTarget.get(t) ?? [];
      list.push(tx);
      byTarget.set(t, list);
    });
    await Promise.all(
      [...byTarget].flatMap(([url, txs]) => {
        const batches: Uint8Array[][] = [];
        for (let i = 0; i < txs.length; i += BATCH) batches.push(txs.slice(i, i + BATCH));
        return batches.map(async (batch) => {
          const t = nowMs();
          for (const tx of batch) wanted.set(txHash(tx), t);
          await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(batch.map((tx, id) => ({ jsonrpc: "2.0", id, method: "broadcast_tx_async", params: { tx: Buffer.from(tx).toString("base64") } }))),
          }).then((r) => r.json());
          sent += batch.length;
        });
      }),
    );
  }
  // Until every tx is in a block, or nothing new for 20 s.
  let lastProgress = nowMs();
  let lastCount = -1;
  for (;;) {
    refresh();
    if (committedSoFar !== lastCount) {
      lastCount = committedSoFar;
      lastProgress = nowMs();
    }
    if (committedSoFar >= wanted.size || nowMs() - lastProgress > 20_000) break;
    await sleep(50);
  }
  let first = Infinity;
  let last = 0;
  const latencies: number[] = [];
  for (const [h, b] of w.blocks) {
    if (h < startHeight) continue;
    for (const t of b.txs) {
      const sentAt = wanted.get(txHash(t));
      if (sentAt === undefined) continue;
      first = Math.min(first, h);
      last = Math.max(last, h);
      latencies.push(b.seenMs - sentAt);
    }
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))] ?? NaN;
  return { first, last, sent, committed: latencies.length, p50: pct(50), p99: pct(99) };
}

function accountNumbers(info: TestnetInfo, keys: readonly BenchKey[]): bigint[] {
  const genesis = JSON.parse(readFileSync(genesisFile(info.nodes[0]!.home), "utf8")) as { app_state: { auth: { accounts: { address: string; account_number: string }[] } } };
  const byAddr = new Map(genesis.app_state.auth.accounts.map((a) => [a.address, BigInt(a.account_number)]));
  return keys.map((k) => {
    const n = byAddr.get(k.address);
    if (n === undefined) throw new Error(`${k.address} is not in genesis`);
    return n;
  });
}

export async function main(): Promise<void> {
  const comet = parseCometSettings(process.env["BENCH_COMET"] ?? "");
  const perPhase = Number(process.env["BENCH_TESTNET_TXS"] ?? 6_000);
  const nAccounts = Number(process.env["BENCH_TESTNET_ACCOUNTS"] ?? 300);
  const perAccount = Math.ceil(perPhase / nAccounts);
  const repoRoot = findRepoRoot(__dirname);
  const dir = mkdtempSync(join(tmpdir(), "dcert-bench-testnet-"));
  const keys = benchKeys(nAccounts, "dcert-bench-testnet");
  const settings: NodeLaunchSettings = { cometbftBin: resolveCometbft(repoRoot), dcertdScript: compiledDcertd(repoRoot), blockTimeoutMs: 120_000 };
  const procs: DevnetProcesses[] = [{}, {}, {}, {}];
  const rows: Record<string, string | number>[] = [];
  try {
    progress("testnet: init (4 validators, gentx ceremony)");
    const info = await initTestnet({
      output: dir,
      validators: 4,
      cometbftBin: settings.cometbftBin,
      extraAccounts: keys.map((k) => ({ address: k.address, amount: 10n ** 13n })),
    });
    // Only the keys given change; the testnet's own (peers, ports, moniker) stay.
    if (Object.keys(comet).length > 0) {
      progress(`testnet: CometBFT settings on every node: ${process.env["BENCH_COMET"] ?? ""}`);
      for (const node of info.nodes) editToml(cometConfigFile(nodeDevnetPaths(node).cometHome), comet);
    }
    const launches = info.nodes.map((_, i) => nodeLaunch(info, i, procs[i]!, settings));
    progress("testnet: starting 4 apps and 4 CometBFT nodes");
    const t0 = nowMs();
    await startNodes(launches);
    await waitForNodes(launches, progress);
    const startSeconds = (nowMs() - t0) / 1000;
    const url = (i: number): string => info.nodes[i]!.rpc;

    const numbers = accountNumbers(info, keys);
    progress(`testnet: pre-signing ${2 * perAccount * nAccounts} txs`);
    const sign = (seq: number): Uint8Array[] =>
      keys.map((k, i) =>
        signedSend({ from: k, to: keys[(i + 1) % keys.length]!.address, amount: 1n, chainId: info.chainId, accountNumber: numbers[i]!, sequence: BigInt(seq), fee: FEE, gas: GAS }),
      );
    const phaseA = Array.from({ length: perAccount }, (_, s) => sign(s));
    const phaseB = Array.from({ length: perAccount }, (_, s) => sign(perAccount + s));

    const w = new Watcher(url(0), (await heightOf(url(0))) + 1);
    // 1. idle
    const idleFrom = w.next;
    await sleep(15_000);
    const idle = w.rate(idleFrom + 1, w.next - 1);
    rows.push({ phase: "idle, 4 of 4 up", blocks: idle.blocks, "blocks/s": idle.blocks / idle.seconds, txs: 0, "tx/s": 0, "latency p50 ms": "-", "latency p99 ms": "-" });
    progress(`idle: ${(idle.blocks / idle.seconds).toFixed(2)} blocks/s`);

    // 2. load, all up
    progress(`load (4 of 4 up): ${perAccount * nAccounts} txs to nodes 0–2`);
    const a = await drive(w, [url(0), url(1), url(2)], phaseA);
    const ra = w.rate(a.first, a.last);
    rows.push({ phase: "load, 4 of 4 up", blocks: ra.blocks, "blocks/s": ra.blocks / ra.seconds, txs: a.committed, "tx/s": a.committed / ra.seconds, "latency p50 ms": Math.round(a.p50), "latency p99 ms": Math.round(a.p99) });
    progress(`  ${(a.committed / ra.seconds).toFixed(0)} tx/s, ${(ra.blocks / ra.seconds).toFixed(2)} blocks/s`);

    // 3. kill node3's app, load again
    const killHeight = w.next - 1;
    const killAt = nowMs();
    await stopChild(procs[3]!.app!, "SIGKILL");
    const cometGone = await withTimeout(procs[3]!.comet!.exited, 15_000);
    const cometExitSeconds = cometGone === undefined ? NaN : (nowMs() - killAt) / 1000;
    await sleep(8_000);
    const afterKill = w.next - 1;
    const stallMs = w.maxGapMs(killHeight + 1, afterKill);
    progress(`killed node3's app at height ${killHeight}; longest block gap in the next ${afterKill - killHeight} blocks: ${stallMs} ms`);
    progress(`load (3 of 4 up): ${perAccount * nAccounts} txs to nodes 0–2`);
    const b = await drive(w, [url(0), url(1), url(2)], phaseB);
    const rb = w.rate(b.first, b.last);
    rows.push({ phase: "load, 3 of 4 up (node3 killed)", blocks: rb.blocks, "blocks/s": rb.blocks / rb.seconds, txs: b.committed, "tx/s": b.committed / rb.seconds, "latency p50 ms": Math.round(b.p50), "latency p99 ms": Math.round(b.p99) });
    progress(`  ${(b.committed / rb.seconds).toFixed(0)} tx/s, ${(rb.blocks / rb.seconds).toFixed(2)} blocks/s`);

    // 4. restart node3 and time its catch-up
    const behind = (await heightOf(url(0))) - killHeight;
    const restartAt = nowMs();
    delete procs[3]!.app;
    delete procs[3]!.comet;
    await startNodes([launches[3]!]);
    const appUpSeconds = (nowMs() - restartAt) / 1000;
    let caughtUp = NaN;
    for (;;) {
      const [h0, h3] = await Promise.all([heightOf(url(0)), heightOf(url(3))]);
      if (h3 > 0 && h3 >= h0) {
        caughtUp = (nowMs() - restartAt) / 1000;
        break;
      }
      if (nowMs() - restartAt > 120_000) break;
      await sleep(100);
    }
    await w.stop();
    progress(`node3 restarted ${behind} blocks behind: caught up after ${caughtUp.toFixed(1)} s`);
    report("testnet-throughput", rows, { validators: 4, txsPerPhase: perPhase, accounts: nAccounts, window: WINDOW, targets: "nodes 0-2", machine: "2 cores, all 8 processes", comet });
    report(
      "testnet-recovery",
      [
        { measure: "testnet init + start → every node at block ≥ 1 (s)", value: startSeconds },
        { measure: "node3 app SIGKILL → its CometBFT exits (s)", value: cometExitSeconds },
        { measure: "longest block gap after the kill (ms)", value: stallMs },
        { measure: "node3 blocks behind at restart", value: behind },
        { measure: "restart → app listening (s)", value: appUpSeconds },
        { measure: "restart → caught up with node0 (s)", value: caughtUp },
      ],
      { validators: 4 },
    );
  } finally {
    await stopNodes(procs);
    if (process.env["BENCH_KEEP"] === "1") progress(`testnet kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
