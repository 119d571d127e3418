/**
 * The genutil section of genesis (`app_state.genutil.gen_txs`) and the module's genesis hooks:
 * InitGenesis delivers every gentx through the normal transaction path, in order, and returns
 * staking's whole bonded set after them. Exported genesis has no gentxs.
 */
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import type { Context } from "../../baseapp/context";
import { arr, GenesisError, obj, str } from "../../baseapp/json";
import { validatorPubkey, valoperString } from "../staking/keeper";
import type { GenesisTxDeliverer, StakingKeeper } from "./expected";
import { GENUTIL_MODULE, strictBase64, summarizeGentx } from "./gentx";

export interface GenutilGenesis {
  readonly genTxs: readonly Uint8Array[];
}

export function defaultGenutilGenesis(): { gen_txs: string[] } {
  return { gen_txs: [] };
}

/** Parses `app_state.genutil` (pure). Each entry must be a base64 gentx of the right shape. */
export function parseGenutilGenesis(g: unknown): GenutilGenesis {
  const o = obj(g ?? {}, GENUTIL_MODULE);
  const list = arr(o["gen_txs"], `${GENUTIL_MODULE}.gen_txs`);
  const genTxs = list.map((v, i) => {
    const path = `${GENUTIL_MODULE}.gen_txs[${i}]`;
    const b64 = str(v, path);
    const raw = strictBase64(b64);
    if (raw === undefined) throw new GenesisError(path, "expected base64 TxRaw bytes");
    try {
      summarizeGentx(raw);
    } catch (e) {
      throw new GenesisError(path, e instanceof Error ? e.message : String(e));
    }
    return raw;
  });
  return { genTxs };
}

/** The full bonded set as CometBFT validator updates (after gentxs have run). */
function bondedSet(ctx: Context, staking: StakingKeeper): ValidatorUpdate[] {
  return staking.lastPowers(ctx).map(({ op, power }) => {
    const valoper = valoperString(op);
    const v = staking.getValidator(ctx, valoper);
    if (v === undefined) throw new GenesisError(GENUTIL_MODULE, `bonded validator ${valoper} is missing`);
    return { pubKey: { ed25519: validatorPubkey(v) }, power };
  });
}

export function validateGenutilGenesis(g: unknown): void {
  parseGenutilGenesis(g);
}

export function initGenutilGenesis(ctx: Context, app: GenesisTxDeliverer, staking: StakingKeeper, g: unknown): ValidatorUpdate[] | void {
  const { genTxs } = parseGenutilGenesis(g);
  if (genTxs.length === 0) return;
  genTxs.forEach((raw, i) => {
    const r = app.deliverGenesisTx(ctx, raw);
    if (r.code !== 0) {
      throw new GenesisError(`${GENUTIL_MODULE}.gen_txs[${i}]`, `the gentx failed (codespace ${r.codespace || "sdk"}, code ${r.code}): ${r.log}`);
    }
  });
  staking.applyValidatorSetUpdates(ctx, true);
  const set = bondedSet(ctx, staking);
  if (set.length === 0) throw new GenesisError(`${GENUTIL_MODULE}.gen_txs`, "the gentxs bonded no validator");
  return set;
}

export function exportGenutilGenesis(): { gen_txs: string[] } {
  return defaultGenutilGenesis();
}
