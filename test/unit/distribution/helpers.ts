/**
 * Helpers for the distribution and mint tests: blocks with a last commit on the fixture's state,
 * validators created through staking, typed refusals.
 */
import type { VoteInfo } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { blockContext, type Context } from "../../../src/baseapp/context";
import { ChainError } from "../../../src/baseapp/errors";
import { FEE_COLLECTOR } from "../../../src/x/auth/ante";
import { DEC_ONE } from "../../../src/x/staking/dec";
import { accountValoper, consensusAddress, validatorPubkey, validatorTokens } from "../../../src/x/staking/keeper";
import { addr, consKey, DENOM, GENESIS_TIME_SECONDS, type Fixture } from "../staking/fixture";

export function fail(f: () => unknown): { codespace: string; code: number; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof ChainError) return { codespace: e.codespace, code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a ChainError");
}

export function createValidator(f: Fixture, owner: number, amount: bigint, rate = DEC_ONE / 10n, height = 1n): string {
  const valoper = accountValoper(addr(owner));
  f.tx(
    (ctx) =>
      f.staking.createValidator(ctx, {
        operator: valoper,
        consensusPubkey: consKey(owner),
        description: { moniker: `v${owner}`, identity: "", website: "", securityContact: "", details: "" },
        commission: { rate, maxRate: DEC_ONE, maxChangeRate: DEC_ONE / 100n },
        minSelfDelegation: 1n,
        value: { denom: DENOM, amount },
      }),
    GENESIS_TIME_SECONDS + height,
    height,
  );
  return valoper;
}

export const consOf = (ctx: Context, f: Fixture, valoper: string): Uint8Array => consensusAddress(validatorPubkey(f.staking.mustGetValidator(ctx, valoper)));

/** A vote of `valoper` with its current consensus power, signed unless `flag` says otherwise. */
export function vote(f: Fixture, valoper: string, flag: BlockIDFlag = BlockIDFlag.BLOCK_ID_FLAG_COMMIT, power?: bigint): VoteInfo {
  const ctx = f.ctx();
  const p = power ?? validatorTokens(f.staking.mustGetValidator(ctx, valoper)) / 1_000_000n;
  return { validator: { address: consOf(ctx, f, valoper), power: p }, blockIdFlag: flag };
}

/** A FinalizeBlock-like context on the fixture's state at `height` with the given last-commit votes. */
export function blockCtxOn(f: Fixture, height: bigint, votes: VoteInfo[] = []): Context {
  return blockContext(
    f.state,
    {
      chainId: "test",
      height,
      time: { seconds: GENESIS_TIME_SECONDS + height, nanos: 0 },
      proposer: new Uint8Array(20),
      lastCommit: { round: 0, votes },
    },
    "finalize",
  );
}

/** Puts `amount` fees in the fee collector (paid by addr(payer)). */
export function collectFees(f: Fixture, amount: bigint, payer = 4): void {
  f.tx((ctx) => f.app.bank.sendFromAccountToModule(ctx, addr(payer), FEE_COLLECTOR, [{ denom: DENOM, amount }]));
}

/** BeginBlock of distribution at `height` with these votes. */
export function allocate(f: Fixture, height: bigint, votes: VoteInfo[]): Context {
  const ctx = blockCtxOn(f, height, votes);
  f.keepers.distribution.beginBlock(ctx);
  return ctx;
}

export { DENOM };
