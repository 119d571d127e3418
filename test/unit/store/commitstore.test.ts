import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { CacheKV } from "../../../src/baseapp/store/cachekv";
import { LmdbCommitStore } from "../../../src/baseapp/store/lmdb";
import { MemoryCommitStore } from "../../../src/baseapp/store/memory";
import type { CommitStore } from "../../../src/baseapp/store/types";

const b = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "utf8"));
const hex = (u: Uint8Array | undefined): string | undefined => (u === undefined ? undefined : Buffer.from(u).toString("hex"));

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

function lmdb(apply: "background" | "inline"): () => CommitStore {
  return () => {
    const dir = mkdtempSync(join(tmpdir(), "dcert-commitstore-"));
    const s = LmdbCommitStore.open(dir, { apply });
    cleanup.push(() => {
      s.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return s;
  };
}

describe.each<[string, () => CommitStore]>([
  ["MemoryCommitStore", () => new MemoryCommitStore()],
  ["LmdbCommitStore background", lmdb("background")],
  ["LmdbCommitStore inline", lmdb("inline")],
])("%s prepare/commit protocol", (_name, make) => {
  test("commit refuses a pending for the wrong height, a replay, a changed branch, a foreign pending", () => {
    const s = make();
    const other = new MemoryCommitStore();
    expect(() => s.prepare(s.branch(), 0n)).toThrow(/height/);
    const a = s.branch();
    a.set(b("a"), b("1"));
    const pa = s.prepare(a, 1n);
    const pb = s.prepare(s.branch(), 1n);
    s.commit(pa);
    expect(() => s.commit(pa)).toThrow(/already committed|not prepared/);
    expect(() => s.commit(pb)).toThrow(/prepared on top of height 0/);
    expect(() => s.prepare(s.branch(), 3n)).toThrow(/expected 2/);
    expect(() => s.prepare(s.branch(), 1n)).toThrow(/expected 2/);

    const c = s.branch();
    c.set(b("c"), b("1"));
    const pc = s.prepare(c, 2n);
    c.set(b("c"), b("2"));
    expect(() => s.commit(pc)).toThrow(/changed after prepare/);
    expect(() => other.commit(s.prepare(c, 2n))).toThrow(/not prepared by this store/);
    expect(() => s.prepare(other.branch(), 2n)).toThrow(/branch obtained from this store/);
    expect(() => s.prepare(c.branch(), 2n)).toThrow(/branch obtained from this store/);
    expect(() => s.prepare(new CacheKV(other.branch()), 2n)).toThrow(/branch obtained from this store/);
    expect(s.lastHeight).toBe(1n);
    expect(s.branch().has(b("c"))).toBe(false);
    // a fresh prepare of the changed branch commits its current contents
    s.commit(s.prepare(c, 2n));
    expect(hex(s.branch().get(b("c")))).toBe(hex(b("2")));
  });

  test("prepare neither persists nor changes the branch; commit empties the branch", () => {
    const s = make();
    const block = s.branch() as CacheKV;
    block.set(b("k"), b("v"));
    const version = block.version;
    const p1 = s.prepare(block, 1n);
    const p2 = s.prepare(block, 1n);
    expect(hex(p1.appHash)).toBe(hex(p2.appHash));
    expect(block.version).toBe(version);
    expect(block.size).toBe(1);
    expect(s.branch().get(b("k"))).toBeUndefined();
    expect(s.lastHeight).toBe(0n);
    expect(s.lastAppHash.length).toBe(0);
    s.commit(p2);
    expect(s.lastHeight).toBe(1n);
    expect(hex(s.lastAppHash)).toBe(hex(p2.appHash));
    expect(block.size).toBe(0);
    expect(hex(block.get(b("k")))).toBe(hex(b("v")));
    expect(hex(s.branch().get(b("k")))).toBe(hex(b("v")));
  });

  test("the first commit may be at any initial height; later ones follow it", () => {
    const s = make();
    const g = s.branch();
    g.set(b("genesis"), b("1"));
    s.commit(s.prepare(g, 100n));
    expect(s.lastHeight).toBe(100n);
    expect(() => s.prepare(s.branch(), 100n)).toThrow(/expected 101/);
    s.commit(s.prepare(s.branch(), 101n));
    expect(s.lastHeight).toBe(101n);
  });

  test("committed state is read-only through a branch's write()", () => {
    const s = make();
    const block = s.branch();
    block.set(b("k"), b("v"));
    expect(() => block.write()).toThrow(/read-only/);
    expect(s.branch().get(b("k"))).toBeUndefined();
  });

  test("a branch from before a commit reads the newly committed state beneath its own writes", () => {
    const s = make();
    const check = s.branch();
    check.set(b("mine"), b("1"));
    const block = s.branch();
    block.set(b("theirs"), b("2"));
    s.commit(s.prepare(block, 1n));
    expect(hex(check.get(b("theirs")))).toBe(hex(b("2")));
    expect([...check.iterate()].map(([k]) => Buffer.from(k).toString())).toEqual(["mine", "theirs"]);
  });

  test("a closed store refuses use; close is idempotent", () => {
    const s = make();
    s.close();
    expect(() => s.branch()).toThrow(/closed/);
    expect(() => s.close()).not.toThrow();
  });
});
