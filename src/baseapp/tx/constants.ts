/** Chain-wide constants for addresses and fees. */

/** Bech32 human-readable part of account addresses (`dcert1…`). */
export const BECH32_PREFIX = "dcert";

/** Bech32 prefix of validator operator addresses, following the SDK's `<prefix>valoper` convention. */
export const BECH32_PREFIX_VALOPER = `${BECH32_PREFIX}valoper`;

/** The staking and fee denomination (micro-dCERT). */
export const DEFAULT_DENOM = "udcert";
