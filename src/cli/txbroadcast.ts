/**
 * What every way of sending a tx shares: gas and fee flags, the sign mode, and broadcasting in the
 * SDK's --broadcast-mode (sync, async) or dcertd's default, which waits for the block.
 */
import { Secp256k1Wallet } from "@cosmjs/amino";
import { toHex } from "@cosmjs/encoding";
import { DirectSecp256k1Wallet, type OfflineSigner } from "@cosmjs/proto-signing";
import { calculateFee, GasPrice, type DeliverTxResponse, type StdFee } from "@cosmjs/stargate";
import { connectComet } from "@cosmjs/tendermint-rpc";
import type { SigningDcertClient } from "../client/signingdcertclient";
import { booleanFlag, stringFlag, UsageError, type FlagSpec, type ParsedArgs } from "./args";
import { clientSetting } from "./clientconfig";
import { hintFor, PREFIX, unreachable } from "./clientenv";
import { emit, type Json } from "./output";
import { parseCoins } from "./parse";
import { realSleep, waitForCommit } from "./txwait";

export const DEFAULT_GAS_PRICES = "0.025udcert";
export const DEFAULT_GAS_ADJUSTMENT = "1.4";
export const BROADCAST_TIMEOUT_MS = 60_000;
export const BROADCAST_POLL_MS = 500;

export interface GasSettings {
  readonly gas: "auto" | number;
  readonly adjustment: number;
}

export function gasSettings(args: ParsedArgs): GasSettings {
  const gasText = clientSetting(args, "gas") ?? "auto";
  let gas: "auto" | number;
  if (gasText === "auto") gas = "auto";
  else if (/^[0-9]+$/.test(gasText) && Number(gasText) > 0 && Number.isSafeInteger(Number(gasText))) gas = Number(gasText);
  else throw new UsageError(`--gas must be auto or a positive integer, got "${gasText}"`);
  const adjText = clientSetting(args, "gas-adjustment") ?? DEFAULT_GAS_ADJUSTMENT;
  if (!/^[0-9]+(\.[0-9]+)?$/.test(adjText) || Number(adjText) < 1) throw new UsageError(`--gas-adjustment must be a number ≥ 1, got "${adjText}"`);
  return { gas, adjustment: Number(adjText) };
}

/** The fee for `gasLimit`: --fees exactly, else --gas-prices (default 0.025udcert) × gas. */
export function feeFor(args: ParsedArgs, gasLimit: number): StdFee {
  const fees = stringFlag(args, "fees");
  if (fees !== undefined && stringFlag(args, "gas-prices") !== undefined) throw new UsageError("give --fees or --gas-prices, not both");
  if (fees !== undefined) return { amount: parseCoins(fees, "--fees"), gas: String(gasLimit) };
  // --gas-prices, $DCERTD_GAS_PRICES or client.toml (these last two give way to --fees).
  const prices = clientSetting(args, "gas-prices");
  let price: GasPrice;
  try {
    price = GasPrice.fromString(prices ?? DEFAULT_GAS_PRICES);
  } catch (e) {
    throw new UsageError(`--gas-prices must look like 0.025udcert (${e instanceof Error ? e.message : String(e)})`);
  }
  return calculateFee(gasLimit, price);
}

export function signMode(args: ParsedArgs): "direct" | "amino-json" {
  const m = stringFlag(args, "sign-mode") ?? "direct";
  if (m !== "direct" && m !== "amino-json") throw new UsageError(`--sign-mode must be direct or amino-json, got "${m}"`);
  return m;
}

/** A signer for a private key (from a mnemonic at its HD path, or imported) in the sign mode. */
export async function signerFor(privateKey: Uint8Array, mode: "direct" | "amino-json"): Promise<OfflineSigner> {
  return mode === "direct" ? DirectSecp256k1Wallet.fromKey(privateKey, PREFIX) : Secp256k1Wallet.fromKey(privateKey, PREFIX);
}

function eventsJson(res: { events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[] }): Json {
  return res.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })) }));
}


export type BroadcastMode = "block" | "sync" | "async";

