/**
 * Bech32 that works with every @scure/base 2.x. CosmJS 0.39's `fromBech32` defaults its length
 * limit to `Infinity`, which @scure/base 2.3 and later refuse ("limit: expected safe integer, got
 * Infinity"), so `fromBech32(address)` and `normalizeBech32(address)` from @cosmjs/encoding throw
 * for every address once a project resolves a current @scure/base. These wrappers always pass a
 * finite limit. Use them (or the address checks below) instead of @cosmjs/encoding's.
 */
import { fromBech32 as cosmjsFromBech32, toBech32 as cosmjsToBech32 } from "@cosmjs/encoding";
import { DCERT_BECH32_PREFIX } from "./addresses";

/** Longest bech32 string accepted: the Cosmos SDK's limit (addresses, public keys). */
export const BECH32_MAX_LENGTH = 1023;

/** Decodes a bech32 string into its prefix and data; throws on a bad checksum, mixed case or too long a string. */
export function fromBech32(address: string, limit: number = BECH32_MAX_LENGTH): { readonly prefix: string; readonly data: Uint8Array } {
  return cosmjsFromBech32(address, limit);
}

/** Encodes `data` as bech32 with `prefix`. */
export function toBech32(prefix: string, data: Uint8Array, limit: number = BECH32_MAX_LENGTH): string {
  return cosmjsToBech32(prefix, data, limit);
}

/** The lower-case form of a valid bech32 string (validating it on the way). */
export function normalizeBech32(address: string): string {
  const { prefix, data } = fromBech32(address);
  return toBech32(prefix, data);
}

/**
 * True if `address` is a bech32 account address with `prefix` ("dcert" by default): a valid
 * checksum and 20 bytes (key accounts, module accounts) or 32 bytes (derived accounts), as the
 * chain accepts. Use it to check what a user typed before building a transaction.
 */
export function isDcertAddress(address: string, prefix: string = DCERT_BECH32_PREFIX): boolean {
  let decoded: { readonly prefix: string; readonly data: Uint8Array };
  try {
    decoded = fromBech32(address);
  } catch {
    return false;
  }
  return decoded.prefix === prefix && (decoded.data.length === 20 || decoded.data.length === 32);
}

/** True if `address` is a validator operator address (`dcertvaloper1…` by default). */
export function isDcertValidatorAddress(address: string, prefix: string = `${DCERT_BECH32_PREFIX}valoper`): boolean {
  return isDcertAddress(address, prefix);
}
