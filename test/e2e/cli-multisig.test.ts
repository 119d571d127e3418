/**
 * Offline and multi-party signing end to end on a real CometBFT devnet, each command its own
 * dcertd process: a 2-of-3 multisig account (keys add --multisig) is funded; a send from it is
 * generated with --generate-only, signed offline by two member keys (tx sign --multisig --offline,
 * each on its own keyring), combined by a third party who holds only the multisig key's public
 * keys (tx multisign) and broadcast (tx broadcast), in -o json and in text. Keys use the test
 * backend (no passphrase).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compiledDcertd, findRepoRoot } from "../../src/localnet/devnet";
import { pollUntil } from "../../src/localnet/proc";
import { startDevnet, type Devnet } from "./harness";

jest.setTimeout(300_000);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runDcertd(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const script = compiledDcertd(findRepoRoot(__dirname));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...argv], { env: { ...process.env, DCERTD_KEYRING_BACKEND: "test", ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end("");
  });
}

describe("multisig and offline signing through the dcertd CLI", () => {
  let devnet: Devnet;
  let tmp: string;
  /** One home per party: the funder, each member (its own key only), and the third party (public keys only). */
  const homes: Record<string, string> = {};

  async function cli(who: string, argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
    const networked = argv[0] === "tx" || argv[0] === "q";
    return runDcertd([...argv, "--home", homes[who] as string, ...(networked ? ["--node", devnet.rpc] : [])], env);
  }

  async function ok(who: string, argv: readonly string[]): Promise<string> {
    const r = await cli(who, argv);
    if (r.code !== 0) throw new Error(`dcertd ${argv.join(" ")} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  }

  async function balance(address: string): Promise<bigint> {
    const out = JSON.parse(await ok("funder", ["q", "bank", "balances", address, "--denom", devnet.denom, "-o", "json"])) as { balance: { amount: string } };
    return BigInt(out.balance.amount);
  }

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-multisig-e2e-"));
    for (const who of ["funder", "m1", "m2", "m3", "third"]) homes[who] = path.join(tmp, who);
    devnet = await startDevnet();
  });

  afterAll(async () => {
    await devnet?.stop();
    if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
  });

  let msAddress = "";
  let accountNumber = "";
  const recipient = (): string => (devnet.accounts[1] as { address: string }).address;

  test("a 2-of-3 multisig key is made from three members' public keys, the same on every keyring", async () => {
    const mnemonicFile = path.join(tmp, "funder.mnemonic");
    fs.writeFileSync(mnemonicFile, (devnet.accounts[0] as { mnemonic: string }).mnemonic, { mode: 0o600 });
    await ok("funder", ["keys", "import", "funder", mnemonicFile]);
    const pubkeys: string[] = [];
    for (const m of ["m1", "m2", "m3"]) {
      const k = JSON.parse(await ok(m, ["keys", "add", m, "--no-backup", "-o", "json"])) as { pubkey: string };
      pubkeys.push(k.pubkey);
    }
    // Each party stores the multisig key from the public keys alone.
    const addresses = new Set<string>();
    for (const who of ["m1", "m2", "m3", "third"]) {
      const r = JSON.parse(await ok(who, ["keys", "add", "ms", "--multisig", pubkeys.join(","), "--multisig-threshold", "2", "-o", "json"])) as { address: string; type: string; threshold: number };
      expect(r.type).toBe("multi");
      expect(r.threshold).toBe(2);
      addresses.add(r.address);
    }
    expect(addresses.size).toBe(1);
    msAddress = [...addresses][0] as string;
    const text = await ok("third", ["keys", "show", "ms"]);
    expect(text).toMatch(/type\s+multi/);
    // A multisig key cannot sign alone.
    const alone = await cli("third", ["tx", "bank", "send", "ms", recipient(), "1udcert", "-y"]);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toMatch(/"ms" is a multisig key: it cannot sign alone; generate the tx with --generate-only/);
  });

  test("the multisig account is funded; its number comes from the chain", async () => {
    const sent = JSON.parse(await ok("funder", ["tx", "bank", "send", "funder", msAddress, `5000000${devnet.denom}`, "-y", "-o", "json"])) as { code: number };
    expect(sent.code).toBe(0);
    const acc = (JSON.parse(await ok("funder", ["q", "auth", "account", msAddress, "-o", "json"])) as { account: { account_number: string; sequence: string } }).account;
    expect(acc.sequence).toBe("0");
    accountNumber = acc.account_number;
  });

  async function round(sequence: number, signers: readonly string[], amount: number, output: "json" | "text"): Promise<Run> {
    const dir = path.join(tmp, `round-${sequence}`);
    fs.mkdirSync(dir);
    // --generate-only by the third party (who has no private key at all); gas auto simulates the multisig signer.
    const unsigned = await ok("third", ["tx", "bank", "send", "ms", recipient(), `${amount}${devnet.denom}`, "--generate-only", "--memo", `round ${sequence}`]);
    const doc = JSON.parse(unsigned) as { body: { messages: { "@type": string; from_address: string; amount: unknown }[]; memo: string }; auth_info: { signer_infos: unknown[]; fee: { gas_limit: string; amount: { amount: string }[] } }; signatures: unknown[] };
    expect(doc.body.messages[0]).toEqual({ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: msAddress, to_address: recipient(), amount: [{ denom: devnet.denom, amount: String(amount) }] });
    expect(doc.auth_info.signer_infos).toEqual([]);
    expect(doc.signatures).toEqual([]);
    expect(Number(doc.auth_info.fee.gas_limit)).toBeGreaterThan(50_000);
    const unsignedFile = path.join(dir, "unsigned.json");
    fs.writeFileSync(unsignedFile, unsigned);
    // Each member signs offline on its own keyring: no node is asked.
    const sigFiles: string[] = [];
    for (const m of signers) {
      const sigFile = path.join(dir, `${m}.sig.json`);
      fs.copyFileSync(unsignedFile, path.join(dir, `${m}.unsigned.json`));
      const r = await runDcertd(["tx", "sign", path.join(dir, `${m}.unsigned.json`), "--from", m, "--multisig", msAddress, "--offline", "--chain-id", devnet.chainId, "--account-number", accountNumber, "--sequence", String(sequence), "--output-document", sigFile, "--home", homes[m] as string, "--node", "http://127.0.0.1:1"]);
      expect(r.code).toBe(0);
      const sig = JSON.parse(fs.readFileSync(sigFile, "utf8")) as { signatures: { data: { single: { mode: string } }; sequence: string }[] };
      expect(sig.signatures[0]?.data.single.mode).toBe("SIGN_MODE_LEGACY_AMINO_JSON");
      expect(sig.signatures[0]?.sequence).toBe(String(sequence));
      sigFiles.push(sigFile);
    }
    // The third party combines the signatures and broadcasts.
    const signed = await ok("third", ["tx", "multisign", unsignedFile, "ms", ...sigFiles]);
    const signedDoc = JSON.parse(signed) as { auth_info: { signer_infos: { public_key: { "@type": string; threshold: number }; mode_info: { multi: { mode_infos: unknown[] } } }[] }; signatures: string[] };
    expect(signedDoc.auth_info.signer_infos[0]?.public_key["@type"]).toBe("/cosmos.crypto.multisig.LegacyAminoPubKey");
    expect(signedDoc.auth_info.signer_infos[0]?.mode_info.multi.mode_infos).toHaveLength(2);
    expect(signedDoc.signatures).toHaveLength(1);
    const signedFile = path.join(dir, "signed.json");
    fs.writeFileSync(signedFile, signed);
    return cli("third", ["tx", "broadcast", signedFile, ...(output === "json" ? ["-o", "json"] : [])]);
  }

  test("a send signed offline by m1 and m3, multisigned and broadcast by the third party (-o json)", async () => {
    const before = await balance(recipient());
    const r = await round(0, ["m1", "m3"], 12345, "json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as { code: number; txhash: string; height: string };
    expect(res.code).toBe(0);
    expect(res.txhash).toMatch(/^[0-9A-F]{64}$/);
    expect(Number(res.height)).toBeGreaterThan(0);
    expect(await balance(recipient())).toBe(before + 12345n);
    const acc = (JSON.parse(await ok("funder", ["q", "auth", "account", msAddress, "-o", "json"])) as { account: { sequence: string } }).account;
    expect(acc.sequence).toBe("1");
  });

  test("the next one by m2 and m3 (text output)", async () => {
    const before = await balance(recipient());
    const r = await round(1, ["m3", "m2"], 777, "text");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^txhash\s+[0-9A-F]{64}$/m);
    expect(r.stdout).toMatch(/^code\s+0$/m);
    expect(await balance(recipient())).toBe(before + 777n);
  });

  test("one signature is not enough; a stale signature does not verify; --broadcast-mode sync returns after CheckTx", async () => {
    const dir = path.join(tmp, "bad");
    fs.mkdirSync(dir);
    const unsignedFile = path.join(dir, "unsigned.json");
    fs.writeFileSync(unsignedFile, await ok("third", ["tx", "bank", "send", "ms", recipient(), `5${devnet.denom}`, "--generate-only", "--gas", "200000"]));
    const sig = path.join(dir, "m1.json");
    await ok("m1", ["tx", "sign", unsignedFile, "--from", "m1", "--multisig", msAddress, "--output-document", sig]);
    const one = await cli("third", ["tx", "multisign", unsignedFile, "ms", sig]);
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/"ms" needs 2 signatures, got 1; collect signatures from more members/);
    const stale = path.join(dir, "m2.json");
    await ok("m2", ["tx", "sign", unsignedFile, "--from", "m2", "--multisig", msAddress, "--offline", "--chain-id", devnet.chainId, "--account-number", accountNumber, "--sequence", "0", "--output-document", stale]);
    const r = await cli("third", ["tx", "multisign", unsignedFile, "ms", sig, stale]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/signs sequence 0 but the multisig account is at 2/);
    // A fresh m2 signature; broadcast in sync mode prints the CheckTx result and the hash at once.
    await ok("m2", ["tx", "sign", unsignedFile, "--from", "m2", "--multisig", msAddress, "--output-document", stale]);
    const signedFile = path.join(dir, "signed.json");
    fs.writeFileSync(signedFile, await ok("third", ["tx", "multisign", unsignedFile, "ms", sig, stale]));
    const sync = JSON.parse(await ok("third", ["tx", "broadcast", signedFile, "--broadcast-mode", "sync", "-o", "json"])) as { code: number; height: string; txhash: string };
    expect(sync).toMatchObject({ code: 0, height: "0" });
    await pollUntil({
      what: "the sync-broadcast tx to be committed",
      check: async () => {
        const acc = (JSON.parse(await ok("funder", ["q", "auth", "account", msAddress, "-o", "json"])) as { account: { sequence: string } }).account;
        return acc.sequence === "3" ? true : undefined;
      },
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    // The account now carries its multisig key, printed as its threshold and member keys.
    const acc = (JSON.parse(await ok("funder", ["q", "auth", "account", msAddress, "-o", "json"])) as { account: { "@type": string; pub_key: { "@type": string; threshold: number; public_keys: { "@type": string }[] } } }).account;
    expect(acc["@type"]).toBe("/cosmos.auth.v1beta1.BaseAccount");
    expect(acc.pub_key["@type"]).toBe("/cosmos.crypto.multisig.LegacyAminoPubKey");
    expect(acc.pub_key.threshold).toBe(2);
    expect(acc.pub_key.public_keys.map((k) => k["@type"])).toEqual(Array(3).fill("/cosmos.crypto.secp256k1.PubKey"));
  });

  test("a single key signs offline in direct mode and the signed file broadcasts (--broadcast-mode async)", async () => {
    const dir = path.join(tmp, "single");
    fs.mkdirSync(dir);
    const unsignedFile = path.join(dir, "unsigned.json");
    fs.writeFileSync(unsignedFile, await ok("funder", ["tx", "bank", "send", "funder", recipient(), `9${devnet.denom}`, "--generate-only"]));
    const acc = (JSON.parse(await ok("funder", ["q", "auth", "account", "funder", "-o", "json"])) as { account: { account_number: string; sequence: string } }).account;
    const signedFile = path.join(dir, "signed.json");
    await ok("funder", ["tx", "sign", unsignedFile, "--from", "funder", "--offline", "--chain-id", devnet.chainId, "--account-number", acc.account_number, "--sequence", acc.sequence, "--output-document", signedFile]);
    const signed = JSON.parse(fs.readFileSync(signedFile, "utf8")) as { auth_info: { signer_infos: { mode_info: { single: { mode: string } } }[] } };
    expect(signed.auth_info.signer_infos[0]?.mode_info.single.mode).toBe("SIGN_MODE_DIRECT");
    const before = await balance(recipient());
    const r = JSON.parse(await ok("funder", ["tx", "broadcast", signedFile, "--broadcast-mode", "async", "-o", "json"])) as { txhash: string };
    expect(r.txhash).toMatch(/^[0-9A-F]{64}$/);
    await pollUntil({ what: "the async-broadcast send", check: async () => ((await balance(recipient())) === before + 9n ? true : undefined), timeoutMs: 60_000, intervalMs: 500 });
  });
});
