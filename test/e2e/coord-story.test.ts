/**
 * The story of the coordination documents (issue 12's e2e), on a real CometBFT devnet with every
 * step run as its own `dcertd` process (dist/src/cli/dcertd.js):
 *
 * a base-layer bug in a message route (/cosmos.bank.v1beta1.MsgSend); two downstream projects
 * registered as depending on it (foo through the route and an npm range, baz through the bank
 * module) and one that does not (bar, staking); alice and bob are elected dCERT members; alice
 * opens a level-3 case from a case directory (report, components, advisory and fix committed,
 * salts kept locally); a reveal before the deadline is refused (coord:31); `notify --matching`
 * reaches foo and baz only; each affected party's `dcertd watch` decrypts its notice; foo
 * acknowledges with the printed command, baz does not and shows as contacted-not-acknowledged; a
 * live watcher follows the websocket and exits cleanly on SIGTERM; a bug hunter's sealed input
 * reaches both members' watchers; bob breaks the route citing the case (sends are refused from
 * then on); at the deadline alice reveals: the fix matches its commitment and the disclosure check
 * records no missed party; the OSV and CSAF exports validate against the official schemas; the case
 * closes with its post-coordination record. Finally a scan of every block and block result of the
 * run finds none of the plaintexts (report, notices, input) anywhere, and none of the advisory's
 * text before the disclosure height.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { compiledDcertd, findRepoRoot } from "../../src/localnet/devnet";
import { csafValidate, isUnregisteredIdPrefix, osvValidator } from "../helpers/advisory-schemas";
import { pollUntil } from "../../src/localnet/proc";
import { startDevnet, type Devnet } from "./harness";

jest.setTimeout(600_000);

const PASSPHRASE = "coord e2e passphrase";
const REPORT = "SECRET-REPORT: MsgSend double-spends when the amount overflows (exploit attached)";
const TITLE = "Bank send double spend";
const UPDATE = "SECRET-UPDATE: the patch is tagged v9.9.9";
const INPUT = "SECRET-INPUT: I can reproduce on mainnet fork";
const SUMMARY = "Sends can be replayed when the amount overflows.";
const FIX = { description: "Check the amount before debiting", repository: "https://github.com/example/dcert", commit: "0123456789abcdef0123456789abcdef01234567", fixed_versions: ["1.2.0"] };
const RECORD = "Post-coordination record: contacted foo and baz at T-1m; foo acknowledged; baz silent.";
/** Seconds from opening to the embargo deadline (the devnet allows 30 s and more). */
const EMBARGO_SECONDS = 75;

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

