/**
 * End-to-end harness for multi-validator testnets: N real CometBFT v0.38 nodes and N compiled app
 * processes on loopback, set up by the same code as `dcertd testnet init` (the gentx ceremony) and
 * launched by the same functions as `dcertd testnet start` (src/localnet/testnet.ts), in a temporary
 * directory on reserved ports. Needs `npm run build` first (the apps run from dist/).
 *
 * Also here: a closed-loop transaction load (each sender has one MsgSend in flight, sends the next
 * once a watcher sees the previous one committed), used to keep the chain busy while validators
 * are killed, and helpers to compare app hashes across nodes height by height.
 *
 * Processes never outlive the test process (stop() ends them; a process `exit` hook kills any
 * left). KEEP_TESTNET=1 keeps the directory for inspection.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveCometbft } from "../../src/localnet/cometbft";
import { compiledDcertd, DEVNET_MIN_GAS_PRICES, findRepoRoot, fetchStatus, type DevnetProcesses, type LaunchOptions } from "../../src/localnet/devnet";
import { pollUntil, reservePorts, stopChild, withTimeout, type ExitStatus, type PortReservation } from "../../src/localnet/proc";
import { initTestnet, nodeDevnetPaths, nodeLaunch, startNodeCometbft, startNodes, stopNodes, waitForNodes, type NodeLaunchSettings, type TestnetInfo } from "../../src/localnet/testnet";
import { updateAppConfig } from "../../src/localnet/appconfig";
import { benchKeys, signedSend, type BenchKey } from "../../bench/lib/keys";

export { DEVNET_MIN_GAS_PRICES };

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// ---------------------------------------------------------------------------------------------
// RPC helpers

export async function rpcResult<T>(rpc: string, pathAndQuery: string, timeoutMs = 15_000): Promise<T> {
  const res = await fetch(`${rpc}${pathAndQuery}`, { signal: AbortSignal.timeout(timeoutMs) });
  const body = (await res.json()) as { result?: T; error?: { message?: string; data?: string } };
  if (body.result === undefined) throw new Error(`${pathAndQuery}: ${body.error?.data ?? body.error?.message ?? "no result"}`);
  return body.result;
}

export async function height(rpc: string): Promise<number | undefined> {
  return (await fetchStatus(rpc))?.height;
}

/** Header app hashes (index h-from = block h) from `/blockchain`, 20 headers per request. */
export async function headerAppHashes(rpc: string, from: number, to: number): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let hi = to; hi >= from; hi -= 20) {
    const lo = Math.max(from, hi - 19);
    const r = await rpcResult<{ block_metas: { header: { height: string; app_hash: string } }[] }>(rpc, `/blockchain?minHeight=${lo}&maxHeight=${hi}`);
    for (const m of r.block_metas) out.set(Number(m.header.height), m.header.app_hash);
  }
  return out;
}

/**
 * The app hash each block's FinalizeBlock returned ON THIS NODE (`/block_results`), heights
 * `from..to`. Unlike header app hashes (the chain's, identical in every node's block store), these
 * are what the node's own app computed, so a node that executed a block differently shows here.
 */
export async function resultAppHashes(rpc: string, from: number, to: number): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let h = from; h <= to; h++) {
    const r = await rpcResult<{ app_hash: string }>(rpc, `/block_results?height=${h}`);
    out.set(h, r.app_hash);
  }
  return out;
}

/** Waits (bounded) until `rpc` reports a height ≥ `target`; returns it. `abort` stops the wait early. */
export async function waitForHeight(rpc: string, target: number, timeoutMs = 120_000, abort?: () => string | undefined): Promise<number> {
  let last: number | undefined;
  return pollUntil({
    what: `${rpc} to reach height ${target}`,
    check: async () => {
      last = await height(rpc);
      return last !== undefined && last >= target ? last : undefined;
    },
    timeoutMs,
    lastSeen: () => (last === undefined ? "no answer" : `height ${last}`),
    ...(abort === undefined ? {} : { abort }),
  });
}

