/**
 * Genesis transactions ("gentxs"), as in the Cosmos SDK's x/genutil: each prospective validator
 * signs a transaction holding one `/cosmos.staking.v1beta1.MsgCreateValidator` (its operator
 * address, the ed25519 consensus key of its CometBFT node, its self-delegation), and the genesis
 * coordinator collects them into `app_state.genutil.gen_txs`. At InitChain the app runs them
 * through the normal transaction path, so the validator set comes out of staking.
 *
 * Formats (our choice, documented in docs/testnet.md):
 *  - in genesis, `app_state.genutil.gen_txs` is a list of base64 `TxRaw` bytes (exactly the bytes
 *    that were signed, so nothing is re-encoded on the way);
 *  - a gentx file (`gentx-<node id>.json`) carries the same base64 bytes in `tx` plus a readable
 *    summary (chain-id, node id, operator, moniker, key, self-delegation) that `collect-gentxs`
 *    checks against the decoded transaction, so the summary cannot lie about the bytes.
 *
 * A gentx is signed before account numbers exist (each validator only knows its own genesis), so,
 * as in the SDK, it signs over account number 0 and sequence 0; the ante handler uses account
 * number 0 for transactions run in genesis mode.
 */
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { MsgCreateValidator } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { encodePubkey, makeAuthInfoBytes, makeSignDoc, type OfflineDirectSigner } from "@cosmjs/proto-signing";
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { type Coin, coinFromProto } from "../../baseapp/coins";
import { fromBase64, toBase64 } from "../../baseapp/encoding";
import { GenesisError, obj, str } from "../../baseapp/json";
import { accountValoper, ED25519_PUBKEY_TYPE_URL, operatorAccount } from "../staking/keeper";
import { decToProto } from "../staking/dec";
import { decodeTx } from "../../baseapp/tx/decode";

export const GENUTIL_MODULE = "genutil";
export const MSG_CREATE_VALIDATOR_TYPE_URL = "/cosmos.staking.v1beta1.MsgCreateValidator";
/** Gas limit written into gentxs: generous (genesis charges no fee), but the ante needs one. */
export const GENTX_GAS_LIMIT = 1_000_000n;

/** 18-decimal fixed-point commission rates (1.0 = 10^18). */
export interface CommissionRates {
  readonly rate: bigint;
  readonly maxRate: bigint;
  readonly maxChangeRate: bigint;
}

/** 10% commission, at most 20%, changing by at most 1% a day (the SDK CLI's defaults). */
export const DEFAULT_COMMISSION: CommissionRates = {
  rate: 100_000_000_000_000_000n,
  maxRate: 200_000_000_000_000_000n,
  maxChangeRate: 10_000_000_000_000_000n,
};

export interface GentxInput {
  readonly chainId: string;
  /** Signs for `operator` (a direct-mode signer such as CosmJS's DirectSecp256k1HdWallet). */
  readonly signer: OfflineDirectSigner;
  /** The operator's account address (`dcert1…`); its valoper form becomes the validator address. */
  readonly operator: string;
  /** The node's ed25519 consensus public key (base64, from priv_validator_key.json). */
  readonly consensusPubkeyBase64: string;
  readonly selfDelegation: Coin;
  readonly moniker: string;
  readonly details?: string;
  readonly commission?: CommissionRates;
  readonly minSelfDelegation?: bigint;
  /** By convention `<node id>@<host>:<p2p port>`, from which collect-gentxs builds persistent_peers. */
  readonly memo: string;
}

/** Builds and signs a gentx (SIGN_MODE_DIRECT, account number 0, sequence 0, no fee). Returns TxRaw bytes. */
export async function buildGentx(input: GentxInput): Promise<Uint8Array> {
  const accounts = await input.signer.getAccounts();
  const account = accounts.find((a) => a.address === input.operator);
  if (account === undefined) throw new Error(`the signer has no key for ${input.operator}`);
  const key = fromBase64(input.consensusPubkeyBase64);
  if (key.length !== 32) throw new Error(`the consensus key must be a 32-byte ed25519 key, got ${key.length} bytes`);
  const commission = input.commission ?? DEFAULT_COMMISSION;
  const msg = MsgCreateValidator.fromPartial({
    description: { moniker: input.moniker, identity: "", website: "", securityContact: "", details: input.details ?? "" },
    commission: {
      rate: decToProto(commission.rate),
      maxRate: decToProto(commission.maxRate),
      maxChangeRate: decToProto(commission.maxChangeRate),
    },
    minSelfDelegation: (input.minSelfDelegation ?? 1n).toString(),
    delegatorAddress: input.operator,
    validatorAddress: accountValoper(input.operator),
    pubkey: { typeUrl: ED25519_PUBKEY_TYPE_URL, value: Ed25519PubKey.encode({ key }).finish() },
    value: { denom: input.selfDelegation.denom, amount: input.selfDelegation.amount.toString() },
  });
  const bodyBytes = TxBody.encode(
    TxBody.fromPartial({ messages: [{ typeUrl: MSG_CREATE_VALIDATOR_TYPE_URL, value: MsgCreateValidator.encode(msg).finish() }], memo: input.memo }),
  ).finish();
  const pubkey = encodePubkey(encodeSecp256k1Pubkey(account.pubkey));
  const authInfoBytes = makeAuthInfoBytes([{ pubkey, sequence: 0 }], [], Number(GENTX_GAS_LIMIT), undefined, undefined);
  const { signature } = await input.signer.signDirect(input.operator, makeSignDoc(bodyBytes, authInfoBytes, input.chainId, 0));
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [fromBase64(signature.signature)] }).finish();
}

