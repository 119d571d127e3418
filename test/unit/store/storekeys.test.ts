/**
 * Store key declarations (src/baseapp/storekeys.ts): a store name is declared once, no store prefix
 * may be a byte-prefix of another (or equal), and a store's sub-prefixes may not overlap either.
 */
import { storeKey, StoreKeyRegistry } from "../../../src/baseapp/storekeys";
import { AUTH } from "../../../src/x/auth/keys";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("StoreKeyRegistry", () => {
  test("declares a store with the default prefix name + '/'", () => {
    const r = new StoreKeyRegistry();
    const k = r.storeKey("bank");
    expect(k.name).toBe("bank");
    expect(Buffer.from(k.prefix).toString()).toBe("bank/");
    expect(r.all()).toEqual([k]);
  });

  test("throws on a duplicate name, and keeps the first declaration", () => {
    const r = new StoreKeyRegistry();
    const first = r.storeKey("bank");
    expect(() => r.storeKey("bank")).toThrow('store key "bank" is declared twice');
    expect(() => r.declareStore("bank", { x: 0x01 })).toThrow("declared twice");
    expect(r.all()).toEqual([first]);
  });

  test("throws on an invalid name", () => {
    const r = new StoreKeyRegistry();
    for (const name of ["", "Bank", "a/b", "_app", "1x"]) expect(() => r.storeKey(name)).toThrow("invalid store key name");
  });

  test("throws on a prefix equal to, extending or extended by another store's prefix", () => {
    const r = new StoreKeyRegistry();
    r.storeKey("bank");
    expect(() => r.storeKey("bank2", bytes("bank/"))).toThrow("overlaps prefix 62616e6b2f of store bank");
    expect(() => r.storeKey("bankx", bytes("bank/x"))).toThrow("overlaps");
    expect(() => r.storeKey("ban", bytes("ban"))).toThrow("overlaps");
    expect(() => r.storeKey("empty", new Uint8Array())).toThrow("empty prefix");
    // A prefix that only shares leading bytes does not overlap.
    expect(Buffer.from(r.storeKey("banks", bytes("banks/")).prefix).toString()).toBe("banks/");
    expect(r.all().map((k) => k.name)).toEqual(["bank", "banks"]);
  });

  test("declareStore checks the sub-prefixes before declaring the store", () => {
    const r = new StoreKeyRegistry();
    expect(() => r.declareStore("a", { x: 0x01, y: 0x01 })).toThrow("sub-prefix y (01) overlaps x (01)");
    expect(() => r.declareStore("a", { x: "max", y: "max_gas" })).toThrow("sub-prefix y");
    expect(() => r.declareStore("a", { x: 0x100 })).toThrow("is not a byte");
    expect(() => r.declareStore("a", { x: 1.5 })).toThrow("is not a byte");
    expect(() => r.declareStore("a", { x: "" })).toThrow("is empty");
    expect(r.all()).toEqual([]);
    const layout = r.declareStore("a", { x: 0x01, y: 0x02, z: "chain_id" }, { prefix: bytes("_a/") });
    expect(layout.prefixes).toEqual({ x: 0x01, y: 0x02, z: "chain_id" });
    expect(Buffer.from(layout.store.prefix).toString()).toBe("_a/");
  });

  test("a store's prefix is a copy: changing the argument later changes nothing", () => {
    const r = new StoreKeyRegistry();
    const p = bytes("p/");
    const k = r.storeKey("p", p);
    p[0] = 0;
    expect(Buffer.from(k.prefix).toString()).toBe("p/");
  });
});

test("the app's storeKey() throws on a name a module already declared", () => {
  expect(AUTH.name).toBe("auth");
  expect(() => storeKey("auth")).toThrow('store key "auth" is declared twice');
  expect(() => storeKey("auth2", AUTH.prefix)).toThrow("overlaps");
});
