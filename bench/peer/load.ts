/**
 * The chain-neutral MsgSend load of `npm run bench -- peer`, for any CometBFT v0.38 node that
 * speaks the Cosmos SDK tx format (the devnet and simd alike). Only step 6 is timed:
 *  1. fund `accounts` deterministic keys (the same private keys on every chain; only the bech32
 *     prefix differs) from a genesis account with one MsgMultiSend (CosmJS, fee "auto");
 *  2. read their account numbers;
 *  3. pre-sign the warm-up's rounds and ceil(txs / accounts) more: round r is sequence r of every
 *     account, account i sends 1 unit to account i+1 (fee 5,000 for gas 200,000, SIGN_MODE_DIRECT);
 *  4. with `warmup` (BENCH_WARMUP, none by default), send that many txs of the same kind first,
 *     closed loop through `broadcast_tx_sync`, and wait until they are all committed, untimed: the
 *     window then measures nodes that have run for a while (the devnet's app compiles its hot
 *     paths in its first few thousand txs; docs/benchmarks.md, round 16); wait two blocks;
 *  5. encode the timed rounds' JSON-RPC batches and hash their txs (untimed: the load shares the
 *     node's cores, so the window should hold only its sending and watching);
 *  6. send the rounds as JSON-RPC batches of `broadcast_tx_async`, at most `window` txs sent and
 *     not yet committed; closed loop (a round's batches at once) or, with `rate`, open loop (batch
 *     k goes out at k·batch/rate s). A watcher polls the app's committed height (`/abci_info`,
 *     which lags `/status` while a decided block executes) and reads each committed block
 *     (`/block`). The window closes when the block holding the last tx is committed.
 * `/block_results` (large JSON, costly for the node to write) is read after the window.
 *
 * With `msg: "vote"` (the devnet only) the load is dCERT MsgVotes instead of sends: after the
 * funding, every account delegates to the validator (untimed, sequence 0, all committed before
 * the window), then round r is every account's 16-entry vote (sequence r + 1) over the next 16
 * accounts, 1/16 each (a round's votes differ from the last: the candidates rotate by r);
 * `voteEntries` sets another number of entries, 1/n each.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, QueryClient, setupStakingExtension, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { MsgDelegate } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { MsgVote } from "../../src/generated/dcert/v1/tx";
import { encodeAddress, pubkeyToAddress } from "../../src/baseapp/tx/address";
import { cpuSeconds, headerTimeMs, nowMs } from "../lib/chain";
import { httpJson } from "../lib/http";
import { benchKeys, percentile, signedSend, signedTx, type BenchKey } from "../lib/keys";

export const PEER_FEE = 5_000n;
export const PEER_GAS = 200_000n;
const FUND_EACH = 10_000_000n;
/** The window also closes when nothing new was committed for this long after the last send. */
const QUIET_MS = 30_000;

export interface LoadOptions {
  readonly rpc: string;
  readonly chainId: string;
  readonly prefix: string;
  readonly denom: string;
  /** The gas price's number (CosmJS's fee "auto" for the funding tx). */
  readonly gasPrice: string;
  readonly faucetMnemonic: string;
  readonly txs: number;
  readonly accounts: number;
  readonly window: number;
  readonly batch: number;
  /** Offered tx/s (open loop); 0: closed loop. */
  readonly rate: number;
  /**
   * Txs sent and committed before the window opens (untimed; whole rounds, so rounded up to a
   * multiple of `accounts`); 0: the window starts on a node that has run no load.
   */
  readonly warmup: number;
  /** What the txs carry: MsgSend (default) or a 16-entry dCERT MsgVote (the devnet only). */
  readonly msg?: "send" | "vote";
  /** Entries per MsgVote (VOTE_ENTRIES, 16, by default). */
  readonly voteEntries?: number;
  /**
   * Called when the window opens (e.g. to start profiling); the function it returns is awaited
   * once the window's figures are taken, before the results are read.
   */
  readonly duringWindow?: () => () => Promise<void>;
  /** Processes whose CPU is measured over the window, by name. */
  readonly pids: Readonly<Record<string, number>>;
  readonly log: (line: string) => void;
}

