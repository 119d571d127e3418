/**
 * HistoricalInfo as the SDK's TrackHistoricalInfo: the valset is the bonded set sorted as CometBFT
 * sorts it (power descending, then consensus address ascending); unbonded validators are absent.
 */
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { toHex } from "../../../src/baseapp/encoding";
import { DEC_ONE } from "../../../src/x/staking/dec";
import { accountValoper, consensusAddress, validatorPubkey } from "../../../src/x/staking/keeper";
import { addr, consKey, DENOM, fixture, GENESIS_TIME_SECONDS as T0, type Fixture } from "./fixture";

function createValidator(f: Fixture, owner: number, amount: bigint): string {
  const valoper = accountValoper(addr(owner));
  f.tx((ctx) =>
    f.staking.createValidator(ctx, {
      operator: valoper,
      consensusPubkey: consKey(owner),
      description: { moniker: `v${owner}`, identity: "", website: "", securityContact: "", details: "" },
      commission: { rate: DEC_ONE / 10n, maxRate: DEC_ONE / 5n, maxChangeRate: DEC_ONE / 100n },
      minSelfDelegation: 1n,
      value: { denom: DENOM, amount },
    }),
  );
  return valoper;
}

test("valset: bonded validators by power, ties by consensus address; not-bonded ones left out", () => {
  const f = fixture({ balances: [10_000_000_000n, 5_000_000_000n, 5_000_000_000n, 5_000_000_000n, 5_000_000_000n] });
  const a = createValidator(f, 2, 2_000_000n);
  const b = createValidator(f, 3, 2_000_000n);
  const c = createValidator(f, 4, 3_000_000n);
  f.tx((ctx) => f.staking.setParams(ctx, { ...f.staking.params(ctx), maxValidators: 4, historicalEntries: 2 }));
  f.staking.endBlock(f.ctx());
  const small = createValidator(f, 5, 1_000_000n); // a fifth: does not make the set of 4
  f.staking.endBlock(f.ctx());
  expect(f.staking.mustGetValidator(f.ctx(), small).status).toBe(BondStatus.BOND_STATUS_UNBONDED);

  f.staking.beginBlock(f.ctx(T0 + 7n, 7n));
  const hist = f.staking.getHistoricalInfo(f.ctx(), 7n);
  const cons = (v: string) => toHex(consensusAddress(validatorPubkey(f.staking.mustGetValidator(f.ctx(), v))));
  const tie = [a, b].sort((x, y) => (cons(x) < cons(y) ? -1 : 1));
  expect(hist?.valset.map((v) => v.operatorAddress)).toEqual([f.valoper, c, ...tie]);
  expect(hist?.header).toMatchObject({ chainId: "test", height: 7n, time: { seconds: T0 + 7n, nanos: 0 } });

  // historical_entries 2: at height 9 the entry of height 7 goes (9 − 2 = 7).
  f.staking.beginBlock(f.ctx(T0 + 8n, 8n));
  expect(f.staking.getHistoricalInfo(f.ctx(), 7n)).toBeDefined();
  f.staking.beginBlock(f.ctx(T0 + 9n, 9n));
  expect(f.staking.getHistoricalInfo(f.ctx(), 7n)).toBeUndefined();
  expect([8n, 9n].map((h) => f.staking.getHistoricalInfo(f.ctx(), h)?.header.height)).toEqual([8n, 9n]);
  expect(f.staking.getHistoricalInfo(f.ctx(), -1n)).toBeUndefined();
});
