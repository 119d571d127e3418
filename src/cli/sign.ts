/**
 * Offline and multi-party signing, as the Cosmos SDK's CLI does it:
 *
 * - `tx <any> --generate-only` prints the unsigned tx as the SDK's JSON (cosmos.tx.v1beta1.Tx
 *   proto-JSON: body.messages with "@type", auth_info, signatures []);
 * - `tx sign FILE --from KEY` signs it (direct or amino-json; `--offline` with --account-number
 *   and --sequence needs no node); with `--multisig ADDRESS` it prints the member's signature (the
 *   SDK's SignatureDescriptors JSON) for `tx multisign`, signed in amino JSON over the multisig
 *   account's number and sequence;
 * - `tx multisign FILE MULTISIG_KEY SIG...` combines the members' signatures into the multisig
 *   signer info (a CompactBitArray, one amino JSON mode info per signature, a MultiSignature);
 * - `tx broadcast FILE` sends a signed tx in --broadcast-mode.
 */
import * as fs from "node:fs";
import { makeSignDoc as makeAminoSignDoc, serializeSignDoc, type StdFee } from "@cosmjs/amino";
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromBase64, toBase64 } from "@cosmjs/encoding";
import { encodePubkey, makeSignDoc, type EncodeObject, type OfflineDirectSigner, type Registry } from "@cosmjs/proto-signing";
import { connectComet } from "@cosmjs/tendermint-rpc";
import type { OfflineAminoSigner } from "@cosmjs/amino";
import { MultiSignature } from "cosmjs-types/cosmos/crypto/multisig/v1beta1/multisig";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, Fee, SignerInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { decodeMultisigPubKeyAny, encodeMultisigPubKeyAny, makeBitArray, type MultisigPubKey } from "../baseapp/tx/multisig";
import { encodeSecp256k1PubKeyAny } from "../baseapp/tx/pubkey";
import { createDcertAminoTypes } from "../client/aminotypes";
import { createDcertRegistry, SigningDcertClient } from "../client/signingdcertclient";
import { booleanFlag, stringFlag, UsageError, type FlagSpec, type ParsedArgs } from "./args";
import { describeClientError, HOME_FLAG, isAddress, KEYRING_BACKEND_FLAG, keyringOf, NODE_FLAG, PREFIX, resolveNode, unreachable } from "./clientenv";
import { clientSetting } from "./clientconfig";
import { CliError, type Leaf } from "./cmdtree";
import { multisigOfInfo, type KeyInfo } from "./keyring";
import { keyringPassphrase } from "./keys";
import { OUTPUT_FLAG, type Json } from "./output";
import { PASSPHRASE_FLAG } from "./prompt";
import type { Builder } from "./tx";
import { BROADCAST_MODE_FLAG, BROADCAST_POLL_MS, BROADCAST_TIMEOUT_MS, broadcastAndReport, feeFor, gasSettings, signerFor, signMode } from "./txbroadcast";

// ---- proto-JSON of the tx (the SDK's jsonpb with original field names)

function snake(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function camel(k: string): string {
  return k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

type JsonObject = { [key: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The proto-JSON of a message in `registry`: snake_case keys, nested Anys expanded with "@type". */
export function messageToJson(registry: Registry, typeUrl: string, value: unknown): JsonObject {
  const type = registry.lookupType(typeUrl) as { fromPartial(v: unknown): unknown; toJSON?(m: unknown): unknown; decode(b: Uint8Array): unknown } | undefined;
  if (type?.toJSON === undefined) throw new CliError(`no JSON form for message ${typeUrl}`, "this message type is not registered with dcertd");
  const walk = (v: unknown): Json => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObject(v)) return v as Json;
    if (typeof v["typeUrl"] === "string" && typeof v["value"] === "string" && Object.keys(v).length === 2 && registry.lookupType(v["typeUrl"]) !== undefined) {
      const inner = registry.lookupType(v["typeUrl"]) as { decode(b: Uint8Array): unknown };
      return messageToJson(registry, v["typeUrl"], inner.decode(fromBase64(v["value"])));
    }
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) out[snake(k)] = walk(x);
    return out;
  };
  return { "@type": typeUrl, ...(walk(type.toJSON(type.fromPartial(value))) as JsonObject) };
}

/** A message from its proto-JSON (snake_case or camelCase keys; nested Anys with "@type"). */
export function messageFromJson(registry: Registry, json: unknown, where: string): EncodeObject {
  if (!isObject(json) || typeof json["@type"] !== "string") throw new CliError(`${where} has no "@type"`, "give a tx written by --generate-only (or the SDK's JSON)", 2);
  const typeUrl = json["@type"];
  const type = registry.lookupType(typeUrl) as { fromJSON?(o: unknown): unknown; encode(m: unknown): { finish(): Uint8Array } } | undefined;
  if (type?.fromJSON === undefined) throw new CliError(`${where}: unknown message type ${typeUrl}`, "only messages dcertd knows can be signed", 2);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObject(v)) return v;
    if (typeof v["@type"] === "string") {
      const inner = messageFromJson(registry, v, where);
      const t = registry.lookupType(inner.typeUrl) as { encode(m: unknown): { finish(): Uint8Array } };
      return { typeUrl: inner.typeUrl, value: toBase64(t.encode(inner.value).finish()) };
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[camel(k)] = walk(x);
    return out;
  };
  const { "@type": _t, ...rest } = json;
  return { typeUrl, value: type.fromJSON(walk(rest)) };
}

