import { type GasMeter, KV_GAS } from "../gas";
import type { KVStore } from "./types";

/** Gas descriptors, as the Cosmos SDK names them (they appear in out-of-gas messages). */
export const GAS_DESC = {
  has: "HasFlat",
  delete: "DeleteFlat",
  readFlat: "ReadFlat",
  readPerByte: "ReadPerByte",
  writeFlat: "WriteFlat",
  writePerByte: "WritePerByte",
  iterNextFlat: "IterNextFlat",
  valuePerByte: "ValuePerByte",
} as const;

/**
 * Charges the Cosmos SDK KV gas schedule (KV_GAS) to a meter for every access, then forwards to
 * the parent. Gas is charged before the access it pays for, so an out-of-gas error (thrown by the
 * meter) leaves the store untouched by that operation.
 *
 * - get: readCostFlat, then readCostPerByte × (key length + value length; 0 for a missing value)
 * - has: hasCost
 * - set: writeCostFlat + writeCostPerByte × (key length + value length)
 * - delete: deleteCost
 * - iterate: every step of the underlying iterator costs iterNextCostFlat (including the final
 *   step that finds no more entries, like the SDK's seek), plus readCostPerByte × (key length +
 *   value length) for each entry it yields. Entries never pulled cost nothing.
 */
export class GasKVStore implements KVStore {
  constructor(
    readonly parent: KVStore,
    readonly meter: GasMeter,
  ) {}

  get(key: Uint8Array): Uint8Array | undefined {
    this.meter.consume(KV_GAS.readCostFlat, GAS_DESC.readFlat);
    const value = this.parent.get(key);
    const bytes = key.length + (value === undefined ? 0 : value.length);
    this.meter.consume(KV_GAS.readCostPerByte * BigInt(bytes), GAS_DESC.readPerByte);
    return value;
  }

  has(key: Uint8Array): boolean {
    this.meter.consume(KV_GAS.hasCost, GAS_DESC.has);
    return this.parent.has(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.meter.consume(KV_GAS.writeCostFlat, GAS_DESC.writeFlat);
    this.meter.consume(KV_GAS.writeCostPerByte * BigInt(key.length + value.length), GAS_DESC.writePerByte);
    this.parent.set(key, value);
  }

  delete(key: Uint8Array): void {
    this.meter.consume(KV_GAS.deleteCost, GAS_DESC.delete);
    this.parent.delete(key);
  }

  *iterate(start?: Uint8Array, end?: Uint8Array, reverse = false): IterableIterator<[Uint8Array, Uint8Array]> {
    const it = this.parent.iterate(start, end, reverse);
    try {
      while (true) {
        this.meter.consume(KV_GAS.iterNextCostFlat, GAS_DESC.iterNextFlat);
        const r = it.next();
        if (r.done === true) return;
        const [k, v] = r.value;
        this.meter.consume(KV_GAS.readCostPerByte * BigInt(k.length + v.length), GAS_DESC.valuePerByte);
        yield r.value;
      }
    } finally {
      it.return?.();
    }
  }
}
