/**
 * Signed MsgSend throughput (and, in process, signed dCERT MsgVote).
 *  1. In process, without CometBFT: FinalizeBlock + Commit on the LMDB store, blocks of 1,000 txs,
 *     cold (signatures verified in FinalizeBlock) and as on a node (CheckTx first, which warms
 *     the signature cache); then 16-entry MsgVotes as on a node, every account having delegated
 *     first (the peer bench's vote load: each vote names 16 of the other accounts, so a block
 *     moves the tallies of every account many times over, and EndBlock applies all its votes).
 *  2. End to end on the devnet: pre-signed txs from many accounts broadcast concurrently
 *     (`broadcast_tx_sync`), committed tx/s and broadcast→commit latency p50/p99.
 * Run: npm run bench -- throughput   (env: BENCH_TXS, BENCH_ACCOUNTS; BENCH_ONLY=in-process or e2e)
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MsgDelegate } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { CheckTxType, Response } from "cosmjs-types/tendermint/abci/types";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { buildDevnetAppState } from "../src/app/genesis";
import { encodeTxResultsResponse } from "../src/baseapp/abci/txresults";
import { createApp } from "../src/app/node";
import { LmdbCommitStore } from "../src/baseapp/store/lmdb";
import { DEFAULT_DENOM } from "../src/baseapp/tx/constants";
import { resolveCometbft } from "../src/localnet/cometbft";
import { compiledDcertd, findRepoRoot, launchDevnet, prepareDevnet, stopDevnet, DEVNET_MIN_GAS_PRICES, type DevnetProcesses } from "../src/localnet/devnet";
import { reservePorts } from "../src/localnet/proc";
import { accountValoper } from "../src/x/staking/records";
import { cpuSeconds, nowMs } from "./lib/chain";
import { benchKeys, percentile, signedSend, signedTx, type BenchKey } from "./lib/keys";
import { presignVoteRounds } from "./peer/load";
import { progress, report } from "./lib/report";

const FEE = 5_000n;
const GAS = 200_000n;
const BLOCK = 1_000;
/**
 * broadcast_tx_async returns once CometBFT has queued the tx for CheckTx, so each account's next
 * tx can follow at once (order per account is kept); broadcast_tx_sync waits for CheckTx.
 */
const BATCH = Number(process.env["BENCH_BATCH"] ?? 100);
const WINDOW = Number(process.env["BENCH_WINDOW"] ?? 3_000);
const BROADCAST = process.env["BENCH_BROADCAST"] === "sync" ? "broadcast_tx_sync" : "broadcast_tx_async";

const round2 = (x: number): number => Math.round(x * 100) / 100;

function presign(keys: readonly BenchKey[], perAccount: number, chainId: string, accountNumbers: readonly bigint[]): Uint8Array[][] {
  // Round-robin order: block i holds sequence i of many accounts, as a mempool would deliver them.
  const rounds: Uint8Array[][] = [];
  for (let seq = 0; seq < perAccount; seq++) {
    rounds.push(
      keys.map((k, i) =>
        signedSend({ from: k, to: keys[(i + 1) % keys.length]!.address, amount: 1n, chainId, accountNumber: accountNumbers[i]!, sequence: BigInt(seq), fee: FEE, gas: GAS }),
      ),
    );
  }
  return rounds;
}

