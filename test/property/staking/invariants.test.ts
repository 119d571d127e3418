/**
 * Random sequences of delegate / undelegate / redelegate / create-validator / fund / fee / block
 * against the real app's router and keepers (max_validators 2, so validators enter and leave the
 * set). After every block:
 *  - bank total supply equals the sum of all balances, module accounts included;
 *  - the bonded pool holds exactly the tokens of bonded validators, and the not-bonded pool the
 *    tokens of the others plus every pending unbonding entry;
 *  - each validator's delegator shares are the sum of its delegations' shares;
 *  - the validator set CometBFT would have (genesis set + every returned update) equals the
 *    staking module's last powers, which equal the bonded validators' powers.
 */
import fc from "fast-check";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { MsgBeginRedelegate, MsgCreateValidator, MsgDelegate, MsgUndelegate } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { MsgFundCommunityPool } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { FEE_COLLECTOR } from "../../../src/x/auth/ante";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";
import type { Context } from "../../../src/baseapp/context";
import { ChainError } from "../../../src/baseapp/errors";
import { decFromProto } from "../../../src/x/staking/dec";
import {
  accountValoper,
  BONDED_POOL,
  consensusPower,
  NOT_BONDED_POOL,
  validatorPubkey,
  validatorShares,
  validatorTokens,
} from "../../../src/x/staking/keeper";
import { toHex } from "../../../src/baseapp/encoding";
import { addr, consKey, DENOM, fixture, GENESIS_TIME_SECONDS, type Fixture } from "../../unit/staking/fixture";
import { TEST_VALIDATOR_PUBKEY_B64 } from "../../helpers/app";

type Op =
  | { kind: "create"; owner: number; amount: bigint }
  | { kind: "delegate"; who: number; val: number; amount: bigint }
  | { kind: "undelegate"; who: number; val: number; amount: bigint }
  | { kind: "redelegate"; who: number; src: number; dst: number; amount: bigint }
  | { kind: "fund"; who: number; amount: bigint }
  | { kind: "fee"; who: number; amount: bigint }
  | { kind: "block"; seconds: bigint };

const who = fc.integer({ min: 1, max: 4 });
const val = fc.oneof(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 4 }));
const amount = fc.oneof(fc.bigInt({ min: 1n, max: 800_000n }), fc.constantFrom(1_000_000n, 2_000_000n));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("create" as const), owner: fc.constant(4), amount: fc.bigInt({ min: 1n, max: 4_000_000n }) }),
  fc.record({ kind: fc.constant("delegate" as const), who, val, amount }),
  fc.record({ kind: fc.constant("delegate" as const), who, val, amount }),
  fc.record({ kind: fc.constant("undelegate" as const), who, val, amount }),
  fc.record({ kind: fc.constant("undelegate" as const), who, val, amount }),
  fc.record({ kind: fc.constant("redelegate" as const), who, src: val, dst: val, amount }),
  fc.record({ kind: fc.constant("redelegate" as const), who, src: val, dst: val, amount }),
  fc.record({ kind: fc.constant("fund" as const), who, amount }),
  fc.record({ kind: fc.constant("fee" as const), who, amount }),
  fc.record({ kind: fc.constant("block" as const), seconds: fc.bigInt({ min: 1n, max: 12n }) }),
);

const enc = <T>(typeUrl: string, codec: { encode(m: T): { finish(): Uint8Array } }, m: T): Any => ({ typeUrl, value: codec.encode(m).finish() });
const coin = (a: bigint) => ({ denom: DENOM, amount: a.toString() });

function msgFor(o: Exclude<Op, { kind: "block" | "fee" }>): Any {
  switch (o.kind) {
    case "create":
      return enc("/cosmos.staking.v1beta1.MsgCreateValidator", MsgCreateValidator, {
        description: { moniker: `v${o.owner}`, identity: "", website: "", securityContact: "", details: "" },
        commission: { rate: "0", maxRate: "0", maxChangeRate: "0" },
        minSelfDelegation: "1",
        delegatorAddress: "",
        validatorAddress: accountValoper(addr(o.owner)),
        pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: consKey(o.owner) }).finish() },
        value: coin(o.amount),
      });
    case "delegate":
      return enc("/cosmos.staking.v1beta1.MsgDelegate", MsgDelegate, { delegatorAddress: addr(o.who), validatorAddress: accountValoper(addr(o.val)), amount: coin(o.amount) });
    case "undelegate":
      return enc("/cosmos.staking.v1beta1.MsgUndelegate", MsgUndelegate, { delegatorAddress: addr(o.who), validatorAddress: accountValoper(addr(o.val)), amount: coin(o.amount) });
    case "redelegate":
      return enc("/cosmos.staking.v1beta1.MsgBeginRedelegate", MsgBeginRedelegate, {
        delegatorAddress: addr(o.who),
        validatorSrcAddress: accountValoper(addr(o.src)),
        validatorDstAddress: accountValoper(addr(o.dst)),
        amount: coin(o.amount),
      });
    case "fund":
      return enc("/cosmos.distribution.v1beta1.MsgFundCommunityPool", MsgFundCommunityPool, { depositor: addr(o.who), amount: [coin(o.amount)] });
  }
}

