/**
 * The connection to a node: CometBFT's RPC (queries through the dCERT client, and its websocket
 * for new blocks) and the REST URL. Where they come from, first found: the page's query string
 * (`?rpc=…&rest=…`), then `config.json` next to the app (written by `dcertd devnet` when it serves
 * the app), then the devnet's defaults.
 */
import { signal } from "@preact/signals";
import { DcertClient } from "@dcert/client";

export interface NodeConfig {
  readonly rpc: string;
  readonly rest: string;
  readonly chainId?: string;
  /** The gas price fees are paid at, e.g. "0.025udcert" (at least the nodes' minimum). */ readonly gasPrice?: string;
  /** Devnet only: mnemonics of the development accounts, offered by the development wallet. */
  readonly devAccounts?: readonly { readonly name: string; readonly mnemonic: string }[];
}

export const DEFAULT_CONFIG: NodeConfig = { rpc: "http://127.0.0.1:26657", rest: "http://127.0.0.1:1317" };

export async function loadConfig(search: string = window.location.search): Promise<NodeConfig> {
  const params = new URLSearchParams(search);
  let file: Partial<NodeConfig> = {};
  try {
    const res = await fetch("./config.json", { cache: "no-store" });
    if (res.ok) file = (await res.json()) as Partial<NodeConfig>;
  } catch {
    // served without a config.json: the defaults apply
  }
  return {
    ...DEFAULT_CONFIG,
    ...file,
    ...(params.get("rpc") ? { rpc: params.get("rpc") as string } : {}),
    ...(params.get("rest") ? { rest: params.get("rest") as string } : {}),
  };
}

/** The latest block height seen (from the websocket, else polling); views re-read on change. */
export const height = signal<number>(0);
export const config = signal<NodeConfig | undefined>(undefined);
export const client = signal<DcertClient | undefined>(undefined);
export const connectError = signal<string | undefined>(undefined);

/** Connects and follows new blocks (websocket `NewBlock`, with polling as the fallback). */
export async function connect(cfg: NodeConfig): Promise<void> {
  config.value = cfg;
  try {
    const c = await DcertClient.connect(cfg.rpc);
    client.value = c;
    height.value = await c.getHeight();
  } catch (e) {
    connectError.value = `cannot reach the node's RPC at ${cfg.rpc}: ${e instanceof Error ? e.message : String(e)}`;
    return;
  }
  followBlocks(cfg.rpc);
}

function followBlocks(rpc: string): void {
  const url = `${rpc.replace(/^http/, "ws")}/websocket`;
  let ws: WebSocket;
  try {
    ws = new WebSocket(url);
  } catch {
    poll();
    return;
  }
  ws.onopen = () => {
    ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "subscribe", params: { query: "tm.event='NewBlock'" } }));
  };
  ws.onmessage = (m: MessageEvent<string>) => {
    const msg = JSON.parse(m.data) as { result?: { data?: { value?: { block?: { header?: { height?: string } } } } } };
    const h = msg.result?.data?.value?.block?.header?.height;
    if (h !== undefined) height.value = Number(h);
  };
  ws.onclose = () => setTimeout(() => followBlocks(rpc), 2_000);
}

function poll(): void {
  setInterval(() => {
    void client.value?.getHeight().then((h) => (height.value = h));
  }, 2_000);
}
