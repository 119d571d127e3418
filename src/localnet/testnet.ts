/**
 * N validators on one machine — N CometBFT nodes and N app processes on loopback with distinct
 * ports, one shared genesis built by the real ceremony (ceremony.ts: init per node, add-account,
 * gentx per validator, collect-gentxs, validate). The library behind `dcertd testnet`
 * (src/cli/testnet.ts):
 *
 *   testnet init --validators N --dir DIR      homes DIR/node0…, DIR/gentxs/, DIR/testnet.json
 *   testnet start   [--node i]                 starts (in the background) the nodes not running
 *   testnet stop    [--node i]                 CometBFT first, then the app
 *   testnet status                             height, app hash and peers of each node
 *   testnet replay  [--node i]                 replays the chain into a fresh in-process app
 *   testnet upgrade --name N --binary DIR       restarts nodes on a release once they halted for N
 *
 * Each node home has the devnet's layout (cometbft/, app/, app.log, cometbft.log), so a node is
 * launched by the devnet's own functions (startApp, startCometbft, waitForNewBlock). The
 * background processes' pids are kept in <node home>/app.pid and cometbft.pid.
 * The end-to-end harness (test/e2e/testnet-harness.ts) uses the same init and launch code.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { BECH32_PREFIX, DEFAULT_DENOM } from "../baseapp/tx/constants";
import { accountValoper } from "../x/staking/keeper";
import { DevnetError } from "./cometbft";
import { readUpgradeInfo } from "../app/node";
import type { PlanInfo } from "../x/upgrade/halt";
import {
  configureCometbft,
  DEVNET_ACCOUNT_BALANCE,
  DEVNET_SELF_DELEGATION,
  devnetPaths,
  generateAccount,
  startApp,
  startCometbft,
  stopDevnet,
  waitForNewBlock,
  buildDirOf,
  releaseDcertd,
  resolveNetworkDir,
  stderrWarn,
  type DevnetAccount,
  type DevnetPaths,
  type DevnetPorts,
  type DevnetProcesses,
  type LaunchOptions,
  type Warn,
} from "./devnet";
import {
  addAccountToGenesis,
  collectGentxs,
  createGentx,
  genesisFile,
  initNodeHome,
  nodeConfig,
} from "./ceremony";
import { pollUntil, reservePorts, type LoggedChild, type PortReservation } from "./proc";

export const TESTNET_CHAIN_ID = "dcert-testnet-1";
/** Funded accounts besides the validator operators (validator0…). */
export const TESTNET_USER_NAMES = ["alice", "bob", "carol"] as const;
export const TESTNET_INFO_FILE = "testnet.json";
export const MAX_TESTNET_VALIDATORS = 32;

/** One node of the testnet, as recorded in testnet.json. */
export interface TestnetNode {
  readonly name: string;
  readonly moniker: string;
  /** The node's home (cometbft/, app/, logs). */
  readonly home: string;
  readonly rpc: string;
  readonly rpcPort: number;
  readonly p2pPort: number;
  readonly abciPort: number;
  /** The app's REST gateway (CORS on) and gRPC ports; absent in testnets made before they existed. */
  readonly apiPort?: number;
  readonly grpcPort?: number;
  readonly nodeId: string;
  /** The name of its operator in `accounts`. */
  readonly operator: string;
  readonly validatorAddress: string;
  readonly appLog: string;
  readonly cometLog: string;
  /**
   * The dcertd script the node's app runs (a release's dist/src/cli/dcertd.js, set by `testnet
   * upgrade`); absent = the repository's dist.
   */
  readonly binary?: string;
}

/**
 * `DIR/testnet.json`: devnet.json's keys (chainId, rpc = node0's, denom, bech32Prefix, accounts
 * with mnemonics: validator0…validatorN-1 then alice, bob, carol) plus `nodes`.
 */
