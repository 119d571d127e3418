/**
 * `dcertd chain-info`: the documents wallets, explorers and the Cosmos chain registry read about a
 * chain, built from a running node. It reads CometBFT's `/status` and `/abci_info` and, through
 * `abci_query`, the staking params (bond denom, unbonding time) and the bank denom metadata, and
 * writes:
 *
 * - `chain.json` and `assetlist.json` in the chain-registry's format (cosmos/chain-registry
 *   chain.schema.json, assetlist.schema.json);
 * - `keplr-chain-info.json`, the ChainInfo Keplr's and Leap's `experimentalSuggestChain` take
 *   (rpc, rest, bip44, bech32Config, currencies, feeCurrencies with gasPriceStep, stakeCurrency).
 *
 * The node's own URLs cannot be learnt from it, so the published ones come from flags: the RPC is
 * --node unless --rpc says otherwise, the REST and gRPC endpoints --rest and --grpc. The ChainInfo
 * itself is built by src/types/chaininfo.ts, which the web app's wallet connection shares.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { QueryDenomsMetadataRequest, QueryDenomsMetadataResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { QueryParamsRequest as StakingParamsRequest, QueryParamsResponse as StakingParamsResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { parseCanonicalDec } from "../baseapp/coins";
import { fromBase64, toHex } from "../baseapp/encoding";
import { BECH32_PREFIX } from "../baseapp/tx/constants";
import { chainInfo, SLIP44_COIN_TYPE, type ChainInfo, type TokenInfo } from "../types/chaininfo";
import { UsageError, stringFlag, type Command, type ParsedArgs } from "./args";
import { CliError } from "./cmdtree";
import { NODE_ENV, NODE_FLAG, resolveNode } from "./clientenv";
import { emit, kvTable, OUTPUT_FLAG, type Json } from "./output";
import { httpRpcGet, type RpcGet } from "./status";

/** chain.json's slip44, the same coin type the shared ChainInfo builder publishes. */
export { SLIP44_COIN_TYPE };
export const DEFAULT_REST = "http://127.0.0.1:1317";
export const DEFAULT_GRPC = "127.0.0.1:9090";
/** Low, average and high gas prices of the fee token; low is the devnet's minimum gas price. */
export const DEFAULT_GAS_PRICE_STEP = "0.025,0.03,0.04";
export const DEFAULT_CHAIN_NAME = "dcert";
export const DEFAULT_PRETTY_NAME = "dCERT";
export const CHAIN_INFO_FILES = ["chain.json", "assetlist.json", "keplr-chain-info.json"] as const;

export type NetworkType = "mainnet" | "testnet" | "devnet";

/** What chain-info learns from the node. */
export interface ChainFacts {
  readonly chainId: string;
  /** CometBFT's version (`/status` node_info.version), e.g. "0.38.17". */
  readonly cometbftVersion: string;
  /** The app's version (`/abci_info` response.version). */
  readonly appVersion: string;
  readonly bondDenom: string;
  readonly unbondingSeconds: bigint;
  /** Every denom's bank metadata, in base denom order. */
  readonly metadata: readonly Metadata[];
}

/** What the documents publish: endpoints, names and gas prices (decimal strings). */
export interface PublishOptions {
  readonly rpc: string;
  readonly rest: string;
  readonly grpc: string;
  readonly chainName: string;
  readonly prettyName: string;
  readonly networkType: NetworkType;
  readonly gasPriceStep: { readonly low: string; readonly average: string; readonly high: string };
}

type Doc = { [key: string]: Json };

/** A token as wallets show it: the display unit's exponent and the symbol. */
interface Token {
  readonly metadata: Metadata;
  readonly decimals: number;
}

/**
 * The metadata of `denom`, or, for a denom the chain describes nowhere, a stand-in with only the
 * base unit (the wallets then show base units).
 */
function tokenOf(facts: ChainFacts, denom: string): Token {
  const found = facts.metadata.find((m) => m.base === denom);
  const metadata: Metadata = found ?? {
    description: "",
    denomUnits: [{ denom, exponent: 0, aliases: [] }],
    base: denom,
    display: denom,
    name: denom,
    symbol: denom.toUpperCase(),
    uri: "",
    uriHash: "",
  };
  const decimals = metadata.denomUnits.find((u) => u.denom === metadata.display)?.exponent ?? 0;
  return { metadata, decimals };
}

/** The JSON number of a canonical decimal string (documents only; never chain arithmetic). */
function price(s: string): number {
  return Number(s);
}