function checkInvariants(f: Fixture, ctx: Context, cometSet: Map<string, bigint>): void {
  const bank = f.app.bank;
  const supply = new Map(bank.totalSupply(ctx).map((c) => [c.denom, c.amount]));
  const sums = new Map<string, bigint>();
  for (const b of bank.allBalances(ctx)) for (const c of b.coins) sums.set(c.denom, (sums.get(c.denom) ?? 0n) + c.amount);
  expect(sums).toEqual(supply);

  const validators = f.staking.allValidators(ctx);
  let bonded = 0n;
  let notBonded = 0n;
  for (const v of validators) {
    if (v.status === BondStatus.BOND_STATUS_BONDED) bonded += validatorTokens(v);
    else notBonded += validatorTokens(v);
  }
  for (const u of f.staking.allUnbondingDelegations(ctx)) for (const e of u.entries) notBonded += BigInt(e.balance);
  expect(bank.getBalance(ctx, moduleAccountAddress(BONDED_POOL), DENOM).amount).toBe(bonded);
  expect(bank.getBalance(ctx, moduleAccountAddress(NOT_BONDED_POOL), DENOM).amount).toBe(notBonded);
  expect(f.staking.totalBondedTokens(ctx)).toBe(bonded);

  const shareSums = new Map<string, bigint>();
  for (const d of f.staking.allDelegations(ctx)) shareSums.set(d.validatorAddress, (shareSums.get(d.validatorAddress) ?? 0n) + decFromProto(d.shares));
  for (const v of validators) expect(shareSums.get(v.operatorAddress) ?? 0n).toBe(validatorShares(v));

  const bondedPowers = new Map<string, bigint>();
  for (const v of validators) if (v.status === BondStatus.BOND_STATUS_BONDED) bondedPowers.set(toHex(validatorPubkey(v)), consensusPower(validatorTokens(v)));
  expect(cometSet).toEqual(bondedPowers);
  expect(f.staking.bondedValidators(ctx).map((b) => b.operatorAddress).sort()).toEqual(
    validators.filter((v) => v.status === BondStatus.BOND_STATUS_BONDED).map((v) => v.operatorAddress).sort(),
  );
}

test("supply, pools, shares and the validator set stay consistent over random staking activity", () => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
      const f = fixture();
      let time = GENESIS_TIME_SECONDS + 1n;
      let height = 2n;
      f.tx((c) => f.staking.setParams(c, { ...f.staking.params(c), maxValidators: 2 }));
      // Two more validators up front (the third of three is outside the set); a fourth may be created.
      f.exec(msgFor({ kind: "create", owner: 2, amount: 2_000_000n }), time);
      f.exec(msgFor({ kind: "create", owner: 3, amount: 1_500_000n }), time);
      for (let d = 1; d <= 4; d++) for (const v of [2, 3]) f.exec(msgFor({ kind: "delegate", who: d, val: v, amount: 700_000n }), time);
      // What CometBFT holds: the InitChain set, then every update applied.
      const cometSet = new Map<string, bigint>([[toHex(Buffer.from(TEST_VALIDATOR_PUBKEY_B64, "base64")), 1000n]]);
      const endBlock = () => {
        const ctx = f.ctx(time, height);
        f.keepers.distribution.beginBlock(ctx);
        for (const u of f.staking.endBlock(ctx)) {
          const key = toHex(u.pubKey.ed25519 ?? new Uint8Array());
          if (u.power === 0n) cometSet.delete(key);
          else cometSet.set(key, u.power);
        }
        checkInvariants(f, f.ctx(time, height), cometSet);
      };
      endBlock();
      for (const o of [...ops, { kind: "block" as const, seconds: 25n }]) {
        if (o.kind === "block") {
          time += o.seconds;
          height += 1n;
          endBlock();
          continue;
        }
        try {
          if (o.kind === "fee") f.tx((c) => f.app.bank.sendFromAccountToModule(c, addr(o.who), FEE_COLLECTOR, [{ denom: DENOM, amount: o.amount }]), time, height);
          else f.exec(msgFor(o), time);
        } catch (e) {
          if (!(e instanceof ChainError) || e.code === 1) throw e; // only registered rejections are acceptable
        }
      }
      // After the final 25 s block every unbonding entry has matured and been paid.
      expect(f.staking.allUnbondingDelegations(f.ctx())).toEqual([]);
      expect(f.staking.allRedelegations(f.ctx())).toEqual([]);
    }),
    { numRuns: 80 },
  );
});