export interface TestnetInfo {
  readonly chainId: string;
  readonly rpc: string;
  readonly denom: string;
  readonly bech32Prefix: string;
  readonly accounts: readonly DevnetAccount[];
  readonly nodes: readonly TestnetNode[];
}

export function nodePorts(node: TestnetNode): DevnetPorts {
  return {
    rpc: node.rpcPort,
    p2p: node.p2pPort,
    abci: node.abciPort,
    ...(node.apiPort === undefined ? {} : { api: node.apiPort }),
    ...(node.grpcPort === undefined ? {} : { grpc: node.grpcPort }),
  };
}

export function nodeDevnetPaths(node: TestnetNode): DevnetPaths {
  return devnetPaths(node.home);
}

export function readTestnetInfo(dir: string): TestnetInfo {
  const file = path.join(dir, TESTNET_INFO_FILE);
  if (!fs.existsSync(file)) throw new DevnetError(`${file} does not exist; create a testnet first: dcertd testnet init --validators 4 --dir ${dir}`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as TestnetInfo;
}

export function writeTestnetInfo(dir: string, info: TestnetInfo): void {
  // It holds mnemonics: readable by the owner only.
  fs.writeFileSync(path.join(dir, TESTNET_INFO_FILE), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}

/** `--dir`, else `$DCERTD_HOME/testnet`, else `~/.dcert/testnet` (`$DCERT_TESTNET`, deprecated, before DCERTD_HOME). */
export function resolveTestnetDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, warn: Warn = stderrWarn): string {
  return resolveNetworkDir("testnet", flag, "DCERT_TESTNET", "--dir", env, warn);
}

/** Every other node as `id@127.0.0.1:port`, for persistent_peers. */
function peersOf(nodes: readonly { nodeId: string; p2pPort: number }[], self: number): string {
  return nodes
    .filter((_, j) => j !== self)
    .map((n) => `${n.nodeId}@127.0.0.1:${n.p2pPort}`)
    .join(",");
}

/**
 * Writes node i's config.toml: the devnet settings, its ports, moniker and every other node as a
 * peer. On loopback, P2P messages are flushed after 10 ms instead of CometBFT's 100 ms (each
 * consensus step waits on a flush: measured ~15% more blocks per second with 4 validators).
 */
export function configureTestnetNode(info: TestnetInfo, i: number): void {
  const node = info.nodes[i];
  if (node === undefined) throw new DevnetError(`the testnet has no node ${i}`);
  const ports = nodePorts(node);
  configureCometbft(
    nodeDevnetPaths(node),
    ports,
    nodeConfig(node.moniker, ports, "127.0.0.1", { p2p: { persistent_peers: peersOf(info.nodes, i), flush_throttle_timeout: "10ms" } }),
  );
}

// ---------------------------------------------------------------------------------------------
// testnet init

export interface InitTestnetOptions {
  readonly output: string;
  readonly validators: number;
  readonly cometbftBin: string;
  readonly chainId?: string;
  /** Node i uses basePort + 10·i (RPC), +1 (P2P), +2 (ABCI), +3 (REST), +4 (gRPC); default: reserved ports (proc.ts). */
  readonly basePort?: number;
  /**
   * Ports reserved by the caller (5 per node: RPC, P2P, ABCI, REST, gRPC; with 3 per node the
   * nodes serve no REST or gRPC), held until the nodes start (pass the same reservation in
   * NodeLaunchSettings). Without it (and without basePort), ports are reserved here and released
   * when init returns: `testnet start` runs later, in another process.
   */
  readonly reservation?: PortReservation;
  /** More genesis accounts (e.g. load-test senders), funded but without mnemonics in testnet.json. */
  readonly extraAccounts?: readonly { readonly address: string; readonly amount: bigint }[];
  readonly log?: (line: string) => void;
}

/**
 * Creates the testnet directory by running the ceremony: `init` for every node, the coordinator
 * (node0) adds every account, each validator signs its gentx against its own copy of that genesis,
 * node0 collects them and validates, and the final genesis is copied to every node.
 */
export async function initTestnet(opts: InitTestnetOptions): Promise<TestnetInfo> {
  const log = opts.log ?? (() => undefined);
  const n = opts.validators;
  if (!Number.isInteger(n) || n < 1 || n > MAX_TESTNET_VALIDATORS) throw new DevnetError(`--validators must be 1…${MAX_TESTNET_VALIDATORS}, got ${n}`);
  const out = path.resolve(opts.output);
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) {
    throw new DevnetError(`${out} is not empty; choose another --dir or delete it (stop its testnet first: dcertd testnet stop --dir ${out})`);
  }
  fs.mkdirSync(out, { recursive: true });
  const chainId = opts.chainId ?? TESTNET_CHAIN_ID;
  let ports: DevnetPorts[];
  if (opts.basePort !== undefined) {
    const base = opts.basePort;
    if (base + 10 * (n - 1) + 4 > 65535) throw new DevnetError(`--base-port ${base} leaves no room for ${n} nodes (10 ports each)`);
    ports = Array.from({ length: n }, (_, i) => ({ rpc: base + 10 * i, p2p: base + 10 * i + 1, abci: base + 10 * i + 2, api: base + 10 * i + 3, grpc: base + 10 * i + 4 }));
  } else {
    const reservation = opts.reservation ?? (await reservePorts(5 * n));
    const free = reservation.ports;
    if (free.length < 3 * n) throw new DevnetError(`${n} nodes need ${5 * n} reserved ports (${3 * n} without REST and gRPC), got ${free.length}`);
    // Five ports a node (RPC, P2P, ABCI, REST, gRPC); a caller's reservation of three a node runs no API servers.
    const per = free.length >= 5 * n ? 5 : 3;
    ports = Array.from({ length: n }, (_, i) => ({
      rpc: free[per * i] as number,
      p2p: free[per * i + 1] as number,
      abci: free[per * i + 2] as number,
      ...(per === 5 ? { api: free[per * i + 3] as number, grpc: free[per * i + 4] as number } : {}),
    }));
    if (opts.reservation === undefined) await reservation.release();
  }

  const homes = Array.from({ length: n }, (_, i) => path.join(out, `node${i}`));
  const inits = homes.map((home, i) => {
    log(`node${i}: dcertd init (CometBFT keys, config, genesis template)`);
    return initNodeHome({ home, moniker: `node${i}`, chainId, cometbftBin: opts.cometbftBin, profile: "devnet", ports: ports[i] as DevnetPorts });
  });

  log(`creating accounts: ${[...homes.map((_, i) => `validator${i}`), ...TESTNET_USER_NAMES].join(", ")}`);
  const accounts: DevnetAccount[] = [];
  for (let i = 0; i < n; i++) accounts.push(await generateAccount(`validator${i}`));
  for (const name of TESTNET_USER_NAMES) accounts.push(await generateAccount(name));

  const coordinator = homes[0] as string;
  log(`node0 (coordinator): genesis add-account × ${accounts.length + (opts.extraAccounts?.length ?? 0)}`);
  for (const a of accounts) addAccountToGenesis(coordinator, a.address, [{ denom: DEFAULT_DENOM, amount: DEVNET_ACCOUNT_BALANCE }]);
  for (const a of opts.extraAccounts ?? []) addAccountToGenesis(coordinator, a.address, [{ denom: DEFAULT_DENOM, amount: a.amount }]);
  const copyGenesis = (): void => {
    for (const home of homes.slice(1)) fs.copyFileSync(genesisFile(coordinator), genesisFile(home));
  };
  copyGenesis();

  const gentxDir = path.join(out, "gentxs");
  for (let i = 0; i < n; i++) {
    log(`node${i}: genesis gentx (validator${i} self-delegates ${DEVNET_SELF_DELEGATION}${DEFAULT_DENOM})`);
    await createGentx({
      home: homes[i] as string,
      mnemonic: (accounts[i] as DevnetAccount).mnemonic,
      amount: { denom: DEFAULT_DENOM, amount: DEVNET_SELF_DELEGATION },
      moniker: `node${i}`,
      ip: "127.0.0.1",
      output: path.join(gentxDir, `gentx-node${i}.json`),
    });
  }
  log("node0: genesis collect-gentxs + validate");
  const collected = collectGentxs(coordinator, gentxDir);
  copyGenesis();

  const nodes: TestnetNode[] = homes.map((home, i) => {
    const p = ports[i] as DevnetPorts;
    const paths = devnetPaths(home);
    const operator = accounts[i] as DevnetAccount;
    return {
      name: `node${i}`,
      moniker: `node${i}`,
      home,
      rpc: `http://127.0.0.1:${p.rpc}`,
      rpcPort: p.rpc,
      p2pPort: p.p2p,
      abciPort: p.abci,
      ...(p.api === undefined ? {} : { apiPort: p.api }),
      ...(p.grpc === undefined ? {} : { grpcPort: p.grpc }),
      nodeId: inits[i]?.nodeId ?? "",
      operator: operator.name,
      validatorAddress: accountValoper(operator.address),
      appLog: paths.appLog,
      cometLog: paths.cometLog,
    };
  });
  const info: TestnetInfo = {
    chainId,
    rpc: nodes[0]?.rpc ?? "",
    denom: DEFAULT_DENOM,
    bech32Prefix: BECH32_PREFIX,
    accounts,
    nodes,
  };
  for (let i = 0; i < n; i++) configureTestnetNode(info, i);
  writeTestnetInfo(out, info);
  log(`genesis: ${collected.validation.validators.length} validators, ${collected.validation.accounts} accounts, app hash ${collected.validation.appHash}`);
  return info;
}

