/** Genesis of x/mint in the SDK's JSON shape: `{minter: {inflation, annual_provisions}, params: {...}}`. */
import type { Minter, Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import type { Context } from "../../baseapp/context";
import { at, obj, str, uint } from "../../baseapp/json";
import { DEFAULT_DENOM } from "../../baseapp/tx/constants";
import { decFromJson, decFromProto, decToJson, decToProto } from "../staking/dec";
import { defaultMinter, defaultMintParams, type MintKeeper, validateMinter, validateMintParams } from "./keeper";

export interface MintGenesis {
  minter: Minter;
  params: Params;
}

export function parseMintGenesis(g: unknown): MintGenesis {
  const o = obj(g ?? {}, "mint");
  const dm = defaultMinter();
  const dp = defaultMintParams();
  const m = obj(o["minter"] ?? {}, "mint.minter");
  const p = obj(o["params"] ?? {}, "mint.params");
  const dec = (src: Record<string, unknown>, path: string, field: string, dflt: string) =>
    src[field] === undefined || src[field] === null ? dflt : decToProto(at(`${path}.${field}`, () => decFromJson(str(src[field], `${path}.${field}`), field)));
  const minter: Minter = {
    inflation: dec(m, "mint.minter", "inflation", dm.inflation),
    annualProvisions: dec(m, "mint.minter", "annual_provisions", dm.annualProvisions),
  };
  const params: Params = {
    mintDenom: p["mint_denom"] === undefined ? dp.mintDenom : str(p["mint_denom"], "mint.params.mint_denom"),
    inflationRateChange: dec(p, "mint.params", "inflation_rate_change", dp.inflationRateChange),
    inflationMax: dec(p, "mint.params", "inflation_max", dp.inflationMax),
    inflationMin: dec(p, "mint.params", "inflation_min", dp.inflationMin),
    goalBonded: dec(p, "mint.params", "goal_bonded", dp.goalBonded),
    blocksPerYear: p["blocks_per_year"] === undefined ? dp.blocksPerYear : uint(p["blocks_per_year"], "mint.params.blocks_per_year"),
  };
  at("mint.minter", () => validateMinter(minter));
  at("mint.params", () => validateMintParams(params));
  return { minter, params };
}

export function mintGenesisJson(g: MintGenesis): unknown {
  const d = (s: string) => decToJson(decFromProto(s));
  return {
    minter: { inflation: d(g.minter.inflation), annual_provisions: d(g.minter.annualProvisions) },
    params: {
      mint_denom: g.params.mintDenom,
      inflation_rate_change: d(g.params.inflationRateChange),
      inflation_max: d(g.params.inflationMax),
      inflation_min: d(g.params.inflationMin),
      goal_bonded: d(g.params.goalBonded),
      blocks_per_year: g.params.blocksPerYear.toString(),
    },
  };
}

/** The SDK's default genesis (13% inflation between 7% and 20%, 67% bonded goal), minting `denom`. */
export function defaultMintGenesis(denom: string = DEFAULT_DENOM): unknown {
  return mintGenesisJson({ minter: defaultMinter(), params: defaultMintParams(denom) });
}

/**
 * A genesis that never mints (inflation fixed at 0): for in-process test chains whose assertions
 * count every token; the devnet and production use the SDK model.
 */
export function noInflationMintGenesis(denom: string = DEFAULT_DENOM): unknown {
  const zero = decToProto(0n);
  return mintGenesisJson({
    minter: { inflation: zero, annualProvisions: zero },
    params: { ...defaultMintParams(denom), inflationRateChange: zero, inflationMax: zero, inflationMin: zero },
  });
}

export function validateMintGenesis(g: unknown): void {
  parseMintGenesis(g);
}

export function initMintGenesis(ctx: Context, keeper: MintKeeper, g: unknown): void {
  const gen = parseMintGenesis(g);
  keeper.setMinter(ctx, gen.minter);
  keeper.setParams(ctx, gen.params);
}

export function exportMintGenesis(ctx: Context, keeper: MintKeeper): unknown {
  return mintGenesisJson({ minter: keeper.minter(ctx), params: keeper.params(ctx) });
}

