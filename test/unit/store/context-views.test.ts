/** Context#kv keeps one prefix view per store key and context; a derived context gets its own. */
import { blockContext } from "../../../src/baseapp/context";
import { CacheKV } from "../../../src/baseapp/store/cachekv";
import { MemoryKV } from "../../../src/baseapp/store/memory";
import { StoreKeyRegistry } from "../../../src/baseapp/storekeys";

const registry = new StoreKeyRegistry();
const A = registry.storeKey("alpha");
const B = registry.storeKey("beta");
const block = { chainId: "t", height: 1n, time: { seconds: 1n, nanos: 0 }, proposer: new Uint8Array(20) };
const k = Uint8Array.of(1);

test("one view per store key within a context, each on its own prefix", () => {
  const root = new MemoryKV();
  const ctx = blockContext(root, block, "finalize");
  expect(ctx.kv(A)).toBe(ctx.kv(A));
  expect(ctx.kv(A)).not.toBe(ctx.kv(B));
  ctx.kv(A).set(k, Uint8Array.of(7));
  expect(ctx.kv(B).get(k)).toBeUndefined();
  expect(root.get(Uint8Array.from([...Buffer.from("alpha/"), 1]))).toEqual(Uint8Array.of(7));
});

test("a context over a branch reads and writes the branch, not the parent's view", () => {
  const root = new MemoryKV();
  const ctx = blockContext(root, block, "finalize");
  const parentView = ctx.kv(A);
  const branch = new CacheKV(root);
  const child = ctx.with({ store: branch });
  expect(child.kv(A)).not.toBe(parentView);
  child.kv(A).set(k, Uint8Array.of(9));
  expect(child.kv(A).get(k)).toEqual(Uint8Array.of(9));
  expect(parentView.get(k)).toBeUndefined();
  branch.write();
  expect(parentView.get(k)).toEqual(Uint8Array.of(9));
});
