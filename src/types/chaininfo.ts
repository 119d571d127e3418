/**
 * The ChainInfo Keplr's and Leap's `experimentalSuggestChain` take, built in one place for both
 * publishers: `dcertd chain-info` (src/cli/chaininfo.ts: the tokens from the node's bank metadata,
 * the gas price steps from --gas-price-step) and the web app's wallet connection
 * (web/src/wallet/chaininfo.ts: the token and gas price from its config). Pure, no Node APIs, so the
 * web bundle includes it as it is; the callers decide the prefix, tokens and steps.
 */

/** SLIP-44 coin type of the chain's keys (the Cosmos Hub's HD path m/44'/118'/0'/0/n). */
export const SLIP44_COIN_TYPE = 118;

/** A token as wallets show it: base denom, symbol and the display unit's decimals. */
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

/**
 * Gas prices of the fee token in base units per gas. JSON numbers because the wallets take
 * numbers: a document for wallets to suggest fees with, never chain arithmetic.
 */
export interface GasPriceStep {
  readonly low: number;
  readonly average: number;
  readonly high: number;
}

export interface FeeCurrency extends Currency {
  readonly gasPriceStep: GasPriceStep;
}

/** The six bech32 human-readable parts of accounts, validators and consensus keys. */
export interface Bech32Config {
  readonly bech32PrefixAccAddr: string;
  readonly bech32PrefixAccPub: string;
  readonly bech32PrefixValAddr: string;
  readonly bech32PrefixValPub: string;
  readonly bech32PrefixConsAddr: string;
  readonly bech32PrefixConsPub: string;
}

export interface ChainInfo {
  readonly chainId: string;
  readonly chainName: string;
  readonly rpc: string;
  readonly rest: string;
  readonly bip44: { readonly coinType: number };
  readonly bech32Config: Bech32Config;
  readonly currencies: readonly Currency[];
  readonly feeCurrencies: readonly FeeCurrency[];
  readonly stakeCurrency: Currency;
  readonly features: readonly string[];
}

/** The SDK's derived prefixes of the account prefix `p` ("dcert" → "dcertvaloper", …). */
export function bech32Config(p: string): Bech32Config {
  return {
    bech32PrefixAccAddr: p,
    bech32PrefixAccPub: `${p}pub`,
    bech32PrefixValAddr: `${p}valoper`,
    bech32PrefixValPub: `${p}valoperpub`,
    bech32PrefixConsAddr: `${p}valcons`,
    bech32PrefixConsPub: `${p}valconspub`,
  };
}

export function currency(t: TokenInfo): Currency {
  return { coinDenom: t.symbol, coinMinimalDenom: t.denom, coinDecimals: t.decimals };
}

/** What a ChainInfo says: where the chain is, its account prefix, tokens and gas prices. */
export interface ChainInfoParams {
  readonly chainId: string;
  /** The name wallets show. */
  readonly chainName: string;
  readonly rpc: string;
  readonly rest: string;
  /** The account address prefix; the other five are derived from it. */
  readonly bech32Prefix: string;
  /** The staking token, which also pays the fees (the chain has one fee token); first currency. */
  readonly stakeToken: TokenInfo;
  /** Any other tokens wallets should list, after the staking token. */
  readonly otherTokens?: readonly TokenInfo[];
  readonly gasPriceStep: GasPriceStep;
}

/**
 * The ChainInfo of `p`. Key order is part of the output (the files are diffed and published), so
 * it is fixed here: chainId, chainName, rpc, rest, bip44, bech32Config, currencies, feeCurrencies,
 * stakeCurrency, features (none: the chain needs no wallet feature flags).
 */
export function chainInfo(p: ChainInfoParams): ChainInfo {
  const stake = currency(p.stakeToken);
  return {
    chainId: p.chainId,
    chainName: p.chainName,
    rpc: p.rpc,
    rest: p.rest,
    bip44: { coinType: SLIP44_COIN_TYPE },
    bech32Config: bech32Config(p.bech32Prefix),
    currencies: [stake, ...(p.otherTokens ?? []).map(currency)],
    feeCurrencies: [{ ...stake, gasPriceStep: { low: p.gasPriceStep.low, average: p.gasPriceStep.average, high: p.gasPriceStep.high } }],
    stakeCurrency: { ...stake },
    features: [],
  };
}
