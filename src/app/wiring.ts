import type { App } from "../baseapp/app";
import { DistributionKeeper } from "../x/distribution/keeper";
import { distributionModule } from "../x/distribution/module";
import type { GovKeeper } from "../x/gov/keeper";
import { genutilModule } from "../x/genutil/module";
import { govModule } from "../x/gov/module";
import type { DcertKeeper } from "../x/dcert/keeper/keeper";
import { dcertModule } from "../x/dcert/module";
import type { AppModule } from "../baseapp/module";
import { StakingKeeper } from "../x/staking/keeper";
import { stakingModule } from "../x/staking/module";

/** Keepers of the modules after auth and bank (auth and bank live on `app`). */
export interface Keepers {
  readonly staking: StakingKeeper;
  readonly distribution: DistributionKeeper;
  readonly gov: GovKeeper;
  readonly dcert: DcertKeeper;
}

export interface Wiring {
  readonly keepers: Keepers;
  /** In begin/end-block and genesis order. */
  readonly modules: AppModule[];
}

const wired = new WeakMap<App, Keepers>();

/**
 * Builds the modules after auth and bank, in begin/end-block order, and remembers their keepers
 * for `keepersOf(app)`. Each module's factory gets the app (keepers, routers) and returns its
 * AppModule. Distribution comes first so fees of block N reach the community pool at the start
 * of block N+1; gov's EndBlock runs before staking's (as in the SDK), so staking changes made by
 * a passed proposal reach CometBFT in the same block; staking's EndBlock returns the validator updates.
 * dCERT comes last: its BeginBlock pays stipends from a pool that already holds the last block's
 * fees, and its EndBlock settles the election after gov executed proposals (slash, disband, params)
 * and staking changed stakes in the same block (its own EndBlock returns no validator updates).
 */
export function wireModules(app: App): Wiring {
  const staking = new StakingKeeper(app.auth, app.bank);
  const distribution = new DistributionKeeper(app.auth, app.bank);
  const gov = govModule(app, staking);
  const dcert = dcertModule(app, { staking, distribution, gov: gov.keeper });
  const keepers: Keepers = { staking, distribution, gov: gov.keeper, dcert: dcert.keeper };
  wired.set(app, keepers);
  // genutil last: its gentxs run after every other module's InitGenesis (it has no block hooks).
  return {
    keepers,
    modules: [distributionModule(distribution, app.bank), gov, stakingModule(staking, app.bank), dcert, genutilModule(app, staking)],
  };
}

export function extraModules(app: App): AppModule[] {
  return wireModules(app).modules;
}

/** The keepers of an app built with `extraModules` (e.g. by `createApp`). */
export function keepersOf(app: App): Keepers {
  const k = wired.get(app);
  if (k === undefined) throw new Error("this app was not built with extraModules (use createApp)");
  return k;
}
