/**
 * Coordination crypto (src/types/coord): RFC 9180 vectors for the HPKE suite through @hpke/core,
 * X25519 public-key checks, envelope structure and opening errors, commitments.
 */
import { createHash } from "node:crypto";
import { CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from "@hpke/core";
import { Chacha20Poly1305 } from "@hpke/chacha20poly1305";
import {
  AffectedComponents,
  CommitmentKind,
  ComponentKind,
  Envelope,
  FixRef,
  SealedLevel,
} from "../../../src/generated/coord/v1/types";
import {
  COMMIT_DOMAIN,
  SealError,
  X25519_KEY_BYTES,
  commitmentHash,
  encodeCommittedItem,
  encodeEnvelope,
  encryptionPublicKey,
  envelopeHash,
  envelopeStructureError,
  generateEncryptionKeyPair,
  newSalt,
  openEnvelope,
  sealEnvelope,
  sha256,
  x25519PublicKeyError,
  type SealContext,
} from "../../../src/types/coord";

type Ed25519Module = typeof import("@noble/curves/ed25519.js", { with: { "resolution-mode": "import" } });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { x25519 } = require("@noble/curves/ed25519.js") as Ed25519Module;
type ChachaModule = typeof import("@noble/ciphers/chacha.js", { with: { "resolution-mode": "import" } });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { xchacha20poly1305 } = require("@noble/ciphers/chacha.js") as ChachaModule;

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));
const toHex = (b: Uint8Array | ArrayBuffer): string => Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString("hex");
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const nodeSha256 = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(createHash("sha256").update(Buffer.concat(parts)).digest());

const suite = (): CipherSuite =>
  new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Chacha20Poly1305() });

// RFC 9180 Appendix A.2.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305, Base setup.
const A21 = {
  info: "4f6465206f6e2061204772656369616e2055726e",
  ikmE: "909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b",
  pkEm: "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a",
  skEm: "f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600",
  ikmR: "1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df",
  pkRm: "4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a",
  skRm: "8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb",
  enc: "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a",
  pt: "4265617574792069732074727574682c20747275746820626561757479",
  encryptions: [
    { seq: 0, aad: "436f756e742d30", ct: "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28" },
    { seq: 1, aad: "436f756e742d31", ct: "6b53c051e4199c518de79594e1c4ab18b96f081549d45ce015be002090bb119e85285337cc95ba5f59992dc98c" },
    { seq: 2, aad: "436f756e742d32", ct: "71146bd6795ccc9c49ce25dda112a48f202ad220559502cef1f34271e0cb4b02b4f10ecac6f48c32f878fae86b" },
    { seq: 4, aad: "436f756e742d34", ct: "63357a2aa291f5a4e5f27db6baa2af8cf77427c7c1a909e0b37214dd47db122bb153495ff0b02e9e54a50dbe16" },
  ],
  exports: [
    { ctx: "", value: "4bbd6243b8bb54cec311fac9df81841b6fd61f56538a775e7c80a9f40160606e" },
    { ctx: "00", value: "8c1df14732580e5501b00f82b10a1647b40713191b7c1240ac80e2b68808ba69" },
  ],
};

