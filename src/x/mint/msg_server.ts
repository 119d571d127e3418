/** The x/mint msg server (`cosmos.mint.v1beta1.Msg`): MsgUpdateParams, governance only. */
import { type Msg, MsgUpdateParams, MsgUpdateParamsResponse } from "cosmjs-types/cosmos/mint/v1beta1/tx";
import type { MsgTable } from "../../baseapp/msgserver";
import { addrBytes } from "../auth/keeper";
import { updateParamsSpec } from "../auth/update_params";
import { ErrInvalidSigner } from "../gov/errors";
import { ErrInvalidMintParams } from "./errors";
import { type MintKeeper, validateMintParams } from "./keeper";

export const MINT_MSG_PACKAGE = "cosmos.mint.v1beta1";

export function mintMsgTable(keeper: MintKeeper): MsgTable<Msg> {
  return {
    UpdateParams: updateParamsSpec({
      codec: MsgUpdateParams,
      response: MsgUpdateParamsResponse,
      what: "this mint message",
      // The SDK's x/mint refuses another authority with gov's ErrInvalidSigner.
      err: ErrInvalidSigner,
      validateBasic: (m) => addrBytes(m.authority),
      validate(m) {
        if ((m as Partial<MsgUpdateParams>).params === undefined) throw ErrInvalidMintParams.wrap("params are missing; all fields must be supplied");
        validateMintParams(m.params);
        return m.params;
      },
      store: (ctx, p) => keeper.setParams(ctx, p),
    }),
  };
}
