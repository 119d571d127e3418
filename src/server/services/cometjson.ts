/**
 * CometBFT v0.38's RPC JSON (its `cmtjson` encoding: int64 as decimal strings, int32 as numbers,
 * HexBytes as upper-case hex, []byte as base64, times as RFC 3339 with up to 9 fraction digits,
 * interfaces as {"type", "value"}) read into the protobuf types of tendermint.types, the same
 * messages the SDK's services fill from CometBFT's Go types with ToProto.
 *
 * Every reader checks the shape it expects and throws ShapeError naming the JSON path, so a
 * CometBFT that answers something unexpected gives a clear INTERNAL error instead of a wrong value.
 */
import { fromBase64, fromHex } from "@cosmjs/encoding";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import type { Block as SdkBlock } from "cosmjs-types/cosmos/base/tendermint/v1beta1/types";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { Event } from "cosmjs-types/tendermint/abci/types";
import type { PublicKey } from "cosmjs-types/tendermint/crypto/keys";
import type { DefaultNodeInfo } from "cosmjs-types/tendermint/p2p/types";
import type { Block } from "cosmjs-types/tendermint/types/block";
import type { Evidence } from "cosmjs-types/tendermint/types/evidence";
import type { BlockID, Commit, CommitSig, Header, LightBlock, SignedHeader, Vote } from "cosmjs-types/tendermint/types/types";
import type { Validator, ValidatorSet } from "cosmjs-types/tendermint/types/validator";
import { parseRfc3339 } from "../../baseapp/time";
import { consAddrString } from "../../x/slashing/keeper";

/** CometBFT answered JSON of a shape these readers do not expect. */
export class ShapeError extends Error {
  constructor(
    readonly path: string,
    why: string,
  ) {
    super(`${path}: ${why}`);
    this.name = "ShapeError";
  }
}

type Json = unknown;
type Obj = Record<string, Json>;

function show(v: Json): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

export function obj(v: Json, path: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ShapeError(path, `expected an object, got ${show(v)}`);
  return v as Obj;
}

/** An array; null (Go's nil slice) reads as []. */
export function arr(v: Json, path: string): Json[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new ShapeError(path, `expected an array, got ${show(v)}`);
  return v;
}

/** A string; null / missing reads as "". */
export function str(v: Json, path: string): string {
  if (v === null || v === undefined) return "";
  if (typeof v !== "string") throw new ShapeError(path, `expected a string, got ${show(v)}`);
  return v;
}

export function bool(v: Json, path: string): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v !== "boolean") throw new ShapeError(path, `expected a boolean, got ${show(v)}`);
  return v;
}

/** An int64 / uint64 (cmtjson writes them as decimal strings; numbers are accepted too). */
export function int64(v: Json, path: string): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === "string" && /^-?(0|[1-9][0-9]{0,19})$/.test(v)) return BigInt(v);
  throw new ShapeError(path, `expected an integer, got ${show(v)}`);
}

/** An int32 / uint32 / enum (cmtjson writes them as numbers). */
export function int32(v: Json, path: string): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === "number" && Number.isInteger(v) && Math.abs(v) <= 0xffff_ffff) return v;
  if (typeof v === "string" && /^-?(0|[1-9][0-9]{0,9})$/.test(v)) return Number(v);
  throw new ShapeError(path, `expected a 32-bit integer, got ${show(v)}`);
}

/** HexBytes ("" or null = empty). */
export function hex(v: Json, path: string): Uint8Array {
  const s = str(v, path);
  if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw new ShapeError(path, `expected hex bytes, got ${show(v)}`);
  return fromHex(s);
}

/** []byte as base64 ("" or null = empty). */
export function b64(v: Json, path: string): Uint8Array {
  const s = str(v, path);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new ShapeError(path, `expected base64 bytes, got ${show(v)}`);
  return fromBase64(s);
}

