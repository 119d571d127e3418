/**
 * `dcertd testnet`: a local multi-validator network (init, start, stop, status, replay). The
 * network itself (homes, ceremony, launching, pid files, status) is src/localnet/testnet.ts; this
 * is the command tree around it (flags, signals, what it prints).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { booleanFlag, CliError, portFlag, stringFlag, UsageError, type FlagSpec, type ParsedArgs } from "./args";
import { commandTree, type Leaf } from "./cmdtree";
import { describeSetupError } from "./genesis";
import { resolveCometbft } from "../localnet/cometbft";
import { genesisFile, readGenesisDoc } from "../localnet/ceremony";
import { checkPortsFree, childDiedMessage, compiledDcertd, fetchStatus, findRepoRoot, type DevnetProcesses } from "../localnet/devnet";
import { releaseChild, type LoggedChild } from "../localnet/proc";
import {
  commonAppHash,
  configureTestnetNode,
  initTestnet,
  nodeLaunch,
  nodePidFile,
  nodePorts,
  readTestnetInfo,
  removeNodePids,
  resolveTestnetDir,
  startNodes,
  stopNodeProcess,
  stopNodes,
  stopRecordedNode,
  testnetStatus,
  TESTNET_CHAIN_ID,
  TESTNET_INFO_FILE,
  waitForNodes,
  upgradeNodes,
  type NodeStatus,
  type TestnetInfo,
  type TestnetNode,
} from "../localnet/testnet";
import { buildDirOf, stderrWarn, type Warn } from "../localnet/devnet";
import { recordBlocks, replayBlocks } from "../localnet/testnet-replay";
import { DEFAULT_WEB_PORT, serveWebApp, webDistDir } from "../localnet/webserve";
import { DEFAULT_STALL_AFTER_S, stallAfter } from "./status";
import { consensusLines, lastBlockCell, testnetConsensus } from "./testnet-consensus";

const DIR_FLAG: FlagSpec = { name: "dir", valueName: "dir", description: "the testnet directory", defaultText: "$DCERTD_HOME/testnet or ~/.dcert/testnet" };
/**
 * `-o`/`--output`: the output format, as in keys, tx and q. Before issue 16 it named the testnet
 * directory; a value other than text or json is still read as the directory, with a warning.
 */
const OUTPUT_FLAG: FlagSpec = {
  name: "output",
  valueName: "format",
  description: "text or json (a directory here is the deprecated spelling of --dir)",
  defaultText: "text",
};

/** The testnet directory: --dir, else the deprecated --output <dir> (with a warning), else the default. */
export function testnetDirOf(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env, warn: Warn = stderrWarn): string {
  const dir = stringFlag(args, "dir");
  const output = stringFlag(args, "output");
  if (output !== undefined && !isFormat(output)) {
    if (dir !== undefined) throw new UsageError(`give the testnet directory once: --dir ${dir}, not also --output ${output}`);
    warn(`--output <dir> for the testnet directory is deprecated and will be removed in the next release; use --dir ${output} (-o/--output is the output format, text or json)`);
    return resolveTestnetDir(output, env, warn);
  }
  return resolveTestnetDir(dir, env, warn);
}

function isFormat(v: string): v is "text" | "json" {
  return v === "text" || v === "json";
}

/** The output format: -o/--output text|json (or --json); `jsonOk` false for commands printing no JSON. */
function testnetFormat(args: ParsedArgs, jsonOk: boolean): "text" | "json" {
  const output = stringFlag(args, "output");
  const format = booleanFlag(args, "json") ? "json" : output !== undefined && isFormat(output) ? output : "text";
  if (format === "json" && !jsonOk) throw new UsageError("this testnet command prints no JSON; -o/--output takes text here (the directory is --dir)");
  return format;
}
const NODE_FLAG: FlagSpec = { name: "node", valueName: "i", description: "only node i (0-based)", defaultText: "every node" };

function selectedNodes(args: ParsedArgs, info: TestnetInfo): number[] {
  const v = stringFlag(args, "node");
  if (v === undefined) return info.nodes.map((_, i) => i);
  const i = /^[0-9]+$/.test(v) ? Number(v) : NaN;
  if (!(i >= 0 && i < info.nodes.length)) throw new UsageError(`--node must be 0…${info.nodes.length - 1}, got ${v}`);
  return [i];
}

