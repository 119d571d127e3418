/**
 * The coordination AppModule (`x/coord`): wires the keeper to the app (the `coord_deposits` module
 * account, Msg and Query services, genesis section "coord") and runs EndBlock — after x/dcert's,
 * so the block's membership changes apply first — which enforces the deadlines (keeper/abci.ts).
 * No BeginBlock.
 */
import type { Context } from "../../baseapp/context";
import type { AppModule, Registrar } from "../../baseapp/module";
import { registerMsgServer } from "../../baseapp/msgserver";
import type { AminoRegistry } from "../../types/amino";
import { createCoordAminoConverters } from "../../types/coord/aminomessages";
import { coordTypes } from "../../types/coord/messages";
import type { AuthForCoord, BankForCoord, DcertForCoord, UpgradeForCoord } from "./expected";
import { defaultCoordGenesisJson, exportCoordGenesis, initCoordGenesis, parseCoordGenesis, validateCoordGenesis } from "./genesis";
import { CoordKeeper } from "./keeper/keeper";
import { COORD_MODULE } from "./keys";
import { COORD_MSG_PACKAGE, CoordMsgServer } from "./msg_server";
import { registerCoordQueries } from "./query_server";

export interface CoordModule extends AppModule {
  readonly keeper: CoordKeeper;
}

export interface CoordModuleDeps {
  readonly auth: AuthForCoord;
  readonly bank: BankForCoord;
  readonly dcert: DcertForCoord;
  /** The chain's amino registry (LEGACY_AMINO_JSON sign bytes). */
  readonly amino: AminoRegistry;
  /** The gov module account (MsgUpdateParams). */
  readonly authority: string;
  /**
   * Upgrade readiness (x/upgrade's ReadinessKeeper.twoThirdsReady) for reveal gates. Optional:
   * undefined refuses gating (coord:49) until `keeper.wireUpgrade` supplies one.
   */
  readonly upgrade?: UpgradeForCoord;
}

/** Registers the amino JSON form of every coord message with the chain's amino registry. */
export function registerCoordAmino(amino: AminoRegistry): void {
  const converters = createCoordAminoConverters();
  for (const [typeUrl, codec] of coordTypes) {
    const converter = converters[typeUrl];
    if (converter === undefined) throw new Error(`no amino converter for ${typeUrl}`);
    amino.register(typeUrl, codec as Parameters<AminoRegistry["register"]>[1], converter);
  }
}

export function coordModule(deps: CoordModuleDeps): CoordModule {
  registerCoordAmino(deps.amino);
  const keeper = new CoordKeeper({
    auth: deps.auth,
    bank: deps.bank,
    dcert: deps.dcert,
    authority: deps.authority,
    ...(deps.upgrade === undefined ? {} : { upgrade: deps.upgrade }),
  });
  return {
    name: COORD_MODULE,
    keeper,
    register(r: Registrar): void {
      registerMsgServer(r, COORD_MSG_PACKAGE, COORD_MODULE, new CoordMsgServer(keeper).table());
      registerCoordQueries(r, keeper);
    },
    defaultGenesis: () => defaultCoordGenesisJson(),
    validateGenesis(g) {
      validateCoordGenesis(parseCoordGenesis(g));
    },
    initGenesis(ctx: Context, g) {
      const gen = parseCoordGenesis(g);
      validateCoordGenesis(gen);
      initCoordGenesis(ctx, keeper, gen, { balance: (c, a, denom) => deps.bank.getBalance(c, a, denom).amount });
    },
    exportGenesis: (ctx: Context) => exportCoordGenesis(ctx),
    endBlock(ctx: Context): void {
      keeper.endBlock(ctx);
    },
  };
}
