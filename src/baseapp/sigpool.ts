/**
 * Signature verification on worker threads, for CheckTx (issue: queries and CheckTx off the
 * consensus path). One Node thread runs block execution, CheckTx and queries; native secp256k1
 * verification was about 40% of a CheckTx. The ABCI server hands the app each batch of incoming
 * CheckTx before running them (AbciApplication.prefetchCheckTxs); the app finds the signatures
 * they will need and this pool verifies them on other cores. Verified triples go into the
 * SignatureCache, so the CheckTx that follows finds them there instead of verifying.
 *
 * The pool only ever adds cache entries for signatures that verify. Its checks are those of
 * verifySecp256k1 (tx/verify.ts), repeated in the worker source below (it runs from a string, so
 * it works the same from compiled JavaScript and under Jest): 64-byte compact signature, 33-byte
 * compressed key, low S, libsecp256k1 over SHA-256 of the sign bytes. A test compares the two on
 * valid, tampered and malformed inputs. A worker that is slow, fails or exits costs nothing but
 * speed: the main thread then verifies on the cache miss, as it did before.
 *
 * Priority: each worker lowers its own thread's scheduling priority by `nice` steps from the
 * process's nice value, at most to 19 (Linux, where the nice value is per thread: the worker
 * finds its thread id through /proc/thread-self; the steps of threads.ts's `lowerThreadPriority`,
 * repeated in the source string because this worker cannot load compiled modules). When both
 * cores are busy, the thread that executes blocks and CometBFT's consensus then run before the
 * checks of txs that can only enter a later block. Under the peer load, six alternating pairs of
 * runs gave blocks every 570–596 ms at nice 5 and 10 against 592–625 ms at 0 (docs/benchmarks.md,
 * round 14). Lowering a priority needs no privilege; where it cannot be set the workers run at the
 * process's priority and `priority()` says why.
 *
 * Wire format, one transferred ArrayBuffer per request: per item u32be length of the sign bytes,
 * the sign bytes, 64 signature bytes, 33 key bytes. Reply: one byte per item, 1 = verified. A
 * worker's first message says what became of its priority: `{ nice }` or `{ niceError }`.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

import { isNiceSteps, type WorkerPriority } from "./threads";

export interface SignatureItem {
  readonly signature: Uint8Array;
  /** The sign bytes (not hashed). */
  readonly message: Uint8Array;
  readonly pubkey: Uint8Array;
  /**
   * For SIGN_MODE_DIRECT: the decoded tx and signer whose sign bytes `message` is, so a verified
   * item is also remembered for that tx (`SignatureCache.verifiedFor`).
   */
  readonly origin?: SignatureOrigin;
}

/** Which decoded tx's signer an item is, with the values that made its DIRECT sign bytes. */
export interface SignatureOrigin {
  readonly tx: object;
  readonly index: number;
  readonly accountNumber: bigint;
  readonly chainId: string;
}

const WORKER_SOURCE = `"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { ecdsaVerify } = require(workerData.bindings);
if (workerData.nice > 0) {
  try {
    const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid) || tid <= 0) throw new Error("no thread id in /proc/thread-self");
    const os = require("node:os");
    // Relative to the thread's nice value now (the process's), so a node started under nice keeps its order.
    const nice = Math.min(19, os.getPriority(tid) + workerData.nice);
    os.setPriority(tid, nice);
    parentPort.postMessage({ nice });
  } catch (e) {
    parentPort.postMessage({ niceError: e instanceof Error ? e.message : String(e) });
  }
} else {
  parentPort.postMessage({ nice: require("node:os").getPriority() });
}
const HALF = Buffer.from("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", "hex");
function lowS(sig) {
  for (let i = 0; i < 32; i++) {
    const s = sig[32 + i], h = HALF[i];
    if (s !== h) return s < h;
  }
  return true;
}
parentPort.on("message", ({ id, count, buf }) => {
  const data = new Uint8Array(buf);
  const view = new DataView(buf);
  const out = new Uint8Array(count);
  let off = 0;
  for (let i = 0; i < count; i++) {
    const n = view.getUint32(off);
    off += 4;
    const msg = data.subarray(off, off + n);
    off += n;
    const sig = data.subarray(off, off + 64);
    off += 64;
    const pk = data.subarray(off, off + 33);
    off += 33;
    if ((pk[0] !== 2 && pk[0] !== 3) || !lowS(sig)) continue;
    try {
      out[i] = ecdsaVerify(sig, createHash("sha256").update(msg).digest(), pk) ? 1 : 0;
    } catch {
      out[i] = 0;
    }
  }
  parentPort.postMessage({ id, out }, [out.buffer]);
});
`;

