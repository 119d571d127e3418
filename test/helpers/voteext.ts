/**
 * Vote-extension harness for in-process chains: real ed25519 consensus keys (node:crypto), votes
 * signed over CometBFT's CanonicalVoteExtension bytes, and blocks driven the way CometBFT drives
 * them (PrepareProposal with the local last commit → ProcessProposal with the proposed last commit
 * → FinalizeBlock + Commit).
 */
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto";
import {
  type CommitInfo,
  type ExtendedCommitInfo,
  type ExtendedVoteInfo,
  type ResponseFinalizeBlock,
  ResponseProcessProposal_ProposalStatus,
} from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { voteExtensionSignBytes } from "../../src/baseapp/voteext";
import type { TestChain } from "./app";

export interface TestValidatorKey {
  readonly privateKey: KeyObject;
  /** 32-byte ed25519 public key. */
  readonly pubkey: Uint8Array;
  readonly pubkeyB64: string;
  /** CometBFT address: the first 20 bytes of SHA-256(pubkey). */
  readonly address: Uint8Array;
}

const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** A deterministic ed25519 key from a one-byte seed. */
export function testValidatorKey(seed: number): TestValidatorKey {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.alloc(32, seed)]), format: "der", type: "pkcs8" });
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  const pubkey = new Uint8Array(spki.subarray(spki.length - 32));
  return {
    privateKey,
    pubkey,
    pubkeyB64: Buffer.from(pubkey).toString("base64"),
    address: new Uint8Array(createHash("sha256").update(pubkey).digest().subarray(0, 20)),
  };
}

export function signExtension(key: TestValidatorKey, extension: Uint8Array, height: bigint, round: number, chainId: string): Uint8Array {
  return new Uint8Array(sign(null, voteExtensionSignBytes(extension, height, BigInt(round), chainId), key.privateKey));
}

export interface VoteSpec {
  /** Signing key, or just an address for a validator unknown to staking (its signature is garbage). */
  readonly key?: TestValidatorKey;
  readonly address?: Uint8Array;
  readonly power: bigint;
  readonly flag?: BlockIDFlag;
  readonly extension?: Uint8Array;
}

/** The extended commit info of `height` (round `round`) with every COMMIT vote's extension signed. */
export function extendedCommit(specs: readonly VoteSpec[], height: bigint, chainId: string, round = 0): ExtendedCommitInfo {
  const votes: ExtendedVoteInfo[] = specs.map((s) => {
    const flag = s.flag ?? BlockIDFlag.BLOCK_ID_FLAG_COMMIT;
    const address = s.key?.address ?? s.address ?? new Uint8Array(20);
    const ext = flag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT ? (s.extension ?? new Uint8Array()) : new Uint8Array();
    const sig =
      flag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT ? new Uint8Array() : s.key !== undefined ? signExtension(s.key, ext, height, round, chainId) : new Uint8Array(64).fill(9);
    return { validator: { address, power: s.power }, voteExtension: ext, extensionSignature: sig, blockIdFlag: flag };
  });
  return { round, votes };
}

/** The commit info CometBFT gives ProcessProposal / FinalizeBlock for the same votes (no extensions). */
export function commitInfoOf(info: ExtendedCommitInfo): CommitInfo {
  return { round: info.round, votes: info.votes.map((v) => ({ validator: v.validator, blockIdFlag: v.blockIdFlag })) };
}

export const ACCEPT = ResponseProcessProposal_ProposalStatus.ACCEPT;
export const REJECT = ResponseProcessProposal_ProposalStatus.REJECT;

/**
 * One block as CometBFT runs it: PrepareProposal (with `local` as the local last commit and
 * `mempool` txs), ProcessProposal of what it returned (must accept), FinalizeBlock + Commit.
 */
export function veBlock(chain: TestChain, local: ExtendedCommitInfo, mempool: readonly Uint8Array[] = []): { txs: Uint8Array[]; res: ResponseFinalizeBlock } {
  const base = chain.nextBlockRequest([]);
  const time = base.time ?? { seconds: chain.time + 1n, nanos: 0 };
  const prepared = chain.app.prepareProposal({
    maxTxBytes: 22020096n,
    txs: [...mempool],
    localLastCommit: local,
    misbehavior: [],
    height: base.height,
    time,
    nextValidatorsHash: base.nextValidatorsHash,
    proposerAddress: base.proposerAddress,
  });
  const proposed = commitInfoOf(local);
  const status = chain.app.processProposal({
    txs: prepared.txs,
    proposedLastCommit: proposed,
    misbehavior: [],
    hash: base.hash,
    height: base.height,
    time,
    nextValidatorsHash: base.nextValidatorsHash,
    proposerAddress: base.proposerAddress,
  }).status;
  if (status !== ACCEPT) throw new Error(`ProcessProposal rejected the block the app prepared at height ${base.height}`);
  const res = chain.app.finalizeBlock({ ...base, txs: prepared.txs, decidedLastCommit: proposed });
  chain.app.commit();
  chain.height = base.height;
  chain.time = time.seconds;
  return { txs: prepared.txs, res };
}

/** ProcessProposal's answer for `txs` at the chain's next height with `proposed` as the last commit. */
export function processAt(chain: TestChain, txs: readonly Uint8Array[], proposed: CommitInfo): ResponseProcessProposal_ProposalStatus {
  const base = chain.nextBlockRequest([]);
  return chain.app.processProposal({
    txs: [...txs],
    proposedLastCommit: proposed,
    misbehavior: [],
    hash: base.hash,
    height: base.height,
    time: base.time ?? { seconds: 0n, nanos: 0 },
    nextValidatorsHash: base.nextValidatorsHash,
    proposerAddress: base.proposerAddress,
  }).status;
}
