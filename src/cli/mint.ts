/** `dcertd q mint params|inflation|annual-provisions`: the SDK's inflation model (x/mint). */
import type { Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import { decBytesToFixed18 } from "../client/rewards/queries";
import type { Leaf } from "./cmdtree";
import type { Json } from "./output";
import { decText, queryLeaf } from "./stakingargs";

export function mintParamsJson(p: Params | undefined): Json {
  return {
    mint_denom: p?.mintDenom ?? "",
    inflation_rate_change: decText(p?.inflationRateChange ?? "0"),
    inflation_max: decText(p?.inflationMax ?? "0"),
    inflation_min: decText(p?.inflationMin ?? "0"),
    goal_bonded: decText(p?.goalBonded ?? "0"),
    blocks_per_year: (p?.blocksPerYear ?? 0n).toString(),
  };
}

export function mintQueryLeaves(): Leaf[] {
  return [
    queryLeaf(["mint", "params"], "the minting parameters (denom, inflation bounds and rate of change, bonded goal, blocks per year)", [], [], () => async (c) => ({
      json: mintParamsJson((await c.queries.mint.params()).params),
    })),
    queryLeaf(["mint", "inflation"], "the current yearly inflation rate", [], [], () => async (c) => {
      const v = decText(decBytesToFixed18((await c.queries.mint.inflation()).inflation));
      return { json: { inflation: v }, text: v };
    }),
    queryLeaf(["mint", "annual-provisions"], "the current yearly provisions (tokens minted per year at the current rate)", [], [], () => async (c) => {
      const v = decText(decBytesToFixed18((await c.queries.mint.annualProvisions()).annualProvisions));
      return { json: { annual_provisions: v }, text: v };
    }),
  ];
}
