/**
 * The optimistic-execution wrapper on its own (src/app/optimistic.ts): when a speculative result
 * may answer FinalizeBlock and when FinalizeBlock must run the block itself. The app here is a
 * recorder; test/integration/optimistic-execution.test.ts runs the real app.
 */
import fc from "fast-check";
import {
  RequestFinalizeBlock,
  ResponseProcessProposal_ProposalStatus,
  type RequestProcessProposal,
  type ResponseFinalizeBlock,
  type ResponseProcessProposal,
} from "cosmjs-types/tendermint/abci/types";
import { finalizeRequestOf, sameFinalizeRequest, withOptimisticExecution, type Defer } from "../../../src/app/optimistic";

const { ACCEPT, REJECT } = ResponseProcessProposal_ProposalStatus;

function proposal(height: bigint, txs: number[][], hashByte = 1): RequestProcessProposal {
  return {
    txs: txs.map((t) => Uint8Array.from(t)),
    proposedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: new Uint8Array(32).fill(hashByte),
    height,
    time: { seconds: 1_700_000_000n + height, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32).fill(7),
    proposerAddress: new Uint8Array(20).fill(9),
  };
}

/** A recording app: FinalizeBlock answers with the request's height and tx count in `appHash`. */
function recorder(opts: { status?: number; throwOnCall?: number } = {}) {
  const calls: RequestFinalizeBlock[] = [];
  const app = {
    processProposal: (_req: RequestProcessProposal): ResponseProcessProposal => ({ status: opts.status ?? ACCEPT }),
    finalizeBlock: (req: RequestFinalizeBlock): ResponseFinalizeBlock => {
      calls.push(req);
      if (opts.throwOnCall === calls.length) throw new Error("upgrade needed");
      return { events: [], txResults: [], validatorUpdates: [], appHash: Uint8Array.from([Number(req.height), req.txs.length, calls.length]) };
    },
    other: (x: number): number => x + 1,
    inits: 0,
    initChain(): void {
      this.inits++;
    },
  };
  return { app, calls };
}

/** A defer that runs nothing until `flush`. */
function manualDefer(): { defer: Defer; flush: () => void; pending: () => number } {
  let queue: (() => void)[] = [];
  return {
    defer: (fn) => {
      let live = true;
      queue.push(() => {
        if (live) fn();
      });
      return () => {
        live = false;
      };
    },
    flush: () => {
      const q = queue;
      queue = [];
      for (const f of q) f();
    },
    pending: () => queue.length,
  };
}

describe("optimistic execution wrapper", () => {
  test("an accepted proposal is executed after ProcessProposal, and its FinalizeBlock is answered with that result", () => {
    const { app, calls } = recorder();
    const d = manualDefer();
    const oe = withOptimisticExecution(app, { defer: d.defer });
    const p = proposal(5n, [[1], [2, 3]]);
    expect(oe.processProposal(p)).toEqual({ status: ACCEPT });
    expect(calls).toHaveLength(0); // not inside ProcessProposal
    d.flush();
    expect(calls).toHaveLength(1);
    const res = oe.finalizeBlock(finalizeRequestOf(p)) as ResponseFinalizeBlock;
    expect(Array.from(res.appHash)).toEqual([5, 2, 1]);
    expect(calls).toHaveLength(1); // not executed again
    expect(oe.takeOptimisticOutcome()).toEqual({ height: 5n, used: true, ms: expect.any(Number) as number });
    expect(oe.takeOptimisticOutcome()).toBeUndefined();
  });

  test("a FinalizeBlock of another block (or height) runs the app itself", () => {
    const { app, calls } = recorder();
    const d = manualDefer();
    const oe = withOptimisticExecution(app, { defer: d.defer });
    oe.processProposal(proposal(5n, [[1]]));
    d.flush();
    const other = finalizeRequestOf(proposal(5n, [[1], [4]], 2));
    const res = oe.finalizeBlock(other) as ResponseFinalizeBlock;
    expect(Array.from(res.appHash)).toEqual([5, 2, 2]);
    expect(calls[1]).toBe(other);
    expect(oe.takeOptimisticOutcome()?.used).toBe(false);
  });

  test("a run not started by FinalizeBlock is cancelled, and FinalizeBlock runs the block once", () => {
    const { app, calls } = recorder();
    const d = manualDefer();
    const oe = withOptimisticExecution(app, { defer: d.defer });
    const p = proposal(3n, [[1]]);
    oe.processProposal(p);
    oe.finalizeBlock(finalizeRequestOf(p));
    d.flush(); // the cancelled run does nothing
    expect(calls).toHaveLength(1);
    expect(oe.takeOptimisticOutcome()).toEqual({ height: 3n, used: false, ms: 0 });
  });

  test("a run that throws is kept to itself; FinalizeBlock runs the block again and meets the error there", () => {
    const { app, calls } = recorder({ throwOnCall: 1 });
    const d = manualDefer();
    const oe = withOptimisticExecution(app, { defer: d.defer });
    const p = proposal(8n, [[1]]);
    oe.processProposal(p);
    expect(() => d.flush()).not.toThrow();
    const res = oe.finalizeBlock(finalizeRequestOf(p)) as ResponseFinalizeBlock;
    expect(calls).toHaveLength(2);
    expect(Array.from(res.appHash)).toEqual([8, 1, 2]);
    expect(oe.takeOptimisticOutcome()?.used).toBe(false);

    // And an error of the real call still reaches the caller.
    const { app: failing } = recorder({ throwOnCall: 1 });
    const oe2 = withOptimisticExecution(failing, { defer: manualDefer().defer });
    expect(() => oe2.finalizeBlock(finalizeRequestOf(p))).toThrow("upgrade needed");
  });

  test("a rejected proposal is not executed; a newer proposal replaces the older one", () => {
    const rejected = recorder({ status: REJECT });
    const d = manualDefer();
    const oe = withOptimisticExecution(rejected.app, { defer: d.defer });
    oe.processProposal(proposal(4n, [[1]]));
    expect(d.pending()).toBe(0);

    const { app, calls } = recorder();
    const d2 = manualDefer();
    const oe2 = withOptimisticExecution(app, { defer: d2.defer });
    const round0 = proposal(4n, [[1]], 1);
    const round1 = proposal(4n, [[2]], 2);
    oe2.processProposal(round0);
    oe2.processProposal(round1);
    d2.flush();
    expect(calls).toEqual([finalizeRequestOf(round1)]);
    oe2.finalizeBlock(finalizeRequestOf(round1));
    expect(calls).toHaveLength(1);
    expect(oe2.takeOptimisticOutcome()?.used).toBe(true);
  });

  test("InitChain drops a run not started yet, and one already done (the state it started from is replaced)", () => {
    for (const flushFirst of [false, true]) {
      const { app, calls } = recorder();
      const d = manualDefer();
      const oe = withOptimisticExecution(app, { defer: d.defer });
      const p = proposal(1n, [[1]]);
      oe.processProposal(p);
      if (flushFirst) d.flush();
      oe.initChain();
      expect(app.inits).toBe(1);
      d.flush();
      oe.finalizeBlock(finalizeRequestOf(p));
      expect(calls).toHaveLength(flushFirst ? 2 : 1);
      expect(oe.takeOptimisticOutcome()?.used).toBe(false);
    }
  });

  test("every other method passes through, bound to the app", () => {
    const { app } = recorder();
    const oe = withOptimisticExecution(app, { defer: manualDefer().defer });
    expect(oe.other(41)).toBe(42);
  });
});

