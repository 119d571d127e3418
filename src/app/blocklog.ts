/**
 * The per-block info line of the node: after Commit returns, the block's height, tx count, block
 * time, app hash and how long FinalizeBlock and Commit took, and where the app's time went since
 * the previous Commit (PrepareProposal, ProcessProposal, CheckTx and rechecks): the breakdown that
 * says why blocks stretch past the configured interval under load (docs/benchmarks.md). It wraps
 * the app the ABCI server calls and only observes: block execution never sees the clock it reads
 * (docs/logging.md).
 */
import { CheckTxType, type RequestCheckTx, type RequestFinalizeBlock, type ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import type { Log } from "../baseapp/log";
import type { OptimisticOutcome } from "./optimistic";

/** What the block line reports, in its JSON fields. */
export interface BlockLine {
  readonly height: bigint;
  readonly txs: number;
  /** RFC 3339 (UTC) from the header. */
  readonly time: string;
  /** Upper-case hex. */
  readonly appHash: string;
  /** FinalizeBlock's time plus, with optimistic execution, the speculative run's (src/app/optimistic.ts). */
  readonly finalizeMs: number;
  readonly commitMs: number;
  /** The block was executed ahead, from ProcessProposal, and that result answered FinalizeBlock. */
  readonly executedAhead?: boolean;
  /** The app's time between the previous Commit and this FinalizeBlock, by ABCI call. */
  readonly between?: BetweenBlocks;
}

/** The app's work between two blocks (ms and counts; proposals 0 when CometBFT asked none). */
export interface BetweenBlocks {
  readonly prepareMs: number;
  readonly processMs: number;
  readonly checkTxs: number;
  readonly checkMs: number;
  readonly rechecks: number;
  readonly recheckMs: number;
}

const NO_WORK: BetweenBlocks = { prepareMs: 0, processMs: 0, checkTxs: 0, checkMs: 0, rechecks: 0, recheckMs: 0 };

/** RFC 3339 of a header time (UTC; fractional seconds as given, trailing zeros trimmed). */
export function headerTime(t: RequestFinalizeBlock["time"]): string {
  if (t === undefined) return "unknown";
  const secs = BigInt(t.seconds);
  const base = new Date(Number(secs) * 1000).toISOString().slice(0, 19);
  const frac = t.nanos === 0 ? "" : `.${String(t.nanos).padStart(9, "0").replace(/0+$/, "")}`;
  return `${base}${frac}Z`;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/** Writes the line of `b` at info (module "block"). */
export function logBlock(log: Log, b: BlockLine): void {
  const total = round(b.finalizeMs + b.commitMs);
  const w = b.between ?? NO_WORK;
  const busy = w.prepareMs + w.processMs + w.checkMs + w.recheckMs > 0;
  const before = busy
    ? `; before it: prepare ${round(w.prepareMs)} ms, process ${round(w.processMs)} ms, ${w.checkTxs} CheckTx ${round(w.checkMs)} ms, ${w.rechecks} rechecks ${round(w.recheckMs)} ms`
    : "";
  log.info(
    `committed block ${b.height}: ${b.txs} tx${b.txs === 1 ? "" : "s"}, time ${b.time}, app hash ${b.appHash}, ${total} ms${b.executedAhead === true ? ", executed ahead" : ""} (finalize ${round(b.finalizeMs)}, commit ${round(b.commitMs)}${before})`,
    {
      height: b.height,
      txs: b.txs,
      block_time: b.time,
      app_hash: b.appHash,
      exec_ms: total,
      finalize_ms: round(b.finalizeMs),
      commit_ms: round(b.commitMs),
      ...(b.executedAhead === true ? { executed_ahead: true } : {}),
      ...(busy
        ? {
            prepare_ms: round(w.prepareMs),
            process_ms: round(w.processMs),
            check_txs: w.checkTxs,
            check_ms: round(w.checkMs),
            rechecks: w.rechecks,
            recheck_ms: round(w.recheckMs),
          }
        : {}),
    },
  );
}

type Maybe<T> = T | Promise<T>;

interface BlockApp {
  finalizeBlock(req: RequestFinalizeBlock): Maybe<ResponseFinalizeBlock>;
  commit(...args: never[]): unknown;
  /** Present with optimistic execution (src/app/optimistic.ts): what became of the block's speculative run. */
  takeOptimisticOutcome?(): OptimisticOutcome | undefined;
}

/** The calls timed between blocks, and the counter each one feeds. */
const TIMED: Record<string, (w: Mutable<BetweenBlocks>, ms: number, req: unknown) => void> = {
  prepareProposal: (w, ms) => (w.prepareMs += ms),
  processProposal: (w, ms) => (w.processMs += ms),
  checkTx: (w, ms, req) => {
    if ((req as RequestCheckTx | undefined)?.type === CheckTxType.RECHECK) {
      w.rechecks++;
      w.recheckMs += ms;
    } else {
      w.checkTxs++;
      w.checkMs += ms;
    }
  },
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * `app` with FinalizeBlock and Commit observed: each successful Commit that follows a
 * FinalizeBlock writes the block line. `now` is a monotonic clock in ms (tests pass their own).
 */
export function withBlockLog<T extends BlockApp>(app: T, log: Log, now: () => number = () => performance.now()): T {
  let pending: { height: bigint; txs: number; time: string; appHash: string; finalizeMs: number; executedAhead?: boolean; between: BetweenBlocks } | undefined;
  let work: Mutable<BetweenBlocks> = { ...NO_WORK };
  return new Proxy(app, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      const timed = typeof prop === "string" ? TIMED[prop] : undefined;
      if (timed !== undefined && typeof v === "function") {
        return (...args: unknown[]): unknown => {
          const start = now();
          const r: unknown = Reflect.apply(v, target, args);
          if (r instanceof Promise) return r.finally(() => timed(work, now() - start, args[0]));
          timed(work, now() - start, args[0]);
          return r;
        };
      }
      if (prop === "finalizeBlock" && typeof v === "function") {
        return (req: RequestFinalizeBlock): unknown => {
          pending = undefined;
          const start = now();
          const done = (res: ResponseFinalizeBlock): ResponseFinalizeBlock => {
            const ahead = target.takeOptimisticOutcome?.();
            const spent = ahead !== undefined && ahead.height === req.height ? ahead : undefined;
            pending = {
              height: req.height,
              txs: req.txs.length,
              time: headerTime(req.time),
              appHash: Buffer.from(res.appHash).toString("hex").toUpperCase(),
              finalizeMs: now() - start + (spent?.ms ?? 0),
              ...(spent?.used === true ? { executedAhead: true } : {}),
              between: work,
            };
            work = { ...NO_WORK };
            return res;
          };
          const r = Reflect.apply(v, target, [req]) as Maybe<ResponseFinalizeBlock>;
          return r instanceof Promise ? r.then(done) : done(r);
        };
      }
      if (prop === "commit" && typeof v === "function") {
        return (...args: unknown[]): unknown => {
          const block = pending;
          pending = undefined;
          const start = now();
          const done = (res: unknown): unknown => {
            if (block !== undefined) logBlock(log, { ...block, commitMs: now() - start });
            return res;
          };
          const r: unknown = Reflect.apply(v, target, args);
          return r instanceof Promise ? r.then(done) : done(r);
        };
      }
      return v;
    },
  });
}
