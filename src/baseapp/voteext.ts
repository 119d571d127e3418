/**
 * Vote extensions (ABCI 2.0) as the runtime handles them, independent of what an extension says:
 * the proposer injects the previous height's extended commit info as the block's first tx, every
 * validator checks it against the commit CometBFT gives it and against the validators' ed25519
 * extension signatures, and FinalizeBlock hands the checked votes to the app's tally.
 *
 * Injected tx: `0x00 ‖ "dcert/ve" ‖ tendermint.abci.ExtendedCommitInfo`. A tx starting with 0x00
 * can never be a TxRaw (it would open with field number 0), so no user tx can look like it.
 *
 * Sign bytes: CometBFT v0.38 (types/vote.go VoteExtensionSignBytes) signs
 * `CanonicalVoteExtension{extension = 1 (bytes), height = 2 (sfixed64), round = 3 (sfixed64),
 * chain_id = 4 (string)}` encoded with protoio.MarshalDelimited (uvarint length, then the proto3
 * encoding, zero fields omitted).
 */
import { createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from "node:crypto";
import { ExtendedCommitInfo, type CommitInfo } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import type { Context } from "./context";
import { concat, utf8 } from "./encoding";

/** The largest vote extension VerifyVoteExtension accepts. */
export const MAX_VOTE_EXTENSION_BYTES = 1024;

/** The prefix of the injected tx: 0x00 then "dcert/ve". */
export const VE_TX_PREFIX: Uint8Array = concat(Uint8Array.of(0), utf8("dcert/ve"));

/** True for bytes that start with 0x00: the injected tx, or something claiming to be one. */
export function isReservedTx(raw: Uint8Array): boolean {
  return raw.length > 0 && raw[0] === 0;
}

/** True when `raw` starts with the injected tx's prefix. */
export function hasVeTxPrefix(raw: Uint8Array): boolean {
  if (raw.length < VE_TX_PREFIX.length) return false;
  for (let i = 0; i < VE_TX_PREFIX.length; i++) if (raw[i] !== VE_TX_PREFIX[i]) return false;
  return true;
}

export function encodeVeTx(info: ExtendedCommitInfo): Uint8Array {
  return concat(VE_TX_PREFIX, ExtendedCommitInfo.encode(info).finish());
}

/** The extended commit info an injected tx carries, or undefined when `raw` is not one. Never throws. */
export function decodeVeTx(raw: Uint8Array): ExtendedCommitInfo | undefined {
  if (!hasVeTxPrefix(raw)) return undefined;
  try {
    return ExtendedCommitInfo.decode(raw.subarray(VE_TX_PREFIX.length));
  } catch {
    return undefined;
  }
}

/** CometBFT's VoteExtensionsEnabled(height): extensions are on at `height` when enable > 0 and height ≥ enable. */
export function extensionsEnabledAt(enableHeight: bigint, height: bigint): boolean {
  return enableHeight > 0n && height >= enableHeight;
}

/** Whether block `height` must carry the votes of `height - 1` (extensions were enabled at `height - 1`). */
export function veTxRequired(enableHeight: bigint, height: bigint): boolean {
  return extensionsEnabledAt(enableHeight, height - 1n);
}

// ------------------------------------------------------------------ sign bytes

function uvarint(n: bigint): Uint8Array {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

function sfixed64(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt.asIntN(64, v), true);
  return out;
}

/** The bytes a validator signs for its vote extension at (height, round) on `chainId`. */
export function voteExtensionSignBytes(extension: Uint8Array, height: bigint, round: bigint, chainId: string): Uint8Array {
  const parts: Uint8Array[] = [];
  if (extension.length > 0) parts.push(Uint8Array.of(0x0a), uvarint(BigInt(extension.length)), extension);
  if (height !== 0n) parts.push(Uint8Array.of(0x11), sfixed64(height));
  if (round !== 0n) parts.push(Uint8Array.of(0x19), sfixed64(round));
  const chain = utf8(chainId);
  if (chain.length > 0) parts.push(Uint8Array.of(0x22), uvarint(BigInt(chain.length)), chain);
  const body = concat(...parts);
  return concat(uvarint(BigInt(body.length)), body);
}

// ------------------------------------------------------------------ ed25519

const ED25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const keyCache = new Map<string, KeyObject>();

/**
 * Results of recent verifications, by SHA-256(pubkey ‖ sig ‖ msg). PERF: a block's extension
 * signatures are checked in ProcessProposal and again in FinalizeBlock (which must not trust that
 * ProcessProposal ran: block sync and replay skip it), and by the proposer in PrepareProposal too;
 * ed25519 verification is a pure function, so answering the repeats from memory changes no result
 * and halves the per-block cost (bench/voteext.ts).
 */
const verified = new Map<string, boolean>();
const VERIFIED_MAX = 8192;

/** ed25519 verification (RFC 8032) of `sig` over `msg` by the 32-byte `pubkey`. Never throws. */
export function verifyEd25519(pubkey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  if (pubkey.length !== 32 || sig.length !== 64) return false;
  const memo = createHash("sha256").update(pubkey).update(sig).update(msg).digest("hex");
  const known = verified.get(memo);
  if (known !== undefined) return known;
  const ok = verifyUncached(pubkey, msg, sig);
  if (verified.size >= VERIFIED_MAX) verified.clear();
  verified.set(memo, ok);
  return ok;
}

function verifyUncached(pubkey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  try {
    const id = Buffer.from(pubkey).toString("hex");
    let key = keyCache.get(id);
    if (key === undefined) {
      key = createPublicKey({ key: Buffer.from(concat(ED25519_SPKI_PREFIX, pubkey)), format: "der", type: "spki" });
      if (keyCache.size > 4096) keyCache.clear();
      keyCache.set(id, key);
    }
    return cryptoVerify(null, msg, key, sig);
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------ checks

/** Why the injected votes differ from the commit CometBFT proposes (same order, address, power, flag, round), or undefined. */
export function votesMismatch(injected: ExtendedCommitInfo, proposed: CommitInfo): string | undefined {
  if (injected.round !== proposed.round) return `injected commit round ${injected.round} is not the proposed last commit's round ${proposed.round}`;
  if (injected.votes.length !== proposed.votes.length) {
    return `injected commit has ${injected.votes.length} votes, the proposed last commit ${proposed.votes.length}`;
  }
  for (let i = 0; i < injected.votes.length; i++) {
    const a = injected.votes[i];
    const b = proposed.votes[i];
    if (a === undefined || b === undefined) return `vote ${i} is missing`;
    const va = a.validator ?? { address: new Uint8Array(), power: 0n };
    const vb = b.validator ?? { address: new Uint8Array(), power: 0n };
    if (Buffer.compare(va.address, vb.address) !== 0) return `vote ${i}: validator address differs from the proposed last commit`;
    if (va.power !== vb.power) return `vote ${i}: power ${va.power} differs from the proposed last commit's ${vb.power}`;
    if (a.blockIdFlag !== b.blockIdFlag) return `vote ${i}: block id flag ${a.blockIdFlag} differs from the proposed last commit's ${b.blockIdFlag}`;
  }
  return undefined;
}

/** One vote of the previous height as the tally sees it. */
export interface CheckedVote {
  /** The validator's consensus address (20 bytes). */
  readonly address: Uint8Array;
  readonly power: bigint;
  readonly blockIdFlag: BlockIDFlag;
  /**
   * The vote's extension when it is a COMMIT vote with a non-empty extension whose signature
   * verified under the validator's consensus key; undefined otherwise (absent, nil, empty,
   * validator unknown to the state, or a bad signature).
   */
  readonly extension: Uint8Array | undefined;
}

/** The votes of `height` (carried by block `height + 1`). */
export interface CheckedCommit {
  readonly height: bigint;
  readonly round: number;
  readonly votes: readonly CheckedVote[];
}

export type PubkeyLookup = (address: Uint8Array) => Uint8Array | undefined;

/**
 * What the signature check says of one vote: "none" (nothing to check: not a COMMIT vote, or an
 * empty extension), "unknown" (validator unknown to the state: the extension is ignored), "valid",
 * or "invalid".
 */
export function checkVoteSignature(
  vote: ExtendedCommitInfo["votes"][number],
  height: bigint,
  round: number,
  chainId: string,
  pubkeyOf: PubkeyLookup,
): "none" | "unknown" | "valid" | "invalid" {
  if (vote.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT || vote.voteExtension.length === 0) return "none";
  const pubkey = pubkeyOf(vote.validator?.address ?? new Uint8Array());
  if (pubkey === undefined) return "unknown";
  const bytes = voteExtensionSignBytes(vote.voteExtension, height, BigInt(round), chainId);
  return verifyEd25519(pubkey, bytes, vote.extensionSignature) ? "valid" : "invalid";
}

/** The votes with their extensions kept only where the signature verified. */
export function checkedCommit(info: ExtendedCommitInfo, height: bigint, chainId: string, pubkeyOf: PubkeyLookup): CheckedCommit {
  return {
    height,
    round: info.round,
    votes: info.votes.map((v) => ({
      address: v.validator?.address ?? new Uint8Array(),
      power: v.validator?.power ?? 0n,
      blockIdFlag: v.blockIdFlag,
      extension: checkVoteSignature(v, height, info.round, chainId, pubkeyOf) === "valid" ? v.voteExtension : undefined,
    })),
  };
}

/**
 * What the composition root gives the runtime for vote extensions: what this node votes with,
 * the shape rule for other validators' extensions, consensus keys from state, and the tally.
 */
export interface VoteExtensionHooks {
  /** The extension this node votes with (ExtendVote). May throw: the app then votes with an empty one. */
  extension(): Uint8Array;
  /** Why a non-empty extension of at most MAX_VOTE_EXTENSION_BYTES is malformed, or undefined (VerifyVoteExtension). */
  checkExtension(extension: Uint8Array): string | undefined;
  /** The 32-byte ed25519 consensus key of the validator with this consensus address in `ctx`'s state, or undefined. */
  consensusPubkey(ctx: Context, address: Uint8Array): Uint8Array | undefined;
  /** FinalizeBlock, after PreBlock and before BeginBlock: the checked votes of the previous height. */
  tally(ctx: Context, commit: CheckedCommit): void;
}
