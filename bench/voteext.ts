/**
 * What readiness by vote extensions costs a block, by validator-set size (4, 32, 100, 150):
 *   1. the injected tx: its size (a block carries it as its first tx from height 2 on);
 *   2. ProcessProposal's check of it: decode, compare the votes with the proposed last commit, and
 *      verify every extension signature (ed25519 over CometBFT's CanonicalVoteExtension);
 *   3. FinalizeBlock's part: the same signature check again (a block may arrive without
 *      ProcessProposal) and the tally by build and by plan, right after this node's ProcessProposal
 *      of the block (the usual case: repeated verifications are answered from memory) and alone
 *      (a block applied by block sync or replay);
 *   4. VerifyVoteExtension of one extension (shape only), and ExtendVote (a constant, built once).
 * Target: the consensus-path cost stays a small share of a block interval: < 10 ms a block at 100
 * validators for each of ProcessProposal and FinalizeBlock (2% of the devnet's 500 ms block). The
 * cost is linear in validators and is ed25519 verification (node:crypto, one signature a
 * validator); FinalizeBlock reuses ProcessProposal's results (verifyEd25519 remembers them).
 *
 * Figures are the median pass by CPU time of this process (user + system), which other processes
 * on a shared machine do not inflate. Run: npm run bench -- voteext. Env: BENCH_PASSES (9),
 * BENCH_VE_BLOCKS (20 blocks per pass).
 */
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto";
import type { CommitInfo, ExtendedCommitInfo } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { checkedCommit, decodeVeTx, encodeVeTx, votesMismatch, voteExtensionSignBytes } from "../src/baseapp/voteext";
import { checkReadinessExtension, readinessExtensionFor, tallyVotes } from "../src/x/upgrade/readiness";
import { progress, report } from "./lib/report";

const PASSES = Number(process.env["BENCH_PASSES"] ?? 9);
const BLOCKS = Number(process.env["BENCH_VE_BLOCKS"] ?? 20);
const SIZES = [4, 32, 100, 150];
const CHAIN_ID = "dcert-bench-1";
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

interface Key {
  readonly priv: KeyObject;
  readonly pubkey: Uint8Array;
  readonly address: Uint8Array;
}

function key(seed: number): Key {
  const secret = createHash("sha256").update(`bench validator ${seed}`).digest();
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, secret]), format: "der", type: "pkcs8" });
  const spki = createPublicKey(priv).export({ format: "der", type: "spki" });
  const pubkey = new Uint8Array(spki.subarray(spki.length - 32));
  return { priv, pubkey, address: new Uint8Array(createHash("sha256").update(pubkey).digest().subarray(0, 20)) };
}

/** The extended commit of `height` as a proposer gets it: every validator signed, half ready for "v2". */
function commitOf(keys: readonly Key[], height: bigint): ExtendedCommitInfo {
  return {
    round: 0,
    votes: keys.map((k, i) => {
      const ext = readinessExtensionFor(
        { appVersion: "0.1.0", buildHash: createHash("sha256").update(`build ${i % 2}`).digest() },
        i % 2 === 0 ? ["v2"] : [],
      );
      const sig = sign(null, voteExtensionSignBytes(ext, height, 0n, CHAIN_ID), k.priv);
      return { validator: { address: k.address, power: 10n + BigInt(i) }, voteExtension: ext, extensionSignature: new Uint8Array(sig), blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT };
    }),
  };
}

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

