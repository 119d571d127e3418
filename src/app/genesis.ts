import { devnetDcertGenesisJson } from "../x/dcert/genesis";
import { devnetCoordGenesisJson } from "../x/coord/genesis";
import { moduleAccountAddress } from "../x/auth/keeper";
import { defaultDistributionGenesis } from "../x/distribution/genesis";
import { defaultMintGenesis } from "../x/mint/genesis";
import { defaultSlashingParams, type SlashingParams } from "../x/slashing/keeper";
import { slashingParamsToJson } from "../x/slashing/module";
import { devnetGovGenesis } from "../x/gov/genesis";
import { decFromInt, decToJson } from "../x/staking/dec";
import { BONDED_POOL, accountValoper } from "../x/staking/keeper";
import { DEFAULT_UNBONDING_SECONDS, SHORT_UNBONDING_SECONDS } from "../x/staking/params";
import { BECH32_PREFIX_VALOPER, DEFAULT_DENOM } from "../baseapp/tx/constants";
import { toBase64 } from "../baseapp/encoding";
import { MemoryCommitStore } from "../baseapp/store/memory";
import { withoutAccountsAndValidators } from "../x/genutil/ceremony";
import { GENUTIL_MODULE } from "../x/genutil/gentx";
import { createApp } from "./node";

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

/** Slashing params of the devnet/testnet profile: window 20 blocks, min signed 0.5, jail 20 s, SDK slash fractions. */
export const DEVNET_SLASHING_PARAMS: SlashingParams = {
  ...defaultSlashingParams(),
  signedBlocksWindow: 20n,
  downtimeJailDuration: { seconds: 20n, nanos: 0 },
};

/**
 * Bank denom metadata of the chain's token: `udcert` (exponent 0) shown as DCERT (`dcert`,
 * exponent 6), as wallets and explorers read it. Only for the default denom; a devnet on another
 * denom gets none.
 */
export function stakingDenomMetadataJson(denom: string = DEFAULT_DENOM): Record<string, unknown>[] {
  if (denom !== DEFAULT_DENOM) return [];
  return [
    {
      description: "The staking and fee token of the dCERT chain.",
      denom_units: [
        { denom: DEFAULT_DENOM, exponent: 0, aliases: [] },
        { denom: "dcert", exponent: 6, aliases: [] },
      ],
      base: DEFAULT_DENOM,
      display: "dcert",
      name: "dCERT",
      symbol: "DCERT",
      uri: "",
      uri_hash: "",
    },
  ];
}

