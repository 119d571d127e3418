import type { BankForStaking } from "./expected";
import type { AppModule, Registrar } from "../../baseapp/module";
import { registerMsgServer } from "../../baseapp/msgserver";
import { defaultStakingGenesis, exportStakingGenesis, initStakingGenesis, parseStakingGenesis, validateStakingGenesis } from "./genesis";
import type { StakingKeeper } from "./keeper";
import { STAKING_MSG_PACKAGE, StakingMsgServer } from "./msg_server";
import { registerStakingQueries } from "./query_server";

const MODULE = "staking";

/** x/staking: messages, queries, genesis, begin-block historical info and end-block validator updates. */
export function stakingModule(keeper: StakingKeeper, bank: BankForStaking): AppModule {
  return {
    name: MODULE,
    register(r: Registrar): void {
      registerMsgServer(r, STAKING_MSG_PACKAGE, MODULE, new StakingMsgServer(keeper).table());
      registerStakingQueries(r, keeper);
    },
    defaultGenesis: defaultStakingGenesis,
    validateGenesis(g) {
      validateStakingGenesis(parseStakingGenesis(g));
    },
    initGenesis(ctx, g) {
      return initStakingGenesis(ctx, keeper, bank, parseStakingGenesis(g));
    },
    exportGenesis: (ctx) => exportStakingGenesis(ctx, keeper),
    beginBlock: (ctx) => keeper.beginBlock(ctx),
    endBlock: (ctx) => keeper.endBlock(ctx),
  };
}
