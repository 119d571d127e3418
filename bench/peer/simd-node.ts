/**
 * A one-validator simd chain set up with the devnet's settings, so that the two chains of
 * `npm run bench -- peer` differ only where they cannot be made equal (docs/benchmarks.md):
 *   - config.toml: the devnet's own `configureCometbft` (timeouts, mempool, RPC limits, indexer,
 *     log level), on reserved ports; CometBFT's pprof server off (`simd init` turns it on);
 *   - genesis: one validator with the devnet's balance and self-delegation, a faucet account with
 *     the devnet's balance, the devnet's block max_bytes and max_gas;
 *   - app.toml: the devnet's minimum gas price (in simd's denom), REST and gRPC-web off, gRPC on,
 *     telemetry off, no app-side mempool (CometBFT's mempool alone, as on the devnet).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Bip39, Random } from "@cosmjs/crypto";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { editToml } from "../../src/localnet/cometbft";
import {
  DEVNET_ACCOUNT_BALANCE,
  DEVNET_BLOCK_MAX_BYTES,
  DEVNET_BLOCK_MAX_GAS,
  DEVNET_MIN_GAS_PRICES,
  DEVNET_SELF_DELEGATION,
  configureCometbft,
  devnetPaths,
  fetchStatus,
  type TomlSettings,
} from "../../src/localnet/devnet";
import { pollUntil, spawnLogged, stopChild, type LoggedChild, type PortReservation } from "../../src/localnet/proc";

export const SIMD_CHAIN_ID = "simd-bench-1";
export const SIMD_DENOM = "stake";
export const SIMD_PREFIX = "cosmos";

export interface SimdPorts {
  readonly rpc: number;
  readonly p2p: number;
  /** config.toml's proxy_app (unused: simd runs CometBFT in process). */
  readonly abci: number;
  readonly grpc: number;
  /** The REST server's address (it is off). */
  readonly api: number;
}

export interface SimdHome {
  readonly home: string;
  readonly rpc: string;
  readonly faucetMnemonic: string;
}

/** The number of the devnet's minimum gas price ("0.025udcert" → "0.025"). */
export function devnetGasPriceAmount(): string {
  const m = /^([0-9.]+)/.exec(DEVNET_MIN_GAS_PRICES);
  if (m?.[1] === undefined) throw new Error(`cannot read a gas price from ${DEVNET_MIN_GAS_PRICES}`);
  return m[1];
}

function simdCmd(bin: string, args: readonly string[]): string {
  try {
    return execFileSync(bin, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
  } catch (e) {
    const err = e as { stderr?: unknown; message?: string };
    const detail = typeof err.stderr === "string" && err.stderr.trim() !== "" ? err.stderr.trim() : (err.message ?? String(e));
    throw new Error(`simd ${args.join(" ")} failed: ${detail}`);
  }
}

/** Sets block max_bytes / max_gas in an SDK v0.50 genesis (`consensus.params.block`). */
export function withDevnetBlockLimits(genesis: Record<string, unknown>): Record<string, unknown> {
  const consensus = (genesis["consensus"] ?? {}) as Record<string, unknown>;
  const params = (consensus["params"] ?? {}) as Record<string, unknown>;
  const block = (params["block"] ?? {}) as Record<string, unknown>;
  return {
    ...genesis,
    consensus: { ...consensus, params: { ...params, block: { ...block, max_bytes: String(DEVNET_BLOCK_MAX_BYTES), max_gas: String(DEVNET_BLOCK_MAX_GAS) } } },
  };
}

/** A fresh simd home in `home` (deleted first) with the devnet's settings on `ports`. */
export async function initSimdHome(bin: string, home: string, ports: SimdPorts, comet: TomlSettings = {}, indexEvents?: readonly string[]): Promise<SimdHome> {
  fs.rmSync(home, { recursive: true, force: true });
  const h = ["--home", home];
  const kr = ["--keyring-backend", "test"];
  simdCmd(bin, ["init", "bench", "--chain-id", SIMD_CHAIN_ID, "--default-denom", SIMD_DENOM, ...h]);
  simdCmd(bin, ["keys", "add", "validator", ...kr, ...h, "--output", "json"]);
  // The faucet is a genesis account from a fresh mnemonic (it never needs simd's keyring).
  const faucetMnemonic = Bip39.encode(Random.getBytes(32)).toString();
  const [faucet] = await (await DirectSecp256k1HdWallet.fromMnemonic(faucetMnemonic, { prefix: SIMD_PREFIX })).getAccounts();
  if (faucet === undefined) throw new Error("the faucet wallet derived no account");
  const balance = `${DEVNET_ACCOUNT_BALANCE}${SIMD_DENOM}`;
  simdCmd(bin, ["genesis", "add-genesis-account", "validator", balance, ...kr, ...h]);
  simdCmd(bin, ["genesis", "add-genesis-account", faucet.address, balance, ...kr, ...h]);
  simdCmd(bin, ["genesis", "gentx", "validator", `${DEVNET_SELF_DELEGATION}${SIMD_DENOM}`, "--chain-id", SIMD_CHAIN_ID, ...kr, ...h]);
  simdCmd(bin, ["genesis", "collect-gentxs", ...h]);

  const paths = { ...devnetPaths(home), cometHome: home };
  configureCometbft(paths, { rpc: ports.rpc, p2p: ports.p2p, abci: ports.abci }, { ...comet, rpc: { pprof_laddr: "", ...(comet["rpc"] ?? {}) } });
  const genesisFile = path.join(home, "config", "genesis.json");
  const genesis = JSON.parse(fs.readFileSync(genesisFile, "utf8")) as Record<string, unknown>;
  fs.writeFileSync(genesisFile, `${JSON.stringify(withDevnetBlockLimits(genesis), null, 2)}\n`);
  editToml(path.join(home, "config", "app.toml"), {
    "": { "minimum-gas-prices": `${devnetGasPriceAmount()}${SIMD_DENOM}`, ...(indexEvents === undefined ? {} : { "index-events": indexEvents }) },
    telemetry: { enabled: false },
    api: { enable: false, address: `tcp://127.0.0.1:${ports.api}` },
    grpc: { enable: true, address: `127.0.0.1:${ports.grpc}` },
    "grpc-web": { enable: false },
    mempool: { "max-txs": -1 },
  });
  simdCmd(bin, ["genesis", "validate", genesisFile, ...h]);
  return { home, rpc: `http://127.0.0.1:${ports.rpc}`, faucetMnemonic };
}

/** Starts `simd start` and waits for a block with an app hash. */
export async function startSimd(bin: string, node: SimdHome, ports: SimdPorts, logPath: string, reservation: PortReservation): Promise<LoggedChild> {
  await reservation.unhold([ports.rpc, ports.p2p, ports.grpc, ports.api, ports.abci]);
  const child = await spawnLogged(bin, ["start", "--home", node.home], { label: "simd", logPath });
  try {
    await pollUntil({
      what: `simd's first blocks at ${node.rpc}`,
      check: async () => {
        const s = await fetchStatus(node.rpc);
        return s !== undefined && s.height >= 2 && s.appHash !== "" ? s.height : undefined;
      },
      abort: () => (child.exitStatus() !== undefined ? `simd exited; see ${logPath}` : undefined),
      timeoutMs: 180_000,
      intervalMs: 250,
      hint: `see ${logPath}`,
    });
  } catch (e) {
    await stopSimd(child);
    throw e;
  }
  return child;
}

export async function stopSimd(child: LoggedChild): Promise<void> {
  if (child.exitStatus() === undefined) await stopChild(child, "SIGTERM", 60_000);
}
