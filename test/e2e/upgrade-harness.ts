/**
 * What the upgrade end-to-end suites share: two releases of the current build (`v1` without the
 * `v2` upgrade handler, `v2` with it, made by scripts/make-release.mjs exactly as an operator
 * would), and a testnet driven through the compiled `dcertd` CLI (`testnet init|start|upgrade|stop`,
 * `tx`, `q`) with a keyring holding the testnet's accounts. Needs `npm run build` and CometBFT.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveCometbft } from "../../src/localnet/cometbft";
import { compiledDcertd, findRepoRoot, releaseDcertd } from "../../src/localnet/devnet";
import { pollUntil } from "../../src/localnet/proc";
import { readTestnetInfo, setNodeBinary, type TestnetInfo } from "../../src/localnet/testnet";
import { resultAppHashes } from "./testnet-harness";

const repoRoot = findRepoRoot(__dirname);
const dcertd = compiledDcertd(repoRoot);
const cometbftBin = resolveCometbft(repoRoot, process.env);
const PASSPHRASE = "upgrade e2e passphrase";

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the compiled dcertd with `argv` (asynchronously, so the test process keeps polling). */
export function runDcertd(argv: readonly string[], opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [dcertd, ...argv], {
      env: { ...process.env, COMETBFT_BIN: cometbftBin, DCERT_KEYRING_PASSPHRASE: PASSPHRASE, ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 240_000);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** The two releases: `v1` (every handler but v2) and `v2` (every handler). Made once per suite. */
export interface Releases {
  readonly v1: string;
  readonly v2: string;
  readonly v1Hash: string;
  readonly v2Hash: string;
}

export function makeReleases(root: string): Releases {
  const make = (name: string, extra: readonly string[]): { dir: string; hash: string } => {
    const dir = path.join(root, name);
    const r = spawnSync(process.execPath, [path.join(repoRoot, "scripts", "make-release.mjs"), "--out", dir, ...extra], { encoding: "utf8", cwd: repoRoot });
    if (r.status !== 0) throw new Error(`make-release ${name} exited ${r.status}: ${r.stdout}${r.stderr}`);
    const hash = /\b([0-9a-f]{64})\b/.exec(r.stdout)?.[1];
    if (hash === undefined) throw new Error(`make-release ${name} printed no build hash: ${r.stdout}`);
    return { dir, hash };
  };
  const v1 = make("v1", ["--without-upgrade", "v2"]);
  const v2 = make("v2", []);
  return { v1: v1.dir, v2: v2.dir, v1Hash: v1.hash, v2Hash: v2.hash };
}

/** A testnet under test: its directory, its keyring home, and the CLI bound to both. */
export class UpgradeNet {
  readonly dir: string;
  readonly keyHome: string;
  private infoCache: TestnetInfo | undefined;

  constructor(readonly root: string) {
    this.dir = path.join(root, "net");
    this.keyHome = path.join(root, "keys");
  }

  get info(): TestnetInfo {
    this.infoCache ??= readTestnetInfo(this.dir);
    return this.infoCache;
  }

  rpc(i = 0): string {
    const node = this.info.nodes[i];
    if (node === undefined) throw new Error(`no node ${i}`);
    return node.rpc;
  }

  /** `dcertd testnet <argv> --output DIR`, expecting exit 0. */
  async testnet(argv: readonly string[], timeoutMs = 240_000): Promise<string> {
    const r = await runDcertd(["testnet", ...argv, "--dir", this.dir], { timeoutMs });
    if (r.code !== 0) throw new Error(`dcertd testnet ${argv.join(" ")} exited ${r.code}:\n${r.stdout}${r.stderr}`);
    this.infoCache = undefined;
    return `${r.stdout}${r.stderr}`;
  }

  /** `testnet init`, every node on `binary` (a release), the testnet's accounts imported into the keyring. */
  async init(validators: number, binary: string): Promise<void> {
    await this.testnet(["init", "--validators", String(validators)]);
    for (let i = 0; i < validators; i++) setNodeBinary(this.dir, i, releaseDcertd(binary));
    this.infoCache = undefined;
    for (const a of this.info.accounts) {
      const r = await runDcertd(["keys", "import", a.name, "--home", this.keyHome, "-o", "json"], { input: `${a.mnemonic}\n` });
      if (r.code !== 0) throw new Error(`keys import ${a.name}: ${r.stderr}`);
    }
  }

  address(name: string): string {
    const a = this.info.accounts.find((x) => x.name === name);
    if (a === undefined) throw new Error(`no account ${name}`);
    return a.address;
  }

  /** Runs a client command (`tx …` or `q …`) against node `node`'s RPC. */
  cli(argv: readonly string[], node = 0): Promise<Run> {
    return runDcertd([...argv, "--home", this.keyHome, "--node", this.rpc(node)]);
  }

  /** A query (-o json), expecting success. */
  async q<T = Record<string, unknown>>(argv: readonly string[], node = 0): Promise<T> {
    const r = await this.cli(["q", ...argv, "-o", "json"], node);
    if (r.code !== 0) throw new Error(`dcertd q ${argv.join(" ")} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  }

  /** A tx (-y -o json) that must be committed with code 0; returns the result. */
  async tx(argv: readonly string[], node = 0): Promise<Record<string, unknown>> {
    const r = await this.cli(["tx", ...argv, "-y", "-o", "json"], node);
    if (r.code !== 0) throw new Error(`dcertd tx ${argv.join(" ")} exited ${r.code}: ${r.stdout}${r.stderr}`);
    const res = JSON.parse(r.stdout) as Record<string, unknown>;
    if (res["code"] !== 0) throw new Error(`dcertd tx ${argv.join(" ")} failed: ${r.stdout}`);
    return res;
  }

  async height(node = 0): Promise<number> {
    const r = await fetch(`${this.rpc(node)}/status`, { signal: AbortSignal.timeout(10_000) });
    const body = (await r.json()) as { result: { sync_info: { latest_block_height: string } } };
    return Number(body.result.sync_info.latest_block_height);
  }

  /** Waits until node `node` answers a height ≥ `target`. */
  async waitForHeight(target: number, node = 0, timeoutMs = 180_000): Promise<number> {
    return pollUntil({
      what: `node${node} to reach height ${target}`,
      check: async () => {
        try {
          const h = await this.height(node);
          return h >= target ? h : undefined;
        } catch {
          return undefined;
        }
      },
      timeoutMs,
      intervalMs: 300,
    });
  }

  /**
   * Every validator votes yes on proposal `id` (the testnet splits power equally), all at once: the
   * testnet's voting period is 15 s, which four CLI runs one after another can outlast on a busy
   * machine. A vote refused because the period already ended (the others' votes carried it) is
   * fine: `proposalOutcome` says how it ended.
   */
  async voteYes(id: string): Promise<void> {
    await Promise.all(
      this.info.nodes.map(async (_n, i) => {
        try {
          await this.tx(["gov", "vote", id, "yes", "--from", `validator${i}`], i);
        } catch (e) {
          if (!/inactive proposal/.test(e instanceof Error ? e.message : String(e))) throw e;
        }
      }),
    );
  }

  /** Waits until proposal `id` leaves its voting period; returns its final status. */
  async proposalOutcome(id: string): Promise<string> {
    return pollUntil({
      what: `proposal ${id} to conclude`,
      check: async () => {
        const p = (await this.q<{ proposal: Record<string, unknown> }>(["gov", "proposal", id])).proposal;
        return p["status"] === "PROPOSAL_STATUS_VOTING_PERIOD" || p["status"] === "PROPOSAL_STATUS_DEPOSIT_PERIOD" ? undefined : String(p["status"]);
      },
      timeoutMs: 120_000,
      intervalMs: 500,
    });
  }

  /** Submits a governance proposal of `messages` from validator0 with the minimum deposit; returns its id. */
  async propose(messages: readonly Record<string, unknown>[], title: string): Promise<string> {
    const file = path.join(this.root, `proposal-${Date.now()}.json`);
    fs.writeFileSync(file, JSON.stringify({ messages, deposit: "10000000udcert", title, summary: `${title} (upgrade e2e)` }));
    const res = await this.tx(["gov", "submit-proposal", file, "--from", "validator0"]);
    return String(res["proposal_id"]);
  }

  /** `name` bonds, accepts admission and receives every validator's vote; waits until it is seated. */
  async electMembers(names: readonly string[]): Promise<void> {
    for (const n of names) {
      await this.tx(["dcert", "bond", "2000000udcert", "--from", n]);
      await this.tx(["dcert", "accept-admission", "--from", n]);
    }
    const split = names.map((n) => `${this.address(n)}=${(1 / names.length).toFixed(6)}`).join(",");
    for (let i = 0; i < this.info.nodes.length; i++) await this.tx(["dcert", "vote", "--split", split, "--from", `validator${i}`]);
    await pollUntil({
      what: `${names.join(", ")} to be seated`,
      check: async () => {
        const g = await this.q(["dcert", "group"]);
        const seated = new Set((g["members"] as { address: string }[]).map((m) => m.address));
        return names.every((n) => seated.has(this.address(n))) ? true : undefined;
      },
      timeoutMs: 120_000,
      intervalMs: 500,
    });
  }

  /** The app hash each node's own app returned for heights from..to: one distinct value per height. */
  async expectEqualAppHashes(from: number, to: number): Promise<void> {
    const per = await Promise.all(this.info.nodes.map((n) => resultAppHashes(n.rpc, from, to)));
    for (let h = from; h <= to; h++) {
      const seen = new Set(per.map((m) => m.get(h)));
      if (seen.size !== 1) throw new Error(`nodes disagree on the app hash of block ${h}: ${[...seen].join(", ")}`);
    }
  }

  async stop(): Promise<void> {
    if (fs.existsSync(path.join(this.dir, "testnet.json"))) await this.testnet(["stop"]).catch(() => undefined);
  }
}

export function tempRoot(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `dcert-${label}-`));
}

export function removeRoot(root: string): void {
  if (process.env["KEEP_TESTNET"] === "1") {
    process.stderr.write(`kept ${root}\n`);
    return;
  }
  fs.rmSync(root, { recursive: true, force: true });
}
