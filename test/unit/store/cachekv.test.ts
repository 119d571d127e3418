import { MAX_KEY_LENGTH } from "../../../src/baseapp/store/bytes";
import { CacheKV } from "../../../src/baseapp/store/cachekv";
import { MemoryKV } from "../../../src/baseapp/store/memory";
import type { KeyStringReader, KVStore } from "../../../src/baseapp/store/types";
import { BasicGasMeter, KV_GAS } from "../../../src/baseapp/gas";
import { GasKVStore } from "../../../src/baseapp/store/gaskv";

const u = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);
const s = (str: string): Uint8Array => new Uint8Array(Buffer.from(str));
const str = (v: Uint8Array | undefined): string | undefined => (v === undefined ? undefined : Buffer.from(v).toString());
const keys = (st: KVStore, start?: Uint8Array, end?: Uint8Array, reverse = false): string[] =>
  [...st.iterate(start, end, reverse)].map(([k]) => Buffer.from(k).toString("hex"));

function parentWith(entries: [string, string][]): MemoryKV {
  const m = new MemoryKV();
  for (const [k, v] of entries) m.set(s(k), s(v));
  return m;
}

describe("CacheKV", () => {
  test("reads fall through to the parent until written; nothing reaches the parent before write()", () => {
    const parent = parentWith([["a", "1"]]);
    const b = new CacheKV(parent);
    expect(str(b.get(s("a")))).toBe("1");
    b.set(s("a"), s("2"));
    b.set(s("b"), s("3"));
    expect(str(b.get(s("a")))).toBe("2");
    expect(str(parent.get(s("a")))).toBe("1");
    expect(parent.has(s("b"))).toBe(false);
    b.write();
    expect(str(parent.get(s("a")))).toBe("2");
    expect(str(parent.get(s("b")))).toBe("3");
    expect(b.size).toBe(0);
  });

  test("a branch sees later changes of its parent under its own writes (no read caching)", () => {
    const parent = parentWith([["a", "1"]]);
    const b = new CacheKV(parent);
    expect(str(b.get(s("a")))).toBe("1");
    parent.set(s("a"), s("changed"));
    expect(str(b.get(s("a")))).toBe("changed");
  });

  test("deletes are tombstones that hide parent entries, in get, has and iterate", () => {
    const parent = parentWith([
      ["a", "1"],
      ["b", "2"],
      ["c", "3"],
    ]);
    const b = new CacheKV(parent);
    b.delete(s("b"));
    expect(b.get(s("b"))).toBeUndefined();
    expect(b.has(s("b"))).toBe(false);
    expect(keys(b)).toEqual(["61", "63"]);
    expect(keys(b, undefined, undefined, true)).toEqual(["63", "61"]);
    b.set(s("b"), s("again"));
    expect(str(b.get(s("b")))).toBe("again");
    b.delete(s("zz")); // deleting an absent key is fine
    b.write();
    expect(keys(parent)).toEqual(["61", "62", "63"]);
    expect(parent.has(s("zz"))).toBe(false);
  });

  test("iteration merges in unsigned byte order with bounds, both directions", () => {
    const parent = new MemoryKV();
    for (const k of [u(0x00), u(0x7f), u(0xff), u(0x80, 0x00)]) parent.set(k, u(1));
    const b = new CacheKV(parent);
    b.set(u(0x80), u(2));
    b.set(u(0xff, 0x00), u(2));
    b.set(u(0x01), u(2));
    b.delete(u(0x7f));
    expect(keys(b)).toEqual(["00", "01", "80", "8000", "ff", "ff00"]);
    expect(keys(b, u(0x01), u(0xff))).toEqual(["01", "80", "8000"]);
    expect(keys(b, u(0x01), u(0xff), true)).toEqual(["8000", "80", "01"]);
    expect(keys(b, u(0x80, 0x00))).toEqual(["8000", "ff", "ff00"]);
    expect(keys(b, undefined, u(0x80), true)).toEqual(["01", "00"]);
    expect(keys(b, u(0xff), u(0x80))).toEqual([]);
    expect(keys(b, new Uint8Array(0), new Uint8Array(0))).toEqual([]);
  });

  test("values written and read in one branch are the same values (kept by reference)", () => {
    const b = new CacheKV(new MemoryKV());
    const v = u(1, 2, 3);
    b.set(u(9), v);
    expect(b.get(u(9))).toBe(v);
  });

  test("keys are copied: mutating a key after set does not move the entry", () => {
    const b = new CacheKV(new MemoryKV());
    const k = u(1, 2);
    b.set(k, u(7));
    k[0] = 9;
    expect(b.has(u(1, 2))).toBe(true);
    expect(b.has(u(9, 2))).toBe(false);
  });

  test("rejects empty and oversized keys and non-byte values", () => {
    const b = new CacheKV(new MemoryKV());
    expect(() => b.set(new Uint8Array(0), u(1))).toThrow(/empty/);
    expect(() => b.delete(new Uint8Array(0))).toThrow(/empty/);
    expect(() => b.set(new Uint8Array(MAX_KEY_LENGTH + 1), u(1))).toThrow(/exceeds/);
    expect(() => b.set(u(1), "x" as unknown as Uint8Array)).toThrow(TypeError);
    b.set(new Uint8Array(MAX_KEY_LENGTH).fill(0xff), new Uint8Array(0));
    expect(b.get(new Uint8Array(MAX_KEY_LENGTH).fill(0xff))?.length).toBe(0);
  });

  test("nested branches: child writes reach the grandparent only through each write()", () => {
    const root = parentWith([["k", "root"]]);
    const block = new CacheKV(root);
    const tx = block.branch();
    tx.set(s("k"), s("tx"));
    tx.set(s("n"), s("new"));
    expect(str(block.get(s("k")))).toBe("root");
    tx.write();
    expect(str(block.get(s("k")))).toBe("tx");
    expect(str(root.get(s("k")))).toBe("root");
    const failed = block.branch();
    failed.set(s("k"), s("failed"));
    failed.discard();
    failed.write();
    expect(str(block.get(s("k")))).toBe("tx");
    block.write();
    expect(str(root.get(s("k")))).toBe("tx");
    expect(str(root.get(s("n")))).toBe("new");
  });

  test("writes() lists the branch's writes in ascending key order, deletes as undefined", () => {
    const b = new CacheKV(new MemoryKV());
    b.set(u(3), u(30));
    b.delete(u(1));
    b.set(u(2), u(20));
    expect(b.writes().map((w) => [Buffer.from(w.key).toString("hex"), w.value === undefined ? null : Buffer.from(w.value).toString("hex")])).toEqual([
      ["01", null],
      ["02", "14"],
      ["03", "1e"],
    ]);
  });

  test("writing while iterating neither crashes nor corrupts the branch", () => {
    const b = new CacheKV(parentWith([["a", "1"], ["c", "3"]]));
    b.set(s("b"), s("2"));
    const seen: string[] = [];
    for (const [k] of b.iterate()) {
      seen.push(Buffer.from(k).toString());
      b.set(s(`${Buffer.from(k).toString()}x`), s("new"));
      b.delete(s("c"));
    }
    expect(seen.slice(0, 2)).toEqual(["a", "b"]);
    expect(keys(b).map((h) => Buffer.from(h, "hex").toString())).toEqual(["a", "ax", "b", "bx"].concat(seen.includes("c") ? ["cx"] : []));
  });

  test("closing an iteration early closes the parent's iterator", () => {
    let closed = false;
    const parent: KVStore = {
      get: () => undefined,
      has: () => false,
      set: () => {},
      delete: () => {},
      *iterate() {
        try {
          yield [u(1), u(1)];
          yield [u(3), u(3)];
        } finally {
          closed = true;
        }
      },
    };
    const b = new CacheKV(parent);
    b.set(u(2), u(2));
    for (const [k] of b.iterate()) {
      if (k[0] === 1) break;
    }
    expect(closed).toBe(true);
  });

  test("version counts changes", () => {
    const b = new CacheKV(new MemoryKV());
    const v0 = b.version;
    b.get(u(1));
    b.iterate();
    expect(b.version).toBe(v0);
    b.set(u(1), u(1));
    expect(b.version).toBeGreaterThan(v0);
  });
});