function noPositionals(args: ParsedArgs): void {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0] ?? ""}`);
}

/** "  REST http://127.0.0.1:p  gRPC 127.0.0.1:q" for a node that serves them. */
function apiText(n: TestnetNode): string {
  return `${n.apiPort === undefined ? "" : `  REST http://127.0.0.1:${n.apiPort}`}${n.grpcPort === undefined ? "" : `  gRPC 127.0.0.1:${n.grpcPort}`}`;
}

const initSub: Leaf = {
  path: ["init"],
  summary: "create N validator homes, one shared genesis (via gentxs) and testnet.json",
  flags: [
    { name: "validators", valueName: "n", description: "number of validators", defaultText: "4" },
    DIR_FLAG,
    OUTPUT_FLAG,
    { name: "chain-id", valueName: "id", description: "chain id", defaultText: TESTNET_CHAIN_ID },
    { name: "base-port", valueName: "port", description: "node i listens on port+10i (RPC), +1 (P2P), +2 (ABCI), +3 (REST), +4 (gRPC)", defaultText: "free ports chosen now" },
  ],
  async run(args) {
    noPositionals(args);
    testnetFormat(args, false);
    const v = stringFlag(args, "validators") ?? "4";
    if (!/^[0-9]+$/.test(v)) throw new UsageError(`--validators must be a number, got ${v}`);
    const out = testnetDirOf(args);
    const basePort = portFlag(args, "base-port");
    const chainId = stringFlag(args, "chain-id");
    const say = (line: string): void => console.log(`[testnet] ${line}`);
    const info = await initTestnet({
      output: out,
      validators: Number(v),
      cometbftBin: resolveCometbft(findRepoRoot()),
      ...(basePort === undefined ? {} : { basePort }),
      ...(chainId === undefined ? {} : { chainId }),
      log: say,
    });
    console.log(
      [
        "",
        `testnet ${info.chainId} with ${info.nodes.length} validators in ${out}`,
        ...info.nodes.map((n) => `  ${n.name}: RPC ${n.rpc}  P2P ${n.p2pPort}  ABCI ${n.abciPort}${apiText(n)}  ${n.home}`),
        `  accounts (with mnemonics): ${path.join(out, TESTNET_INFO_FILE)}`,
        `Start it: dcertd testnet start --dir ${out}`,
      ].join("\n"),
    );
    return 0;
  },
};

async function runStart(args: ParsedArgs): Promise<number> {
  noPositionals(args);
  testnetFormat(args, false);
  const dir = testnetDirOf(args);
  const info = readTestnetInfo(dir);
  const say = (line: string): void => console.log(`[testnet] ${line}`);
  const repoRoot = findRepoRoot();
  const settingsBase = { cometbftBin: resolveCometbft(repoRoot), dcertdScript: compiledDcertd(repoRoot), detached: true, log: say };
  const statuses = await testnetStatus(info);
  const toStart: number[] = [];
  for (const i of selectedNodes(args, info)) {
    const node = info.nodes[i] as TestnetNode;
    const st = statuses[i] as NodeStatus;
    if (st.appRunning && st.cometRunning) {
      say(`${node.name} is already running (app pid ${st.appPid}, CometBFT pid ${st.cometPid})`);
      continue;
    }
    // One half died (CometBFT exits when its app goes away): stop the survivor, then start both.
    await stopRecordedNode(node, say);
    await checkPortsFree(nodePorts(node)).catch((e: unknown) => {
      throw new CliError(`${node.name}: ${e instanceof Error ? e.message : String(e)}`, "see docs/testnet.md for the whole procedure");
    });
    toStart.push(i);
  }
  if (toStart.length === 0) return 0;

  let stopping = false;
  const onSignal = (): void => {
    stopping = true;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const procs = toStart.map(() => ({}) as DevnetProcesses);
  const launches = toStart.map((i, k) => nodeLaunch(info, i, procs[k] as DevnetProcesses, { ...settingsBase, cancelled: () => stopping }));
  const writePids = (): void => {
    toStart.forEach((i, k) => {
      const node = info.nodes[i] as TestnetNode;
      const p = procs[k] as DevnetProcesses;
      if (p.app !== undefined) fs.writeFileSync(nodePidFile(node, "app"), `${p.app.pid}\n`);
      if (p.comet !== undefined) fs.writeFileSync(nodePidFile(node, "cometbft"), `${p.comet.pid}\n`);
    });
  };
  for (const i of toStart) configureTestnetNode(info, i);
  say(`starting ${toStart.map((i) => info.nodes[i]?.name).join(", ")}`);
  const running = statuses.filter((s) => s.appRunning && s.cometRunning).length;
  if (running + toStart.length <= (2 * info.nodes.length) / 3) {
    say(`note: ${running + toStart.length} of ${info.nodes.length} validators will be up; blocks need more than 2/3 of the voting power`);
  }
  try {
    await startNodes(launches);
    writePids();
    say("waiting for every started node to commit a block");
    await waitForNodes(launches, say);
  } catch (e) {
    writePids();
    const dead = procs.flatMap((p) => [p.app, p.comet]).filter((c): c is LoggedChild => c !== undefined && c.exitStatus() !== undefined);
    await stopNodes(procs, say);
    for (const i of toStart) removeNodePids(info.nodes[i] as TestnetNode);
    if (stopping) {
      say("interrupted; stopped the nodes this command started");
      return 130;
    }
    const msg = e instanceof Error ? e.message : String(e);
    for (const c of dead) console.error(`\n${childDiedMessage(c)}\n`);
    throw new CliError(`the testnet did not start: ${msg}`, "see each node's app.log and cometbft.log, then run \"dcertd testnet start\" again");
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  for (const p of procs) for (const c of [p.app, p.comet]) if (c !== undefined) releaseChild(c);
  console.log("");
  await printStatus(info);
  console.log(`\nThe nodes run in the background. Stop them with: dcertd testnet stop --dir ${dir}`);
  return 0;
}

async function runStop(args: ParsedArgs): Promise<number> {
  noPositionals(args);
  testnetFormat(args, false);
  const info = readTestnetInfo(testnetDirOf(args));
  const say = (line: string): void => console.log(`[testnet] ${line}`);
  const nodes = selectedNodes(args, info).map((i) => info.nodes[i] as TestnetNode);
  await Promise.all(nodes.map((n) => stopNodeProcess(n, "cometbft", say)));
  await Promise.all(nodes.map((n) => stopNodeProcess(n, "app", say)));
  say(`stopped ${nodes.map((n) => n.name).join(", ")}`);
  return 0;
}

/** The clock `testnet status` judges block ages by (replaceable in tests). */
export const statusClock = { now: (): number => Date.now() };

async function printStatus(info: TestnetInfo, json = false, stallAfterS = DEFAULT_STALL_AFTER_S): Promise<NodeStatus[]> {
  const statuses = await testnetStatus(info);
  const common = await commonAppHash(info, statuses);
  const consensus = testnetConsensus(statuses, statusClock.now(), stallAfterS);
  if (json) {
    const { nodes: perNode, ...summary } = consensus;
    console.log(
      JSON.stringify(
        {
          chainId: info.chainId,
          nodes: statuses.map((s, i) => ({ ...s, stalled: perNode[i]?.stalled ?? false, seconds_since_block: perNode[i]?.seconds_since_block ?? null })),
          common: common === undefined ? null : { height: common.height, appHashes: Object.fromEntries(common.hashes) },
          consensus: summary,
        },
        null,
        2,
      ),
    );
    return statuses;
  }
  const rows = statuses.map((s, i) => [
    s.name,
    s.appRunning ? "up" : "down",
    s.cometRunning ? "up" : "down",
    s.height === undefined ? "-" : String(s.height),
    s.appHash === undefined ? "-" : s.appHash === "" ? "(none)" : `${s.appHash.slice(0, 16)}…`,
    s.peers === undefined ? "-" : String(s.peers),
    s.catchingUp === undefined ? "-" : s.catchingUp ? "yes" : "no",
    consensus.nodes[i] === undefined ? "-" : lastBlockCell(consensus.nodes[i]),
    s.rpc,
  ]);
  const head = ["node", "app", "cometbft", "height", "app hash", "peers", "catching up", "last block", "rpc"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)));
  const line = (r: readonly string[]): string => r.map((v, c) => v.padEnd(widths[c] as number)).join("  ");
  console.log(`testnet ${info.chainId}`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  if (common !== undefined && common.hashes.size > 0) {
    const distinct = new Set(common.hashes.values());
    console.log(
      distinct.size === 1
        ? `app hash at height ${common.height} (header): equal on ${common.hashes.size} node(s): ${[...distinct][0] ?? ""}`
        : `app hash at height ${common.height} DIFFERS: ${[...common.hashes].map(([n, h]) => `${n}=${h}`).join(" ")}`,
    );
  }
  for (const l of consensusLines(consensus)) console.log(l);
  for (const n of info.nodes) if (n.binary !== undefined) console.log(`${n.name} runs the release ${buildDirOf(n.binary)}`);
  return statuses;
}

const startSub: Leaf = {
  path: ["start"],
  summary: "start the testnet's nodes in the background (those not already running)",
  details: ["Waits until every started node commits a block, printing progress; logs go to <node home>/app.log and cometbft.log."],
  flags: [DIR_FLAG, OUTPUT_FLAG, NODE_FLAG],
  run: runStart,
};

/** Serves the web app pointed at node 0 (its RPC and REST) until Ctrl-C. */
async function runWeb(args: ParsedArgs): Promise<number> {
  noPositionals(args);
  testnetFormat(args, false);
  const info = readTestnetInfo(testnetDirOf(args));
  const node = info.nodes[0];
  if (node === undefined) throw new CliError("the testnet has no nodes", "create it again: dcertd testnet init");
  const web = await serveWebApp({
    root: webDistDir(findRepoRoot()),
    port: portFlag(args, "web-port") ?? DEFAULT_WEB_PORT,
    // No development wallet here: that is the devnet's (sign with Keplr or Leap).
    config: { rpc: node.rpc, rest: node.apiPort === undefined ? "" : `http://127.0.0.1:${node.apiPort}`, chainId: info.chainId },
  });
  console.log(`Web app: ${web.url}  (pointed at ${node.name}: ${node.rpc}${apiText(node)})\nStop with Ctrl-C.`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await web.close();
  return 0;
}

