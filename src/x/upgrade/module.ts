/**
 * The upgrade AppModule (`x/upgrade`, store and genesis section "upgrade"): the standard
 * cosmos.upgrade.v1beta1 Msg and Query services, the dcert.upgrade.v1 services (pre-approval,
 * params, readiness queries) and PreBlock, which applies the plan due at this height (the build's
 * handler, then every module's migrations) or halts the node with UpgradeNeededError. No
 * BeginBlock or EndBlock.
 */
import type { Context } from "../../baseapp/context";
import type { AppModule, Registrar } from "../../baseapp/module";
import { registerMsgServer } from "../../baseapp/msgserver";
import type { AminoRegistry } from "../../types/amino";
import { createUpgradeAminoConverters } from "../../types/upgrade/aminomessages";
import { upgradeTypes } from "../../types/upgrade/messages";
import type { CoordForUpgrade, DcertForUpgrade, PlanHandler } from "./expected";
import { defaultUpgradeGenesisJson, exportUpgradeGenesis, initUpgradeGenesis, parseUpgradeGenesis, upgradeGenesisToJson, validateUpgradeGenesis } from "./genesis";
import { UpgradeKeeper } from "./keeper/keeper";
import { UPGRADE_MODULE } from "./keys";
import { COSMOS_UPGRADE_MSG_PACKAGE, UPGRADE_MSG_PACKAGE, UpgradeMsgServer } from "./msg_server";
import { registerUpgradeQueries } from "./query_server";
import { ReadinessKeeper, registerReadinessQueries } from "./readiness";

export interface UpgradeModule extends AppModule {
  readonly keeper: UpgradeKeeper;
  readonly readiness: ReadinessKeeper;
}

export interface UpgradeModuleDeps {
  /** The chain's amino registry (LEGACY_AMINO_JSON sign bytes). */
  readonly amino: AminoRegistry;
  /** The gov module account. */
  readonly authority: string;
  readonly dcert: DcertForUpgrade;
  readonly coord?: CoordForUpgrade;
  /** The handlers this build carries, bound to the app's keepers (src/app/upgrades/). */
  readonly handlers: readonly PlanHandler[];
  /** The readiness keeper (vote extensions); default: a new one. */
  readonly readiness?: ReadinessKeeper;
}

/** Registers the amino JSON form of every upgrade message with the chain's amino registry. */
export function registerUpgradeAmino(amino: AminoRegistry): void {
  const converters = createUpgradeAminoConverters();
  for (const [typeUrl, codec] of upgradeTypes) {
    const converter = converters[typeUrl];
    if (converter === undefined) throw new Error(`no amino converter for ${typeUrl}`);
    amino.register(typeUrl, codec as Parameters<AminoRegistry["register"]>[1], converter);
  }
}

export function upgradeModule(deps: UpgradeModuleDeps): UpgradeModule {
  registerUpgradeAmino(deps.amino);
  const keeper = new UpgradeKeeper({ authority: deps.authority, dcert: deps.dcert, handlers: deps.handlers, ...(deps.coord === undefined ? {} : { coord: deps.coord }) });
  const readiness = deps.readiness ?? new ReadinessKeeper();
  return {
    name: UPGRADE_MODULE,
    keeper,
    readiness,
    register(r: Registrar): void {
      const server = new UpgradeMsgServer(keeper);
      registerMsgServer(r, COSMOS_UPGRADE_MSG_PACKAGE, UPGRADE_MODULE, server.cosmosTable());
      registerMsgServer(r, UPGRADE_MSG_PACKAGE, UPGRADE_MODULE, server.table());
      registerUpgradeQueries(r, keeper);
      registerReadinessQueries(r, readiness);
    },
    defaultGenesis: () => defaultUpgradeGenesisJson(),
    validateGenesis(g) {
      validateUpgradeGenesis(parseUpgradeGenesis(g));
    },
    initGenesis(ctx: Context, g) {
      const gen = parseUpgradeGenesis(g);
      validateUpgradeGenesis(gen);
      initUpgradeGenesis(ctx, keeper, gen);
    },
    exportGenesis: (ctx: Context) => upgradeGenesisToJson(exportUpgradeGenesis(ctx, keeper)),
    preBlock(ctx: Context): void {
      keeper.preBlock(ctx);
    },
  };
}
