/**
 * Determinism check against a running chain: record the block sequence from a node's RPC (height,
 * time, proposer, txs, and the app hash the next header commits to), then replay it into a fresh
 * in-process app built from the same genesis.json and compare the app hash after every block.
 * `dcertd testnet replay` runs it; the testnet e2e test does too.
 */
import type { ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { createApp } from "../app/node";
import { MemoryCommitStore } from "../baseapp/store/memory";
import type { CommitStore } from "../baseapp/store/types";
import { consensusParamsOf, parseRfc3339, type GenesisDoc } from "./ceremony";

export { consensusParamsOf };

/** One committed block as replay needs it (JSON-friendly: strings only). */
export interface RecordedBlock {
  readonly height: string;
  /** RFC 3339, as in the header. */
  readonly time: string;
  /** Proposer address, hex. */
  readonly proposer: string;
  /** base64 txs in block order. */
  readonly txs: readonly string[];
  /** The app hash after executing this block (the next block's header `app_hash`), hex upper-case. */
  readonly appHash: string;
}

export interface Recording {
  /** The app hash InitChain returned (block 1's header `app_hash`), hex upper-case. */
  readonly genesisAppHash: string;
  readonly blocks: readonly RecordedBlock[];
}

interface RpcBlock {
  block: { header: { height: string; time: string; proposer_address: string; app_hash: string }; data: { txs: string[] | null } };
}

async function rpcGet<T>(rpc: string, pathAndQuery: string): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const res = await fetch(`${rpc}${pathAndQuery}`, { signal: AbortSignal.timeout(10_000) });
      const body = (await res.json()) as { result?: T; error?: { message?: string; data?: string } };
      if (body.result !== undefined) return body.result;
      lastError = new Error(`${pathAndQuery}: ${body.error?.data ?? body.error?.message ?? "no result"}`);
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/**
 * Records blocks `1..to` from `rpc` (the node must have block `to + 1`, whose header holds the app
 * hash after `to`). `concurrency` requests run at a time.
 */
export async function recordBlocks(rpc: string, to: number, concurrency = 8): Promise<Recording> {
  const headers = new Map<number, RpcBlock["block"]>();
  const heights = Array.from({ length: to + 1 }, (_, i) => i + 1);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, heights.length) }, async () => {
      while (next < heights.length) {
        const h = heights[next++] as number;
        headers.set(h, (await rpcGet<RpcBlock>(rpc, `/block?height=${h}`)).block);
      }
    }),
  );
  const get = (h: number): RpcBlock["block"] => {
    const b = headers.get(h);
    if (b === undefined) throw new Error(`block ${h} was not fetched`);
    return b;
  };
  const blocks: RecordedBlock[] = [];
  for (let h = 1; h <= to; h++) {
    const b = get(h);
    blocks.push({
      height: b.header.height,
      time: b.header.time,
      proposer: b.header.proposer_address,
      txs: b.data.txs ?? [],
      appHash: get(h + 1).header.app_hash.toUpperCase(),
    });
  }
  return { genesisAppHash: get(1).header.app_hash.toUpperCase(), blocks };
}

export interface ReplayMismatch {
  readonly height: bigint;
  readonly expected: string;
  readonly actual: string;
}

export interface ReplayResult {
  readonly genesisAppHash: string;
  /** The app hash after each replayed block, hex upper-case, in order. */
  readonly appHashes: readonly string[];
  /** Heights whose replayed app hash differs from the recorded one (empty when deterministic). */
  readonly mismatches: readonly ReplayMismatch[];
  /** How many txs succeeded / failed in the replay (codes as FinalizeBlock returned them). */
  readonly txsOk: number;
  readonly txsFailed: number;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex").toUpperCase();

/**
 * Replays a recording into a fresh app (in memory unless `store` is given): InitChain from
 * `genesis`, then FinalizeBlock + Commit per block, comparing app hashes with the recording.
 */
export function replayBlocks(genesis: GenesisDoc, recording: Recording, store: CommitStore = new MemoryCommitStore()): ReplayResult {
  const app = createApp({ store });
  const init = app.initChain({
    time: parseRfc3339(genesis.genesis_time),
    chainId: genesis.chain_id,
    validators: [],
    appStateBytes: new TextEncoder().encode(JSON.stringify(genesis.app_state)),
    initialHeight: 1n,
    // CometBFT hands the genesis consensus params to InitChain; the app keeps block.max_gas and
    // the vote-extension enable height (blocks then carry the injected votes as their first tx).
    ...consensusParamsOf(genesis),
  });
  const mismatches: ReplayMismatch[] = [];
  if (hex(init.appHash) !== recording.genesisAppHash) {
    mismatches.push({ height: 0n, expected: recording.genesisAppHash, actual: hex(init.appHash) });
  }
  const appHashes: string[] = [];
  let txsOk = 0;
  let txsFailed = 0;
  for (const b of recording.blocks) {
    const height = BigInt(b.height);
    const res: ResponseFinalizeBlock = app.finalizeBlock({
      txs: b.txs.map((t) => new Uint8Array(Buffer.from(t, "base64"))),
      decidedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(32),
      height,
      time: parseRfc3339(b.time),
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(Buffer.from(b.proposer, "hex")),
    });
    app.commit();
    for (const r of res.txResults) {
      if (r.code === 0) txsOk++;
      else txsFailed++;
    }
    const actual = hex(res.appHash);
    appHashes.push(actual);
    if (actual !== b.appHash) mismatches.push({ height, expected: b.appHash, actual });
  }
  return { genesisAppHash: hex(init.appHash), appHashes, mismatches, txsOk, txsFailed };
}

