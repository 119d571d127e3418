/**
 * The Cosmos SDK's ASCII-armored, passphrase-encrypted private key (`keys export` / `keys import`
 * of simd and gaiad; crypto/armor.go), so keys move between dcertd and SDK tools:
 *
 * ```
 * -----BEGIN TENDERMINT PRIVATE KEY-----
 * kdf: bcrypt
 * salt: <16 random bytes, upper-case hex>
 * type: secp256k1
 *
 * <base64 of the ciphertext, 64 characters a line>
 * =<base64 of the OpenPGP CRC-24 of the ciphertext>
 * -----END TENDERMINT PRIVATE KEY-----
 * ```
 *
 * The plaintext is the key's amino encoding (prefix e1b0f79b, length 32, the 32 key bytes).
 * - kdf bcrypt (what this module writes; every SDK version reads it): the SDK's bcrypt with the
 *   given salt and cost 12 gives the 60-character hash string `$2a$12$…`; its SHA-256 is the key
 *   of an XSalsa20-Poly1305 secretbox; the ciphertext is the 24-byte nonce then the box.
 * - kdf argon2 (what SDK v0.50 writes; read here too): Argon2id (t=1, m=64 MiB, p=4) of the
 *   passphrase and salt gives the key of ChaCha20-Poly1305 with an all-zero nonce.
 */
import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";
import { sha256 } from "../baseapp/tx/hash";

type SalsaModule = typeof import("@noble/ciphers/salsa.js", { with: { "resolution-mode": "import" } });
type ChachaModule = typeof import("@noble/ciphers/chacha.js", { with: { "resolution-mode": "import" } });
type Argon2Module = typeof import("@noble/hashes/argon2.js", { with: { "resolution-mode": "import" } });
// @noble/* ship as ESM only; the CommonJS build loads them through Node's require(esm) (see seal.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { secretbox } = require("@noble/ciphers/salsa.js") as SalsaModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { chacha20poly1305 } = require("@noble/ciphers/chacha.js") as ChachaModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { argon2id } = require("@noble/hashes/argon2.js") as Argon2Module;

/** What this module needs of bcryptjs (loaded on first use, so that the rest of the CLI runs without it). */
interface Bcrypt {
  hashSync(password: string, salt: string): string;
  encodeBase64(bytes: Uint8Array | number[], length: number): string;
}

let bcryptModule: Bcrypt | undefined;
function bcrypt(): Bcrypt {
  if (bcryptModule === undefined) {
    try {
      bcryptModule = createRequire(__filename)("bcryptjs") as Bcrypt;
    } catch (e) {
      throw new ArmorError(`the bcryptjs package is missing (${e instanceof Error ? e.message : String(e)}); reinstall dcertd's dependencies with "npm ci"`);
    }
  }
  return bcryptModule;
}

export const PRIVATE_KEY_BLOCK = "TENDERMINT PRIVATE KEY";
/** The SDK's BcryptSecurityParameter. */
export const BCRYPT_COST = 12;
const SALT_BYTES = 16;
const NONCE_BYTES = 24;
/** Amino prefix of "tendermint/PrivKeySecp256k1", then the length of the key. */
const AMINO_SECP256K1_PRIVKEY = Uint8Array.from([0xe1, 0xb0, 0xf7, 0x9b, 0x20]);

export class ArmorError extends Error {
  override readonly name = "ArmorError";
  constructor(
    message: string,
    /** True when the passphrase did not open the key (the SDK's ErrWrongPassword). */
    readonly wrongPassphrase = false,
  ) {
    super(message);
  }
}

// ---- the armor (OpenPGP ASCII armor, RFC 4880 §6.2, as golang.org/x/crypto/openpgp/armor)

