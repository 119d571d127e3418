/**
 * The CheckTx signature workers (src/baseapp/sigpool.ts) must never call a signature good that
 * verifySecp256k1 refuses: their "true" becomes a signature-cache entry. Compared on valid,
 * tampered, high-S and malformed inputs; and the cache's preverify fills the cache only with what
 * verifies, and survives a closed pool.
 */
import { createHash } from "node:crypto";
import { getPriority } from "node:os";
import fc from "fast-check";
import secp256k1 from "secp256k1";
import { benchKeys } from "../../../bench/lib/keys";
import { SignatureCache } from "../../../src/baseapp/sigcache";
import { SignatureVerifierPool, type SignatureItem } from "../../../src/baseapp/sigpool";
import { verifySecp256k1 } from "../../../src/baseapp/tx/verify";
import { onLinux, ownNice, threadNices } from "../../helpers/threads";

const keys = benchKeys(4);
const ORDER = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

function sign(message: Uint8Array, k = keys[0]!): Uint8Array {
  return secp256k1.ecdsaSign(createHash("sha256").update(message).digest(), k.priv).signature;
}

/** The same signature with s replaced by n − s (valid for libsecp256k1, refused by the low-S rule). */
function highS(sig: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString("hex")}`);
  const out = Uint8Array.from(sig);
  out.set(Buffer.from((ORDER - s).toString(16).padStart(64, "0"), "hex"), 32);
  return out;
}

let pool: SignatureVerifierPool;
beforeAll(() => {
  pool = new SignatureVerifierPool(2);
});
afterAll(async () => {
  await pool.close();
});

test("valid, tampered, high-S, wrong-key and malformed items: the pool agrees with verifySecp256k1", async () => {
  const msg = Uint8Array.from(Buffer.from("sign bytes"));
  const sig = sign(msg);
  const flipped = Uint8Array.from(msg);
  flipped[0] = flipped[0]! ^ 1;
  const items: SignatureItem[] = [
    { signature: sig, message: msg, pubkey: keys[0]!.pub },
    { signature: sig, message: flipped, pubkey: keys[0]!.pub },
    { signature: highS(sig), message: msg, pubkey: keys[0]!.pub },
    { signature: sig, message: msg, pubkey: keys[1]!.pub },
    { signature: sig.subarray(0, 63), message: msg, pubkey: keys[0]!.pub },
    { signature: sig, message: msg, pubkey: secp256k1.publicKeyConvert(keys[0]!.pub, false) },
    { signature: sig, message: msg, pubkey: Uint8Array.of(4, ...keys[0]!.pub.subarray(1)) },
    { signature: new Uint8Array(64).fill(0xff), message: msg, pubkey: keys[0]!.pub },
    { signature: new Uint8Array(64), message: msg, pubkey: keys[0]!.pub },
    { signature: sign(new Uint8Array(0)), message: new Uint8Array(0), pubkey: keys[0]!.pub },
  ];
  const expected = items.map((it) => verifySecp256k1(it.signature, it.message, it.pubkey));
  expect(expected).toEqual([true, false, false, false, false, false, false, false, false, true]);
  expect(await pool.verify(items)).toEqual(expected);
});

test("property: random messages, keys and byte flips agree with verifySecp256k1", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({
          message: fc.uint8Array({ maxLength: 300 }),
          signer: fc.nat(3),
          claimed: fc.nat(3),
          flip: fc.option(fc.tuple(fc.constantFrom("sig", "key"), fc.nat(96), fc.integer({ min: 1, max: 255 }))),
        }),
        { minLength: 1, maxLength: 20 },
      ),
      async (specs) => {
        const items = specs.map((s) => {
          const signature = sign(s.message, keys[s.signer]);
          const pubkey = Uint8Array.from(keys[s.claimed]!.pub);
          if (s.flip !== null) {
            const [where, at, x] = s.flip;
            const target = where === "sig" ? signature : pubkey;
            target[at % target.length] = target[at % target.length]! ^ x;
          }
          return { signature, message: s.message, pubkey };
        });
        expect(await pool.verify(items)).toEqual(items.map((it) => verifySecp256k1(it.signature, it.message, it.pubkey)));
      },
    ),
    { numRuns: 60 },
  );
});

test("preverify fills the cache with what verifies only; a closed pool costs nothing but the ahead work", async () => {
  const cache = new SignatureCache();
  const msg = Uint8Array.from([1, 2, 3]);
  const good = { signature: sign(msg), message: msg, pubkey: keys[0]!.pub };
  const bad = { signature: sign(msg), message: Uint8Array.from([9]), pubkey: keys[0]!.pub };
  const before = pool.verified;
  await cache.preverify([good, bad, good], pool);
  expect(pool.verified - before).toBe(1);
  // A second preverify of a cached item sends nothing.
  await cache.preverify([good], pool);
  expect(pool.verified - before).toBe(1);
  expect(cache.verify(good.signature, good.message, good.pubkey)).toBe(true);
  expect(cache.verify(bad.signature, bad.message, bad.pubkey)).toBe(false);

  const closed = new SignatureVerifierPool(1);
  await closed.close();
  await expect(closed.verify([good])).rejects.toThrow("closed");
  const other = new SignatureCache();
  await other.preverify([good], closed); // resolves: nothing cached
  expect(other.verify(good.signature, good.message, good.pubkey)).toBe(true);
  expect(() => new SignatureVerifierPool(0)).toThrow("positive whole number");
});

test("verified signers are remembered per decoded tx, and only for the same index, account number, chain id and key", () => {
  const cache = new SignatureCache();
  const tx = Object.freeze({ bodyBytes: Uint8Array.of(1) });
  const twin = Object.freeze({ bodyBytes: Uint8Array.of(1) });
  const pk = Uint8Array.from(keys[0]!.pub);
  expect(cache.verifiedFor(tx, 0, 5n, "chain-a", pk)).toBe(false);
  cache.rememberVerified(tx, 0, 5n, "chain-a", pk);
  expect(cache.verifiedFor(tx, 0, 5n, "chain-a", Uint8Array.from(pk))).toBe(true);
  // Another decoded tx, even with equal contents, is not the same verification.
  expect(cache.verifiedFor(twin, 0, 5n, "chain-a", pk)).toBe(false);
  expect(cache.verifiedFor(tx, 1, 5n, "chain-a", pk)).toBe(false);
  expect(cache.verifiedFor(tx, 0, 6n, "chain-a", pk)).toBe(false);
  expect(cache.verifiedFor(tx, 0, 5n, "chain-b", pk)).toBe(false);
  expect(cache.verifiedFor(tx, 0, 5n, "chain-a", Uint8Array.from(keys[1]!.pub))).toBe(false);
  const flipped = Uint8Array.from(pk);
  flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 1;
  expect(cache.verifiedFor(tx, 0, 5n, "chain-a", flipped)).toBe(false);
  // The remembered key is a copy: changing the caller's array afterwards changes nothing.
  const mine = Uint8Array.from(pk);
  cache.rememberVerified(twin, 0, 5n, "chain-a", mine);
  mine[0] = mine[0]! ^ 1;
  expect(cache.verifiedFor(twin, 0, 5n, "chain-a", pk)).toBe(true);
});

test("preverify remembers the decoded tx of an item that verifies, never of one that does not", async () => {
  const cache = new SignatureCache();
  const msg = Uint8Array.from([4, 5, 6]);
  const goodTx = Object.freeze({});
  const badTx = Object.freeze({});
  const pk = keys[0]!.pub;
  const origin = (tx: object) => ({ tx, index: 0, accountNumber: 3n, chainId: "c-1" });
  await cache.preverify(
    [
      { signature: sign(msg), message: msg, pubkey: pk, origin: origin(goodTx) },
      { signature: sign(msg), message: Uint8Array.from([7]), pubkey: pk, origin: origin(badTx) },
    ],
    pool,
  );
  expect(cache.verifiedFor(goodTx, 0, 3n, "c-1", pk)).toBe(true);
  expect(cache.verifiedFor(badTx, 0, 3n, "c-1", pk)).toBe(false);
});

describe("worker priority", () => {
  onLinux("each worker lowers its own thread by the nice steps given, and only its own", async () => {
    const base = ownNice(); // the process's nice value (0 unless the tests run under nice)
    const want = Math.min(19, base + 7);
    const before = threadNices();
    const own = new SignatureVerifierPool(2, 7);
    try {
      expect(await own.priority()).toEqual([{ nice: want }, { nice: want }]);
      const after = threadNices();
      expect(after.filter((n) => n === want).length - before.filter((n) => n === want).length).toBe(2);
      // The main thread keeps its priority, and the pool still verifies.
      expect(ownNice()).toBe(base);
      const msg = Uint8Array.from(Buffer.from("at nice 7"));
      expect(await own.verify([{ message: msg, signature: sign(msg), pubkey: keys[0]!.pub }])).toEqual([true]);
    } finally {
      await own.close();
    }
  });

  test("nice 0 leaves the workers at the process's priority; out-of-range values are refused", async () => {
    const plain = new SignatureVerifierPool(1, 0);
    try {
      expect(await plain.priority()).toEqual([{ nice: getPriority() }]);
    } finally {
      await plain.close();
    }
    expect(() => new SignatureVerifierPool(1, 20)).toThrow(/nice 20/);
    expect(() => new SignatureVerifierPool(1, -1)).toThrow(/nice -1/);
    expect(() => new SignatureVerifierPool(1, 1.5)).toThrow(/nice 1.5/);
  });
});
