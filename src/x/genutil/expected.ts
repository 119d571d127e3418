/**
 * What x/genutil needs from the app and from other modules' keepers (the Cosmos SDK's
 * `expected_keepers.go`). The app and the staking keeper implement these; genutil calls nothing
 * else of them.
 */
import type { Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import type { Context } from "../../baseapp/context";

/** What genutil needs from the app: the normal tx path, run on top of a genesis context. */
export interface GenesisTxDeliverer {
  deliverGenesisTx(ctx: Context, raw: Uint8Array): { code: number; codespace: string; log: string };
}

/** What genutil needs from staking: apply the gentxs' validators and read the bonded set. */
export interface StakingKeeper {
  applyValidatorSetUpdates(ctx: Context, genesis?: boolean): ValidatorUpdate[];
  /** The bonded set: operator address bytes and consensus power, in power order. */
  lastPowers(ctx: Context): { op: Uint8Array; power: bigint }[];
  getValidator(ctx: Context, valoper: string): Validator | undefined;
}
