/**
 * The local chain end to end: a real CometBFT v0.38 node driving the compiled app, set up by the
 * same code as `npm start`. Needs `npm run build` first and a CometBFT binary ($COMETBFT_BIN, or
 * scripts/install-cometbft.sh installs it).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { StargateClient } from "@cosmjs/stargate";
import { installEncodingFastPath } from "../../src/baseapp/perf";
import { compiledDcertd, DEVNET_ACCOUNT_BALANCE, DEVNET_BLOCK_MAX_GAS, fetchHeight, findRepoRoot } from "../../src/localnet/devnet";
import { pollUntil, reservePorts, type PortReservation } from "../../src/localnet/proc";
import { msgSend, signDirect, testFee } from "../helpers/txs";
import { startDevnet, type Devnet } from "./harness";

jest.setTimeout(300_000);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForHeightAbove(rpc: string, height: number, timeoutMs = 120_000): Promise<number> {
  let last: number | undefined;
  return pollUntil({
    what: `${rpc} to pass height ${height}`,
    check: async () => {
      last = await fetchHeight(rpc);
      return last !== undefined && last > height ? last : undefined;
    },
    timeoutMs,
    lastSeen: () => (last === undefined ? "no answer" : `height ${last}`),
  });
}

describe("devnet via the harness", () => {
  let devnet: Devnet | undefined;

  beforeAll(async () => {
    devnet = await startDevnet();
  });

  afterAll(async () => {
    await devnet?.stop();
  });

  function net(): Devnet {
    if (devnet === undefined) throw new Error("devnet did not start");
    return devnet;
  }

  it("writes devnet.json with exactly the documented keys and four funded-looking accounts", async () => {
    const file = path.join(net().home, "devnet.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(["chainId", "rpc", "denom", "bech32Prefix", "accounts"]);
    expect(json["chainId"]).toBe("dcert-devnet-1");
    expect(json["rpc"]).toBe(net().rpc);
    expect(json["rpc"]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(json["denom"]).toBe("udcert");
    expect(json["bech32Prefix"]).toBe("dcert");
    const accounts = json["accounts"] as Record<string, unknown>[];
    expect(accounts.map((a) => a["name"])).toEqual(["validator", "alice", "bob", "carol"]);
    const addresses = new Set<string>();
    for (const a of accounts) {
      expect(Object.keys(a)).toEqual(["name", "address", "mnemonic"]);
      const mnemonic = a["mnemonic"] as string;
      expect(mnemonic.split(" ")).toHaveLength(24);
      const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "dcert" });
      const [derived] = await wallet.getAccounts();
      expect(a["address"]).toBe(derived?.address);
      addresses.add(a["address"] as string);
    }
    expect(addresses.size).toBe(4);
    expect(net().accounts).toEqual(accounts);
  });

  it("produces blocks that stock CosmJS can read", async () => {
    const client = await StargateClient.connect(net().rpc);
    try {
      expect(await client.getChainId()).toBe("dcert-devnet-1");
      const h1 = await client.getHeight();
      expect(h1).toBeGreaterThanOrEqual(1);
      await waitForHeightAbove(net().rpc, h1);
      expect(await client.getHeight()).toBeGreaterThan(h1);
      for (const account of net().accounts.slice(1)) {
        const balance = await client.getBalance(account.address, net().denom);
        expect(BigInt(balance.amount)).toBe(DEVNET_ACCOUNT_BALANCE);
      }
    } finally {
      client.disconnect();
    }
  });

  it("answers a tx with a gas limit in [2^31, 2^32) and keeps making blocks", async () => {
    // cosmjs-types wrote such a gas_wanted in CheckTx's answer as bytes CometBFT refused, and it
    // stopped ("ResponseCheckTx: illegal tag 0"): one unsigned tx stopped the node. The client
    // side needs the patch too, or CosmJS signs the gas limit wrongly.
    installEncodingFastPath();
    const d = net();
    const alice = d.accounts[1]!;
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(alice.mnemonic, { prefix: "dcert" });
    const gas = 3_000_000_000n;
    expect(gas).toBeGreaterThan(DEVNET_BLOCK_MAX_GAS);
    const tx = await signDirect(wallet, { msgs: [msgSend(alice.address, d.accounts[2]!.address, 1)], fee: testFee(5000n, gas), chainId: d.chainId, accountNumber: 0, sequence: 0 });
    const res = await fetch(`${d.rpc}/broadcast_tx_sync?tx=0x${Buffer.from(tx).toString("hex")}`);
    const body = (await res.json()) as { result?: { code: number; codespace: string; log: string } };
    expect(body.result?.code).toBe(41);
    expect(body.result?.codespace).toBe("sdk");
    expect(body.result?.log).toContain(`tx gas limit ${gas} exceeds the block gas limit`);
    const h = (await d.height()) ?? 0;
    await waitForHeightAbove(d.rpc, h + 1);
  });

  it("comes back after the app is killed with SIGKILL, keeping its chain", async () => {
    const d = net();
    const before = (await d.height()) ?? 0;
    const oldPid = d.appPid;
    const status = await d.killApp("SIGKILL");
    expect(status.signal).toBe("SIGKILL");
    expect(isAlive(oldPid)).toBe(false);
    const after = await d.restartApp();
    expect(d.appPid).not.toBe(oldPid);
    expect(after).toBeGreaterThan(before);
    const client = await StargateClient.connect(d.rpc);
    try {
      expect(await client.getChainId()).toBe("dcert-devnet-1");
      expect(await client.getHeight()).toBeGreaterThanOrEqual(after);
    } finally {
      client.disconnect();
    }
  });

  it("stop() ends both processes", async () => {
    const d = net();
    const pids = [d.appPid, d.cometPid];
    await d.stop();
    devnet = undefined;
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });
});

interface CliRun {
  output(): string;
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
  /** SIGINT and wait; SIGKILL if it does not exit within 20 s. */
  interrupt(): Promise<number | null>;
}

