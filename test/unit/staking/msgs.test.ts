import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import type { Params } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import {
  MsgBeginRedelegate,
  MsgBeginRedelegateResponse,
  MsgCreateValidator,
  MsgDelegate,
  MsgEditValidator,
  MsgUndelegate,
  MsgUndelegateResponse,
  MsgUpdateParams,
} from "cosmjs-types/cosmos/staking/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";
import { ChainError } from "../../../src/baseapp/errors";
import { DEC_ONE } from "../../../src/x/staking/dec";
import { accountValoper } from "../../../src/x/staking/keeper";
import { addr, consKey, DENOM, fixture, GENESIS_TIME_SECONDS as T0, type Fixture } from "./fixture";

const GOV = moduleAccountAddress("gov");

function fail(f: () => unknown): { codespace: string; code: number; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof ChainError) return { codespace: e.codespace, code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a ChainError");
}

const any = <T>(typeUrl: string, codec: { encode(m: T): { finish(): Uint8Array } }, m: T): Any => ({ typeUrl, value: codec.encode(m).finish() });

const delegate = (delegatorAddress: string, validatorAddress: string, amount: string, denom = DENOM) =>
  any("/cosmos.staking.v1beta1.MsgDelegate", MsgDelegate, { delegatorAddress, validatorAddress, amount: { denom, amount } });

function createMsg(ownerIndex: number, overrides: Partial<MsgCreateValidator> = {}): Any {
  const owner = addr(ownerIndex);
  const m: MsgCreateValidator = {
    description: { moniker: `node-${ownerIndex}`, identity: "", website: "", securityContact: "", details: "" },
    commission: { rate: (DEC_ONE / 10n).toString(), maxRate: (DEC_ONE / 5n).toString(), maxChangeRate: (DEC_ONE / 100n).toString() },
    minSelfDelegation: "1000",
    delegatorAddress: owner,
    validatorAddress: accountValoper(owner),
    pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: consKey(ownerIndex) }).finish() },
    value: { denom: DENOM, amount: "2000000" },
    ...overrides,
  };
  return any("/cosmos.staking.v1beta1.MsgCreateValidator", MsgCreateValidator, m);
}

function updateParams(f: Fixture, authority: string, change: Partial<Params>): Any {
  const params = { ...f.staking.params(f.ctx()), ...change };
  return any("/cosmos.staking.v1beta1.MsgUpdateParams", MsgUpdateParams, { authority, params });
}

