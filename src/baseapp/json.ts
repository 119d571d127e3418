/**
 * Tiny checked readers for genesis JSON. Each throws a GenesisError naming the JSON path and what
 * was expected, so a validator editing genesis.json by hand sees exactly what to fix.
 */
export class GenesisError extends Error {
  constructor(path: string, problem: string) {
    super(`genesis ${path}: ${problem}`);
    this.name = "GenesisError";
  }
}

export type JsonObject = { readonly [k: string]: unknown };

export function obj(v: unknown, path: string): JsonObject {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new GenesisError(path, "expected an object");
  return v as JsonObject;
}

export function arr(v: unknown, path: string): readonly unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new GenesisError(path, "expected an array");
  return v;
}

export function str(v: unknown, path: string): string {
  if (typeof v !== "string") throw new GenesisError(path, "expected a string");
  return v;
}

export function optStr(v: unknown, path: string, dflt: string): string {
  return v === undefined || v === null ? dflt : str(v, path);
}

/** An unsigned integer given as a decimal string (as the SDK's JSON does) or a safe integer number. */
export function uint(v: unknown, path: string): bigint {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === "string" && /^(0|[1-9][0-9]*)$/.test(v)) return BigInt(v);
  throw new GenesisError(path, `expected a non-negative integer (as a string), got ${JSON.stringify(v)}`);
}

export function optUint(v: unknown, path: string, dflt: bigint): bigint {
  return v === undefined || v === null ? dflt : uint(v, path);
}

export function bool(v: unknown, path: string, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== "boolean") throw new GenesisError(path, "expected true or false");
  return v;
}

/** Runs `read` and rethrows anything it throws as a GenesisError for `path`. */
export function at<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof GenesisError) throw e;
    throw new GenesisError(path, e instanceof Error ? e.message : String(e));
  }
}
