import { Minter, Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import { DEC_ONE, validateDenom } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { DEFAULT_DENOM } from "../../baseapp/tx/constants";
import { FEE_COLLECTOR } from "../auth/ante";
import { decMul, decQuo } from "../distribution/deccoins";
import { decFromProto, decToJson, decToProto } from "../staking/dec";
import { ErrInvalidMintParams } from "./errors";
import type { AccountForMint, BankForMint, StakingForMint } from "./expected";
import { keys, MINT } from "./keys";

/** The module account that mints (permission "minter"). */
export const MINT_MODULE = "mint";

const dec = (s: string) => decFromProto(s);
const pct = (n: bigint) => (DEC_ONE * n) / 100n;

/** The SDK's defaults (x/mint DefaultParams), minting the chain's denom. */
export function defaultMintParams(denom: string = DEFAULT_DENOM): Params {
  return {
    mintDenom: denom,
    inflationRateChange: decToProto(pct(13n)),
    inflationMax: decToProto(pct(20n)),
    inflationMin: decToProto(pct(7n)),
    goalBonded: decToProto(pct(67n)),
    blocksPerYear: 6_311_520n, // 60 × 60 × 8766 / 5: five-second blocks
  };
}

/** The SDK's DefaultInitialMinter: 13% inflation, no provisions yet (computed at the first BeginBlock). */
export function defaultMinter(): Minter {
  return { inflation: decToProto(pct(13n)), annualProvisions: "0" };
}

function checkDec(v: string, name: string, opts: { max?: bigint; positive?: boolean } = {}): bigint {
  let d: bigint;
  try {
    d = decFromProto(v, name);
  } catch (e) {
    throw ErrInvalidMintParams.wrap(e instanceof Error ? e.message : String(e));
  }
  if (d < 0n) throw ErrInvalidMintParams.wrap(`${name} must not be negative: ${decToJson(d)}`);
  if (opts.positive === true && d === 0n) throw ErrInvalidMintParams.wrap(`${name} must be positive`);
  if (opts.max !== undefined && d > opts.max) throw ErrInvalidMintParams.wrap(`${name} must be at most ${decToJson(opts.max)}: ${decToJson(d)}`);
  return d;
}

/** The SDK's Params.Validate. */
export function validateMintParams(p: Params): void {
  if (p.mintDenom.trim() === "") throw ErrInvalidMintParams.wrap("mint_denom must not be blank");
  try {
    validateDenom(p.mintDenom);
  } catch (e) {
    throw ErrInvalidMintParams.wrap(e instanceof Error ? e.message : String(e));
  }
  checkDec(p.inflationRateChange, "inflation_rate_change", { max: DEC_ONE });
  const max = checkDec(p.inflationMax, "inflation_max", { max: DEC_ONE });
  const min = checkDec(p.inflationMin, "inflation_min", { max: DEC_ONE });
  checkDec(p.goalBonded, "goal_bonded", { max: DEC_ONE, positive: true });
  if (p.blocksPerYear <= 0n) throw ErrInvalidMintParams.wrap("blocks_per_year must be positive");
  if (max < min) throw ErrInvalidMintParams.wrap(`inflation_max ${decToJson(max)} must be at least inflation_min ${decToJson(min)}`);
}

export function validateMinter(m: Minter): void {
  checkDec(m.inflation, "minter.inflation");
  checkDec(m.annualProvisions, "minter.annual_provisions");
}

/**
 * The SDK's NextInflationRate: inflation moves toward the bonded goal by at most
 * inflation_rate_change a year, spread over blocks_per_year, clamped to [min, max].
 */
export function nextInflationRate(minter: Minter, p: Params, bondedRatio: bigint): bigint {
  const perYear = decMul(DEC_ONE - decQuo(bondedRatio, dec(p.goalBonded)), dec(p.inflationRateChange));
  const change = decQuo(perYear, p.blocksPerYear * DEC_ONE);
  let inflation = dec(minter.inflation) + change;
  if (inflation > dec(p.inflationMax)) inflation = dec(p.inflationMax);
  if (inflation < dec(p.inflationMin)) inflation = dec(p.inflationMin);
  return inflation;
}

/** annual provisions = inflation × total supply of the bond denom (exact). */
export function nextAnnualProvisions(inflation: bigint, totalSupply: bigint): bigint {
  return inflation * totalSupply;
}

/** The block provision: annual provisions / blocks_per_year, truncated to whole tokens. */
export function blockProvision(annualProvisions: bigint, p: Params): bigint {
  return annualProvisions / p.blocksPerYear / DEC_ONE;
}

/** x/mint with the SDK's inflation model; BeginBlock mints the block provision to the fee collector. */
export class MintKeeper {
  constructor(
    auth: AccountForMint,
    private readonly bank: BankForMint,
    private readonly staking: StakingForMint,
  ) {
    auth.declareModuleAccount(MINT_MODULE, ["minter"]);
  }

  params(ctx: Context): Params {
    const raw = ctx.kv(MINT).get(keys.params());
    return raw === undefined ? defaultMintParams(this.staking.bondDenom(ctx)) : Params.decode(raw);
  }

  setParams(ctx: Context, p: Params): void {
    ctx.kv(MINT).set(keys.params(), Params.encode(p).finish());
  }

  minter(ctx: Context): Minter {
    const raw = ctx.kv(MINT).get(keys.minter());
    return raw === undefined ? defaultMinter() : Minter.decode(raw);
  }

  setMinter(ctx: Context, m: Minter): void {
    ctx.kv(MINT).set(keys.minter(), Minter.encode(m).finish());
  }

  /** bonded tokens / total supply of the bond denom, truncated (0 without supply). */
  bondedRatio(ctx: Context): bigint {
    const supply = this.bank.getSupply(ctx, this.staking.bondDenom(ctx)).amount;
    if (supply <= 0n) return 0n;
    return (this.staking.totalBondedTokens(ctx) * DEC_ONE) / supply;
  }

  /**
   * BeginBlock: recomputes inflation and annual provisions from the bonded ratio and the bond
   * denom's supply, mints the block provision and sends it to the fee collector (distribution
   * allocates it with the fees right after). Emits `mint`. PERF: O(1).
   */
  beginBlock(ctx: Context): bigint {
    const p = this.params(ctx);
    const supply = this.bank.getSupply(ctx, this.staking.bondDenom(ctx)).amount;
    const bondedRatio = this.bondedRatio(ctx);
    const inflation = nextInflationRate(this.minter(ctx), p, bondedRatio);
    const annual = nextAnnualProvisions(inflation, supply);
    this.setMinter(ctx, { inflation: decToProto(inflation), annualProvisions: decToProto(annual) });
    const amount = blockProvision(annual, p);
    if (amount > 0n) {
      const coins = [{ denom: p.mintDenom, amount }];
      this.bank.mintCoins(ctx, MINT_MODULE, coins);
      this.bank.sendFromModuleToModule(ctx, MINT_MODULE, FEE_COLLECTOR, coins);
    }
    ctx.events.emit("mint", [
      ["bonded_ratio", decToJson(bondedRatio)],
      ["inflation", decToJson(inflation)],
      ["annual_provisions", decToJson(annual)],
      ["amount", amount.toString()],
    ]);
    return amount;
  }
}
