/**
 * x/slashing: liveness tracking from CometBFT's decided last commit (signing info and the
 * missed-block window), downtime slashing and jailing, MsgUnjail, tombstoning for the evidence
 * module. The SDK's semantics (x/slashing/keeper); amounts bigint, fractions 18-decimal bigint.
 */
import { Params as ParamsCodec, type Params as ProtoParams, ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import type { Duration } from "cosmjs-types/google/protobuf/duration";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import type { Context } from "../../baseapp/context";
import { fromUtf8, utf8 } from "../../baseapp/encoding";
import { prefixEnd } from "../../baseapp/store/prefix";
import { decodeAddress, encodeAddress } from "../../baseapp/tx/address";
import { BECH32_PREFIX } from "../../baseapp/tx/constants";
import { DEC_ONE } from "../staking/dec";
import type { StakingHooks, StakingKeeper } from "../staking/keeper";
import { consensusAddress, operatorAccount, tokensForShares, validatorPubkey, validatorShares, validatorTokens } from "../staking/keeper";
import { decFromProto } from "../staking/dec";
import { addDuration, compareTime, timeToJson } from "../staking/time";
import {
  ErrInvalidParams,
  ErrMissingSelfDelegation,
  ErrNoValidatorForAddress,
  ErrSelfDelegationTooLowToUnjail,
  ErrValidatorJailed,
  ErrValidatorNotJailed,
} from "./errors";
import { keys, SLASHING } from "./keys";

/** Bech32 prefix of consensus addresses. */
export const BECH32_PREFIX_VALCONS = `${BECH32_PREFIX}valcons`;
/** The SDK's ValidatorUpdateDelay: a validator set change takes effect this many blocks later. */
export const VALIDATOR_UPDATE_DELAY = 1n;
/** The SDK's DoubleSignJailEndTime: 9999-12-31T23:59:59Z, jailed for good. */
export const DOUBLE_SIGN_JAIL_END_TIME: Timestamp = { seconds: 253_402_300_799n, nanos: 0 };
const EPOCH: Timestamp = { seconds: 0n, nanos: 0 };

export function consAddrString(cons: Uint8Array): string {
  return encodeAddress(cons, BECH32_PREFIX_VALCONS);
}

export function consAddrBytes(s: string): Uint8Array {
  return decodeAddress(s, BECH32_PREFIX_VALCONS);
}

export interface SlashingParams {
  readonly signedBlocksWindow: bigint;
  /** 18-decimal fixed point. */
  readonly minSignedPerWindow: bigint;
  readonly downtimeJailDuration: Duration;
  readonly slashFractionDoubleSign: bigint;
  readonly slashFractionDowntime: bigint;
}

/** The SDK's defaults. */
export function defaultSlashingParams(): SlashingParams {
  return {
    signedBlocksWindow: 100n,
    minSignedPerWindow: DEC_ONE / 2n,
    downtimeJailDuration: { seconds: 600n, nanos: 0 },
    slashFractionDoubleSign: DEC_ONE / 20n,
    slashFractionDowntime: DEC_ONE / 100n,
  };
}

export function validateSlashingParams(p: SlashingParams): void {
  if (p.signedBlocksWindow <= 0n) throw ErrInvalidParams.wrap(`signed_blocks_window must be positive, got ${p.signedBlocksWindow}`);
  const d = p.downtimeJailDuration;
  if (d.seconds < 0n || d.nanos < 0 || (d.seconds === 0n && d.nanos === 0)) throw ErrInvalidParams.wrap("downtime_jail_duration must be positive");
  const frac = (name: string, v: bigint) => {
    if (v < 0n || v > DEC_ONE) throw ErrInvalidParams.wrap(`${name} must be between 0 and 1`);
  };
  frac("min_signed_per_window", p.minSignedPerWindow);
  frac("slash_fraction_double_sign", p.slashFractionDoubleSign);
  frac("slash_fraction_downtime", p.slashFractionDowntime);
}

/** LegacyDec on the wire: the ASCII digits of value × 10^18. */
const decBytes = (v: bigint) => utf8(v.toString());
function decFromBytes(b: Uint8Array, what: string): bigint {
  const s = fromUtf8(b);
  if (s === "") return 0n;
  if (!/^-?[0-9]+$/.test(s)) throw ErrInvalidParams.wrap(`${what} is not a decimal`);
  return BigInt(s);
}

export function slashingParamsToProto(p: SlashingParams): ProtoParams {
  return {
    signedBlocksWindow: p.signedBlocksWindow,
    minSignedPerWindow: decBytes(p.minSignedPerWindow),
    downtimeJailDuration: p.downtimeJailDuration,
    slashFractionDoubleSign: decBytes(p.slashFractionDoubleSign),
    slashFractionDowntime: decBytes(p.slashFractionDowntime),
  };
}

export function slashingParamsFromProto(p: ProtoParams): SlashingParams {
  return {
    signedBlocksWindow: p.signedBlocksWindow,
    minSignedPerWindow: decFromBytes(p.minSignedPerWindow, "min_signed_per_window"),
    downtimeJailDuration: p.downtimeJailDuration,
    slashFractionDoubleSign: decFromBytes(p.slashFractionDoubleSign, "slash_fraction_double_sign"),
    slashFractionDowntime: decFromBytes(p.slashFractionDowntime, "slash_fraction_downtime"),
  };
}

/** LegacyDec.RoundInt64 (half to even) of minSignedPerWindow × window: blocks a validator must sign per window. */
export function minSignedBlocks(p: SlashingParams): bigint {
  const x = p.minSignedPerWindow * p.signedBlocksWindow;
  const q = x / DEC_ONE;
  const r = x % DEC_ONE;
  const half = DEC_ONE / 2n;
  if (r > half || (r === half && q % 2n === 1n)) return q + 1n;
  return q;
}

export type SlashReason = "missing_signature" | "double_sign";

export class SlashingKeeper {
  constructor(readonly staking: StakingKeeper) {}

  params(ctx: Context): SlashingParams {
    const raw = ctx.kv(SLASHING).get(keys.params());
    return raw === undefined ? defaultSlashingParams() : slashingParamsFromProto(decodeParams(raw));
  }

  setParams(ctx: Context, p: SlashingParams): void {
    validateSlashingParams(p);
    ctx.kv(SLASHING).set(keys.params(), encodeParams(slashingParamsToProto(p)));
  }

  getSigningInfo(ctx: Context, cons: Uint8Array): ValidatorSigningInfo | undefined {
    const raw = ctx.kv(SLASHING).get(keys.signingInfo(cons));
    return raw === undefined ? undefined : ValidatorSigningInfo.decode(raw);
  }

  setSigningInfo(ctx: Context, cons: Uint8Array, info: ValidatorSigningInfo): void {
    ctx.kv(SLASHING).set(keys.signingInfo(cons), ValidatorSigningInfo.encode(info).finish());
  }

  /** Every signing info in consensus-address byte order. */
  allSigningInfos(ctx: Context): ValidatorSigningInfo[] {
    const p = keys.signingInfoPrefix();
    const out: ValidatorSigningInfo[] = [];
    for (const [, v] of ctx.kv(SLASHING).iterate(p, prefixEnd(p))) out.push(ValidatorSigningInfo.decode(v));
    return out;
  }

  /** Window indexes marked missed for a validator, ascending. */
  missedIndexes(ctx: Context, cons: Uint8Array): bigint[] {
    const p = keys.missedBlocksOf(cons);
    const out: bigint[] = [];
    for (const [k] of ctx.kv(SLASHING).iterate(p, prefixEnd(p))) {
      let n = 0n;
      for (const byte of k.subarray(k.length - 8)) n = (n << 8n) | BigInt(byte);
      out.push(n);
    }
    return out;
  }

  setMissed(ctx: Context, cons: Uint8Array, index: bigint, missed: boolean): void {
    if (missed) ctx.kv(SLASHING).set(keys.missedBlock(cons, index), Uint8Array.of(1));
    else ctx.kv(SLASHING).delete(keys.missedBlock(cons, index));
  }

  private clearMissed(ctx: Context, cons: Uint8Array): void {
    const kv = ctx.kv(SLASHING);
    const p = keys.missedBlocksOf(cons);
    const doomed: Uint8Array[] = [];
    for (const [k] of kv.iterate(p, prefixEnd(p))) doomed.push(k.slice());
    for (const k of doomed) kv.delete(k);
  }

  /** A fresh signing info starting at the current height (the SDK's AfterValidatorBonded for a new validator). */
  private newSigningInfo(ctx: Context, cons: Uint8Array): ValidatorSigningInfo {
    return { address: consAddrString(cons), startHeight: ctx.block.height, indexOffset: 0n, jailedUntil: EPOCH, tombstoned: false, missedBlocksCounter: 0n };
  }

  /** BeginBlock: every vote of the decided last commit (absent = missed). */
  beginBlock(ctx: Context): void {
    const votes = ctx.block.lastCommit?.votes ?? [];
    if (votes.length === 0) return;
    const params = this.params(ctx);
    for (const vote of votes) {
      const v = vote.validator;
      if (v === undefined) continue;
      this.handleValidatorSignature(ctx, params, v.address, v.power, vote.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT);
    }
  }

  /** The SDK's HandleValidatorSignature. */
  private handleValidatorSignature(ctx: Context, params: SlashingParams, cons: Uint8Array, power: bigint, missed: boolean): void {
    const validator = this.staking.getValidatorByConsAddr(ctx, cons);
    if (validator === undefined || validator.jailed) return;
    const info = this.getSigningInfo(ctx, cons) ?? this.newSigningInfo(ctx, cons);
    const window = params.signedBlocksWindow;
    const index = info.indexOffset % window;
    info.indexOffset += 1n;
    const previous = ctx.kv(SLASHING).has(keys.missedBlock(cons, index));
    if (!previous && missed) {
      this.setMissed(ctx, cons, index, true);
      info.missedBlocksCounter += 1n;
    } else if (previous && !missed) {
      this.setMissed(ctx, cons, index, false);
      info.missedBlocksCounter -= 1n;
    }
    const height = ctx.block.height;
    if (missed) {
      ctx.events.emit("liveness", [
        ["address", consAddrString(cons)],
        ["missed_blocks", info.missedBlocksCounter.toString()],
        ["height", height.toString()],
      ]);
    }
    const minHeight = info.startHeight + window;
    const maxMissed = window - minSignedBlocks(params);
    if (height > minHeight && info.missedBlocksCounter > maxMissed) {
      // The stake that signed the missed block: the height of the last commit minus the update delay.
      const distributionHeight = height - VALIDATOR_UPDATE_DELAY - 1n;
      const burned = this.staking.slash(ctx, cons, distributionHeight, power, params.slashFractionDowntime);
      ctx.events.emit("slash", [
        ["address", consAddrString(cons)],
        ["power", power.toString()],
        ["reason", "missing_signature"],
        ["jailed", consAddrString(cons)],
        ["burned_coins", burned.toString()],
      ]);
      this.staking.jail(ctx, cons);
      info.jailedUntil = addDuration(ctx.block.time, params.downtimeJailDuration);
      // The start height is reset by afterValidatorBonded when it bonds again.
      info.missedBlocksCounter = 0n;
      this.clearMissed(ctx, cons);
    }
    this.setSigningInfo(ctx, cons, info);
  }

  /** The SDK's SlashWithInfractionReason (evidence): slashes through staking and emits `slash`. */
  slashWithReason(ctx: Context, cons: Uint8Array, fraction: bigint, power: bigint, distributionHeight: bigint, reason: SlashReason): bigint {
    const burned = this.staking.slash(ctx, cons, distributionHeight, power, fraction);
    ctx.events.emit("slash", [
      ["address", consAddrString(cons)],
      ["power", power.toString()],
      ["reason", reason],
      ["burned_coins", burned.toString()],
    ]);
    return burned;
  }

  /** Jails through staking and emits `slash` with `jailed` (the SDK's slashing Keeper.Jail). */
  jail(ctx: Context, cons: Uint8Array): void {
    this.staking.jail(ctx, cons);
    ctx.events.emit("slash", [["jailed", consAddrString(cons)]]);
  }

  jailUntil(ctx: Context, cons: Uint8Array, until: Timestamp): void {
    const info = this.getSigningInfo(ctx, cons) ?? this.newSigningInfo(ctx, cons);
    this.setSigningInfo(ctx, cons, { ...info, jailedUntil: until });
  }

  tombstone(ctx: Context, cons: Uint8Array): void {
    const info = this.getSigningInfo(ctx, cons) ?? this.newSigningInfo(ctx, cons);
    this.setSigningInfo(ctx, cons, { ...info, tombstoned: true });
  }

  isTombstoned(ctx: Context, cons: Uint8Array): boolean {
    return this.getSigningInfo(ctx, cons)?.tombstoned === true;
  }

  /** MsgUnjail (the SDK's Keeper.Unjail), in the SDK's order of checks. */
  unjail(ctx: Context, valoper: string): void {
    const v = this.staking.getValidator(ctx, valoper);
    if (v === undefined) throw ErrNoValidatorForAddress.wrap(`${valoper} is not a validator`);
    const self = this.staking.getDelegation(ctx, operatorAccount(valoper), valoper);
    if (self === undefined) throw ErrMissingSelfDelegation.wrap(`${valoper} has no self-delegation; delegate from the operator account first`);
    const tokens = tokensForShares(validatorTokens(v), validatorShares(v), decFromProto(self.shares));
    const min = BigInt(v.minSelfDelegation);
    if (tokens < min) throw ErrSelfDelegationTooLowToUnjail.wrap(`self-delegation ${tokens} is less than min_self_delegation ${min}; delegate more from the operator account`);
    if (!v.jailed) throw ErrValidatorNotJailed.wrap(`${valoper} is not jailed`);
    const cons = consensusAddress(validatorPubkey(v));
    const info = this.getSigningInfo(ctx, cons);
    if (info !== undefined) {
      if (info.tombstoned) throw ErrValidatorJailed.wrap(`${valoper} was tombstoned for double signing and can never be unjailed`);
      if (compareTime(ctx.block.time, info.jailedUntil) < 0) {
        throw ErrValidatorJailed.wrap(`${valoper} is jailed until ${timeToJson(info.jailedUntil)}; try again after that time`);
      }
    }
    this.staking.unjail(ctx, cons);
  }

  /** Staking hooks: a (re)bonded validator's window starts now; a new one gets a signing info. */
  hooks(): StakingHooks {
    return {
      afterValidatorBonded: (ctx, operator) => {
        const v = this.staking.getValidator(ctx, operator);
        if (v === undefined) return;
        const cons = consensusAddress(validatorPubkey(v));
        const info = this.getSigningInfo(ctx, cons);
        this.setSigningInfo(ctx, cons, info === undefined ? this.newSigningInfo(ctx, cons) : { ...info, startHeight: ctx.block.height });
      },
    };
  }
}

function decodeParams(raw: Uint8Array): ProtoParams {
  return ParamsCodec.decode(raw);
}
function encodeParams(p: ProtoParams): Uint8Array {
  return ParamsCodec.encode(p).finish();
}
