/**
 * Encryption keys in the keyring: secrets encrypted at rest under the keyring passphrase (no secret
 * bytes in the file, owner-only modes), wrong passphrases and edited files refused, one passphrase
 * shared with the account keys, rotation keeps old secrets (so an envelope sealed to an old key still
 * opens) and makes the new key current.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EncryptionKeyring } from "../../src/cli/coord/enckeys";
import { FileKeyring, KeyringError } from "../../src/cli/keyring";
import { openEnvelope, sealEnvelope } from "../../src/types/coord";

const FAST = { scrypt: { n: 1024, r: 8, p: 1 } };
const PASS = "a good passphrase";
const M1 = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-enckeys-"));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function kindOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof KeyringError ? e.kind : `other: ${String(e)}`;
  }
  return undefined;
}

function ring(): EncryptionKeyring {
  return new EncryptionKeyring(FileKeyring.forHome(home, "dcert", FAST));
}

describe("EncryptionKeyring", () => {
  it("stores the secret encrypted, readable public key, owner-only file", () => {
    const r = ring();
    const info = r.add("alice", PASS);
    expect(info.publicKey).toHaveLength(32);
    const file = path.join(home, "keyring-file", "encryption", "alice.json");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const [pair] = r.pairs("alice", PASS);
    const text = fs.readFileSync(file, "utf8");
    const secret = Buffer.from(pair?.secretKey ?? []);
    expect(text).not.toContain(secret.toString("base64"));
    expect(text).not.toContain(secret.toString("hex"));
    expect(fs.readFileSync(file).includes(secret)).toBe(false);
    expect(Buffer.from(pair?.publicKey ?? []).equals(Buffer.from(info.publicKey))).toBe(true);
    expect(r.list().map((k) => k.name)).toEqual(["alice"]);
    expect(r.get("alice").publicKey).toEqual(info.publicKey);
    // The account keyring's listing ignores the encryption folder.
    expect(FileKeyring.forHome(home, "dcert", FAST).list()).toEqual([]);
  });

  it("refuses a wrong passphrase, an edited public key and a second key with another passphrase", async () => {
    const r = ring();
    r.add("alice", PASS);
    expect(kindOf(() => r.pairs("alice", "another passphrase"))).toBe("wrong-passphrase");
    expect(kindOf(() => r.add("bob", "another passphrase"))).toBe("mismatch");
    expect(kindOf(() => r.add("alice", PASS))).toBe("exists");
    expect(kindOf(() => r.add("../x", PASS))).toBe("invalid-name");
    const file = path.join(home, "keyring-file", "encryption", "alice.json");
    const j = JSON.parse(fs.readFileSync(file, "utf8")) as { public_keys: string[] };
    j.public_keys[0] = Buffer.alloc(32, 7).toString("base64");
    fs.writeFileSync(file, JSON.stringify(j));
    expect(kindOf(() => r.pairs("alice", PASS))).toBe("wrong-passphrase");
  });

  it("shares the passphrase of the account keys", async () => {
    const accounts = FileKeyring.forHome(home, "dcert", FAST);
    await accounts.add("acct", M1, PASS);
    const r = new EncryptionKeyring(accounts);
    expect(kindOf(() => r.add("alice", "not the keyring passphrase"))).toBe("mismatch");
    expect(r.add("alice", PASS).name).toBe("alice");
  });

  it("rotation keeps old secrets: a notice sealed to the old key still opens", async () => {
    const r = ring();
    const first = r.add("alice", PASS);
    const ctx = { chainId: "test-1", caseId: 1n, purpose: "notice" as const };
    const old = await sealEnvelope(Buffer.from("old notice"), [{ address: "dcert1alice", keyEpoch: 1, publicKey: first.publicKey }], ctx);
    const rotated = r.rotate("alice", PASS);
    expect(rotated.publicKeys).toHaveLength(2);
    expect(Buffer.from(rotated.publicKey).equals(Buffer.from(first.publicKey))).toBe(false);
    expect(rotated.publicKeys[0]).toEqual(first.publicKey);
    expect(r.findByPublicKey(first.publicKey)?.name).toBe("alice");
    const pairs = r.pairs("alice", PASS);
    expect(pairs).toHaveLength(2);
    const opened: string[] = [];
    for (const p of pairs) {
      try {
        opened.push(Buffer.from(await openEnvelope(old, { address: "dcert1alice", secretKey: p.secretKey }, ctx)).toString());
      } catch {
        opened.push("-");
      }
    }
    expect(opened).toEqual(["old notice", "-"]);
    expect(kindOf(() => r.rotate("alice", "wrong passphrase!"))).toBe("wrong-passphrase");
  });
});
