import type { Context } from "../../baseapp/context";
import type { AppModule, Registrar } from "../../baseapp/module";
import { registerMsgServer } from "../../baseapp/msgserver";
import type { BankKeeper } from "./expected";
import { defaultDistributionGenesis, exportDistributionGenesis, initDistributionGenesis, validateDistributionGenesis } from "./genesis";
import type { DistributionKeeper } from "./keeper";
import { DISTRIBUTION_MSG_PACKAGE, DistributionMsgServer } from "./msg_server";
import { registerDistributionQueries } from "./query_server";

const MODULE = "distribution";

/** x/distribution (community pool only): fee sweep at BeginBlock, fund/spend messages, queries, genesis. */
export function distributionModule(keeper: DistributionKeeper, bank: BankKeeper): AppModule {
  return {
    name: MODULE,
    register(r: Registrar): void {
      registerMsgServer(r, DISTRIBUTION_MSG_PACKAGE, MODULE, new DistributionMsgServer(keeper, bank).table());
      registerDistributionQueries(r, keeper);
    },
    defaultGenesis: defaultDistributionGenesis,
    validateGenesis: validateDistributionGenesis,
    initGenesis: (ctx: Context, g) => initDistributionGenesis(ctx, keeper, g),
    exportGenesis: (ctx: Context) => exportDistributionGenesis(ctx, keeper),
    beginBlock: (ctx) => keeper.beginBlock(ctx),
  };
}
