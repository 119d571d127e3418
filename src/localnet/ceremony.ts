/**
 * The genesis ceremony for validators on separate machines (docs/testnet.md walks through it), as
 * a library: the `dcertd init` and `dcertd genesis …` commands (src/cli/genesis.ts) are thin
 * wrappers around these steps, and `dcertd testnet init` runs them for N local validators.
 *
 *   initNodeHome         a node home: CometBFT keys and config, a genesis template    (init)
 *   addAccountToGenesis  fund an account in genesis (the coordinator, for everyone)  (add-account)
 *   createGentx          a validator signs its MsgCreateValidator (gentx file)       (gentx)
 *   collectGentxs        the coordinator puts every gentx into genesis, sets peers   (collect-gentxs)
 *   validateGenesisDoc   every module's checks plus a dry-run InitChain              (validate)
 *
 * A node home has the devnet's layout: `<home>/cometbft` (CometBFT home: config/, data/),
 * `<home>/app` (the app's data, for `dcertd start --home <home>/app`), and `<home>/gentx/`.
 */
import type { RequestInitChain } from "cosmjs-types/tendermint/abci/types";
import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { stringToPath } from "@cosmjs/crypto";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { Coin } from "../baseapp/coins";
import { parseRfc3339 as parseTime } from "../baseapp/time";
import { genesisTemplate, type AppState, type GenesisProfile } from "../app/genesis";
import {
  addGenesisAccount,
  bondDenom,
  genesisBalance,
  hasGenesisAccount,
  setGenTxs,
} from "../x/genutil/ceremony";
import {
  buildGentx,
  gentxFile,
  parseGentxFile,
  peerFromMemo,
  summarizeGentx,
  type GentxSummary,
} from "../x/genutil/gentx";
import { parseGenutilGenesis } from "../x/genutil/genesis";
import { createApp } from "../app/node";
import { POWER_REDUCTION } from "../x/staking/keeper";
import { MemoryCommitStore } from "../baseapp/store/memory";
import { isValidAddress } from "../baseapp/tx/address";
import { BECH32_PREFIX } from "../baseapp/tx/constants";
import { cometbftInit, DevnetError, editToml, getTomlValue, portOfAddress, readValidatorPubkey } from "./cometbft";
import {
  cometConfigFile,
  configureCometbft,
  DEFAULT_DEVNET_PORTS,
  DEVNET_BLOCK_MAX_BYTES,
  DEVNET_BLOCK_MAX_GAS,
  devnetPaths,
  VOTE_EXTENSIONS_ENABLE_HEIGHT,
  type DevnetPaths,
  type DevnetPorts,
  type TomlSettings,
} from "./devnet";

// ---------------------------------------------------------------------------------------------
// genesis.json and node-home helpers

export interface GenesisDoc extends Record<string, unknown> {
  genesis_time: string;
  chain_id: string;
  app_state: AppState;
}

export function genesisFile(home: string): string {
  return path.join(devnetPaths(home).cometHome, "config", "genesis.json");
}