describe("RFC 9180 A.2.1 through @hpke/core (the suite sealEnvelope wraps data keys with)", () => {
  test("deterministic key pairs from the vector's ikm", async () => {
    const s = suite();
    const kpR = await s.kem.deriveKeyPair(hex(A21.ikmR));
    expect(toHex(await s.kem.serializePublicKey(kpR.publicKey))).toBe(A21.pkRm);
    expect(toHex(await s.kem.serializePrivateKey(kpR.privateKey))).toBe(A21.skRm);
    const kpE = await s.kem.deriveKeyPair(hex(A21.ikmE));
    expect(toHex(await s.kem.serializePublicKey(kpE.publicKey))).toBe(A21.pkEm);
    expect(toHex(await s.kem.serializePrivateKey(kpE.privateKey))).toBe(A21.skEm);
    // The key helpers agree with the vector (same curve, same encoding).
    expect(toHex(encryptionPublicKey(hex(A21.skRm)))).toBe(A21.pkRm);
    expect(x25519PublicKeyError(hex(A21.pkRm))).toBeUndefined();
  });

  test("sender: enc and every ciphertext of the vector", async () => {
    const s = suite();
    const recipientPublicKey = await s.kem.deserializePublicKey(hex(A21.pkRm));
    const sender = await s.createSenderContext({ recipientPublicKey, info: hex(A21.info), ekm: hex(A21.ikmE) });
    expect(toHex(sender.enc)).toBe(A21.enc);
    let seq = 0;
    for (const e of A21.encryptions) {
      while (seq < e.seq) {
        await sender.seal(hex(A21.pt), utf8(`Count-${seq}`));
        seq++;
      }
      expect(toHex(await sender.seal(hex(A21.pt), hex(e.aad)))).toBe(e.ct);
      seq++;
    }
    for (const x of A21.exports) expect(toHex(await sender.export(hex(x.ctx), 32))).toBe(x.value);
  });

  test("recipient: opens the vector's ciphertexts from skRm, refuses a changed one", async () => {
    const s = suite();
    const recipientKey = await s.kem.deserializePrivateKey(hex(A21.skRm));
    const recipient = await s.createRecipientContext({ recipientKey, enc: hex(A21.enc), info: hex(A21.info) });
    expect(toHex(await recipient.open(hex(A21.encryptions[0]!.ct), hex(A21.encryptions[0]!.aad)))).toBe(A21.pt);
    // Single-shot open (what openEnvelope uses) on sequence 0.
    const pt = await s.open({ recipientKey, enc: hex(A21.enc), info: hex(A21.info) }, hex(A21.encryptions[0]!.ct), hex(A21.encryptions[0]!.aad));
    expect(toHex(pt)).toBe(A21.pt);
    const bad = hex(A21.encryptions[0]!.ct);
    bad[0]! ^= 1;
    await expect(s.open({ recipientKey, enc: hex(A21.enc), info: hex(A21.info) }, bad, hex(A21.encryptions[0]!.aad))).rejects.toThrow();
  });
});

describe("x25519PublicKeyError", () => {
  const P = (1n << 255n) - 19n;
  const le = (n: bigint): Uint8Array => {
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
    return out;
  };
  const smallOrder = [
    le(0n),
    le(1n),
    hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
    hex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
    le(P - 1n),
  ];

  test("the small-order points are refused, and really are of small order", () => {
    const sk = generateEncryptionKeyPair().secretKey;
    for (const point of smallOrder) {
      expect(x25519PublicKeyError(point)).toMatch(/small-order/);
      // Any clamped scalar maps a point of order dividing 8 to the identity: noble refuses the
      // all-zero shared secret, which proves the constant is what the check says it is.
      expect(() => x25519.getSharedSecret(sk, point)).toThrow();
    }
  });

  test("non-canonical encodings are refused (u ≥ p, high bit set)", () => {
    for (const u of [P, P + 1n, P + 2n, (1n << 255n) - 1n]) expect(x25519PublicKeyError(le(u))).toMatch(/not a canonical.*2\^255 - 19/);
    const good = generateEncryptionKeyPair().publicKey;
    const high = Uint8Array.from(good);
    high[31]! |= 0x80;
    expect(x25519PublicKeyError(high)).toMatch(/highest bit/);
    // The largest canonical value that is not a small-order point passes.
    expect(x25519PublicKeyError(le(P - 2n))).toBeUndefined();
  });

  test("wrong lengths are refused; generated keys pass and derive their public key", () => {
    expect(x25519PublicKeyError(new Uint8Array(31))).toMatch(/32 bytes.*got 31/);
    expect(x25519PublicKeyError(new Uint8Array(33))).toMatch(/32 bytes.*got 33/);
    expect(x25519PublicKeyError(new Uint8Array(0))).toMatch(/32 bytes.*got 0/);
    for (let i = 0; i < 20; i++) {
      const kp = generateEncryptionKeyPair();
      expect(kp.secretKey).toHaveLength(X25519_KEY_BYTES);
      expect(x25519PublicKeyError(kp.publicKey)).toBeUndefined();
      expect(toHex(encryptionPublicKey(kp.secretKey))).toBe(toHex(kp.publicKey));
    }
    expect(() => encryptionPublicKey(new Uint8Array(31))).toThrow(RangeError);
  });
});

