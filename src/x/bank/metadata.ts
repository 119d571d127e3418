/**
 * Denom metadata (`cosmos.bank.v1beta1.Metadata`): how a wallet or explorer names and scales a
 * denom. Genesis JSON in the SDK's shape, read and written here, and the SDK's validation rules
 * (`Metadata.Validate`, `DenomUnit.Validate`) with the same messages.
 */
import type { DenomUnit, Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { validateDenom } from "../../baseapp/coins";
import { arr, GenesisError, obj, optStr, str } from "../../baseapp/json";

/** Largest exponent a denom unit can carry (the proto field is a uint32). */
const MAX_EXPONENT = 0xffff_ffff;

function denomError(what: string, denom: string): string | undefined {
  try {
    validateDenom(denom);
    return undefined;
  } catch {
    return `${what}: invalid denom: ${denom}`;
  }
}

/**
 * The SDK's `Metadata.Validate`: name and symbol not blank; base and display valid denoms; the
 * first unit is the base with exponent 0; exponents strictly increase; no unit twice; a unit for
 * the display denom; each unit a valid denom with distinct, non-blank aliases. Returns the first
 * problem, or undefined when the metadata is valid.
 */
export function metadataProblem(m: Metadata): string | undefined {
  if (m.name.trim() === "") return "name field cannot be blank";
  if (m.symbol.trim() === "") return "symbol field cannot be blank";
  const base = denomError("invalid metadata base denom", m.base);
  if (base !== undefined) return base;
  const display = denomError("invalid metadata display denom", m.display);
  if (display !== undefined) return display;
  let hasDisplay = false;
  let current = 0;
  const seen = new Set<string>();
  for (const [i, unit] of m.denomUnits.entries()) {
    if (i === 0) {
      if (unit.denom !== m.base) return `metadata's first denomination unit must be the one with base denom '${m.base}'`;
      if (unit.exponent !== 0) return `the exponent for base denomination unit ${m.base} must be 0`;
    } else if (current >= unit.exponent) {
      return "denom units should be sorted asc by exponent";
    }
    current = unit.exponent;
    if (seen.has(unit.denom)) return `duplicate denomination unit ${unit.denom}`;
    if (unit.denom === m.display) hasDisplay = true;
    const bad = denomError("invalid denom unit", unit.denom);
    if (bad !== undefined) return bad;
    const aliases = new Set<string>();
    for (const alias of unit.aliases) {
      if (aliases.has(alias)) return `duplicate denomination unit alias ${alias}`;
      if (alias.trim() === "") return `alias for denom unit ${unit.denom} cannot be blank`;
      aliases.add(alias);
    }
    seen.add(unit.denom);
  }
  if (!hasDisplay) return `metadata must contain a denomination unit with display denom '${m.display}'`;
  return undefined;
}

function exponent(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === "string" && /^(0|[1-9][0-9]{0,9})$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_EXPONENT) {
    throw new GenesisError(path, `expected an exponent from 0 to ${MAX_EXPONENT}, got ${JSON.stringify(v)}`);
  }
  return n;
}

function denomUnitFromJson(v: unknown, path: string): DenomUnit {
  const o = obj(v, path);
  return {
    denom: str(o["denom"], `${path}.denom`),
    exponent: exponent(o["exponent"], `${path}.exponent`),
    aliases: arr(o["aliases"], `${path}.aliases`).map((a, k) => str(a, `${path}.aliases[${k}]`)),
  };
}

/** One metadata entry of genesis JSON (proto field names; absent strings and lists are empty). */
export function metadataFromJson(v: unknown, path: string): Metadata {
  const o = obj(v, path);
  return {
    description: optStr(o["description"], `${path}.description`, ""),
    denomUnits: arr(o["denom_units"], `${path}.denom_units`).map((u, j) => denomUnitFromJson(u, `${path}.denom_units[${j}]`)),
    base: optStr(o["base"], `${path}.base`, ""),
    display: optStr(o["display"], `${path}.display`, ""),
    name: optStr(o["name"], `${path}.name`, ""),
    symbol: optStr(o["symbol"], `${path}.symbol`, ""),
    uri: optStr(o["uri"], `${path}.uri`, ""),
    uriHash: optStr(o["uri_hash"], `${path}.uri_hash`, ""),
  };
}

/** Metadata as the SDK writes it in genesis JSON (every field, exponents as numbers). */
export function metadataToJson(m: Metadata): Record<string, unknown> {
  return {
    description: m.description,
    denom_units: m.denomUnits.map((u) => ({ denom: u.denom, exponent: u.exponent, aliases: [...u.aliases] })),
    base: m.base,
    display: m.display,
    name: m.name,
    symbol: m.symbol,
    uri: m.uri,
    uri_hash: m.uriHash,
  };
}

/**
 * `bank.denom_metadata` of genesis: each entry read and validated, no base denom twice (the SDK's
 * GenesisState.Validate). Throws a GenesisError naming the entry.
 */
export function denomMetadataFromGenesis(v: unknown): Metadata[] {
  const seen = new Set<string>();
  return arr(v, "bank.denom_metadata").map((entry, i) => {
    const path = `bank.denom_metadata[${i}]`;
    const m = metadataFromJson(entry, path);
    if (seen.has(m.base)) throw new GenesisError(path, `duplicate client metadata for denom ${m.base}`);
    const problem = metadataProblem(m);
    if (problem !== undefined) throw new GenesisError(path, problem);
    seen.add(m.base);
    return m;
  });
}

