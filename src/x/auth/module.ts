import type { Context } from "../../baseapp/context";
import type { AppModule, Registrar } from "../../baseapp/module";
import { registerMsgServer } from "../../baseapp/msgserver";
import { defaultAuthGenesis, exportAuthGenesis, initAuthGenesis, validateAuthGenesis } from "./genesis";
import type { AuthKeeper } from "./keeper";
import { AUTH_MSG_PACKAGE, authMsgServer } from "./msg_server";
import { registerAuthQueries } from "./query_server";

/** x/auth: accounts and params, the Account query CosmJS relies on, genesis. */
export function authModule(auth: AuthKeeper): AppModule {
  return {
    name: "auth",
    register(r: Registrar): void {
      registerMsgServer(r, AUTH_MSG_PACKAGE, "auth", authMsgServer(auth));
      registerAuthQueries(r, auth);
    },
    defaultGenesis: defaultAuthGenesis,
    validateGenesis: validateAuthGenesis,
    initGenesis: (ctx: Context, g) => initAuthGenesis(ctx, auth, g),
    exportGenesis: (ctx: Context) => exportAuthGenesis(ctx, auth),
  };
}
