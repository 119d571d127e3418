import { Params } from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import {
  QueryCommunityPoolRequest,
  QueryCommunityPoolResponse,
  QueryDelegationRewardsRequest,
  QueryDelegationRewardsResponse,
  QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse,
  QueryDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse,
  QueryDelegatorWithdrawAddressRequest,
  QueryDelegatorWithdrawAddressResponse,
  QueryValidatorCommissionRequest,
  QueryValidatorCommissionResponse,
  QueryValidatorDistributionInfoRequest,
  QueryValidatorDistributionInfoResponse,
  QueryValidatorOutstandingRewardsRequest,
  QueryValidatorOutstandingRewardsResponse,
  QueryValidatorSlashesRequest,
  QueryValidatorSlashesResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import {
  MsgCommunityPoolSpend,
  MsgDepositValidatorRewardsPool,
  MsgFundCommunityPool,
  MsgSetWithdrawAddress,
  MsgUpdateParams,
  MsgWithdrawDelegatorReward,
  MsgWithdrawDelegatorRewardResponse,
  MsgWithdrawValidatorCommission,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import type { Context } from "../../../src/baseapp/context";
import { FEE_COLLECTOR } from "../../../src/x/auth/ante";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";
import { DISTRIBUTION_MODULE } from "../../../src/x/distribution/keeper";
import { DEC_ONE } from "../../../src/x/staking/dec";
import { operatorAccount } from "../../../src/x/staking/keeper";
import { addr, fixture, type Fixture } from "../staking/fixture";
import { allocate, blockCtxOn, collectFees, consOf, createValidator, DENOM, fail, vote } from "./helpers";

const GOV = moduleAccountAddress("gov");
const POOL = moduleAccountAddress(DISTRIBUTION_MODULE);
const D = (n: bigint) => n * DEC_ONE;

const any = (typeUrl: string, value: Uint8Array): Any => ({ typeUrl: `/cosmos.distribution.v1beta1.${typeUrl}`, value });
const fund = (depositor: string, amount: bigint) =>
  any("MsgFundCommunityPool", MsgFundCommunityPool.encode({ depositor, amount: [{ denom: DENOM, amount: amount.toString() }] }).finish());
const spend = (authority: string, recipient: string, amount: bigint) =>
  any("MsgCommunityPoolSpend", MsgCommunityPoolSpend.encode({ authority, recipient, amount: [{ denom: DENOM, amount: amount.toString() }] }).finish());
const withdraw = (delegatorAddress: string, validatorAddress: string) =>
  any("MsgWithdrawDelegatorReward", MsgWithdrawDelegatorReward.encode({ delegatorAddress, validatorAddress }).finish());
const withdrawCommission = (validatorAddress: string) =>
  any("MsgWithdrawValidatorCommission", MsgWithdrawValidatorCommission.encode({ validatorAddress }).finish());
const setWithdraw = (delegatorAddress: string, withdrawAddress: string) =>
  any("MsgSetWithdrawAddress", MsgSetWithdrawAddress.encode({ delegatorAddress, withdrawAddress }).finish());

const bal = (f: Fixture, a: string) => f.app.bank.getBalance(f.ctx(), a, DENOM).amount;

function query<Req, Res>(f: Fixture, ctx: Context, method: string, req: { encode(r: Req): { finish(): Uint8Array } }, r: Req, res: { decode(b: Uint8Array): Res }): Res {
  return res.decode(f.app.queries.handle(ctx, `/cosmos.distribution.v1beta1.Query/${method}`, req.encode(r).finish()));
}

describe("distribution: community pool", () => {
  test("MsgFundCommunityPool adds to the pool; the module account holds it", () => {
    const f = fixture();
    f.exec(fund(addr(2), 1234n));
    expect(f.keepers.distribution.communityPool(f.ctx())).toEqual([{ denom: DENOM, amount: D(1234n) }]);
    expect(bal(f, POOL)).toBe(1234n);
    expect(fail(() => f.exec(fund(addr(2), 10_000_000_000n)))).toMatchObject({ codespace: "sdk", code: 5 });
  });

  test("BeginBlock without a last commit (or at height 1) sends all fees to the pool", () => {
    const f = fixture();
    collectFees(f, 900n);
    allocate(f, 1n, [vote(f, f.valoper)]);
    expect(f.keepers.distribution.communityPool(f.ctx())).toEqual([{ denom: DENOM, amount: D(900n) }]);
    collectFees(f, 100n);
    allocate(f, 2n, []);
    expect(f.keepers.distribution.communityPool(f.ctx())).toEqual([{ denom: DENOM, amount: D(1000n) }]);
    expect(f.app.bank.getAllBalances(f.ctx(), moduleAccountAddress(FEE_COLLECTOR))).toEqual([]);
  });

  test("MsgCommunityPoolSpend: gov only (distribution 15), pays out, a short pool is distribution 9", () => {
    const f = fixture();
    f.exec(fund(addr(2), 1000n));
    const other = fail(() => f.exec(spend(addr(2), addr(3), 10n)));
    expect(other).toMatchObject({ codespace: "distribution", code: 15 });
    expect(other.message).toContain(GOV);
    const before = bal(f, addr(3));
    f.exec(spend(GOV, addr(3), 400n));
    expect(bal(f, addr(3))).toBe(before + 400n);
    expect(f.keepers.distribution.communityPool(f.ctx())).toEqual([{ denom: DENOM, amount: D(600n) }]);
    const short = fail(() => f.exec(spend(GOV, addr(3), 601n)));
    expect(short).toMatchObject({ codespace: "distribution", code: 9 });
    expect(short.message).toContain("600udcert");
    expect(fail(() => f.exec(spend(GOV, "", 1n)))).toMatchObject({ codespace: "distribution", code: 11 });
    expect(fail(() => f.exec(spend(GOV, addr(3), 0n)))).toMatchObject({ codespace: "distribution", code: 10 });
    expect(fail(() => f.exec(spend(GOV, moduleAccountAddress("bonded_tokens_pool"), 1n)))).toMatchObject({ code: 11 });
  });

  test("outstanding rewards in the module account are not the pool's to spend (stipend path)", () => {
    const f = fixture();
    collectFees(f, 1000n);
    allocate(f, 2n, [vote(f, f.valoper)]);
    const d = f.keepers.distribution;
    // 2% of 1000 to the pool; the module account holds all 1000.
    expect(bal(f, POOL)).toBe(1000n);
    expect(d.communityPoolBalance(f.ctx(), DENOM)).toBe(20n);
    expect(fail(() => f.tx((ctx) => d.spendFromCommunityPool(ctx, addr(4), [{ denom: DENOM, amount: 21n }])))).toMatchObject({ codespace: "distribution", code: 9 });
    f.tx((ctx) => d.spendFromCommunityPool(ctx, addr(4), [{ denom: DENOM, amount: 20n }]));
    expect(d.communityPool(f.ctx())).toEqual([]);
  });

  test("MsgUpdateParams: gov only, validated", () => {
    const f = fixture();
    const msg = (authority: string, communityTax: bigint) =>
      any(
        "MsgUpdateParams",
        MsgUpdateParams.encode({
          authority,
          params: Params.fromPartial({ communityTax: communityTax.toString(), baseProposerReward: "0", bonusProposerReward: "0", withdrawAddrEnabled: true }),
        }).finish(),
      );
    expect(fail(() => f.exec(msg(addr(1), DEC_ONE / 10n)))).toMatchObject({ codespace: "distribution", code: 15 });
    expect(fail(() => f.exec(msg(GOV, 2n * DEC_ONE)))).toMatchObject({ codespace: "distribution", code: 16 });
    f.exec(msg(GOV, DEC_ONE / 10n));
    expect(f.keepers.distribution.params(f.ctx()).communityTax).toBe((DEC_ONE / 10n).toString());
  });

  test("CommunityPool query encodes DecCoins as the integer of amount × 10^18", () => {
    const f = fixture();
    f.exec(fund(addr(2), 5n));
    const res = query(f, f.ctx(), "CommunityPool", QueryCommunityPoolRequest, {}, QueryCommunityPoolResponse);
    expect(res.pool).toEqual([{ denom: DENOM, amount: "5000000000000000000" }]);
  });
});

describe("distribution: F1 allocation and withdrawal", () => {
  test("allocation by signed votes: community tax, commission, delegator rewards; absent validators get nothing", () => {
    const f = fixture();
    const v2 = createValidator(f, 3, 1_000_000_000n);
    const d = f.keepers.distribution;
    collectFees(f, 10_000n);
    const ctx = allocate(f, 2n, [vote(f, f.valoper), vote(f, v2, BlockIDFlag.BLOCK_ID_FLAG_ABSENT)]);
    // 2% tax: 200; the signer gets 9800 of which 10% commission.
    expect(d.communityPool(ctx)).toEqual([{ denom: DENOM, amount: D(200n) }]);
    expect(d.outstandingRewards(ctx, f.valoper)).toEqual([{ denom: DENOM, amount: D(9800n) }]);
    expect(d.accumulatedCommission(ctx, f.valoper)).toEqual([{ denom: DENOM, amount: D(980n) }]);
    expect(d.currentRewards(ctx, f.valoper)?.rewards).toEqual([{ denom: DENOM, amount: D(8820n) }]);
    expect(d.outstandingRewards(ctx, v2)).toEqual([]);
    const types = ctx.events.events().map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["commission", "rewards"]));
    const rewards = ctx.events.events().find((e) => e.type === "rewards");
    expect(rewards?.attributes.map((a) => [a.key, a.value])).toEqual([
      ["amount", "9800.000000000000000000udcert"],
      ["validator", f.valoper],
    ]);
    // Two signers split by power (1000 : 1000).
    collectFees(f, 10_000n);
    allocate(f, 3n, [vote(f, f.valoper), vote(f, v2, BlockIDFlag.BLOCK_ID_FLAG_NIL)]);
    expect(d.outstandingRewards(f.ctx(), v2)).toEqual([{ denom: DENOM, amount: D(4900n) }]);
    expect(d.outstandingRewards(f.ctx(), f.valoper)).toEqual([{ denom: DENOM, amount: D(9800n + 4900n) }]);
  });

  test("MsgWithdrawDelegatorReward pays the whole rewards; the query agreed; a second withdrawal pays 0", () => {
    const f = fixture();
    const d = f.keepers.distribution;
    const del = addr(2);
    f.tx((c) => f.staking.delegate(c, del, f.valoper, 1_000_000_000n), undefined, 1n);
    collectFees(f, 10_000n);
    allocate(f, 2n, [vote(f, f.valoper)]);
    // 8820 to delegators, half each (1e9 : 1e9 tokens).
    const ctx3 = blockCtxOn(f, 3n);
    const q = query(f, ctx3, "DelegationRewards", QueryDelegationRewardsRequest, { delegatorAddress: del, validatorAddress: f.valoper }, QueryDelegationRewardsResponse);
    expect(q.rewards).toEqual([{ denom: DENOM, amount: (D(4410n)).toString() }]);
    const total = query(f, ctx3, "DelegationTotalRewards", QueryDelegationTotalRewardsRequest, { delegatorAddress: del }, QueryDelegationTotalRewardsResponse);
    expect(total.total).toEqual(q.rewards);
    expect(total.rewards.map((r) => r.validatorAddress)).toEqual([f.valoper]);
    const before = bal(f, del);
    const res = f.tx((c) => f.app.router.execute(c, f.app.router.decode(withdraw(del, f.valoper))), undefined, 3n);
    expect(MsgWithdrawDelegatorRewardResponse.decode(res.value).amount).toEqual([{ denom: DENOM, amount: "4410" }]);
    expect(bal(f, del)).toBe(before + 4410n);
    expect(d.outstandingRewards(f.ctx(), f.valoper)).toEqual([{ denom: DENOM, amount: D(9800n - 4410n) }]);
    f.tx((c) => f.app.router.execute(c, f.app.router.decode(withdraw(del, f.valoper))), undefined, 3n);
    expect(bal(f, del)).toBe(before + 4410n);
    // The operator's commission and self-delegation rewards.
    const info = query(f, blockCtxOn(f, 4n), "ValidatorDistributionInfo", QueryValidatorDistributionInfoRequest, { validatorAddress: f.valoper }, QueryValidatorDistributionInfoResponse);
    expect(info).toEqual({
      operatorAddress: operatorAccount(f.valoper),
      selfBondRewards: [{ denom: DENOM, amount: D(4410n).toString() }],
      commission: [{ denom: DENOM, amount: D(980n).toString() }],
    });
  });

  test("rewards are withdrawn automatically when a delegation changes, to the withdraw address", () => {
    const f = fixture();
    const del = addr(2);
    const to = addr(5);
    f.tx((c) => f.staking.delegate(c, del, f.valoper, 1_000_000_000n), undefined, 1n);
    f.exec(setWithdraw(del, to));
    const q = query(f, f.ctx(), "DelegatorWithdrawAddress", QueryDelegatorWithdrawAddressRequest, { delegatorAddress: del }, QueryDelegatorWithdrawAddressResponse);
    expect(q.withdrawAddress).toBe(to);
    collectFees(f, 10_000n);
    allocate(f, 2n, [vote(f, f.valoper)]);
    f.tx((c) => f.staking.delegate(c, del, f.valoper, 1_000n), undefined, 3n);
    expect(bal(f, to)).toBe(4410n);
    f.tx((c) => f.staking.undelegate(c, del, f.valoper, 1_000_000_000n + 1_000n), undefined, 4n);
    expect(bal(f, to)).toBe(4410n);
    expect(f.keepers.distribution.startingInfo(f.ctx(), del, f.valoper)).toBeUndefined();
  });

  test("MsgWithdrawValidatorCommission pays the whole commission to the operator; refusals carry the SDK codes", () => {
    const f = fixture();
    const op = operatorAccount(f.valoper);
    expect(fail(() => f.exec(withdrawCommission(f.valoper)))).toMatchObject({ codespace: "distribution", code: 7 });
    collectFees(f, 1_001n);
    allocate(f, 2n, [vote(f, f.valoper)]);
    const before = bal(f, op);
    const c = query(f, f.ctx(), "ValidatorCommission", QueryValidatorCommissionRequest, { validatorAddress: f.valoper }, QueryValidatorCommissionResponse);
    // 1001 × 0.98 = 980.98 (truncated per coin), 10% = 98.098.
    expect(c.commission.commission).toEqual([{ denom: DENOM, amount: "98098000000000000000" }]);
    f.exec(withdrawCommission(f.valoper));
    expect(bal(f, op)).toBe(before + 98n);
    expect(f.keepers.distribution.accumulatedCommission(f.ctx(), f.valoper)).toEqual([{ denom: DENOM, amount: 98_000_000_000_000_000n }]);
    const out = query(f, f.ctx(), "ValidatorOutstandingRewards", QueryValidatorOutstandingRewardsRequest, { validatorAddress: f.valoper }, QueryValidatorOutstandingRewardsResponse);
    expect(out.rewards.rewards).toEqual([{ denom: DENOM, amount: (980_980_000_000_000_000_000n - D(98n)).toString() }]);

    const stranger = addr(6);
    expect(fail(() => f.exec(withdraw(addr(3), f.valoper)))).toMatchObject({ codespace: "distribution", code: 5 });
    expect(fail(() => f.exec(withdraw(addr(3), "dcertvaloper1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqxxxxxx")))).toMatchObject({ codespace: "sdk" });
    expect(fail(() => f.exec(withdraw("", f.valoper)))).toMatchObject({ codespace: "distribution", code: 2 });
    expect(fail(() => f.exec(withdraw(addr(3), "")))).toMatchObject({ codespace: "distribution", code: 4 });
    expect(fail(() => f.exec(setWithdraw(addr(3), "")))).toMatchObject({ codespace: "distribution", code: 3 });
    expect(fail(() => f.exec(setWithdraw(addr(3), POOL)))).toMatchObject({ codespace: "sdk", code: 4 });
    const unknown = createValidator(f, 4, 1_000_000n);
    f.tx((ctx) => f.staking.undelegate(ctx, operatorAccount(unknown), unknown, 1_000_000n));
    f.staking.endBlock(f.ctx());
    expect(fail(() => f.exec(withdraw(stranger, unknown)))).toMatchObject({ codespace: "distribution", code: 6 });
    expect(() => query(f, f.ctx(), "ValidatorCommission", QueryValidatorCommissionRequest, { validatorAddress: unknown }, QueryValidatorCommissionResponse)).toThrow(
      /does not exist/,
    );
    // withdraw_addr_enabled = false: distribution 8.
    f.tx((ctx) => f.keepers.distribution.setParams(ctx, { ...f.keepers.distribution.params(ctx), withdrawAddrEnabled: false }));
    expect(fail(() => f.exec(setWithdraw(addr(3), addr(4))))).toMatchObject({ codespace: "distribution", code: 8 });
  });

  test("a slash records an event, ends a period, and shrinks later rewards by the fraction", () => {
    const f = fixture();
    const d = f.keepers.distribution;
    const del = addr(2);
    f.tx((c) => f.staking.delegate(c, del, f.valoper, 1_000_000_000n), undefined, 1n);
    collectFees(f, 10_000n);
    allocate(f, 2n, [vote(f, f.valoper)]);
    // Slash 10% at height 3 (infraction now: only the validator's tokens).
    f.tx((c) => f.staking.slash(c, consOf(c, f, f.valoper), 3n, 2000n, DEC_ONE / 10n), undefined, 3n);
    const slashes = query(f, f.ctx(), "ValidatorSlashes", QueryValidatorSlashesRequest, { validatorAddress: f.valoper, startingHeight: 0n, endingHeight: 10n }, QueryValidatorSlashesResponse);
    expect(slashes.slashes).toHaveLength(1);
    expect(slashes.slashes[0]?.fraction).toBe((DEC_ONE / 10n).toString());
    expect(() =>
      query(f, f.ctx(), "ValidatorSlashes", QueryValidatorSlashesRequest, { validatorAddress: f.valoper, startingHeight: 5n, endingHeight: 1n }, QueryValidatorSlashesResponse),
    ).toThrow(/starting height greater than ending height/);
    collectFees(f, 10_000n);
    allocate(f, 4n, [vote(f, f.valoper)]);
    const ctx5 = blockCtxOn(f, 5n);
    // 4410 before the slash; after it both halves are 0.9e9 tokens: 4410 again (same split).
    const r = d.delegationRewards(ctx5, del, f.valoper);
    const got = r[0]?.amount ?? 0n;
    expect(got).toBeLessThanOrEqual(D(8820n));
    expect(got).toBeGreaterThan(D(8819n));
    const validators = query(f, ctx5, "DelegatorValidators", QueryDelegatorValidatorsRequest, { delegatorAddress: del }, QueryDelegatorValidatorsResponse);
    expect(validators.validators).toEqual([f.valoper]);
  });

  test("MsgDepositValidatorRewardsPool adds to a validator's rewards", () => {
    const f = fixture();
    const msg = any(
      "MsgDepositValidatorRewardsPool",
      MsgDepositValidatorRewardsPool.encode({ depositor: addr(2), validatorAddress: f.valoper, amount: [{ denom: DENOM, amount: "100" }] }).finish(),
    );
    f.exec(msg);
    expect(f.keepers.distribution.outstandingRewards(f.ctx(), f.valoper)).toEqual([{ denom: DENOM, amount: D(100n) }]);
    expect(f.keepers.distribution.accumulatedCommission(f.ctx(), f.valoper)).toEqual([{ denom: DENOM, amount: D(10n) }]);
    expect(bal(f, POOL)).toBe(100n);
  });
});