export function readGenesisDoc(file: string): GenesisDoc {
  if (!fs.existsSync(file)) throw new DevnetError(`${file} does not exist; run "dcertd init --home <dir>" first`);
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new DevnetError(`${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new DevnetError(`${file}: expected a JSON object`);
  const d = doc as Record<string, unknown>;
  if (typeof d["chain_id"] !== "string" || d["chain_id"] === "") throw new DevnetError(`${file}: chain_id is missing`);
  if (typeof d["genesis_time"] !== "string") throw new DevnetError(`${file}: genesis_time is missing`);
  const appState = d["app_state"];
  if (typeof appState !== "object" || appState === null || Array.isArray(appState)) throw new DevnetError(`${file}: app_state is missing`);
  return d as GenesisDoc;
}

export function writeGenesisDoc(file: string, doc: GenesisDoc): void {
  fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
}

/** CometBFT's node ID: hex of the first 20 bytes of SHA-256 of the node's ed25519 public key. */
export function readNodeId(cometHome: string): string {
  const file = path.join(cometHome, "config", "node_key.json");
  const key = JSON.parse(fs.readFileSync(file, "utf8")) as { priv_key?: { type?: string; value?: string } };
  if (key.priv_key?.type !== "tendermint/PrivKeyEd25519" || typeof key.priv_key.value !== "string") {
    throw new DevnetError(`${file} does not hold an ed25519 node key`);
  }
  const priv = Buffer.from(key.priv_key.value, "base64");
  if (priv.length !== 64) throw new DevnetError(`${file}: an ed25519 private key is 64 bytes, got ${priv.length}`);
  return createHash("sha256").update(priv.subarray(32)).digest().subarray(0, 20).toString("hex");
}

function configToml(paths: DevnetPaths): string {
  return fs.readFileSync(cometConfigFile(paths.cometHome), "utf8");
}

/** CometBFT's RFC 3339 (genesis_time, block times) → protobuf Timestamp (baseapp/time.ts, "ecmascript" rules). */
export function parseRfc3339(s: string): Timestamp {
  const r = parseTime(s, "ecmascript");
  if (r.ok) return r.time;
  if (r.refusal === "syntax") throw new DevnetError(`genesis_time ${JSON.stringify(s)} is not an RFC 3339 time`);
  throw new DevnetError(`genesis_time ${JSON.stringify(s)} is not a valid time`);
}

// ---------------------------------------------------------------------------------------------
// dcertd init

export const DEFAULT_GENESIS_CHAIN_ID = "dcert-testnet-1";

export interface InitNodeOptions {
  readonly home: string;
  readonly moniker: string;
  readonly chainId: string;
  readonly cometbftBin: string;
  /** "devnet": the devnet's short periods and dCERT params; "default": every module's defaults. */
  readonly profile: GenesisProfile;
  readonly ports?: DevnetPorts;
  /** Where CometBFT's P2P port listens (127.0.0.1 by default; 0.0.0.0 for peers on other machines). */
  readonly p2pHost?: string;
  /** More config.toml settings (testnets add persistent peers). */
  readonly config?: TomlSettings;
}

export interface InitNodeResult {
  readonly paths: DevnetPaths;
  readonly nodeId: string;
  readonly consensusPubkey: string;
}

/** config.toml settings for a node of a multi-validator network. */
export function nodeConfig(moniker: string, ports: DevnetPorts, p2pHost: string, extra: TomlSettings = {}): TomlSettings {
  return {
    ...extra,
    "": { moniker, ...(extra[""] ?? {}) },
    p2p: { laddr: `tcp://${p2pHost}:${ports.p2p}`, ...(extra["p2p"] ?? {}) },
  };
}

/**
 * `dcertd init`: a fresh node home with CometBFT's keys and config and a genesis whose app_state
 * has no accounts and no validators (CometBFT's `validators` is left empty: InitChain's answer,
 * from the gentxs, defines them).
 */
export function initNodeHome(opts: InitNodeOptions): InitNodeResult {
  const paths = devnetPaths(opts.home);
  const file = genesisFile(opts.home);
  if (fs.existsSync(file)) throw new DevnetError(`${opts.home} is already initialized (${file} exists); choose another --home`);
  fs.mkdirSync(paths.appHome, { recursive: true });
  cometbftInit(opts.cometbftBin, paths.cometHome);
  const generated = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown> & { consensus_params?: Record<string, unknown> };
  const doc: GenesisDoc = {
    genesis_time: String(generated["genesis_time"]),
    chain_id: opts.chainId,
    initial_height: "1",
    consensus_params: {
      ...(generated.consensus_params ?? {}),
      block: { max_bytes: String(DEVNET_BLOCK_MAX_BYTES), max_gas: String(DEVNET_BLOCK_MAX_GAS) },
      abci: { vote_extensions_enable_height: VOTE_EXTENSIONS_ENABLE_HEIGHT },
    },
    validators: [],
    app_hash: "",
    app_state: genesisTemplate(opts.profile),
  };
  writeGenesisDoc(file, doc);
  const ports = opts.ports ?? DEFAULT_DEVNET_PORTS;
  configureCometbft(paths, ports, nodeConfig(opts.moniker, ports, opts.p2pHost ?? "127.0.0.1", opts.config));
  return { paths, nodeId: readNodeId(paths.cometHome), consensusPubkey: readValidatorPubkey(paths.cometHome) };
}

// ---------------------------------------------------------------------------------------------
// dcertd genesis add-account

export function addAccountToGenesis(home: string, address: string, coins: readonly Coin[], append = false): void {
  if (!isValidAddress(address, BECH32_PREFIX)) throw new DevnetError(`${address} is not a ${BECH32_PREFIX}1… account address`);
  const file = genesisFile(home);
  const doc = readGenesisDoc(file);
  try {
    addGenesisAccount(doc.app_state, address, coins, append);
  } catch (e) {
    throw new DevnetError(e instanceof Error ? e.message : String(e));
  }
  writeGenesisDoc(file, doc);
}

// ---------------------------------------------------------------------------------------------
// dcertd genesis gentx