const CTX: SealContext = { chainId: "dcert-test-1", caseId: 42n, purpose: "notice" };
const keyA = nodeSha256(utf8("dcert-coord pinned key A"));
const keyB = nodeSha256(utf8("dcert-coord pinned key B"));
const A = { address: "dcert1pinneda", secretKey: keyA };
const B = { address: "dcert1pinnedb", secretKey: keyB };

async function sealed(plaintext = utf8("hello members")): Promise<Envelope> {
  return sealEnvelope(
    plaintext,
    [
      { address: B.address, keyEpoch: 3, publicKey: encryptionPublicKey(keyB) },
      { address: A.address, keyEpoch: 1, publicKey: encryptionPublicKey(keyA) },
    ],
    CTX,
  );
}

/** A version-1 envelope sealed once by sealEnvelope to A (epoch 1) and B (epoch 3) under CTX. */
const PINNED =
  "080110011a650a0d64636572743170696e6e65646110011a2036bd2a23fcdf78945286856df64604559855a815184448f6d3e54653674422202230b5e2a91979ad06193884e16104f8c33a466887f17d39408c2144f8dcc21d5e1e4947b7abbf75f8b40ec520fb48a3903d1a650a0d64636572743170696e6e65646210031a2063f01fa67731e410e8f9c3b640858bcb579733f79904c86845709b3e97d3473722307204db20af1edfd2fc6e44498def2dcc71ca82ee336b081d16af134511821406f49f27648cf49eb8a2cf5179e44ce065221899520c7f3c156b6e66756e1baa0b9712f51baab9bab129b22a2687dc22ca42ab9c5441024bd2e54825a9e25e5684937046d5388b29d709a8ec9fd5efa65d80cc";

const clone = (env: Envelope): Envelope => Envelope.decode(encodeEnvelope(env));

