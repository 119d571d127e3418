import type { KVStore } from "./types";

/**
 * The smallest key greater than every key that starts with `prefix`, or undefined when there is
 * none (the prefix is empty or all 0xff bytes): drop trailing 0xff bytes, then increment the last
 * remaining byte. Use it as an exclusive iteration end for "all keys under prefix".
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  let n = prefix.length;
  while (n > 0 && prefix[n - 1] === 0xff) n--;
  if (n === 0) return undefined;
  const end = prefix.slice(0, n);
  end[n - 1] = (end[n - 1] as number) + 1;
  return end;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * A view of the keys of `parent` that start with `prefix`, with the prefix stripped (the Cosmos
 * SDK's prefix.Store). Every access is forwarded to the parent with the prefix prepended;
 * iteration stays within the prefix and returns keys without it (as views, not copies).
 */
export class PrefixStore implements KVStore {
  private readonly prefix: Uint8Array;
  private readonly end: Uint8Array | undefined;

  constructor(
    readonly parent: KVStore,
    prefix: Uint8Array,
  ) {
    this.prefix = prefix.slice();
    this.end = prefixEnd(this.prefix);
  }

  private full(key: Uint8Array): Uint8Array {
    return concat(this.prefix, key);
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.parent.get(this.full(key));
  }

  has(key: Uint8Array): boolean {
    return this.parent.has(this.full(key));
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.parent.set(this.full(key), value);
  }

  delete(key: Uint8Array): void {
    this.parent.delete(this.full(key));
  }

  *iterate(start?: Uint8Array, end?: Uint8Array, reverse = false): IterableIterator<[Uint8Array, Uint8Array]> {
    const s = start === undefined ? this.prefix : this.full(start);
    const e = end === undefined ? this.end : this.full(end);
    const n = this.prefix.length;
    for (const [k, v] of this.parent.iterate(s.length === 0 ? undefined : s, e, reverse)) {
      yield [k.subarray(n), v];
    }
  }
}
