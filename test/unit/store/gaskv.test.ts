import { ErrOutOfGas } from "../../../src/baseapp/errors";
import { BasicGasMeter, type GasMeter, KV_GAS } from "../../../src/baseapp/gas";
import { GasKVStore } from "../../../src/baseapp/store/gaskv";
import { MemoryKV } from "../../../src/baseapp/store/memory";

class RecordingMeter implements GasMeter {
  readonly limit = 0n;
  readonly charges: [bigint, string][] = [];
  consumed(): bigint {
    return this.charges.reduce((a, [n]) => a + n, 0n);
  }
  consume(amount: bigint, descriptor: string): void {
    this.charges.push([amount, descriptor]);
  }
}

const u = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);

function setup(): { parent: MemoryKV; meter: RecordingMeter; store: GasKVStore } {
  const parent = new MemoryKV();
  parent.set(u(1, 1), u(9, 9, 9));
  parent.set(u(1, 2), u(8));
  parent.set(u(2), u());
  const meter = new RecordingMeter();
  return { parent, meter, store: new GasKVStore(parent, meter) };
}

describe("GasKVStore charges the Cosmos SDK KV schedule", () => {
  test("get: flat read + per byte of key and value (key only when missing)", () => {
    const { meter, store } = setup();
    expect(store.get(u(1, 1))).toEqual(u(9, 9, 9));
    expect(meter.consumed()).toBe(KV_GAS.readCostFlat + KV_GAS.readCostPerByte * 5n);
    const before = meter.consumed();
    expect(store.get(u(7, 7, 7, 7))).toBeUndefined();
    expect(meter.consumed() - before).toBe(KV_GAS.readCostFlat + KV_GAS.readCostPerByte * 4n);
  });

  test("has: flat", () => {
    const { meter, store } = setup();
    expect(store.has(u(1, 1))).toBe(true);
    expect(store.has(u(5))).toBe(false);
    expect(meter.consumed()).toBe(2n * KV_GAS.hasCost);
  });

  test("set: flat write + per byte of key and value; delete: flat", () => {
    const { parent, meter, store } = setup();
    store.set(u(3, 3), u(1, 2, 3, 4, 5));
    expect(meter.consumed()).toBe(KV_GAS.writeCostFlat + KV_GAS.writeCostPerByte * 7n);
    expect(parent.get(u(3, 3))).toEqual(u(1, 2, 3, 4, 5));
    const before = meter.consumed();
    store.delete(u(3, 3));
    expect(meter.consumed() - before).toBe(KV_GAS.deleteCost);
    expect(parent.has(u(3, 3))).toBe(false);
  });

  test("iteration: a flat charge per step (the final, empty step too) plus bytes read", () => {
    const { meter, store } = setup();
    const seen = [...store.iterate()];
    expect(seen.length).toBe(3);
    const bytes = 2n + 3n + (2n + 1n) + (1n + 0n);
    expect(meter.consumed()).toBe(4n * KV_GAS.iterNextCostFlat + KV_GAS.readCostPerByte * bytes);
  });

  test("iteration stopped early pays only for the steps taken", () => {
    const { meter, store } = setup();
    for (const [k] of store.iterate(undefined, undefined, true)) {
      expect(k).toEqual(u(2));
      break;
    }
    expect(meter.consumed()).toBe(KV_GAS.iterNextCostFlat + KV_GAS.readCostPerByte * 1n);
  });

  test("out of gas throws the meter's error before the write happens", () => {
    const parent = new MemoryKV();
    const meter = new BasicGasMeter(KV_GAS.writeCostFlat + 10n);
    const store = new GasKVStore(parent, meter);
    let err: unknown;
    try {
      store.set(u(1), u(2));
    } catch (e) {
      err = e;
    }
    expect(ErrOutOfGas.is(err)).toBe(true);
    expect(String((err as Error).message)).toMatch(/WritePerByte/);
    expect(parent.has(u(1))).toBe(false);
  });

  test("out of gas during iteration stops it with the meter's error", () => {
    const { parent } = setup();
    const meter = new BasicGasMeter(KV_GAS.iterNextCostFlat + 1n);
    const store = new GasKVStore(parent, meter);
    expect(() => [...store.iterate()]).toThrow(expect.objectContaining({ code: ErrOutOfGas.code, codespace: ErrOutOfGas.codespace }));
  });
});