const webSub: Leaf = {
  path: ["web"],
  summary: "serve the web app (web/dist) pointed at node 0's RPC and REST, until Ctrl-C",
  flags: [DIR_FLAG, OUTPUT_FLAG, { name: "web-port", valueName: "port", description: "port on 127.0.0.1 serving the web app", defaultText: String(DEFAULT_WEB_PORT) }],
  run: runWeb,
};

const stopSub: Leaf = {
  path: ["stop"],
  summary: "stop the testnet's background nodes (CometBFT first, then the app)",
  flags: [DIR_FLAG, OUTPUT_FLAG, NODE_FLAG],
  run: runStop,
};

const statusSub: Leaf = {
  path: ["status"],
  summary: "show each node's processes, height, app hash, peers and whether consensus is stalled",
  details: [
    "A node whose latest block is older than --stall-after seconds (by this machine's clock) and that is not",
    "catching up is stalled (the rule of dcertd status); when every reachable node is, a summary line says",
    "\"consensus stalled: no block for N s; k of n validators reachable\". -o json (or --json) adds stalled and",
    "seconds_since_block to each node and consensus {stalled, seconds_since_block, reachable, validators, stall_after}.",
  ],
  flags: [
    DIR_FLAG,
    OUTPUT_FLAG,
    { name: "json", boolean: true, description: "print JSON (the same as -o json)" },
    { name: "stall-after", valueName: "seconds", description: "call consensus stalled when the latest block is older than this", defaultText: String(DEFAULT_STALL_AFTER_S) },
  ],
  async run(args) {
    noPositionals(args);
    const threshold = stallAfter(args);
    const info = readTestnetInfo(testnetDirOf(args));
    await printStatus(info, testnetFormat(args, true) === "json", threshold);
    return 0;
  },
};

