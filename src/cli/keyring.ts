/**
 * The keyring: one JSON file per key. Two backends, as the SDK's `--keyring-backend`:
 *
 * - `file` (the default), under `<home>/keyring-file/`: the secret (a mnemonic, or a private key
 *   imported from an armored export) encrypted with AES-256-GCM under a key derived from the
 *   passphrase with scrypt. Each file stores its own random salt and nonce and the scrypt
 *   parameters, so they can change without breaking old files. The name, address, public key and
 *   HD path stay readable (listing keys needs no passphrase) but are bound to the ciphertext as GCM
 *   additional data: editing any of them makes decryption fail, as a wrong passphrase does. All
 *   keys of one keyring share one passphrase (adding a key checks it against an existing one).
 * - `test`, under `<home>/keyring-test/`: the same files with the secret in plain text (mode 0600),
 *   for scripts and tests; no passphrase. Never for keys of value.
 *
 * A multisig key (`type: "multi"`) holds only public keys (a LegacyAminoPubKey): nothing secret.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Bip39, EnglishMnemonic, pathToString, Secp256k1, Slip10, Slip10Curve, stringToPath } from "@cosmjs/crypto";
import { toBase64 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet, makeCosmoshubPath } from "@cosmjs/proto-signing";
import { encodeAddress, pubkeyToAddress } from "../baseapp/tx/address";
import { encodeMultisigPubKeyAny, MAX_MULTISIG_KEYS, multisigAddress, type MultisigPubKey } from "../baseapp/tx/multisig";

export const KEYRING_DIR = "keyring-file";
export const TEST_KEYRING_DIR = "keyring-test";
export type KeyringBackend = "file" | "test";
export const KEYRING_BACKENDS: readonly KeyringBackend[] = ["file", "test"];
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
  /** "local": a key with its secret; "multi": a multisig key (public keys only). */
  readonly type: "local" | "multi";
  readonly algo: "secp256k1" | "multi";
  readonly address: string;
  /** The 33-byte compressed public key, base64; for a multisig key, the LegacyAminoPubKey's protobuf bytes, base64. */
  readonly pubkey: string;
  /** The HD path of a key made from a mnemonic; "" for an imported private key or a multisig key. */
  readonly hdPath: string;
  /** A multisig key's threshold and member keys (base64, in the key's order). */
  readonly multisig?: { readonly threshold: number; readonly pubkeys: readonly string[] };
}

/** What a key signs with: its mnemonic and HD path, or a private key imported without one. */
export type KeySecret = { readonly mnemonic: string; readonly hdPath: string } | { readonly privateKey: Uint8Array };

interface KeyFile {
  version: number;
  name: string;
  type: "local" | "multi";
  algo: "secp256k1" | "multi";
  address: string;
  pubkey: string;
  hd_path: string;
  /** file backend: the encrypted secret. */
  crypto?: EncryptedSecret;
  /** test backend: the secret in plain text. */
  secret?: SecretPayload;
  multisig?: { threshold: number; pubkeys: string[] };
}

/** The secret of a key, as stored (encrypted in the file backend). */
interface SecretPayload {
  mnemonic?: string;
  /** Hex, 32 bytes: a key imported from an armored export. */
  private_key?: string;
}

export type KeyringErrorKind =
  | "not-found"
  | "exists"
  | "wrong-passphrase"
  | "corrupt"
  | "invalid-name"
  | "weak-passphrase"
  | "invalid-mnemonic"
  | "mismatch"
  | "no-secret"
  | "invalid-key";

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

/** The secp256k1 private key of a mnemonic at `hdPath` (BIP-32/44 as the SDK's hd package). */
export async function derivePrivateKey(mnemonic: string, hdPath: string): Promise<Uint8Array> {
  let seed: Uint8Array;
  try {
    seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(normalizeMnemonic(mnemonic)));
  } catch (e) {
    throw new KeyringError("invalid-mnemonic", `not a valid BIP-39 mnemonic (${e instanceof Error ? e.message : String(e)})`);
  }
  return Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath(hdPath)).privkey;
}

