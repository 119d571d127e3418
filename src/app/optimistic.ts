/**
 * Optimistic execution (ABCI 2.0): the app starts executing a proposal as soon as it has accepted
 * it in ProcessProposal, and answers the FinalizeBlock of the same block with that result.
 *
 * Why: between ProcessProposal and FinalizeBlock CometBFT prevotes, precommits and saves the
 * block (signing, WAL and block-store writes) on its own threads while the app's thread idles.
 * Executing the block in that window overlaps the two, so FinalizeBlock is answered sooner and
 * the block interval under load shrinks by up to that window (docs/benchmarks.md, round 9).
 *
 * Why it is safe (docs/consensus-safety.md): every FinalizeBlock already starts from a fresh branch
 * of committed state and drops an uncommitted execution, and the derived in-memory indexes rebuild
 * when they do not follow the committed height. So a speculative execution is an uncommitted
 * execution like any other:
 * - its result is used only for a FinalizeBlock whose request equals, field by field and byte by
 *   byte, the one built from the accepted proposal (`sameFinalizeRequest`); anything else — another
 *   block of the height, a block that arrives without ProcessProposal (block sync, replay), a
 *   speculative run that threw or has not run yet — executes FinalizeBlock as without this wrapper,
 *   which discards the speculative state;
 * - the speculative run calls the app's own `finalizeBlock` with that request: the same code and
 *   inputs as the FinalizeBlock it stands for, so the same result;
 * - an error of the speculative run is kept to itself: nothing halts or answers on it. The
 *   FinalizeBlock then runs the block again and meets the error where it is handled (the node's
 *   upgrade and store-corruption halts wrap this wrapper, so they only ever see real calls).
 *
 * The run starts after ProcessProposal's answer has gone out (`defer`; in the node setImmediate,
 * so CometBFT can prevote while the app executes), and never inside another ABCI call.
 */
import {
  CommitInfo,
  Misbehavior,
  ResponseProcessProposal_ProposalStatus,
  type RequestFinalizeBlock,
  type RequestProcessProposal,
  type ResponseFinalizeBlock,
  type ResponseProcessProposal,
} from "cosmjs-types/tendermint/abci/types";
import type { Log } from "../baseapp/log";
import { errorFields } from "../baseapp/log";
import { bytesEqual } from "../baseapp/encoding";

type Maybe<T> = T | Promise<T>;

/** The two calls the wrapper needs; every other method of the app passes through. */
export interface ProposalApp {
  processProposal(req: RequestProcessProposal): Maybe<ResponseProcessProposal>;
  finalizeBlock(req: RequestFinalizeBlock): Maybe<ResponseFinalizeBlock>;
}

/** Runs `fn` once the current ABCI answers have gone out; returns how to cancel it. */
export type Defer = (fn: () => void) => () => void;

export const deferToNextTurn: Defer = (fn) => {
  const handle = setImmediate(fn);
  return () => clearImmediate(handle);
};

export interface OptimisticOptions {
  /** Where the speculative run is scheduled (default: the next turn of the event loop). */
  readonly defer?: Defer;
  /** A monotonic clock in ms, for the run's duration only (never seen by block execution). */
  readonly now?: () => number;
  /** Debug lines: a run that was not used, or that threw. */
  readonly log?: Log;
}

/** What became of the speculative run of the last finalized height (for the block line and tests). */
export interface OptimisticOutcome {
  readonly height: bigint;
  /** The result answered FinalizeBlock (false: FinalizeBlock executed the block itself). */
  readonly used: boolean;
  /** Wall-clock ms the speculative run took (0 when it never ran). */
  readonly ms: number;
}

/** The app with optimistic execution; `takeOptimisticOutcome` reports the last FinalizeBlock's run once. */
export type Optimistic<T> = T & { takeOptimisticOutcome(): OptimisticOutcome | undefined };

interface Speculation {
  readonly req: RequestFinalizeBlock;
  state: "scheduled" | "done" | "failed";
  res: ResponseFinalizeBlock | undefined;
  ms: number;
  cancel: () => void;
}

/** The FinalizeBlock request a node sends for an accepted proposal. */
export function finalizeRequestOf(p: RequestProcessProposal): RequestFinalizeBlock {
  return {
    txs: p.txs,
    decidedLastCommit: p.proposedLastCommit,
    misbehavior: p.misbehavior,
    hash: p.hash,
    height: p.height,
    time: p.time,
    nextValidatorsHash: p.nextValidatorsHash,
    proposerAddress: p.proposerAddress,
  };
}

const NONE = new Uint8Array();

/** Byte equality, an absent field counting as empty (as its encoding does). */
function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return bytesEqual(a ?? NONE, b ?? NONE);
}

/**
 * Whether two FinalizeBlock requests are the same block with the same inputs: every field, the
 * txs byte by byte, the last commit and the misbehavior by their protobuf encoding.
 */