// ---------------------------------------------------------------------------------------------
// The testnet

export interface TestnetNodeHandle {
  readonly name: string;
  readonly rpc: string;
  readonly procs: DevnetProcesses;
}

export class Testnet {
  readonly nodes: TestnetNodeHandle[];
  private stopped = false;

  constructor(
    readonly dir: string,
    readonly info: TestnetInfo,
    private readonly settings: NodeLaunchSettings,
    private readonly removeDir: boolean,
    private readonly reservation?: PortReservation,
  ) {
    this.nodes = info.nodes.map((n) => ({ name: n.name, rpc: n.rpc, procs: {} }));
  }

  node(i: number): TestnetNodeHandle {
    const n = this.nodes[i];
    if (n === undefined) throw new Error(`no node ${i}`);
    return n;
  }

  launch(i: number, appEnv?: NodeJS.ProcessEnv): LaunchOptions {
    return nodeLaunch(this.info, i, this.node(i).procs, this.settings, appEnv);
  }

  appLog(i: number): string {
    return fs.readFileSync(this.info.nodes[i]?.appLog ?? "", "utf8");
  }

  /** Starts node i's app and CometBFT (it must be stopped); does not wait for blocks. */
  async startNode(i: number, appEnv?: NodeJS.ProcessEnv): Promise<LaunchOptions> {
    const procs = this.node(i).procs;
    delete procs.app;
    delete procs.comet;
    const l = this.launch(i, appEnv);
    await startNodes([l]);
    return l;
  }

  /**
   * Starts node i's CometBFT alone, against its app that is still running (after CometBFT alone
   * died), and records its pid in the node's cometbft.pid; does not wait for blocks.
   */
  async startComet(i: number): Promise<LaunchOptions> {
    const procs = this.node(i).procs;
    if (procs.app === undefined || procs.app.exitStatus() !== undefined) throw new Error(`node ${i}'s app is not running`);
    delete procs.comet;
    const l = this.launch(i);
    await startNodeCometbft(l);
    return l;
  }

  /** Starts node i and waits until it commits a new block; returns that height. */
  async restartNode(i: number, appEnv?: NodeJS.ProcessEnv): Promise<number> {
    await this.stopNode(i);
    const l = await this.startNode(i, appEnv);
    const [h] = await waitForNodes([l]);
    return h as number;
  }

  /** SIGKILLs (or signals) node i's app and waits for it to exit. CometBFT then exits by itself. */
  async killApp(i: number, signal: NodeJS.Signals = "SIGKILL"): Promise<ExitStatus> {
    const app = this.node(i).procs.app;
    if (app === undefined) throw new Error(`node ${i}'s app was never started`);
    return stopChild(app, signal, 30_000);
  }

  /** Waits for node i's CometBFT to exit on its own (it does when its app connection drops). */
  async cometExited(i: number, timeoutMs = 15_000): Promise<ExitStatus | undefined> {
    const comet = this.node(i).procs.comet;
    if (comet === undefined) return undefined;
    return withTimeout(comet.exited, timeoutMs);
  }

  /** Stops node i (CometBFT first, then the app); fine if either is already dead. */
  async stopNode(i: number): Promise<void> {
    await stopNodes([this.node(i).procs]);
  }

  /** SIGKILLs every process of every node at once (a power cut). */
  async killAll(): Promise<void> {
    const all = this.nodes.flatMap((n) => [n.procs.app, n.procs.comet]).filter((c) => c !== undefined);
    await Promise.all(all.map((c) => stopChild(c, "SIGKILL")));
  }

  async startAll(): Promise<number[]> {
    const launches = this.nodes.map((n, i) => {
      delete n.procs.app;
      delete n.procs.comet;
      return this.launch(i);
    });
    await startNodes(launches);
    return waitForNodes(launches, this.settings.log);
  }

