/**
 * dcertd under the real cosmovisor (docs/cosmovisor.md).
 *
 * The first suite needs no cosmovisor: a release laid out by scripts/cosmovisor/setup.sh runs
 * through the wrapper (bin/dcertd) with the release's build hash and handlers.
 *
 * The second suite is opt-in: it runs only when a `cosmovisor` executable is found (COSMOVISOR_BIN,
 * else PATH; scripts/install-cosmovisor.sh builds the pinned v1.5.0). A single-node devnet runs under
 * cosmovisor with the wrapper starting CometBFT too: genesis is a release without the v2 handler,
 * upgrades/v2 a release with it. A governance proposal schedules plan v2; at its height the old app
 * halts (upgrade-info.json, exit 75), cosmovisor switches `current` to upgrades/v2 and restarts, the
 * v2 app applies the plan at that height and the chain goes on with its history; SIGTERM to
 * cosmovisor then stops the app and CometBFT.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, QueryClient, SigningStargateClient, createProtobufRpcClient, type StdFee } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { QueryClientImpl as UpgradeQuery } from "cosmjs-types/cosmos/upgrade/v1beta1/query";
import { MsgSoftwareUpgrade } from "cosmjs-types/cosmos/upgrade/v1beta1/tx";
import { resolveCometbft } from "../../src/localnet/cometbft";
import { DEVNET_MIN_GAS_PRICES, fetchHeight, findRepoRoot, prepareDevnet, type DevnetInfo, type DevnetPaths, type DevnetPorts } from "../../src/localnet/devnet";
import { pollUntil, reservePorts, type PortReservation } from "../../src/localnet/proc";
import { moduleAccountAddress } from "../../src/x/auth/keeper";

jest.setTimeout(600_000);

const ROOT = findRepoRoot(__dirname);
const SETUP = path.join(ROOT, "scripts", "cosmovisor", "setup.sh");
const MAKE_RELEASE = path.join(ROOT, "scripts", "make-release.mjs");
const FEE: StdFee = { amount: [{ denom: "udcert", amount: "50000" }], gas: "2000000" };

/** COSMOVISOR_BIN, else the first executable `cosmovisor` on PATH, else undefined. */
function findCosmovisor(): string | undefined {
  const fromEnv = process.env["COSMOVISOR_BIN"];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  for (const dir of (process.env["PATH"] ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, "cosmovisor");
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const dirs: string[] = [];
function tmp(prefix: string): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  dirs.push(d);
  return d;
}
afterAll(() => {
  if (process.env["KEEP_DEVNET"] === "1") {
    console.log(`KEEP_DEVNET=1: kept ${dirs.join(", ")}`);
    return;
  }
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Makes a release of this checkout's dist/ (scripts/make-release.mjs); returns its build hash. */
function makeRelease(out: string, without: readonly string[]): string {
  const r = spawnSync(process.execPath, [MAKE_RELEASE, "--out", out, ...without.flatMap((n) => ["--without-upgrade", n])], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`make-release failed: ${r.stderr}`);
  const m = /build_hash:\s+([0-9a-f]{64})/.exec(r.stdout);
  if (m === null) throw new Error(`make-release printed no build hash: ${r.stdout}`);
  return m[1]!;
}

function setup(args: readonly string[]): void {
  const r = spawnSync("bash", [SETUP, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`setup.sh failed: ${r.stderr}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

describe("a release laid out for cosmovisor (no cosmovisor needed)", () => {
  test("bin/dcertd runs the copied release: same build hash and handlers as the release", () => {
    const rel = tmp("dcert-cv-rel-");
    const hash = makeRelease(path.join(rel, "old"), ["v2"]);
    const home = tmp("dcert-cv-home-");
    setup(["--home", home, "--genesis", path.join(rel, "old")]);
    const r = spawnSync(path.join(home, "cosmovisor", "genesis", "bin", "dcertd"), ["version", "--long", "-o", "json"], {
      encoding: "utf8",
      env: { ...process.env, DAEMON_HOME: home },
    });
    expect(r.status).toBe(0);
    const v = JSON.parse(r.stdout) as { build_hash: string; upgrade_handlers: unknown };
    expect(v.build_hash).toBe(hash);
    expect(v.upgrade_handlers).toEqual([]);
  });
});

const cosmovisorBin = findCosmovisor();
if (cosmovisorBin !== undefined) {
  describe(`cosmovisor (${cosmovisorBin}) switches a devnet to the v2 release at a governance plan's height`, () => {
    let paths: DevnetPaths;
    let ports: DevnetPorts;
    let info: DevnetInfo;
    let reservation: PortReservation;
    let cosmovisor: ChildProcess;
    let cosmovisorExit: Promise<number | null>;
    let logFile: string;
    let v2Hash: string;
    const log = (): string => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "");

    beforeAll(async () => {
      const rel = tmp("dcert-cv-rel-");
      makeRelease(path.join(rel, "old"), ["v2"]);
      v2Hash = makeRelease(path.join(rel, "v2"), []);
      const home = tmp("dcert-cv-devnet-");
      reservation = await reservePorts(3);
      const [rpc, p2p, abci] = reservation.ports as [number, number, number];
      ({ paths, ports, info } = await prepareDevnet({ home, reset: false, ports: { rpc, p2p, abci }, cometbftBin: resolveCometbft(ROOT, process.env) }));
      setup(["--home", paths.appHome, "--genesis", path.join(rel, "old"), "--upgrade", `v2=${path.join(rel, "v2")}`]);
      logFile = path.join(paths.home, "cosmovisor.log");
      const out = fs.openSync(logFile, "a");
      await reservation.unhold();
      cosmovisor = spawn(cosmovisorBin, ["run", "start", "--abci", `tcp://127.0.0.1:${ports.abci}`, "--minimum-gas-prices", DEVNET_MIN_GAS_PRICES], {
        env: {
          ...process.env,
          DAEMON_NAME: "dcertd",
          DAEMON_HOME: paths.appHome,
          DAEMON_RESTART_AFTER_UPGRADE: "true",
          UNSAFE_SKIP_BACKUP: "true",
          COSMOVISOR_COLOR_LOGS: "false",
          DCERTD_COMETBFT_HOME: paths.cometHome,
          DCERTD_COMETBFT_BIN: resolveCometbft(ROOT, process.env),
          DCERTD_COMETBFT_LOG: paths.cometLog,
        },
        stdio: ["ignore", out, out],
      });
      fs.closeSync(out);
      cosmovisorExit = new Promise((resolve) => cosmovisor.on("exit", (code) => resolve(code)));
      await pollUntil({
        what: "the first blocks under cosmovisor",
        check: async () => (((await fetchHeight(info.rpc)) ?? 0) >= 2 ? true : undefined),
        timeoutMs: 120_000,
        intervalMs: 500,
        abort: () => (cosmovisor.exitCode !== null ? `cosmovisor exited (${cosmovisor.exitCode}): ${log()}` : undefined),
      });
    });

    afterAll(async () => {
      if (cosmovisor !== undefined && cosmovisor.exitCode === null && cosmovisor.signalCode === null) {
        cosmovisor.kill("SIGTERM");
        await Promise.race([cosmovisorExit, new Promise((r) => setTimeout(r, 15_000))]);
        if (cosmovisor.exitCode === null) cosmovisor.kill("SIGKILL");
      }
      await reservation?.release();
    });

    test("the old release halts at the plan, cosmovisor restarts on v2, which applies it; history is kept", async () => {
      const acct = info.accounts[0]!;
      const wallet = await DirectSecp256k1HdWallet.fromMnemonic(acct.mnemonic, { prefix: info.bech32Prefix });
      const client = await SigningStargateClient.connectWithSigner(info.rpc, wallet, { gasPrice: GasPrice.fromString(DEVNET_MIN_GAS_PRICES), broadcastPollIntervalMs: 300 });
      const comet = await Comet38Client.connect(info.rpc);
      const upgrade = new UpgradeQuery(createProtobufRpcClient(QueryClient.withExtensions(comet)));
      try {
        // The devnet's voting period is 15 s; 80 blocks leave room for it on a busy machine.
        const planHeight = (await client.getHeight()) + 80;
        const plan = MsgSoftwareUpgrade.encode({ authority: moduleAccountAddress("gov"), plan: { name: "v2", height: BigInt(planHeight), info: "restore circuits", time: { seconds: 0n, nanos: 0 } } }).finish();
        const submit = await client.signAndBroadcast(
          acct.address,
          [
            {
              typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
              value: { messages: [{ typeUrl: "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", value: plan }], initialDeposit: [{ denom: info.denom, amount: "10000000" }], proposer: acct.address, metadata: "", title: "v2", summary: "restore circuits", expedited: false },
            },
          ],
          FEE,
        );
        expect(submit.code).toBe(0);
        const id = BigInt(submit.events.find((e) => e.type === "submit_proposal")!.attributes.find((a) => a.key === "proposal_id")!.value);
        const vote = await client.signAndBroadcast(acct.address, [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: id, voter: acct.address, option: VoteOption.VOTE_OPTION_YES, metadata: "" } }], FEE);
        expect(vote.code).toBe(0);
        const scheduled = await pollUntil({ what: "plan v2 to be scheduled", check: async () => (await upgrade.CurrentPlan({})).plan, timeoutMs: 120_000, intervalMs: 500 });
        expect(scheduled.name).toBe("v2");
        expect(scheduled.height).toBe(BigInt(planHeight));

        await pollUntil({
          what: `the chain past height ${planHeight} on the v2 release`,
          check: async () => (((await fetchHeight(info.rpc)) ?? 0) > planHeight + 2 ? true : undefined),
          timeoutMs: 300_000,
          intervalMs: 1000,
          abort: () => (cosmovisor.exitCode !== null ? `cosmovisor exited (${cosmovisor.exitCode}): ${log()}` : undefined),
          lastSeen: () => log().split("\n").slice(-5).join(" | "),
        });
        const text = log();
        expect(text).toContain(`UPGRADE NEEDED: "v2" at height ${planHeight}; install the binary for it`);
        expect(text).toContain("upgrade detected, relaunching");
        expect(text).toContain(`build ${v2Hash} (app version`);
        expect(fs.readlinkSync(path.join(paths.appHome, "cosmovisor", "current"))).toBe(path.join(paths.appHome, "cosmovisor", "upgrades", "v2"));
        expect(JSON.parse(fs.readFileSync(path.join(paths.appHome, "data", "upgrade-info.json"), "utf8"))).toEqual({ name: "v2", height: planHeight, info: "restore circuits" });

        // The v2 app applied the plan at its height, on the same chain: history and tx index kept.
        const rpc = await Comet38Client.connect(info.rpc);
        const q = new UpgradeQuery(createProtobufRpcClient(QueryClient.withExtensions(rpc)));
        expect((await q.AppliedPlan({ name: "v2" })).height).toBe(BigInt(planHeight));
        expect((await q.CurrentPlan({})).plan).toBeUndefined();
        const found = await client.getTx(submit.transactionHash);
        expect(found?.height).toBe(submit.height);
        rpc.disconnect();
      } finally {
        comet.disconnect();
        client.disconnect();
      }
    });

    test("SIGTERM to cosmovisor stops the app and CometBFT", async () => {
      cosmovisor.kill("SIGTERM");
      await Promise.race([cosmovisorExit, new Promise((r) => setTimeout(r, 30_000))]);
      // cosmovisor v1.5.0 exits with 1 here after an in-process upgrade (docs/cosmovisor.md); the
      // wrapper's parent-death signal stops the app, and CometBFT follows the app.
      expect(cosmovisor.exitCode === null && cosmovisor.signalCode === null).toBe(false);
      // Bounded generously: the app closes its store and CometBFT follows the dropped ABCI
      // connection, which takes longer on a loaded machine; the message names what still listens.
      let still = "";
      await pollUntil({
        what: "the app and CometBFT to stop listening",
        check: async () => {
          const app = await canConnect(ports.abci);
          const comet = await canConnect(ports.rpc);
          still = [app ? `the app (ABCI ${ports.abci})` : "", comet ? `CometBFT (RPC ${ports.rpc})` : ""].filter((x) => x !== "").join(" and ");
          return still === "" ? true : undefined;
        },
        timeoutMs: 90_000,
        intervalMs: 500,
        lastSeen: () => `still listening: ${still}`,
      });
      expect(log()).toContain("dcertd: stopped");
    });
  });
}
