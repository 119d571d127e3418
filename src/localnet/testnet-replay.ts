/**
 * Determinism check against a running chain: record the block sequence from a node's RPC (height,
 * time, proposer, txs, the decided last commit and misbehavior CometBFT passed to FinalizeBlock,
 * and the app hash the next header commits to), then replay it into a fresh in-process app built
 * from the same genesis.json and compare the app hash after every block.
 * `dcertd testnet replay` runs it; the testnet e2e test does too.
 */
import { MisbehaviorType, type Misbehavior, type ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import type { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { createApp } from "../app/node";
import { MemoryCommitStore } from "../baseapp/store/memory";
import type { CommitStore } from "../baseapp/store/types";
import { consensusParamsOf, parseRfc3339, type GenesisDoc } from "./ceremony";

export { consensusParamsOf };

/**
 * One vote of a block's decided last commit, as CometBFT's BuildLastCommitInfo gives it to
 * FinalizeBlock: a validator of the set at height h − 1 (in that set's order) with its power and
 * the flag of its commit signature.
 */
export interface RecordedVote {
  /** Validator address, hex upper-case (from the validator set, so absent validators have one too). */
  readonly address: string;
  /** Voting power at h − 1, decimal. */
  readonly power: string;
  /** BlockIDFlag: 1 absent, 2 commit, 3 nil. */
  readonly blockIdFlag: number;
}

/** The decided last commit of a block (empty at the initial height). */
export interface RecordedLastCommit {
  readonly round: number;
  readonly votes: readonly RecordedVote[];
}

/**
 * One abci.Misbehavior of a block, as CometBFT's Evidence.ABCI() builds it: a duplicate vote gives
 * one (vote A's validator at ValidatorPower, vote A's height); a light-client attack gives one per
 * byzantine validator (at CommonHeight). Times are the evidence's Timestamp.
 */
export interface RecordedMisbehavior {
  readonly type: "DUPLICATE_VOTE" | "LIGHT_CLIENT_ATTACK";
  /** Validator address, hex upper-case. */
  readonly address: string;
  readonly power: string;
  readonly height: string;
  /** RFC 3339. */
  readonly time: string;
  readonly totalVotingPower: string;
}

/** One committed block as replay needs it (JSON-friendly: no bigints or bytes). */
export interface RecordedBlock {
  readonly height: string;
  /** RFC 3339, as in the header. */
  readonly time: string;
  /** Proposer address, hex. */
  readonly proposer: string;
  /** base64 txs in block order. */
  readonly txs: readonly string[];
  /** FinalizeBlock's `decided_last_commit` (who signed block h − 1: liveness, reward allocation). */
  readonly lastCommit: RecordedLastCommit;
  /** FinalizeBlock's `misbehavior` (the block's committed evidence), in block order. */
  readonly misbehavior: readonly RecordedMisbehavior[];
  /** The app hash after executing this block (the next block's header `app_hash`), hex upper-case. */
  readonly appHash: string;
}

export interface Recording {
  /** The app hash InitChain returned (block 1's header `app_hash`), hex upper-case. */
  readonly genesisAppHash: string;
  readonly blocks: readonly RecordedBlock[];
}

/** The parts of CometBFT's `/block` JSON replay reads. */
export interface RpcBlock {
  block: {
    header: { height: string; time: string; proposer_address: string; app_hash: string; validators_hash?: string };
    data: { txs: string[] | null };
    last_commit?: { round?: number | string; signatures?: readonly { block_id_flag: number | string; validator_address?: string }[] | null } | null;
    evidence?: { evidence?: readonly unknown[] | null } | null;
  };
}

/** One validator of CometBFT's `/validators` JSON. */
export interface RpcValidator {
  readonly address: string;
  readonly voting_power: string;
}

interface RpcValidators {
  validators: RpcValidator[] | null;
  total: string;
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

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const HEX = /^([0-9a-fA-F]{2})*$/;

function decimal(v: unknown, what: string): string {
  const s = typeof v === "number" && Number.isSafeInteger(v) ? String(v) : v;
  if (typeof s !== "string" || !DECIMAL.test(s)) throw new Error(`${what} is ${JSON.stringify(v)}, not a non-negative integer`);
  return s;
}

function hexAddress(v: unknown, what: string): string {
  if (typeof v !== "string" || v === "" || !HEX.test(v)) throw new Error(`${what} is ${JSON.stringify(v)}, not a hex address`);
  return v.toUpperCase();
}

function text(v: unknown, what: string): string {
  if (typeof v !== "string" || v === "") throw new Error(`${what} is ${JSON.stringify(v)}, not a time`);
  return v;
}

const record = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** A field of CometBFT's JSON: its Go name (fields without a json tag) or the snake_case one. */
function field(o: Record<string, unknown>, goName: string, snake: string): unknown {
  return o[goName] ?? o[snake];
}

/**
 * The decided last commit CometBFT gives FinalizeBlock for `block` (BuildLastCommitInfo): empty at
 * the initial height; otherwise one vote per validator of the set at h − 1, in that set's order,
 * paired by index with the last commit's signatures (address and power from the set, flag from the
 * signature, so absent validators appear with flag 1).
 */
export function lastCommitOf(block: RpcBlock["block"], lastValidators: readonly RpcValidator[], initialHeight = 1n): RecordedLastCommit {
  const height = BigInt(decimal(block.header.height, "header.height"));
  if (height === initialHeight) return { round: 0, votes: [] };
  const sigs = block.last_commit?.signatures ?? [];
  if (sigs.length !== lastValidators.length) {
    throw new Error(`block ${height}: the last commit has ${sigs.length} signatures but the validator set at ${height - 1n} has ${lastValidators.length} validators`);
  }
  const votes = lastValidators.map((v, i): RecordedVote => {
    const sig = sigs[i] as { block_id_flag: number | string; validator_address?: string };
    const flag = Number(decimal(sig.block_id_flag, `block ${height} last_commit.signatures[${i}].block_id_flag`));
    if (flag < 1 || flag > 3) throw new Error(`block ${height} last_commit.signatures[${i}] has block_id_flag ${flag} (expected 1 absent, 2 commit or 3 nil)`);
    const address = hexAddress(v.address, `validators at ${height - 1n} [${i}].address`);
    const signer = sig.validator_address ?? "";
    if (flag !== 1 && signer.toUpperCase() !== address) {
      throw new Error(`block ${height} last_commit.signatures[${i}] is by ${signer}, but validator ${i} at ${height - 1n} is ${address}`);
    }
    return { address, power: decimal(v.voting_power, `validators at ${height - 1n} [${i}].voting_power`), blockIdFlag: flag };
  });
  return { round: Number(decimal(block.last_commit?.round ?? 0, `block ${height} last_commit.round`)), votes };
}

/**
 * The misbehavior CometBFT gives FinalizeBlock for `block` (its evidence list, each item through
 * Evidence.ABCI()). CometBFT's JSON writes an evidence as {type, value}; DuplicateVoteEvidence's
 * and LightClientAttackEvidence's ABCI fields carry their Go names (TotalVotingPower, …).
 */
export function misbehaviorOf(block: RpcBlock["block"]): RecordedMisbehavior[] {
  const out: RecordedMisbehavior[] = [];
  const list = block.evidence?.evidence ?? [];
  list.forEach((item, i) => {
    const where = `block ${block.header.height} evidence[${i}]`;
    const ev = record(item);
    const value = record(ev["value"]);
    const time = text(field(value, "Timestamp", "timestamp"), `${where} Timestamp`);
    const totalVotingPower = decimal(field(value, "TotalVotingPower", "total_voting_power"), `${where} TotalVotingPower`);
    if (ev["type"] === "tendermint/DuplicateVoteEvidence") {
      const voteA = record(value["vote_a"]);
      out.push({
        type: "DUPLICATE_VOTE",
        address: hexAddress(voteA["validator_address"], `${where} vote_a.validator_address`),
        power: decimal(field(value, "ValidatorPower", "validator_power"), `${where} ValidatorPower`),
        height: decimal(voteA["height"], `${where} vote_a.height`),
        time,
        totalVotingPower,
      });
    } else if (ev["type"] === "tendermint/LightClientAttackEvidence") {
      const height = decimal(field(value, "CommonHeight", "common_height"), `${where} CommonHeight`);
      const byzantine = field(value, "ByzantineValidators", "byzantine_validators") ?? [];
      if (!Array.isArray(byzantine)) throw new Error(`${where} ByzantineValidators is not a list`);
      byzantine.forEach((b, j) => {
        const v = record(b);
        out.push({
          type: "LIGHT_CLIENT_ATTACK",
          address: hexAddress(v["address"], `${where} ByzantineValidators[${j}].address`),
          power: decimal(v["voting_power"], `${where} ByzantineValidators[${j}].voting_power`),
          height,
          time,
          totalVotingPower,
        });
      });
    } else {
      throw new Error(`${where} has type ${JSON.stringify(ev["type"])}; replay knows DuplicateVoteEvidence and LightClientAttackEvidence`);
    }
  });
  return out;
}

/** Runs `work` over `items` with at most `concurrency` at a time. */
async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** The whole validator set at `height` in CometBFT's order (`/validators` pages of 100). */
async function validatorsAt(rpc: string, height: number): Promise<RpcValidator[]> {
  const out: RpcValidator[] = [];
  for (let page = 1; ; page++) {
    const r = await rpcGet<RpcValidators>(rpc, `/validators?height=${height}&page=${page}&per_page=100`);
    const vals = r.validators ?? [];
    out.push(...vals);
    if (vals.length === 0 || out.length >= Number(r.total)) return out;
  }
}

/**
 * Records blocks `1..to` from `rpc` (the node must have block `to + 1`, whose header holds the app
 * hash after `to`), each with the last commit and misbehavior CometBFT handed to FinalizeBlock.
 * The validator set at h − 1 is fetched once per distinct `validators_hash` (the hash commits to
 * the set's validators, powers and order). `concurrency` requests run at a time.
 */
export async function recordBlocks(rpc: string, to: number, concurrency = 8): Promise<Recording> {
  const headers = new Map<number, RpcBlock["block"]>();
  const heights = Array.from({ length: to + 1 }, (_, i) => i + 1);
  await pool(heights, concurrency, async (h) => {
    headers.set(h, (await rpcGet<RpcBlock>(rpc, `/block?height=${h}`)).block);
  });
  const get = (h: number): RpcBlock["block"] => {
    const b = headers.get(h);
    if (b === undefined) throw new Error(`block ${h} was not fetched`);
    return b;
  };
  // The set that signed block h − 1's commit (carried in block h), keyed by its hash.
  const setKey = (h: number): string => get(h).header.validators_hash ?? `height ${h}`;
  const firstHeightOfSet = new Map<string, number>();
  for (let h = 1; h < to; h++) if (!firstHeightOfSet.has(setKey(h))) firstHeightOfSet.set(setKey(h), h);
  const sets = new Map<string, RpcValidator[]>();
  await pool([...firstHeightOfSet], concurrency, async ([key, h]) => {
    sets.set(key, await validatorsAt(rpc, h));
  });
  const blocks: RecordedBlock[] = [];
  for (let h = 1; h <= to; h++) {
    const b = get(h);
    blocks.push({
      height: b.header.height,
      time: b.header.time,
      proposer: b.header.proposer_address,
      txs: b.data.txs ?? [],
      lastCommit: lastCommitOf(b, h === 1 ? [] : (sets.get(setKey(h - 1)) ?? [])),
      misbehavior: misbehaviorOf(b),
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
const bytesOfHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, "hex"));

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
      decidedLastCommit: {
        round: b.lastCommit.round,
        votes: b.lastCommit.votes.map((v) => ({
          validator: { address: bytesOfHex(v.address), power: BigInt(v.power) },
          blockIdFlag: v.blockIdFlag as BlockIDFlag,
        })),
      },
      misbehavior: b.misbehavior.map(
        (m): Misbehavior => ({
          type: m.type === "DUPLICATE_VOTE" ? MisbehaviorType.DUPLICATE_VOTE : MisbehaviorType.LIGHT_CLIENT_ATTACK,
          validator: { address: bytesOfHex(m.address), power: BigInt(m.power) },
          height: BigInt(m.height),
          time: parseRfc3339(m.time),
          totalVotingPower: BigInt(m.totalVotingPower),
        }),
      ),
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

