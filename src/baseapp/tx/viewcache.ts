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
 * two generations, the older dropped when the newer fills.
 */
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

export class TxViewCache {
  private readonly cache: TwoGenerationCache<string, TxView>;
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
    this.cache = new TwoGenerationCache<string, TxView>(capacity);
  }

  /** The view of `raw`; throws what decodeTx throws for bytes that are not a tx (never cached). */
  view(raw: Uint8Array): TxView {
    const key = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("latin1");
    let v = this.cache.get(key);
    if (v !== undefined) {
      this.hits++;
      return v;
    }
    this.misses++;
    v = this.decode(Uint8Array.from(raw));
    this.cache.set(key, v);
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
