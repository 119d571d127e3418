import type { Context } from "../../baseapp/context";
import type { AppModule, Registrar } from "../../baseapp/module";
import { registerMsgServer } from "../../baseapp/msgserver";
import { defaultMintGenesis, exportMintGenesis, initMintGenesis, validateMintGenesis } from "./genesis";
import type { MintKeeper } from "./keeper";
import { MINT_MSG_PACKAGE, mintMsgTable } from "./msg_server";
import { registerMintQueries } from "./query_server";

const MODULE = "mint";

/** x/mint: BeginBlock mints the block provision to the fee collector; params, inflation and provisions queries; genesis. */
export function mintModule(keeper: MintKeeper): AppModule {
  return {
    name: MODULE,
    register(r: Registrar): void {
      registerMsgServer(r, MINT_MSG_PACKAGE, MODULE, mintMsgTable(keeper));
      registerMintQueries(r, keeper);
    },
    defaultGenesis: () => defaultMintGenesis(),
    validateGenesis: validateMintGenesis,
    initGenesis: (ctx: Context, g) => initMintGenesis(ctx, keeper, g),
    exportGenesis: (ctx: Context) => exportMintGenesis(ctx, keeper),
    beginBlock: (ctx) => {
      keeper.beginBlock(ctx);
    },
  };
}
