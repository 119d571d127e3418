import { DEFAULT_DENOM } from "./tx/constants";

/**
 * Genesis building for devnets and testnets. The result is the `app_state` of CometBFT's
 * genesis.json: one section per module, in the Cosmos SDK's JSON shapes (strings for integers).
 */
export interface DevnetAppStateOptions {
  readonly denom: string;
  readonly accounts: readonly { readonly address: string; readonly amount: bigint }[];
  /** The devnet's validator; its operator is accounts[0] and its self-delegation comes out of that balance. */
  readonly validator: { readonly operatorAddress: string; readonly consensusPubkeyEd25519Base64: string; readonly selfDelegation: bigint };
  /** Seconds-long governance and unbonding periods for devnets and tests. */
  readonly shortPeriods: boolean;
}

export type AppState = Record<string, unknown>;

export function buildDevnetAppState(opts: DevnetAppStateOptions): AppState {
  const denom = opts.denom === "" ? DEFAULT_DENOM : opts.denom;
  const sorted = [...opts.accounts].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const state: AppState = {
    auth: {
      params: {},
      accounts: sorted.map((a, i) => ({
        "@type": "/cosmos.auth.v1beta1.BaseAccount",
        address: a.address,
        pub_key: null,
        account_number: String(i),
        sequence: "0",
      })),
    },
    bank: {
      params: { send_enabled: [], default_send_enabled: true },
      balances: sorted.map((a) => ({ address: a.address, coins: [{ denom, amount: a.amount.toString() }] })),
      supply: [],
      denom_metadata: [],
    },
  };
  return state;
}
