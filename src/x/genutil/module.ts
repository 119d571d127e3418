/**
 * x/genutil: delivers the genesis transactions at InitChain. It is wired after every other module,
 * so its InitGenesis runs last (as in the SDK): accounts, balances, staking params and the dCERT
 * state exist, and each gentx goes through the normal transaction path (ante: signature over
 * account number 0, sequence, fee; then MsgCreateValidator with its staking hooks), in order.
 * Any failing gentx aborts InitChain with the gentx's index and error.
 *
 * When there are gentxs, the validator set CometBFT gets from InitChain is staking's whole bonded
 * set after them (so CometBFT's genesis.json can leave `validators` empty). Exported genesis has
 * no gentxs: their effects are already in the other modules' sections.
 */
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import type { Context } from "../../baseapp/context";
import { GenesisError } from "../../baseapp/json";
import type { AppModule } from "../../baseapp/module";
import { type StakingKeeper, validatorPubkey, valoperString } from "../staking/keeper";
import { defaultGenutilGenesis, GENUTIL_MODULE, parseGenutilGenesis } from "./gentx";

/** What genutil needs from the app: the normal tx path, run on top of a genesis context. */
export interface GenesisTxDeliverer {
  deliverGenesisTx(ctx: Context, raw: Uint8Array): { code: number; codespace: string; log: string };
}

/** The full bonded set as CometBFT validator updates (after gentxs have run). */
function bondedSet(ctx: Context, staking: StakingKeeper): ValidatorUpdate[] {
  return staking.lastPowers(ctx).map(({ op, power }) => {
    const valoper = valoperString(op);
    const v = staking.getValidator(ctx, valoper);
    if (v === undefined) throw new GenesisError(GENUTIL_MODULE, `bonded validator ${valoper} is missing`);
    return { pubKey: { ed25519: validatorPubkey(v) }, power };
  });
}

export function genutilModule(app: GenesisTxDeliverer, staking: StakingKeeper): AppModule {
  return {
    name: GENUTIL_MODULE,
    register() {
      // no messages or queries
    },
    defaultGenesis: defaultGenutilGenesis,
    validateGenesis(g) {
      parseGenutilGenesis(g);
    },
    initGenesis(ctx, g) {
      const { genTxs } = parseGenutilGenesis(g);
      if (genTxs.length === 0) return;
      genTxs.forEach((raw, i) => {
        const r = app.deliverGenesisTx(ctx, raw);
        if (r.code !== 0) {
          throw new GenesisError(`${GENUTIL_MODULE}.gen_txs[${i}]`, `the gentx failed (codespace ${r.codespace || "sdk"}, code ${r.code}): ${r.log}`);
        }
      });
      staking.applyValidatorSetUpdates(ctx, true);
      const set = bondedSet(ctx, staking);
      if (set.length === 0) throw new GenesisError(`${GENUTIL_MODULE}.gen_txs`, "the gentxs bonded no validator");
      return set;
    },
    exportGenesis: () => defaultGenutilGenesis(),
  };
}