// ---------------------------------------------------------------------------------------------
// Launching and stopping nodes (shared by the CLI and the e2e harness)

export interface NodeLaunchSettings {
  readonly cometbftBin: string;
  readonly dcertdScript: string;
  /** Own process groups (the CLI's background nodes); the harness keeps them in its group. */
  readonly detached?: boolean;
  readonly log?: (line: string) => void;
  readonly cancelled?: () => boolean;
  readonly blockTimeoutMs?: number;
  /** The reservation holding the nodes' ports until each process starts (see InitTestnetOptions). */
  readonly reservation?: PortReservation;
}

/**
 * The devnet LaunchOptions for node i (its paths, ports and a label naming it). The app runs the
 * node's recorded `binary` when it has one, else `s.dcertdScript`.
 */
export function nodeLaunch(
  info: TestnetInfo,
  i: number,
  procs: DevnetProcesses,
  s: NodeLaunchSettings,
  appEnv?: NodeJS.ProcessEnv,
): LaunchOptions {
  const node = info.nodes[i];
  if (node === undefined) throw new DevnetError(`the testnet has no node ${i}`);
  return {
    paths: nodeDevnetPaths(node),
    ports: nodePorts(node),
    cometbftBin: s.cometbftBin,
    dcertdScript: node.binary ?? s.dcertdScript,
    procs,
    detached: s.detached ?? false,
    label: node.name,
    ...(s.log === undefined ? {} : { log: s.log }),
    ...(s.cancelled === undefined ? {} : { cancelled: s.cancelled }),
    ...(s.blockTimeoutMs === undefined ? {} : { blockTimeoutMs: s.blockTimeoutMs }),
    ...(appEnv === undefined ? {} : { appEnv }),
    ...(s.reservation === undefined ? {} : { reservation: s.reservation }),
  };
}