/** How many nice steps below the process the signature workers run by default (0 = the same priority). */
export const DEFAULT_SIGNATURE_WORKER_NICE = 5;

export type { WorkerPriority };

/** Worker threads by default: the cores left after the main thread, at least one, at most four. */
export function defaultSignatureWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

interface Pending {
  readonly resolve: (ok: Uint8Array) => void;
  readonly reject: (e: Error) => void;
}

export class SignatureVerifierPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private next = 0;
  private closed = false;
  /** Items verified by workers (for tests, logs and benchmarks). */
  verified = 0;
  private readonly priorities: Promise<WorkerPriority>[] = [];

  /**
   * @param size worker threads
   * @param nice nice steps (0 to 19) each worker adds to its own thread's nice value, at most to 19; 0 leaves it as is
   */
  constructor(size: number = defaultSignatureWorkers(), nice: number = DEFAULT_SIGNATURE_WORKER_NICE) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`signature workers: ${size} is not a positive whole number`);
    if (!isNiceSteps(nice)) throw new Error(`signature workers: nice ${nice} is not a whole number from 0 to 19`);
    const bindings = require.resolve("secp256k1/bindings");
    for (let i = 0; i < size; i++) {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { bindings, nice } });
      let settle: (p: WorkerPriority) => void = () => undefined;
      this.priorities.push(new Promise<WorkerPriority>((resolve) => (settle = resolve)));
      w.on("message", (m: { id: number; out: Uint8Array } | WorkerPriority) => {
        if (!("id" in m)) {
          settle(m);
          return;
        }
        const p = this.pending.get(m.id);
        if (p === undefined) return;
        this.pending.delete(m.id);
        p.resolve(m.out);
      });
      w.on("error", (e) => {
        settle({ niceError: `the worker failed: ${e.message}` });
        this.failAll(e);
      });
      w.on("exit", () => {
        settle({ niceError: "the worker exited" });
        this.failAll(new Error("a signature worker exited"));
      });
      // The pool never keeps a process alive on its own.
      w.unref();
      this.workers.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Each worker's nice value once it has started, or why it could not be set (for the start-up log and tests). */
  priority(): Promise<WorkerPriority[]> {
    return Promise.all(this.priorities);
  }

  /**
   * Verifies `items` on the workers (split evenly, in order); resolves to one flag per item. Items
   * whose signature is not 64 bytes or key not 33 bytes are false without being sent. Rejects if
   * the pool is closed or a worker fails.
   */
  async verify(items: readonly SignatureItem[]): Promise<boolean[]> {
    if (this.closed) throw new Error("the signature worker pool is closed");
    const sendable: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (it.signature.length === 64 && it.pubkey.length === 33) sendable.push(i);
    }
    const result: boolean[] = items.map(() => false);
    const parts = Math.min(this.workers.length, sendable.length);
    const per = Math.ceil(sendable.length / Math.max(parts, 1));
    const replies: Promise<void>[] = [];
    for (let p = 0; p < parts; p++) {
      const idx = sendable.slice(p * per, (p + 1) * per);
      if (idx.length === 0) continue;
      replies.push(
        this.send(idx.map((i) => items[i]!)).then((out) => {
          for (let k = 0; k < idx.length; k++) result[idx[k]!] = out[k] === 1;
        }),
      );
    }
    await Promise.all(replies);
    for (const ok of result) if (ok) this.verified++;
    return result;
  }

  private send(items: readonly SignatureItem[]): Promise<Uint8Array> {
    let bytes = 0;
    for (const it of items) bytes += 4 + it.message.length + 64 + 33;
    const buf = new ArrayBuffer(bytes);
    const data = new Uint8Array(buf);
    const view = new DataView(buf);
    let off = 0;
    for (const it of items) {
      view.setUint32(off, it.message.length);
      off += 4;
      data.set(it.message, off);
      off += it.message.length;
      data.set(it.signature, off);
      off += 64;
      data.set(it.pubkey, off);
      off += 33;
    }
    const id = this.nextId++;
    const worker = this.workers[this.next++ % this.workers.length]!;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, count: items.length, buf }, [buf]);
    });
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** Stops the workers; pending verifications reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new Error("the signature worker pool is closed"));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