export interface CreateGentxOptions {
  readonly home: string;
  readonly mnemonic: string;
  /** HD path of the operator key (default m/44'/118'/0'/0/0, as keys from the keyring record it). */
  readonly hdPath?: string;
  readonly amount: Coin;
  readonly moniker?: string;
  /** The host other validators reach this node's P2P port at (goes into the memo). */
  readonly ip?: string;
  /** Default: `<home>/gentx/gentx-<node id>.json`. */
  readonly output?: string;
}

export interface CreatedGentx {
  readonly file: string;
  readonly summary: GentxSummary;
  readonly nodeId: string;
}

/**
 * Signs this node's gentx: a MsgCreateValidator for the mnemonic's first account with the node's
 * consensus key and the given self-delegation, memo `<node id>@<ip>:<p2p port>`. Checks first that
 * the account is funded in this home's genesis, and afterwards that the gentx runs in a dry-run
 * InitChain of that genesis.
 */
export async function createGentx(opts: CreateGentxOptions): Promise<CreatedGentx> {
  const paths = devnetPaths(opts.home);
  const doc = readGenesisDoc(genesisFile(opts.home));
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(opts.mnemonic.trim().split(/\s+/).join(" "), {
    prefix: BECH32_PREFIX,
    ...(opts.hdPath === undefined ? {} : { hdPaths: [stringToPath(opts.hdPath)] }),
  });
  const [account] = await wallet.getAccounts();
  if (account === undefined) throw new DevnetError("the mnemonic derived no account");
  const operator = account.address;
  const denom = bondDenom(doc.app_state);
  if (opts.amount.denom !== denom) throw new DevnetError(`the self-delegation must be in the bond denom ${denom}, got ${opts.amount.denom}`);
  if (!hasGenesisAccount(doc.app_state, operator)) {
    throw new DevnetError(`${operator} has no account in ${genesisFile(opts.home)}; add it first: dcertd genesis add-account ${operator} <coins> --home ${opts.home}`);
  }
  const balance = genesisBalance(doc.app_state, operator, denom);
  if (balance < opts.amount.amount) {
    throw new DevnetError(`${operator} has ${balance}${denom} in genesis, less than the self-delegation ${opts.amount.amount}${denom}`);
  }
  const text = configToml(paths);
  const p2pPort = portOfAddress(getTomlValue(text, "p2p", "laddr"));
  if (p2pPort === undefined) throw new DevnetError(`cannot read the P2P port from ${cometConfigFile(paths.cometHome)}`);
  const nodeId = readNodeId(paths.cometHome);
  const moniker = opts.moniker ?? getTomlValue(text, "", "moniker") ?? "validator";
  const raw = await buildGentx({
    chainId: doc.chain_id,
    signer: wallet,
    operator,
    consensusPubkeyBase64: readValidatorPubkey(paths.cometHome),
    selfDelegation: opts.amount,
    moniker,
    memo: `${nodeId}@${opts.ip ?? "127.0.0.1"}:${p2pPort}`,
  });
  // Dry run against this home's genesis: catches a wrong chain-id, key or balance now, not at launch.
  const trial: GenesisDoc = JSON.parse(JSON.stringify(doc)) as GenesisDoc;
  setGenTxs(trial.app_state, [raw]);
  dryRunInitChain(trial);
  const file = opts.output ?? path.join(opts.home, "gentx", `gentx-${nodeId}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(gentxFile(doc.chain_id, nodeId, raw), null, 2)}\n`);
  return { file, summary: summarizeGentx(raw), nodeId };
}

// ---------------------------------------------------------------------------------------------
// dcertd genesis collect-gentxs

export interface CollectedGentxs {
  readonly gentxs: readonly (GentxSummary & { readonly file: string; readonly nodeId: string })[];
  /** `id@host:port` of every gentx's node except this home's own. */
  readonly peers: readonly string[];
  readonly validation: GenesisValidation;
}

/**
 * Reads every `*.json` gentx in `gentxDir` (in file-name order), checks each (summary matches its
 * bytes, chain-id, funded delegator, no duplicate operator, key or node), writes them into this
 * home's genesis, sets this node's `persistent_peers` from their memos and validates the result.
 */