/** The compressed public key and address of a secp256k1 private key. */
export async function accountOfPrivateKey(privateKey: Uint8Array, prefix: string): Promise<{ address: string; pubkey: Uint8Array }> {
  let pubkey: Uint8Array;
  try {
    pubkey = Secp256k1.compressPubkey((await Secp256k1.makeKeypair(privateKey)).pubkey);
  } catch (e) {
    throw new KeyringError("invalid-key", `not a valid secp256k1 private key (${e instanceof Error ? e.message : String(e)})`);
  }
  return { address: encodeAddress(pubkeyToAddress(pubkey), prefix), pubkey };
}

/**
 * The SDK's BIP-44 path for `keys add --account/--index`: m/44'/118'/<account>'/0/<index>, or
 * `--hd-path` itself (checked). Throws a KeyringError "invalid-key" for a path that does not parse.
 */
export function hdPathOf(opts: { account?: number; index?: number; hdPath?: string }): string {
  if (opts.hdPath !== undefined) {
    if (opts.account !== undefined || opts.index !== undefined) throw new KeyringError("invalid-key", "give --hd-path, or --account/--index, not both");
    try {
      return pathToString(stringToPath(opts.hdPath));
    } catch (e) {
      throw new KeyringError("invalid-key", `--hd-path "${opts.hdPath}" is not a BIP-32 path like m/44'/118'/0'/0/0 (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return `m/44'/118'/${opts.account ?? 0}'/0/${opts.index ?? 0}`;
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
  readonly backend: KeyringBackend;
  private readonly scrypt: ScryptParams;

  constructor(
    dir: string,
    readonly prefix: string = "dcert",
    opts: { scrypt?: ScryptParams; backend?: KeyringBackend } = {},
  ) {
    this.dir = path.resolve(dir);
    this.scrypt = opts.scrypt ?? DEFAULT_SCRYPT;
    this.backend = opts.backend ?? "file";
  }

  /** The scrypt parameters new files are written with. */
  get scryptParams(): ScryptParams {
    return this.scrypt;
  }

  /** Whether reading a secret needs the passphrase (the file backend) or not (the test backend). */
  get needsPassphrase(): boolean {
    return this.backend === "file";
  }

  /** The keyring of a home directory: `<home>/keyring-file/` (or `<home>/keyring-test/` for the test backend). */
  static forHome(home: string, prefix = "dcert", opts: { scrypt?: ScryptParams; backend?: KeyringBackend } = {}): FileKeyring {
    return new FileKeyring(path.join(home, opts.backend === "test" ? TEST_KEYRING_DIR : KEYRING_DIR), prefix, opts);
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
    if (f.type === "multi" && (typeof f.multisig?.threshold !== "number" || !Array.isArray(f.multisig.pubkeys))) throw new KeyringError("corrupt", `${file} is a multisig key without its threshold and keys`);
    return f;
  }

  private info(f: KeyFile): KeyInfo {
    const base = { name: f.name, address: f.address, pubkey: f.pubkey, hdPath: f.hd_path };
    if (f.type === "multi" && f.multisig !== undefined) return { ...base, type: "multi", algo: "multi", multisig: { threshold: f.multisig.threshold, pubkeys: [...f.multisig.pubkeys] } };
    return { ...base, type: "local", algo: "secp256k1" };
  }

  private write(f: KeyFile, replace = false): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const target = this.file(f.name);
    const tmp = `${target}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, `${JSON.stringify(f, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    if (!replace && fs.existsSync(target)) {
      fs.rmSync(tmp);
      throw new KeyringError("exists", `a key named "${f.name}" already exists in ${this.dir}`);
    }
    fs.renameSync(tmp, target);
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

  private payload(name: string, passphrase: string): SecretPayload {
    const f = this.read(name);
    if (f.type === "multi") throw new KeyringError("no-secret", `"${name}" is a multisig key: it has no private key; its members sign ("dcertd tx sign --multisig") and "dcertd tx multisign" combines their signatures`);
    let plain: Buffer;
    if (f.crypto !== undefined) {
      plain = decryptSecret(passphrase, f.crypto, aad(f), `${this.file(name)}`, `wrong passphrase for key "${name}" (or its file ${this.file(name)} was modified)`);
    } else if (f.secret !== undefined && this.backend === "test") {
      plain = Buffer.from(JSON.stringify(f.secret), "utf8");
    } else {
      throw new KeyringError("corrupt", `${this.file(name)} holds no secret this ${this.backend} keyring can read`);
    }
    const out = JSON.parse(plain.toString("utf8")) as SecretPayload;
    plain.fill(0);
    if (typeof out.mnemonic !== "string" && typeof out.private_key !== "string") throw new KeyringError("corrupt", `${this.file(name)} decrypted to something that is not a key`);
    return out;
  }

  /** A key's mnemonic; a wrong passphrase (or an edited file) is a KeyringError "wrong-passphrase". */
  decrypt(name: string, passphrase: string): string {
    const p = this.payload(name, passphrase);
    if (typeof p.mnemonic !== "string") throw new KeyringError("no-secret", `key "${name}" was imported from a private key: it has no mnemonic`);
    return p.mnemonic;
  }

  /** What a key signs with: its mnemonic and HD path, or its imported private key. */
  secret(name: string, passphrase: string): KeySecret {
    const p = this.payload(name, passphrase);
    if (typeof p.mnemonic === "string") return { mnemonic: p.mnemonic, hdPath: this.read(name).hd_path };
    const hex = p.private_key ?? "";
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new KeyringError("corrupt", `${this.file(name)} holds a malformed private key`);
    return { privateKey: Uint8Array.from(Buffer.from(hex, "hex")) };
  }

  /** A key's 32-byte secp256k1 private key. */
  async privateKey(name: string, passphrase: string): Promise<Uint8Array> {
    const s = this.secret(name, passphrase);
    return "privateKey" in s ? s.privateKey : derivePrivateKey(s.mnemonic, s.hdPath);
  }

  /** Checks `passphrase` against an existing key, so that one keyring keeps one passphrase. */
  checkPassphrase(passphrase: string): void {
    if (!this.needsPassphrase) return;
    const other = this.list().find((k) => k.type === "local");
    if (other === undefined) return;
    try {
      this.payload(other.name, passphrase);
    } catch (e) {
      if (e instanceof KeyringError && e.kind === "wrong-passphrase") {
        throw new KeyringError("mismatch", `the passphrase does not open the keys already in ${this.dir} (e.g. "${other.name}"); every key of a keyring uses the same passphrase`);
      }
      throw e;
    }
  }

  private checkNew(name: string, passphrase: string, address: string): void {
    validateKeyName(name);
    if (this.has(name)) throw new KeyringError("exists", `a key named "${name}" already exists in ${this.dir}`);
    if (this.needsPassphrase && [...passphrase].length < MIN_PASSPHRASE_LENGTH) throw new KeyringError("weak-passphrase", `the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
    const existing = this.list().find((k) => k.address === address);
    if (existing !== undefined) throw new KeyringError("exists", `the address ${address} is already stored as "${existing.name}"`);
    this.checkPassphrase(passphrase);
  }

  private sealed(header: Pick<KeyFile, "name" | "address" | "pubkey" | "hd_path">, secret: SecretPayload, passphrase: string): KeyFile {
    const base: KeyFile = { version: FILE_VERSION, name: header.name, type: "local", algo: "secp256k1", address: header.address, pubkey: header.pubkey, hd_path: header.hd_path };
    if (!this.needsPassphrase) return { ...base, secret };
    const plain = Buffer.from(JSON.stringify(secret), "utf8");
    const crypto = encryptSecret(passphrase, plain, aad(header), this.scrypt);
    plain.fill(0);
    return { ...base, crypto };
  }

  /** Stores `mnemonic` under `name` (the account at `opts.hdPath`, default m/44'/118'/0'/0/0), encrypted with `passphrase`. */
  async add(name: string, mnemonic: string, passphrase: string, opts: { hdPath?: string } = {}): Promise<KeyInfo> {
    validateKeyName(name);
    const words = normalizeMnemonic(mnemonic);
    const hdPath = opts.hdPath ?? pathToString(makeCosmoshubPath(0));
    const { address, pubkey } = await deriveAccount(words, this.prefix, hdPath);
    this.checkNew(name, passphrase, address);
    const f = this.sealed({ name, address, pubkey: toBase64(pubkey), hd_path: hdPath }, { mnemonic: words }, passphrase);
    this.write(f);
    return this.info(f);
  }

  /** Stores a raw secp256k1 private key (from an armored export) under `name`; it has no mnemonic. */
  async addPrivateKey(name: string, privateKey: Uint8Array, passphrase: string): Promise<KeyInfo> {
    validateKeyName(name);
    if (privateKey.length !== 32) throw new KeyringError("invalid-key", `a secp256k1 private key has 32 bytes, got ${privateKey.length}`);
    const { address, pubkey } = await accountOfPrivateKey(privateKey, this.prefix);
    this.checkNew(name, passphrase, address);
    const f = this.sealed({ name, address, pubkey: toBase64(pubkey), hd_path: "" }, { private_key: Buffer.from(privateKey).toString("hex") }, passphrase);
    this.write(f);
    return this.info(f);
  }

  /**
   * Stores a k-of-n multisig key made of `pubkeys` (33-byte secp256k1 keys). As the SDK's
   * `keys add --multisig`, the keys are sorted by their addresses unless `nosort`.
   */
  addMultisig(name: string, threshold: number, pubkeys: readonly Uint8Array[], opts: { nosort?: boolean } = {}): KeyInfo {
    validateKeyName(name);
    if (this.has(name)) throw new KeyringError("exists", `a key named "${name}" already exists in ${this.dir}`);
    if (pubkeys.length < 2 || pubkeys.length > MAX_MULTISIG_KEYS) throw new KeyringError("invalid-key", `a multisig key holds 2 to ${MAX_MULTISIG_KEYS} keys, got ${pubkeys.length}`);
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > pubkeys.length) throw new KeyringError("invalid-key", `--multisig-threshold must be between 1 and ${pubkeys.length}, got ${threshold}`);
    const hexes = pubkeys.map((k) => Buffer.from(k).toString("hex"));
    if (new Set(hexes).size !== hexes.length) throw new KeyringError("invalid-key", "a multisig key cannot hold the same key twice");
    const ordered = opts.nosort === true ? [...pubkeys] : sortByAddress(pubkeys);
    const key: MultisigPubKey = { threshold, pubKeys: ordered };
    const address = encodeAddress(multisigAddress(key), this.prefix);
    const existing = this.list().find((k) => k.address === address);
    if (existing !== undefined) throw new KeyringError("exists", `this multisig key's address ${address} is already stored as "${existing.name}"`);
    const f: KeyFile = {
      version: FILE_VERSION,
      name,
      type: "multi",
      algo: "multi",
      address,
      pubkey: toBase64(encodeMultisigPubKeyAny(key).value),
      hd_path: "",
      multisig: { threshold, pubkeys: ordered.map((k) => toBase64(k)) },
    };
    this.write(f);
    return this.info(f);
  }

  /** Renames a key; a file-backend key is re-sealed (its name is bound to the ciphertext), so it needs the passphrase. */
  rename(from: string, to: string, passphrase: string): KeyInfo {
    validateKeyName(to);
    const f = this.read(from);
    if (this.has(to)) throw new KeyringError("exists", `a key named "${to}" already exists in ${this.dir}`);
    let next: KeyFile;
    if (f.type === "multi" || f.crypto === undefined) {
      next = { ...f, name: to };
    } else {
      next = this.sealed({ name: to, address: f.address, pubkey: f.pubkey, hd_path: f.hd_path }, this.payload(from, passphrase), passphrase);
    }
    this.write(next);
    fs.rmSync(this.file(from));
    return this.info(next);
  }

  /** Deletes a key after checking the passphrase opens it (a multisig key has nothing to open). */
  delete(name: string, passphrase: string): KeyInfo {
    const f = this.read(name);
    if (f.type !== "multi") this.payload(name, passphrase);
    fs.rmSync(this.file(name));
    return this.info(f);
  }
}

/** The SDK's order of multisig member keys: by address bytes. */
function sortByAddress(keys: readonly Uint8Array[]): Uint8Array[] {
  const withAddr = keys.map((k) => ({ k, a: Buffer.from(pubkeyToAddress(k)) }));
  withAddr.sort((x, y) => Buffer.compare(x.a, y.a));
  return withAddr.map((x) => x.k);
}

/** The member keys of a multisig key record. */
export function multisigOfInfo(info: KeyInfo): MultisigPubKey {
  if (info.multisig === undefined) throw new KeyringError("invalid-key", `"${info.name}" is not a multisig key`);
  return { threshold: info.multisig.threshold, pubKeys: info.multisig.pubkeys.map((p) => Uint8Array.from(Buffer.from(p, "base64"))) };
}
