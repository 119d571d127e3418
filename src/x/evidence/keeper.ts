/**
 * x/evidence: CometBFT's misbehavior (duplicate vote, light-client attack) handled as the SDK's
 * Equivocation: ignored when older than the max age (both blocks and duration), for an unknown or
 * unbonded validator, or one already tombstoned; otherwise slashed by slash_fraction_double_sign
 * at the infraction height less the update delay, jailed, jailed until 9999-12-31, tombstoned,
 * and the evidence stored by hash.
 */
import { Equivocation } from "cosmjs-types/cosmos/evidence/v1beta1/evidence";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { type Misbehavior, MisbehaviorType } from "cosmjs-types/tendermint/abci/types";
import type { Context } from "../../baseapp/context";
import { prefixEnd } from "../../baseapp/store/prefix";
import { sha256 } from "../../baseapp/tx/hash";
import type { SlashingKeeper } from "../slashing/keeper";
import { consAddrBytes, consAddrString, DOUBLE_SIGN_JAIL_END_TIME, VALIDATOR_UPDATE_DELAY } from "../slashing/keeper";
import { timeToNanos } from "../staking/time";
import { ErrEvidenceExists } from "./errors";
import { EVIDENCE, keys } from "./keys";

export const EQUIVOCATION_TYPE_URL = "/cosmos.evidence.v1beta1.Equivocation";
/** The SDK's defaults for CometBFT's evidence params when InitChain gave none. */
export const DEFAULT_MAX_AGE_NUM_BLOCKS = 100_000n;
export const DEFAULT_MAX_AGE_SECONDS = 172_800n; // 48h

/** The SDK's Equivocation.Hash: SHA-256 of its protobuf bytes. */
export function equivocationHash(e: Equivocation): Uint8Array {
  return sha256(Equivocation.encode(e).finish());
}

export class EvidenceKeeper {
  constructor(private readonly slashing: SlashingKeeper) {}

  getEvidence(ctx: Context, hash: Uint8Array): Equivocation | undefined {
    const raw = ctx.kv(EVIDENCE).get(keys.evidence(hash));
    return raw === undefined ? undefined : Equivocation.decode(raw);
  }

  /** Stores an Equivocation under its hash; returns the hash. */
  setEvidence(ctx: Context, e: Equivocation): Uint8Array {
    const hash = equivocationHash(e);
    ctx.kv(EVIDENCE).set(keys.evidence(hash), Equivocation.encode(e).finish());
    return hash;
  }

  /** Genesis import: refuses a duplicate. */
  importEvidence(ctx: Context, e: Equivocation): void {
    const hash = equivocationHash(e);
    if (ctx.kv(EVIDENCE).has(keys.evidence(hash))) throw ErrEvidenceExists.wrap(Buffer.from(hash).toString("hex"));
    this.setEvidence(ctx, e);
  }

  /** Every stored evidence in hash byte order. */
  allEvidence(ctx: Context): Equivocation[] {
    const p = keys.evidencePrefix();
    const out: Equivocation[] = [];
    for (const [, v] of ctx.kv(EVIDENCE).iterate(p, prefixEnd(p))) out.push(Equivocation.decode(v));
    return out;
  }

  /** BeginBlock: the block's misbehavior, in the order CometBFT gave it. */
  beginBlock(ctx: Context): void {
    for (const m of ctx.block.misbehavior ?? []) {
      if (m.type !== MisbehaviorType.DUPLICATE_VOTE && m.type !== MisbehaviorType.LIGHT_CLIENT_ATTACK) continue;
      const address = m.validator?.address;
      if (address === undefined) continue;
      this.handleEquivocation(ctx, {
        height: m.height,
        time: m.time ?? { seconds: 0n, nanos: 0 },
        power: m.validator?.power ?? 0n,
        consensusAddress: consAddrString(address),
      });
    }
  }

  /** The SDK's handleEquivocationEvidence. Returns whether it was acted on. */
  handleEquivocation(ctx: Context, e: Equivocation): boolean {
    const cons = consAddrBytes(e.consensusAddress);
    const ageBlocks = ctx.block.height - e.height;
    const ageNanos = timeToNanos(ctx.block.time) - timeToNanos(e.time);
    const ep = ctx.block.evidenceParams;
    const maxBlocks = ep?.maxAgeNumBlocks ?? DEFAULT_MAX_AGE_NUM_BLOCKS;
    const maxNanos = ep?.maxAgeDuration === undefined ? DEFAULT_MAX_AGE_SECONDS * 1_000_000_000n : timeToNanos(ep.maxAgeDuration);
    if (ageNanos > maxNanos && ageBlocks > maxBlocks) return false;
    const v = this.slashing.staking.getValidatorByConsAddr(ctx, cons);
    if (v === undefined || v.status === BondStatus.BOND_STATUS_UNBONDED) return false;
    if (this.slashing.isTombstoned(ctx, cons)) return false;
    const distributionHeight = e.height - VALIDATOR_UPDATE_DELAY;
    this.slashing.slashWithReason(ctx, cons, this.slashing.params(ctx).slashFractionDoubleSign, e.power, distributionHeight, "double_sign");
    if (!v.jailed) this.slashing.jail(ctx, cons);
    this.slashing.jailUntil(ctx, cons, DOUBLE_SIGN_JAIL_END_TIME);
    this.slashing.tombstone(ctx, cons);
    this.setEvidence(ctx, e);
    return true;
  }
}

export type { Misbehavior };
