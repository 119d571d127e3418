import { Params } from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import { QueryCommunityPoolRequest, QueryCommunityPoolResponse } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { MsgCommunityPoolSpend, MsgFundCommunityPool, MsgUpdateParams } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { FEE_COLLECTOR } from "../../../src/x/auth/ante";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";
import { DISTRIBUTION_MODULE } from "../../../src/x/distribution/keeper";
import { ChainError } from "../../../src/baseapp/errors";
import { DEC_ONE } from "../../../src/x/staking/dec";
import { addr, DENOM, fixture } from "../staking/fixture";

const GOV = moduleAccountAddress("gov");
const POOL = moduleAccountAddress(DISTRIBUTION_MODULE);

function fail(f: () => unknown): { codespace: string; code: number; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof ChainError) return { codespace: e.codespace, code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a ChainError");
}

const fund = (depositor: string, amount: bigint): Any => ({
  typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPool",
  value: MsgFundCommunityPool.encode({ depositor, amount: [{ denom: DENOM, amount: amount.toString() }] }).finish(),
});

const spend = (authority: string, recipient: string, amount: bigint): Any => ({
  typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
  value: MsgCommunityPoolSpend.encode({ authority, recipient, amount: [{ denom: DENOM, amount: amount.toString() }] }).finish(),
});

describe("distribution (community pool)", () => {
  test("MsgFundCommunityPool adds to the pool (the module account's balance)", () => {
    const f = fixture();
    const d = f.keepers.distribution;
    f.exec(fund(addr(2), 1234n));
    const ctx = f.ctx();
    expect(d.communityPool(ctx)).toEqual([{ denom: DENOM, amount: 1234n }]);
    expect(f.app.bank.getBalance(ctx, POOL, DENOM).amount).toBe(1234n);
    expect(fail(() => f.exec(fund(addr(2), 10_000_000_000n)))).toMatchObject({ codespace: "sdk", code: 5 });
  });

  test("BeginBlock sweeps the fee collector into the pool", () => {
    const f = fixture();
    f.tx((ctx) => f.app.bank.sendFromAccountToModule(ctx, addr(2), FEE_COLLECTOR, [{ denom: DENOM, amount: 900n }]));
    const ctx = f.ctx();
    expect(f.keepers.distribution.communityPool(ctx)).toEqual([]);
    f.keepers.distribution.beginBlock(ctx);
    expect(f.keepers.distribution.communityPool(ctx)).toEqual([{ denom: DENOM, amount: 900n }]);
    expect(f.app.bank.getAllBalances(ctx, moduleAccountAddress(FEE_COLLECTOR))).toEqual([]);
  });

  test("MsgCommunityPoolSpend: gov authority only (distribution 15), pays out, insufficient pool is sdk 5", () => {
    const f = fixture();
    f.exec(fund(addr(2), 1000n));
    const other = fail(() => f.exec(spend(addr(2), addr(3), 10n)));
    expect(other).toMatchObject({ codespace: "distribution", code: 15 });
    expect(other.message).toContain(GOV);
    const before = f.app.bank.getBalance(f.ctx(), addr(3), DENOM).amount;
    f.exec(spend(GOV, addr(3), 400n));
    expect(f.app.bank.getBalance(f.ctx(), addr(3), DENOM).amount).toBe(before + 400n);
    expect(f.keepers.distribution.communityPool(f.ctx())).toEqual([{ denom: DENOM, amount: 600n }]);
    expect(fail(() => f.exec(spend(GOV, addr(3), 601n)))).toMatchObject({ codespace: "sdk", code: 5 });
    expect(fail(() => f.exec(spend(GOV, "", 1n)))).toMatchObject({ codespace: "distribution", code: 11 });
    expect(fail(() => f.exec(spend(GOV, addr(3), 0n)))).toMatchObject({ codespace: "distribution", code: 10 });
    expect(fail(() => f.exec(spend(GOV, moduleAccountAddress("bonded_tokens_pool"), 1n)))).toMatchObject({ code: 11 });
  });

  test("spendFromCommunityPool (the dCERT stipend path) throws ErrInsufficientFunds and changes nothing when short", () => {
    const f = fixture();
    f.exec(fund(addr(2), 50n));
    const d = f.keepers.distribution;
    const err = fail(() => f.tx((ctx) => d.spendFromCommunityPool(ctx, addr(4), [{ denom: DENOM, amount: 51n }])));
    expect(err).toMatchObject({ codespace: "sdk", code: 5 });
    expect(d.communityPool(f.ctx())).toEqual([{ denom: DENOM, amount: 50n }]);
    f.tx((ctx) => d.spendFromCommunityPool(ctx, addr(4), [{ denom: DENOM, amount: 50n }]));
    expect(d.communityPool(f.ctx())).toEqual([]);
  });

  test("MsgUpdateParams: gov only, validated", () => {
    const f = fixture();
    const msg = (authority: string, communityTax: bigint): Any => ({
      typeUrl: "/cosmos.distribution.v1beta1.MsgUpdateParams",
      value: MsgUpdateParams.encode({
        authority,
        params: Params.fromPartial({ communityTax: communityTax.toString(), baseProposerReward: "0", bonusProposerReward: "0", withdrawAddrEnabled: true }),
      }).finish(),
    });
    expect(fail(() => f.exec(msg(addr(1), DEC_ONE / 10n)))).toMatchObject({ codespace: "distribution", code: 15 });
    expect(fail(() => f.exec(msg(GOV, 2n * DEC_ONE)))).toMatchObject({ codespace: "distribution", code: 16 });
    f.exec(msg(GOV, DEC_ONE / 10n));
    expect(f.keepers.distribution.params(f.ctx()).communityTax).toBe((DEC_ONE / 10n).toString());
  });

  test("CommunityPool query encodes DecCoins as the integer of amount × 10^18", () => {
    const f = fixture();
    f.exec(fund(addr(2), 5n));
    const res = f.app.queries.handle(f.ctx(), "/cosmos.distribution.v1beta1.Query/CommunityPool", QueryCommunityPoolRequest.encode({}).finish());
    expect(QueryCommunityPoolResponse.decode(res).pool).toEqual([{ denom: DENOM, amount: "5000000000000000000" }]);
  });

  test("genesis: the pool must match the module account's balance; export → import round trip", () => {
    const f = fixture();
    f.exec(fund(addr(2), 42n));
    const mod = f.app.modules.find((m) => m.name === "distribution");
    if (mod === undefined) throw new Error("distribution module missing");
    const exported = mod.exportGenesis(f.ctx()) as { fee_pool: { community_pool: unknown[] } };
    expect(exported.fee_pool.community_pool).toEqual([{ denom: DENOM, amount: "42.000000000000000000" }]);
    // Importing into the same state (balance 42) works and exports the same.
    mod.initGenesis(f.ctx(), exported);
    expect(mod.exportGenesis(f.ctx())).toEqual(exported);
    // A mismatch names the fix.
    expect(() => mod.initGenesis(f.ctx(), { ...exported, fee_pool: { community_pool: [{ denom: DENOM, amount: "41.000000000000000000" }] } })).toThrow(
      /holds 42udcert/,
    );
    expect(() => mod.validateGenesis({ ...exported, fee_pool: { community_pool: [{ denom: DENOM, amount: "1.5" }] } })).toThrow(/whole number/);
  });
});
