/**
 * The ChainInfo Keplr's and Leap's `experimentalSuggestChain` take, built like `dcertd chain-info`
 * builds keplr-chain-info.json (that builder reads the node with Node's file system, so the web app
 * has this small equivalent): bech32 prefixes "dcert…", SLIP-44 coin type 118, the fee token with
 * its gas price steps (low = the configured gas price). Pure: tested in test/unit/web.
 */

export const BECH32_PREFIX = "dcert";
export const SLIP44_COIN_TYPE = 118;
/** The devnet's gas price when the app's config gives none (the nodes' usual minimum). */
export const DEFAULT_GAS_PRICE = "0.025udcert";

/** A token as wallets show it. */
export interface TokenInfo {
  readonly denom: string;
  readonly symbol: string;
  readonly decimals: number;
}

export interface Currency {
  readonly coinDenom: string;
  readonly coinMinimalDenom: string;
  readonly coinDecimals: number;
}

export interface ChainInfo {
  readonly chainId: string;
  readonly chainName: string;
  readonly rpc: string;
  readonly rest: string;
  readonly bip44: { readonly coinType: number };
  readonly bech32Config: Readonly<Record<string, string>>;
  readonly currencies: readonly Currency[];
  readonly feeCurrencies: readonly (Currency & { readonly gasPriceStep: { readonly low: number; readonly average: number; readonly high: number } })[];
  readonly stakeCurrency: Currency;
  readonly features: readonly string[];
}

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

const currency = (t: TokenInfo): Currency => ({ coinDenom: t.symbol, coinMinimalDenom: t.denom, coinDecimals: t.decimals });

/**
 * The ChainInfo of the chain `chainId` at `rpc`/`rest`, paying fees in `token` at `gasPrice`
 * (low; average and high are 1.2× and 1.6× of it, the steps chain-info publishes by default).
 */
export function buildChainInfo(opts: { readonly chainId: string; readonly rpc: string; readonly rest: string; readonly gasPrice: string; readonly token?: TokenInfo; readonly name?: string }): ChainInfo {
  const gp = parseGasPrice(opts.gasPrice);
  if (gp === undefined) throw new Error(`the gas price "${opts.gasPrice}" is not a decimal coin like ${DEFAULT_GAS_PRICE}`);
  const token = opts.token ?? defaultToken(gp.denom);
  const low = Number(gp.amount); // wallets take numbers; this is a document, not chain arithmetic
  const p = BECH32_PREFIX;
  return {
    chainId: opts.chainId,
    chainName: opts.name ?? `dCERT (${opts.chainId})`,
    rpc: opts.rpc,
    rest: opts.rest,
    bip44: { coinType: SLIP44_COIN_TYPE },
    bech32Config: {
      bech32PrefixAccAddr: p,
      bech32PrefixAccPub: `${p}pub`,
      bech32PrefixValAddr: `${p}valoper`,
      bech32PrefixValPub: `${p}valoperpub`,
      bech32PrefixConsAddr: `${p}valcons`,
      bech32PrefixConsPub: `${p}valconspub`,
    },
    currencies: [currency(token)],
    feeCurrencies: [{ ...currency(token), gasPriceStep: { low, average: Number((low * 1.2).toPrecision(6)), high: Number((low * 1.6).toPrecision(6)) } }],
    stakeCurrency: currency(token),
    features: [],
  };
}
