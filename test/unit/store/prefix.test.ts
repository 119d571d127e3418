import { MemoryKV } from "../../../src/baseapp/store/memory";
import { PrefixStore, prefixEnd } from "../../../src/baseapp/store/prefix";

const u = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);
const hex = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : Buffer.from(b).toString("hex"));

describe("prefixEnd", () => {
  test.each<[number[], string | undefined]>([
    [[], undefined],
    [[0xff], undefined],
    [[0xff, 0xff, 0xff], undefined],
    [[0x00], "01"],
    [[0x01, 0x02], "0103"],
    [[0x01, 0xff], "02"],
    [[0x01, 0xff, 0xff], "02"],
    [[0x7f, 0xfe], "7fff"],
    [[0xfe, 0xff], "ff"],
    [[0xff, 0x00], "ff01"],
  ])("prefixEnd(%j) = %s", (prefix, want) => {
    const p = Uint8Array.from(prefix);
    expect(hex(prefixEnd(p))).toBe(want);
    expect(Buffer.from(p).equals(Buffer.from(prefix))).toBe(true); // input untouched
  });

  test("is greater than every key with the prefix and not greater than the next key without it", () => {
    for (const prefix of [u(0x01, 0xff), u(0x00, 0x00), u(0xab)]) {
      const end = prefixEnd(prefix)!;
      for (const suffix of [u(), u(0x00), u(0xff, 0xff, 0xff, 0xff)]) {
        expect(Buffer.compare(Buffer.concat([prefix, suffix]), end)).toBe(-1);
      }
    }
  });
});

describe("PrefixStore", () => {
  function setup(): MemoryKV {
    const m = new MemoryKV();
    for (const k of [[0x01], [0x01, 0x00], [0x01, 0x05], [0x01, 0xff], [0x02], [0x02, 0x01], [0xff], [0xff, 0x00], [0xff, 0xff, 0x01], [0x00, 0x01]]) {
      m.set(Uint8Array.from(k), Uint8Array.from([k.length]));
    }
    return m;
  }
  const list = (it: Iterable<[Uint8Array, Uint8Array]>): string[] => [...it].map(([k]) => hex(k)!);

  test("get/set/delete are isolated under the prefix", () => {
    const m = setup();
    const a = new PrefixStore(m, u(0x01));
    const b = new PrefixStore(m, u(0x02));
    expect(hex(a.get(u(0x05)))).toBe("02");
    expect(b.get(u(0x05))).toBeUndefined();
    a.set(u(0x07), u(9));
    expect(hex(m.get(u(0x01, 0x07)))).toBe("09");
    expect(b.has(u(0x07))).toBe(false);
    b.delete(u(0x01));
    expect(m.has(u(0x02, 0x01))).toBe(false);
    expect(a.has(u(0x05))).toBe(true);
  });

  test("iteration stays within the prefix and strips it (the prefix key itself is the empty key)", () => {
    const m = setup();
    const a = new PrefixStore(m, u(0x01));
    expect(list(a.iterate())).toEqual(["", "00", "05", "ff"]);
    expect(list(a.iterate(undefined, undefined, true))).toEqual(["ff", "05", "00", ""]);
    expect(list(a.iterate(u(0x01), u(0xff)))).toEqual(["05"]);
    expect(list(a.iterate(u(0x01), u(0xff), true))).toEqual(["05"]);
    expect(list(a.iterate(u(0x00)))).toEqual(["00", "05", "ff"]);
  });

  test("an all-0xff prefix iterates to the end of the key space", () => {
    const m = setup();
    expect(list(new PrefixStore(m, u(0xff)).iterate())).toEqual(["", "00", "ff01"]);
    expect(list(new PrefixStore(m, u(0xff, 0xff)).iterate(undefined, undefined, true))).toEqual(["01"]);
    expect(list(new PrefixStore(m, u(0x01, 0xff)).iterate())).toEqual([""]);
  });

  test("an empty prefix is the parent itself; nested prefixes compose", () => {
    const m = setup();
    expect(list(new PrefixStore(m, u()).iterate())).toEqual(list(m.iterate()));
    const nested = new PrefixStore(new PrefixStore(m, u(0xff)), u(0xff));
    expect(list(nested.iterate())).toEqual(["01"]);
    nested.set(u(0x02), u(1));
    expect(m.has(u(0xff, 0xff, 0x02))).toBe(true);
  });

  test("the prefix is copied: mutating the caller's array later has no effect", () => {
    const m = setup();
    const p = u(0x01);
    const a = new PrefixStore(m, p);
    p[0] = 0x02;
    expect(list(a.iterate())).toEqual(["", "00", "05", "ff"]);
  });
});
