/**
 * The engine's address → id index: an open-addressing hash table (linear probing) over typed
 * arrays, in place of a `Map<string, number>`.
 *
 * Why not `Map`: at 1M voters a `Map` lookup of an address (a new string decoded from a message,
 * equal to but not the same object as the key) costs about 0.8 µs, and a block of 1,000 16-entry
 * votes makes 17,000 of them (one per voter and one per entry). This table keeps each slot's hash
 * and value side by side in one typed array and its key in another, and compares strings only on
 * a full hash match; in the election benchmark it took 1–2 ms off such a block at 1M voters
 * (docs/benchmarks.md, round 8).
 *
 * Deterministic and bounded under attack, without a random seed:
 * - The hash is fixed (FNV-1a-style, over the length and the last code units, then a finalizer
 *   that spreads the bits into the low ones the mask keeps), so every node lays the table out the
 *   same way. Nothing the engine decides or reports depends on the layout anyway: lookups return the
 *   value stored for the key, and the engine sorts whatever it exports from an iteration.
 * - Anyone can compute the hash, so anyone can pick addresses (a vote may name any address) that
 *   land on the same slots. A key is therefore stored in the table only within `maxProbe` slots
 *   of its home slot; a key that finds no free slot there goes to an overflow `Map`. A lookup
 *   reads at most `maxProbe` slots and then, only if the overflow is not empty, the `Map`: crafted
 *   collisions cost at most that, never a walk along a long cluster.
 *
 * Invariants: every key in the table sits within `maxProbe` slots of its home slot, and every slot
 * between the home slot and the key is occupied (so a lookup may stop at the first empty slot).
 * Deletion shifts the following keys of the run back instead of leaving tombstones, which moves
 * each key only closer to its home and so keeps both invariants. Load stays ≤ 1/2 (the table
 * doubles) and ≥ 1/8 once above the minimum capacity (it halves).
 *
 * PERF: get, set and delete are O(maxProbe) plus one `Map` operation when the overflow is in use;
 * delete also shifts the rest of its run (O(1) expected at load ≤ 1/2); growing or shrinking
 * rehashes every key (O(1) amortized per insert or delete).
 */

/** Slots a key may sit past its home slot before it goes to the overflow map. */
export const DEFAULT_MAX_PROBE = 32;

const MIN_CAPACITY = 16;

/** The value word of a free slot (values are ≥ 0). */
const EMPTY = -1;

/** Code units at the end of a key that the hash reads. */
const HASHED_TAIL = 16;

/**
 * FNV-1a-style (32-bit) over the length and the last 16 UTF-16 code units, taken two at a time as
 * one 32-bit word per multiply, then a bit-mixing finalizer.
 * PERF: an address's last 16 characters are its 6-character bech32 checksum and 10 characters of
 * data, as good as random, and reading only them saved about 0.3 ms per block of 1,000 votes;
 * two code units per multiply halve the chain of dependent multiplies (a 10,000-candidate lookup
 * 46 → 36 ns). Keys that share their tail collide, which the probe limit and the overflow make
 * harmless.
 */
export function addressHash(s: string): number {
  const n = s.length;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  let i = n > HASHED_TAIL ? n - HASHED_TAIL : 0;
  // Two code units (16 bits each) per multiply: half the chain of dependent multiplies.
  for (; i + 1 < n; i += 2) h = Math.imul(h ^ (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)), 0x01000193);
  if (i < n) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export interface StringIndexOptions {
  /** See DEFAULT_MAX_PROBE; a small value makes tests reach the overflow. */
  readonly maxProbe?: number;
}

/** A map from strings to integers in [0, 2^31). */
export class StringIndex {
  private keys: (string | undefined)[] = [];
  /**
   * Per slot, two words: the key's hash, then its value or EMPTY. PERF: one array, so a probe
   * reads one cache line before it needs the key (at 1M voters every array read is a miss).
   */
  private slots = new Int32Array(0);
  private mask = 0;
  private inTable = 0;
  private readonly overflow = new Map<string, number>();
  private readonly maxProbe: number;

  constructor(options: StringIndexOptions = {}) {
    this.maxProbe = Math.max(1, options.maxProbe ?? DEFAULT_MAX_PROBE);
    this.allocate(MIN_CAPACITY);
  }

  get size(): number {
    return this.inTable + this.overflow.size;
  }

  /** Keys kept in the overflow map (for tests and stats). */
  get overflowSize(): number {
    return this.overflow.size;
  }

  get(key: string): number | undefined {
    const h = addressHash(key);
    const slots = this.slots;
    const mask = this.mask;
    let p = h & mask;
    for (let i = 0; i < this.maxProbe; i++) {
      const v = slots[2 * p + 1]!;
      if (v === EMPTY) break;
      if (slots[2 * p] === h && this.keys[p] === key) return v;
      p = (p + 1) & mask;
    }
    return this.overflow.size === 0 ? undefined : this.overflow.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: number): void {
    if (!(value >= 0 && value <= 0x7fffffff && Number.isInteger(value))) throw new RangeError(`string index: value ${value} out of range`);
    const h = addressHash(key);
    const mask = this.mask;
    let p = h & mask;
    let free = -1;
    for (let i = 0; i < this.maxProbe; i++) {
      if (this.slots[2 * p + 1] === EMPTY) {
        free = p;
        break;
      }
      if (this.slots[2 * p] === h && this.keys[p] === key) {
        this.slots[2 * p + 1] = value;
        return;
      }
      p = (p + 1) & mask;
    }
    if (this.overflow.size > 0 && this.overflow.has(key)) {
      this.overflow.set(key, value);
      return;
    }
    if ((this.size + 1) * 2 > this.keys.length) {
      // Grow first (the key is new), then place it in the larger table.
      this.rehash(this.keys.length * 2);
      this.set(key, value);
      return;
    }
    if (free === -1) this.overflow.set(key, value);
    else this.place(free, key, h, value);
  }