const replaySub: Leaf = {
  path: ["replay"],
  summary: "replay the chain's blocks (from a node's RPC) into a fresh in-process app and compare app hashes",
  flags: [DIR_FLAG, OUTPUT_FLAG, NODE_FLAG, { name: "to", valueName: "height", description: "last height to replay", defaultText: "the node's latest - 1" }],
  async run(args) {
    noPositionals(args);
    testnetFormat(args, false);
    const info = readTestnetInfo(testnetDirOf(args));
    const node = info.nodes[selectedNodes(args, info)[0] ?? 0] as TestnetNode;
    const st = await fetchStatus(node.rpc);
    if (st === undefined) throw new CliError(`${node.name} does not answer at ${node.rpc}`, "start it first");
    const toFlag = stringFlag(args, "to");
    const to = toFlag === undefined ? st.height - 1 : Number(toFlag);
    if (!Number.isInteger(to) || to < 1 || to >= st.height) throw new UsageError(`--to must be 1…${st.height - 1}`);
    console.log(`[testnet] recording blocks 1…${to} from ${node.name}`);
    const recording = await recordBlocks(node.rpc, to);
    const result = replayBlocks(readGenesisDoc(genesisFile(node.home)), recording);
    console.log(`[testnet] replayed ${recording.blocks.length} blocks (${result.txsOk} txs ok, ${result.txsFailed} failed)`);
    if (result.mismatches.length === 0) {
      console.log(`app hashes identical at every height 0…${to}; last ${result.appHashes[result.appHashes.length - 1] ?? result.genesisAppHash}`);
      return 0;
    }
    const first = result.mismatches[0];
    console.error(`app hash MISMATCH at ${result.mismatches.length} height(s); first at ${first?.height}: chain ${first?.expected}, replay ${first?.actual}`);
    return 1;
  },
};