describe("sealEnvelope / openEnvelope", () => {
  test("a pinned version-1 envelope still opens (format regression)", async () => {
    const env = Envelope.decode(hex(PINNED));
    expect(envelopeStructureError(env, 4096)).toBeUndefined();
    for (const me of [A, B]) expect(new TextDecoder().decode(await openEnvelope(env, me, CTX))).toBe("dcert pinned notice v1");
    await expect(openEnvelope(env, A, { ...CTX, caseId: 43n })).rejects.toThrow(SealError);
  });

  test("the pinned envelope opens by the documented recipe, without openEnvelope", async () => {
    const env = Envelope.decode(hex(PINNED));
    const r = env.recipients[0]!;
    expect(r.address).toBe(A.address);
    const u64be = (n: bigint): Uint8Array => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, n);
      return b;
    };
    const u32be = (n: number): Uint8Array => {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, n);
      return b;
    };
    const lp = (x: string): Uint8Array => Buffer.concat([Uint8Array.of(utf8(x).length), utf8(x)]);
    const context = Buffer.concat([lp(CTX.chainId), u64be(CTX.caseId), Uint8Array.of(1)]); // 1 = notice
    const info = Buffer.concat([utf8("dcert-coord-v1"), context, lp(r.address)]);
    const wrapAad = Buffer.concat([utf8("dcert-coord-wrap-v1"), u32be(r.keyEpoch), env.nonce]);
    const s = suite();
    const recipientKey = await s.kem.deserializePrivateKey(keyA);
    const dataKey = new Uint8Array(await s.open({ recipientKey, enc: r.enc, info }, r.wrappedKey, wrapAad));
    expect(dataKey).toHaveLength(32);
    const header = Buffer.concat([Envelope.encode({ ...env, ciphertext: Buffer.alloc(0) }).finish(), context]);
    const aad = nodeSha256(utf8("dcert-coord-envelope-v1"), header);
    const body = xchacha20poly1305(dataKey, env.nonce, aad).decrypt(env.ciphertext);
    expect(new TextDecoder().decode(body)).toBe("dcert pinned notice v1");
  });

  test("recipients are stored sorted by address, with the sizes of the format", async () => {
    const env = await sealed();
    expect(env.version).toBe(1);
    expect(env.suite).toBe(1);
    expect(env.recipients.map((r) => r.address)).toEqual([A.address, B.address]);
    expect(env.recipients.map((r) => r.keyEpoch)).toEqual([1, 3]);
    for (const r of env.recipients) {
      expect(r.enc).toHaveLength(32);
      expect(r.wrappedKey).toHaveLength(48);
    }
    expect(env.nonce).toHaveLength(24);
    expect(env.ciphertext).toHaveLength(utf8("hello members").length + 16);
    expect(toHex(envelopeHash(env))).toBe(toHex(nodeSha256(encodeEnvelope(env))));
    expect(toHex(encodeEnvelope(env))).toBe(toHex(Envelope.encode(env).finish()));
  });

  test("each recipient opens; others, other contexts and other keys do not", async () => {
    const env = await sealed();
    expect(new TextDecoder().decode(await openEnvelope(env, A, CTX))).toBe("hello members");
    expect(new TextDecoder().decode(await openEnvelope(env, B, CTX))).toBe("hello members");
    await expect(openEnvelope(env, { address: "dcert1other", secretKey: keyA }, CTX)).rejects.toThrow(/not addressed to dcert1other/);
    await expect(openEnvelope(env, { address: A.address, secretKey: keyB }, CTX)).rejects.toThrow(/does not open for dcert1pinneda/);
    await expect(openEnvelope(env, A, { ...CTX, chainId: "dcert-test-2" })).rejects.toThrow(SealError);
    await expect(openEnvelope(env, A, { ...CTX, purpose: "input" })).rejects.toThrow(SealError);
    await expect(openEnvelope(env, A, { ...CTX, caseId: 0n })).rejects.toThrow(SealError);
    await expect(openEnvelope(env, { ...A, secretKey: new Uint8Array(31) }, CTX)).rejects.toThrow(/32 bytes/);
  });

  test("a recipient entry relabelled to another address does not open, even for the same key", async () => {
    const env = clone(await sealed());
    env.recipients[0]!.address = "dcert1pinnedaa"; // still sorted before B
    expect(envelopeStructureError(env, 4096)).toBeUndefined();
    await expect(openEnvelope(env, { address: "dcert1pinnedaa", secretKey: keyA }, CTX)).rejects.toThrow(/does not open for dcert1pinnedaa/);
  });

  test("a changed epoch, nonce or ciphertext does not open; the body's aad covers the other recipients", async () => {
    const base = await sealed();
    const epoch = clone(base);
    epoch.recipients[0]!.keyEpoch = 2;
    await expect(openEnvelope(epoch, A, CTX)).rejects.toThrow(SealError);
    const nonce = clone(base);
    nonce.nonce[0]! ^= 1;
    await expect(openEnvelope(nonce, A, CTX)).rejects.toThrow(SealError);
    const ct = clone(base);
    ct.ciphertext[ct.ciphertext.length - 1]! ^= 0x80;
    await expect(openEnvelope(ct, A, CTX)).rejects.toThrow(/body does not open/);
    const otherWrap = clone(base);
    otherWrap.recipients[1]!.wrappedKey[5]! ^= 4;
    await expect(openEnvelope(otherWrap, A, CTX)).rejects.toThrow(/body does not open/);
    const dropped = clone(base);
    dropped.recipients.pop();
    await expect(openEnvelope(dropped, A, CTX)).rejects.toThrow(/body does not open/);
  });

  test("an empty plaintext seals and opens; input to the general inbox uses case 0", async () => {
    const ctx: SealContext = { chainId: "c", caseId: 0n, purpose: "input" };
    const env = await sealEnvelope(new Uint8Array(0), [{ address: A.address, keyEpoch: 1, publicKey: encryptionPublicKey(keyA) }], ctx);
    expect(env.ciphertext).toHaveLength(16);
    expect(await openEnvelope(env, A, ctx)).toHaveLength(0);
  });

  test("sealing refuses bad recipients and contexts", async () => {
    const pk = encryptionPublicKey(keyA);
    const pt = utf8("x");
    await expect(sealEnvelope(pt, [], CTX)).rejects.toThrow(/at least one recipient/);
    await expect(sealEnvelope(pt, [{ address: "a", keyEpoch: 1, publicKey: pk }, { address: "a", keyEpoch: 2, publicKey: pk }], CTX)).rejects.toThrow(/listed twice/);
    await expect(sealEnvelope(pt, [{ address: "", keyEpoch: 1, publicKey: pk }], CTX)).rejects.toThrow(/address is empty/);
    await expect(sealEnvelope(pt, [{ address: "a", keyEpoch: 0, publicKey: pk }], CTX)).rejects.toThrow(/key epoch/);
    await expect(sealEnvelope(pt, [{ address: "a", keyEpoch: 1.5, publicKey: pk }], CTX)).rejects.toThrow(/key epoch/);
    await expect(sealEnvelope(pt, [{ address: "a", keyEpoch: 1, publicKey: new Uint8Array(32) }], CTX)).rejects.toThrow(/small-order/);
    await expect(sealEnvelope(pt, [{ address: "a", keyEpoch: 1, publicKey: pk }], { ...CTX, caseId: -1n })).rejects.toThrow(/uint64/);
    await expect(sealEnvelope(pt, [{ address: "a", keyEpoch: 1, publicKey: pk }], { ...CTX, caseId: 1n << 64n })).rejects.toThrow(/uint64/);
    await expect(sealEnvelope(pt, [{ address: "a", keyEpoch: 1, publicKey: pk }], { ...CTX, chainId: "c".repeat(256) })).rejects.toThrow(/255/);
    await expect(sealEnvelope(pt, [{ address: "a", keyEpoch: 1, publicKey: pk }], { ...CTX, purpose: "other" as "input" })).rejects.toThrow(/purpose/);
    await expect(sealEnvelope(pt, [{ address: "a".repeat(256), keyEpoch: 1, publicKey: pk }], CTX)).rejects.toThrow(/longer than 255 bytes/);
    // Every refusal is a SealError, context ones included.
    await expect(sealEnvelope(pt, [{ address: "a", keyEpoch: 1, publicKey: pk }], { ...CTX, caseId: -1n })).rejects.toThrow(SealError);
  });

  test("opening with a bad context is a SealError, not a crash", async () => {
    const env = await sealed();
    await expect(openEnvelope(env, A, { ...CTX, caseId: -1n })).rejects.toThrow(SealError);
    await expect(openEnvelope(env, A, { ...CTX, chainId: "c".repeat(300) })).rejects.toThrow(/255/);
  });

  test("concurrent seals and opens do not interfere (one shared cipher suite)", async () => {
    const plaintexts = Array.from({ length: 12 }, (_, i) => utf8(`message ${i}`));
    const envs = await Promise.all(plaintexts.map((p) => sealed(p)));
    const opened = await Promise.all(envs.flatMap((e) => [openEnvelope(e, A, CTX), openEnvelope(e, B, CTX)]));
    expect(opened.map((o) => new TextDecoder().decode(o))).toEqual(plaintexts.flatMap((p) => [new TextDecoder().decode(p), new TextDecoder().decode(p)]));
  });
});

