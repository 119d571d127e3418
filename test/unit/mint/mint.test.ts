import { Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import {
  QueryAnnualProvisionsRequest,
  QueryAnnualProvisionsResponse,
  QueryInflationRequest,
  QueryInflationResponse,
  QueryParamsRequest,
  QueryParamsResponse,
} from "cosmjs-types/cosmos/mint/v1beta1/query";
import { MsgUpdateParams } from "cosmjs-types/cosmos/mint/v1beta1/tx";
import fc from "fast-check";
import { FEE_COLLECTOR } from "../../../src/x/auth/ante";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";
import { blockProvision, defaultMinter, defaultMintParams, nextInflationRate, validateMintParams } from "../../../src/x/mint/keeper";
import { defaultMintGenesis } from "../../../src/x/mint/genesis";
import { DEC_ONE } from "../../../src/x/staking/dec";
import { addr, DENOM, fixture } from "../staking/fixture";
import { fail } from "../distribution/helpers";

const GOV = moduleAccountAddress("gov");
const pct = (n: bigint) => (DEC_ONE * n) / 100n;

describe("mint", () => {
  test("inflation moves toward the bonded goal by rate_change / blocks_per_year and stays in [min, max]", () => {
    const p = defaultMintParams(DENOM);
    const m = defaultMinter();
    // Bonded 0%: +0.13 a year spread over 6311520 blocks: 0.13e18 / 6311520 = 20597257079.4, rounded.
    expect(nextInflationRate(m, p, 0n)).toBe(pct(13n) + 20597257079n);
    // Bonded at the goal: unchanged.
    expect(nextInflationRate(m, p, pct(67n))).toBe(pct(13n));
    fc.assert(
      fc.property(fc.bigInt(0n, DEC_ONE), fc.bigInt(0n, DEC_ONE), (ratio, inflation) => {
        const next = nextInflationRate({ inflation: inflation.toString(), annualProvisions: "0" }, p, ratio);
        expect(next).toBeGreaterThanOrEqual(pct(7n));
        expect(next).toBeLessThanOrEqual(pct(20n));
      }),
    );
  });

  test("BeginBlock mints exactly the block provision into the fee collector; supply grows by it", () => {
    const f = fixture({ editGenesis: (s) => (s["mint"] = defaultMintGenesis(DENOM)) });
    const k = f.keepers.mint;
    const ctx = f.ctx();
    const supply = f.app.bank.getSupply(ctx, DENOM).amount;
    const minted = k.beginBlock(ctx);
    const m = k.minter(ctx);
    expect(minted).toBe(blockProvision(BigInt(m.annualProvisions), k.params(ctx)));
    expect(BigInt(m.annualProvisions)).toBe(BigInt(m.inflation) * supply);
    expect(minted).toBeGreaterThan(0n);
    expect(f.app.bank.getSupply(ctx, DENOM).amount).toBe(supply + minted);
    expect(f.app.bank.getBalance(ctx, moduleAccountAddress(FEE_COLLECTOR), DENOM).amount).toBe(minted);
    const ev = ctx.events.events().find((e) => e.type === "mint");
    expect(ev?.attributes.map((a) => a.key)).toEqual(["bonded_ratio", "inflation", "annual_provisions", "amount"]);
  });

  test("test chains mint nothing; queries answer params, inflation and annual provisions as the SDK encodes them", () => {
    const f = fixture();
    const ctx = f.ctx();
    expect(f.keepers.mint.beginBlock(ctx)).toBe(0n);
    const q = <Res>(method: string, req: { encode(r: object): { finish(): Uint8Array } }, res: { decode(b: Uint8Array): Res }) =>
      res.decode(f.app.queries.handle(f.ctx(), `/cosmos.mint.v1beta1.Query/${method}`, req.encode({}).finish()));
    expect(q("Params", QueryParamsRequest, QueryParamsResponse).params.mintDenom).toBe(DENOM);
    expect(new TextDecoder().decode(q("Inflation", QueryInflationRequest, QueryInflationResponse).inflation)).toBe("0");
    expect(new TextDecoder().decode(q("AnnualProvisions", QueryAnnualProvisionsRequest, QueryAnnualProvisionsResponse).annualProvisions)).toBe("0");
  });

  test("params validation and MsgUpdateParams (gov only: gov 13; invalid: mint 2)", () => {
    const p = defaultMintParams(DENOM);
    expect(() => validateMintParams({ ...p, inflationMax: pct(5n).toString() })).toThrow(/at least inflation_min/);
    expect(() => validateMintParams({ ...p, goalBonded: "0" })).toThrow(/goal_bonded must be positive/);
    expect(() => validateMintParams({ ...p, blocksPerYear: 0n })).toThrow(/blocks_per_year must be positive/);
    expect(() => validateMintParams({ ...p, mintDenom: " " })).toThrow(/mint_denom/);
    const f = fixture();
    const msg = (authority: string, params: Params) => ({ typeUrl: "/cosmos.mint.v1beta1.MsgUpdateParams", value: MsgUpdateParams.encode({ authority, params }).finish() });
    expect(fail(() => f.exec(msg(addr(1), p)))).toMatchObject({ codespace: "gov", code: 13 });
    expect(fail(() => f.exec(msg(GOV, { ...p, inflationMin: pct(50n).toString() })))).toMatchObject({ codespace: "mint", code: 2 });
    f.exec(msg(GOV, { ...p, blocksPerYear: 1000n }));
    expect(f.keepers.mint.params(f.ctx()).blocksPerYear).toBe(1000n);
  });

  test("genesis: export → import round trip; invalid sections are refused with their path", () => {
    const f = fixture({ editGenesis: (s) => (s["mint"] = defaultMintGenesis(DENOM)) });
    const mod = f.app.modules.find((m) => m.name === "mint");
    if (mod === undefined) throw new Error("mint module missing");
    f.keepers.mint.beginBlock(f.ctx());
    const exported = mod.exportGenesis(f.ctx());
    mod.validateGenesis(JSON.parse(JSON.stringify(exported)));
    mod.initGenesis(f.ctx(), JSON.parse(JSON.stringify(exported)));
    expect(mod.exportGenesis(f.ctx())).toEqual(exported);
    expect(() => mod.validateGenesis({ params: { blocks_per_year: "0" } })).toThrow(/mint.params/);
    expect(() => mod.validateGenesis({ minter: { inflation: "-0.1" } })).toThrow(/mint.minter/);
  });
});
