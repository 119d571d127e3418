/**
 * `dcertd keys` for issue 16: the test backend (no passphrase, plain files under keyring-test/),
 * --account/--index/--hd-path, multisig keys (`add --multisig`, sorted as the SDK and CosmJS sort
 * them), `rename`, and export → import through the SDK's armored private key.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createMultisigThresholdPubkey, pubkeyToRawAddress } from "@cosmjs/amino";
import { toBech32 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet, makeCosmoshubPath } from "@cosmjs/proto-signing";
import { runCli } from "../../../src/cli/args";
import { keysCommand } from "../../../src/cli/keys";
import { FileKeyring } from "../../../src/cli/keyring";

const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const PASSPHRASE = "correct horse battery";

async function run(home: string, argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const a = jest.spyOn(console, "log").mockImplementation((s: string) => void out.push(String(s)));
  const b = jest.spyOn(console, "error").mockImplementation((s: string) => void err.push(String(s)));
  const c = jest.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const code = await runCli("dcertd", [keysCommand], ["keys", ...argv, "--home", home]);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    a.mockRestore();
    b.mockRestore();
    c.mockRestore();
  }
}

async function cosmjsAddress(mnemonic: string, index: number): Promise<{ address: string; pubkey: string }> {
  const w = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "dcert", hdPaths: [makeCosmoshubPath(index)] });
  const [acc] = await w.getAccounts();
  return { address: acc!.address, pubkey: Buffer.from(acc!.pubkey).toString("base64") };
}

describe("keys: backends, HD paths, multisig, rename, armor", () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-keys-"));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  test("the test backend needs no passphrase and keeps plain files under keyring-test/; file keys are not visible there", async () => {
    const mf = path.join(home, "m.txt");
    fs.writeFileSync(mf, MNEMONIC);
    const r = await run(home, ["import", "alice", mf, "--keyring-backend", "test", "-o", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).address).toBe((await cosmjsAddress(MNEMONIC, 0)).address);
    expect(fs.existsSync(path.join(home, "keyring-test", "alice.json"))).toBe(true);
    expect(fs.existsSync(path.join(home, "keyring-file"))).toBe(false);
    const shown = await run(home, ["export", "alice", "--unsafe"], { DCERTD_KEYRING_BACKEND: "test" });
    expect(shown.out).toBe(MNEMONIC);
    expect((await run(home, ["list", "-o", "json"])).out).toBe("[]");
    const bad = await run(home, ["list", "--keyring-backend", "os"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--keyring-backend must be file or test, got "os"/);
  });

  test("--index and --hd-path derive the SDK's BIP-44 accounts (as CosmJS does)", async () => {
    const made = await run(home, ["add", "i3", "--index", "3", "--no-backup", "--keyring-backend", "test", "-o", "json"]);
    expect(made.code).toBe(0);
    const i3made = JSON.parse(made.out) as { address: string };
    const kr0 = FileKeyring.forHome(home, "dcert", { backend: "test" });
    expect(kr0.get("i3").hdPath).toBe("m/44'/118'/0'/0/3");
    const w = await DirectSecp256k1HdWallet.fromMnemonic(kr0.decrypt("i3", ""), { prefix: "dcert", hdPaths: [makeCosmoshubPath(3)] });
    expect((await w.getAccounts())[0]!.address).toBe(i3made.address);
    const kr = FileKeyring.forHome(home, "dcert", { backend: "test" });
    const i3 = await kr.add("idx3", MNEMONIC, "", { hdPath: "m/44'/118'/0'/0/3" });
    expect(i3.address).toBe((await cosmjsAddress(MNEMONIC, 3)).address);
    const bad = await run(home, ["add", "x", "--hd-path", "m/44'/nope", "--keyring-backend", "test"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--hd-path "m\/44'\/nope" is not a BIP-32 path/);
    const both = await run(home, ["add", "y", "--hd-path", "m/44'/118'/0'/0/1", "--index", "1", "--keyring-backend", "test"]);
    expect(both.err).toMatch(/not both/);
  });

  test("add --multisig stores a k-of-n key sorted by address, with the SDK's (and CosmJS's) address", async () => {
    const kr = FileKeyring.forHome(home, "dcert", { backend: "test" });
    const members = [];
    for (const i of [0, 1, 2]) members.push(await kr.add(`k${i}`, MNEMONIC, "", { hdPath: `m/44'/118'/0'/0/${i}` }));
    const r = await run(home, ["add", "ms", "--multisig", "k0,k1,k2", "--multisig-threshold", "2", "--keyring-backend", "test", "-o", "json"]);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out) as { type: string; address: string; threshold: number; pubkeys: string[] };
    const expected = createMultisigThresholdPubkey(members.map((m) => ({ type: "tendermint/PubKeySecp256k1", value: m.pubkey })), 2);
    expect(got.type).toBe("multi");
    expect(got.threshold).toBe(2);
    expect(got.pubkeys).toEqual(expected.value.pubkeys.map((p) => p.value));
    expect(got.address).toBe(toBech32("dcert", pubkeyToRawAddress(expected), 90));
    // --nosort keeps the order given, which changes the address.
    const unsorted = await run(home, ["add", "ms2", "--multisig", "k2,k1,k0", "--multisig-threshold", "2", "--nosort", "--keyring-backend", "test", "-o", "json"]);
    const u = JSON.parse(unsorted.out) as { address: string; pubkeys: string[] };
    expect(u.pubkeys).toEqual([members[2]!.pubkey, members[1]!.pubkey, members[0]!.pubkey]);
    expect(u.address).toBe(toBech32("dcert", pubkeyToRawAddress(createMultisigThresholdPubkey([members[2], members[1], members[0]].map((m) => ({ type: "tendermint/PubKeySecp256k1", value: m!.pubkey })), 2, true)), 90));
    const tooHigh = await run(home, ["add", "ms3", "--multisig", "k0,k1", "--multisig-threshold", "3", "--keyring-backend", "test"]);
    expect(tooHigh.code).toBe(2);
    expect(tooHigh.err).toMatch(/--multisig-threshold must be between 1 and 2, got 3/);
    const noKey = await run(home, ["export", "ms", "--keyring-backend", "test"]);
    expect(noKey.err).toMatch(/"ms" is a multisig key: it has no private key to export/);
  });

  test("rename moves a file-backend key and re-seals it under the new name", async () => {
    const kr = FileKeyring.forHome(home, "dcert");
    const alice = await kr.add("alice", MNEMONIC, PASSPHRASE);
    const r = await run(home, ["rename", "alice", "bob", "-y", "--keyring-passphrase", PASSPHRASE]);
    expect(r.code).toBe(0);
    expect(kr.has("alice")).toBe(false);
    expect(kr.get("bob").address).toBe(alice.address);
    expect(kr.decrypt("bob", PASSPHRASE)).toBe(MNEMONIC);
    const wrong = await run(home, ["rename", "bob", "carol", "-y", "--keyring-passphrase", "wrong passphrase"]);
    expect(wrong.code).toBe(1);
    expect(kr.has("bob")).toBe(true);
  });

  test("export → import through the armor recovers the same account (no mnemonic), which signs alike", async () => {
    const kr = FileKeyring.forHome(home, "dcert");
    const alice = await kr.add("alice", MNEMONIC, PASSPHRASE, { hdPath: "m/44'/118'/0'/0/2" });
    const exported = await run(home, ["export", "alice", "--keyring-passphrase", PASSPHRASE], { DCERT_EXPORT_PASSPHRASE: "move me" });
    expect(exported.code).toBe(0);
    const file = path.join(home, "alice.armor");
    fs.writeFileSync(file, exported.out);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-keys-"));
    try {
      const wrong = await run(other, ["import", "a2", file, "--keyring-backend", "test"], { DCERT_IMPORT_PASSPHRASE: "not it" });
      expect(wrong.code).toBe(1);
      expect(wrong.err).toMatch(/wrong passphrase for the armored key.*; give the passphrase the key was exported with/);
      const r = await run(other, ["import", "a2", file, "--keyring-backend", "test", "-o", "json"], { DCERT_IMPORT_PASSPHRASE: "move me" });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ name: "a2", address: alice.address, pubkey: alice.pubkey });
      const kr2 = FileKeyring.forHome(other, "dcert", { backend: "test" });
      expect(await kr2.privateKey("a2", "")).toEqual(await kr.privateKey("alice", PASSPHRASE));
      const noMnemonic = await run(other, ["export", "a2", "--unsafe", "--keyring-backend", "test"]);
      expect(noMnemonic.err).toMatch(/imported from a private key: it has no mnemonic/);
      const hex = await run(other, ["export", "a2", "--unsafe", "--unarmored-hex", "--keyring-backend", "test"]);
      expect(hex.out).toBe(Buffer.from(await kr.privateKey("alice", PASSPHRASE)).toString("hex"));
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