describe("envelopeStructureError", () => {
  let base: Envelope;
  beforeAll(async () => {
    base = await sealed();
  });
  const mutated = (f: (e: Envelope) => void): Envelope => {
    const e = clone(base);
    f(e);
    return e;
  };

  test("a sealed envelope is fine", () => {
    expect(envelopeStructureError(base, 4096)).toBeUndefined();
  });

  test.each<[string, (e: Envelope) => void, RegExp]>([
    ["version", (e) => (e.version = 2), /version 2 is not supported/],
    ["suite", (e) => (e.suite = 0), /suite 0 is not supported/],
    ["nonce short", (e) => (e.nonce = e.nonce.subarray(0, 23)), /nonce must be 24 bytes, got 23/],
    ["nonce long", (e) => (e.nonce = Buffer.concat([e.nonce, Buffer.alloc(1)])), /nonce must be 24 bytes, got 25/],
    ["no recipients", (e) => (e.recipients = []), /no recipients/],
    ["enc", (e) => (e.recipients[1]!.enc = e.recipients[1]!.enc.subarray(1)), /recipient 1 .*enc must be 32 bytes, got 31/],
    ["wrapped key", (e) => (e.recipients[0]!.wrappedKey = e.recipients[0]!.wrappedKey.subarray(0, 32)), /wrapped key must be 48 bytes, got 32/],
    ["key epoch", (e) => (e.recipients[0]!.keyEpoch = 0), /key epoch must be ≥ 1, got 0/],
    ["duplicate", (e) => (e.recipients[1]!.address = e.recipients[0]!.address), /listed twice/],
    ["unsorted", (e) => e.recipients.reverse(), /sorted by address/],
    ["empty address", (e) => (e.recipients[0]!.address = ""), /address is empty/],
    ["long address", (e) => (e.recipients[1]!.address = "z".repeat(256)), /longer than 255 bytes/],
    ["ciphertext", (e) => (e.ciphertext = e.ciphertext.subarray(0, 15)), /at least 16 bytes .*got 15/],
  ])("malformed: %s", (_name, f, message) => {
    const err = envelopeStructureError(mutated(f), 4096);
    expect(err?.code).toBe("malformed");
    expect(err?.message).toMatch(message);
  });

  test("size cap: encoded size ≤ maxBytes", () => {
    const size = encodeEnvelope(base).length;
    expect(envelopeStructureError(base, size)).toBeUndefined();
    expect(envelopeStructureError(base, size - 1)).toEqual({ code: "size", message: `envelope is ${size} bytes; at most ${size - 1} are allowed` });
  });

  test("missing fields are malformed, not a crash", () => {
    expect(envelopeStructureError(undefined as unknown as Envelope, 10)?.code).toBe("malformed");
    expect(envelopeStructureError({ version: 1, suite: 1 } as unknown as Envelope, 10)?.code).toBe("malformed");
  });

  test("openEnvelope refuses a malformed envelope before any crypto", async () => {
    await expect(openEnvelope(mutated((e) => (e.version = 9)), A, CTX)).rejects.toThrow(/malformed: envelope version 9/);
  });
});

