/** TxViewCache: the same view as decoding, hits across calls, no aliasing, bounded, errors kept. */
import fc from "fast-check";
import { benchKeys, signedSend } from "../../../bench/lib/keys";
import type { DecodedMsg } from "../../../src/baseapp/router";
import { decodeTx } from "../../../src/baseapp/tx/decode";
import { deepFreeze, TxViewCache } from "../../../src/baseapp/tx/viewcache";

const keys = benchKeys(3);
const tx = (seq: number): Uint8Array =>
  signedSend({ from: keys[0]!, to: keys[1]!.address, amount: 1n, chainId: "c-1", accountNumber: 0n, sequence: BigInt(seq), fee: 5_000n, gas: 200_000n });
const fakeMsgs = (t: ReturnType<typeof decodeTx>): DecodedMsg[] => t.body.messages.map((any) => ({ any, value: { typeUrl: any.typeUrl }, service: SERVICE }));
const SERVICE = { typeUrl: "/x", codec: {}, signers: () => [] } as unknown as DecodedMsg["service"];

function cache(capacity = 10): TxViewCache {
  return new TxViewCache(fakeMsgs, () => ["signer"], (o) => o === SERVICE, capacity);
}

test("a view equals decoding, and the same bytes in another buffer are a hit", () => {
  const c = cache();
  const raw = tx(0);
  const v = c.view(raw);
  expect(v.tx).toEqual(decodeTx(raw));
  expect(v.signers).toEqual(["signer"]);
  expect(c.view(Uint8Array.from(raw))).toBe(v);
  expect([c.hits, c.misses]).toEqual([1, 1]);
  // decode() never caches.
  expect(c.decode(raw)).not.toBe(v);
  expect([c.hits, c.misses]).toEqual([1, 1]);
});

test("a view does not alias the caller's buffer", () => {
  const c = cache();
  const raw = tx(1);
  const copy = Uint8Array.from(raw);
  const v = c.view(raw);
  raw.fill(0);
  expect(v.tx.raw).toEqual(copy);
  expect(v.tx).toEqual(decodeTx(copy));
});

test("errors: undecodable bytes throw and are not cached; message and signer errors are kept", () => {
  const c = cache();
  expect(() => c.view(Uint8Array.of(1, 2, 3))).toThrow();
  expect(c.misses).toBe(1);
  const bad = new Error("no route");
  const failing = new TxViewCache(() => {
    throw bad;
  }, () => [], () => false);
  const v = failing.view(tx(2));
  expect(v.msgs).toBeUndefined();
  expect(v.msgError).toBe(bad);
  const noSigners = new TxViewCache(fakeMsgs, () => {
    throw bad;
  }, (o) => o === SERVICE);
  const w = noSigners.view(tx(2));
  expect(w.msgs).toHaveLength(1);
  expect(w.signersError).toBe(bad);
});

test("bounded: two generations of `capacity`, the older dropped when the newer fills", () => {
  const c = cache(2);
  const txs = [0, 1, 2, 3, 4].map(tx);
  for (const t of txs) c.view(t);
  expect(c.misses).toBe(5);
  c.view(txs[4]!); // young
  c.view(txs[2]!); // old generation: still a hit
  expect(c.hits).toBe(2);
  c.view(txs[0]!); // dropped
  expect(c.misses).toBe(6);
});

/** `tx(0)` with one character of the recipient address changed: same length, head and tail (the signature). */
function variant(i: number): Uint8Array {
  const base = tx(0);
  const at = Buffer.from(base).indexOf(Buffer.from(keys[1]!.address)) + 20;
  expect(at).toBeGreaterThan(32);
  expect(at).toBeLessThan(base.length - 64);
  const t = Uint8Array.from(base);
  t[at] = 0x61 + i;
  return t;
}

test("txs that share their length, head and tail are told apart by all their bytes", () => {
  const a = variant(0);
  const b = variant(1);
  expect(a.length).toBeGreaterThan(128);
  const c = cache();
  const va = c.view(a);
  const vb = c.view(b);
  expect(vb).not.toBe(va);
  expect(va.tx).toEqual(decodeTx(a));
  expect(vb.tx).toEqual(decodeTx(b));
  expect(c.view(Uint8Array.from(a))).toBe(va);
  expect(c.view(Uint8Array.from(b))).toBe(vb);
  expect([c.hits, c.misses]).toEqual([2, 2]);
});

test("a key holds at most four views; more colliding txs are decoded every time, and still right", () => {
  const c = cache();
  const variants = [0, 1, 2, 3, 4, 5].map(variant);
  const views = variants.map((t) => c.view(t));
  expect(c.misses).toBe(6);
  variants.forEach((t, i) => expect(views[i]!.tx).toEqual(decodeTx(t)));
  for (let i = 0; i < 4; i++) expect(c.view(Uint8Array.from(variants[i]!))).toBe(views[i]);
  expect(c.hits).toBe(4);
  // The fifth and sixth were not kept: decoded again, equal, not the same object.
  const again = c.view(Uint8Array.from(variants[5]!));
  expect(again).not.toBe(views[5]);
  expect(again.tx).toEqual(views[5]!.tx);
  expect(c.misses).toBe(7);
});

test("deepFreeze freezes nested objects and arrays, leaves typed arrays and skipped objects", () => {
  const skip = { f: (): number => 1 };
  const o = { a: { b: [1, { c: 2 }] }, bytes: new Uint8Array(2), skip };
  deepFreeze(o, (x) => x === skip);
  expect(Object.isFrozen(o.a.b[1])).toBe(true);
  expect(Object.isFrozen(o.a.b)).toBe(true);
  expect(Object.isFrozen(o.bytes)).toBe(false);
  expect(Object.isFrozen(skip)).toBe(false);
});

test("property: for any bytes, view() throws exactly when decodeTx does, and otherwise agrees with it", () => {
  const base = tx(7);
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
      const t = Uint8Array.from(base);
      t[i] = b;
      return t;
    })), (raw) => {
      const c = cache();
      let expected: unknown;
      try {
        expected = decodeTx(raw);
      } catch (e) {
        expect(() => c.view(raw)).toThrow((e as Error).message);
        return;
      }
      expect(c.view(raw).tx).toEqual(expected);
    }),
    { numRuns: 300 },
  );
});