/**
 * Starts the apps of the given launches (all at once), then their CometBFT nodes. The caller
 * waits for blocks (`waitForNodes`); consensus needs more than 2/3 of the voting power online.
 */
export async function startNodes(launches: readonly LaunchOptions[]): Promise<void> {
  await Promise.all(
    launches.map(async (l) => {
      const app = await startApp(l);
      fs.writeFileSync(path.join(l.paths.home, "app.pid"), `${app.pid}\n`);
    }),
  );
  await Promise.all(launches.map((l) => startNodeCometbft(l)));
}

/**
 * Starts the node's CometBFT alone (its app must be running) and records its pid in
 * `<node home>/cometbft.pid`, the file `testnet stop`/`status` read and the CometBFT crash point
 * (DCERT_COMETBFT_PIDFILE, src/app/crashpoint.ts) kills.
 */
export async function startNodeCometbft(l: LaunchOptions): Promise<LoggedChild> {
  const comet = await startCometbft(l);
  fs.writeFileSync(cometbftPidFile(l.paths.home), `${comet.pid}\n`);
  return comet;
}

/** `<node home>/cometbft.pid`: the pid of the node's CometBFT while it runs. */
export function cometbftPidFile(nodeHome: string): string {
  return path.join(nodeHome, "cometbft.pid");
}