  delete(key: string): boolean {
    const h = addressHash(key);
    const mask = this.mask;
    let p = h & mask;
    for (let i = 0; i < this.maxProbe; i++) {
      if (this.slots[2 * p + 1] === EMPTY) break;
      if (this.slots[2 * p] === h && this.keys[p] === key) {
        this.removeAt(p);
        this.maybeShrink();
        return true;
      }
      p = (p + 1) & mask;
    }
    if (this.overflow.delete(key)) {
      this.maybeShrink();
      return true;
    }
    return false;
  }

  /**
   * Calls `f` for every key. The order is the table's layout and carries no meaning: callers must
   * sort, or do something whose result does not depend on the order.
   */
  forEach(f: (key: string, value: number) => void): void {
    const keys = this.keys;
    for (let p = 0; p < keys.length; p++) {
      const k = keys[p];
      if (k !== undefined) f(k, this.slots[2 * p + 1]!);
    }
    for (const [k, v] of this.overflow) f(k, v);
  }

  /** Every key (unordered, see forEach). */
  keyList(): string[] {
    const out: string[] = [];
    this.forEach((k) => out.push(k));
    return out;
  }

  /** Every key with its value (unordered, see forEach). */
  entryList(): [string, number][] {
    const out: [string, number][] = [];
    this.forEach((k, v) => out.push([k, v]));
    return out;
  }

  /** Checks the invariants; null when they hold (tests and `checkInvariants`). */
  check(): string | null {
    let n = 0;
    const mask = this.mask;
    for (let p = 0; p < this.keys.length; p++) {
      const k = this.keys[p];
      if (k === undefined) continue;
      n++;
      const h = addressHash(k);
      if (this.slots[2 * p] !== h) return `slot ${p}: stored hash does not match its key`;
      if (this.slots[2 * p + 1] === EMPTY) return `slot ${p}: a key without a value`;
      const distance = (p - (h & mask)) & mask;
      if (distance >= this.maxProbe) return `slot ${p}: key ${distance} slots from home`;
      for (let q = h & mask; q !== p; q = (q + 1) & mask) if (this.keys[q] === undefined) return `slot ${p}: empty slot ${q} before it`;
      if (this.overflow.has(k)) return `key ${k} both in the table and in the overflow`;
    }
    if (n !== this.inTable) return `${n} keys in the table, ${this.inTable} counted`;
    if (this.size * 2 > this.keys.length) return `load above 1/2 (${this.size} keys, ${this.keys.length} slots)`;
    return null;
  }

  private allocate(capacity: number): void {
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
    this.slots = new Int32Array(2 * capacity).fill(EMPTY);
    this.mask = capacity - 1;
    this.inTable = 0;
  }

  private place(p: number, key: string, h: number, value: number): void {
    this.keys[p] = key;
    this.slots[2 * p] = h;
    this.slots[2 * p + 1] = value;
    this.inTable++;
  }

  /** Empties slot `p` and shifts the rest of its run back (no tombstones). */
  private removeAt(p: number): void {
    const keys = this.keys;
    const slots = this.slots;
    const mask = this.mask;
    let hole = p;
    for (let q = (p + 1) & mask; slots[2 * q + 1] !== EMPTY; q = (q + 1) & mask) {
      const home = slots[2 * q]! & mask;
      // The key at q may fill the hole if the hole lies between its home and q (cyclically).
      if (((q - home) & mask) >= ((q - hole) & mask)) {
        keys[hole] = keys[q];
        slots[2 * hole] = slots[2 * q]!;
        slots[2 * hole + 1] = slots[2 * q + 1]!;
        hole = q;
      }
    }
    keys[hole] = undefined;
    slots[2 * hole + 1] = EMPTY;
    this.inTable--;
  }

  private maybeShrink(): void {
    const capacity = this.keys.length;
    if (capacity > MIN_CAPACITY && this.size * 8 < capacity) this.rehash(capacity / 2);
  }

  /** Re-lays every key (table and overflow) into a table of `capacity` slots. */
  private rehash(capacity: number): void {
    const oldKeys = this.keys;
    const oldSlots = this.slots;
    const spilled = [...this.overflow];
    this.overflow.clear();
    this.allocate(capacity);
    for (let p = 0; p < oldKeys.length; p++) {
      const k = oldKeys[p];
      if (k !== undefined) this.insertNew(k, oldSlots[2 * p + 1]!);
    }
    for (const [k, v] of spilled) this.insertNew(k, v);
  }

  /** Inserts a key known to be absent, without growing. */
  private insertNew(key: string, value: number): void {
    const h = addressHash(key);
    const mask = this.mask;
    let p = h & mask;
    for (let i = 0; i < this.maxProbe; i++) {
      if (this.slots[2 * p + 1] === EMPTY) {
        this.place(p, key, h, value);
        return;
      }
      p = (p + 1) & mask;
    }
    this.overflow.set(key, value);
  }
}