/** What a gentx says, read from its bytes. */
export interface GentxSummary {
  readonly validatorAddress: string;
  readonly delegatorAddress: string;
  readonly moniker: string;
  /** base64 ed25519 key */
  readonly consensusPubkey: string;
  readonly selfDelegation: Coin;
  readonly memo: string;
}

/**
 * Decodes a gentx and checks its shape: a well-formed signed transaction with exactly one
 * MsgCreateValidator whose delegator (if set) is the operator's own account. Signatures and
 * balances are checked when it runs (InitChain, or `genesis validate`'s dry run).
 */
export function summarizeGentx(raw: Uint8Array): GentxSummary {
  const tx = decodeTx(raw);
  const msgs = tx.body.messages;
  if (msgs.length !== 1 || msgs[0]?.typeUrl !== MSG_CREATE_VALIDATOR_TYPE_URL) {
    throw new Error(`a gentx must hold exactly one ${MSG_CREATE_VALIDATOR_TYPE_URL}, got ${msgs.map((m) => m.typeUrl).join(", ") || "no messages"}`);
  }
  const m = MsgCreateValidator.decode(msgs[0].value);
  const operator = operatorAccount(m.validatorAddress);
  if (m.delegatorAddress !== "" && m.delegatorAddress !== operator) {
    throw new Error(`the gentx's delegator ${m.delegatorAddress} is not the operator's account ${operator}`);
  }
  if (m.pubkey?.typeUrl !== ED25519_PUBKEY_TYPE_URL) throw new Error(`the gentx's consensus key must be ${ED25519_PUBKEY_TYPE_URL}`);
  if (m.value === undefined) throw new Error("the gentx has no self-delegation");
  return {
    validatorAddress: m.validatorAddress,
    delegatorAddress: operator,
    moniker: m.description.moniker,
    consensusPubkey: toBase64(Ed25519PubKey.decode(m.pubkey.value).key),
    selfDelegation: coinFromProto(m.value),
    memo: tx.body.memo,
  };
}

/** Canonical base64 (what toBase64 writes) decoded, or undefined for anything else. */
export function strictBase64(s: string): Uint8Array | undefined {
  if (s === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return undefined;
  const bytes = fromBase64(s);
  return toBase64(bytes) === s ? bytes : undefined;
}

// ---------------------------------------------------------------------------------------------
// The gentx file

/** `gentx-<node id>.json`: the signed bytes plus a readable summary of them. */
export interface GentxFile {
  readonly chain_id: string;
  readonly node_id: string;
  readonly moniker: string;
  readonly validator_address: string;
  readonly delegator_address: string;
  readonly consensus_pubkey: { readonly "@type": string; readonly key: string };
  readonly self_delegation: { readonly denom: string; readonly amount: string };
  readonly memo: string;
  /** base64 TxRaw */
  readonly tx: string;
}

export function gentxFile(chainId: string, nodeId: string, raw: Uint8Array): GentxFile {
  const s = summarizeGentx(raw);
  return {
    chain_id: chainId,
    node_id: nodeId,
    moniker: s.moniker,
    validator_address: s.validatorAddress,
    delegator_address: s.delegatorAddress,
    consensus_pubkey: { "@type": ED25519_PUBKEY_TYPE_URL, key: s.consensusPubkey },
    self_delegation: { denom: s.selfDelegation.denom, amount: s.selfDelegation.amount.toString() },
    memo: s.memo,
    tx: toBase64(raw),
  };
}

/**
 * Reads a gentx file and checks that its summary fields say what its bytes say. Returns the bytes,
 * the decoded summary and the file's chain-id and node id.
 */
export function parseGentxFile(json: unknown, what = "gentx"): { raw: Uint8Array; summary: GentxSummary; chainId: string; nodeId: string } {
  const o = obj(json, what);
  const chainId = str(o["chain_id"], `${what}.chain_id`);
  const nodeId = str(o["node_id"], `${what}.node_id`);
  const b64 = str(o["tx"], `${what}.tx`);
  const raw = strictBase64(b64);
  if (raw === undefined) throw new GenesisError(`${what}.tx`, "is not base64");
  let summary: GentxSummary;
  try {
    summary = summarizeGentx(raw);
  } catch (e) {
    throw new GenesisError(`${what}.tx`, e instanceof Error ? e.message : String(e));
  }
  const expected = gentxFile(chainId, nodeId, raw);
  for (const key of ["moniker", "validator_address", "delegator_address", "memo"] as const) {
    if (o[key] !== undefined && o[key] !== expected[key]) {
      throw new GenesisError(`${what}.${key}`, `says ${JSON.stringify(o[key])} but the signed tx says ${JSON.stringify(expected[key])}`);
    }
  }
  const pk = o["consensus_pubkey"];
  if (pk !== undefined && (obj(pk, `${what}.consensus_pubkey`)["key"] as unknown) !== expected.consensus_pubkey.key) {
    throw new GenesisError(`${what}.consensus_pubkey`, `does not match the key in the signed tx (${expected.consensus_pubkey.key})`);
  }
  const sd = o["self_delegation"];
  if (sd !== undefined) {
    const sdo = obj(sd, `${what}.self_delegation`);
    if (sdo["denom"] !== expected.self_delegation.denom || sdo["amount"] !== expected.self_delegation.amount) {
      throw new GenesisError(`${what}.self_delegation`, `does not match the signed tx (${expected.self_delegation.amount}${expected.self_delegation.denom})`);
    }
  }
  return { raw, summary, chainId, nodeId };
}

/** `<node id>@<host>:<port>` from a gentx memo, or undefined when the memo is not one. */
export function peerFromMemo(memo: string): { nodeId: string; host: string; port: number } | undefined {
  const m = /^([0-9a-f]{40})@([^@:\s]+):(\d{1,5})$/.exec(memo.trim());
  if (m === null) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { nodeId: m[1] as string, host: m[2] as string, port };
}
