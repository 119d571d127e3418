/**
 * The genesis ceremony of docs/testnet.md, step by step through the compiled `dcertd` CLI, for
 * three validators with separate homes (as if on separate machines; only files travel between
 * them): init, add-account (coordinator), gentx (each), collect-gentxs (coordinator), validate
 * (each, which also sets its peers) — one operator key from a mnemonic file, one from the
 * encrypted keyring; then every node runs `dcertd start` + `cometbft node` and the
 * three validators produce blocks. Mistakes a validator can make are refused with a message that
 * says what to do. Needs `npm run build` and CometBFT.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveCometbft } from "../../src/localnet/cometbft";
import { cometConfigFile, compiledDcertd, devnetPaths, findRepoRoot, generateAccount, type DevnetAccount, type DevnetProcesses } from "../../src/localnet/devnet";
import { genesisFile } from "../../src/localnet/ceremony";
import { pollUntil, reservePorts, type PortReservation } from "../../src/localnet/proc";
import { startNodes, stopNodes, waitForNodes } from "../../src/localnet/testnet";
import { rpcResult } from "./testnet-harness";

jest.setTimeout(300_000);

const repoRoot = findRepoRoot(__dirname);
const dcertd = compiledDcertd(repoRoot);
const cometbftBin = resolveCometbft(repoRoot, process.env);
const CHAIN_ID = "dcert-ceremony-1";
const NAMES = ["alpha", "beta", "gamma"] as const;

let root: string;
let operators: DevnetAccount[];
let ports: { rpc: number; p2p: number; abci: number }[];
let reservation: PortReservation | undefined;
const procs: DevnetProcesses[] = NAMES.map(() => ({}));

function home(i: number): string {
  return path.join(root, NAMES[i] as string);
}

const PASSPHRASE = "ceremony-passphrase";

function keyringHome(): string {
  return path.join(root, "gamma-client");
}

/** The operator-key flags of validator i's gentx. */
function keyFlags(i: number): string[] {
  return i === 2
    ? ["--from", "gamma-operator", "--keyring-home", keyringHome(), "--keyring-passphrase", PASSPHRASE]
    : ["--mnemonic-file", path.join(home(i), "operator.mnemonic")];
}

