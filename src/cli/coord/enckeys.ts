/**
 * Encryption keys (X25519) of the keyring: the keys sealed notices and input are encrypted to.
 *
 * One file per name under `<home>/keyring-file/encryption/<name>.json`, beside the account keys and
 * under the same passphrase, scrypt parameters and AES-256-GCM format (keyring.ts). The public keys
 * stay readable (listing needs no passphrase) and are bound to the ciphertext as additional data.
 * Rotation appends a new pair and keeps every old secret, so notices sealed to an old key still
 * open; the last pair is the current one (what `register-party`/`update-party` publish).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { toHex } from "@cosmjs/encoding";
import { encryptionPublicKey, generateEncryptionKeyPair, type EncryptionKeyPair } from "../../types/coord";
import { decryptSecret, encryptSecret, KeyringError, MIN_PASSPHRASE_LENGTH, validateKeyName, type EncryptedSecret, type FileKeyring } from "../keyring";

export const ENCRYPTION_DIR = "encryption";
const FILE_VERSION = 1;
const AAD_TAG = "dcert-keyring-x25519/v1";

/** What is readable without the passphrase. */
export interface EncryptionKeyInfo {
  readonly name: string;
  readonly algo: "x25519";
  /** The current public key (32 bytes). */
  readonly publicKey: Uint8Array;
  /** Every public key, oldest first; the last is the current one. */
  readonly publicKeys: readonly Uint8Array[];
}

interface EncKeyFile {
  version: number;
  name: string;
  algo: "x25519";
  /** Base64 public keys, oldest first. */
  public_keys: string[];
  crypto: EncryptedSecret;
}