export function buildDevnetAppState(opts: DevnetAppStateOptions): AppState {
  const denom = opts.denom === "" ? DEFAULT_DENOM : opts.denom;
  const operator = opts.accounts[0];
  if (operator === undefined) throw new Error("the devnet genesis needs at least one account (accounts[0] operates the validator)");
  const self = opts.validator.selfDelegation;
  if (self <= 0n || self > operator.amount) {
    throw new Error(`the self-delegation ${self}${denom} must be positive and at most accounts[0]'s balance ${operator.amount}${denom}`);
  }
  const valoper = opts.validator.operatorAddress.startsWith(`${BECH32_PREFIX_VALOPER}1`)
    ? opts.validator.operatorAddress
    : accountValoper(opts.validator.operatorAddress);
  // The self-delegation leaves accounts[0] and sits in the bonded pool, so supply is unchanged.
  const balances = opts.accounts.map((a, i) => ({ address: a.address, amount: i === 0 ? a.amount - self : a.amount }));
  balances.push({ address: moduleAccountAddress(BONDED_POOL), amount: self });
  const byAddress = <T extends { address: string }>(list: T[]) => list.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const sorted = byAddress([...opts.accounts]);
  const shares = decToJson(decFromInt(self));
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
      balances: byAddress(balances)
        .filter((b) => b.amount > 0n)
        .map((b) => ({ address: b.address, coins: [{ denom, amount: b.amount.toString() }] })),
      supply: [],
      denom_metadata: stakingDenomMetadataJson(denom),
    },
    // The SDK's inflation model minting the chain's denom (13% a year to start, 7–20%, 67% bonded
    // goal) and F1 rewards with a 2% community tax: delegators see rewards grow every block, and the
    // community pool (which pays the dCERT stipend) gets the tax plus its funding.
    mint: defaultMintGenesis(denom),
    distribution: defaultDistributionGenesis(),
    staking: {
      params: {
        unbonding_time: `${opts.shortPeriods ? SHORT_UNBONDING_SECONDS : DEFAULT_UNBONDING_SECONDS}s`,
        max_validators: 100,
        max_entries: 7,
        historical_entries: 100,
        bond_denom: denom,
        min_commission_rate: "0.000000000000000000",
      },
      last_total_power: "0",
      last_validator_powers: [],
      validators: [
        {
          operator_address: valoper,
          consensus_pubkey: { "@type": "/cosmos.crypto.ed25519.PubKey", key: opts.validator.consensusPubkeyEd25519Base64 },
          jailed: false,
          status: "BOND_STATUS_BONDED",
          tokens: self.toString(),
          delegator_shares: shares,
          description: { moniker: "devnet-validator", identity: "", website: "", security_contact: "", details: "" },
          unbonding_height: "0",
          unbonding_time: "1970-01-01T00:00:00Z",
          commission: {
            commission_rates: { rate: "0.100000000000000000", max_rate: "0.200000000000000000", max_change_rate: "0.010000000000000000" },
            update_time: "1970-01-01T00:00:00Z",
          },
          min_self_delegation: "1",
          unbonding_on_hold_ref_count: "0",
          unbonding_ids: [],
        },
      ],
      delegations: [{ delegator_address: operator.address, validator_address: valoper, shares }],
      unbonding_delegations: [],
      redelegations: [],
      exported: false,
    },
    // Short periods: a 20-block window with half to sign and 20 s in jail, so the e2e jails a
    // stopped validator within seconds and unjails it soon after (SDK defaults otherwise).
    slashing: { params: slashingParamsToJson(opts.shortPeriods ? DEVNET_SLASHING_PARAMS : defaultSlashingParams()), signing_infos: [], missed_blocks: [] },
    gov: devnetGovGenesis(denom, opts.shortPeriods),
    // dCERT devnet params: a 1 DCERT bond devnet accounts can afford, a 50 DCERT disband wager,
    // a 3-block stabilization period, and circuit breaking ENABLED so the circuit-breaker e2e test
    // runs without a parameter-change proposal first (production genesis starts with it off).
    dcert: devnetDcertGenesisJson(denom),
    // Coordination devnet params: minutes instead of days (level 3: 2 min embargo, 1 min reveal
    // window; embargoes from 30 s), a 1 DCERT party deposit, 1 s nominal blocks.
    coord: devnetCoordGenesisJson(denom),
  };
  return state;
}

// ---------------------------------------------------------------------------------------------
// Templates for a multi-validator genesis (the ceremony's `dcertd init`): every module's section,
// no accounts and no validators yet. They need the whole app's module list, so they live here
// rather than in x/genutil, which builds on them (add accounts, set gentxs).

/** Which module parameters a new genesis starts from. */
export type GenesisProfile = "default" | "devnet";

/** Every module's default genesis section (what a fresh `dcertd init` writes without `--devnet-params`). */
export function defaultAppState(): AppState {
  const app = createApp({ store: new MemoryCommitStore() });
  const out: AppState = {};
  for (const m of app.modules) out[m.name] = m.defaultGenesis();
  return out;
}

/**
 * The devnet's parameters (seconds-long gov voting and unbonding, the devnet dCERT params), taken
 * from the devnet genesis builder so both stay the same, with its accounts, balances and single
 * validator removed.
 */
export function devnetParamsAppState(denom: string = DEFAULT_DENOM): AppState {
  // Any valid address does as a placeholder: everything that mentions it is removed below.
  const placeholder = moduleAccountAddress("genutil_placeholder");
  const state = buildDevnetAppState({
    denom,
    accounts: [{ address: placeholder, amount: 1n }],
    validator: { operatorAddress: placeholder, consensusPubkeyEd25519Base64: toBase64(new Uint8Array(32)), selfDelegation: 1n },
    shortPeriods: true,
  });
  return { ...withoutAccountsAndValidators(state), [GENUTIL_MODULE]: { gen_txs: [] } };
}

/** The ceremony's starting app_state: the profile's parameters, and the token's denom metadata. */
export function genesisTemplate(profile: GenesisProfile, denom: string = DEFAULT_DENOM): AppState {
  if (profile === "devnet") return devnetParamsAppState(denom);
  const state = defaultAppState();
  const bank = state["bank"] as Record<string, unknown>;
  return { ...state, bank: { ...bank, denom_metadata: stakingDenomMetadataJson(denom) } };
}