export function inProcess(nTxs: number, nAccounts: number): Record<string, string | number>[] {
  const keys = benchKeys(nAccounts);
  const perAccount = Math.ceil(nTxs / nAccounts);
  const rows: Record<string, string | number>[] = [];
  for (const mode of ["cold (verify in FinalizeBlock)", "CheckTx then FinalizeBlock", "MsgVote ×16: CheckTx then FinalizeBlock"] as const) {
    const dir = mkdtempSync(join(tmpdir(), "dcert-bench-"));
    try {
      const store = LmdbCommitStore.open(dir);
      const app = createApp({ store });
      const validator = benchKeys(1, "validator")[0]!;
      const accounts = [validator, ...keys].map((k) => ({ address: k.address, amount: 10n ** 15n }));
      const appState = buildDevnetAppState({
        denom: DEFAULT_DENOM,
        accounts,
        validator: { operatorAddress: validator.address, consensusPubkeyEd25519Base64: Buffer.alloc(32, 1).toString("base64"), selfDelegation: 10n ** 12n },
        shortPeriods: true,
      });
      app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: "bench-1", validators: [], appStateBytes: Buffer.from(JSON.stringify(appState)), initialHeight: 1n });
      let height = 0n;
      const block = (txs: Uint8Array[]) => {
        height += 1n;
        const res = app.finalizeBlock({ txs, decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height, time: { seconds: 1_700_000_000n + height, nanos: 0 }, nextValidatorsHash: new Uint8Array(32), proposerAddress: new Uint8Array(20) });
        app.commit();
        return res;
      };
      block([]);
      const ctx = app.queryContext();
      const numbers = keys.map((k) => app.auth.getAccount(ctx, k.address)!.accountNumber);
      progress(`in-process [${mode}]: pre-signing ${perAccount * nAccounts} txs`);
      const voting = mode === "MsgVote ×16: CheckTx then FinalizeBlock";
      if (voting) {
        // Votes count bonded stake: every account delegates first (sequence 0; votes follow from 1).
        const valoper = accountValoper(validator.address);
        const delegations = keys.map((k, i) =>
          signedTx({
            from: k,
            msgs: [{ typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: MsgDelegate.encode({ delegatorAddress: k.address, validatorAddress: valoper, amount: { denom: DEFAULT_DENOM, amount: "1000000" } }).finish() }],
            chainId: "bench-1",
            accountNumber: numbers[i]!,
            sequence: 0n,
            fee: FEE,
            gas: GAS,
          }),
        );
        const refused = block(delegations).txResults.find((r) => r.code !== 0);
        if (refused !== undefined) throw new Error(`a delegation failed: ${refused.log}`);
      }
      const all = (voting ? presignVoteRounds(keys, nTxs, "bench-1", DEFAULT_DENOM, numbers) : presign(keys, perAccount, "bench-1", numbers)).flat().slice(0, nTxs);
      let failed = 0;
      let checkMs = 0;
      let finalizeMs = 0;
      /** Encoding the FinalizeBlock answers: cosmjs-types' writer, then the node's (back to front). */
      const encodeMs: [number, number] = [0, 0];
      let answerBytes = 0;
      for (let i = 0; i < all.length; i += BLOCK) {
        const txs = all.slice(i, i + BLOCK);
        if (mode !== "cold (verify in FinalizeBlock)") {
          const t0 = nowMs();
          for (const tx of txs) if (app.checkTx({ tx, type: CheckTxType.NEW }).code !== 0) failed++;
          checkMs += nowMs() - t0;
        }
        const t1 = nowMs();
        const res = block(txs);
        finalizeMs += nowMs() - t1;
        failed += res.txResults.filter((r) => r.code !== 0).length;
        // The answer CometBFT waits for, encoded both ways (alternating which goes first).
        const answer = { finalizeBlock: res };
        const encoders = [() => Response.encode(answer).finish(), () => encodeTxResultsResponse(answer)!] as const;
        for (const k of (i / BLOCK) % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const)) {
          const t2 = nowMs();
          const bytes = encoders[k]();
          encodeMs[k] += nowMs() - t2;
          if (k === 1) answerBytes += bytes.length;
        }
      }
      store.close();
      rows.push({
        mode,
        txs: all.length,
        failed,
        "FinalizeBlock+Commit tx/s": Math.round(all.length / (finalizeMs / 1000)),
        "CheckTx tx/s": checkMs > 0 ? Math.round(all.length / (checkMs / 1000)) : "-",
        "both, per core tx/s": Math.round(all.length / ((finalizeMs + checkMs) / 1000)),
        "FinalizeBlock+Commit µs/tx": Math.round((finalizeMs * 1000) / all.length),
        "CheckTx µs/tx": checkMs > 0 ? Math.round((checkMs * 1000) / all.length) : "-",
        "answer bytes/tx": Math.round(answerBytes / all.length),
        "answer encode µs/tx, cosmjs-types": round2((encodeMs[0]! * 1000) / all.length),
        "answer encode µs/tx, node": round2((encodeMs[1]! * 1000) / all.length),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

async function rpcGet<T>(rpc: string, path: string): Promise<T> {
  const res = await fetch(`${rpc}${path}`);
  const body = (await res.json()) as { result?: T; error?: unknown };
  if (body.result === undefined) throw new Error(`${path}: ${JSON.stringify(body.error)}`);
  return body.result;
}

async function retry<T>(f: () => Promise<T>, attempts = 50): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await f();
    } catch (e) {
      if (i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function endToEnd(nTxs: number, nAccounts: number): Promise<Record<string, string | number>[]> {
  const repoRoot = findRepoRoot(__dirname);
  const home = mkdtempSync(join(tmpdir(), "dcert-bench-devnet-"));
  const procs: DevnetProcesses = {};
  try {
    const reservation = await reservePorts(3);
    const [rpcPort, p2p, abci] = reservation.ports as [number, number, number];
    const cometbftBin = resolveCometbft(repoRoot);
    progress("end-to-end: starting a devnet");
    const { paths, ports, info } = await prepareDevnet({ home, reset: false, ports: { rpc: rpcPort, p2p, abci }, cometbftBin, log: progress });
    await launchDevnet({ paths, ports, cometbftBin, dcertdScript: compiledDcertd(repoRoot), procs, log: progress, reservation });
    const rpc = info.rpc;
    const keys = benchKeys(nAccounts);
    const perAccount = Math.ceil(nTxs / nAccounts);
    progress(`end-to-end: funding ${nAccounts} accounts with one MsgMultiSend`);
    const alice = info.accounts[1]!;
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(alice.mnemonic, { prefix: info.bech32Prefix });
    const client = await SigningStargateClient.connectWithSigner(rpc, wallet, { gasPrice: GasPrice.fromString(DEVNET_MIN_GAS_PRICES), broadcastPollIntervalMs: 300 });
    const each = 10_000_000n;
    const fund = await client.signAndBroadcast(
      alice.address,
      [
        {
          typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
          value: {
            inputs: [{ address: alice.address, coins: [{ denom: info.denom, amount: (each * BigInt(nAccounts)).toString() }] }],
            outputs: keys.map((k) => ({ address: k.address, coins: [{ denom: info.denom, amount: each.toString() }] })),
          },
        },
      ],
      "auto",
    );
    if (fund.code !== 0) throw new Error(`funding failed: ${fund.rawLog}`);
    client.disconnect();
    const reader = await StargateClient.connect(rpc);
    const numbers: bigint[] = [];
    for (const k of keys) numbers.push((await reader.getAccount(k.address))!.accountNumber);
    reader.disconnect();
    progress(`end-to-end: pre-signing ${perAccount * nAccounts} txs`);
    const rounds = presign(keys, perAccount, info.chainId, numbers);
    const sentAt = new Map<string, number>();
    const committedAt = new Map<string, number>();
    let rejected = 0;
    let firstRejection = "";
    const startHeight = Number((await rpcGet<{ sync_info: { latest_block_height: string } }>(rpc, "/status")).sync_info.latest_block_height);
    let done = false;
    let failedInBlock = 0;
    // Watch blocks as they commit.
    let aborted = false;
    const watcher = (async () => {
      let h = startHeight + 1;
      let lastChange = nowMs();
      for (;;) {
        const latest = Number((await rpcGet<{ sync_info: { latest_block_height: string } }>(rpc, "/status")).sync_info.latest_block_height);
        while (h <= latest) {
          const block = await rpcGet<{ block: { data: { txs: string[] | null } } }>(rpc, `/block?height=${h}`);
          const seen = nowMs();
          for (const b64 of block.block.data.txs ?? []) {
            committedAt.set(createHash("sha256").update(Buffer.from(b64, "base64")).digest("hex"), seen);
            lastChange = seen;
          }
          const results = await retry(() => rpcGet<{ txs_results: { code: number }[] | null }>(rpc, `/block_results?height=${h}`));
          failedInBlock += (results.txs_results ?? []).filter((r) => r.code !== 0).length;
          h++;
        }
        // Done when every accepted tx is in a block, or nothing new was committed for 30 s.
        if (aborted || (done && (committedAt.size >= sentAt.size - rejected || nowMs() - lastChange > 30_000))) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    progress(`end-to-end: broadcasting ${perAccount * nAccounts} txs from ${nAccounts} accounts concurrently`);
    const cpu0 = { app: cpuSeconds(procs.app?.pid), comet: cpuSeconds(procs.comet?.pid), client: process.cpuUsage() };
    const t0 = nowMs();
    let sent = 0;
    const ticker = setInterval(() => progress(`  sent ${sent}, committed ${committedAt.size}`), 2000);
    try {
    // Round r holds sequence r of every account; a round goes out as JSON-RPC batches in
    // parallel, and the next round starts when CometBFT has taken the previous one.
    for (const round of rounds) {
      // Sustained load, not a flood: keep at most WINDOW txs waiting in the mempool (a flood only
      // measures how fast CometBFT rechecks a huge mempool after every block).
      while (sent - committedAt.size > WINDOW) await new Promise((r) => setTimeout(r, 5));
      const batches: Uint8Array[][] = [];
      for (let i = 0; i < round.length; i += BATCH) batches.push(round.slice(i, i + BATCH));
      await Promise.all(
        batches.map(async (batch) => {
          const t = nowMs();
          for (const tx of batch) sentAt.set(createHash("sha256").update(tx).digest("hex"), t);
          const res = await fetch(rpc, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(batch.map((tx, id) => ({ jsonrpc: "2.0", id, method: BROADCAST, params: { tx: Buffer.from(tx).toString("base64") } }))),
          });
          const bodies = (await res.json()) as { result?: { code: number; log: string }; error?: { data?: string } }[];
          sent += batch.length;
          for (const body of bodies) {
            if (body.result === undefined || (BROADCAST === "broadcast_tx_sync" && body.result.code !== 0)) {
              rejected++;
              if (firstRejection === "") firstRejection = body.result?.log ?? body.error?.data ?? "?";
            }
          }
        }),
      );
    }
    } catch (e) {
      aborted = true;
      await watcher.catch(() => undefined);
      throw e;
    }
    done = true;
    await watcher;
    clearInterval(ticker);
    const t1 = committedAt.size === 0 ? nowMs() : Math.max(...committedAt.values());
    const clientCpu = process.cpuUsage(cpu0.client);
    const cpu = {
      app: cpuSeconds(procs.app?.pid) - cpu0.app,
      comet: cpuSeconds(procs.comet?.pid) - cpu0.comet,
      client: (clientCpu.user + clientCpu.system) / 1e6,
    };
    const latencies = [...sentAt.entries()].flatMap(([h, t]) => {
      const c = committedAt.get(h);
      return c === undefined ? [] : [c - t];
    });
    latencies.sort((a, b) => a - b);
    if (rejected > 0) progress(`  ${rejected} rejected at CheckTx; first: ${firstRejection}`);
    if (process.env["BENCH_DEBUG"] === "1") {
      const perRound = rounds.map((r) => r.filter((tx) => committedAt.has(createHash("sha256").update(tx).digest("hex"))).length);
      progress(`  committed per round: ${perRound.join(" ")}`);
    }
    return [
      {
        txs: sentAt.size,
        accounts: nAccounts,
        broadcast: BROADCAST,
        "in-flight window": WINDOW,
        "rejected at CheckTx": rejected,
        "failed in block": failedInBlock,
        committed: latencies.length,
        "seconds": (t1 - t0) / 1000,
        "committed tx/s": Math.round(latencies.length / ((t1 - t0) / 1000)),
        "latency p50 ms": Math.round(percentile(latencies, 50)),
        "latency p99 ms": Math.round(percentile(latencies, 99)),
        "app CPU s": cpu.app,
        "CometBFT CPU s": cpu.comet,
        "load client CPU s": cpu.client,
      },
    ];
  } finally {
    await stopDevnet(procs);
    if (process.env["BENCH_KEEP"] === "1") progress(`devnet home kept: ${home}`);
    else rmSync(home, { recursive: true, force: true });
  }
}

export async function main(): Promise<void> {
  const nTxs = Number(process.env["BENCH_TXS"] ?? 20_000);
  const nAccounts = Number(process.env["BENCH_ACCOUNTS"] ?? 500);
  const only = process.env["BENCH_ONLY"];
  if (only !== "e2e") report("throughput-in-process", inProcess(nTxs, nAccounts), { nTxs, nAccounts, blockSize: BLOCK, store: "lmdb" });
  if (only !== "in-process") report("throughput-e2e", await endToEnd(nTxs, nAccounts), { nTxs, nAccounts, node: "single-validator devnet, CometBFT v0.38, 2 cores" });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