/** An RFC 3339 time as a protobuf Timestamp (Go's zero time is 0001-01-01T00:00:00Z). */
export function time(v: Json, path: string): Timestamp {
  const s = str(v, path);
  const r = parseRfc3339(s, "protojson");
  if (!r.ok) throw new ShapeError(path, `expected an RFC 3339 time, got ${show(v)}`);
  return r.time;
}

/** A Timestamp as Go's time.RFC3339 writes a UTC time: whole seconds, "Z" (what TxResponse.timestamp holds). */
export function rfc3339Seconds(t: Timestamp): string {
  const ms = Number(t.seconds) * 1000;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new ShapeError("time", `timestamp ${t.seconds}s is out of range`);
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

// ------------------------------------------------------------------ tendermint.types

export function blockIdFrom(v: Json, path: string): BlockID {
  const o = obj(v, path);
  const parts = obj(o["parts"], `${path}.parts`);
  return {
    hash: hex(o["hash"], `${path}.hash`),
    partSetHeader: { total: int32(parts["total"], `${path}.parts.total`), hash: hex(parts["hash"], `${path}.parts.hash`) },
  };
}

export function headerFrom(v: Json, path: string): Header {
  const o = obj(v, path);
  const version = obj(o["version"], `${path}.version`);
  return {
    version: { block: int64(version["block"], `${path}.version.block`), app: int64(version["app"], `${path}.version.app`) },
    chainId: str(o["chain_id"], `${path}.chain_id`),
    height: int64(o["height"], `${path}.height`),
    time: time(o["time"], `${path}.time`),
    lastBlockId: blockIdFrom(o["last_block_id"], `${path}.last_block_id`),
    lastCommitHash: hex(o["last_commit_hash"], `${path}.last_commit_hash`),
    dataHash: hex(o["data_hash"], `${path}.data_hash`),
    validatorsHash: hex(o["validators_hash"], `${path}.validators_hash`),
    nextValidatorsHash: hex(o["next_validators_hash"], `${path}.next_validators_hash`),
    consensusHash: hex(o["consensus_hash"], `${path}.consensus_hash`),
    appHash: hex(o["app_hash"], `${path}.app_hash`),
    lastResultsHash: hex(o["last_results_hash"], `${path}.last_results_hash`),
    evidenceHash: hex(o["evidence_hash"], `${path}.evidence_hash`),
    proposerAddress: hex(o["proposer_address"], `${path}.proposer_address`),
  };
}

function commitSigFrom(v: Json, path: string): CommitSig {
  const o = obj(v, path);
  return {
    blockIdFlag: int32(o["block_id_flag"], `${path}.block_id_flag`),
    validatorAddress: hex(o["validator_address"], `${path}.validator_address`),
    timestamp: time(o["timestamp"], `${path}.timestamp`),
    signature: b64(o["signature"], `${path}.signature`),
  };
}

export function commitFrom(v: Json, path: string): Commit {
  const o = obj(v, path);
  return {
    height: int64(o["height"], `${path}.height`),
    round: int32(o["round"], `${path}.round`),
    blockId: blockIdFrom(o["block_id"], `${path}.block_id`),
    signatures: arr(o["signatures"], `${path}.signatures`).map((s, i) => commitSigFrom(s, `${path}.signatures[${i}]`)),
  };
}

function voteFrom(v: Json, path: string): Vote {
  const o = obj(v, path);
  return {
    type: int32(o["type"], `${path}.type`),
    height: int64(o["height"], `${path}.height`),
    round: int32(o["round"], `${path}.round`),
    blockId: blockIdFrom(o["block_id"], `${path}.block_id`),
    timestamp: time(o["timestamp"], `${path}.timestamp`),
    validatorAddress: hex(o["validator_address"], `${path}.validator_address`),
    validatorIndex: int32(o["validator_index"], `${path}.validator_index`),
    signature: b64(o["signature"], `${path}.signature`),
    extension: b64(o["extension"], `${path}.extension`),
    extensionSignature: b64(o["extension_signature"], `${path}.extension_signature`),
  };
}

const ED25519_JSON = "tendermint/PubKeyEd25519";
const SECP256K1_JSON = "tendermint/PubKeySecp256k1";

/** A crypto.PubKey as cmtjson writes it ({"type": "tendermint/PubKeyEd25519", "value": base64}). */
export function publicKeyFrom(v: Json, path: string): PublicKey {
  const o = obj(v, path);
  const type = str(o["type"], `${path}.type`);
  const key = b64(o["value"], `${path}.value`);
  if (type === ED25519_JSON) return { ed25519: key };
  if (type === SECP256K1_JSON) return { secp256k1: key };
  throw new ShapeError(`${path}.type`, `unsupported public key type ${show(type)}`);
}

/** The SDK's Any of a consensus key (cryptocodec.FromCmtPubKeyInterface). */
export function pubKeyAny(pk: PublicKey): Any {
  if (pk.ed25519 !== undefined) return { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: pk.ed25519 }).finish() };
  if (pk.secp256k1 !== undefined) return { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: Secp256k1PubKey.encode({ key: pk.secp256k1 }).finish() };
  throw new ShapeError("pub_key", "public key with neither ed25519 nor secp256k1");
}

