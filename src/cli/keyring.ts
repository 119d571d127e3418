/**
 * The file keyring: one JSON file per key under `<home>/keyring-file/`, the mnemonic encrypted
 * with AES-256-GCM under a key derived from the passphrase with scrypt. Each file stores its own
 * random salt and nonce and the scrypt parameters, so they can change without breaking old files.
 *
 * The name, address, public key and HD path stay readable (listing keys needs no passphrase) but
 * are bound to the ciphertext as GCM additional data: editing any of them makes decryption fail,
 * as a wrong passphrase does. The mnemonic never touches the disk in plaintext. All keys of one
 * keyring share one passphrase (adding a key checks it against an existing one).
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToString, stringToPath } from "@cosmjs/crypto";
import { toBase64 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet, makeCosmoshubPath } from "@cosmjs/proto-signing";

export const KEYRING_DIR = "keyring-file";
const FILE_VERSION = 1;
const AAD_TAG = "dcert-keyring/v1";
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const MIN_PASSPHRASE_LENGTH = 8;

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly n: number;
  readonly r: number;
  readonly p: number;
}

/** ~100 ms and 32 MiB per derivation. */
export const DEFAULT_SCRYPT: ScryptParams = { n: 1 << 15, r: 8, p: 1 };

/** What is readable without the passphrase. */
export interface KeyInfo {
  readonly name: string;
  readonly type: "local";
  readonly algo: "secp256k1";
  readonly address: string;
  /** The 33-byte compressed public key, base64. */
  readonly pubkey: string;
  readonly hdPath: string;
}

interface KeyFile {
  version: number;
  name: string;
  type: "local";
  algo: "secp256k1";
  address: string;
  pubkey: string;
  hd_path: string;
  crypto: EncryptedSecret;
}

export type KeyringErrorKind = "not-found" | "exists" | "wrong-passphrase" | "corrupt" | "invalid-name" | "weak-passphrase" | "invalid-mnemonic" | "mismatch";

export class KeyringError extends Error {
  override readonly name = "KeyringError";
  constructor(
    readonly kind: KeyringErrorKind,
    message: string,
  ) {
    super(message);
  }
}

function aad(f: Pick<KeyFile, "name" | "address" | "pubkey" | "hd_path">): Buffer {
  return Buffer.from([AAD_TAG, f.name, f.address, f.pubkey, f.hd_path].join("\n"), "utf8");
}

function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams): Buffer {
  return scryptSync(Buffer.from(passphrase.normalize("NFKD"), "utf8"), salt, 32, { N: params.n, r: params.r, p: params.p, maxmem: 256 * params.n * params.r + 1024 * 1024 });
}

/** The account a mnemonic controls at `hdPath`. */
export async function deriveAccount(mnemonic: string, prefix: string, hdPath = pathToString(makeCosmoshubPath(0))): Promise<{ address: string; pubkey: Uint8Array }> {
  let wallet: DirectSecp256k1HdWallet;
  try {
    wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix, hdPaths: [stringToPath(hdPath)] });
  } catch (e) {
    throw new KeyringError("invalid-mnemonic", `not a valid BIP-39 mnemonic (${e instanceof Error ? e.message : String(e)})`);
  }
  const [acc] = await wallet.getAccounts();
  if (acc === undefined) throw new KeyringError("invalid-mnemonic", "the mnemonic derived no account");
  return { address: acc.address, pubkey: acc.pubkey };
}

/** Normalises a mnemonic as typed or pasted: lower case, single spaces. */
export function normalizeMnemonic(text: string): string {
  return text.trim().toLowerCase().split(/\s+/).join(" ");
}

export function validateKeyName(name: string): void {
  if (!NAME_RE.test(name)) {
    throw new KeyringError("invalid-name", `"${name}" is not a valid key name (1–64 letters, digits, ".", "_" or "-", starting with a letter or digit)`);
  }
}

function b64(s: unknown, field: string, len?: number): Buffer {
  if (typeof s !== "string") throw new KeyringError("corrupt", `missing ${field}`);
  const b = Buffer.from(s, "base64");
  if (len !== undefined && b.length !== len) throw new KeyringError("corrupt", `${field} must be ${len} bytes`);
  return b;
}

