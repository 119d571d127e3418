/**
 * Pieces of the batched disclosure check (src/x/coord/keeper/check.ts): the cursor's byte layout
 * (fast-check round trip; malformed cursors refused), the candidate-selector list (deterministic,
 * each range once), and EndBlock with no running check: one seek of the 0x53 range, no other
 * store read (not even the params).
 */
import fc from "fast-check";
import { blockContext, type Context } from "../../../src/baseapp/context";
import { MemoryKV } from "../../../src/baseapp/store/memory";
import type { KVStore } from "../../../src/baseapp/store/types";
import { ComponentKind } from "../../../src/generated/coord/v1/types";
import { advanceChecks, type CheckCursor, checkRanges, decodeCursor, encodeCursor, initialCursor, MAX_MISSED_LISTED } from "../../../src/x/coord/keeper/check";
import { COORD_MODULE_TABLE, CoordKeeper } from "../../../src/x/coord/keeper/keeper";
import { KEY, keys } from "../../../src/x/coord/keys";

/** Counts every store access. */
class CountingKV implements KVStore {
  readonly calls: string[] = [];
  constructor(private readonly inner: KVStore = new MemoryKV()) {}
  get(key: Uint8Array): Uint8Array | undefined {
    this.calls.push("get");
    return this.inner.get(key);
  }
  has(key: Uint8Array): boolean {
    this.calls.push("has");
    return this.inner.has(key);
  }
  set(key: Uint8Array, value: Uint8Array): void {
    this.calls.push("set");
    this.inner.set(key, value);
  }
  delete(key: Uint8Array): void {
    this.calls.push("delete");
    this.inner.delete(key);
  }
  *iterate(start?: Uint8Array, end?: Uint8Array, reverse?: boolean): IterableIterator<[Uint8Array, Uint8Array]> {
    this.calls.push("iterate");
    for (const kv of this.inner.iterate(start, end, reverse)) {
      this.calls.push("next");
      yield kv;
    }
  }
}

function keeper(): CoordKeeper {
  return new CoordKeeper({
    auth: { declareModuleAccount: () => "" },
    bank: { getBalance: (_c: Context, _a: string, denom: string) => ({ denom, amount: 0n }), sendFromAccountToModule: () => undefined, sendFromModuleToAccount: () => undefined },
    dcert: { isActiveMember: () => false, activeMembers: () => [], disbandPending: () => false, isDisbanded: () => false },
    authority: "",
  });
}

const ctxOf = (store: KVStore): Context => blockContext(store, { chainId: "t", height: 5n, time: { seconds: 1_700_000_000n, nanos: 0 }, proposer: new Uint8Array() }, "finalize");

const bytes = (min: number, max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: min, maxLength: max });

describe("disclosure check cursor", () => {
  test("encode → decode is the identity", () => {
    const cursor: fc.Arbitrary<CheckCursor> = fc.record({
      phase: fc.constantFrom(1, 2),
      selector: fc.nat(0xffffffff),
      examined: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      last: bytes(0, 600),
      missed: fc.array(bytes(1, 255), { maxLength: MAX_MISSED_LISTED }),
    });
    fc.assert(fc.property(cursor, (c) => expect(decodeCursor(encodeCursor(c))).toEqual(c)));
  });

  test("a truncated or padded cursor is refused", () => {
    const good = encodeCursor({ ...initialCursor([Uint8Array.of(1, 2, 3)]), last: Uint8Array.of(9, 9) });
    expect(() => decodeCursor(good.subarray(0, good.length - 1))).toThrow(/malformed disclosure check cursor/);
    expect(() => decodeCursor(Uint8Array.of(...good, 0))).toThrow(/malformed disclosure check cursor/);
    expect(() => decodeCursor(good.subarray(0, 10))).toThrow(/malformed disclosure check cursor/);
  });

  test("the initial cursor keeps at most MAX_MISSED_LISTED missed parties", () => {
    const many = Array.from({ length: MAX_MISSED_LISTED + 5 }, (_, i) => Uint8Array.of(i));
    expect(initialCursor(many).missed).toHaveLength(MAX_MISSED_LISTED);
  });
});

describe("candidate-selector list", () => {
  test("deterministic, in component order, each range once", () => {
    const send = { kind: ComponentKind.COMPONENT_KIND_ROUTE, name: "/cosmos.bank.v1beta1.MsgSend", versions: "" };
    const multi = { kind: ComponentKind.COMPONENT_KIND_ROUTE, name: "/cosmos.bank.v1beta1.MsgMultiSend", versions: "" };
    const tag = { kind: ComponentKind.COMPONENT_KIND_TAG, name: "mempool/cpfp-carveout", versions: "" };
    const ranges = checkRanges([send, multi, tag], COORD_MODULE_TABLE);
    // MsgSend: /cosmos.bank.v1beta1.* and module bank; MsgMultiSend: the same two again (dropped); the tag
    expect(ranges.map((r) => Buffer.from(r.start).toString("hex"))).toEqual(
      [
        keys.depIndexSelector(ComponentKind.COMPONENT_KIND_ROUTE, "/cosmos.bank.v1beta1.*"),
        keys.depIndexSelector(ComponentKind.COMPONENT_KIND_MODULE, "bank"),
        keys.depIndexSelector(ComponentKind.COMPONENT_KIND_TAG, "mempool/cpfp-carveout"),
      ].map((k) => Buffer.from(k).toString("hex")),
    );
    expect(checkRanges([tag, send], COORD_MODULE_TABLE).map((r) => r.start[1])).toEqual([ComponentKind.COMPONENT_KIND_TAG, ComponentKind.COMPONENT_KIND_ROUTE, ComponentKind.COMPONENT_KIND_MODULE]);
  });
});

describe("EndBlock with no running disclosure check", () => {
  test("advanceChecks: one seek of the running index, no other read", () => {
    const store = new CountingKV();
    const k = keeper();
    expect(advanceChecks(ctxOf(store), k)).toBe(0);
    expect(store.calls).toEqual(["iterate"]);
  });

  test("the whole coord EndBlock: the two deadline queues and the running index, three seeks, nothing read", () => {
    const inner = new MemoryKV();
    const k = keeper();
    // Unrelated records around the running index (0x53: entries 0x52, mitigations 0x54, records 0x55) are not touched.
    const coord = k.kv(ctxOf(inner));
    coord.set(keys.record(1n), Uint8Array.of(1));
    coord.set(keys.checkEntry(1n, Uint8Array.of(7)), Uint8Array.of(1));
    coord.set(Uint8Array.of(KEY.checkRunning + 1, 0), Uint8Array.of(1));
    const store = new CountingKV(inner);
    expect(k.endBlock(ctxOf(store))).toBe(0);
    expect(store.calls).toEqual(["iterate", "iterate", "iterate"]);
  });
});
