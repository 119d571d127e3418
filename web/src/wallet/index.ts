/**
 * The wallet the app signs with: Keplr or Leap (browser extensions: the chain is suggested with its
 * ChainInfo, then the extension's signer is used), or the development wallet (a mnemonic from the
 * devnet's config.json; devnet only). `wallet` holds the connected one; `signingClient()` is a
 * SigningDcertClient for it (gas "auto" at the configured gas price), and `sendTx` signs, waits for
 * the block and says how it went.
 */
import { signal } from "@preact/signals";
import type { OfflineSigner } from "@cosmjs/proto-signing";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, type DeliverTxResponse } from "@cosmjs/stargate";
import { SigningDcertClient } from "@dcert/client";
import { config, type NodeConfig } from "../chain";
import { describeFailure, shownErrorOf, type ShownError } from "./errors";
import { BECH32_PREFIX, DEFAULT_GAS_PRICE, buildChainInfo, type ChainInfo } from "./chaininfo";

export type WalletKind = "dev" | "keplr" | "leap";

export interface Wallet {
  readonly address: string;
  readonly signer: OfflineSigner;
  readonly kind: WalletKind;
  /** For the development wallet: the account's name in config.json. */
  readonly name?: string;
}

/** The connected wallet (undefined: none). */
export const wallet = signal<Wallet | undefined>(undefined);

/** What Keplr and Leap offer on `window.keplr` / `window.leap` (the part the app uses). */
interface Extension {
  experimentalSuggestChain(info: ChainInfo): Promise<void>;
  enable(chainId: string): Promise<void>;
  getOfflineSigner(chainId: string): OfflineSigner;
}

function extensionOf(kind: "keplr" | "leap"): Extension | undefined {
  const w = window as unknown as Partial<Record<"keplr" | "leap", Extension>>;
  return w[kind];
}

/** Whether the browser has the extension. */
export function hasExtension(kind: "keplr" | "leap"): boolean {
  return extensionOf(kind) !== undefined;
}

export function gasPriceOf(cfg: NodeConfig | undefined): string {
  return cfg?.gasPrice ?? DEFAULT_GAS_PRICE;
}

function currentConfig(): NodeConfig {
  const cfg = config.value;
  if (cfg === undefined) throw new Error("the app has not loaded its configuration yet");
  return cfg;
}

/** The development wallet: the first account of `mnemonic` (m/44'/118'/0'/0/0). */
export async function connectDev(name: string, mnemonic: string): Promise<Wallet> {
  const signer = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic.trim().split(/\s+/).join(" "), { prefix: BECH32_PREFIX });
  const [account] = await signer.getAccounts();
  if (account === undefined) throw new Error(`the development account "${name}" derived no address`);
  const w: Wallet = { address: account.address, signer, kind: "dev", name };
  wallet.value = w;
  return w;
}

/** Keplr or Leap: suggests the chain (the extension asks its user once), enables it and uses its signer. */
export async function connectExtension(kind: "keplr" | "leap", chainId: string): Promise<Wallet> {
  const ext = extensionOf(kind);
  if (ext === undefined) throw new Error(`${kind === "keplr" ? "Keplr" : "Leap"} is not installed in this browser`);
  const cfg = currentConfig();
  await ext.experimentalSuggestChain(buildChainInfo({ chainId, rpc: cfg.rpc, rest: cfg.rest, gasPrice: gasPriceOf(cfg) }));
  await ext.enable(chainId);
  const signer = ext.getOfflineSigner(chainId);
  const [account] = await signer.getAccounts();
  if (account === undefined) throw new Error(`${kind} has no account for ${chainId}`);
  const w: Wallet = { address: account.address, signer, kind };
  wallet.value = w;
  return w;
}

export function disconnect(): void {
  wallet.value = undefined;
  cached = undefined;
}

let cached: { readonly wallet: Wallet; readonly client: Promise<SigningDcertClient> } | undefined;

/** A signing client for the connected wallet (one per wallet). Throws when none is connected. */
export function signingClient(): Promise<SigningDcertClient> {
  const w = wallet.value;
  if (w === undefined) throw new Error("connect a wallet first");
  if (cached?.wallet !== w) {
    const cfg = currentConfig();
    const client = SigningDcertClient.connectWithSigner(cfg.rpc, w.signer, { gasPrice: GasPrice.fromString(gasPriceOf(cfg)) });
    client.catch(() => (cached = undefined));
    cached = { wallet: w, client };
  }
  return cached.client;
}

/** How a transaction went. */
export type TxOutcome = { readonly ok: true; readonly height: number; readonly hash: string } | { readonly ok: false; readonly error: ShownError };

/**
 * Signs and sends with the connected wallet (`send` gets the client and the signer's address),
 * waits for the block and returns the height, or the error with its registered code and hint.
 */
export async function sendTx(send: (client: SigningDcertClient, address: string) => Promise<DeliverTxResponse>): Promise<TxOutcome> {
  try {
    const w = wallet.value;
    if (w === undefined) throw new Error("connect a wallet first (the Wallet view)");
    const client = await signingClient();
    const res = await send(client, w.address);
    if (res.code === 0) return { ok: true, height: res.height, hash: res.transactionHash };
    const details = await client.queries.getTxDetails(res.transactionHash).catch(() => null);
    return { ok: false, error: describeFailure({ code: res.code, ...(details !== null ? { codespace: details.codespace } : {}), log: res.rawLog ?? "" }) };
  } catch (e) {
    return { ok: false, error: shownErrorOf(e) };
  }
}