export const BROADCAST_MODE_FLAG: FlagSpec = {
  name: "broadcast-mode",
  valueName: "sync|async",
  description: "sync: return after CheckTx; async: return at once (the SDK's modes); default: also wait for the block",
  defaultText: "wait for the block",
};

export const GENERATE_ONLY_FLAG: FlagSpec = {
  name: "generate-only",
  boolean: true,
  description: "print the unsigned tx as JSON (for tx sign / tx multisign); --from may be an address or a multisig key",
};

export function broadcastMode(args: ParsedArgs): BroadcastMode {
  const m = clientSetting(args, "broadcast-mode") ?? "block";
  if (m !== "block" && m !== "sync" && m !== "async") throw new UsageError(`--broadcast-mode must be sync or async, got "${m}"`);
  return m;
}

/** broadcast_tx_sync or broadcast_tx_async: the SDK's TxResponse fields the node gives back. */
export async function broadcastNoWait(node: string, txBytes: Uint8Array, mode: "sync" | "async"): Promise<{ code: number; codespace: string; log: string; json: Json }> {
  let comet;
  try {
    comet = await connectComet(node);
  } catch (e) {
    throw unreachable(node, e);
  }
  try {
    if (mode === "async") {
      const r = await comet.broadcastTxAsync({ tx: txBytes });
      const txhash = toHex(r.hash).toUpperCase();
      return { code: 0, codespace: "", log: "", json: { txhash, height: "0", code: 0, codespace: "", raw_log: "" } };
    }
    const r = await comet.broadcastTxSync({ tx: txBytes });
    const txhash = toHex(r.hash).toUpperCase();
    const codespace = r.codespace ?? "";
    return { code: r.code, codespace, log: r.log ?? "", json: { txhash, height: "0", code: r.code, codespace, raw_log: r.log ?? "" } };
  } finally {
    comet.disconnect();
  }
}

/**
 * Broadcasts signed tx bytes in --broadcast-mode and prints the result: `async` prints the hash at
 * once, `sync` the CheckTx result (the SDK's modes); by default (`block`) it also waits for the
 * block and prints the DeliverTx result. Returns the exit code.
 */
export async function broadcastAndReport(args: ParsedArgs, client: SigningDcertClient, node: string, txBytes: Uint8Array, extra?: (res: DeliverTxResponse) => Record<string, Json>): Promise<number> {
  const mode = broadcastMode(args);
  if (mode !== "block") {
    const r = await broadcastNoWait(node, txBytes, mode);
    emit(args, r.json);
    if (r.code !== 0) {
      console.error(`error: the node refused the transaction (code ${r.code}, codespace ${r.codespace}): ${r.log}; ${hintFor(r.codespace, r.code)}`);
      return 1;
    }
    return 0;
  }
  {
    const hash = await client.broadcastTxSync(txBytes);
    const showProgress = booleanFlag(args, "verbose") || process.stderr.isTTY === true;
    const res = await waitForCommit(client, hash, {
      timeoutMs: BROADCAST_TIMEOUT_MS,
      intervalMs: BROADCAST_POLL_MS,
      now: () => Date.now(),
      sleep: realSleep,
      ...(showProgress ? { progress: (line: string) => void process.stderr.write(`${line}\n`) } : {}),
    });
    const details = res.code === 0 ? undefined : await client.queries.getTxDetails(res.transactionHash).catch(() => null);
    const codespace = details?.codespace ?? "";
    const json: Record<string, Json> = {
      txhash: res.transactionHash,
      height: String(res.height),
      code: res.code,
      codespace,
      raw_log: res.rawLog ?? details?.rawLog ?? "",
      gas_wanted: res.gasWanted.toString(),
      gas_used: res.gasUsed.toString(),
      ...(res.code === 0 && extra !== undefined ? extra(res) : {}),
      events: eventsJson(res),
    };
    const { events: _events, ...textView } = json;
    emit(args, json, textView);
    if (res.code !== 0) {
      console.error(`error: transaction ${res.transactionHash} failed in block ${res.height} (code ${res.code}, codespace ${codespace}): ${json["raw_log"] as string}; ${hintFor(codespace, res.code)}`);
      return 1;
    }
    return 0;
  }
}
