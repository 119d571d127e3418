/**
 * Legacy amino JSON forms of messages, for SIGN_MODE_LEGACY_AMINO_JSON.
 *
 * A message reaches us as a protobuf `Any`; to rebuild the StdSignDoc the wallet signed we decode
 * it with its protobuf codec and convert it to the amino `{type, value}` JSON CosmJS produces.
 * Standard Cosmos messages use CosmJS's own converters (`@cosmjs/stargate`), so our sign bytes equal
 * what `SigningStargateClient` signs. Other modules add theirs with `registry.register(...)`.
 *
 * Security note: register the SAME codec the message router uses to decode that message. If the
 * amino view and the executed message came from different decoders, a crafted encoding could be
 * signed as one message and executed as another.
 */
import type { AminoMsg } from "@cosmjs/amino";
import { AminoTypes, createDefaultAminoConverters, type AminoConverters } from "@cosmjs/stargate";
import { MsgMultiSend, MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import {
  MsgCommunityPoolSpend,
  MsgFundCommunityPool,
  MsgSetWithdrawAddress,
  MsgWithdrawDelegatorReward,
  MsgWithdrawValidatorCommission,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import * as govV1 from "cosmjs-types/cosmos/gov/v1/tx";
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import * as govV1beta1 from "cosmjs-types/cosmos/gov/v1beta1/tx";
import {
  MsgBeginRedelegate,
  MsgCancelUnbondingDelegation,
  MsgCreateValidator,
  MsgDelegate,
  MsgEditValidator,
  MsgUndelegate,
} from "cosmjs-types/cosmos/staking/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { ChainError, ErrJSONUnmarshal, ErrNotSupported, ErrTxDecode, ErrUnpackAny } from "./errors";

export type { AminoMsg };

/** A protobuf message codec, as cosmjs-types and ts-proto generate them. */
export interface MsgCodec<T> {
  decode(input: Uint8Array): T;
  encode(message: T): { finish(): Uint8Array };
}

/**
 * Converts a decoded protobuf message to the `value` of its amino JSON form (and back, for clients).
 * Structurally compatible with `@cosmjs/stargate`'s AminoConverter.
 */
export interface AminoMsgConverter<T> {
  readonly aminoType: string;
  toAmino(value: T): unknown;
  fromAmino?(value: never): T;
}

/** What the sign-bytes code needs: map a message `Any` to its amino JSON form. */
export interface AminoConverterRegistry {
  /**
   * Throws ErrNotSupported if the type has no amino form, ErrUnpackAny if the bytes don't decode,
   * ErrTxDecode if they are not the canonical encoding of the decoded message.
   */
  toAmino(msg: Any): AminoMsg;
  has(typeUrl: string): boolean;
}

interface Entry {
  readonly codec: MsgCodec<unknown>;
  readonly converter: AminoMsgConverter<unknown>;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class AminoRegistry implements AminoConverterRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly byAminoType = new Map<string, string>();

  /** Registers a message type. Registering a type URL or amino type twice is a programming error. */
  register<T>(typeUrl: string, codec: MsgCodec<T>, converter: AminoMsgConverter<T>): this {
    if (this.entries.has(typeUrl)) throw new Error(`amino converter for ${typeUrl} registered twice`);
    const other = this.byAminoType.get(converter.aminoType);
    if (other !== undefined) {
      throw new Error(`amino type ${converter.aminoType} of ${typeUrl} is already used by ${other}`);
    }
    this.entries.set(typeUrl, {
      codec: codec as MsgCodec<unknown>,
      converter: converter as AminoMsgConverter<unknown>,
    });
    this.byAminoType.set(converter.aminoType, typeUrl);
    return this;
  }

  has(typeUrl: string): boolean {
    return this.entries.has(typeUrl);
  }

  typeUrls(): string[] {
    return [...this.entries.keys()].sort();
  }

  toAmino(msg: Any): AminoMsg {
    const entry = this.entries.get(msg.typeUrl);
    if (entry === undefined) {
      throw ErrNotSupported.wrap(
        `message type ${JSON.stringify(msg.typeUrl.slice(0, 200))} has no legacy amino JSON form; sign it with SIGN_MODE_DIRECT`,
      );
    }
    let decoded: unknown;
    try {
      decoded = entry.codec.decode(msg.value);
    } catch (e) {
      throw ErrUnpackAny.wrap(`cannot decode ${msg.typeUrl}: ${describe(e)}`);
    }
    // The signature covers only the amino JSON, not these bytes. Require the canonical encoding so
    // that nobody can re-encode a signed message (unknown fields, other wire types, non-minimal
    // varints) and broadcast the same signed tx under a different hash.
    let canonical: Uint8Array;
    try {
      canonical = entry.codec.encode(decoded).finish();
    } catch (e) {
      throw ErrUnpackAny.wrap(`cannot re-encode ${msg.typeUrl}: ${describe(e)}`);
    }
    if (!sameBytes(canonical, msg.value)) {
      throw ErrTxDecode.wrap(
        `${msg.typeUrl} is not in canonical protobuf encoding (unknown fields, unexpected wire types or non-minimal encoding); amino-signed messages must be encoded as CosmJS encodes them`,
      );
    }
    let value: unknown;
    try {
      value = entry.converter.toAmino(decoded);
    } catch (e) {
      if (e instanceof ChainError) throw e;
      throw ErrUnpackAny.wrap(`cannot convert ${msg.typeUrl} to amino JSON: ${describe(e)}`);
    }
    if (typeof value !== "object" || value === null) {
      throw ErrUnpackAny.wrap(`amino converter of ${msg.typeUrl} returned no JSON object`);
    }
    return { type: entry.converter.aminoType, value: value as Record<string, unknown> };
  }

  /** The inverse of `toAmino` (client side: rebuild the protobuf `Any` from a signed amino msg). */
  fromAmino(msg: AminoMsg): Any {
    const typeUrl = this.byAminoType.get(msg.type);
    const entry = typeUrl === undefined ? undefined : this.entries.get(typeUrl);
    if (typeUrl === undefined || entry === undefined) {
      throw ErrNotSupported.wrap(`amino type ${JSON.stringify(msg.type)} is not registered`);
    }
    const { fromAmino } = entry.converter;
    if (fromAmino === undefined) throw ErrNotSupported.wrap(`amino type ${msg.type} cannot be converted back to protobuf`);
    try {
      return { typeUrl, value: entry.codec.encode(fromAmino(msg.value as never)).finish() };
    } catch (e) {
      if (e instanceof ChainError) throw e;
      throw ErrJSONUnmarshal.wrap(`cannot convert amino ${msg.type} to ${typeUrl}: ${describe(e)}`);
    }
  }

  /** The converters in CosmJS's shape, e.g. for `new AminoTypes(registry.aminoConverters())` in a client. */
  aminoConverters(): AminoConverters {
    const out: AminoConverters = {};
    for (const [typeUrl, { converter }] of this.entries) {
      const fromAmino = converter.fromAmino;
      out[typeUrl] = {
        aminoType: converter.aminoType,
        toAmino: (v: unknown) => converter.toAmino(v),
        fromAmino: (v: unknown) => {
          if (fromAmino === undefined) throw new Error(`${typeUrl} has no fromAmino`);
          return fromAmino(v as never);
        },
      };
    }
    return out;
  }

  /** A CosmJS `AminoTypes` over these converters. */
  aminoTypes(): AminoTypes {
    return new AminoTypes(this.aminoConverters());
  }
}

/** Protobuf codecs of the standard Cosmos messages whose amino converters come from CosmJS. */
const STANDARD_CODECS: ReadonlyArray<readonly [string, MsgCodec<unknown>]> = [
  ["/cosmos.bank.v1beta1.MsgSend", MsgSend],
  ["/cosmos.bank.v1beta1.MsgMultiSend", MsgMultiSend],
  ["/cosmos.staking.v1beta1.MsgDelegate", MsgDelegate],
  ["/cosmos.staking.v1beta1.MsgUndelegate", MsgUndelegate],
  ["/cosmos.staking.v1beta1.MsgBeginRedelegate", MsgBeginRedelegate],
  ["/cosmos.staking.v1beta1.MsgCreateValidator", MsgCreateValidator],
  ["/cosmos.staking.v1beta1.MsgEditValidator", MsgEditValidator],
  ["/cosmos.staking.v1beta1.MsgCancelUnbondingDelegation", MsgCancelUnbondingDelegation],
  ["/cosmos.distribution.v1beta1.MsgFundCommunityPool", MsgFundCommunityPool],
  ["/cosmos.distribution.v1beta1.MsgSetWithdrawAddress", MsgSetWithdrawAddress],
  ["/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward", MsgWithdrawDelegatorReward],
  ["/cosmos.gov.v1beta1.MsgSubmitProposal", govV1beta1.MsgSubmitProposal],
  ["/cosmos.gov.v1beta1.MsgVote", govV1beta1.MsgVote],
  ["/cosmos.gov.v1beta1.MsgVoteWeighted", govV1beta1.MsgVoteWeighted],
  ["/cosmos.gov.v1beta1.MsgDeposit", govV1beta1.MsgDeposit],
];

// ---- gov v1 ------------------------------------------------------------------------------------
// CosmJS has no amino converters for gov v1. These follow the SDK's amino JSON for x/gov v1
// (amino names "cosmos-sdk/v1/Msg…"; zero-valued fields omitted except `proposal_id`,
// `initial_deposit` and deposit `amount`, which are always present; enums as numbers; uint64 as
// decimal strings), as in the SDK's x/gov/types/v1 GetSignBytes tests.

interface AminoCoin {
  denom?: string;
  amount: string;
}

function coinsToAmino(coins: readonly Coin[]): AminoCoin[] {
  return coins.map((c) => (c.denom === "" ? { amount: c.amount } : { denom: c.denom, amount: c.amount }));
}

function coinsFromAmino(coins: unknown): Coin[] {
  if (coins === undefined) return [];
  if (!Array.isArray(coins)) throw new Error("expected an array of coins");
  return coins.map((c: { denom?: unknown; amount?: unknown }) => ({
    denom: typeof c.denom === "string" ? c.denom : "",
    amount: typeof c.amount === "string" ? c.amount : "",
  }));
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function u64(v: unknown): bigint {
  if (typeof v !== "string" || !/^(0|[1-9][0-9]{0,19})$/.test(v) || BigInt(v) > 0xffffffffffffffffn) {
    throw new Error(`expected a canonical uint64 decimal string (no leading zeros), got ${String(v)}`);
  }
  return BigInt(v);
}

function enumNum(v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v !== "number" || !Number.isInteger(v)) throw new Error(`expected an enum number, got ${String(v)}`);
  return v;
}

/** Sets `key` on `out` only when `value` is not the proto3 zero value (amino JSON omitempty). */
function put(out: Record<string, unknown>, key: string, value: string | number | boolean | readonly unknown[]): void {
  const empty = value === "" || value === 0 || value === false || (Array.isArray(value) && value.length === 0);
  if (!empty) out[key] = value;
}

/** gov v1 entries (type URL, codec, converter); `registry` converts the proposal's nested messages. */
export function govV1AminoConverters(
  registry: AminoRegistry,
): ReadonlyArray<readonly [string, MsgCodec<unknown>, AminoMsgConverter<unknown>]> {
  const vote: AminoMsgConverter<govV1.MsgVote> = {
    aminoType: "cosmos-sdk/v1/MsgVote",
    toAmino: (m) => {
      const out: Record<string, unknown> = { proposal_id: m.proposalId.toString() };
      put(out, "voter", m.voter);
      put(out, "option", m.option);
      put(out, "metadata", m.metadata);
      return out;
    },
    fromAmino: (v: Record<string, unknown>) =>
      govV1.MsgVote.fromPartial({
        proposalId: u64(v.proposal_id),
        voter: str(v.voter),
        option: enumNum(v.option),
        metadata: str(v.metadata),
      }),
  };
  const voteWeighted: AminoMsgConverter<govV1.MsgVoteWeighted> = {
    aminoType: "cosmos-sdk/v1/MsgVoteWeighted",
    toAmino: (m) => {
      const out: Record<string, unknown> = { proposal_id: m.proposalId.toString() };
      put(out, "voter", m.voter);
      put(
        out,
        "options",
        m.options.map((o) => {
          const opt: Record<string, unknown> = {};
          put(opt, "option", o.option);
          put(opt, "weight", o.weight);
          return opt;
        }),
      );
      put(out, "metadata", m.metadata);
      return out;
    },
    fromAmino: (v: Record<string, unknown>) =>
      govV1.MsgVoteWeighted.fromPartial({
        proposalId: u64(v.proposal_id),
        voter: str(v.voter),
        options: (Array.isArray(v.options) ? v.options : []).map((o: Record<string, unknown>) => ({
          option: enumNum(o.option),
          weight: str(o.weight),
        })),
        metadata: str(v.metadata),
      }),
  };
  const deposit: AminoMsgConverter<govV1.MsgDeposit> = {
    aminoType: "cosmos-sdk/v1/MsgDeposit",
    toAmino: (m) => {
      const out: Record<string, unknown> = { proposal_id: m.proposalId.toString() };
      put(out, "depositor", m.depositor);
      out.amount = coinsToAmino(m.amount);
      return out;
    },
    fromAmino: (v: Record<string, unknown>) =>
      govV1.MsgDeposit.fromPartial({
        proposalId: u64(v.proposal_id),
        depositor: str(v.depositor),
        amount: coinsFromAmino(v.amount),
      }),
  };
  const submitProposal: AminoMsgConverter<govV1.MsgSubmitProposal> = {
    aminoType: "cosmos-sdk/v1/MsgSubmitProposal",
    toAmino: (m) => {
      const out: Record<string, unknown> = {};
      put(out, "messages", m.messages.map((a) => registry.toAmino(a)));
      out.initial_deposit = coinsToAmino(m.initialDeposit);
      put(out, "proposer", m.proposer);
      put(out, "metadata", m.metadata);
      put(out, "title", m.title);
      put(out, "summary", m.summary);
      put(out, "expedited", m.expedited);
      return out;
    },
    fromAmino: (v: Record<string, unknown>) =>
      govV1.MsgSubmitProposal.fromPartial({
        messages: (Array.isArray(v.messages) ? (v.messages as AminoMsg[]) : []).map((a) => registry.fromAmino(a)),
        initialDeposit: coinsFromAmino(v.initial_deposit),
        proposer: str(v.proposer),
        metadata: str(v.metadata),
        title: str(v.title),
        summary: str(v.summary),
        expedited: v.expedited === true,
      }),
  };
  return [
    ["/cosmos.gov.v1.MsgSubmitProposal", govV1.MsgSubmitProposal, submitProposal],
    ["/cosmos.gov.v1.MsgVote", govV1.MsgVote, vote],
    ["/cosmos.gov.v1.MsgVoteWeighted", govV1.MsgVoteWeighted, voteWeighted],
    ["/cosmos.gov.v1.MsgDeposit", govV1.MsgDeposit, deposit],
  ];
}

// ---- slashing, distribution ------------------------------------------------------------------
// Standard messages CosmJS has no (or a stale) amino converter for, as the SDK (v0.50, x/tx
// aminojson) signs them: MsgUnjail's `validator_addr` is named "address" in amino JSON and is
// always present (amino.field_name, amino.dont_omitempty); MsgCommunityPoolSpend's `amount` is
// always present (legacy_coins, dont_omitempty: [] when empty), its addresses omitted when empty.
// MsgWithdrawValidatorCommission is "cosmos-sdk/MsgWithdrawValCommission" since SDK v0.47 (amino
// names must be under 40 characters); CosmJS 0.39 still signs the older
// "cosmos-sdk/MsgWithdrawValidatorCommission", which an SDK chain refuses too. Clients of this
// chain sign it with the converter below (createDcertClientAminoConverters); stock CosmJS signs
// it correctly in SIGN_MODE_DIRECT only.

/** Amino names of the standard messages whose converters are ours (not CosmJS's). */
export const STANDARD_AMINO_TYPES = {
  unjail: "cosmos-sdk/MsgUnjail",
  communityPoolSpend: "cosmos-sdk/distr/MsgCommunityPoolSpend",
  withdrawValidatorCommission: "cosmos-sdk/MsgWithdrawValCommission",
} as const;

function plainCoins(coins: readonly Coin[]): { denom: string; amount: string }[] {
  return coins.map((c) => ({ denom: c.denom, amount: c.amount }));
}

/** Entries (type URL, codec, converter) of the standard messages CosmJS lacks converters for. */
export function standardExtraAminoConverters(): ReadonlyArray<readonly [string, MsgCodec<unknown>, AminoMsgConverter<unknown>]> {
  const unjail: AminoMsgConverter<MsgUnjail> = {
    aminoType: STANDARD_AMINO_TYPES.unjail,
    toAmino: (m) => ({ address: m.validatorAddr }),
    fromAmino: (v: Record<string, unknown>) => MsgUnjail.fromPartial({ validatorAddr: str(v.address) }),
  };
  const spend: AminoMsgConverter<MsgCommunityPoolSpend> = {
    aminoType: STANDARD_AMINO_TYPES.communityPoolSpend,
    toAmino: (m) => {
      const out: Record<string, unknown> = {};
      put(out, "authority", m.authority);
      put(out, "recipient", m.recipient);
      out.amount = plainCoins(m.amount);
      return out;
    },
    fromAmino: (v: Record<string, unknown>) =>
      MsgCommunityPoolSpend.fromPartial({ authority: str(v.authority), recipient: str(v.recipient), amount: coinsFromAmino(v.amount) }),
  };
  const withdrawCommission: AminoMsgConverter<MsgWithdrawValidatorCommission> = {
    aminoType: STANDARD_AMINO_TYPES.withdrawValidatorCommission,
    toAmino: (m) => ({ validator_address: m.validatorAddress }),
    fromAmino: (v: Record<string, unknown>) => MsgWithdrawValidatorCommission.fromPartial({ validatorAddress: str(v.validator_address) }),
  };
  return [
    ["/cosmos.slashing.v1beta1.MsgUnjail", MsgUnjail as MsgCodec<unknown>, unjail as AminoMsgConverter<unknown>],
    [
      "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission",
      MsgWithdrawValidatorCommission as MsgCodec<unknown>,
      withdrawCommission as AminoMsgConverter<unknown>,
    ],
    ["/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", MsgCommunityPoolSpend as MsgCodec<unknown>, spend as AminoMsgConverter<unknown>],
  ];
}

/** The converters of `standardExtraAminoConverters` in CosmJS's shape (for a client's AminoTypes). */
export function createStandardExtraAminoConverters(): AminoConverters {
  const out: AminoConverters = {};
  for (const [typeUrl, , c] of standardExtraAminoConverters()) {
    const fromAmino = c.fromAmino;
    out[typeUrl] = {
      aminoType: c.aminoType,
      toAmino: (v: unknown) => c.toAmino(v),
      fromAmino: (v: unknown) => {
        if (fromAmino === undefined) throw new Error(`${typeUrl} has no fromAmino`);
        return fromAmino(v as never);
      },
    };
  }
  return out;
}

/**
 * A registry with the standard Cosmos messages: bank, staking, distribution and gov v1beta1 (CosmJS's
 * converters), slashing MsgUnjail and distribution MsgCommunityPoolSpend and
 * MsgWithdrawValidatorCommission (ours, the SDK's names), plus gov v1. Each
 * call returns a fresh registry that callers may extend.
 */
export function createDefaultAminoRegistry(): AminoRegistry {
  const registry = new AminoRegistry();
  const cosmjs = createDefaultAminoConverters();
  for (const [typeUrl, codec] of STANDARD_CODECS) {
    const converter = cosmjs[typeUrl];
    if (converter === undefined) throw new Error(`CosmJS has no amino converter for ${typeUrl}`);
    registry.register(typeUrl, codec, converter);
  }
  for (const [typeUrl, codec, converter] of standardExtraAminoConverters()) registry.register(typeUrl, codec, converter);
  for (const [typeUrl, codec, converter] of govV1AminoConverters(registry)) registry.register(typeUrl, codec, converter);
  return registry;
}