  async heights(): Promise<(number | undefined)[]> {
    return Promise.all(this.nodes.map((n) => height(n.rpc)));
  }

  /**
   * Header app hashes of blocks `from..to` on every given node; returns the heights where nodes
   * disagree (empty when all agree) and how many heights were compared.
   */
  async compareAppHashes(nodes: readonly number[], from: number, to: number): Promise<{ compared: number; differing: number[] }> {
    const maps = await Promise.all(nodes.map((i) => headerAppHashes(this.node(i).rpc, from, to)));
    const differing: number[] = [];
    let compared = 0;
    for (let h = from; h <= to; h++) {
      const values = maps.map((m) => m.get(h));
      if (values.some((v) => v === undefined)) throw new Error(`height ${h} missing on some node`);
      compared++;
      if (new Set(values).size !== 1) differing.push(h);
    }
    return { compared, differing };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await stopNodes(this.nodes.map((n) => n.procs));
    await this.reservation?.release();
    if (process.env["KEEP_TESTNET"] === "1") console.log(`KEEP_TESTNET=1: testnet kept at ${this.dir}`);
    else if (this.removeDir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface StartTestnetOptions {
  readonly validators?: number;
  /** Extra funded genesis accounts (e.g. load senders). */
  readonly extraAccounts?: readonly { readonly address: string; readonly amount: bigint }[];
  readonly log?: (line: string) => void;
  /** Nodes whose app executes accepted proposals ahead (app.toml `optimistic-execution = true`). */
  readonly optimisticNodes?: readonly number[];
}

/**
 * Creates a testnet in a temporary directory on reserved ports (src/localnet/proc.ts: each held until
 * its node's process starts, all locked until `stop()`), starts every node and waits for blocks.
 * A start that fails anyway (a port taken at the last moment by something outside our control)
 * is reported and tried once more in a fresh directory on new ports.
 */
export async function startTestnet(opts: StartTestnetOptions = {}): Promise<Testnet> {
  try {
    return await startTestnetOnce(opts);
  } catch (e) {
    console.error(`the testnet did not start (${e instanceof Error ? e.message : String(e)}); trying once more on other ports`);
    return startTestnetOnce(opts);
  }
}

async function startTestnetOnce(opts: StartTestnetOptions): Promise<Testnet> {
  const repoRoot = findRepoRoot(__dirname);
  const validators = opts.validators ?? 4;
  // Five a node: RPC, P2P, ABCI, REST and gRPC.
  const reservation = await reservePorts(5 * validators);
  const settings: NodeLaunchSettings = {
    reservation,
    cometbftBin: resolveCometbft(repoRoot, process.env),
    dcertdScript: compiledDcertd(repoRoot),
    detached: false,
    blockTimeoutMs: 180_000,
    ...(opts.log === undefined ? {} : { log: opts.log }),
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-testnet-"));
  const info = await initTestnet({
    output: dir,
    validators,
    cometbftBin: settings.cometbftBin,
    reservation,
    ...(opts.extraAccounts === undefined ? {} : { extraAccounts: opts.extraAccounts }),
    ...(opts.log === undefined ? {} : { log: opts.log }),
  });
  for (const i of opts.optimisticNodes ?? []) {
    const node = info.nodes[i];
    if (node === undefined) throw new Error(`optimisticNodes: no node ${i}`);
    updateAppConfig(nodeDevnetPaths(node).appHome, { optimisticExecution: true });
  }
  const net = new Testnet(dir, info, settings, true, reservation);
  try {
    await net.startAll();
  } catch (e) {
    await net.stop();
    throw e;
  }
  return net;
}

// ---------------------------------------------------------------------------------------------
// Transaction load

export const LOAD_FEE = 5_000n;
export const LOAD_GAS = 200_000n;
export const LOAD_BALANCE = 1_000_000_000_000n;

export function loadSenders(n: number, seed = "dcert-testnet-load"): BenchKey[] {
  return benchKeys(n, seed);
}

export interface CommittedTx {
  readonly hash: string;
  readonly sender: string;
  readonly height: number;
  readonly code: number;
}

interface RawBlock {
  block: { header: { height: string; time: string }; data: { txs: string[] | null } };
}

/**
 * Closed-loop MsgSend load: every sender keeps one tx in flight (1 udcert to `sink`), broadcast
 * to one of `sendTo` (the next one on failure); a watcher reads every block in order from one of
 * `watchFrom` and records the txs it holds. A sender whose tx is not seen committed within the
 * timeout re-reads its sequence from the chain and continues.
 */
export class Load {
  /** Txs seen in committed blocks, by hash (sender "" for txs this load did not sign). */
  readonly committed = new Map<string, CommittedTx>();
  /** Txs per block height with the block time (for throughput). */
  readonly perBlock = new Map<number, { txs: number; time: string }>();
  /** Every tx this load signed and broadcast: hash → sender. */
  private readonly signedBy = new Map<string, string>();
  private readonly waiters = new Map<string, () => void>();
  private running = false;
  private watching = false;
  private loops: Promise<void>[] = [];
  private watcher: Promise<void> | undefined;
  private nextHeight = 1;
  broadcastErrors = 0;
  rejected = 0;
  resyncs = 0;
  lastRejection = "";

  constructor(
    private readonly chainId: string,
    private readonly senders: readonly BenchKey[],
    private readonly sink: string,
    private readonly sendTo: readonly string[],
    private readonly watchFrom: readonly string[],
  ) {}

  /** The first height the watcher read. */
  firstHeight = 0;

  private async query<T>(rpcs: readonly string[], pathAndQuery: string): Promise<T> {
    let last: unknown;
    for (let attempt = 0; attempt < 40; attempt++) {
      for (const rpc of rpcs) {
        try {
          return await rpcResult<T>(rpc, pathAndQuery);
        } catch (e) {
          last = e;
        }
      }
      await sleep(250);
    }
    throw last instanceof Error ? last : new Error(String(last));
  }

  /** Account number and sequence of `address` from the chain (CosmJS's own decoding). */
  private async account(address: string): Promise<{ accountNumber: bigint; sequence: bigint }> {
    const { StargateClient } = await import("@cosmjs/stargate");
    for (let attempt = 0; ; attempt++) {
      const rpc = this.watchFrom[attempt % this.watchFrom.length] as string;
      try {
        const client = await StargateClient.connect(rpc);
        try {
          const acc = await client.getAccount(address);
          if (acc === null) throw new Error(`no account ${address}`);
          return { accountNumber: BigInt(acc.accountNumber), sequence: BigInt(acc.sequence) };
        } finally {
          client.disconnect();
        }
      } catch (e) {
        if (attempt > 80) throw e;
        await sleep(250);
      }
    }
  }

  async start(): Promise<void> {
    this.running = true;
    this.watching = true;
    const st = await this.query<{ sync_info: { latest_block_height: string } }>(this.watchFrom, "/status");
    this.nextHeight = Number(st.sync_info.latest_block_height) + 1;
    this.firstHeight = this.nextHeight;
    this.watcher = this.watch();
    this.loops = this.senders.map((s, i) => this.senderLoop(s, i));
  }

  /**
   * Stops sending, waits for every sender's in-flight tx, then lets the chain commit two more
   * blocks and reads them too, so `committed` holds every tx of this load that made it in.
   */
  async stop(): Promise<void> {
    if (!this.watching) return;
    this.running = false;
    await Promise.all(this.loops);
    const st = await this.query<{ sync_info: { latest_block_height: string } }>(this.watchFrom, "/status");
    const until = Number(st.sync_info.latest_block_height) + 2;
    await pollUntil({
      what: `the load's watcher to read up to height ${until}`,
      check: () => (this.nextHeight > until ? true : undefined),
      timeoutMs: 120_000,
      lastSeen: () => `read up to ${this.nextHeight - 1}`,
    });
    this.watching = false;
    await this.watcher;
  }

  /** The latest height the watcher has read. */
  get readHeight(): number {
    return this.nextHeight - 1;
  }

  private async watch(): Promise<void> {
    while (this.watching) {
      let latest: number;
      try {
        const st = await this.query<{ sync_info: { latest_block_height: string } }>(this.watchFrom, "/status");
        latest = Number(st.sync_info.latest_block_height);
      } catch {
        await sleep(200);
        continue;
      }
      while (this.nextHeight <= latest) {
        const h = this.nextHeight;
        const block = await this.query<RawBlock>(this.watchFrom, `/block?height=${h}`);
        const results = await this.query<{ txs_results: { code: number }[] | null }>(this.watchFrom, `/block_results?height=${h}`);
        const txs = block.block.data.txs ?? [];
        txs.forEach((b64, k) => {
          const hash = createHash("sha256").update(Buffer.from(b64, "base64")).digest("hex").toUpperCase();
          const code = results.txs_results?.[k]?.code ?? -1;
          this.committed.set(hash, { hash, sender: this.signedBy.get(hash) ?? "", height: h, code });
          const wake = this.waiters.get(hash);
          if (wake !== undefined) {
            this.waiters.delete(hash);
            wake();
          }
        });
        this.perBlock.set(h, { txs: txs.length, time: block.block.header.time });
        this.nextHeight++;
      }
      await sleep(100);
    }
  }

  private waitCommitted(hash: string, timeoutMs: number): Promise<boolean> {
    if (this.committed.has(hash)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(hash);
        resolve(false);
      }, timeoutMs);
      this.waiters.set(hash, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Committed txs of this load, grouped by sender. */
  committedBySender(): Map<string, CommittedTx[]> {
    const out = new Map<string, CommittedTx[]>();
    for (const c of this.committed.values()) {
      if (c.sender === "") continue;
      const list = out.get(c.sender) ?? [];
      list.push(c);
      out.set(c.sender, list);
    }
    return out;
  }

  private async senderLoop(sender: BenchKey, index: number): Promise<void> {
    let { accountNumber, sequence } = await this.account(sender.address);
    let target = index;
    while (this.running) {
      const tx = signedSend({ from: sender, to: this.sink, amount: 1n, chainId: this.chainId, accountNumber, sequence, fee: LOAD_FEE, gas: LOAD_GAS });
      const hash = createHash("sha256").update(tx).digest("hex").toUpperCase();
      this.signedBy.set(hash, sender.address);
      let accepted = false;
      for (let tries = 0; tries < this.sendTo.length && !accepted; tries++) {
        const rpc = this.sendTo[target++ % this.sendTo.length] as string;
        try {
          const r = await rpcResult<{ code: number; log: string }>(rpc, `/broadcast_tx_sync?tx=0x${Buffer.from(tx).toString("hex")}`, 10_000);
          if (r.code === 0) accepted = true;
          else {
            this.rejected++;
            this.lastRejection = r.log;
            break;
          }
        } catch (e) {
          const msg = e instanceof Error ? e.message : String(e);
          // Re-sending the same bytes after a resync: the mempool already has it.
          if (/already exists in cache/.test(msg)) accepted = true;
          else {
            this.broadcastErrors++;
            this.lastRejection = msg;
          }
        }
      }
      if (accepted && (await this.waitCommitted(hash, 30_000))) {
        sequence++;
        continue;
      }
      // Rejected, lost with a node that died, or slow: take the sequence from the chain.
      await sleep(500);
      if (!this.running) break;
      this.resyncs++;
      const fresh = await this.account(sender.address);
      sequence = fresh.sequence;
      accountNumber = fresh.accountNumber;
    }
  }
}
