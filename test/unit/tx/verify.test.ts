import { createHash, randomBytes } from "node:crypto";
import * as native from "secp256k1/bindings";
import { ecdsaSign, publicKeyCreate } from "secp256k1";
import { isLowS, verifySecp256k1 } from "../../../src/baseapp/tx/verify";

const N = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
const HALF = N >> 1n;

function toBytes32(v: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(v.toString(16).padStart(64, "0"), "hex"));
}

function withS(sig: Uint8Array, s: bigint): Uint8Array {
  const out = Uint8Array.from(sig);
  out.set(toBytes32(s), 32);
  return out;
}

function sBig(sig: Uint8Array): bigint {
  return BigInt("0x" + Buffer.from(sig.subarray(32)).toString("hex"));
}

// A fixed key for reproducibility.
const priv = createHash("sha256").update("dcert verify test key").digest();
const pub = publicKeyCreate(priv, true);
const msg = new TextEncoder().encode("sign bytes of some transaction");
const sig = ecdsaSign(createHash("sha256").update(msg).digest(), priv).signature;

describe("verifySecp256k1", () => {
  it("accepts a valid low-S signature over sha256(message)", () => {
    expect(isLowS(sig)).toBe(true);
    expect(verifySecp256k1(sig, msg, pub)).toBe(true);
  });

  it("hashes the message itself: passing the digest instead fails", () => {
    expect(verifySecp256k1(sig, createHash("sha256").update(msg).digest(), pub)).toBe(false);
  });

  it("rejects the high-S twin (n - s) explicitly, although it is mathematically valid", () => {
    const twin = withS(sig, N - sBig(sig));
    expect(isLowS(twin)).toBe(false);
    expect(verifySecp256k1(twin, msg, pub)).toBe(false);
    // Normalised back to low-S, libsecp256k1 accepts it: it really is the same signature.
    expect(native.ecdsaVerify(native.signatureNormalize(Uint8Array.from(twin)), createHash("sha256").update(msg).digest(), pub)).toBe(true);
  });

  it("classifies s exactly at the n/2 boundary", () => {
    expect(isLowS(withS(sig, HALF))).toBe(true);
    expect(isLowS(withS(sig, HALF + 1n))).toBe(false);
    expect(isLowS(withS(sig, 0n))).toBe(true);
    expect(isLowS(new Uint8Array(63))).toBe(false);
  });

  it("returns false (never throws) for wrong lengths", () => {
    expect(verifySecp256k1(sig.subarray(0, 63), msg, pub)).toBe(false);
    expect(verifySecp256k1(Uint8Array.from([...sig, 0]), msg, pub)).toBe(false);
    expect(verifySecp256k1(new Uint8Array(0), msg, pub)).toBe(false);
    expect(verifySecp256k1(sig, msg, pub.subarray(0, 32))).toBe(false);
    expect(verifySecp256k1(sig, msg, publicKeyCreate(priv, false))).toBe(false);
  });

  it("returns false (never throws) for r or s out of range and for keys off the curve", () => {
    const rOverflow = Uint8Array.from(sig);
    rOverflow.set(toBytes32(N + 1n), 0);
    expect(verifySecp256k1(rOverflow, msg, pub)).toBe(false);
    expect(verifySecp256k1(new Uint8Array(64), msg, pub)).toBe(false);
    // x = 5 has no square root of x^3 + 7 on secp256k1, so 0x02||5 is not a point.
    const offCurve = new Uint8Array(33);
    offCurve[0] = 2;
    offCurve[32] = 5;
    expect(native.publicKeyVerify(offCurve)).toBe(false);
    expect(verifySecp256k1(sig, msg, offCurve)).toBe(false);
  });

  it("fails for random signatures and for other keys", () => {
    for (let i = 0; i < 50; i++) {
      expect(verifySecp256k1(randomBytes(64), msg, pub)).toBe(false);
    }
    const otherPub = publicKeyCreate(createHash("sha256").update("other").digest(), true);
    expect(verifySecp256k1(sig, msg, otherPub)).toBe(false);
  });

  it("runs on the native libsecp256k1 binding, not the pure-JS fallback", () => {
    // `secp256k1`'s entry point re-exports the binding when it loads; if it fell back to elliptic,
    // the two modules would differ and our direct import of the binding would have thrown at load.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require("secp256k1")).toBe(require("secp256k1/bindings"));
  });
});
