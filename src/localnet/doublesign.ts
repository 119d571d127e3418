/**
 * The classic operator mistake, on purpose: a second node that signs with a copy of testnet
 * validator i's consensus key (`priv_validator_key.json`). It has its own node key, its own ports,
 * its own app (a fresh app home that replays the chain from genesis) and a FRESH
 * `priv_validator_state.json` (height 0), so CometBFT's double-sign protection, which lives in that
 * file, does not stop it: once caught up it signs votes for heights the original already signed,
 * and sooner or later (a round where the two copies see different proposals, or one times out
 * and votes nil) the other validators see two conflicting votes from one validator and CometBFT
 * commits DuplicateVoteEvidence, which reaches the app as `misbehavior` in FinalizeBlock.
 *
 * Used by the double-signing end-to-end test (test/e2e/double-sign.test.ts); never do this with a
 * real validator's key. The copy is launched with the devnet's functions (startApp,
 * startCometbft) from the LaunchOptions `doubleSignerLaunch` returns, and stopped like any node.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cometbftInit, DevnetError } from "./cometbft";
import { nodeConfig, readNodeId } from "./ceremony";
import { configureCometbft, devnetPaths, type DevnetPaths, type DevnetPorts, type DevnetProcesses, type LaunchOptions } from "./devnet";
import type { TestnetInfo } from "./testnet";

/** The double signer's home, ports and identity. */
export interface DoubleSigner {
  /** Index of the testnet validator whose key it copies. */
  readonly validator: number;
  readonly paths: DevnetPaths;
  readonly ports: DevnetPorts;
  /** Its own P2P identity (not the original node's). */
  readonly nodeId: string;
  readonly moniker: string;
  readonly rpc: string;
}

export interface InitDoubleSignerOptions {
  readonly info: TestnetInfo;
  /** The validator (node index) whose consensus key is copied. */
  readonly validator: number;
  /** An empty or missing directory for the copy's home (cometbft/, app/, logs). */
  readonly home: string;
  readonly ports: DevnetPorts;
  readonly cometbftBin: string;
}

/** The state file CometBFT writes before it signs: height 0 = "never signed anything". */
export const FRESH_PRIV_VALIDATOR_STATE = { height: "0", round: 0, step: 0 } as const;

/**
 * Creates the copy's home: `cometbft init` (a new node key), then validator i's
 * `priv_validator_key.json` over the generated one, a fresh `priv_validator_state.json`, the
 * testnet's genesis, and a config.toml with the testnet's settings, the given ports and every
 * testnet node as a persistent peer.
 */
export function initDoubleSigner(o: InitDoubleSignerOptions): DoubleSigner {
  const original = o.info.nodes[o.validator];
  if (original === undefined) throw new DevnetError(`the testnet has no node ${o.validator}`);
  const paths = devnetPaths(o.home);
  if (fs.existsSync(paths.home) && fs.readdirSync(paths.home).length > 0) throw new DevnetError(`${paths.home} is not empty; the double signer needs a fresh home`);
  fs.mkdirSync(paths.appHome, { recursive: true });
  cometbftInit(o.cometbftBin, paths.cometHome);
  const from = path.join(original.home, "cometbft");
  fs.copyFileSync(path.join(from, "config", "priv_validator_key.json"), path.join(paths.cometHome, "config", "priv_validator_key.json"));
  fs.copyFileSync(path.join(from, "config", "genesis.json"), path.join(paths.cometHome, "config", "genesis.json"));
  fs.writeFileSync(path.join(paths.cometHome, "data", "priv_validator_state.json"), `${JSON.stringify(FRESH_PRIV_VALIDATOR_STATE, null, 2)}\n`);
  const moniker = `${original.moniker}-double-signer`;
  const peers = o.info.nodes.map((n) => `${n.nodeId}@127.0.0.1:${n.p2pPort}`).join(",");
  configureCometbft(paths, o.ports, nodeConfig(moniker, o.ports, "127.0.0.1", { p2p: { persistent_peers: peers, flush_throttle_timeout: "10ms" } }));
  return { validator: o.validator, paths, ports: o.ports, nodeId: readNodeId(paths.cometHome), moniker, rpc: `http://127.0.0.1:${o.ports.rpc}` };
}

/** LaunchOptions for the copy (its app runs `dcertdScript`, like the testnet's nodes). */
export function doubleSignerLaunch(
  d: DoubleSigner,
  procs: DevnetProcesses,
  s: { readonly cometbftBin: string; readonly dcertdScript: string; readonly log?: (line: string) => void; readonly blockTimeoutMs?: number },
): LaunchOptions {
  return {
    paths: d.paths,
    ports: d.ports,
    cometbftBin: s.cometbftBin,
    dcertdScript: s.dcertdScript,
    procs,
    detached: false,
    label: d.moniker,
    ...(s.log === undefined ? {} : { log: s.log }),
    ...(s.blockTimeoutMs === undefined ? {} : { blockTimeoutMs: s.blockTimeoutMs }),
  };
}