function run(...args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, [dcertd, ...args], { encoding: "utf8", env: { ...process.env, COMETBFT_BIN: cometbftBin }, timeout: 60_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function ok(...args: string[]): string {
  const r = run(...args);
  if (r.code !== 0) throw new Error(`dcertd ${args.join(" ")} exited ${r.code}:\n${r.out}`);
  return r.out;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-ceremony-"));
  // Held until each node's process starts (step 6), locked until afterAll.
  reservation = await reservePorts(9);
  const free = reservation.ports;
  ports = NAMES.map((_, i) => ({ rpc: free[3 * i]!, p2p: free[3 * i + 1]!, abci: free[3 * i + 2]! }));
  operators = [];
  for (const n of NAMES) operators.push(await generateAccount(n));
});

afterAll(async () => {
  await stopNodes(procs);
  await reservation?.release();
  if (process.env["KEEP_TESTNET"] !== "1") fs.rmSync(root, { recursive: true, force: true });
});

describe("the genesis ceremony through the dcertd CLI", () => {
  it("step 1: each validator runs dcertd init", () => {
    NAMES.forEach((name, i) => {
      const p = ports[i]!;
      const out = ok("init", "--home", home(i), "--moniker", name, "--chain-id", CHAIN_ID, "--devnet-params",
        "--rpc-port", String(p.rpc), "--p2p-port", String(p.p2p), "--abci-port", String(p.abci));
      expect(out).toMatch(/node id: +[0-9a-f]{40}/);
      const genesis = JSON.parse(fs.readFileSync(genesisFile(home(i)), "utf8")) as Record<string, unknown>;
      expect(genesis["chain_id"]).toBe(CHAIN_ID);
      expect(genesis["validators"]).toEqual([]);
      // alpha and beta keep their operator mnemonic in a file only they can read …
      if (i < 2) fs.writeFileSync(path.join(home(i), "operator.mnemonic"), `${operators[i]!.mnemonic}\n`, { mode: 0o600 });
    });
    // … gamma keeps its operator key in the encrypted keyring.
    const added = JSON.parse(ok("keys", "add", "gamma-operator", "--home", keyringHome(), "--keyring-passphrase", PASSPHRASE, "-o", "json")) as { address: string };
    operators[2] = { name: "gamma", address: added.address, mnemonic: "" };
    const again = run("init", "--home", home(0), "--chain-id", CHAIN_ID);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/already initialized/);
  });

  it("step 2: the coordinator adds every validator's account; a gentx before that is refused", () => {
    const early = run("genesis", "gentx", "--home", home(1), "--mnemonic-file", path.join(home(1), "operator.mnemonic"), "--amount", "100000000000udcert");
    expect(early.code).toBe(1);
    expect(early.out).toContain(`${operators[1]!.address} has no account`);
    expect(early.out).toContain("dcertd genesis add-account");

    const wrongPass = run("genesis", "gentx", "--home", home(2), "--from", "gamma-operator", "--keyring-home", keyringHome(), "--keyring-passphrase", "not-the-passphrase", "--amount", "1udcert");
    expect(wrongPass.code).toBe(1);
    expect(wrongPass.out).toMatch(/passphrase/);
    for (const op of operators) ok("genesis", "add-account", op.address, "1000000000000udcert", "--home", home(0));
    const dup = run("genesis", "add-account", operators[0]!.address, "1udcert", "--home", home(0));
    expect(dup.code).toBe(1);
    expect(dup.out).toMatch(/already has a genesis account; use --append/);
    const bad = run("genesis", "add-account", "cosmos1xyz", "1udcert", "--home", home(0));
    expect(bad.code).toBe(1);
    expect(run("genesis", "add-account", operators[0]!.address, "lots", "--home", home(0)).code).toBe(2);
    // … and sends that genesis.json to the others.
    for (const i of [1, 2]) fs.copyFileSync(genesisFile(home(0)), genesisFile(home(i)));
  });

  it("step 3: each validator signs its gentx; the coordinator's genesis does not validate without them", () => {
    const none = run("genesis", "validate", "--home", home(0));
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/no validators: collect the validators' gentxs first/);
    fs.mkdirSync(path.join(home(0), "gentx"), { recursive: true });
    NAMES.forEach((_, i) => {
      const out = ok("genesis", "gentx", "--home", home(i), ...keyFlags(i), "--amount", "100000000000udcert");
      const file = /wrote (\S+)/.exec(out)?.[1];
      expect(file).toBeDefined();
      const gentx = JSON.parse(fs.readFileSync(file!, "utf8")) as Record<string, unknown>;
      expect(gentx["chain_id"]).toBe(CHAIN_ID);
      expect(gentx["memo"]).toBe(`${gentx["node_id"] as string}@127.0.0.1:${ports[i]!.p2p}`);
      // … and sends it to the coordinator.
      if (i !== 0) fs.copyFileSync(file!, path.join(home(0), "gentx", path.basename(file!)));
    });
  });

  it("step 4: the coordinator collects the gentxs; a gentx whose summary was edited is refused", () => {
    const tamperedDir = path.join(root, "tampered");
    fs.mkdirSync(tamperedDir);
    const [first] = fs.readdirSync(path.join(home(0), "gentx"));
    const g = JSON.parse(fs.readFileSync(path.join(home(0), "gentx", first!), "utf8")) as Record<string, unknown>;
    fs.writeFileSync(path.join(tamperedDir, first!), JSON.stringify({ ...g, moniker: "impostor" }));
    const refused = run("genesis", "collect-gentxs", "--home", home(0), "--gentx-dir", tamperedDir);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/moniker.*signed tx says/);

    const out = ok("genesis", "collect-gentxs", "--home", home(0));
    expect(out).toContain("collected 3 gentxs");
    expect(out).toMatch(/validators \(3\)/);
    for (const name of NAMES) expect(out).toContain(name);
    const genesis = JSON.parse(fs.readFileSync(genesisFile(home(0)), "utf8")) as { app_state: { genutil: { gen_txs: string[] } } };
    expect(genesis.app_state.genutil.gen_txs).toHaveLength(3);
    expect(fs.readFileSync(cometConfigFile(devnetPaths(home(0)).cometHome), "utf8")).toMatch(
      new RegExp(`persistent_peers = "[0-9a-f]{40}@127\\.0\\.0\\.1:${ports[1]!.p2p},[0-9a-f]{40}@127\\.0\\.0\\.1:${ports[2]!.p2p}"|persistent_peers = "[0-9a-f]{40}@127\\.0\\.0\\.1:${ports[2]!.p2p},[0-9a-f]{40}@127\\.0\\.0\\.1:${ports[1]!.p2p}"`),
    );
  });

  it("step 5: everyone takes the final genesis, validates it and sets its peers", () => {
    for (const i of [1, 2]) fs.copyFileSync(genesisFile(home(0)), genesisFile(home(i)));
    for (const i of [1, 2]) {
      const out = ok("genesis", "validate", "--home", home(i), "--set-peers");
      expect(out).toMatch(/genesis is valid: chain-id dcert-ceremony-1/);
      expect(out).toMatch(/wrote persistent_peers/);
    }
    const hashes = [0, 1, 2].map((i) => /genesis app hash ([0-9A-F]{64})/.exec(ok("genesis", "validate", "--genesis", genesisFile(home(i))))?.[1]);
    expect(new Set(hashes).size).toBe(1);
  });

  it("step 6: every validator starts its app and CometBFT; the three produce blocks together", async () => {
    const launches = NAMES.map((name, i) => ({
      paths: devnetPaths(home(i)),
      ports: ports[i]!,
      cometbftBin,
      dcertdScript: dcertd,
      procs: procs[i]!,
      label: name,
      blockTimeoutMs: 90_000,
      ...(reservation === undefined ? {} : { reservation }),
    }));
    await startNodes(launches);
    await waitForNodes(launches);
    const vals = await rpcResult<{ validators: { voting_power: string }[] }>(`http://127.0.0.1:${ports[2]!.rpc}`, "/validators");
    expect(vals.validators.map((v) => v.voting_power)).toEqual(["100000", "100000", "100000"]);
    // Two of three validators already make blocks; the third connection may still be dialling.
    let peers = 0;
    await pollUntil({
      what: "beta to have 2 peers",
      check: async () => {
        peers = Number((await rpcResult<{ n_peers: string }>(`http://127.0.0.1:${ports[1]!.rpc}`, "/net_info")).n_peers);
        return peers === 2 ? true : undefined;
      },
      timeoutMs: 120_000,
      intervalMs: 500,
      retryErrors: true,
      lastSeen: () => `${peers} peers`,
    });
    expect(peers).toBe(2);
  });
});
