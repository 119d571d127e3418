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
import type { AppModule } from "../../baseapp/module";
import type { GenesisTxDeliverer, StakingKeeper } from "./expected";
import { defaultGenutilGenesis, exportGenutilGenesis, initGenutilGenesis, validateGenutilGenesis } from "./genesis";
import { GENUTIL_MODULE } from "./gentx";

export function genutilModule(app: GenesisTxDeliverer, staking: StakingKeeper): AppModule {
  return {
    name: GENUTIL_MODULE,
    register() {
      // no messages or queries
    },
    defaultGenesis: defaultGenutilGenesis,
    validateGenesis: validateGenutilGenesis,
    initGenesis: (ctx, g) => initGenutilGenesis(ctx, app, staking, g),
    exportGenesis: () => exportGenutilGenesis(),
  };
}
