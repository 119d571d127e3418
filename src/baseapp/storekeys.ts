/**
 * Store key declarations: the one place a store prefix and its sub-prefixes come into being.
 *
 * Every module (and the app's own "_app/" keys) declares its store once, with `declareStore`, at
 * module load. The registry refuses a second store of the same name and a store whose prefix is a
 * byte-prefix of another store's prefix (or equal to it), so no two stores can ever read or write
 * each other's keys. Within a store, the declared sub-prefixes must be distinct and none may be a
 * byte-prefix of another. The layouts themselves are pinned by test/unit/store/key-layout.test.ts.
 */

/**
 * A module's slice of the state. By default the prefix is the store name plus "/"; names may not
 * contain "/", so default prefixes never overlap (and the registry checks every prefix anyway).
 */
export interface StoreKey {
  readonly name: string;
  readonly prefix: Uint8Array;
}

/** A store's sub-prefixes by name: a number is one byte (0..255), a string its UTF-8 bytes. */
export type SubPrefixes = Readonly<Record<string, number | string>>;

/** A declared store: its key and its sub-prefixes (the same object that was declared). */
export interface StoreLayout<P extends SubPrefixes> {
  readonly store: StoreKey;
  readonly prefixes: P;
}

const NAME = /^[a-z][a-z0-9_]*$/;

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

/** Whether `a` is a byte-prefix of `b` or `b` of `a` (equal included). */
function overlaps(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function subPrefixBytes(store: string, name: string, p: number | string): Uint8Array {
  if (typeof p === "number") {
    if (!Number.isInteger(p) || p < 0 || p > 0xff) throw new Error(`store ${store}: sub-prefix ${name} = ${p} is not a byte`);
    return Uint8Array.of(p);
  }
  if (p.length === 0) throw new Error(`store ${store}: sub-prefix ${name} is empty`);
  return new TextEncoder().encode(p);
}

/** The stores declared in one app. Tests make their own; the app uses `STORE_KEYS`. */
export class StoreKeyRegistry {
  private readonly byName = new Map<string, StoreKey>();

  /**
   * Declares a store named `name` with `prefix` (default `name + "/"`). Throws on an invalid or
   * already declared name, and on a prefix that overlaps a declared store's prefix.
   */
  storeKey(name: string, prefix?: Uint8Array): StoreKey {
    if (!NAME.test(name)) throw new Error(`invalid store key name ${JSON.stringify(name)}`);
    if (this.byName.has(name)) throw new Error(`store key ${JSON.stringify(name)} is declared twice`);
    const bytes = prefix === undefined ? new TextEncoder().encode(`${name}/`) : prefix.slice();
    if (bytes.length === 0) throw new Error(`store ${name}: empty prefix`);
    for (const other of this.byName.values()) {
      if (overlaps(bytes, other.prefix)) {
        throw new Error(`store ${name}: prefix ${hex(bytes)} overlaps prefix ${hex(other.prefix)} of store ${other.name}`);
      }
    }
    const key: StoreKey = { name, prefix: bytes };
    this.byName.set(name, key);
    return key;
  }

  /**
   * Declares a store and its sub-prefixes (see `storeKey` for the store; the sub-prefixes must be
   * bytes or non-empty strings, and none may equal or be a byte-prefix of another).
   */
  declareStore<const P extends SubPrefixes>(name: string, prefixes: P, opts: { readonly prefix?: Uint8Array } = {}): StoreLayout<P> {
    const seen: [string, Uint8Array][] = [];
    for (const [sub, p] of Object.entries(prefixes)) {
      const bytes = subPrefixBytes(name, sub, p);
      for (const [otherName, other] of seen) {
        if (overlaps(bytes, other)) throw new Error(`store ${name}: sub-prefix ${sub} (${hex(bytes)}) overlaps ${otherName} (${hex(other)})`);
      }
      seen.push([sub, bytes]);
    }
    return { store: this.storeKey(name, opts.prefix), prefixes };
  }

  /** Every declared store, in declaration order. */
  all(): StoreKey[] {
    return [...this.byName.values()];
  }
}

/** The app's stores: every module declares its store here, once, when it is loaded. */
export const STORE_KEYS = new StoreKeyRegistry();

export function storeKey(name: string, prefix?: Uint8Array): StoreKey {
  return STORE_KEYS.storeKey(name, prefix);
}

export function declareStore<const P extends SubPrefixes>(name: string, prefixes: P, opts: { readonly prefix?: Uint8Array } = {}): StoreLayout<P> {
  return STORE_KEYS.declareStore(name, prefixes, opts);
}