describe("commitments", () => {
  const salt = Uint8Array.from({ length: 32 }, (_, i) => i);
  const content = nodeSha256(utf8("report"));

  test("commitmentHash is SHA-256(domain ‖ lp(chainId) ‖ kind ‖ salt ‖ contentHash)", () => {
    const expected = nodeSha256(utf8(COMMIT_DOMAIN), Uint8Array.of(7), utf8("dcert-1"), Uint8Array.of(1), salt, content);
    expect(toHex(commitmentHash("dcert-1", CommitmentKind.COMMITMENT_KIND_REPORT, salt, content))).toBe(toHex(expected));
    expect(COMMIT_DOMAIN).toBe("dcert-coord-commit-v1");
    expect(toHex(sha256(utf8("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  test("bad kinds, salts and hashes are refused", () => {
    expect(() => commitmentHash("c", CommitmentKind.COMMITMENT_KIND_UNSPECIFIED, salt, content)).toThrow(/not one of/);
    expect(() => commitmentHash("c", CommitmentKind.UNRECOGNIZED, salt, content)).toThrow(/not one of/);
    expect(() => commitmentHash("c", 6 as CommitmentKind, salt, content)).toThrow(/not one of/);
    expect(() => commitmentHash("c", CommitmentKind.COMMITMENT_KIND_FIX, salt.subarray(1), content)).toThrow(/salt must be 32 bytes/);
    expect(() => commitmentHash("c", CommitmentKind.COMMITMENT_KIND_FIX, salt, new Uint8Array(33))).toThrow(/content hash must be 32 bytes/);
    expect(() => commitmentHash("c".repeat(256), CommitmentKind.COMMITMENT_KIND_FIX, salt, content)).toThrow(/255/);
  });

  test("encodeCommittedItem: protobuf of each kind, raw bytes for a report", () => {
    const report = utf8("# report");
    expect(toHex(encodeCommittedItem(CommitmentKind.COMMITMENT_KIND_REPORT, report))).toBe(toHex(report));
    expect(toHex(encodeCommittedItem(CommitmentKind.COMMITMENT_KIND_LEVEL, { level: 2 }))).toBe("0802");
    const components: AffectedComponents = { components: [{ kind: ComponentKind.COMPONENT_KIND_MODULE, name: "bank", versions: "<1.2" }] };
    expect(toHex(encodeCommittedItem(CommitmentKind.COMMITMENT_KIND_COMPONENTS, components))).toBe(toHex(AffectedComponents.encode(components).finish()));
    const fix: FixRef = { description: "d", repository: "https://r", commit: "abc", artifacts: [{ name: "a", sha256: "00" }], fixedVersions: ["1.2"] };
    expect(FixRef.decode(encodeCommittedItem(CommitmentKind.COMMITMENT_KIND_FIX, fix))).toEqual(fix);
    expect(SealedLevel.decode(encodeCommittedItem(CommitmentKind.COMMITMENT_KIND_LEVEL, { level: 3 }))).toEqual({ level: 3 });
  });

  test("encodeCommittedItem refuses an item of the wrong shape for its kind", () => {
    expect(() => encodeCommittedItem(CommitmentKind.COMMITMENT_KIND_REPORT, { level: 1 })).toThrow(/raw report bytes/);
    expect(() => encodeCommittedItem(CommitmentKind.COMMITMENT_KIND_LEVEL, utf8("x"))).toThrow(/SealedLevel/);
    expect(() => encodeCommittedItem(CommitmentKind.COMMITMENT_KIND_ADVISORY, { level: 1 })).toThrow(/Advisory/);
    expect(() => encodeCommittedItem(CommitmentKind.COMMITMENT_KIND_FIX, { components: [] })).toThrow(/FixRef/);
    expect(() => encodeCommittedItem(CommitmentKind.COMMITMENT_KIND_COMPONENTS, { level: 1 })).toThrow(/AffectedComponents/);
    expect(() => encodeCommittedItem(CommitmentKind.COMMITMENT_KIND_UNSPECIFIED, utf8("x"))).toThrow(/not one of/);
  });

  test("newSalt draws 32 fresh bytes", () => {
    const a = newSalt();
    const b = newSalt();
    expect(a).toHaveLength(32);
    expect(toHex(a)).not.toBe(toHex(b));
  });
});