const DEFAULT_UPGRADE_TIMEOUT_S = 600;

const upgradeSub: Leaf = {
  path: ["upgrade"],
  summary: "restart nodes on a release once they halted for an upgrade plan (or --now)",
  details: [
    "For each node (--node i for one): waits until it halts for the plan --name (its app wrote",
    "app/data/upgrade-info.json naming it and exited), stops its CometBFT, records --binary in testnet.json",
    "(testnet start uses it from then on) and starts both on the release; then waits for a block.",
    "--now switches at once (a validator installing the new build before the plan's height: it must run",
    "the pre-upgrade blocks identically). Make a release with: npm run release -- --out DIR.",
  ],
  flags: [
    DIR_FLAG,
    OUTPUT_FLAG,
    NODE_FLAG,
    { name: "name", valueName: "plan", description: "the upgrade plan's name (required)" },
    { name: "binary", valueName: "dir", description: "the release directory to run (scripts/make-release.mjs; required)" },
    { name: "now", boolean: true, description: "switch now instead of waiting for the halt" },
    { name: "timeout", valueName: "seconds", description: "how long to wait for each node's halt", defaultText: String(DEFAULT_UPGRADE_TIMEOUT_S) },
  ],
  async run(args) {
    noPositionals(args);
    testnetFormat(args, false);
    const name = stringFlag(args, "name");
    if (name === undefined || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,139}$/.test(name)) throw new UsageError(`--name must be a plan name (1–140 characters [A-Za-z0-9._-]), got ${name ?? "nothing"}`);
    const binary = stringFlag(args, "binary");
    if (binary === undefined) throw new UsageError("--binary <release dir> is required (make one with: npm run release -- --out DIR)");
    const t = stringFlag(args, "timeout") ?? String(DEFAULT_UPGRADE_TIMEOUT_S);
    if (!/^[0-9]{1,6}$/.test(t) || Number(t) < 1) throw new UsageError(`--timeout must be a whole number of seconds ≥ 1, got ${t}`);
    const dir = testnetDirOf(args);
    const info = readTestnetInfo(dir);
    const nodes = selectedNodes(args, info);
    const say = (line: string): void => console.log(`[testnet] ${line}`);
    const repoRoot = findRepoRoot();
    let stopping = false;
    const onSignal = (): void => {
      stopping = true;
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    let results: Awaited<ReturnType<typeof upgradeNodes>>;
    try {
      results = await upgradeNodes({
        dir,
        nodes,
        name,
        binary,
        now: booleanFlag(args, "now"),
        haltTimeoutMs: Number(t) * 1000,
        settings: { cometbftBin: resolveCometbft(repoRoot), dcertdScript: compiledDcertd(repoRoot), detached: true, log: say, cancelled: () => stopping },
      });
    } catch (e) {
      if (stopping) {
        say("interrupted; nodes already restarted keep running (see dcertd testnet status)");
        return 130;
      }
      throw new CliError(`testnet upgrade: ${e instanceof Error ? e.message : String(e)}`, "see the node's app.log and cometbft.log; dcertd testnet status shows what runs");
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    for (const r of results) for (const c of [r.procs.app, r.procs.comet]) if (c !== undefined) releaseChild(c);
    console.log("");
    await printStatus(readTestnetInfo(dir));
    return 0;
  },
};

export const testnetCommand = commandTree(
  "testnet",
  "a local multi-validator network: init, start, stop, status, replay, upgrade, web",
  [initSub, startSub, stopSub, statusSub, replaySub, upgradeSub, webSub],
  {
    intro: [
      "N CometBFT nodes and N app processes on 127.0.0.1, one genesis built by the gentx ceremony.",
      "DIR/testnet.json lists the nodes (RPC URLs, ports, homes) and the funded accounts with mnemonics.",
    ],
    describeError: describeSetupError,
  },
);