/** Waits until every launched node reports a new committed block; returns the heights reached. */
export async function waitForNodes(launches: readonly LaunchOptions[], log: (line: string) => void = () => undefined): Promise<number[]> {
  return Promise.all(
    launches.map(async (l) => {
      const h = await waitForNewBlock(l);
      log(`${l.label ?? "node"}: committed block ${h}`);
      return h;
    }),
  );
}

/** Stops the given nodes: every CometBFT first (so none sees its app vanish), then the apps. */
export async function stopNodes(procs: readonly DevnetProcesses[], log: (line: string) => void = () => undefined): Promise<void> {
  await Promise.all(procs.map((p) => stopDevnet({ ...(p.comet === undefined ? {} : { comet: p.comet }) }, log)));
  await Promise.all(procs.map((p) => stopDevnet({ ...(p.app === undefined ? {} : { app: p.app }) }, log)));
}

// ---------------------------------------------------------------------------------------------
// Status

export interface NodeStatus {
  readonly name: string;
  readonly rpc: string;
  /** Background processes recorded by `testnet start` (undefined when no pid file). */
  readonly appPid?: number;
  readonly cometPid?: number;
  readonly appRunning: boolean;
  readonly cometRunning: boolean;
  readonly height?: number;
  /** The latest app hash CometBFT reports (after the block before `height`). */
  readonly appHash?: string;
  readonly peers?: number;
  readonly catchingUp?: boolean;
  /** The latest block's time (RFC 3339) CometBFT reports. */
  readonly latestBlockTime?: string;
}

async function rpcJson<T>(url: string): Promise<T | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return undefined;
    return ((await res.json()) as { result?: T }).result;
  } catch {
    return undefined;
  }
}

/** Height, app hash, peers and catching-up of node `node` over its RPC (undefined fields when down). */
export async function nodeRpcStatus(node: TestnetNode): Promise<Pick<NodeStatus, "height" | "appHash" | "peers" | "catchingUp" | "latestBlockTime">> {
  const st = await rpcJson<{ sync_info: { latest_block_height: string; latest_app_hash: string; latest_block_time: string; catching_up: boolean } }>(`${node.rpc}/status`);
  if (st === undefined) return {};
  const net = await rpcJson<{ n_peers: string }>(`${node.rpc}/net_info`);
  return {
    height: Number(st.sync_info.latest_block_height),
    appHash: st.sync_info.latest_app_hash,
    catchingUp: st.sync_info.catching_up,
    latestBlockTime: st.sync_info.latest_block_time,
    ...(net === undefined ? {} : { peers: Number(net.n_peers) }),
  };
}

/** The header app hash of block `height` on a node (the app hash after `height - 1`), or undefined. */
export async function headerAppHash(rpc: string, height: number): Promise<string | undefined> {
  const b = await rpcJson<{ block: { header: { app_hash: string } } }>(`${rpc}/block?height=${height}`);
  return b?.block.header.app_hash;
}

