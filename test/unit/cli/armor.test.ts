/**
 * The SDK's armored private key (keys export / keys import): a test vector derived from the format
 * (crypto/armor.go: bcrypt cost 12 → SHA-256 → XSalsa20-Poly1305 secretbox; OpenPGP armor with
 * CRC-24), round trips, wrong passphrases and damaged armor.
 *
 * Both fixed vectors were checked against the Cosmos SDK itself (simd v0.50.15): `simd keys import`
 * of BCRYPT_VECTOR recovers PRIV (`simd keys export --unarmored-hex --unsafe`), and ARGON2_VECTOR
 * is what `simd keys export` wrote for PRIV with the passphrase "exportpass". The opt-in test in
 * test/e2e/keys-simd.test.ts repeats that against a simd binary.
 */
import fc from "fast-check";
import { ArmorError, crc24, decodeArmor, decryptArmorPrivKey, encodeArmor, encryptArmorPrivKey } from "../../../src/cli/armor";

const PRIV = Uint8Array.from(Buffer.from("b3ab0f4ef2a1e6db7f1c6b6c5d7fb3e0c2a1a61b1c4a61c52d2b8f8b2b3c4d5e", "hex"));
const SALT = Uint8Array.from(Buffer.from("00112233445566778899AABBCCDDEEFF", "hex"));
const NONCE = Uint8Array.from(Array.from({ length: 24 }, (_, i) => i));

/** encryptArmorPrivKey(PRIV, "12345678", { salt: SALT, nonce: NONCE }). */
const BCRYPT_VECTOR = [
  "-----BEGIN TENDERMINT PRIVATE KEY-----",
  "kdf: bcrypt",
  "salt: 00112233445566778899AABBCCDDEEFF",
  "type: secp256k1",
  "",
  "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXCBIWxTLNbrDQH7bYVxB+UZlzOvNGxnzj",
  "dObXaJc5ZuHmQf801ZTSk5U/ksTLhPzQ9/N6M00=",
  "=vhOC",
  "-----END TENDERMINT PRIVATE KEY-----",
].join("\n");

/** What simd v0.50.15 `keys export` wrote for PRIV, passphrase "exportpass" (kdf argon2). */
const ARGON2_VECTOR = [
  "-----BEGIN TENDERMINT PRIVATE KEY-----",
  "kdf: argon2",
  "salt: 5E90A9FB55223F1BC252923FEA993EE1",
  "type: secp256k1",
  "",
  "7CU6Tyt1G2P6ptySUkgg/hPgNOclVFeDcY02pANap1aslNdPuYaysmsZgt/R8pcv",
  "PAu9bGE=",
  "=FCN2",
  "-----END TENDERMINT PRIVATE KEY-----",
].join("\n");

describe("armor format", () => {
  test("CRC-24 is OpenPGP's (RFC 4880: init b704ce, poly 1864cfb)", () => {
    expect(crc24(new Uint8Array())).toBe(0xb704ce);
    // "123456789" is the standard check string; OpenPGP CRC-24 of it is 0x21cf02.
    expect(crc24(Buffer.from("123456789"))).toBe(0x21cf02);
  });

  test("encode writes the SDK's layout; decode reads it back and checks the CRC", () => {
    const text = encodeArmor({ blockType: "TENDERMINT PRIVATE KEY", headers: { kdf: "bcrypt", salt: "AB", type: "secp256k1" }, data: new Uint8Array(77).fill(7) });
    const lines = text.split("\n");
    expect(lines[0]).toBe("-----BEGIN TENDERMINT PRIVATE KEY-----");
    expect(lines.slice(1, 5)).toEqual(["kdf: bcrypt", "salt: AB", "type: secp256k1", ""]);
    expect(lines[5]).toHaveLength(64);
    expect(lines[7]).toMatch(/^=[A-Za-z0-9+/]{4}$/);
    expect(lines[8]).toBe("-----END TENDERMINT PRIVATE KEY-----");
    expect(decodeArmor(text).data).toEqual(new Uint8Array(77).fill(7));
    const damaged = text.replace(lines[5] as string, `A${(lines[5] as string).slice(1)}`);
    expect(() => decodeArmor(damaged)).toThrow(/checksum does not match/);
    expect(() => decodeArmor("hello")).toThrow(/not an ASCII-armored key/);
    expect(() => decodeArmor(lines.slice(0, 7).join("\n"))).toThrow(/truncated/);
  });

  test("decode of any text: an armor or an ArmorError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.boolean(), (s, framed) => {
        const text = framed ? `-----BEGIN X-----\n${s}\n-----END X-----` : s;
        try {
          decodeArmor(text);
        } catch (e) {
          if (!(e instanceof ArmorError)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("armored private key", () => {
  test("a fixed salt and nonce give a fixed armor (the test vector), and it decrypts to the key", () => {
    const text = encryptArmorPrivKey(PRIV, "12345678", { salt: SALT, nonce: NONCE });
    const a = decodeArmor(text);
    expect(a.headers).toEqual({ kdf: "bcrypt", salt: "00112233445566778899AABBCCDDEEFF", type: "secp256k1" });
    expect(a.data.subarray(0, 24)).toEqual(NONCE);
    expect(a.data).toHaveLength(24 + 16 + 37);
    expect(text).toBe(BCRYPT_VECTOR);
    expect(decryptArmorPrivKey(text, "12345678")).toEqual(PRIV);
  });

  test("the SDK's own argon2 export (simd v0.50) decrypts to the key; CRLF line ends too", () => {
    expect(Buffer.from(decryptArmorPrivKey(ARGON2_VECTOR, "exportpass")).toString("hex")).toBe(Buffer.from(PRIV).toString("hex"));
    expect(decryptArmorPrivKey(BCRYPT_VECTOR.replace(/\n/g, "\r\n"), "12345678")).toEqual(PRIV);
  });

  test("random salts: each export differs, each decrypts; a wrong passphrase is reported as such", () => {
    const a = encryptArmorPrivKey(PRIV, "correct horse");
    const b = encryptArmorPrivKey(PRIV, "correct horse");
    expect(a).not.toBe(b);
    expect(decryptArmorPrivKey(b, "correct horse")).toEqual(PRIV);
    let err: unknown;
    try {
      decryptArmorPrivKey(a, "wrong horse");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ArmorError);
    expect((err as ArmorError).wrongPassphrase).toBe(true);
  });

  test("other block types, key types and kdfs are refused with what they are", () => {
    const text = encryptArmorPrivKey(PRIV, "12345678", { salt: SALT, nonce: NONCE });
    expect(() => decryptArmorPrivKey(text.replace(/TENDERMINT PRIVATE KEY/g, "TENDERMINT PUBLIC KEY"), "12345678")).toThrow(/not a "TENDERMINT PRIVATE KEY"/);
    expect(() => decryptArmorPrivKey(text.replace("type: secp256k1", "type: ed25519"), "12345678")).toThrow(/type "ed25519"/);
    expect(() => decryptArmorPrivKey(text.replace("kdf: bcrypt", "kdf: scrypt"), "12345678")).toThrow(/unrecognized key derivation "scrypt"/);
  });
});
