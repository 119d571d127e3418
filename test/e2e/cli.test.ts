/**
 * The dcertd client commands end to end on a real CometBFT devnet, each run as its own process
 * (the compiled dist/src/cli/dcertd.js) with -o json parsed by the test: a keyring story (import,
 * add, export, wrong passphrase, no plaintext mnemonic on disk), then funds, a delegation, a split
 * vote, a bond, an admission, membership in `q dcert group`, `version` and `status`, a vote
 * refused for want of bonded stake (and forced), a broken route, and a governance proposal
 * submitted and voted from the CLI.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compiledDcertd, findRepoRoot } from "../../src/localnet/devnet";
import { startDevnet, type Devnet } from "./harness";
import { pollUntil } from "../../src/localnet/proc";

jest.setTimeout(300_000);

const PASSPHRASE = "cli e2e passphrase";
const ROUTE = "/cosmos.distribution.v1beta1.MsgFundCommunityPool";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runDcertd(argv: readonly string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const script = compiledDcertd(findRepoRoot(__dirname));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...argv], {
      env: { ...process.env, DCERT_KEYRING_PASSPHRASE: PASSPHRASE, ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

describe("dcertd CLI on a CometBFT devnet", () => {
  let devnet: Devnet;
  let home: string;

  /** Runs dcertd with --home (and --node for tx/q), expecting success; returns parsed -o json output. */
  async function ok(argv: readonly string[], opts: { input?: string } = {}): Promise<Record<string, unknown>> {
    const r = await cli(argv, opts);
    if (r.code !== 0) throw new Error(`dcertd ${argv.join(" ")} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  function cli(argv: readonly string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
    const networked = argv[0] === "tx" || argv[0] === "q";
    return runDcertd([...argv, "--home", home, ...(networked ? ["--node", devnet.rpc] : [])], opts);
  }

  async function tx(argv: readonly string[]): Promise<Record<string, unknown>> {
    const res = await ok(["tx", ...argv, "-y", "-o", "json"]);
    expect(res["code"]).toBe(0);
    expect(res["txhash"]).toMatch(/^[0-9A-F]{64}$/);
    return res;
  }

  function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
    return pollUntil({ what, check: probe, timeoutMs, intervalMs: 500 });
  }

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-cli-e2e-"));
    devnet = await startDevnet();
  });

  afterAll(async () => {
    await devnet?.stop();
    if (home !== undefined) fs.rmSync(home, { recursive: true, force: true });
  });

  const acct = (i: number): { name: string; address: string; mnemonic: string } => devnet.accounts[i] as { name: string; address: string; mnemonic: string };
  let dave = "";
  let valoper = "";

  test("keys: import, add, list, show; the key files hold no plaintext mnemonic", async () => {
    const v = await ok(["keys", "import", "validator", "-o", "json"], { input: `${acct(0).mnemonic}\n` });
    expect(v["address"]).toBe(acct(0).address);
    const mnemonicFile = path.join(home, "alice.mnemonic");
    fs.writeFileSync(mnemonicFile, acct(1).mnemonic, { mode: 0o600 });
    expect((await ok(["keys", "import", "alice", mnemonicFile, "-o", "json"]))["address"]).toBe(acct(1).address);
    fs.rmSync(mnemonicFile);
    const added = await ok(["keys", "add", "dave", "-o", "json"]);
    dave = added["address"] as string;
    const daveMnemonic = added["mnemonic"] as string;
    expect(daveMnemonic.split(" ")).toHaveLength(24);
    expect(dave).toMatch(/^dcert1/);

    const list = JSON.parse((await cli(["keys", "list", "-o", "json"])).stdout) as { name: string; address: string }[];
    expect(list.map((k) => k.name)).toEqual(["alice", "dave", "validator"]);
    const shown = await cli(["keys", "show", "dave", "-a"]);
    expect(shown.stdout.trim()).toBe(dave);

    const dir = path.join(home, "keyring-file");
    const files = fs.readdirSync(dir);
    expect(files.sort()).toEqual(["alice.json", "dave.json", "validator.json"]);
    for (const [file, mnemonic] of [["validator.json", acct(0).mnemonic], ["alice.json", acct(1).mnemonic], ["dave.json", daveMnemonic]] as const) {
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      const words = mnemonic.split(" ");
      expect(text).not.toContain(mnemonic);
      for (let i = 0; i + 1 < words.length; i++) expect(text).not.toContain(`${words[i]} ${words[i + 1]}`);
      expect(fs.statSync(path.join(dir, file)).mode & 0o077).toBe(0);
    }
  });

  test("keys: a wrong passphrase fails cleanly; the right one exports the mnemonic", async () => {
    const wrong = await cli(["keys", "export", "alice", "--unsafe", "-o", "json"], { env: { DCERT_KEYRING_PASSPHRASE: "not the passphrase" } });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toBe("");
    expect(wrong.stderr).toMatch(/^error: wrong passphrase for key "alice".*; use the passphrase the key was created with/);
    expect(wrong.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const signWrong = await cli(["tx", "bank", "send", "alice", "dave", "1udcert", "-y", "--keyring-passphrase", "also wrong"]);
    expect(signWrong.code).toBe(1);
    expect(signWrong.stderr).toMatch(/^error: wrong passphrase/);
    expect((await ok(["keys", "export", "alice", "--unsafe", "-o", "json"]))["mnemonic"]).toBe(acct(1).mnemonic);
    const mismatch = await cli(["keys", "add", "eve"], { env: { DCERT_KEYRING_PASSPHRASE: "another passphrase" } });
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/^error: the passphrase does not open the keys already in/);
  });

  test("tx bank send and q bank balances", async () => {
    await tx(["bank", "send", "validator", "dave", "50000000000udcert"]);
    const bal = await ok(["q", "bank", "balances", "dave", "-o", "json"]);
    expect(bal["balances"]).toEqual([{ denom: "udcert", amount: "50000000000" }]);
    // --verbose: a progress line per block on stderr while waiting; stdout stays the JSON result.
    const verbose = await cli(["tx", "bank", "send", "validator", "validator", "1udcert", "-y", "-o", "json", "--verbose"]);
    expect(verbose.code).toBe(0);
    const sent = JSON.parse(verbose.stdout) as { txhash: string; code: number };
    expect(sent.code).toBe(0);
    expect(verbose.stderr).toMatch(new RegExp(`^waiting for tx ${sent.txhash}: block \\d+, 0 s$`, "m"));
  });

  test("tx staking delegate (amino-json) and q staking", async () => {
    const vals = (await ok(["q", "staking", "validators", "-o", "json"]))["validators"] as { operator_address: string; status: string }[];
    expect(vals).toHaveLength(1);
    expect(vals[0]?.status).toBe("BOND_STATUS_BONDED");
    valoper = vals[0]!.operator_address;
    await tx(["staking", "delegate", valoper, "10000000000udcert", "--from", "dave", "--sign-mode", "amino-json"]);
    const dels = (await ok(["q", "staking", "delegations", "dave", "-o", "json"]))["delegation_responses"] as { delegation: Record<string, string>; balance: { amount: string } }[];
    expect(dels).toEqual([{ delegation: { delegator_address: expect.stringMatching(/^dcert1/), validator_address: valoper, shares: "10000000000.000000000000000000" }, balance: { denom: "udcert", amount: "10000000000" } }]);
  });

  test("bond, accept admission and a split vote make alice a member (q dcert group, member, vote)", async () => {
    const bond = await tx(["dcert", "bond", "2000000udcert", "--from", "alice"]);
    const txq = await ok(["q", "tx", bond["txhash"] as string, "-o", "json"]);
    expect(txq["code"]).toBe(0);
    expect(txq["txhash"]).toBe(bond["txhash"]);
    const bondTx = txq["tx"] as { "@type": string; body: { messages: { "@type": string; member: string }[] } };
    expect(bondTx["@type"]).toBe("/cosmos.tx.v1beta1.Tx");
    expect(bondTx.body.messages[0]).toEqual(expect.objectContaining({ "@type": "/dcert.v1.MsgBond", member: acct(1).address }));
    await tx(["dcert", "accept-admission", "--from", "alice", "--sign-mode", "amino-json"]);
    await tx(["dcert", "vote", "--split", "alice=0.6,validator=25%", "--from", "dave"]);
    const vote = await until("dave's vote to be counted", async () => {
      const r = await cli(["q", "dcert", "vote", "dave", "-o", "json"]);
      return r.code === 0 ? (JSON.parse(r.stdout) as { vote: { power: string; entries: { candidate: string; share: string }[] } }).vote : undefined;
    });
    expect(vote.power).toBe("10000000000");
    expect(vote.entries.map((e) => [e.candidate, e.share])).toEqual([
      [acct(1).address, "600000000000000000"],
      [acct(0).address, "250000000000000000"],
    ]);
    const group = await until("alice to be seated", async () => {
      const g = await ok(["q", "dcert", "group", "-o", "json"]);
      return (g["members"] as { address: string }[]).some((m) => m.address === acct(1).address) ? g : undefined;
    });
    expect(group["status"]).toBe("GROUP_STATUS_ACTIVE");
    expect(group["members"]).toEqual([expect.objectContaining({ address: acct(1).address, tally: "6000000000", bond: "2000000" })]);
    const member = (await ok(["q", "dcert", "member", "alice", "-o", "json"]))["status"];
    expect(member).toEqual(expect.objectContaining({ is_member: true, accepted: true, eligible: true, suspended: false }));
    const text = await cli(["q", "dcert", "group"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^status\s+GROUP_STATUS_ACTIVE$/m);
    expect(text.stdout).toMatch(new RegExp(`^ADDRESS\\s+SEQUENCE\\s+TALLY\\s+BOND\\n${acct(1).address}\\s+\\d+\\s+6000000000\\s+2000000$`, "m"));
  });

  test("version -o json and status on the devnet (-o json and text)", async () => {
    const v = JSON.parse((await runDcertd(["version", "-o", "json"])).stdout) as Record<string, string>;
    expect(Object.keys(v)).toEqual(["version", "commit", "build_hash", "cometbft", "node", "app_version", "upgrade_handlers"]);
    expect(v["build_hash"]).toMatch(/^[0-9a-f]{64}$/); // the e2e runs on a built tree
    expect(v["app_version"]).toBe("1");
    const status = await until("a committed block", async () => {
      const r = await runDcertd(["status", "--node", devnet.rpc, "-o", "json"]);
      if (r.code !== 0) throw new Error(`dcertd status exited ${r.code}: ${r.stderr}`);
      const j = JSON.parse(r.stdout) as { sync_info: { latest_block_height: string }; node_info: Record<string, string>; consensus: { stalled: boolean }; application_info: Record<string, string>; validator_info: Record<string, string> };
      return Number(j.sync_info.latest_block_height) > 0 ? j : undefined;
    });
    expect(status.consensus.stalled).toBe(false);
    expect(status.node_info["network"]).toBe(devnet.chainId);
    expect(status.node_info["version"]).toBe(v["cometbft"]);
    expect(status.application_info).toEqual(expect.objectContaining({ data: "dcertd", app_version: v["app_version"] }));
    expect(Number(status.validator_info["voting_power"])).toBeGreaterThan(0);
    const text = await runDcertd(["status", "--node", devnet.rpc]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^consensus\s+ok \(latest block \d+ s ago\)$/m);
    const down = await runDcertd(["status", "--node", "http://127.0.0.1:1"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^error: cannot reach the node at http:\/\/127\.0\.0\.1:1 .*; start a node/);
  });

  test("a dCERT vote from an account without bonded stake is refused, and goes through with --force", async () => {
    const erin = (await ok(["keys", "add", "erin", "-o", "json"]))["address"] as string;
    await tx(["bank", "send", "validator", erin, "1000000000udcert"]);
    const refused = await cli(["tx", "dcert", "vote", "--split", "alice=1", "--from", "erin", "-y"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(new RegExp(`^error: ${erin} has no bonded stake, so this dCERT vote would be accepted but count with power 0; delegate first .*--force`));
    await tx(["dcert", "vote", "--split", "alice=1", "--from", "erin", "--force"]);
    // dave has stake: no --force needed (the earlier vote test), and --clear is never checked.
    await tx(["dcert", "vote", "--clear", "--from", "erin"]);
  });

  test("a member breaks a route; q dcert broken-routes and is-broken show it", async () => {
    await tx(["dcert", "circuit-break", ROUTE, "--reason", "cli e2e", "--from", "alice"]);
    const routes = (await ok(["q", "dcert", "broken-routes", "-o", "json"]))["routes"] as Record<string, unknown>[];
    expect(routes).toEqual([expect.objectContaining({ route: ROUTE, member: acct(1).address, reason: "cli e2e" })]);
    expect(await ok(["q", "dcert", "is-broken", ROUTE, "-o", "json"])).toEqual({ broken: true, rule: ROUTE });
  });

  test("a governance proposal submitted and voted from the CLI passes and changes the dCERT params", async () => {
    const params = (await ok(["q", "dcert", "params", "-o", "json"]))["params"] as Record<string, unknown>;
    const file = path.join(home, "proposal.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        messages: [{ "@type": "/dcert.v1.MsgUpdateParams", params: { ...params, max_vote_entries: 12 } }],
        deposit: "10000000udcert",
        title: "Fewer vote entries",
        summary: "submitted by the CLI e2e test",
      }),
    );
    const submitted = await tx(["gov", "submit-proposal", file, "--from", "validator"]);
    const id = submitted["proposal_id"] as string;
    expect(id).toMatch(/^[0-9]+$/);
    await tx(["gov", "vote", id, "yes", "--from", "validator", "--sign-mode", "amino-json"]);
    const voted = await ok(["q", "gov", "vote", id, "validator", "-o", "json"]);
    expect((voted["vote"] as Record<string, unknown>)["options"]).toEqual([{ option: "VOTE_OPTION_YES", weight: "1.000000000000000000" }]);
    const proposal = await until("the proposal to conclude", async () => {
      const p = (await ok(["q", "gov", "proposal", id, "-o", "json"]))["proposal"] as Record<string, unknown>;
      return p["status"] === "PROPOSAL_STATUS_VOTING_PERIOD" ? undefined : p;
    });
    expect(proposal["status"]).toBe("PROPOSAL_STATUS_PASSED");
    expect((proposal["messages"] as { "@type": string; authority: string }[])[0]).toEqual(
      expect.objectContaining({ "@type": "/dcert.v1.MsgUpdateParams", authority: expect.stringMatching(/^dcert1/) }),
    );
    expect(((await ok(["q", "dcert", "params", "-o", "json"]))["params"] as Record<string, unknown>)["max_vote_entries"]).toBe(12);
  });

  test("failures exit non-zero with 'error: what; what to do'", async () => {
    const broke = await cli(["tx", "dcert", "bond", "99999999999999999udcert", "--from", "dave", "-y"]);
    expect(broke.code).toBe(1);
    expect(broke.stderr).toMatch(/^error: simulation failed: .*insufficient.*; fix what the message says; or pass --gas <limit>/s);
    const noSplit = await cli(["tx", "dcert", "vote", "--from", "dave", "-y"]);
    expect(noSplit.code).toBe(2);
    expect(noSplit.stderr).toMatch(/^error: --split <address>=<share>,… is required.*; run "dcertd tx dcert vote --help" for usage/);
    const noConfirm = await cli(["tx", "dcert", "leave", "--from", "alice"]);
    expect(noConfirm.code).toBe(1);
    expect(noConfirm.stderr).toMatch(/error: cannot ask for confirmation without a terminal; add --yes/);
    const unknownKey = await cli(["tx", "dcert", "leave", "--from", "mallory", "-y"]);
    expect(unknownKey.code).toBe(1);
    expect(unknownKey.stderr).toMatch(/^error: no key named "mallory".*; list keys with "dcertd keys list"/);
    const missingTx = await cli(["q", "tx", "AB".repeat(32)]);
    expect(missingTx.code).toBe(1);
    expect(missingTx.stderr).toMatch(/^error: transaction .* is not known to the node; check the hash/);
    const deliverFail = await cli(["tx", "dcert", "leave", "--from", "dave", "--gas", "200000", "-y", "-o", "json"]);
    expect(deliverFail.code).toBe(1);
    expect(JSON.parse(deliverFail.stdout)).toEqual(expect.objectContaining({ codespace: "dcert", code: expect.any(Number) }));
    expect(deliverFail.stderr).toMatch(/^error: transaction [0-9A-F]{64} failed in block \d+ \(code \d+, codespace dcert\): .*no standing acceptance/);
  });
});