describe("MemoryKV", () => {
  test("sorted store: set/get/delete and ordered iteration after interleaved changes", () => {
    const m = new MemoryKV();
    for (const k of [5, 1, 9, 3]) m.set(u(k), u(k));
    expect(keys(m)).toEqual(["01", "03", "05", "09"]);
    m.delete(u(3));
    m.set(u(4), u(4));
    m.set(u(3), u(33));
    expect(keys(m)).toEqual(["01", "03", "04", "05", "09"]);
    expect(keys(m, u(4), undefined, true)).toEqual(["09", "05", "04"]);
    expect(m.get(u(3))?.[0]).toBe(33);
    expect(m.size).toBe(5);
    expect(() => m.set(new Uint8Array(0), u(1))).toThrow(/empty/);
  });
});

describe("CacheKV reading below its chain", () => {
  /** A parent that answers by key string and counts how it was asked. */
  class KeyedParent extends MemoryKV implements KeyStringReader {
    readonly asked: string[] = [];
    getKeyed(k: string, key: Uint8Array): Uint8Array | undefined {
      this.asked.push(`keyed:${Buffer.from(k, "latin1").toString("hex")}:${Buffer.from(key).toString("hex")}`);
      return super.get(key);
    }
    override get(key: Uint8Array): Uint8Array | undefined {
      this.asked.push(`get:${Buffer.from(key).toString("hex")}`);
      return super.get(key);
    }
    override has(key: Uint8Array): boolean {
      this.asked.push(`has:${Buffer.from(key).toString("hex")}`);
      return super.has(key);
    }
  }

  test("a parent with getKeyed gets the key string the chain computed, for get and has", () => {
    const parent = new KeyedParent();
    parent.set(u(0x00, 0xff, 0x80), s("v"));
    const top = new CacheKV(new CacheKV(parent));
    expect(str(top.get(u(0x00, 0xff, 0x80)))).toBe("v");
    expect(top.has(u(0x00, 0xff, 0x80))).toBe(true);
    expect(top.has(u(0x01))).toBe(false);
    expect(parent.asked).toEqual(["keyed:00ff80:00ff80", "keyed:00ff80:00ff80", "keyed:01:01"]);
  });

  test("any other parent is asked has() for has, so its own costs apply (gas: hasCost, not a read)", () => {
    const meter = new BasicGasMeter(1_000_000n);
    const inner = new MemoryKV();
    inner.set(s("k"), s("a value of some length"));
    const b = new CacheKV(new GasKVStore(inner, meter));
    expect(b.has(s("k"))).toBe(true);
    expect(meter.consumed()).toBe(KV_GAS.hasCost);
    expect(str(b.get(s("k")))).toBe("a value of some length");
    expect(meter.consumed()).toBeGreaterThan(KV_GAS.hasCost + KV_GAS.readCostFlat);
  });
});
