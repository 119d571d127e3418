/**
 * Compact storage for vote entries (candidate id, share, contribution) in typed arrays.
 *
 * Each voter owns one block of slots. Blocks have power-of-two sizes (1, 2, 4 … 1,024) so a
 * replaced vote of similar size reuses its block in place. Every size has its own arena
 * (`EntryBlocks`) in which the blocks in use are packed at the front: freeing a block moves the
 * arena's last block into the hole (its owner is told its new offset), so no free space is ever
 * left between blocks. An arena doubles when full, halves when three quarters are unused and is
 * dropped when empty. So the storage follows the live votes whatever their history: slots in use
 * are exactly Σ size-of-block ≤ 2× the entries, arena capacity < 4× the slots in use (plus a
 * 64-slot floor per arena in use), the same as an engine restored from the same votes holds.
 * (A single arena with free lists per size kept every block ever freed: voters whose votes went
 * through sizes 1 … 1,024 kept ~2,047 slots each for good.)
 *
 * Per slot: candidate id (u32), share (u64: share ≤ ONE = 1e18 < 2^60), contribution as a 64-bit
 * low word plus a 32-bit high word. A contribution is floor(power · share / ONE) ≤ power
 * < MAX_POWER_EXCLUSIVE = 2^96, so 96 bits always hold it exactly (checked at write time too).
 * That is 24 bytes per entry (+4 per block for its owner): 16M entries (1M voters × 16) take
 * 385 MB outside the JS heap.
 *
 * PERF: alloc is O(1) amortized; release is O(block size) (one block copied); growing or
 * shrinking an arena copies its blocks in use, O(1) amortized per slot allocated or freed.
 */

const TWO64 = 1n << 64n;

/**
 * Which 32-bit word of a 64-bit slot holds its low half: typed arrays use the platform's byte
 * order, so this is read from the platform once, and the words mean the same on every node.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
export const LO_WORD = LITTLE_ENDIAN ? 0 : 1;
export const HI_WORD = 1 - LO_WORD;

/**
 * Scratch for reading a bigint's low 64 bits (or, through `F64`, a double's bits) as 32-bit words
 * without allocating: write `U64[0] = x`, then read `U64_WORDS[LO_WORD]` and `U64_WORDS[HI_WORD]`
 * (single-threaded, so one is enough).
 */
export const U64 = new BigUint64Array(1);
export const U64_WORDS = new Uint32Array(U64.buffer);
/** The same 64 bits as a number: write `F64[0] = x` to read a double's bit pattern in `U64_WORDS`. */
export const F64 = new Float64Array(U64.buffer);
const MASK64 = TWO64 - 1n;

/** Smallest arena capacity in slots (arenas are allocated in whole blocks, so at least one). */
const MIN_ARENA_SLOTS = 64;

/** Returned by `release` when no block had to move. */
export const NO_OWNER = -1;

function sizeClass(n: number): number {
  let c = 0;
  while (1 << c < n) c++;
  return c;
}

/** The blocks of one size: blocks 0 … `used` − 1 are in use, block b starts at slot b · size. */
export class EntryBlocks {
  cand: Uint32Array;
  share: BigUint64Array;
  lo: BigUint64Array;
  /** `lo` as 32-bit words: word `2k + LO_WORD` is the low half of slot k, `2k + HI_WORD` the high. */
  lo32: Uint32Array;
  hi: Uint32Array;
  /** Per block: the caller's id of the block's holder (the engine's voter slot). */
  owner: Int32Array;
  /** Blocks in use. */
  used = 0;

  constructor(
    readonly size: number,
    slots: number,
  ) {
    const blocks = EntryBlocks.blocksFor(size, slots);
    this.cand = new Uint32Array(blocks * size);
    this.share = new BigUint64Array(blocks * size);
    this.lo = new BigUint64Array(blocks * size);
    this.lo32 = new Uint32Array(this.lo.buffer);
    this.hi = new Uint32Array(blocks * size);
    this.owner = new Int32Array(blocks);
  }

  /** Whole blocks holding at least `slots` slots and at least the arena floor. */
  static blocksFor(size: number, slots: number): number {
    return Math.max(1, Math.ceil(Math.max(slots, MIN_ARENA_SLOTS) / size));
  }

  /** Capacity in blocks. */
  get capacity(): number {
    return this.owner.length;
  }