function checkKdfParams(p: unknown): EncryptedSecret["kdf_params"] {
  const o = p as Partial<EncryptedSecret["kdf_params"]> | undefined;
  const n = o?.n;
  const r = o?.r;
  const pp = o?.p;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1024 || n > 1 << 22 || (n & (n - 1)) !== 0) throw new KeyringError("corrupt", "scrypt n must be a power of two between 2^10 and 2^22");
  if (typeof r !== "number" || !Number.isInteger(r) || r < 1 || r > 32) throw new KeyringError("corrupt", "scrypt r must be between 1 and 32");
  if (typeof pp !== "number" || !Number.isInteger(pp) || pp < 1 || pp > 16) throw new KeyringError("corrupt", "scrypt p must be between 1 and 16");
  if (o?.dklen !== 32) throw new KeyringError("corrupt", "scrypt dklen must be 32");
  if (b64(o.salt, "salt").length < 16) throw new KeyringError("corrupt", "the salt must be at least 16 bytes");
  return { n, r, p: pp, dklen: 32, salt: o.salt as string };
}

/** A secret encrypted under the keyring passphrase (scrypt + AES-256-GCM), as stored in a key file. */
export interface EncryptedSecret {
  kdf: "scrypt";
  kdf_params: { n: number; r: number; p: number; dklen: number; salt: string };
  cipher: "aes-256-gcm";
  nonce: string;
  ciphertext: string;
  tag: string;
}

/** Encrypts `plain` under `passphrase` with a fresh salt and nonce; `additional` is bound as GCM AAD. */
export function encryptSecret(passphrase: string, plain: Uint8Array, additional: Uint8Array, params: ScryptParams = DEFAULT_SCRYPT): EncryptedSecret {
  const salt = randomBytes(32);
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(passphrase, salt, params), nonce);
  cipher.setAAD(additional);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    kdf: "scrypt",
    kdf_params: { n: params.n, r: params.r, p: params.p, dklen: 32, salt: salt.toString("base64") },
    cipher: "aes-256-gcm",
    nonce: nonce.toString("base64"),
    ciphertext: ciphertext.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
  };
}

/**
 * Decrypts what `encryptSecret` made. A wrong passphrase, other additional data or an edited
 * ciphertext is a KeyringError "wrong-passphrase" with `wrongMessage`; a malformed record is "corrupt".
 */
export function decryptSecret(passphrase: string, secret: unknown, additional: Uint8Array, file: string, wrongMessage: string): Buffer {
  const c = secret as Partial<EncryptedSecret> | undefined;
  if (c?.kdf !== "scrypt" || c.cipher !== "aes-256-gcm") throw new KeyringError("corrupt", `${file} uses an unsupported kdf or cipher`);
  const kdf = checkKdfParams(c.kdf_params);
  const key = deriveKey(passphrase, b64(kdf.salt, "salt"), kdf);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, b64(c.nonce, "nonce", 12));
    decipher.setAAD(additional);
    decipher.setAuthTag(b64(c.tag, "tag", 16));
    return Buffer.concat([decipher.update(b64(c.ciphertext, "ciphertext")), decipher.final()]);
  } catch {
    throw new KeyringError("wrong-passphrase", wrongMessage);
  }
}

export class FileKeyring {
  readonly dir: string;
  private readonly scrypt: ScryptParams;

  constructor(
    dir: string,
    readonly prefix: string = "dcert",
    opts: { scrypt?: ScryptParams } = {},
  ) {
    this.dir = path.resolve(dir);
    this.scrypt = opts.scrypt ?? DEFAULT_SCRYPT;
  }

  /** The scrypt parameters new files are written with. */
  get scryptParams(): ScryptParams {
    return this.scrypt;
  }

  /** The keyring of a home directory: `<home>/keyring-file/`. */
  static forHome(home: string, prefix = "dcert", opts: { scrypt?: ScryptParams } = {}): FileKeyring {
    return new FileKeyring(path.join(home, KEYRING_DIR), prefix, opts);
  }

  private file(name: string): string {
    validateKeyName(name);
    return path.join(this.dir, `${name}.json`);
  }

