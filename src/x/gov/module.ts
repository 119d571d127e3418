import type { Context } from "../../baseapp/context";
import type { AppModule, Registrar } from "../../baseapp/module";
import { registerMsgServer } from "../../baseapp/msgserver";
import type { StakingForGov } from "./expected";
import { defaultGovGenesisJson, exportGovGenesis, initGovGenesis, parseGovGenesis, validateGovGenesis } from "./genesis";
import { GovKeeper, type GovKeeperDeps } from "./keeper";
import { GOV_MODULE } from "./keys";
import { GOV_MSG_PACKAGE, GovMsgServer } from "./msg_server";
import { registerGovQueries } from "./query_server";
import { registerGovLegacyQueries } from "./query_server_v1beta1";

export interface GovModule extends AppModule {
  readonly keeper: GovKeeper;
}

/**
 * x/gov v1. Declares the `gov` module account (burner), registers the Msg and Query services,
 * and processes ending deposit and voting periods in EndBlock. Other modules reach the keeper
 * (hooks, authority) through the returned object's `keeper`.
 */
/** What gov is built from: the auth and bank keepers and the router that runs passed proposals' messages. */
export type GovModuleHost = Pick<GovKeeperDeps, "auth" | "bank" | "router">;

export function govModule(app: GovModuleHost, staking: StakingForGov): GovModule {
  const keeper = new GovKeeper({ auth: app.auth, bank: app.bank, router: app.router, staking });
  return {
    name: GOV_MODULE,
    keeper,
    register(r: Registrar): void {
      registerMsgServer(r, GOV_MSG_PACKAGE, GOV_MODULE, new GovMsgServer(keeper).table());
      registerGovQueries(r, keeper);
      registerGovLegacyQueries(r, keeper);
    },
    defaultGenesis: () => defaultGovGenesisJson(),
    validateGenesis(g) {
      validateGovGenesis(parseGovGenesis(g));
    },
    initGenesis(ctx: Context, g) {
      const gen = parseGovGenesis(g);
      validateGovGenesis(gen);
      initGovGenesis(ctx, keeper, gen, (denom) => app.bank.getBalance(ctx, keeper.authority, denom).amount);
    },
    exportGenesis: (ctx: Context) => exportGovGenesis(ctx, keeper),
    endBlock(ctx: Context): void {
      keeper.endBlock(ctx);
    },
  };
}
