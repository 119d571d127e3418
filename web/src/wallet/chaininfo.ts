/**
 * The ChainInfo Keplr's and Leap's `experimentalSuggestChain` take, for the chain the app's config
 * points at: the document itself is built by src/types/chaininfo.ts (the builder `dcertd chain-info`
 * uses for keplr-chain-info.json); this file turns the config's gas price ("0.025udcert") into its
 * fee token and steps. Pure: tested in test/unit/web.
 */
import { chainInfo, type ChainInfo, type Currency, type TokenInfo } from "../../../src/types/chaininfo";

export type { ChainInfo, Currency, TokenInfo };

export const BECH32_PREFIX = "dcert";
/** The devnet's gas price when the app's config gives none (the nodes' usual minimum). */
export const DEFAULT_GAS_PRICE = "0.025udcert";
/**
 * The average and high steps as multiples of the configured (low) gas price: 1.2× and 1.6×, the
 * ratios of chain-info's default steps (0.025, 0.03, 0.04), so both publish the same steps.
 */
export const AVERAGE_STEP = 1.2;
export const HIGH_STEP = 1.6;

/** "0.025udcert" → amount "0.025" and denom "udcert"; undefined if it is not a decimal coin. */
export function parseGasPrice(text: string): { readonly amount: string; readonly denom: string } | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?|\.[0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(text.trim());
  if (m === null) return undefined;
  return { amount: m[1] ?? "", denom: m[2] ?? "" };
}

/** The token of `denom` when the chain describes nothing better: "udcert" → DCERT with 6 decimals. */
export function defaultToken(denom: string): TokenInfo {
  const micro = /^u([a-z][a-z0-9]*)$/.exec(denom);
  return micro !== null ? { denom, symbol: (micro[1] ?? denom).toUpperCase(), decimals: 6 } : { denom, symbol: denom.toUpperCase(), decimals: 0 };
}

/** `low` × `factor` to 6 significant digits, so 0.025 × 1.2 is 0.03 and not 0.030000000000000002. */
const step = (low: number, factor: number): number => Number((low * factor).toPrecision(6));

/**
 * The ChainInfo of the chain `chainId` at `rpc`/`rest`, paying fees in `token` (by default the
 * gas price's denom as defaultToken reads it) at `gasPrice` (low; average and high are AVERAGE_STEP
 * and HIGH_STEP times it). Numbers, because wallets take numbers: the steps only suggest fees.
 */
export function buildChainInfo(opts: { readonly chainId: string; readonly rpc: string; readonly rest: string; readonly gasPrice: string; readonly token?: TokenInfo; readonly name?: string }): ChainInfo {
  const gp = parseGasPrice(opts.gasPrice);
  if (gp === undefined) throw new Error(`the gas price "${opts.gasPrice}" is not a decimal coin like ${DEFAULT_GAS_PRICE}`);
  const low = Number(gp.amount);
  return chainInfo({
    chainId: opts.chainId,
    chainName: opts.name ?? `dCERT (${opts.chainId})`,
    rpc: opts.rpc,
    rest: opts.rest,
    bech32Prefix: BECH32_PREFIX,
    stakeToken: opts.token ?? defaultToken(gp.denom),
    gasPriceStep: { low, average: step(low, AVERAGE_STEP), high: step(low, HIGH_STEP) },
  });
}
