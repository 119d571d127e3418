// In the store folder because the store is built and tested on its own (it imports nothing from
// outside it); the runtime's other caches (perf.ts) use it from here.

/**
 * A bounded cache in two generations: hits and new entries go to the young one; when the young
 * one reaches its weight budget it becomes the old one and the previous old one is dropped. Hot
 * entries survive a rotation (a hit in the old generation moves the entry to the young one),
 * memory stays bounded, and no recency list is kept. Each entry weighs 1 unless `weigh` says
 * otherwise (bytes, for caches of store values); an entry heavier than a generation is not kept.
 * `undefined` means "not cached", so values must not be undefined.
 */
export class TwoGenerationCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private youngWeight = 0;

  constructor(
    private readonly generationWeight: number,
    private readonly weigh: (key: K, value: V) => number = () => 1,
  ) {}

  get(key: K): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o === undefined) return undefined;
    this.old.delete(key);
    this.add(key, o);
    return o;
  }

  set(key: K, value: V): void {
    this.delete(key);
    this.add(key, value);
  }

  delete(key: K): void {
    const prev = this.young.get(key);
    if (prev !== undefined) {
      this.youngWeight -= this.weigh(key, prev);
      this.young.delete(key);
    }
    this.old.delete(key);
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
    this.youngWeight = 0;
  }

  /** Entries held (both generations). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  private add(key: K, value: V): void {
    const w = this.weigh(key, value);
    if (w > this.generationWeight) return;
    if (this.youngWeight + w > this.generationWeight) {
      this.old = this.young;
      this.young = new Map();
      this.youngWeight = 0;
    }
    this.young.set(key, value);
    this.youngWeight += w;
  }
}