export function validatorFrom(v: Json, path: string): Validator {
  const o = obj(v, path);
  return {
    address: hex(o["address"], `${path}.address`),
    pubKey: publicKeyFrom(o["pub_key"], `${path}.pub_key`),
    votingPower: int64(o["voting_power"], `${path}.voting_power`),
    proposerPriority: int64(o["proposer_priority"], `${path}.proposer_priority`),
  };
}

function validatorSetFrom(v: Json, path: string): ValidatorSet {
  const o = obj(v, path);
  const validators = arr(o["validators"], `${path}.validators`).map((x, i) => validatorFrom(x, `${path}.validators[${i}]`));
  const proposer = o["proposer"] === null || o["proposer"] === undefined ? undefined : validatorFrom(o["proposer"], `${path}.proposer`);
  // ToProto fills the set's total from its validators (the JSON leaves the cached total out).
  const totalVotingPower = validators.reduce((s, x) => s + x.votingPower, 0n);
  return proposer === undefined ? { validators, totalVotingPower } : { validators, proposer, totalVotingPower };
}

function lightBlockFrom(v: Json, path: string): LightBlock {
  const o = obj(v, path);
  const out: LightBlock = {};
  if (o["signed_header"] !== null && o["signed_header"] !== undefined) {
    const sh = obj(o["signed_header"], `${path}.signed_header`);
    const signedHeader: SignedHeader = {};
    if (sh["header"] !== null && sh["header"] !== undefined) signedHeader.header = headerFrom(sh["header"], `${path}.signed_header.header`);
    if (sh["commit"] !== null && sh["commit"] !== undefined) signedHeader.commit = commitFrom(sh["commit"], `${path}.signed_header.commit`);
    out.signedHeader = signedHeader;
  }
  if (o["validator_set"] !== null && o["validator_set"] !== undefined) out.validatorSet = validatorSetFrom(o["validator_set"], `${path}.validator_set`);
  return out;
}

/** One piece of evidence ({"type": "tendermint/DuplicateVoteEvidence" | "tendermint/LightClientAttackEvidence", "value"}). */
export function evidenceFrom(v: Json, path: string): Evidence {
  const o = obj(v, path);
  const type = str(o["type"], `${path}.type`);
  const val = obj(o["value"], `${path}.value`);
  const p = `${path}.value`;
  if (type === "tendermint/DuplicateVoteEvidence") {
    return {
      duplicateVoteEvidence: {
        voteA: voteFrom(val["vote_a"], `${p}.vote_a`),
        voteB: voteFrom(val["vote_b"], `${p}.vote_b`),
        totalVotingPower: int64(val["TotalVotingPower"], `${p}.TotalVotingPower`),
        validatorPower: int64(val["ValidatorPower"], `${p}.ValidatorPower`),
        timestamp: time(val["Timestamp"], `${p}.Timestamp`),
      },
    };
  }
  if (type === "tendermint/LightClientAttackEvidence") {
    return {
      lightClientAttackEvidence: {
        conflictingBlock: lightBlockFrom(val["ConflictingBlock"], `${p}.ConflictingBlock`),
        commonHeight: int64(val["CommonHeight"], `${p}.CommonHeight`),
        byzantineValidators: arr(val["ByzantineValidators"], `${p}.ByzantineValidators`).map((x, i) =>
          validatorFrom(x, `${p}.ByzantineValidators[${i}]`),
        ),
        totalVotingPower: int64(val["TotalVotingPower"], `${p}.TotalVotingPower`),
        timestamp: time(val["Timestamp"], `${p}.Timestamp`),
      },
    };
  }
  throw new ShapeError(`${path}.type`, `unknown evidence type ${show(type)}`);
}