function pubKeyJson(any: Any): JsonObject {
  if (any.typeUrl === "/cosmos.crypto.secp256k1.PubKey") {
    return { "@type": any.typeUrl, key: toBase64(any.value.subarray(2)) };
  }
  throw new CliError(`cannot print public key type ${any.typeUrl}`, "only secp256k1 and multisig keys are supported");
}

function multisigPubKeyJson(key: MultisigPubKey): JsonObject {
  return {
    "@type": "/cosmos.crypto.multisig.LegacyAminoPubKey",
    threshold: key.threshold,
    public_keys: key.pubKeys.map((k) => ({ "@type": "/cosmos.crypto.secp256k1.PubKey", key: toBase64(k) })),
  };
}

function pubKeyFromJson(json: unknown, where: string): Any {
  if (!isObject(json)) throw new CliError(`${where}: missing public key`, "give a file written by dcertd or the SDK", 2);
  if (json["@type"] === "/cosmos.crypto.secp256k1.PubKey" && typeof json["key"] === "string") return encodeSecp256k1PubKeyAny(fromBase64(json["key"]));
  if (json["@type"] === "/cosmos.crypto.multisig.LegacyAminoPubKey" && Array.isArray(json["public_keys"])) {
    const pubKeys = json["public_keys"].map((k, i) => {
      if (!isObject(k) || typeof k["key"] !== "string") throw new CliError(`${where}.public_keys[${i}] has no key`, "give a file written by dcertd or the SDK", 2);
      return fromBase64(k["key"]);
    });
    return encodeMultisigPubKeyAny({ threshold: Number(json["threshold"]), pubKeys });
  }
  throw new CliError(`${where}: unsupported public key ${JSON.stringify(json["@type"])}`, "secp256k1 and LegacyAminoPubKey keys are supported", 2);
}

const MODE_NAMES: Record<number, string> = {
  [SignMode.SIGN_MODE_DIRECT]: "SIGN_MODE_DIRECT",
  [SignMode.SIGN_MODE_LEGACY_AMINO_JSON]: "SIGN_MODE_LEGACY_AMINO_JSON",
  [SignMode.SIGN_MODE_UNSPECIFIED]: "SIGN_MODE_UNSPECIFIED",
};

function modeFromJson(v: unknown, where: string): SignMode {
  const hit = Object.entries(MODE_NAMES).find(([, name]) => name === v);
  if (hit === undefined) throw new CliError(`${where}: unsupported sign mode ${JSON.stringify(v)}`, "use SIGN_MODE_DIRECT or SIGN_MODE_LEGACY_AMINO_JSON", 2);
  return Number(hit[0]) as SignMode;
}

/** A tx as the SDK's `tx sign` / `--generate-only` JSON holds it, decoded. */
export interface TxDoc {
  readonly messages: EncodeObject[];
  readonly memo: string;
  readonly timeoutHeight: bigint;
  readonly fee: Fee;
  readonly signerInfos: SignerInfo[];
  readonly signatures: Uint8Array[];
}

