import { ReadCache } from "../../../src/baseapp/store/readcache";

const v = (n: number, len = 10): Uint8Array => new Uint8Array(len).fill(n);

describe("ReadCache", () => {
  test("returns what was set, null for a cached absence, undefined for an unknown key", () => {
    const c = new ReadCache(1000);
    c.set("a", v(1));
    c.set("b", null);
    expect(c.get("a")).toEqual(v(1));
    expect(c.get("b")).toBeNull();
    expect(c.get("c")).toBeUndefined();
  });

  test("delete and set replace an entry in either generation", () => {
    const c = new ReadCache(60); // 30 bytes a generation: three 10-byte entries (1-char keys) rotate it
    c.set("a", v(1, 9));
    c.set("b", v(2, 9));
    c.set("c", v(3, 9)); // rotates: a and b are now old
    expect(c.get("c")).toEqual(v(3, 9));
    c.delete("a");
    expect(c.get("a")).toBeUndefined();
    c.set("b", v(4, 9));
    expect(c.get("b")).toEqual(v(4, 9));
  });

  test("stays within its byte budget and keeps hot keys across a rotation", () => {
    const c = new ReadCache(200); // 100 bytes a generation
    c.set("hot", v(0, 7));
    for (let i = 0; i < 1000; i++) {
      c.set(`k${i.toString().padStart(3, "0")}`, v(i & 0xff, 6));
      expect(c.get("hot")).toEqual(v(0, 7)); // read every time: promoted before each rotation drops it
      expect(c.size).toBeLessThanOrEqual(20);
    }
    // A cold key written long ago is gone.
    expect(c.get("k000")).toBeUndefined();
  });

  test("an entry larger than a generation is not cached", () => {
    const c = new ReadCache(20);
    c.set("big", v(1, 50));
    expect(c.get("big")).toBeUndefined();
    c.clear();
    expect(c.size).toBe(0);
  });
});
