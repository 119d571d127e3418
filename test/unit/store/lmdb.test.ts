import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { computeAppHash } from "../../../src/baseapp/store/apphash";
import { type LmdbApplyMode, LmdbCommitStore } from "../../../src/baseapp/store/lmdb";
import { MemoryCommitStore } from "../../../src/baseapp/store/memory";
import type { CommitStore, KVStore } from "../../../src/baseapp/store/types";

const hex = (u: Uint8Array | undefined): string | undefined => (u === undefined ? undefined : Buffer.from(u).toString("hex"));
const b = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "utf8"));
const dump = (s: KVStore, reverse = false): string[] =>
  [...s.iterate(undefined, undefined, reverse)].map(([k, v]) => `${hex(k)}=${hex(v)}`);

let dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "dcert-store-"));
  dirs.push(d);
  return d;
}
const open: CommitStore[] = [];
function openLmdb(dir: string, apply: LmdbApplyMode = "background"): LmdbCommitStore {
  const s = LmdbCommitStore.open(dir, { apply });
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** Commits one block of writes (value undefined = delete) and returns the new app hash. */
function commitBlock(store: CommitStore, height: bigint, writes: [string, string | undefined][]): Uint8Array {
  const block = store.branch();
  for (const [k, v] of writes) {
    if (v === undefined) block.delete(b(k));
    else block.set(b(k), b(v));
  }
  const pending = store.prepare(block, height);
  store.commit(pending);
  return pending.appHash;
}

describe.each<LmdbApplyMode>(["background", "inline", "onReopen"])("LmdbCommitStore (%s)", (mode) => {
  test("a new store is at height 0 with an empty app hash", () => {
    const s = openLmdb(tempDir(), mode);
    expect(s.lastHeight).toBe(0n);
    expect(s.lastAppHash.length).toBe(0);
    expect(dump(s.branch())).toEqual([]);
  });

  test("commit, close, reopen: same data, height and app hash", () => {
    const dir = tempDir();
    const s = openLmdb(dir, mode);
    commitBlock(s, 1n, [
      ["a", "1"],
      ["b", "2"],
      ["c", "3"],
    ]);
    const h2 = commitBlock(s, 2n, [
      ["b", undefined],
      ["d", "4"],
      ["a", "1bis"],
    ]);
    const before = dump(s.branch());
    expect(before).toEqual([`${hex(b("a"))}=${hex(b("1bis"))}`, `${hex(b("c"))}=${hex(b("3"))}`, `${hex(b("d"))}=${hex(b("4"))}`]);
    s.close();

    const r = openLmdb(dir, mode);
    expect(r.lastHeight).toBe(2n);
    expect(hex(r.lastAppHash)).toBe(hex(h2));
    expect(dump(r.branch())).toEqual(before);
    expect(dump(r.branch(), true)).toEqual([...before].reverse());
    expect(hex(r.branch().get(b("a")))).toBe(hex(b("1bis")));
    expect(r.branch().has(b("b"))).toBe(false);
    // and the chain continues from there
    const h3 = commitBlock(r, 3n, [["e", "5"]]);
    expect(hex(h3)).toBe(hex(computeAppHash(3n, h2, [{ key: b("e"), value: b("5") }])));
  });

  test("a branch that is never committed leaves no trace after reopen", () => {
    const dir = tempDir();
    const s = openLmdb(dir, mode);
    const h1 = commitBlock(s, 1n, [["keep", "yes"]]);
    const block = s.branch();
    block.set(b("ghost"), b("boo"));
    block.delete(b("keep"));
    const pending = s.prepare(block, 2n);
    expect(pending.height).toBe(2n);
    expect(s.branch().has(b("ghost"))).toBe(false);
    s.close();

    const r = openLmdb(dir, mode);
    expect(r.lastHeight).toBe(1n);
    expect(hex(r.lastAppHash)).toBe(hex(h1));
    expect(dump(r.branch())).toEqual([`${hex(b("keep"))}=${hex(b("yes"))}`]);
  });

  test("identical app hashes to MemoryCommitStore for the same blocks", () => {
    const s = openLmdb(tempDir(), mode);
    const m = new MemoryCommitStore();
    const blocks: [string, string | undefined][][] = [
      [
        ["x/1", "a"],
        ["x/2", "b"],
        ["y", ""],
      ],
      [],
      [
        ["x/1", undefined],
        ["z", "zz"],
        ["never-set", undefined],
      ],
    ];
    let h = 5n; // an initial height other than 1
    for (const blk of blocks) {
      expect(hex(commitBlock(s, h, blk))).toBe(hex(commitBlock(m, h, blk)));
      h++;
    }
    expect(dump(s.branch())).toEqual(dump(m.branch()));
  });

  test("writes that reach the store between commits are visible in later blocks", () => {
    const s = openLmdb(tempDir(), mode);
    for (let h = 1n; h <= 12n; h++) {
      const block = s.branch();
      const prev = block.get(b("counter"));
      const n = prev === undefined ? 0 : Number(Buffer.from(prev).toString());
      expect(n).toBe(Number(h) - 1);
      block.set(b("counter"), b(String(n + 1)));
      block.set(b(`k${String(h).padStart(3, "0")}`), b("v"));
      if (h % 3n === 0n) block.delete(b(`k${String(h - 1n).padStart(3, "0")}`));
      s.commit(s.prepare(block, h));
    }
    if (mode === "background") expect(s.drain()).toBe(true);
    const keys = [...s.branch().iterate(b("k"), b("l"))].map(([k]) => Buffer.from(k).toString());
    expect(keys).toEqual(["k001", "k003", "k004", "k006", "k007", "k009", "k010", "k012"]);
  });
});

describe("LmdbCommitStore internals", () => {
  test("reads stay consistent while the background writer applies blocks underneath", () => {
    const dir = tempDir();
    const s = LmdbCommitStore.open(dir, { apply: "background", maxBacklog: 2 });
    open.push(s);
    const m = new MemoryCommitStore();
    const key = (i: number): Uint8Array => new Uint8Array(Buffer.from(`key${(i * 7919) % 1500}`));
    for (let h = 1; h <= 25; h++) {
      const sb = s.branch();
      const mb = m.branch();
      for (let i = 0; i < 400; i++) {
        const k = key(h * 400 + i);
        // read-modify-write: any stale read shows up as a diverging value or app hash
        const prev = sb.get(k);
        expect(hex(prev)).toBe(hex(mb.get(k)));
        const next = new Uint8Array(Buffer.from(`${prev === undefined ? "" : Buffer.from(prev).toString().slice(-20)}|${h}`));
        if ((h + i) % 13 === 0) {
          sb.delete(k);
          mb.delete(k);
        } else {
          sb.set(k, next);
          mb.set(k, next);
        }
      }
      const ps = s.prepare(sb, BigInt(h));
      const pm = m.prepare(mb, BigInt(h));
      expect(hex(ps.appHash)).toBe(hex(pm.appHash));
      s.commit(ps);
      m.commit(pm);
      if (h % 8 === 0) expect(dump(s.branch())).toEqual(dump(m.branch()));
    }
    expect(s.drain()).toBe(true);
    expect(s.backlog).toBe(0);
    expect(dump(s.branch())).toEqual(dump(m.branch()));
  });

  test("iteration bounds and direction over layered (unapplied) and applied state agree", () => {
    const dir = tempDir();
    const s = openLmdb(dir, "onReopen");
    commitBlock(s, 1n, [
      ["a", "1"],
      ["b", "1"],
      ["d", "1"],
    ]);
    commitBlock(s, 2n, [
      ["b", undefined],
      ["c", "2"],
      ["e", "2"],
    ]);
    const bounds: [string | undefined, string | undefined][] = [
      [undefined, undefined],
      ["b", "e"],
      ["bb", undefined],
      [undefined, "c"],
      ["c", "c"],
      ["e", "a"],
    ];
    const run = (st: KVStore): string[][] =>
      bounds.flatMap(([lo, hi]) =>
        [false, true].map((rev) =>
          [...st.iterate(lo === undefined ? undefined : b(lo), hi === undefined ? undefined : b(hi), rev)].map(
            ([k, v]) => `${Buffer.from(k).toString()}=${Buffer.from(v).toString()}`,
          ),
        ),
      );
    const layered = run(s.branch());
    expect(layered[0]).toEqual(["a=1", "c=2", "d=1", "e=2"]);
    expect(layered[3]).toEqual(["d=1", "c=2"]);
    s.close();
    const r = openLmdb(dir, "inline");
    expect(run(r.branch())).toEqual(layered);
  });
});