export function sameFinalizeRequest(a: RequestFinalizeBlock, b: RequestFinalizeBlock): boolean {
  if (a.height !== b.height || !sameBytes(a.hash, b.hash)) return false;
  if (a.time?.seconds !== b.time?.seconds || a.time?.nanos !== b.time?.nanos) return false;
  if (!sameBytes(a.proposerAddress, b.proposerAddress) || !sameBytes(a.nextValidatorsHash, b.nextValidatorsHash)) return false;
  if (a.txs.length !== b.txs.length || a.misbehavior.length !== b.misbehavior.length) return false;
  for (let i = 0; i < a.txs.length; i++) if (!sameBytes(a.txs[i], b.txs[i])) return false;
  const commit = (c: CommitInfo | undefined): Uint8Array => CommitInfo.encode(c ?? { round: 0, votes: [] }).finish();
  if (!sameBytes(commit(a.decidedLastCommit), commit(b.decidedLastCommit))) return false;
  for (let i = 0; i < a.misbehavior.length; i++) {
    if (!sameBytes(Misbehavior.encode(a.misbehavior[i]!).finish(), Misbehavior.encode(b.misbehavior[i]!).finish())) return false;
  }
  return true;
}

/**
 * `app` with optimistic execution. Place it directly around the app, inside every wrapper that
 * acts on errors (they must see only real calls).
 */
export function withOptimisticExecution<T extends ProposalApp>(app: T, opts: OptimisticOptions = {}): Optimistic<T> {
  const defer = opts.defer ?? deferToNextTurn;
  const now = opts.now ?? (() => performance.now());
  const log = opts.log;
  let spec: Speculation | undefined;
  let outcome: OptimisticOutcome | undefined;

  const run = (s: Speculation): void => {
    const start = now();
    try {
      const res = app.finalizeBlock(s.req);
      if (res instanceof Promise) {
        // Only a synchronous app is executed ahead; an asynchronous answer is not waited for.
        res.catch(() => undefined);
        s.state = "failed";
      } else {
        s.res = res;
        s.state = "done";
      }
    } catch (e) {
      s.state = "failed";
      log?.debug(`optimistic execution of block ${s.req.height} failed; FinalizeBlock will run it again: ${e instanceof Error ? e.message : String(e)}`, {
        height: s.req.height,
        ...errorFields(e),
      });
    }
    s.ms = now() - start;
  };

  /** Drops the run under way (a newer proposal, InitChain, FinalizeBlock); returns it. */
  const forget = (): Speculation | undefined => {
    const s = spec;
    if (s !== undefined && s.state === "scheduled") s.cancel();
    spec = undefined;
    return s;
  };

  const processProposal = (req: RequestProcessProposal): Maybe<ResponseProcessProposal> => {
    const r = app.processProposal(req);
    forget();
    if (r instanceof Promise || r.status !== ResponseProcessProposal_ProposalStatus.ACCEPT) return r;
    const s: Speculation = { req: finalizeRequestOf(req), state: "scheduled", res: undefined, ms: 0, cancel: () => undefined };
    s.cancel = defer(() => {
      if (spec === s && s.state === "scheduled") run(s);
    });
    spec = s;
    return r;
  };

  const finalizeBlock = (req: RequestFinalizeBlock): Maybe<ResponseFinalizeBlock> => {
    const s = forget();
    if (s !== undefined && s.state === "done" && s.res !== undefined && sameFinalizeRequest(s.req, req)) {
      outcome = { height: req.height, used: true, ms: s.ms };
      return s.res;
    }
    // (A run that threw said so when it did.)
    if (s !== undefined && s.state === "done") {
      log?.debug(`optimistic execution of block ${s.req.height} not used: FinalizeBlock brought ${s.req.height === req.height ? "another block" : `height ${req.height}`}`, {
        height: req.height,
      });
    }
    outcome = { height: req.height, used: false, ms: s?.ms ?? 0 };
    return app.finalizeBlock(req);
  };

  const takeOptimisticOutcome = (): OptimisticOutcome | undefined => {
    const o = outcome;
    outcome = undefined;
    return o;
  };

  return new Proxy(app, {
    get(target, prop, receiver) {
      // InitChain replaces the state a run started from (before block 1 is committed).
      if (prop === "initChain") {
        const v: unknown = Reflect.get(target, prop, receiver);
        if (typeof v !== "function") return v;
        return (...args: unknown[]): unknown => {
          forget();
          return Reflect.apply(v, target, args);
        };
      }
      if (prop === "processProposal") return processProposal;
      if (prop === "finalizeBlock") return finalizeBlock;
      if (prop === "takeOptimisticOutcome") return takeOptimisticOutcome;
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? (...args: unknown[]): unknown => Reflect.apply(v, target, args) : v;
    },
  }) as Optimistic<T>;
}