describe("the coordination story on a CometBFT devnet", () => {
  let devnet: Devnet;
  let home: string;
  let caseId = "";
  let deadline = 0;
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

  /** A transaction the chain must refuse: returns the CLI's stderr (which names the code). */
  async function refused(argv: readonly string[]): Promise<string> {
    const r = await runDcertd(net(["tx", ...argv, "-y", "-o", "json"]));
    expect(r.code).not.toBe(0);
    return `${r.stdout}\n${r.stderr}`;
  }

  const q = (argv: readonly string[]): Promise<Record<string, unknown>> => ok(net(["q", ...argv, "-o", "json"]));

  function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
    return pollUntil({ what, check: probe, timeoutMs, intervalMs: 500 });
  }

  async function watchOnce(name: string): Promise<Record<string, string>[]> {
    const r = await runDcertd(net(["watch", "--from", name, "--json", "--once"]));
    expect(r.code).toBe(0);
    const text = r.stdout.trim();
    return text === "" ? [] : text.split("\n").map((l) => JSON.parse(l) as Record<string, string>);
  }

  async function latestBlockTime(): Promise<number> {
    const status = (await (await fetch(`${devnet.rpc}/status`)).json()) as { result: { sync_info: { latest_block_time: string } } };
    return Date.parse(status.result.sync_info.latest_block_time);
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
    addr["bob"] = (await ok(["keys", "import", "bob", "--home", home, "-o", "json"], `${acct(2).mnemonic}\n`))["address"] as string;
    for (const name of ["foo", "baz", "bar", "hunter"]) addr[name] = (await ok(["keys", "add", name, "--no-backup", "--home", home, "-o", "json"]))["address"] as string;
    for (const name of ["alice", "bob", "foo", "baz", "bar", "hunter"]) {
      const k = await ok(["keys", "add-encryption", name, "--home", home, "-o", "json"]);
      expect(k["public_key"]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    }
    const file = path.join(home, "keyring-file", "encryption", "foo.json");
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    const list = JSON.parse((await runDcertd(["keys", "list-encryption", "--home", home, "-o", "json"])).stdout) as { name: string }[];
    expect(list.map((k) => k.name)).toEqual(["alice", "bar", "baz", "bob", "foo", "hunter"]);
    for (const name of ["foo", "baz", "bar", "hunter"]) await tx(["bank", "send", "validator", name, "100000000udcert"]);
  });

  test("alice and bob are elected dCERT members", async () => {
    for (const m of ["alice", "bob"]) {
      await tx(["dcert", "bond", "2000000udcert", "--from", m]);
      await tx(["dcert", "accept-admission", "--from", m]);
    }
    await tx(["dcert", "vote", "--split", "alice=0.5,bob=0.5", "--from", "validator"]);
    await until("alice and bob to be seated", async () => {
      const g = await q(["dcert", "group"]);
      const seated = (g["members"] as { address: string }[]).map((m) => m.address);
      return seated.includes(addr["alice"] as string) && seated.includes(addr["bob"] as string) ? true : undefined;
    });
  });

  test("parties register with their dependencies; the registry finds who a MsgSend bug affects", async () => {
    for (const m of ["alice", "bob"]) await tx(["coord", "register-party", "--kind", "core-developer", "--name", `${m} (dCERT)`, "--from", m]);
    await tx(["coordination", "register-party", "--kind", "downstream-project", "--name", "Foo wallet", "--contact", "security@foo.example", "--dep", "route:/cosmos.bank.v1beta1.MsgSend", "--dep", "pkg:npm/foo@vers:semver/>=1.0.0|<1.2.0", "--from", "foo"]);
    await tx(["coord", "register-party", "--kind", "exchange-or-service", "--name", "Baz exchange", "--dep", "module:bank", "--from", "baz"]);
    await tx(["coord", "register-party", "--kind", "downstream-project", "--name", "Bar explorer", "--dep", "module:staking", "--from", "bar"]);
    const foo = (await q(["coord", "party", "foo"]))["party"] as Record<string, unknown>;
    expect(foo).toMatchObject({ name: "Foo wallet", kind: "PARTY_KIND_DOWNSTREAM_PROJECT", key_epoch: 1 });
    const shown = await ok(["keys", "show-encryption", "foo", "--home", home, "-o", "json"]);
    expect(foo["encryption_key"]).toBe(shown["public_key"]);
    const keys = await q(["coord", "group-keys"]);
    expect((keys["keys"] as { address: string }[]).map((k) => k.address).sort()).toEqual([addr["alice"], addr["bob"]].sort());
  });

  test("alice opens a level-3 case from a case directory; the salts stay in a private local folder", async () => {
    const draft = path.join(home, "draft");
    fs.mkdirSync(draft);
    fs.writeFileSync(path.join(draft, "report.md"), REPORT);
    fs.writeFileSync(path.join(draft, "components.json"), JSON.stringify(["route:/cosmos.bank.v1beta1.MsgSend", "pkg:npm/foo@vers:semver/>=1.1.0|<1.2.0"]));
    fs.writeFileSync(path.join(draft, "advisory.json"), JSON.stringify({ title: TITLE, summary: SUMMARY, impact: "Loss of funds", affected_versions: "foo >=1.1.0 <1.2.0", fix: "Upgrade to 1.2.0", recommendations: "Upgrade", credits: ["hunter"] }));
    fs.writeFileSync(path.join(draft, "fix.json"), JSON.stringify(FIX));
    const at = new Date(Math.ceil(((await latestBlockTime()) + EMBARGO_SECONDS * 1000) / 1000) * 1000);
    const res = await tx(["coord", "open-case", draft, "--level", "3", "--deadline", at.toISOString().replace(".000Z", "Z"), "--from", "alice"]);
    deadline = at.getTime();
    caseId = res["case_id"] as string;
    expect(caseId).toMatch(/^[1-9][0-9]*$/);
    const dir = res["case_dir"] as string;
    const chainId = devnet.chainId;
    expect(dir).toBe(path.join(home, "coord", chainId, caseId));
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(home, "coord", chainId)).filter((f) => f.startsWith("pending-"))).toEqual([]);
    const c = await q(["coord", "case", caseId]);
    expect(c["case"]).toMatchObject({ id: caseId, level: 3, status: "CASE_STATUS_OPEN", embargo_state: "EMBARGO_STATE_ACTIVE" });
    const local = JSON.parse(fs.readFileSync(path.join(dir, "case.json"), "utf8")) as { items: { commitment: string }[] };
    const onChain = (c["commitments"] as { hash: string; kind: string }[]);
    expect(onChain.map((x) => x.kind).sort()).toEqual(["COMMITMENT_KIND_ADVISORY", "COMMITMENT_KIND_COMPONENTS", "COMMITMENT_KIND_FIX", "COMMITMENT_KIND_REPORT"]);
    expect(onChain.map((x) => Buffer.from(x.hash, "base64").toString("hex")).sort()).toEqual(local.items.map((i) => i.commitment).sort());
    const adv = await runDcertd(net(["q", "coord", "advisory", caseId]));
    expect(adv.code).toBe(1);
    expect(adv.stderr).toMatch(/is not disclosed yet/);
  });

  test("a reveal before the embargo deadline is refused by the chain (coord:31)", async () => {
    expect(await refused(["coord", "reveal", caseId, "--from", "alice"])).toMatch(/31|before the embargo deadline/);
  });

  test("notify --matching seals the private disclosure to the two affected projects only", async () => {
    const res = await tx(["coord", "notify", caseId, "--matching", "--from", "alice"]);
    expect((res["recipients"] as string[]).sort()).toEqual([`Baz exchange (${addr["baz"]})`, `Foo wallet (${addr["foo"]})`].sort());
    const again = await runDcertd(net(["tx", "coord", "notify", caseId, "--matching", "--from", "alice", "-y"]));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/has been notified/);
    const notices = (await q(["coord", "notices", "--case", caseId]))["notices"] as { recipient: string }[];
    expect(notices.map((n) => n.recipient).sort()).toEqual([addr["foo"], addr["baz"]].sort());
  });

  let ackCommand = "";

  test("each affected party's watcher decrypts its notice and prints the ack command; bar gets nothing", async () => {
    for (const [name, party] of [["foo", "Foo wallet"], ["baz", "Baz exchange"]] as const) {
      const lines = await watchOnce(name);
      expect(lines).toHaveLength(1);
      const n = lines[0] as Record<string, string>;
      expect(n).toMatchObject({ type: "notice", case_id: caseId, kind: "disclosure", sender: addr["alice"], recipient: addr[name] });
      expect(n["plaintext"]).toContain(`Dear ${party},`);
      expect(n["plaintext"]).toContain(TITLE);
      expect(n["plaintext"]).not.toContain("SECRET-REPORT");
      const cursor = JSON.parse(fs.readFileSync(path.join(home, "watch", devnet.chainId, `${addr[name]}.json`), "utf8")) as { notices_after: string };
      expect(cursor.notices_after).toBe(n["id"]);
      if (name === "foo") {
        ackCommand = n["ack_command"] as string;
        expect(ackCommand).toBe(`dcertd tx coord ack ${n["id"]} --from foo --node ${devnet.rpc} --home ${home}`);
      }
    }
    expect(await watchOnce("bar")).toEqual([]);
  });

  test("foo acknowledges with the printed command; baz stays contacted-not-acknowledged", async () => {
    const argv = ackCommand.split(" ").slice(1);
    const res = await ok([...argv, "-y", "-o", "json"]);
    expect(res["code"]).toBe(0);
    const inv = (await q(["coord", "involvements", caseId]))["involvements"] as Record<string, unknown>[];
    const byParty = new Map(inv.map((i) => [i["party"], i]));
    expect(byParty.get(addr["foo"])).toMatchObject({ status: "INVOLVEMENT_STATUS_ACKNOWLEDGED" });
    expect(Number(byParty.get(addr["foo"])?.["seconds_to_ack"])).toBeGreaterThanOrEqual(0);
    expect(byParty.get(addr["baz"])).toMatchObject({ status: "INVOLVEMENT_STATUS_CONTACTED" });
    expect(byParty.has(addr["bar"])).toBe(false);
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

  test("a bug hunter's sealed input reaches every member's watcher", async () => {
    const file = path.join(home, "input.txt");
    fs.writeFileSync(file, INPUT);
    const res = await tx(["coord", "submit-input", caseId, "--file", file, "--from", "hunter"]);
    expect((res["recipients"] as string[]).sort()).toEqual([addr["alice"], addr["bob"]].sort());
    for (const member of ["alice", "bob"]) {
      const items = await watchOnce(member);
      expect(items).toEqual([expect.objectContaining({ type: "input", case_id: caseId, sender: addr["hunter"], plaintext: INPUT })]);
      const listed = (await q(["coord", "inputs", "--recipient", member]))["inputs"] as { sender: string }[];
      expect(listed.map((i) => i.sender)).toEqual([addr["hunter"]]);
    }
  });

  test("bob breaks the route citing the case: the case lists the mitigation and sends are refused", async () => {
    await tx(["dcert", "circuit-break", "/cosmos.bank.v1beta1.MsgSend", "--reason", "exploit in send", "--case", caseId, "--from", "bob"]);
    const c = (await q(["coord", "case", caseId]))["case"] as Record<string, unknown>;
    expect(c["mitigation_count"]).toBe(1);
    expect(await refused(["bank", "send", "validator", "foo", "1udcert"])).toMatch(/50|circuit-broken|broken/);
  });

  test("at the deadline alice reveals: the fix matches its commitment and no affected party was missed", async () => {
    await until("the embargo deadline to pass", async () => ((await latestBlockTime()) >= deadline ? true : undefined), (EMBARGO_SECONDS + 60) * 1000);
    const res = await tx(["coord", "reveal", caseId, "--from", "alice"]);
    expect(res["code"]).toBe(0);
    const c = (await q(["coord", "case", caseId]))["case"] as Record<string, unknown>;
    expect(c).toMatchObject({ status: "CASE_STATUS_DISCLOSED", embargo_state: "EMBARGO_STATE_EXITED" });
    // The disclosure check runs in EndBlock batches from the reveal on: wait until it is done.
    const d = await until("the disclosure check to finish", async () => {
      const r = await q(["coord", "disclosure", caseId]);
      return (r["check"] as Record<string, unknown> | undefined)?.["done"] === true ? r : undefined;
    });
    const disclosure = d["disclosure"] as Record<string, unknown>;
    expect(disclosure["fix"]).toMatchObject({ repository: FIX.repository, commit: FIX.commit, fixed_versions: FIX.fixed_versions });
    expect(disclosure["advisory"]).toMatchObject({ title: TITLE, summary: SUMMARY });
    expect(Buffer.from(disclosure["report_hash"] as string, "base64").toString("hex")).toBe(createHash("sha256").update(REPORT).digest("hex"));
    expect(disclosure["report"] ?? "").toBe("");
    const check = d["check"] as Record<string, unknown>;
    expect(check).toMatchObject({ matched: 2, notified: 2, acknowledged: 1 });
    expect(check["missed"] ?? 0).toBe(0);
    const entries = check["entries"] as Record<string, unknown>[];
    expect(entries.map((e) => e["party"]).sort()).toEqual([addr["foo"], addr["baz"]].sort());
    for (const e of entries) expect(e).toMatchObject({ matched_at_open: true, notified: true });
    expect((d["mitigations"] as Record<string, unknown>[]).map((m) => m["member"])).toEqual([addr["bob"]]);
  });

  test("the OSV and CSAF exports validate against the official schemas", async () => {
    const osv = await runDcertd(net(["q", "coord", "advisory", caseId, "--format", "osv"]));
    expect(osv.code).toBe(0);
    const osvDoc = JSON.parse(osv.stdout) as Record<string, unknown>;
    expect(osvDoc["summary"]).toBe(TITLE);
    expect(osvValidator()(osvDoc).filter((e) => !isUnregisteredIdPrefix(e))).toEqual([]);
    const csaf = await runDcertd(net(["q", "coord", "advisory", caseId, "--format", "csaf"]));
    expect(csaf.code).toBe(0);
    const [verdict] = csafValidate([JSON.parse(csaf.stdout)]);
    expect(verdict?.failed).toEqual([]);
    expect(verdict?.isValid).toBe(true);
    const md = await runDcertd(net(["q", "coord", "advisory", caseId, "--format", "md"]));
    expect(md.stdout).toContain(TITLE);
  });

  test("the case closes with its post-coordination record", async () => {
    const file = path.join(home, "record.md");
    fs.writeFileSync(file, RECORD);
    const summary = JSON.stringify({ activities: "notified 2 parties", responses: "1 acknowledged", lessons_learned: "page baz by phone", fix_deployment_verified: true, follow_ups: ["baz upgrade"] });
    await tx(["coord", "close", caseId, "--record", file, "--summary", summary, "--from", "alice"]);
    const c = (await q(["coord", "case", caseId]))["case"] as Record<string, unknown>;
    expect(c["status"]).toBe("CASE_STATUS_CLOSED");
    const record = (await q(["coord", "disclosure", caseId]))["record"] as Record<string, unknown>;
    expect(Buffer.from(record["record_hash"] as string, "base64").toString("hex")).toBe(createHash("sha256").update(RECORD).digest("hex"));
    expect(record["summary"]).toMatchObject({ fix_deployment_verified: true, follow_ups: ["baz upgrade"] });
  });

  test("nothing sensitive is in clear on chain: no plaintext ever, no advisory text before the disclosure", async () => {
    const c = (await q(["coord", "case", caseId]))["case"] as Record<string, unknown>;
    const disclosedAt = Number(c["disclosure_height"]);
    expect(disclosedAt).toBeGreaterThan(0);
    const height = (await devnet.height()) ?? 0;
    const never = [REPORT, UPDATE, INPUT, RECORD, "Dear Foo wallet", "Dear Baz exchange", "SECRET-"];
    const beforeDisclosure = [TITLE, SUMMARY, FIX.commit];
    for (let h = 1; h <= height; h++) {
      const res = await fetch(`${devnet.rpc}/block_results?height=${h}`);
      const block = await fetch(`${devnet.rpc}/block?height=${h}`);
      const text = `${await res.text()}${await block.text()}`;
      const decoded = [...text.matchAll(/"([A-Za-z0-9+/=]{16,})"/g)].map((m) => Buffer.from(m[1] as string, "base64").toString("latin1")).join("\n");
      for (const s of h < disclosedAt ? [...never, ...beforeDisclosure] : never) {
        expect(text.includes(s)).toBe(false);
        expect(decoded.includes(s)).toBe(false);
      }
    }
  });
});
