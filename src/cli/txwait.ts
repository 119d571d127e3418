/**
 * Waiting for a broadcast transaction to be committed (`dcertd tx …`), with progress: one line per
 * new block height seen ("waiting for tx <hash>: block N, 3 s") to a sink the caller gives only
 * when stderr is a terminal or --verbose (never stdout, so -o json stays clean). On timeout the
 * error says the chain may be stalled and how to check. The poller and the clock are injectable.
 */
import type { DeliverTxResponse, IndexedTx } from "@cosmjs/stargate";
import { CliError } from "./cmdtree";

/** What the wait needs from a client (CosmJS's StargateClient has both). */
export interface TxPoller {
  getTx(hash: string): Promise<IndexedTx | null>;
  getHeight(): Promise<number>;
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Receives the progress lines; undefined prints nothing. */
  readonly progress?: (line: string) => void;
}

export const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The timeout error: what happened, then what to do. */
export function notCommittedError(hash: string, waitedS: number, lastHeight: number | undefined, heightMoved: boolean): CliError {
  const where =
    lastHeight === undefined ? "" : heightMoved ? ` (the chain reached block ${lastHeight})` : ` (no new block after ${lastHeight}: the chain may be stalled)`;
  return new CliError(
    `transaction ${hash} was broadcast but not committed within ${waitedS} s${where}`,
    `check the node with "dcertd status" (it says "consensus stalled" when no block comes); the transaction may still be committed: "dcertd q tx ${hash}"`,
  );
}

/**
 * Polls `poller` every `intervalMs` until transaction `hash` is in a block, and returns it as
 * CosmJS's `signAndBroadcast` would; the first progress line (the current height) comes at once.
 * Throws `notCommittedError` after `timeoutMs`.
 */
export async function waitForCommit(poller: TxPoller, hash: string, opts: WaitOptions): Promise<DeliverTxResponse> {
  const start = opts.now();
  let first: number | undefined;
  let last: number | undefined;
  for (;;) {
    const elapsedMs = opts.now() - start;
    const height = await poller.getHeight().catch(() => undefined);
    if (height !== undefined && height !== last) {
      first ??= height;
      last = height;
      opts.progress?.(`waiting for tx ${hash}: block ${height}, ${Math.floor(elapsedMs / 1000)} s`);
    }
    if (elapsedMs >= opts.timeoutMs) throw notCommittedError(hash, Math.floor(elapsedMs / 1000), last, first !== undefined && last !== first);
    await opts.sleep(opts.intervalMs);
    const found = await poller.getTx(hash);
    if (found !== null) {
      return {
        code: found.code,
        height: found.height,
        txIndex: found.txIndex,
        events: found.events,
        rawLog: found.rawLog,
        transactionHash: hash,
        msgResponses: found.msgResponses,
        gasUsed: found.gasUsed,
        gasWanted: found.gasWanted,
      };
    }
  }
}