export interface LoadResult {
  /** Txs committed before the window (the warm-up). */
  readonly warmupTxs: number;
  readonly txs: number;
  readonly meanTxBytes: number;
  readonly rejectedAtBroadcast: number;
  readonly firstRejection: string;
  /** Txs of ours seen in committed blocks. */
  readonly committed: number;
  /** Of those, with code 0. */
  readonly committedOk: number;
  readonly failedInBlock: number;
  readonly firstFailure: string;
  /** Txs in the window's blocks that the load did not send (not counted). */
  readonly otherTxs: number;
  readonly seconds: number;
  readonly committedTps: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Blocks from the first to the last holding our txs, and their header-time intervals. */
  readonly loadBlocks: number;
  /** Heights of the first and the last block holding our txs (0, 0 without any). */
  readonly loadHeights: readonly [number, number];
  readonly blockIntervalP50Ms: number;
  readonly blockIntervalMeanMs: number;
  readonly blockIntervalMaxMs: number;
  readonly maxTxsPerBlock: number;
  readonly gasUsedPerTx: number;
  readonly eventsPerTx: number;
  readonly cpuSeconds: Readonly<Record<string, number>>;
  readonly cpuSecondsPer1kTx: Readonly<Record<string, number>>;
  readonly clientCpuSeconds: number;
  /** The share of all cores' time used by other processes during the window (interference). */
  readonly otherCpuShare: number;
  /**
   * The share of all cores' time busy during the window, whatever used it (the node, the load,
   * anything else): near 1, the run was bound by the machine's cores.
   */
  readonly machineBusyShare: number;
  /** The devnet only: the app's time per block under load, from its block lines (bench/lib/blocklines.ts). */
  readonly blockTimes?: Readonly<Record<string, number>>;
  /** The devnet only: CometBFT's time per loaded height by phase, from its log (bench/lib/consensuslines.ts). */
  readonly heights?: Readonly<Record<string, number>>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const txHash = (tx: Uint8Array): string => createHash("sha256").update(tx).digest("hex");

async function rpcGet<T>(rpc: string, path: string): Promise<T> {
  const body = (await httpJson(`${rpc}${path}`)) as { result?: T; error?: unknown };
  if (body.result === undefined) throw new Error(`${rpc}${path}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/** A JSON-RPC batch of `method` over `txs` (base64 each), as the text a POST sends. */
function txBatchBody(method: string, txs: readonly string[]): string {
  return JSON.stringify(txs.map((tx, id) => ({ jsonrpc: "2.0", id, method, params: { tx } })));
}

async function appHeight(rpc: string): Promise<number> {
  return Number((await rpcGet<{ response: { last_block_height?: string } }>(rpc, "/abci_info")).response.last_block_height ?? 0);
}

async function statusHeight(rpc: string): Promise<number> {
  return Number((await rpcGet<{ sync_info: { latest_block_height: string } }>(rpc, "/status")).sync_info.latest_block_height);
}

/** CPU seconds all cores have been busy (/proc/stat: user, nice, system, irq, softirq, steal). */
function machineBusySeconds(): number {
  try {
    const f = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
    return ((f[0] ?? NaN) + (f[1] ?? NaN) + (f[2] ?? NaN) + (f[5] ?? NaN) + (f[6] ?? NaN) + (f[7] ?? NaN)) / 100;
  } catch {
    return NaN;
  }
}

/** The bench keys with addresses in `prefix`. */
export function peerKeys(n: number, prefix: string): BenchKey[] {
  return benchKeys(n, "dcert-bench-peer").map((k) => ({ ...k, address: encodeAddress(pubkeyToAddress(k.pub), prefix) }));
}

/** Round r = sequence r of every account (the last round may be partial), `txs` in all. */
export function presignRounds(keys: readonly BenchKey[], txs: number, chainId: string, denom: string, accountNumbers: readonly bigint[]): Uint8Array[][] {
  const rounds: Uint8Array[][] = [];
  let total = 0;
  for (let seq = 0; total < txs; seq++) {
    const round: Uint8Array[] = [];
    for (let i = 0; i < keys.length && total < txs; i++, total++) {
      round.push(
        signedSend({
          from: keys[i]!,
          to: keys[(i + 1) % keys.length]!.address,
          amount: 1n,
          denom,
          chainId,
          accountNumber: accountNumbers[i]!,
          sequence: BigInt(seq),
          fee: PEER_FEE,
          gas: PEER_GAS,
        }),
      );
    }
    rounds.push(round);
  }
  return rounds;
}

/** Entries per vote by default: the devnet's `max_vote_entries`, a vote's largest form. */
export const VOTE_ENTRIES = 16;
/** One whole in the 18-decimal fixed point of a vote's shares. */
const SHARE_ONE = 10n ** 18n;

/**
 * The shares of an n-entry vote as its strings: 1/n each, the first entry also taking what the
 * division leaves, so that they add up to exactly one (n = 16: 1/16 each; n = 3: 1/3 each, the
 * first 2·10^-18 more).
 */
export function voteShares(n: number): string[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`a vote needs at least one entry, got ${n}`);
  const each = SHARE_ONE / BigInt(n);
  return Array.from({ length: n }, (_, i) => (i === 0 ? each + (SHARE_ONE - each * BigInt(n)) : each).toString());
}
/** Each account delegates this much before voting (untimed). */
const DELEGATE_EACH = 1_000_000n;

/**
 * Round r = sequence r + 1 of every account: an `entries`-entry MsgVote (16 by default) over the
 * next accounts, rotating by r. Fewer accounts than entries + 1 would name a candidate twice.
 */
export function presignVoteRounds(
  keys: readonly BenchKey[],
  txs: number,
  chainId: string,
  denom: string,
  accountNumbers: readonly bigint[],
  entryCount = VOTE_ENTRIES,
): Uint8Array[][] {
  if (keys.length <= entryCount) throw new Error(`${entryCount}-entry votes need more than ${entryCount} accounts, got ${keys.length}`);
  const shares = voteShares(entryCount);
  const rounds: Uint8Array[][] = [];
  let total = 0;
  for (let r = 0; total < txs; r++) {
    const round: Uint8Array[] = [];
    for (let i = 0; i < keys.length && total < txs; i++, total++) {
      const entries = shares.map((share, e) => ({ candidate: keys[(i + 1 + r + e) % keys.length]!.address, share }));
      const value = MsgVote.encode({ voter: keys[i]!.address, entries }).finish();
      round.push(
        signedTx({ from: keys[i]!, msgs: [{ typeUrl: "/dcert.v1.MsgVote", value }], chainId, accountNumber: accountNumbers[i]!, sequence: BigInt(r + 1), fee: PEER_FEE, gas: PEER_GAS, denom }),
      );
    }
    rounds.push(round);
  }
  return rounds;
}

/** Every account delegates DELEGATE_EACH to the first bonded validator (sequence 0); returns when all are committed. */
async function delegateAll(o: LoadOptions, keys: readonly BenchKey[], numbers: readonly bigint[]): Promise<void> {
  const comet = await Comet38Client.connect(o.rpc);
  const q = QueryClient.withExtensions(comet, setupStakingExtension);
  const validator = (await q.staking.validators("BOND_STATUS_BONDED")).validators[0]?.operatorAddress;
  if (validator === undefined) throw new Error("no bonded validator to delegate to");
  o.log(`delegating ${DELEGATE_EACH}${o.denom} from each of ${keys.length} accounts to ${validator}`);
  const txs = keys.map((k, i) =>
    signedTx({
      from: k,
      msgs: [{ typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: MsgDelegate.encode({ delegatorAddress: k.address, validatorAddress: validator, amount: { denom: o.denom, amount: DELEGATE_EACH.toString() } }).finish() }],
      chainId: o.chainId,
      accountNumber: numbers[i]!,
      sequence: 0n,
      fee: PEER_FEE,
      gas: PEER_GAS,
      denom: o.denom,
    }),
  );
  await broadcastSync(o, txs, "a delegation");
  await settle(o, "delegations");
  comet.disconnect();
}

/** Sends `txs` with `broadcast_tx_sync` in batches of `o.batch`; throws on the first refused one. */
async function broadcastSync(o: LoadOptions, txs: readonly Uint8Array[], what: string): Promise<void> {
  const batches: Uint8Array[][] = [];
  for (let i = 0; i < txs.length; i += o.batch) batches.push(txs.slice(i, i + o.batch));
  await Promise.all(
    batches.map(async (batch) => {
      const body = txBatchBody("broadcast_tx_sync", batch.map((tx) => Buffer.from(tx).toString("base64")));
      const replies = (await httpJson(o.rpc, { body })) as { result?: { code?: number; log?: string } }[];
      const bad = replies.find((r) => r.result?.code !== 0);
      if (bad !== undefined) throw new Error(`${what} was refused: ${JSON.stringify(bad).slice(0, 300)}`);
    }),
  );
}

const pendingTxs = async (rpc: string): Promise<number> => Number((await rpcGet<{ total: string }>(rpc, "/num_unconfirmed_txs")).total);

/** Waits until the mempool is empty and the app has committed the block after the last one seen. */
async function settle(o: LoadOptions, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = nowMs() + timeoutMs;
  for (;;) {
    const pending = await pendingTxs(o.rpc);
    if (pending === 0) break;
    if (nowMs() > deadline) throw new Error(`${pending} ${what} still unconfirmed after ${timeoutMs / 1000} s`);
    await sleep(200);
  }
  const h = await statusHeight(o.rpc);
  while ((await appHeight(o.rpc)) < h + 1) await sleep(50);
}

/**
 * The warm-up: `rounds` sent a round at a time (its batches at once), at most `o.window` txs
 * pending, then settled. Untimed; a refused tx stops the bench (the timed rounds' sequences
 * follow these).
 */
async function warmUp(o: LoadOptions, rounds: readonly (readonly Uint8Array[])[]): Promise<number> {
  const n = rounds.reduce((s, r) => s + r.length, 0);
  if (n === 0) return 0;
  o.log(`warming up: ${n} txs, committed before the window opens (untimed)`);
  for (const round of rounds) {
    while ((await pendingTxs(o.rpc)) > o.window) await sleep(20);
    await broadcastSync(o, round, "a warm-up tx");
  }
  await settle(o, "warm-up txs");
  return n;
}

/** The rounds of a warm-up of `warmup` txs: whole rounds of `accounts`, so ceil(warmup / accounts). */
export function warmupRounds(warmup: number, accounts: number): number {
  return Math.ceil(warmup / accounts);
}

async function fund(o: LoadOptions, keys: readonly BenchKey[]): Promise<bigint[]> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(o.faucetMnemonic, { prefix: o.prefix });
  const [faucet] = await wallet.getAccounts();
  if (faucet === undefined) throw new Error("the faucet wallet derived no account");
  const client = await SigningStargateClient.connectWithSigner(o.rpc, wallet, { gasPrice: GasPrice.fromString(`${o.gasPrice}${o.denom}`), broadcastPollIntervalMs: 300 });
  o.log(`funding ${keys.length} accounts from ${faucet.address} (one MsgMultiSend)`);
  const res = await client.signAndBroadcast(
    faucet.address,
    [
      {
        typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
        value: {
          inputs: [{ address: faucet.address, coins: [{ denom: o.denom, amount: (FUND_EACH * BigInt(keys.length)).toString() }] }],
          outputs: keys.map((k) => ({ address: k.address, coins: [{ denom: o.denom, amount: FUND_EACH.toString() }] })),
        },
      },
    ],
    "auto",
  );
  client.disconnect();
  if (res.code !== 0) throw new Error(`funding failed (code ${res.code}): ${res.rawLog ?? ""}`);
  const reader = await StargateClient.connect(o.rpc);
  try {
    const numbers: bigint[] = [];
    for (const k of keys) {
      const acc = await reader.getAccount(k.address);
      if (acc === null) throw new Error(`account ${k.address} not found after funding`);
      numbers.push(BigInt(acc.accountNumber));
    }
    return numbers;
  } finally {
    reader.disconnect();
  }
}

interface SeenBlock {
  readonly height: number;
  readonly timeMs: number;
  /** Hashes of the block's txs, in block order (block_results follow it). */
  readonly hashes: readonly string[];
  readonly txs: number;
}

/** Runs the load against `o.rpc` and returns its figures. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const keys = peerKeys(o.accounts, o.prefix);
  const numbers = await fund(o, keys);
  const vote = o.msg === "vote";
  if (vote) await delegateAll(o, keys, numbers);
  const entries = o.voteEntries ?? VOTE_ENTRIES;
  const warm = warmupRounds(o.warmup, keys.length);
  const signed = o.txs + warm * keys.length;
  o.log(`pre-signing ${signed} ${vote ? `${entries}-entry MsgVotes` : "MsgSends"}${warm > 0 ? ` (${warm * keys.length} to warm up)` : ""}`);
  const presigned = vote ? presignVoteRounds(keys, signed, o.chainId, o.denom, numbers, entries) : presignRounds(keys, signed, o.chainId, o.denom, numbers);
  const warmupTxs = await warmUp(o, presigned.slice(0, warm));
  const rounds = presigned.slice(warm);
  const all = rounds.flat();
  const meanTxBytes = all.reduce((s, t) => s + t.length, 0) / all.length;
  // Outside the window: each batch's request text and its txs' hashes, and every tx's hash by its
  // base64 form (the form a block lists it in), so that inside it the client's CPU, taken from the
  // node's two cores, goes to sending and watching only.
  const hashOf = new Map<string, string>();
  const roundBatches = rounds.map((round) => {
    const batches: { readonly body: string; readonly hashes: readonly string[] }[] = [];
    for (let i = 0; i < round.length; i += o.batch) {
      const txs = round.slice(i, i + o.batch);
      const b64 = txs.map((tx) => Buffer.from(tx).toString("base64"));
      const hashes = txs.map(txHash);
      b64.forEach((b, j) => hashOf.set(b, hashes[j]!));
      batches.push({ body: txBatchBody("broadcast_tx_async", b64), hashes });
    }
    return batches;
  });
  const h0 = await statusHeight(o.rpc);
  while ((await statusHeight(o.rpc)) < h0 + 2) await sleep(50);

  const sentAt = new Map<string, number>();
  const committedAt = new Map<string, number>();
  const blocks: SeenBlock[] = [];
  let rejected = 0;
  let firstRejection = "";
  let sent = 0;
  let done = false;
  let aborted = false;
  const startHeight = await appHeight(o.rpc);
  const startBlockTime = headerTimeMs((await rpcGet<{ block: { header: { time: string } } }>(o.rpc, `/block?height=${startHeight}`)).block.header.time);

  const watcher = (async () => {
    let h = startHeight + 1;
    let lastChange = nowMs();
    for (;;) {
      const latest = await appHeight(o.rpc);
      const seen = nowMs();
      for (; h <= latest; h++) {
        const b = await rpcGet<{ block: { header: { time: string }; data: { txs: string[] | null } } }>(o.rpc, `/block?height=${h}`);
        const hashes = (b.block.data.txs ?? []).map((b64) => hashOf.get(b64) ?? txHash(Buffer.from(b64, "base64")));
        for (const hash of hashes) {
          if (!sentAt.has(hash)) continue;
          committedAt.set(hash, seen);
          lastChange = seen;
        }
        blocks.push({ height: h, timeMs: headerTimeMs(b.block.header.time), hashes, txs: hashes.length });
      }
      if (aborted) return;
      if (done && (committedAt.size >= sentAt.size - rejected || nowMs() - lastChange > QUIET_MS)) return;
      await sleep(20);
    }
  })();

  const sendBatch = async (batch: { readonly body: string; readonly hashes: readonly string[] }): Promise<void> => {
    const t = nowMs();
    for (const hash of batch.hashes) sentAt.set(hash, t);
    const replies = await httpJson(o.rpc, { body: batch.body });
    sent += batch.hashes.length;
    for (const r of (Array.isArray(replies) ? replies : [replies]) as { result?: { code?: number }; error?: unknown }[]) {
      if (r.result === undefined || (r.result.code !== undefined && r.result.code !== 0)) {
        rejected++;
        if (firstRejection === "") firstRejection = JSON.stringify(r.error ?? r.result).slice(0, 300);
      }
    }
  };
  const windowOpen = async (): Promise<void> => {
    while (sent - committedAt.size > o.window) await sleep(5);
  };

  o.log(`broadcasting ${all.length} txs (batches of ${o.batch}, window ${o.window}${o.rate > 0 ? `, ${o.rate} tx/s offered` : ", closed loop"})`);
  const cpu0 = Object.fromEntries(Object.entries(o.pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const client0 = process.cpuUsage();
  const machine0 = machineBusySeconds();
  const t0 = nowMs();
  const endWindow = o.duringWindow?.();
  const ticker = setInterval(() => o.log(`  sent ${sent}, committed ${committedAt.size}`), 5_000);
  try {
    let k = 0;
    for (const batches of roundBatches) {
      if (o.rate > 0) {
        // A round waits for the previous round's replies: each account's txs arrive in order.
        const inflight: Promise<void>[] = [];
        for (const batch of batches) {
          const wait = t0 + ((k * o.batch) / o.rate) * 1000 - nowMs();
          k++;
          if (wait > 0) await sleep(wait);
          await windowOpen();
          inflight.push(sendBatch(batch));
        }
        await Promise.all(inflight);
      } else {
        await windowOpen();
        await Promise.all(batches.map(sendBatch));
      }
    }
  } catch (e) {
    aborted = true;
    clearInterval(ticker);
    await watcher.catch(() => undefined);
    await endWindow?.().catch(() => undefined);
    throw e;
  }
  done = true;
  try {
    await watcher;
  } catch (e) {
    // The ticker and a profiler would otherwise keep the bench running after the error.
    await endWindow?.().catch(() => undefined);
    throw e;
  } finally {
    clearInterval(ticker);
  }
  const latencies: number[] = [];
  let t1 = t0;
  for (const [h, t] of sentAt) {
    const c = committedAt.get(h);
    if (c === undefined) continue;
    latencies.push(c - t);
    if (c > t1) t1 = c;
  }
  const cpu = Object.fromEntries(Object.entries(o.pids).map(([name, pid]) => [name, cpuSeconds(pid) - (cpu0[name] ?? NaN)]));
  const clientCpu = process.cpuUsage(client0);
  const clientCpuSeconds = (clientCpu.user + clientCpu.system) / 1e6;
  const machineBusy = machineBusySeconds() - machine0;
  const seconds = (t1 - t0) / 1000;
  await endWindow?.();

  // Outside the window: results of every block seen.
  let ok = 0;
  let failed = 0;
  let firstFailure = "";
  let gas = 0;
  let events = 0;
  let results = 0;
  let otherTxs = 0;
  for (const b of blocks) {
    if (b.txs === 0) continue;
    const r = await rpcGet<{ txs_results: { code: number; log?: string; gas_used?: string; events?: unknown[] }[] | null }>(o.rpc, `/block_results?height=${b.height}`);
    for (const [i, tx] of (r.txs_results ?? []).entries()) {
      // Only the load's own txs count (a node may include txs of its own).
      const hash = b.hashes[i];
      if (hash === undefined || !sentAt.has(hash)) {
        otherTxs++;
        continue;
      }
      results++;
      gas += Number(tx.gas_used ?? 0);
      events += (tx.events ?? []).length;
      if (tx.code === 0) ok++;
      else {
        failed++;
        if (firstFailure === "") firstFailure = `code ${tx.code}: ${tx.log ?? ""}`.slice(0, 300);
      }
    }
  }

  // Block interval under load: header times from the block before the first one holding txs to
  // the last one holding txs.
  const first = blocks.findIndex((b) => b.txs > 0);
  const last = blocks.length - 1 - [...blocks].reverse().findIndex((b) => b.txs > 0);
  const intervals: number[] = [];
  if (first !== -1) {
    let prev = first > 0 ? blocks[first - 1]!.timeMs : startBlockTime;
    for (let i = first; i <= last; i++) {
      intervals.push(blocks[i]!.timeMs - prev);
      prev = blocks[i]!.timeMs;
    }
  }
  intervals.sort((a, b) => a - b);
  latencies.sort((a, b) => a - b);
  const cpuTotal = Object.values(cpu).reduce((s, v) => s + v, 0);
  const per1k = (v: number): number => (ok === 0 ? NaN : (v / ok) * 1000);
  if (rejected > 0) o.log(`${rejected} rejected at broadcast; first: ${firstRejection}`);
  if (failed > 0) o.log(`${failed} failed in a block; first: ${firstFailure}`);
  if (otherTxs > 0) o.log(`${otherTxs} txs not sent by the load were in the blocks (not counted)`);
  return {
    warmupTxs,
    txs: sentAt.size,
    meanTxBytes,
    rejectedAtBroadcast: rejected,
    firstRejection,
    committed: latencies.length,
    committedOk: ok,
    failedInBlock: failed,
    firstFailure,
    otherTxs,
    seconds,
    committedTps: ok / seconds,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    loadBlocks: intervals.length,
    loadHeights: first === -1 ? [0, 0] : [blocks[first]!.height, blocks[last]!.height],
    blockIntervalP50Ms: percentile(intervals, 50),
    blockIntervalMeanMs: intervals.length === 0 ? NaN : intervals.reduce((s, v) => s + v, 0) / intervals.length,
    blockIntervalMaxMs: intervals.length === 0 ? NaN : intervals[intervals.length - 1]!,
    maxTxsPerBlock: Math.max(0, ...blocks.map((b) => b.txs)),
    gasUsedPerTx: results === 0 ? NaN : gas / results,
    eventsPerTx: results === 0 ? NaN : events / results,
    cpuSeconds: cpu,
    cpuSecondsPer1kTx: { ...Object.fromEntries(Object.entries(cpu).map(([n, v]) => [n, per1k(v)])), total: per1k(cpuTotal) },
    clientCpuSeconds,
    otherCpuShare: (machineBusy - cpuTotal - clientCpuSeconds) / (seconds * cpus().length),
    machineBusyShare: machineBusy / (seconds * cpus().length),
  };
}