function runDcertd(args: readonly string[]): CliRun {
  const child = spawn(process.execPath, [compiledDcertd(findRepoRoot(__dirname)), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
  return {
    output: () => out,
    exited,
    async waitForOutput(text, timeoutMs = 180_000) {
      await pollUntil({
        what: `dcertd to print "${text}"`,
        check: () => (out.includes(text) ? true : undefined),
        abort: () => (child.exitCode !== null || child.signalCode !== null ? `dcertd exited; output:\n${out}` : undefined),
        timeoutMs,
        lastSeen: () => `output:\n${out}`,
      });
    },
    async interrupt() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

describe("dcertd devnet (the npm start command)", () => {
  let home = "";
  let current: CliRun | undefined;
  let reservation: PortReservation | undefined;

  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-cli-"));
  });

  afterAll(async () => {
    await current?.interrupt();
    await reservation?.release();
    if (process.env["KEEP_DEVNET"] !== "1") fs.rmSync(home, { recursive: true, force: true });
  });

  it("starts, prints the RPC URL and chain-id, and exits 0 on SIGINT after stopping CometBFT then the app", async () => {
    // Locked for both runs; the sockets are closed now, since the dcertd process checks and binds them.
    reservation = await reservePorts(6);
    await reservation.unhold();
    const [rpc, p2p, abci, api, grpc, web] = reservation.ports as [number, number, number, number, number, number];
    current = runDcertd(["devnet", "--home", home, "--rpc-port", String(rpc), "--p2p-port", String(p2p), "--abci-port", String(abci), "--api-port", String(api), "--grpc-port", String(grpc), "--web-port", String(web)]);
    await current.waitForOutput("dCERT devnet is running");
    const out = current.output();
    expect(out).toContain("setting up a new devnet");
    expect(out).toContain(`http://127.0.0.1:${rpc}`);
    expect(out).toContain(`REST:       http://127.0.0.1:${api}`);
    expect(out).toContain(`gRPC:       127.0.0.1:${grpc}`);
    // The web app (built by npm run build), with a config.json pointing at this devnet.
    expect(out).toContain(`Web app: http://127.0.0.1:${web}`);
    const webConfig = (await (await fetch(`http://127.0.0.1:${web}/config.json`)).json()) as { rpc: string; rest: string; devAccounts: { name: string }[] };
    expect(webConfig.rpc).toBe(`http://127.0.0.1:${rpc}`);
    expect(webConfig.rest).toBe(`http://127.0.0.1:${api}`);
    expect(webConfig.devAccounts.map((a) => a.name)).toEqual(["validator", "alice", "bob", "carol"]);
    expect((await fetch(`http://127.0.0.1:${web}/`)).headers.get("content-type")).toContain("text/html");
    expect(out).toContain("dcert-devnet-1");
    expect(out).toContain(path.join(home, "devnet.json"));
    const info = JSON.parse(fs.readFileSync(path.join(home, "devnet.json"), "utf8")) as { rpc: string };
    expect(info.rpc).toBe(`http://127.0.0.1:${rpc}`);
    expect(await fetchHeight(info.rpc)).toBeGreaterThanOrEqual(1);

    expect(await current.interrupt()).toBe(0);
    const stopComet = current.output().indexOf("stopping CometBFT");
    const stopApp = current.output().indexOf("stopping the app");
    expect(stopComet).toBeGreaterThan(-1);
    expect(stopApp).toBeGreaterThan(stopComet);
    expect(await fetchHeight(info.rpc)).toBeUndefined();
  });

  it("resumes the same chain on the next run, on the ports it was given before", async () => {
    const info = JSON.parse(fs.readFileSync(path.join(home, "devnet.json"), "utf8")) as { rpc: string; accounts: unknown[] };
    const blockFile = path.join(home, "cometbft", "data", "blockstore.db");
    expect(fs.existsSync(blockFile)).toBe(true);
    current = runDcertd(["devnet", "--home", home]);
    await current.waitForOutput("dCERT devnet is running");
    expect(current.output()).toContain("resuming the devnet");
    // The REST and gRPC ports of the first run too.
    const [, , , api, , web] = reservation?.ports as [number, number, number, number, number, number];
    expect(current.output()).toContain(`REST:       http://127.0.0.1:${api}`);
    expect(current.output()).toContain(`Web app: http://127.0.0.1:${web}`);
    const height = /running \(height (\d+)\)/.exec(current.output());
    expect(Number(height?.[1])).toBeGreaterThan(1);
    const again = JSON.parse(fs.readFileSync(path.join(home, "devnet.json"), "utf8")) as { rpc: string; accounts: unknown[] };
    expect(again).toEqual(info);
    expect(await fetchHeight(info.rpc)).toBeGreaterThan(1);
    expect(await current.interrupt()).toBe(0);
  });
});
