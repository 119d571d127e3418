/**
 * End-to-end harness: a real single-node devnet (CometBFT v0.38 + the compiled dCERT app) in a
 * temporary home on reserved ports, set up and launched by the same code as `dcertd devnet`
 * (src/localnet/devnet.ts). Tests run after `npm run build`, because the app runs from `dist/`.
 *
 * Crash/restart: when the app's ABCI connection drops, CometBFT v0.38 stops itself (it treats a
 * lost proxy-app connection as fatal). So `restartApp()` waits for CometBFT to exit (stopping it
 * if it has not), then starts the app and CometBFT again on the same home and ports; CometBFT's
 * handshake then replays whatever the app had not committed.
 *
 * Processes never outlive the test process: `stop()` ends them, and a process `exit` hook
 * (src/localnet/proc.ts) kills any still running. Call `stop()` in `afterAll`.
 */
import type { QueryClient } from "@cosmjs/stargate";
import type { Comet38Client } from "@cosmjs/tendermint-rpc";
import { QuerySupplyOfRequest, QuerySupplyOfResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveCometbft } from "../../src/localnet/cometbft";
import {
  compiledDcertd,
  findRepoRoot,
  launchDevnet,
  prepareDevnet,
  startApp,
  startCometbft,
  stopDevnet,
  waitForNewBlock,
  fetchHeight,
  grpcAddress,
  restUrl,
  type DevnetAccount,
  type DevnetPaths,
  type DevnetPorts,
  type DevnetProcesses,
} from "../../src/localnet/devnet";
import { reservePorts, stopChild, withTimeout, type ExitStatus, type PortReservation } from "../../src/localnet/proc";
import { isWebAppBuilt, serveWebApp, webDistDir, type WebServer } from "../../src/localnet/webserve";

export interface Devnet {
  readonly home: string;
  readonly rpc: string;
  /** The app's REST gateway, "http://127.0.0.1:<port>" (CORS on). */
  readonly rest: string;
  /** The app's gRPC server, "127.0.0.1:<port>". */
  readonly grpc: string;
  readonly chainId: string;
  readonly denom: string;
  readonly accounts: readonly DevnetAccount[];
  /**
   * The web app served as `dcertd devnet` serves it (web/dist, config.json with the named
   * accounts), "http://127.0.0.1:<port>"; throws when web/dist is not built (npm run build).
   */
  readonly web: string;
  readonly paths: DevnetPaths;
  readonly ports: DevnetPorts;
  /** The pid of the current app process (changes after `restartApp`). */
  readonly appPid: number;
  /** The pid of the current CometBFT process (changes after `restartApp`). */
  readonly cometPid: number;
  /** The latest block height from CometBFT's RPC, or undefined while it is down. */
  height(): Promise<number | undefined>;
  /** Sends `signal` to the app and waits for it to exit. */
  killApp(signal?: NodeJS.Signals): Promise<ExitStatus>;
  /**
   * Brings the chain back after the app died (or was killed): stops CometBFT if it is still
   * running, starts the app and CometBFT on the same home and ports, and waits for a new block.
   * Returns the height reached.
   */
  restartApp(): Promise<number>;
  /** Stops both processes (CometBFT first) and deletes the home unless KEEP_DEVNET=1. */
  stop(): Promise<void>;
}

function cometbftBin(repoRoot: string): string {
  return resolveCometbft(repoRoot, process.env);
}

class RunningDevnet implements Devnet {
  readonly rpc: string;
  readonly rest: string;
  readonly grpc: string;
  readonly chainId: string;
  readonly denom: string;
  readonly accounts: readonly DevnetAccount[];
  private stopped = false;
  private webServer: WebServer | undefined;

  constructor(
    readonly home: string,
    readonly paths: DevnetPaths,
    readonly ports: DevnetPorts,
    info: { rpc: string; chainId: string; denom: string; accounts: readonly DevnetAccount[] },
    private readonly procs: DevnetProcesses,
    private readonly launch: Parameters<typeof launchDevnet>[0],
    private readonly removeHome: boolean,
    private readonly reservation: PortReservation,
  ) {
    this.rpc = info.rpc;
    this.rest = restUrl(ports) ?? "";
    this.grpc = grpcAddress(ports) ?? "";
    this.chainId = info.chainId;
    this.denom = info.denom;
    this.accounts = info.accounts;
  }

  get web(): string {
    if (this.webServer === undefined) throw new Error(`the web app is not served: ${webDistDir(findRepoRoot(__dirname))} is not built (npm run build)`);
    return this.webServer.url;
  }