function modeInfoJson(mi: SignerInfo["modeInfo"]): Json {
  if (mi?.single !== undefined) return { single: { mode: MODE_NAMES[mi.single.mode] ?? String(mi.single.mode) } };
  const m = mi?.multi;
  if (m === undefined) return null;
  return {
    multi: {
      bitarray: { extra_bits_stored: m.bitarray?.extraBitsStored ?? 0, elems: toBase64(m.bitarray?.elems ?? new Uint8Array()) },
      mode_infos: m.modeInfos.map((x) => modeInfoJson(x)),
    },
  };
}

function modeInfoFromJson(v: unknown, where: string): SignerInfo["modeInfo"] {
  if (!isObject(v)) throw new CliError(`${where} is missing`, "give a file written by dcertd or the SDK", 2);
  if (isObject(v["single"])) return { single: { mode: modeFromJson(v["single"]["mode"], where) } };
  const m = v["multi"];
  if (isObject(m) && isObject(m["bitarray"]) && Array.isArray(m["mode_infos"])) {
    const ba = m["bitarray"];
    return {
      multi: {
        bitarray: { extraBitsStored: Number(ba["extra_bits_stored"] ?? 0), elems: fromBase64(String(ba["elems"] ?? "")) },
        modeInfos: m["mode_infos"].map((x, i) => modeInfoFromJson(x, `${where}.mode_infos[${i}]`) as NonNullable<SignerInfo["modeInfo"]>),
      },
    };
  }
  throw new CliError(`${where} is neither single nor multi`, "give a file written by dcertd or the SDK", 2);
}

export function txToJson(registry: Registry, doc: TxDoc): JsonObject {
  return {
    body: {
      messages: doc.messages.map((m) => messageToJson(registry, m.typeUrl, m.value)),
      memo: doc.memo,
      timeout_height: doc.timeoutHeight.toString(),
      extension_options: [],
      non_critical_extension_options: [],
    },
    auth_info: {
      signer_infos: doc.signerInfos.map((si) => ({
        public_key: si.publicKey === undefined ? null : si.publicKey.typeUrl === "/cosmos.crypto.multisig.LegacyAminoPubKey" ? multisigPubKeyJson(decodeLegacy(si.publicKey)) : pubKeyJson(si.publicKey),
        mode_info: modeInfoJson(si.modeInfo),
        sequence: si.sequence.toString(),
      })),
      fee: {
        amount: doc.fee.amount.map((c) => ({ denom: c.denom, amount: c.amount })),
        gas_limit: doc.fee.gasLimit.toString(),
        payer: doc.fee.payer,
        granter: doc.fee.granter,
      },
      tip: null,
    },
    signatures: doc.signatures.map((s) => toBase64(s)),
  };
}

/** The member keys of a LegacyAminoPubKey Any (checked as the chain checks it). */
function decodeLegacy(any: Any): MultisigPubKey {
  return decodeMultisigPubKeyAny(any);
}

export function txFromJson(registry: Registry, json: unknown, file: string): TxDoc {
  if (!isObject(json) || !isObject(json["body"]) || !isObject(json["auth_info"])) throw new CliError(`${file} is not a transaction (no body and auth_info)`, "give a file written by --generate-only, tx sign or tx multisign", 2);
  const body = json["body"];
  const auth = json["auth_info"];
  const fee = isObject(auth["fee"]) ? auth["fee"] : {};
  const messages = Array.isArray(body["messages"]) ? body["messages"].map((m, i) => messageFromJson(registry, m, `${file}: body.messages[${i}]`)) : [];
  if (messages.length === 0) throw new CliError(`${file} has no messages`, "give a file written by --generate-only", 2);
  const infos = Array.isArray(auth["signer_infos"]) ? auth["signer_infos"] : [];
  return {
    messages,
    memo: typeof body["memo"] === "string" ? body["memo"] : "",
    timeoutHeight: BigInt(String(body["timeout_height"] ?? "0")),
    fee: Fee.fromPartial({
      amount: Array.isArray(fee["amount"]) ? fee["amount"].map((c) => ({ denom: String((c as Record<string, unknown>)["denom"]), amount: String((c as Record<string, unknown>)["amount"]) })) : [],
      gasLimit: BigInt(String(fee["gas_limit"] ?? "0")),
      payer: typeof fee["payer"] === "string" ? fee["payer"] : "",
      granter: typeof fee["granter"] === "string" ? fee["granter"] : "",
    }),
    signerInfos: infos.map((si, i) => {
      const o = isObject(si) ? si : {};
      const modeInfo = modeInfoFromJson(o["mode_info"], `${file}: auth_info.signer_infos[${i}].mode_info`);
      return SignerInfo.fromPartial({
        ...(o["public_key"] !== null && o["public_key"] !== undefined ? { publicKey: pubKeyFromJson(o["public_key"], `${file}: auth_info.signer_infos[${i}].public_key`) } : {}),
        ...(modeInfo !== undefined ? { modeInfo } : {}),
        sequence: BigInt(String(o["sequence"] ?? "0")),
      });
    }),
    signatures: Array.isArray(json["signatures"]) ? json["signatures"].map((s) => fromBase64(String(s))) : [],
  };
}