export function main(): void {
  const rows: Record<string, string | number>[] = [];
  for (const n of SIZES) {
    progress(`voteext: ${n} validators`);
    const keys = Array.from({ length: n }, (_, i) => key(i));
    const byAddress = new Map(keys.map((k) => [Buffer.from(k.address).toString("hex"), k.pubkey]));
    const pubkeyOf = (a: Uint8Array): Uint8Array | undefined => byAddress.get(Buffer.from(a).toString("hex"));
    const blocksAt = (first: number): { commits: ExtendedCommitInfo[]; txs: Uint8Array[]; proposed: CommitInfo[]; heights: bigint[] } => {
      const heights = Array.from({ length: BLOCKS }, (_, b) => BigInt(first + b));
      const commits = heights.map((h) => commitOf(keys, h));
      return {
        commits,
        heights,
        txs: commits.map(encodeVeTx),
        proposed: commits.map((c) => ({ round: c.round, votes: c.votes.map((v) => ({ validator: v.validator, blockIdFlag: v.blockIdFlag })) })),
      };
    };
    const processProposal = (blk: ReturnType<typeof blocksAt>, b: number): void => {
      const info = decodeVeTx(blk.txs[b] as Uint8Array);
      if (info === undefined || votesMismatch(info, blk.proposed[b] as CommitInfo) !== undefined) throw new Error("bench commit rejected");
      const c = checkedCommit(info, blk.heights[b] as bigint, CHAIN_ID, pubkeyOf);
      if (c.votes.some((v) => v.extension === undefined)) throw new Error("bench signature rejected");
    };
    const finalizeBlock = (blk: ReturnType<typeof blocksAt>, b: number): void => {
      const info = decodeVeTx(blk.txs[b] as Uint8Array) as ExtendedCommitInfo;
      const c = checkedCommit(info, blk.heights[b] as bigint, CHAIN_ID, pubkeyOf);
      const t = tallyVotes(c.votes, c.height, "v2");
      if (t.ready === 0n || t.ready >= t.total) throw new Error("bench tally off");
    };
    const process_: number[] = [];
    const finalize: number[] = [];
    const synced: number[] = [];
    let commits: ExtendedCommitInfo[] = [];
    for (let p = 0; p < PASSES; p++) {
      // Fresh heights every pass, so no signature was seen before (as on a live chain).
      const live = blocksAt(1 + 2 * p * BLOCKS);
      const sync = blocksAt(1 + (2 * p + 1) * BLOCKS);
      commits = live.commits;
      // As a validator runs a block: ProcessProposal, then FinalizeBlock of the same block.
      let pp = 0;
      let fb = 0;
      for (let b = 0; b < BLOCKS; b++) {
        pp += cpuMs(() => processProposal(live, b));
        fb += cpuMs(() => finalizeBlock(live, b));
      }
      process_.push(pp / BLOCKS);
      finalize.push(fb / BLOCKS);
      synced.push(cpuMs(() => {
        for (let b = 0; b < BLOCKS; b++) finalizeBlock(sync, b);
      }) / BLOCKS);
    }
    const ext = commits[0]?.votes[0]?.voteExtension ?? new Uint8Array();
    const verifyOps = 20_000;
    const verifyUs = (median(Array.from({ length: PASSES }, () => cpuMs(() => {
      for (let i = 0; i < verifyOps; i++) if (checkReadinessExtension(ext) !== undefined) throw new Error("bench extension rejected");
    }))) * 1000) / verifyOps;
    rows.push({
      validators: n,
      "injected tx bytes": encodeVeTx(commits[0] as ExtendedCommitInfo).length,
      "ProcessProposal check ms": median(process_),
      "FinalizeBlock after it ms": median(finalize),
      "FinalizeBlock alone ms": median(synced),
      "VerifyVoteExtension µs": verifyUs,
      "extension bytes": ext.length,
    });
  }
  const at100 = rows.find((r) => r["validators"] === 100);
  const met = (col: string): string => (at100 === undefined ? "n/a" : Number(at100[col]) < 10 ? "met" : "MISSED");
  console.log(`target < 10 ms a block at 100 validators: ProcessProposal ${met("ProcessProposal check ms")}, FinalizeBlock ${met("FinalizeBlock after it ms")}`);
  report("voteext", rows, { passes: PASSES, blocksPerPass: BLOCKS, target: "< 10 ms per block at 100 validators (ProcessProposal and FinalizeBlock each)" });
}