/** The OpenPGP CRC-24 (RFC 4880 §6.1). */
export function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const b of data) {
    crc ^= b << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if ((crc & 0x1000000) !== 0) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

export interface Armored {
  readonly blockType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
}

/** The armor text as the SDK's EncodeArmor writes it (headers in the order given; no final newline). */
export function encodeArmor(a: Armored): string {
  const body = Buffer.from(a.data).toString("base64");
  const lines = body.match(/.{1,64}/g) ?? [];
  const crc = crc24(a.data);
  const sum = Buffer.from([crc >> 16, (crc >> 8) & 0xff, crc & 0xff]).toString("base64");
  return [`-----BEGIN ${a.blockType}-----`, ...Object.entries(a.headers).map(([k, v]) => `${k}: ${v}`), "", ...lines, `=${sum}`, `-----END ${a.blockType}-----`].join("\n");
}

/** Parses an armor block; throws ArmorError saying what is wrong (a CRC-24 line, when present, must match). */
export function decodeArmor(text: string): Armored {
  const lines = text.replace(/\r\n?/g, "\n").split("\n").map((l) => l.trimEnd());
  const start = lines.findIndex((l) => /^-----BEGIN [A-Z0-9 ]+-----$/.test(l));
  if (start < 0) throw new ArmorError('no "-----BEGIN …-----" line: this is not an ASCII-armored key');
  const blockType = (lines[start] as string).slice("-----BEGIN ".length, -"-----".length);
  const headers: Record<string, string> = {};
  let i = start + 1;
  for (; i < lines.length && lines[i] !== ""; i++) {
    const m = /^([^:\s]+): ?(.*)$/.exec(lines[i] as string);
    if (m === null) break; // no headers: the body starts here
    headers[m[1] as string] = m[2] as string;
  }
  if (lines[i] === "") i++;
  let body = "";
  let checksum: string | undefined;
  for (; i < lines.length; i++) {
    const l = (lines[i] as string).trim();
    if (l.startsWith("-----END ")) {
      if (l !== `-----END ${blockType}-----`) throw new ArmorError(`the armor ends with "${l}" but began as ${blockType}`);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new ArmorError("the armor body is not base64");
      const data = Uint8Array.from(Buffer.from(body, "base64"));
      if (checksum !== undefined) {
        const want = Buffer.from(checksum, "base64");
        const crc = crc24(data);
        if (want.length !== 3 || want[0] !== crc >> 16 || want[1] !== ((crc >> 8) & 0xff) || want[2] !== (crc & 0xff)) throw new ArmorError("the armor checksum does not match its body (the text was damaged or edited)");
      }
      return { blockType, headers, data };
    }
    if (l.startsWith("=")) checksum = l.slice(1);
    else body += l;
  }
  throw new ArmorError(`no "-----END ${blockType}-----" line: the armor is truncated`);
}

// ---- the private key

function bcryptKey(passphrase: string, salt: Uint8Array): Uint8Array {
  const b = bcrypt();
  const hash = b.hashSync(passphrase, `$2a$${BCRYPT_COST}$${b.encodeBase64(salt, SALT_BYTES)}`);
  return sha256(Buffer.from(hash, "utf8"));
}

function argon2Key(passphrase: string, salt: Uint8Array): Uint8Array {
  return argon2id(Buffer.from(passphrase, "utf8"), salt, { t: 1, m: 64 * 1024, p: 4, dkLen: 32 });
}

/** Encrypts a 32-byte secp256k1 private key as the SDK's armor (kdf bcrypt). `salt`/`nonce` are for test vectors only. */
export function encryptArmorPrivKey(privateKey: Uint8Array, passphrase: string, opts: { salt?: Uint8Array; nonce?: Uint8Array } = {}): string {
  if (privateKey.length !== 32) throw new ArmorError(`a secp256k1 private key has 32 bytes, got ${privateKey.length}`);
  const salt = opts.salt ?? randomBytes(SALT_BYTES);
  const nonce = opts.nonce ?? randomBytes(NONCE_BYTES);
  if (salt.length !== SALT_BYTES || nonce.length !== NONCE_BYTES) throw new ArmorError("the salt has 16 bytes and the nonce 24");
  const plain = new Uint8Array([...AMINO_SECP256K1_PRIVKEY, ...privateKey]);
  const box = secretbox(bcryptKey(passphrase, salt), nonce).seal(plain);
  plain.fill(0);
  return encodeArmor({
    blockType: PRIVATE_KEY_BLOCK,
    headers: { kdf: "bcrypt", salt: Buffer.from(salt).toString("hex").toUpperCase(), type: "secp256k1" },
    data: new Uint8Array([...nonce, ...box]),
  });
}

/**
 * Decrypts the SDK's armored private key (kdf bcrypt or argon2) to the 32-byte secp256k1 key.
 * Throws ArmorError: `wrongPassphrase` when the passphrase does not open it.
 */
export function decryptArmorPrivKey(text: string, passphrase: string): Uint8Array {
  const a = decodeArmor(text);
  if (a.blockType !== PRIVATE_KEY_BLOCK) throw new ArmorError(`this armor holds a "${a.blockType}", not a "${PRIVATE_KEY_BLOCK}"`);
  const type = a.headers["type"] ?? "secp256k1";
  if (type !== "secp256k1") throw new ArmorError(`the key is of type "${type}"; dcertd accounts are secp256k1 keys`);
  const saltHex = a.headers["salt"] ?? "";
  if (!/^([0-9A-Fa-f]{2})+$/.test(saltHex)) throw new ArmorError("the armor has no salt header (hex)");
  const salt = Uint8Array.from(Buffer.from(saltHex, "hex"));
  let plain: Uint8Array;
  switch (a.headers["kdf"]) {
    case "bcrypt": {
      if (salt.length !== SALT_BYTES) throw new ArmorError(`a bcrypt salt has ${SALT_BYTES} bytes, got ${salt.length}`);
      if (a.data.length <= NONCE_BYTES + 16) throw new ArmorError("the encrypted key is too short");
      try {
        plain = secretbox(bcryptKey(passphrase, salt), a.data.subarray(0, NONCE_BYTES)).open(a.data.subarray(NONCE_BYTES));
      } catch {
        throw new ArmorError("wrong passphrase for the armored key (or the key was modified)", true);
      }
      break;
    }
    case "argon2": {
      try {
        plain = chacha20poly1305(argon2Key(passphrase, salt), new Uint8Array(12)).decrypt(a.data);
      } catch {
        throw new ArmorError("wrong passphrase for the armored key (or the key was modified)", true);
      }
      break;
    }
    default:
      throw new ArmorError(`unrecognized key derivation "${a.headers["kdf"] ?? ""}" (bcrypt or argon2)`);
  }
  if (plain.length !== 37 || !AMINO_SECP256K1_PRIVKEY.every((b, i) => plain[i] === b)) {
    throw new ArmorError("the decrypted key is not an amino-encoded secp256k1 private key");
  }
  const key = plain.slice(5);
  plain.fill(0);
  return key;
}
