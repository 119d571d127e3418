/**
 * The coordination commands end to end on a real CometBFT devnet, each run as its own process
 * (dist/src/cli/dcertd.js): encryption keys in the keyring; alice becomes a dCERT member; alice,
 * the "foo" project (depends on bank's MsgSend) and the "bar" project (depends on staking) register
 * as parties; alice opens a level-3 case from a case directory (the salts stay in a private local
 * folder); `notify --matching` reaches foo and not bar; `dcertd watch` of foo (catch-up with --once,
 * then live over the websocket, stopped by SIGTERM) decrypts its notices and prints the ack command,
 * which acknowledges on chain; bar's sealed input reaches alice's watcher; nothing of the report or
 * the notices is in clear in any transaction of the run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compiledDcertd, findRepoRoot } from "../../src/localnet/devnet";
import { pollUntil } from "../../src/localnet/proc";
import { startDevnet, type Devnet } from "./harness";

jest.setTimeout(600_000);

const PASSPHRASE = "coord e2e passphrase";
const REPORT = "SECRET-REPORT: MsgSend double-spends when the amount overflows (exploit attached)";
const TITLE = "Bank send double spend";
const UPDATE = "SECRET-UPDATE: the patch is tagged v9.9.9";
const INPUT = "SECRET-INPUT: I can reproduce on mainnet fork";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const script = compiledDcertd(findRepoRoot(__dirname));

function spawnDcertd(argv: readonly string[]): ChildProcess {
  return spawn(process.execPath, [script, ...argv], { env: { ...process.env, DCERT_KEYRING_PASSPHRASE: PASSPHRASE }, stdio: ["pipe", "pipe", "pipe"] });
}

function runDcertd(argv: readonly string[], input = ""): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawnDcertd(argv);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin?.end(input);
  });
}

describe("coordination CLI and watcher on a CometBFT devnet", () => {
  let devnet: Devnet;
  let home: string;
  let caseId = "";
  const addr: Record<string, string> = {};

  function net(argv: readonly string[]): string[] {
    return [...argv, "--home", home, "--node", devnet.rpc];
  }

  async function ok(argv: readonly string[], input = ""): Promise<Record<string, unknown>> {
    const r = await runDcertd(argv, input);
    if (r.code !== 0) throw new Error(`dcertd ${argv.join(" ")} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  async function tx(argv: readonly string[]): Promise<Record<string, unknown>> {
    const res = await ok(net(["tx", ...argv, "-y", "-o", "json"]));
    expect(res["code"]).toBe(0);
    return res;
  }

  const q = (argv: readonly string[]): Promise<Record<string, unknown>> => ok(net(["q", ...argv, "-o", "json"]));

  function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
    return pollUntil({ what, check: probe, timeoutMs, intervalMs: 500 });
  }

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-coord-e2e-"));
    devnet = await startDevnet();
  });

  afterAll(async () => {
    await devnet?.stop();
    if (home !== undefined) fs.rmSync(home, { recursive: true, force: true });
  });

  test("keys: accounts and X25519 encryption keys in the keyring", async () => {
    const acct = (i: number): { mnemonic: string } => devnet.accounts[i] as { mnemonic: string };
    addr["validator"] = (await ok(["keys", "import", "validator", "--home", home, "-o", "json"], `${acct(0).mnemonic}\n`))["address"] as string;
    addr["alice"] = (await ok(["keys", "import", "alice", "--home", home, "-o", "json"], `${acct(1).mnemonic}\n`))["address"] as string;
    for (const name of ["foo", "bar"]) addr[name] = (await ok(["keys", "add", name, "--no-backup", "--home", home, "-o", "json"]))["address"] as string;
    for (const name of ["alice", "foo", "bar"]) {
      const k = await ok(["keys", "add-encryption", name, "--home", home, "-o", "json"]);
      expect(k["public_key"]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    }
    const file = path.join(home, "keyring-file", "encryption", "foo.json");
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    const list = JSON.parse((await runDcertd(["keys", "list-encryption", "--home", home, "-o", "json"])).stdout) as { name: string }[];
    expect(list.map((k) => k.name)).toEqual(["alice", "bar", "foo"]);
    for (const name of ["foo", "bar"]) await tx(["bank", "send", "validator", name, "100000000udcert"]);
  });

  test("alice becomes a dCERT member", async () => {
    await tx(["dcert", "bond", "2000000udcert", "--from", "alice"]);
    await tx(["dcert", "accept-admission", "--from", "alice"]);
    await tx(["dcert", "vote", "--split", "alice=1", "--from", "validator"]);
    await until("alice to be seated", async () => {
      const g = await q(["dcert", "group"]);
      return (g["members"] as { address: string }[]).some((m) => m.address === addr["alice"]) ? true : undefined;
    });
  });

  test("parties register with their dependencies", async () => {
    await tx(["coord", "register-party", "--kind", "core-developer", "--name", "Alice (dCERT)", "--from", "alice"]);
    await tx(["coordination", "register-party", "--kind", "downstream-project", "--name", "Foo wallet", "--contact", "security@foo.example", "--dep", "route:/cosmos.bank.v1beta1.MsgSend", "--dep", "pkg:npm/foo@vers:semver/>=1.0.0|<1.2.0", "--from", "foo"]);
    await tx(["coord", "register-party", "--kind", "downstream-project", "--name", "Bar explorer", "--dep", "module:staking", "--from", "bar"]);
    const foo = (await q(["coord", "party", "foo"]))["party"] as Record<string, unknown>;
    expect(foo).toMatchObject({ name: "Foo wallet", kind: "PARTY_KIND_DOWNSTREAM_PROJECT", key_epoch: 1 });
    const shown = await ok(["keys", "show-encryption", "foo", "--home", home, "-o", "json"]);
    expect(foo["encryption_key"]).toBe(shown["public_key"]);
    const keys = await q(["coord", "group-keys"]);
    expect((keys["keys"] as { address: string }[]).map((k) => k.address)).toContain(addr["alice"]);
  });

  test("alice opens a level-3 case from a case directory; the salts stay in a private local folder", async () => {
    const draft = path.join(home, "draft");
    fs.mkdirSync(draft);
    fs.writeFileSync(path.join(draft, "report.md"), REPORT);
    fs.writeFileSync(path.join(draft, "components.json"), JSON.stringify(["route:/cosmos.bank.v1beta1.MsgSend"]));
    fs.writeFileSync(path.join(draft, "advisory.json"), JSON.stringify({ title: TITLE, summary: "Sends can be replayed.", impact: "Loss of funds", recommendations: "Upgrade" }));
    const res = await tx(["coord", "open-case", draft, "--level", "3", "--from", "alice"]);
    caseId = res["case_id"] as string;
    expect(caseId).toMatch(/^[1-9][0-9]*$/);
    const dir = res["case_dir"] as string;
    const chainId = devnet.chainId;
    expect(dir).toBe(path.join(home, "coord", chainId, caseId));
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(home, "coord", chainId)).filter((f) => f.startsWith("pending-"))).toEqual([]);
    const c = await q(["coord", "case", caseId]);
    expect(c["case"]).toMatchObject({ id: caseId, level: 3, status: "CASE_STATUS_OPEN" });
    const local = JSON.parse(fs.readFileSync(path.join(dir, "case.json"), "utf8")) as { items: { commitment: string }[] };
    const onChain = (c["commitments"] as { hash: string }[]).map((x) => Buffer.from(x.hash, "base64").toString("hex"));
    expect(onChain.sort()).toEqual(local.items.map((i) => i.commitment).sort());
    const adv = await runDcertd(net(["q", "coord", "advisory", caseId]));
    expect(adv.code).toBe(1);
    expect(adv.stderr).toMatch(/is not disclosed yet/);
  });

  test("notify --matching seals the private disclosure to foo only", async () => {
    const res = await tx(["coord", "notify", caseId, "--matching", "--from", "alice"]);
    expect(res["recipients"]).toEqual([`Foo wallet (${addr["foo"]})`]);
    const again = await runDcertd(net(["tx", "coord", "notify", caseId, "--matching", "--from", "alice", "-y"]));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/has been notified/);
    const notices = (await q(["coord", "notices", "--case", caseId]))["notices"] as { recipient: string }[];
    expect(notices.map((n) => n.recipient)).toEqual([addr["foo"]]);
  });

  let ackCommand = "";

  test("watch --once decrypts foo's notice and prints the ack command; bar gets nothing", async () => {
    const r = await runDcertd(net(["watch", "--from", "foo", "--json", "--once"]));
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines).toHaveLength(1);
    const n = lines[0] as Record<string, string>;
    expect(n).toMatchObject({ type: "notice", case_id: caseId, kind: "disclosure", sender: addr["alice"], recipient: addr["foo"] });
    expect(n["plaintext"]).toContain("Dear Foo wallet,");
    expect(n["plaintext"]).toContain(TITLE);
    expect(n["plaintext"]).not.toContain("SECRET-REPORT");
    ackCommand = n["ack_command"] as string;
    expect(ackCommand).toBe(`dcertd tx coord ack ${n["id"]} --from foo --node ${devnet.rpc} --home ${home}`);
    const cursor = JSON.parse(fs.readFileSync(path.join(home, "watch", devnet.chainId, `${addr["foo"]}.json`), "utf8")) as { notices_after: string };
    expect(cursor.notices_after).toBe(n["id"]);
    const bar = await runDcertd(net(["watch", "--from", "bar", "--json", "--once"]));
    expect(bar.code).toBe(0);
    expect(bar.stdout).toBe("");
  });

  test("the printed ack command acknowledges the notice on chain", async () => {
    const argv = ackCommand.split(" ").slice(1);
    const res = await ok([...argv, "-y", "-o", "json"]);
    expect(res["code"]).toBe(0);
    const inv = (await q(["coord", "involvements", caseId]))["involvements"] as Record<string, unknown>[];
    expect(inv).toEqual([expect.objectContaining({ party: addr["foo"], status: "INVOLVEMENT_STATUS_ACKNOWLEDGED" })]);
  });

  test("a live watcher follows the websocket: a new notice arrives, SIGTERM saves the cursor and exits 0", async () => {
    const out = path.join(home, "plain");
    const child = spawnDcertd(net(["watch", "--from", "foo", "--json", "--out-dir", out]));
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    try {
      await until("the watcher to follow blocks", async () => (/following/.test(stderr) ? true : undefined), 60_000);
      expect(stdout).toBe(""); // the first notice was delivered before (cursor)
      const file = path.join(home, "update.txt");
      fs.writeFileSync(file, UPDATE);
      await tx(["coord", "notify", caseId, "--to", "foo", "--file", file, "--kind", "update", "--from", "alice"]);
      const line = await until("the update to be printed", async () => (stdout.includes("\n") ? stdout.split("\n")[0] : undefined), 60_000);
      const n = JSON.parse(line as string) as Record<string, string>;
      expect(n).toMatchObject({ type: "notice", kind: "update", plaintext: UPDATE });
      const saved = path.join(out, `${devnet.chainId}-notice-${n["id"]}.txt`);
      expect(fs.readFileSync(saved, "utf8")).toBe(UPDATE);
      expect(fs.statSync(saved).mode & 0o777).toBe(0o600);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    const cursor = JSON.parse(fs.readFileSync(path.join(home, "watch", devnet.chainId, `${addr["foo"]}.json`), "utf8")) as { notices_after: string };
    expect(BigInt(cursor.notices_after)).toBeGreaterThan(1n);
  });

  test("bar's sealed input reaches the member's watcher", async () => {
    const file = path.join(home, "input.txt");
    fs.writeFileSync(file, INPUT);
    const res = await tx(["coord", "submit-input", caseId, "--file", file, "--from", "bar"]);
    expect(res["recipients"]).toEqual([addr["alice"]]);
    const r = await runDcertd(net(["watch", "--from", "alice", "--json", "--once"]));
    expect(r.code).toBe(0);
    const items = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    expect(items).toEqual([expect.objectContaining({ type: "input", case_id: caseId, sender: addr["bar"], plaintext: INPUT })]);
  });

  test("no transaction of the run carries the report, a notice or the input in clear", async () => {
    const height = (await devnet.height()) ?? 0;
    const secrets = [REPORT, UPDATE, INPUT, "Dear Foo wallet", "SECRET-"];
    for (let h = 1; h <= height; h++) {
      const res = await fetch(`${devnet.rpc}/block_results?height=${h}`);
      const block = await fetch(`${devnet.rpc}/block?height=${h}`);
      const text = `${await res.text()}${await block.text()}`;
      const decoded = [...text.matchAll(/"([A-Za-z0-9+/=]{16,})"/g)].map((m) => Buffer.from(m[1] as string, "base64").toString("latin1")).join("\n");
      for (const s of secrets) {
        expect(text.includes(s)).toBe(false);
        expect(decoded.includes(s)).toBe(false);
      }
    }
  });
});
