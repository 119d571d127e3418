import type { Context } from "../../baseapp/context";
import type { AppModule, Registrar } from "../../baseapp/module";
import { registerMsgServer } from "../../baseapp/msgserver";
import { defaultBankGenesis, exportBankGenesis, initBankGenesis, validateBankGenesis } from "./genesis";
import type { BankKeeper } from "./keeper";
import { BANK_MSG_PACKAGE, BankMsgServer } from "./msg_server";
import { registerBankQueries } from "./query_server";

/** x/bank: MsgSend, MsgMultiSend, balance and supply queries, genesis. */
export function bankModule(bank: BankKeeper): AppModule {
  return {
    name: "bank",
    register(r: Registrar): void {
      registerMsgServer(r, BANK_MSG_PACKAGE, "bank", new BankMsgServer(bank).table());
      registerBankQueries(r, bank);
    },
    defaultGenesis: defaultBankGenesis,
    validateGenesis: validateBankGenesis,
    initGenesis: (ctx: Context, g) => initBankGenesis(ctx, bank, g),
    exportGenesis: (ctx: Context) => exportBankGenesis(ctx, bank),
  };
}