export function txBytes(registry: Registry, doc: TxDoc): Uint8Array {
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: doc.messages.map((m) => registry.encodeAsAny(m)), memo: doc.memo, timeoutHeight: doc.timeoutHeight })).finish();
  const authInfoBytes = AuthInfo.encode(AuthInfo.fromPartial({ signerInfos: doc.signerInfos, fee: doc.fee })).finish();
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: doc.signatures }).finish();
}

function readJsonFile(file: string, what: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new CliError(`cannot read ${what} ${file}: ${e instanceof Error ? e.message : String(e)}`, "give the path of a JSON file written by dcertd or the SDK", 2);
  }
}

function writeOutput(args: ParsedArgs, json: Json): void {
  const doc = stringFlag(args, "output-document");
  if (doc === undefined) {
    // The SDK prints these documents as JSON whatever the output format.
    console.log(JSON.stringify(json));
    return;
  }
  fs.writeFileSync(doc, `${JSON.stringify(json)}\n`);
}

// ---- --generate-only

/** A signer that only knows an address and public key: builders and simulation need no signature. */
function addressOnlySigner(address: string, pubkey: Uint8Array): OfflineDirectSigner {
  return {
    getAccounts: async () => [{ address, algo: "secp256k1", pubkey }],
    signDirect: async () => {
      throw new CliError("--generate-only does not sign", "sign the generated file with \"dcertd tx sign\"");
    },
  };
}

/** Where --from points: a local or multisig key of the keyring, or a bare address. */
function fromKey(args: ParsedArgs, from: string): { address: string; key?: KeyInfo } {
  const keyring = keyringOf(args);
  if (keyring.has(from) || keyring.list().some((k) => k.address === from)) {
    const key = keyring.get(from);
    return { address: key.address, key };
  }
  if (isAddress(from)) return { address: from };
  return { address: keyring.get(from).address };
}

async function simulateGas(node: string, client: SigningDcertClient, doc: TxDoc, signer: SignerInfo): Promise<number> {
  const tx = txBytes(client.registry, { ...doc, signerInfos: [signer], signatures: [signerSimSignature(signer)] });
  const comet = await connectComet(node);
  try {
    const res = await comet.abciQuery({ path: "/cosmos.tx.v1beta1.Service/Simulate", data: SimulateRequest.encode({ txBytes: tx }).finish() });
    if (res.code !== 0) throw new CliError(`the transaction would fail (code ${res.code}, codespace ${res.codespace ?? ""}): ${res.log ?? ""}`, "fix what the message says; or pass --gas <limit> to skip the simulation");
    return Number(SimulateResponse.decode(res.value).gasInfo?.gasUsed ?? 0n);
  } finally {
    comet.disconnect();
  }
}

function signerSimSignature(si: SignerInfo): Uint8Array {
  const n = si.modeInfo?.multi?.modeInfos.length;
  return n === undefined ? new Uint8Array() : MultiSignature.encode({ signatures: Array.from({ length: n }, () => new Uint8Array()) }).finish();
}

/** The signer info a simulation of `from` sends: its key with no signature. */
function simSignerInfo(key: KeyInfo | undefined, accountPubkey: Any | undefined, sequence: bigint): SignerInfo {
  if (key?.type === "multi") {
    const ms = multisigOfInfo(key);
    const set = Array.from({ length: ms.threshold }, (_, i) => i);
    return SignerInfo.fromPartial({
      publicKey: encodeMultisigPubKeyAny(ms),
      modeInfo: { multi: { bitarray: makeBitArray(ms.pubKeys.length, set), modeInfos: set.map(() => ({ single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } })) } },
      sequence,
    });
  }
  const publicKey = key !== undefined ? encodeSecp256k1PubKeyAny(fromBase64(key.pubkey)) : accountPubkey;
  return SignerInfo.fromPartial({ ...(publicKey !== undefined ? { publicKey } : {}), modeInfo: { single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } }, sequence });
}

