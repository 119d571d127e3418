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
 * Per slot, side by side in one buffer: share (u64: share ≤ ONE = 1e18 < 2^60), contribution as
 * a 64-bit low word plus a 32-bit high word, candidate id (u32). A contribution is
 * floor(power · share / ONE) ≤ power < MAX_POWER_EXCLUSIVE = 2^96, so 96 bits always hold it
 * exactly (checked at write time too).
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

/** 32-bit words per slot: share (2), contribution's low 64 bits (2), its high 32 bits, candidate id. */
const SLOT_WORDS = 6;
/** Word offsets in a slot; the two 64-bit fields are 8-byte aligned (a slot is 24 bytes). */
const SHARE = 0;
const CONTRIBUTION = 2;
const CONTRIBUTION_TOP = 4;
const CANDIDATE = 5;

/**
 * The blocks of one size: blocks 0 … `used` − 1 are in use, block b starts at slot b · size.
 * PERF: a slot's fields sit together in one buffer (24 bytes; a 16-entry block is 384 contiguous
 * bytes), so replacing a vote reads and writes one run of memory instead of one in each of four
 * arrays (docs/benchmarks.md, round 13).
 */
export class EntryBlocks {
  /** The slots as 32-bit words, SLOT_WORDS per slot. */
  private words: Uint32Array;
  /** The same buffer as 64-bit words: slot k's share at 3k, its contribution's low 64 bits at 3k + 1. */
  private wide: BigUint64Array;
  /** Per block: the caller's id of the block's holder (the engine's voter slot). */
  owner: Int32Array;
  /** Blocks in use. */
  used = 0;

  constructor(
    readonly size: number,
    slots: number,
  ) {
    const blocks = EntryBlocks.blocksFor(size, slots);
    this.words = new Uint32Array(blocks * size * SLOT_WORDS);
    this.wide = new BigUint64Array(this.words.buffer);
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
    return this.words.byteLength + this.owner.byteLength;
  }

  candidate(k: number): number {
    return this.words[k * SLOT_WORDS + CANDIDATE]!;
  }

  setCandidate(k: number, id: number): void {
    this.words[k * SLOT_WORDS + CANDIDATE] = id;
  }

  share(k: number): bigint {
    return this.wide[3 * k]!;
  }

  /** Stores slot `k`'s share (0 ≤ share < 2^64). */
  setShare(k: number, share: bigint): void {
    this.wide[3 * k] = share;
  }

  /** Stores slot `k`'s share from its 32-bit words (hi·2^32 + lo). */
  setShareWords(k: number, hi: number, lo: number): void {
    const w = k * SLOT_WORDS + SHARE;
    this.words[w + HI_WORD] = hi;
    this.words[w + LO_WORD] = lo;
  }

  /** Bits 0–31 of slot `k`'s contribution. */
  contributionWord0(k: number): number {
    return this.words[k * SLOT_WORDS + CONTRIBUTION + LO_WORD]!;
  }

  /** Bits 32–63 of slot `k`'s contribution. */
  contributionWord1(k: number): number {
    return this.words[k * SLOT_WORDS + CONTRIBUTION + HI_WORD]!;
  }

  /** Bits 64–95 of slot `k`'s contribution. */
  contributionWord2(k: number): number {
    return this.words[k * SLOT_WORDS + CONTRIBUTION_TOP]!;
  }

  contribution(k: number): bigint {
    const h = this.contributionWord2(k);
    const l = this.wide[3 * k + 1]!;
    return h === 0 ? l : (BigInt(h) << 64n) | l;
  }

  setContribution(k: number, c: bigint): void {
    if (c < TWO64) {
      this.wide[3 * k + 1] = c;
      this.words[k * SLOT_WORDS + CONTRIBUTION_TOP] = 0;
    } else {
      const h = c >> 64n;
      if (h > 0xffffffffn) throw new Error("entry pool: contribution does not fit 96 bits");
      this.wide[3 * k + 1] = c & MASK64;
      this.words[k * SLOT_WORDS + CONTRIBUTION_TOP] = Number(h);
    }
  }

  /**
   * `setContribution` of an integer 0 ≤ c < 2^53 held as a double: its words are taken with
   * double arithmetic (exact there), no bigint read.
   */
  setContributionExact(k: number, c: number): void {
    const w = k * SLOT_WORDS;
    const low = c >>> 0;
    this.words[w + CONTRIBUTION + LO_WORD] = low;
    this.words[w + CONTRIBUTION + HI_WORD] = (c - low) / 4_294_967_296;
    this.words[w + CONTRIBUTION_TOP] = 0;
  }

  /** Copies `count` slots from slot `from` to slot `to` (the block moved into a freed hole). */
  moveSlots(to: number, from: number, count: number): void {
    this.words.copyWithin(to * SLOT_WORDS, from * SLOT_WORDS, (from + count) * SLOT_WORDS);
  }

  /** Reallocates to `blocks` blocks (≥ used), keeping the blocks in use. */
  resize(blocks: number): void {
    const words = new Uint32Array(blocks * this.size * SLOT_WORDS);
    words.set(this.words.subarray(0, this.used * this.size * SLOT_WORDS));
    const owner = new Int32Array(blocks);
    owner.set(this.owner.subarray(0, this.used));
    this.words = words;
    this.wide = new BigUint64Array(words.buffer);
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
      a.moveSlots(off, from, size);
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