/** The chain-registry's `chain.json`. */
export function chainRegistryChain(facts: ChainFacts, opts: PublishOptions): Doc {
  const fee = opts.gasPriceStep;
  const consensusVersion = facts.cometbftVersion.replace(/^v/, "");
  const codebase: Doc = {
    ...(facts.appVersion !== "" ? { recommended_version: facts.appVersion } : {}),
    language: { type: "other" },
    ...(/^\d+(\.\d+){0,2}$/.test(consensusVersion) ? { consensus: { type: "cometbft", version: consensusVersion } } : { consensus: { type: "cometbft" } }),
  };
  return {
    $schema: "../chain.schema.json",
    chain_name: opts.chainName,
    chain_type: "cosmos",
    chain_id: facts.chainId,
    pretty_name: opts.prettyName,
    status: "live",
    network_type: opts.networkType,
    bech32_prefix: BECH32_PREFIX,
    daemon_name: "dcertd",
    node_home: "$HOME/.dcertd",
    key_algos: ["secp256k1"],
    slip44: SLIP44_COIN_TYPE,
    fees: {
      fee_tokens: [
        {
          denom: facts.bondDenom,
          fixed_min_gas_price: price(fee.low),
          low_gas_price: price(fee.low),
          average_gas_price: price(fee.average),
          high_gas_price: price(fee.high),
        },
      ],
    },
    staking: { staking_tokens: [{ denom: facts.bondDenom }], lock_duration: { time: `${facts.unbondingSeconds}s` } },
    codebase,
    apis: {
      rpc: [{ address: opts.rpc }],
      rest: [{ address: opts.rest }],
      grpc: [{ address: opts.grpc }],
    },
  };
}

function assetOf(m: Metadata): Doc {
  return {
    ...(m.description.trim() !== "" ? { description: m.description } : {}),
    denom_units: m.denomUnits.map((u) => ({ denom: u.denom, exponent: u.exponent, ...(u.aliases.length > 0 ? { aliases: [...u.aliases] } : {}) })),
    type_asset: "sdk.coin",
    base: m.base,
    name: m.name,
    display: m.display,
    symbol: m.symbol,
  };
}

/** The chain-registry's `assetlist.json`: the staking token first, then every other described denom. */
export function chainRegistryAssetList(facts: ChainFacts, opts: PublishOptions): Doc {
  const stake = tokenOf(facts, facts.bondDenom).metadata;
  const others = facts.metadata.filter((m) => m.base !== facts.bondDenom);
  return { $schema: "../assetlist.schema.json", chain_name: opts.chainName, assets: [stake, ...others].map(assetOf) };
}

const tokenInfo = (t: Token): TokenInfo => ({ denom: t.metadata.base, symbol: t.metadata.symbol, decimals: t.decimals });

/**
 * Keplr's (and Leap's) ChainInfo for `experimentalSuggestChain`: the bond denom's token stakes and
 * pays the fees, every other described denom follows it among the currencies.
 */
export function keplrChainInfo(facts: ChainFacts, opts: PublishOptions): ChainInfo {
  const step = opts.gasPriceStep;
  return chainInfo({
    chainId: facts.chainId,
    chainName: opts.prettyName,
    rpc: opts.rpc,
    rest: opts.rest,
    bech32Prefix: BECH32_PREFIX,
    stakeToken: tokenInfo(tokenOf(facts, facts.bondDenom)),
    otherTokens: facts.metadata.filter((m) => m.base !== facts.bondDenom).map((m) => tokenInfo(tokenOf(facts, m.base))),
    gasPriceStep: { low: price(step.low), average: price(step.average), high: price(step.high) },
  });
}

/** The three documents by file name (CHAIN_INFO_FILES). */
export type ChainInfoDocuments = { readonly "chain.json": Doc; readonly "assetlist.json": Doc; readonly "keplr-chain-info.json": ChainInfo };

