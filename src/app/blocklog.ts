/**
 * The per-block info line of the node: after Commit returns, the block's height, tx count, block
 * time, app hash and how long FinalizeBlock and Commit took. It wraps the app the ABCI server calls
 * and only observes: block execution never sees the clock it reads (docs/logging.md).
 */
import type { RequestFinalizeBlock, ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import type { Log } from "../baseapp/log";

/** What the block line reports, in its JSON fields. */
export interface BlockLine {
  readonly height: bigint;
  readonly txs: number;
  /** RFC 3339 (UTC) from the header. */
  readonly time: string;
  /** Upper-case hex. */
  readonly appHash: string;
  readonly finalizeMs: number;
  readonly commitMs: number;
}

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
  log.info(
    `committed block ${b.height}: ${b.txs} tx${b.txs === 1 ? "" : "s"}, time ${b.time}, app hash ${b.appHash}, ${total} ms (finalize ${round(b.finalizeMs)}, commit ${round(b.commitMs)})`,
    {
      height: b.height,
      txs: b.txs,
      block_time: b.time,
      app_hash: b.appHash,
      exec_ms: total,
      finalize_ms: round(b.finalizeMs),
      commit_ms: round(b.commitMs),
    },
  );
}

type Maybe<T> = T | Promise<T>;

interface BlockApp {
  finalizeBlock(req: RequestFinalizeBlock): Maybe<ResponseFinalizeBlock>;
  commit(...args: never[]): unknown;
}

/**
 * `app` with FinalizeBlock and Commit observed: each successful Commit that follows a
 * FinalizeBlock writes the block line. `now` is a monotonic clock in ms (tests pass their own).
 */
export function withBlockLog<T extends BlockApp>(app: T, log: Log, now: () => number = () => performance.now()): T {
  let pending: { height: bigint; txs: number; time: string; appHash: string; finalizeMs: number } | undefined;
  return new Proxy(app, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (prop === "finalizeBlock" && typeof v === "function") {
        return (req: RequestFinalizeBlock): unknown => {
          pending = undefined;
          const start = now();
          const done = (res: ResponseFinalizeBlock): ResponseFinalizeBlock => {
            pending = {
              height: req.height,
              txs: req.txs.length,
              time: headerTime(req.time),
              appHash: Buffer.from(res.appHash).toString("hex").toUpperCase(),
              finalizeMs: now() - start,
            };
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