/** `tx … --generate-only`: the unsigned tx as JSON; --gas auto simulates (the node is needed for the builders anyway). */
export async function generateOnly(args: ParsedArgs, build: Builder, from: string): Promise<number> {
  const { address, key } = fromKey(args, from);
  const node = resolveNode(args);
  const gas = gasSettings(args);
  const memo = stringFlag(args, "memo") ?? "";
  const pubkey = key !== undefined && key.type === "local" ? fromBase64(key.pubkey) : new Uint8Array(33);
  let client: SigningDcertClient;
  try {
    client = await SigningDcertClient.connectWithSigner(node, addressOnlySigner(address, pubkey));
  } catch (e) {
    throw unreachable(node, e);
  }
  try {
    const plan = await build(address, client, args);
    const doc: TxDoc = { messages: [...plan.msgs], memo, timeoutHeight: 0n, fee: Fee.fromPartial({}), signerInfos: [], signatures: [] };
    let gasLimit: number;
    if (gas.gas === "auto") {
      const acc = await client.getAccount(address);
      if (acc === null) throw new CliError(`account ${address} does not exist on chain yet`, "fund it first, or pass --gas <limit>");
      const accountPubkey = acc.pubkey === null ? undefined : encodePubkey(acc.pubkey);
      if (key === undefined && accountPubkey === undefined) throw new CliError(`the chain has no public key for ${address} yet and it is not in the keyring`, "pass --gas <limit> (simulation needs the signer's public key)");
      let used: number;
      try {
        used = await simulateGas(node, client, doc, simSignerInfo(key, accountPubkey, BigInt(acc.sequence)));
      } catch (e) {
        if (e instanceof CliError) throw e;
        const failure = describeClientError(e);
        throw new CliError(`simulation failed: ${failure?.what ?? (e instanceof Error ? e.message : String(e))}`, "fix what the message says; or pass --gas <limit> to skip the simulation");
      }
      gasLimit = Math.ceil(used * gas.adjustment);
    } else {
      gasLimit = gas.gas;
    }
    const fee = feeFor(args, gasLimit);
    const json = txToJson(client.registry, { ...doc, fee: Fee.fromPartial({ amount: [...fee.amount], gasLimit: BigInt(fee.gas) }) });
    writeOutput(args, json);
    return 0;
  } finally {
    client.disconnect();
  }
}

// ---- tx sign

interface SignerContext {
  chainId: string;
  accountNumber: bigint;
  sequence: bigint;
}

/** Chain id, account number and sequence: the flags with --offline, else the node (flags must agree). */
async function signerContext(args: ParsedArgs, address: string): Promise<SignerContext> {
  const offline = booleanFlag(args, "offline");
  const an = stringFlag(args, "account-number");
  const seq = stringFlag(args, "sequence");
  const chainIdFlag = clientSetting(args, "chain-id");
  const num = (v: string, name: string): bigint => {
    if (!/^[0-9]+$/.test(v)) throw new UsageError(`--${name} must be a non-negative integer, got "${v}"`);
    return BigInt(v);
  };
  if (offline) {
    if (an === undefined || seq === undefined || chainIdFlag === undefined) throw new UsageError("--offline needs --chain-id, --account-number and --sequence (no node is asked)");
    return { chainId: chainIdFlag, accountNumber: num(an, "account-number"), sequence: num(seq, "sequence") };
  }
  const node = resolveNode(args);
  let client: SigningDcertClient;
  try {
    client = await SigningDcertClient.connectWithSigner(node, addressOnlySigner(address, new Uint8Array(33)));
  } catch (e) {
    throw unreachable(node, e);
  }
  try {
    const chainId = await client.getChainId();
    if (chainIdFlag !== undefined && chainIdFlag !== chainId) throw new CliError(`--chain-id is ${chainIdFlag} but the node at ${node} runs ${chainId}`, "pass the node's chain id, or point --node at the right chain");
    const acc = await client.getAccount(address);
    if (acc === null) throw new CliError(`account ${address} does not exist on chain ${chainId} yet`, "fund it first; or sign --offline with --account-number and --sequence");
    return {
      chainId,
      accountNumber: an !== undefined ? num(an, "account-number") : BigInt(acc.accountNumber),
      sequence: seq !== undefined ? num(seq, "sequence") : BigInt(acc.sequence),
    };
  } finally {
    client.disconnect();
  }
}

