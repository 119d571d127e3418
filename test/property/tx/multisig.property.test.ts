/** Multisig parsing on arbitrary input: keys, bit arrays and MultiSignatures fail only with registered errors. */
import fc from "fast-check";
import { LegacyAminoPubKey } from "cosmjs-types/cosmos/crypto/multisig/keys";
import { ChainError } from "../../../src/baseapp/errors";
import {
  bitArrayGet,
  bitArraySize,
  decodeMultiSignature,
  decodeMultisigPubKeyAny,
  encodeMultisigPubKeyAny,
  LEGACY_AMINO_PUBKEY_TYPE_URL,
  makeBitArray,
  verifyMultisig,
} from "../../../src/baseapp/tx/multisig";

function onlyChainErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ChainError)) throw new Error(`non-ChainError thrown: ${String(e)}`);
  }
}

const key33 = fc.uint8Array({ minLength: 32, maxLength: 32 }).chain((x) => fc.constantFrom(2, 3).map((p) => Uint8Array.from([p, ...x])));

describe("multisig parsing (property)", () => {
  test("any bytes as a LegacyAminoPubKey: a key or a ChainError", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (value) => onlyChainErrors(() => decodeMultisigPubKeyAny({ typeUrl: LEGACY_AMINO_PUBKEY_TYPE_URL, value }))), { numRuns: 2000 });
  });

  test("a valid key round-trips through its Any; a threshold outside 1..n is refused", () => {
    fc.assert(
      fc.property(fc.array(key33, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 10 }), (pubKeys, threshold) => {
        const publicKeys = LegacyAminoPubKey.decode(encodeMultisigPubKeyAny({ threshold: 1, pubKeys }).value).publicKeys;
        const value = LegacyAminoPubKey.encode({ threshold, publicKeys }).finish();
        const any = { typeUrl: LEGACY_AMINO_PUBKEY_TYPE_URL, value };
        if (threshold < 1 || threshold > pubKeys.length) {
          expect(() => decodeMultisigPubKeyAny(any)).toThrow(/threshold/);
        } else {
          const k = decodeMultisigPubKeyAny(any);
          expect(k.threshold).toBe(threshold);
          expect(k.pubKeys.map((p) => Buffer.from(p).toString("hex"))).toEqual(pubKeys.map((p) => Buffer.from(p).toString("hex")));
        }
      }),
    );
  });

  test("bit arrays: size and bits round-trip; any elems/extra bits give a size or a ChainError", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.constant(n), fc.uniqueArray(fc.nat({ max: n - 1 })))), ([n, set]) => {
        const ba = makeBitArray(n, set);
        expect(bitArraySize(ba)).toBe(n);
        for (let i = 0; i < n; i++) expect(bitArrayGet(ba, i)).toBe(set.includes(i));
      }),
    );
    fc.assert(fc.property(fc.nat({ max: 300 }), fc.uint8Array({ maxLength: 6 }), (extra, elems) => onlyChainErrors(() => bitArraySize({ extraBitsStored: extra, elems }))));
  });

  test("verification with arbitrary bit arrays and signatures refuses with ChainErrors only, and never accepts fewer than the threshold", () => {
    fc.assert(
      fc.property(fc.array(key33, { minLength: 1, maxLength: 5 }), fc.uint8Array({ maxLength: 2 }), fc.nat({ max: 9 }), fc.array(fc.uint8Array({ maxLength: 4 }), { maxLength: 6 }), (pubKeys, elems, extra, sigs) => {
        const key = { threshold: Math.min(2, pubKeys.length), pubKeys };
        let accepted = false;
        onlyChainErrors(() => {
          verifyMultisig(key, { extraBitsStored: extra, elems }, sigs, new Uint8Array([1]), () => true);
          accepted = true;
        });
        if (accepted) expect(sigs.length).toBeGreaterThanOrEqual(key.threshold);
      }),
    );
  });

  test("any bytes as a MultiSignature: signatures or a ChainError", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => onlyChainErrors(() => decodeMultiSignature(b, "sig"))), { numRuns: 2000 });
  });
});
