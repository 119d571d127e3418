/**
 * Decoded transactions, kept between the ABCI calls that see the same bytes. A tx is decoded in
 * CheckTx, again at each recheck, in PrepareProposal, ProcessProposal and FinalizeBlock: about a
 * sixth of the app's time per tx under load went to decoding the same bytes five times
 * (docs/benchmarks.md). Decoding is a pure function of the bytes, so a hit returns exactly what
 * decoding again would.
 *
 * What a view holds is frozen (deeply, except the bytes of typed arrays), whether it came from
 * the cache or not: a handler that tried to change a decoded message would fail the same way on
 * every node, with or without a cached view, instead of leaking its change into the next use.
 * Each view decodes its own copy of the bytes, so it never aliases a caller's buffer. Bounded:
 * two generations of keys, the older dropped when the newer fills, and a few views per key.
 */
import { bytesEqual } from "../encoding";
import { decodeTx, type DecodedTx } from "./decode";
import type { DecodedMsg } from "../router";
import { deepFreeze, TwoGenerationCache } from "../perf";

export { deepFreeze };

/**
 * A decoded tx and, when they decode, its messages, and when they are found, its signers; else
 * the error each raised (thrown again where it is needed, so errors keep their order).
 */
export interface TxView {
  readonly tx: DecodedTx;
  readonly msgs?: readonly DecodedMsg[];
  readonly msgError?: unknown;
  readonly signers?: readonly string[];
  readonly signersError?: unknown;
}

/** Txs up to this many bytes are keyed by all their bytes. */
const FULL_KEY_MAX = 128;
/** Longer ones by their length, first HEAD and last TAIL bytes (the end is the signatures). */
const HEAD = 32;
const TAIL = 64;
/** Views kept under one key; more colliding txs are decoded each time, never cached. */
const BUCKET_MAX = 4;

/**
 * The cache key of `raw`. PERF: a key of all the bytes of a 1.1 KB vote tx cost about 3 µs per
 * lookup (hashing the key string), five lookups in a tx's life; this one costs a fraction. Keys of
 * different txs may collide; a hit is only taken after comparing all the bytes.
 */
function keyOf(raw: Uint8Array): string {
  const b = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = b.length;
  if (n <= FULL_KEY_MAX) return b.toString("latin1");
  return `${n}:${b.toString("latin1", 0, HEAD)}${b.toString("latin1", n - TAIL, n)}`;
}

export class TxViewCache {
  /** Views by key; each bucket holds the views of different txs with the same key (at most BUCKET_MAX). */
  private readonly cache: TwoGenerationCache<string, TxView[]>;
  /** Views served from the cache, and views decoded (for tests and benchmarks). */
  hits = 0;
  misses = 0;

  /**
   * @param decodeMsgs the messages of a decoded tx (may throw; the error is kept).
   * @param signersOf the signers of its messages (may throw; the error is kept).
   * @param isService objects that are not decoded data (message services) and are never frozen.
   */
  constructor(
    private readonly decodeMsgs: (tx: DecodedTx) => readonly DecodedMsg[],
    private readonly signersOf: (msgs: readonly DecodedMsg[]) => readonly string[],
    private readonly isService: (o: object) => boolean,
    capacity = 10_000,
  ) {
    this.cache = new TwoGenerationCache<string, TxView[]>(capacity);
  }

  /**
   * The view of `raw`; throws what decodeTx throws for bytes that are not a tx (never cached). A
   * cached view is returned only for exactly its bytes. Colliding keys beyond BUCKET_MAX (which
   * only crafted txs produce) are decoded every time: they cost their sender, never a result.
   */
  view(raw: Uint8Array): TxView {
    const key = keyOf(raw);
    const bucket = this.cache.get(key);
    if (bucket !== undefined) {
      for (const v of bucket) {
        if (bytesEqual(v.tx.raw, raw)) {
          this.hits++;
          return v;
        }
      }
    }
    this.misses++;
    const v = this.decode(Uint8Array.from(raw));
    if (bucket === undefined) this.cache.set(key, [v]);
    else if (bucket.length < BUCKET_MAX) bucket.push(v);
    return v;
  }

  /** A view decoded now and never cached (one-off bytes, e.g. simulations). */
  decode(raw: Uint8Array): TxView {
    const tx = decodeTx(raw);
    let view: TxView;
    let msgs: readonly DecodedMsg[];
    try {
      msgs = this.decodeMsgs(tx);
    } catch (e) {
      msgs = [];
      view = { tx, msgError: e };
    }
    view ??= this.withSigners(tx, msgs);
    deepFreeze(view, this.isService);
    return view;
  }

  private withSigners(tx: DecodedTx, msgs: readonly DecodedMsg[]): TxView {
    try {
      return { tx, msgs, signers: this.signersOf(msgs) };
    } catch (e) {
      return { tx, msgs, signersError: e };
    }
  }
}