export function chainInfoDocuments(facts: ChainFacts, opts: PublishOptions): ChainInfoDocuments {
  return {
    "chain.json": chainRegistryChain(facts, opts),
    "assetlist.json": chainRegistryAssetList(facts, opts),
    "keplr-chain-info.json": keplrChainInfo(facts, opts),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the node

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** An ABCI query through CometBFT's `/abci_query`; a refusal is a CliError naming the path. */
async function abciQuery(rpc: RpcGet, node: string, queryPath: string, data: Uint8Array): Promise<Uint8Array> {
  const route = `abci_query?path=${encodeURIComponent(JSON.stringify(queryPath))}&data=0x${toHex(data)}`;
  const res = obj(obj(await rpc(node, route))["response"]);
  const code = Number(res["code"] ?? 0);
  if (code !== 0) {
    throw new CliError(`the node at ${node} refused the query ${queryPath}: ${str(res["log"])} (${str(res["codespace"])}:${code})`, "check that --node points at a dCERT node");
  }
  return fromBase64(str(res["value"]));
}

/** Largest number of metadata pages read (1000 per page). */
const MAX_METADATA_PAGES = 100;

/** Reads the chain facts from the node at `node` through its CometBFT RPC. */
export async function readChainFacts(rpc: RpcGet, node: string): Promise<ChainFacts> {
  const status = obj(await rpc(node, "status"));
  const nodeInfo = obj(status["node_info"]);
  const abci = obj(obj(await rpc(node, "abci_info"))["response"]);
  const chainId = str(nodeInfo["network"]);
  if (chainId === "") throw new CliError(`the node at ${node} did not say its chain id (/status node_info.network)`, `check that --node / $${NODE_ENV} points at a CometBFT RPC endpoint`);
  const params = StakingParamsResponse.decode(await abciQuery(rpc, node, "/cosmos.staking.v1beta1.Query/Params", StakingParamsRequest.encode({}).finish())).params;
  if (params === undefined || params.bondDenom === "") throw new CliError(`the node at ${node} answered the staking params without a bond denom`, "check the node's genesis (staking.params.bond_denom)");
  const metadata: Metadata[] = [];
  let key: Uint8Array = new Uint8Array();
  for (let page = 0; page < MAX_METADATA_PAGES; page++) {
    const req = QueryDenomsMetadataRequest.encode({ pagination: { key, offset: 0n, limit: 1000n, countTotal: false, reverse: false } }).finish();
    const res = QueryDenomsMetadataResponse.decode(await abciQuery(rpc, node, "/cosmos.bank.v1beta1.Query/DenomsMetadata", req));
    metadata.push(...res.metadatas);
    key = res.pagination?.nextKey ?? new Uint8Array();
    if (key.length === 0) break;
  }
  return {
    chainId,
    cometbftVersion: str(nodeInfo["version"]),
    appVersion: str(abci["version"]),
    bondDenom: params.bondDenom,
    unbondingSeconds: params.unbondingTime?.seconds ?? 0n,
    metadata,
  };
}

// ---------------------------------------------------------------------------------------------
// The command

/** Low, average and high from "0.025,0.03,0.04": canonical decimals, not decreasing. */
export function parseGasPriceStep(v: string): PublishOptions["gasPriceStep"] {
  const parts = v.split(",");
  const values = parts.map((p) => parseCanonicalDec(p.trim()));
  const [low, average, high] = values;
  if (parts.length !== 3 || low == null || average == null || high == null) {
    throw new UsageError(`--gas-price-step must be three decimals low,average,high (e.g. ${DEFAULT_GAS_PRICE_STEP}), got "${v}"`);
  }
  if (low > average || average > high) throw new UsageError(`--gas-price-step must not decrease (low ≤ average ≤ high), got "${v}"`);
  const [l = "", a = "", h = ""] = parts.map((p) => p.trim());
  return { low: l, average: a, high: h };
}

function endpointFlag(args: ParsedArgs, name: string, dflt: string, scheme: boolean): string {
  const v = stringFlag(args, name) ?? dflt;
  if (scheme) {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new UsageError(`--${name} must be an http(s) URL such as ${dflt}, got "${v}"`);
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsageError(`--${name} must be an http(s) URL such as ${dflt}, got "${v}"`);
    return v.replace(/\/+$/, "");
  }
  if (!/^[A-Za-z0-9.[\]:-]+:[0-9]{1,5}$/.test(v)) throw new UsageError(`--${name} must be host:port such as ${dflt}, got "${v}"`);
  return v;
}

/** devnet or testnet when the chain id says so, else mainnet. */
export function guessNetworkType(chainId: string): NetworkType {
  if (/devnet|localnet|local/i.test(chainId)) return "devnet";
  if (/testnet|test/i.test(chainId)) return "testnet";
  return "mainnet";
}

/** The publish options from the flags; the network type stays open when not given. */
function publishOptions(args: ParsedArgs, node: string): Omit<PublishOptions, "networkType"> & { networkType: NetworkType | undefined } {
  const chainName = stringFlag(args, "chain-name") ?? DEFAULT_CHAIN_NAME;
  if (!/^[a-z0-9]+$/.test(chainName)) throw new UsageError(`--chain-name must be lowercase letters and digits (the registry's directory name), got "${chainName}"`);
  const prettyName = stringFlag(args, "pretty-name") ?? DEFAULT_PRETTY_NAME;
  if (prettyName.trim() === "") throw new UsageError("--pretty-name must not be blank");
  const network = stringFlag(args, "network-type");
  if (network !== undefined && network !== "mainnet" && network !== "testnet" && network !== "devnet") {
    throw new UsageError(`--network-type must be mainnet, testnet or devnet, got "${network}"`);
  }
  return {
    rpc: endpointFlag(args, "rpc", node, true),
    rest: endpointFlag(args, "rest", DEFAULT_REST, true),
    grpc: endpointFlag(args, "grpc", DEFAULT_GRPC, false),
    chainName,
    prettyName,
    networkType: network,
    gasPriceStep: parseGasPriceStep(stringFlag(args, "gas-price-step") ?? DEFAULT_GAS_PRICE_STEP),
  };
}

/** Writes the documents into `dir` (created if missing); returns the paths written. */
export function writeChainInfo(dir: string, docs: Readonly<Record<string, object>>): string[] {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CliError(`cannot create the directory ${dir} (${e instanceof Error ? e.message : String(e)})`, "choose another --out directory");
  }
  return Object.entries(docs).map(([name, doc]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    return file;
  });
}

export function makeChainInfoCommand(deps: { rpc: RpcGet } = { rpc: httpRpcGet }): Command {
  return {
    name: "chain-info",
    summary: "chain-registry chain.json + assetlist.json and a Keplr/Leap ChainInfo, read from a running node",
    details: [
      "Reads the node at --node (CometBFT RPC): chain id, versions, staking params and bank denom metadata.",
      `Writes ${CHAIN_INFO_FILES.join(", ")} into --out DIR (created if missing).`,
      "The endpoints published are --rpc (default: --node), --rest and --grpc: give the public URLs clients should use.",
      "-o json prints {\"chain.json\": …, \"assetlist.json\": …, \"keplr-chain-info.json\": …}.",
    ],
    shorts: true,
    flags: [
      NODE_FLAG,
      { name: "out", valueName: "dir", description: "directory to write the three JSON files into (nothing is written without it)" },
      { name: "rpc", valueName: "url", description: "the public CometBFT RPC URL to publish", defaultText: "--node" },
      { name: "rest", valueName: "url", description: "the public REST (API) URL to publish", defaultText: DEFAULT_REST },
      { name: "grpc", valueName: "host:port", description: "the public gRPC endpoint to publish", defaultText: DEFAULT_GRPC },
      { name: "chain-name", valueName: "name", description: "the chain-registry name (lowercase letters and digits)", defaultText: DEFAULT_CHAIN_NAME },
      { name: "pretty-name", valueName: "name", description: "the name wallets show", defaultText: DEFAULT_PRETTY_NAME },
      { name: "network-type", valueName: "type", description: "mainnet, testnet or devnet", defaultText: "from the chain id" },
      { name: "gas-price-step", valueName: "low,average,high", description: "gas prices of the fee token (low = the nodes' minimum)", defaultText: DEFAULT_GAS_PRICE_STEP },
      OUTPUT_FLAG,
    ],
    async run(args) {
      if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ""}"`);
      const node = resolveNode(args);
      const given = publishOptions(args, node);
      const facts = await readChainFacts(deps.rpc, node);
      const docs = chainInfoDocuments(facts, { ...given, networkType: given.networkType ?? guessNetworkType(facts.chainId) });
      const out = stringFlag(args, "out");
      const written = out === undefined ? [] : writeChainInfo(out, docs);
      const stake = tokenOf(facts, facts.bondDenom);
      const rows: [string, Json][] = [
        ["chain_id", facts.chainId],
        ["stake_currency", `${stake.metadata.symbol} (${stake.metadata.base}, ${stake.decimals} decimals)`],
        ["assets", (docs["assetlist.json"]["assets"] as Json[]).length],
        ["written", written.length > 0 ? written.join(", ") : "nothing (give --out DIR)"],
      ];
      emit(args, docs as unknown as Json, kvTable(rows));
      return 0;
    },
  };
}

export const chainInfoCommand = makeChainInfoCommand();