  private read(name: string): KeyFile {
    const file = this.file(name);
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new KeyringError("not-found", `no key named "${name}" in ${this.dir}`);
      throw e;
    }
    let f: KeyFile;
    try {
      f = JSON.parse(text) as KeyFile;
    } catch {
      throw new KeyringError("corrupt", `${file} is not valid JSON`);
    }
    if (f.version !== FILE_VERSION) throw new KeyringError("corrupt", `${file} has unsupported version ${String(f.version)}`);
    if (f.name !== name) throw new KeyringError("corrupt", `${file} holds a key named "${String(f.name)}"`);
    if (typeof f.address !== "string" || typeof f.pubkey !== "string" || typeof f.hd_path !== "string") throw new KeyringError("corrupt", `${file} lacks its address, pubkey or hd_path`);
    return f;
  }

  private info(f: KeyFile): KeyInfo {
    return { name: f.name, type: "local", algo: "secp256k1", address: f.address, pubkey: f.pubkey, hdPath: f.hd_path };
  }

  /** Every key, by name. Unreadable files are skipped. */
  list(): KeyInfo[] {
    if (!fs.existsSync(this.dir)) return [];
    const out: KeyInfo[] = [];
    for (const entry of fs.readdirSync(this.dir).sort()) {
      if (!entry.endsWith(".json")) continue;
      const name = entry.slice(0, -".json".length);
      if (!NAME_RE.test(name)) continue;
      try {
        out.push(this.info(this.read(name)));
      } catch {
        // not a key file of ours
      }
    }
    return out;
  }

  has(name: string): boolean {
    return NAME_RE.test(name) && fs.existsSync(path.join(this.dir, `${name}.json`));
  }

  /** A key by name, or by its address. */
  get(nameOrAddress: string): KeyInfo {
    if (NAME_RE.test(nameOrAddress) && this.has(nameOrAddress)) return this.info(this.read(nameOrAddress));
    const byAddress = this.list().find((k) => k.address === nameOrAddress);
    if (byAddress !== undefined) return byAddress;
    throw new KeyringError("not-found", `no key named "${nameOrAddress}" in ${this.dir}`);
  }

  /** Decrypts a key's mnemonic; a wrong passphrase (or an edited file) is a KeyringError "wrong-passphrase". */
  decrypt(name: string, passphrase: string): string {
    const f = this.read(name);
    const plain = decryptSecret(passphrase, f.crypto, aad(f), `${this.file(name)}`, `wrong passphrase for key "${name}" (or its file ${this.file(name)} was modified)`);
    const mnemonic = (JSON.parse(plain.toString("utf8")) as { mnemonic?: unknown }).mnemonic;
    plain.fill(0);
    if (typeof mnemonic !== "string") throw new KeyringError("corrupt", `${this.file(name)} decrypted to something that is not a key`);
    return mnemonic;
  }

  /** Checks `passphrase` against an existing key, so that one keyring keeps one passphrase. */
  checkPassphrase(passphrase: string): void {
    const other = this.list()[0];
    if (other === undefined) return;
    try {
      this.decrypt(other.name, passphrase);
    } catch (e) {
      if (e instanceof KeyringError && e.kind === "wrong-passphrase") {
        throw new KeyringError("mismatch", `the passphrase does not open the keys already in ${this.dir} (e.g. "${other.name}"); every key of a keyring uses the same passphrase`);
      }
      throw e;
    }
  }

  /** Stores `mnemonic` under `name`, encrypted with `passphrase`. */
  async add(name: string, mnemonic: string, passphrase: string): Promise<KeyInfo> {
    validateKeyName(name);
    if (this.has(name)) throw new KeyringError("exists", `a key named "${name}" already exists in ${this.dir}`);
    if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) throw new KeyringError("weak-passphrase", `the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
    const words = normalizeMnemonic(mnemonic);
    const hdPath = pathToString(makeCosmoshubPath(0));
    const { address, pubkey } = await deriveAccount(words, this.prefix, hdPath);
    const existing = this.list().find((k) => k.address === address);
    if (existing !== undefined) throw new KeyringError("exists", `this mnemonic's address ${address} is already stored as "${existing.name}"`);
    this.checkPassphrase(passphrase);

    const header = { name, address, pubkey: toBase64(pubkey), hd_path: hdPath };
    const plain = Buffer.from(JSON.stringify({ mnemonic: words }), "utf8");
    const crypto = encryptSecret(passphrase, plain, aad(header), this.scrypt);
    plain.fill(0);
    const file: KeyFile = {
      version: FILE_VERSION,
      name,
      type: "local",
      algo: "secp256k1",
      address,
      pubkey: header.pubkey,
      hd_path: hdPath,
      crypto,
    };
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const target = this.file(name);
    const tmp = `${target}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    fs.renameSync(tmp, target);
    return this.info(file);
  }

  /** Deletes a key after checking the passphrase opens it. */
  delete(name: string, passphrase: string): KeyInfo {
    const info = this.info(this.read(name));
    this.decrypt(name, passphrase);
    fs.rmSync(this.file(name));
    return info;
  }
}