describe("sameFinalizeRequest", () => {
  const bytes = (max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: 0, maxLength: max });
  // Small domains, so that equal and nearly equal requests both come up often.
  const request: fc.Arbitrary<RequestFinalizeBlock> = fc.record({
    txs: fc.array(fc.uint8Array({ minLength: 0, maxLength: 2, max: 1 }), { maxLength: 2 }),
    decidedLastCommit: fc.record({
      round: fc.integer({ min: 0, max: 1 }),
      votes: fc.array(fc.record({ validator: fc.record({ address: fc.uint8Array({ maxLength: 1, max: 1 }), power: fc.bigInt({ min: 0n, max: 1n }) }), blockIdFlag: fc.integer({ min: 0, max: 2 }) }), { maxLength: 1 }),
    }),
    misbehavior: fc.array(
      fc.record({ type: fc.integer({ min: 0, max: 1 }), validator: fc.record({ address: bytes(1), power: fc.bigInt({ min: 0n, max: 1n }) }), height: fc.bigInt({ min: 0n, max: 1n }), time: fc.record({ seconds: fc.bigInt({ min: 0n, max: 1n }), nanos: fc.constant(0) }), totalVotingPower: fc.constant(0n) }),
      { maxLength: 1 },
    ),
    hash: fc.uint8Array({ maxLength: 1, max: 1 }),
    height: fc.bigInt({ min: 1n, max: 2n }),
    time: fc.record({ seconds: fc.bigInt({ min: 0n, max: 1n }), nanos: fc.integer({ min: 0, max: 1 }) }),
    nextValidatorsHash: fc.uint8Array({ maxLength: 1, max: 1 }),
    proposerAddress: fc.uint8Array({ maxLength: 1, max: 1 }),
  }) as unknown as fc.Arbitrary<RequestFinalizeBlock>;

  test("holds exactly when the two requests encode to the same bytes", () => {
    fc.assert(
      fc.property(request, request, (a, b) => {
        const same = Buffer.from(RequestFinalizeBlock.encode(a).finish()).equals(Buffer.from(RequestFinalizeBlock.encode(b).finish()));
        expect(sameFinalizeRequest(a, b)).toBe(same);
        expect(sameFinalizeRequest(a, a)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  test("a change in any one field makes them differ", () => {
    const base = finalizeRequestOf(proposal(5n, [[1, 2]]));
    const changes: Partial<RequestFinalizeBlock>[] = [
      { height: 6n },
      { hash: new Uint8Array(32).fill(2) },
      { time: { seconds: 1_700_000_005n, nanos: 1 } },
      { proposerAddress: new Uint8Array(20).fill(8) },
      { nextValidatorsHash: new Uint8Array(32) },
      { txs: [Uint8Array.from([1, 3])] },
      { txs: [Uint8Array.from([1, 2]), Uint8Array.from([])] },
      { decidedLastCommit: { round: 1, votes: [] } },
      { misbehavior: [{ type: 1, validator: { address: new Uint8Array(20), power: 1n }, height: 4n, time: { seconds: 1n, nanos: 0 }, totalVotingPower: 1n }] },
    ];
    for (const c of changes) expect(sameFinalizeRequest(base, { ...base, ...c })).toBe(false);
    // Equal contents in other objects are the same request.
    expect(sameFinalizeRequest(base, finalizeRequestOf(proposal(5n, [[1, 2]])))).toBe(true);
  });
});