/** `<node home>/app.pid` or `cometbft.pid`: the pid of that background process while it runs. */
export function nodePidFile(node: TestnetNode, which: "app" | "cometbft"): string {
  return path.join(node.home, `${which}.pid`);
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `pid` is alive and (where /proc exists) still one of this node's processes: its command
 * line mentions the node's home, so a recycled pid is never mistaken for ours.
 */
function isNodeProcess(pid: number, node: TestnetNode): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(node.home);
  } catch {
    return true; // no /proc: trust the pid file
  }
}

export async function testnetStatus(info: TestnetInfo): Promise<NodeStatus[]> {
  return Promise.all(
    info.nodes.map(async (node) => {
      const appPid = readPid(nodePidFile(node, "app"));
      const cometPid = readPid(nodePidFile(node, "cometbft"));
      return {
        name: node.name,
        rpc: node.rpc,
        ...(appPid === undefined ? {} : { appPid }),
        ...(cometPid === undefined ? {} : { cometPid }),
        appRunning: appPid !== undefined && isNodeProcess(appPid, node),
        cometRunning: cometPid !== undefined && isNodeProcess(cometPid, node),
        ...(await nodeRpcStatus(node)),
      };
    }),
  );
}

/** Compares the header app hash at the highest height every answering node has. */
export async function commonAppHash(info: TestnetInfo, statuses: readonly NodeStatus[]): Promise<{ height: number; hashes: Map<string, string> } | undefined> {
  const up = statuses.filter((s) => s.height !== undefined && s.height > 0);
  if (up.length === 0) return undefined;
  const height = Math.min(...up.map((s) => s.height as number));
  const hashes = new Map<string, string>();
  for (const s of up) {
    const node = info.nodes.find((n) => n.name === s.name);
    const h = node === undefined ? undefined : await headerAppHash(node.rpc, height);
    if (h !== undefined) hashes.set(s.name, h);
  }
  return { height, hashes };
}

// ---------------------------------------------------------------------------------------------
// Background nodes (the pid files `testnet start` writes)

/** Removes both pid files of `node`. */
export function removeNodePids(node: TestnetNode): void {
  for (const which of ["app", "cometbft"] as const) fs.rmSync(nodePidFile(node, which), { force: true });
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  try {
    return await pollUntil({
      what: `pid ${pid} to exit`,
      check: () => {
        try {
          process.kill(pid, 0);
          return undefined;
        } catch {
          return true;
        }
      },
      timeoutMs,
      intervalMs: 100,
    });
  } catch {
    return false;
  }
}

/** Stops one recorded background process of `node` (SIGTERM, then SIGKILL after 15 s). */
export async function stopNodeProcess(node: TestnetNode, which: "app" | "cometbft", log: (line: string) => void): Promise<void> {
  const pid = readPid(nodePidFile(node, which));
  if (pid !== undefined && isNodeProcess(pid, node)) {
    log(`${node.name}: stopping ${which === "app" ? "the app" : "CometBFT"} (pid ${pid})`);
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
    if (!(await waitGone(pid, 15_000))) {
      log(`${node.name}: pid ${pid} did not stop within 15s; sending SIGKILL`);
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
      await waitGone(pid, 5_000);
    }
  }
  fs.rmSync(nodePidFile(node, which), { force: true });
}

/** Stops the recorded background CometBFT of `node`, then its app. */
export async function stopRecordedNode(node: TestnetNode, log: (line: string) => void): Promise<void> {
  await stopNodeProcess(node, "cometbft", log);
  await stopNodeProcess(node, "app", log);
}

/** Whether the recorded background app of `node` runs (its pid file names a live process of it). */
export function nodeAppRunning(node: TestnetNode): boolean {
  const pid = readPid(nodePidFile(node, "app"));
  return pid !== undefined && isNodeProcess(pid, node);
}