describe("staking messages", () => {
  test("MsgDelegate: routable, validated, and its rejections carry codes", () => {
    const f = fixture();
    const r = f.exec(delegate(addr(2), f.valoper, "1000"));
    expect(r.typeUrl).toBe("/cosmos.staking.v1beta1.MsgDelegateResponse");
    expect(f.staking.stakeOf(f.ctx(), addr(2))).toBe(1000n);
    expect(fail(() => f.exec(delegate(addr(2), f.valoper, "0")))).toMatchObject({ codespace: "sdk", code: 18 });
    expect(fail(() => f.exec(delegate(addr(2), f.valoper, "10", "uother")))).toMatchObject({ codespace: "staking", code: 47 });
    expect(fail(() => f.exec(delegate(addr(2), addr(1), "10")))).toMatchObject({ codespace: "sdk", code: 7 });
    expect(fail(() => f.exec(delegate(addr(2), "", "10")))).toMatchObject({ codespace: "staking", code: 2 });
    expect(fail(() => f.exec(delegate("", f.valoper, "10")))).toMatchObject({ codespace: "staking", code: 18 });
  });

  test("signers: the delegator for delegations, the operator's account for validator messages", () => {
    const f = fixture();
    const router = f.app.router;
    expect(router.signers(router.decode(delegate(addr(2), f.valoper, "1")))).toEqual([addr(2)]);
    expect(router.signers(router.decode(createMsg(3)))).toEqual([addr(3)]);
  });

  test("MsgUndelegate and MsgBeginRedelegate answer with the completion time", () => {
    const f = fixture();
    f.exec(createMsg(3));
    f.exec(delegate(addr(2), f.valoper, "5000"));
    const u = f.exec(
      any("/cosmos.staking.v1beta1.MsgUndelegate", MsgUndelegate, {
        delegatorAddress: addr(2),
        validatorAddress: f.valoper,
        amount: { denom: DENOM, amount: "1000" },
      }),
      T0 + 3n,
    );
    expect(MsgUndelegateResponse.decode(u.value)).toEqual({ completionTime: { seconds: T0 + 23n, nanos: 0 }, amount: { denom: DENOM, amount: "1000" } });
    const rd = f.exec(
      any("/cosmos.staking.v1beta1.MsgBeginRedelegate", MsgBeginRedelegate, {
        delegatorAddress: addr(2),
        validatorSrcAddress: f.valoper,
        validatorDstAddress: accountValoper(addr(3)),
        amount: { denom: DENOM, amount: "1000" },
      }),
      T0 + 4n,
    );
    // The new validator is not bonded until EndBlock, but the source is: full unbonding period.
    expect(MsgBeginRedelegateResponse.decode(rd.value).completionTime).toEqual({ seconds: T0 + 24n, nanos: 0 });
  });

  test("MsgCreateValidator: checks key type, commission, self delegation and the minimum commission", () => {
    const f = fixture();
    const secp = { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: Secp256k1PubKey.encode({ key: new Uint8Array(33).fill(2) }).finish() };
    expect(fail(() => f.exec(createMsg(3, { pubkey: secp })))).toMatchObject({ codespace: "staking", code: 6 });
    const noKey: Partial<MsgCreateValidator> = { pubkey: { typeUrl: "", value: new Uint8Array() } };
    expect(fail(() => f.exec(createMsg(3, noKey)))).toMatchObject({ code: 39 });
    const c = (rate: bigint, maxRate: bigint, maxChangeRate: bigint) => ({
      commission: { rate: rate.toString(), maxRate: maxRate.toString(), maxChangeRate: maxChangeRate.toString() },
    });
    expect(fail(() => f.exec(createMsg(3, c(DEC_ONE / 2n, DEC_ONE / 4n, 0n))))).toMatchObject({ code: 11 });
    expect(fail(() => f.exec(createMsg(3, c(0n, 2n * DEC_ONE, 0n))))).toMatchObject({ code: 10 });
    expect(fail(() => f.exec(createMsg(3, c(0n, DEC_ONE / 4n, DEC_ONE / 2n))))).toMatchObject({ code: 14 });
    expect(fail(() => f.exec(createMsg(3, { minSelfDelegation: "3000000" })))).toMatchObject({ code: 16 });
    expect(fail(() => f.exec(createMsg(3, { description: { moniker: "", identity: "", website: "", securityContact: "", details: "" } })))).toMatchObject({
      code: 48,
    });
    f.exec(updateParams(f, GOV, { minCommissionRate: (DEC_ONE / 5n).toString() }));
    expect(fail(() => f.exec(createMsg(3)))).toMatchObject({ code: 40 });
    f.exec(createMsg(3, c(DEC_ONE / 5n, DEC_ONE / 2n, DEC_ONE / 100n)));
    const v = f.staking.getValidator(f.ctx(), accountValoper(addr(3)));
    expect(v?.tokens).toBe("2000000");
    expect(v?.minSelfDelegation).toBe("1000");
    expect(v?.commission.commissionRates.rate).toBe((DEC_ONE / 5n).toString());
  });

  test("MsgEditValidator: description sentinel, commission once per 24h within max change, min self delegation only up", () => {
    const f = fixture();
    f.exec(createMsg(3), T0);
    const valoper = accountValoper(addr(3));
    const edit = (m: Partial<MsgEditValidator>) =>
      any("/cosmos.staking.v1beta1.MsgEditValidator", MsgEditValidator, {
        description: { moniker: "[do-not-modify]", identity: "[do-not-modify]", website: "https://x.example", securityContact: "[do-not-modify]", details: "[do-not-modify]" },
        validatorAddress: valoper,
        commissionRate: "",
        minSelfDelegation: "",
        ...m,
      });
    f.exec(edit({}), T0 + 1n);
    let v = f.staking.getValidator(f.ctx(), valoper);
    expect(v?.description.moniker).toBe("node-3");
    expect(v?.description.website).toBe("https://x.example");
    const rate = (x: bigint) => ({ commissionRate: x.toString() });
    expect(fail(() => f.exec(edit(rate(DEC_ONE / 10n + 1n)), T0 + 100n))).toMatchObject({ code: 12 });
    const day = 86_400n;
    expect(fail(() => f.exec(edit(rate(DEC_ONE / 10n + DEC_ONE / 50n)), T0 + day))).toMatchObject({ code: 15 });
    expect(fail(() => f.exec(edit(rate(DEC_ONE / 4n)), T0 + day))).toMatchObject({ code: 11 });
    f.exec(edit(rate(DEC_ONE / 10n + DEC_ONE / 100n)), T0 + day);
    v = f.staking.getValidator(f.ctx(), valoper);
    expect(v?.commission.commissionRates.rate).toBe((DEC_ONE / 10n + DEC_ONE / 100n).toString());
    expect(v?.commission.updateTime.seconds).toBe(T0 + day);
    expect(fail(() => f.exec(edit({ minSelfDelegation: "1000" })))).toMatchObject({ code: 17 });
    expect(fail(() => f.exec(edit({ minSelfDelegation: "3000000" })))).toMatchObject({ code: 16 });
    f.exec(edit({ minSelfDelegation: "2000" }));
    expect(f.staking.getValidator(f.ctx(), valoper)?.minSelfDelegation).toBe("2000");
  });

  test("MsgUpdateParams: only the gov module account; invalid params are rejected", () => {
    const f = fixture();
    const other = fail(() => f.exec(updateParams(f, addr(1), { maxValidators: 5 })));
    expect(other).toMatchObject({ codespace: "staking", code: 45 });
    expect(other.message).toContain(GOV);
    expect(fail(() => f.exec(updateParams(f, GOV, { maxValidators: 0 })))).toMatchObject({ code: 46 });
    expect(fail(() => f.exec(updateParams(f, GOV, { unbondingTime: { seconds: 0n, nanos: 0 } })))).toMatchObject({ code: 46 });
    expect(fail(() => f.exec(updateParams(f, GOV, { minCommissionRate: (2n * DEC_ONE).toString() })))).toMatchObject({ code: 46 });
    f.exec(updateParams(f, GOV, { maxValidators: 5, unbondingTime: { seconds: 60n, nanos: 0 } }));
    expect(f.staking.params(f.ctx()).maxValidators).toBe(5);
    expect(f.staking.unbondingTime(f.ctx())).toBe(60n);
  });
});