function aad(f: Pick<EncKeyFile, "name" | "public_keys">): Buffer {
  return Buffer.from([AAD_TAG, f.name, ...f.public_keys].join("\n"), "utf8");
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export class EncryptionKeyring {
  readonly dir: string;

  constructor(
    readonly accounts: FileKeyring,
    private readonly generate: () => EncryptionKeyPair = generateEncryptionKeyPair,
  ) {
    this.dir = path.join(accounts.dir, ENCRYPTION_DIR);
  }

  private file(name: string): string {
    validateKeyName(name);
    return path.join(this.dir, `${name}.json`);
  }

  private read(name: string): EncKeyFile {
    const file = this.file(name);
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new KeyringError("not-found", `no encryption key named "${name}" in ${this.dir}`);
      throw e;
    }
    let f: EncKeyFile;
    try {
      f = JSON.parse(text) as EncKeyFile;
    } catch {
      throw new KeyringError("corrupt", `${file} is not valid JSON`);
    }
    if (f.version !== FILE_VERSION || f.algo !== "x25519") throw new KeyringError("corrupt", `${file} is not an x25519 key file of version ${FILE_VERSION}`);
    if (f.name !== name) throw new KeyringError("corrupt", `${file} holds a key named "${String(f.name)}"`);
    if (!Array.isArray(f.public_keys) || f.public_keys.length === 0 || f.public_keys.some((k) => typeof k !== "string" || Buffer.from(k, "base64").length !== 32)) {
      throw new KeyringError("corrupt", `${file} lacks its 32-byte public keys`);
    }
    return f;
  }

  private info(f: EncKeyFile): EncryptionKeyInfo {
    const publicKeys = f.public_keys.map((k) => new Uint8Array(Buffer.from(k, "base64")));
    return { name: f.name, algo: "x25519", publicKey: publicKeys[publicKeys.length - 1] as Uint8Array, publicKeys };
  }

  private write(name: string, pairs: readonly EncryptionKeyPair[], passphrase: string, replace: boolean): EncryptionKeyInfo {
    const header = { name, public_keys: pairs.map((p) => Buffer.from(p.publicKey).toString("base64")) };
    const plain = Buffer.from(JSON.stringify({ secret_keys: pairs.map((p) => Buffer.from(p.secretKey).toString("base64")) }), "utf8");
    const crypto = encryptSecret(passphrase, plain, aad(header), this.accounts.scryptParams);
    plain.fill(0);
    const file: EncKeyFile = { version: FILE_VERSION, name, algo: "x25519", public_keys: header.public_keys, crypto };
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const target = this.file(name);
    const tmp = `${target}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: replace ? "w" : "wx" });
    fs.renameSync(tmp, target);
    return this.info(file);
  }

  has(name: string): boolean {
    try {
      validateKeyName(name);
    } catch {
      return false;
    }
    return fs.existsSync(this.file(name));
  }

  /** Every encryption key, by name; unreadable files are skipped. */
  list(): EncryptionKeyInfo[] {
    if (!fs.existsSync(this.dir)) return [];
    const out: EncryptionKeyInfo[] = [];
    for (const entry of fs.readdirSync(this.dir).sort()) {
      if (!entry.endsWith(".json")) continue;
      try {
        out.push(this.info(this.read(entry.slice(0, -".json".length))));
      } catch {
        // not a key file of ours
      }
    }
    return out;
  }

  get(name: string): EncryptionKeyInfo {
    return this.info(this.read(name));
  }

  /** The name of the local key holding `publicKey` (current or old), if any. */
  findByPublicKey(publicKey: Uint8Array): EncryptionKeyInfo | undefined {
    return this.list().find((k) => k.publicKeys.some((p) => sameBytes(p, publicKey)));
  }

  /** Every pair of a key, oldest first; a wrong passphrase is a KeyringError "wrong-passphrase". */
  pairs(name: string, passphrase: string): EncryptionKeyPair[] {
    const f = this.read(name);
    const plain = decryptSecret(passphrase, f.crypto, aad(f), this.file(name), `wrong passphrase for encryption key "${name}" (or its file ${this.file(name)} was modified)`);
    const secrets = (JSON.parse(plain.toString("utf8")) as { secret_keys?: unknown }).secret_keys;
    plain.fill(0);
    if (!Array.isArray(secrets) || secrets.length !== f.public_keys.length) throw new KeyringError("corrupt", `${this.file(name)} decrypted to something that is not its key pairs`);
    return secrets.map((s, i) => {
      const secretKey = new Uint8Array(Buffer.from(String(s), "base64"));
      const publicKey = encryptionPublicKey(secretKey);
      if (toHex(publicKey) !== Buffer.from(f.public_keys[i] as string, "base64").toString("hex")) throw new KeyringError("corrupt", `${this.file(name)}: secret ${i} does not belong to its public key`);
      return { secretKey, publicKey };
    });
  }

  /** Checks `passphrase` against the keyring (account keys, else encryption keys). */
  checkPassphrase(passphrase: string): void {
    if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) throw new KeyringError("weak-passphrase", `the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
    if (this.accounts.list().length > 0) {
      this.accounts.checkPassphrase(passphrase);
      return;
    }
    const other = this.list()[0];
    if (other === undefined) return;
    try {
      this.pairs(other.name, passphrase);
    } catch (e) {
      if (e instanceof KeyringError && e.kind === "wrong-passphrase") {
        throw new KeyringError("mismatch", `the passphrase does not open the keys already in ${this.accounts.dir} (e.g. encryption key "${other.name}"); every key of a keyring uses the same passphrase`);
      }
      throw e;
    }
  }

  /** Creates a new key pair under `name`. */
  add(name: string, passphrase: string): EncryptionKeyInfo {
    validateKeyName(name);
    if (this.has(name)) throw new KeyringError("exists", `an encryption key named "${name}" already exists in ${this.dir}`);
    this.checkPassphrase(passphrase);
    return this.write(name, [this.generate()], passphrase, false);
  }

  /** Adds a new current pair to `name`, keeping the old ones (old notices still open). */
  rotate(name: string, passphrase: string): EncryptionKeyInfo {
    const pairs = this.pairs(name, passphrase);
    return this.write(name, [...pairs, this.generate()], passphrase, true);
  }

  /** Deletes a key after checking the passphrase opens it. */
  delete(name: string, passphrase: string): EncryptionKeyInfo {
    const info = this.get(name);
    this.pairs(name, passphrase);
    fs.rmSync(this.file(name));
    return info;
  }
}