// ---------------------------------------------------------------------------------------------
// Binaries and upgrades

/**
 * Records in DIR/testnet.json that node i runs `script` (undefined: the repository's dist again);
 * returns the updated info. Read, change and write are synchronous: concurrent calls in one process
 * never lose each other's change.
 */
export function setNodeBinary(dir: string, i: number, script: string | undefined): TestnetInfo {
  const info = readTestnetInfo(dir);
  const node = info.nodes[i];
  if (node === undefined) throw new DevnetError(`the testnet has no node ${i}`);
  const { binary: _old, ...rest } = node;
  const updated: TestnetNode = script === undefined ? rest : { ...rest, binary: path.resolve(script) };
  const next: TestnetInfo = { ...info, nodes: info.nodes.map((n, j) => (j === i ? updated : n)) };
  writeTestnetInfo(dir, next);
  return next;
}

/** `<node home>/app/data`: where the node's app keeps its store and writes upgrade-info.json. */
export function nodeAppDataDir(node: TestnetNode): string {
  return path.join(nodeDevnetPaths(node).appHome, "data");
}

/** The plan in the node's upgrade-info.json, or undefined (none, or unreadable). */
export function nodeUpgradeInfo(node: TestnetNode): PlanInfo | undefined {
  try {
    return readUpgradeInfo(nodeAppDataDir(node));
  } catch {
    return undefined;
  }
}

export interface WaitForHaltOptions {
  /** Whether the node's app still runs (the CLI: its pid file; the harness: its child process). */
  readonly appRunning: () => boolean;
  readonly timeoutMs: number;
  readonly log?: (line: string) => void;
  readonly cancelled?: () => boolean;
  readonly progressEveryMs?: number;
}

/**
 * Waits until `node` halted for the plan `name`: its upgrade-info.json names the plan and its app
 * has exited. Returns the plan. Gives up when the app exits without that file (a crash, not a halt)
 * or after `timeoutMs`.
 */
export async function waitForUpgradeHalt(node: TestnetNode, name: string, o: WaitForHaltOptions): Promise<PlanInfo> {
  const log = o.log ?? (() => undefined);
  let height: number | undefined;
  let downSince: number | undefined;
  return pollUntil({
    what: `${node.name} to halt for the upgrade "${name}"`,
    check: () => {
      const plan = nodeUpgradeInfo(node);
      return plan !== undefined && plan.name === name && !o.appRunning() ? plan : undefined;
    },
    abort: () => {
      if (o.cancelled?.() === true) return "interrupted";
      if (o.appRunning()) {
        downSince = undefined;
        return undefined;
      }
      // The app writes upgrade-info.json before it exits: give a reader a moment, then call it a crash.
      downSince ??= Date.now();
      if (Date.now() - downSince < 2_000) return undefined;
      const plan = nodeUpgradeInfo(node);
      if (plan !== undefined && plan.name === name) return undefined;
      return `${node.name}'s app is not running and did not halt for "${name}"${plan === undefined ? "" : ` (its upgrade-info.json names "${plan.name}" at ${plan.height})`}; see ${node.appLog}`;
    },
    timeoutMs: o.timeoutMs,
    intervalMs: 250,
    lastSeen: () => (height === undefined ? undefined : `height ${height}`),
    hint: `is a plan "${name}" scheduled? (dcertd q upgrade plan --node ${node.rpc}); see ${node.appLog}`,
    progressEveryMs: o.progressEveryMs ?? 10_000,
    onWait: (ms) => {
      void nodeRpcStatus(node).then((st) => {
        height = st.height ?? height;
        log(`${node.name}: ${height === undefined ? "" : `at height ${height}; `}waiting for the halt for "${name}" (${Math.round(ms / 1000)}s)`);
      });
    },
  });
}

