import { createHash } from "node:crypto";

import {
  APP_HASH_DOMAIN,
  chainAppHash,
  computeAppHash,
  decodeWriteSet,
  encodeWriteSet,
  writeSetHash,
} from "../../../src/baseapp/store/apphash";
import type { Write } from "../../../src/baseapp/store/cachekv";
import { MemoryCommitStore } from "../../../src/baseapp/store/memory";

const u = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

describe("write-set encoding", () => {
  test("each write is uvarint(keyLen) key op uvarint(valueLen) value, in key order", () => {
    const big = new Uint8Array(200).fill(7);
    const enc = encodeWriteSet([
      { key: u(0x01), value: u(0xaa, 0xbb) },
      { key: u(0x01, 0x00), value: undefined },
      { key: u(0x02), value: big },
      { key: u(0x03), value: u() },
    ]);
    const want = Buffer.concat([
      Buffer.from([1, 0x01, 1, 2, 0xaa, 0xbb]),
      Buffer.from([2, 0x01, 0x00, 0, 0]),
      Buffer.from([1, 0x02, 1, 0xc8, 0x01]), // 200 = 0xc8 0x01 as uvarint
      Buffer.from(big),
      Buffer.from([1, 0x03, 1, 0]),
    ]);
    expect(hex(enc)).toBe(hex(want));
  });

  test("decode inverts encode; malformed input is rejected", () => {
    const writes: Write[] = [
      { key: u(0x00), value: u(1) },
      { key: u(0x10, 0x20), value: undefined },
      { key: new Uint8Array(300).fill(0xff), value: new Uint8Array(1000).fill(3) },
    ];
    const enc = encodeWriteSet(writes);
    const back = decodeWriteSet(enc);
    expect(back.map((w) => [hex(w.key), w.value === undefined ? null : hex(w.value)])).toEqual(
      writes.map((w) => [hex(w.key), w.value === undefined ? null : hex(w.value)]),
    );
    expect(() => decodeWriteSet(enc.subarray(0, enc.length - 1))).toThrow(/truncated/);
    expect(() => decodeWriteSet(u(1, 0x01, 7, 0))).toThrow(/bad op/);
    expect(() => decodeWriteSet(u(1, 0x01, 0, 1, 9))).toThrow(/bad op/);
  });

  test("keys must be strictly ascending", () => {
    expect(() => encodeWriteSet([{ key: u(2), value: u() }, { key: u(1), value: u() }])).toThrow(/ascending/);
    expect(() => encodeWriteSet([{ key: u(1), value: u() }, { key: u(1), value: undefined }])).toThrow(/ascending/);
  });
});

describe("app hash", () => {
  test("is SHA-256(domain || uint64be(height) || prev || SHA-256(write set))", () => {
    const writes: Write[] = [{ key: u(5), value: u(6) }];
    const prev = createHash("sha256").update("prev").digest();
    const height = Buffer.alloc(8);
    height.writeBigUInt64BE(42n);
    const ws = createHash("sha256").update(Buffer.from([1, 5, 1, 1, 6])).digest();
    const want = createHash("sha256").update(APP_HASH_DOMAIN).update(height).update(prev).update(ws).digest();
    expect(hex(computeAppHash(42n, prev, writes))).toBe(hex(want));
    expect(hex(writeSetHash(encodeWriteSet(writes)))).toBe(hex(ws));
  });

  test("depends on height, previous hash, keys, values, and set vs delete", () => {
    const base = computeAppHash(2n, new Uint8Array(32), [{ key: u(1), value: u() }]);
    const variants = [
      computeAppHash(3n, new Uint8Array(32), [{ key: u(1), value: u() }]),
      computeAppHash(2n, new Uint8Array(32).fill(1), [{ key: u(1), value: u() }]),
      computeAppHash(2n, new Uint8Array(0), [{ key: u(1), value: u() }]),
      computeAppHash(2n, new Uint8Array(32), [{ key: u(2), value: u() }]),
      computeAppHash(2n, new Uint8Array(32), [{ key: u(1), value: u(0) }]),
      computeAppHash(2n, new Uint8Array(32), [{ key: u(1), value: undefined }]),
      computeAppHash(2n, new Uint8Array(32), []),
      // same concatenated bytes split differently between key and value
      computeAppHash(2n, new Uint8Array(32), [{ key: u(1, 0), value: u() }]),
    ];
    const all = new Set([hex(base), ...variants.map(hex)]);
    expect(all.size).toBe(variants.length + 1);
  });

  test("rejects out-of-range heights and malformed previous hashes", () => {
    const ws = writeSetHash(new Uint8Array(0));
    expect(() => chainAppHash(0n, new Uint8Array(0), ws)).toThrow(/height/);
    expect(() => chainAppHash(1n << 64n, new Uint8Array(0), ws)).toThrow(/height/);
    expect(() => chainAppHash(1n, new Uint8Array(5), ws)).toThrow(/previous/);
  });

  test("a commit store's hash does not depend on the order the block made its writes in", () => {
    const ops: [number, number | undefined][] = [
      [3, 1],
      [1, 2],
      [2, undefined],
      [9, 4],
      [1, 5], // overwrites the earlier write of key 1: only the final write counts
    ];
    const run = (order: number[]): string => {
      const store = new MemoryCommitStore();
      const block = store.branch();
      for (const i of order) {
        const [k, v] = ops[i]!;
        if (v === undefined) block.delete(u(k));
        else block.set(u(k), u(v));
      }
      return hex(store.prepare(block, 1n).appHash);
    };
    // every order that keeps [1,2] before [1,5]
    expect(run([3, 2, 1, 0, 4])).toBe(run([0, 1, 2, 3, 4]));
    expect(run([2, 3, 1, 0, 4])).toBe(run([0, 1, 2, 3, 4]));
    expect(run([3, 1, 4, 2, 0])).toBe(run([0, 1, 2, 3, 4]));
    expect(run([0, 4, 2, 3, 1])).not.toBe(run([0, 1, 2, 3, 4])); // final write of key 1 differs
  });
});