export function collectGentxs(home: string, gentxDir: string = path.join(home, "gentx")): CollectedGentxs {
  const file = genesisFile(home);
  const doc = readGenesisDoc(file);
  if (!fs.existsSync(gentxDir)) throw new DevnetError(`${gentxDir} does not exist; put the validators' gentx-*.json files there`);
  const names = fs.readdirSync(gentxDir).filter((n) => n.endsWith(".json")).sort();
  if (names.length === 0) throw new DevnetError(`${gentxDir} holds no gentx *.json files`);
  const denom = bondDenom(doc.app_state);
  const ownId = readNodeId(devnetPaths(home).cometHome);
  const out: (GentxSummary & { file: string; nodeId: string })[] = [];
  const raws: Uint8Array[] = [];
  const seen = new Map<string, string>();
  const once = (key: string, what: string, name: string): void => {
    const prev = seen.get(key);
    if (prev !== undefined) throw new DevnetError(`${name} and ${prev} have the same ${what}; each validator signs one gentx`);
    seen.set(key, name);
  };
  for (const name of names) {
    const full = path.join(gentxDir, name);
    let parsed: ReturnType<typeof parseGentxFile>;
    try {
      parsed = parseGentxFile(JSON.parse(fs.readFileSync(full, "utf8")), name);
    } catch (e) {
      throw new DevnetError(`${full}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const s = parsed.summary;
    if (parsed.chainId !== doc.chain_id) throw new DevnetError(`${name} was signed for chain-id ${parsed.chainId}, but genesis is ${doc.chain_id}`);
    if (s.selfDelegation.denom !== denom) throw new DevnetError(`${name} self-delegates ${s.selfDelegation.denom}, but the bond denom is ${denom}`);
    if (!hasGenesisAccount(doc.app_state, s.delegatorAddress)) {
      throw new DevnetError(`${name}: ${s.delegatorAddress} has no genesis account; run dcertd genesis add-account ${s.delegatorAddress} <coins> first`);
    }
    once(`op:${s.validatorAddress}`, "operator", name);
    once(`key:${s.consensusPubkey}`, "consensus key", name);
    once(`node:${parsed.nodeId}`, "node id", name);
    out.push({ ...s, file: full, nodeId: parsed.nodeId });
    raws.push(parsed.raw);
  }
  setGenTxs(doc.app_state, raws);
  const validation = validateGenesisDoc(doc);
  writeGenesisDoc(file, doc);
  const peers = out
    .map((g) => peerFromMemo(g.memo))
    .filter((p): p is NonNullable<typeof p> => p !== undefined && p.nodeId !== ownId)
    .map((p) => `${p.nodeId}@${p.host}:${p.port}`);
  setPersistentPeers(home, peers);
  return { gentxs: out, peers, validation };
}

// ---------------------------------------------------------------------------------------------
// dcertd genesis validate

export interface GenesisValidation {
  readonly chainId: string;
  readonly genesisTime: string;
  /** Accounts other than module accounts. */
  readonly accounts: number;
  readonly validators: readonly { readonly moniker: string; readonly operator: string; readonly power: bigint }[];
  readonly appHash: string;
}

/**
 * Runs InitChain on a throwaway in-memory app: every module validates and imports its section and
 * the gentxs run, exactly as on the node. Throws on any problem; returns what the chain starts with.
 */
/** CometBFT v0.38's DefaultConsensusParams, the parts the app reads. */
const COMETBFT_DEFAULT_CONSENSUS_PARAMS = {
  block: { maxBytes: 22020096n, maxGas: -1n },
  evidence: { maxAgeNumBlocks: 100_000n, maxAgeDuration: { seconds: 172_800n, nanos: 0 }, maxBytes: 1_048_576n },
  abci: { voteExtensionsEnableHeight: 0n },
};

/**
 * The consensus params of a genesis doc as CometBFT passes them to InitChain: block.max_gas,
 * abci.vote_extensions_enable_height and the evidence section matter to the app (all are stored at
 * InitChain). A genesis without consensus_params gets CometBFT's defaults, as CometBFT gives them.
 */
export function consensusParamsOf(genesis: GenesisDoc): Pick<RequestInitChain, "consensusParams"> {
  const cp = genesis["consensus_params"] as
    | {
        block?: { max_bytes?: unknown; max_gas?: unknown };
        evidence?: { max_age_num_blocks?: unknown; max_age_duration?: unknown; max_bytes?: unknown };
        abci?: { vote_extensions_enable_height?: unknown };
      }
    | undefined;
  if (cp === undefined || cp === null) return { consensusParams: COMETBFT_DEFAULT_CONSENSUS_PARAMS };
  const block = cp.block;
  const evidence = cp.evidence;
  const veEnable = cp.abci?.vote_extensions_enable_height;
  const int = (v: unknown, fallback: bigint): bigint => (typeof v === "string" && /^-?[0-9]+$/.test(v) ? BigInt(v) : typeof v === "number" && Number.isSafeInteger(v) ? BigInt(v) : fallback);
  // max_age_duration is a Go time.Duration: nanoseconds.
  const maxAgeNanos = evidence === undefined ? 0n : int(evidence.max_age_duration, 172_800_000_000_000n);
  return {
    consensusParams: {
      ...(block === undefined ? {} : { block: { maxBytes: int(block.max_bytes, 22020096n), maxGas: int(block.max_gas, -1n) } }),
      ...(evidence === undefined
        ? {}
        : {
            evidence: {
              maxAgeNumBlocks: int(evidence.max_age_num_blocks, 100_000n),
              maxAgeDuration: { seconds: maxAgeNanos / 1_000_000_000n, nanos: Number(maxAgeNanos % 1_000_000_000n) },
              maxBytes: int(evidence.max_bytes, 1_048_576n),
            },
          }),
      ...(veEnable === undefined ? {} : { abci: { voteExtensionsEnableHeight: int(veEnable, 0n) } }),
    },
  };
}

export function dryRunInitChain(doc: GenesisDoc): GenesisValidation {
  const app = createApp({ store: new MemoryCommitStore() });
  const known = new Set(app.modules.map((m) => m.name));
  const unknown = Object.keys(doc.app_state).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new DevnetError(`app_state has sections for no module of this app: ${unknown.join(", ")}`);
  const cometValidators = Array.isArray(doc["validators"]) ? (doc["validators"] as unknown[]) : [];
  let res;
  try {
    res = app.initChain({
      time: parseRfc3339(doc.genesis_time),
      chainId: doc.chain_id,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(doc.app_state)),
      initialHeight: BigInt(String(doc["initial_height"] ?? "1")) || 1n,
      // As CometBFT will pass them, so the app hash reported here is the chain's.
      ...consensusParamsOf(doc),
    });
  } catch (e) {
    throw new DevnetError(`InitChain would fail: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (res.validators.length === 0 && cometValidators.length === 0) {
    throw new DevnetError("genesis has no validators: collect the validators' gentxs first (dcertd genesis collect-gentxs)");
  }
  const exported = app.exportGenesis();
  const staking = exported["staking"] as { validators?: { operator_address: string; tokens: string; description?: { moniker?: string } }[] };
  const auth = exported["auth"] as { accounts?: { "@type"?: string }[] };
  const validators = (staking.validators ?? []).map((v) => ({
    moniker: v.description?.moniker ?? "",
    operator: v.operator_address,
    power: BigInt(v.tokens) / POWER_REDUCTION,
  }));
  return {
    chainId: doc.chain_id,
    genesisTime: doc.genesis_time,
    accounts: (auth.accounts ?? []).filter((a) => a["@type"] !== "/cosmos.auth.v1beta1.ModuleAccount").length,
    validators,
    appHash: Buffer.from(res.appHash).toString("hex").toUpperCase(),
  };
}

/** Structural checks of genesis.json (CometBFT's part) plus the dry-run InitChain. */
export function validateGenesisDoc(doc: GenesisDoc): GenesisValidation {
  if (!/^[a-zA-Z0-9_.-]{1,50}$/.test(doc.chain_id)) throw new DevnetError(`chain_id ${JSON.stringify(doc.chain_id)} must be 1–50 letters, digits, '.', '_' or '-'`);
  const cp = doc["consensus_params"] as { validator?: { pub_key_types?: unknown } } | undefined;
  const types = cp?.validator?.pub_key_types;
  if (Array.isArray(types) && !types.includes("ed25519")) throw new DevnetError("consensus_params.validator.pub_key_types must include ed25519");
  return dryRunInitChain(doc);
}

/** `id@host:port` of every gentx node in `doc` except `ownNodeId`, from the gentx memos. */
export function peersFromGenesis(doc: GenesisDoc, ownNodeId: string): string[] {
  const section = doc.app_state["genutil"] as { gen_txs?: unknown } | undefined;
  return parseGenutilGenesis(section ?? {})
    .genTxs.map((raw) => peerFromMemo(summarizeGentx(raw).memo))
    .filter((p): p is NonNullable<typeof p> => p !== undefined && p.nodeId !== ownNodeId)
    .map((p) => `${p.nodeId}@${p.host}:${p.port}`);
}

/** Sets this node's `persistent_peers`. */
export function setPersistentPeers(home: string, peers: readonly string[]): void {
  editToml(cometConfigFile(devnetPaths(home).cometHome), { p2p: { persistent_peers: peers.join(",") } });
}