function stdFee(fee: Fee): StdFee {
  return {
    amount: fee.amount.map((c) => ({ denom: c.denom, amount: c.amount })),
    gas: fee.gasLimit.toString(),
    ...(fee.payer !== "" ? { payer: fee.payer } : {}),
    ...(fee.granter !== "" ? { granter: fee.granter } : {}),
  };
}

/** The amino JSON sign doc of a tx (as the chain's SIGN_MODE_LEGACY_AMINO_JSON verification rebuilds it). */
function aminoDoc(doc: TxDoc, ctx: SignerContext): ReturnType<typeof makeAminoSignDoc> {
  const aminoTypes = createDcertAminoTypes();
  return makeAminoSignDoc(doc.messages.map((m) => aminoTypes.toAmino(m)), stdFee(doc.fee), ctx.chainId, doc.memo, ctx.accountNumber.toString(), ctx.sequence.toString(), doc.timeoutHeight === 0n ? undefined : doc.timeoutHeight);
}

const SIGN_FLAGS: readonly FlagSpec[] = [
  { name: "from", valueName: "key", description: "the signing key: a key name or its address (required)" },
  { name: "chain-id", valueName: "id", description: "the chain id (required with --offline; else checked against the node's)" },
  { name: "sign-mode", valueName: "mode", description: "direct or amino-json (--multisig always signs amino-json)", defaultText: "direct" },
  { name: "offline", boolean: true, description: "ask no node: needs --chain-id, --account-number and --sequence" },
  { name: "account-number", valueName: "n", description: "the signing account's number (of the multisig account with --multisig)" },
  { name: "sequence", valueName: "n", description: "the signing account's sequence (of the multisig account with --multisig)" },
  { name: "multisig", valueName: "address", description: "sign as a member of this multisig account: print the signature for tx multisign" },
  { name: "output-document", valueName: "file", description: "write the result to this file instead of stdout" },
  NODE_FLAG,
  HOME_FLAG,
  KEYRING_BACKEND_FLAG,
  PASSPHRASE_FLAG,
  OUTPUT_FLAG,
];

function oneFile(args: ParsedArgs, what: string): string {
  const [file, extra] = args.positionals;
  if (file === undefined) throw new UsageError(`give the ${what} file`);
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  return file;
}

