/**
 * Per voter slot, in one typed array: where the voter's entry block starts, how many entries it
 * has, and the voting power it was counted with (below 2^96, in three 32-bit words).
 *
 * PERF: three JS arrays (offsets, lengths, powers as bigints) cost a vote three cache misses at 1M
 * voters, and a million long-lived bigints that every full collection marks. Here a voter's five
 * words are adjacent, and the power is written from its bigint without allocating.
 */
import { HI_WORD, LO_WORD, U64, U64_WORDS } from "./entry-pool";

const STRIDE = 5;
const OFF = 0;
const LEN = 1;
/** Power bits 0–31, 32–63 and 64–95. */
const P0 = 2;
const P1 = 3;
const P2 = 4;

const MIN_SLOTS = 16;
const TWO64 = 1n << 64n;
const TWO96 = 1n << 96n;
const TWO32 = 2 ** 32;
const TWO21 = 2 ** 21;

export class VoterSlots {
  private w = new Uint32Array(MIN_SLOTS * STRIDE);
  private n = 0;

  /** Slots in use (0 … count − 1). */
  get count(): number {
    return this.n;
  }

  /** Adds a slot (offset 0, no entries, power 0) and returns it. */
  push(): number {
    if ((this.n + 1) * STRIDE > this.w.length) this.resize(2 * (this.w.length / STRIDE));
    const v = this.n++;
    this.w.fill(0, v * STRIDE, (v + 1) * STRIDE);
    return v;
  }

  /** Removes the last slot. */
  pop(): void {
    this.n--;
    const slots = this.w.length / STRIDE;
    if (slots > MIN_SLOTS && this.n * 4 < slots) this.resize(slots / 2);
  }

  /** Copies slot `from` into slot `to`. */
  copy(from: number, to: number): void {
    this.w.copyWithin(to * STRIDE, from * STRIDE, (from + 1) * STRIDE);
  }

  off(v: number): number {
    return this.w[v * STRIDE + OFF]!;
  }

  setOff(v: number, off: number): void {
    this.w[v * STRIDE + OFF] = off;
  }

  len(v: number): number {
    return this.w[v * STRIDE + LEN]!;
  }

  setLen(v: number, n: number): void {
    this.w[v * STRIDE + LEN] = n;
  }

  /** Stores a power in [0, 2^96) (the engine checks the range first). */
  setPower(v: number, power: bigint): void {
    const i = v * STRIDE;
    U64[0] = power;
    this.w[i + P0] = U64_WORDS[LO_WORD]!;
    this.w[i + P1] = U64_WORDS[HI_WORD]!;
    this.w[i + P2] = power < TWO64 ? 0 : Number(power >> 64n);
  }

  power(v: number): bigint {
    const i = v * STRIDE;
    const p0 = this.w[i + P0]!;
    const p1 = this.w[i + P1]!;
    const p2 = this.w[i + P2]!;
    // Below 2^53 one exact double does; above, the words are joined as bigints.
    if (p2 === 0 && p1 < TWO21) return BigInt(p1 * TWO32 + p0);
    return (BigInt(p2) << 64n) | (BigInt(p1) << 32n) | BigInt(p0);
  }

  /** Whether slot `v` holds `power` (which may be any bigint). */
  powerEquals(v: number, power: bigint): boolean {
    if (power < 0n || power >= TWO96) return false;
    const i = v * STRIDE;
    U64[0] = power;
    return (
      this.w[i + P0] === U64_WORDS[LO_WORD] &&
      this.w[i + P1] === U64_WORDS[HI_WORD] &&
      this.w[i + P2] === (power < TWO64 ? 0 : Number(power >> 64n))
    );
  }

  private resize(slots: number): void {
    const next = new Uint32Array(Math.max(MIN_SLOTS, slots) * STRIDE);
    next.set(this.w.subarray(0, this.n * STRIDE));
    this.w = next;
  }
}
