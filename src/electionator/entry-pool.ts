/**
 * Compact storage for vote entries (candidate id, share, contribution) in typed arrays.
 *
 * Each voter owns one block of slots. Blocks have power-of-two capacities (1, 2, 4, …) so a
 * replaced vote of similar size reuses its block in place; freed blocks go to a free list per
 * capacity and are reused before the arrays grow. Waste is below 2× of the entries in use.
 *
 * Per slot: candidate id (u32), share (u64: share ≤ ONE = 1e18 < 2^60), contribution as a 64-bit
 * low word plus a 32-bit high word. A contribution is floor(power · share / ONE) ≤ power
 * < MAX_POWER_EXCLUSIVE = 2^96, so 96 bits always hold it exactly (checked at write time too).
 * That is 24 bytes per entry: 16M entries (1M voters × 16) take 384 MB outside the JS heap.
 */

const TWO64 = 1n << 64n;
const MASK64 = TWO64 - 1n;

function capacityClass(n: number): number {
  let c = 0;
  while (1 << c < n) c++;
  return c;
}

export class EntryPool {
  cand: Uint32Array;
  share: BigUint64Array;
  lo: BigUint64Array;
  hi: Uint32Array;
  private top = 0;
  private readonly freeLists: number[][] = [];

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.cand = new Uint32Array(cap);
    this.share = new BigUint64Array(cap);
    this.lo = new BigUint64Array(cap);
    this.hi = new Uint32Array(cap);
  }

  /** Slots available for entries of `n` in the block chosen for that length. */
  static capacityFor(n: number): number {
    return 1 << capacityClass(n);
  }

  /** Allocates a block able to hold `n` ≥ 1 entries; returns its first slot. */
  alloc(n: number): number {
    const c = capacityClass(n);
    const list = this.freeLists[c];
    if (list !== undefined && list.length > 0) return list.pop()!;
    const size = 1 << c;
    if (this.top + size > this.cand.length) this.grow(this.top + size);
    const off = this.top;
    this.top += size;
    return off;
  }

  /** Returns the block at `off` that was allocated for `n` entries. */
  release(off: number, n: number): void {
    const c = capacityClass(n);
    let list = this.freeLists[c];
    if (list === undefined) {
      while (this.freeLists.length <= c) this.freeLists.push([]);
      list = this.freeLists[c]!;
    }
    list.push(off);
  }

  contribution(k: number): bigint {
    const h = this.hi[k]!;
    const l = this.lo[k]!;
    return h === 0 ? l : (BigInt(h) << 64n) | l;
  }

  setContribution(k: number, c: bigint): void {
    if (c < TWO64) {
      this.lo[k] = c;
      this.hi[k] = 0;
    } else {
      const h = c >> 64n;
      if (h > 0xffffffffn) throw new Error("entry pool: contribution does not fit 96 bits");
      this.lo[k] = c & MASK64;
      this.hi[k] = Number(h);
    }
  }

  /** Slots handed out so far (used or on a free list). */
  get slotsInUse(): number {
    return this.top;
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    return this.cand.byteLength + this.share.byteLength + this.lo.byteLength + this.hi.byteLength;
  }

  private grow(min: number): void {
    let cap = this.cand.length;
    while (cap < min) cap *= 2;
    const cand = new Uint32Array(cap);
    cand.set(this.cand);
    const share = new BigUint64Array(cap);
    share.set(this.share);
    const lo = new BigUint64Array(cap);
    lo.set(this.lo);
    const hi = new Uint32Array(cap);
    hi.set(this.hi);
    this.cand = cand;
    this.share = share;
    this.lo = lo;
    this.hi = hi;
  }
}