const signLeaf: Leaf = {
  path: ["sign"],
  summary: "sign a tx written by --generate-only (offline with --offline; as a multisig member with --multisig)",
  positionals: ["<tx.json>"],
  details: [
    "Prints the signed tx (or, with --multisig, this key's signature for \"tx multisign\") as the SDK's JSON.",
    "Example: dcertd tx sign unsigned.json --from alice --offline --chain-id dcert-devnet-1 --account-number 7 --sequence 0",
  ],
  flags: SIGN_FLAGS,
  async run(args) {
    const file = oneFile(args, "unsigned tx");
    const from = stringFlag(args, "from");
    if (from === undefined) throw new UsageError("--from <key> is required: the key that signs");
    const registry = createDcertRegistry();
    const doc = txFromJson(registry, readJsonFile(file, "the tx"), file);
    const keyring = keyringOf(args);
    const key = keyring.get(from);
    if (key.type === "multi") throw new CliError(`"${key.name}" is a multisig key: its members sign`, `sign with each member key and --multisig ${key.address}, then "dcertd tx multisign"`);
    const multisig = stringFlag(args, "multisig");
    if (multisig !== undefined && !isAddress(multisig)) {
      const ms = keyring.get(multisig);
      if (ms.type !== "multi") throw new UsageError(`--multisig must be a multisig account address (or multisig key name), got "${multisig}"`);
    }
    const msAddress = multisig === undefined ? undefined : isAddress(multisig) ? multisig : keyring.get(multisig).address;
    const mode = msAddress !== undefined ? "amino-json" : signMode(args);
    if (msAddress !== undefined && stringFlag(args, "sign-mode") === "direct") throw new UsageError("multisig members sign in amino-json (a direct signature cannot cover the final multisig signer info)");
    const ctx = await signerContext(args, msAddress ?? key.address);
    const privateKey = await keyring.privateKey(key.name, await keyringPassphrase(args, keyring));
    const signer = await signerFor(privateKey, mode);
    const pubkey = fromBase64(key.pubkey);
    const publicKey = encodeSecp256k1PubKeyAny(pubkey);
    let signature: Uint8Array;
    if (mode === "amino-json") {
      const res = await (signer as OfflineAminoSigner).signAmino(key.address, aminoDoc(doc, ctx));
      signature = fromBase64(res.signature.signature);
    } else {
      const authInfoBytes = AuthInfo.encode(AuthInfo.fromPartial({ signerInfos: [{ publicKey, modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } }, sequence: ctx.sequence }], fee: doc.fee })).finish();
      const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: doc.messages.map((m) => registry.encodeAsAny(m)), memo: doc.memo, timeoutHeight: doc.timeoutHeight })).finish();
      const res = await (signer as OfflineDirectSigner).signDirect(key.address, makeSignDoc(bodyBytes, authInfoBytes, ctx.chainId, ctx.accountNumber));
      signature = fromBase64(res.signature.signature);
    }
    if (msAddress !== undefined) {
      writeOutput(args, {
        signatures: [
          {
            public_key: { "@type": "/cosmos.crypto.secp256k1.PubKey", key: key.pubkey },
            data: { single: { mode: "SIGN_MODE_LEGACY_AMINO_JSON", signature: toBase64(signature) } },
            sequence: ctx.sequence.toString(),
          },
        ],
      });
      return 0;
    }
    const modeInfo = { single: { mode: mode === "direct" ? SignMode.SIGN_MODE_DIRECT : SignMode.SIGN_MODE_LEGACY_AMINO_JSON } };
    writeOutput(args, txToJson(registry, { ...doc, signerInfos: [SignerInfo.fromPartial({ publicKey, modeInfo, sequence: ctx.sequence })], signatures: [signature] }));
    return 0;
  },
};

// ---- tx multisign

interface MemberSignature {
  pubkey: Uint8Array;
  signature: Uint8Array;
  sequence: bigint;
}

function readSignatures(file: string): MemberSignature[] {
  const json = readJsonFile(file, "the signature");
  const list = isObject(json) && Array.isArray(json["signatures"]) ? json["signatures"] : undefined;
  if (list === undefined || list.length === 0) throw new CliError(`${file} holds no signatures`, "give files written by \"dcertd tx sign --multisig\" (or the SDK's)", 2);
  return list.map((s, i) => {
    const where = `${file}: signatures[${i}]`;
    if (!isObject(s) || !isObject(s["public_key"]) || !isObject(s["data"]) || !isObject(s["data"]["single"])) throw new CliError(`${where} is not a single signature`, "give files written by \"dcertd tx sign --multisig\"", 2);
    const mode = modeFromJson(s["data"]["single"]["mode"], where);
    if (mode !== SignMode.SIGN_MODE_LEGACY_AMINO_JSON) throw new CliError(`${where} is signed in ${MODE_NAMES[mode] ?? mode}`, "multisig members sign in amino-json (dcertd tx sign --multisig does)", 2);
    const pk = s["public_key"];
    if (pk["@type"] !== "/cosmos.crypto.secp256k1.PubKey" || typeof pk["key"] !== "string") throw new CliError(`${where} has no secp256k1 public key`, "give files written by \"dcertd tx sign --multisig\"", 2);
    return { pubkey: fromBase64(pk["key"]), signature: fromBase64(String(s["data"]["single"]["signature"])), sequence: BigInt(String(s["sequence"] ?? "0")) };
  });
}

