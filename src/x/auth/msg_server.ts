/** The x/auth msg server: MsgUpdateParams (governance-only), the one message auth serves. */
import { type Msg, MsgUpdateParams, MsgUpdateParamsResponse } from "cosmjs-types/cosmos/auth/v1beta1/tx";
import { ErrInvalidRequest } from "./errors";
import type { MsgTable } from "../../baseapp/msgserver";
import type { AuthKeeper } from "./keeper";
import { updateParamsSpec } from "./update_params";

export const AUTH_MSG_PACKAGE = "cosmos.auth.v1beta1";

export function authMsgServer(auth: AuthKeeper): MsgTable<Msg> {
  return {
    UpdateParams: updateParamsSpec({
      codec: MsgUpdateParams,
      response: MsgUpdateParamsResponse,
      what: "auth MsgUpdateParams",
      validate(m) {
        const p = m.params;
        if (p.txSigLimit === 0n || p.maxMemoCharacters === 0n) {
          throw ErrInvalidRequest.wrap("auth params: tx_sig_limit and max_memo_characters must be positive");
        }
        return p;
      },
      store: (ctx, p) => auth.setParams(ctx, p),
    }),
  };
}
