import type { Context } from "../../baseapp/context";
import type { AppModule, Registrar } from "../../baseapp/module";
import { registerMsgServer } from "../../baseapp/msgserver";
import type { BankKeeper, StakingForDistribution } from "./expected";
import { defaultDistributionGenesis, exportDistributionGenesis, initDistributionGenesis, validateDistributionGenesis } from "./genesis";
import type { DistributionKeeper } from "./keeper";
import { DISTRIBUTION_MSG_PACKAGE, DistributionMsgServer } from "./msg_server";
import { registerDistributionQueries } from "./query_server";

const MODULE = "distribution";

/**
 * x/distribution (F1): BeginBlock allocates the previous block's fees and mint to validators and the
 * community pool; rewards, commission, withdraw address and community pool messages; queries; genesis.
 * The keeper's staking hooks are registered by the composition root (`staking.addHooks(keeper.hooks())`).
 */
export function distributionModule(keeper: DistributionKeeper, bank: BankKeeper, staking: StakingForDistribution): AppModule {
  return {
    name: MODULE,
    register(r: Registrar): void {
      registerMsgServer(r, DISTRIBUTION_MSG_PACKAGE, MODULE, new DistributionMsgServer(keeper, bank, staking).table());
      registerDistributionQueries(r, keeper, staking);
    },
    defaultGenesis: defaultDistributionGenesis,
    validateGenesis: validateDistributionGenesis,
    initGenesis: (ctx: Context, g) => initDistributionGenesis(ctx, keeper, g),
    exportGenesis: (ctx: Context) => exportDistributionGenesis(ctx, keeper),
    beginBlock: (ctx) => keeper.beginBlock(ctx),
  };
}