export interface UpgradeNodesOptions {
  /** The testnet directory (testnet.json is updated there). */
  readonly dir: string;
  /** The nodes to switch (indexes). */
  readonly nodes: readonly number[];
  /** The plan the nodes halt for (ignored with `now`, except in messages). */
  readonly name: string;
  /** The release directory (or its dcertd.js) the nodes restart on. */
  readonly binary: string;
  /** Switch at once instead of waiting for the halt (pre-installing the new build before the height). */
  readonly now?: boolean;
  /** How long to wait for each node's halt. */
  readonly haltTimeoutMs: number;
  readonly settings: NodeLaunchSettings;
  /**
   * Wait until the restarted nodes commit a block (default: with `now`, or when every node of the
   * testnet is switched; blocks after a halt need more than 2/3 of the power on the new binary).
   */
  readonly waitForBlocks?: boolean;
}

export interface NodeUpgradeResult {
  readonly name: string;
  /** The plan height the node halted at (undefined with `now`). */
  readonly haltedAt?: number;
  /** The height the restarted node committed (undefined when blocks were not awaited). */
  readonly height?: number;
  readonly procs: DevnetProcesses;
}

/**
 * `testnet upgrade` on background nodes (pid files): for each selected node, waits for its halt for
 * the plan (or not, with `now`), stops its CometBFT (and app), records the new binary in
 * testnet.json, and starts both on it; then waits for blocks. Progress lines go to settings.log:
 * "node2: halted at 40 for v2; restarting on DIR", "node2: height 41". The caller releases the
 * started children (`releaseChild`) if they should outlive it.
 */
export async function upgradeNodes(o: UpgradeNodesOptions): Promise<NodeUpgradeResult[]> {
  const log = o.settings.log ?? (() => undefined);
  const script = releaseDcertd(o.binary);
  const where = buildDirOf(script);
  const info0 = readTestnetInfo(o.dir);
  for (const i of o.nodes) if (info0.nodes[i] === undefined) throw new DevnetError(`the testnet has no node ${i}`);
  const results = await Promise.all(
    o.nodes.map(async (i) => {
      const node = info0.nodes[i] as TestnetNode;
      let haltedAt: number | undefined;
      if (o.now === true) {
        log(`${node.name}: switching to ${where} now (before the height of "${o.name}")`);
      } else {
        const plan = await waitForUpgradeHalt(node, o.name, {
          appRunning: () => nodeAppRunning(node),
          timeoutMs: o.haltTimeoutMs,
          log,
          ...(o.settings.cancelled === undefined ? {} : { cancelled: o.settings.cancelled }),
        });
        haltedAt = Number(plan.height);
        log(`${node.name}: halted at ${haltedAt} for ${o.name}; restarting on ${where}`);
      }
      await stopRecordedNode(node, log);
      const info = setNodeBinary(o.dir, i, script);
      const procs: DevnetProcesses = {};
      const l = nodeLaunch(info, i, procs, o.settings);
      await startNodes([l]);
      return { i, haltedAt, procs, launch: l };
    }),
  );
  const all = o.nodes.length === info0.nodes.length;
  const wait = o.waitForBlocks ?? (o.now === true || all);
  if (!wait) {
    log(`restarted ${results.map((r) => info0.nodes[r.i]?.name).join(", ")} on ${where}; blocks resume once more than 2/3 of the voting power runs a binary with the "${o.name}" handler`);
    return results.map((r) => ({ name: info0.nodes[r.i]?.name ?? "", ...(r.haltedAt === undefined ? {} : { haltedAt: r.haltedAt }), procs: r.procs }));
  }
  const heights = await Promise.all(
    results.map(async (r) => {
      const h = await waitForNewBlock(r.launch);
      log(`${r.launch.label ?? "node"}: height ${h}`);
      return h;
    }),
  );
  return results.map((r, k) => ({ name: info0.nodes[r.i]?.name ?? "", ...(r.haltedAt === undefined ? {} : { haltedAt: r.haltedAt }), height: heights[k] as number, procs: r.procs }));
}
