/**
 * ABCI over a unix socket: a devnet whose app listens on `unix://<home>/abci.sock` and whose
 * CometBFT's proxy_app points there produces blocks and commits a signed tx (Info, InitChain,
 * CheckTx, FinalizeBlock and Commit all cross the socket), with nothing on the ABCI TCP port; and
 * `dcertd start` refuses a socket it cannot create with an error that says what to do.
 *
 * Runs after `npm run build` (the app runs from dist/).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { resolveCometbft } from "../../src/localnet/cometbft";
import { getTomlValue } from "../../src/localnet/cometbft";
import { readAppConfig } from "../../src/localnet/appconfig";
import { cometConfigFile, compiledDcertd, findRepoRoot, launchDevnet, prepareDevnet, stopDevnet, type DevnetPaths, type DevnetProcesses } from "../../src/localnet/devnet";
import { canConnect, reservePorts, type PortReservation } from "../../src/localnet/proc";

jest.setTimeout(300_000);

const run = promisify(execFile);

describe("ABCI over a unix socket", () => {
  const repoRoot = findRepoRoot(__dirname);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-e2e-unix-"));
  const socket = path.join(home, "abci.sock");
  const procs: DevnetProcesses = {};
  let reservation: PortReservation;
  let paths: DevnetPaths;
  let rpc: string;
  let abciPort: number;
  let alice: { address: string; mnemonic: string };
  let bob: string;
  let denom: string;

  beforeAll(async () => {
    reservation = await reservePorts(3);
    const [rpcPort, p2p, abci] = reservation.ports as [number, number, number];
    abciPort = abci;
    const cometbftBin = resolveCometbft(repoRoot, process.env);
    const prepared = await prepareDevnet({ home: path.join(home, "devnet"), reset: false, ports: { rpc: rpcPort, p2p, abci, abciSocket: socket }, cometbftBin });
    paths = prepared.paths;
    rpc = prepared.info.rpc;
    alice = prepared.info.accounts[1]!;
    bob = prepared.info.accounts[2]!.address;
    denom = prepared.info.denom;
    await launchDevnet({ paths, ports: prepared.ports, cometbftBin, dcertdScript: compiledDcertd(repoRoot), procs, reservation });
  });

  afterAll(async () => {
    await stopDevnet(procs);
    await reservation.release();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("points CometBFT and the app at the socket, and leaves the ABCI port unused", async () => {
    const config = fs.readFileSync(cometConfigFile(paths.cometHome), "utf8");
    expect(getTomlValue(config, "", "proxy_app")).toBe(`unix://${socket}`);
    expect(readAppConfig(path.join(paths.appHome, "config", "app.toml"))?.abciAddress).toBe(`unix://${socket}`);
    expect(fs.statSync(socket).isSocket()).toBe(true);
    expect(await canConnect("127.0.0.1", abciPort)).toBe(false);
  });

  it("checks and commits a signed tx over it", async () => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(alice.mnemonic, { prefix: "dcert" });
    const client = await SigningStargateClient.connectWithSigner(rpc, wallet, { broadcastPollIntervalMs: 300, broadcastTimeoutMs: 30_000 });
    try {
      const before = await client.getBalance(bob, denom);
      const res = await client.sendTokens(alice.address, bob, [{ denom, amount: "1234" }], { amount: [{ denom, amount: "5000" }], gas: "200000" });
      expect(res.code).toBe(0);
      expect(BigInt((await client.getBalance(bob, denom)).amount)).toBe(BigInt(before.amount) + 1234n);
    } finally {
      client.disconnect();
    }
  });

  it("dcertd start refuses a socket whose folder does not exist, and says what to do", async () => {
    const missing = path.join(home, "no-such-folder", "app.sock");
    const err = await run(process.execPath, [compiledDcertd(repoRoot), "start", "--home", path.join(home, "other-app"), "--abci", `unix://${missing}`, "--minimum-gas-prices", `0${denom}`]).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(err?.code).not.toBe(0);
    expect(err?.stderr).toContain(`cannot create the ABCI socket unix://${missing} (its folder ${path.dirname(missing)} does not exist)`);
    expect(err?.stderr).toContain("create the folder with write access for this user, or choose another path with --abci");
  });

  it("dcertd start refuses a relative socket path before opening anything", async () => {
    const err = await run(process.execPath, [compiledDcertd(repoRoot), "start", "--home", path.join(home, "other-app"), "--abci", "unix://app.sock", "--minimum-gas-prices", `0${denom}`]).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(err?.code).not.toBe(0);
    expect(err?.stderr).toMatch(/--abci must look like tcp:\/\/127\.0\.0\.1:26658 or unix:\/\/\/var\/run\/dcert\/app\.sock \(an absolute path of at most 107 bytes\), got "unix:\/\/app\.sock"/);
  });
});