/** A block as /block answers it → tendermint.types.Block. */
export function blockFrom(v: Json, path: string): Block {
  const o = obj(v, path);
  const data = obj(o["data"], `${path}.data`);
  const evidence = obj(o["evidence"], `${path}.evidence`);
  return {
    header: headerFrom(o["header"], `${path}.header`),
    data: { txs: arr(data["txs"], `${path}.data.txs`).map((t, i) => b64(t, `${path}.data.txs[${i}]`)) },
    evidence: { evidence: arr(evidence["evidence"], `${path}.evidence.evidence`).map((e, i) => evidenceFrom(e, `${path}.evidence.evidence[${i}]`)) },
    lastCommit: commitFrom(o["last_commit"], `${path}.last_commit`),
  };
}

/** A consensus address as bech32 (…valcons1…); empty bytes stay "". */
export function valconsAddress(bytes: Uint8Array): string {
  return bytes.length === 0 ? "" : consAddrString(bytes);
}

/** cosmos.base.tendermint.v1beta1.Block: the same block with the proposer as a bech32 string. */
export function sdkBlockOf(block: Block): SdkBlock {
  const { proposerAddress, ...rest } = block.header;
  const out: SdkBlock = {
    header: { ...rest, proposerAddress: valconsAddress(proposerAddress) },
    data: block.data,
    evidence: block.evidence,
  };
  if (block.lastCommit !== undefined) out.lastCommit = block.lastCommit;
  return out;
}

/** /status's node_info → tendermint.p2p.DefaultNodeInfo. */
export function nodeInfoFrom(v: Json, path: string): DefaultNodeInfo {
  const o = obj(v, path);
  const pv = obj(o["protocol_version"], `${path}.protocol_version`);
  const other = o["other"] === null || o["other"] === undefined ? {} : obj(o["other"], `${path}.other`);
  return {
    protocolVersion: {
      p2p: int64(pv["p2p"], `${path}.protocol_version.p2p`),
      block: int64(pv["block"], `${path}.protocol_version.block`),
      app: int64(pv["app"], `${path}.protocol_version.app`),
    },
    defaultNodeId: str(o["id"], `${path}.id`),
    listenAddr: str(o["listen_addr"], `${path}.listen_addr`),
    network: str(o["network"], `${path}.network`),
    version: str(o["version"], `${path}.version`),
    channels: hex(o["channels"], `${path}.channels`),
    moniker: str(o["moniker"], `${path}.moniker`),
    other: { txIndex: str(other["tx_index"], `${path}.other.tx_index`), rpcAddress: str(other["rpc_address"], `${path}.other.rpc_address`) },
  };
}

/** ABCI events as cmtjson writes them (attribute key and value as strings, `index` as a boolean). */
export function eventsFrom(v: Json, path: string): Event[] {
  return arr(v, path).map((e, i) => {
    const o = obj(e, `${path}[${i}]`);
    return {
      type: str(o["type"], `${path}[${i}].type`),
      attributes: arr(o["attributes"], `${path}[${i}].attributes`).map((a, j) => {
        const ao = obj(a, `${path}[${i}].attributes[${j}]`);
        const ap = `${path}[${i}].attributes[${j}]`;
        return { key: str(ao["key"], `${ap}.key`), value: str(ao["value"], `${ap}.value`), index: bool(ao["index"], `${ap}.index`) };
      }),
    };
  });
}
