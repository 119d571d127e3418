import { ErrOutOfGas } from "./errors";

/** A deterministic gas meter. Consumption past the limit throws ErrOutOfGas (sdk code 11). */
export interface GasMeter {
  readonly limit: bigint;
  consumed(): bigint;
  consume(amount: bigint, descriptor: string): void;
  refund?(amount: bigint): void;
}

export class BasicGasMeter implements GasMeter {
  private used = 0n;
  constructor(readonly limit: bigint) {}
  consumed(): bigint {
    return this.used;
  }
  consume(amount: bigint, descriptor: string): void {
    this.used += amount;
    if (this.used > this.limit) {
      throw ErrOutOfGas.wrap(`out of gas in location: ${descriptor}; gasWanted: ${this.limit}, gasUsed: ${this.used}`);
    }
  }
}

/** Counts gas with no limit (genesis, begin/end block, queries). */
export class InfiniteGasMeter implements GasMeter {
  private used = 0n;
  readonly limit = 0n;
  consumed(): bigint {
    return this.used;
  }
  consume(amount: bigint): void {
    this.used += amount;
  }
}

/** Gas schedule of the Cosmos SDK's KV store (storetypes.KVGasConfig), charged per access and per byte. */
export const KV_GAS = {
  hasCost: 1000n,
  deleteCost: 1000n,
  readCostFlat: 1000n,
  readCostPerByte: 3n,
  writeCostFlat: 2000n,
  writeCostPerByte: 30n,
  iterNextCostFlat: 30n,
} as const;

/** Auth params defaults relevant to gas: cost per tx byte and per secp256k1 verification. */
export const TX_GAS = {
  txSizeCostPerByte: 10n,
  sigVerifyCostSecp256k1: 1000n,
} as const;