  get bytes(): number {
    return this.cand.byteLength + this.share.byteLength + this.lo.byteLength + this.hi.byteLength + this.owner.byteLength;
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

  /** Reallocates to `blocks` blocks (≥ used), keeping the blocks in use. */
  resize(blocks: number): void {
    const size = this.size;
    const keep = this.used * size;
    const cand = new Uint32Array(blocks * size);
    cand.set(this.cand.subarray(0, keep));
    const share = new BigUint64Array(blocks * size);
    share.set(this.share.subarray(0, keep));
    const lo = new BigUint64Array(blocks * size);
    lo.set(this.lo.subarray(0, keep));
    const hi = new Uint32Array(blocks * size);
    hi.set(this.hi.subarray(0, keep));
    const owner = new Int32Array(blocks);
    owner.set(this.owner.subarray(0, this.used));
    this.cand = cand;
    this.share = share;
    this.lo = lo;
    this.lo32 = new Uint32Array(lo.buffer);
    this.hi = hi;
    this.owner = owner;
  }
}

export class EntryPool {
  private readonly arenas: (EntryBlocks | undefined)[] = [];

  /**
   * `initialSlots` pre-sizes the arena of votes with `initialEntries` entries (the expected
   * number of such votes times their block size); other arenas start small.
   */
  constructor(
    private readonly initialSlots = 0,
    private readonly initialEntries = 1,
  ) {}

  /** Slots in the block chosen for a vote of `n` entries. */
  static capacityFor(n: number): number {
    return 1 << sizeClass(n);
  }

  /** The arena holding blocks for votes of `n` ≥ 1 entries (created if needed). */
  blocksFor(n: number): EntryBlocks {
    const c = sizeClass(n);
    let a = this.arenas[c];
    if (a === undefined) {
      while (this.arenas.length <= c) this.arenas.push(undefined);
      const slots = c === sizeClass(this.initialEntries) ? this.initialSlots : 0;
      a = new EntryBlocks(1 << c, slots);
      this.arenas[c] = a;
    }
    return a;
  }

  /**
   * Allocates a block for `n` ≥ 1 entries held by `owner` (≥ 0); returns its first slot in
   * `blocksFor(n)`.
   */
  alloc(n: number, owner: number): number {
    const a = this.blocksFor(n);
    if (a.used === a.capacity) a.resize(a.capacity * 2);
    const b = a.used++;
    a.owner[b] = owner;
    return b * a.size;
  }

  /**
   * Frees the block at `off` that was allocated for `n` entries. If another block had to move
   * into its place, returns that block's owner (whose block now starts at `off`), else NO_OWNER.
   */
  release(off: number, n: number): number {
    const c = sizeClass(n);
    const a = this.arenas[c];
    const size = 1 << c;
    const b = off / size;
    if (a === undefined || !Number.isInteger(b) || b >= a.used) throw new Error(`entry pool: no block at ${off} of size ${size}`);
    const last = --a.used;
    let moved = NO_OWNER;
    if (b !== last) {
      const from = last * size;
      a.cand.copyWithin(off, from, from + size);
      a.share.copyWithin(off, from, from + size);
      a.lo.copyWithin(off, from, from + size);
      a.hi.copyWithin(off, from, from + size);
      moved = a.owner[last]!;
      a.owner[b] = moved;
    }
    if (a.used === 0) {
      this.arenas[c] = undefined;
    } else {
      let blocks = a.capacity;
      while (a.used * 4 <= blocks && EntryBlocks.blocksFor(size, 0) <= blocks >> 1) blocks >>= 1;
      if (blocks !== a.capacity) a.resize(blocks);
    }
    return moved;
  }

  /** Records that the block at `off` (allocated for `n` entries) is now held by `owner`. */
  setOwner(off: number, n: number, owner: number): void {
    const a = this.blocksFor(n);
    a.owner[off / a.size] = owner;
  }

  /** The holder of the block at `off` allocated for `n` entries, or NO_OWNER if it is not in use. */
  ownerOf(off: number, n: number): number {
    const a = this.arenas[sizeClass(n)];
    if (a === undefined) return NO_OWNER;
    const b = off / a.size;
    return Number.isInteger(b) && b >= 0 && b < a.used ? a.owner[b]! : NO_OWNER;
  }

  /** Slots in blocks in use. */
  get slotsInUse(): number {
    let s = 0;
    for (const a of this.arenas) if (a !== undefined) s += a.used * a.size;
    return s;
  }

  /** Blocks in use, over all sizes. */
  get blocksInUse(): number {
    let s = 0;
    for (const a of this.arenas) if (a !== undefined) s += a.used;
    return s;
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    let s = 0;
    for (const a of this.arenas) if (a !== undefined) s += a.bytes;
    return s;
  }
}