describe("distribution: genesis", () => {
  function busy(): Fixture {
    const f = fixture();
    const v2 = createValidator(f, 3, 500_000_000n);
    f.tx((c) => f.staking.endBlock(c));
    f.tx((c) => f.staking.delegate(c, addr(2), f.valoper, 1_000_000_000n), undefined, 1n);
    f.exec(setWithdraw(addr(2), addr(5)));
    f.exec(fund(addr(2), 42n));
    collectFees(f, 12_345n);
    allocate(f, 2n, [vote(f, f.valoper), vote(f, v2)]);
    f.tx((c) => f.staking.slash(c, consOf(c, f, v2), 3n, 500n, DEC_ONE / 20n), undefined, 3n);
    f.tx((c) => f.staking.delegate(c, addr(4), v2, 7_000_000n), undefined, 3n);
    return f;
  }

  test("export → validate → import into the same state exports the same (every F1 record)", () => {
    const f = busy();
    const mod = f.app.modules.find((m) => m.name === "distribution");
    if (mod === undefined) throw new Error("distribution module missing");
    const exported = mod.exportGenesis(f.ctx()) as Record<string, unknown[]>;
    for (const field of ["outstanding_rewards", "validator_accumulated_commissions", "validator_historical_rewards", "validator_current_rewards", "delegator_starting_infos", "validator_slash_events", "delegator_withdraw_infos"]) {
      expect(exported[field]?.length).toBeGreaterThan(0);
    }
    mod.validateGenesis(JSON.parse(JSON.stringify(exported)));
    mod.initGenesis(f.ctx(), JSON.parse(JSON.stringify(exported)));
    expect(mod.exportGenesis(f.ctx())).toEqual(exported);
  });

  test("InitGenesis refuses records that disagree with each other or with the module account", () => {
    const f = busy();
    const mod = f.app.modules.find((m) => m.name === "distribution");
    if (mod === undefined) throw new Error("distribution module missing");
    const exported = mod.exportGenesis(f.ctx()) as Record<string, unknown>;
    const copy = () => JSON.parse(JSON.stringify(exported)) as Record<string, Record<string, unknown>[]>;
    const pool = copy();
    (pool as unknown as { fee_pool: unknown }).fee_pool = { community_pool: [{ denom: DENOM, amount: "1.000000000000000000" }] };
    expect(() => mod.initGenesis(f.ctx(), pool)).toThrow(/module account distribution .* holds \d+udcert in bank.balances; make them equal/);
    const refs = copy();
    const h = refs["validator_historical_rewards"]?.[0] as { rewards: { reference_count: number } };
    h.rewards.reference_count += 1;
    expect(() => mod.validateGenesis(refs)).toThrow(/is referenced \d+ times but its record says/);
    const orphan = copy();
    orphan["validator_current_rewards"] = [];
    expect(() => mod.validateGenesis(orphan)).toThrow(/has no validator_current_rewards record/);
    expect(() => mod.validateGenesis({ ...copy(), fee_pool: { community_pool: [{ denom: DENOM, amount: "-1" }] } })).toThrow(/negative/);
  });
});
