/**
 * The file keyring: encryption at rest (no mnemonic words on disk, owner-only files), wrong
 * passphrases and edited files refused, one passphrase per keyring, names that cannot escape the
 * directory, and the scrypt parameters read from each file.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FileKeyring, KeyringError, deriveAccount, normalizeMnemonic } from "../../../src/cli/keyring";

const FAST = { scrypt: { n: 1024, r: 8, p: 1 } };
const M1 = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const M2 = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const PASS = "a good passphrase";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-keyring-test-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function kind(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof KeyringError ? e.kind : `other: ${String(e)}`;
  }
  return undefined;
}

async function asyncKind(f: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await f();
  } catch (e) {
    return e instanceof KeyringError ? e.kind : `other: ${String(e)}`;
  }
  return undefined;
}

describe("FileKeyring", () => {
  test("stores a key that lists without the passphrase and decrypts with it", async () => {
    const kr = FileKeyring.forHome(dir, "dcert", FAST);
    const info = await kr.add("alice", `  ${M1.toUpperCase()}\n`, PASS);
    expect(info.address).toBe((await deriveAccount(M1, "dcert")).address);
    expect(kr.list()).toEqual([info]);
    expect(kr.get("alice")).toEqual(info);
    expect(kr.get(info.address)).toEqual(info);
    expect(kr.decrypt("alice", PASS)).toBe(M1);
    expect(fs.existsSync(path.join(dir, "keyring-file", "alice.json"))).toBe(true);
  });

  test("the file holds no mnemonic word and is readable by its owner only", async () => {
    const kr = FileKeyring.forHome(dir, "dcert", FAST);
    await kr.add("bob", M2, PASS);
    const file = path.join(dir, "keyring-file", "bob.json");
    const text = fs.readFileSync(file, "utf8");
    for (const word of new Set(M2.split(" "))) expect(text).not.toMatch(new RegExp(`\\b${word}\\b`));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o077).toBe(0);
    const json = JSON.parse(text) as { crypto: { kdf: string; cipher: string; kdf_params: { n: number; salt: string }; nonce: string } };
    expect(json.crypto.kdf).toBe("scrypt");
    expect(json.crypto.cipher).toBe("aes-256-gcm");
    expect(json.crypto.kdf_params.n).toBe(1024);
    expect(Buffer.from(json.crypto.kdf_params.salt, "base64")).toHaveLength(32);
    expect(Buffer.from(json.crypto.nonce, "base64")).toHaveLength(12);
  });

  test("a wrong passphrase is refused", async () => {
    const kr = FileKeyring.forHome(dir, "dcert", FAST);
    await kr.add("alice", M1, PASS);
    expect(kind(() => kr.decrypt("alice", "a good passphrasf"))).toBe("wrong-passphrase");
    expect(kind(() => kr.decrypt("alice", ""))).toBe("wrong-passphrase");
    expect(kind(() => kr.delete("alice", "nope nope nope"))).toBe("wrong-passphrase");
    expect(kr.has("alice")).toBe(true);
  });

  test("editing the readable fields breaks decryption (they are bound to the ciphertext)", async () => {
    const kr = FileKeyring.forHome(dir, "dcert", FAST);
    await kr.add("alice", M1, PASS);
    const bob = await deriveAccount(M2, "dcert");
    const file = path.join(dir, "keyring-file", "alice.json");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, original.replace(/"address": "[^"]+"/, `"address": "${bob.address}"`));
    expect(kind(() => kr.decrypt("alice", PASS))).toBe("wrong-passphrase");
    const tampered = JSON.parse(original) as { crypto: { ciphertext: string } };
    const bytes = Buffer.from(tampered.crypto.ciphertext, "base64");
    bytes[0] = (bytes[0] as number) ^ 1;
    tampered.crypto.ciphertext = bytes.toString("base64");
    fs.writeFileSync(file, JSON.stringify(tampered));
    expect(kind(() => kr.decrypt("alice", PASS))).toBe("wrong-passphrase");
  });

  test("scrypt parameters come from the file, within bounds", async () => {
    await FileKeyring.forHome(dir, "dcert", FAST).add("alice", M1, PASS);
    const reader = FileKeyring.forHome(dir); // default (slower) params for new keys only
    expect(reader.decrypt("alice", PASS)).toBe(M1);
    const file = path.join(dir, "keyring-file", "alice.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as { crypto: { kdf_params: { n: number } } };
    json.crypto.kdf_params.n = 1 << 30;
    fs.writeFileSync(file, JSON.stringify(json));
    expect(kind(() => reader.decrypt("alice", PASS))).toBe("corrupt");
    json.crypto.kdf_params.n = 3000;
    fs.writeFileSync(file, JSON.stringify(json));
    expect(kind(() => reader.decrypt("alice", PASS))).toBe("corrupt");
  });

  test("one passphrase per keyring; distinct salts and nonces per key", async () => {
    const kr = FileKeyring.forHome(dir, "dcert", FAST);
    await kr.add("alice", M1, PASS);
    expect(await asyncKind(() => kr.add("bob", M2, "another passphrase"))).toBe("mismatch");
    expect(kr.has("bob")).toBe(false);
    await kr.add("bob", M2, PASS);
    const read = (n: string): { crypto: { kdf_params: { salt: string }; nonce: string } } =>
      JSON.parse(fs.readFileSync(path.join(dir, "keyring-file", `${n}.json`), "utf8")) as { crypto: { kdf_params: { salt: string }; nonce: string } };
    expect(read("alice").crypto.kdf_params.salt).not.toBe(read("bob").crypto.kdf_params.salt);
    expect(read("alice").crypto.nonce).not.toBe(read("bob").crypto.nonce);
    expect(kr.list().map((k) => k.name)).toEqual(["alice", "bob"]);
  });

  test("refuses duplicates, weak passphrases, bad mnemonics and names that could leave the directory", async () => {
    const kr = FileKeyring.forHome(dir, "dcert", FAST);
    expect(await asyncKind(() => kr.add("alice", M1, "short"))).toBe("weak-passphrase");
    await kr.add("alice", M1, PASS);
    expect(await asyncKind(() => kr.add("alice", M2, PASS))).toBe("exists");
    expect(await asyncKind(() => kr.add("alice2", M1, PASS))).toBe("exists");
    expect(await asyncKind(() => kr.add("carol", "abandon abandon abandon", PASS))).toBe("invalid-mnemonic");
    expect(await asyncKind(() => kr.add("carol", M1.replace("about", "abandon"), PASS))).toBe("invalid-mnemonic");
    for (const bad of ["../evil", "a/b", "", ".hidden", "x".repeat(65), "with space"]) {
      expect(await asyncKind(() => kr.add(bad, M2, PASS))).toBe("invalid-name");
    }
    expect(kind(() => kr.get("nobody"))).toBe("not-found");
    expect(kind(() => kr.decrypt("../alice", PASS))).toBe("invalid-name");
    expect(fs.readdirSync(path.join(dir, "keyring-file"))).toEqual(["alice.json"]);
  });

  test("delete removes the file after checking the passphrase", async () => {
    const kr = FileKeyring.forHome(dir, "dcert", FAST);
    await kr.add("alice", M1, PASS);
    expect(kr.delete("alice", PASS).name).toBe("alice");
    expect(kr.list()).toEqual([]);
    expect(kind(() => kr.get("alice"))).toBe("not-found");
  });

  test("mnemonics are normalised as pasted", () => {
    expect(normalizeMnemonic("  Legal\tWINNER  thank\n")).toBe("legal winner thank");
  });
});
