/**
 * `dcertd devnet`: a single-node local chain (CometBFT + the dCERT app) in one command. The setup,
 * launch and stop steps are the library in src/localnet/devnet.ts; this is the command around them
 * (flags, signals, what it prints).
 */
import { booleanFlag, CliError, portFlag, stringFlag, type Command, type ParsedArgs } from "./args";
import { resolveCometbft } from "../localnet/cometbft";
import {
  checkPortsFree,
  childDiedMessage,
  compiledDcertd,
  DEFAULT_DEVNET_PORTS,
  findRepoRoot,
  launchDevnet,
  prepareDevnet,
  grpcAddress,
  releaseDcertd,
  resolveDevnetHome,
  restUrl,
  stopDevnet,
  type DevnetProcesses,
  type LaunchOptions,
} from "../localnet/devnet";
import { isPortFree, withTimeout, type LoggedChild } from "../localnet/proc";
import { DEFAULT_WEB_PORT, isWebAppBuilt, serveWebApp, webDistDir, type WebServer } from "../localnet/webserve";
import { EXIT_UPGRADE_NEEDED, readUpgradeInfo } from "../app/node";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * What to tell the user when the app exited for an upgrade (exit code EXIT_UPGRADE_NEEDED), or
 * undefined when it did not.
 */
export function upgradeHaltMessage(app: LoggedChild, appHome: string): { message: string; hint: string } | undefined {
  if (app.exitStatus()?.code !== EXIT_UPGRADE_NEEDED) return undefined;
  let plan;
  try {
    plan = readUpgradeInfo(path.join(appHome, "data"));
  } catch {
    plan = undefined;
  }
  const what = plan === undefined ? "an upgrade plan" : `the upgrade "${plan.name}" at height ${plan.height}`;
  const name = plan?.name ?? "NAME";
  return {
    message: `the app halted for ${what}: this binary has no handler for it (nothing of that block is committed; ${path.join(appHome, "data", "upgrade-info.json")} names the plan)`,
    hint: `restart the devnet on a release that carries the "${name}" handler: npm run release -- --out DIR, then dcertd devnet --binary DIR (see docs/upgrade-operators.md)`,
  };
}

/** `<home>/app/web.json`: the web app's port the devnet last ran with. */
function rememberedWebPort(appHome: string): number | undefined {
  try {
    const v = (JSON.parse(fs.readFileSync(path.join(appHome, "web.json"), "utf8")) as { port?: unknown }).port;
    return typeof v === "number" && Number.isInteger(v) && v > 0 && v < 65536 ? v : undefined;
  } catch {
    return undefined;
  }
}

function rememberWebPort(appHome: string, port: number): void {
  fs.mkdirSync(appHome, { recursive: true });
  fs.writeFileSync(path.join(appHome, "web.json"), `${JSON.stringify({ port })}\n`);
}

const RESET_HINT =
  "run npm start again to resume the chain (CometBFT replays any blocks the app missed); " +
  "if it keeps failing, start over with a fresh chain (new accounts, height 0): npm start -- --reset";