  /** Serves web/dist on the reserved `port` (when built), pointed at this devnet. */
  async serveWeb(port: number): Promise<void> {
    const root = webDistDir(findRepoRoot(__dirname));
    if (!isWebAppBuilt(root)) return;
    await this.reservation.unhold([port]);
    this.webServer = await serveWebApp({
      root,
      port,
      config: { rpc: this.rpc, rest: this.rest, chainId: this.chainId, devAccounts: this.accounts.map((a) => ({ name: a.name, mnemonic: a.mnemonic })) },
    });
  }

  get appPid(): number {
    if (this.procs.app === undefined) throw new Error("the app is not running");
    return this.procs.app.pid;
  }

  get cometPid(): number {
    if (this.procs.comet === undefined) throw new Error("CometBFT is not running");
    return this.procs.comet.pid;
  }

  height(): Promise<number | undefined> {
    return fetchHeight(this.rpc);
  }

  async killApp(signal: NodeJS.Signals = "SIGKILL"): Promise<ExitStatus> {
    const app = this.procs.app;
    if (app === undefined) throw new Error("the app was never started");
    return stopChild(app, signal, 30_000);
  }

  async restartApp(): Promise<number> {
    const { app, comet } = this.procs;
    if (app !== undefined && app.exitStatus() === undefined) await stopChild(app, "SIGTERM");
    if (comet !== undefined && comet.exitStatus() === undefined) {
      // CometBFT 0.38 exits on its own once its app connection drops; give it a moment.
      await withTimeout(comet.exited, 5_000);
      await stopChild(comet, "SIGTERM");
    }
    delete this.procs.app;
    delete this.procs.comet;
    await startApp(this.launch);
    await startCometbft(this.launch);
    return waitForNewBlock(this.launch);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.webServer?.close();
    await stopDevnet(this.procs);
    await this.reservation.release();
    if (this.removeHome && process.env["KEEP_DEVNET"] !== "1") {
      fs.rmSync(this.home, { recursive: true, force: true });
    } else if (process.env["KEEP_DEVNET"] === "1") {
      console.log(`KEEP_DEVNET=1: devnet home kept at ${this.home}`);
    }
  }
}

/**
 * Sets up a fresh devnet (in `opts.home`, or a new temporary directory) on reserved ports
 * (src/localnet/proc.ts: held until each process starts, locked until `stop()`), starts it and waits
 * for the first block. A start that fails anyway (a port taken at the last moment) is retried
 * once on new ports.
 */
export async function startDevnet(opts: { home?: string } = {}): Promise<Devnet> {
  try {
    return await startDevnetOnce(opts);
  } catch (e) {
    console.error(`the devnet did not start (${e instanceof Error ? e.message : String(e)}); trying once more on other ports`);
    return startDevnetOnce(opts);
  }
}

async function startDevnetOnce(opts: { home?: string }): Promise<Devnet> {
  const repoRoot = findRepoRoot(__dirname);
  const dcertdScript = compiledDcertd(repoRoot);
  const bin = cometbftBin(repoRoot);
  const removeHome = opts.home === undefined;
  const home = opts.home ?? fs.mkdtempSync(path.join(os.tmpdir(), "dcert-e2e-"));
  const reservation = await reservePorts(6);
  const [rpc, p2p, abci, api, grpc, web] = reservation.ports as [number, number, number, number, number, number];
  const { paths, ports, info } = await prepareDevnet({ home, reset: false, ports: { rpc, p2p, abci, api, grpc }, cometbftBin: bin });
  const procs: DevnetProcesses = {};
  const launch = { paths, ports, cometbftBin: bin, dcertdScript, procs, detached: false, reservation };
  const devnet = new RunningDevnet(paths.home, paths, ports, info, procs, launch, removeHome, reservation);
  try {
    await launchDevnet(launch);
    await devnet.serveWeb(web);
  } catch (e) {
    await devnet.stop();
    throw e;
  }
  return devnet;
}

/**
 * Supply of `denom` and minting between heights, for burn checks on a chain that mints: a supply
 * reading answered at a known height, and the sum of x/mint's `mint` events in blocks from+1..to.
 * What was burned between two readings is before − after + minted in between.
 */
export function supplyProbe(abci: QueryClient, comet: Comet38Client, denom: string) {
  return {
    async supplyAt(): Promise<{ amount: bigint; height: number }> {
      const res = await abci.queryAbci("/cosmos.bank.v1beta1.Query/SupplyOf", QuerySupplyOfRequest.encode({ denom }).finish());
      return { amount: BigInt(QuerySupplyOfResponse.decode(res.value).amount?.amount ?? "0"), height: Number(res.height) };
    },
    async mintedBetween(from: number, to: number): Promise<bigint> {
      let sum = 0n;
      for (let h = from + 1; h <= to; h++) {
        for (const e of (await comet.blockResults(h)).finalizeBlockEvents) {
          if (e.type === "mint") sum += BigInt(e.attributes.find((a) => a.key === "amount")?.value ?? "0");
        }
      }
      return sum;
    },
  };
}