const multisignLeaf: Leaf = {
  path: ["multisign"],
  summary: "combine members' signatures (tx sign --multisig) into the multisig account's signed tx",
  positionals: ["<tx.json>", "<multisig-key>", "<signature.json>..."],
  details: [
    "Checks each signature against its member key and the multisig account's number and sequence, and that",
    "there are at least threshold of them; prints the signed tx for \"tx broadcast\".",
  ],
  flags: SIGN_FLAGS.filter((f) => !["from", "sign-mode", "multisig"].includes(f.name)),
  async run(args) {
    const [file, msName, ...sigFiles] = args.positionals;
    if (file === undefined || msName === undefined || sigFiles.length === 0) throw new UsageError("give the tx file, the multisig key and at least one signature file");
    const registry = createDcertRegistry();
    const doc = txFromJson(registry, readJsonFile(file, "the tx"), file);
    const msKey = keyringOf(args).get(msName);
    if (msKey.type !== "multi") throw new CliError(`"${msName}" is not a multisig key`, `add it with "dcertd keys add ${msName} --multisig k1,k2,k3 --multisig-threshold 2"`, 2);
    const ms = multisigOfInfo(msKey);
    const ctx = await signerContext(args, msKey.address);
    const signBytes = serializeSignDoc(aminoDoc(doc, ctx));
    const byIndex = new Map<number, Uint8Array>();
    for (const f of sigFiles) {
      for (const s of readSignatures(f)) {
        const idx = ms.pubKeys.findIndex((k) => Buffer.from(k).equals(Buffer.from(s.pubkey)));
        if (idx < 0) throw new CliError(`${f} is signed by a key that is not a member of "${msName}"`, "give signatures of the multisig key's members", 2);
        if (s.sequence !== ctx.sequence) throw new CliError(`${f} signs sequence ${s.sequence} but the multisig account is at ${ctx.sequence}`, "sign the tx again with the account's current sequence");
        const ok = await Secp256k1.verifySignature(Secp256k1Signature.fromFixedLength(s.signature), sha256(signBytes), s.pubkey);
        if (!ok) throw new CliError(`the signature in ${f} does not verify for this tx (chain id ${ctx.chainId}, account number ${ctx.accountNumber}, sequence ${ctx.sequence})`, "check the member signed this very file with the same chain id, account number and sequence");
        byIndex.set(idx, s.signature);
      }
    }
    if (byIndex.size < ms.threshold) throw new CliError(`"${msName}" needs ${ms.threshold} signatures, got ${byIndex.size}`, "collect signatures from more members");
    const set = [...byIndex.keys()].sort((a, b) => a - b);
    const signerInfo = SignerInfo.fromPartial({
      publicKey: encodeMultisigPubKeyAny(ms),
      modeInfo: { multi: { bitarray: makeBitArray(ms.pubKeys.length, set), modeInfos: set.map(() => ({ single: { mode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON } })) } },
      sequence: ctx.sequence,
    });
    const multiSig = MultiSignature.encode({ signatures: set.map((i) => byIndex.get(i) as Uint8Array) }).finish();
    writeOutput(args, txToJson(registry, { ...doc, signerInfos: [signerInfo], signatures: [multiSig] }));
    return 0;
  },
};

// ---- tx broadcast

const broadcastLeaf: Leaf = {
  path: ["broadcast"],
  summary: "broadcast a signed tx (tx sign or tx multisign output)",
  positionals: ["<signed-tx.json>"],
  flags: [BROADCAST_MODE_FLAG, { name: "verbose", boolean: true, description: "a line per new block on stderr while waiting" }, NODE_FLAG, HOME_FLAG, OUTPUT_FLAG],
  async run(args) {
    const file = oneFile(args, "signed tx");
    const registry = createDcertRegistry();
    const doc = txFromJson(registry, readJsonFile(file, "the tx"), file);
    if (doc.signatures.length === 0) throw new CliError(`${file} is not signed`, "sign it with \"dcertd tx sign\" (or tx multisign) first", 2);
    const node = resolveNode(args);
    let client: SigningDcertClient;
    try {
      client = await SigningDcertClient.connectWithSigner(node, addressOnlySigner(PREFIX, new Uint8Array(33)), { broadcastTimeoutMs: BROADCAST_TIMEOUT_MS, broadcastPollIntervalMs: BROADCAST_POLL_MS });
    } catch (e) {
      throw unreachable(node, e);
    }
    try {
      return await broadcastAndReport(args, client, node, txBytes(registry, doc));
    } finally {
      client.disconnect();
    }
  },
};

export const signLeaves: readonly Leaf[] = [signLeaf, multisignLeaf, broadcastLeaf];