async function runDevnet(args: ParsedArgs): Promise<number> {
  const say = (line: string): void => console.log(`[devnet] ${line}`);
  const repoRoot = findRepoRoot();
  const binary = stringFlag(args, "binary");
  const dcertdScript = binary === undefined ? compiledDcertd(repoRoot) : releaseDcertd(binary);
  if (binary !== undefined) say(`the app runs the release ${path.resolve(binary)}`);
  const portFlags: { rpc?: number; p2p?: number; abci?: number; api?: number; grpc?: number } = {};
  const apiPort = portFlag(args, "api-port");
  const grpcPort = portFlag(args, "grpc-port");
  if (apiPort !== undefined) portFlags.api = apiPort;
  if (grpcPort !== undefined) portFlags.grpc = grpcPort;
  const rpcPort = portFlag(args, "rpc-port");
  const p2pPort = portFlag(args, "p2p-port");
  const abciPort = portFlag(args, "abci-port");
  if (rpcPort !== undefined) portFlags.rpc = rpcPort;
  if (p2pPort !== undefined) portFlags.p2p = p2pPort;
  if (abciPort !== undefined) portFlags.abci = abciPort;

  const cometbftBin = resolveCometbft(repoRoot);
  const { paths, ports, info } = await prepareDevnet({
    home: resolveDevnetHome(stringFlag(args, "home")),
    reset: booleanFlag(args, "reset"),
    ports: portFlags,
    // The REST gateway and gRPC always run on the devnet (REST with CORS on, for browsers and explorers).
    serveApi: true,
    cometbftBin,
    log: say,
  });
  const webPort = portFlag(args, "web-port") ?? rememberedWebPort(paths.appHome) ?? DEFAULT_WEB_PORT;
  const all = [ports.rpc, ports.p2p, ports.abci, ports.api, ports.grpc, webPort];
  if (new Set(all).size !== all.length) {
    throw new CliError(
      `the RPC, P2P, ABCI, REST, gRPC and web ports must differ (got ${all.join(", ")})`,
      "give --rpc-port, --p2p-port, --abci-port, --api-port, --grpc-port and --web-port different values",
    );
  }
  await checkPortsFree(ports);
  rememberWebPort(paths.appHome, webPort);
  const webRoot = webDistDir(repoRoot);
  const serveWeb = isWebAppBuilt(webRoot);
  if (!serveWeb) say(`the web app is not built (${webRoot}); build it with npm run build to have the devnet serve it`);
  else if (!(await isPortFree("127.0.0.1", webPort))) {
    throw new CliError(`port ${webPort} (web app) is already in use`, "stop what uses it, or choose another port: npm start -- --web-port <port>");
  }

  const procs: DevnetProcesses = {};
  let stopping = false;
  let wake: () => void = () => undefined;
  const stopRequested = new Promise<void>((res) => (wake = res));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      say(`${signal} again: killing both processes`);
      for (const c of [procs.comet, procs.app]) c?.process.kill("SIGKILL");
      process.exit(130);
    }
    stopping = true;
    console.log("");
    say(`${signal} received, shutting down`);
    wake();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const launch: LaunchOptions = {
    paths,
    ports,
    cometbftBin,
    dcertdScript,
    procs,
    detached: true,
    log: say,
    cancelled: () => stopping,
  };
  let web: WebServer | undefined;
  try {
    const height = await launchDevnet(launch);
    if (serveWeb) {
      // Devnet only: the development wallet offers the named accounts, mnemonics included.
      web = await serveWebApp({
        root: webRoot,
        port: webPort,
        config: { rpc: info.rpc, rest: restUrl(ports) ?? "", chainId: info.chainId, devAccounts: info.accounts.map((a) => ({ name: a.name, mnemonic: a.mnemonic })) },
      });
    }
    console.log(
      [
        "",
        `dCERT devnet is running (height ${height}).`,
        `  RPC:        ${info.rpc}`,
        `  REST:       ${restUrl(ports) ?? "off"}  (CORS: any origin)`,
        `  gRPC:       ${grpcAddress(ports) ?? "off"}`,
        `  Web app: ${web?.url ?? "not built (npm run build)"}`,
        `  chain-id:   ${info.chainId}`,
        `  accounts:   ${paths.devnetJson}  (${info.accounts.map((a) => a.name).join(", ")}; with mnemonics)`,
        `  logs:       ${paths.appLog}`,
        `              ${paths.cometLog}`,
        "Stop with Ctrl-C. The chain is kept: run npm start again to resume it, or npm start -- --reset to start over.",
        "",
      ].join("\n"),
    );
  } catch (e) {
    await web?.close();
    if (stopping) {
      await stopDevnet(procs, say);
      say("stopped");
      return 0;
    }
    await stopDevnet(procs, say);
    const msg = e instanceof Error ? e.message : String(e);
    throw new CliError(`the devnet did not start: ${msg}`, RESET_HINT);
  }

  const app = procs.app as LoggedChild;
  const comet = procs.comet as LoggedChild;
  await Promise.race([stopRequested, app.exited, comet.exited]);
  await web?.close();
  if (stopping) {
    await stopDevnet(procs, say);
    say("stopped");
    return 0;
  }
  // One of them died on its own; give the other a moment to follow (CometBFT exits when its app
  // goes away) so both logs can be reported.
  await withTimeout(Promise.all([app.exited, comet.exited]), 2_000);
  const dead = [app, comet].filter((c) => c.exitStatus() !== undefined);
  await stopDevnet(procs, say);
  const upgrade = upgradeHaltMessage(app, paths.appHome);
  if (upgrade !== undefined) throw new CliError(upgrade.message, upgrade.hint);
  console.error(`\n${dead.map(childDiedMessage).join("\n\n")}\n`);
  throw new CliError("the devnet stopped unexpectedly (what each process printed last is above)", RESET_HINT);
}

export const devnetCommand: Command = {
  name: "devnet",
  summary: "set up (on first run) and run a single-node local chain: CometBFT + the dCERT app",
  details: [
    "The first run creates four funded accounts (validator, alice, bob, carol), a genesis and",
    "<home>/devnet.json (chain-id, RPC URL, denom, bech32 prefix, accounts with mnemonics).",
    "It serves the web app (web/dist, from npm run build) on --web-port, pointed at this devnet, its",
    "development wallet offering the named accounts (\"Web app: http://127.0.0.1:PORT\").",
    "Later runs resume the same chain. Logs go to <home>/app.log and <home>/cometbft.log.",
    "Ports given once are remembered for later runs of the same home.",
    "CometBFT comes from $COMETBFT_BIN, or scripts/install-cometbft.sh installs it with Go.",
    "When the app halts for an upgrade plan it has no handler for, the devnet stops and says which release",
    "to restart it on (--binary DIR).",
  ],
  flags: [
    { name: "home", valueName: "dir", description: "devnet directory", defaultText: "$DCERTD_HOME/devnet or ~/.dcert/devnet" },
    { name: "reset", boolean: true, description: "delete the devnet home first and start a fresh chain" },
    { name: "rpc-port", valueName: "port", description: "CometBFT RPC port on 127.0.0.1", defaultText: String(DEFAULT_DEVNET_PORTS.rpc) },
    { name: "p2p-port", valueName: "port", description: "CometBFT P2P port on 127.0.0.1", defaultText: String(DEFAULT_DEVNET_PORTS.p2p) },
    { name: "abci-port", valueName: "port", description: "the app's ABCI port on 127.0.0.1", defaultText: String(DEFAULT_DEVNET_PORTS.abci) },
    { name: "api-port", valueName: "port", description: "the app's REST gateway port on 127.0.0.1 (CORS on)", defaultText: String(DEFAULT_DEVNET_PORTS.api) },
    { name: "grpc-port", valueName: "port", description: "the app's gRPC port on 127.0.0.1", defaultText: String(DEFAULT_DEVNET_PORTS.grpc) },
    { name: "web-port", valueName: "port", description: "port on 127.0.0.1 serving the web app (web/dist) and its config.json", defaultText: String(DEFAULT_WEB_PORT) },
    { name: "binary", valueName: "dir", description: "run the app from this release (npm run release -- --out DIR)", defaultText: "this checkout's dist" },
  ],
  run: runDevnet,
};
